//! "Select and focus" for the dashboard and API: a region's scored candidate industries with
//! their evidence and sensitivity, every region's choice and where they overlap, and clusters
//! with star ratings. Defaults: nominal GRDP, provinces, the finest KOSIS activities, the latest
//! year and a 10-year window.

use regis_core::{Level, Period, RegionId};
use regis_data::export::measure_json;
use regis_methods::clusters::{
    aggregate, average_linkage, colocation_similarity, silhouette, star_ratings,
};
use regis_methods::specialisation::RegionIndustry;
use regis_methods::strategy::{
    candidate_criteria, differentiate, overlap, score, sensitivity, Weights, CRITERIA,
    DEFAULT_WEIGHTS,
};
use serde_json::{json, Value};

use crate::api::{industry_name, region_from_path};
use crate::compute::{leaf_industries, panel_at, Loaded, Sources};
use crate::error::AppError;
use crate::i18n::Lang;

/// Parses `specialisation=0.4,density=0.3` (other criteria keep their defaults).
pub fn parse_weights(spec: Option<&str>) -> Result<Weights, AppError> {
    let mut w = DEFAULT_WEIGHTS;
    for part in spec
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            AppError::bad(
                "bad-parameter",
                format!(
                    "weights: `{}` is not criterion=number",
                    crate::error::shown(part)
                ),
            )
        })?;
        let idx = CRITERIA
            .iter()
            .position(|c| *c == k.trim())
            .ok_or_else(|| {
                AppError::bad(
                    "bad-parameter",
                    format!(
                        "weights: unknown criterion `{k}`; criteria: {}",
                        CRITERIA.join(", ")
                    ),
                )
            })?;
        w[idx] = v.trim().parse().map_err(|_| {
            AppError::bad(
                "bad-parameter",
                format!("weights: `{}` is not a number", crate::error::shown(v)),
            )
        })?;
    }
    Weights::new(w).map_err(|e| AppError::bad("bad-parameter", e.to_string()))
}

struct Setup {
    loaded: Loaded,
    panel: regis_core::Panel,
    regions: Vec<RegionId>,
    industries: Vec<String>,
    from: Period,
    to: Period,
    criteria: Vec<regis_methods::strategy::CriteriaValues>,
    proximity: Vec<f64>,
}

fn matrix(
    panel: &regis_core::Panel,
    regions: &[RegionId],
    inds: &[String],
    p: Period,
) -> Result<RegionIndustry, AppError> {
    let v: Vec<f64> = regions
        .iter()
        .flat_map(|r| {
            inds.iter()
                .map(move |i| panel.get(*r, i, p).unwrap_or(0.0).max(0.0))
        })
        .collect();
    RegionIndustry::new(v, regions.len(), inds.len()).map_err(|e| AppError::internal(e.to_string()))
}

fn setup(
    sources: &Sources,
    measure: &str,
    level: Level,
    period: Option<i32>,
    window: i32,
) -> Result<Setup, AppError> {
    let loaded = sources.measure(measure)?;
    if !loaded.dataset.measure.additive {
        return Err(AppError::bad(
            "not-additive",
            format!(
                "`{measure}` is not additive: shares, LQs and shift-share need values that add up"
            ),
        ));
    }
    let panel = panel_at(&loaded, level)?;
    let industries = leaf_industries(&panel);
    if industries.len() < 3 {
        return Err(AppError::bad(
            "no-industries",
            format!("`{measure}` has no industry breakdown at level {level}"),
        ));
    }
    let to = crate::compute::check_period(&panel, period, measure)?;
    let from = panel
        .periods()
        .iter()
        .copied()
        .filter(|p| p.0 >= to.0 - window && *p < to)
        .min()
        .ok_or_else(|| {
            AppError::bad(
                "period-out-of-range",
                format!("no period within {window} years before {to}"),
            )
        })?;
    let cat = &loaded.catalog;
    let complete = |p: Period| -> Vec<RegionId> {
        panel
            .regions()
            .iter()
            .copied()
            .filter(|r| {
                cat.region(*r).level == level
                    && industries.iter().all(|i| panel.get(*r, i, p).is_some())
            })
            .collect()
    };
    let mut regions: Vec<RegionId> = complete(to)
        .into_iter()
        .filter(|r| complete(from).contains(r))
        .collect();
    regions.sort_by(|a, b| cat.region(*a).code.cmp(&cat.region(*b).code));
    let (m0, m1) = (
        matrix(&panel, &regions, &industries, from)?,
        matrix(&panel, &regions, &industries, to)?,
    );
    let (criteria, cx) = candidate_criteria(&m0, &m1, f64::from(to.0 - from.0), None);
    Ok(Setup {
        loaded,
        panel,
        regions,
        industries,
        from,
        to,
        criteria,
        proximity: cx.proximity,
    })
}

