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
use serde::Serialize;
use std::path::PathBuf;

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

/// Aggregates establishment rows to the region × industry × period panel, on every thread of
/// the budget; `progress` is told the rows read so far and the total.
pub fn aggregate(q: &AggregateRequest, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Aggregate> {
    crate::micro_embedded::aggregate(q, progress)
}
