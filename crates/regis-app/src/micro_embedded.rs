//! The embedded engine of the micro data: row groups streamed on every thread of the budget
//! into a dense region × industry table per period.

use crate::micro::MicroRequest;
use crate::micro_duplicates::Spill;
use crate::micro_dynamics::record;
use crate::micro_stats::{size_class, MicroStats, PeriodStats, Wanted, SIZE_CLASSES};
use crate::micro_targets::Targets;
use crate::Result;
use regis_data::micro::{self, Block, WEIGHT};
use regis_data::{DataError, ErrorKind};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One thread's running table: by period, a dense region × industry table (periods are few).
struct Partial {
    by_period: Vec<PeriodStats>,
    /// The panel sums of every table's cells while rows are added, table `t`'s cells at
    /// `t * cells..(t + 1) * cells`: half the bytes of a table's cells, so more of them stay
    /// in the core's cache. Moved into `by_period` by [`Partial::finish`].
    sums: Vec<Sums>,
    /// With sampling weights, beside `sums`: Σ w, Σ w·employees, Σ w·sales.
    weighted: Option<Vec<[f64; 3]>>,
    wanted: Wanted,
    rows: u64,
    /// Region codes resolved in a period, kept across chunks and row groups.
    resolved: HashMap<(String, i32), usize>,
    /// The row group being read: its codes resolved.
    group: GroupCodes,
    /// The block's (id, period, cell) per row, when the dynamics are wanted.
    row_cells: Vec<(i64, i32, u32)>,
}

/// A cell's panel sums while rows are added.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    establishments: u64,
    employees: i64,
    sales: f64,
}

