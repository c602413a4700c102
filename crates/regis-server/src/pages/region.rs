//! A region's profile page: headline cards, industry structure with LQs, shift-share, trend
//! and rank, its functional zone and strategy candidates.

use axum::extract::{Path, RawQuery, State};
use regis_data::korea;

use crate::api::{lq_svg, profile_json};
use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// A region's profile: structure with LQs, shift-share, trend and rank.
#[derive(askama::Template)]
#[template(path = "pages/region.html")]
struct RegionPage<'a> {
    code: &'a str,
    name: &'a str,
    measure: &'a str,
    lq: Markup,
    structure: Markup,
    strengths: Markup,
    shift: Markup,
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
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::AppError> {
    use axum::response::IntoResponse;
    // A profile of a built-in measure is rendered once per address; the monitored projects
    // depend on the visitor and the store, so they go in at every request (and the answer is
    // the visitor's own: `Cache-Control: private, no-store`, so that a page showing staff the
    // drafts is not kept by the browser after logout).
    let q = canonical_query(&q);
    let key = builtin_page_key(&format!("region/{code:?}"), &q);
    let page = cached_page(&s, key, || render_region(&s, code.clone(), q.clone()))?;
    let lang = Params::parse(q.as_deref(), &["measure", "lang"])?.lang()?;
    let projects = monitored_projects(&s, &headers, &code, lang).await;
    Ok((
        [
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
            (axum::http::header::VARY, "Cookie"),
        ],
        axum::response::Html(page.0.replacen(PROJECTS_MARKER, projects.as_str(), 1)),
    )
        .into_response())
}

/// Where a profile's monitored projects go.
const PROJECTS_MARKER: &str = "<!--regis:monitored-projects-->";

/// The monitored projects in a region (lead or partner; a district shows its province's) that
/// the visitor may see, as a page section; nothing when the server has no store.
async fn monitored_projects(
    s: &AppState,
    headers: &axum::http::HeaderMap,
    code: &str,
    lang: Lang,
) -> Markup {
    let cat = korea::catalog();
    let Ok(r) = crate::api::region_from_path(cat, code) else {
        return Markup::default();
    };
    let region = cat.region(r);
    // The province: the region itself or the ancestor at that level.
    let mut at = r;
    while cat.region(at).level > regis_core::Level::PROVINCE {
        match cat.region(at).parent {
            Some(p) => at = p,
            None => break,
        }
    }
    if cat.region(at).level != regis_core::Level::PROVINCE {
        return Markup::default();
    }
    let province = cat.region(at).code.clone();
    let (actor, _) = crate::monitor_pages::visitor(s, headers).await;
    let Ok(list) = crate::monitor_api::blocking(s, move |st| st.projects(&actor)).await else {
        return Markup::default();
    };
    let ko = lang == Lang::Ko;
    let sgis = cat.system_index(korea::SGIS);
    let province_name = |c: &str| {
        cat.resolve(c, sgis, None, Some(regis_core::Level::PROVINCE))
            .map(|r| cat.region(r).name(lang.code()).to_string())
            .unwrap_or_else(|_| c.to_string())
    };
    let projects: Vec<(i64, String, String, String, String, String)> = list
        .iter()
        .filter(|p| p.regions().any(|c| c == province))
        .map(|p| {
            (
                p.id,
                p.title.clone(),
                if p.region == province {
                    if ko { "주관" } else { "lead" }.to_string()
                } else {
                    format!(
                        "{} ({})",
                        if ko { "협력" } else { "partner" },
                        province_name(&p.region)
                    )
                },
                crate::api::industry_name(Some("kosis_grdp"), &p.industry, lang),
                format!("{}–{}", p.start_year, p.end_year),
                p.organisation.clone(),
            )
        })
        .collect();
    let title = if region.level == regis_core::Level::PROVINCE {
        if ko {
            "모니터링 중인 사업".to_string()
        } else {
            "Monitored projects".to_string()
        }
    } else if ko {
        format!("모니터링 중인 사업 ({})", province_name(&province))
    } else {
        format!("Monitored projects ({})", province_name(&province))
    };
    Markup::render(&MonitoredProjects {
        title: &title,
        head: if ko {
            ["사업", "역할", "산업", "기간", "수행기관"]
        } else {
            ["Project", "Role", "Industry", "Years", "Organisation"]
        },
        projects: &projects,
        empty: if ko {
            "이 지역에서 볼 수 있는 모니터링 사업이 없습니다."
        } else {
            "No monitored project you may see in this region."
        },
        all: if ko {
            "모든 사업 보기"
        } else {
            "All projects"
        },
        lang: lang.code(),
    })
    .unwrap_or_default()
}

