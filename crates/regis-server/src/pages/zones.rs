//! The zone pages: functional zones from migration flows (labour-market areas) and max-p
//! regions of a minimum population.

use axum::extract::{RawQuery, State};
use regis_core::Level;
use regis_data::korea;

use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;

use super::*;

/// GET /zones — functional zones drawn from migration flows between provinces
/// (labour-market-area rules), on the map against the provincial borders.
pub async fn zones(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    // Built-in flows only: the page is rendered once per address.
    let q = canonical_query(&q);
    cached_page(&s, builtin_page_key("zones", &q), || render_zones(q))
}

/// The page's default rules for labour-market areas of migration between provinces.
pub(super) const DEFAULT_ZONE_RULES: regis_app::zones::LmaParameters =
    regis_app::zones::LmaParameters {
        min_size: 1000.0,
        target_size: 10000.0,
        min_self_containment: 0.6667,
        target_self_containment: 0.75,
    };

/// Labour-market areas of the built-in migration flows of `period` (none: the latest).
pub(super) fn migration_zones(
    parameters: regis_app::zones::LmaParameters,
    period: Option<i32>,
) -> Result<regis_app::zones::LmaReport, AppError> {
    use regis_app::zones::{FlowSource, LmaRequest};
    Ok(regis_app::zones::lma(&LmaRequest {
        source: FlowSource {
            measure: Some("migration".into()),
            period,
            ..FlowSource::default()
        },
        parameters,
        single_pass: false,
        admin_prefix: None,
        contiguity: false,
        boundaries: None,
        boundary_code_field: "code".into(),
    })?)
}

