//! The JSON (and SVG, CSV, XLSX, GeoJSON) API under `/api/v1`.

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use regis_app::diagnose::{DiagnoseReport, DiagnoseRequest};
use regis_app::{Loaded, Source};
use regis_core::{Level, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::export::{measure_json, ExportTable};
use regis_data::korea;
use regis_viz::breaks::{breaks, Scheme};
use regis_viz::chart::{bar_chart, line_chart, lorenz_chart, Series};
use regis_viz::map::{choropleth, MapFeature, MapSpec};
use serde_json::{json, Value};

use crate::error::AppError;
use crate::i18n::{t, Lang};
use crate::params::Params;
use crate::AppState;
use regis_app::explore::{check_period, join_boundaries, map_values, panel_at, profile, Index};

type ApiResult<T> = Result<T, AppError>;

fn region_json(cat: &RegionCatalog, r: RegionId, lang: Lang) -> Value {
    let reg = cat.region(r);
    json!({"code": reg.code, "name": reg.name(lang.code()), "name_ko": reg.name_ko, "name_en": reg.name_en, "level": reg.level.name()})
}

/// Resolves a region code from a path (SGIS census code or a Korean/English name).
pub fn region_from_path(cat: &RegionCatalog, code: &str) -> ApiResult<RegionId> {
    let sgis = cat.system_index(korea::SGIS);
    cat.resolve(code, sgis, None, Some(Level::PROVINCE))
        .or_else(|_| cat.resolve(code, sgis, None, Some(Level::DISTRICT)))
        .or_else(|_| cat.resolve(code, None, None, None))
        .map_err(|e| {
            if crate::error::shown(code) == code {
                AppError::not_found("unknown-region", e.to_string())
            } else {
                AppError::not_found(
                    "unknown-region",
                    "unknown region (not a code or name): expected an SGIS census code such as 11 or 31010, or a region name",
                )
            }
        })
}

/// GET /api/v1/measures
pub async fn measures(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    Params::parse(q.as_deref(), &[])?;
    let mut out = Vec::new();
    for id in korea::MEASURE_IDS {
        let l = s.sources.measure(id)?;
        let periods = l.dataset.periods();
        let levels: Vec<String> = if l.dataset.flows.is_some() {
            vec!["province".into()]
        } else {
            l.dataset
                .panels
                .iter()
                .flat_map(|p| p.levels.iter().map(|x| x.name()))
                .collect()
        };
        out.push(json!({"measure": measure_json(&l.dataset.measure), "levels": levels, "first_period": periods.first().map(|p| p.0), "last_period": periods.last().map(|p| p.0), "source": l.dataset.panels.iter().map(|p| p.source.clone()).collect::<Vec<_>>()}));
    }
    Ok(Json(
        json!({"measures": out, "attribution": korea::ATTRIBUTION}),
    ))
}

/// GET /api/v1/regions
pub async fn regions(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["level", "year", "lang"])?;
    let (level, year, lang) = (p.level()?, p.int("year")?, p.lang()?);
    let cat = korea::catalog();
    let rows: Vec<Value> = cat
        .at_level(level, year)
        .into_iter()
        .map(|r| region_json(cat, r, lang))
        .collect();
    Ok(Json(
        json!({"level": level.name(), "year": year, "regions": rows}),
    ))
}

fn index_and_industry(p: &Params) -> ApiResult<(Index, String)> {
    let index = Index::parse(p.or("index", "level"))?;
    let industry = p
        .get("industry")
        .map(String::from)
        .unwrap_or_else(|| TOTAL_INDUSTRY.into());
    Ok((index, industry))
}

/// GET /api/v1/values
pub async fn values(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &["measure", "level", "period", "industry", "index", "lang"],
    )?;
    let (level, lang) = (p.level()?, p.lang()?);
    let l = s.sources.measure(p.or("measure", "population"))?;
    let (index, industry) = index_and_industry(&p)?;
    let (period, vals) = map_values(&s.sources, &l, level, p.int("period")?, &industry, index)?;
    let rows: Vec<Value> = vals
        .iter()
        .filter(|v| l.catalog.region(v.region).level == level)
        .map(|v| {
            let mut r = region_json(&l.catalog, v.region, lang);
            r["value"] = json!(v.value);
            r
        })
        .collect();
    Ok(Json(
        json!({"measure": measure_json(&l.dataset.measure), "level": level.name(), "period": period.0, "industry": industry, "index": index.id(), "rows": rows, "attribution": l.attribution}),
    ))
}

