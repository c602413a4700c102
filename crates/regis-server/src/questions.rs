//! The API twins of the CLI's analytic commands: `GET /api/v1/<command>` parses its query into
//! the command's request, asks `regis-app`, and returns the report as JSON, field for field
//! what `regis <command> --format json` prints (the agreement test runs both).
//!
//! Lists are comma-separated (`industries=C,K`); everything else is one value per parameter.

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use regis_app::clusters::{ClustersRequest, Definitions};
use regis_app::complexity::ComplexityRequest;
use regis_app::convergence::ConvergenceRequest;
use regis_app::diagnose::DiagnoseRequest;
use regis_app::matrix::IndustryChoice;
use regis_app::shift_share::ShiftShareRequest;
use regis_app::spatial::SpatialRequest;
use regis_app::specialise::{SpecialiseRequest, SpecialiseView};
use regis_app::strategy::StrategyRequest;
use regis_app::Source;
use regis_core::TOTAL_INDUSTRY;
use serde_json::Value;

use crate::error::{shown, AppError};
use crate::params::Params;
use crate::AppState;

type ApiResult<T> = Result<T, AppError>;

/// A report as the JSON the CLI prints.
pub(crate) fn json_of<T: serde::Serialize>(report: &T) -> ApiResult<Json<Value>> {
    Ok(Json(
        serde_json::to_value(report).map_err(|e| AppError::internal(e.to_string()))?,
    ))
}

/// A comma-separated list (empty when absent).
fn list(p: &Params, k: &str) -> Vec<String> {
    p.get(k)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// A yes/no parameter (`true`/`false`, `1`/`0`).
pub(crate) fn flag(p: &Params, k: &str) -> ApiResult<bool> {
    match p.get(k) {
        None | Some("false") | Some("0") | Some("") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(v) => Err(AppError::bad(
            "bad-parameter",
            format!("parameter `{k}` must be true or false, not `{}`", shown(v)),
        )),
    }
}

/// A real-number parameter.
pub(crate) fn real(p: &Params, k: &str, default: f64) -> ApiResult<f64> {
    match p.get(k) {
        None | Some("") => Ok(default),
        Some(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                AppError::bad(
                    "bad-parameter",
                    format!("parameter `{k}` must be a number, not `{}`", shown(v)),
                )
            }),
    }
}

/// The industry choice of the structural questions.
fn industry_choice(p: &Params) -> ApiResult<IndustryChoice> {
    let depth = p
        .int("industry_depth")?
        .map(|d| {
            u8::try_from(d).map_err(|_| {
                AppError::bad(
                    "bad-parameter",
                    "parameter `industry_depth` must be 0 to 255",
                )
            })
        })
        .transpose()?;
    Ok(IndustryChoice {
        industries: list(p, "industries"),
        industry_depth: depth,
        missing_as_zero: flag(p, "missing_as_zero")?,
    })
}

/// The measure id of a request (no file: the server never reads a path a client names).
fn source(p: &Params) -> Source {
    Source {
        measure: p.get("measure").map(String::from),
        ..Source::default()
    }
}

const CHOICE: [&str; 3] = ["industries", "industry_depth", "missing_as_zero"];

/// GET /api/v1/diagnose — `regis diagnose`.
pub async fn diagnose(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure",
            "industry",
            "level",
            "group",
            "group_members",
            "period",
            "from",
            "to",
            "per",
            "vintage",
            "lang",
        ],
    )?;
    let request = DiagnoseRequest {
        source: Source::measure(p.or("measure", "population")),
        level: p.level()?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        group: p.get("group").map(String::from),
        group_members: p.get("group_members").map(String::from),
        periods: p.int("period")?.into_iter().collect(),
        from: p.int("from")?,
        to: p.int("to")?,
        per: p.get("per").map(String::from),
        vintage: p.int("vintage")?,
        lang: p.lang()?.into(),
    };
    let report = regis_app::diagnose::diagnose(&s.sources, &request)?;
    Ok(Json(
        serde_json::to_value(report).map_err(|e| AppError::internal(e.to_string()))?,
    ))
}

