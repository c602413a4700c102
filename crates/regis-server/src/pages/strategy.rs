//! The "select and focus" pages: a region's strategic industries and their overlap across
//! provinces.

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
    top_label: &'a str,
    include_local: bool,
    include_local_label: &'a str,
    l: &'a str,
    show: &'a str,
}

/// GET /strategy — a region's strategic industries.
pub async fn strategy(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(
        q.as_deref(),
        &["region", "weights", "top", "include_local", "lang"],
    )?;
    let lang = p.lang()?;
    let region = p.or("region", "26");
    let report = regis_app::strategy::strategy(
        &s.sources,
        &crate::questions::strategy_request(&p)?,
        region,
    )?;
    let top = report.top;
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
        region: select("region", t(lang, "region"), &provinces, &report.region.code),
        weights_label: if lang == Lang::Ko {
            "가중치"
        } else {
            "Weights"
        },
        weights: p.or("weights", ""),
        top,
        top_label: if lang == Lang::Ko {
            "선정 수"
        } else {
            "top"
        },
        include_local: crate::questions::flag(&p, "include_local")?,
        include_local_label: if lang == Lang::Ko {
            "지역(비교역)·공공 산업 포함"
        } else {
            "include local and public industries"
        },
        l: lang.code(),
        show: t(lang, "show"),
    })?;
    let cands = &report.candidates;
    let criterion =
        |c: &regis_app::strategy::Candidate, k: &str| c.criteria.get(k).copied().flatten();
    let bubbles: Vec<regis_viz::chart::Bubble> = cands
        .iter()
        .filter_map(|c| {
            Some(regis_viz::chart::Bubble {
                label: c.name.clone(),
                x: criterion(c, "specialisation")?,
                y: criterion(c, "growth")?,
                size: criterion(c, "size")?,
                highlight: c.selected,
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
        if lang == Lang::Ko {
            "입지계수와 성장률로 본 산업 포트폴리오"
        } else {
            "portfolio"
        },
        "LQ",
        if lang == Lang::Ko {
            "성장률 %"
        } else {
            "growth %"
        },
        (1.0, report.criterion_mean("growth").unwrap_or(0.0)),
        640.0,
        420.0,
    );
    let rows: Vec<Vec<String>> = cands
        .iter()
        .map(|c| {
            let cr = |k: &str| criterion(c, k).map(label).unwrap_or_default();
            vec![
                c.rank.to_string(),
                c.name.clone(),
                cr("specialisation"),
                cr("size"),
                cr("growth"),
                cr("competitive"),
                cr("density"),
                cr("complexity"),
                format!("{:.3}", c.score),
                format!("{:.0}%", c.sensitivity.in_top_k * 100.0),
            ]
        })
        .collect();
    let ko = lang == Lang::Ko;
    let head = [
        if ko { "순위" } else { "rank" },
        t(lang, "industry"),
        if ko { "입지계수(LQ)" } else { "LQ" },
        t(lang, "share"),
        if ko { "성장률 %" } else { "growth %" },
        if ko {
            "경쟁력 효과 %"
        } else {
            "competitive %"
        },
        if ko { "관련성 밀도" } else { "density" },
        if ko { "제품복잡도(PCI)" } else { "PCI" },
        if ko { "점수" } else { "score" },
        if ko {
            "상위 선정 비율"
        } else {
            "in top-k"
        },
    ];
    let title = format!(
        "{} — {}",
        report.region.name,
        if lang == Lang::Ko {
            "전략산업 선정"
        } else {
            "Strategic industries"
        }
    );
    let mut blocks = vec![
        Block::Html(form),
        Block::ParaLink(
            format!(
                "{} {}–{}.",
                report.measure[if lang == Lang::Ko {
                    "name_ko"
                } else {
                    "name_en"
                }]
                .as_str()
                .unwrap_or_default(),
                report.from,
                report.to
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
    ];
    if let Some(w) = &report.reliability_warning {
        blocks.push(Block::Para(w.clone()));
    }
    blocks.extend(excluded_blocks(lang, &report.excluded));
    blocks.push(Block::Html(api_link(
        lang,
        &format!(
            "/api/v1/strategy/{}?lang={}",
            report.region.code,
            lang.code()
        ),
    )));
    let body = article(blocks)?;
    Ok(layout_markup(
        lang,
        &title,
        &format!("/strategy{}", query_string(&q)),
        body,
    ))
}

/// The industries left out of the candidates (local and public ones), with the rule behind
/// each flag.
fn excluded_blocks(lang: Lang, excluded: &[regis_app::strategy::Excluded]) -> Vec<Block> {
    if excluded.is_empty() {
        return Vec::new();
    }
    let ko = lang == Lang::Ko;
    let rows: Vec<Vec<String>> = excluded
        .iter()
        .map(|e| {
            let flag = match (ko, e.traded_local.as_str()) {
                (true, "local") => "지역(비교역)",
                (true, "public") => "공공",
                (false, "local") => "local",
                (false, "public") => "public",
                (_, other) => other,
            };
            // The rule's own words are English (the API has them); Korean pages say what the
            // flag means.
            let reason = match (ko, e.traded_local.as_str()) {
                (true, "public") => "정부·비시장 활동 (미국 클러스터 매핑 정의에 없음)".to_string(),
                (true, _) if e.reason.starts_with("judgement") => {
                    "판단: 주로 지역 주민에게 공급 (미국 정의는 대학 등을 교역으로 봄)".to_string()
                }
                (true, _) => {
                    "미국 클러스터 매핑 정의에서 해당 업종의 교역산업 비율이 절반 미만".to_string()
                }
                (false, _) => e.reason.clone(),
            };
            vec![e.name.clone(), flag.to_string(), reason]
        })
        .collect();
    let head = if ko {
        ["산업", "구분", "근거"]
    } else {
        ["industry", "kind", "why"]
    };
    vec![
        Block::Heading(if ko {
            "후보에서 제외된 산업 (클러스터 정책은 교역산업을 대상으로 함)".into()
        } else {
            "Not candidates (cluster policy targets traded industries)".into()
        }),
        Block::Html(table(&head, &rows, "excluded")),
    ]
}

/// GET /strategy/overlap — where provinces compete for the same industries.
pub async fn strategy_overlap(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["top", "weights", "lang"])?;
    let lang = p.lang()?;
    let report = regis_app::overlap::overlap(&s.sources, &crate::questions::strategy_request(&p)?)?;
    let top = report.top;
    let choices: Vec<Vec<String>> = report
        .choices
        .iter()
        .map(|c| {
            let names: Vec<&str> = c.industries.iter().map(|i| i.name.as_str()).collect();
            vec![c.region.clone(), names.join(" · ")]
        })
        .collect();
    let inds: Vec<Vec<String>> = report
        .industries
        .iter()
        .filter(|i| i.contested)
        .map(|i| {
            vec![
                i.name.clone(),
                i.regions.to_string(),
                i.chosen_by.join(", "),
            ]
        })
        .collect();
    let sugg: Vec<Vec<String>> = report
        .differentiation
        .iter()
        .map(|x| {
            vec![
                x.region.clone(),
                x.contested.clone(),
                x.suggestion.clone(),
                format!("{:.2}", x.proximity),
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
            &[
                t(lang, "region"),
                if lang == Lang::Ko {
                    "경합 산업"
                } else {
                    "contested"
                },
                "→",
                if lang == Lang::Ko {
                    "근접성"
                } else {
                    "proximity"
                },
            ],
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