/// The SMA imbalance report of a built-in or stored measure: province totals, every period.
pub fn sma_imbalance(s: &AppState, measure: &str) -> ApiResult<DiagnoseReport> {
    Ok(regis_app::diagnose::diagnose(
        &s.sources,
        &DiagnoseRequest {
            source: Source::measure(measure),
            level: Level::PROVINCE,
            industry: TOTAL_INDUSTRY.into(),
            group: Some("SMA".into()),
            group_members: None,
            periods: Vec::new(),
            from: None,
            to: None,
            per: None,
            vintage: None,
            lang: regis_app::Lang::En,
        },
    )?)
}

/// GET /api/v1/imbalance — the diagnose report of a measure's totals at a level, in the shape
/// the dashboard has used since its first release.
pub async fn imbalance(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["measure", "group", "level", "per"])?;
    let report = regis_app::diagnose::diagnose(
        &s.sources,
        &DiagnoseRequest {
            source: Source::measure(p.or("measure", "population")),
            level: p.level()?,
            industry: TOTAL_INDUSTRY.into(),
            group: Some(p.or("group", "SMA").to_string()),
            group_members: None,
            periods: Vec::new(),
            from: None,
            to: None,
            per: p.get("per").map(String::from),
            vintage: None,
            lang: regis_app::Lang::En,
        },
    )?;
    let rows: Vec<Value> = report.rows.iter().map(|r| json!({
        "period": r.period, "regions": r.regions, "group_share": r.group_share, "gini": r.gini, "theil": r.theil,
        "theil_between": r.theil_between, "theil_within": r.theil_within, "theil_l": r.theil_l, "atkinson_0.5": r.atkinson_05,
        "cv": r.cv, "hoover": r.hoover, "diagnostics": r.diagnostics,
    })).collect();
    Ok(Json(
        json!({"measure": report.measure, "group": p.or("group", "SMA"), "level": report.level, "per": report.per, "rows": rows, "attribution": report.attribution}),
    ))
}

/// Industry name in a language (the application layer's rule).
pub fn industry_name(classification: Option<&str>, code: &str, lang: Lang) -> String {
    regis_app::matrix::industry_name_in(classification, code, lang.into())
}

/// The profile as JSON (shared by the page).
pub fn profile_json(s: &AppState, code: &str, measure: &str, lang: Lang) -> ApiResult<Value> {
    let l = s.sources.measure(measure)?;
    let r = region_from_path(&l.catalog, code)?;
    let pr = profile(&l, r)?;
    let cl = l
        .dataset
        .panel_at(l.catalog.region(r).level)
        .and_then(|lp| lp.panel.classification.clone());
    let structure: Vec<Value> = pr.structure.iter().map(|(i, v, sh, lq)| json!({"industry": i, "name": industry_name(cl.as_deref(), i, lang), "value": v, "share": sh, "lq": lq})).collect();
    let shift = pr.shift_share.as_ref().map(|(from, to, cells, total)| json!({
        "from": from.0, "to": to.0, "method": "classic",
        "total": {"change": total.change(), "national": total.national, "industry_mix": total.industry_mix, "competitive": total.competitive},
        "industries": cells.iter().map(|(i, c)| json!({"industry": i, "name": industry_name(cl.as_deref(), i, lang), "change": c.change(), "national": c.national, "industry_mix": c.industry_mix, "competitive": c.competitive})).collect::<Vec<_>>(),
    }));
    let trend: Vec<Value> = pr
        .trend
        .iter()
        .map(|(p, v, rank, n)| json!({"period": p.0, "value": v, "rank": rank, "of": n}))
        .collect();
    Ok(
        json!({"region": region_json(&l.catalog, r, lang), "measure": measure_json(&l.dataset.measure), "period": pr.period.0, "structure": structure, "shift_share": shift, "trend": trend, "attribution": l.attribution}),
    )
}

/// GET /api/v1/regions/{code}/profile
pub async fn region_profile(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["measure", "lang"])?;
    Ok(Json(profile_json(
        &s,
        &code,
        p.or("measure", "grdp_nominal"),
        p.lang()?,
    )?))
}

