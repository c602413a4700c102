//! The API twins of `regis zones lma|leiden|maxp|skater` on the built-in data (a file or
//! boundaries a client names are never read): the JSON is the CLI's.

use axum::extract::{RawQuery, State};
use axum::Json;
use regis_app::regionalise::{AreaSource, MaxPRequest, SkaterRequest};
use regis_app::zones::{FlowSource, LeidenRequest, LmaParameters, LmaRequest};
use serde_json::Value;

use crate::error::AppError;
use crate::params::Params;
use crate::questions::{flag, json_of, real};
use crate::AppState;

type ApiResult<T> = Result<T, AppError>;

fn count(p: &Params, k: &str, default: i32, max: usize) -> ApiResult<usize> {
    let v = p.int(k)?.unwrap_or(default);
    usize::try_from(v)
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            AppError::bad(
                "bad-parameter",
                format!("parameter `{k}` must be a whole number from 0 to {max}"),
            )
        })
}

/// A built-in flow measure (default `migration`) in a year.
fn flows(p: &Params) -> ApiResult<FlowSource> {
    Ok(FlowSource {
        measure: Some(p.or("measure", "migration").to_string()),
        period: p.int("period")?,
        ..FlowSource::default()
    })
}

/// GET /api/v1/zones/lma — `regis zones lma --measure migration`.
pub async fn lma(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure",
            "period",
            "min_size",
            "target_size",
            "min_self_containment",
            "target_self_containment",
            "single_pass",
            "admin_prefix",
            "contiguity",
            "lang",
        ],
    )?;
    let request = LmaRequest {
        source: flows(&p)?,
        parameters: LmaParameters {
            min_size: real(&p, "min_size", 1000.0)?,
            target_size: real(&p, "target_size", 10000.0)?,
            min_self_containment: real(&p, "min_self_containment", 0.6667)?,
            target_self_containment: real(&p, "target_self_containment", 0.75)?,
        },
        single_pass: flag(&p, "single_pass")?,
        admin_prefix: p
            .get("admin_prefix")
            .map(|_| count(&p, "admin_prefix", 0, 16))
            .transpose()?,
        contiguity: flag(&p, "contiguity")?,
        boundaries: None,
        boundary_code_field: "code".into(),
    };
    json_of(&regis_app::zones::lma(&request)?)
}

/// GET /api/v1/zones/leiden — `regis zones leiden --measure migration`.
pub async fn leiden(RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure",
            "period",
            "quality",
            "resolution",
            "seed",
            "contiguity",
            "lang",
        ],
    )?;
    let request = LeidenRequest {
        source: flows(&p)?,
        quality: p.or("quality", "modularity").to_string(),
        resolution: real(&p, "resolution", 1.0)?,
        seed: p.int("seed")?.unwrap_or(1).unsigned_abs().into(),
        contiguity: flag(&p, "contiguity")?,
        boundaries: None,
        boundary_code_field: "code".into(),
    };
    json_of(&regis_app::zones::leiden(&request)?)
}

/// The areas of a regionalisation: built-in measures joined to the built-in boundaries.
fn areas(p: &Params) -> ApiResult<AreaSource> {
    let attributes: Vec<String> = p
        .or("attributes", "grdp_nominal,companies")
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    Ok(AreaSource {
        attributes,
        per: p.get("per").map(String::from),
        period: p.int("period")?.unwrap_or(2020),
        // Districts by default, as `regis zones maxp|skater`.
        level: match p.get("level") {
            None => regis_core::Level::DISTRICT,
            Some(_) => p.level()?,
        },
        table: None,
        code_col: "code".into(),
        boundaries: None,
        boundary_code_field: "code".into(),
        standardise: flag(p, "standardise")?,
    })
}

const AREAS: [&str; 7] = [
    "attributes",
    "per",
    "period",
    "level",
    "standardise",
    "seed",
    "lang",
];

/// GET /api/v1/zones/maxp — `regis zones maxp`.
pub async fn maxp(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let mut allowed = AREAS.to_vec();
    allowed.extend(["threshold", "threshold_by", "iterations", "annealing_runs"]);
    let p = Params::parse(q.as_deref(), &allowed)?;
    let request = MaxPRequest {
        areas: areas(&p)?,
        threshold: real(&p, "threshold", 1_500_000.0)?,
        threshold_by: p.or("threshold_by", "population").to_string(),
        iterations: count(&p, "iterations", 99, 999)?,
        annealing_runs: count(&p, "annealing_runs", 10, 100)?,
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
    };
    json_of(&regis_app::regionalise::maxp(&s.sources, &request)?)
}

/// GET /api/v1/zones/skater — `regis zones skater`.
pub async fn skater(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let mut allowed = AREAS.to_vec();
    allowed.extend(["regions", "floor", "floor_by"]);
    let p = Params::parse(q.as_deref(), &allowed)?;
    let request = SkaterRequest {
        areas: areas(&p)?,
        regions: count(&p, "regions", 5, 10_000)?,
        floor: real(&p, "floor", 1.0)?,
        floor_by: p.get("floor_by").map(String::from),
    };
    json_of(&regis_app::regionalise::skater_regions(
        &s.sources, &request,
    )?)
}
