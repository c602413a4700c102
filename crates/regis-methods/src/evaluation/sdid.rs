//! Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021)
//! for a block of units treated from the same period, with the synthetic-control and
//! difference-in-differences estimates of the same panel side by side.
//!
//! With `N₀` controls and `N₁` treated units over `T₀` pre- and `T₁` post-treatment periods:
//! unit weights `ω` (simplex, with an intercept) make the controls' pre-period path parallel to
//! the treated mean, regularised by `ζ_ω² T₀ ‖ω‖²` with `ζ_ω = (N₁T₁)^¼ σ̂` (`σ̂` the standard
//! deviation of the controls' first differences before treatment); time weights `λ` (simplex,
//! with an intercept) make the pre-periods predict the controls' post-period mean, with a
//! negligible ridge `ζ_λ = 10⁻⁶ σ̂`. Then
//!
//! `τ̂ = (Ȳ_tr,post − Σ_t λ_t Ȳ_tr,t) − Σ_j ω_j (Ȳ_j,post − Σ_t λ_t Y_jt)`.
//!
//! The synthetic control is the same with `λ = 0` and `ω` without intercept (ridge
//! `10⁻⁶ σ̂`); difference-in-differences uses uniform `ω` and `λ`. Each weight vector is the
//! exact minimiser of its quadratic programme on the simplex (the reference implementation
//! approaches it by Frank-Wolfe steps with a sparsifying restart; the unregularised problems
//! may have several minimisers). Standard errors: placebo (each replication makes `N₁`
//! random controls the treated block, seeded), the paper's Algorithm 4.
//!
//! Reference: Arkhangelsky, D., Athey, S., Hirshberg, D.A., Imbens, G.W. and Wager, S. (2021)
//! "Synthetic Difference-in-Differences", *American Economic Review* 111(12), 4088-4118,
//! doi:10.1257/aer.20190159. Assumptions: a block design (every treated unit from the same
//! period), enough controls for the placebos (`N₀ > N₁`). Units: the outcome's.
//! Complexity: three simplex QPs of size N₀ or T₀ per estimate, times the replications.

use super::EvaluationError;
use crate::random::Rng;

/// A block-treatment panel: `y[u * periods + t]`, the first `pre` periods before treatment.
#[derive(Debug, Clone, Copy)]
pub struct BlockPanel<'a> {
    /// Outcomes, unit-major.
    pub y: &'a [f64],
    /// Number of periods T.
    pub periods: usize,
    /// Which units are treated.
    pub treated: &'a [bool],
    /// Pre-treatment periods T₀ (the first ones).
    pub pre: usize,
}

/// The three estimates and the SDID weights.
#[derive(Debug, Clone, PartialEq)]
pub struct SdidResult {
    /// Synthetic difference-in-differences.
    pub sdid: f64,
    /// Synthetic control (outcome-based, no predictors).
    pub sc: f64,
    /// Difference-in-differences.
    pub did: f64,
    /// SDID unit weights of the controls (in the order of the control units).
    pub omega: Vec<f64>,
    /// SDID time weights of the pre-periods.
    pub lambda: Vec<f64>,
    /// Synthetic-control unit weights.
    pub omega_sc: Vec<f64>,
    /// The control units' indices (into the panel's units).
    pub controls: Vec<usize>,
    /// σ̂, the noise level.
    pub noise: f64,
}

/// One Frank-Wolfe step for `‖A x − b‖² + η‖x‖²` on the simplex, with an exact line search.
fn fw_step(a: &[f64], rows: usize, cols: usize, b: &[f64], x: &mut [f64], eta: f64) {
    let ax: Vec<f64> = (0..rows)
        .map(|r| (0..cols).map(|c| a[r * cols + c] * x[c]).sum())
        .collect();
    let grad: Vec<f64> = (0..cols)
        .map(|c| {
            (0..rows)
                .map(|r| (ax[r] - b[r]) * a[r * cols + c])
                .sum::<f64>()
                + eta * x[c]
        })
        .collect();
    let i = (0..cols)
        .min_by(|&p, &q| grad[p].total_cmp(&grad[q]))
        .unwrap_or(0);
    let dx: Vec<f64> = (0..cols)
        .map(|c| if c == i { 1.0 - x[c] } else { -x[c] })
        .collect();
    if dx.iter().all(|d| *d == 0.0) {
        return;
    }
    let derr: Vec<f64> = (0..rows).map(|r| a[r * cols + i] - ax[r]).collect();
    let upper: f64 = -grad.iter().zip(&dx).map(|(g, d)| g * d).sum::<f64>();
    let lower: f64 =
        derr.iter().map(|e| e * e).sum::<f64>() + eta * dx.iter().map(|d| d * d).sum::<f64>();
    if lower <= 0.0 || !lower.is_finite() {
        return; // a flat direction: nothing to gain
    }
    let step = (upper / lower).clamp(0.0, 1.0);
    for (xc, d) in x.iter_mut().zip(&dx) {
        *xc += step * d;
    }
}

