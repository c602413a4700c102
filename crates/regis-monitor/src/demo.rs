//! Demo content, clearly marked as illustrative: two programmes modelled on the published
//! structure of Korea's Regional Industry Promotion projects (지역산업진흥사업) and the pilot
//! innovation-cluster complexes (혁신클러스터 시범단지), one project per province in an industry it
//! is known for, with KPIs and budgets, plus two planted cross-ministry overlaps for the overlap
//! report; and the 2005 innovation-cluster pilot (the seven national industrial complexes, one
//! project per host province from 2005, each with a final evaluation) whose effect
//! `regis monitor demo` estimates on the built-in data. Names, scores and amounts are invented
//! for illustration, not official records; the pilot's complexes and years are the published
//! ones.

use crate::model::{Actor, OrganisationType, Partner, ProjectInput, Status};
use crate::{Result, Store};

/// Marker put in every demo record's objective.
pub const ILLUSTRATIVE: &str = "[예시 데이터 / illustrative demo data]";

/// (region SGIS code, industry code, title, objective).
const PROJECTS: &[(&str, &str, &str, &str)] = &[
    (
        "11",
        "J",
        "서울 AI·소프트웨어 기업 성장 지원",
        "AI 스타트업 기술사업화와 실증 지원",
    ),
    (
        "21",
        "H",
        "부산 스마트 해양물류 고도화",
        "항만 물류 데이터 플랫폼과 자율운항 실증",
    ),
    (
        "22",
        "C7",
        "대구 미래차 부품 전환 지원",
        "내연기관 부품기업의 전기차 부품 전환",
    ),
    (
        "23",
        "C4",
        "인천 바이오의약 생산 인력 양성",
        "바이오 공정 인력 양성과 장비 공동 활용",
    ),
    (
        "24",
        "C7",
        "광주 친환경 자동차 부품 클러스터",
        "친환경차 부품 시험인증 지원",
    ),
    (
        "25",
        "MN",
        "대전 연구개발특구 기술사업화",
        "출연연 기술의 기업 이전과 공동연구 연계",
    ),
    (
        "26",
        "C4",
        "울산 수소 연료전지 실증 지원",
        "수소 연료전지 발전 실증과 기업 기술개발",
    ),
    (
        "31",
        "C6",
        "경기 반도체 소부장 공급망 강화",
        "반도체 소재·부품·장비 기업 성능평가 지원",
    ),
    (
        "32",
        "Q",
        "강원 디지털 헬스케어 규제자유특구",
        "원격 의료기기 실증과 데이터 연계",
    ),
    (
        "33",
        "C6",
        "충북 이차전지 소재 혁신",
        "이차전지 소재 공정 고도화",
    ),
    (
        "34",
        "C6",
        "충남 디스플레이 혁신 공정",
        "차세대 디스플레이 공정 장비 국산화",
    ),
    (
        "35",
        "A",
        "전북 스마트 농생명 실증단지",
        "스마트팜 기자재 실증과 농식품 가공",
    ),
    (
        "36",
        "C4",
        "전남 에너지 신산업 육성",
        "해상풍력 기자재와 전력 신산업",
    ),
    (
        "37",
        "C5",
        "경북 철강 소재 고부가가치화",
        "철강 소재의 경량화 신소재 전환",
    ),
    (
        "38",
        "C7",
        "경남 스마트 조선·기계 전환",
        "조선 기자재 스마트 공정 도입",
    ),
    (
        "39",
        "RS",
        "제주 관광 콘텐츠 창업 지원",
        "관광 콘텐츠 스타트업 육성",
    ),
    // Planted overlaps: another ministry's project in the same region and industry.
    (
        "26",
        "C4",
        "울산 수소연료전지 실증사업 지원",
        "수소 연료전지 발전 실증과 기업 기술 개발 지원",
    ),
    (
        "31",
        "C6",
        "경기 반도체 소부장 공급망 강화 사업",
        "반도체 소재·부품·장비 기업의 성능 평가 지원",
    ),
];

/// The 2005 innovation-cluster pilot: (host province SGIS code, complex).
pub const PILOT_2005: &[(&str, &str)] = &[
    ("38", "창원 국가산업단지"),
    ("26", "울산 국가산업단지"),
    ("37", "구미 국가산업단지"),
    ("24", "광주 첨단과학산업단지"),
    ("31", "반월·시화 국가산업단지"),
    ("35", "군산 국가산업단지"),
    ("32", "원주 문막산업단지"),
];

