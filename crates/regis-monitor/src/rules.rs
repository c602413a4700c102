//! Validation rules shared by every store backend, so SQLite and PostgreSQL accept and refuse
//! exactly the same inputs with the same field-named errors.

use crate::model::{grade, ProjectInput, Status};
use crate::{MonitorError, Result};

/// Budget sources a line may come from.
pub const BUDGET_SOURCES: [&str; 4] = ["central", "local", "private", "special_account"];

/// The stored id of a status.
pub fn status_id(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::Published => "published",
    }
}

/// A status from its stored id (anything but `published` is a draft).
pub fn status_from(s: &str) -> Status {
    if s == "published" {
        Status::Published
    } else {
        Status::Draft
    }
}

/// A project's title, years and region.
pub fn check_project(p: &ProjectInput) -> Result<()> {
    if p.title.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "title",
            message: "must not be empty".into(),
        });
    }
    if p.end_year < p.start_year {
        return Err(MonitorError::Invalid {
            field: "end_year",
            message: format!("{} is before start_year {}", p.end_year, p.start_year),
        });
    }
    if p.region.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "region",
            message: "a region code is required".into(),
        });
    }
    Ok(())
}

/// An indicator's baseline.
pub fn check_baseline(baseline: f64) -> Result<()> {
    if baseline.is_finite() {
        Ok(())
    } else {
        Err(MonitorError::Invalid {
            field: "baseline",
            message: "must be a number".into(),
        })
    }
}

/// A KPI target and actual.
pub fn check_value(target: Option<f64>, actual: Option<f64>) -> Result<()> {
    if target.is_some_and(|v| !v.is_finite()) || actual.is_some_and(|v| !v.is_finite()) {
        return Err(MonitorError::Invalid {
            field: "actual",
            message: "target and actual must be numbers".into(),
        });
    }
    Ok(())
}

/// An evaluation's kind and scores; returns the weighted total (0-100) and its grade.
pub fn score(kind: &str, scores: &[(String, f64, f64)]) -> Result<(f64, String)> {
    if !matches!(kind, "interim" | "final") {
        return Err(MonitorError::Invalid {
            field: "kind",
            message: format!("`{kind}`: expected interim or final"),
        });
    }
    if scores.is_empty()
        || scores
            .iter()
            .any(|(_, s, w)| !((0.0..=100.0).contains(s) && w.is_finite() && *w >= 0.0))
    {
        return Err(MonitorError::Invalid {
            field: "scores",
            message: "each score must be 0-100 with a non-negative weight".into(),
        });
    }
    let wsum: f64 = scores.iter().map(|x| x.2).sum();
    if wsum <= 0.0 {
        return Err(MonitorError::Invalid {
            field: "scores",
            message: "the weights sum to zero".into(),
        });
    }
    let total = scores.iter().map(|(_, s, w)| s * w).sum::<f64>() / wsum;
    Ok((total, grade(total).to_string()))
}

/// A budget line's source and amounts.
pub fn check_budget(source: &str, planned: f64, executed: f64) -> Result<()> {
    if !BUDGET_SOURCES.contains(&source) {
        return Err(MonitorError::Invalid {
            field: "source",
            message: format!("`{source}`: expected central, local, private or special_account"),
        });
    }
    if !(planned.is_finite() && planned >= 0.0 && executed.is_finite() && executed >= 0.0) {
        return Err(MonitorError::Invalid {
            field: "planned",
            message: "budget amounts must be numbers ≥ 0".into(),
        });
    }
    Ok(())
}

/// The conflict (if any) of a KPI write: `current` is the stored version of the period's record,
/// `expected` the version the writer read (None = the writer creates the record).
pub fn value_conflict(current: Option<(i64, i64)>, expected: Option<i64>) -> Result<()> {
    match (current, expected) {
        (None, None) => Ok(()),
        (Some((_, cur)), Some(exp)) if cur == exp => Ok(()),
        (Some((id, cur)), exp) => Err(MonitorError::Conflict {
            entity: "indicator_value",
            id,
            expected: exp.unwrap_or(0),
            current: cur,
        }),
        (None, Some(exp)) => Err(MonitorError::Conflict {
            entity: "indicator_value",
            id: 0,
            expected: exp,
            current: 0,
        }),
    }
}
