//! The monitoring API: login with bearer tokens that expire, projects, KPI reporting,
//! evaluations, overlaps and the audit log. Every write goes through `regis-monitor`, which
//! checks the caller's role and region and refuses stale versions; errors map to 400 (invalid,
//! naming the field), 401 (no or expired token), 403 (not permitted), 404, 409 (edit conflict).
//! The API authenticates with a bearer header, never with cookies, so cross-site request
//! forgery does not apply to it; request bodies are limited to 64 KiB.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use regis_monitor::{Actor, MonitorError, ProjectInput, Store};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::guard::{Writer, ADMIN, COUNCIL, EVALUATOR};
use crate::sessions::TOKEN_LIFETIME;
use crate::AppState;

impl From<MonitorError> for AppError {
    fn from(e: MonitorError) -> Self {
        match e {
            MonitorError::Unauthenticated(m) => AppError {
                status: StatusCode::UNAUTHORIZED,
                code: "unauthorized",
                message: m,
            },
            MonitorError::Forbidden(m) => AppError {
                status: StatusCode::FORBIDDEN,
                code: "forbidden",
                message: m,
            },
            MonitorError::NotFound(m) => AppError::not_found("not-found", m),
            e @ MonitorError::Conflict { .. } => AppError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: e.to_string(),
            },
            e @ MonitorError::Invalid { .. } => AppError::bad("invalid", e.to_string()),
            MonitorError::Storage(m) => AppError::internal(m),
            MonitorError::AtRow { index, error } => {
                let mut inner = AppError::from(*error);
                inner.message = format!("item {}: {}", index + 1, inner.message);
                inner
            }
        }
    }
}

fn store(s: &AppState) -> Result<Arc<dyn Store>, AppError> {
    s.monitor.clone().ok_or_else(|| {
        AppError::not_found("no-monitor", "This server runs without a monitoring store")
    })
}

/// Runs a store call on the blocking pool: store calls do file or network I/O (and the
/// PostgreSQL client runs its own event loop), so they never run on the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&dyn Store) -> regis_monitor::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    let st = store(s)?;
    Ok(tokio::task::spawn_blocking(move || f(&*st))
        .await
        .map_err(|e| AppError::internal(e.to_string()))??)
}

/// Like [`blocking`], handing back the store's own error.
pub(crate) async fn blocking_raw<T: Send + 'static>(
    s: &AppState,
    f: impl FnOnce(&dyn Store) -> regis_monitor::Result<T> + Send + 'static,
) -> Result<regis_monitor::Result<T>, AppError> {
    let st = store(s)?;
    tokio::task::spawn_blocking(move || f(&*st))
        .await
        .map_err(|e| AppError::internal(e.to_string()))
}

/// The caller: a valid bearer token's actor, the public without a header.
/// A request's JSON body, or a 400 `malformed-body` error saying what is wrong with it.
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(b)| b).map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "body-too-large",
                message: "the request body is over 64 KiB; send fewer records per request".into(),
            }
        } else {
            AppError::bad("malformed-body", e.body_text())
        }
    })
}

pub(crate) async fn caller(s: &AppState, headers: &HeaderMap) -> Result<Actor, AppError> {
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        None => Ok(Actor::public()),
        Some(h) => {
            let token = h.strip_prefix("Bearer ").ok_or_else(|| AppError {
                status: StatusCode::UNAUTHORIZED,
                code: "unauthorized",
                message: "expected `Authorization: Bearer <token>`".into(),
            })?;
            s.sessions
                .actor(s, token.trim())
                .await
                .ok_or_else(|| AppError {
                    status: StatusCode::UNAUTHORIZED,
                    code: "unauthorized",
                    message: "unknown or expired token; log in again".into(),
                })
        }
    }
}

/// Login body.
#[derive(Deserialize)]
pub struct Login {
    username: String,
    password: String,
}

/// POST /api/v1/auth/login: 401 for bad credentials (unknown users cost as much as known
/// ones), 429 with Retry-After once an account or address has failed too often.
pub async fn login(
    State(s): State<AppState>,
    crate::guard::ClientAddr(client): crate::guard::ClientAddr,
    body: Result<Json<Login>, JsonRejection>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let b = match json_body(body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    match crate::guard::log_in(&s, b.username, b.password, client).await {
        Ok(actor) => match s.sessions.issue(&s, actor.clone()).await {
            Ok(token) => Json(json!({"token": token, "expires_in_seconds": TOKEN_LIFETIME.as_secs(), "role": actor.role, "region": actor.region})).into_response(),
            Err(e) => e.into_response(),
        },
        Err(refusal) => {
            let (e, retry) = refusal.error();
            let mut r = e.into_response();
            if let Some(secs) = retry {
                r.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, secs.into());
            }
            r
        }
    }
}

