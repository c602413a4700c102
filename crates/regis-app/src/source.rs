//! Where a question's data comes from: a built-in or stored measure, or a user's file read with
//! a [`Mapping`] (the CLI's "high-level" flags). The server never names a file: its requests
//! carry measure ids only.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use regis_core::{Level, Measure, MeasureKind, Period, PriceBasis, RegionCatalog};
use regis_data::import::{import_rows, ColumnMap, ImportOptions, ImportReport};
use regis_data::store::Store;
use regis_data::table::ReadOptions;
use regis_data::text::Encoding;
use regis_data::{korea, DataError, Dataset};

use crate::error::{shown, Error, Result};

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
    /// Sheet of an XLSX workbook, by name or number from 1 (none: the first with a table).
    pub sheet: Option<String>,
    /// Rows the header takes (none: detected).
    pub header_rows: Option<usize>,
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
    /// Korean name of an imported measure (default: its id).
    pub name_ko: Option<String>,
    /// English name of an imported measure (default: its id).
    pub name_en: Option<String>,
    /// Price basis of monetary values: `nominal`, `real:YEAR`, `chained:YEAR` or `none`.
    pub price_basis: Option<String>,
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
pub fn parse_level(text: &str) -> std::result::Result<Level, DataError> {
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
        name_ko: m.name_ko.clone().unwrap_or_else(|| id.into()),
        name_en: m.name_en.clone().unwrap_or_else(|| id.into()),
        unit: m.unit.clone().unwrap_or_default(),
        price_basis: m
            .price_basis
            .as_deref()
            .and_then(|p| parse_price_basis(p).ok())
            .unwrap_or(PriceBasis::NotApplicable),
        additive: !m.not_additive
            && !matches!(
                m.price_basis.as_deref().map(parse_price_basis),
                Some(Ok(PriceBasis::Real { chained: true, .. }))
            ),
        allows_negative: m.allow_negative,
        kind: if m.flow || m.origin_col.is_some() {
            MeasureKind::Flow
        } else {
            MeasureKind::Regional
        },
    }
}

/// A price basis as written on the command line: `nominal`, `real:YEAR` (constant prices of
/// a year), `chained:YEAR` (chain-linked volumes, which do not add up) or `none`.
///
/// ```
/// use regis_core::PriceBasis;
/// use regis_app::source::parse_price_basis;
/// assert_eq!(parse_price_basis("nominal").unwrap(), PriceBasis::Nominal);
/// assert_eq!(parse_price_basis("chained:2015").unwrap(), PriceBasis::Real { base_year: 2015, chained: true });
/// assert!(parse_price_basis("real").is_err());
/// ```
pub fn parse_price_basis(text: &str) -> std::result::Result<PriceBasis, DataError> {
    let t = text.trim().to_lowercase();
    let year = |y: &str| {
        y.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
    };
    match t.split_once(':') {
        None if t == "nominal" || t == "current" => Ok(PriceBasis::Nominal),
        None if t == "none" => Ok(PriceBasis::NotApplicable),
        Some(("real", y)) if year(y).is_some() => Ok(PriceBasis::Real {
            base_year: year(y).unwrap_or_default(),
            chained: false,
        }),
        Some(("chained", y)) if year(y).is_some() => Ok(PriceBasis::Real {
            base_year: year(y).unwrap_or_default(),
            chained: true,
        }),
        _ => Err(DataError::argument(format!(
            "--price-basis `{}`: expected nominal, real:YEAR, chained:YEAR or none",
            shown(text)
        ))),
    }
}

/// The index of the column `name` of a mapped file, or an error naming the file and the
/// columns it has.
pub(crate) fn named_column(
    rows: &dyn regis_data::table::Rows,
    name: &str,
) -> std::result::Result<usize, DataError> {
    rows.column(name).ok_or_else(|| {
        DataError::file(
            regis_data::ErrorKind::MissingColumn,
            rows.file(),
            format!(
                "no column `{name}`; the columns are {}",
                rows.header().join(", ")
            ),
        )
    })
}

/// A user's file opened as rows with the mapping's encoding, sheet, decimal separator and
/// budgets (the reader every command with `--input` uses).
pub fn open_mapped(
    path: &Path,
    m: &Mapping,
) -> std::result::Result<Box<dyn regis_data::table::Rows>, DataError> {
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
    regis_data::stream::open_rows(
        path,
        &ReadOptions {
            encoding,
            sheet: m.sheet.clone(),
            delimiter: None,
            budgets: m.budgets,
            decimal_comma,
            header_rows: m.header_rows,
        },
    )
}

