//! The dashboard's HTML pages: server-rendered through the templates of `templates/pages`,
//! figures inline as SVG, no script and no external request of any kind (fonts fall back to the
//! user's Korean fonts). Every section links the API call that returns its numbers.

use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use regis_core::{Level, TOTAL_INDUSTRY};
use regis_data::korea;
use regis_methods::catalog::METHODS;
use regis_viz::chart::{line_chart, Series};
use regis_viz::svg::{label, FONT_STACK};
use serde_json::Value;

use crate::api::{imbalance_svg, industry_json, lq_svg, map_svg, profile_json};
use crate::compute::imbalance_rows;
use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

type Page = Result<Html<String>, AppError>;

/// The dashboard's page frame (navigation, language switch, attribution) around a body.
#[derive(askama::Template)]
#[template(path = "layout.html")]
struct Layout<'a> {
    l: &'a str,
    title: &'a str,
    font: Markup,
    overview: &'a str,
    map: &'a str,
    methods: &'a str,
    strategy: &'a str,
    clusters: &'a str,
    downloads: &'a str,
    zones: &'a str,
    monitor: &'a str,
    switch: &'a str,
    language: &'a str,
    attribution: &'a str,
    body: Markup,
}

/// A page: the frame around a body that was itself rendered by a template.
pub(crate) fn layout_markup(
    lang: Lang,
    title: &str,
    path_and_query: &str,
    body: Markup,
) -> Html<String> {
    let other = lang.other();
    let switch = if path_and_query.contains("lang=") {
        path_and_query.replace(
            &format!("lang={}", lang.code()),
            &format!("lang={}", other.code()),
        )
    } else if path_and_query.contains('?') {
        format!("{path_and_query}&lang={}", other.code())
    } else {
        format!("{path_and_query}?lang={}", other.code())
    };
    let ko = lang == Lang::Ko;
    let page = Layout {
        l: lang.code(),
        title,
        font: Markup::constant(FONT_STACK),
        overview: t(lang, "overview"),
        map: t(lang, "map"),
        methods: t(lang, "methods"),
        strategy: if ko { "전략산업" } else { "Strategy" },
        clusters: if ko { "클러스터" } else { "Clusters" },
        downloads: t(lang, "downloads"),
        zones: if ko { "기능권역" } else { "Zones" },
        monitor: if ko {
            "사업 모니터링"
        } else {
            "Monitoring"
        },
        switch: &switch,
        language: t(lang, "language"),
        attribution: korea::ATTRIBUTION,
        body,
    };
    match Markup::render(&page) {
        Ok(m) => Html(m.into_string()),
        Err(_) => Html(String::from(
            "<!doctype html><title>Regis</title><p>internal error; see the server log</p>",
        )),
    }
}

/// The line under a section that gives the API call for its numbers.
#[derive(askama::Template)]
#[template(path = "parts/api_link.html")]
struct ApiLink<'a> {
    label: &'a str,
    url: &'a str,
}

fn api_link(lang: Lang, url: &str) -> Markup {
    Markup::render(&ApiLink {
        label: t(lang, "api"),
        url,
    })
    .unwrap_or_default()
}

fn query_string(raw: &Option<String>) -> String {
    raw.as_deref().map(|q| format!("?{q}")).unwrap_or_default()
}