/// A region profile's table `table` (structure, traded_strengths, shift_share, trend) on
/// `measure` (shared by the page and its downloads).
pub fn profile_table(
    s: &AppState,
    code: &str,
    measure: &str,
    table: &str,
    lang: Lang,
) -> ApiResult<(Loaded, RegionId, regis_app::table::Table)> {
    use regis_app::profile::PROFILE_TABLES;
    if !PROFILE_TABLES.contains(&table) {
        return Err(AppError::not_found(
            "unknown-table",
            format!(
                "unknown table `{}`; expected one of {}",
                crate::error::shown(table),
                PROFILE_TABLES.join(", ")
            ),
        ));
    }
    let l = s.sources.measure(measure)?;
    let r = region_from_path(&l.catalog, code)?;
    let pr = profile(&l, r)?;
    let t = regis_app::profile::profile_table(&l, &pr, table, lang.into()).ok_or_else(|| {
        AppError::not_found(
            "no-such-table",
            format!(
                "{} has no {table} table on `{measure}` (a shift-share needs an additive measure with industries and an earlier year)",
                l.catalog.region(r).name_en
            ),
        )
    })?;
    Ok((l, r, t))
}

/// GET /api/v1/regions/{code}/tables/{table} — one table of a region's profile as CSV.
pub async fn region_table(
    State(s): State<AppState>,
    Path((code, table)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["measure", "lang"])?;
    let (l, r, t) = profile_table(
        &s,
        &code,
        p.or("measure", "grdp_nominal"),
        &table,
        p.lang()?,
    )?;
    // The file name is built from the resolved code and ids, never from the request's text;
    // an imported region code keeps only letters, digits, `-` and `_`.
    let code: String = l
        .catalog
        .region(r)
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(32)
        .collect();
    let name = format!(
        "{}_{}_{}.csv",
        if code.is_empty() { "region" } else { &code },
        l.dataset.measure.id,
        regis_app::profile::PROFILE_TABLES
            .iter()
            .find(|x| **x == table)
            .copied()
            .unwrap_or("table")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        t.to_csv(),
    )
        .into_response())
}

/// Industry view as JSON (shared by the page).
pub fn industry_json(
    s: &AppState,
    code: &str,
    measure: &str,
    level: Level,
    period: Option<i32>,
    lang: Lang,
) -> ApiResult<Value> {
    let l = s.sources.measure(measure)?;
    let ip = regis_app::explore::industry_profile(&l, code, level, period)?;
    let cl = ip.classification.as_deref();
    let ranked: Vec<Value> = ip
        .regions
        .iter()
        .map(|(id, value, share, lq)| {
            let mut v = region_json(&l.catalog, *id, lang);
            v["value"] = json!(value);
            v["share_of_industry"] = json!(share);
            v["lq"] = json!(lq);
            v
        })
        .collect();
    Ok(json!({
        "industry": {"code": ip.code, "name": industry_name(cl, &ip.code, lang)}, "measure": measure_json(&l.dataset.measure), "level": level.name(), "period": ip.period.0,
        "concentration": {"locational_gini": ip.locational_gini, "herfindahl": ip.herfindahl, "krugman_concentration": ip.krugman_concentration, "ellison_glaeser_h0": ip.ellison_glaeser_h0},
        "regions": ranked, "diagnostics": ip.diagnostics, "attribution": l.attribution,
    }))
}

/// GET /api/v1/industries/{code}
pub async fn industry(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let p = Params::parse(q.as_deref(), &["measure", "level", "period", "lang"])?;
    Ok(Json(industry_json(
        &s,
        &code,
        p.or("measure", "grdp_nominal"),
        p.level()?,
        p.int("period")?,
        p.lang()?,
    )?))
}