/// `min ‖A w − b‖²/rows + ζ² ‖w‖²` on the simplex (columns centred when `intercept`) by
/// Frank-Wolfe from `start`, stopping after `max_iter` steps or when the objective falls by
/// less than `min_decrease²` (the reference implementation's rule).
#[allow(clippy::too_many_arguments)]
fn frank_wolfe(
    a: &[f64],
    rows: usize,
    cols: usize,
    b: &[f64],
    zeta: f64,
    intercept: bool,
    start: Vec<f64>,
    min_decrease: f64,
    max_iter: usize,
) -> Vec<f64> {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    if intercept {
        for c in 0..cols {
            let m = (0..rows).map(|r| a[r * cols + c]).sum::<f64>() / rows as f64;
            for r in 0..rows {
                a[r * cols + c] -= m;
            }
        }
        let m = b.iter().sum::<f64>() / rows as f64;
        for v in &mut b {
            *v -= m;
        }
    }
    let eta = rows as f64 * zeta * zeta;
    let mut x = start;
    let mut previous = f64::INFINITY;
    for t in 0..max_iter {
        fw_step(&a, rows, cols, &b, &mut x, eta);
        let err: f64 = (0..rows)
            .map(|r| ((0..cols).map(|c| a[r * cols + c] * x[c]).sum::<f64>() - b[r]).powi(2))
            .sum();
        let value = zeta * zeta * x.iter().map(|v| v * v).sum::<f64>() + err / rows as f64;
        if t >= 1 && previous - value <= min_decrease * min_decrease {
            break;
        }
        previous = value;
    }
    x
}

/// Weights below a quarter of the largest set to zero, the rest renormalised.
fn sparsify(v: &[f64]) -> Vec<f64> {
    let max = v.iter().cloned().fold(0.0, f64::max);
    let kept: Vec<f64> = v
        .iter()
        .map(|x| if *x <= max / 4.0 { 0.0 } else { *x })
        .collect();
    let s: f64 = kept.iter().sum();
    if s > 0.0 {
        kept.iter().map(|x| x / s).collect()
    } else {
        v.to_vec()
    }
}

/// The reference procedure: 100 Frank-Wolfe steps, sparsify, then up to 10,000 more.
#[allow(clippy::too_many_arguments)]
fn regularised(
    a: &[f64],
    rows: usize,
    cols: usize,
    b: &[f64],
    zeta: f64,
    intercept: bool,
    min_decrease: f64,
) -> Vec<f64> {
    let start = vec![1.0 / cols as f64; cols];
    let first = frank_wolfe(a, rows, cols, b, zeta, intercept, start, min_decrease, 100);
    frank_wolfe(
        a,
        rows,
        cols,
        b,
        zeta,
        intercept,
        sparsify(&first),
        min_decrease,
        10_000,
    )
}

/// `τ = (Ȳ_tr,post − Σ_t λ_t Ȳ_tr,t) − Σ_j ω_j (Ȳ_j,post − Σ_t λ_t Y_jt)` for unit weights `w`
/// of `controls` and time weights `lambda` of the pre-periods (none: `λ = 0`).
fn effect(
    y: &[f64],
    t_all: usize,
    t0: usize,
    controls: &[usize],
    w: &[f64],
    treated: &[usize],
    lambda: Option<&[f64]>,
) -> f64 {
    let at = |u: usize, t: usize| y[u * t_all + t];
    let tr_mean = |t: usize| treated.iter().map(|&u| at(u, t)).sum::<f64>() / treated.len() as f64;
    let post_mean =
        |f: &dyn Fn(usize) -> f64| (t0..t_all).map(f).sum::<f64>() / (t_all - t0) as f64;
    let pre_of = |f: &dyn Fn(usize) -> f64| match lambda {
        Some(l) => (0..t0).map(|t| l[t] * f(t)).sum::<f64>(),
        None => 0.0,
    };
    let treated_part = post_mean(&tr_mean) - pre_of(&tr_mean);
    let control_part: f64 = controls
        .iter()
        .zip(w)
        .map(|(&u, wj)| wj * (post_mean(&|t| at(u, t)) - pre_of(&|t| at(u, t))))
        .sum();
    treated_part - control_part
}

