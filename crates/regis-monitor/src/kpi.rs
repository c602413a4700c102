//! KPI reporting: an indicator's target and actual per period, written once for both stores
//! over [`crate::sql::Tx`]. The indicator's row is locked first (`FOR UPDATE` on PostgreSQL;
//! SQLite's write transaction already serialises writers), so every write to its values,
//! including the creation of a period's first record, is serialised; the version rule
//! ([`crate::rules::value_conflict`]) then refuses a writer who read an older version (or who
//! creates a record someone else created first). One audit entry per accepted write.

use serde_json::json;

use crate::auth::edit_region;
use crate::exchange::KpiRow;
use crate::results::audit;
use crate::rules::{check_value, value_conflict};
use crate::sql::{SqlValue, Tx};
use crate::{Actor, IndicatorValue, MonitorError, Result, Role};

const VALUE_COLS: &str = "id, indicator_id, period, target, actual, version";

fn value_from(r: &[SqlValue]) -> Result<IndicatorValue> {
    Ok(IndicatorValue {
        id: r[0].int()?,
        indicator_id: r[1].int()?,
        period: r[2].int()? as i32,
        target: r[3].float_opt()?,
        actual: r[4].float_opt()?,
        version: r[5].int()?,
    })
}

fn value_by_id(tx: &mut dyn Tx, id: i64) -> Result<IndicatorValue> {
    let sql = format!("SELECT {VALUE_COLS} FROM indicator_values WHERE id = ?1");
    value_from(
        tx.query(&sql, &[id.into()])?
            .first()
            .ok_or_else(|| MonitorError::Storage(format!("indicator value {id} vanished")))?,
    )
}

/// Records one KPI report row (creates the period's record when `version` is None, else
/// updates the record read at that version).
pub fn record_value(tx: &mut dyn Tx, actor: &Actor, row: &KpiRow) -> Result<IndicatorValue> {
    let KpiRow {
        indicator_id,
        period,
        target,
        actual,
        version: expected_version,
    } = *row;
    check_value(target, actual)?;
    let lock = format!(
        "SELECT project_id FROM indicators WHERE id = ?1{}",
        tx.for_update()
    );
    let project_id = tx
        .query(&lock, &[indicator_id.into()])?
        .first()
        .ok_or_else(|| MonitorError::NotFound(format!("indicator {indicator_id}")))?[0]
        .int()?;
    let region = tx
        .query(
            "SELECT region FROM projects WHERE id = ?1",
            &[project_id.into()],
        )?
        .first()
        .ok_or_else(|| MonitorError::NotFound(format!("indicator {indicator_id}")))?[0]
        .text()?;
    edit_region(actor, &region, "report KPIs")?;
    let sql = format!(
        "SELECT {VALUE_COLS} FROM indicator_values WHERE indicator_id = ?1 AND period = ?2"
    );
    let current = tx
        .query(&sql, &[indicator_id.into(), period.into()])?
        .first()
        .map(|r| value_from(r))
        .transpose()?;
    value_conflict(
        current.as_ref().map(|c| (c.id, c.version)),
        expected_version,
    )?;
    match current {
        None => {
            let id = tx.insert(
                "INSERT INTO indicator_values (indicator_id, period, target, actual) VALUES (?1, ?2, ?3, ?4)",
                &[indicator_id.into(), period.into(), target.into(), actual.into()],
            )?;
            let v = value_by_id(tx, id)?;
            audit(
                tx,
                actor,
                "create",
                "indicator_value",
                id,
                serde_json::Value::Null,
                json!(v),
            )?;
            Ok(v)
        }
        Some(cur) => {
            tx.execute(
                "UPDATE indicator_values SET target = ?1, actual = ?2, version = version + 1 WHERE id = ?3 AND version = ?4",
                &[target.into(), actual.into(), cur.id.into(), cur.version.into()],
            )?;
            let v = value_by_id(tx, cur.id)?;
            audit(
                tx,
                actor,
                "update",
                "indicator_value",
                cur.id,
                json!(cur),
                json!(v),
            )?;
            Ok(v)
        }
    }
}

/// Records every row in the caller's transaction, or fails naming the row (nothing is kept).
pub fn import_values(
    tx: &mut dyn Tx,
    actor: &Actor,
    rows: &[KpiRow],
) -> Result<Vec<IndicatorValue>> {
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            record_value(tx, actor, row).map_err(|e| MonitorError::AtRow {
                index,
                error: Box::new(e),
            })
        })
        .collect()
}

/// An indicator's values by period (the public: of published projects only).
pub fn values(tx: &mut dyn Tx, actor: &Actor, indicator_id: i64) -> Result<Vec<IndicatorValue>> {
    let status = tx
        .query(
            "SELECT p.status FROM indicators i JOIN projects p ON p.id = i.project_id WHERE i.id = ?1",
            &[indicator_id.into()],
        )?
        .first()
        .map(|r| r[0].text())
        .transpose()?;
    match status {
        Some(s) if s == "published" || actor.role != Role::Public => {}
        _ => return Err(MonitorError::NotFound(format!("indicator {indicator_id}"))),
    }
    let sql = format!(
        "SELECT {VALUE_COLS} FROM indicator_values WHERE indicator_id = ?1 ORDER BY period"
    );
    tx.query(&sql, &[indicator_id.into()])?
        .iter()
        .map(|r| value_from(r))
        .collect()
}
