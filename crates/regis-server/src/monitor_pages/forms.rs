//! The monitoring form posts: a project's fields, KPI values, scores, plan review steps,
//! conflict resolutions and milestones. Each checks the session (before the body), the CSRF
//! token and the record version; the store checks role and region.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use regis_monitor::{PlanAction, ProjectInput, Status};
use std::collections::HashMap;

use crate::error::AppError;
use crate::monitor_api::blocking;
use crate::AppState;

use super::*;

pub(super) fn number(
    f: &HashMap<String, String>,
    key: &'static str,
) -> Result<Option<f64>, AppError> {
    match f.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => {
            t.replace(',', "").parse::<f64>().map(Some).map_err(|_| {
                AppError::bad("invalid", format!("invalid {key}: `{t}` is not a number"))
            })
        }
    }
}

pub(super) fn integer(f: &HashMap<String, String>, key: &'static str) -> Result<i64, AppError> {
    f.get(key)
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::bad("invalid", format!("invalid {key}: expected a whole number")))
}

/// POST /monitor/projects/{id} — saves the edit form.
pub async fn save_project(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let res = blocking(&s, move |st| {
        let p = st.project(&actor, id)?;
        let input = ProjectInput {
            programme_id: p.programme_id,
            title: f.get("title").cloned().unwrap_or(p.title),
            objective: f.get("objective").cloned().unwrap_or(p.objective),
            region: p.region,
            partner_regions: p.partner_regions,
            industry: p.industry,
            organisation: p.organisation,
            organisation_type: p.organisation_type,
            partners: p.partners,
            start_year: p.start_year,
            end_year: p.end_year,
            status: if f.get("status").map(|s| s.as_str()) == Some("published") {
                Status::Published
            } else {
                Status::Draft
            },
        };
        st.update_project(&actor, id, version, &input)
    })
    .await;
    back_to(lang, &format!("/monitor/projects/{id}"), res)
}

/// POST /monitor/indicators/{id}/values — reports a KPI.
pub async fn report_kpi(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let parsed = (|| {
        Ok::<_, AppError>((
            integer(&f, "period")? as i32,
            number(&f, "target")?,
            number(&f, "actual")?,
            f.get("version").and_then(|v| v.trim().parse::<i64>().ok()),
            integer(&f, "project")?,
        ))
    })();
    let (period, target, actual, version, project) = match parsed {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    // The version shown is the latest period's; another period is a new record.
    let res = blocking(&s, move |st| {
        let current = st
            .values(&actor, id)?
            .into_iter()
            .find(|v| v.period == period);
        let expected = current.as_ref().and(version);
        st.record_value(&actor, id, period, expected, target, actual)
    })
    .await;
    back_to(lang, &format!("/monitor/projects/{project}"), res)
}

/// POST /monitor/projects/{id}/evaluations — scores a project.
pub async fn score(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let mut scores = Vec::new();
    for (c, w) in [
        ("relevance", 0.3),
        ("performance", 0.5),
        ("management", 0.2),
    ] {
        match number(&f, c) {
            Ok(Some(v)) => scores.push((c.to_string(), v, w)),
            Ok(None) => {
                return refused(
                    lang,
                    AppError::bad("invalid", format!("invalid {c}: required")),
                )
            }
            Err(e) => return refused(lang, e),
        }
    }
    let kind = f.get("kind").cloned().unwrap_or_default();
    match blocking(&s, move |st| st.evaluate(&actor, id, &kind, &scores)).await {
        Ok(e) => message_page(
            lang,
            StatusCode::OK,
            &k(lang, "평가 저장", "Evaluation saved"),
            &format!("{:.1} → {}", e.total, e.grade),
        ),
        Err(e) => refused(lang, e),
    }
}

/// POST /monitor/plans/{id}/steps
pub async fn plan_step(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let action = match f.get("action").map(|s| s.as_str()) {
        Some("submit") => PlanAction::Submit,
        Some("start_review") => PlanAction::StartReview,
        Some("approve") => PlanAction::Approve,
        Some("return") => PlanAction::Return {
            comments: f.get("comments").cloned().unwrap_or_default(),
        },
        _ => return refused(lang, AppError::bad("invalid", "invalid action")),
    };
    back_to(
        lang,
        "/monitor/plans",
        blocking(&s, move |st| st.plan_step(&actor, id, version, &action)).await,
    )
}

/// POST /monitor/conflicts/{id}/resolution
pub async fn resolve_conflict(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let text = f.get("resolution").cloned().unwrap_or_default();
    back_to(
        lang,
        "/monitor/conflicts",
        blocking(&s, move |st| {
            st.resolve_conflict(&actor, id, version, &text)
        })
        .await,
    )
}

/// POST /monitor/projects/{id}/milestones — adds a milestone.
pub async fn add_milestone(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let title = f.get("title").cloned().unwrap_or_default();
    let due_on = f.get("due_on").cloned().unwrap_or_default();
    back_to(
        lang,
        &format!("/monitor/projects/{id}"),
        blocking(&s, move |st| st.add_milestone(&actor, id, &title, &due_on)).await,
    )
}

/// POST /monitor/milestones/{id}/completion — records a milestone's completion date (an empty
/// date re-opens it) on the version read.
pub async fn complete_milestone(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f).await {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let (version, project) = match (integer(&f, "version"), integer(&f, "project")) {
        (Ok(v), Ok(p)) => (v, p),
        (Err(e), _) | (_, Err(e)) => return refused(lang, e),
    };
    let date = f
        .get("completed_on")
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    back_to(
        lang,
        &format!("/monitor/projects/{project}"),
        blocking(&s, move |st| {
            st.complete_milestone(&actor, id, version, date.as_deref())
        })
        .await,
    )
}