/// The regularisation of the weights: (ζ_ω, ζ_λ, σ̂).
type Zetas = (f64, f64, f64);

fn estimate(
    y: &[f64],
    t_all: usize,
    t0: usize,
    controls: &[usize],
    treated: &[usize],
) -> (f64, f64, f64, Vec<f64>, Vec<f64>, Vec<f64>, Zetas) {
    let (n0, t1) = (controls.len(), t_all - t0);
    let at = |u: usize, t: usize| y[u * t_all + t];
    let tr_mean = |t: usize| treated.iter().map(|&u| at(u, t)).sum::<f64>() / treated.len() as f64;
    let post_mean = |u: usize| (t0..t_all).map(|t| at(u, t)).sum::<f64>() / t1 as f64;
    // σ̂: standard deviation (n − 1) of the controls' first differences before treatment.
    let diffs: Vec<f64> = controls
        .iter()
        .flat_map(|&u| (1..t0).map(move |t| at(u, t) - at(u, t - 1)))
        .collect();
    let m = diffs.iter().sum::<f64>() / diffs.len().max(1) as f64;
    let noise = (diffs.iter().map(|d| (d - m).powi(2)).sum::<f64>()
        / (diffs.len() as f64 - 1.0).max(1.0))
    .sqrt();
    let (zeta_omega, zeta_lambda) = (
        ((treated.len() * t1) as f64).powf(0.25) * noise,
        1e-6 * noise,
    );
    // ω: rows the pre-periods, columns the controls, target the treated mean.
    let a_omega: Vec<f64> = (0..t0)
        .flat_map(|t| controls.iter().map(move |&u| at(u, t)))
        .collect();
    let b_omega: Vec<f64> = (0..t0).map(tr_mean).collect();
    let min_decrease = 1e-5 * noise;
    let omega = regularised(&a_omega, t0, n0, &b_omega, zeta_omega, true, min_decrease);
    let omega_sc = regularised(&a_omega, t0, n0, &b_omega, zeta_lambda, false, min_decrease);
    // λ: rows the controls, columns the pre-periods, target each control's post mean.
    let a_lambda: Vec<f64> = controls
        .iter()
        .flat_map(|&u| (0..t0).map(move |t| at(u, t)))
        .collect();
    let b_lambda: Vec<f64> = controls.iter().map(|&u| post_mean(u)).collect();
    let lambda = regularised(
        &a_lambda,
        n0,
        t0,
        &b_lambda,
        zeta_lambda,
        true,
        min_decrease,
    );
    let tau = |w: &[f64], l: Option<&[f64]>| effect(y, t_all, t0, controls, w, treated, l);
    let uniform_w = vec![1.0 / n0 as f64; n0];
    let uniform_l = vec![1.0 / t0 as f64; t0];
    (
        tau(&omega, Some(&lambda)),
        tau(&omega_sc, None),
        tau(&uniform_w, Some(&uniform_l)),
        omega,
        lambda,
        omega_sc,
        (zeta_omega, zeta_lambda, noise),
    )
}

