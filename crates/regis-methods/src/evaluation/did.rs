//! Difference-in-differences by two-way fixed effects: the static TWFE estimate of a treatment
//! that switches on at each unit's first treated period, and the event study (leads and lags
//! relative to the period before treatment) with a joint Wald test of the leads (pre-trends).
//!
//! `y_it = α_i + γ_t + Σ_k β_k x_kit + ε_it` on a balanced panel, estimated on the two-way
//! demeaned variables (Frisch-Waugh-Lovell); standard errors cluster-robust by unit (CR1):
//! `V = c (X̃'X̃)⁻¹ Σ_i (X̃_i'û_i)(X̃_i'û_i)' (X̃'X̃)⁻¹`, `c = G/(G−1) · (NT−1)/(NT−K)` with `K`
//! counting the fixed effects (`N + T − 1`) and the `x`s, as a regression with unit and period
//! dummies reports it. Under staggered adoption the static TWFE estimate weights some cells
//! negatively (Goodman-Bacon 2021); `staggered` gives the Callaway & Sant'Anna estimates.
//!
//! References: Angrist, J.D. and Pischke, J.-S. (2009) *Mostly Harmless Econometrics*,
//! Princeton University Press, ch. 5; clustering: Cameron, A.C. and Miller, D.L. (2015) "A
//! Practitioner's Guide to Cluster-Robust Inference", *Journal of Human Resources* 50(2),
//! 317-372, doi:10.3368/jhr.50.2.317. Assumptions: parallel trends (the leads near zero, tested
//! jointly), homogeneous effects for the static estimate. Units: the outcome's. Complexity:
//! O(N T K² + K³).

use super::EvaluationError;
use crate::distributions::chi_square_sf;
use crate::regression::{cholesky, cholesky_solve, student_t_two_sided};

/// A balanced panel with each unit's first treated period.
#[derive(Debug, Clone, Copy)]
pub struct DidPanel<'a> {
    /// Outcomes `outcome[u * periods.len() + t]` (a unit with a missing one is left out).
    pub outcome: &'a [f64],
    /// The periods, increasing.
    pub periods: &'a [i32],
    /// First treated period of each unit (`None`: never).
    pub first_treated: &'a [Option<i32>],
}

/// One coefficient.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    /// The estimate.
    pub estimate: f64,
    /// Cluster-robust standard error.
    pub std_error: f64,
    /// Two-sided p-value (Student t with G − 1 degrees of freedom).
    pub p_value: f64,
}

/// A TWFE regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Twfe {
    /// The coefficients of the regressors, in their order.
    pub coefficients: Vec<Coefficient>,
    /// Their cluster-robust covariance, row-major.
    pub covariance: Vec<f64>,
    /// Units (clusters) used.
    pub units: usize,
    /// Units left out (a missing outcome).
    pub dropped: usize,
}

/// The event study.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStudy {
    /// (event time, coefficient), event time −1 the reference (left out).
    pub coefficients: Vec<(i32, Coefficient)>,
    /// Wald statistic of the leads (event times ≤ −2) jointly zero.
    pub pre_trend_wald: Option<f64>,
    /// Its degrees of freedom.
    pub pre_trend_df: usize,
    /// Its p-value (χ²).
    pub pre_trend_p: Option<f64>,
    /// Units used.
    pub units: usize,
}

