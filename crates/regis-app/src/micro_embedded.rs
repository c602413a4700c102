//! The embedded engine of the micro data: row groups streamed on every thread of the budget
//! into a dense region × industry table per period.

use crate::micro::MicroRequest;
use crate::micro_duplicates::Spill;
use crate::micro_dynamics::record;
use crate::micro_stats::{size_class, MicroStats, PeriodStats, Wanted, SIZE_CLASSES};
use crate::micro_targets::Targets;
use crate::Result;
use regis_data::micro::{self, Block};
use regis_data::{DataError, ErrorKind};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One thread's running table: by period, a dense region × industry table (periods are few:
/// found by a scan, the last one remembered).
struct Partial {
    by_period: Vec<PeriodStats>,
    wanted: Wanted,
    rows: u64,
    /// Region codes resolved in a period, kept across chunks and row groups.
    resolved: HashMap<(String, i32), usize>,
    /// The block's (id, period, cell) per row, when the dynamics are wanted.
    row_cells: Vec<(i64, i32, u32)>,
}

impl Partial {
    /// The table of `period`, created empty with `cells` cells.
    fn table(&mut self, period: i32, regions: usize, industries: usize) -> usize {
        match self.by_period.iter().position(|p| p.period == period) {
            Some(k) => k,
            None => {
                self.by_period
                    .push(PeriodStats::new(period, regions, industries, self.wanted));
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
    // A CSV file's rows are lines after its header; a Parquet file's are in row groups.
    let at = if micro::is_csv(file) {
        format!("line {}", row + 1)
    } else {
        format!("row group {}, row {row}", group + 1)
    };
    DataError::file(
        kind,
        file.display().to_string(),
        format!("{at}, column `{column}`: {message}"),
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
        // Only the codes a row of the block uses: a Parquet dictionary may hold codes no row
        // has (a categorical column's unused categories), which the Spark engine never sees.
        let mut used = vec![false; codes.len()];
        for &x in index {
            used[x as usize] = true;
        }
        codes
            .iter()
            .enumerate()
            .map(|(k, c)| {
                if !used[k] {
                    return Ok(usize::MAX);
                }
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
    let n_reg = t.regions.len();
    let tables: Vec<usize> = periods
        .iter()
        .map(|&p| partial.table(p, n_reg, n_ind))
        .collect();
    let wanted = partial.wanted;
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
        let industry = industries[b.industry[r] as usize];
        let table = &mut partial.by_period[tables[k]];
        let cell = &mut table.cells[region * n_ind + industry];
        cell.establishments += 1;
        let overflow = || {
            located(
                ErrorKind::NotNumeric,
                file,
                group,
                "employees",
                b.offset + r + 1,
                format!("{e}: the cell's total of employees overflows"),
            )
        };
        cell.employees = cell.employees.checked_add(e).ok_or_else(overflow)?;
        cell.sales += s;
        if wanted.dynamics {
            partial
                .row_cells
                .push((b.id[r], b.period[r], (region * n_ind + industry) as u32));
        }
        if wanted.squares {
            cell.employees_squared += i128::from(e) * i128::from(e);
        }
        if wanted.sizes {
            let c = size_class(e);
            for at in [
                &mut table.sizes_by_region[region * SIZE_CLASSES + c],
                &mut table.sizes_by_industry[industry * SIZE_CLASSES + c],
            ] {
                at.establishments += 1;
                at.employees = at.employees.checked_add(e).ok_or_else(overflow)?;
            }
        }
    }
    partial.rows += b.len() as u64;
    Ok(())
}

/// Rows read and added at a time: the columns of a chunk stay in the core's cache.
const CHUNK: usize = 65_536;

/// The sufficient statistics of the micro data of `q`, computed on every thread of the
/// budget; `progress` is told the rows read so far and the total.
pub(crate) fn stats(
    q: &MicroRequest,
    wanted: Wanted,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<MicroStats> {
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
    // The (establishment, period) keys' hashes, spilled for the duplicate check.
    let spill = if q.check_duplicates {
        Some(Spill::create(1)?)
    } else {
        None
    };
    // Each row's (id, period, cell), spilled by id for the entry and exit counts.
    let flows = if wanted.dynamics {
        Some(Spill::create(2)?)
    } else {
        None
    };
    let partials: Vec<Partial> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let (groups, first_bad, read, first_error, t, spill, flows) =
                    (&groups, &first_bad, &read, &first_error, &t, &spill, &flows);
                s.spawn(move || {
                    let mut keys = spill.as_ref().map(Spill::buffer);
                    let mut records = flows.as_ref().map(Spill::buffer);
                    let mut partial = Partial {
                        by_period: Vec::new(),
                        wanted,
                        rows: 0,
                        resolved: HashMap::new(),
                        row_cells: Vec::new(),
                    };
                    for k in (thread..groups.len()).step_by(threads) {
                        if k > first_bad.load(Ordering::Acquire) {
                            break;
                        }
                        let (file, group, rows) = &groups[k];
                        let done = micro::for_each_chunk(file, *group, CHUNK, |b| {
                            add_block(t, b, file, *group, &mut partial)
                                .and_then(|()| match keys.as_mut() {
                                    Some(k) => k.add(&b.id, &b.period),
                                    None => Ok(()),
                                })
                                .and_then(|()| {
                                    for (id, p, cell) in partial.row_cells.drain(..) {
                                        if let Some(r) = records.as_mut() {
                                            let (bucket, words) = record(id, p, cell);
                                            r.push(bucket, &words)?;
                                        }
                                    }
                                    Ok(())
                                })
                                .map_err(|e| match e {
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
                    for done in [keys.map(|k| k.finish()), records.map(|r| r.finish())] {
                        if let Some(Err(e)) = done {
                            let mut slot = first_error.lock().unwrap_or_else(|e| e.into_inner());
                            slot.get_or_insert((usize::MAX, e));
                        }
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
    if let Some(spill) = spill {
        let candidates = spill.repeated(threads)?;
        if !candidates.is_empty() {
            crate::micro_duplicates::locate(&groups, &candidates)?;
        }
    }
    let mut merged: std::collections::BTreeMap<i32, PeriodStats> = Default::default();
    let mut rows_read = 0;
    for p in partials {
        rows_read += p.rows;
        for table in p.by_period {
            match merged.get_mut(&table.period) {
                Some(into) => into.merge(&table).ok_or_else(|| {
                    crate::Error::from(DataError::argument(format!(
                        "period {}: a cell's total of employees overflows a 64-bit integer",
                        table.period
                    )))
                })?,
                None => {
                    merged.insert(table.period, table);
                }
            }
        }
    }
    let mut periods: Vec<PeriodStats> = merged.into_values().collect();
    if let Some(flows) = &flows {
        crate::micro_dynamics::count_spilled(flows, &mut periods, threads)?;
    }
    Ok(MicroStats {
        regions: t.regions,
        industries: t.industries,
        periods,
        rows_read,
        files: files.len(),
        row_groups: groups.len(),
        engine: "embedded".to_string(),
    })
}