fn svg(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The map as SVG (shared by the page), cached by its parameters for the built-in measures.
pub fn map_svg(s: &AppState, p: &Params) -> ApiResult<String> {
    let mut keys: Vec<(&str, &str)> = [
        "measure", "level", "period", "industry", "index", "scheme", "classes", "lang",
    ]
    .iter()
    .filter_map(|k| p.get(k).map(|v| (*k, v)))
    .collect();
    keys.sort();
    let key = format!("map?{keys:?}");
    let builtin = korea::MEASURE_IDS.contains(&p.or("measure", "population"));
    Ok(s.figure(&key, builtin, || render_map_svg(s, p))?
        .as_str()
        .to_string())
}

fn render_map_svg(s: &AppState, p: &Params) -> ApiResult<String> {
    let (level, lang) = (p.level()?, p.lang()?);
    let measure = p.or("measure", "population");
    let l = s.sources.measure(measure)?;
    let (index, industry) = index_and_industry(p)?;
    let scheme_s = p.or("scheme", "quantiles");
    let scheme = Scheme::parse(scheme_s).ok_or_else(|| {
        AppError::bad(
            "bad-parameter",
            format!(
                "unknown scheme `{scheme_s}`; expected quantiles, natural-breaks or equal-interval"
            ),
        )
    })?;
    let classes = p.int("classes")?.unwrap_or(5);
    if !(2..=9).contains(&classes) {
        return Err(AppError::bad(
            "bad-parameter",
            format!("classes must be between 2 and 9, not {classes}"),
        ));
    }
    let (period, vals) = map_values(&s.sources, &l, level, p.int("period")?, &industry, index)?;
    let joined = join_boundaries(&l.catalog, level, period, &vals)?;
    let values: Vec<f64> = joined.iter().filter_map(|j| j.value).collect();
    let b = breaks(&values, classes as usize, scheme);
    let feats: Vec<MapFeature> = joined
        .into_iter()
        .map(|j| MapFeature {
            code: l.catalog.region(j.region).code.clone(),
            name: l.catalog.region(j.region).name(lang.code()).to_string(),
            rings: j.rings,
            value: j.value,
        })
        .collect();
    let (title, unit) = map_title_and_unit(&l, level, period, &industry, index, lang);
    let desc = format!(
        "{} {}: {} {}; {}",
        t(lang, "classes"),
        t(lang, scheme.id()),
        feats.len(),
        t(lang, "region"),
        attribution_in(&l.attribution, lang)
    );
    Ok(choropleth(
        &feats,
        &MapSpec {
            title: &title,
            description: &desc,
            legend_title: &unit,
            missing_label: t(lang, "missing"),
            breaks: &b,
            width: 640.0,
            link: &format!("/region/{{code}}?lang={}", lang.code()),
            categories: &[],
        },
    ))
}

/// The built-in data's attribution in the page's language (a stored measure's as stored).
pub fn attribution_in(attribution: &str, lang: Lang) -> &str {
    if lang == Lang::Ko && attribution == korea::ATTRIBUTION {
        korea::ATTRIBUTION_KO
    } else {
        attribution
    }
}

/// A map's title (measure, industry, level, year, index) and its values' unit.
fn map_title_and_unit(
    l: &regis_app::source::Loaded,
    level: Level,
    period: regis_core::Period,
    industry: &str,
    index: Index,
    lang: Lang,
) -> (String, String) {
    let mname = if lang == Lang::Ko {
        &l.dataset.measure.name_ko
    } else {
        &l.dataset.measure.name_en
    };
    let ind = if industry == TOTAL_INDUSTRY {
        String::new()
    } else {
        format!(
            " — {}",
            industry_name(
                l.dataset
                    .panel_at(level)
                    .and_then(|lp| lp.panel.classification.as_deref()),
                industry,
                lang
            )
        )
    };
    let title = format!(
        "{mname}{ind}, {} {period} ({})",
        t(lang, level.name().as_str()),
        t(lang, &format!("index_{}", index.id()))
    );
    let unit = match index {
        Index::Level => crate::i18n::unit_label(&l.dataset.measure.unit, lang),
        Index::PerCapita => format!(
            "{} / {}",
            crate::i18n::unit_label(&l.dataset.measure.unit, lang),
            if lang == Lang::Ko { "인" } else { "person" }
        ),
        Index::Share => t(lang, "share").into(),
        Index::Lq => "LQ".into(),
        Index::Growth => "%".into(),
    };
    (title, unit)
}

/// GET /api/v1/map.svg
pub async fn map(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure", "level", "period", "industry", "index", "scheme", "classes", "lang",
        ],
    )?;
    Ok(svg(map_svg(&s, &p)?))
}

