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

/// A plan's title and years.
pub fn check_plan(p: &crate::model::PlanInput) -> Result<()> {
    if p.title.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "title",
            message: "must not be empty".into(),
        });
    }
    if p.region.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "region",
            message: "a region code is required".into(),
        });
    }
    if p.end_year < p.start_year {
        return Err(MonitorError::Invalid {
            field: "end_year",
            message: format!("{} is before start_year {}", p.end_year, p.start_year),
        });
    }
    Ok(())
}

/// Whether the region may still edit a plan (draft or returned).
pub fn plan_editable(status: crate::model::PlanStatus) -> Result<()> {
    use crate::model::PlanStatus::*;
    match status {
        Draft | Returned => Ok(()),
        s => Err(MonitorError::Invalid {
            field: "status",
            message: format!("a plan that is {} cannot be edited", s.id()),
        }),
    }
}

/// The review workflow: who may take which step from which state, and the state and comments
/// after it. The region (its council members, or the central agency for it) submits drafts and
/// returned plans; the council's review (the central agency's administrators, who run the
/// review committee) takes submitted plans into review and approves or returns them with
/// comments.
///
/// ```
/// use regis_monitor::rules::plan_step;
/// use regis_monitor::{Actor, PlanAction, PlanStatus, Role};
/// let council = Actor { user_id: 2, username: "ulsan".into(), role: Role::Council, region: Some("26".into()) };
/// assert_eq!(plan_step(&council, "26", PlanStatus::Draft, &PlanAction::Submit).unwrap().0, PlanStatus::Submitted);
/// assert!(plan_step(&council, "26", PlanStatus::Submitted, &PlanAction::Approve).is_err());
/// ```
pub fn plan_step(
    actor: &crate::model::Actor,
    region: &str,
    from: crate::model::PlanStatus,
    action: &crate::model::PlanAction,
) -> Result<(crate::model::PlanStatus, Option<String>)> {
    use crate::model::{PlanAction as A, PlanStatus as S};
    let review = |what: &str| crate::auth::admin(actor, what);
    let (to, comments) = match (action, from) {
        (A::Submit, S::Draft | S::Returned) => {
            crate::auth::edit_region(actor, region, "submit plans")?;
            (S::Submitted, None)
        }
        (A::StartReview, S::Submitted) => {
            review("take plans into review")?;
            (S::InReview, None)
        }
        (A::Approve, S::InReview) => {
            review("approve plans")?;
            (S::Approved, Some(String::new()))
        }
        (A::Return { comments }, S::InReview) => {
            review("return plans")?;
            if comments.trim().is_empty() {
                return Err(MonitorError::Invalid {
                    field: "comments",
                    message: "a returned plan needs comments saying what to change".into(),
                });
            }
            (S::Returned, Some(comments.clone()))
        }
        (a, s) => {
            return Err(MonitorError::Invalid {
                field: "action",
                message: format!("cannot {a:?} a plan that is {}", s.id()),
            })
        }
    };
    Ok((to, comments))
}

/// A conflict's subject and other region.
pub fn check_conflict(subject: &str, other_region: &str) -> Result<()> {
    if subject.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "subject",
            message: "say what the conflict is about".into(),
        });
    }
    if other_region.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "other_region",
            message: "a region code is required".into(),
        });
    }
    Ok(())
}

/// A conflict's resolution text.
pub fn check_resolution(resolution: &str) -> Result<()> {
    if resolution.trim().is_empty() {
        Err(MonitorError::Invalid {
            field: "resolution",
            message: "record how the conflict was settled".into(),
        })
    } else {
        Ok(())
    }
}

/// Conflict unless the writer read the current version.
pub fn stale(entity: &'static str, id: i64, expected: i64, current: i64) -> Result<()> {
    if expected == current {
        Ok(())
    } else {
        Err(MonitorError::Conflict {
            entity,
            id,
            expected,
            current,
        })
    }
}

/// The evaluations an actor may see: admins all; evaluators their own; council members their
/// region's; the public those of the projects it can see (`projects`: the actor's projects).
pub fn visible_evaluations(
    actor: &crate::model::Actor,
    projects: &[crate::model::Project],
    all: Vec<crate::model::Evaluation>,
) -> Vec<crate::model::Evaluation> {
    use crate::model::Role;
    all.into_iter()
        .filter(|e| match actor.role {
            Role::Admin => true,
            Role::Evaluator => e.evaluator_id == actor.user_id,
            Role::Council => projects
                .iter()
                .any(|p| p.id == e.project_id && Some(&p.region) == actor.region.as_ref()),
            Role::Public => projects.iter().any(|p| p.id == e.project_id),
        })
        .collect()
}
