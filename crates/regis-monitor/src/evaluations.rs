//! Project evaluations (interim and final): scored by admins or the evaluators assigned to the
//! project, the weighted total and grade from [`crate::rules::score`], visible as
//! [`crate::rules::visible_evaluations`] decides. Written once for both stores over
//! [`crate::sql::Tx`]; every score is audited.

use serde_json::json;

use crate::results::audit;
use crate::rules::score;
use crate::sql::Tx;
use crate::{Actor, Evaluation, MonitorError, Result, Role};

/// Scores a project: admins, or an evaluator assigned to it.
pub fn evaluate(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    kind: &str,
    scores: &[(String, f64, f64)],
) -> Result<Evaluation> {
    let (total, grade) = score(kind, scores)?;
    if tx
        .query(
            "SELECT id FROM projects WHERE id = ?1",
            &[project_id.into()],
        )?
        .is_empty()
    {
        return Err(MonitorError::NotFound(format!("project {project_id}")));
    }
    match actor.role {
        Role::Admin => {}
        Role::Evaluator => {
            let assigned = !tx
                .query(
                    "SELECT project_id FROM assignments WHERE evaluator_id = ?1 AND project_id = ?2",
                    &[actor.user_id.into(), project_id.into()],
                )?
                .is_empty();
            if !assigned {
                return Err(MonitorError::Forbidden(format!(
                    "evaluator {} is not assigned to project {project_id}",
                    actor.username
                )));
            }
        }
        _ => {
            return Err(MonitorError::Forbidden(format!(
                "role {} may not evaluate",
                actor.role.id()
            )))
        }
    }
    let id = tx.insert(
        "INSERT INTO evaluations (project_id, kind, evaluator_id, scores, total, grade) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            project_id.into(),
            kind.into(),
            actor.user_id.into(),
            json!(scores).to_string().as_str().into(),
            total.into(),
            grade.as_str().into(),
        ],
    )?;
    let e = Evaluation {
        id,
        project_id,
        kind: kind.into(),
        evaluator_id: actor.user_id,
        scores: scores.to_vec(),
        total,
        grade,
    };
    audit(
        tx,
        actor,
        "score",
        "evaluation",
        id,
        serde_json::Value::Null,
        json!(e),
    )?;
    Ok(e)
}

/// Every evaluation, oldest first (callers filter by visibility).
pub fn all_evaluations(tx: &mut dyn Tx) -> Result<Vec<Evaluation>> {
    tx.query(
        "SELECT id, project_id, kind, evaluator_id, scores, total, grade FROM evaluations ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Evaluation {
            id: r[0].int()?,
            project_id: r[1].int()?,
            kind: r[2].text()?,
            evaluator_id: r[3].int()?,
            scores: serde_json::from_str(&r[4].text()?).unwrap_or_default(),
            total: r[5].float_opt()?.unwrap_or(f64::NAN),
            grade: r[6].text()?,
        })
    })
    .collect()
}
