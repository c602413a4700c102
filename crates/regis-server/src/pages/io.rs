//! The input-output page: the Bank of Korea's 2020 table built in — every sector's multipliers,
//! the key-sector quadrant (backward against forward linkage), a chosen sector's value chain
//! (largest suppliers and customers) and its regionalised output multiplier on a map of the
//! provinces (FLQ with the calibrated δ, beside BoK's survey-based multiplier).

use axum::extract::{RawQuery, State};
use regis_app::io::MultipliersRequest;
use regis_data::korea::io::{korean_io_table, IoLevel, IO_ATTRIBUTION_KO};

use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// The form: table level and sector.
#[derive(askama::Template)]
#[template(path = "pages/io_form.html")]
struct IoForm<'a> {
    level: Markup,
    sector: Markup,
    l: &'a str,
    show: &'a str,
}

/// GET /io — input-output multipliers, key sectors and value chains.
pub async fn io(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    // Built-in data only: rendered once per address.
    let q = canonical_query(&q);
    cached_page(&s, builtin_page_key("io", &q), || render(&q))
}

/// A key-sector class in the page's language.
fn class_name(class: &str, lang: Lang) -> &'static str {
    let ko = lang == Lang::Ko;
    match class {
        "key" if ko => "핵심 부문",
        "key" => "key sector",
        "backward" if ko => "후방 연관 주도",
        "backward" => "backward-led",
        "forward" if ko => "전방 연관 주도",
        "forward" => "forward-led",
        _ if ko => "연관 약함",
        _ => "weak links",
    }
}

/// The map of a sector's in-region output multiplier by province.
fn multiplier_map(sector83: &str, name: &str, lang: Lang) -> Result<Markup, AppError> {
    use regis_viz::map::{choropleth, MapFeature, MapSpec};
    let ko = lang == Lang::Ko;
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS);
    let level = regis_core::Level::PROVINCE;
    let rows = regis_app::io_region::province_multipliers(
        sector83,
        regis_app::io_region::Quotient::Flq(regis_app::io_chain::KOREA_DELTA),
    )?;
    let values: Vec<regis_app::explore::MapValue> = rows
        .iter()
        .filter_map(|r| {
            Some(regis_app::explore::MapValue {
                region: cat.resolve(&r.province, sgis, None, Some(level)).ok()?,
                value: Some(r.output_multiplier),
            })
        })
        .collect();
    let joined =
        regis_app::explore::join_boundaries(cat, level, regis_core::Period(2017), &values)?;
    let survey = |code: &str| {
        rows.iter()
            .find(|r| r.province == code)
            .and_then(|r| r.survey_output_multiplier)
    };
    let feats: Vec<MapFeature> = joined
        .into_iter()
        .map(|j| {
            let reg = cat.region(j.region);
            let note = survey(&reg.code)
                .map(|v| {
                    if ko {
                        format!(" (한국은행 실측 {v:.3})")
                    } else {
                        format!(" (BoK survey {v:.3})")
                    }
                })
                .unwrap_or_default();
            MapFeature {
                code: reg.code.clone(),
                name: format!("{}{note}", reg.name(lang.code())),
                rings: j.rings,
                value: j.value,
            }
        })
        .collect();
    let vals: Vec<f64> = rows.iter().map(|r| r.output_multiplier).collect();
    let breaks = regis_viz::breaks::breaks(&vals, 5, regis_viz::breaks::Scheme::Quantiles);
    let title = if ko {
        format!(
            "{name}: 지역 내 생산유발계수 (FLQ δ={})",
            regis_app::io_chain::KOREA_DELTA
        )
    } else {
        format!(
            "Sector {sector83}: in-region output multiplier (FLQ δ={})",
            regis_app::io_chain::KOREA_DELTA
        )
    };
    Ok(Markup::figure(choropleth(
        &feats,
        &MapSpec {
            title: &title,
            description: &if ko {
                format!("시도별 지역 내 생산유발계수; {IO_ATTRIBUTION_KO}")
            } else {
                "each province's in-region output multiplier, regionalised from the Bank of Korea's 2020 table (source: Bank of Korea)".to_string()
            },
            legend_title: if ko {
                "생산유발계수"
            } else {
                "Output multiplier"
            },
            missing_label: t(lang, "missing"),
            breaks: &breaks,
            width: 560.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
            categories: &[],
        },
    )))
}

