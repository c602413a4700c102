//! The augmented synthetic control with a ridge outcome model (Ben-Michael, Feller & Rothstein
//! 2021): the synthetic control's weights corrected by a ridge regression for the imbalance
//! they leave in the pre-treatment outcomes.
//!
//! With `X₀` the donors' pre-treatment outcomes (`T₀ × J`) and `x₁` the treated unit's, both
//! centred on the donors' mean of each period, `ŵ` the synthetic control's weights
//! (`min ‖x₁ − X₀ w‖²` on the simplex, V = I) and a ridge penalty `λ`, the augmented weights
//! are
//!
//! `ŵ_aug = ŵ + X₀ᵀ (X₀ X₀ᵀ + λ I)⁻¹ (x₁ − X₀ ŵ)`,
//!
//! which may be negative (an extrapolation the plain synthetic control forbids); the effect in
//! a post-treatment period is `y₁ₜ − Σ_j ŵ_aug,j y_jt`. Without `λ` given, `λ` is chosen by
//! leave-one-period-out cross-validation on the pre-treatment periods over the grid
//! `σ₁² · (10⁻⁸)^((k−1)/20)`, `k = 0…20` (`σ₁` the largest singular value of `X₀`): the
//! largest `λ` whose mean held-out error is within one standard error of the smallest (the
//! reference implementation's rule). As λ grows the estimate tends to the synthetic control's.
//!
//! Reference: Ben-Michael, E., Feller, A. and Rothstein, J. (2021) "The Augmented Synthetic
//! Control Method", *Journal of the American Statistical Association* 116(536), 1789-1803,
//! doi:10.1080/01621459.2021.1929245. Assumptions: the outcome follows a linear factor or
//! autoregressive model the pre-treatment outcomes capture; one treated unit; the outcome's
//! own pre-treatment values as the only predictors (no covariates here). Units: the outcome's.
//! Complexity: one simplex QP and one `T₀ × T₀` solve per λ; cross-validation `T₀` QPs.

use super::synthetic::simplex_least_squares;
use super::EvaluationError;
use crate::regression::{cholesky, cholesky_solve};

/// An augmented synthetic control.
#[derive(Debug, Clone, PartialEq)]
pub struct AugmentedFit {
    /// The ridge penalty used.
    pub lambda: f64,
    /// The synthetic control's weights (simplex), in the order of the donors given.
    pub sc_weights: Vec<f64>,
    /// The augmented weights (sum 1, may be negative).
    pub weights: Vec<f64>,
    /// Actual minus augmented synthetic, every period.
    pub gaps: Vec<f64>,
    /// Mean gap over the post-treatment periods.
    pub att: f64,
    /// The same for the plain synthetic control.
    pub sc_att: f64,
    /// Cross-validation: (λ, mean held-out squared error, its standard error); empty when λ
    /// was given.
    pub cross_validation: Vec<(f64, f64, f64)>,
}

/// The ridge correction `X₀ᵀ (X₀ X₀ᵀ + λ I)⁻¹ r` for the residual `r = x₁ − X₀ ŵ`; `x0` is
/// `rows × j`, row-major.
fn ridge_correction(x0: &[f64], rows: usize, j: usize, r: &[f64], lambda: f64) -> Option<Vec<f64>> {
    let mut g = vec![0.0; rows * rows];
    for a in 0..rows {
        for b in 0..rows {
            g[a * rows + b] = (0..j).map(|c| x0[a * j + c] * x0[b * j + c]).sum::<f64>()
                + if a == b { lambda } else { 0.0 };
        }
    }
    let l = cholesky(&g, rows)?;
    let z = cholesky_solve(&l, rows, r);
    Some(
        (0..j)
            .map(|c| (0..rows).map(|a| x0[a * j + c] * z[a]).sum())
            .collect(),
    )
}