/// Reads and validates a user's file with the mapping flags.
pub fn read_input(
    path: &Path,
    measure: Measure,
    level: Option<Level>,
    m: &Mapping,
) -> std::result::Result<ImportReport, DataError> {
    let level = match &m.region_level {
        Some(l) => Some(parse_level(l)?),
        None => level,
    };
    let table = open_mapped(path, m)?;
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
        .collect::<std::result::Result<Vec<_>, _>>()?;
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

/// A dataset and the catalog its region ids refer to (borrowed for the built-in data: nothing
/// is copied per question).
pub struct Loaded {
    /// The data.
    pub dataset: Cow<'static, Dataset>,
    /// Its catalog.
    pub catalog: Cow<'static, RegionCatalog>,
    /// Where it came from (for attribution).
    pub attribution: String,
}

/// Where a question's data is: a measure id, or a user's file with its mapping (the CLI only;
/// the server's requests never carry a path).
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// A built-in or stored measure id; with `input`, the id the file's values get.
    pub measure: Option<String>,
    /// A user's file.
    pub input: Option<PathBuf>,
    /// How to read `input`.
    pub mapping: Mapping,
}

impl Source {
    /// A built-in or stored measure.
    pub fn measure(id: &str) -> Source {
        Source {
            measure: Some(id.to_string()),
            ..Source::default()
        }
    }
}

/// Where measures live: the built-in data, and the dataset store when there is one.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The dataset store directory (none: built-in data only).
    pub store: Option<PathBuf>,
}

impl Sources {
    /// Sources with a store directory.
    pub fn with_store(dir: impl Into<PathBuf>) -> Sources {
        Sources {
            store: Some(dir.into()),
        }
    }

    /// A built-in or stored measure; an unknown id is refused with the built-in ids (a path or
    /// markup given as an id is never echoed).
    pub fn measure(&self, id: &str) -> Result<Loaded> {
        // Ids are case-insensitive (`Population` is `population`).
        if id.chars().any(|c| c.is_uppercase()) {
            return self.measure(&id.to_lowercase());
        }
        if korea::MEASURE_IDS.contains(&id) {
            return Ok(Loaded {
                dataset: Cow::Borrowed(korea::dataset(id)?),
                catalog: Cow::Borrowed(korea::catalog()),
                attribution: korea::ATTRIBUTION.into(),
            });
        }
        if let Some(dir) = &self.store {
            if regis_data::store::is_measure_id(id) {
                let store = Store::open(dir)?;
                if store.contains(id) {
                    let (dataset, catalog) = store.get(id)?;
                    return Ok(Loaded {
                        dataset: Cow::Owned(dataset),
                        catalog: Cow::Owned(catalog),
                        attribution: format!("Imported measure `{id}`"),
                    });
                }
            }
        }
        let shown = if regis_data::store::is_measure_id(id) && shown(id) == id {
            id
        } else {
            "(not a measure id: lowercase letters, digits and _)"
        };
        let stored: Vec<String> = self
            .store
            .as_ref()
            .and_then(|dir| Store::open(dir).ok())
            .and_then(|st| st.list().ok())
            .map(|l| l.into_iter().map(|m| m.id).collect())
            .unwrap_or_default();
        let near = crate::advice::nearest(
            id,
            korea::MEASURE_IDS
                .iter()
                .copied()
                .chain(stored.iter().map(String::as_str)),
        )
        .map(str::to_string);
        let e = Error::not_found(
            "unknown-measure",
            format!(
                "unknown measure `{shown}`{}; built-in measures: {}{}",
                near.as_deref()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default(),
                korea::MEASURE_IDS.join(", "),
                match (self.store.is_some(), stored.is_empty()) {
                    (true, false) => format!("; stored: {}", stored.join(", ")),
                    (true, true) => "; none stored yet (`regis data import`)".to_string(),
                    _ => String::new(),
                }
            ),
        );
        Err(match near {
            Some(n) => e.with_fix_for("measure", id, n),
            None => e,
        })
    }

    /// The data a [`Source`] names: its file read with its mapping (regions at `level` when
    /// the file's names are ambiguous), or its measure.
    pub fn load(&self, source: &Source, level: Option<Level>) -> Result<Loaded> {
        let Some(path) = &source.input else {
            let id = source
                .measure
                .as_deref()
                .ok_or_else(|| DataError::argument("give --measure or --input"))?;
            return self.measure(id);
        };
        let mapping = &source.mapping;
        let m = measure_for(source.measure.as_deref().unwrap_or("input"), mapping);
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
        Ok(Loaded {
            dataset: Cow::Owned(dataset),
            catalog: Cow::Owned(rep.catalog),
            attribution: format!("Source: {}", path.display()),
        })
    }
}

/// Loads `--measure` (built-in or stored) or `--input FILE`.
pub fn load(
    measure: &Option<String>,
    input: &Option<PathBuf>,
    mapping: &Mapping,
    level: Option<Level>,
    store: &Path,
) -> Result<Loaded> {
    Sources::with_store(store).load(
        &Source {
            measure: measure.clone(),
            input: input.clone(),
            mapping: mapping.clone(),
        },
        level,
    )
}