/// GET /api/v1/specialise — `regis specialise`.
pub async fn specialise(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut allowed = vec!["measure", "level", "period", "threshold", "view", "lang"];
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    let view = SpecialiseView::parse(p.or("view", "regions")).ok_or_else(|| {
        AppError::bad(
            "bad-parameter",
            "parameter `view` must be regions, industries or lq",
        )
    })?;
    let request = SpecialiseRequest {
        source: source(&p),
        level: p.level()?,
        period: p.int("period")?,
        choice: industry_choice(&p)?,
        threshold: real(&p, "threshold", 1.0)?,
        view,
        lang: p.lang()?.into(),
    };
    json_of(&regis_app::specialise::specialise(&s.sources, &request)?)
}

/// GET /api/v1/shift-share — `regis shift-share`.
pub async fn shift_share(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut allowed = vec![
        "measure", "level", "from", "to", "method", "cells", "regions", "lang",
    ];
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    let request = ShiftShareRequest {
        source: source(&p),
        level: p.level()?,
        from: p.int("from")?,
        to: p.int("to")?,
        method: regis_app::shift_share::parse_method(p.or("method", "classic"))?,
        choice: industry_choice(&p)?,
        regions: list(&p, "regions"),
        cells: flag(&p, "cells")?,
        lang: p.lang()?.into(),
    };
    json_of(&regis_app::shift_share::shift_share(&s.sources, &request)?)
}

/// GET /api/v1/convergence — `regis convergence`.
pub async fn convergence(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure",
            "level",
            "from",
            "to",
            "industry",
            "per",
            "conditional_on",
            "vintage",
            "lang",
        ],
    )?;
    let request = ConvergenceRequest {
        source: Source::measure(p.or("measure", "grdp_nominal")),
        level: p.level()?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        per: p.get("per").map(String::from),
        vintage: p.int("vintage")?,
        from: p.int("from")?,
        to: p.int("to")?,
        conditional_on: p.get("conditional_on").map(String::from),
        lang: p.lang()?.into(),
    };
    json_of(&regis_app::convergence::convergence(&s.sources, &request)?)
}

/// GET /api/v1/complexity — `regis complexity`.
pub async fn complexity(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut allowed = vec!["measure", "level", "period", "view", "lang"];
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    let request = ComplexityRequest {
        source: source(&p),
        level: p.level()?,
        period: p.int("period")?,
        choice: industry_choice(&p)?,
        view: p.or("view", "regions").to_string(),
        lang: p.lang()?.into(),
    };
    json_of(&regis_app::complexity::complexity(&s.sources, &request)?)
}

/// The strategy request of a query (`grdp_nominal`, provinces, top 4, a 10-year window, 1000
/// weightings with σ 0.5 and seed 12345, contested from 3 regions: the CLI's defaults).
pub fn strategy_request(p: &Params) -> ApiResult<StrategyRequest> {
    let count = |k: &str, default: i32| -> ApiResult<usize> {
        let v = p.int(k)?.unwrap_or(default);
        usize::try_from(v).map_err(|_| {
            AppError::bad(
                "bad-parameter",
                format!("parameter `{k}` must be a positive whole number"),
            )
        })
    };
    Ok(StrategyRequest {
        source: source(p),
        level: p.level()?,
        period: p.int("period")?,
        window: p.int("window")?.unwrap_or(10),
        choice: industry_choice(p)?,
        weights: p.get("weights").map(String::from),
        io: None,
        io_stored: None,
        top: count("top", 4)?,
        draws: count("draws", 1000)?.min(100_000),
        sigma: real(p, "sigma", 0.5)?,
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
        contested: count("contested", 3)?.max(1),
        include_local: flag(p, "include_local")?,
        lang: p.lang()?.into(),
    })
}

const STRATEGY: [&str; 12] = [
    "measure",
    "level",
    "period",
    "window",
    "top",
    "weights",
    "draws",
    "sigma",
    "seed",
    "contested",
    "include_local",
    "lang",
];

/// GET /api/v1/strategy/{code} — `regis strategy --region CODE`.
pub async fn strategy(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut allowed = STRATEGY.to_vec();
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    json_of(&regis_app::strategy::strategy(
        &s.sources,
        &strategy_request(&p)?,
        &code,
    )?)
}

/// GET /api/v1/strategy — `regis strategy --overlap`.
pub async fn strategy_overlap(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let mut allowed = STRATEGY.to_vec();
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    json_of(&regis_app::overlap::overlap(
        &s.sources,
        &strategy_request(&p)?,
    )?)
}

