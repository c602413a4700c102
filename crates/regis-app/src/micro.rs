//! Establishment micro data: the embedded engine's streaming aggregation to region × industry ×
//! period panels (`regis micro aggregate`); the synthetic generator is in `micro_generate`
//! (re-exported here).
//!
//! The aggregation reads a row group at a time on every thread of the budget (row groups
//! taken by whichever thread is free), resolves each distinct region and industry code once
//! per row group through the code history and the classification, and adds into a dense
//! table per period: memory is one chunk of rows per thread plus the output, whatever the
//! number of rows. Sums of counts and employees are exact integers; row group k goes to
//! thread k mod the thread count and the threads' tables are merged in thread order, so
//! sales are the same bits at every run with a given thread budget (and agree across
//! budgets to rounding, about 1e-15 relative).

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_core::Level;
use regis_data::korea;
use regis_data::micro::{self, Block};
use regis_data::{DataError, ErrorKind};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub use crate::micro_generate::{generate, GenerateRequest, Generated};

/// `regis micro aggregate`.
#[derive(Debug, Clone)]
pub struct AggregateRequest {
    /// A Parquet file or a directory of them.
    pub input: PathBuf,
    /// The regions of the panel: province or district.
    pub level: Level,
    /// The classification of the industry codes.
    pub classification: String,
    /// The depth of the panel's industries (the codes' ancestors at that depth).
    pub industry_depth: u8,
}

/// One cell of the panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    /// Region code (SGIS).
    pub region: String,
    /// Industry code.
    pub industry: String,
    /// Period.
    pub period: i32,
    /// Establishment rows.
    pub establishments: u64,
    /// Employees.
    pub employees: i64,
    /// Sales (million KRW).
    pub sales: f64,
}

/// The aggregated panel.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// Rows read.
    pub rows_read: u64,
    /// Files read.
    pub files: usize,
    /// Row groups read.
    pub row_groups: usize,
    /// The panel, by region, industry and period.
    pub rows: Vec<PanelRow>,
}

impl Tabular for Aggregate {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("region"),
            Column::text("industry"),
            Column::integer("period"),
            Column::integer("establishments"),
            Column::integer("employees"),
            Column::rounded("sales", "million KRW", 2),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::text(&r.region),
                Cell::text(&r.industry),
                Cell::int(r.period),
                Cell::int(r.establishments as i64),
                Cell::int(r.employees),
                Cell::num(Some(r.sales)),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "{} rows from {} row groups of {} file(s), aggregated by the embedded engine",
            self.rows_read, self.row_groups, self.files
        )
    }
}

/// The running sums of one cell.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    establishments: u64,
    employees: i64,
    sales: f64,
}

/// How a code of the input maps to the panel: the target regions and industries, and a
/// cache of the codes seen.
struct Targets {
    regions: Vec<String>,
    region_index: HashMap<String, usize>,
    industries: Vec<String>,
    industry_index: HashMap<String, usize>,
    level: Level,
    classification: &'static regis_core::Classification,
    depth: u8,
}

impl Targets {
    fn new(q: &AggregateRequest) -> Result<Targets> {
        if q.level != Level::PROVINCE && q.level != Level::DISTRICT {
            return Err(DataError::argument("--level: expected province or district").into());
        }
        let cat = korea::catalog();
        let sgis = cat.system_index(korea::SGIS).unwrap_or(0);
        let mut regions: Vec<String> = cat
            .at_level(q.level, None)
            .into_iter()
            .filter_map(|r| cat.code_in(r, sgis, None).map(str::to_string))
            .collect();
        regions.sort();
        regions.dedup();
        let classification = korea::classification(&q.classification).ok_or_else(|| {
            DataError::argument(format!(
                "--classification {}: unknown; known: kosis_grdp, sgis18, ksic9, ksic10, naics2012",
                crate::error::shown(&q.classification)
            ))
        })?;
        let mut industries: Vec<String> = classification
            .industries()
            .iter()
            .filter(|i| i.level == q.industry_depth)
            .map(|i| i.code.clone())
            .collect();
        if industries.is_empty() {
            return Err(DataError::argument(format!(
                "--industry-depth {}: {} has no industry at that depth",
                q.industry_depth, classification.id
            ))
            .into());
        }
        industries.sort();
        Ok(Targets {
            region_index: regions
                .iter()
                .enumerate()
                .map(|(k, c)| (c.clone(), k))
                .collect(),
            regions,
            industry_index: industries
                .iter()
                .enumerate()
                .map(|(k, c)| (c.clone(), k))
                .collect(),
            industries,
            level: q.level,
            classification,
            depth: q.industry_depth,
        })
    }

