//! Where a question's data comes from: a built-in or stored measure, or a user's file read with
//! a [`Mapping`] (the CLI's "high-level" flags). The server never names a file: its requests
//! carry measure ids only.

use std::path::{Path, PathBuf};

use regis_core::{Level, Measure, MeasureKind, Period, PriceBasis, RegionCatalog};
use regis_data::import::{import_rows, ColumnMap, ImportOptions, ImportReport};
use regis_data::store::Store;
use regis_data::table::ReadOptions;
use regis_data::text::Encoding;
use regis_data::{korea, DataError, Dataset};

/// How to read a user's file: which columns hold what, the encoding, the code system, and the
/// reading budgets. Field by field the CLI's mapping flags (`--region-col`...).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Column holding region codes or names.
    pub region_col: Option<String>,
    /// Column holding industry codes or names (none: the values are totals).
    pub industry_col: Option<String>,
    /// Column holding the period (none: a wide file with years as headers).
    pub period_col: Option<String>,
    /// Column holding the values (long layout).
    pub value_col: Option<String>,
    /// Origin column of a flow file.
    pub origin_col: Option<String>,
    /// Destination column of a flow file.
    pub dest_col: Option<String>,
    /// Unit column.
    pub unit_col: Option<String>,
    /// Keep only rows where COL equals VALUE, each written `COL=VALUE`.
    pub filter: Vec<String>,
    /// Text encoding of a CSV file: `auto`, `utf-8`, `cp949`, `utf-16`.
    pub encoding: String,
    /// Sheet of an XLSX workbook (none: the first).
    pub sheet: Option<String>,
    /// Code system of the region codes (`sgis`, `mois`).
    pub region_codes: Option<String>,
    /// Level of the regions in the file, when names are ambiguous across levels.
    pub region_level: Option<String>,
    /// The period of every row, for a file without a period column.
    pub input_period: Option<i32>,
    /// Industry classification the industry codes must belong to.
    pub classification: Option<String>,
    /// The file's regions are new regions (another country's), never matched to Korea's.
    pub new_regions: bool,
    /// The input holds flows (origin x destination).
    pub flow: bool,
    /// Unit of the values, when the file does not say.
    pub unit: Option<String>,
    /// The values do not add up across regions.
    pub not_additive: bool,
    /// Negative values are legitimate.
    pub allow_negative: bool,
    /// Decimal separator of a CSV file: `.` or `,`.
    pub decimal: Option<String>,
    /// Reading budgets.
    pub budgets: regis_data::budget::Budgets,
}

/// The store directory: --store, then $REGIS_STORE, then the platform data directory.
pub fn store_dir(flag: &Option<PathBuf>) -> PathBuf {
    if let Some(d) = flag {
        return d.clone();
    }
    if let Some(d) = std::env::var_os("REGIS_STORE") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("regis");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".local/share/regis"),
        None => PathBuf::from(".regis-store"),
    }
}

/// Parses a level name, with a clear error.
pub fn parse_level(text: &str) -> Result<Level, DataError> {
    Level::parse(text).ok_or_else(|| {
        DataError::argument(format!(
            "unknown level `{text}`; expected nation, province, district or subdistrict"
        ))
    })
}

/// The measure a file's values are: a built-in definition when the id is built-in, otherwise
/// a measure described by the flags.
pub fn measure_for(id: &str, m: &Mapping) -> Measure {
    if let Some(mut b) = korea::measure(id) {
        if let Some(u) = &m.unit {
            b.unit = u.clone();
        }
        return b;
    }
    Measure {
        id: id.into(),
        name_ko: id.into(),
        name_en: id.into(),
        unit: m.unit.clone().unwrap_or_default(),
        price_basis: PriceBasis::NotApplicable,
        additive: !m.not_additive,
        allows_negative: m.allow_negative,
        kind: if m.flow || m.origin_col.is_some() {
            MeasureKind::Flow
        } else {
            MeasureKind::Regional
        },
    }
}

