//! The "select and focus" pages: a region's strategic industries, their overlap across
//! provinces, and clusters of related industries.

use axum::extract::{RawQuery, State};
use regis_core::Level;
use regis_data::korea;

use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

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
    let report = regis_app::strategy::strategy(
        &s.sources,
        &crate::questions::strategy_request(&p)?,
        region,
    )?;
    let top = report.top;
    let v = serde_json::to_value(&report).map_err(|e| AppError::internal(e.to_string()))?;
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
    let report = regis_app::overlap::overlap(&s.sources, &crate::questions::strategy_request(&p)?)?;
    let top = report.top;
    let v = serde_json::to_value(&report).map_err(|e| AppError::internal(e.to_string()))?;
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
    let report =
        regis_app::clusters::clusters(&s.sources, &crate::questions::clusters_request(&p)?)?;
    let v = serde_json::to_value(&report).map_err(|e| AppError::internal(e.to_string()))?;
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
        .filter(|x| x["stars"].as_u64().unwrap_or(0) > 0)
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