/// A profile's monitored projects: (id, title, role, industry, years, organisation).
#[derive(askama::Template)]
#[template(path = "parts/monitored_projects.html")]
struct MonitoredProjects<'a> {
    title: &'a str,
    head: [&'a str; 5],
    projects: &'a [(i64, String, String, String, String, String)],
    empty: &'a str,
    all: &'a str,
    lang: &'a str,
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
    let code = v["region"]["code"].as_str().unwrap_or_default().to_string();
    // The measure and the profile, once for every table of the page.
    let loaded = s.sources.measure(measure)?;
    let region = crate::api::region_from_path(&loaded.catalog, &code)?;
    let profile = regis_app::explore::profile(&loaded, region)?;
    let tables = ProfileTables {
        loaded: &loaded,
        profile: &profile,
        code: &code,
        measure,
        lang,
    };
    let structure = tables.section("structure", &[])?;
    let lq = if structure.1 == 0 {
        String::new()
    } else {
        lq_svg(s, &code, measure, lang)?
    };
    let strengths = tables.section(
        "traded_strengths",
        &[if lang == Lang::Ko {
            "교역산업(지역 밖으로 파는 산업) 가운데 입지계수(LQ)가 1 이상인 산업입니다. LQ가 같은 단위 지역의 상위 4분의 1에 들면 '강함'입니다 (미국 Cluster Mapping의 강한 클러스터 기준; 여기서는 산업 하나가 클러스터 하나를 대신합니다)."
        } else {
            "Traded industries (those that sell outside the region) with a location quotient of at least 1. Strong: the LQ ranks in the top quarter of the regions of the level (the US Cluster Mapping's strong-cluster convention; here each industry stands for its own cluster)."
        }],
    )?;
    let strengths = if structure.1 == 0 {
        (Markup::default(), 0)
    } else {
        strengths
    };
    let shift = tables.section("shift_share", &[])?;
    let trend_svg = super::trend_chart(&v, &name, &format!("{name} — {}", t(lang, "trend")), lang);
    let trend = tables.section("trend", &[])?;
    let body = Markup::render(&RegionPage {
        code: &code,
        name: &name,
        measure: v["measure"][if lang == Lang::Ko {
            "name_ko"
        } else {
            "name_en"
        }]
        .as_str()
        .unwrap_or_default(),
        lq: Markup::figure(lq),
        structure: structure.0,
        strengths: strengths.0,
        shift: shift.0,
        trend_svg: Markup::figure(trend_svg),
        trend: trend.0,
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

/// The tables of one profile, each rendered as a page section with its CSV download.
struct ProfileTables<'a> {
    loaded: &'a regis_app::Loaded,
    profile: &'a regis_app::explore::Profile,
    code: &'a str,
    measure: &'a str,
    lang: Lang,
}

impl ProfileTables<'_> {
    /// The section of table `id` (empty when the profile has none) and its number of rows.
    fn section(&self, id: &str, notes: &[&str]) -> Result<(Markup, usize), crate::error::AppError> {
        let lang = self.lang;
        let ko = lang == Lang::Ko;
        let Some(t_) =
            regis_app::profile::profile_table(self.loaded, self.profile, id, lang.into())
        else {
            return Ok((Markup::default(), 0));
        };
        let n = |r: usize, c: &str| t_.number(r, c);
        let text = |r: usize, c: &str| t_.text(r, c).unwrap_or_default().to_string();
        let value = |r: usize, c: &str| n(r, c).map(label).unwrap_or_default();
        let percent = |r: usize| {
            n(r, "share")
                .map(|x| format!("{:.1}%", x * 100.0))
                .unwrap_or_default()
        };
        let lq = |r: usize| n(r, "lq").map(|x| format!("{x:.2}")).unwrap_or_default();
        let rank = |r: usize, c: &str| match (n(r, c), n(r, "of")) {
            (Some(k), Some(of)) => format!("{k} / {of}"),
            _ => String::new(),
        };
        let lq_rank = if ko { "LQ 순위" } else { "LQ rank" };
        let (title, head, rows): (String, Vec<&str>, Vec<Vec<String>>) = match id {
            "structure" => (
                t(lang, "structure").into(),
                vec![
                    t(lang, "industry"),
                    t(lang, "value"),
                    t(lang, "share"),
                    "LQ",
                    lq_rank,
                ],
                (0..t_.len())
                    .map(|r| {
                        vec![
                            text(r, "name"),
                            value(r, "value"),
                            percent(r),
                            lq(r),
                            rank(r, "lq_rank"),
                        ]
                    })
                    .collect(),
            ),
            "traded_strengths" => (
                if ko {
                    "교역산업 강점"
                } else {
                    "Traded-industry strengths"
                }
                .into(),
                vec![
                    t(lang, "industry"),
                    t(lang, "share"),
                    "LQ",
                    lq_rank,
                    if ko { "강함" } else { "Strong" },
                ],
                (0..t_.len())
                    .map(|r| {
                        let strong = t_.text(r, "strong") == Some("yes");
                        vec![
                            text(r, "name"),
                            percent(r),
                            lq(r),
                            rank(r, "lq_rank"),
                            match (strong, ko) {
                                (true, true) => "강함".into(),
                                (true, false) => "Strong".into(),
                                _ => String::new(),
                            },
                        ]
                    })
                    .collect(),
            ),
            "shift_share" => (
                format!(
                    "{} {}–{}",
                    t(lang, "shift_share"),
                    n(0, "from").unwrap_or_default(),
                    n(0, "to").unwrap_or_default()
                ),
                vec![
                    t(lang, "industry"),
                    t(lang, "change"),
                    t(lang, "national"),
                    t(lang, "industry_mix"),
                    t(lang, "competitive"),
                ],
                (0..t_.len())
                    .map(|r| {
                        vec![
                            text(r, "name"),
                            value(r, "change"),
                            value(r, "national"),
                            value(r, "industry_mix"),
                            value(r, "competitive"),
                        ]
                    })
                    .collect(),
            ),
            _ => (
                t(lang, "trend").into(),
                vec![t(lang, "period"), t(lang, "value"), t(lang, "rank")],
                (0..t_.len())
                    .map(|r| {
                        vec![
                            n(r, "period").unwrap_or_default().to_string(),
                            value(r, "value"),
                            rank(r, "rank"),
                        ]
                    })
                    .collect(),
            ),
        };
        let empty = if ko {
            "해당 산업이 없습니다."
        } else {
            "None."
        };
        let markup = Markup::render(&ProfileTableSection {
            id,
            title: &title,
            note: &notes.join(" "),
            table: if rows.is_empty() {
                Markup::render(&EmptyNote { text: empty })?
            } else {
                table(
                    &head,
                    &rows,
                    if id == "shift_share" {
                        "shift-share"
                    } else {
                        id
                    },
                )
            },
            csv: &format!(
                "/api/v1/regions/{}/tables/{id}?measure={}&lang={}",
                self.code,
                self.measure,
                lang.code()
            ),
            csv_label: if ko {
                "CSV 내려받기"
            } else {
                "Download CSV"
            },
        })?;
        Ok((markup, rows.len()))
    }
}

/// One table of a profile with its heading, note and download.
#[derive(askama::Template)]
#[template(path = "parts/profile_table.html")]
struct ProfileTableSection<'a> {
    id: &'a str,
    title: &'a str,
    note: &'a str,
    table: Markup,
    csv: &'a str,
    csv_label: &'a str,
}

/// A table with no row.
#[derive(askama::Template)]
#[template(source = "<p class=\"note\">{{ text }}</p>", ext = "html")]
struct EmptyNote<'a> {
    text: &'a str,
}