/// Reads and validates a user's file with the mapping flags.
pub fn read_input(
    path: &Path,
    measure: Measure,
    level: Option<Level>,
    m: &Mapping,
) -> Result<ImportReport, DataError> {
    let level = match &m.region_level {
        Some(l) => Some(parse_level(l)?),
        None => level,
    };
    let encoding: Option<Encoding> = Encoding::parse(&m.encoding)?;
    let decimal_comma = match m.decimal.as_deref() {
        None => None,
        Some(".") => Some(false),
        Some(",") => Some(true),
        Some(other) => {
            return Err(DataError::argument(format!(
                "--decimal `{other}`: expected . or ,"
            )))
        }
    };
    let table = regis_data::stream::open_rows(
        path,
        &ReadOptions {
            encoding,
            sheet: m.sheet.clone(),
            delimiter: None,
            budgets: m.budgets.clone(),
            decimal_comma,
        },
    )?;
    let filters = m
        .filter
        .iter()
        .map(|f| {
            f.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .ok_or_else(|| {
                    DataError::argument(format!("--filter `{f}`: expected COLUMN=VALUE"))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let classification = match &m.classification {
        Some(c) => Some(korea::classification(c).ok_or_else(|| {
            DataError::argument(format!(
                "unknown classification `{c}`; known: {}",
                korea::classifications()
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let opts = ImportOptions {
        columns: ColumnMap {
            region: m.region_col.clone(),
            industry: m.industry_col.clone(),
            period: m.period_col.clone(),
            value: m.value_col.clone(),
            origin: m.origin_col.clone(),
            dest: m.dest_col.clone(),
            unit: m.unit_col.clone(),
        },
        measure,
        region_system: m.region_codes.clone(),
        level,
        filters,
        period: m.input_period.map(Period),
        classification,
        allow_new_regions: m.new_regions,
    };
    import_rows(&*table, korea::catalog(), &opts)
}

/// A dataset and the catalog its region ids refer to.
pub struct Loaded {
    /// The data.
    pub dataset: Dataset,
    /// Its catalog.
    pub catalog: RegionCatalog,
    /// Where it came from (for attribution).
    pub attribution: String,
}

/// Loads `--measure` (built-in or stored) or `--input FILE`.
pub fn load(
    measure: &Option<String>,
    input: &Option<PathBuf>,
    mapping: &Mapping,
    level: Option<Level>,
    store: &Path,
) -> Result<Loaded, DataError> {
    if let Some(path) = input {
        let m = measure_for(measure.as_deref().unwrap_or("input"), mapping);
        let rep = read_input(path, m, level, mapping)?;
        let dataset = match rep.data {
            regis_data::import::Imported::Panel(p) => {
                let mut levels: Vec<Level> = p
                    .regions()
                    .iter()
                    .map(|r| rep.catalog.region(*r).level)
                    .collect();
                levels.sort();
                levels.dedup();
                Dataset {
                    measure: p.measure.clone(),
                    panels: vec![regis_data::LevelPanel {
                        levels,
                        source: path.display().to_string(),
                        panel: p,
                    }],
                    flows: None,
                }
            }
            regis_data::import::Imported::Flows(f) => Dataset {
                measure: f.measure.clone(),
                panels: Vec::new(),
                flows: Some(f),
            },
        };
        return Ok(Loaded {
            dataset,
            catalog: rep.catalog,
            attribution: format!("Source: {}", path.display()),
        });
    }
    let id = measure
        .as_deref()
        .ok_or_else(|| DataError::argument("give --measure or --input"))?;
    if korea::MEASURE_IDS.contains(&id) {
        return Ok(Loaded {
            dataset: korea::dataset(id)?.clone(),
            catalog: korea::catalog().clone(),
            attribution: korea::ATTRIBUTION.into(),
        });
    }
    let st = Store::open(store)?;
    let (dataset, catalog) = st.get(id)?;
    Ok(Loaded {
        dataset,
        catalog,
        attribution: format!("Imported measure `{id}`"),
    })
}