/// SDID, SC and DiD on a block-treatment panel.
///
/// ```
/// use regis_methods::evaluation::sdid::{synthetic_did, BlockPanel};
/// // Three controls and one treated unit on parallel paths; the treated gains 2 after t = 2.
/// let y = [1.0, 2.0, 3.0, 4.0,  2.0, 3.0, 4.0, 5.0,  3.0, 4.0, 5.0, 6.0,  2.0, 3.0, 6.0, 7.0];
/// let r = synthetic_did(&BlockPanel { y: &y, periods: 4, treated: &[false, false, false, true], pre: 2 }).unwrap();
/// assert!((r.did - 2.0).abs() < 1e-9, "{}", r.did);
/// assert!((r.sdid - 2.0).abs() < 1e-6, "{}", r.sdid);
/// ```
pub fn synthetic_did(p: &BlockPanel) -> Result<SdidResult, EvaluationError> {
    let n = p.treated.len();
    if p.periods < 2 || p.pre == 0 || p.pre >= p.periods || p.y.len() != n * p.periods {
        return Err(EvaluationError::Shape(format!(
            "{} outcomes for {n} units x {} periods, {} before treatment",
            p.y.len(),
            p.periods,
            p.pre
        )));
    }
    if p.y.iter().any(|v| !v.is_finite()) {
        return Err(EvaluationError::Shape(
            "the panel must be balanced (no missing outcome)".into(),
        ));
    }
    let controls: Vec<usize> = (0..n).filter(|&u| !p.treated[u]).collect();
    let treated: Vec<usize> = (0..n).filter(|&u| p.treated[u]).collect();
    if controls.len() < 2 || treated.is_empty() {
        return Err(EvaluationError::NothingToCompare(format!(
            "{} control(s) and {} treated unit(s)",
            controls.len(),
            treated.len()
        )));
    }
    let (sdid, sc, did, omega, lambda, omega_sc, (_, _, noise)) =
        estimate(p.y, p.periods, p.pre, &controls, &treated);
    Ok(SdidResult {
        sdid,
        sc,
        did,
        omega,
        lambda,
        omega_sc,
        controls,
        noise,
    })
}

/// Placebo standard errors of (SDID, SC, DiD) (Arkhangelsky et al. 2021, Algorithm 4):
/// `replications` times, `N₁` controls drawn at random become the treated block and the
/// others its controls, and the whole estimator runs again on that panel (its own noise level
/// and regularisation, weights from the uniform start); the standard error is
/// `sqrt((r − 1)/r) · sd` of the placebo estimates. (The R package `synthdid` keeps the
/// original ζ and starts from the original weights; on California both give the same standard
/// errors to Monte Carlo error.)
pub fn placebo_standard_errors(
    p: &BlockPanel,
    replications: usize,
    seed: u64,
) -> Result<(f64, f64, f64), EvaluationError> {
    let controls: Vec<usize> = (0..p.treated.len()).filter(|&u| !p.treated[u]).collect();
    let n1 = p.treated.iter().filter(|t| **t).count();
    if controls.len() <= n1 + 1 || replications < 2 {
        return Err(EvaluationError::NothingToCompare(format!(
            "placebos need more controls ({}) than treated units ({n1}) plus one",
            controls.len()
        )));
    }
    let mut rng = Rng::seeded(seed);
    let mut est = Vec::with_capacity(replications);
    for _ in 0..replications {
        let mut order = controls.clone();
        rng.shuffle(&mut order);
        let (fake, rest) = order.split_at(n1);
        // The whole estimator again on the placebo panel: its own noise level and
        // regularisation, weights from the uniform start (the paper's Algorithm 4).
        let (a, b, c, ..) = estimate(p.y, p.periods, p.pre, rest, fake);
        est.push((a, b, c));
    }
    let r = replications as f64;
    let se = |f: &dyn Fn(&(f64, f64, f64)) -> f64| {
        let m = est.iter().map(f).sum::<f64>() / r;
        let var = est.iter().map(|e| (f(e) - m).powi(2)).sum::<f64>() / (r - 1.0);
        ((r - 1.0) / r).sqrt() * var.sqrt()
    };
    Ok((se(&|e| e.0), se(&|e| e.1), se(&|e| e.2)))
}

/// The units of a block panel: (controls, treated).
fn split(p: &BlockPanel) -> (Vec<usize>, Vec<usize>) {
    let n = p.treated.len();
    (
        (0..n).filter(|&u| !p.treated[u]).collect(),
        (0..n).filter(|&u| p.treated[u]).collect(),
    )
}

/// `sqrt(Σ (x − x̄)² · factor)`.
fn spread(x: &[f64], factor: f64) -> f64 {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() * factor).sqrt()
}