    /// The panel region of an input region code in `year` (any level at or below the
    /// panel's; a code reused across boundary vintages is read as the one valid that year).
    fn region(&self, code: &str, year: i32) -> std::result::Result<usize, String> {
        let cat = korea::catalog();
        let sgis = cat.system_index(korea::SGIS);
        let r = cat
            .resolve(code, sgis, Some(year), None)
            .or_else(|_| cat.resolve(code, sgis, None, None))
            .map_err(|_| {
                format!(
                    "not a region code of the SGIS code history in {year} (province, district or \
                     sub-district)"
                )
            })?;
        let reg = cat.region(r);
        let at = if reg.level == self.level {
            Some(r)
        } else {
            cat.ancestor_at(r, self.level)
        }
        .ok_or_else(|| {
            format!(
                "a {} code: coarser than the panel's level ({})",
                reg.level.name(),
                self.level.name()
            )
        })?;
        let target = cat
            .code_in(at, sgis.unwrap_or(0), None)
            .unwrap_or(&cat.region(at).code);
        self.region_index
            .get(target)
            .copied()
            .ok_or_else(|| format!("its {} ({target}) is not in the panel", self.level.name()))
    }

    /// The panel industry of an input industry code (at the panel's depth or below).
    fn industry(&self, code: &str) -> std::result::Result<usize, String> {
        let mut i = self
            .classification
            .get(code)
            .ok_or_else(|| format!("not an industry code of {}", self.classification.id))?;
        if i.level < self.depth {
            return Err(format!(
                "depth {}: coarser than the panel's depth {}",
                i.level, self.depth
            ));
        }
        while i.level > self.depth {
            i = i
                .parent
                .as_deref()
                .and_then(|p| self.classification.get(p))
                .ok_or_else(|| format!("{} has no parent at depth {}", i.code, self.depth))?;
        }
        self.industry_index
            .get(&i.code)
            .copied()
            .ok_or_else(|| format!("its ancestor {} is not at depth {}", i.code, self.depth))
    }
}

/// One thread's running table: by period, a dense region × industry table (periods are few:
/// found by a scan, the last one remembered).
struct Partial {
    by_period: Vec<(i32, Vec<Sums>)>,
    rows: u64,
    /// Region codes resolved in a period, kept across chunks and row groups.
    resolved: HashMap<(String, i32), usize>,
}

impl Partial {
    /// The table of `period`, created empty with `cells` cells.
    fn table(&mut self, period: i32, cells: usize) -> usize {
        match self.by_period.iter().position(|(p, _)| *p == period) {
            Some(k) => k,
            None => {
                self.by_period.push((period, vec![Sums::default(); cells]));
                self.by_period.len() - 1
            }
        }
    }
}

fn located(
    kind: ErrorKind,
    file: &Path,
    group: usize,
    column: &str,
    row: usize,
    message: String,
) -> crate::Error {
    DataError::file(
        kind,
        file.display().to_string(),
        format!(
            "row group {}, row {row}, column `{column}`: {message}",
            group + 1
        ),
    )
    .into()
}

