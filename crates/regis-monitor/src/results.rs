//! The results framework of a project, in the spirit of the IATI results standard: results
//! (output, outcome, impact) above the indicators, milestones with due and completion dates,
//! and indicator values disaggregated by region. Written once for both stores over
//! [`crate::sql::Tx`]; the [`crate::Store`] methods of the same names run these functions in
//! one transaction of the store.
//!
//! Rules, as elsewhere: writers are admins or council members of the project's region; every
//! write is audited with before and after in the same transaction; updates name the version
//! they read (a stale version is a [`MonitorError::Conflict`]); the public reads published
//! projects only.

use serde_json::json;

use crate::auth::edit_region;
use crate::rules::{check_date, check_sub_region, check_title, check_value, stale};
use crate::sql::{SqlError, SqlValue, Tx};
use crate::{
    Actor, Milestone, MonitorError, ProjectResult, RegionValue, RegionValueInput, Result,
    ResultLevel, Role,
};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Writes an audit entry in the transaction (shared by the features written over `Tx`).
pub(crate) fn audit(
    tx: &mut dyn Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at_ms, username, action, entity, entity_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            now_ms().into(),
            actor.username.as_str().into(),
            action.into(),
            entity.into(),
            id.into(),
            before.to_string().as_str().into(),
            after.to_string().as_str().into(),
        ],
    )?;
    Ok(())
}

/// The project's region, checking that the actor may edit it (row locked for the write).
pub(crate) fn editable_project(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    what: &str,
) -> Result<String> {
    let sql = format!(
        "SELECT region FROM projects WHERE id = ?1{}",
        tx.for_update()
    );
    let rows = tx.query(&sql, &[project_id.into()])?;
    let region = rows
        .first()
        .ok_or_else(|| MonitorError::NotFound(format!("project {project_id}")))?[0]
        .text()?;
    edit_region(actor, &region, what)?;
    Ok(region)
}

/// Checks the actor may read the project (the public: published projects only).
fn visible_project(tx: &mut dyn Tx, actor: &Actor, project_id: i64) -> Result<()> {
    let rows = tx.query(
        "SELECT status FROM projects WHERE id = ?1",
        &[project_id.into()],
    )?;
    match rows.first() {
        Some(r) if actor.role != Role::Public || r[0].text()? == "published" => Ok(()),
        _ => Err(MonitorError::NotFound(format!("project {project_id}"))),
    }
}

/// The project of an indicator.
fn indicator_project(tx: &mut dyn Tx, indicator_id: i64) -> Result<i64> {
    tx.query(
        "SELECT project_id FROM indicators WHERE id = ?1",
        &[indicator_id.into()],
    )?
    .first()
    .ok_or_else(|| MonitorError::NotFound(format!("indicator {indicator_id}")))?[0]
        .int()
}

fn result_from(tx: &mut dyn Tx, row: &[SqlValue]) -> Result<ProjectResult> {
    let id = row[0].int()?;
    let level = row[2].text()?;
    let indicator_ids = tx
        .query(
            "SELECT indicator_id FROM result_indicators WHERE result_id = ?1 ORDER BY indicator_id",
            &[id.into()],
        )?
        .iter()
        .map(|r| r[0].int())
        .collect::<Result<Vec<i64>>>()?;
    Ok(ProjectResult {
        id,
        project_id: row[1].int()?,
        level: ResultLevel::parse(&level)
            .ok_or_else(|| MonitorError::Storage(format!("unknown result level {level}")))?,
        title: row[3].text()?,
        description: row[4].text()?,
        indicator_ids,
        version: row[5].int()?,
    })
}

const RESULT_COLS: &str = "id, project_id, level, title, description, version";

fn result_by_id(tx: &mut dyn Tx, id: i64) -> Result<ProjectResult> {
    let sql = format!("SELECT {RESULT_COLS} FROM results WHERE id = ?1");
    let rows = tx.query(&sql, &[id.into()])?;
    let row = rows
        .first()
        .ok_or_else(|| MonitorError::NotFound(format!("result {id}")))?;
    result_from(tx, row)
}

/// Adds a result (output, outcome or impact) to a project.
pub fn add_result(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    level: ResultLevel,
    title: &str,
    description: &str,
) -> Result<ProjectResult> {
    editable_project(tx, actor, project_id, "add results")?;
    check_title("title", title)?;
    let id = tx.insert(
        "INSERT INTO results (project_id, level, title, description) VALUES (?1, ?2, ?3, ?4)",
        &[
            project_id.into(),
            level.id().into(),
            title.trim().into(),
            description.into(),
        ],
    )?;
    let r = result_by_id(tx, id)?;
    audit(
        tx,
        actor,
        "create",
        "result",
        id,
        serde_json::Value::Null,
        json!(r),
    )?;
    Ok(r)
}

