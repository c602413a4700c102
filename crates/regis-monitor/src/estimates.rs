//! Impact estimates attached to evaluations: the causal estimate (`regis evaluate cs|did|sc|
//! sdid`) beside the evaluator's grade. Admins (the central agency) attach, and evaluators to
//! their own evaluations of projects assigned to them; whoever may see the evaluation sees its
//! estimates ([`crate::rules::visible_evaluations`]). Written once for both stores over
//! [`crate::sql::Tx`]; every attachment is audited.

use serde_json::json;

use crate::results::audit;
use crate::sql::Tx;
use crate::{Actor, EstimateInput, ImpactEstimate, MonitorError, Result, Role};

fn invalid(field: &'static str, message: impl Into<String>) -> MonitorError {
    MonitorError::Invalid {
        field,
        message: message.into(),
    }
}

/// Checks an estimate's fields: a known method, an outcome and data version of 1 to 200
/// characters, finite numbers, an interval around the effect, a query that is the evaluation
/// page's path (`/evaluate?…`, printable ASCII without quotes, angle brackets or backslashes).
pub fn check_estimate(e: &EstimateInput) -> Result<()> {
    if !matches!(e.method.as_str(), "cs" | "did" | "sc" | "sdid") {
        return Err(invalid("method", "expected cs, did, sc or sdid"));
    }
    for (field, text) in [("outcome", &e.outcome), ("data_version", &e.data_version)] {
        let n = text.trim().chars().count();
        if n == 0 || n > 200 {
            return Err(invalid(
                field,
                format!("expected 1 to 200 characters, got {n}"),
            ));
        }
    }
    if !e.att.is_finite() {
        return Err(invalid("att", "expected a finite number"));
    }
    for (field, v) in [
        ("std_error", e.std_error),
        ("ci_low", e.ci_low),
        ("ci_high", e.ci_high),
        ("pre_fit", e.pre_fit),
    ] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(invalid(field, "expected a finite number or nothing"));
        }
    }
    if e.std_error.is_some_and(|s| s < 0.0) || e.pre_fit.is_some_and(|s| s < 0.0) {
        return Err(invalid(
            "std_error",
            "standard errors and fits are not negative",
        ));
    }
    if e.ci_low.is_some_and(|lo| lo > e.att) {
        return Err(invalid("ci_low", "the interval must contain the effect"));
    }
    if e.ci_high.is_some_and(|hi| hi < e.att) {
        return Err(invalid("ci_high", "the interval must contain the effect"));
    }
    for (field, text) in [("outcome", &e.outcome), ("data_version", &e.data_version)] {
        if text.chars().any(char::is_control) {
            return Err(invalid(field, "control characters are not allowed"));
        }
    }
    // A link shown beside the grade: only the evaluation page, with URL-encoded parameters.
    let safe = |c: char| c.is_ascii_alphanumeric() || "%=&_.,-".contains(c);
    if !e.query.is_empty()
        && (!e.query.starts_with("/evaluate?")
            || !e.query["/evaluate?".len()..].chars().all(safe)
            || e.query.len() > 2000)
    {
        return Err(invalid(
            "query",
            "expected the evaluation page's path: /evaluate? and URL-encoded parameters",
        ));
    }
    Ok(())
}

/// Attaches an estimate to an evaluation: admins, or an evaluator assigned to its project.
pub fn attach(tx: &mut dyn Tx, actor: &Actor, e: &EstimateInput) -> Result<ImpactEstimate> {
    check_estimate(e)?;
    if !matches!(actor.role, Role::Admin | Role::Evaluator) {
        return Err(MonitorError::Forbidden(format!(
            "role {} may not attach estimates",
            actor.role.id()
        )));
    }
    let rows = tx.query(
        "SELECT project_id, evaluator_id FROM evaluations WHERE id = ?1",
        &[e.evaluation_id.into()],
    )?;
    let Some((project_id, evaluator_id)) = rows
        .first()
        .map(|r| Ok::<_, MonitorError>((r[0].int()?, r[1].int()?)))
        .transpose()?
    else {
        return Err(MonitorError::NotFound(format!(
            "evaluation {}",
            e.evaluation_id
        )));
    };
    // An evaluator attaches to their own evaluations, of a project they are assigned to.
    if actor.role == Role::Evaluator {
        let assigned = !tx
            .query(
                "SELECT project_id FROM assignments WHERE evaluator_id = ?1 AND project_id = ?2",
                &[actor.user_id.into(), project_id.into()],
            )?
            .is_empty();
        if !assigned || evaluator_id != actor.user_id {
            return Err(MonitorError::Forbidden(format!(
                "evaluator {} may attach estimates only to their own evaluations of projects assigned to them",
                actor.username
            )));
        }
    }
    let id = tx.insert(
        "INSERT INTO impact_estimates (evaluation_id, method, outcome, att, std_error, ci_low, ci_high, pre_fit, data_version, query, attached_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            e.evaluation_id.into(),
            e.method.as_str().into(),
            e.outcome.trim().into(),
            e.att.into(),
            e.std_error.into(),
            e.ci_low.into(),
            e.ci_high.into(),
            e.pre_fit.into(),
            e.data_version.trim().into(),
            e.query.as_str().into(),
            actor.username.as_str().into(),
        ],
    )?;
    let stored = ImpactEstimate {
        id,
        evaluation_id: e.evaluation_id,
        method: e.method.clone(),
        outcome: e.outcome.trim().into(),
        att: e.att,
        std_error: e.std_error,
        ci_low: e.ci_low,
        ci_high: e.ci_high,
        pre_fit: e.pre_fit,
        data_version: e.data_version.trim().into(),
        query: e.query.clone(),
        attached_by: actor.username.clone(),
    };
    audit(
        tx,
        actor,
        "attach",
        "impact_estimate",
        id,
        serde_json::Value::Null,
        json!(stored),
    )?;
    Ok(stored)
}

/// Every estimate, oldest first (callers keep those of visible evaluations).
pub fn all_estimates(tx: &mut dyn Tx) -> Result<Vec<ImpactEstimate>> {
    tx.query(
        "SELECT id, evaluation_id, method, outcome, att, std_error, ci_low, ci_high, pre_fit, data_version, query, attached_by FROM impact_estimates ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(ImpactEstimate {
            id: r[0].int()?,
            evaluation_id: r[1].int()?,
            method: r[2].text()?,
            outcome: r[3].text()?,
            att: r[4].float_opt()?.unwrap_or(f64::NAN),
            std_error: r[5].float_opt()?,
            ci_low: r[6].float_opt()?,
            ci_high: r[7].float_opt()?,
            pre_fit: r[8].float_opt()?,
            data_version: r[9].text()?,
            query: r[10].text()?,
            attached_by: r[11].text()?,
        })
    })
    .collect()
}