/// Short province names by SGIS code, for the demo organisations' names.
const PROVINCES: &[(&str, &str)] = &[
    ("11", "서울"),
    ("21", "부산"),
    ("22", "대구"),
    ("23", "인천"),
    ("24", "광주"),
    ("25", "대전"),
    ("26", "울산"),
    ("29", "세종"),
    ("31", "경기"),
    ("32", "강원"),
    ("33", "충북"),
    ("34", "충남"),
    ("35", "전북"),
    ("36", "전남"),
    ("37", "경북"),
    ("38", "경남"),
    ("39", "제주"),
];

fn province(code: &str) -> &'static str {
    PROVINCES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
        .unwrap_or("기타")
}

/// The executing organisation of a demo project: the province's technopark.
fn technopark(region: &str) -> String {
    format!("{}테크노파크 (예시)", province(region))
}

fn partner(organisation: String, organisation_type: OrganisationType, region: &str) -> Partner {
    Partner {
        organisation,
        organisation_type,
        region: region.into(),
    }
}

/// The illustrative partners of demo project `k` (region, industry): a university and a firm
/// of the region, a public research institute by industry (they are few and national, so they
/// join projects across regions), a second firm in every other project, and for the two
/// cooperation projects a firm of each partner region. Invented, like every demo record.
fn demo_partners(
    k: usize,
    region: &str,
    industry: &str,
    partner_regions: &[String],
) -> Vec<Partner> {
    use OrganisationType::{Firm, ResearchInstitute, University};
    let name = province(region);
    let (institute, institute_region) = match industry {
        "J" | "C6" | "MN" => ("전자통신 연구원 (예시)", "25"),
        "C7" | "C5" | "H" => ("기계 연구원 (예시)", "25"),
        "C4" | "C1" => ("화학 연구원 (예시)", "25"),
        "Q" => ("바이오 연구원 (예시)", "25"),
        _ => ("생산기술 연구원 (예시)", "34"),
    };
    let mut out = vec![
        partner(format!("{name} 소재 대학 (예시)"), University, region),
        partner(format!("{name} {industry} 기업 가 (예시)"), Firm, region),
        partner(institute.into(), ResearchInstitute, institute_region),
    ];
    if k.is_multiple_of(2) {
        out.push(partner(
            format!("{name} {industry} 기업 나 (예시)"),
            Firm,
            region,
        ));
    }
    for other in partner_regions {
        out.push(partner(
            format!("{} {industry} 기업 가 (예시)", province(other)),
            Firm,
            other,
        ));
    }
    out
}

/// Code of the pilot's demo programme.
pub const PILOT_CODE: &str = "IC-2005";