/// POST /api/v1/auth/logout: revokes the bearer token of the request (204); 401 without one.
pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Result<StatusCode, AppError> {
    let unauthorized = || AppError {
        status: StatusCode::UNAUTHORIZED,
        code: "unauthorized",
        message: "expected `Authorization: Bearer <token>` of a live session".into(),
    };
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(unauthorized)?;
    if s.sessions.actor(&s, token).await.is_none() {
        return Err(unauthorized());
    }
    s.sessions.end(&s, token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// GET /api/v1/projects
pub async fn projects(
    State(s): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"projects": blocking(&s, move |st| st.projects(&a)).await?}),
    ))
}

/// GET /api/v1/projects/{id}
pub async fn project(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(json!(
        blocking(&s, move |st| st.project(&a, id)).await?
    )))
}

/// Project update body: the fields and the version they were read at.
#[derive(Deserialize)]
pub struct ProjectUpdate {
    version: i64,
    #[serde(flatten)]
    input: ProjectInput,
}

/// PUT /api/v1/projects/{id}
pub async fn update_project(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<ProjectUpdate>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.update_project(&a, id, b.version, &b.input)).await?
    )))
}

/// KPI report body.
#[derive(Deserialize)]
pub struct KpiReport {
    period: i32,
    target: Option<f64>,
    actual: Option<f64>,
    /// Version read; omit to create the period's record.
    version: Option<i64>,
}

/// POST /api/v1/indicators/{id}/values
pub async fn record_value(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<KpiReport>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let v = blocking(&s, move |st| {
        st.record_value(&a, id, b.period, b.version, b.target, b.actual)
    })
    .await?;
    Ok(Json(json!(v)))
}

/// GET /api/v1/indicators/{id}/values
pub async fn values(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"values": blocking(&s, move |st| st.values(&a, id)).await?}),
    ))
}

/// Evaluation body.
#[derive(Deserialize)]
pub struct EvaluationBody {
    kind: String,
    scores: Vec<(String, f64, f64)>,
}

/// POST /api/v1/projects/{id}/evaluations
pub async fn evaluate(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | EVALUATOR }>,
    Path(id): Path<i64>,
    body: Result<Json<EvaluationBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.evaluate(&a, id, &b.kind, &b.scores)).await?
    )))
}

/// An impact estimate's body (the evaluation is in the path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateBody {
    method: String,
    outcome: String,
    att: f64,
    #[serde(default)]
    std_error: Option<f64>,
    #[serde(default)]
    ci_low: Option<f64>,
    #[serde(default)]
    ci_high: Option<f64>,
    #[serde(default)]
    pre_fit: Option<f64>,
    data_version: String,
    #[serde(default)]
    query: String,
}

/// POST /api/v1/evaluations/{id}/estimates
pub async fn attach_estimate(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | EVALUATOR }>,
    Path(id): Path<i64>,
    body: Result<Json<EstimateBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let input = regis_monitor::EstimateInput {
        evaluation_id: id,
        method: b.method,
        outcome: b.outcome,
        att: b.att,
        std_error: b.std_error,
        ci_low: b.ci_low,
        ci_high: b.ci_high,
        pre_fit: b.pre_fit,
        data_version: b.data_version,
        query: b.query,
    };
    Ok(Json(json!(
        blocking(&s, move |st| st.attach_estimate(&a, &input)).await?
    )))
}

/// GET /api/v1/overlaps
pub async fn overlaps(
    State(s): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    let ps = blocking(&s, move |st| st.projects(&a)).await?;
    let pairs: Vec<Value> = regis_monitor::overlap::find_overlaps(&ps, 0.5)
        .into_iter()
        .map(|o| json!({"a": o.a, "b": o.b, "shared_years": [o.shared_years.0, o.shared_years.1], "title_similarity": o.title_similarity, "objective_similarity": o.objective_similarity, "same_region": o.same_region, "same_industry": o.same_industry}))
        .collect();
    Ok(Json(json!({"pairs": pairs})))
}

/// GET /api/v1/audit
pub async fn audit(State(s): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"entries": blocking(&s, move |st| st.audit(&a)).await?}),
    ))
}