/// The clusters request of a query: derived (`k`, default 5) or the built-in U.S. definitions
/// (`definitions=us`); a file is never read.
pub fn clusters_request(p: &Params) -> ApiResult<ClustersRequest> {
    let definitions = match p.get("definitions") {
        None | Some("") => {
            let k = p.int("k")?.unwrap_or(5);
            Definitions::Derived {
                k: usize::try_from(k).unwrap_or(0),
            }
        }
        Some("us") => Definitions::Us,
        Some(other) => {
            return Err(AppError::bad(
                "bad-parameter",
                format!(
                    "unknown definitions `{}`; expected us (or leave out for derived clusters)",
                    shown(other)
                ),
            ))
        }
    };
    Ok(ClustersRequest {
        source: source(p),
        level: p.level()?,
        period: p.int("period")?,
        choice: industry_choice(p)?,
        definitions,
        io: None,
        io_links: flag(p, "io_links")?,
        view: p.or("view", "clusters").to_string(),
        include_local: flag(p, "include_local")?,
        lang: p.lang()?.into(),
    })
}

/// GET /api/v1/clusters — `regis clusters`.
pub async fn clusters(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let mut allowed = vec![
        "measure",
        "level",
        "period",
        "k",
        "definitions",
        "view",
        "include_local",
        "io_links",
        "lang",
    ];
    allowed.extend(CHOICE);
    let p = Params::parse(q.as_deref(), &allowed)?;
    json_of(&regis_app::clusters::clusters(
        &s.sources,
        &clusters_request(&p)?,
    )?)
}

/// GET /api/v1/spatial — `regis spatial` on the built-in boundaries.
pub async fn spatial(State(s): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "measure",
            "level",
            "period",
            "industry",
            "per",
            "weights",
            "permutations",
            "seed",
            "local",
            "alpha",
            "lang",
        ],
    )?;
    let permutations = p.int("permutations")?.unwrap_or(999);
    let request = SpatialRequest {
        source: Source::measure(p.or("measure", "grdp_nominal")),
        level: p.level()?,
        period: p.int("period")?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        per: p.get("per").map(String::from),
        weights: p.or("weights", "queen").to_string(),
        permutations: usize::try_from(permutations)
            .ok()
            .filter(|n| *n <= 99_999)
            .ok_or_else(|| {
                AppError::bad(
                    "bad-parameter",
                    "parameter `permutations` must be 0 to 99999",
                )
            })?,
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
        local: flag(&p, "local")?,
        alpha: real(&p, "alpha", 0.05)?,
        boundaries: None,
        boundary_code_field: "code".into(),
        lang: p.lang()?.into(),
    };
    json_of(&regis_app::spatial::spatial(&s.sources, &request)?)
}

/// The provinces hosting the 2005 innovation-cluster pilot's seven complexes, treated from
/// 2005 (`treated` of the evaluation questions when none is given).
fn pilot_2005() -> Vec<String> {
    regis_monitor::demo::PILOT_2005
        .iter()
        .map(|(code, _)| format!("{code}=2005"))
        .collect()
}

/// The staggered-adoption request of a query (`cs` and `did`).
pub(crate) fn cs_request_of(q: Option<&str>) -> ApiResult<regis_app::evaluate::CsRequest> {
    use regis_app::evaluate::{CsRequest, Treatment};
    let p = Params::parse(
        q,
        &[
            "measure",
            "level",
            "industry",
            "per",
            "treated",
            "control",
            "base_period",
            "anticipation",
            "covariates",
            "estimator",
            "bootstrap",
            "seed",
            "lang",
        ],
    )?;
    // Default: the provinces hosting the seven complexes of the 2005 innovation-cluster pilot
    // (Ulsan, Gyeonggi, Gangwon, Gwangju, Jeonbuk, Gyeongbuk, Gyeongnam), treated from 2005.
    let given = list(&p, "treated");
    let pilot = pilot_2005();
    let treated =
        regis_app::evaluate::parse_treated(if given.is_empty() { &pilot } else { &given })?;
    Ok(CsRequest {
        source: Source::measure(p.or("measure", "grdp_nominal")),
        level: p.level()?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        per: p.get("per").map(String::from),
        treatment: Treatment::Regions(treated),
        control: regis_app::evaluate::parse_control(p.or("control", "never"))?,
        base: regis_app::evaluate::parse_base_period(p.or("base_period", "varying"))?,
        anticipation: p.int("anticipation")?.unwrap_or(0),
        covariates: regis_app::evaluate::parse_covariates(&list(&p, "covariates"))?,
        estimator: regis_app::evaluate::parse_estimator(p.or("estimator", "dr"))?,
        bootstrap: usize::try_from(p.int("bootstrap")?.unwrap_or(999)).unwrap_or(usize::MAX),
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
        lang: p.lang()?.into(),
    })
}

