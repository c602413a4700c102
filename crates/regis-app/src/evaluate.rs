//! "Did the programme work?": the effect of a treatment on the treated units, estimated from a
//! panel — `regis evaluate cs` (Callaway & Sant'Anna staggered difference-in-differences) and
//! `GET /api/v1/evaluate/cs`. The panel is a measure (built-in, stored or a file read with the
//! mapping flags) at a level; the treatment is a file's first-treated or 0/1 treated column, or
//! a list of regions with their first treated year.

use std::collections::HashMap;

use regis_core::{Level, Period, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
pub use regis_methods::evaluation::CovariateEstimator;

pub use crate::twfe::{did_report, DidReport};
use regis_methods::evaluation::{
    aggregate, callaway_santanna, uniform_band, Aggregation, Covariates, CsOptions, StaggeredPanel,
};
pub use regis_methods::evaluation::{BasePeriod, ControlGroup};
use serde::Serialize;

use crate::matrix::{per_head, regions_at, value_per_head};
use crate::source::{open_mapped, Source, Sources};
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

/// Each region's first treated period from the treatment spec.
fn first_treated(
    q: &CsRequest,
    cat: &regis_core::RegionCatalog,
    units: &[RegionId],
) -> Result<Vec<Option<i32>>> {
    let by_code = |code: &str| -> Option<RegionId> {
        units
            .iter()
            .copied()
            .find(|r| cat.region(*r).code == code)
            .or_else(|| crate::resolve::region_named(cat, code, q.level).ok())
            .filter(|r| units.contains(r))
    };
    let mut first: HashMap<RegionId, Option<i32>> = units.iter().map(|r| (*r, None)).collect();
    match &q.treatment {
        Treatment::Regions(list) => {
            for (code, year) in list {
                let r = crate::resolve::region_named(cat, code, q.level)?;
                if !units.contains(&r) {
                    return Err(DataError::argument(format!(
                        "treated region `{}` has no outcome at this level",
                        crate::error::shown(code)
                    ))
                    .into());
                }
                first.insert(r, Some(*year));
            }
        }
        Treatment::FirstTreatedColumn(col) | Treatment::TreatedColumn(col) => {
            let path = q.source.input.as_ref().ok_or_else(|| {
                DataError::argument("a treatment column needs --input FILE (the panel with it)")
            })?;
            let m = &q.source.mapping;
            let rows = open_mapped(path, m)?;
            let find = |name: &str| {
                rows.column(name).ok_or_else(|| {
                    DataError::file(
                        regis_data::ErrorKind::MissingColumn,
                        rows.file(),
                        format!(
                            "no column `{name}`; the columns are {}",
                            rows.header().join(", ")
                        ),
                    )
                })
            };
            let region_col = m.region_col.as_deref().ok_or_else(|| {
                DataError::argument("give --region-col (the unit) with a treatment column")
            })?;
            let (rc, tc) = (find(region_col)?, find(col)?);
            let pc = match (&q.treatment, m.period_col.as_deref()) {
                (Treatment::TreatedColumn(_), Some(p)) => Some(find(p)?),
                (Treatment::TreatedColumn(_), None) => {
                    return Err(DataError::argument(
                        "--treated-col needs --period-col (0/1 by unit and period)",
                    )
                    .into())
                }
                _ => None,
            };
            let file = rows.file().to_string();
            let mut seen: HashMap<RegionId, (Option<i32>, usize)> = HashMap::new();
            let mut flags: HashMap<RegionId, Vec<(i32, bool, usize)>> = HashMap::new();
            rows.scan(&mut |_, row| {
                let code = row.cells[rc].trim();
                let Some(r) = by_code(code) else {
                    return Ok(true); // a unit without outcome: not compared
                };
                let cell = row.cells[tc].trim();
                let bad = |what: &str| {
                    DataError::file(
                        regis_data::ErrorKind::NotNumeric,
                        &file,
                        format!(
                            "line {}, field `{col}`: `{}` is not {what}",
                            row.line,
                            crate::error::shown(cell)
                        ),
                    )
                };
                match pc {
                    None => {
                        let g = match cell {
                            "" | "0" => None,
                            v => Some(v.parse::<i32>().map_err(|_| {
                                bad("a period (a year, or 0 or empty for never treated)")
                            })?),
                        };
                        if let Some((before, line)) = seen.get(&r) {
                            if *before != g {
                                return Err(DataError::file(
                                    regis_data::ErrorKind::Duplicate,
                                    &file,
                                    format!("line {}, field `{col}`: unit `{}` has another first treated period on line {line}", row.line, crate::error::shown(code)),
                                ));
                            }
                        }
                        seen.insert(r, (g, row.line));
                    }
                    Some(pc) => {
                        let on = match cell {
                            "1" | "1.0" | "true" => true,
                            "0" | "0.0" | "false" | "" => false,
                            _ => return Err(bad("0 or 1")),
                        };
                        let period: i32 = row.cells[pc].trim().parse().map_err(|_| {
                            DataError::file(
                                regis_data::ErrorKind::BadPeriod,
                                &file,
                                format!("line {}: the period is not a year", row.line),
                            )
                        })?;
                        flags.entry(r).or_default().push((period, on, row.line));
                    }
                }
                Ok(true)
            })?;
            for (r, (g, _)) in seen {
                first.insert(r, g);
            }
            for (r, mut f) in flags {
                f.sort_by_key(|x| x.0);
                let start = f.iter().find(|x| x.1).map(|x| x.0);
                if let (Some(s), Some(off)) =
                    (start, f.iter().find(|x| x.0 > start.unwrap_or(0) && !x.1))
                {
                    return Err(DataError::file(
                        regis_data::ErrorKind::NotNumeric,
                        &file,
                        format!("line {}, field `{col}`: unit `{}` is treated from {s} and untreated again in {}; the estimator needs a treatment that stays on", off.2, cat.region(r).code, off.0),
                    )
                    .into());
                }
                first.insert(r, start);
            }
        }
    }
    Ok(units.iter().map(|r| first[r]).collect())
}

/// The outcome panel (unit-major) and each unit's first treated period of a request.
pub(crate) struct EvaluationPanel {
    pub(crate) loaded: crate::source::Loaded,
    pub(crate) periods: Vec<i32>,
    pub(crate) outcome: Vec<f64>,
    pub(crate) first: Vec<Option<i32>>,
    pub(crate) covariates: Vec<f64>,
    pub(crate) warnings: Vec<String>,
}

/// The outcome of an evaluation: the measure at the level, per head when asked, the industry
/// checked; the regions of the level. Shared by every evaluation question.
pub(crate) struct Outcome {
    pub loaded: crate::source::Loaded,
    pub panel: regis_core::Panel,
    pub den: Option<regis_core::Panel>,
    pub units: Vec<RegionId>,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub(crate) fn load(
        sources: &Sources,
        source: &Source,
        level: Level,
        per: Option<&str>,
        industry: &str,
    ) -> Result<Outcome> {
        let loaded = sources.load(source, None)?;
        let mut warnings = Vec::new();
        let (panel, den) = per_head(sources, &loaded, level, per, None, &mut warnings)?;
        if !panel.industries().iter().any(|i| i == industry) {
            return Err(crate::Error::not_found(
                "unknown-industry",
                format!(
                    "industry `{}` is not in `{}`; it has: {}",
                    crate::error::shown(industry),
                    loaded.dataset.measure.id,
                    panel.industries().join(", ")
                ),
            ));
        }
        let units = regions_at(&panel, &loaded.catalog, level);
        Ok(Outcome {
            loaded,
            panel,
            den,
            units,
            warnings,
        })
    }

    /// A unit's outcome in period `p` (per head when asked; none when missing or not finite).
    pub(crate) fn value(&self, r: RegionId, industry: &str, p: i32) -> Option<f64> {
        value_per_head(&self.panel, self.den.as_ref(), r, industry, Period(p))
            .filter(|v| v.is_finite())
    }

    /// The unit a user names: a code of the data's units first (a file's own codes), then a
    /// region by code or name at `level`.
    pub(crate) fn unit(&self, text: &str, level: Level) -> Result<RegionId> {
        let cat = &self.loaded.catalog;
        match self
            .units
            .iter()
            .copied()
            .find(|r| cat.region(*r).code == text)
        {
            Some(r) => Ok(r),
            None => crate::resolve::region_named(cat, text, level),
        }
    }
}

pub(crate) fn evaluation_panel(sources: &Sources, q: &CsRequest) -> Result<EvaluationPanel> {
    let Outcome {
        loaded,
        panel,
        den,
        units,
        warnings,
    } = Outcome::load(sources, &q.source, q.level, q.per.as_deref(), &q.industry)?;
    let cat = &loaded.catalog;
    let periods: Vec<i32> = panel.periods().iter().map(|p| p.0).collect();
    let first = first_treated(q, cat, &units)?;
    let mut outcome = Vec::with_capacity(units.len() * periods.len());
    for r in &units {
        for p in &periods {
            outcome.push(
                value_per_head(&panel, den.as_ref(), *r, &q.industry, Period(*p))
                    .unwrap_or(f64::NAN),
            );
        }
    }
    let covariates = covariate_values(sources, q, cat, &units, &periods)?;
    Ok(EvaluationPanel {
        loaded,
        periods,
        outcome,
        first,
        covariates,
        warnings,
    })
}

/// The covariates by unit, period and covariate (`NaN`: missing), matched to the outcome's
/// units by code.
fn covariate_values(
    sources: &Sources,
    q: &CsRequest,
    cat: &regis_core::RegionCatalog,
    units: &[RegionId],
    periods: &[i32],
) -> Result<Vec<f64>> {
    let k = q.covariates.len();
    let mut values = vec![f64::NAN; units.len() * periods.len() * k];
    for (j, name) in q.covariates.iter().enumerate() {
        let source = match &q.source.input {
            Some(_) => Source {
                measure: Some(name.clone()),
                input: q.source.input.clone(),
                mapping: crate::source::Mapping {
                    value_col: Some(name.clone()),
                    ..q.source.mapping.clone()
                },
            },
            None => Source::measure(name),
        };
        let loaded = sources.load(&source, None)?;
        let panel = crate::resolve::panel_at_level(&loaded, q.level)?;
        let industry = if panel.industries().contains(&q.industry) {
            q.industry.clone()
        } else {
            regis_core::panel::TOTAL_INDUSTRY.to_string()
        };
        let codes: HashMap<&str, RegionId> = panel
            .regions()
            .iter()
            .map(|r| (loaded.catalog.region(*r).code.as_str(), *r))
            .collect();
        for (u, r) in units.iter().enumerate() {
            let Some(cr) = codes.get(cat.region(*r).code.as_str()) else {
                continue;
            };
            for (pi, p) in periods.iter().enumerate() {
                if let Some(v) = value_per_head(&panel, None, *cr, &industry, Period(*p)) {
                    values[(u * periods.len() + pi) * k + j] = v;
                }
            }
        }
    }
    Ok(values)
}

/// Answers a [`CsRequest`].
pub fn callaway_santanna_report(sources: &Sources, q: &CsRequest) -> Result<CsReport> {
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
        diagnostics.push(format!(
            "[unbalanced] {} unit(s) without an outcome in every period were left out",
            r.dropped_unbalanced
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
