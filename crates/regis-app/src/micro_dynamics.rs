//! Entry and exit of establishments between consecutive periods (`regis micro dynamics`).
//!
//! An establishment is followed by its id. Between two consecutive periods of the input
//! (p, q): present in q and not in p, it *entered* (counted in its cell of q); present in p
//! and not in q, it *exited* (counted in q, in its cell of p); present in both, it
//! *continued* (counted in its cell of q). So, over all cells, continuing + entries =
//! establishments of q and continuing + exits = establishments of p.
//!
//! The embedded engine spills one record per row (id, period, cell: 16 bytes) to bucket
//! files chosen by the id's hash, then sorts each bucket alone: memory is one bucket per
//! thread whatever the number of rows. The Spark engine answers with anti- and semi-joins of
//! the rows on (id, period rank) on the cluster.

use crate::micro::MicroRequest;
use crate::micro_duplicates::{key_hash, Spill};
use crate::micro_stats::{MicroStats, PeriodStats, Wanted};
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use serde::Serialize;

/// The record of one row: the id and (period, cell) packed in two words.
pub(crate) fn record(id: i64, period: i32, cell: u32) -> (usize, [u64; 2]) {
    let bucket = (key_hash(id, 0) >> 56) as usize;
    (
        bucket,
        [
            id as u64,
            (u64::from(period as u32) << 32) | u64::from(cell),
        ],
    )
}

/// The entries, exits and continuing establishments of one bucket's records, added into
/// `flows[k]` (k the period's place in `periods`) as (entries, exits, continuing) per cell.
pub(crate) fn count_bucket(periods: &[i32], flows: &mut [[Vec<u64>; 3]], words: &[u64]) {
    let mut rows: Vec<(i64, usize, u32)> = words
        .chunks_exact(2)
        .map(|w| {
            let period = (w[1] >> 32) as u32 as i32;
            // Every spilled period is a period of the statistics (both come from the rows).
            let k = periods.binary_search(&period).unwrap_or(0);
            (w[0] as i64, k, (w[1] & 0xFFFF_FFFF) as u32)
        })
        .collect();
    rows.sort_unstable();
    for (j, &(id, k, cell)) in rows.iter().enumerate() {
        let before = j > 0 && rows[j - 1].0 == id && rows[j - 1].1 + 1 == k;
        let after = j + 1 < rows.len() && rows[j + 1].0 == id && rows[j + 1].1 == k + 1;
        if k > 0 {
            let at = if before { 2 } else { 0 };
            flows[k][at][cell as usize] += 1;
        }
        if k + 1 < periods.len() && !after {
            flows[k + 1][1][cell as usize] += 1;
        }
    }
}

/// Counts the spilled records into `periods`' entries, exits and continuing.
pub(crate) fn count_spilled(
    spill: &Spill,
    periods: &mut [PeriodStats],
    threads: usize,
) -> Result<()> {
    let list: Vec<i32> = periods.iter().map(|p| p.period).collect();
    let cells = periods.first().map_or(0, |p| p.cells.len());
    let fresh = || -> Vec<[Vec<u64>; 3]> {
        (0..list.len())
            .map(|_| [vec![0; cells], vec![0; cells], vec![0; cells]])
            .collect()
    };
    let parts = spill.for_each_bucket(threads, fresh, |flows, words| {
        count_bucket(&list, flows, words)
    })?;
    for part in parts {
        for (p, [entries, exits, continuing]) in periods.iter_mut().zip(&part) {
            p.add_flows([entries, exits, continuing]);
        }
    }
    Ok(())
}

/// One cell between a period and the one before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicsRow {
    /// Region code (SGIS).
    pub region: String,
    /// Industry code.
    pub industry: String,
    /// The period (the later of the two).
    pub period: i32,
    /// The period before it in the input.
    pub previous_period: i32,
    /// Establishments in the cell in `period`.
    pub establishments: u64,
    /// Establishments in the cell in `previous_period`.
    pub previous_establishments: u64,
    /// New since `previous_period`.
    pub entries: u64,
    /// Gone since `previous_period` (counted in the cell they were in).
    pub exits: u64,
    /// Present in both periods (counted in their cell now).
    pub continuing: u64,
    /// entries / previous_establishments.
    pub entry_rate: Option<f64>,
    /// exits / previous_establishments.
    pub exit_rate: Option<f64>,
}