/// The zones page for the query `q`.
fn render_zones(q: Option<String>) -> Page {
    use regis_app::zones::LmaParameters;
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
        min_size: num("min_size", DEFAULT_ZONE_RULES.min_size)?,
        target_size: num("target_size", DEFAULT_ZONE_RULES.target_size)?,
        min_self_containment: num(
            "min_self_containment",
            DEFAULT_ZONE_RULES.min_self_containment,
        )?,
        target_self_containment: num(
            "target_self_containment",
            DEFAULT_ZONE_RULES.target_self_containment,
        )?,
    };
    let z = migration_zones(params, p.int("period")?)?;
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS);
    let region_of = |code: &str| cat.resolve(code, sgis, None, Some(Level::PROVINCE)).ok();
    let name = |code: &str| {
        region_of(code)
            .map(|r| cat.region(r).name(lang.code()).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let year = z.period.unwrap_or_default();
    let period = korea_period(year);
    let values: Vec<regis_app::explore::MapValue> = z
        .unit_zone
        .iter()
        .filter_map(|(code, zone)| {
            Some(regis_app::explore::MapValue {
                region: region_of(code)?,
                value: Some(*zone as f64),
            })
        })
        .collect();
    let joined = regis_app::explore::join_boundaries(cat, Level::PROVINCE, period, &values)?;
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
            description: &if lang == Lang::Ko {
                format!("권역 {}개; {}", z.zones.len(), korea::ATTRIBUTION_KO)
            } else {
                format!("{} zones; {}", z.zones.len(), korea::ATTRIBUTION)
            },
            legend_title: if ko { "권역" } else { "Zone" },
            missing_label: t(lang, "missing"),
            breaks: &breaks,
            width: 560.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
            categories: &(1..=z.zones.len())
                .map(|k| {
                    if ko {
                        format!("권역 {k}")
                    } else {
                        format!("Zone {k}")
                    }
                })
                .collect::<Vec<_>>(),
        },
    );
    let rows: Vec<Vec<String>> = z
        .zones
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let members: Vec<String> = s.units.iter().map(|u| name(u)).collect();
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
        format!("시도 간 인구이동(시도 내 이동 포함)에 노동시장권역(LMA) 규칙(Coombes & Bond 2008; Franconi 외 2017)을 적용: 최소 규모 {}, 목표 규모 {}, 최소 자족도 {}, 목표 자족도 {}. 권역 내에 머무는 이동 {:.1}%. 같은 색 = 같은 권역(색의 순서는 의미 없음).", params.min_size, params.target_size, params.min_self_containment, params.target_self_containment, 100.0 * z.partition.share_internal)
    } else {
        format!("Labour-market-area rules (Coombes & Bond 2008; Franconi et al. 2017) applied to migration between provinces (within-province moves included): minimum size {}, target size {}, minimum self-containment {}, target self-containment {}. {:.1}% of moves stay inside their zone. Same colour = same zone (the colour order means nothing).", params.min_size, params.target_size, params.min_self_containment, params.target_self_containment, 100.0 * z.partition.share_internal)
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
/// companies per head (2020), drawn on the map: `regis zones maxp`'s report.
pub async fn maxp_regions(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
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
        use regis_app::regionalise::{AreaSource, MaxPRequest};
        let r = regis_app::regionalise::maxp(
            &s.sources,
            &MaxPRequest {
                areas: AreaSource {
                    attributes: vec!["grdp_nominal".into(), "companies".into()],
                    per: Some("population".into()),
                    period,
                    level: Level::DISTRICT,
                    table: None,
                    code_col: "code".into(),
                    boundaries: None,
                    boundary_code_field: "code".into(),
                    standardise: false,
                },
                threshold,
                threshold_by: "population".into(),
                iterations: 99,
                annealing_runs: 10,
                seed,
            },
        )?;
        // Colour the regions so that neighbouring regions differ (greedy colouring of the region
        // adjacency, most-connected first); a handful of colours suffices on a map.
        let touching = r.region_adjacency();
        let mut order: Vec<usize> = (0..r.regions).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(touching[k].len()));
        let mut colour = vec![usize::MAX; r.regions];
        for k in order {
            colour[k] = (0..)
                .find(|c| touching[k].iter().all(|n| colour[*n] != *c))
                .unwrap_or(0);
        }
        let colours = colour.iter().copied().max().map_or(1, |m| m + 1);
        let feats: Vec<MapFeature> = r
            .map_units()
            .into_iter()
            .map(|u| MapFeature {
                name: format!(
                    "{}{}",
                    u.name,
                    u.region
                        .map(|l| format!(
                            " — {} {}",
                            if lang == Lang::Ko { "권역" } else { "region" },
                            l + 1
                        ))
                        .unwrap_or_default()
                ),
                code: u.code,
                rings: u.rings,
                value: u.region.map(|l| (colour[l] + 1) as f64),
            })
            .collect();
        let breaks: Vec<f64> = (1..=colours).map(|k| k as f64).collect();
        let map = choropleth(
            &feats,
            &MapSpec {
                title: &title,
                description: &if lang == Lang::Ko {
                    format!("권역 {}개; {}", r.regions, korea::ATTRIBUTION_KO)
                } else {
                    format!("{} regions; {}", r.regions, korea::ATTRIBUTION)
                },
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
                categories: &(1..=colours)
                    .map(|k| {
                        if ko {
                            format!("색 {k}")
                        } else {
                            format!("colour {k}")
                        }
                    })
                    .collect::<Vec<_>>(),
            },
        );
        let rows: Vec<Vec<String>> = r
            .zones
            .iter()
            .map(|z| {
                vec![
                    (z.region + 1).to_string(),
                    format!("{:.0}", z.total),
                    z.names.join(", "),
                ]
            })
            .collect();
        let note = if ko {
            format!("시군구를 이웃한 것끼리 묶어, 각 권역 인구가 {threshold:.0}명 이상이 되는 범위에서 권역 수를 최대로 하고 1인당 GRDP와 1인당 사업체 수가 비슷하도록 나눔 (max-p, Duque 외 2012; Wei 외 2021). 이웃한 권역은 다른 색으로 칠함; 시군구에 마우스를 올리면 권역 번호가 보임.")
        } else {
            format!("Neighbouring districts grouped into as many regions as possible with at least {threshold:.0} people each, alike in GRDP per head and companies per head (max-p; Duque et al. 2012, Wei et al. 2021). Neighbouring regions have different colours; hover a district for its region number.")
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
