//! "What would the treated region have done without the programme?": a synthetic control —
//! `regis evaluate sc` and `GET /api/v1/evaluate/sc`. One treated unit, the others as donors;
//! predictors are the outcome (`outcome`) or a file's columns, as means over periods.

use std::collections::HashMap;

use regis_core::{Level, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::evaluation::synthetic::{
    leave_one_out, synth_unit, synthetic_control, SynthPanel, SynthUnit,
};
use serde::Serialize;

use crate::matrix::region_name;
use crate::source::{open_mapped, Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// A synthetic-control question.
#[derive(Debug, Clone)]
pub struct ScRequest {
    /// The outcome: a measure or a file.
    pub source: Source,
    /// Level of the units.
    pub level: Level,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator measure: the outcome per head of it.
    pub per: Option<String>,
    /// The treated unit (code or name) and its first treated period.
    pub treated: (String, i32),
    /// Predictors `NAME`, `NAME@YEAR` or `NAME@FROM-TO` (means over the periods; default: the
    /// pre-treatment periods); NAME is `outcome` or a column of the `--input` file. Empty: the
    /// outcome's pre-treatment mean and its first, middle and last pre-treatment values.
    pub predictors: Vec<String>,
    /// Periods the V search fits the outcome on (default: every pre-treatment period).
    pub fit: Option<(i32, i32)>,
    /// Run the in-space placebos (each donor treated in turn).
    pub placebos: bool,
    /// Seed of the V search's random starts.
    pub seed: u64,
    /// Language of names.
    pub lang: Lang,
}

/// The synthetic-control report.
#[derive(Debug, Clone, Serialize)]
pub struct ScReport {
    /// `synthetic_control`.
    pub method: &'static str,
    /// The outcome's measure.
    pub measure: serde_json::Value,
    /// Industry of the outcome.
    pub industry: String,
    /// Denominator.
    pub per: Option<String>,
    /// The treated unit's code.
    pub treated: String,
    /// Its name.
    pub treated_name: String,
    /// First treated period.
    pub treatment_period: i32,
    /// Mean gap (actual − synthetic) after treatment.
    pub att: f64,
    /// No analytic standard error exists for a synthetic control: inference is the placebo
    /// p-value.
    pub std_error: Option<f64>,
    /// Fisher exact p-value of the post/pre RMSPE ratio among the placebos.
    pub p_value: Option<f64>,
    /// Pre-treatment root mean squared gap.
    pub pre_rmspe: f64,
    /// Post-treatment root mean squared gap.
    pub post_rmspe: f64,
    /// Donor weights: region, name, weight.
    pub weights: Table,
    /// Predictor balance: predictor, importance v, treated, synthetic, donors' mean.
    pub predictors: Table,
    /// Actual, synthetic and gap by period.
    pub gaps: Table,
    /// The placebos: region, pre and post RMSPE, ratio, mean post gap.
    pub placebos: Table,
    /// Each placebo's gap by period (region, period, gap), for the placebo plot.
    pub placebo_gaps: Table,
    /// The fit without each weighted donor in turn: the donor left out, pre and post RMSPE,
    /// ratio, effect.
    pub leave_one_out: Table,
    /// The same study with a fake treatment halfway through the pre-treatment periods, on
    /// those periods only, with the outcome's own earlier values as predictors: its effect
    /// should be near zero.
    pub in_time_placebo: Option<serde_json::Value>,
    /// The augmented synthetic control (ridge, Ben-Michael, Feller & Rothstein 2021) on the
    /// outcome's pre-treatment values, λ by cross-validation: lambda, att, sc_att (the plain
    /// outcome-only synthetic control), and the weights (which may be negative).
    pub augmented: Option<serde_json::Value>,
    /// The V search: starts, best and worst pre-period MSPE, distinct optima found.
    pub search: serde_json::Value,
    /// What the data let the method check, and what not.
    pub assumptions: Vec<String>,
    /// Units left out and why.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    #[serde(skip)]
    warnings: Vec<String>,
}

impl Tabular for ScReport {
    fn table(&self) -> Table {
        self.weights.clone()
    }
    fn more_tables(&self) -> Vec<Table> {
        vec![
            self.predictors.clone(),
            self.gaps.clone(),
            self.placebos.clone(),
        ]
    }
    fn note(&self) -> String {
        format!(
            "Synthetic control of {}: effect {:.4} (mean post-treatment gap), pre-RMSPE {:.4}, post-RMSPE {:.4}{}. {}",
            self.treated_name,
            self.att,
            self.pre_rmspe,
            self.post_rmspe,
            self.p_value
                .map(|p| format!(", placebo p-value {p:.3}"))
                .unwrap_or_default(),
            self.assumptions.join(" ")
        )
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// A predictor: its name, column (None: the outcome) and the periods averaged.
struct Predictor {
    label: String,
    column: Option<String>,
    periods: Vec<i32>,
}

fn parse_predictor(spec: &str, pre: &[i32]) -> Result<Predictor> {
    let (name, when) = match spec.split_once('@') {
        Some((n, w)) => (n.trim(), Some(w.trim())),
        None => (spec.trim(), None),
    };
    let bad = || {
        DataError::argument(format!(
            "--predictors `{}`: expected NAME, NAME@YEAR or NAME@FROM-TO",
            crate::error::shown(spec)
        ))
    };
    let periods: Vec<i32> = match when {
        None => pre.to_vec(),
        Some(w) => match w.split_once('-') {
            Some((a, b)) => {
                let (a, b): (i32, i32) =
                    (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                (a..=b).collect()
            }
            None => vec![w.parse().map_err(|_| bad())?],
        },
    };
    if name.is_empty() || periods.is_empty() {
        return Err(bad().into());
    }
    Ok(Predictor {
        label: spec.trim().to_string(),
        column: (name != "outcome").then(|| name.to_string()),
        periods,
    })
}

/// Values of a file's columns by (unit code, period).
fn file_columns(q: &ScRequest, columns: &[String]) -> Result<HashMap<(String, String, i32), f64>> {
    let mut out = HashMap::new();
    if columns.is_empty() {
        return Ok(out);
    }
    let path = q.source.input.as_ref().ok_or_else(|| {
        DataError::argument("predictors other than `outcome` are columns of --input FILE")
    })?;
    let m = &q.source.mapping;
    let rows = open_mapped(path, m)?;
    let find = |name: &str| crate::source::named_column(rows.as_ref(), name);
    let need = |f: &Option<String>, what: &str| {
        f.clone()
            .ok_or_else(|| DataError::argument(format!("give {what} with --predictors columns")))
    };
    let rc = find(&need(&m.region_col, "--region-col")?)?;
    let pc = find(&need(&m.period_col, "--period-col")?)?;
    let cols: Vec<(String, usize)> = columns
        .iter()
        .map(|c| Ok((c.clone(), find(c)?)))
        .collect::<std::result::Result<_, DataError>>()?;
    rows.scan(&mut |_, row| {
        let Ok(p) = row.cells[pc].trim().parse::<f64>() else {
            return Ok(true);
        };
        for (name, c) in &cols {
            let cell = row.cells[*c].trim();
            if let Some(v) = regis_data::table::parse_number(cell) {
                out.insert(
                    (row.cells[rc].trim().to_string(), name.clone(), p as i32),
                    v,
                );
            }
        }
        Ok(true)
    })?;
    Ok(out)
}

fn unit_table(
    cat: &regis_core::RegionCatalog,
    units: &[RegionId],
    runs: &[SynthUnit],
    lang: Lang,
) -> Table {
    let mut t = Table::new(vec![
        Column::text("region"),
        Column::text("name"),
        Column::rounded("pre_rmspe", "", 4),
        Column::rounded("post_rmspe", "", 4),
        Column::rounded("ratio", "", 3),
        Column::rounded("att", "", 4),
    ]);
    for s in runs {
        let r = units[s.unit];
        t.push(vec![
            Cell::text(&cat.region(r).code),
            Cell::text(region_name(cat, r, lang)),
            Cell::Number(s.pre_rmspe),
            Cell::Number(s.post_rmspe),
            Cell::Number(s.post_rmspe / s.pre_rmspe.max(1e-300)),
            Cell::Number(s.att),
        ]);
    }
    t
}

/// Answers an [`ScRequest`].
pub fn synthetic_control_report(sources: &Sources, q: &ScRequest) -> Result<ScReport> {
    let o =
        crate::evaluate::Outcome::load(sources, &q.source, q.level, q.per.as_deref(), &q.industry)?;
    let (loaded, cat, warnings) = (&o.loaded, &o.loaded.catalog, o.warnings.clone());
    let value = |r: RegionId, p: i32| o.value(r, &q.industry, p);
    let (code, start) = (&q.treated.0, q.treated.1);
    let all = &o.units;
    let treated_id = o.unit(code, q.level)?;
    // The study's periods are those with the treated unit's outcome (Ulsan's GRDP starts in
    // 1997); donors need an outcome in each of them.
    let periods: Vec<i32> = o
        .panel
        .periods()
        .iter()
        .map(|p| p.0)
        .filter(|p| value(treated_id, *p).is_some_and(f64::is_finite))
        .collect();
    let pre: Vec<i32> = periods.iter().copied().filter(|p| *p < start).collect();
    let post: Vec<i32> = periods.iter().copied().filter(|p| *p >= start).collect();
    if pre.len() < 2 || post.is_empty() {
        return Err(crate::Error::invalid(
            "period-out-of-range",
            format!(
                "treatment in {start}: {} needs outcomes before and after it",
                region_name(cat, treated_id, q.lang)
            ),
        ));
    }
    let (units, left): (Vec<RegionId>, Vec<RegionId>) = all.iter().partition(|r| {
        periods
            .iter()
            .all(|p| value(**r, *p).is_some_and(f64::is_finite))
    });
    let treated = units.iter().position(|r| *r == treated_id).ok_or_else(|| {
        DataError::argument(format!(
            "{} is not a unit of this level",
            cat.region(treated_id).name_en
        ))
    })?;
    let specs: Vec<String> = if q.predictors.is_empty() {
        let mid = pre[pre.len() / 2];
        vec![
            "outcome".into(),
            format!("outcome@{}", pre[0]),
            format!("outcome@{mid}"),
            format!("outcome@{}", pre[pre.len() - 1]),
        ]
    } else {
        q.predictors.clone()
    };
    let preds: Vec<Predictor> = specs
        .iter()
        .map(|s| parse_predictor(s, &pre))
        .collect::<Result<_>>()?;
    let mut columns: Vec<String> = preds.iter().filter_map(|p| p.column.clone()).collect();
    columns.sort();
    columns.dedup();
    let file = file_columns(q, &columns)?;
    let n = units.len();
    let mut x = Vec::with_capacity(preds.len() * n);
    for p in &preds {
        for &r in &units {
            let vals: Vec<f64> = p
                .periods
                .iter()
                .filter_map(|t| match &p.column {
                    None => value(r, *t),
                    Some(c) => file
                        .get(&(cat.region(r).code.clone(), c.clone(), *t))
                        .copied(),
                })
                .collect();
            if vals.is_empty() {
                return Err(DataError::argument(format!(
                    "predictor `{}` has no value for {} in its periods",
                    crate::error::shown(&p.label),
                    cat.region(r).code
                ))
                .into());
            }
            x.push(vals.iter().sum::<f64>() / vals.len() as f64);
        }
    }
    let y: Vec<f64> = periods
        .iter()
        .flat_map(|p| units.iter().map(move |r| (*r, *p)))
        .map(|(r, p)| value(r, p).unwrap_or(f64::NAN))
        .collect();
    let index = |p: i32| periods.iter().position(|x| *x == p);
    let fit: Vec<usize> = match q.fit {
        Some((a, b)) => pre
            .iter()
            .filter(|p| **p >= a && **p <= b)
            .filter_map(|p| index(*p))
            .collect(),
        None => pre.iter().filter_map(|p| index(*p)).collect(),
    };
    let pre_i: Vec<usize> = pre.iter().filter_map(|p| index(*p)).collect();
    let post_i: Vec<usize> = post.iter().filter_map(|p| index(*p)).collect();
    let study = synthetic_control(
        &SynthPanel {
            predictors: &x,
            outcome: &y,
            units: n,
            fit: &fit,
            pre: &pre_i,
            post: &post_i,
        },
        treated,
        q.placebos,
        4,
        q.seed,
    )
    .map_err(|e| DataError::argument(e.to_string()))?;
    let s = &study.treated;
    let lang = q.lang;
    let donors: Vec<usize> = (0..n).filter(|u| *u != treated).collect();
    let augmented = regis_methods::evaluation::augmented::ridge_augmented(
        &y, n, treated, &donors, &pre_i, &post_i, None,
    )
    .ok()
    .map(|a| {
        serde_json::json!({
            "lambda": a.lambda,
            "att": a.att,
            "sc_att": a.sc_att,
            "weights": donors.iter().zip(&a.weights).map(|(u, w)| serde_json::json!({"region": cat.region(units[*u]).code, "weight": w})).collect::<Vec<_>>(),
        })
    });
    let sp = SynthPanel {
        predictors: &x,
        outcome: &y,
        units: n,
        fit: &fit,
        pre: &pre_i,
        post: &post_i,
    };
    let (loo, in_time) = if q.placebos {
        let loo =
            leave_one_out(&sp, s, 4, q.seed).map_err(|e| DataError::argument(e.to_string()))?;
        // A fake start halfway through the pre-periods, fitted on the periods before it.
        let half = pre_i.len() / 2;
        // Its predictors are the outcome's own values before the fake start (the study's may
        // reach past it): the mean, the first, the middle and the last.
        let in_time = (half >= 2).then(|| {
            let (before, after) = pre_i.split_at(half);
            let picks = [before[0], before[before.len() / 2], before[before.len() - 1]];
            let mut xin: Vec<f64> = (0..n)
                .map(|u| before.iter().map(|&t| y[t * n + u]).sum::<f64>() / before.len() as f64)
                .collect();
            for t in picks {
                xin.extend((0..n).map(|u| y[t * n + u]));
            }
            let placebo = SynthPanel { predictors: &xin, fit: before, pre: before, post: after, ..sp };
            synth_unit(&placebo, treated, &s.donors, 4, q.seed).ok().map(|u| {
                serde_json::json!({"period": pre[half], "att": u.att, "pre_rmspe": u.pre_rmspe, "post_rmspe": u.post_rmspe})
            })
        }).flatten();
        (loo, in_time)
    } else {
        (Vec::new(), None)
    };
    let loo_runs: Vec<SynthUnit> = loo.iter().map(|(_, u)| u.clone()).collect();
    let mut loo_table = unit_table(cat, &units, &loo_runs, lang);
    // The region column names the donor left out, not the unit fitted.
    for (row, (d, _)) in loo_table.rows.iter_mut().zip(&loo) {
        row[0] = Cell::text(&cat.region(units[*d]).code);
        row[1] = Cell::text(region_name(cat, units[*d], lang));
    }
    let mut weights = Table::new(vec![
        Column::text("region"),
        Column::text("name"),
        Column::rounded("weight", "share", 3),
    ]);
    let mut order: Vec<usize> = (0..s.donors.len()).collect();
    order.sort_by(|a, b| s.fit.w[*b].total_cmp(&s.fit.w[*a]));
    for k in order {
        let r = units[s.donors[k]];
        weights.push(vec![
            Cell::text(&cat.region(r).code),
            Cell::text(region_name(cat, r, lang)),
            Cell::Number(s.fit.w[k]),
        ]);
    }
    let mut balance = Table::new(vec![
        Column::text("predictor"),
        Column::rounded("v", "share", 4),
        Column::rounded("treated", "", 4),
        Column::rounded("synthetic", "", 4),
        Column::rounded("donor_mean", "", 4),
    ]);
    for (p, pr) in preds.iter().enumerate() {
        let row = &x[p * n..(p + 1) * n];
        let synthetic: f64 = s
            .donors
            .iter()
            .zip(&s.fit.w)
            .map(|(&u, w)| w * row[u])
            .sum();
        let mean = s.donors.iter().map(|&u| row[u]).sum::<f64>() / s.donors.len() as f64;
        balance.push(vec![
            Cell::text(&pr.label),
            Cell::Number(s.fit.v[p]),
            Cell::Number(row[treated]),
            Cell::Number(synthetic),
            Cell::Number(mean),
        ]);
    }
    let unit = loaded.dataset.measure.unit.clone();
    let mut gaps = Table::new(vec![
        Column::integer("period"),
        Column::rounded("actual", &unit, 4),
        Column::rounded("synthetic", &unit, 4),
        Column::rounded("gap", &unit, 4),
    ]);
    for (t, p) in periods.iter().enumerate() {
        gaps.push(vec![
            Cell::int(*p),
            Cell::Number(y[t * n + treated]),
            Cell::Number(y[t * n + treated] - s.gaps[t]),
            Cell::Number(s.gaps[t]),
        ]);
    }
    let mut placebo_gaps = Table::new(vec![
        Column::text("region"),
        Column::integer("period"),
        Column::rounded("gap", &unit, 4),
    ]);
    for run in &study.placebos {
        for (t, p) in periods.iter().enumerate() {
            placebo_gaps.push(vec![
                Cell::text(&cat.region(units[run.unit]).code),
                Cell::int(*p),
                Cell::Number(run.gaps[t]),
            ]);
        }
    }
    let losses: Vec<f64> = s.starts.iter().map(|f| f.loss_v).collect();
    // The distinct optima (weights apart by 0.01 or more), best first, with how many starts
    // reached each: the search is not convex, and a local optimum others report is often here.
    let mut optima: Vec<(&regis_methods::evaluation::synthetic::SynthFit, usize)> = Vec::new();
    let mut fits: Vec<&regis_methods::evaluation::synthetic::SynthFit> = s.starts.iter().collect();
    fits.sort_by(|a, b| a.loss_v.total_cmp(&b.loss_v));
    for f in fits {
        match optima
            .iter_mut()
            .find(|(o, _)| o.w.iter().zip(&f.w).all(|(a, b)| (a - b).abs() < 0.01))
        {
            Some(o) => o.1 += 1,
            None => optima.push((f, 1)),
        }
    }
    let search = serde_json::json!({
        "starts": s.starts.len(),
        "best_mspe": s.fit.loss_v,
        "worst_mspe": losses.iter().cloned().fold(f64::MIN, f64::max),
        "distinct_optima": optima.len(),
        "optima": optima.iter().map(|(f, reached)| serde_json::json!({
            "mspe": f.loss_v,
            "starts": reached,
            "weights": donors.iter().zip(&f.w).filter(|(_, w)| **w > 0.001).map(|(u, w)| serde_json::json!({"region": cat.region(units[*u]).code, "weight": w})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut assumptions = vec![format!(
        "Pre-treatment fit: RMSPE {:.4} (the synthetic control must track the treated unit before treatment); the V search found {} distinct optima from {} starts.",
        s.pre_rmspe,
        optima.len(),
        s.starts.len()
    )];
    assumptions.push("Not checked by the data: no spill-over to the donors and no other shock to the treated unit alone after treatment.".into());
    let diagnostics: Vec<String> = if left.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "[units-left-out] without an outcome in every period: {}",
            left.iter()
                .map(|r| region_name(cat, *r, lang))
                .collect::<Vec<_>>()
                .join(", ")
        )]
    };
    Ok(ScReport {
        method: "synthetic_control",
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        treated: cat.region(treated_id).code.clone(),
        treated_name: region_name(cat, treated_id, lang),
        treatment_period: start,
        att: s.att,
        std_error: None,
        p_value: study.p_value,
        pre_rmspe: s.pre_rmspe,
        post_rmspe: s.post_rmspe,
        weights,
        predictors: balance,
        gaps,
        placebos: unit_table(cat, &units, &study.placebos, lang),
        placebo_gaps,
        leave_one_out: loo_table,
        in_time_placebo: in_time,
        augmented,
        search,
        assumptions,
        diagnostics,
        attribution: loaded.attribution.clone(),
        warnings,
    })
}
