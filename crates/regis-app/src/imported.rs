//! What `regis data import|check` read from a user's file: the measure, the layout, rows and
//! cells read, filtered out and missing, the regions, industries and periods, the unit named
//! in the file and notes, with what happened to it (stored, or checked only).

use regis_data::export::measure_json;
use regis_data::import::{ImportReport, Imported};
use serde::Serialize;

use crate::table::{Cell, Column, Table, Tabular};

/// The summary of an import or a check.
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    /// What happened (`stored as ...`, `valid; nothing was stored`).
    pub status: Option<String>,
    /// The measure read.
    pub measure: serde_json::Value,
    /// The layout recognised (long, wide...).
    pub layout: &'static str,
    /// Rows read.
    pub rows_read: usize,
    /// Rows left out by the filters.
    pub rows_filtered_out: usize,
    /// Cells read.
    pub cells: usize,
    /// Cells without a value.
    pub missing_cells: usize,
    /// Regions.
    pub regions: usize,
    /// Industries.
    pub industries: usize,
    /// Periods.
    pub periods: Vec<i32>,
    /// The unit the file names, if any.
    pub unit_in_file: Option<String>,
    /// Notes on what was read.
    pub notes: Vec<String>,
}

impl ImportSummary {
    /// The summary of `rep`.
    pub fn of(rep: &ImportReport, status: Option<&str>) -> ImportSummary {
        let (measure, regions, industries, periods) = match &rep.data {
            Imported::Panel(p) => (
                &p.measure,
                p.regions().len(),
                p.industries().len(),
                p.periods().to_vec(),
            ),
            Imported::Flows(f) => (&f.measure, f.regions().len(), 1, f.periods().to_vec()),
        };
        ImportSummary {
            status: status.map(String::from),
            measure: measure_json(measure),
            layout: rep.layout,
            rows_read: rep.rows,
            rows_filtered_out: rep.filtered_out,
            cells: rep.cells,
            missing_cells: rep.missing,
            regions,
            industries,
            periods: periods.iter().map(|p| p.0).collect(),
            unit_in_file: rep.unit.clone(),
            notes: rep.notes.clone(),
        }
    }
}

impl Tabular for ImportSummary {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![Column::text("item"), Column::text("value")]);
        let range = match (self.periods.first(), self.periods.last()) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => String::new(),
        };
        for (item, value) in [
            (
                "measure",
                self.measure["id"].as_str().unwrap_or("").to_string(),
            ),
            ("layout", self.layout.to_string()),
            ("rows read", self.rows_read.to_string()),
            ("rows filtered out", self.rows_filtered_out.to_string()),
            ("cells", self.cells.to_string()),
            ("missing cells", self.missing_cells.to_string()),
            ("regions", self.regions.to_string()),
            ("industries", self.industries.to_string()),
            ("periods", range),
            (
                "unit in file",
                self.unit_in_file.clone().unwrap_or_default(),
            ),
            ("notes", self.notes.join("; ")),
            ("status", self.status.clone().unwrap_or_default()),
        ] {
            t.push(vec![Cell::text(item), Cell::text(value)]);
        }
        t
    }
}