/// Puts an indicator of the same project under a result (moving it from another result if it
/// was under one).
pub fn link_indicator(
    tx: &mut dyn Tx,
    actor: &Actor,
    result_id: i64,
    indicator_id: i64,
) -> Result<ProjectResult> {
    let before = result_by_id(tx, result_id)?;
    editable_project(tx, actor, before.project_id, "change results")?;
    if indicator_project(tx, indicator_id)? != before.project_id {
        return Err(MonitorError::Invalid {
            field: "indicator_id",
            message: format!(
                "indicator {indicator_id} belongs to another project than result {result_id}"
            ),
        });
    }
    tx.execute(
        "DELETE FROM result_indicators WHERE indicator_id = ?1",
        &[indicator_id.into()],
    )?;
    tx.execute(
        "INSERT INTO result_indicators (indicator_id, result_id) VALUES (?1, ?2)",
        &[indicator_id.into(), result_id.into()],
    )?;
    tx.execute(
        "UPDATE results SET version = version + 1 WHERE id = ?1",
        &[result_id.into()],
    )?;
    let after = result_by_id(tx, result_id)?;
    audit(
        tx,
        actor,
        "link",
        "result",
        result_id,
        json!(before),
        json!(after),
    )?;
    Ok(after)
}

/// The results of a project with their indicators.
pub fn results(tx: &mut dyn Tx, actor: &Actor, project_id: i64) -> Result<Vec<ProjectResult>> {
    visible_project(tx, actor, project_id)?;
    let sql = format!("SELECT {RESULT_COLS} FROM results WHERE project_id = ?1 ORDER BY id");
    let rows = tx.query(&sql, &[project_id.into()])?;
    rows.iter().map(|r| result_from(tx, r)).collect()
}

const MILESTONE_COLS: &str = "id, project_id, title, due_on, completed_on, version";

fn milestone_from(row: &[SqlValue]) -> Result<Milestone> {
    Ok(Milestone {
        id: row[0].int()?,
        project_id: row[1].int()?,
        title: row[2].text()?,
        due_on: row[3].text()?,
        completed_on: row[4].text_opt()?,
        version: row[5].int()?,
    })
}

fn milestone_by_id(tx: &mut dyn Tx, id: i64, lock: bool) -> Result<Milestone> {
    let suffix = if lock { tx.for_update() } else { "" };
    let sql = format!("SELECT {MILESTONE_COLS} FROM milestones WHERE id = ?1{suffix}");
    let rows = tx.query(&sql, &[id.into()])?;
    milestone_from(
        rows.first()
            .ok_or_else(|| MonitorError::NotFound(format!("milestone {id}")))?,
    )
}

/// Adds a milestone due on `due_on` (`YYYY-MM-DD`).
pub fn add_milestone(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    title: &str,
    due_on: &str,
) -> Result<Milestone> {
    editable_project(tx, actor, project_id, "add milestones")?;
    check_title("title", title)?;
    check_date("due_on", due_on)?;
    let id = tx.insert(
        "INSERT INTO milestones (project_id, title, due_on) VALUES (?1, ?2, ?3)",
        &[project_id.into(), title.trim().into(), due_on.into()],
    )?;
    let m = milestone_by_id(tx, id, false)?;
    audit(
        tx,
        actor,
        "create",
        "milestone",
        id,
        serde_json::Value::Null,
        json!(m),
    )?;
    Ok(m)
}

/// Marks a milestone completed on `completed_on` (None re-opens it), on the version read.
pub fn complete_milestone(
    tx: &mut dyn Tx,
    actor: &Actor,
    milestone_id: i64,
    expected_version: i64,
    completed_on: Option<&str>,
) -> Result<Milestone> {
    let before = milestone_by_id(tx, milestone_id, true)?;
    editable_project(tx, actor, before.project_id, "complete milestones")?;
    stale("milestone", milestone_id, expected_version, before.version)?;
    if let Some(d) = completed_on {
        check_date("completed_on", d)?;
    }
    tx.execute(
        "UPDATE milestones SET completed_on = ?1, version = version + 1 WHERE id = ?2 AND version = ?3",
        &[completed_on.into(), milestone_id.into(), expected_version.into()],
    )?;
    let after = milestone_by_id(tx, milestone_id, false)?;
    audit(
        tx,
        actor,
        "complete",
        "milestone",
        milestone_id,
        json!(before),
        json!(after),
    )?;
    Ok(after)
}

