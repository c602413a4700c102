//! "Did the programme work?" by two-way fixed effects: `regis evaluate did` and
//! `GET /api/v1/evaluate/did` — the static TWFE estimate clustered by unit, the event study with
//! the joint test of its leads, and the Goodman-Bacon decomposition, on the same panel and
//! treatment as `evaluate cs`.

use regis_data::export::measure_json;
use regis_data::DataError;
use serde::Serialize;

use crate::evaluate::{evaluation_panel, CsRequest, EvaluationPanel};
use crate::source::Sources;
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;

/// The static TWFE difference-in-differences and the event study.
#[derive(Debug, Clone, Serialize)]
pub struct DidReport {
    /// `twfe`.
    pub method: &'static str,
    /// The outcome's measure.
    pub measure: serde_json::Value,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator.
    pub per: Option<String>,
    /// The static TWFE estimate of the treatment.
    pub att: f64,
    /// Its standard error, clustered by unit (CR1).
    pub std_error: f64,
    /// Its two-sided p-value.
    pub p_value: f64,
    /// Event-study coefficients: event time, estimate, std_error, p_value (−1 the reference).
    pub event_study: Table,
    /// Wald test of the leads jointly zero (pre-trends): statistic, df, p-value.
    pub pre_trend: serde_json::Value,
    /// The Goodman-Bacon decomposition of `att`: kind, treated, control, estimate, weight.
    pub bacon: Table,
    /// Units used.
    pub units: usize,
    /// What the data let the method check, and what not.
    pub assumptions: Vec<String>,
    /// Units left out.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    #[serde(skip)]
    warnings: Vec<String>,
}

impl Tabular for DidReport {
    fn table(&self) -> Table {
        self.event_study.clone()
    }
    fn more_tables(&self) -> Vec<Table> {
        vec![self.bacon.clone()]
    }
    fn note(&self) -> String {
        format!(
            "TWFE ATT {:.4} (clustered s.e. {:.4}, p {:.3}). {}",
            self.att,
            self.std_error,
            self.p_value,
            self.assumptions.join(" ")
        )
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers a [`CsRequest`] by two-way fixed effects: the static estimate and the event study.
pub fn did_report(sources: &Sources, q: &CsRequest) -> Result<DidReport> {
    use regis_methods::evaluation::did::{event_study, goodman_bacon, twfe, DidPanel};
    if !q.covariates.is_empty() {
        return Err(DataError::argument(
            "--covariates: the two-way fixed-effects regression takes none; use `evaluate cs --covariates` for the covariate-adjusted ATT(g,t)",
        )
        .into());
    }
    let EvaluationPanel {
        loaded,
        periods,
        outcome,
        first,
        warnings,
        ..
    } = evaluation_panel(sources, q)?;
    let panel = DidPanel {
        outcome: &outcome,
        periods: &periods,
        first_treated: &first,
    };
    let bad = |e: regis_methods::evaluation::EvaluationError| DataError::argument(e.to_string());
    let s = twfe(&panel).map_err(bad)?;
    let es = event_study(&panel).map_err(bad)?;
    let mut table = Table::new(vec![
        Column::integer("event"),
        Column::rounded("estimate", &loaded.dataset.measure.unit, 4),
        Column::rounded("std_error", &loaded.dataset.measure.unit, 4),
        Column::rounded("p_value", "", 3),
    ]);
    for (e, c) in &es.coefficients {
        table.push(vec![
            Cell::int(*e),
            Cell::Number(c.estimate),
            Cell::Number(c.std_error),
            Cell::Number(c.p_value),
        ]);
    }
    let mut bacon = Table::new(vec![
        Column::text("kind"),
        Column::integer("treated"),
        Column::integer("control"),
        Column::rounded("estimate", &loaded.dataset.measure.unit, 4),
        Column::rounded("weight", "share", 4),
    ]);
    for b in goodman_bacon(&panel).unwrap_or_default() {
        bacon.push(vec![
            Cell::text(b.kind),
            Cell::int(b.treated),
            b.control.map(Cell::int).unwrap_or(Cell::Empty),
            Cell::Number(b.estimate),
            Cell::Number(b.weight),
        ]);
    }
    let cohorts: std::collections::BTreeSet<i32> = first.iter().flatten().copied().collect();
    let mut assumptions = vec![match (es.pre_trend_wald, es.pre_trend_p) {
        (Some(w), Some(p)) => format!(
            "Parallel trends: the {} leads are jointly {} zero (Wald {w:.3}, p {p:.3}).",
            es.pre_trend_df,
            if p < 0.05 { "not" } else { "compatible with" }
        ),
        _ => "Parallel trends: no lead to test (no period before treatment but the reference)."
            .into(),
    }];
    if cohorts.len() > 1 {
        assumptions.push("Staggered adoption: the static TWFE estimate mixes 2x2 comparisons, some using already-treated units as controls (the `later vs earlier` rows of the Goodman-Bacon decomposition); with effects that change over time those bias it, so prefer `evaluate cs`.".into());
    }
    let s0 = &s.coefficients[0];
    Ok(DidReport {
        method: "twfe",
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        att: s0.estimate,
        std_error: s0.std_error,
        p_value: s0.p_value,
        event_study: table,
        pre_trend: serde_json::json!({"wald": es.pre_trend_wald, "df": es.pre_trend_df, "p_value": es.pre_trend_p}),
        bacon,
        units: s.units,
        assumptions,
        diagnostics: if s.dropped > 0 {
            vec![format!(
                "[unbalanced] {} unit(s) without an outcome in every period were left out",
                s.dropped
            )]
        } else {
            Vec::new()
        },
        attribution: loaded.attribution.clone(),
        warnings,
    })
}