fn weights_json(w: &Weights) -> Value {
    json!(CRITERIA
        .iter()
        .zip(w.0)
        .map(|(c, x)| (c.to_string(), json!(x)))
        .collect::<serde_json::Map<String, Value>>())
}

/// A region's scored candidates (`top` selected), the evidence and the sensitivity table.
#[allow(clippy::too_many_arguments)]
pub fn strategy_json(
    sources: &Sources,
    code: &str,
    measure: &str,
    level: Level,
    period: Option<i32>,
    top: usize,
    weights: &Weights,
    lang: Lang,
) -> Result<Value, AppError> {
    let s = setup(sources, measure, level, period, 10)?;
    let cat = &s.loaded.catalog;
    let rid = region_from_path(cat, code)?;
    let r = s.regions.iter().position(|x| *x == rid).ok_or_else(|| {
        AppError::not_found(
            "no-data-for-region",
            format!(
                "{} has no complete data at level {level} for {}-{}",
                cat.region(rid).name_en,
                s.from,
                s.to
            ),
        )
    })?;
    let ni = s.industries.len();
    if top == 0 || top >= ni {
        return Err(AppError::bad(
            "bad-parameter",
            format!("top must be between 1 and {}", ni - 1),
        ));
    }
    let crit = s.criteria[r * ni..(r + 1) * ni].to_vec();
    let scored = score(&crit, weights);
    let sens = sensitivity(&crit, weights, top, 1000, 0.5, 12345);
    let cl = s.panel.classification.clone();
    let cand = |x: &regis_methods::strategy::Scored| {
        let i = x.candidate;
        json!({
            "industry": s.industries[i], "name": industry_name(cl.as_deref(), &s.industries[i], lang), "rank": x.rank, "score": x.score, "selected": x.rank <= top,
            "criteria": CRITERIA.iter().enumerate().map(|(k, c)| (c.to_string(), json!(crit[i][k]))).collect::<serde_json::Map<String, Value>>(),
            "sensitivity": {"in_top_k": sens[i].in_top_k, "best_rank": sens[i].best_rank, "worst_rank": sens[i].worst_rank},
        })
    };
    Ok(json!({
        "region": {"code": cat.region(rid).code, "name": cat.region(rid).name(lang.code())}, "measure": measure_json(&s.loaded.dataset.measure),
        "level": level.name(), "from": s.from.0, "to": s.to.0, "top": top, "weights": weights_json(weights),
        "candidates": scored.iter().map(cand).collect::<Vec<_>>(),
        "notes": ["no input-output data: the linkages criterion is not used", "sensitivity: 1000 weightings w_k·exp(0.5·ε), seed 12345"],
        "attribution": s.loaded.attribution,
    }))
}