/// Rows refused by an import: 400 with every problem by row (1-based element) and field.
fn refused_rows(errors: Vec<regis_monitor::exchange::RowError>) -> AppError {
    let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    AppError::bad(
        "invalid-rows",
        format!(
            "{} problem(s); nothing was stored: {}",
            list.len(),
            list.join("; ")
        ),
    )
}

/// A store error of batch item `index` (0-based) as the error of its row.
fn batch_error(e: MonitorError) -> AppError {
    match e {
        MonitorError::AtRow { index, error } if matches!(*error, MonitorError::Invalid { .. }) => {
            refused_rows(vec![regis_monitor::exchange::row_error(index + 1, *error)])
        }
        e => AppError::from(e),
    }
}

/// POST /api/v1/imports/projects: a JSON array of projects in the template's columns; all are
/// stored in one transaction, or none.
pub async fn import_projects(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    use regis_monitor::exchange::{json_table, parse_projects, PROJECT_COLUMNS};
    let b = json_body(body)?;
    let (header, rows) = json_table(&b, &PROJECT_COLUMNS).map_err(refused_rows)?;
    let parsed = parse_projects(&header, &rows, 0).map_err(refused_rows)?;
    let inputs: Vec<ProjectInput> = parsed.into_iter().map(|p| p.1).collect();
    let stored = blocking_raw(&s, move |st| st.import_projects(&a, &inputs))
        .await?
        .map_err(batch_error)?;
    Ok(Json(json!({"stored": stored.len(), "projects": stored})))
}

/// POST /api/v1/imports/kpi: a JSON array of KPI reports in the template's columns; all are
/// stored in one transaction, or none.
pub async fn import_kpi(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    use regis_monitor::exchange::{json_table, parse_kpi, KPI_COLUMNS};
    let b = json_body(body)?;
    let (header, rows) = json_table(&b, &KPI_COLUMNS).map_err(refused_rows)?;
    let parsed = parse_kpi(&header, &rows, 0).map_err(refused_rows)?;
    let inputs: Vec<_> = parsed.into_iter().map(|p| p.1).collect();
    let stored = blocking_raw(&s, move |st| st.import_values(&a, &inputs))
        .await?
        .map_err(batch_error)?;
    Ok(Json(json!({"stored": stored.len(), "values": stored})))
}

/// GET /api/v1/plans
pub async fn plans(State(s): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"plans": blocking(&s, move |st| st.plans(&a)).await?}),
    ))
}

/// A plan's fields, and for a change the version they were read at.
#[derive(Deserialize)]
pub struct PlanBody {
    #[serde(default)]
    version: i64,
    #[serde(flatten)]
    input: regis_monitor::PlanInput,
}

/// POST /api/v1/plans (a new draft)
pub async fn create_plan(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    body: Result<Json<PlanBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.save_plan(&a, None, 0, &b.input)).await?
    )))
}

/// PUT /api/v1/plans/{id}
pub async fn update_plan(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<PlanBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.save_plan(
            &a,
            Some(id),
            b.version,
            &b.input
        ))
        .await?
    )))
}

/// A workflow step and the version it was decided on.
#[derive(Deserialize)]
pub struct StepBody {
    version: i64,
    #[serde(flatten)]
    action: regis_monitor::PlanAction,
}

/// POST /api/v1/plans/{id}/steps
pub async fn plan_step(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<StepBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.plan_step(&a, id, b.version, &b.action)).await?
    )))
}

/// GET /api/v1/conflicts
pub async fn conflicts(
    State(s): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"conflicts": blocking(&s, move |st| st.conflicts(&a)).await?}),
    ))
}

/// A new conflict.
#[derive(Deserialize)]
pub struct ConflictBody {
    plan_id: i64,
    other_region: String,
    subject: String,
}

/// POST /api/v1/conflicts
pub async fn log_conflict(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    body: Result<Json<ConflictBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.log_conflict(
            &a,
            b.plan_id,
            &b.other_region,
            &b.subject
        ))
        .await?
    )))
}

/// A resolution and the version it was decided on.
#[derive(Deserialize)]
pub struct ResolutionBody {
    version: i64,
    resolution: String,
}

/// POST /api/v1/conflicts/{id}/resolution
pub async fn resolve_conflict(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<ResolutionBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.resolve_conflict(
            &a,
            id,
            b.version,
            &b.resolution
        ))
        .await?
    )))
}

/// GET /api/v1/evaluations — the evaluations visible to the caller and the impact estimates
/// attached to them.
pub async fn evaluations(
    State(s): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    let (evaluations, estimates) =
        blocking(&s, move |st| Ok((st.evaluations(&a)?, st.estimates(&a)?))).await?;
    Ok(Json(
        json!({"evaluations": evaluations, "estimates": estimates}),
    ))
}