/// A block of a page assembled from parts: text is escaped, markup comes from templates or
/// figures.
pub(crate) enum Block {
    /// A paragraph of text.
    Para(String),
    /// A section heading.
    Heading(String),
    /// Rendered markup (a table, a form, an API line).
    Html(Markup),
    /// A row of side-by-side parts, each with an optional element id.
    Row(Vec<(Option<&'static str>, Markup)>),
    /// A line of small print (a CLI command).
    Cli(String),
    /// A paragraph holding one link: id, href, text.
    Link(&'static str, String, String),
    /// A paragraph of text followed by a link: text, href, link text.
    ParaLink(String, String, String),
}

/// A page body made of [`Block`]s.
#[derive(askama::Template)]
#[template(path = "pages/article.html")]
pub(crate) struct Article {
    pub(crate) blocks: Vec<Block>,
}

/// The body of blocks, rendered.
pub(crate) fn article(blocks: Vec<Block>) -> Result<Markup, AppError> {
    Markup::render(&Article { blocks })
}

/// The overview's body: the imbalance chart and table.
#[derive(askama::Template)]
#[template(path = "pages/overview.html")]
struct OverviewPage<'a> {
    chart: Markup,
    head: &'a [String],
    rows: &'a [Vec<String>],
    api: Vec<Markup>,
}

/// GET / — the imbalance story.
pub async fn overview(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    let lang = p.lang()?;
    let chart = imbalance_svg(&s, lang)?;
    let pop = imbalance_rows(
        &s.sources,
        &s.sources.load("population")?,
        "SMA",
        Level::PROVINCE,
        None,
    )?;
    let grdp = imbalance_rows(
        &s.sources,
        &s.sources.load("grdp_nominal")?,
        "SMA",
        Level::PROVINCE,
        None,
    )?;
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

/// A labelled drop-down of a form.
#[derive(askama::Template)]
#[template(path = "parts/select.html")]
struct Select<'a> {
    name: &'a str,
    label: &'a str,
    options: &'a [(String, String)],
    current: &'a str,
}

fn select(name: &str, label: &str, options: &[(String, String)], current: &str) -> Markup {
    Markup::render(&Select {
        name,
        label,
        options,
        current,
    })
    .unwrap_or_default()
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
    let l = s.sources.load(measure)?;
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

/// A table of text cells (every cell escaped).
#[derive(askama::Template)]
#[template(path = "parts/table.html")]
struct Table<'a> {
    id: &'a str,
    head: &'a [&'a str],
    rows: &'a [Vec<String>],
}

fn table(head: &[&str], rows: &[Vec<String>], id: &str) -> Markup {
    Markup::render(&Table { id, head, rows }).unwrap_or_default()
}

fn num(v: &Value) -> String {
    v.as_f64().map(label).unwrap_or_default()
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
    api: Markup,
}

/// GET /region/{code} — a region's profile.
pub async fn region(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Page {
    let p = Params::parse(q.as_deref(), &["measure", "lang"])?;
    let lang = p.lang()?;
    let measure = p.or("measure", "grdp_nominal");
    let v = profile_json(&s, &code, measure, lang)?;
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
        lq_svg(&s, &code, measure, lang)?
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
        api: api_link(
            lang,
            &format!(
                "/api/v1/regions/{}/profile?measure={measure}&lang={}",
                code,
                lang.code()
            ),
        ),
    })?;
    Ok(layout_markup(
        lang,
        &name,
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
        &["index", t(lang, "value")],
        &[
            vec!["locational Gini".into(), num(&c["locational_gini"])],
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
    let rows: Vec<Vec<String>> = METHODS
        .iter()
        .map(|m| {
            vec![
                (if lang == Lang::Ko {
                    m.name_ko
                } else {
                    m.name_en
                })
                .to_string(),
                m.formula.to_string(),
                m.reference.to_string(),
                if m.doi.is_empty() {
                    String::new()
                } else {
                    format!("doi:{}", m.doi)
                },
            ]
        })
        .collect();
    let body = table(
        &[t(lang, "methods"), "formula", "reference", "DOI"],
        &rows,
        "methods",
    );
    Ok(layout_markup(
        lang,
        t(lang, "methods"),
        &format!("/methods{}", query_string(&q)),
        body,
    ))
}

/// The downloads table.
#[derive(askama::Template)]
#[template(path = "pages/downloads.html")]
struct DownloadsPage {
    measure: &'static str,
    level: &'static str,
    rows: Vec<(String, &'static str, &'static str, &'static str)>,
    formats: [&'static str; 3],
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
        formats: ["csv", "xlsx", "geojson"],
    })?;
    Ok(layout_markup(
        lang,
        t(lang, "downloads"),
        &format!("/downloads{}", query_string(&q)),
        body,
    ))
}

/// The strategy page's form: region, weights, top-k.
#[derive(askama::Template)]
#[template(path = "pages/strategy_form.html")]
struct StrategyForm<'a> {
    region: Markup,
    weights_label: &'a str,
    weights: &'a str,
    top: usize,
    l: &'a str,
    show: &'a str,
}

/// GET /strategy — a region's strategic industries.
pub async fn strategy(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["region", "weights", "top", "lang"])?;
    let lang = p.lang()?;
    let region = p.or("region", "26");
    let w = crate::select::parse_weights(p.get("weights"))?;
    let top = p.int("top")?.unwrap_or(4).max(0) as usize;
    let v = crate::select::strategy_json(
        &s.sources,
        region,
        "grdp_nominal",
        Level::PROVINCE,
        None,
        top,
        &w,
        lang,
    )?;
    let cat = korea::catalog();
    let provinces: Vec<(String, String)> = cat
        .at_level(Level::PROVINCE, Some(2017))
        .into_iter()
        .map(|r| {
            (
                cat.region(r).code.clone(),
                cat.region(r).name(lang.code()).to_string(),
            )
        })
        .collect();
    let form = Markup::render(&StrategyForm {
        region: select(
            "region",
            t(lang, "region"),
            &provinces,
            v["region"]["code"].as_str().unwrap_or_default(),
        ),
        weights_label: if lang == Lang::Ko {
            "가중치"
        } else {
            "Weights"
        },
        weights: p.or("weights", ""),
        top,
        l: lang.code(),
        show: t(lang, "show"),
    })?;
    let cands = v["candidates"].as_array().cloned().unwrap_or_default();
    let bubbles: Vec<regis_viz::chart::Bubble> = cands
        .iter()
        .filter_map(|c| {
            Some(regis_viz::chart::Bubble {
                label: c["name"].as_str()?.to_string(),
                x: c["criteria"]["specialisation"].as_f64()?,
                y: c["criteria"]["growth"].as_f64()?,
                size: c["criteria"]["size"].as_f64()?,
                highlight: c["selected"] == true,
            })
        })
        .collect();
    let chart = regis_viz::chart::bubble_chart(
        &bubbles,
        if lang == Lang::Ko {
            "산업 포트폴리오: 입지계수 × 연평균 성장률 (원 크기 = 비중)"
        } else {
            "Portfolio: LQ × annual growth (bubble = share of output)"
        },
        "portfolio",
        "LQ",
        if lang == Lang::Ko {
            "성장률 %"
        } else {
            "growth %"
        },
        (
            1.0,
            cands
                .iter()
                .filter_map(|c| c["criteria"]["growth"].as_f64())
                .sum::<f64>()
                / cands.len().max(1) as f64,
        ),
        640.0,
        420.0,
    );
    let rows: Vec<Vec<String>> = cands
        .iter()
        .map(|c| {
            let cr = &c["criteria"];
            vec![
                c["rank"].to_string(),
                c["name"].as_str().unwrap_or_default().into(),
                num(&cr["specialisation"]),
                num(&cr["size"]),
                num(&cr["growth"]),
                num(&cr["competitive"]),
                num(&cr["density"]),
                num(&cr["complexity"]),
                format!("{:.3}", c["score"].as_f64().unwrap_or(0.0)),
                format!(
                    "{:.0}%",
                    c["sensitivity"]["in_top_k"].as_f64().unwrap_or(0.0) * 100.0
                ),
            ]
        })
        .collect();
    let head = [
        "rank",
        t(lang, "industry"),
        "LQ",
        t(lang, "share"),
        "growth %",
        "competitive %",
        "density",
        "PCI",
        "score",
        "top-k",
    ];
    let title = format!(
        "{} — {}",
        v["region"]["name"].as_str().unwrap_or_default(),
        if lang == Lang::Ko {
            "전략산업 선정"
        } else {
            "Strategic industries"
        }
    );
    let body = article(vec![
        Block::Html(form),
        Block::ParaLink(
            format!(
                "{} {}–{}.",
                v["measure"][if lang == Lang::Ko {
                    "name_ko"
                } else {
                    "name_en"
                }]
                .as_str()
                .unwrap_or_default(),
                v["from"],
                v["to"]
            ),
            format!("/strategy/overlap?lang={}", lang.code()),
            if lang == Lang::Ko {
                "전국 시도의 선택과 중복"
            } else {
                "All provinces: choices and overlap"
            }
            .into(),
        ),
        Block::Row(vec![
            (None, Markup::figure(chart)),
            (None, table(&head, &rows, "candidates")),
        ]),
        Block::Html(api_link(
            lang,
            &format!(
                "/api/v1/strategy/{}?lang={}",
                v["region"]["code"].as_str().unwrap_or_default(),
                lang.code()
            ),
        )),
    ])?;
    Ok(layout_markup(
        lang,
        &title,
        &format!("/strategy{}", query_string(&q)),
        body,
    ))
}

/// GET /strategy/overlap — where provinces compete for the same industries.
pub async fn strategy_overlap(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["top", "weights", "lang"])?;
    let lang = p.lang()?;
    let w = crate::select::parse_weights(p.get("weights"))?;
    let top = p.int("top")?.unwrap_or(4).max(0) as usize;
    let v = crate::select::overlap_json(
        &s.sources,
        "grdp_nominal",
        Level::PROVINCE,
        None,
        top,
        3,
        &w,
        lang,
    )?;
    let choices: Vec<Vec<String>> = v["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                c["region"].as_str().unwrap_or_default().into(),
                c["industries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
            ]
        })
        .collect();
    let inds: Vec<Vec<String>> = v["industries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["contested"] == true)
        .map(|i| {
            vec![
                i["name"].as_str().unwrap_or_default().into(),
                i["regions"].to_string(),
                i["chosen_by"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let sugg: Vec<Vec<String>> = v["differentiation"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["region"].as_str().unwrap_or_default().into(),
                x["contested"].as_str().unwrap_or_default().into(),
                x["suggestion"].as_str().unwrap_or_default().into(),
                format!("{:.2}", x["proximity"].as_f64().unwrap_or(0.0)),
            ]
        })
        .collect();
    let (h1, h2, h3) = if lang == Lang::Ko {
        (
            "시도별 선택",
            "여러 시도가 선택한 산업(경쟁)",
            "차별화 제안(관련 산업)",
        )
    } else {
        (
            "Each province's choice",
            "Industries chosen by several provinces (competition)",
            "Differentiation suggestions (related industries)",
        )
    };
    let body = article(vec![
        Block::Heading(h1.into()),
        Block::Html(table(
            &[t(lang, "region"), t(lang, "industry")],
            &choices,
            "choices",
        )),
        Block::Heading(h2.into()),
        Block::Html(table(
            &[t(lang, "industry"), "n", t(lang, "region")],
            &inds,
            "contested",
        )),
        Block::Heading(h3.into()),
        Block::Html(table(
            &[t(lang, "region"), "contested", "→", "proximity"],
            &sugg,
            "differentiation",
        )),
        Block::Html(api_link(
            lang,
            &format!("/api/v1/strategy?top={top}&lang={}", lang.code()),
        )),
    ])?;
    let title = if lang == Lang::Ko {
        "전략산업의 중복과 차별화"
    } else {
        "Overlap and differentiation of strategic industries"
    };
    Ok(layout_markup(
        lang,
        title,
        &format!("/strategy/overlap{}", query_string(&q)),
        body,
    ))
}

/// GET /clusters — clusters of related industries and star ratings.
pub async fn clusters(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["k", "level", "lang"])?;
    let lang = p.lang()?;
    let k = p.int("k")?.unwrap_or(5).max(0) as usize;
    let level = p.level()?;
    let v = crate::select::clusters_json(&s.sources, "grdp_nominal", level, None, k, lang)?;
    let cl: Vec<Vec<String>> = v["clusters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            vec![
                c["cluster"].to_string(),
                c["industries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(" · "),
            ]
        })
        .collect();
    let st: Vec<Vec<String>> = v["stars"]
        .as_array()
        .into_iter()
        .flatten()
        .take(60)
        .map(|x| {
            vec![
                x["region"].as_str().unwrap_or_default().into(),
                x["cluster"].to_string(),
                "★".repeat(x["stars"].as_u64().unwrap_or(0) as usize),
                num(&x["value"]),
            ]
        })
        .collect();
    let body = article(vec![
        Block::Para(format!(
            "{} · silhouette {:.3}",
            v["method"].as_str().unwrap_or_default(),
            v["silhouette"].as_f64().unwrap_or(0.0)
        )),
        Block::Html(table(&["cluster", t(lang, "industry")], &cl, "clusters")),
        Block::Heading(
            if lang == Lang::Ko {
                "클러스터 강도(유럽 클러스터 관측소 별점)"
            } else {
                "Cluster strength (European Cluster Observatory stars)"
            }
            .into(),
        ),
        Block::Html(table(
            &[t(lang, "region"), "cluster", "★", t(lang, "value")],
            &st,
            "stars",
        )),
        Block::Html(api_link(
            lang,
            &format!(
                "/api/v1/clusters?k={k}&level={}&lang={}",
                level.name(),
                lang.code()
            ),
        )),
    ])?;
    let title = if lang == Lang::Ko {
        "산업 클러스터"
    } else {
        "Industry clusters"
    };
    Ok(layout_markup(
        lang,
        title,
        &format!("/clusters{}", query_string(&q)),
        body,
    ))
}