/// The page for the query `q`.
fn render(q: &Option<String>) -> Page {
    let p = Params::parse(q.as_deref(), &["sectors", "sector", "lang"])?;
    let lang = p.lang()?;
    let ko = lang == Lang::Ko;
    let level = crate::io_questions::io_level(&p, IoLevel::Sectors33)?;
    let builtin = korean_io_table(level)?;
    let io = &builtin.system;
    let request = MultipliersRequest::builtin(level);
    let multipliers = regis_app::io::multipliers(&request)?;
    let linkages = regis_app::io::linkages(&request)?;
    // The sector shown: the one asked for, else the one with the largest output multiplier.
    let strongest = multipliers
        .sectors
        .iter()
        .max_by(|a, b| a.output_multiplier.total_cmp(&b.output_multiplier))
        .map(|s| s.sector.clone())
        .unwrap_or_default();
    let sector = match p.get("sector") {
        Some(s) if io.sectors.iter().any(|x| x == s) => s.to_string(),
        Some(s) => {
            return Err(AppError::not_found(
                "unknown-sector",
                format!(
                    "no sector `{}` in the {}-sector table",
                    crate::error::shown(s),
                    level.sectors()
                ),
            ))
        }
        None => strongest,
    };
    let name_of = |code: &str| -> String {
        let k = io.sectors.iter().position(|s| s == code).unwrap_or(0);
        match (lang, &builtin.names_en[k]) {
            (Lang::En, Some(en)) => en.clone(),
            _ => builtin.names_ko[k].clone(),
        }
    };
    // English names exist at 33 sectors only; elsewhere an English page marks the Korean.
    let korean_names = ko || builtin.names_en.iter().all(Option::is_none);
    let label_of = |code: &str| {
        if korean_names && !ko {
            code.to_string()
        } else {
            format!("{code} {}", name_of(code))
        }
    };
    let chain = regis_app::io::sector_chain(&request, &sector, 5)?;
    // Form.
    let levels: Vec<(String, String)> = [33, 83, 165]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                if ko {
                    format!("{n}개 부문")
                } else {
                    format!("{n} sectors")
                },
            )
        })
        .collect();
    let sectors: Vec<(String, String)> = io
        .sectors
        .iter()
        .map(|c| (c.clone(), label_of(c)))
        .collect();
    let form = Markup::render(&IoForm {
        level: select(
            "sectors",
            if ko { "부문 수" } else { "table" },
            &levels,
            &level.sectors().to_string(),
        ),
        sector: select(
            "sector",
            if ko { "부문" } else { "sector" },
            &sectors,
            &sector,
        ),
        l: lang.code(),
        show: t(lang, "show"),
    })?;
    // Key-sector quadrant.
    let bubbles: Vec<regis_viz::chart::Bubble> = linkages
        .sectors
        .iter()
        .zip(&io.output)
        .map(|(s, x)| regis_viz::chart::Bubble {
            label: label_of(&s.sector),
            x: s.backward_linkage,
            y: s.forward_linkage,
            size: *x,
            highlight: s.sector == sector || s.key_sector == "key",
        })
        .collect();
    let quadrant = Markup::figure(regis_viz::chart::bubble_chart(
        &bubbles,
        if ko {
            "핵심 부문: 후방 연관 × 전방 연관 (원 크기 = 산출액)"
        } else {
            "Key sectors: backward × forward linkage (bubble = output)"
        },
        if ko {
            "부문별 정규화 후방·전방 연관; 둘 다 1 이상이면 핵심 부문"
        } else {
            "normalised backward and forward linkages; above 1 on both: a key sector"
        },
        if ko {
            "후방 연관"
        } else {
            "backward linkage"
        },
        if ko {
            "전방 연관"
        } else {
            "forward linkage"
        },
        (1.0, 1.0),
        600.0,
        420.0,
    ));
    // The regional map (83 regional sectors: a 165 product maps to its sector; 33 do not).
    let sector83 = match level {
        IoLevel::Sectors83 => Some(sector.clone()),
        IoLevel::Sectors165 => regis_data::korea::io::sector83_of(&sector),
        IoLevel::Sectors33 => None,
    };
    let map = match &sector83 {
        Some(s83) => {
            let t83 = korean_io_table(IoLevel::Sectors83)?;
            let k = t83
                .system
                .sectors
                .iter()
                .position(|c| c == s83)
                .unwrap_or(0);
            Some(multiplier_map(s83, &t83.names_ko[k], lang)?)
        }
        None => None,
    };
    // Value chain.
    let chain_rows = |links: &[(String, f64)]| -> Vec<Vec<String>> {
        links
            .iter()
            .map(|(c, share)| vec![c.clone(), name_of(c), format!("{:.1}%", 100.0 * share)])
            .collect()
    };
    let chain_head = |what: &'static str| -> Vec<&str> {
        vec![
            if ko { "부문" } else { "sector" },
            if ko { "이름" } else { "name" },
            what,
        ]
    };
    let names_table = |head: &[&str], rows: &[Vec<String>], id: &str| {
        if korean_names && !ko {
            table_with_korean(head, rows, id, 1)
        } else {
            table(head, rows, id)
        }
    };
    // Multiplier table.
    let rows: Vec<Vec<String>> = multipliers
        .sectors
        .iter()
        .zip(&linkages.sectors)
        .map(|(m, l)| {
            let f = |v: Option<f64>, d: usize| v.map(|x| format!("{x:.d$}")).unwrap_or_default();
            vec![
                m.sector.clone(),
                name_of(&m.sector),
                format!("{:.4}", m.output_multiplier),
                f(m.gva_effect, 4),
                f(m.income_effect, 4),
                f(m.employment_effect, 2),
                format!("{:.3}", l.backward_linkage),
                format!("{:.3}", l.forward_linkage),
                class_name(l.key_sector, lang).to_string(),
            ]
        })
        .collect();
    let head: Vec<&str> = if ko {
        vec![
            "부문",
            "이름",
            "생산유발계수",
            "부가가치유발계수",
            "피용자보수유발계수",
            "취업유발계수 (명/10억원)",
            "후방 연관",
            "전방 연관",
            "분류",
        ]
    } else {
        vec![
            "sector",
            "name",
            "output multiplier",
            "GVA effect",
            "income effect",
            "employment effect (persons per billion KRW)",
            "backward linkage",
            "forward linkage",
            "class",
        ]
    };
    let mut blocks = vec![
        Block::Html(form),
        Block::Para(if ko {
            format!("한국은행 2020년 산업연관표(실측표, 국산거래표, 생산자가격)의 {}개 부문. 최종수요 1원이 경제 전체에 유발하는 산출(생산유발계수), 부가가치, 피용자보수와 취업자 수, 그리고 후방·전방 연관(Rasmussen 1956; 전방은 Ghosh 역행렬)입니다. {IO_ATTRIBUTION_KO}", level.sectors())
        } else {
            format!("The Bank of Korea's 2020 benchmark input-output table (domestic flows at producers' prices), {} sectors: what one won of final demand for a sector generates across the economy — output (the output multiplier), value added, compensation and employment — and each sector's backward and forward linkages (Rasmussen 1956; forward from the Ghosh inverse). Source: Bank of Korea, 2020 Input-Output Tables; modified by Regis (data/korea/io/PROVENANCE.txt).", level.sectors())
        }),
    ];
    let mut row = vec![(Some("io-quadrant"), quadrant)];
    if let Some(m) = map {
        row.push((Some("io-map"), m));
    }
    blocks.push(Block::Row(row));
    blocks.push(Block::Para(match (&sector83, ko) {
        (Some(_), true) => "지도: 선택한 부문의 시도별 지역 내 생산유발계수. 전국 표를 시도별 GRDP 비중으로 FLQ 지역화했습니다(δ는 한국은행 지역산업연관표 실측치에 맞춰 보정, 평균 오차 8%). 마우스를 올리면 한국은행 실측치가 보입니다.".to_string(),
        (Some(_), false) => "Map: the chosen sector's in-region output multiplier in each province, from the national table regionalised by FLQ with each province's GRDP shares (δ calibrated against the Bank of Korea's survey-based regional table: 8% mean error); the tooltip gives BoK's survey figure.".to_string(),
        (None, true) => "시도별 지도는 지역산업연관표의 83개 부문에서 그립니다: 부문 수를 83이나 165로 바꾸세요.".to_string(),
        (None, false) => "The provincial map is drawn at the regional table's 83 sectors: choose 83 or 165 sectors.".to_string(),
    }));
    blocks.push(Block::Heading(if ko {
        format!("{} 가치사슬", label_of(&sector))
    } else {
        format!("Value chain of sector {}", label_of(&sector))
    }));
    blocks.push(Block::Row(vec![
        (
            Some("io-suppliers"),
            names_table(
                &chain_head(if ko {
                    "중간투입 중 비중"
                } else {
                    "share of its inputs"
                }),
                &chain_rows(&chain.suppliers),
                "suppliers",
            ),
        ),
        (
            Some("io-customers"),
            names_table(
                &chain_head(if ko {
                    "중간판매 중 비중"
                } else {
                    "share of its sales"
                }),
                &chain_rows(&chain.customers),
                "customers",
            ),
        ),
    ]));
    blocks.push(Block::Heading(if ko {
        "부문별 승수".to_string()
    } else {
        "Multipliers by sector".to_string()
    }));
    blocks.push(Block::Html(names_table(&head, &rows, "multipliers")));
    blocks.push(Block::Html(api_link(
        lang,
        &format!(
            "/api/v1/io/multipliers?sectors={}&lang={}",
            level.sectors(),
            lang.code()
        ),
    )));
    let body = article(blocks)?;
    let title = if ko {
        "산업연관분석"
    } else {
        "Input-output"
    };
    Ok(layout_markup(
        lang,
        title,
        &format!("/io{}", query_string(q)),
        body,
    ))
}
