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

/// One 2×2 comparison of the Goodman-Bacon decomposition.
#[derive(Debug, Clone, PartialEq)]
pub struct BaconTerm {
    /// `treated vs never`, `earlier vs later` (the later group not yet treated) or `later vs
    /// earlier` (the earlier group, already treated, as the control: the "forbidden" comparison).
    pub kind: &'static str,
    /// The group treated in this comparison (its first treated period).
    pub treated: i32,
    /// The control group (`None`: the never treated).
    pub control: Option<i32>,
    /// The 2×2 difference-in-differences.
    pub estimate: f64,
    /// Its weight in the TWFE estimate (the weights sum to 1).
    pub weight: f64,
}

/// The Goodman-Bacon decomposition of the static TWFE estimate on a balanced panel without
/// covariates: every 2×2 comparison of timing groups (and the never treated) with its weight;
/// `Σ weight · estimate` is the TWFE estimate exactly (Theorem 1).
///
/// Reference: Goodman-Bacon, A. (2021) "Difference-in-differences with variation in treatment
/// timing", *Journal of Econometrics* 225(2), 254-277, doi:10.1016/j.jeconom.2021.03.014.
/// Units treated from the first period are left out. Complexity: O(G² N T).
///
/// ```
/// use regis_methods::evaluation::did::{goodman_bacon, twfe, DidPanel};
/// let y = [1.0, 2.0, 3.0, 4.0,  2.0, 2.5, 5.0, 6.0,  0.0, 1.0, 2.0, 9.0];
/// let p = DidPanel { outcome: &y, periods: &[1, 2, 3, 4], first_treated: &[None, Some(3), Some(4)] };
/// let terms = goodman_bacon(&p).unwrap();
/// let sum: f64 = terms.iter().map(|t| t.weight * t.estimate).sum();
/// assert!((sum - twfe(&p).unwrap().coefficients[0].estimate).abs() < 1e-12);
/// ```
pub fn goodman_bacon(p: &DidPanel) -> Result<Vec<BaconTerm>, EvaluationError> {
    let t = p.periods.len();
    let first = p.periods[0];
    let last = p.periods[t - 1];
    let keep: Vec<usize> = (0..p.first_treated.len())
        .filter(|&u| p.outcome[u * t..(u + 1) * t].iter().all(|v| v.is_finite()))
        .filter(|&u| p.first_treated[u].is_none_or(|g| g > first))
        .collect();
    let n = keep.len() as f64;
    let group_of = |u: usize| p.first_treated[u].filter(|g| *g <= last);
    let mut groups: Vec<i32> = keep.iter().filter_map(|&u| group_of(u)).collect();
    groups.sort_unstable();
    groups.dedup();
    let members = |g: Option<i32>| -> Vec<usize> {
        keep.iter().copied().filter(|&u| group_of(u) == g).collect()
    };
    let mean = |units: &[usize], from: i32, to: i32| -> f64 {
        let cells: Vec<f64> = units
            .iter()
            .flat_map(|&u| {
                p.periods
                    .iter()
                    .enumerate()
                    .filter(move |(_, &s)| s >= from && s < to)
                    .map(move |(i, _)| p.outcome[u * t + i])
            })
            .collect();
        cells.iter().sum::<f64>() / cells.len().max(1) as f64
    };
    let share = |g: Option<i32>| members(g).len() as f64 / n;
    let treated_share = |g: i32| p.periods.iter().filter(|s| **s >= g).count() as f64 / t as f64;
    // The variance of the two-way demeaned treatment dummy.
    let d: Vec<f64> = keep
        .iter()
        .flat_map(|&u| {
            p.periods
                .iter()
                .map(move |s| f64::from(u8::from(group_of(u).is_some_and(|g| *s >= g))))
        })
        .collect();
    let nk = keep.len();
    let unit_mean: Vec<f64> = (0..nk)
        .map(|i| d[i * t..(i + 1) * t].iter().sum::<f64>() / t as f64)
        .collect();
    let time_mean: Vec<f64> = (0..t)
        .map(|s| (0..nk).map(|i| d[i * t + s]).sum::<f64>() / n)
        .collect();
    let grand = unit_mean.iter().sum::<f64>() / n;
    let vd: f64 = (0..nk)
        .flat_map(|i| (0..t).map(move |s| (i, s)))
        .map(|(i, s)| (d[i * t + s] - unit_mean[i] - time_mean[s] + grand).powi(2))
        .sum::<f64>()
        / (n * t as f64);
    if vd <= 0.0 || groups.is_empty() {
        return Err(EvaluationError::NothingToCompare(
            "no variation in treatment timing".into(),
        ));
    }
    let end = last + 1;
    let mut out = Vec::new();
    let never = members(None);
    let nu = share(None);
    for &k in &groups {
        let uk = members(Some(k));
        let (nk_, dk) = (share(Some(k)), treated_share(k));
        if !never.is_empty() {
            let estimate = (mean(&uk, k, end) - mean(&uk, first, k))
                - (mean(&never, k, end) - mean(&never, first, k));
            let nku = nk_ / (nk_ + nu);
            let weight = (nk_ + nu).powi(2) * nku * (1.0 - nku) * dk * (1.0 - dk) / vd;
            out.push(BaconTerm {
                kind: "treated vs never",
                treated: k,
                control: None,
                estimate,
                weight,
            });
        }
        for &l in groups.iter().filter(|l| **l > k) {
            let ul = members(Some(l));
            let (nl, dl) = (share(Some(l)), treated_share(l));
            let nkl = nk_ / (nk_ + nl);
            let early =
                (mean(&uk, k, l) - mean(&uk, first, k)) - (mean(&ul, k, l) - mean(&ul, first, k));
            let w_early = ((nk_ + nl) * (1.0 - dl)).powi(2)
                * nkl
                * (1.0 - nkl)
                * ((dk - dl) / (1.0 - dl))
                * ((1.0 - dk) / (1.0 - dl))
                / vd;
            out.push(BaconTerm {
                kind: "earlier vs later",
                treated: k,
                control: Some(l),
                estimate: early,
                weight: w_early,
            });
            let late =
                (mean(&ul, l, end) - mean(&ul, k, l)) - (mean(&uk, l, end) - mean(&uk, k, l));
            let w_late =
                ((nk_ + nl) * dk).powi(2) * nkl * (1.0 - nkl) * (dl / dk) * ((dk - dl) / dk) / vd;
            out.push(BaconTerm {
                kind: "later vs earlier",
                treated: l,
                control: Some(k),
                estimate: late,
                weight: w_late,
            });
        }
    }
    Ok(out)
}
