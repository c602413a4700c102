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
///     region: region.into(), industry: "C".into(), organisation: String::new(), start_year: 2024,
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
