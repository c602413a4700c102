//! Regional development plans, written once for both stores over [`crate::sql::Tx`]: drafts
//! written and revised by the region's council members (or admins) on the version they read,
//! the review workflow decided by [`crate::rules::plan_step`], and the public seeing approved
//! plans only. Every write is audited with before and after.

use serde_json::json;

use crate::auth::edit_region;
use crate::results::audit;
use crate::rules::{check_plan, plan_editable, stale};
use crate::sql::{SqlValue, Tx};
use crate::{Actor, MonitorError, Plan, PlanAction, PlanInput, PlanStatus, Result, Role};

const PLAN_COLS: &str = "id, region, title, start_year, end_year, body, status, comments, version";

fn plan_from(row: &[SqlValue]) -> Result<Plan> {
    let status = row[6].text()?;
    Ok(Plan {
        id: row[0].int()?,
        region: row[1].text()?,
        title: row[2].text()?,
        start_year: row[3].int()? as i32,
        end_year: row[4].int()? as i32,
        body: row[5].text()?,
        status: PlanStatus::parse(&status)
            .ok_or_else(|| MonitorError::Storage(format!("unknown plan status {status}")))?,
        comments: row[7].text()?,
        version: row[8].int()?,
    })
}

fn plan_by_id(tx: &mut dyn Tx, id: i64, lock: bool) -> Result<Plan> {
    let suffix = if lock { tx.for_update() } else { "" };
    let sql = format!("SELECT {PLAN_COLS} FROM plans WHERE id = ?1{suffix}");
    let rows = tx.query(&sql, &[id.into()])?;
    plan_from(
        rows.first()
            .ok_or_else(|| MonitorError::NotFound(format!("plan {id}")))?,
    )
}

/// Creates a draft (`id` None) or revises a draft or returned plan read at `expected_version`.
pub fn save_plan(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: Option<i64>,
    expected_version: i64,
    input: &PlanInput,
) -> Result<Plan> {
    check_plan(input)?;
    edit_region(actor, &input.region, "write plans")?;
    let fields = [
        input.region.as_str().into(),
        input.title.as_str().into(),
        input.start_year.into(),
        input.end_year.into(),
        input.body.as_str().into(),
    ];
    let (before, id) = match id {
        None => {
            let id = tx.insert(
                "INSERT INTO plans (region, title, start_year, end_year, body, status) VALUES (?1, ?2, ?3, ?4, ?5, 'draft')",
                &fields,
            )?;
            (serde_json::Value::Null, id)
        }
        Some(id) => {
            let b = plan_by_id(tx, id, true)?;
            edit_region(actor, &b.region, "edit plans")?;
            stale("plan", id, expected_version, b.version)?;
            plan_editable(b.status)?;
            let mut params = fields.to_vec();
            params.push(id.into());
            params.push(expected_version.into());
            tx.execute(
                "UPDATE plans SET region = ?1, title = ?2, start_year = ?3, end_year = ?4, body = ?5, version = version + 1 WHERE id = ?6 AND version = ?7",
                &params,
            )?;
            (json!(b), id)
        }
    };
    let after = plan_by_id(tx, id, false)?;
    let action = if before.is_null() { "create" } else { "update" };
    audit(tx, actor, action, "plan", id, before, json!(after))?;
    Ok(after)
}

/// Takes a step of the review workflow on a plan read at `expected_version`.
pub fn plan_step(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    action: &PlanAction,
) -> Result<Plan> {
    let b = plan_by_id(tx, id, true)?;
    let (to, comments) = crate::rules::plan_step(actor, &b.region, b.status, action)?;
    stale("plan", id, expected_version, b.version)?;
    let comments = comments.unwrap_or_else(|| b.comments.clone());
    tx.execute(
        "UPDATE plans SET status = ?1, comments = ?2, version = version + 1 WHERE id = ?3 AND version = ?4",
        &[to.id().into(), comments.as_str().into(), id.into(), expected_version.into()],
    )?;
    let after = plan_by_id(tx, id, false)?;
    audit(tx, actor, to.id(), "plan", id, json!(b), json!(after))?;
    Ok(after)
}

/// Plans visible to the actor (the public: approved plans only), oldest first.
pub fn plans(tx: &mut dyn Tx, actor: &Actor) -> Result<Vec<Plan>> {
    let sql = format!("SELECT {PLAN_COLS} FROM plans ORDER BY id");
    Ok(tx
        .query(&sql, &[])?
        .iter()
        .map(|r| plan_from(r))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|p| actor.role != Role::Public || p.status == PlanStatus::Approved)
        .collect())
}