/// Every region's top industries, the overlap and the contested industries with suggestions.
#[allow(clippy::too_many_arguments)]
pub fn overlap_json(
    sources: &Sources,
    measure: &str,
    level: Level,
    period: Option<i32>,
    top: usize,
    contested: usize,
    weights: &Weights,
    lang: Lang,
) -> Result<Value, AppError> {
    let s = setup(sources, measure, level, period, 10)?;
    let cat = &s.loaded.catalog;
    let ni = s.industries.len();
    if top == 0 || top >= ni {
        return Err(AppError::bad(
            "bad-parameter",
            format!("top must be between 1 and {}", ni - 1),
        ));
    }
    let cl = s.panel.classification.clone();
    let iname = |i: usize| industry_name(cl.as_deref(), &s.industries[i], lang);
    let rname = |r: usize| cat.region(s.regions[r]).name(lang.code()).to_string();
    let mut tops = Vec::new();
    let mut scores = Vec::new();
    for r in 0..s.regions.len() {
        let sc = score(&s.criteria[r * ni..(r + 1) * ni], weights);
        let mut by = vec![0.0; ni];
        for x in &sc {
            by[x.candidate] = x.score;
        }
        tops.push(sc.iter().take(top).map(|x| x.candidate).collect::<Vec<_>>());
        scores.push(by);
    }
    let o = overlap(&tops, ni);
    let counts: Vec<usize> = o.chosen_by.iter().map(|v| v.len()).collect();
    let mut load = counts.clone();
    let mut suggestions = Vec::new();
    for i in (0..ni).filter(|i| counts[*i] >= contested) {
        for &r in &o.chosen_by[i] {
            if let Some(j) = differentiate(
                i,
                &scores[r],
                &tops[r],
                &load,
                &s.proximity,
                ni,
                contested.saturating_sub(2),
            ) {
                load[j] += 1;
                suggestions.push(json!({"region": rname(r), "region_code": cat.region(s.regions[r]).code, "contested": iname(i), "contested_code": s.industries[i], "suggestion": iname(j), "suggestion_code": s.industries[j], "proximity": s.proximity[i * ni + j]}));
            }
        }
    }
    Ok(json!({
        "measure": measure_json(&s.loaded.dataset.measure), "level": level.name(), "from": s.from.0, "to": s.to.0, "top": top, "contested_threshold": contested, "weights": weights_json(weights),
        "choices": (0..s.regions.len()).map(|r| json!({"region_code": cat.region(s.regions[r]).code, "region": rname(r), "industries": tops[r].iter().map(|i| json!({"code": s.industries[*i], "name": iname(*i)})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "industries": (0..ni).filter(|i| counts[*i] > 0).map(|i| json!({"code": s.industries[i], "name": iname(i), "regions": counts[i], "contested": counts[i] >= contested, "chosen_by": o.chosen_by[i].iter().map(|r| rname(*r)).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "overlap_matrix": {"regions": (0..s.regions.len()).map(rname).collect::<Vec<_>>(), "shared": o.matrix},
        "differentiation": suggestions, "attribution": s.loaded.attribution,
    }))
}

/// Clusters derived from co-location (k clusters) and every region's stars.
pub fn clusters_json(
    sources: &Sources,
    measure: &str,
    level: Level,
    period: Option<i32>,
    k: usize,
    lang: Lang,
) -> Result<Value, AppError> {
    let loaded = sources.measure(measure)?;
    let panel = panel_at(&loaded, level)?;
    let inds = leaf_industries(&panel);
    if k < 2 || k >= inds.len() {
        return Err(AppError::bad(
            "bad-parameter",
            format!("k must be between 2 and {}", inds.len().saturating_sub(1)),
        ));
    }
    let p = crate::compute::check_period(&panel, period, measure)?;
    let cat = &loaded.catalog;
    let mut regions: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| {
            cat.region(*r).level == level && inds.iter().all(|i| panel.get(*r, i, p).is_some())
        })
        .collect();
    regions.sort_by(|a, b| cat.region(*a).code.cmp(&cat.region(*b).code));
    let m = matrix(&panel, &regions, &inds, p)?;
    let sim = colocation_similarity(&m);
    let dist: Vec<f64> = sim.iter().map(|x| 1.0 - x).collect();
    let labels = average_linkage(&dist, inds.len(), k);
    let sil = silhouette(&dist, &labels);
    let lab: Vec<Option<usize>> = labels.iter().map(|l| Some(*l)).collect();
    let agg = aggregate(&m, &lab, k);
    let totals = m.region_totals();
    let stars = star_ratings(&agg, &totals);
    let cl = panel.classification.clone();
    let clusters: Vec<Value> = (0..k).map(|c| json!({"cluster": c + 1, "industries": inds.iter().zip(&labels).filter(|(_, l)| **l == c).map(|(i, _)| json!({"code": i, "name": industry_name(cl.as_deref(), i, lang)})).collect::<Vec<_>>()})).collect();
    let mut rated = Vec::new();
    for (r, id) in regions.iter().enumerate() {
        for c in 0..k {
            let st = stars[r * k + c];
            if st.count() > 0 {
                rated.push(json!({"region_code": cat.region(*id).code, "region": cat.region(*id).name(lang.code()), "cluster": c + 1, "value": agg.get(r, c), "stars": st.count(), "size": st.size, "specialisation": st.specialisation, "focus": st.focus}));
            }
        }
    }
    rated.sort_by(|a, b| b["stars"].as_u64().cmp(&a["stars"].as_u64()));
    Ok(
        json!({"measure": measure_json(&loaded.dataset.measure), "level": level.name(), "period": p.0, "k": k, "silhouette": sil, "method": "co-location similarity, average linkage (a simplification of Delgado, Porter & Stern 2016)", "clusters": clusters, "stars": rated, "attribution": loaded.attribution}),
    )
}
