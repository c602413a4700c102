//! "Did the programme work?": the effect of a treatment on the treated units, estimated from a
//! panel — `regis evaluate cs` (Callaway & Sant'Anna staggered difference-in-differences) and
//! `GET /api/v1/evaluate/cs`. The panel is a measure (built-in, stored or a file read with the
//! mapping flags) at a level; the treatment is a file's first-treated or 0/1 treated column, or
//! a list of regions with their first treated year.

use regis_core::Level;
use regis_data::export::measure_json;
use regis_data::DataError;
pub use regis_methods::evaluation::CovariateEstimator;

pub(crate) use crate::evaluation_panel::{evaluation_panel, EvaluationPanel, Outcome};
pub use crate::twfe::{did_report, DidReport};
use regis_methods::evaluation::{
    aggregate, callaway_santanna, uniform_band, Aggregation, Covariates, CsOptions, StaggeredPanel,
};
pub use regis_methods::evaluation::{BasePeriod, ControlGroup};
use serde::Serialize;

use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// Where the treatment comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Treatment {
    /// A column of the `--input` file with each unit's first treated period (0 or empty:
    /// never treated).
    FirstTreatedColumn(String),
    /// A column of the `--input` file with 0/1 by unit and period (once 1, 1 after).
    TreatedColumn(String),
    /// Regions (codes or names) with their first treated year.
    Regions(Vec<(String, i32)>),
}

/// Parses a control group: `never` or `not-yet`.
pub fn parse_control(text: &str) -> Result<ControlGroup> {
    match text {
        "never" | "nevertreated" => Ok(ControlGroup::NeverTreated),
        "not-yet" | "notyettreated" => Ok(ControlGroup::NotYetTreated),
        other => Err(DataError::argument(format!(
            "--control {}: expected never or not-yet",
            crate::error::shown(other)
        ))
        .into()),
    }
}

/// Parses a base period: `varying` or `universal`.
pub fn parse_base_period(text: &str) -> Result<BasePeriod> {
    match text {
        "varying" => Ok(BasePeriod::Varying),
        "universal" => Ok(BasePeriod::Universal),
        other => Err(DataError::argument(format!(
            "--base-period {}: expected varying or universal",
            crate::error::shown(other)
        ))
        .into()),
    }
}

/// Parses the estimator of `cs`: `dr` (doubly robust), `ipw` (inverse probability weighting)
/// or `reg` (outcome regression); without covariates the three are the same estimator.
pub fn parse_estimator(estimator: &str) -> Result<CovariateEstimator> {
    match estimator {
        "dr" => Ok(CovariateEstimator::DoublyRobust),
        "ipw" => Ok(CovariateEstimator::InverseProbability),
        "reg" => Ok(CovariateEstimator::OutcomeRegression),
        other => Err(DataError::argument(format!(
            "--estimator {}: expected dr, ipw or reg",
            crate::error::shown(other)
        ))
        .into()),
    }
}

/// Parses `--covariates a,b`: names of columns of the `--input` file, or of measures when the
/// outcome is a measure; at most 20, each given once.
pub fn parse_covariates(items: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for name in items.iter().flat_map(|i| i.split(',')).map(str::trim) {
        if name.is_empty() {
            continue;
        }
        if out.iter().any(|c| c == name) {
            return Err(DataError::argument(format!(
                "--covariates: `{}` is given twice",
                crate::error::shown(name)
            ))
            .into());
        }
        out.push(name.to_string());
    }
    if out.len() > 20 {
        return Err(DataError::argument(format!(
            "--covariates: {} covariates; at most 20",
            out.len()
        ))
        .into());
    }
    Ok(out)
}

/// Parses treated regions written `CODE=YEAR` (e.g. `38=2005`).
pub fn parse_treated(items: &[String]) -> Result<Vec<(String, i32)>> {
    items
        .iter()
        .map(|t| {
            let shown = crate::error::shown(t);
            let (code, year) = t.split_once('=').ok_or_else(|| {
                DataError::argument(format!("--treated `{shown}`: expected CODE=YEAR"))
            })?;
            let year = year.trim().parse::<i32>().map_err(|_| {
                DataError::argument(format!("--treated `{shown}`: the year is not a year"))
            })?;
            Ok((code.trim().to_string(), year))
        })
        .collect()
}