fn add_block(
    t: &Targets,
    b: &Block,
    file: &Path,
    group: usize,
    partial: &mut Partial,
) -> Result<()> {
    let code_map = |codes: &[String],
                    column: &str,
                    kind: ErrorKind,
                    index: &[u32],
                    resolve: &dyn Fn(&str) -> std::result::Result<usize, String>|
     -> Result<Vec<usize>> {
        codes
            .iter()
            .enumerate()
            .map(|(k, c)| {
                resolve(c).map_err(|m| {
                    let row =
                        index.iter().position(|&x| x as usize == k).unwrap_or(0) + 1 + b.offset;
                    located(
                        kind,
                        file,
                        group,
                        column,
                        row,
                        format!("`{}`: {m}", crate::error::shown(c)),
                    )
                })
            })
            .collect()
    };
    // Region codes resolve in their period: each distinct (period, code) of the block once.
    // One pass finds the periods, each row's period index and the codes each period uses (a
    // code that only other periods use may be unknown in this one).
    let codes = b.regions.len();
    let mut periods: Vec<i32> = Vec::new();
    let mut period_of: Vec<u32> = Vec::with_capacity(b.len());
    let mut used: Vec<bool> = Vec::new();
    let mut last = (i32::MIN, 0u32);
    for r in 0..b.len() {
        let p = b.period[r];
        if p != last.0 {
            let k = match periods.iter().position(|&x| x == p) {
                Some(k) => k,
                None => {
                    periods.push(p);
                    used.resize(periods.len() * codes, false);
                    periods.len() - 1
                }
            };
            last = (p, k as u32);
        }
        period_of.push(last.1);
        used[last.1 as usize * codes + b.region[r] as usize] = true;
    }
    let mut regions_by_period: Vec<Vec<usize>> = Vec::with_capacity(periods.len());
    for (pk, &p) in periods.iter().enumerate() {
        let mut map = vec![usize::MAX; codes];
        for (k, code) in b
            .regions
            .iter()
            .enumerate()
            .filter(|(k, _)| used[pk * codes + *k])
        {
            if let Some(&hit) = partial.resolved.get(&(code.clone(), p)) {
                map[k] = hit;
                continue;
            }
            map[k] = t.region(code, p).map_err(|m| {
                let row = (0..b.len())
                    .find(|&r| b.period[r] == p && b.region[r] as usize == k)
                    .unwrap_or(0)
                    + 1
                    + b.offset;
                located(
                    ErrorKind::UnknownRegion,
                    file,
                    group,
                    "region",
                    row,
                    format!("`{}`: {m}", crate::error::shown(code)),
                )
            })?;
            partial.resolved.insert((code.clone(), p), map[k]);
        }
        regions_by_period.push(map);
    }
    let industries = code_map(
        &b.industries,
        "industry",
        ErrorKind::UnknownIndustry,
        &b.industry,
        &|c| t.industry(c),
    )?;
    let n_ind = t.industries.len();
    let cells = t.regions.len() * n_ind;
    let tables: Vec<usize> = periods.iter().map(|&p| partial.table(p, cells)).collect();
    for r in 0..b.len() {
        let (e, s) = (b.employees[r], b.sales[r]);
        if e < 0 {
            return Err(located(
                ErrorKind::Negative,
                file,
                group,
                "employees",
                b.offset + r + 1,
                format!("{e}: employees cannot be negative"),
            ));
        }
        if !s.is_finite() || s < 0.0 {
            return Err(located(
                ErrorKind::Negative,
                file,
                group,
                "sales",
                b.offset + r + 1,
                format!("{s}: expected a number ≥ 0"),
            ));
        }
        let k = period_of[r] as usize;
        let region = regions_by_period[k][b.region[r] as usize];
        let table = &mut partial.by_period[tables[k]].1;
        let cell = &mut table[region * n_ind + industries[b.industry[r] as usize]];
        cell.establishments += 1;
        cell.employees = cell.employees.checked_add(e).ok_or_else(|| {
            located(
                ErrorKind::NotNumeric,
                file,
                group,
                "employees",
                b.offset + r + 1,
                format!("{e}: the cell's total of employees overflows"),
            )
        })?;
        cell.sales += s;
    }
    partial.rows += b.len() as u64;
    Ok(())
}