/// GET /api/v1/evaluate/cs — `regis evaluate cs` on a built-in or stored measure, the treated
/// regions given as `treated=38=2005,26=2005`.
pub async fn evaluate_cs(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let request = cs_request_of(q.as_deref())?;
    json_of(&regis_app::evaluate::callaway_santanna_report(
        &s.sources, &request,
    )?)
}

/// GET /api/v1/evaluate/did — `regis evaluate did`: the static TWFE estimate and the event
/// study, the same parameters as `/api/v1/evaluate/cs`.
pub async fn evaluate_did(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let request = cs_request_of(q.as_deref())?;
    json_of(&regis_app::evaluate::did_report(&s.sources, &request)?)
}

/// GET /api/v1/evaluate/sc — `regis evaluate sc` on a built-in or stored measure: the outcome's
/// own lags as predictors (`predictors=outcome@1995-2004,...`), `treated=26=2005` (default).
pub async fn evaluate_sc(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let request = sc_request_of(q.as_deref())?;
    json_of(&regis_app::synth::synthetic_control_report(
        &s.sources, &request,
    )?)
}

/// The synthetic-control request of a query.
pub(crate) fn sc_request_of(q: Option<&str>) -> ApiResult<regis_app::synth::ScRequest> {
    let p = Params::parse(
        q,
        &[
            "measure",
            "level",
            "industry",
            "per",
            "treated",
            "predictors",
            "fit",
            "placebos",
            "seed",
            "lang",
        ],
    )?;
    let treated =
        regis_app::evaluate::parse_treated(&[p.or("treated", "26=2005").to_string()])?.remove(0);
    let predictors = list(&p, "predictors");
    if predictors.iter().any(|x| !x.starts_with("outcome")) {
        return Err(AppError::bad(
            "bad-parameter",
            "predictors: the API takes the outcome's own values (outcome, outcome@YEAR, outcome@FROM-TO); file columns are for the CLI",
        ));
    }
    let fit = match p.get("fit").map(|f| f.split_once('-')) {
        None => None,
        Some(Some((a, b))) => match (a.trim().parse(), b.trim().parse()) {
            (Ok(a), Ok(b)) => Some((a, b)),
            _ => return Err(AppError::bad("bad-parameter", "fit: expected FROM-TO")),
        },
        Some(None) => return Err(AppError::bad("bad-parameter", "fit: expected FROM-TO")),
    };
    Ok(regis_app::synth::ScRequest {
        source: Source::measure(p.or("measure", "grdp_nominal")),
        level: p.level()?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        per: p.get("per").map(String::from),
        treated,
        predictors,
        fit,
        placebos: p.get("placebos").is_none() || flag(&p, "placebos")?,
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
        lang: p.lang()?.into(),
    })
}

/// GET /api/v1/evaluate/sdid — `regis evaluate sdid` on a built-in or stored measure;
/// `treated` defaults to the provinces of the 2005 innovation-cluster pilot.
pub async fn evaluate_sdid(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    let request = sdid_request_of(q.as_deref())?;
    json_of(&regis_app::sdid::sdid_report(&s.sources, &request)?)
}

/// The synthetic-DiD request of a query.
pub(crate) fn sdid_request_of(q: Option<&str>) -> ApiResult<regis_app::sdid::SdidRequest> {
    let p = Params::parse(
        q,
        &[
            "measure", "level", "industry", "per", "treated", "placebos", "seed", "lang",
        ],
    )?;
    let given = list(&p, "treated");
    let pilot = pilot_2005();
    Ok(regis_app::sdid::SdidRequest {
        source: Source::measure(p.or("measure", "grdp_nominal")),
        level: p.level()?,
        industry: p.or("industry", TOTAL_INDUSTRY).to_string(),
        per: p.get("per").map(String::from),
        treated: regis_app::evaluate::parse_treated(if given.is_empty() {
            &pilot
        } else {
            &given
        })?,
        replications: if p.get("placebos").is_none() || flag(&p, "placebos")? {
            200
        } else {
            0
        },
        seed: p.int("seed")?.unwrap_or(12345).unsigned_abs().into(),
        lang: p.lang()?.into(),
    })
}
