//! "Did the treated regions change more than a weighted set of similar regions did?":
//! synthetic difference-in-differences with the synthetic-control and DiD estimates side by
//! side — `regis evaluate sdid` and `GET /api/v1/evaluate/sdid`. A block design: every treated
//! unit from the same period.

use regis_core::{Level, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::evaluation::sdid::{
    bootstrap_standard_errors, jackknife_standard_errors, placebo_standard_errors, synthetic_did,
    BlockPanel,
};
use serde::Serialize;

use crate::matrix::region_name;
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// A synthetic difference-in-differences question.
#[derive(Debug, Clone)]
pub struct SdidRequest {
    /// The outcome: a measure or a file.
    pub source: Source,
    /// Level of the units.
    pub level: Level,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator measure: the outcome per head of it.
    pub per: Option<String>,
    /// The treated units (codes or names), all from the same first treated period.
    pub treated: Vec<(String, i32)>,
    /// Placebo replications for the standard errors (0: none).
    pub replications: usize,
    /// Seed of the placebos.
    pub seed: u64,
    /// Language of names.
    pub lang: Lang,
}

/// Standard errors of the three estimates.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct StdErrors {
    /// Of the SDID estimate.
    pub sdid: f64,
    /// Of the synthetic-control estimate.
    pub sc: f64,
    /// Of the difference-in-differences estimate.
    pub did: f64,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct SdidReport {
    /// `synthetic_did`.
    pub method: &'static str,
    /// The outcome's measure.
    pub measure: serde_json::Value,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator.
    pub per: Option<String>,
    /// First treated period.
    pub treatment_period: i32,
    /// The SDID estimate.
    pub att: f64,
    /// Its placebo standard error.
    pub std_error: Option<f64>,
    /// The synthetic-control estimate of the same panel.
    pub sc_att: f64,
    /// Its placebo standard error.
    pub sc_std_error: Option<f64>,
    /// The difference-in-differences estimate.
    pub did_att: f64,
    /// Its placebo standard error.
    pub did_std_error: Option<f64>,
    /// Jackknife standard errors with the weights held fixed (Algorithm 3 of the paper), when
    /// at least two units are treated.
    pub jackknife_std_errors: Option<StdErrors>,
    /// Bootstrap standard errors (Algorithm 2: units drawn with replacement, the whole
    /// estimator on each sample; the request's replications and seed), when at least two units
    /// are treated.
    pub bootstrap_std_errors: Option<StdErrors>,
    /// SDID unit weights: region, name, weight.
    pub weights: Table,
    /// SDID time weights of the pre-treatment periods: period, weight.
    pub time_weights: Table,
    /// The treated units.
    pub treated: Vec<String>,
    /// Controls compared.
    pub controls: usize,
    /// What the data let the method check, and what not.
    pub assumptions: Vec<String>,
    /// Units left out and why.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    #[serde(skip)]
    warnings: Vec<String>,
}

impl Tabular for SdidReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("estimator"),
            Column::rounded("att", "", 4),
            Column::rounded("std_error", "", 4),
            Column::rounded("jackknife_std_error", "", 4),
            Column::rounded("bootstrap_std_error", "", 4),
        ]);
        let pick = |s: Option<StdErrors>, k: usize| s.map(|s| [s.sdid, s.sc, s.did][k]);
        for (k, (name, att, se)) in [
            ("sdid", self.att, self.std_error),
            ("sc", self.sc_att, self.sc_std_error),
            ("did", self.did_att, self.did_std_error),
        ]
        .into_iter()
        .enumerate()
        {
            t.push(vec![
                Cell::text(name),
                Cell::Number(att),
                Cell::num(se),
                Cell::num(pick(self.jackknife_std_errors, k)),
                Cell::num(pick(self.bootstrap_std_errors, k)),
            ]);
        }
        t
    }
    fn more_tables(&self) -> Vec<Table> {
        vec![self.weights.clone(), self.time_weights.clone()]
    }
    fn note(&self) -> String {
        self.assumptions.join(" ")
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers an [`SdidRequest`].
pub fn sdid_report(sources: &Sources, q: &SdidRequest) -> Result<SdidReport> {
    let o =
        crate::evaluate::Outcome::load(sources, &q.source, q.level, q.per.as_deref(), &q.industry)?;
    let (loaded, cat, warnings) = (&o.loaded, &o.loaded.catalog, o.warnings.clone());
    let start = match q.treated.first() {
        Some((_, y)) if q.treated.iter().all(|t| t.1 == *y) => *y,
        _ => {
            return Err(DataError::argument(
                "give the treated units, all with the same first treated year (a block design; staggered adoption is `evaluate cs`)",
            )
            .into())
        }
    };
    let value = |r: RegionId, p: i32| o.value(r, &q.industry, p);
    let all = &o.units;
    let treated_ids: Vec<RegionId> = q
        .treated
        .iter()
        .map(|(code, _)| o.unit(code, q.level))
        .collect::<Result<_>>()?;
    // The periods with every treated unit's outcome; the units with an outcome in each.
    let periods: Vec<i32> = o
        .panel
        .periods()
        .iter()
        .map(|p| p.0)
        .filter(|p| treated_ids.iter().all(|r| value(*r, *p).is_some()))
        .collect();
    let pre = periods.iter().filter(|p| **p < start).count();
    if pre < 2 || pre == periods.len() {
        return Err(crate::Error::invalid(
            "period-out-of-range",
            format!("treatment in {start}: the treated units need outcomes before and after it"),
        ));
    }
    let (units, left): (Vec<RegionId>, Vec<RegionId>) = all
        .iter()
        .partition(|r| periods.iter().all(|p| value(**r, *p).is_some()));
    for r in &treated_ids {
        if !units.contains(r) {
            return Err(DataError::argument(format!(
                "{} is not a unit of this level",
                cat.region(*r).name_en
            ))
            .into());
        }
    }
    let y: Vec<f64> = units
        .iter()
        .flat_map(|r| periods.iter().map(move |p| (*r, *p)))
        .map(|(r, p)| value(r, p).unwrap_or(f64::NAN))
        .collect();
    let treated: Vec<bool> = units.iter().map(|r| treated_ids.contains(r)).collect();
    let block = BlockPanel {
        y: &y,
        periods: periods.len(),
        treated: &treated,
        pre,
    };
    let r = synthetic_did(&block).map_err(|e| DataError::argument(e.to_string()))?;
    let se = if q.replications >= 2 {
        placebo_standard_errors(&block, q.replications, q.seed).ok()
    } else {
        None
    };
    let jackknife = jackknife_standard_errors(&block)
        .ok()
        .map(|(sdid, sc, did)| StdErrors { sdid, sc, did });
    let bootstrap = if q.replications >= 2 {
        bootstrap_standard_errors(&block, q.replications, q.seed)
            .ok()
            .map(|(sdid, sc, did)| StdErrors { sdid, sc, did })
    } else {
        None
    };
    let lang = q.lang;
    let mut weights = Table::new(vec![
        Column::text("region"),
        Column::text("name"),
        Column::rounded("weight", "share", 3),
    ]);
    let mut order: Vec<usize> = (0..r.controls.len()).collect();
    order.sort_by(|a, b| r.omega[*b].total_cmp(&r.omega[*a]));
    for k in order {
        let u = units[r.controls[k]];
        weights.push(vec![
            Cell::text(&cat.region(u).code),
            Cell::text(region_name(cat, u, lang)),
            Cell::Number(r.omega[k]),
        ]);
    }
    let mut time_weights = Table::new(vec![
        Column::integer("period"),
        Column::rounded("weight", "share", 3),
    ]);
    for (t, w) in r.lambda.iter().enumerate() {
        time_weights.push(vec![Cell::int(periods[t]), Cell::Number(*w)]);
    }
    let mut diagnostics = Vec::new();
    if !left.is_empty() {
        diagnostics.push(format!(
            "[units-left-out] without an outcome in every period: {}",
            left.iter()
                .map(|r| region_name(cat, *r, lang))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(SdidReport {
        method: "synthetic_did",
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        treatment_period: start,
        att: r.sdid,
        std_error: se.map(|s| s.0),
        sc_att: r.sc,
        sc_std_error: se.map(|s| s.1),
        did_att: r.did,
        did_std_error: se.map(|s| s.2),
        jackknife_std_errors: jackknife,
        bootstrap_std_errors: bootstrap,
        weights,
        time_weights,
        treated: treated_ids.iter().map(|r| cat.region(*r).code.clone()).collect(),
        controls: r.controls.len(),
        assumptions: vec![
            format!("SDID {:.4}, SC {:.4}, DiD {:.4}: the weights make the controls' pre-treatment path parallel to the treated units' (unit weights) and the pre-periods like the post-periods (time weights); large differences between the three point to a DiD that parallel trends do not support.", r.sdid, r.sc, r.did),
            "Not checked by the data: no spill-over to the controls and no other shock to the treated units alone.".into(),
        ],
        diagnostics,
        attribution: loaded.attribution.clone(),
        warnings,
    })
}
