//! "Are poorer regions catching up?": β-convergence (OLS of growth on the initial log level,
//! optionally conditional on a group) and σ-convergence per period, behind `regis convergence`
//! and `GET /api/v1/convergence`.

use regis_core::{Period, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::convergence::{beta_convergence, sigma};
use serde::Serialize;

use crate::matrix::{per_head, region_name, regions_at, value_per_head};
use crate::resolve::in_group;
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// What to test.
#[derive(Debug, Clone)]
pub struct ConvergenceRequest {
    /// The measure or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// Industry of the values (`_T`: totals).
    pub industry: String,
    /// Denominator measure (per head).
    pub per: Option<String>,
    /// Carry the data to the boundaries of this year.
    pub vintage: Option<i32>,
    /// Start period (none: the measure's first).
    pub from: Option<i32>,
    /// End period (none: its last).
    pub to: Option<i32>,
    /// A group whose dummy makes the test conditional.
    pub conditional_on: Option<String>,
    /// Language of names.
    pub lang: Lang,
}

/// One term of the regression.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coefficient {
    /// `constant`, `ln_y0`, or `in_<group>`.
    pub term: String,
    /// Estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<f64>,
    /// Classical standard error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_error: Option<f64>,
    /// t statistic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t: Option<f64>,
    /// Two-sided p-value (Student t).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
}

/// β-convergence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Beta {
    /// β, the coefficient of ln y0 on annual growth.
    pub beta: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Its p-value.
    pub p: f64,
    /// Speed of convergence, per year.
    pub speed: Option<f64>,
    /// Half-life, years.
    pub half_life: Option<f64>,
    /// R².
    pub r_squared: f64,
    /// Regions in the regression.
    pub n: usize,
    /// Every term.
    pub coefficients: Vec<Coefficient>,
}

/// σ-convergence in one period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SigmaRow {
    /// Period.
    pub period: i32,
    /// Standard deviation of log values.
    pub sd_log: Option<f64>,
    /// Coefficient of variation.
    pub cv: Option<f64>,
    /// Regions with a value.
    pub regions: usize,
}

/// The convergence report.
#[derive(Debug, Clone, Serialize)]
pub struct ConvergenceReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Industry.
    pub industry: String,
    /// Denominator.
    pub per: Option<String>,
    /// Level.
    pub level: String,
    /// Start.
    pub from: i32,
    /// End.
    pub to: i32,
    /// Group of the dummy.
    pub conditional_on: Option<String>,
    /// β-convergence.
    pub beta: Beta,
    /// σ per period.
    pub sigma: Vec<SigmaRow>,
    /// Regions left out, regression caveats.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    /// Regions not carried to a vintage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(skip)]
    note: String,
}