/// The residual `x₁ − X₀ w`.
fn residual(x0: &[f64], x1: &[f64], j: usize, w: &[f64]) -> Vec<f64> {
    x1.iter()
        .enumerate()
        .map(|(a, v)| v - (0..j).map(|c| x0[a * j + c] * w[c]).sum::<f64>())
        .collect()
}

/// The largest eigenvalue of `X₀ X₀ᵀ` (the squared largest singular value) by power iteration.
fn largest_eigenvalue(x0: &[f64], rows: usize, j: usize) -> f64 {
    let mut v = vec![1.0 / (rows as f64).sqrt(); rows];
    let mut value = 0.0;
    for _ in 0..10_000 {
        // u = X₀ (X₀ᵀ v)
        let t: Vec<f64> = (0..j)
            .map(|c| (0..rows).map(|a| x0[a * j + c] * v[a]).sum())
            .collect();
        let u: Vec<f64> = (0..rows)
            .map(|a| (0..j).map(|c| x0[a * j + c] * t[c]).sum())
            .collect();
        let norm = u.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        let next: Vec<f64> = u.iter().map(|x| x / norm).collect();
        let change = next
            .iter()
            .zip(&v)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        v = next;
        value = norm;
        if change < 1e-15 {
            break;
        }
    }
    value
}

