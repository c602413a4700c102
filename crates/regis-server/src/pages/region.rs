//! A region's profile page: headline cards, industry structure with LQs, shift-share, trend
//! and rank, its functional zone and strategy candidates.

use axum::extract::{Path, RawQuery, State};
use regis_data::korea;
use regis_viz::chart::{line_chart, Series};

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