impl Tabular for ConvergenceReport {
    fn table(&self) -> Table {
        let r = |n: &str| Column::rounded(n, "", 4);
        let mut t = Table::new(vec![
            Column::text("statistic"),
            r("value"),
            r("std_error"),
            r("p"),
            Column::integer("regions"),
        ]);
        let b = &self.beta;
        t.push(vec![
            Cell::text("beta"),
            Cell::Number(b.beta),
            Cell::Number(b.std_error),
            Cell::Number(b.p),
            Cell::Integer(b.n as i64),
        ]);
        for (name, v) in [
            ("speed (per year)", b.speed),
            ("half-life (years)", b.half_life),
            ("R²", Some(b.r_squared)),
        ] {
            t.push(vec![
                Cell::text(name),
                Cell::num(v),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        for c in b.coefficients.iter().skip(2) {
            t.push(vec![
                Cell::text(format!("{} (dummy)", c.term)),
                Cell::num(c.estimate),
                Cell::num(c.std_error),
                Cell::num(c.p),
                Cell::Empty,
            ]);
        }
        for s in &self.sigma {
            for (name, v) in [("sd(ln y)", s.sd_log), ("cv", s.cv)] {
                t.push(vec![
                    Cell::text(format!("sigma {} {name}", s.period)),
                    Cell::num(v),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Integer(s.regions as i64),
                ]);
            }
        }
        t
    }
    fn note(&self) -> String {
        self.note.clone()
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers a [`ConvergenceRequest`]. Regions without a value at both ends are left out of the
/// regression and named; σ uses every region with a value in each period.
pub fn convergence(sources: &Sources, q: &ConvergenceRequest) -> Result<ConvergenceReport> {
    let (level, lang) = (q.level, q.lang);
    let loaded = sources.load(&q.source, None)?;
    let cat = &loaded.catalog;
    let mut warnings = Vec::new();
    let (panel, den) = per_head(
        sources,
        &loaded,
        level,
        q.per.as_deref(),
        q.vintage,
        &mut warnings,
    )?;
    let (from, to, periods) =
        crate::resolve::window(panel.periods(), q.from, q.to, &loaded.dataset.measure.id)?;
    let regions = regions_at(&panel, cat, level);
    let value = |r: RegionId, p: Period| value_per_head(&panel, den.as_ref(), r, &q.industry, p);
    let both: Vec<RegionId> = regions
        .iter()
        .copied()
        .filter(|r| value(*r, Period(from)).is_some() && value(*r, Period(to)).is_some())
        .collect();
    let y0: Vec<f64> = both
        .iter()
        .map(|r| value(*r, Period(from)).unwrap_or(f64::NAN))
        .collect();
    let y1: Vec<f64> = both
        .iter()
        .map(|r| value(*r, Period(to)).unwrap_or(f64::NAN))
        .collect();
    let groups: Option<Vec<usize>> = match &q.conditional_on {
        Some(g) => {
            let grp = cat
                .group(g)
                .ok_or_else(|| crate::resolve::unknown_group(cat, g, "conditional_on"))?;
            Some(
                both.iter()
                    .map(|r| usize::from(in_group(cat, *r, &grp.members)))
                    .collect(),
            )
        }
        None => None,
    };
    let years = f64::from(to - from);
    let b = beta_convergence(&y0, &y1, years, groups.as_deref())
        .map_err(|e| DataError::argument(format!("β-convergence: {e}")))?;
    let sigma_rows: Vec<SigmaRow> = periods
        .iter()
        .map(|&p| {
            let v: Vec<f64> = regions.iter().filter_map(|r| value(*r, p)).collect();
            let s = sigma(&v);
            SigmaRow {
                period: p.0,
                sd_log: s.sd_log,
                cv: s.cv,
                regions: s.n,
            }
        })
        .collect();
    let left_out: Vec<String> = regions
        .iter()
        .filter(|r| !both.contains(r) && cat.region(**r).valid_in(from))
        .map(|r| region_name(cat, *r, lang))
        .collect();
    let mut diagnostics: Vec<String> = b.diagnostics.iter().map(|d| d.to_string()).collect();
    if !left_out.is_empty() {
        diagnostics.push(format!(
            "[regions-left-out] no value in {} or {}: {}",
            from,
            to,
            left_out.join(", ")
        ));
    }
    let mut terms = vec!["constant".to_string(), "ln_y0".to_string()];
    terms.extend(q.conditional_on.iter().map(|g| format!("in_{g}")));
    let coefficients = terms
        .into_iter()
        .enumerate()
        .map(|(k, term)| {
            let fitted = k < b.fit.k;
            Coefficient {
                term,
                estimate: fitted.then(|| b.fit.coefficients[k]),
                std_error: fitted.then(|| b.fit.std_errors[k]),
                t: fitted.then(|| b.fit.t_values[k]),
                p: fitted.then(|| b.fit.p_values[k]),
            }
        })
        .collect();
    let note = format!(
        "{} {}-{}; growth = α + β ln y0{}. {}",
        loaded.dataset.measure.name_en,
        from,
        to,
        if q.conditional_on.is_some() {
            " + group dummy"
        } else {
            ""
        },
        diagnostics.join(" ")
    );
    Ok(ConvergenceReport {
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        level: level.name(),
        from,
        to,
        conditional_on: q.conditional_on.clone(),
        beta: Beta {
            beta: b.beta,
            std_error: b.beta_se,
            p: b.beta_p,
            speed: b.speed,
            half_life: b.half_life,
            r_squared: b.fit.r_squared,
            n: b.fit.n,
            coefficients,
        },
        sigma: sigma_rows,
        diagnostics,
        attribution: loaded.attribution.clone(),
        warnings,
        note,
    })
}