/// GET /zones — functional zones drawn from migration flows between provinces
/// (labour-market-area rules), on the map against the provincial borders.
pub async fn zones(State(_s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    use regis_methods::zones::{labour_market_areas, LmaParameters};
    use regis_viz::map::{choropleth, MapFeature, MapSpec};
    let p = Params::parse(
        q.as_deref(),
        &[
            "lang",
            "period",
            "min_size",
            "target_size",
            "min_self_containment",
            "target_self_containment",
        ],
    )?;
    let lang = p.lang()?;
    let num = |k: &str, d: f64| -> Result<f64, AppError> {
        match p.get(k) {
            None => Ok(d),
            Some(v) => v.parse::<f64>().map_err(|_| {
                AppError::bad(
                    "bad-parameter",
                    format!("{k}: `{}` is not a number", crate::error::shown(v)),
                )
            }),
        }
    };
    let params = LmaParameters {
        min_size: num("min_size", 1000.0)?,
        target_size: num("target_size", 10000.0)?,
        min_self_containment: num("min_self_containment", 0.6667)?,
        target_self_containment: num("target_self_containment", 0.75)?,
    };
    let ds = korea::dataset("migration")?;
    let fm = ds
        .flows
        .as_ref()
        .ok_or_else(|| AppError::internal("migration has no flows"))?;
    let last = fm.periods().last().map(|p| p.0).unwrap_or(2020);
    let year = p.int("period")?.unwrap_or(last);
    let period = fm
        .periods()
        .iter()
        .copied()
        .find(|x| x.0 == year)
        .ok_or_else(|| {
            AppError::not_found(
                "unknown-period",
                format!("migration flows exist for 2012-{last}"),
            )
        })?;
    let mut flows = Vec::new();
    for (i, o) in fm.regions().iter().enumerate() {
        for (j, d) in fm.regions().iter().enumerate() {
            if let Some(v) = fm.get(*o, *d, period) {
                flows.push((i, j, v));
            }
        }
    }
    let z = labour_market_areas(fm.regions().len(), &flows, &params)
        .map_err(|e| AppError::bad("bad-parameter", e.to_string()))?;
    let cat = korea::catalog();
    let name = |u: usize| cat.region(fm.regions()[u]).name(lang.code()).to_string();
    let values: Vec<crate::compute::MapValue> = fm
        .regions()
        .iter()
        .enumerate()
        .map(|(u, r)| crate::compute::MapValue {
            region: *r,
            value: Some((z.zone_of[u] + 1) as f64),
        })
        .collect();
    let joined = crate::compute::join_boundaries(cat, Level::PROVINCE, period, &values)?;
    let feats: Vec<MapFeature> = joined
        .into_iter()
        .map(|j| MapFeature {
            code: cat.region(j.region).code.clone(),
            name: cat.region(j.region).name(lang.code()).to_string(),
            rings: j.rings,
            value: j.value,
        })
        .collect();
    let breaks: Vec<f64> = (1..=z.zones.len()).map(|k| k as f64).collect();
    let ko = lang == Lang::Ko;
    let title = if ko {
        format!("인구이동으로 본 기능권역 ({year}년)")
    } else {
        format!("Functional zones from migration flows ({year})")
    };
    let map = choropleth(
        &feats,
        &MapSpec {
            title: &title,
            description: &format!("{} zones; {}", z.zones.len(), korea::ATTRIBUTION),
            legend_title: if ko { "권역" } else { "Zone" },
            missing_label: t(lang, "missing"),
            breaks: &breaks,
            width: 560.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
        },
    );
    let rows: Vec<Vec<String>> = z
        .zones
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let members: Vec<String> = s.units.iter().map(|u| name(*u)).collect();
            vec![
                (k + 1).to_string(),
                members.join(", "),
                format!("{:.0}", s.residents),
                format!("{:.3}", s.supply_self_containment),
                format!("{:.3}", s.demand_self_containment),
                format!("{:.3}", s.validity),
            ]
        })
        .collect();
    let (h_zone, h_members, h_out, h_ssc, h_dsc, h_val) = if ko {
        (
            "권역",
            "시도",
            "전출 인구(권역 내 이동 포함)",
            "공급측 자족도",
            "수요측 자족도",
            "타당도",
        )
    } else {
        (
            "Zone",
            "Provinces",
            "Movers out (incl. within)",
            "Supply-side self-containment",
            "Demand-side self-containment",
            "Validity",
        )
    };
    let note = if ko {
        format!("시도 간 인구이동(시도 내 이동 포함)에 노동시장권역(LMA) 규칙(Coombes & Bond 2008; Franconi 외 2017)을 적용: 최소 규모 {}, 목표 규모 {}, 최소 자족도 {}, 목표 자족도 {}. 권역 내에 머무는 이동 {:.1}%. 같은 색 = 같은 권역(색의 순서는 의미 없음).", params.min_size, params.target_size, params.min_self_containment, params.target_self_containment, 100.0 * z.share_internal)
    } else {
        format!("Labour-market-area rules (Coombes & Bond 2008; Franconi et al. 2017) applied to migration between provinces (within-province moves included): minimum size {}, target size {}, minimum self-containment {}, target self-containment {}. {:.1}% of moves stay inside their zone. Same colour = same zone (the colour order means nothing).", params.min_size, params.target_size, params.min_self_containment, params.target_self_containment, 100.0 * z.share_internal)
    };
    let body = article(vec![
        Block::Para(note),
        Block::Row(vec![
            (Some("zone-map"), Markup::figure(map)),
            (
                None,
                table(
                    &[h_zone, h_members, h_out, h_ssc, h_dsc, h_val],
                    &rows,
                    "zones",
                ),
            ),
        ]),
        Block::Cli(format!(
            "CLI: regis zones lma --measure migration --period {year} --format geojson"
        )),
        Block::Link(
            "regions-link",
            format!("/zones/regions?lang={}", lang.code()),
            if ko {
                "최소 인구 기준 권역 (max-p) 보기"
            } else {
                "Regions of a minimum population (max-p)"
            }
            .into(),
        ),
    ])?;
    Ok(layout_markup(
        lang,
        &title,
        &format!("/zones{}", query_string(&q)),
        body,
    ))
}