impl Partial {
    /// Moves the running sums into the period tables.
    fn finish(&mut self) {
        let cells = self.by_period.first().map_or(0, |t| t.cells.len());
        for (t, table) in self.by_period.iter_mut().enumerate() {
            for (cell, sums) in table.cells.iter_mut().zip(&self.sums[t * cells..]) {
                cell.establishments = sums.establishments;
                cell.employees = sums.employees;
                cell.sales = sums.sales;
            }
            if let Some(weighted) = &self.weighted {
                for (cell, w) in table.cells.iter_mut().zip(&weighted[t * cells..]) {
                    (cell.weights, cell.weighted_employees, cell.weighted_sales) =
                        (w[0], w[1], w[2]);
                }
            }
        }
        self.sums = Vec::new();
        self.weighted = None;
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

/// Marks a code, or a period's table, not resolved yet.
const UNSET: u32 = u32::MAX;

/// What a thread knows of the row group it reads (the block's code and period lists only
/// grow within a row group): each code resolved once, at the first row that uses it.
#[derive(Default)]
struct GroupCodes {
    /// The target region of (period index, region code): `region_of[period * regions + code]`.
    region_of: Vec<u32>,
    /// The layout's dimensions.
    regions: usize,
    periods: usize,
    /// The target industry of an industry code.
    industry_of: Vec<u32>,
    /// Period index → the partial's table of that period.
    table_of: Vec<u32>,
    /// Each row's place in the partial's running sums: its period's table × cells + its
    /// cell (reused from block to block).
    cells: Vec<u32>,
}

impl GroupCodes {
    /// Widens the lookups to the block's code and period lists, keeping what is resolved.
    fn grow(&mut self, b: &Block) {
        let (regions, periods) = (b.regions.len(), b.periods.len());
        if regions != self.regions || periods != self.periods {
            let mut grown = vec![UNSET; regions * periods];
            for p in 0..self.periods {
                for c in 0..self.regions {
                    grown[p * regions + c] = self.region_of[p * self.regions + c];
                }
            }
            (self.region_of, self.regions, self.periods) = (grown, regions, periods);
        }
        self.industry_of.resize(b.industries.len(), UNSET);
        self.table_of.resize(periods, UNSET);
    }
}

fn add_block(
    t: &Targets,
    b: &Block,
    file: &Path,
    group: usize,
    partial: &mut Partial,
) -> Result<()> {
    let n_ind = t.industries.len();
    let n_reg = t.regions.len();
    let rows = b.len();
    let row_of = |r: usize| b.offset + r + 1;
    // The numbers first, in one pass each the compiler can vectorise: an error is then
    // located by a second look.
    if b.employees.iter().fold(false, |bad, &e| bad | (e < 0)) {
        let r = b.employees.iter().position(|&e| e < 0).unwrap_or(0);
        return Err(located(
            ErrorKind::Negative,
            file,
            group,
            "employees",
            row_of(r),
            format!("{}: employees cannot be negative", b.employees[r]),
        ));
    }
    // `x < ∞` is false for NaN and for +∞; `&` rather than `&&` keeps the pass branch-free.
    #[allow(clippy::manual_range_contains)]
    let usable = |x: f64| (x >= 0.0) & (x < f64::INFINITY);
    let check = |values: &[f64], column: &str, expected: &str| -> Result<()> {
        if values.iter().fold(true, |ok, &x| ok & usable(x)) {
            return Ok(());
        }
        let r = values.iter().position(|&x| !usable(x)).unwrap_or(0);
        Err(located(
            ErrorKind::Negative,
            file,
            group,
            column,
            row_of(r),
            format!("{}: expected {expected}", values[r]),
        ))
    };
    check(&b.sales, "sales", "a number ≥ 0")?;
    // Every file of a weighted input has the column (checked before the scan).
    if partial.weighted.is_some() {
        check(&b.weight, WEIGHT, "a weight (a number ≥ 0)")?;
    }
    // Each row's cell. Region codes resolve in their period; a code or period resolved
    // earlier in the row group (or, for regions, in an earlier row group) is not looked up
    // again. Dictionary codes no row uses are never resolved (the Spark engine never sees
    // them).
    let cells = n_reg * n_ind;
    let Partial {
        by_period,
        sums,
        weighted,
        wanted,
        resolved,
        group: g,
        ..
    } = partial;
    g.grow(b);
    g.cells.clear();
    for r in 0..rows {
        let pk = b.period_index[r] as usize;
        let rc = b.region[r] as usize;
        let at = pk * g.regions + rc;
        let mut region = g.region_of[at];
        if region == UNSET {
            let (code, p) = (&b.regions[rc], b.periods[pk]);
            let hit = match resolved.get(&(code.clone(), p)) {
                Some(&hit) => hit,
                None => {
                    let hit = t.region(code, p).map_err(|m| {
                        located(
                            ErrorKind::UnknownRegion,
                            file,
                            group,
                            "region",
                            row_of(r),
                            format!("`{}`: {m}", crate::error::shown(code)),
                        )
                    })?;
                    resolved.insert((code.clone(), p), hit);
                    hit
                }
            };
            region = hit as u32;
            g.region_of[at] = region;
        }
        let ic = b.industry[r] as usize;
        let mut industry = g.industry_of[ic];
        if industry == UNSET {
            let code = &b.industries[ic];
            industry = t.industry(code).map_err(|m| {
                located(
                    ErrorKind::UnknownIndustry,
                    file,
                    group,
                    "industry",
                    row_of(r),
                    format!("`{}`: {m}", crate::error::shown(code)),
                )
            })? as u32;
            g.industry_of[ic] = industry;
        }
        if g.table_of[pk] == UNSET {
            let p = b.periods[pk];
            g.table_of[pk] = match by_period.iter().position(|x| x.period == p) {
                Some(k) => k,
                None => {
                    if (by_period.len() + 1) * cells > u32::MAX as usize {
                        return Err(DataError::argument(format!(
                            "{} periods of {cells} region × industry cells: more cells than \
                             one run holds; choose a coarser level or industry depth",
                            by_period.len() + 1
                        ))
                        .into());
                    }
                    by_period.push(PeriodStats::new(p, n_reg, n_ind, *wanted));
                    sums.resize(by_period.len() * cells, Sums::default());
                    if let Some(w) = weighted.as_mut() {
                        w.resize(by_period.len() * cells, [0.0; 3]);
                    }
                    by_period.len() - 1
                }
            } as u32;
        }
        g.cells
            .push(g.table_of[pk] * cells as u32 + region * n_ind as u32 + industry);
    }
    // The sums, one row at a time into its period's table.
    for r in 0..rows {
        let cell = &mut sums[g.cells[r] as usize];
        let e = b.employees[r];
        cell.establishments += 1;
        cell.employees = match cell.employees.checked_add(e) {
            Some(sum) => sum,
            None => return Err(overflow(file, group, row_of(r), e)),
        };
        cell.sales += b.sales[r];
    }
    if let Some(w) = weighted.as_mut() {
        for r in 0..rows {
            let (weight, cell) = (b.weight[r], &mut w[g.cells[r] as usize]);
            cell[0] += weight;
            cell[1] += weight * b.employees[r] as f64;
            cell[2] += weight * b.sales[r];
        }
    }
    // What only some reports need, in passes of their own.
    if wanted.squares {
        for r in 0..rows {
            let slot = g.cells[r] as usize;
            let e = i128::from(b.employees[r]);
            by_period[slot / cells].cells[slot % cells].employees_squared += e * e;
        }
    }
    if wanted.sizes {
        for r in 0..rows {
            let slot = g.cells[r] as usize;
            let table = &mut by_period[slot / cells];
            let (e, cell) = (b.employees[r], slot % cells);
            let c = size_class(e);
            for at in [
                &mut table.sizes_by_region[cell / n_ind * SIZE_CLASSES + c],
                &mut table.sizes_by_industry[cell % n_ind * SIZE_CLASSES + c],
            ] {
                at.establishments += 1;
                at.employees = match at.employees.checked_add(e) {
                    Some(sum) => sum,
                    None => return Err(overflow(file, group, row_of(r), e)),
                };
            }
        }
    }
    if wanted.dynamics {
        partial.row_cells.extend((0..rows).map(|r| {
            let cell = partial.group.cells[r] as usize % cells;
            (b.id[r], b.period[r], cell as u32)
        }));
    }
    partial.rows += rows as u64;
    Ok(())
}

/// A cell's total of employees past a 64-bit integer, located at the row that passed it.
fn overflow(file: &Path, group: usize, row: usize, e: i64) -> crate::Error {
    located(
        ErrorKind::NotNumeric,
        file,
        group,
        "employees",
        row,
        format!("{e}: the cell's total of employees overflows"),
    )
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
    // Sampling weights: every input file has them, or none.
    let mut weighted = None;
    for f in &files {
        let has = micro::has_weights(f)?;
        match weighted {
            None => weighted = Some((has, f)),
            Some((all, first)) if all != has => {
                let (with, without) = if has { (f, first) } else { (first, f) };
                return Err(DataError::file(
                    ErrorKind::MissingColumn,
                    without.display().to_string(),
                    format!(
                        "no `{WEIGHT}` column, which {} has; every input file needs sampling \
                         weights, or none",
                        with.display()
                    ),
                )
                .into());
            }
            _ => {}
        }
    }
    let weighted = weighted.is_some_and(|(w, _)| w);
    if weighted && wanted != Wanted::default() {
        return Err(crate::micro_stats::weighted_rows_refused());
    }
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
    // The establishment id serves only the duplicate check and the dynamics.
    let ids = spill.is_some() || flows.is_some();
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
                        sums: Vec::new(),
                        weighted: weighted.then(Vec::new),
                        wanted,
                        rows: 0,
                        resolved: HashMap::new(),
                        group: GroupCodes::default(),
                        row_cells: Vec::new(),
                    };
                    for k in (thread..groups.len()).step_by(threads) {
                        if k > first_bad.load(Ordering::Acquire) {
                            break;
                        }
                        let (file, group, rows) = &groups[k];
                        partial.group = GroupCodes::default();
                        let done = micro::for_each_chunk(file, *group, CHUNK, ids, |b| {
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
                    partial.finish();
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
        engine: crate::micro::Engine::Embedded.shown(),
        weighted,
    })
}
