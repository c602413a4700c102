//! The conflict log of regional development plans, written once for both stores over
//! [`crate::sql::Tx`] (the [`crate::Store`] methods of the same names run these in one
//! transaction): a conflict between a plan and another region is logged by either region's
//! council members or admins, settled by the plan's region or admins on the version read, and
//! listed for staff only. Every write is audited with before and after.

use serde_json::json;

use crate::auth::edit_region;
use crate::rules::{check_conflict, check_resolution, stale};
use crate::sql::{SqlValue, Tx};
use crate::{Actor, MonitorError, PlanConflict, Result, Role};

const CONFLICT_COLS: &str = "id, plan_id, other_region, subject, resolved, resolution, version";

fn conflict_from(row: &[SqlValue]) -> Result<PlanConflict> {
    Ok(PlanConflict {
        id: row[0].int()?,
        plan_id: row[1].int()?,
        other_region: row[2].text()?,
        subject: row[3].text()?,
        resolved: row[4].int()? != 0,
        resolution: row[5].text()?,
        version: row[6].int()?,
    })
}

fn conflict_by_id(tx: &mut dyn Tx, id: i64, lock: bool) -> Result<PlanConflict> {
    let suffix = if lock { tx.for_update() } else { "" };
    let sql = format!("SELECT {CONFLICT_COLS} FROM plan_conflicts WHERE id = ?1{suffix}");
    let rows = tx.query(&sql, &[id.into()])?;
    conflict_from(
        rows.first()
            .ok_or_else(|| MonitorError::NotFound(format!("conflict {id}")))?,
    )
}

fn plan_region(tx: &mut dyn Tx, plan_id: i64) -> Result<String> {
    tx.query("SELECT region FROM plans WHERE id = ?1", &[plan_id.into()])?
        .first()
        .ok_or_else(|| MonitorError::NotFound(format!("plan {plan_id}")))?[0]
        .text()
}

fn audit(
    tx: &mut dyn Tx,
    actor: &Actor,
    action: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    crate::results::audit(tx, actor, action, "plan_conflict", id, before, after)
}

/// Logs a conflict between a plan and another region.
pub fn log_conflict(
    tx: &mut dyn Tx,
    actor: &Actor,
    plan_id: i64,
    other_region: &str,
    subject: &str,
) -> Result<PlanConflict> {
    check_conflict(subject, other_region)?;
    let region = plan_region(tx, plan_id)?;
    if edit_region(actor, &region, "log conflicts").is_err() {
        edit_region(actor, other_region, "log conflicts")?;
    }
    let id = tx.insert(
        "INSERT INTO plan_conflicts (plan_id, other_region, subject) VALUES (?1, ?2, ?3)",
        &[plan_id.into(), other_region.into(), subject.into()],
    )?;
    let k = conflict_by_id(tx, id, false)?;
    audit(tx, actor, "create", id, serde_json::Value::Null, json!(k))?;
    Ok(k)
}

/// Settles a conflict read at `expected_version`.
pub fn resolve_conflict(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    resolution: &str,
) -> Result<PlanConflict> {
    check_resolution(resolution)?;
    let before = conflict_by_id(tx, id, true)?;
    let region = plan_region(tx, before.plan_id)?;
    edit_region(actor, &region, "settle conflicts")?;
    stale("plan_conflict", id, expected_version, before.version)?;
    tx.execute(
        "UPDATE plan_conflicts SET resolved = 1, resolution = ?1, version = version + 1 WHERE id = ?2 AND version = ?3",
        &[resolution.into(), id.into(), expected_version.into()],
    )?;
    let after = conflict_by_id(tx, id, false)?;
    audit(tx, actor, "resolve", id, json!(before), json!(after))?;
    Ok(after)
}

/// The conflict log (staff only), oldest first.
pub fn conflicts(tx: &mut dyn Tx, actor: &Actor) -> Result<Vec<PlanConflict>> {
    if actor.role == Role::Public {
        return Err(MonitorError::Forbidden(
            "the conflict log is for staff".into(),
        ));
    }
    let sql = format!("SELECT {CONFLICT_COLS} FROM plan_conflicts ORDER BY id");
    tx.query(&sql, &[])?
        .iter()
        .map(|r| conflict_from(r))
        .collect()
}
