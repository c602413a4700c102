//! Programmes, evaluator assignments, indicators, budget lines and the audit log, through one
//! implementation for both stores over [`crate::sql::Tx`]: the writer's role and region are
//! checked first, the values pass the shared rules, and the audit entry is written in the same
//! transaction.

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

/// Creates a programme (admins only); a second programme with the same code is refused.
pub fn create_programme(
    tx: &mut dyn Tx,
    actor: &Actor,
    fields: &crate::Programme,
) -> Result<crate::Programme> {
    crate::auth::admin(actor, "create programmes")?;
    let id = tx
        .insert(
            "INSERT INTO programmes (code, name, ministry, policy_area, start_year, end_year) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                fields.code.as_str().into(),
                fields.name.as_str().into(),
                fields.ministry.as_str().into(),
                fields.policy_area.as_str().into(),
                fields.start_year.into(),
                fields.end_year.into(),
            ],
        )
        .map_err(|e| match e {
            SqlError::Unique(_) => MonitorError::Invalid {
                field: "code",
                message: format!("a programme with code {} exists", fields.code),
            },
            e => e.into(),
        })?;
    let p = crate::Programme {
        id,
        version: 1,
        ..fields.clone()
    };
    audit(
        tx,
        actor,
        "create",
        "programme",
        id,
        serde_json::Value::Null,
        json!(p),
    )?;
    Ok(p)
}

/// All programmes (public), oldest first.
pub fn programmes(tx: &mut dyn Tx) -> Result<Vec<crate::Programme>> {
    tx.query(
        "SELECT id, code, name, ministry, policy_area, start_year, end_year, version FROM programmes ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(crate::Programme {
            id: r[0].int()?,
            code: r[1].text()?,
            name: r[2].text()?,
            ministry: r[3].text()?,
            policy_area: r[4].text()?,
            start_year: r[5].int()? as i32,
            end_year: r[6].int()? as i32,
            version: r[7].int()?,
        })
    })
    .collect()
}

/// Assigns an evaluator to a project (admins only; assigning twice is harmless).
pub fn assign(tx: &mut dyn Tx, actor: &Actor, evaluator_id: i64, project_id: i64) -> Result<()> {
    crate::auth::admin(actor, "assign evaluators")?;
    tx.execute(
        "INSERT INTO assignments (evaluator_id, project_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        &[evaluator_id.into(), project_id.into()],
    )
    .map_err(|e| match e {
        SqlError::ForeignKey(_) => {
            MonitorError::NotFound(format!("evaluator {evaluator_id} or project {project_id}"))
        }
        e => e.into(),
    })?;
    audit(
        tx,
        actor,
        "assign",
        "project",
        project_id,
        serde_json::Value::Null,
        json!({"evaluator_id": evaluator_id}),
    )
}

/// The audit log (admins only), oldest first.
pub fn audit_log(tx: &mut dyn Tx, actor: &Actor) -> Result<Vec<crate::AuditEntry>> {
    crate::auth::admin(actor, "read the audit log")?;
    tx.query(
        "SELECT id, at_ms, username, action, entity, entity_id, before, after FROM audit ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(crate::AuditEntry {
            id: r[0].int()?,
            at_ms: r[1].int()?,
            username: r[2].text()?,
            action: r[3].text()?,
            entity: r[4].text()?,
            entity_id: r[5].int()?,
            before: serde_json::from_str(&r[6].text()?).unwrap_or_default(),
            after: serde_json::from_str(&r[7].text()?).unwrap_or_default(),
        })
    })
    .collect()
}

/// The budget lines of the given (visible) projects, by project, year and source.
pub fn budgets(
    tx: &mut dyn Tx,
    projects: &[crate::Project],
) -> Result<Vec<(crate::Project, BudgetLine)>> {
    let by_id: std::collections::HashMap<i64, &crate::Project> =
        projects.iter().map(|p| (p.id, p)).collect();
    let rows = tx.query(
        "SELECT id, project_id, year, source, planned, executed, version FROM budget_lines ORDER BY project_id, year, source",
        &[],
    )?;
    let mut out = Vec::new();
    for r in &rows {
        let project_id = r[1].int()?;
        if let Some(p) = by_id.get(&project_id) {
            out.push((
                (*p).clone(),
                BudgetLine {
                    id: r[0].int()?,
                    project_id,
                    year: r[2].int()? as i32,
                    source: r[3].text()?,
                    planned: r[4].float_opt()?.unwrap_or(0.0),
                    executed: r[5].float_opt()?.unwrap_or(0.0),
                    version: r[6].int()?,
                },
            ));
        }
    }
    Ok(out)
}

/// The indicators of the given (visible) projects with their values by period: two queries
/// and a join by id.
pub fn indicators(
    tx: &mut dyn Tx,
    projects: &[crate::Project],
) -> Result<Vec<(crate::Project, Indicator, Vec<crate::IndicatorValue>)>> {
    let by_id: std::collections::HashMap<i64, &crate::Project> =
        projects.iter().map(|p| (p.id, p)).collect();
    let mut values: std::collections::HashMap<i64, Vec<crate::IndicatorValue>> = Default::default();
    for r in &tx.query(
        "SELECT id, indicator_id, period, target, actual, version FROM indicator_values ORDER BY indicator_id, period",
        &[],
    )? {
        let indicator_id = r[1].int()?;
        values.entry(indicator_id).or_default().push(crate::IndicatorValue {
            id: r[0].int()?,
            indicator_id,
            period: r[2].int()? as i32,
            target: r[3].float_opt()?,
            actual: r[4].float_opt()?,
            version: r[5].int()?,
        });
    }
    let mut out = Vec::new();
    for r in &tx.query(
        "SELECT id, project_id, name, unit, baseline, baseline_year FROM indicators ORDER BY id",
        &[],
    )? {
        let (id, project_id) = (r[0].int()?, r[1].int()?);
        if let Some(p) = by_id.get(&project_id) {
            out.push((
                (*p).clone(),
                Indicator {
                    id,
                    project_id,
                    name: r[2].text()?,
                    unit: r[3].text()?,
                    baseline: r[4].float_opt()?.unwrap_or(0.0),
                    baseline_year: r[5].int()? as i32,
                },
                values.remove(&id).unwrap_or_default(),
            ));
        }
    }
    Ok(out)
}
