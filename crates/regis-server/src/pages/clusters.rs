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
    cluster: Markup,
    include_local: bool,
    include_local_label: &'a str,
    l: &'a str,
    show: &'a str,
}

/// The map of one cluster's strength: each region's location quotient in the cluster, in
/// classes around 1 (as specialised as the nation) and 2 (the Observatory's specialisation
/// star), with the region's stars in its tooltip.
fn strength_map(
    report: &regis_app::clusters::ClustersReport,
    cluster: usize,
    level: regis_core::Level,
    lang: Lang,
) -> Result<Markup, AppError> {
    use regis_viz::map::{choropleth, MapFeature, MapSpec};
    let cat = regis_data::korea::catalog();
    let sgis = cat.system_index(regis_data::korea::SGIS);
    let ko = lang == Lang::Ko;
    let rows: Vec<&regis_app::clusters::Stars> = report
        .stars
        .iter()
        .filter(|x| x.cluster == cluster)
        .collect();
    let values: Vec<regis_app::explore::MapValue> = rows
        .iter()
        .filter_map(|x| {
            Some(regis_app::explore::MapValue {
                region: cat.resolve(&x.region_code, sgis, None, Some(level)).ok()?,
                value: Some(x.lq),
            })
        })
        .collect();
    let period = regis_core::Period(report.period);
    let joined = regis_app::explore::join_boundaries(cat, level, period, &values)?;
    let stars_of = |code: &str| {
        rows.iter()
            .find(|x| x.region_code == code)
            .map(|x| x.stars)
            .unwrap_or(0)
    };
    let feats: Vec<MapFeature> = joined
        .into_iter()
        .map(|j| {
            let reg = cat.region(j.region);
            let stars = stars_of(&reg.code);
            MapFeature {
                code: reg.code.clone(),
                name: if stars > 0 {
                    format!("{} {}", reg.name(lang.code()), "★".repeat(stars))
                } else {
                    reg.name(lang.code()).to_string()
                },
                rings: j.rings,
                value: j.value,
            }
        })
        .collect();
    let max = rows.iter().map(|x| x.lq).fold(2.5f64, f64::max);
    let name = report
        .clusters
        .iter()
        .find(|c| c.cluster == cluster)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let title = if ko {
        format!(
            "클러스터 {cluster} 강도 (입지계수, {}년): {name}",
            report.period
        )
    } else {
        format!(
            "Strength of cluster {cluster} (location quotient, {}): {name}",
            report.period
        )
    };
    Ok(Markup::figure(choropleth(
        &feats,
        &MapSpec {
            title: &title,
            description: &if ko {
                format!(
                    "지역별 클러스터 입지계수; {}",
                    regis_data::korea::ATTRIBUTION_KO
                )
            } else {
                format!(
                    "each region's location quotient in the cluster; {}",
                    regis_data::korea::ATTRIBUTION
                )
            },
            legend_title: if ko {
                "입지계수 (LQ)"
            } else {
                "Location quotient (LQ)"
            },
            missing_label: t(lang, "missing"),
            breaks: &[0.5, 0.8, 1.25, 2.0, max],
            width: 560.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
            categories: &[],
        },
    )))
}

/// GET /clusters — clusters of related industries and star ratings.
pub async fn clusters(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    // Built-in data only (the page takes no measure): rendered once per address.
    let q = canonical_query(&q);
    cached_page(&s, builtin_page_key("clusters", &q), || render(&s, &q))
}

/// The clusters page for the query `q`.
fn render(s: &AppState, q: &Option<String>) -> Page {
    let p = Params::parse(
        q.as_deref(),
        &["k", "level", "cluster", "include_local", "lang"],
    )?;
    let lang = p.lang()?;
    let k = p.int("k")?.unwrap_or(5).max(0) as usize;
    let level = p.level()?;
    let request = crate::questions::clusters_request(&p)?;
    let report = regis_app::clusters::clusters(&s.sources, &request)?;
    let ko = lang == Lang::Ko;
    // The cluster on the map: the one asked for, else the one with the most industries.
    let largest = report
        .clusters
        .iter()
        .max_by_key(|c| (c.industries.len(), std::cmp::Reverse(c.cluster)))
        .map(|c| c.cluster)
        .unwrap_or(1);
    // A cluster number from an earlier form (a larger k) falls back to the largest, said so.
    let (cluster, fallback) = match p.int("cluster")? {
        None => (largest, None),
        Some(c) if c >= 1 && (c as usize) <= report.clusters.len() => (c as usize, None),
        Some(c) => (largest, Some(c)),
    };
    let map = strength_map(&report, cluster, level, lang)?;
    let cluster_options: Vec<(String, String)> = report
        .clusters
        .iter()
        .map(|c| (c.cluster.to_string(), format!("{} {}", c.cluster, c.name)))
        .collect();
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
        cluster: select(
            "cluster",
            if ko {
                "지도의 클러스터"
            } else {
                "cluster on the map"
            },
            &cluster_options,
            &cluster.to_string(),
        ),
        include_local: request.include_local,
        include_local_label: if ko {
            "지역 내수·공공 산업도 묶기"
        } else {
            "cluster local and public industries too"
        },
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
    // What was left out, and a lopsided result, said in the page's language.
    let clustered: usize = report.clusters.iter().map(|c| c.industries.len()).sum();
    let biggest = report
        .clusters
        .iter()
        .map(|c| c.industries.len())
        .max()
        .unwrap_or(0);
    let excluded: Vec<&str> = report.excluded.iter().map(|e| e.name.as_str()).collect();
    let mut notes = String::new();
    if !excluded.is_empty() {
        notes.push_str(&if ko {
            format!("클러스터는 교역산업(지역 밖으로 파는 산업)끼리 묶습니다 (Delgado, Porter & Stern 2016). 지역 내수·공공 산업 {}개는 묶지 않았습니다: {}. ", excluded.len(), excluded.join(" · "))
        } else {
            format!("Clusters are drawn among traded industries (those that sell outside the region; Delgado, Porter & Stern 2016). {} local and public industries are left out: {}. ", excluded.len(), excluded.join(" · "))
        });
    }
    if 2 * biggest > clustered {
        notes.push_str(&if ko {
            format!("한 클러스터에 산업 {clustered}개 중 {biggest}개가 모였습니다: 이 단위에서는 지역 분포가 너무 비슷해 구별되지 않습니다. 클러스터 수를 늘리거나 더 작은 지역 단위를 쓰면 더 나뉩니다.")
        } else {
            format!("One cluster holds {biggest} of {clustered} industries: at this grain their regional patterns are too alike to tell apart; more clusters or a finer level separate more.")
        });
    }
    if let Some(c) = fallback {
        notes.push_str(&if ko {
            format!("클러스터 {c}는 없어(클러스터 {}개) 가장 큰 클러스터 {cluster}를 지도에 그렸습니다. ", report.clusters.len())
        } else {
            format!("There is no cluster {c} ({} clusters): the map shows the largest, cluster {cluster}. ", report.clusters.len())
        });
    }
    notes.push_str(if ko {
        "지도의 값은 각 지역의 클러스터 입지계수입니다 (1 = 전국 평균 수준, 2 이상 = 특화 별점)."
    } else {
        "The map shows each region's location quotient in the cluster (1 = as specialised as the nation; 2 or more earns the specialisation star)."
    });
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
        Block::Para(notes),
        Block::Row(vec![(Some("cluster-map"), map)]),
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
                "/api/v1/clusters?k={k}&level={}&include_local={}&lang={}",
                level.name(),
                request.include_local,
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
        &format!("/clusters{}", query_string(q)),
        body,
    ))
}
