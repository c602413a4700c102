//! The Bank of Korea's 2020 input-output table, built in (출처: 한국은행, 「2020년
//! 산업연관표(실측표)」 and 「2020년 지역산업연관표」; modifications in
//! `data/korea/io/PROVENANCE.txt`), at three levels:
//!
//! - 165 products (통합소분류), as shipped;
//! - 83 sectors (통합중분류): the products summed by the first two digits of their code, the
//!   level of BoK's regional tables (concordance `data/korea/io/concordance_io83.csv`, which
//!   also gives each sector's KOSIS GRDP activity and KSIC divisions);
//! - 33 sectors (통합대분류): the products summed by the BoK grouping.
//!
//! Flows are domestic (the 국산거래표) at producers' prices, million KRW. Sector fields:
//! `compensation` (9610), `operating_surplus` (9621 + 9622, so that the three parts add up to
//! value added 9690), `taxes_on_production` (9630), `imports` (imported intermediate inputs:
//! total minus domestic flows, column sums), `employment` (full-time-equivalent persons, 2020),
//! `household_consumption` (9111, domestic basis: the private consumption of domestic products)
//! and `final_demand` (9190, domestic basis). Also BoK's survey-based regional multipliers
//! (17 provinces × 83 sectors).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::{DataError, ErrorKind, Result};
use crate::io_system::IoSystem;
use crate::table::Table;

macro_rules! io_file {
    ($path:literal) => {
        (
            concat!("io/", $path),
            include_str!(concat!("../../../../data/korea/io/", $path)),
        )
    };
}

const FLOWS: (&str, &str) = io_file!("io_2020_165_flows.csv");
const SECTORS_165: (&str, &str) = io_file!("io_2020_165_sectors.csv");
const SECTORS_33: (&str, &str) = io_file!("io_2020_33_sectors.csv");
const VALUE_ADDED: (&str, &str) = io_file!("io_2020_165_value_added.csv");
const OUTPUT: (&str, &str) = io_file!("io_2020_165_output.csv");
const EMPLOYMENT: (&str, &str) = io_file!("io_2020_165_employment.csv");
const FINAL_DEMAND: (&str, &str) = io_file!("io_2020_165_final_demand.csv");
const CONCORDANCE_83: (&str, &str) = io_file!("concordance_io83.csv");
const REGIONAL: (&str, &str) = io_file!("regional_induced_coef_2020.csv");

/// Attribution of the built-in input-output data (show it with every result built on it).
pub const IO_ATTRIBUTION: &str =
    "출처: 한국은행, 「2020년 산업연관표(실측표)」·「2020년 지역산업연관표」 (modified by Regis: data/korea/io/PROVENANCE.txt)";

/// [`IO_ATTRIBUTION`] for Korean pages.
pub const IO_ATTRIBUTION_KO: &str =
    "출처: 한국은행, 「2020년 산업연관표(실측표)」·「2020년 지역산업연관표」 (Regis 가공: 형식 변환, 부문 통합, 파생 계수)";

/// The sector levels of the built-in table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IoLevel {
    /// 33 sectors (통합대분류).
    Sectors33,
    /// 83 sectors (통합중분류), the level of the regional tables.
    Sectors83,
    /// 165 products (통합소분류).
    Sectors165,
}

impl IoLevel {
    /// Its number of sectors.
    pub fn sectors(self) -> usize {
        match self {
            IoLevel::Sectors33 => 33,
            IoLevel::Sectors83 => 83,
            IoLevel::Sectors165 => 165,
        }
    }

    /// The level with `n` sectors.
    pub fn from_sectors(n: usize) -> Option<IoLevel> {
        [IoLevel::Sectors33, IoLevel::Sectors83, IoLevel::Sectors165]
            .into_iter()
            .find(|l| l.sectors() == n)
    }
}

/// The built-in table at one level.
#[derive(Debug, Clone)]
pub struct KoreanIoTable {
    /// Flows, output and sector fields (see the module docs).
    pub system: IoSystem,
    /// Korean sector names.
    pub names_ko: Vec<String>,
    /// English sector names where the data have them (the 33 sectors: the staging's
    /// unofficial translations).
    pub names_en: Vec<Option<String>>,
    /// Each sector's KOSIS GRDP activity code (`C6`, `MN` …; none for 기타), at 83 sectors and
    /// 165 products (by their 83-sector code); none at 33.
    pub grdp_activity: Vec<Option<String>>,
}