/// GET /zones/regions — max-p regions of the districts: as many contiguous regions as possible,
/// each of at least `threshold` people (default 1,500,000), alike in GRDP per head and
/// companies per 100 people (2020), drawn on the map.
pub async fn maxp_regions(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    use regis_methods::regionalisation::{max_p, MaxPOptions};
    use regis_methods::spatial::{Contiguity, Weights};
    use regis_viz::map::{choropleth, MapFeature, MapSpec};
    let p = Params::parse(q.as_deref(), &["lang", "threshold", "seed"])?;
    let lang = p.lang()?;
    let threshold = match p.get("threshold") {
        None => 1_500_000.0,
        Some(v) => v.parse::<f64>().ok().filter(|t| *t > 0.0).ok_or_else(|| {
            AppError::bad(
                "bad-parameter",
                format!(
                    "threshold: `{}` is not a positive number of people",
                    crate::error::shown(v)
                ),
            )
        })?,
    };
    let seed = p.int("seed")?.unwrap_or(12345) as u64;
    let ko = lang == Lang::Ko;
    let period = 2020;
    let title = if ko {
        format!("최소 인구 기준 권역 (max-p, {period}년)")
    } else {
        format!("Regions of a minimum population (max-p, {period})")
    };
    let render = || -> Result<String, AppError> {
        let level = Level::DISTRICT;
        let values = |id: &str| -> Result<Vec<crate::compute::MapValue>, AppError> {
            let l = s.sources.load(id)?;
            Ok(crate::compute::map_values(
                &s.sources,
                &l,
                level,
                Some(period),
                "_T",
                crate::compute::Index::Level,
            )?
            .1)
        };
        let (grdp, people, companies) = (
            values("grdp_nominal")?,
            values("population")?,
            values("companies")?,
        );
        let cat = korea::catalog();
        let found = |vs: &[crate::compute::MapValue], r| {
            vs.iter().find(|v| v.region == r).and_then(|v| v.value)
        };
        // Areas: the district boundaries joined like the map explorer (a city's gu without GRDP of
        // their own become one area), with every value present.
        let joined = crate::compute::join_boundaries(cat, level, korea_period(period), &grdp)?;
        let mut areas = Vec::new();
        for j in joined {
            if let (Some(g), Some(n), Some(c)) = (
                j.value,
                found(&people, j.region),
                found(&companies, j.region),
            ) {
                if n > 0.0 {
                    areas.push((j, g / n, 100.0 * c / n, n));
                }
            }
        }
        let rings: Vec<_> = areas.iter().map(|a| a.0.rings.clone()).collect();
        let w = Weights::contiguity(&rings, Contiguity::Queen);
        let x: Vec<f64> = areas.iter().flat_map(|a| [a.1, a.2]).collect();
        let pop: Vec<f64> = areas.iter().map(|a| a.3).collect();
        let r = max_p(
            &w,
            &x,
            2,
            &pop,
            threshold,
            &MaxPOptions {
                seed,
                ..MaxPOptions::default()
            },
        )
        .map_err(|e| AppError::bad("bad-parameter", e.to_string()))?;
        // Colour the regions so that neighbouring regions differ (greedy colouring of the region
        // adjacency, most-connected first); a handful of colours suffices on a map.
        let mut touching = vec![std::collections::BTreeSet::new(); r.regions];
        for (i, li) in r.labels.iter().enumerate() {
            for j in w.neighbours_of(i) {
                if let (Some(a), Some(b)) = (li, r.labels[j]) {
                    if *a != b {
                        touching[*a].insert(b);
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..r.regions).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(touching[k].len()));
        let mut colour = vec![usize::MAX; r.regions];
        for k in order {
            colour[k] = (0..)
                .find(|c| touching[k].iter().all(|n| colour[*n] != *c))
                .unwrap_or(0);
        }
        let colours = colour.iter().copied().max().map_or(1, |m| m + 1);
        let feats: Vec<MapFeature> = areas
            .iter()
            .zip(&r.labels)
            .map(|(a, l)| MapFeature {
                code: cat.region(a.0.region).code.clone(),
                name: format!(
                    "{}{}",
                    cat.region(a.0.region).name(lang.code()),
                    l.map(|l| format!(
                        " — {} {}",
                        if lang == Lang::Ko { "권역" } else { "region" },
                        l + 1
                    ))
                    .unwrap_or_default()
                ),
                rings: a.0.rings.clone(),
                value: l.map(|l| (colour[l] + 1) as f64),
            })
            .collect();
        let breaks: Vec<f64> = (1..=colours).map(|k| k as f64).collect();
        let map = choropleth(
            &feats,
            &MapSpec {
                title: &title,
                description: &format!("{} regions; {}", r.regions, korea::ATTRIBUTION),
                legend_title: if ko {
                    "색 (이웃 권역은 다른 색)"
                } else {
                    "Colour (neighbours differ)"
                },
                missing_label: if ko {
                    "배정 안 됨(섬 등)"
                } else {
                    "not placed (islands)"
                },
                breaks: &breaks,
                width: 560.0,
                link: &format!("/region/{{code}}?lang={}", lang.code()),
            },
        );
        let rows: Vec<Vec<String>> = (0..r.regions)
            .map(|k| {
                let names: Vec<&str> = areas
                    .iter()
                    .zip(&r.labels)
                    .filter(|(_, l)| **l == Some(k))
                    .map(|(a, _)| cat.region(a.0.region).name(lang.code()))
                    .collect();
                vec![
                    (k + 1).to_string(),
                    format!("{:.0}", r.totals[k]),
                    names.join(", "),
                ]
            })
            .collect();
        let note = if ko {
            format!("시군구를 이웃한 것끼리 묶어, 각 권역 인구가 {threshold:.0}명 이상이 되는 범위에서 권역 수를 최대로 하고 1인당 GRDP와 인구 100명당 사업체 수가 비슷하도록 나눔 (max-p, Duque 외 2012; Wei 외 2021). 이웃한 권역은 다른 색으로 칠함; 시군구에 마우스를 올리면 권역 번호가 보임.")
        } else {
            format!("Neighbouring districts grouped into as many regions as possible with at least {threshold:.0} people each, alike in GRDP per head and companies per 100 people (max-p; Duque et al. 2012, Wei et al. 2021). Neighbouring regions have different colours; hover a district for its region number.")
        };
        let body = article(vec![
            Block::Para(note),
            Block::Row(vec![
                (Some("region-map"), Markup::figure(map)),
                (
                    None,
                    table(
                        &[
                            if ko { "권역" } else { "Region" },
                            if ko { "인구" } else { "People" },
                            if ko { "시군구" } else { "Districts" },
                        ],
                        &rows,
                        "regions",
                    ),
                ),
            ]),
            Block::Cli(format!("CLI: regis zones maxp --attributes grdp_nominal,companies --per population --threshold {threshold:.0} --seed {seed} --format geojson")),
        ])?;
        Ok(body.into_string())
    };
    // The page is the same for the same parameters (built-in data only): computed once.
    let body = s.figure(
        &format!("zones-regions|{}|{threshold}|{seed}", lang.code()),
        true,
        render,
    )?;
    Ok(layout_markup(
        lang,
        &title,
        &format!("/zones/regions{}", query_string(&q)),
        Markup::rendered_earlier(body.as_str()),
    ))
}

fn korea_period(year: i32) -> regis_core::Period {
    regis_core::Period(year)
}