/// Jackknife standard errors of (SDID, SC, DiD) with the weights held fixed (Arkhangelsky et
/// al. 2021, Algorithm 3): each unit left out in turn, the remaining control weights
/// renormalised (uniform for DiD), the time weights kept; `sqrt((n − 1)/n · Σ (τ̂₍ᵢ₎ − τ̄)²)`.
/// Needs at least two treated units (with one, leaving it out leaves nothing to estimate).
pub fn jackknife_standard_errors(p: &BlockPanel) -> Result<(f64, f64, f64), EvaluationError> {
    let r = synthetic_did(p)?;
    let (controls, treated) = split(p);
    if treated.len() < 2 {
        return Err(EvaluationError::NothingToCompare(
            "the jackknife needs at least two treated units; use placebo standard errors".into(),
        ));
    }
    let renormalised = |w: &[f64], skip: usize| -> Vec<f64> {
        let s: f64 = w
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != skip)
            .map(|(_, v)| v)
            .sum();
        w.iter()
            .enumerate()
            .filter(|(j, _)| *j != skip)
            .map(|(_, v)| if s > 0.0 { v / s } else { 0.0 })
            .collect()
    };
    let uniform_l = vec![1.0 / p.pre as f64; p.pre];
    let mut est = Vec::with_capacity(p.treated.len());
    for u in 0..p.treated.len() {
        let (c, t): (Vec<usize>, Vec<usize>) = (
            controls.iter().copied().filter(|x| *x != u).collect(),
            treated.iter().copied().filter(|x| *x != u).collect(),
        );
        let (omega, omega_sc) = match controls.iter().position(|x| *x == u) {
            Some(j) => (renormalised(&r.omega, j), renormalised(&r.omega_sc, j)),
            None => (r.omega.clone(), r.omega_sc.clone()),
        };
        let uniform_w = vec![1.0 / c.len() as f64; c.len()];
        est.push((
            effect(p.y, p.periods, p.pre, &c, &omega, &t, Some(&r.lambda)),
            effect(p.y, p.periods, p.pre, &c, &omega_sc, &t, None),
            effect(p.y, p.periods, p.pre, &c, &uniform_w, &t, Some(&uniform_l)),
        ));
    }
    let n = est.len() as f64;
    let f = (n - 1.0) / n;
    let col = |k: usize| -> Vec<f64> { est.iter().map(|e| [e.0, e.1, e.2][k]).collect() };
    Ok((spread(&col(0), f), spread(&col(1), f), spread(&col(2), f)))
}

/// Bootstrap standard errors of (SDID, SC, DiD) (Arkhangelsky et al. 2021, Algorithm 2):
/// `replications` times, units drawn with replacement (draws without a treated unit or with
/// fewer than two controls drawn again), the whole estimator run on the sample; the standard
/// error is `sqrt((r − 1)/r) · sd`. Seeded. Needs at least two treated units.
pub fn bootstrap_standard_errors(
    p: &BlockPanel,
    replications: usize,
    seed: u64,
) -> Result<(f64, f64, f64), EvaluationError> {
    synthetic_did(p)?;
    let (_, treated) = split(p);
    if treated.len() < 2 || replications < 2 {
        return Err(EvaluationError::NothingToCompare(
            "the bootstrap needs at least two treated units (and two replications); use placebo standard errors".into(),
        ));
    }
    let n = p.treated.len();
    let mut rng = Rng::seeded(seed);
    let mut est = Vec::with_capacity(replications);
    let mut draws = 0usize;
    while est.len() < replications {
        draws += 1;
        if draws > 100 * replications {
            return Err(EvaluationError::NothingToCompare(
                "too few draws hold both treated and control units".into(),
            ));
        }
        let sample: Vec<usize> = (0..n).map(|_| rng.below(n)).collect();
        let c: Vec<usize> = sample.iter().copied().filter(|u| !p.treated[*u]).collect();
        let t: Vec<usize> = sample.iter().copied().filter(|u| p.treated[*u]).collect();
        if t.is_empty() || c.len() < 2 {
            continue;
        }
        let (a, b, d, ..) = estimate(p.y, p.periods, p.pre, &c, &t);
        est.push((a, b, d));
    }
    let r = replications as f64;
    let f = 1.0 / r; // sqrt((r − 1)/r) · sd = sqrt(Σ (x − x̄)² / r)
    let col = |k: usize| -> Vec<f64> { est.iter().map(|e| [e.0, e.1, e.2][k]).collect() };
    Ok((spread(&col(0), f), spread(&col(1), f), spread(&col(2), f)))
}
