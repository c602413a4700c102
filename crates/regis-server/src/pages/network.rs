//! The innovation-network page: the cooperation network among the organisations of the
//! monitored programmes (each project's executing and partner organisations), as the visitor
//! may see it (the public: published projects only). A drawing (deterministic force layout,
//! coloured by organisation type, sized by a chosen centrality, with hover and search), the
//! map of ties between provinces, the brokers and the weak-cooperation diagnosis.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use regis_app::network::ActorNetwork;
use regis_app::network_monitoring::{dashboard, from_projects, Dashboard, REGION_COL, TYPE_COL};
use regis_monitor::{OrganisationType, Project, Role};

use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// The most organisations drawn (the most connected); the tables hold them all.
pub const MAX_DRAWN: usize = 300;

/// The centralities a node's size can show.
const SIZES: [&str; 5] = [
    "betweenness",
    "degree",
    "strength",
    "eigenvector",
    "pagerank",
];

/// The form: node size, grouping, and the search box.
#[derive(askama::Template)]
#[template(path = "pages/network_form.html")]
struct NetworkForm<'a> {
    size: Markup,
    by: Markup,
    l: &'a str,
    show: &'a str,
    find_label: &'a str,
    find_placeholder: &'a str,
    found: &'a str,
}

/// GET /network — the monitored programmes' cooperation network.
pub async fn network(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let p = Params::parse(q.as_deref(), &["size", "by", "lang"])?;
    let lang = p.lang()?;
    let size = choice(&p, "size", &SIZES)?;
    let by = choice(&p, "by", &[TYPE_COL, REGION_COL])?;
    let (actor, _) = crate::monitor_pages::visitor(&s, &headers).await;
    let staff = actor.role != Role::Public;
    let projects = match s.monitor {
        Some(_) => Some(crate::monitor_api::blocking(&s, move |st| st.projects(&actor)).await?),
        None => None,
    };
    let path = format!("/network{}", query_string(&q));
    let work = move || render(projects, lang, size, by, staff, &path);
    // The page depends on the visitor and on the store: never shared, never cached.
    let private = [
        (axum::http::header::CACHE_CONTROL, "private, no-store"),
        (axum::http::header::VARY, "Cookie"),
    ];
    match crate::guard::in_pool(&s.heavy, work).await {
        Ok(page) => Ok((private, page?).into_response()),
        Err(busy) => Ok(busy),
    }
}