/// Two-way fixed effects of `columns` (each N×T, unit-major) on the panel's outcome.
fn twfe_columns(p: &DidPanel, columns: &[Vec<f64>]) -> Result<Twfe, EvaluationError> {
    let t = p.periods.len();
    let n_all = p.first_treated.len();
    if t < 2 || p.outcome.len() != n_all * t {
        return Err(EvaluationError::Shape(format!(
            "{} outcomes for {n_all} units x {t} periods",
            p.outcome.len()
        )));
    }
    let keep: Vec<usize> = (0..n_all)
        .filter(|&u| p.outcome[u * t..(u + 1) * t].iter().all(|v| v.is_finite()))
        .collect();
    let (n, k) = (keep.len(), columns.len());
    if n < 3 || k == 0 {
        return Err(EvaluationError::NothingToCompare(format!(
            "{n} complete units"
        )));
    }
    let demean = |v: &dyn Fn(usize, usize) -> f64| -> Vec<f64> {
        let unit: Vec<f64> = (0..n)
            .map(|i| (0..t).map(|s| v(i, s)).sum::<f64>() / t as f64)
            .collect();
        let time: Vec<f64> = (0..t)
            .map(|s| (0..n).map(|i| v(i, s)).sum::<f64>() / n as f64)
            .collect();
        let all = unit.iter().sum::<f64>() / n as f64;
        (0..n)
            .flat_map(|i| (0..t).map(move |s| (i, s)))
            .map(|(i, s)| v(i, s) - unit[i] - time[s] + all)
            .collect()
    };
    let y = demean(&|i, s| p.outcome[keep[i] * t + s]);
    let x: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| demean(&|i, s| c[keep[i] * t + s]))
        .collect();
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for a in 0..k {
        xty[a] = x[a].iter().zip(&y).map(|(p, q)| p * q).sum();
        for b in 0..k {
            xtx[a * k + b] = x[a].iter().zip(&x[b]).map(|(p, q)| p * q).sum();
        }
    }
    let l = cholesky(&xtx, k).ok_or_else(|| {
        EvaluationError::NothingToCompare(
            "the treatment terms are collinear with the fixed effects".into(),
        )
    })?;
    let beta = cholesky_solve(&l, k, &xty);
    let resid: Vec<f64> = (0..n * t)
        .map(|r| y[r] - (0..k).map(|a| x[a][r] * beta[a]).sum::<f64>())
        .collect();
    let mut meat = vec![0.0; k * k];
    for i in 0..n {
        let s: Vec<f64> = (0..k)
            .map(|a| (i * t..(i + 1) * t).map(|r| x[a][r] * resid[r]).sum())
            .collect();
        for a in 0..k {
            for b in 0..k {
                meat[a * k + b] += s[a] * s[b];
            }
        }
    }
    // (X'X)⁻¹ column by column.
    let inv: Vec<f64> = {
        let mut m = vec![0.0; k * k];
        for c in 0..k {
            let mut e = vec![0.0; k];
            e[c] = 1.0;
            let col = cholesky_solve(&l, k, &e);
            for r in 0..k {
                m[r * k + c] = col[r];
            }
        }
        m
    };
    let obs = (n * t) as f64;
    let params = (k + n + t - 1) as f64;
    let c = n as f64 / (n as f64 - 1.0) * (obs - 1.0) / (obs - params);
    let mut cov = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            let mut s = 0.0;
            for p1 in 0..k {
                for p2 in 0..k {
                    s += inv[a * k + p1] * meat[p1 * k + p2] * inv[p2 * k + b];
                }
            }
            cov[a * k + b] = c * s;
        }
    }
    let coefficients = (0..k)
        .map(|a| {
            let se = cov[a * k + a].max(0.0).sqrt();
            Coefficient {
                estimate: beta[a],
                std_error: se,
                p_value: student_t_two_sided(beta[a] / se, n as f64 - 1.0),
            }
        })
        .collect();
    Ok(Twfe {
        coefficients,
        covariance: cov,
        units: n,
        dropped: n_all - n,
    })
}

/// The static TWFE estimate of `D_it = 1{t ≥ g_i}`.
///
/// ```
/// use regis_methods::evaluation::did::{twfe, DidPanel};
/// // Two controls, two treated from period 2 gaining 3 (with unit and period effects).
/// let y = [1.0, 2.0, 3.0,  5.0, 6.0, 7.0,  2.0, 6.0, 7.0,  0.0, 4.0, 5.0];
/// let r = twfe(&DidPanel { outcome: &y, periods: &[1, 2, 3], first_treated: &[None, None, Some(2), Some(2)] }).unwrap();
/// assert!((r.coefficients[0].estimate - 3.0).abs() < 1e-12);
/// ```
pub fn twfe(p: &DidPanel) -> Result<Twfe, EvaluationError> {
    let d: Vec<f64> = p
        .first_treated
        .iter()
        .flat_map(|g| {
            p.periods
                .iter()
                .map(move |t| f64::from(u8::from(g.is_some_and(|g| *t >= g))))
        })
        .collect();
    twfe_columns(p, &[d])
}

/// The event study: one dummy per event time `t − g` of the treated units (−1 left out as
/// the reference), never-treated units all zero; and the joint Wald test of the leads.
pub fn event_study(p: &DidPanel) -> Result<EventStudy, EvaluationError> {
    let mut events: Vec<i32> = p
        .first_treated
        .iter()
        .flatten()
        .flat_map(|g| p.periods.iter().map(move |t| t - g))
        .filter(|e| *e != -1)
        .collect();
    events.sort_unstable();
    events.dedup();
    let columns: Vec<Vec<f64>> = events
        .iter()
        .map(|e| {
            p.first_treated
                .iter()
                .flat_map(|g| {
                    p.periods
                        .iter()
                        .map(move |t| f64::from(u8::from(g.is_some_and(|g| t - g == *e))))
                })
                .collect()
        })
        .collect();
    let r = twfe_columns(p, &columns)?;
    let k = events.len();
    let leads: Vec<usize> = (0..k).filter(|&i| events[i] <= -2).collect();
    let (wald, p_value) = if leads.is_empty() {
        (None, None)
    } else {
        let l = leads.len();
        let sub: Vec<f64> = leads
            .iter()
            .flat_map(|&a| leads.iter().map(move |&b| (a, b)))
            .map(|(a, b)| r.covariance[a * k + b])
            .collect();
        let b: Vec<f64> = leads.iter().map(|&a| r.coefficients[a].estimate).collect();
        match cholesky(&sub, l) {
            Some(ch) => {
                let z = cholesky_solve(&ch, l, &b);
                let w: f64 = b.iter().zip(&z).map(|(x, y)| x * y).sum();
                (Some(w), Some(chi_square_sf(w, l)))
            }
            None => (None, None),
        }
    };
    Ok(EventStudy {
        coefficients: events.into_iter().zip(r.coefficients).collect(),
        pre_trend_wald: wald,
        pre_trend_df: leads.len(),
        pre_trend_p: p_value,
        units: r.units,
    })
}