/// A staggered difference-in-differences question.
#[derive(Debug, Clone)]
pub struct CsRequest {
    /// The outcome: a measure or a file.
    pub source: Source,
    /// Level of the units.
    pub level: Level,
    /// Industry of the outcome (`_T`: totals).
    pub industry: String,
    /// Denominator measure: the outcome per head of it.
    pub per: Option<String>,
    /// Who is treated when.
    pub treatment: Treatment,
    /// Never-treated or not-yet-treated controls.
    pub control: ControlGroup,
    /// Base period of the pre-treatment cells.
    pub base: BasePeriod,
    /// Periods of anticipation.
    pub anticipation: i32,
    /// Covariates: columns of the `--input` file, or measures (their total, or the outcome's
    /// industry when they have it) when the outcome is a measure.
    pub covariates: Vec<String>,
    /// How the covariates are adjusted for.
    pub estimator: CovariateEstimator,
    /// Multiplier-bootstrap draws for the uniform bands (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Language of names.
    pub lang: Lang,
}

/// An effect with its analytic standard error and 95% confidence interval.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Effect {
    /// The effect, in the outcome's unit.
    pub att: f64,
    /// Analytic standard error.
    pub std_error: f64,
    /// Lower bound of the pointwise 95% interval.
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
}

impl Effect {
    fn new(att: f64, std_error: f64) -> Effect {
        let z = 1.959_963_984_540_054;
        Effect {
            att,
            std_error,
            ci_low: att - z * std_error,
            ci_high: att + z * std_error,
        }
    }
}

/// An aggregation: the overall effect and its parts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AggregateReport {
    /// The overall effect.
    pub att: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Critical value of the uniform 95% band over the parts (multiplier bootstrap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical_value: Option<f64>,
    /// By event time (`dynamic`), cohort (`group`) or period (`calendar`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<KeyedEffect>,
}

/// One part of an aggregation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyedEffect {
    /// Event time, cohort or period.
    pub key: i32,
    /// The effect.
    pub att: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Lower bound of the uniform 95% band (bootstrap standard error × critical value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_low: Option<f64>,
    /// Upper bound of the uniform band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_high: Option<f64>,
}

/// The four aggregations.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Aggregations {
    /// Every post-treatment cell weighted by cohort size.
    pub simple: AggregateReport,
    /// By event time; overall: the mean over event times ≥ 0.
    pub dynamic: AggregateReport,
    /// By cohort; overall: weighted by cohort size.
    pub group: AggregateReport,
    /// By period; overall: the mean over periods.
    pub calendar: AggregateReport,
}

/// The staggered difference-in-differences report.
#[derive(Debug, Clone, Serialize)]
pub struct CsReport {
    /// `callaway_santanna`.
    pub method: &'static str,
    /// The outcome's measure.
    pub measure: serde_json::Value,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator (per head).
    pub per: Option<String>,
    /// Level of the units.
    pub level: String,
    /// `never` or `not-yet`.
    pub control_group: &'static str,
    /// `varying` or `universal`.
    pub base_period: &'static str,
    /// Periods of anticipation.
    pub anticipation: i32,
    /// Covariates adjusted for (empty: none).
    pub covariates: Vec<String>,
    /// `dr`, `ipw` or `reg` (the same estimator without covariates).
    pub estimator: &'static str,
    /// The overall effect (the simple aggregation).
    pub att: f64,
    /// Its analytic standard error.
    pub std_error: f64,
    /// Its 95% interval.
    pub overall: Effect,
    /// Every ATT(g,t): group, period, att, std_error, post, treated, controls, band_low,
    /// band_high (the uniform 95% band).
    pub att_gt: Table,
    /// Critical value of the uniform 95% band over every ATT(g,t); none without bootstrap.
    pub att_gt_critical_value: Option<f64>,
    /// Multiplier-bootstrap draws of the bands (0: no bands).
    pub bootstrap_draws: usize,
    /// Seed of the bootstrap.
    pub bootstrap_seed: u64,
    /// The four aggregations.
    pub aggregations: Aggregations,
    /// Units compared, treated cohorts.
    pub units: usize,
    /// Treated units by cohort: (first treated period, units).
    pub cohorts: Vec<(i32, usize)>,
    /// What the data let the estimator check, and what it could not.
    pub assumptions: Vec<String>,
    /// Units left out and why.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    #[serde(skip)]
    warnings: Vec<String>,
}