/// A parameter that takes one of `options` (the first by default).
fn choice(p: &Params, key: &str, options: &[&'static str]) -> Result<&'static str, AppError> {
    match p.get(key) {
        None => Ok(options[0]),
        Some(v) => options.iter().find(|o| **o == v).copied().ok_or_else(|| {
            AppError::bad(
                "bad-parameter",
                format!(
                    "{key}={}: expected one of {}",
                    crate::error::shown(v),
                    options.join(", ")
                ),
            )
        }),
    }
}

/// An organisation type in the page's language.
pub(crate) fn type_label(id: &str, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let text = match OrganisationType::parse(id) {
        Some(OrganisationType::Firm) if ko => "기업",
        Some(OrganisationType::Firm) => "firm",
        Some(OrganisationType::University) if ko => "대학",
        Some(OrganisationType::University) => "university",
        Some(OrganisationType::ResearchInstitute) if ko => "공공연구기관",
        Some(OrganisationType::ResearchInstitute) => "public research institute",
        Some(OrganisationType::SupportOrganisation) if ko => "지원기관",
        Some(OrganisationType::SupportOrganisation) => "support organisation",
        Some(OrganisationType::Government) if ko => "정부·지자체",
        Some(OrganisationType::Government) => "government",
        Some(OrganisationType::Other) if ko => "기타",
        Some(OrganisationType::Other) => "other",
        None => return id.to_string(),
    };
    text.to_string()
}

/// A province's name from its SGIS code (the code itself when unknown).
fn province_name(code: &str, lang: Lang) -> String {
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS);
    cat.resolve(code, sgis, None, Some(regis_core::Level::PROVINCE))
        .map(|r| cat.region(r).name(lang.code()).to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// A group of the grouping `by` in the page's language.
fn group_label(by: &str, value: &str, lang: Lang) -> String {
    if by == TYPE_COL {
        type_label(value, lang)
    } else {
        province_name(value, lang)
    }
}

fn render(
    projects: Option<Vec<Project>>,
    lang: Lang,
    size: &str,
    by: &str,
    staff: bool,
    path: &str,
) -> Result<Html<String>, AppError> {
    let ko = lang == Lang::Ko;
    let title = if ko {
        "혁신 네트워크"
    } else {
        "Innovation network"
    };
    let mut blocks = vec![Block::Para(if ko {
        "모니터링 중인 사업의 협력 네트워크입니다. 사업마다 주관기관과 참여기관을 잇고(Newman 2001의 가중치 1/(n−1)), 기관 유형과 시도는 사업에 기록된 대로입니다. 누가 중심에 있고 누가 중개하는지, 대학과 기업이 실제로 연결되는지, 어느 지역끼리 연결되는지, 기관은 많은데 연결이 적은 곳은 어디인지 보여 줍니다.".to_string()
    } else {
        "The cooperation network of the monitored programmes: each project ties its executing organisation and its partner organisations (Newman's 2001 weight 1/(n − 1)), with each organisation's type and province as the projects record them. It shows who is central and who brokers, whether universities and firms actually link, which regions are connected, and where actors are many but links few.".to_string()
    })];
    blocks.push(Block::Para(match (staff, ko) {
        (true, true) => "로그인한 직원 화면: 비공개(초안) 사업의 기관도 포함합니다.".to_string(),
        (true, false) => "Staff view: organisations of draft projects are included.".to_string(),
        (false, true) => "공개 화면: 공개된 사업의 기관만 보입니다.".to_string(),
        (false, false) => "Public view: organisations of published projects only.".to_string(),
    }));
    let Some(projects) = projects else {
        blocks.push(Block::Para(if ko {
            "이 서버에는 모니터링 저장소가 없습니다. 아래 명령으로 시작하면 내장 저장소가 열립니다.".to_string()
        } else {
            "This server runs without a monitoring store; started as below, it opens the embedded one.".to_string()
        }));
        blocks.push(Block::Cli("regis serve".into()));
        return Ok(layout_markup(lang, title, path, article(blocks)?));
    };
    let n = from_projects(&projects, crate::network_api::MAX_PROJECT_TIES)?;
    if n.network.ties() == 0 {
        blocks.push(Block::Para(if ko {
            "아직 협력 관계가 없습니다: 사업에 참여기관(이름, 유형, 시도)을 기록하면 네트워크가 그려집니다. 예시 데이터는 아래 명령으로 넣습니다.".to_string()
        } else {
            "No cooperation ties yet: record the partner organisations of the projects (name, type, province) and the network is drawn. The command below loads demo data.".to_string()
        }));
        blocks.push(Block::Cli("regis monitor demo".into()));
        return Ok(layout_markup(lang, title, path, article(blocks)?));
    }
    if page_work(&n, by) > crate::network_api::WORK_LIMIT {
        blocks.push(Block::Para(if ko {
            format!("기관 {}곳, 연결 {}개: 이 페이지에서 계산하기에는 큽니다. 아래 명령을 실행하세요.", n.network.nodes(), n.network.ties())
        } else {
            format!("{} organisations and {} ties: more than this page computes per request. Run the command below on your machine.", n.network.nodes(), n.network.ties())
        }));
        blocks.push(Block::Cli(
            "regis network centrality --from-monitoring".into(),
        ));
        return Ok(layout_markup(lang, title, path, article(blocks)?));
    }
    let d = dashboard(&n, by)?;
    let options =
        |list: &[&'static str], label: &dyn Fn(&str) -> String| -> Vec<(String, String)> {
            list.iter().map(|o| (o.to_string(), label(o))).collect()
        };
    let size_label = |s: &str| -> String {
        match (s, ko) {
            ("betweenness", true) => "매개 중심성".into(),
            ("degree", true) => "연결 수".into(),
            ("strength", true) => "연결 강도".into(),
            ("eigenvector", true) => "고유벡터 중심성".into(),
            ("pagerank", true) => "페이지랭크".into(),
            (s, _) => s.to_string(),
        }
    };
    let by_label = |s: &str| -> String {
        match (s, ko) {
            ("type", true) => "기관 유형".into(),
            ("region", true) => "시도".into(),
            ("type", false) => "organisation type".into(),
            _ => "province".into(),
        }
    };
    blocks.insert(
        0,
        Block::Html(Markup::render(&NetworkForm {
            size: select(
                "size",
                if ko { "원 크기" } else { "node size" },
                &options(&SIZES, &size_label),
                size,
            ),
            by: select(
                "by",
                if ko { "집단" } else { "groups" },
                &options(&[TYPE_COL, REGION_COL], &by_label),
                by,
            ),
            l: lang.code(),
            show: t(lang, "show"),
            find_label: if ko {
                "기관 찾기"
            } else {
                "Find an organisation"
            },
            find_placeholder: if ko {
                "이름 일부"
            } else {
                "part of a name"
            },
            found: if ko { "{n}곳 찾음" } else { "{n} found" },
        })?),
    );
    blocks.push(Block::Html(summary_table(&d, lang)));
    blocks.push(Block::Row(vec![
        (
            Some("network-drawing"),
            drawing(&n, &d, size, lang, &size_label(size)),
        ),
        (Some("network-regions"), region_map(&n, &d, lang)?),
    ]));
    if n.network.nodes() > MAX_DRAWN {
        blocks.push(Block::Para(if ko {
            format!("그림에는 연결이 많은 {MAX_DRAWN}곳만 그렸습니다(전체 {}곳). 표는 모두를 셉니다.", n.network.nodes())
        } else {
            format!("The drawing shows the {MAX_DRAWN} most connected of {} organisations; the tables count them all.", n.network.nodes())
        }));
    }
    brokers(&mut blocks, &d, by, lang);
    weak_view(&mut blocks, &d, by, lang);
    blocks.push(Block::Cli(format!(
        "regis network weak --by {by} --from-monitoring"
    )));
    blocks.push(Block::Html(api_link(
        lang,
        &format!("/api/v1/network/weak?by={by}"),
    )));
    blocks.push(Block::Html(Markup::constant(
        "<script src=\"/assets/network.js\"></script>",
    )));
    Ok(layout_markup(lang, title, path, article(blocks)?))
}

/// The work of everything the page computes ([`Question::work`] of each question, and the
/// drawing's layout).
///
/// [`Question::work`]: regis_app::network_groups::Question::work
fn page_work(n: &ActorNetwork, by: &str) -> f64 {
    use regis_app::network_groups::{defaults, Question, WeakRequest};
    let questions = [
        Question::Summary,
        Question::Centrality,
        Question::Brokerage { by: by.into() },
        Question::Regions,
        Question::Weak(WeakRequest {
            by: Some(by.into()),
            per: None,
            draws: defaults::DRAWS,
            seed: defaults::SEED,
        }),
    ];
    let drawn = n.network.nodes().min(MAX_DRAWN) as f64;
    questions.iter().map(|q| q.work(n)).sum::<f64>() + 300.0 * drawn * drawn
}

/// The summary measures as a two-column table.
fn summary_table(d: &Dashboard, lang: Lang) -> Markup {
    let ko = lang == Lang::Ko;
    let s = &d.summary;
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "–".into());
    let rows = vec![
        vec![
            if ko { "기관 수" } else { "organisations" }.to_string(),
            s.nodes.to_string(),
        ],
        vec![
            if ko { "연결 수" } else { "ties" }.to_string(),
            s.edges.to_string(),
        ],
        vec![
            if ko { "밀도" } else { "density" }.to_string(),
            format!("{:.3}", s.density),
        ],
        vec![
            if ko { "연결 요소" } else { "components" }.to_string(),
            s.components.to_string(),
        ],
        vec![
            if ko { "이행성" } else { "transitivity" }.to_string(),
            format!("{:.3}", s.transitivity),
        ],
        vec![
            if ko {
                "유형 동류성 (같은 유형끼리 잇는 경향)"
            } else {
                "type assortativity (ties within a type)"
            }
            .to_string(),
            opt(s.type_assortativity),
        ],
        vec![
            if ko {
                "연결 수 동류성"
            } else {
                "degree assortativity"
            }
            .to_string(),
            opt(s.degree_assortativity),
        ],
    ];
    table(
        &[
            if ko { "측정" } else { "measure" },
            if ko { "값" } else { "value" },
        ],
        &rows,
        "network-summary",
    )
}

/// The drawing: the most connected organisations, coloured by type, sized by `size`.
fn drawing(n: &ActorNetwork, d: &Dashboard, size: &str, lang: Lang, size_name: &str) -> Markup {
    use regis_viz::network::{force_layout, network_svg, NodeStyle};
    let ko = lang == Lang::Ko;
    let count = n.network.nodes();
    let degree = n.network.degree();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    order.truncate(MAX_DRAWN);
    order.sort_unstable();
    let mut at = vec![usize::MAX; count];
    for (k, &v) in order.iter().enumerate() {
        at[v] = k;
    }
    let ties: Vec<(usize, usize)> = order
        .iter()
        .flat_map(|&u| {
            n.network
                .neighbours(u)
                .iter()
                .filter(move |&&v| u < v)
                .map(move |&v| (u, v))
        })
        .filter(|&(u, v)| at[u] != usize::MAX && at[v] != usize::MAX)
        .map(|(u, v)| (at[u], at[v]))
        .collect();
    let value = |row: &regis_app::network::CentralityRow| match size {
        "degree" => row.degree as f64,
        "strength" => row.strength,
        "eigenvector" => row.eigenvector,
        "pagerank" => row.pagerank,
        _ => row.betweenness,
    };
    let rows = &d.centrality.actors;
    let max = order
        .iter()
        .map(|&v| value(&rows[v]))
        .fold(0.0f64, f64::max)
        .max(1e-12);
    let types = &n.attributes[TYPE_COL];
    let mut groups: Vec<String> = Vec::new();
    let mut group_of = |t: &str| -> usize {
        let label = type_label(t, lang);
        groups.iter().position(|g| *g == label).unwrap_or_else(|| {
            groups.push(label);
            groups.len() - 1
        })
    };
    let nodes: Vec<NodeStyle> = order
        .iter()
        .map(|&v| NodeStyle {
            label: format!(
                "{} ({}, {}; {size_name} {:.3})",
                n.actors[v],
                type_label(&types[v], lang),
                province_name(&n.attributes[REGION_COL][v], lang),
                value(&rows[v])
            ),
            group: group_of(&types[v]),
            size: (value(&rows[v]) / max).sqrt(),
        })
        .collect();
    let positions = force_layout(order.len(), &ties, 300);
    Markup::figure(network_svg(
        &positions,
        &ties,
        &nodes,
        &groups,
        &if ko {
            format!("협력 네트워크: 색 = 기관 유형, 크기 = {size_name}")
        } else {
            format!("Cooperation network: colour = organisation type, size = {size_name}")
        },
        620.0,
        680.0,
    ))
}

/// The provinces filled by their number of organisations, with the ties between them.
fn region_map(n: &ActorNetwork, d: &Dashboard, lang: Lang) -> Result<Markup, AppError> {
    use regis_viz::map::{flow_map, Flow, MapFeature, MapSpec};
    let ko = lang == Lang::Ko;
    let cat = korea::catalog();
    let level = regis_core::Level::PROVINCE;
    let mut counts: std::collections::HashMap<&str, f64> = Default::default();
    for r in &n.attributes[REGION_COL] {
        *counts.entry(r.as_str()).or_default() += 1.0;
    }
    let values: Vec<regis_app::explore::MapValue> = cat
        .at_level(level, Some(2017))
        .into_iter()
        .map(|r| regis_app::explore::MapValue {
            region: r,
            value: Some(
                counts
                    .get(cat.region(r).code.as_str())
                    .copied()
                    .unwrap_or(0.0),
            ),
        })
        .collect();
    let joined =
        regis_app::explore::join_boundaries(cat, level, regis_core::Period(2017), &values)?;
    let features: Vec<MapFeature> = joined
        .into_iter()
        .map(|j| {
            let reg = cat.region(j.region);
            MapFeature {
                code: reg.code.clone(),
                name: reg.name(lang.code()).to_string(),
                rings: j.rings,
                value: j.value,
            }
        })
        .collect();
    let index = |code: &str| features.iter().position(|f| f.code == code);
    let flows: Vec<Flow> = d
        .regions
        .pairs
        .iter()
        .filter_map(|p| {
            let (a, b) = (index(&p.origin)?, index(&p.destination)?);
            let label = if a == b {
                if ko {
                    format!("{} 안: 연결 {}개", features[a].name, p.ties)
                } else {
                    format!("within {}: {} ties", features[a].name, p.ties)
                }
            } else if ko {
                format!(
                    "{} – {}: 연결 {}개",
                    features[a].name, features[b].name, p.ties
                )
            } else {
                format!(
                    "{} – {}: {} ties",
                    features[a].name, features[b].name, p.ties
                )
            };
            Some(Flow {
                from: a,
                to: b,
                value: p.ties as f64,
                label,
            })
        })
        .collect();
    let vals: Vec<f64> = features.iter().filter_map(|f| f.value).collect();
    let breaks = regis_viz::breaks::breaks(&vals, 4, regis_viz::breaks::Scheme::Quantiles);
    let title = if ko {
        "시도 간 협력 연결 (선 굵기 = 연결 수, 원 = 시도 안 연결)"
    } else {
        "Ties between provinces (line width = ties; circle = ties within)"
    };
    Ok(Markup::figure(flow_map(
        &features,
        &flows,
        &MapSpec {
            title,
            description: if ko {
                "시도별 기관 수와 시도 간 협력 연결"
            } else {
                "organisations by province and the cooperation ties between provinces"
            },
            legend_title: if ko { "기관 수" } else { "Organisations" },
            missing_label: t(lang, "missing"),
            breaks: &breaks,
            width: 520.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
            categories: &[],
        },
    )))
}

/// The brokers: organisations by their total brokerage roles between groups.
fn brokers(blocks: &mut Vec<Block>, d: &Dashboard, by: &str, lang: Lang) {
    let ko = lang == Lang::Ko;
    blocks.push(Block::Heading(if ko {
        "중개 기관 (Gould-Fernandez 중개 역할)".into()
    } else {
        "Brokers (Gould-Fernandez brokerage roles)".into()
    }));
    blocks.push(Block::Para(if ko {
        "서로 연결되지 않은 두 기관 사이에 놓인 횟수를 역할별로 셉니다: 조정자(셋 다 같은 집단), 순회자(양끝이 같은 다른 집단), 대표자·문지기(한쪽 끝이 자기 집단), 연락자(셋 다 다른 집단). 연락자가 많은 기관이 집단 사이를 잇습니다.".into()
    } else {
        "How often an organisation sits between two that are not tied, by role: coordinator (all three in one group), itinerant (both ends in another group), representative and gatekeeper (one end in its own group), liaison (all three groups different). Organisations with many liaison roles bridge the groups.".into()
    }));
    let mut rows: Vec<&regis_app::network::BrokerRow> = d
        .brokerage
        .actors
        .iter()
        .filter(|r| r.roles.total > 0)
        .collect();
    rows.sort_by(|a, b| {
        b.roles
            .total
            .cmp(&a.roles.total)
            .then(a.actor.cmp(&b.actor))
    });
    rows.truncate(15);
    let cells = |r: &regis_app::network::RoleCounts| {
        [
            r.coordinator,
            r.itinerant,
            r.representative,
            r.gatekeeper,
            r.liaison,
            r.total,
        ]
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
    };
    let mut table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.actor.clone(), group_label(by, &r.group, lang)];
            row.extend(cells(&r.roles));
            row
        })
        .collect();
    let mut total = vec![
        if ko {
            "모든 기관"
        } else {
            "all organisations"
        }
        .to_string(),
        String::new(),
    ];
    total.extend(cells(&d.brokerage.totals));
    table_rows.push(total);
    let head: Vec<&str> = if ko {
        vec![
            "기관",
            "집단",
            "조정자",
            "순회자",
            "대표자",
            "문지기",
            "연락자",
            "합계",
        ]
    } else {
        vec![
            "organisation",
            "group",
            "coordinator",
            "itinerant",
            "representative",
            "gatekeeper",
            "liaison",
            "total",
        ]
    };
    blocks.push(Block::Html(if ko {
        table(&head, &table_rows, "network-brokers")
    } else {
        table_with_korean(&head, &table_rows, "network-brokers", 0)
    }));
}

