//! Establishment micro data: a seeded generator of synthetic establishments calibrated to the
//! built-in Korean data (`regis data generate-establishments`), and the embedded engine's
//! streaming aggregation to region × industry × period panels (`regis micro aggregate`).
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
use regis_core::{Level, Period};
use regis_data::korea;
use regis_data::micro::{self, Block};
use regis_data::{DataError, ErrorKind};
use regis_methods::random::Rng;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `regis data generate-establishments`.
#[derive(Debug, Clone)]
pub struct GenerateRequest {
    /// Rows (establishment × period) to write.
    pub rows: usize,
    /// Seed: the same seed and rows give the same file.
    pub seed: u64,
    /// Periods.
    pub periods: usize,
    /// First period.
    pub start_period: i32,
    /// The Parquet file to create (never overwritten).
    pub out: PathBuf,
}

/// What the generator wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The file.
    pub file: String,
    /// Rows.
    pub rows: usize,
    /// Distinct establishments.
    pub establishments: u64,
    /// Row groups.
    pub row_groups: usize,
    /// Periods.
    pub periods: Vec<i32>,
    /// Seed.
    pub seed: u64,
}

impl Tabular for Generated {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![Column::text("field"), Column::text("value")]);
        for (k, v) in [
            ("file", self.file.clone()),
            ("rows", self.rows.to_string()),
            ("establishments", self.establishments.to_string()),
            ("row_groups", self.row_groups.to_string()),
            (
                "periods",
                format!(
                    "{}-{}",
                    self.periods.first().unwrap_or(&0),
                    self.periods.last().unwrap_or(&0)
                ),
            ),
            ("seed", self.seed.to_string()),
        ] {
            t.push(vec![Cell::text(k), Cell::text(v)]);
        }
        t
    }

    fn note(&self) -> String {
        "SYNTHETIC establishments (not official data): districts weighted by the built-in 2020 \
         company counts, industries by each province's 2017 GVA mix (KOSIS GRDP activities; \
         the nation's where a province has none), log-normal sizes, 5-10% exits a year, \
         entrants in every period"
            .into()
    }
}

/// Establishments per row group of the generator.
const FIRMS_PER_GROUP: usize = 100_000;

/// The generator's calibration: (district code, industry code) cells with their weights, the
/// province of each district, and labour productivity by industry.
struct Calibration {
    districts: Vec<String>,
    industries: Vec<String>,
    /// Cumulative weight of cell `d · industries + i`.
    cumulative: Vec<f64>,
}