/// The map's regions as GeoJSON (longitude, latitude; coordinates to 1e-4°, about 10 m) with
/// each region's code, name, parent and value, plus the title, year and unit: what the
/// interactive map draws. Each ring is a polygon of its own (an enclave's hole is drawn as the
/// region inside it covers it: a simplification of the boundary file's rings).
pub fn map_geojson(s: &AppState, p: &Params) -> ApiResult<String> {
    let mut keys: Vec<(&str, &str)> = ["measure", "level", "period", "industry", "index", "lang"]
        .iter()
        .filter_map(|k| p.get(k).map(|v| (*k, v)))
        .collect();
    keys.sort();
    let key = format!("map.json?{keys:?}");
    let builtin = korea::MEASURE_IDS.contains(&p.or("measure", "population"));
    Ok(s.figure(&key, builtin, || {
        let (level, lang) = (p.level()?, p.lang()?);
        let l = s.sources.measure(p.or("measure", "population"))?;
        let (index, industry) = index_and_industry(p)?;
        let (period, vals) = map_values(&s.sources, &l, level, p.int("period")?, &industry, index)?;
        let joined = join_boundaries(&l.catalog, level, period, &vals)?;
        let (title, unit) = map_title_and_unit(&l, level, period, &industry, index, lang);
        let round = |x: f64| (x * 1e4).round() / 1e4;
        let features: Vec<Value> = joined
            .iter()
            .map(|j| {
                let reg = l.catalog.region(j.region);
                let parent = reg.parent.map(|q| l.catalog.region(q)).filter(|q| q.level != Level::NATION);
                let polygons: Vec<Value> = j
                    .rings
                    .iter()
                    .map(|ring| json!([ring.iter().map(|c| [round(c[0]), round(c[1])]).collect::<Vec<_>>()]))
                    .collect();
                json!({"type": "Feature",
                       "properties": {"code": reg.code, "name": reg.name(lang.code()),
                                      "parent": parent.map(|q| q.name(lang.code())), "parent_code": parent.map(|q| q.code.clone()),
                                      "value": j.value},
                       "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
            })
            .collect();
        Ok(json!({"type": "FeatureCollection", "title": title, "period": period.0, "unit": unit,
                  "index": index.id(), "attribution": l.attribution, "features": features})
        .to_string())
    })?
    .as_str()
    .to_string())
}

/// GET /api/v1/map.json — [`map_geojson`].
pub async fn map_json(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(
        q.as_deref(),
        &["measure", "level", "period", "industry", "index", "lang"],
    )?;
    let body = map_geojson(&s, &p)?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}

/// The imbalance chart (SMA shares of population and GRDP, Theil between/within) as SVG.
pub fn imbalance_svg(s: &AppState, lang: Lang) -> ApiResult<String> {
    let mut shares = Vec::new();
    let mut theil = Vec::new();
    for m in ["population", "grdp_nominal"] {
        let rows = sma_imbalance(s, m)?.rows;
        shares.push(Series {
            name: format!("{} — {}", t(lang, "sma_share"), t(lang, m)),
            points: rows
                .iter()
                .map(|r| (f64::from(r.period), r.group_share))
                .collect(),
        });
        if m == "grdp_nominal" {
            theil.push(Series {
                name: format!("{} ({})", t(lang, "theil_between"), t(lang, m)),
                points: rows
                    .iter()
                    .map(|r| (f64::from(r.period), r.theil_between))
                    .collect(),
            });
            theil.push(Series {
                name: format!("{} ({})", t(lang, "theil_within"), t(lang, m)),
                points: rows
                    .iter()
                    .map(|r| (f64::from(r.period), r.theil_within))
                    .collect(),
            });
        }
    }
    let a = line_chart(
        &shares,
        t(lang, "sma_share"),
        t(lang, "imbalance_story"),
        640.0,
        300.0,
    );
    let b = line_chart(&theil, "Theil T", t(lang, "imbalance_story"), 640.0, 300.0);
    Ok(format!("{a}{b}"))
}

/// GET /api/v1/charts/imbalance.svg
pub async fn imbalance_chart(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["lang"])?;
    // Two figures: wrap them in one SVG document.
    let lang = p.lang()?;
    let inner = imbalance_svg(&s, lang)?;
    Ok(svg(format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"600\" viewBox=\"0 0 640 600\"><title>{}</title>{}</svg>", t(lang, "imbalance_story"), inner.replacen("<svg ", "<svg y=\"0\" ", 1).replacen("</svg><svg ", "</svg><svg y=\"300\" ", 1))))
}

/// LQ bars of a region as SVG.
pub fn lq_svg(s: &AppState, code: &str, measure: &str, lang: Lang) -> ApiResult<String> {
    let v = profile_json(s, code, measure, lang)?;
    let mut bars: Vec<(String, f64)> = v["structure"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| Some((x["name"].as_str()?.to_string(), x["lq"].as_f64()?)))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let title = format!(
        "{} — {} {}",
        v["region"]["name"].as_str().unwrap_or(""),
        t(lang, "lq_bars"),
        v["period"]
    );
    Ok(bar_chart(
        &bars,
        &title,
        t(lang, "lq_bars"),
        Some(1.0),
        640.0,
    ))
}