/// `regis micro dynamics`.
#[derive(Debug, Clone, Serialize)]
pub struct Dynamics {
    /// Rows read.
    pub rows_read: u64,
    /// The engine that computed the statistics.
    pub engine: String,
    /// By region, industry and period (from the second period; cells with no
    /// establishment in either period left out).
    pub rows: Vec<DynamicsRow>,
}

/// Entry, exit and continuing establishments per region × industry between consecutive
/// periods of the input. Establishments are followed by their id, so the duplicate check
/// always runs here (`--no-duplicate-check` does not apply).
pub fn dynamics(q: &MicroRequest, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Dynamics> {
    let checked = MicroRequest {
        check_duplicates: true,
        ..q.clone()
    };
    let s = crate::micro::stats(
        &checked,
        Wanted {
            dynamics: true,
            ..Wanted::default()
        },
        progress,
    )?;
    Ok(Dynamics {
        rows: dynamics_rows(&s),
        rows_read: s.rows_read,
        engine: s.engine,
    })
}

pub(crate) fn dynamics_rows(s: &MicroStats) -> Vec<DynamicsRow> {
    let mut rows = Vec::new();
    for (ri, region) in s.regions.iter().enumerate() {
        for (ii, industry) in s.industries.iter().enumerate() {
            let c = s.cell(ri, ii);
            for w in s.periods.windows(2) {
                let (before, now) = (&w[0], &w[1]);
                let (n0, n1) = (before.cells[c].establishments, now.cells[c].establishments);
                if n0 == 0 && n1 == 0 {
                    continue;
                }
                let rate = |v: u64| (n0 > 0).then(|| v as f64 / n0 as f64);
                rows.push(DynamicsRow {
                    region: region.clone(),
                    industry: industry.clone(),
                    period: now.period,
                    previous_period: before.period,
                    establishments: n1,
                    previous_establishments: n0,
                    entries: now.entries[c],
                    exits: now.exits[c],
                    continuing: now.continuing[c],
                    entry_rate: rate(now.entries[c]),
                    exit_rate: rate(now.exits[c]),
                });
            }
        }
    }
    rows
}

impl Tabular for Dynamics {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("region"),
            Column::text("industry"),
            Column::integer("period"),
            Column::integer("previous_period"),
            Column::integer("establishments"),
            Column::integer("previous_establishments"),
            Column::integer("entries"),
            Column::integer("exits"),
            Column::integer("continuing"),
            Column::rounded("entry_rate", "", 4),
            Column::rounded("exit_rate", "", 4),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::text(&r.region),
                Cell::text(&r.industry),
                Cell::int(r.period),
                Cell::int(r.previous_period),
                Cell::int(r.establishments as i64),
                Cell::int(r.previous_establishments as i64),
                Cell::int(r.entries as i64),
                Cell::int(r.exits as i64),
                Cell::int(r.continuing as i64),
                Cell::num(r.entry_rate),
                Cell::num(r.exit_rate),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "Entry and exit between consecutive periods, establishments followed by their id, \
             from {} rows ({} engine); an establishment that moved cell is continuing in its \
             new cell",
            self.rows_read, self.engine
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_exits_and_continuing_of_a_bucket() {
        // Periods 2019, 2020, 2021; cells 0 and 1.
        // id 1: 2019 (cell 0), 2020 (cell 1), 2021 (cell 1): continuing in 2020 and 2021.
        // id 2: 2019 only: exits in 2020 from cell 0.
        // id 3: 2020 only (cell 0): enters in 2020, exits in 2021.
        // id 4: 2019 and 2021 (a gap): exits in 2020, enters again in 2021.
        let periods = [2019, 2020, 2021];
        let mut words = Vec::new();
        for (id, p, cell) in [
            (1, 2021, 1),
            (1, 2019, 0),
            (2, 2019, 0),
            (3, 2020, 0),
            (1, 2020, 1),
            (4, 2019, 1),
            (4, 2021, 0),
        ] {
            words.extend(record(id, p, cell).1);
        }
        let mut flows: Vec<[Vec<u64>; 3]> = (0..3)
            .map(|_| [vec![0; 2], vec![0; 2], vec![0; 2]])
            .collect();
        count_bucket(&periods, &mut flows, &words);
        // [entries, exits, continuing] per cell.
        assert_eq!(flows[0], [vec![0, 0], vec![0, 0], vec![0, 0]]);
        assert_eq!(flows[1], [vec![1, 0], vec![1, 1], vec![0, 1]]);
        assert_eq!(flows[2], [vec![1, 0], vec![1, 0], vec![0, 1]]);
    }
}