fn calibration() -> Result<Calibration> {
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS);
    let companies = korea::dataset("companies")?;
    let grdp = korea::dataset("grdp_nominal")?;
    let district_panel = &companies
        .panel_at(Level::DISTRICT)
        .ok_or_else(|| DataError::argument("no district company counts"))?
        .panel;
    let province_panel = &grdp
        .panel_at(Level::PROVINCE)
        .ok_or_else(|| DataError::argument("no provincial GRDP"))?
        .panel;
    let grdp_classification = korea::classification("kosis_grdp")
        .ok_or_else(|| DataError::argument("no KOSIS GRDP classification"))?;
    // The leaves under GVA: the activities an establishment belongs to.
    let industries: Vec<String> = grdp_classification
        .industries()
        .iter()
        .filter(|i| {
            grdp_classification.children(&i.code).is_empty()
                && !matches!(i.code.as_str(), "_T" | "TAX" | "GVA")
        })
        .map(|i| i.code.clone())
        .collect();
    let mut districts = Vec::new();
    let mut cumulative = Vec::new();
    let mut nation_mix: Option<Vec<f64>> = None;
    let mut total = 0.0;
    for &d in district_panel.regions() {
        let Some(count) = district_panel.get(d, "_T", Period(2020)) else {
            continue;
        };
        let Some(province) = cat.ancestor_at(d, Level::PROVINCE) else {
            continue;
        };
        let Some(code) = cat.code_in(d, sgis.unwrap_or(0), Some(2020)) else {
            continue;
        };
        let mix_of = |region| -> Vec<f64> {
            industries
                .iter()
                .map(|i| {
                    province_panel
                        .get(region, i, Period(2017))
                        .unwrap_or(0.0)
                        .max(0.0)
                })
                .collect()
        };
        // A province without an industry breakdown (Sejong's GRDP starts later) takes the
        // nation's mix.
        let mut mix = mix_of(province);
        if mix.iter().sum::<f64>() <= 0.0 {
            if let Some(nation) = cat.at_level(Level::NATION, None).first() {
                mix = nation_mix
                    .get_or_insert_with(|| {
                        grdp.panel_at(Level::NATION)
                            .map(|p| {
                                industries
                                    .iter()
                                    .map(|i| {
                                        p.panel
                                            .get(*nation, i, Period(2017))
                                            .unwrap_or(0.0)
                                            .max(0.0)
                                    })
                                    .collect()
                            })
                            .unwrap_or_default()
                    })
                    .clone();
            }
        }
        let sum: f64 = mix.iter().sum();
        if sum <= 0.0 || count <= 0.0 {
            continue;
        }
        districts.push(code.to_string());
        for m in mix {
            total += count * m / sum;
            cumulative.push(total);
        }
    }
    if districts.is_empty() {
        return Err(
            DataError::argument("the built-in data gave no district to calibrate on").into(),
        );
    }
    Ok(Calibration {
        districts,
        industries,
        cumulative,
    })
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Rng) -> f64 {
    let (u1, u2) = (rng.uniform().max(1e-300), rng.uniform());
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Sales per employee (million KRW a year) by the activity's first letter: an illustrative
/// scale, manufacturing and utilities above services.
fn productivity(industry: &str) -> f64 {
    match industry.chars().next() {
        Some('C') => 320.0,
        Some('D') | Some('B') => 600.0,
        Some('A') => 90.0,
        Some('G') | Some('K') | Some('J') => 250.0,
        _ => 130.0,
    }
}

/// The row group `group` of the generator: its establishments' lives over the periods, at
/// most `limit` rows. Depends only on (seed, group).
fn generated_group(c: &Calibration, q: &GenerateRequest, group: usize, limit: usize) -> Block {
    let mut rng = Rng::seeded(q.seed ^ (group as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let total = *c.cumulative.last().unwrap_or(&1.0);
    let n_ind = c.industries.len();
    let mut b = Block {
        regions: c.districts.clone(),
        industries: c.industries.clone(),
        ..Block::default()
    };
    for f in 0..FIRMS_PER_GROUP {
        if b.len() >= limit {
            break;
        }
        let id = (group * FIRMS_PER_GROUP + f) as i64 + 1;
        let u = rng.uniform() * total;
        let cell = c
            .cumulative
            .partition_point(|&w| w <= u)
            .min(c.cumulative.len() - 1);
        let (district, industry) = ((cell / n_ind) as u32, (cell % n_ind) as u32);
        // Incumbents at the start; entrants spread over the later periods.
        let birth = if rng.uniform() < 0.6 || q.periods == 1 {
            0
        } else {
            1 + rng.below(q.periods - 1)
        };
        // Heavy-tailed sizes: log-normal (median 3, a long right tail), at least 1.
        let mut size = (1.1 + 1.15 * normal(&mut rng)).exp().round().max(1.0);
        let scale = productivity(&c.industries[industry as usize]);
        for p in birth..q.periods {
            if b.len() >= limit {
                break;
            }
            b.id.push(id);
            b.period.push(q.start_period + p as i32);
            b.region.push(district);
            b.industry.push(industry);
            b.employees.push(size as i64);
            let sales = size * scale * (0.45 * normal(&mut rng)).exp();
            b.sales.push((sales * 100.0).round() / 100.0);
            // Exit (more likely when small), else grow or shrink a little.
            let exit = if size < 5.0 { 0.10 } else { 0.05 };
            if rng.uniform() < exit {
                break;
            }
            size = (size * (0.02 + 0.15 * normal(&mut rng)).exp())
                .round()
                .max(1.0);
        }
    }
    b
}

/// Writes `q.rows` synthetic establishment rows as Parquet. Row groups are generated on the
/// threads of the budget and written in order, so the file is the same for every budget.
pub fn generate(q: &GenerateRequest) -> Result<Generated> {
    if q.rows == 0 || q.periods == 0 || q.periods > 1000 {
        return Err(
            DataError::argument("--rows must be at least 1, --periods from 1 to 1000").into(),
        );
    }
    if !(1000..=9999 - q.periods as i32).contains(&q.start_period) {
        return Err(DataError::argument(
            "--start-period: a year from 1000, the last period before 10000",
        )
        .into());
    }
    if q.out.exists() {
        return Err(DataError::argument(format!(
            "{} exists; choose a new file (nothing is overwritten)",
            q.out.display()
        ))
        .into());
    }
    let c = calibration()?;
    // Written under a temporary name and renamed when complete: a run stopped half-way
    // leaves no file without its footer under the name asked for.
    let partial_file = q
        .out
        .with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial_file);
    let mut w = micro::Writer::create(&partial_file)?;
    let threads = regis_methods::parallel::thread_budget().max(1);
    let (mut written, mut group, mut groups, mut firms) = (0usize, 0usize, 0usize, 0u64);
    while written < q.rows {
        // A batch of groups generated in parallel, each capped by what is left.
        let left = q.rows - written;
        let batch: Vec<Block> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let c = &c;
                    s.spawn(move || generated_group(c, q, group + t, left))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a generator thread panicked"))
                .collect()
        });
        for b in batch {
            if written >= q.rows {
                break;
            }
            let mut b = b;
            let take = b.len().min(q.rows - written);
            if take < b.len() {
                for v in [&mut b.region, &mut b.industry] {
                    v.truncate(take);
                }
                b.id.truncate(take);
                b.period.truncate(take);
                b.employees.truncate(take);
                b.sales.truncate(take);
            }
            firms += b.id.iter().collect::<std::collections::HashSet<_>>().len() as u64;
            w.write(&b)?;
            written += take;
            groups += 1;
        }
        group += threads;
    }
    w.finish()?;
    std::fs::rename(&partial_file, &q.out)
        .map_err(|e| DataError::file(ErrorKind::Io, q.out.display().to_string(), e.to_string()))?;
    Ok(Generated {
        file: q.out.display().to_string(),
        rows: written,
        establishments: firms,
        row_groups: groups,
        periods: (0..q.periods as i32).map(|p| q.start_period + p).collect(),
        seed: q.seed,
    })
}

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
    let mut periods: Vec<i32> = Vec::new();
    let mut last = None;
    for &p in &b.period {
        if last != Some(p) && !periods.contains(&p) {
            periods.push(p);
        }
        last = Some(p);
    }
    let mut regions_by_period: Vec<Vec<usize>> = Vec::with_capacity(periods.len());
    for &p in &periods {
        // Only the codes rows of that period use (a code that other periods use only may be
        // unknown in this one).
        let mut used = vec![false; b.regions.len()];
        for r in 0..b.len() {
            if b.period[r] == p {
                used[b.region[r] as usize] = true;
            }
        }
        let mut map = vec![usize::MAX; b.regions.len()];
        for (k, code) in b.regions.iter().enumerate().filter(|(k, _)| used[*k]) {
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
    let mut last: (i32, usize) = (i32::MIN, 0);
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
        let p = b.period[r];
        if p != last.0 {
            last = (p, periods.iter().position(|&x| x == p).unwrap_or(0));
        }
        let k = last.1;
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