impl Tabular for CsReport {
    fn table(&self) -> Table {
        self.att_gt.clone()
    }
    fn more_tables(&self) -> Vec<Table> {
        let mut t = Table::new(vec![
            Column::text("aggregation"),
            Column::integer("key"),
            Column::rounded("att", "", 4),
            Column::rounded("std_error", "", 4),
            Column::rounded("band_low", "", 4),
            Column::rounded("band_high", "", 4),
        ]);
        for (name, a) in [
            ("simple", &self.aggregations.simple),
            ("dynamic", &self.aggregations.dynamic),
            ("group", &self.aggregations.group),
            ("calendar", &self.aggregations.calendar),
        ] {
            t.push(vec![
                Cell::text(name),
                Cell::Empty,
                Cell::Number(a.att),
                Cell::Number(a.std_error),
                Cell::Empty,
                Cell::Empty,
            ]);
            for k in &a.by {
                t.push(vec![
                    Cell::text(format!("  {name}")),
                    Cell::int(k.key),
                    Cell::Number(k.att),
                    Cell::Number(k.std_error),
                    Cell::num(k.band_low),
                    Cell::num(k.band_high),
                ]);
            }
        }
        vec![t]
    }
    fn note(&self) -> String {
        format!(
            "Callaway & Sant'Anna ATT = {:.4} (s.e. {:.4}, 95% CI {:.4} to {:.4}); {} controls, {} base period. {}",
            self.att,
            self.std_error,
            self.overall.ci_low,
            self.overall.ci_high,
            self.control_group,
            self.base_period,
            self.assumptions.join(" ")
        )
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers a [`CsRequest`].
pub fn callaway_santanna_report(sources: &Sources, q: &CsRequest) -> Result<CsReport> {
    if !(0..=20).contains(&q.anticipation) {
        return Err(DataError::argument("--anticipation: 0 to 20 periods of anticipation").into());
    }
    if q.bootstrap > 100_000 {
        return Err(DataError::argument(
            "--bootstrap: 0 to 100000 multiplier-bootstrap draws (999 is the usual choice)",
        )
        .into());
    }
    let EvaluationPanel {
        loaded,
        periods,
        outcome,
        first,
        covariates,
        gaps,
        warnings,
    } = evaluation_panel(sources, q)?;
    let r = callaway_santanna(
        &StaggeredPanel {
            outcome: &outcome,
            periods: &periods,
            first_treated: &first,
            covariates: (!q.covariates.is_empty()).then_some(Covariates {
                values: &covariates,
                count: q.covariates.len(),
            }),
        },
        &CsOptions {
            control: q.control,
            base: q.base,
            anticipation: q.anticipation,
            estimator: q.estimator,
        },
    )
    .map_err(|e| DataError::argument(e.to_string()))?;
    // Uniform 95% bands by the multiplier bootstrap: over every ATT(g,t) and over each
    // aggregation's parts.
    let band = |how| (q.bootstrap >= 2).then(|| uniform_band(&r, how, q.bootstrap, q.seed, 0.05));
    let bounds = |att: f64, se: Option<f64>, c: f64| match se.filter(|s| s.is_finite()) {
        Some(se) => (Some(att - c * se), Some(att + c * se)),
        None => (None, None),
    };
    let report = |how| {
        let a = aggregate(&r, how);
        let b = band(Some(how));
        AggregateReport {
            att: a.att,
            std_error: a.std_error,
            critical_value: b.as_ref().map(|b| b.critical_value),
            by: a
                .by
                .iter()
                .enumerate()
                .map(|(k, (key, att, std_error))| {
                    let (band_low, band_high) = match &b {
                        Some(b) => bounds(*att, b.std_errors.get(k).copied(), b.critical_value),
                        None => (None, None),
                    };
                    KeyedEffect {
                        key: *key,
                        att: *att,
                        std_error: *std_error,
                        band_low,
                        band_high,
                    }
                })
                .collect(),
        }
    };
    let cell_band = band(None);
    let aggregations = Aggregations {
        simple: report(Aggregation::Simple),
        dynamic: report(Aggregation::Dynamic),
        group: report(Aggregation::Group),
        calendar: report(Aggregation::Calendar),
    };
    let mut att_gt = Table::new(vec![
        Column::integer("group"),
        Column::integer("period"),
        Column::rounded("att", &loaded.dataset.measure.unit, 4),
        Column::rounded("std_error", &loaded.dataset.measure.unit, 4),
        Column::text("post"),
        Column::integer("treated"),
        Column::integer("controls"),
        Column::rounded("band_low", &loaded.dataset.measure.unit, 4),
        Column::rounded("band_high", &loaded.dataset.measure.unit, 4),
    ]);
    for (k, c) in r.att_gt.iter().enumerate() {
        let (low, high) = match &cell_band {
            Some(b) => bounds(c.att, b.std_errors.get(k).copied(), b.critical_value),
            None => (None, None),
        };
        att_gt.push(vec![
            Cell::int(c.group),
            Cell::int(c.period),
            Cell::Number(c.att),
            Cell::Number(c.std_error),
            Cell::text(c.post.to_string()),
            Cell::Integer(c.treated as i64),
            Cell::Integer(c.controls as i64),
            Cell::num(low),
            Cell::num(high),
        ]);
    }
    let pre: Vec<_> = r.att_gt.iter().filter(|c| !c.post).collect();
    let off = pre
        .iter()
        .filter(|c| c.std_error > 0.0 && (c.att / c.std_error).abs() > 1.959_963_984_540_054)
        .count();
    let mut assumptions = vec![if pre.is_empty() {
        "Parallel trends: not checkable (no pre-treatment period before any cohort).".to_string()
    } else {
        format!(
            "Parallel trends: {off} of {} pre-treatment ATT(g,t) differ from 0 at the 5% level (each should be near 0).",
            pre.len()
        )
    }];
    assumptions.push("Not checked by the data: no anticipation beyond the periods given, no spill-over to the controls, and a treatment that stays on.".into());
    let mut diagnostics = Vec::new();
    if r.dropped_unbalanced > 0 {
        // The panel is balanced by leaving these units out; each is named with what it lacks.
        let spans: Vec<String> = gaps
            .iter()
            .take(20)
            .map(|(name, missing)| match (missing.first(), missing.last()) {
                (Some(a), Some(b)) if missing.len() == (b - a + 1) as usize && a != b => {
                    format!("{name} ({a}-{b})")
                }
                _ => format!(
                    "{name} ({})",
                    missing
                        .iter()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
            .collect();
        diagnostics.push(format!(
            "[unbalanced] {} unit(s) without an outcome in every period were left out to balance the panel: {}{}",
            r.dropped_unbalanced,
            spans.join("; "),
            if gaps.len() > 20 { "; ..." } else { "" }
        ));
    }
    if r.dropped_always_treated > 0 {
        diagnostics.push(format!(
            "[treated-from-start] {} unit(s) treated in the first period were left out (no period before treatment)",
            r.dropped_always_treated
        ));
    }
    if r.dropped_missing_covariates > 0 {
        diagnostics.push(format!(
            "[missing-covariate] {} unit(s) without every covariate in every period were left out",
            r.dropped_missing_covariates
        ));
    }
    for (g, t, why) in &r.skipped {
        diagnostics.push(format!("[cell-skipped] ATT({g},{t}) not estimated: {why}"));
    }
    if !q.covariates.is_empty() {
        assumptions.push(format!(
            "Covariates {} ({}): parallel trends are assumed conditional on them, as measured in the earlier period of each comparison; {}.",
            q.covariates.join(", "),
            q.estimator.id(),
            match q.estimator {
                CovariateEstimator::OutcomeRegression => "the outcome model (linear in the covariates) must be right",
                CovariateEstimator::InverseProbability => "the propensity model (logit) must be right and every treated unit needs comparable controls (overlap)",
                CovariateEstimator::DoublyRobust => "either the outcome model or the propensity model must be right (doubly robust), with overlap",
            }
        ));
    }
    let mut cohorts: Vec<(i32, usize)> = Vec::new();
    for g in r.first_treated.iter().flatten() {
        match cohorts.iter_mut().find(|c| c.0 == *g) {
            Some(c) => c.1 += 1,
            None => cohorts.push((*g, 1)),
        }
    }
    cohorts.sort_unstable();
    Ok(CsReport {
        method: "callaway_santanna",
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        level: q.level.name(),
        control_group: match q.control {
            ControlGroup::NeverTreated => "never",
            ControlGroup::NotYetTreated => "not-yet",
        },
        base_period: match q.base {
            BasePeriod::Varying => "varying",
            BasePeriod::Universal => "universal",
        },
        anticipation: q.anticipation,
        covariates: q.covariates.clone(),
        estimator: q.estimator.id(),
        att: aggregations.simple.att,
        std_error: aggregations.simple.std_error,
        overall: Effect::new(aggregations.simple.att, aggregations.simple.std_error),
        att_gt,
        att_gt_critical_value: cell_band.as_ref().map(|b| b.critical_value),
        bootstrap_draws: q.bootstrap,
        bootstrap_seed: q.seed,
        aggregations,
        units: r.units,
        cohorts,
        assumptions,
        diagnostics,
        attribution: loaded.attribution.clone(),
        warnings,
    })
}
