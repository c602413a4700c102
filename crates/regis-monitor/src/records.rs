//! Indicators and budget lines of a project, created through one implementation for both
//! stores over [`crate::sql::Tx`]: the writer must be an admin or a council member of the
//! project's region, the values pass the shared rules, and the audit entry is written in the
//! same transaction.

use serde_json::json;

use crate::results::{audit, editable_project};
use crate::rules::{check_baseline, check_budget};
use crate::sql::{SqlError, Tx};
use crate::{Actor, BudgetLine, Indicator, MonitorError, Result};

/// Adds an indicator (name, unit, baseline in its year) to a project.
pub fn create_indicator(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    name: &str,
    unit: &str,
    baseline: f64,
    baseline_year: i32,
) -> Result<Indicator> {
    editable_project(tx, actor, project_id, "add indicators")?;
    check_baseline(baseline)?;
    let id = tx.insert(
        "INSERT INTO indicators (project_id, name, unit, baseline, baseline_year) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[project_id.into(), name.into(), unit.into(), baseline.into(), baseline_year.into()],
    )?;
    let i = Indicator {
        id,
        project_id,
        name: name.into(),
        unit: unit.into(),
        baseline,
        baseline_year,
    };
    audit(
        tx,
        actor,
        "create",
        "indicator",
        id,
        serde_json::Value::Null,
        json!(i),
    )?;
    Ok(i)
}

/// Adds a budget line (year, source of funds, planned and executed amounts) to a project; a
/// second line for the same year and source is refused, naming the year.
pub fn add_budget(
    tx: &mut dyn Tx,
    actor: &Actor,
    project_id: i64,
    year: i32,
    source: &str,
    amounts: (f64, f64),
) -> Result<BudgetLine> {
    let (planned, executed) = amounts;
    check_budget(source, planned, executed)?;
    editable_project(tx, actor, project_id, "enter budgets")?;
    let id = tx
        .insert(
            "INSERT INTO budget_lines (project_id, year, source, planned, executed) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[project_id.into(), year.into(), source.into(), planned.into(), executed.into()],
        )
        .map_err(|e| match e {
            SqlError::Unique(_) => MonitorError::Invalid {
                field: "year",
                message: format!(
                    "project {project_id} already has a {source} budget line for {year}"
                ),
            },
            e => e.into(),
        })?;
    let b = BudgetLine {
        id,
        project_id,
        year,
        source: source.into(),
        planned,
        executed,
        version: 1,
    };
    audit(
        tx,
        actor,
        "create",
        "budget_line",
        id,
        serde_json::Value::Null,
        json!(b),
    )?;
    Ok(b)
}