/// BoK's survey-based multipliers of one sector in one province (from the multiregional
/// table): per unit of final demand for the sector in the province, the output, value added
/// (KRW per KRW) and employment (persons per billion KRW) it induces in the province and in
/// the other 16.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionalMultiplier {
    /// Province (SGIS code, `11` … `39`).
    pub province: String,
    /// 83-sector code.
    pub sector: String,
    /// Output induced in the province.
    pub production_in_region: f64,
    /// Output induced in the other provinces.
    pub production_out_region: f64,
    /// Value added induced in the province.
    pub value_added_in_region: f64,
    /// Value added induced in the other provinces.
    pub value_added_out_region: f64,
    /// Employment induced in the province.
    pub employment_in_region: f64,
    /// Employment induced in the other provinces.
    pub employment_out_region: f64,
    /// False where the province has no output of the sector (a placeholder row, not a
    /// multiplier).
    pub has_regional_output: bool,
}

fn table(file: (&str, &str)) -> Result<Table> {
    Table::from_csv_text(file.1, file.0, Some(b','))
}

fn col(t: &Table, name: &str, file: &str) -> Result<usize> {
    t.column(name).ok_or_else(|| {
        DataError::file(
            ErrorKind::MissingColumn,
            file,
            format!("built-in file lacks `{name}`"),
        )
    })
}

fn num(t: &Table, row: usize, c: usize, file: &str) -> Result<f64> {
    let cell = t.rows[row].cells[c].trim();
    crate::table::parse_number(cell).ok_or_else(|| {
        DataError::file(ErrorKind::NotNumeric, file, "expected a number")
            .at_line(t.rows[row].line)
            .in_column(t.header[c].clone())
            .with_value(cell)
    })
}

/// The 165 products with their 83- and 33-sector codes, names and GRDP activities.
struct Products {
    codes: Vec<String>,
    names: Vec<String>,
    of33: Vec<String>,
}

fn products() -> Result<Products> {
    let t = table(SECTORS_165)?;
    let (c, n, s) = (
        col(&t, "code", SECTORS_165.0)?,
        col(&t, "name_ko", SECTORS_165.0)?,
        col(&t, "sector33_code", SECTORS_165.0)?,
    );
    let get = |k: usize| {
        t.rows
            .iter()
            .map(|r| r.cells[k].trim().to_string())
            .collect()
    };
    Ok(Products {
        codes: get(c),
        names: get(n),
        of33: get(s),
    })
}

/// (83-sector code, Korean name, GRDP activity), in code order.
fn sectors_83() -> Result<Vec<(String, String, Option<String>)>> {
    let t = table(CONCORDANCE_83)?;
    let f = CONCORDANCE_83.0;
    let (c, n, a) = (
        col(&t, "io83_code", f)?,
        col(&t, "io83_name_ko", f)?,
        col(&t, "grdp_activity", f)?,
    );
    Ok(t.rows
        .iter()
        .map(|r| {
            let act = r.cells[a].trim();
            (
                r.cells[c].trim().to_string(),
                r.cells[n].trim().to_string(),
                (!act.is_empty()).then(|| act.to_string()),
            )
        })
        .collect())
}

/// Values of the 165 products from a long file: `item` rows of `value`, keyed by sector code
/// (and `basis`, when given).
fn item_vector(
    file: (&str, &str),
    item: &str,
    basis: Option<&str>,
    index: &HashMap<String, usize>,
) -> Result<Vec<f64>> {
    let t = table(file)?;
    let (s, i, v) = (
        col(&t, "sector_code", file.0)?,
        col(&t, "item_code", file.0)?,
        col(&t, "value", file.0)?,
    );
    let b = basis.map(|_| col(&t, "basis", file.0)).transpose()?;
    let mut out = vec![f64::NAN; index.len()];
    for (k, r) in t.rows.iter().enumerate() {
        if r.cells[i].trim() != item || b.is_some_and(|b| Some(r.cells[b].trim()) != basis) {
            continue;
        }
        if let Some(&j) = index.get(r.cells[s].trim()) {
            out[j] = num(&t, k, v, file.0)?;
        }
    }
    if let Some(j) = out.iter().position(|x| x.is_nan()) {
        return Err(DataError::file(
            ErrorKind::MissingColumn,
            file.0,
            format!("built-in file has no item {item} for product {j}"),
        ));
    }
    Ok(out)
}

