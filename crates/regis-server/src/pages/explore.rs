//! The exploring pages: the imbalance overview, the map explorer, region profiles, where an
//! industry concentrates, the methods and the downloads.

use axum::extract::{Path, RawQuery, State};
use regis_app::explore::METHODS;
use regis_core::TOTAL_INDUSTRY;
use regis_data::korea;
use regis_viz::chart::{line_chart, Series};

use crate::api::{imbalance_svg, industry_json, lq_svg, map_svg, profile_json};
use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// The overview's body: the imbalance chart and table.
#[derive(askama::Template)]
#[template(path = "pages/overview.html")]
struct OverviewPage<'a> {
    chart: Markup,
    head: &'a [String],
    rows: &'a [Vec<String>],
    caveats: Markup,
    api: Vec<Markup>,
}

/// GET / — the imbalance story.
pub async fn overview(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let chart = imbalance_svg(&s, lang)?;
    let pop = crate::api::sma_imbalance(&s, "population")?.rows;
    let grdp = crate::api::sma_imbalance(&s, "grdp_nominal")?.rows;
    let f4 = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let rows: Vec<Vec<String>> = grdp
        .iter()
        .map(|r| {
            let pop_share = pop
                .iter()
                .find(|x| x.period == r.period)
                .and_then(|x| x.group_share);
            vec![
                r.period.to_string(),
                f4(pop_share),
                f4(r.group_share),
                f4(r.theil_between),
                f4(r.theil_within),
            ]
        })
        .collect();
    let sma = t(lang, "sma_share");
    let head = [
        t(lang, "period").to_string(),
        format!("{sma} ({})", t(lang, "population")),
        format!("{sma} ({})", t(lang, "grdp_nominal")),
        t(lang, "theil_between").to_string(),
        t(lang, "theil_within").to_string(),
    ];
    let body = Markup::render(&OverviewPage {
        chart: Markup::figure(chart),
        head: &head,
        rows: &rows,
        caveats: caveats(
            lang,
            &["population", "grdp_nominal"],
            regis_core::Level::PROVINCE,
            None,
            &[(
                "totals-not-per-head",
                if lang == Lang::Ko {
                    "수도권 비중과 Theil 지수는 시도 총량(인구, GRDP 합계)의 분포로 계산한 것이며 1인당 값의 불평등이 아닙니다. 1인당 불평등은 CLI의 진단 명령에 1인당 옵션을 주어 계산합니다."
                } else {
                    "The capital-region shares and the Theil index are computed on the provinces' totals (population, GRDP), not per head; inequality per head is regis diagnose --per population."
                },
            )],
        ),
        api: vec![
            api_link(lang, "/api/v1/imbalance?measure=population&group=SMA"),
            api_link(lang, "/api/v1/imbalance?measure=grdp_nominal&group=SMA"),
        ],
    })?;
    Ok(layout_markup(
        lang,
        t(lang, "imbalance_story"),
        &format!("/{}", query_string(&q)),
        body,
    ))
}

/// The map explorer's body: the form, the map and its API calls.
#[derive(askama::Template)]
#[template(path = "pages/map.html")]
struct MapPage<'a> {
    measure: Markup,
    level: Markup,
    period_label: &'a str,
    period: &'a str,
    industry: Markup,
    index: Markup,
    scheme: Markup,
    l: &'a str,
    show: &'a str,
    find_label: &'a str,
    find_placeholder: &'a str,
    json_query: &'a str,
    library_note: &'a str,
    caveats: Markup,
    svg: Markup,
    api: Vec<Markup>,
}