/// A new result.
#[derive(Deserialize)]
pub struct ResultBody {
    level: String,
    title: String,
    #[serde(default)]
    description: String,
}

/// GET /api/v1/projects/{id}/results
pub async fn results(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"results": blocking(&s, move |st| st.results(&a, id)).await?}),
    ))
}

/// POST /api/v1/projects/{id}/results
pub async fn add_result(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<ResultBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let level = regis_monitor::ResultLevel::parse(&b.level).ok_or_else(|| {
        AppError::bad(
            "invalid-level",
            format!(
                "level: expected output, outcome or impact, got {:?}",
                b.level
            ),
        )
    })?;
    Ok(Json(json!(
        blocking(&s, move |st| st.add_result(
            &a,
            id,
            level,
            &b.title,
            &b.description
        ))
        .await?
    )))
}

/// An indicator to put under a result.
#[derive(Deserialize)]
pub struct LinkBody {
    indicator_id: i64,
}

/// POST /api/v1/results/{id}/indicators
pub async fn link_indicator(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<LinkBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    Ok(Json(json!(
        blocking(&s, move |st| st.link_indicator(&a, id, b.indicator_id)).await?
    )))
}

/// A milestone as the API shows it: the record and its status today.
fn milestone_json(m: &regis_monitor::Milestone, today: &str) -> Value {
    let mut v = json!(m);
    v["status"] = json!(m.status(today));
    v
}

/// GET /api/v1/projects/{id}/milestones
pub async fn milestones(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    let ms = blocking(&s, move |st| st.milestones(&a, id)).await?;
    let today = regis_monitor::rules::today();
    Ok(Json(json!({
        "today": today,
        "milestones": ms.iter().map(|m| milestone_json(m, &today)).collect::<Vec<_>>(),
    })))
}

/// A new milestone.
#[derive(Deserialize)]
pub struct MilestoneBody {
    title: String,
    due_on: String,
}

/// POST /api/v1/projects/{id}/milestones
pub async fn add_milestone(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<MilestoneBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let m = blocking(&s, move |st| st.add_milestone(&a, id, &b.title, &b.due_on)).await?;
    Ok(Json(milestone_json(&m, &regis_monitor::rules::today())))
}

/// A milestone's completion (`completed_on` null re-opens it) on the version read.
#[derive(Deserialize)]
pub struct CompletionBody {
    completed_on: Option<String>,
    version: i64,
}

/// POST /api/v1/milestones/{id}/completion
pub async fn complete_milestone(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<CompletionBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let m = blocking(&s, move |st| {
        st.complete_milestone(&a, id, b.version, b.completed_on.as_deref())
    })
    .await?;
    Ok(Json(milestone_json(&m, &regis_monitor::rules::today())))
}

/// A KPI value for one region inside the project's region.
#[derive(Deserialize)]
pub struct RegionValueBody {
    period: i32,
    region: String,
    target: Option<f64>,
    actual: Option<f64>,
    /// Version read; omit to create the record.
    version: Option<i64>,
}

/// GET /api/v1/indicators/{id}/regions
pub async fn region_values(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    Ok(Json(
        json!({"values": blocking(&s, move |st| st.region_values(&a, id)).await?}),
    ))
}

/// POST /api/v1/indicators/{id}/regions
pub async fn record_region_value(
    State(s): State<AppState>,
    Writer(a): Writer<{ ADMIN | COUNCIL }>,
    Path(id): Path<i64>,
    body: Result<Json<RegionValueBody>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let b = json_body(body)?;
    let input = regis_monitor::RegionValueInput {
        indicator_id: id,
        period: b.period,
        region: b.region,
        target: b.target,
        actual: b.actual,
        version: b.version,
    };
    Ok(Json(json!(
        blocking(&s, move |st| st.record_region_value(&a, &input)).await?
    )))
}

/// GET /api/v1/projects/{id}/indicators
pub async fn project_indicators(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = caller(&s, &headers).await?;
    let all = blocking(&s, move |st| {
        st.project(&a, id)?;
        st.indicators(&a)
    })
    .await?;
    let mine: Vec<Value> = all
        .into_iter()
        .filter(|(p, _, _)| p.id == id)
        .map(|(_, i, values)| json!({"indicator": i, "values": values}))
        .collect();
    Ok(Json(json!({"indicators": mine})))
}