/// The table at 165 products.
fn table_165() -> Result<KoreanIoTable> {
    let p = products()?;
    let n = p.codes.len();
    let index: HashMap<String, usize> = p
        .codes
        .iter()
        .enumerate()
        .map(|(k, c)| (c.clone(), k))
        .collect();
    let t = table(FLOWS)?;
    let (f, to, v, vt) = (
        col(&t, "from_code", FLOWS.0)?,
        col(&t, "to_code", FLOWS.0)?,
        col(&t, "value", FLOWS.0)?,
        col(&t, "value_total", FLOWS.0)?,
    );
    let mut flows = vec![0.0; n * n];
    let mut imports = vec![0.0; n];
    for (k, r) in t.rows.iter().enumerate() {
        let (i, j) = match (index.get(r.cells[f].trim()), index.get(r.cells[to].trim())) {
            (Some(i), Some(j)) => (*i, *j),
            _ => {
                return Err(DataError::file(
                    ErrorKind::UnknownIndustry,
                    FLOWS.0,
                    "a flow names a product the sectors file lacks",
                )
                .at_line(r.line))
            }
        };
        let d = num(&t, k, v, FLOWS.0)?;
        flows[i * n + j] = d;
        imports[j] += num(&t, k, vt, FLOWS.0)? - d;
    }
    let output = item_vector(OUTPUT, "9310", None, &index)?;
    let comp = item_vector(VALUE_ADDED, "9610", None, &index)?;
    let surplus = item_vector(VALUE_ADDED, "9621", None, &index)?;
    let cfc = item_vector(VALUE_ADDED, "9622", None, &index)?;
    let taxes = item_vector(VALUE_ADDED, "9630", None, &index)?;
    let households = item_vector(FINAL_DEMAND, "9111", Some("domestic"), &index)?;
    let final_demand = item_vector(FINAL_DEMAND, "9190", Some("domestic"), &index)?;
    let et = table(EMPLOYMENT)?;
    let (es, ev) = (
        col(&et, "sector_code", EMPLOYMENT.0)?,
        col(&et, "employed_fte_2020", EMPLOYMENT.0)?,
    );
    let mut employment = vec![f64::NAN; n];
    for k in 0..et.rows.len() {
        if let Some(&j) = index.get(et.rows[k].cells[es].trim()) {
            employment[j] = num(&et, k, ev, EMPLOYMENT.0)?;
        }
    }
    let of83: HashMap<String, Option<String>> =
        sectors_83()?.into_iter().map(|(c, _, a)| (c, a)).collect();
    let grdp_activity = p
        .codes
        .iter()
        .map(|c| of83.get(&c[..2]).cloned().flatten())
        .collect();
    Ok(KoreanIoTable {
        system: IoSystem {
            sectors: p.codes,
            flows,
            output,
            fields: vec![
                ("compensation", comp),
                (
                    "operating_surplus",
                    surplus.iter().zip(&cfc).map(|(a, b)| a + b).collect(),
                ),
                ("taxes_on_production", taxes),
                ("imports", imports),
                ("employment", employment),
                ("household_consumption", households),
                ("final_demand", final_demand),
            ],
            regions: Vec::new(),
        },
        names_en: vec![None; p.names.len()],
        names_ko: p.names,
        grdp_activity,
    })
}

/// Sums a table's sectors into groups: `group[k]` is the group of sector k.
fn aggregate(t: &KoreanIoTable, codes: Vec<String>, group: &[usize]) -> IoSystem {
    let (n, m) = (t.system.sectors.len(), codes.len());
    let mut flows = vec![0.0; m * m];
    for i in 0..n {
        for j in 0..n {
            flows[group[i] * m + group[j]] += t.system.flows[i * n + j];
        }
    }
    let sum = |v: &[f64]| {
        let mut out = vec![0.0; m];
        for (k, x) in v.iter().enumerate() {
            out[group[k]] += x;
        }
        out
    };
    IoSystem {
        sectors: codes,
        flows,
        output: sum(&t.system.output),
        fields: t.system.fields.iter().map(|(f, v)| (*f, sum(v))).collect(),
        regions: Vec::new(),
    }
}