/// The weak-cooperation view: ties across groups against the configuration-model baseline.
fn weak_view(blocks: &mut Vec<Block>, d: &Dashboard, by: &str, lang: Lang) {
    let ko = lang == Lang::Ko;
    blocks.push(Block::Heading(if ko {
        "약한 협력 진단".into()
    } else {
        "Weak cooperation".into()
    }));
    let Some(part) = d.weak.parts.first() else {
        return;
    };
    let z = |o: &regis_app::network_groups::Observed| {
        o.z.map(|z| format!("{z:.2}")).unwrap_or_else(|| "–".into())
    };
    let unlinked: Vec<String> = part
        .many_but_unlinked
        .iter()
        .map(|g| group_label(by, g, lang))
        .collect();
    blocks.push(Block::Para(if ko {
        format!(
            "집단 사이 연결의 비중 {:.1}%, 각 기관의 연결 수를 유지한 무작위 기준(구성 모형 {}회, 시드 {}) {:.1}%, z {}. {}",
            100.0 * part.cross_share.observed,
            d.weak.draws,
            d.weak.seed,
            100.0 * part.cross_share.expected,
            z(&part.cross_share),
            if unlinked.is_empty() {
                "기관은 많은데 연결이 기준보다 적은 집단은 없습니다.".to_string()
            } else {
                format!("기관은 많은데 다른 집단과의 연결이 기준보다 적은 집단: {}.", unlinked.join(", "))
            }
        )
    } else {
        format!(
            "Share of ties across groups {:.1}%, against {:.1}% in a random baseline that keeps every organisation's number of ties (configuration model, {} draws, seed {}), z {}. {}",
            100.0 * part.cross_share.observed,
            100.0 * part.cross_share.expected,
            d.weak.draws,
            d.weak.seed,
            z(&part.cross_share),
            if unlinked.is_empty() {
                "No group is many but unlinked.".to_string()
            } else {
                format!("Many but unlinked (fewer ties to other groups than the baseline): {}.", unlinked.join(", "))
            }
        )
    }));
    let groups: Vec<Vec<String>> = part
        .groups
        .iter()
        .map(|g| {
            vec![
                group_label(by, &g.group, lang),
                g.actors.to_string(),
                format!("{:.1}%", 100.0 * g.actor_share),
                g.ties_within.to_string(),
                format!("{:.0}", g.ties_across.observed),
                format!("{:.1}", g.ties_across.expected),
                z(&g.ties_across),
            ]
        })
        .collect();
    let head: Vec<&str> = if ko {
        vec![
            "집단",
            "기관",
            "기관 비중",
            "집단 안 연결",
            "집단 밖 연결",
            "기준 기댓값",
            "z",
        ]
    } else {
        vec![
            "group",
            "organisations",
            "share",
            "ties within",
            "ties across",
            "expected across",
            "z",
        ]
    };
    let pairs: Vec<Vec<String>> = part
        .pairs
        .iter()
        .map(|p| {
            vec![
                group_label(by, &p.a, lang),
                group_label(by, &p.b, lang),
                format!("{:.0}", p.ties.observed),
                format!("{:.1}", p.ties.expected),
                z(&p.ties),
            ]
        })
        .collect();
    let pair_head: Vec<&str> = if ko {
        vec!["집단", "집단", "연결", "기준 기댓값", "z"]
    } else {
        vec!["group", "group", "ties", "expected", "z"]
    };
    blocks.push(Block::Row(vec![
        (
            Some("network-weak-groups"),
            table(&head, &groups, "network-weak"),
        ),
        (
            Some("network-weak-pairs"),
            table(&pair_head, &pairs, "network-weak-pairs"),
        ),
    ]));
}
