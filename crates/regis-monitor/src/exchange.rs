//! Import and export of projects and KPI reports as plain tables (the columns of the XLSX, CSV
//! and JSON templates): parsing every row into typed input, collecting every error with its row
//! and field, so a file is either taken whole or refused whole with a list of what to fix.
//! No file I/O here; the CLI and server read and write the files.

use crate::model::{IndicatorValue, OrganisationType, Partner, Project, ProjectInput, Status};
use crate::rules::{check_project, check_value, status_id};
use crate::MonitorError;

/// A row of cells with its row number in the file.
pub type NumberedRow = (usize, Vec<String>);

/// Columns of the projects template, in order. The last three may be left out:
/// `partner_regions`, the other regions of a cooperation project, separated by `;`;
/// `organisation_type`, the executing organisation's type (`firm`, `university`,
/// `research_institute`, `support_organisation`, `government`, `other`; empty is `other`);
/// `partners`, the partner organisations as `name|type|region`, separated by `;`.
pub const PROJECT_COLUMNS: [&str; 12] = [
    "programme_id",
    "title",
    "objective",
    "region",
    "industry",
    "organisation",
    "start_year",
    "end_year",
    "status",
    "partner_regions",
    "organisation_type",
    "partners",
];

/// Columns of the KPI report template, in order (`version`: the version read, empty when the
/// period's first value is reported).
pub const KPI_COLUMNS: [&str; 5] = ["indicator_id", "period", "target", "actual", "version"];

/// One KPI report row.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    /// Indicator.
    pub indicator_id: i64,
    /// Period (year).
    pub period: i32,
    /// Target.
    pub target: Option<f64>,
    /// Actual.
    pub actual: Option<f64>,
    /// Version read (None creates the period's record).
    pub version: Option<i64>,
}

/// A problem with one row (or the header, row 1) of an imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Row in the file (1-based line or spreadsheet row; JSON: 1-based element).
    pub row: usize,
    /// Column.
    pub field: String,
    /// What was expected.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, field `{}`: {}",
            self.row, self.field, self.message
        )
    }
}

/// Finds every required column; the header is row `header_row`.
fn columns(
    header: &[String],
    wanted: &[&str],
    optional: &[&str],
    header_row: usize,
) -> Result<Vec<Option<usize>>, Vec<RowError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for w in wanted {
        let k = header.iter().position(|h| h.trim() == *w);
        if k.is_none() && !optional.contains(w) {
            errors.push(RowError {
                row: header_row,
                field: w.to_string(),
                message: format!(
                    "missing column; the template's columns are {}",
                    wanted.join(", ")
                ),
            });
        }
        out.push(k);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

struct Cells<'a> {
    row: usize,
    cells: &'a [String],
    cols: &'a [Option<usize>],
    names: &'a [&'a str],
    errors: &'a mut Vec<RowError>,
}

impl Cells<'_> {
    fn text(&self, k: usize) -> &str {
        self.cols[k]
            .and_then(|c| self.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }
    fn fail(&mut self, k: usize, message: String) {
        self.errors.push(RowError {
            row: self.row,
            field: self.names[k].to_string(),
            message,
        });
    }
    fn required(&mut self, k: usize) -> String {
        let t = self.text(k).to_string();
        if t.is_empty() {
            self.fail(k, "required; the cell is empty".into());
        }
        t
    }
    fn integer<T: std::str::FromStr + Default>(&mut self, k: usize, what: &str) -> T {
        let t = self.text(k).to_string();
        // Spreadsheets store whole numbers as 2024 or 2024.0.
        let t = t.strip_suffix(".0").unwrap_or(&t).to_string();
        match t.parse::<T>() {
            Ok(v) => v,
            Err(_) => {
                self.fail(k, format!("`{t}` is not {what}"));
                T::default()
            }
        }
    }
    fn optional_integer(&mut self, k: usize) -> Option<i64> {
        if self.text(k).is_empty() {
            None
        } else {
            Some(self.integer(k, "a whole number"))
        }
    }
    fn optional_number(&mut self, k: usize) -> Option<f64> {
        let t = self.text(k).replace(',', "");
        if t.is_empty() {
            return None;
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.fail(k, format!("`{t}` is not a number"));
                None
            }
        }
    }
}

