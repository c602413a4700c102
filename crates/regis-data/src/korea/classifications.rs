//! The built-in industry classifications: KOSIS GRDP activities, the si-gun-gu industry
//! groups, KSIC 9th and 10th revisions with their concordance, NAICS 2012 with US cluster
//! parents.

use std::collections::HashMap;
use std::sync::OnceLock;

use regis_core::industry::ConcordanceLink;
use regis_core::{Classification, Concordance, Industry, TradedLocal, TOTAL_INDUSTRY};

use crate::error::Result;
use crate::table::Table;

use super::*;

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
        let rules = traded_local_rules().expect("built-in traded/local rules parse");
        for c in &mut out {
            for (code, flag, why) in &rules {
                if c.get(code).is_some() {
                    c.set_traded_local(code, *flag, why);
                }
            }
        }
        out.push(naics_classification().expect("built-in NAICS table parses"));
        out
    })
}

/// The traded/local flag of each KSIC section, division or KOSIS group in
/// `ksic_to_naics_sectors.csv`: its judgement where it has one, else traded when at least half
/// of the NAICS 2012 six-digit industries of its sectors (prefixes; `-` excludes) are traded
/// in the US Cluster Mapping definitions. Counting industries rather than weighting them by
/// employment is a simplification: the definitions ship without US employment.
pub fn traded_local_rules() -> Result<Vec<(String, TradedLocal, String)>> {
    let (path, text) = NAICS_CLUSTERS_CSV;
    let naics = Table::from_csv_text(text, path, None)?;
    let (n, tl) = (
        naics.column("naics").unwrap_or(0),
        naics.column("traded_local").unwrap_or(1),
    );
    let (path, text) = KSIC_TO_NAICS_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let (k, s, j, note) = (
        t.column("ksic").unwrap_or(0),
        t.column("naics").unwrap_or(1),
        t.column("judgement").unwrap_or(2),
        t.column("note").unwrap_or(3),
    );
    let mut out = Vec::new();
    for (line, r) in t.rows.iter().enumerate() {
        let prefixes: Vec<&str> = r.cells[s]
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let judged = match r.cells[j].trim() {
            "" => None,
            "traded" => Some(TradedLocal::Traded),
            "local" => Some(TradedLocal::Local),
            "public" => Some(TradedLocal::Public),
            other => {
                return Err(crate::DataError::file(
                    crate::ErrorKind::UnknownIndustry,
                    path,
                    "traded, local, public or empty",
                )
                .at_line(line + 2)
                .in_column("judgement")
                .with_value(other))
            }
        };
        let (flag, why) = match judged {
            Some(f) => (f, format!("judgement: {}", r.cells[note])),
            None => {
                let (mut traded, mut all) = (0usize, 0usize);
                for row in &naics.rows {
                    let code = row.cells[n].as_str();
                    let inside = prefixes
                        .iter()
                        .filter(|p| !p.starts_with('-'))
                        .any(|p| code.starts_with(p));
                    let outside = prefixes
                        .iter()
                        .filter_map(|p| p.strip_prefix('-'))
                        .any(|p| code.starts_with(p));
                    if inside && !outside {
                        all += 1;
                        traded += usize::from(row.cells[tl] == "Traded");
                    }
                }
                if all == 0 {
                    return Err(crate::DataError::file(
                        crate::ErrorKind::UnknownIndustry,
                        path,
                        "NAICS 2012 prefixes that match at least one industry",
                    )
                    .at_line(line + 2)
                    .in_column("naics")
                    .with_value(r.cells[s].as_str()));
                }
                let flag = if 2 * traded >= all {
                    TradedLocal::Traded
                } else {
                    TradedLocal::Local
                };
                (
                    flag,
                    format!(
                        "{traded} of {all} NAICS 2012 industries in {} are traded (US Cluster Mapping)",
                        r.cells[s]
                    ),
                )
            }
        };
        out.push((r.cells[k].trim().to_string(), flag, why));
    }
    Ok(out)
}

/// One classification by id.
pub fn classification(id: &str) -> Option<&'static Classification> {
    classifications()
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(id))
}

/// English titles of the KSIC 10th revision's sections: its 21 sections are the sections of
/// ISIC Rev.4 (United Nations 2008), letter for letter, so their ISIC English titles are used
/// (the KSIC source holds Korean names only; finer KSIC levels have no English name here).
const KSIC10_SECTIONS_EN: [(&str, &str); 21] = [
    ("A", "Agriculture, forestry and fishing"),
    ("B", "Mining and quarrying"),
    ("C", "Manufacturing"),
    ("D", "Electricity, gas, steam and air conditioning supply"),
    (
        "E",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    ("F", "Construction"),
    ("G", "Wholesale and retail trade"),
    ("H", "Transportation and storage"),
    ("I", "Accommodation and food service activities"),
    ("J", "Information and communication"),
    ("K", "Financial and insurance activities"),
    ("L", "Real estate activities"),
    ("M", "Professional, scientific and technical activities"),
    ("N", "Administrative and support service activities"),
    (
        "O",
        "Public administration and defence; compulsory social security",
    ),
    ("P", "Education"),
    ("Q", "Human health and social work activities"),
    ("R", "Arts, entertainment and recreation"),
    ("S", "Other service activities"),
    ("T", "Activities of households as employers and for own use"),
    (
        "U",
        "Activities of extraterritorial organizations and bodies",
    ),
];

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
                let name_en = KSIC10_SECTIONS_EN
                    .iter()
                    .find(|(c, _)| level == 0 && *c == code && row.cells[rev] != "C9")
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default();
                target.add(Industry {
                    code: code.clone(),
                    name_ko: name,
                    name_en,
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
    let tl = t.column("traded_local").unwrap_or(1);
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
        let flag = if r.cells[tl] == "Traded" {
            TradedLocal::Traded
        } else {
            TradedLocal::Local
        };
        c.set_traded_local(&r.cells[n], flag, "US Cluster Mapping definitions");
    }
    Ok(c)
}
