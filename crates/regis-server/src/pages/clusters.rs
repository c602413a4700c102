//! The clusters page: clusters of related industries and each region's cluster strength.

use axum::extract::{RawQuery, State};

use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// The clusters page's form: how many clusters, at which level.
#[derive(askama::Template)]
#[template(path = "pages/clusters_form.html")]
struct ClustersForm<'a> {
    k_label: &'a str,
    k: usize,
    level: Markup,
    l: &'a str,
    show: &'a str,
}

/// GET /clusters — clusters of related industries and star ratings.
pub async fn clusters(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    let p = Params::parse(q.as_deref(), &["k", "level", "lang"])?;
    let lang = p.lang()?;
    let k = p.int("k")?.unwrap_or(5).max(0) as usize;
    let level = p.level()?;
    let report =
        regis_app::clusters::clusters(&s.sources, &crate::questions::clusters_request(&p)?)?;
    let ko = lang == Lang::Ko;
    let cl: Vec<Vec<String>> = report
        .clusters
        .iter()
        .map(|c| {
            let names: Vec<&str> = c.industries.iter().map(|i| i.name.as_str()).collect();
            vec![c.cluster.to_string(), c.name.clone(), names.join(" · ")]
        })
        .collect();
    let levels = vec![
        ("province".to_string(), t(lang, "province").to_string()),
        ("district".to_string(), t(lang, "district").to_string()),
    ];
    let form = Markup::render(&ClustersForm {
        k_label: if ko { "클러스터 수" } else { "clusters" },
        k,
        level: select("level", t(lang, "level"), &levels, &level.name()),
        l: lang.code(),
        show: t(lang, "show"),
    })?;
    let st: Vec<Vec<String>> = report
        .stars
        .iter()
        .filter(|x| x.stars > 0)
        .take(60)
        .map(|x| {
            vec![
                x.region.clone(),
                x.name.clone(),
                "★".repeat(x.stars),
                label(x.value),
            ]
        })
        .collect();
    let body = article(vec![
        Block::Html(form),
        Block::Para(if ko {
            format!(
                "산업의 지역 분포가 비슷한 산업끼리 묶었습니다(공동입지 상관, 평균연결). 실루엣 {:.3}. 이름은 각 클러스터에서 가장 큰 두 산업입니다.",
                report.silhouette.unwrap_or(0.0)
            )
        } else {
            format!(
                "{} · silhouette {:.3}. Each cluster is named after its two largest industries.",
                report.method,
                report.silhouette.unwrap_or(0.0)
            )
        }),
        Block::Html(table(
            &[
                if ko { "번호" } else { "cluster" },
                if ko { "이름" } else { "name" },
                t(lang, "industry"),
            ],
            &cl,
            "clusters",
        )),
        Block::Heading(
            if lang == Lang::Ko {
                "클러스터 강도(유럽 클러스터 관측소 별점)"
            } else {
                "Cluster strength (European Cluster Observatory stars)"
            }
            .into(),
        ),
        Block::Html(table(
            &[
                t(lang, "region"),
                if ko { "클러스터" } else { "cluster" },
                "★",
                t(lang, "value"),
            ],
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
