//! The exploring pages: the imbalance overview, the map explorer, where an industry
//! concentrates, the methods and the downloads.

use axum::extract::{Path, RawQuery, State};
use regis_app::explore::METHODS;
use regis_core::TOTAL_INDUSTRY;
use regis_data::korea;

use crate::api::{imbalance_svg, industry_json, map_svg};
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
