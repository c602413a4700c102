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
    /// What the user should know (no unit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Reads `file` as the measure `id` with the mapping `m` (regions at `level`), fills the
/// measure's unit from the file's unit column when no `--unit` was given, warns when it has
/// none, and stores it in the store at `store` when given (`regis data import`; without a
/// store: `regis data check`).
pub fn import_file(
    file: &std::path::Path,
    id: &str,
    level: Option<regis_core::Level>,
    m: &crate::Mapping,
    store: Option<&std::path::Path>,
) -> crate::Result<ImportSummary> {
    // `data check` without --measure names the measure after the file, as an import would.
    let derived;
    let id = if id == "input" && store.is_none() {
        derived = id_from_file(file);
        derived.as_str()
    } else {
        id
    };
    if store.is_some() {
        regis_data::store::check_measure_id(id)?;
    }
    if let Some(p) = &m.price_basis {
        crate::source::parse_price_basis(p)?;
    }
    let mut rep = crate::source::read_input(file, crate::source::measure_for(id, m), level, m)?;
    let measure = match &mut rep.data {
        Imported::Panel(p) => &mut p.measure,
        Imported::Flows(f) => &mut f.measure,
    };
    if measure.unit.is_empty() {
        if let Some(u) = &rep.unit {
            measure.unit = u.clone();
        }
    }
    // A KOSIS download's title line names the table and its unit: `○ 행정구역(시도)별/경제활동별
    // 지역내총생산 [백만원]`. It names the measure unless --name-ko did.
    if let Some((title, unit)) = rep.title.as_deref().map(title_and_unit) {
        if m.name_ko.is_none() && !title.is_empty() {
            measure.name_ko = title;
        }
        if measure.unit.is_empty() {
            measure.unit = unit.unwrap_or_default();
        }
    }
    let mut warnings = Vec::new();
    if measure.unit.is_empty() {
        warnings.push(format!(
            "`{id}` has no unit: the file names none; say it with --unit (e.g. --unit persons or --unit '백만원')"
        ));
    }
    let status = match store {
        Some(dir) => {
            let st = regis_data::store::Store::open(dir)?;
            let meta = st.put(&rep.data, &rep.catalog, &file.display().to_string())?;
            format!("stored as `{}` in {}", meta.id, st.dir().display())
        }
        None => format!(
            "valid; nothing was stored (store it with `regis data import` and the same flags, e.g. --measure {id})"
        ),
    };
    let mut summary = ImportSummary::of(&rep, Some(&status));
    summary.warnings = warnings;
    Ok(summary)
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
            warnings: Vec::new(),
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
            (
                "name",
                format!(
                    "{} / {}",
                    self.measure["name_ko"].as_str().unwrap_or(""),
                    self.measure["name_en"].as_str().unwrap_or("")
                ),
            ),
            (
                "unit",
                self.measure["unit"].as_str().unwrap_or("").to_string(),
            ),
            ("notes", self.notes.join("; ")),
            ("status", self.status.clone().unwrap_or_default()),
        ] {
            t.push(vec![Cell::text(item), Cell::text(value)]);
        }
        t
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// A measure id made from a file's name: lowercase letters, digits and `_`, starting with a
/// letter.
///
/// ```
/// let f = std::path::Path::new("data/101_DT_1BPB001_2019.xlsx");
/// assert_eq!(regis_app::imported::id_from_file(f), "m_101_dt_1bpb001_2019");
/// assert_eq!(regis_app::imported::id_from_file(std::path::Path::new("고용.csv")), "imported");
/// ```
pub fn id_from_file(file: &std::path::Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if id.is_empty() {
        id = "imported".into();
    } else if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("m_{id}");
    }
    id
}

/// A KOSIS title line split into the table's name and its unit in brackets.
///
/// ```
/// use regis_app::imported::title_and_unit;
/// assert_eq!(
///     title_and_unit("○ 행정구역(시도)별/경제활동별 지역내총생산 [백만원]"),
///     ("행정구역(시도)별/경제활동별 지역내총생산".to_string(), Some("백만원".to_string()))
/// );
/// assert_eq!(title_and_unit("○ 성 및 연령별 추계인구(1세별, 5세별)/시도 []").1, None);
/// ```
pub fn title_and_unit(line: &str) -> (String, Option<String>) {
    let t = line.trim().trim_start_matches(['○', '◎', '■', '□']).trim();
    match (t.rfind('['), t.ends_with(']')) {
        (Some(i), true) => {
            let unit = t[i + 1..t.len() - 1].trim();
            (
                t[..i].trim().to_string(),
                (!unit.is_empty()).then(|| unit.to_string()),
            )
        }
        _ => (t.to_string(), None),
    }
}