/// The augmented synthetic control of unit `treated` with `donors`, `outcome[t * units + u]`
/// (period-major), fitted on the periods `pre` and estimated over `post`; `lambda` none:
/// chosen by cross-validation.
///
/// ```
/// use regis_methods::evaluation::augmented::ridge_augmented;
/// // The treated unit lies outside the donors' hull (1.5 x donor 1 - 0.5 x donor 0); the ridge
/// // correction extrapolates where the synthetic control cannot, and the effect of 3 after
/// // period 3 is recovered almost exactly with a small λ.
/// let donors = [[1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 5.0, 8.0, 9.0]];
/// let mut y = vec![0.0; 5 * 3];
/// for t in 0..5 {
///     y[t * 3] = donors[0][t];
///     y[t * 3 + 1] = donors[1][t];
///     y[t * 3 + 2] = 1.5 * donors[1][t] - 0.5 * donors[0][t] + if t >= 3 { 3.0 } else { 0.0 };
/// }
/// let f = ridge_augmented(&y, 3, 2, &[0, 1], &[0, 1, 2], &[3, 4], Some(1e-6)).unwrap();
/// assert!((f.att - 3.0).abs() < 1e-3, "{}", f.att);
/// assert!((f.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// ```
pub fn ridge_augmented(
    outcome: &[f64],
    units: usize,
    treated: usize,
    donors: &[usize],
    pre: &[usize],
    post: &[usize],
    lambda: Option<f64>,
) -> Result<AugmentedFit, EvaluationError> {
    let periods = outcome.len() / units.max(1);
    if units == 0
        || outcome.len() != units * periods
        || treated >= units
        || donors.iter().any(|d| *d >= units || *d == treated)
    {
        return Err(EvaluationError::Shape(format!(
            "{} outcomes for {units} units; treated {treated}, donors {donors:?}",
            outcome.len()
        )));
    }
    if donors.len() < 2 || pre.len() < 2 || post.is_empty() {
        return Err(EvaluationError::NothingToCompare(format!(
            "{} donor(s), {} pre-treatment and {} post-treatment period(s): at least 2, 2 and 1",
            donors.len(),
            pre.len(),
            post.len()
        )));
    }
    if lambda.is_some_and(|l| !(l > 0.0 && l.is_finite())) {
        return Err(EvaluationError::Shape(
            "λ must be positive and finite".into(),
        ));
    }
    let at = |t: usize, u: usize| outcome[t * units + u];
    if pre.iter().chain(post).any(|&t| {
        t >= periods || !at(t, treated).is_finite() || donors.iter().any(|&d| !at(t, d).is_finite())
    }) {
        return Err(EvaluationError::Shape(
            "the panel must be balanced over the periods used (no missing outcome)".into(),
        ));
    }
    let j = donors.len();
    let rows = pre.len();
    // Centred on the donors' mean of each period.
    let mut x0 = Vec::with_capacity(rows * j);
    let mut x1 = Vec::with_capacity(rows);
    for &t in pre {
        let m = donors.iter().map(|&d| at(t, d)).sum::<f64>() / j as f64;
        x0.extend(donors.iter().map(|&d| at(t, d) - m));
        x1.push(at(t, treated) - m);
    }
    let augment = |x0: &[f64], x1: &[f64], rows: usize, l: f64| -> Option<(Vec<f64>, Vec<f64>)> {
        let w = simplex_least_squares(x0, rows, j, x1);
        let r = residual(x0, x1, j, &w);
        let c = ridge_correction(x0, rows, j, &r, l)?;
        let aug = w.iter().zip(&c).map(|(a, b)| a + b).collect();
        Some((w, aug))
    };
    let mut cross_validation = Vec::new();
    let lambda = match lambda {
        Some(l) => l,
        None => {
            let top = largest_eigenvalue(&x0, rows, j);
            let scaler = 1e-8f64.powf(1.0 / 20.0);
            let grid: Vec<f64> = (0..=20).map(|k| top * scaler.powi(k - 1)).collect();
            let folds = rows - 1;
            let mut errors = vec![Vec::with_capacity(folds); grid.len()];
            for h in 0..folds {
                let keep: Vec<usize> = (0..rows).filter(|&a| a != h).collect();
                let x0t: Vec<f64> = keep
                    .iter()
                    .flat_map(|&a| x0[a * j..(a + 1) * j].to_vec())
                    .collect();
                let x1t: Vec<f64> = keep.iter().map(|&a| x1[a]).collect();
                let w = simplex_least_squares(&x0t, keep.len(), j, &x1t);
                let r = residual(&x0t, &x1t, j, &w);
                for (k, l) in grid.iter().enumerate() {
                    let Some(c) = ridge_correction(&x0t, keep.len(), j, &r, *l) else {
                        errors[k].push(f64::INFINITY);
                        continue;
                    };
                    let predicted: f64 =
                        (0..j).map(|col| x0[h * j + col] * (w[col] + c[col])).sum();
                    errors[k].push((x1[h] - predicted).powi(2));
                }
            }
            for (l, e) in grid.iter().zip(&errors) {
                let n = e.len() as f64;
                let mean = e.iter().sum::<f64>() / n;
                let sd = (e.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                cross_validation.push((*l, mean, sd / n.sqrt()));
            }
            let best = cross_validation
                .iter()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .copied()
                .unwrap_or((top, 0.0, 0.0));
            cross_validation
                .iter()
                .filter(|c| c.1 <= best.1 + best.2)
                .map(|c| c.0)
                .fold(f64::NEG_INFINITY, f64::max)
        }
    };
    let (sc_weights, weights) = augment(&x0, &x1, rows, lambda)
        .ok_or_else(|| EvaluationError::NothingToCompare("the ridge system is singular".into()))?;
    let gap_with = |w: &[f64], t: usize| {
        at(t, treated)
            - donors
                .iter()
                .zip(w)
                .map(|(&d, wj)| wj * at(t, d))
                .sum::<f64>()
    };
    let gaps: Vec<f64> = (0..periods)
        .map(|t| {
            if donors.iter().all(|&d| at(t, d).is_finite()) && at(t, treated).is_finite() {
                gap_with(&weights, t)
            } else {
                f64::NAN
            }
        })
        .collect();
    let mean_over_post =
        |w: &[f64]| post.iter().map(|&t| gap_with(w, t)).sum::<f64>() / post.len() as f64;
    Ok(AugmentedFit {
        lambda,
        att: mean_over_post(&weights),
        sc_att: mean_over_post(&sc_weights),
        sc_weights,
        weights,
        gaps,
        cross_validation,
    })
}