/// Loads the demo content (admin actor). Returns the number of projects created.
pub fn load_demo(store: &dyn Store, admin: &Actor) -> Result<usize> {
    let rip = store.create_programme(
        admin,
        "RIP-DEMO",
        "지역산업진흥사업 (예시)",
        "산업통상자원부 MOTIE",
        "regional industry promotion",
        2024,
        2026,
    )?;
    let ic = store.create_programme(
        admin,
        "IC-DEMO",
        "혁신클러스터 시범단지 (예시)",
        "국토교통부 MOLIT",
        "innovation cluster pilot complexes",
        2024,
        2027,
    )?;
    let mut n = 0;
    for (k, (region, industry, title, objective)) in PROJECTS.iter().enumerate() {
        let programme = if k >= 16 || k % 3 == 0 { ic.id } else { rip.id };
        // Two illustrative cooperation projects: Busan with Ulsan and Gyeongnam, Daejeon
        // with Sejong and Chungnam.
        let partner_regions: Vec<String> = match *region {
            "21" => vec!["26".into(), "38".into()],
            "25" => vec!["29".into(), "34".into()],
            _ => Vec::new(),
        };
        let p = store.create_project(
            admin,
            &ProjectInput {
                programme_id: programme,
                title: (*title).into(),
                objective: format!("{objective} {ILLUSTRATIVE}"),
                region: (*region).into(),
                partners: demo_partners(k, region, industry, &partner_regions),
                partner_regions,
                industry: (*industry).into(),
                organisation: technopark(region),
                organisation_type: OrganisationType::SupportOrganisation,
                start_year: 2024,
                end_year: 2026,
                status: if k % 5 == 4 {
                    Status::Draft
                } else {
                    Status::Published
                },
            },
        )?;
        let base = 50.0 + 10.0 * (k % 7) as f64;
        let ind =
            store.create_indicator(admin, p.id, "신규 고용 (persons)", "persons", base, 2023)?;
        store.record_value(
            admin,
            ind.id,
            2024,
            None,
            Some(base * 1.5),
            Some(base * (1.1 + 0.05 * (k % 4) as f64)),
        )?;
        store.record_value(admin, ind.id, 2025, None, Some(base * 2.0), None)?;
        // Results framework (illustrative): the outcome the indicator measures, an output,
        // milestones, and the 2024 jobs split between two districts of the region.
        let outcome = store.add_result(
            admin,
            p.id,
            crate::ResultLevel::Outcome,
            "지역 일자리 창출 (예시)",
            "참여기업의 신규 고용",
        )?;
        store.link_indicator(admin, outcome.id, ind.id)?;
        store.add_result(
            admin,
            p.id,
            crate::ResultLevel::Output,
            "기업 지원 프로그램 운영 (예시)",
            "기술개발·시험인증·인력양성 지원",
        )?;
        let start = store.add_milestone(admin, p.id, "사업 착수 (예시)", "2024-03-31")?;
        store.complete_milestone(admin, start.id, start.version, Some("2024-03-20"))?;
        let interim = store.add_milestone(admin, p.id, "중간평가 대응 (예시)", "2025-06-30")?;
        if k.is_multiple_of(2) {
            store.complete_milestone(admin, interim.id, interim.version, Some("2025-07-10"))?;
        }
        store.add_milestone(admin, p.id, "최종 성과 보고 (예시)", "2026-12-31")?;
        let jobs_2024 = base * (1.1 + 0.05 * (k % 4) as f64);
        for (district, share) in [("010", 0.6), ("020", 0.4)] {
            store.record_region_value(
                admin,
                &crate::RegionValueInput {
                    indicator_id: ind.id,
                    period: 2024,
                    region: format!("{region}{district}"),
                    target: Some(base * 1.5 * share),
                    actual: Some(jobs_2024 * share),
                    version: None,
                },
            )?;
        }
        let planned = 1_000.0 + 250.0 * (k % 5) as f64;
        store.add_budget(
            admin,
            p.id,
            2024,
            "central",
            planned,
            planned * (0.7 + 0.05 * (k % 6) as f64),
        )?;
        store.add_budget(admin, p.id, 2024, "local", planned * 0.3, planned * 0.25)?;
        store.add_budget(admin, p.id, 2025, "central", planned, 0.0)?;
        // An interim evaluation of every published project (illustrative scores).
        if p.status == Status::Published {
            let perf = 55.0 + 6.0 * (k % 7) as f64;
            store.evaluate(
                admin,
                p.id,
                "interim",
                &[
                    ("relevance".to_string(), 70.0 + 3.0 * (k % 5) as f64, 0.3),
                    ("performance".to_string(), perf, 0.5),
                    ("management".to_string(), 75.0, 0.2),
                ],
            )?;
        }
        n += 1;
    }
    n += load_pilot(store, admin)?;
    Ok(n)
}

/// The 2005 pilot: one published project per host province, 2005-2007, each with a final
/// evaluation (illustrative scores).
fn load_pilot(store: &dyn Store, admin: &Actor) -> Result<usize> {
    let programme = store.create_programme(
        admin,
        PILOT_CODE,
        "혁신클러스터 시범사업 2005 (예시)",
        "산업자원부 MOCIE",
        "innovation cluster pilot 2005",
        2005,
        2007,
    )?;
    for (k, (region, complex)) in PILOT_2005.iter().enumerate() {
        let p = store.create_project(
            admin,
            &ProjectInput {
                programme_id: programme.id,
                title: format!("{complex} 혁신클러스터 시범단지"),
                objective: format!(
                    "산업단지를 생산기지에서 혁신클러스터로 전환 (산학연 협의체, 기업지원) {ILLUSTRATIVE}"
                ),
                region: (*region).into(),
                partner_regions: Vec::new(),
                industry: "C".into(),
                organisation: "산업단지 공단 (예시)".into(),
                organisation_type: OrganisationType::SupportOrganisation,
                partners: vec![
                    partner(
                        format!("{complex} 입주기업 (예시)"),
                        OrganisationType::Firm,
                        region,
                    ),
                    partner(
                        format!("{} 소재 대학 (예시)", province(region)),
                        OrganisationType::University,
                        region,
                    ),
                    partner(technopark(region), OrganisationType::SupportOrganisation, region),
                ],
                start_year: 2005,
                end_year: 2007,
                status: Status::Published,
            },
        )?;
        store.evaluate(
            admin,
            p.id,
            "final",
            &[
                ("relevance".to_string(), 72.0 + 2.0 * k as f64, 0.3),
                ("performance".to_string(), 60.0 + 4.0 * (k % 4) as f64, 0.5),
                ("management".to_string(), 78.0, 0.2),
            ],
        )?;
    }
    Ok(PILOT_2005.len())
}
