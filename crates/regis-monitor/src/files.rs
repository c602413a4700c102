//! Project and KPI-report files (XLSX, CSV or JSON in the template's columns) read under budgets
//! and stored in one transaction, or not at all: every problem is listed by row and field. The
//! dashboard's import page and `regis monitor import` both call [`import_upload`], so they
//! accept and refuse the same files.

use regis_data::budget::Budgets;

use crate::exchange::{self, NumberedRow, RowError, KPI_COLUMNS, PROJECT_COLUMNS};
use crate::{Actor, MonitorError, Store};

/// What an upload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Projects (`PROJECT_COLUMNS`).
    Projects,
    /// KPI reports (`KPI_COLUMNS`).
    Kpi,
}

impl ImportKind {
    /// `projects` or `kpi`.
    pub fn parse(s: &str) -> Option<ImportKind> {
        match s {
            "projects" => Some(ImportKind::Projects),
            "kpi" => Some(ImportKind::Kpi),
            _ => None,
        }
    }

    /// The template's columns.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Projects => &PROJECT_COLUMNS,
            ImportKind::Kpi => &KPI_COLUMNS,
        }
    }

    /// `projects` or `kpi`: the template's sheet and file name.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Projects => "projects",
            ImportKind::Kpi => "kpi",
        }
    }
}

/// The example row of a template (`regis monitor template`), one cell per column.
///
/// ```
/// use regis_monitor::files::{example_row, ImportKind};
/// for kind in [ImportKind::Projects, ImportKind::Kpi] {
///     assert_eq!(example_row(kind).len(), kind.columns().len());
/// }
/// ```
pub fn example_row(kind: ImportKind) -> Vec<String> {
    let cells: &[&str] = match kind {
        ImportKind::Projects => &[
            "1",
            "울산 수소 모빌리티 실증 (example)",
            "수소 연료전지 부품 실증과 기업 지원",
            "26",
            "C",
            "울산테크노파크",
            "2025",
            "2027",
            "draft",
            "21;38",
            "support_organisation",
            "울산 소재 대학 (example)|university|26;부산 수소 부품 기업 (example)|firm|21",
        ],
        ImportKind::Kpi => &["1", "2025", "120", "95", ""],
    };
    cells.iter().map(|c| c.to_string()).collect()
}

/// A template file of `kind` holding `rows`, as `xlsx`, `csv` or `json` (the formats an upload
/// accepts); the dashboard's template download and `regis monitor template|export` both use it.
pub fn template_file(
    kind: ImportKind,
    format: &str,
    rows: &[Vec<String>],
) -> Result<Vec<u8>, regis_data::DataError> {
    let cols = kind.columns();
    match format {
        "csv" => regis_data::export::csv_table(cols, rows),
        "json" => serde_json::to_vec_pretty(&exchange::json_rows(cols, rows))
            .map_err(|e| regis_data::DataError::argument(e.to_string())),
        "xlsx" => regis_data::export::workbook(&[(
            kind.name().to_string(),
            cols.iter().map(|c| c.to_string()).collect(),
            rows.to_vec(),
        )]),
        other => Err(regis_data::DataError::argument(format!(
            "unknown format `{other}`; expected xlsx, csv or json"
        ))),
    }
}

/// Why an upload was not imported.
#[derive(Debug)]
pub enum UploadError {
    /// Problems in the file, by row and field.
    Rows(Vec<RowError>),
    /// The store refused (permission, conflict): the error and, for a batch item, the file
    /// row it came from.
    Refused {
        /// File row of the refused item, if the refusal concerns one.
        row: Option<usize>,
        /// What the store said.
        error: MonitorError,
    },
}

fn file_problem(message: String) -> UploadError {
    UploadError::Rows(vec![RowError {
        row: 0,
        field: "-".into(),
        message,
    }])
}

/// Reads an uploaded file (by its name's extension: .json, else an XLSX or CSV table) into a
/// header, numbered rows and the header's row number.
/// Untrusted files are read under `budgets` (the server passes [`Budgets::upload`]).
pub fn read_upload(
    bytes: &[u8],
    name: &str,
    kind: ImportKind,
    budgets: &Budgets,
) -> Result<(Vec<String>, Vec<NumberedRow>, usize), UploadError> {
    if name.to_ascii_lowercase().ends_with(".json") {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| file_problem(format!("not UTF-8 text at byte {}", e.valid_up_to())))?;
        budgets
            .check_json_depth(text, name)
            .map_err(|e| file_problem(e.to_string()))?;
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            file_problem(format!(
                "line {}, column {}: not JSON: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let (h, r) = exchange::json_table(&value, kind.columns()).map_err(UploadError::Rows)?;
        return Ok((h, r, 0));
    }
    // Parquet is for trusted bulk files (the CLI): its reader allocates pages by the sizes a
    // file declares, so uploads take only the template's formats.
    if regis_data::table::Format::sniff(bytes) == regis_data::table::Format::Parquet {
        return Err(file_problem(
            "Parquet files are not accepted here: upload the template as XLSX, CSV or JSON".into(),
        ));
    }
    let opts = regis_data::table::ReadOptions {
        budgets: *budgets,
        ..Default::default()
    };
    let t = regis_data::table::Table::from_bytes(bytes, name, &opts)
        .map_err(|e| file_problem(e.to_string()))?;
    let header_row = t
        .rows
        .first()
        .map(|r| r.line.saturating_sub(1))
        .unwrap_or(1)
        .max(1);
    let rows = t.rows.into_iter().map(|r| (r.line, r.cells)).collect();
    Ok((t.header, rows, header_row))
}

/// Checks and stores an upload; returns how many records were stored. Nothing is stored when
/// anything is wrong.
pub fn import_upload(
    store: &dyn Store,
    actor: &Actor,
    kind: ImportKind,
    bytes: &[u8],
    name: &str,
    budgets: &Budgets,
) -> Result<usize, UploadError> {
    let (header, rows, header_row) = read_upload(bytes, name, kind, budgets)?;
    if rows.is_empty() {
        return Err(UploadError::Rows(vec![RowError {
            row: header_row,
            field: "-".into(),
            message: "no data rows below the header".into(),
        }]));
    }
    // A store refusal of batch item i names the file row it came from.
    let at = |e: MonitorError, lines: &[usize]| match &e {
        MonitorError::AtRow { index, .. } => match e.innermost() {
            MonitorError::Invalid { .. } => {
                UploadError::Rows(vec![exchange::row_error(lines[*index], e.clone())])
            }
            inner => UploadError::Refused {
                row: Some(lines[*index]),
                error: inner.clone(),
            },
        },
        _ => UploadError::Refused {
            row: None,
            error: e,
        },
    };
    match kind {
        ImportKind::Projects => {
            let parsed =
                exchange::parse_projects(&header, &rows, header_row).map_err(UploadError::Rows)?;
            let lines: Vec<usize> = parsed.iter().map(|p| p.0).collect();
            let inputs: Vec<_> = parsed.into_iter().map(|p| p.1).collect();
            Ok(store
                .import_projects(actor, &inputs)
                .map_err(|e| at(e, &lines))?
                .len())
        }
        ImportKind::Kpi => {
            let parsed =
                exchange::parse_kpi(&header, &rows, header_row).map_err(UploadError::Rows)?;
            let lines: Vec<usize> = parsed.iter().map(|p| p.0).collect();
            let inputs: Vec<_> = parsed.into_iter().map(|p| p.1).collect();
            Ok(store
                .import_values(actor, &inputs)
                .map_err(|e| at(e, &lines))?
                .len())
        }
    }
}