/// Rows read and added at a time: the columns of a chunk stay in the core's cache.
const CHUNK: usize = 65_536;

/// Aggregates establishment rows to the region × industry × period panel, on every thread of
/// the budget; `progress` is told the rows read so far and the total.
pub fn aggregate(q: &AggregateRequest, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Aggregate> {
    let t = Targets::new(q)?;
    let files = micro::input_files(&q.input)?;
    let groups = micro::row_groups(&files)?;
    let total: u64 = groups.iter().map(|g| g.2 as u64).sum();
    let threads = regis_methods::parallel::thread_budget().clamp(1, groups.len().max(1));
    // Row group k goes to thread k mod threads: each thread adds the same row groups in the
    // same order at every run, so the sums are the same bits for a given thread budget.
    // The first failing row group: groups after it are skipped, groups before it all run,
    // so the error reported is the earliest one whatever the timing.
    let first_bad = AtomicUsize::new(usize::MAX);
    let read = AtomicUsize::new(0);
    let first_error: Mutex<Option<(usize, crate::Error)>> = Mutex::new(None);
    let partials: Vec<Partial> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let (groups, first_bad, read, first_error, t) =
                    (&groups, &first_bad, &read, &first_error, &t);
                s.spawn(move || {
                    let mut partial = Partial {
                        by_period: Vec::new(),
                        rows: 0,
                        resolved: HashMap::new(),
                    };
                    for k in (thread..groups.len()).step_by(threads) {
                        if k > first_bad.load(Ordering::Acquire) {
                            break;
                        }
                        let (file, group, rows) = &groups[k];
                        let done = micro::for_each_chunk(file, *group, CHUNK, |b| {
                            add_block(t, b, file, *group, &mut partial).map_err(|e| match e {
                                crate::Error::Data(d) => d,
                                other => DataError::argument(other.to_string()),
                            })
                        })
                        .map_err(crate::Error::from);
                        if let Err(e) = done {
                            let mut slot = first_error.lock().unwrap_or_else(|e| e.into_inner());
                            // The error of the earliest row group, whatever thread found it.
                            if slot.as_ref().is_none_or(|(at, _)| k < *at) {
                                *slot = Some((k, e));
                            }
                            first_bad.fetch_min(k, Ordering::AcqRel);
                            break;
                        }
                        let so_far = read.fetch_add(*rows, Ordering::AcqRel) + rows;
                        progress(so_far as u64, total);
                    }
                    partial
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an aggregation thread panicked"))
            .collect()
    });
    if let Some((_, e)) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let n_ind = t.industries.len();
    let mut merged: std::collections::BTreeMap<i32, Vec<Sums>> = Default::default();
    let mut rows_read = 0;
    for p in partials {
        rows_read += p.rows;
        for (period, table) in p.by_period {
            let into = merged
                .entry(period)
                .or_insert_with(|| vec![Sums::default(); table.len()]);
            for (a, b) in into.iter_mut().zip(&table) {
                a.establishments += b.establishments;
                a.employees += b.employees;
                a.sales += b.sales;
            }
        }
    }
    let mut rows = Vec::new();
    for (ri, region) in t.regions.iter().enumerate() {
        for (ii, industry) in t.industries.iter().enumerate() {
            for (period, table) in &merged {
                let c = table[ri * n_ind + ii];
                if c.establishments > 0 {
                    rows.push(PanelRow {
                        region: region.clone(),
                        industry: industry.clone(),
                        period: *period,
                        establishments: c.establishments,
                        employees: c.employees,
                        sales: c.sales,
                    });
                }
            }
        }
    }
    Ok(Aggregate {
        rows_read,
        files: files.len(),
        row_groups: groups.len(),
        rows,
    })
}
