//! Analytics on the monitoring data: KPI achievement, budget execution, and the allocation of
//! spending between the capital region (SMA: Seoul 11, Incheon 23, Gyeonggi 31) and the rest,
//! against a target share (the national goal of raising non-SMA R&D from 27% to 40%).

use crate::model::{BudgetLine, Indicator, IndicatorValue, Project};

/// Achievement of a KPI in a period: `(actual − baseline) / (target − baseline)`, the share of
/// the planned improvement achieved (1 = on target). None without a target, an actual, or a
/// planned change.
///
/// ```
/// use regis_monitor::analytics::achievement;
/// assert_eq!(achievement(100.0, Some(200.0), Some(150.0)), Some(0.5));
/// ```
pub fn achievement(baseline: f64, target: Option<f64>, actual: Option<f64>) -> Option<f64> {
    let (t, a) = (target?, actual?);
    ((t - baseline).abs() > 0.0).then(|| (a - baseline) / (t - baseline))
}

/// Achievement of every indicator in its latest period with an actual.
pub fn kpi_report(
    items: &[(Project, Indicator, Vec<IndicatorValue>)],
) -> Vec<(i64, String, String, i32, Option<f64>)> {
    items
        .iter()
        .filter_map(|(p, i, vs)| {
            let v = vs.iter().rev().find(|v| v.actual.is_some())?;
            Some((
                p.id,
                p.title.clone(),
                i.name.clone(),
                v.period,
                achievement(i.baseline, v.target, v.actual),
            ))
        })
        .collect()
}

/// SMA provinces (SGIS codes).
pub const SMA: [&str; 3] = ["11", "23", "31"];

/// Planned and executed totals, the execution rate, and the non-SMA share of execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// Planned total.
    pub planned: f64,
    /// Executed total.
    pub executed: f64,
    /// executed / planned.
    pub execution_rate: Option<f64>,
    /// Share of executed spending outside the SMA.
    pub non_sma_share: Option<f64>,
    /// Gap to the target non-SMA share (positive: below target).
    pub gap_to_target: Option<f64>,
}

/// Allocation of budget lines (optionally one source only) against a target non-SMA share.
///
/// ```
/// use regis_monitor::analytics::allocation;
/// use regis_monitor::{BudgetLine, Project, Status};
/// let p = |id, region: &str| Project { id, programme_id: 1, title: String::new(), objective: String::new(),
///     region: region.into(), partner_regions: vec![], industry: "C".into(), organisation: String::new(),
///     organisation_type: Default::default(), partners: vec![], start_year: 2024,
///     end_year: 2024, status: Status::Published, version: 1 };
/// let b = |id, project_id, executed| BudgetLine { id, project_id, year: 2024, source: "central".into(),
///     planned: 100.0, executed, version: 1 };
/// let a = allocation(&[(p(1, "11"), b(1, 1, 73.0)), (p(2, "26"), b(2, 2, 27.0))], None, 0.40);
/// assert_eq!(a.non_sma_share, Some(0.27));
/// assert!((a.gap_to_target.unwrap() - 0.13).abs() < 1e-12);
/// ```
pub fn allocation(
    lines: &[(Project, BudgetLine)],
    source: Option<&str>,
    target_non_sma: f64,
) -> Allocation {
    let sel: Vec<&(Project, BudgetLine)> = lines
        .iter()
        .filter(|(_, b)| source.is_none_or(|s| b.source == s))
        .collect();
    let planned: f64 = sel.iter().map(|(_, b)| b.planned).sum();
    let executed: f64 = sel.iter().map(|(_, b)| b.executed).sum();
    let outside: f64 = sel
        .iter()
        .filter(|(p, _)| !SMA.contains(&p.region.as_str()))
        .map(|(_, b)| b.executed)
        .sum();
    let share = (executed > 0.0).then(|| outside / executed);
    Allocation {
        planned,
        executed,
        execution_rate: (planned > 0.0).then(|| executed / planned),
        non_sma_share: share,
        gap_to_target: share.map(|s| target_non_sma - s),
    }
}

/// Budget by group (a region, a ministry...): planned, executed, execution rate and the
/// group's share of all executed spending, largest first. A cooperation project's budget
/// counts for the group its key function gives (by region: the lead region).
///
/// ```
/// use regis_monitor::analytics::allocation_by;
/// use regis_monitor::{BudgetLine, Project, Status};
/// let p = |id, region: &str| Project { id, programme_id: 1, title: String::new(), objective: String::new(),
///     region: region.into(), partner_regions: vec![], industry: "C".into(), organisation: String::new(),
///     organisation_type: Default::default(), partners: vec![], start_year: 2024,
///     end_year: 2024, status: Status::Published, version: 1 };
/// let b = |id, project_id, executed| BudgetLine { id, project_id, year: 2024, source: "central".into(),
///     planned: 100.0, executed, version: 1 };
/// let lines = [(p(1, "11"), b(1, 1, 60.0)), (p(2, "26"), b(2, 2, 20.0)), (p(3, "26"), b(3, 3, 20.0))];
/// let rows = allocation_by(&lines, None, |p| p.region.clone());
/// assert_eq!(rows[0].0, "11");
/// assert_eq!(rows[1].4, 0.4);
/// ```
pub fn allocation_by(
    lines: &[(Project, BudgetLine)],
    source: Option<&str>,
    group: impl Fn(&Project) -> String,
) -> Vec<(String, f64, f64, Option<f64>, f64)> {
    let mut by: std::collections::BTreeMap<String, (f64, f64)> = Default::default();
    let mut total = 0.0;
    for (p, b) in lines
        .iter()
        .filter(|(_, b)| source.is_none_or(|s| b.source == s))
    {
        let e = by.entry(group(p)).or_default();
        e.0 += b.planned;
        e.1 += b.executed;
        total += b.executed;
    }
    let mut rows: Vec<_> = by
        .into_iter()
        .map(|(g, (pl, ex))| {
            (
                g,
                pl,
                ex,
                (pl > 0.0).then(|| ex / pl),
                if total > 0.0 { ex / total } else { 0.0 },
            )
        })
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    rows
}