/// GET /map — the map explorer.
pub async fn map(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let allowed = [
        "measure", "level", "period", "industry", "index", "scheme", "classes", "lang",
    ];
    let p = Params::parse(q.as_deref(), &allowed)?;
    let lang = p.lang()?;
    let svg = map_svg(&s, &p)?;
    let measure = p.or("measure", "population");
    let l = s.sources.measure(measure)?;
    let level = p.level()?;
    let industries: Vec<(String, String)> = l
        .dataset
        .panel_at(level)
        .or_else(|| l.dataset.panels.first())
        .map(|lp| {
            lp.panel
                .industries()
                .iter()
                .map(|i| {
                    (
                        i.clone(),
                        crate::api::industry_name(lp.panel.classification.as_deref(), i, lang),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let measures: Vec<(String, String)> = ["population", "grdp_nominal", "companies"]
        .iter()
        .map(|m| {
            (
                m.to_string(),
                korea::measure(m)
                    .map(|x| {
                        if lang == Lang::Ko {
                            x.name_ko
                        } else {
                            x.name_en
                        }
                    })
                    .unwrap_or_default(),
            )
        })
        .collect();
    let levels = vec![
        ("province".to_string(), t(lang, "province").to_string()),
        ("district".to_string(), t(lang, "district").to_string()),
    ];
    let indices: Vec<(String, String)> = ["level", "per_capita", "share", "lq", "growth"]
        .iter()
        .map(|i| (i.to_string(), t(lang, &format!("index_{i}")).to_string()))
        .collect();
    let schemes: Vec<(String, String)> = ["quantiles", "natural-breaks", "equal-interval"]
        .iter()
        .map(|i| (i.to_string(), t(lang, i).to_string()))
        .collect();
    let api_q = q.clone().unwrap_or_default();
    let body = Markup::render(&MapPage {
        measure: select("measure", t(lang, "measure"), &measures, measure),
        level: select(
            "level",
            t(lang, "level"),
            &levels,
            p.or("level", "province"),
        ),
        period_label: t(lang, "period"),
        period: p.or("period", ""),
        industry: select(
            "industry",
            t(lang, "industry"),
            &industries,
            p.or("industry", TOTAL_INDUSTRY),
        ),
        index: select("index", t(lang, "index"), &indices, p.or("index", "level")),
        scheme: select(
            "scheme",
            t(lang, "classes"),
            &schemes,
            p.or("scheme", "quantiles"),
        ),
        l: lang.code(),
        show: t(lang, "show"),
        find_label: if lang == Lang::Ko {
            "지도에서 찾기"
        } else {
            "Find on the map"
        },
        find_placeholder: if lang == Lang::Ko {
            "지역 이름 (시군구 지도에서는 시도 이름으로 확대)"
        } else {
            "region name (on the district map, a province zooms to it)"
        },
        json_query: &api_q
            .split('&')
            .filter(|x| !x.starts_with("scheme=") && !x.starts_with("classes="))
            .collect::<Vec<_>>()
            .join("&"),
        library_note: if lang == Lang::Ko {
            "대화형 지도: Apache ECharts 6.1.0 (이 서버에서 제공, 외부 요청 없음)."
        } else {
            "Interactive map: Apache ECharts 6.1.0 (served by this server; no outside request)."
        },
        caveats: caveats(
            lang,
            &[measure],
            level,
            match p.int("period")? {
                Some(y) => Some(y),
                None => l
                    .dataset
                    .panel_at(level)
                    .and_then(|lp| lp.panel.periods().last().map(|x| x.0)),
            },
            &[],
        ),
        svg: Markup::figure(svg.to_string()),
        api: vec![
            api_link(lang, &format!("/api/v1/map.svg?{api_q}")),
            api_link(
                lang,
                &format!(
                    "/api/v1/values?{}",
                    api_q
                        .split('&')
                        .filter(|x| !x.starts_with("scheme=") && !x.starts_with("classes="))
                        .collect::<Vec<_>>()
                        .join("&")
                ),
            ),
        ],
    })?;
    Ok(layout_markup(
        lang,
        t(lang, "map"),
        &format!("/map{}", query_string(&q)),
        body,
    ))
}

/// A region's profile: structure with LQs, shift-share, trend and rank.
#[derive(askama::Template)]
#[template(path = "pages/region.html")]
struct RegionPage<'a> {
    code: &'a str,
    name: &'a str,
    measure: &'a str,
    lq: Markup,
    structure_title: &'a str,
    structure: Markup,
    shift: Option<(String, Markup)>,
    trend_svg: Markup,
    trend: Markup,
    caveats: Markup,
    cards: Markup,
    more: Markup,
    api: Markup,
}

/// GET /region/{code} — a region's profile.
pub async fn region(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Page {
    // A profile of a built-in measure is rendered once per address.
    let key = builtin_page_key(&format!("region/{code:?}"), &q);
    cached_page(&s, key, || render_region(&s, code, q))
}

/// Beside a profile's trend: what its ranks are out of when that changes across years, and a
/// province's strategy candidates (traded industries, the default weights) with the way to
/// the strategy page.
fn profile_notes(s: &AppState, v: &serde_json::Value, code: &str, lang: Lang) -> Vec<Block> {
    let ko = lang == Lang::Ko;
    let mut blocks = Vec::new();
    let of: Vec<(i64, i64)> = v["trend"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| Some((x["period"].as_i64()?, x["of"].as_i64()?)))
        .collect();
    let (lo, hi) = (of.iter().min_by_key(|x| x.1), of.iter().max_by_key(|x| x.1));
    if let (Some(lo), Some(hi)) = (lo, hi) {
        if lo.1 != hi.1 {
            blocks.push(Block::Para(if ko {
                format!(
                    "순위의 분모(값이 있는 같은 단위 지역 수)는 연도마다 다릅니다: {}개({}년)에서 {}개({}년)까지. 행정구역 개편과 자료가 있는 지역 수 때문입니다.",
                    lo.1, lo.0, hi.1, hi.0
                )
            } else {
                format!(
                    "Ranks are out of the regions of the same level with a value that year, which changes: {} in {} to {} in {} (boundary changes and data coverage).",
                    lo.1, lo.0, hi.1, hi.0
                )
            }));
        }
    }
    if v["region"]["level"] == "province" {
        // The functional zone (labour-market area of migration) the province belongs to.
        if let Ok(z) = super::zones::migration_zones(super::zones::DEFAULT_ZONE_RULES, None) {
            if let Some((_, zone)) = z.unit_zone.iter().find(|(c, _)| c == code) {
                let cat = korea::catalog();
                let sgis = cat.system_index(korea::SGIS);
                let members: Vec<String> = z
                    .unit_zone
                    .iter()
                    .filter(|(_, k)| k == zone)
                    .map(|(c, _)| {
                        cat.resolve(c, sgis, None, Some(regis_core::Level::PROVINCE))
                            .map(|r| cat.region(r).name(lang.code()).to_string())
                            .unwrap_or_else(|_| c.clone())
                    })
                    .collect();
                blocks.push(Block::ParaLink(
                    if ko {
                        format!(
                            "기능권역 (인구이동, {}년): 권역 {} — {}.",
                            z.period.unwrap_or_default(),
                            zone + 1,
                            members.join(" · ")
                        )
                    } else {
                        format!(
                            "Functional zone (migration, {}): zone {} — {}.",
                            z.period.unwrap_or_default(),
                            zone + 1,
                            members.join(" · ")
                        )
                    },
                    format!("/zones?lang={}", lang.code()),
                    if ko { "권역 지도" } else { "Zone map" }.into(),
                ));
            }
        }
        let request =
            crate::params::Params::parse(Some(&format!("lang={}", lang.code())), &["lang"])
                .and_then(|p| crate::questions::strategy_request(&p));
        if let Ok(report) =
            request.and_then(|r| Ok(regis_app::strategy::strategy(&s.sources, &r, code)?))
        {
            let names: Vec<String> = report.selected.iter().map(|c| c.name.clone()).collect();
            blocks.push(Block::ParaLink(
                if ko {
                    format!(
                        "전략산업 후보 (교역산업, 기본 가중치 상위 {}): {}.",
                        names.len(),
                        names.join(" · ")
                    )
                } else {
                    format!(
                        "Strategy candidates (traded industries, top {} at the default weights): {}.",
                        names.len(),
                        names.join(" · ")
                    )
                },
                format!("/strategy?region={code}&lang={}", lang.code()),
                if ko { "근거와 가중치 보기" } else { "Evidence and weights" }.into(),
            ));
        }
    }
    blocks
}

/// The profile page of region `code` for the query `q`.
fn render_region(s: &AppState, code: String, q: Option<String>) -> Page {
    let p = Params::parse(q.as_deref(), &["measure", "lang"])?;
    let lang = p.lang()?;
    let measure = p.or("measure", "grdp_nominal");
    let v = profile_json(s, &code, measure, lang)?;
    let name = v["region"]["name"].as_str().unwrap_or_default().to_string();
    let structure: Vec<Vec<String>> = v["structure"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["name"].as_str().unwrap_or_default().to_string(),
                num(&x["value"]),
                format!("{:.1}%", x["share"].as_f64().unwrap_or(0.0) * 100.0),
                num(&x["lq"]),
            ]
        })
        .collect();
    let lq = if structure.is_empty() {
        String::new()
    } else {
        lq_svg(s, &code, measure, lang)?
    };
    let shift = match v["shift_share"].as_object() {
        Some(ss) => {
            let rows: Vec<Vec<String>> = ss["industries"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| {
                    vec![
                        x["name"].as_str().unwrap_or_default().into(),
                        num(&x["change"]),
                        num(&x["national"]),
                        num(&x["industry_mix"]),
                        num(&x["competitive"]),
                    ]
                })
                .collect();
            Some((
                format!("{} {}–{}", t(lang, "shift_share"), ss["from"], ss["to"]),
                table(
                    &[
                        t(lang, "industry"),
                        t(lang, "change"),
                        t(lang, "national"),
                        t(lang, "industry_mix"),
                        t(lang, "competitive"),
                    ],
                    &rows,
                    "shift-share",
                ),
            ))
        }
        None => None,
    };
    let series = Series {
        name: name.clone(),
        points: v["trend"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| (x["period"].as_f64().unwrap_or(0.0), x["value"].as_f64()))
            .collect(),
    };
    let trend_svg = line_chart(
        &[series],
        &format!("{name} — {}", t(lang, "trend")),
        t(lang, "trend"),
        640.0,
        280.0,
    );
    let trend_rows: Vec<Vec<String>> = v["trend"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|x| !x["value"].is_null())
        .map(|x| {
            vec![
                x["period"].to_string(),
                num(&x["value"]),
                format!("{} / {}", x["rank"], x["of"]),
            ]
        })
        .collect();
    let body = Markup::render(&RegionPage {
        code: v["region"]["code"].as_str().unwrap_or_default(),
        name: &name,
        measure: v["measure"][if lang == Lang::Ko {
            "name_ko"
        } else {
            "name_en"
        }]
        .as_str()
        .unwrap_or_default(),
        lq: Markup::figure(lq),
        structure_title: t(lang, "structure"),
        structure: table(
            &[
                t(lang, "industry"),
                t(lang, "value"),
                t(lang, "share"),
                "LQ",
            ],
            &structure,
            "structure",
        ),
        shift,
        trend_svg: Markup::figure(trend_svg),
        trend: table(
            &[t(lang, "period"), t(lang, "value"), t(lang, "rank")],
            &trend_rows,
            "trend",
        ),
        cards: crate::api::region_from_path(korea::catalog(), &code)
            .map(|r| headline_cards(&s.sources, r, lang))
            .unwrap_or_default(),
        more: article(profile_notes(s, &v, &code, lang))?,
        caveats: caveats(
            lang,
            &[measure],
            match v["region"]["level"].as_str() {
                Some("district") => regis_core::Level::DISTRICT,
                _ => regis_core::Level::PROVINCE,
            },
            None,
            &[],
        ),
        api: api_link(
            lang,
            &format!(
                "/api/v1/regions/{}/profile?measure={measure}&lang={}",
                code,
                lang.code()
            ),
        ),
    })?;
    // A district's title names its province ("중구, 서울특별시"): several districts share a name.
    let cat = korea::catalog();
    let title = crate::api::region_from_path(cat, &code)
        .map(|r| super::browse::name_with_parent(cat, r, lang))
        .unwrap_or(name);
    Ok(layout_markup(
        lang,
        &title,
        &format!("/region/{code}{}", query_string(&q)),
        body,
    ))
}

/// Where an industry concentrates: map, concentration indices, ranked regions.
#[derive(askama::Template)]
#[template(path = "pages/industry.html")]
struct IndustryPage<'a> {
    svg: Markup,
    concentration_title: &'a str,
    concentration: Markup,
    ranked_title: &'a str,
    ranked: Markup,
    api: Markup,
}

/// GET /industry/{code} — where an industry concentrates.
pub async fn industry(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Page {
    let p = Params::parse(q.as_deref(), &["measure", "level", "period", "lang"])?;
    let lang = p.lang()?;
    let measure = p.or("measure", "grdp_nominal");
    let level = p.level()?;
    let v = industry_json(&s, &code, measure, level, p.int("period")?, lang)?;
    let industry_code = v["industry"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mq = format!(
        "measure={measure}&level={}&period={}&industry={industry_code}&index=lq&lang={}",
        level.name(),
        v["period"],
        lang.code()
    );
    let mp = Params::parse(
        Some(&mq),
        &["measure", "level", "period", "industry", "index", "lang"],
    )?;
    let svg = map_svg(&s, &mp)?;
    let rows: Vec<Vec<String>> = v["regions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["name"].as_str().unwrap_or_default().into(),
                num(&x["value"]),
                format!(
                    "{:.1}%",
                    x["share_of_industry"].as_f64().unwrap_or(0.0) * 100.0
                ),
                num(&x["lq"]),
            ]
        })
        .collect();
    let c = &v["concentration"];
    let conc = table(
        &[
            if lang == Lang::Ko { "지표" } else { "index" },
            t(lang, "value"),
        ],
        &[
            vec![
                if lang == Lang::Ko {
                    "입지 지니계수"
                } else {
                    "locational Gini"
                }
                .into(),
                num(&c["locational_gini"]),
            ],
            vec!["Herfindahl".into(), num(&c["herfindahl"])],
            vec!["Krugman".into(), num(&c["krugman_concentration"])],
            vec![
                "Ellison-Glaeser (H = 0)".into(),
                num(&c["ellison_glaeser_h0"]),
            ],
        ],
        "concentration",
    );
    let title = format!(
        "{} — {}",
        v["industry"]["name"].as_str().unwrap_or_default(),
        t(lang, "where_concentrates")
    );
    let body = Markup::render(&IndustryPage {
        svg: Markup::figure(svg.to_string()),
        concentration_title: t(lang, "concentration"),
        concentration: conc,
        ranked_title: t(lang, "ranked"),
        ranked: table(
            &[t(lang, "region"), t(lang, "value"), t(lang, "share"), "LQ"],
            &rows,
            "ranked",
        ),
        api: api_link(
            lang,
            &format!(
                "/api/v1/industries/{}?measure={measure}&level={}&lang={}",
                industry_code,
                level.name(),
                lang.code()
            ),
        ),
    })?;
    Ok(layout_markup(
        lang,
        &title,
        &format!("/industry/{code}{}", query_string(&q)),
        body,
    ))
}

/// GET /methods — every formula with its reference.
pub async fn methods(RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let ko = lang == Lang::Ko;
    let body = Markup::render(&MethodsTable {
        head: [
            t(lang, "methods"),
            if ko { "공식" } else { "formula" },
            if ko { "참고문헌" } else { "reference" },
            "DOI",
        ],
        rows: METHODS
            .iter()
            .map(|m| {
                (
                    if ko { m.name_ko } else { m.name_en },
                    m.formula,
                    m.reference,
                    m.doi,
                )
            })
            .collect(),
    })?;
    Ok(layout_markup(
        lang,
        t(lang, "methods"),
        &format!("/methods{}", query_string(&q)),
        body,
    ))
}

/// The method catalogue: formulas and DOIs as code, references as citations (in English, as
/// published).
#[derive(askama::Template)]
#[template(path = "pages/methods_table.html")]
struct MethodsTable {
    head: [&'static str; 4],
    rows: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

/// The downloads table.
#[derive(askama::Template)]
#[template(path = "pages/downloads.html")]
struct DownloadsPage {
    measure: &'static str,
    level: &'static str,
    rows: Vec<(String, &'static str, &'static str, &'static str)>,
    formats: [(&'static str, &'static str); 3],
}

/// GET /downloads — the data behind the pages.
pub async fn downloads(RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let mut rows = Vec::new();
    for m in ["population", "grdp_nominal", "grdp_real", "companies"] {
        for level in ["province", "district"] {
            if m == "grdp_real" && level == "district" {
                continue;
            }
            let name = korea::measure(m)
                .map(|x| {
                    if lang == Lang::Ko {
                        x.name_ko
                    } else {
                        x.name_en
                    }
                })
                .unwrap_or_default();
            rows.push((name, t(lang, level), m, level));
        }
    }
    let body = Markup::render(&DownloadsPage {
        measure: t(lang, "measure"),
        level: t(lang, "level"),
        rows,
        formats: [("csv", "CSV"), ("xlsx", "XLSX"), ("geojson", "GeoJSON")],
    })?;
    Ok(layout_markup(
        lang,
        t(lang, "downloads"),
        &format!("/downloads{}", query_string(&q)),
        body,
    ))
}