/// Parses the rows of a projects table (`rows`: (row number, cells)); every error is reported.
///
/// ```
/// use regis_monitor::exchange::{parse_projects, PROJECT_COLUMNS};
/// let header: Vec<String> = PROJECT_COLUMNS.iter().map(|s| s.to_string()).collect();
/// let ok = vec!["1", "부산 해양 클러스터", "해양 산업 육성", "21", "C", "부산TP", "2024", "2026", "draft"];
/// let bad = vec!["1", "", "x", "21", "C", "부산TP", "2026", "2024", "open"];
/// let rows = vec![
///     (2, ok.iter().map(|s| s.to_string()).collect()),
///     (3, bad.iter().map(|s| s.to_string()).collect()),
/// ];
/// let errors = parse_projects(&header, &rows, 1).unwrap_err();
/// let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
/// assert_eq!(found, vec![(3, "status"), (3, "title")]);
/// ```
pub fn parse_projects(
    header: &[String],
    rows: &[NumberedRow],
    header_row: usize,
) -> Result<Vec<(usize, ProjectInput)>, Vec<RowError>> {
    let cols = columns(
        header,
        &PROJECT_COLUMNS,
        &["partner_regions", "organisation_type", "partners"],
        header_row,
    )?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (row, cells) in rows {
        let before = errors.len();
        let mut c = Cells {
            row: *row,
            cells,
            cols: &cols,
            names: &PROJECT_COLUMNS,
            errors: &mut errors,
        };
        let programme_id: i64 = c.integer(0, "a programme id (a whole number)");
        let region = c.required(3);
        let start_year: i32 = c.integer(6, "a year");
        let end_year: i32 = c.integer(7, "a year");
        let status = match c.text(8) {
            "draft" | "" => Status::Draft,
            "published" => Status::Published,
            other => {
                let m = format!("`{other}`: expected draft or published");
                c.fail(8, m);
                Status::Draft
            }
        };
        let partner_regions: Vec<String> = c
            .text(9)
            .split(';')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let kind = c.text(10).to_string();
        let organisation_type = match kind.as_str() {
            "" => OrganisationType::Other,
            t => OrganisationType::parse(t).unwrap_or_else(|| {
                c.fail(10, format!("`{t}`: expected one of {}", type_list()));
                OrganisationType::Other
            }),
        };
        let partners = parse_partners(&mut c, 11);
        let p = ProjectInput {
            programme_id,
            title: c.text(1).into(),
            objective: c.text(2).into(),
            region,
            partner_regions,
            industry: c.text(4).into(),
            organisation: c.text(5).into(),
            organisation_type,
            partners,
            start_year,
            end_year,
            status,
        };
        if errors.len() == before {
            match check_project(&p) {
                Ok(()) => out.push((*row, p)),
                Err(e) => errors.push(row_error(*row, e)),
            }
        } else if p.title.is_empty() {
            errors.push(RowError {
                row: *row,
                field: "title".into(),
                message: "must not be empty".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parses the rows of a KPI report table; every error is reported.
pub fn parse_kpi(
    header: &[String],
    rows: &[NumberedRow],
    header_row: usize,
) -> Result<Vec<(usize, KpiRow)>, Vec<RowError>> {
    let cols = columns(header, &KPI_COLUMNS, &["version"], header_row)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (row, cells) in rows {
        let before = errors.len();
        let mut c = Cells {
            row: *row,
            cells,
            cols: &cols,
            names: &KPI_COLUMNS,
            errors: &mut errors,
        };
        let k = KpiRow {
            indicator_id: c.integer(0, "an indicator id (a whole number)"),
            period: c.integer(1, "a period (a year)"),
            target: c.optional_number(2),
            actual: c.optional_number(3),
            version: c.optional_integer(4),
        };
        if k.target.is_none() && k.actual.is_none() && c.errors.len() == before {
            c.fail(3, "a row needs a target or an actual".into());
        }
        if errors.len() == before {
            match check_value(k.target, k.actual) {
                Ok(()) => out.push((*row, k)),
                Err(e) => errors.push(row_error(*row, e)),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A store error as the error of a row.
pub fn row_error(row: usize, e: MonitorError) -> RowError {
    let (field, message) = match e {
        MonitorError::Invalid { field, message } => (field.to_string(), message),
        MonitorError::AtRow { error, .. } => return row_error(row, *error),
        other => ("-".to_string(), other.to_string()),
    };
    RowError {
        row,
        field,
        message,
    }
}

/// The organisation types, for messages.
fn type_list() -> String {
    OrganisationType::ALL
        .iter()
        .map(|t| t.id())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `partners` cell: `name|type|region` items separated by `;` (an item without a type is
/// `other`).
fn parse_partners(c: &mut Cells<'_>, k: usize) -> Vec<Partner> {
    let cell = c.text(k).to_string();
    let mut out = Vec::new();
    for item in cell.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let parts: Vec<&str> = item.split('|').map(str::trim).collect();
        let (name, kind, region) = match parts[..] {
            [name, kind, region] => (name, kind, region),
            [name, region] => (name, "", region),
            _ => {
                c.fail(
                    k,
                    format!("`{item}`: expected name|type|region (items separated by `;`)"),
                );
                continue;
            }
        };
        let organisation_type = match kind {
            "" => OrganisationType::Other,
            t => match OrganisationType::parse(t) {
                Some(t) => t,
                None => {
                    c.fail(
                        k,
                        format!("`{item}`: type `{t}`: expected one of {}", type_list()),
                    );
                    continue;
                }
            },
        };
        out.push(Partner {
            organisation: name.to_string(),
            organisation_type,
            region: region.to_string(),
        });
    }
    out
}

/// Projects as template rows.
pub fn project_rows(projects: &[Project]) -> Vec<Vec<String>> {
    projects
        .iter()
        .map(|p| {
            vec![
                p.programme_id.to_string(),
                p.title.clone(),
                p.objective.clone(),
                p.region.clone(),
                p.industry.clone(),
                p.organisation.clone(),
                p.start_year.to_string(),
                p.end_year.to_string(),
                status_id(p.status).to_string(),
                p.partner_regions.join(";"),
                p.organisation_type.id().to_string(),
                p.partners
                    .iter()
                    .map(|q| {
                        format!(
                            "{}|{}|{}",
                            q.organisation,
                            q.organisation_type.id(),
                            q.region
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        })
        .collect()
}

/// KPI values as template rows.
pub fn kpi_rows(values: &[IndicatorValue]) -> Vec<Vec<String>> {
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    values
        .iter()
        .map(|v| {
            vec![
                v.indicator_id.to_string(),
                v.period.to_string(),
                num(v.target),
                num(v.actual),
                v.version.to_string(),
            ]
        })
        .collect()
}

/// A JSON array of objects as a table: the header is the union of keys in template order, rows
/// are numbered from 1 by element. Anything but an array of objects is refused.
pub fn json_table(
    value: &serde_json::Value,
    columns: &[&str],
) -> Result<(Vec<String>, Vec<NumberedRow>), Vec<RowError>> {
    let Some(items) = value.as_array() else {
        return Err(vec![RowError {
            row: 0,
            field: "-".into(),
            message: "expected a JSON array of objects, one per row".into(),
        }]);
    };
    let header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            errors.push(RowError {
                row: k + 1,
                field: "-".into(),
                message: "expected an object".into(),
            });
            continue;
        };
        if let Some(unknown) = obj.keys().find(|key| !columns.contains(&key.as_str())) {
            errors.push(RowError {
                row: k + 1,
                field: unknown.clone(),
                message: format!("unknown field; expected {}", columns.join(", ")),
            });
            continue;
        }
        let cells = columns
            .iter()
            .map(|c| match obj.get(*c) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            })
            .collect();
        rows.push((k + 1, cells));
    }
    if errors.is_empty() {
        Ok((header, rows))
    } else {
        Err(errors)
    }
}

/// Template rows as a JSON array of objects (numbers as numbers).
pub fn json_rows(columns: &[&str], rows: &[Vec<String>]) -> serde_json::Value {
    serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                let mut o = serde_json::Map::new();
                for (c, v) in columns.iter().zip(r) {
                    let val = if v.is_empty() {
                        serde_json::Value::Null
                    } else if let Ok(n) = v.parse::<i64>() {
                        n.into()
                    } else if let Some(n) = v.parse::<f64>().ok().filter(|x| x.is_finite()) {
                        n.into()
                    } else {
                        v.clone().into()
                    };
                    o.insert(c.to_string(), val);
                }
                serde_json::Value::Object(o)
            })
            .collect(),
    )
}