/// GET /api/v1/charts/lq.svg
pub async fn lq_chart(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["region", "measure", "lang"])?;
    let region = p.get("region").ok_or_else(|| {
        AppError::bad(
            "missing-parameter",
            "parameter `region` is required (an SGIS code such as 11, or a name)",
        )
    })?;
    Ok(svg(lq_svg(
        &s,
        region,
        p.or("measure", "grdp_nominal"),
        p.lang()?,
    )?))
}

/// GET /api/v1/charts/lorenz.svg
pub async fn lorenz(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref(), &["measure", "level", "period", "lang"])?;
    let (level, lang) = (p.level()?, p.lang()?);
    let l = s.sources.measure(p.or("measure", "population"))?;
    let (period, pts) = regis_app::explore::lorenz(&s.sources, &l, level, p.int("period")?)?;
    let title = format!(
        "Lorenz — {} {period}",
        if lang == Lang::Ko {
            &l.dataset.measure.name_ko
        } else {
            &l.dataset.measure.name_en
        }
    );
    Ok(svg(lorenz_chart(&pts, &title, &l.attribution, 320.0)))
}

/// GET /api/v1/download
pub async fn download(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let p = Params::parse(
        q.as_deref(),
        &["measure", "level", "period", "industry", "format"],
    )?;
    let level = p.level()?;
    let measure = p.or("measure", "population");
    let l = s.sources.measure(measure)?;
    let panel = panel_at(&l, level)?;
    let periods: Option<Vec<Period>> = match p.int("period")? {
        Some(y) => Some(vec![check_period(&panel, Some(y), measure)?]),
        None => None,
    };
    let industries: Option<Vec<String>> = match p.get("industry") {
        Some("all") => None,
        Some(i) => Some(vec![i.to_string()]),
        None => Some(vec![TOTAL_INDUSTRY.to_string()]),
    };
    let mut regions: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| l.catalog.region(*r).level == level)
        .collect();
    regions.sort_by(|a, b| l.catalog.region(*a).code.cmp(&l.catalog.region(*b).code));
    let mut rows =
        ExportTable::panel_rows(&panel, &regions, industries.as_deref(), periods.as_deref());
    // A region that did not exist in a period (Sejong before 2012) has no row for it.
    rows.retain(|r| r.value.is_some() || l.catalog.region(r.region).valid_in(r.period.0));
    let cl = panel
        .classification
        .as_deref()
        .and_then(korea::classification);
    let table = ExportTable {
        measure: &l.dataset.measure,
        rows,
        catalog: &l.catalog,
        code_system: None,
        classification: cl,
        attribution: &l.attribution,
        is_flow: false,
    };
    let name = format!("{measure}_{}", level.name());
    match p.or("format", "csv") {
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            table.to_csv(),
        )
            .into_response()),
        "xlsx" => {
            let bytes = table.to_xlsx()?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}.xlsx\""),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        "geojson" => {
            let period = match &periods {
                Some(ps) => ps[0],
                None => check_period(&panel, None, measure)?,
            };
            let industry = industries
                .as_ref()
                .and_then(|v| v.first().cloned())
                .unwrap_or_else(|| TOTAL_INDUSTRY.into());
            let (period, vals) = map_values(
                &s.sources,
                &l,
                level,
                Some(period.0),
                &industry,
                Index::Level,
            )?;
            let joined = join_boundaries(&l.catalog, level, period, &vals)?;
            let features: Vec<Value> = joined.iter().map(|j| {
                let reg = l.catalog.region(j.region);
                json!({"type": "Feature", "properties": {"code": reg.code, "name": reg.name_ko, "name_eng": reg.name_en, "measure": measure, "industry": industry, "period": period.0, "value": j.value, "unit": l.dataset.measure.unit},
                       "geometry": {"type": "MultiPolygon", "coordinates": j.polygons}})
            }).collect();
            let fc = json!({"type": "FeatureCollection", "attribution": l.attribution, "features": features});
            Ok((
                [
                    (header::CONTENT_TYPE, "application/geo+json".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}.geojson\""),
                    ),
                ],
                fc.to_string(),
            )
                .into_response())
        }
        other => Err(AppError::bad(
            "bad-parameter",
            format!(
                "unknown format `{}`; expected csv, xlsx or geojson",
                crate::error::shown(other)
            ),
        )),
    }
}
