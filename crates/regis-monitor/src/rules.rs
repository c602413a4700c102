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
    if !plain_name(&p.organisation) {
        return Err(MonitorError::Invalid {
            field: "organisation",
            message: "expected at most 200 characters, without control or direction characters"
                .into(),
        });
    }
    if p.region.trim().is_empty() {
        return Err(MonitorError::Invalid {
            field: "region",
            message: "a region code is required".into(),
        });
    }
    for (k, r) in p.partner_regions.iter().enumerate() {
        if r.is_empty() || r.len() > 10 || !r.chars().all(|c| c.is_ascii_digit()) {
            return Err(MonitorError::Invalid {
                field: "partner_regions",
                message: format!("expected region codes of digits, got {r:?}"),
            });
        }
        if *r == p.region || p.partner_regions[..k].contains(r) {
            return Err(MonitorError::Invalid {
                field: "partner_regions",
                message: format!(
                    "region {r} is listed twice (the lead region is {})",
                    p.region
                ),
            });
        }
    }
    check_partners(p)
}

/// An organisation's name as pages, drawings and exports show it: at most 200 characters,
/// none a control character or a bidirectional override (which would reorder the text
/// around it on a page).
fn plain_name(name: &str) -> bool {
    name.chars().count() <= 200
        && !name.chars().any(|c| {
            c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
}

/// Most partner organisations a project may list.
pub const MAX_PARTNERS: usize = 200;

/// A project's partner organisations: named (without the template's separators `;` and `|`),
/// each once, not the executing organisation, in a region given by its code.
fn check_partners(p: &ProjectInput) -> Result<()> {
    let invalid = |message: String| {
        Err(MonitorError::Invalid {
            field: "partners",
            message,
        })
    };
    if p.partners.len() > MAX_PARTNERS {
        return invalid(format!(
            "{} partners; at most {MAX_PARTNERS}",
            p.partners.len()
        ));
    }
    for (k, partner) in p.partners.iter().enumerate() {
        let name = partner.organisation.trim();
        if name.is_empty() || !plain_name(name) || name.contains([';', '|']) {
            return invalid(format!(
                "partner {}: expected an organisation name of 1 to 200 characters without `;`, `|`, control or direction characters, got {:?}",
                k + 1,
                partner.organisation
            ));
        }
        let region = &partner.region;
        if region.is_empty() || region.len() > 10 || !region.chars().all(|c| c.is_ascii_digit()) {
            return invalid(format!(
                "partner {name}: expected a region code of digits, got {region:?}"
            ));
        }
        if name == p.organisation.trim() {
            return invalid(format!(
                "{name} is the executing organisation; list only the others as partners"
            ));
        }
        if p.partners[..k]
            .iter()
            .any(|other| other.organisation.trim() == name)
        {
            return invalid(format!("{name} is listed twice"));
        }
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

/// A non-empty title of at most 300 characters.
pub fn check_title(field: &'static str, title: &str) -> Result<()> {
    let n = title.trim().chars().count();
    if n == 0 || n > 300 {
        return Err(MonitorError::Invalid {
            field,
            message: format!("expected 1 to 300 characters, got {n}"),
        });
    }
    Ok(())
}

/// A calendar date written `YYYY-MM-DD` (years 1900-2100, real month lengths, leap years).
pub fn check_date(field: &'static str, date: &str) -> Result<()> {
    let bad = || MonitorError::Invalid {
        field,
        message: format!("expected a date written YYYY-MM-DD, got {date:?}"),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || parts[1].len() != 2
        || parts[2].len() != 2
        || !date.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        parts[0].parse().map_err(|_| bad())?,
        parts[1].parse().map_err(|_| bad())?,
        parts[2].parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1900..=2100).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

/// A disaggregation region: digits, and one of the project's regions (lead or partner) or a
/// region inside one (its code starts with that region's code, as SGIS district codes start
/// with their province's).
pub fn check_sub_region(region: &str, project_regions: &[&str]) -> Result<()> {
    if region.is_empty() || region.len() > 10 || !region.chars().all(|c| c.is_ascii_digit()) {
        return Err(MonitorError::Invalid {
            field: "region",
            message: format!("expected a region code of 1 to 10 digits, got {region:?}"),
        });
    }
    if !project_regions.iter().any(|r| region.starts_with(r)) {
        return Err(MonitorError::Invalid {
            field: "region",
            message: format!(
                "region {region} is not inside the project's regions {}",
                project_regions.join(", ")
            ),
        });
    }
    Ok(())
}

/// Today's date (UTC) written `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    civil_date(days)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (days-from-civil inverted;
/// Hinnant, H. (2013) *chrono-Compatible Low-Level Date Algorithms*).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_are_checked_and_computed() {
        for ok in ["2026-11-27", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(check_date("due_on", ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-04-31",
            "",
            "2026-01-0a",
        ] {
            assert!(check_date("due_on", bad).is_err(), "{bad}");
        }
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_419), "2025-11-27");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert!(check_sub_region("11010", &["11"]).is_ok());
        assert!(check_sub_region("26010", &["11"]).is_err());
        assert!(check_sub_region("26010", &["11", "26"]).is_ok());
        assert!(check_sub_region("11a", &["11"]).is_err());
    }
}