/// The milestones of a project, by due date.
pub fn milestones(tx: &mut dyn Tx, actor: &Actor, project_id: i64) -> Result<Vec<Milestone>> {
    visible_project(tx, actor, project_id)?;
    let sql = format!(
        "SELECT {MILESTONE_COLS} FROM milestones WHERE project_id = ?1 ORDER BY due_on, id"
    );
    tx.query(&sql, &[project_id.into()])?
        .iter()
        .map(|r| milestone_from(r))
        .collect()
}

const REGION_VALUE_COLS: &str = "id, indicator_id, period, region, target, actual, version";

fn region_value_from(row: &[SqlValue]) -> Result<RegionValue> {
    Ok(RegionValue {
        id: row[0].int()?,
        indicator_id: row[1].int()?,
        period: row[2].int()? as i32,
        region: row[3].text()?,
        target: row[4].float_opt()?,
        actual: row[5].float_opt()?,
        version: row[6].int()?,
    })
}

/// Records an indicator's target and actual for one region inside the project's region in
/// one period: creates the record (`version` None) or updates the one read at `version`.
pub fn record_region_value(
    tx: &mut dyn Tx,
    actor: &Actor,
    input: &RegionValueInput,
) -> Result<RegionValue> {
    let project_id = indicator_project(tx, input.indicator_id)?;
    let project_region = editable_project(tx, actor, project_id, "report indicator values")?;
    let partners: Vec<String> = tx
        .query(
            "SELECT region FROM project_regions WHERE project_id = ?1",
            &[project_id.into()],
        )?
        .iter()
        .map(|r| r[0].text())
        .collect::<Result<_>>()?;
    let mut regions = vec![project_region.as_str()];
    regions.extend(partners.iter().map(|r| r.as_str()));
    check_sub_region(&input.region, &regions)?;
    check_value(input.target, input.actual)?;
    if !(1900..=2100).contains(&input.period) {
        return Err(MonitorError::Invalid {
            field: "period",
            message: format!(
                "expected a year between 1900 and 2100, got {}",
                input.period
            ),
        });
    }
    let key = [
        input.indicator_id.into(),
        i64::from(input.period).into(),
        input.region.as_str().into(),
    ];
    let sql = format!(
        "SELECT {REGION_VALUE_COLS} FROM region_values WHERE indicator_id = ?1 AND period = ?2 AND region = ?3{}",
        tx.for_update()
    );
    let current = tx.query(&sql, &key)?;
    let before = current.first().map(|r| region_value_from(r)).transpose()?;
    let conflict = |id: i64, expected: i64, current: i64| MonitorError::Conflict {
        entity: "region_value",
        id,
        expected,
        current,
    };
    let id = match (&before, input.version) {
        (None, None) => tx
            .insert(
                "INSERT INTO region_values (indicator_id, period, region, target, actual) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    key[0].clone(),
                    key[1].clone(),
                    key[2].clone(),
                    input.target.into(),
                    input.actual.into(),
                ],
            )
            .map_err(|e| match e {
                // Another writer created the record since we looked.
                SqlError::Unique(_) => conflict(0, 0, 1),
                e => e.into(),
            })?,
        (Some(b), Some(v)) if b.version == v => {
            tx.execute(
                "UPDATE region_values SET target = ?1, actual = ?2, version = version + 1 WHERE id = ?3",
                &[input.target.into(), input.actual.into(), b.id.into()],
            )?;
            b.id
        }
        (Some(b), v) => return Err(conflict(b.id, v.unwrap_or(0), b.version)),
        (None, Some(v)) => return Err(conflict(0, v, 0)),
    };
    let sql = format!("SELECT {REGION_VALUE_COLS} FROM region_values WHERE id = ?1");
    let after = region_value_from(
        tx.query(&sql, &[id.into()])?
            .first()
            .ok_or_else(|| MonitorError::Storage("region value vanished".into()))?,
    )?;
    audit(
        tx,
        actor,
        if before.is_some() { "update" } else { "create" },
        "region_value",
        id,
        before.map_or(serde_json::Value::Null, |b| json!(b)),
        json!(after),
    )?;
    Ok(after)
}

/// An indicator's values by region, by period then region.
pub fn region_values(
    tx: &mut dyn Tx,
    actor: &Actor,
    indicator_id: i64,
) -> Result<Vec<RegionValue>> {
    let project_id = indicator_project(tx, indicator_id)?;
    visible_project(tx, actor, project_id)
        .map_err(|_| MonitorError::NotFound(format!("indicator {indicator_id}")))?;
    let sql = format!(
        "SELECT {REGION_VALUE_COLS} FROM region_values WHERE indicator_id = ?1 ORDER BY period, region"
    );
    tx.query(&sql, &[indicator_id.into()])?
        .iter()
        .map(|r| region_value_from(r))
        .collect()
}