fn build(level: IoLevel) -> Result<KoreanIoTable> {
    let t165 = table_165()?;
    match level {
        IoLevel::Sectors165 => Ok(t165),
        IoLevel::Sectors83 => {
            let s83 = sectors_83()?;
            let pos: HashMap<&str, usize> = s83
                .iter()
                .enumerate()
                .map(|(k, s)| (s.0.as_str(), k))
                .collect();
            let group = t165
                .system
                .sectors
                .iter()
                .map(|c| {
                    pos.get(&c[..2]).copied().ok_or_else(|| {
                        DataError::file(
                            ErrorKind::UnknownIndustry,
                            CONCORDANCE_83.0,
                            format!("no 83-sector code for product {c}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let codes = s83.iter().map(|s| s.0.clone()).collect();
            Ok(KoreanIoTable {
                system: aggregate(&t165, codes, &group),
                names_ko: s83.iter().map(|s| s.1.clone()).collect(),
                names_en: vec![None; s83.len()],
                grdp_activity: s83.into_iter().map(|s| s.2).collect(),
            })
        }
        IoLevel::Sectors33 => {
            let t = table(SECTORS_33)?;
            let (c, n, e) = (
                col(&t, "code", SECTORS_33.0)?,
                col(&t, "name_ko", SECTORS_33.0)?,
                col(&t, "name_en_unofficial", SECTORS_33.0)?,
            );
            let codes: Vec<String> = t.rows.iter().map(|r| r.cells[c].trim().into()).collect();
            let p = products()?;
            let group = p
                .of33
                .iter()
                .map(|g| {
                    codes.iter().position(|c| c == g).ok_or_else(|| {
                        DataError::file(
                            ErrorKind::UnknownIndustry,
                            SECTORS_165.0,
                            format!("unknown 33-sector group {g}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(KoreanIoTable {
                system: aggregate(&t165, codes.clone(), &group),
                names_ko: t.rows.iter().map(|r| r.cells[n].trim().into()).collect(),
                names_en: t
                    .rows
                    .iter()
                    .map(|r| Some(r.cells[e].trim().to_string()))
                    .collect(),
                grdp_activity: vec![None; codes.len()],
            })
        }
    }
}

/// The 83-sector code of a 165-product code, by the concordance's `io165_codes`.
///
/// ```
/// assert_eq!(regis_data::korea::io::sector83_of("310").as_deref(), Some("31"));
/// assert_eq!(regis_data::korea::io::sector83_of("999"), None);
/// ```
pub fn sector83_of(product: &str) -> Option<String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let Ok(t) = table(CONCORDANCE_83) else {
            return HashMap::new();
        };
        let (Some(c), Some(p)) = (t.column("io83_code"), t.column("io165_codes")) else {
            return HashMap::new();
        };
        t.rows
            .iter()
            .flat_map(|r| {
                let code = r.cells[c].trim().to_string();
                r.cells[p]
                    .split_whitespace()
                    .map(move |x| (x.to_string(), code.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    })
    .get(product)
    .cloned()
}

/// The built-in table at `level` (parsed once).
///
/// ```
/// use regis_data::korea::io::{korean_io_table, IoLevel};
/// let t = korean_io_table(IoLevel::Sectors83).unwrap();
/// assert_eq!(t.system.sectors.len(), 83);
/// assert_eq!((t.system.sectors[30].as_str(), t.names_ko[30].as_str()), ("31", "반도체"));
/// // Output is the same at every level: 4,557,248,699 million KRW in all.
/// let x165: f64 = korean_io_table(IoLevel::Sectors165).unwrap().system.output.iter().sum();
/// let x83: f64 = t.system.output.iter().sum();
/// assert_eq!((x165, x83), (4_557_248_699.0, 4_557_248_699.0));
/// ```
pub fn korean_io_table(level: IoLevel) -> Result<&'static KoreanIoTable> {
    static TABLES: OnceLock<[std::result::Result<KoreanIoTable, DataError>; 3]> = OnceLock::new();
    let all = TABLES.get_or_init(|| {
        [
            build(IoLevel::Sectors33),
            build(IoLevel::Sectors83),
            build(IoLevel::Sectors165),
        ]
    });
    let k = match level {
        IoLevel::Sectors33 => 0,
        IoLevel::Sectors83 => 1,
        IoLevel::Sectors165 => 2,
    };
    all[k].as_ref().map_err(Clone::clone)
}

/// BoK's regional multipliers, 17 provinces × 83 sectors (parsed once).
pub fn regional_multipliers() -> Result<&'static [RegionalMultiplier]> {
    static ROWS: OnceLock<std::result::Result<Vec<RegionalMultiplier>, DataError>> =
        OnceLock::new();
    ROWS.get_or_init(|| {
        let t = table(REGIONAL)?;
        let f = REGIONAL.0;
        let c = |name: &str| col(&t, name, f);
        let (p, s, flag) = (
            c("sgis_sido_code")?,
            c("sector_code")?,
            c("no_regional_output_flag")?,
        );
        let fields = [
            c("production_in_region")?,
            c("production_out_region")?,
            c("value_added_in_region")?,
            c("value_added_out_region")?,
            c("employment_in_region")?,
            c("employment_out_region")?,
        ];
        (0..t.rows.len())
            .map(|k| {
                let v = fields
                    .iter()
                    .map(|&i| num(&t, k, i, f))
                    .collect::<Result<Vec<f64>>>()?;
                Ok(RegionalMultiplier {
                    province: t.rows[k].cells[p].trim().to_string(),
                    sector: t.rows[k].cells[s].trim().to_string(),
                    production_in_region: v[0],
                    production_out_region: v[1],
                    value_added_in_region: v[2],
                    value_added_out_region: v[3],
                    employment_in_region: v[4],
                    employment_out_region: v[5],
                    has_regional_output: t.rows[k].cells[flag].trim() != "1",
                })
            })
            .collect()
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}