/// An incentive rule: the budget adjustment (a fraction: 0.1 = +10%) a grade earns.
pub type IncentiveRule = (String, f64);

/// Incentive rules as written on the command line, `S=0.2,A=0.1,...`; every fraction must
/// lie in [-1, 1].
///
/// ```
/// let r = regis_monitor::analytics::parse_incentive_rules("S=0.2, A=0.1").unwrap();
/// assert_eq!(r, vec![("S".to_string(), 0.2), ("A".to_string(), 0.1)]);
/// assert!(regis_monitor::analytics::parse_incentive_rules("A=2").is_err());
/// ```
pub fn parse_incentive_rules(text: &str) -> crate::Result<Vec<IncentiveRule>> {
    let bad = |message: String| crate::MonitorError::Invalid {
        field: "rules",
        message,
    };
    text.split(',')
        .map(|pair| {
            let (g, v) = pair
                .split_once('=')
                .ok_or_else(|| bad(format!("`{pair}` is not grade=fraction (e.g. A=0.1)")))?;
            match v.trim().parse::<f64>() {
                Ok(x) if (-1.0..=1.0).contains(&x) => Ok((g.trim().to_string(), x)),
                _ => Err(bad(format!(
                    "`{v}` for grade {g} is not a fraction between -1 and 1"
                ))),
            }
        })
        .collect()
}

/// Illustrative incentive rules (not an official schedule): S +20%, A +10%, B 0, C −10%,
/// D −20% of the next year's central budget.
pub fn illustrative_incentive_rules() -> Vec<IncentiveRule> {
    [("S", 0.2), ("A", 0.1), ("B", 0.0), ("C", -0.1), ("D", -0.2)]
        .iter()
        .map(|(g, a)| (g.to_string(), *a))
        .collect()
}

/// One project's incentive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Incentive {
    /// Project.
    pub project_id: i64,
    /// Evaluation the incentive follows (the project's latest; a final one before interims).
    pub evaluation_id: i64,
    /// Its kind (interim, final).
    pub kind: String,
    /// Its grade.
    pub grade: String,
    /// Planned central budget of the year the adjustment applies to.
    pub base: f64,
    /// Adjustment fraction from the rules.
    pub adjustment: f64,
    /// base × (1 + adjustment).
    pub adjusted: f64,
}

/// Budget adjustments from evaluation grades: for each evaluated project, its latest final
/// evaluation (else its latest interim one) sets the adjustment of its planned `source` budget
/// in `year`. A grade without a rule is an error (rules must cover every grade used).
///
/// ```
/// use regis_monitor::analytics::{incentives, illustrative_incentive_rules};
/// use regis_monitor::{BudgetLine, Evaluation};
/// let e = Evaluation { id: 1, project_id: 7, kind: "interim".into(), evaluator_id: 2,
///     scores: vec![("performance".into(), 84.0, 1.0)], total: 84.0, grade: "A".into() };
/// let b = BudgetLine { id: 1, project_id: 7, year: 2025, source: "central".into(),
///     planned: 1000.0, executed: 900.0, version: 1 };
/// let r = incentives(&[e], &[b], &illustrative_incentive_rules(), 2025, "central").unwrap();
/// assert_eq!((r[0].grade.as_str(), r[0].adjusted), ("A", 1100.0));
/// ```
pub fn incentives(
    evaluations: &[crate::Evaluation],
    budgets: &[BudgetLine],
    rules: &[IncentiveRule],
    year: i32,
    source: &str,
) -> crate::Result<Vec<Incentive>> {
    let mut latest: std::collections::BTreeMap<i64, &crate::Evaluation> = Default::default();
    for e in evaluations {
        let keep = match latest.get(&e.project_id) {
            None => true,
            Some(cur) => (e.kind == "final") >= (cur.kind == "final"),
        };
        if keep {
            latest.insert(e.project_id, e);
        }
    }
    let mut out = Vec::new();
    for (project_id, e) in latest {
        let adjustment = rules
            .iter()
            .find(|(g, _)| *g == e.grade)
            .map(|r| r.1)
            .ok_or_else(|| crate::MonitorError::Invalid {
                field: "rules",
                message: format!("no rule for grade {}", e.grade),
            })?;
        let base: f64 = budgets
            .iter()
            .filter(|b| b.project_id == project_id && b.year == year && b.source == source)
            .map(|b| b.planned)
            .sum();
        out.push(Incentive {
            project_id,
            evaluation_id: e.id,
            kind: e.kind.clone(),
            grade: e.grade.clone(),
            base,
            adjustment,
            adjusted: base * (1.0 + adjustment),
        });
    }
    Ok(out)
}
