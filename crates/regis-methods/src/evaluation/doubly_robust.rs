//! The 2×2 difference-in-differences with covariates on panel data (Sant'Anna & Zhao 2020):
//! outcome regression, inverse probability weighting and the doubly robust estimator, each
//! with its influence function. Callaway & Sant'Anna's ATT(g,t) with covariates is one of
//! these per cohort and period.
//!
//! With `ΔY` the change between the two periods, `D` treated (1) or control (0), `X` the
//! covariates with a constant, `μ(X) = X β̂` the least-squares fit of `ΔY` on `X` among the
//! controls and `p(X)` the logit propensity score fitted by maximum likelihood on all units:
//!
//! - outcome regression: `ATT = E[D (ΔY − μ(X))] / E[D]`;
//! - inverse probability (normalised weights): `ATT = E[w₁ ΔY]/E[w₁] − E[w₀ ΔY]/E[w₀]`, with
//!   `w₁ = D` and `w₀ = p(X)(1 − D)/(1 − p(X))`;
//! - doubly robust (the "improved" locally efficient estimator's panel form):
//!   `ATT = E[w₁ (ΔY − μ(X))]/E[w₁] − E[w₀ (ΔY − μ(X))]/E[w₀]`, consistent if either the
//!   outcome model or the propensity model is right.
//!
//! Each influence function adds the estimation effect of `β̂` (and of the logit's
//! coefficients) to the plug-in term, so the standard error is `sqrt(Σ ψᵢ²)/n`. Propensity
//! scores are capped at `1 − 10⁻⁶`, and controls with a score of 0.995 or more get no weight
//! (the reference implementation's trimming).
//!
//! Reference: Sant'Anna, P.H.C. and Zhao, J. (2020) "Doubly robust difference-in-differences
//! estimators", *Journal of Econometrics* 219(1), 101-122, doi:10.1016/j.jeconom.2020.06.003.
//! Assumptions: conditional parallel trends given `X`, overlap (`p(X) < 1`), covariates
//! measured before treatment. Complexity: O(n k²) per estimate plus the logit's Newton steps.

use super::EvaluationError;
use crate::regression::{cholesky, cholesky_solve};

/// Which 2×2 estimator adjusts for the covariates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CovariateEstimator {
    /// Doubly robust (outcome regression and propensity score together); `dr`.
    #[default]
    DoublyRobust,
    /// Inverse probability weighting with normalised weights; `ipw`.
    InverseProbability,
    /// Outcome regression; `reg`.
    OutcomeRegression,
}

impl CovariateEstimator {
    /// The short id used by the CLI and the API (`dr`, `ipw`, `reg`).
    pub fn id(self) -> &'static str {
        match self {
            CovariateEstimator::DoublyRobust => "dr",
            CovariateEstimator::InverseProbability => "ipw",
            CovariateEstimator::OutcomeRegression => "reg",
        }
    }
}

/// An estimate with each observation's influence.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoByTwo {
    /// The average treatment effect on the treated.
    pub att: f64,
    /// Influence function, one value per observation; the standard error is
    /// `sqrt(Σ ψᵢ²) / n`.
    pub influence: Vec<f64>,
}

/// A design with a constant: `n × p`, row-major.
struct Design {
    x: Vec<f64>,
    p: usize,
}

impl Design {
    /// The constant and the covariates, each covariate centred and scaled to unit standard
    /// deviation: fitted values, scores and influence functions do not change (the design
    /// spans the same space), and covariates in persons or won stay well conditioned.
    fn new(covariates: &[f64], k: usize, n: usize) -> Design {
        let p = k + 1;
        let stats: Vec<(f64, f64)> = (0..k)
            .map(|j| {
                let m = (0..n).map(|i| covariates[i * k + j]).sum::<f64>() / n as f64;
                let sd = ((0..n)
                    .map(|i| (covariates[i * k + j] - m).powi(2))
                    .sum::<f64>()
                    / n as f64)
                    .sqrt();
                (m, if sd > 0.0 { sd } else { 1.0 })
            })
            .collect();
        let mut x = Vec::with_capacity(n * p);
        for i in 0..n {
            x.push(1.0);
            for (j, (m, sd)) in stats.iter().enumerate() {
                x.push((covariates[i * k + j] - m) / sd);
            }
        }
        Design { x, p }
    }
    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }
    /// `Σᵢ wᵢ xᵢ xᵢ'`.
    fn gram(&self, w: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut g = vec![0.0; p * p];
        for (i, wi) in w.iter().enumerate() {
            if *wi == 0.0 {
                continue;
            }
            let r = self.row(i);
            for a in 0..p {
                for b in 0..p {
                    g[a * p + b] += wi * r[a] * r[b];
                }
            }
        }
        g
    }
    fn dot(&self, i: usize, beta: &[f64]) -> f64 {
        self.row(i).iter().zip(beta).map(|(x, b)| x * b).sum()
    }
    /// `(1/n) Σᵢ wᵢ xᵢ`.
    fn weighted_mean(&self, w: &[f64]) -> Vec<f64> {
        let n = w.len() as f64;
        let mut m = vec![0.0; self.p];
        for (i, wi) in w.iter().enumerate() {
            for (mj, x) in m.iter_mut().zip(self.row(i)) {
                *mj += wi * x / n;
            }
        }
        m
    }
}

/// The inverse of a symmetric positive-definite `p × p` matrix, or `None` if singular.
fn inverse(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, p)?;
    let mut inv = vec![0.0; p * p];
    for c in 0..p {
        let e: Vec<f64> = (0..p).map(|r| if r == c { 1.0 } else { 0.0 }).collect();
        let col = cholesky_solve(&l, p, &e);
        for r in 0..p {
            inv[r * p + c] = col[r];
        }
    }
    Some(inv)
}

/// `ψᵢ · (A m)` for each row `ψᵢ = wᵢ xᵢ` of a linear representation `L = diag(w) X A`.
fn linear_term(design: &Design, w: &[f64], a: &[f64], m: &[f64]) -> Vec<f64> {
    let p = design.p;
    let am: Vec<f64> = (0..p)
        .map(|r| (0..p).map(|c| a[r * p + c] * m[c]).sum())
        .collect();
    (0..w.len()).map(|i| w[i] * design.dot(i, &am)).collect()
}

/// The controls' least-squares fit of `ΔY` on the design: fitted values for everyone and the
/// inverse of `X₀'X₀ / n`.
fn outcome_regression(
    design: &Design,
    delta_y: &[f64],
    treated: &[bool],
) -> Result<(Vec<f64>, Vec<f64>), EvaluationError> {
    let n = delta_y.len();
    let p = design.p;
    let w: Vec<f64> = treated.iter().map(|t| if *t { 0.0 } else { 1.0 }).collect();
    let g = design.gram(&w);
    let mut xy = vec![0.0; p];
    for i in (0..n).filter(|&i| !treated[i]) {
        for (a, x) in xy.iter_mut().zip(design.row(i)) {
            *a += x * delta_y[i];
        }
    }
    let l = cholesky(&g, p).ok_or_else(|| {
        EvaluationError::NothingToCompare(
            "the controls' covariates are collinear (the outcome regression is singular)".into(),
        )
    })?;
    let beta = cholesky_solve(&l, p, &xy);
    let fitted = (0..n).map(|i| design.dot(i, &beta)).collect();
    let scaled: Vec<f64> = g.iter().map(|v| v / n as f64).collect();
    let inv = inverse(&scaled, p).ok_or_else(|| {
        EvaluationError::NothingToCompare("the controls' covariates are collinear".into())
    })?;
    Ok((fitted, inv))
}

/// The logit propensity score by Newton-Raphson (maximum likelihood): the fitted scores,
/// capped at `1 − 10⁻⁶`, and `n (X' diag(p(1−p)) X)⁻¹` at those scores.
fn propensity_score(
    design: &Design,
    treated: &[bool],
) -> Result<(Vec<f64>, Vec<f64>), EvaluationError> {
    let n = treated.len();
    let p = design.p;
    let mut beta = vec![0.0; p];
    let mut converged = false;
    for _ in 0..100 {
        let prob: Vec<f64> = (0..n)
            .map(|i| 1.0 / (1.0 + (-design.dot(i, &beta)).exp()))
            .collect();
        let w: Vec<f64> = prob.iter().map(|q| q * (1.0 - q)).collect();
        let info = design.gram(&w);
        let mut score = vec![0.0; p];
        for i in 0..n {
            let r = if treated[i] { 1.0 } else { 0.0 } - prob[i];
            for (s, x) in score.iter_mut().zip(design.row(i)) {
                *s += r * x;
            }
        }
        let l = cholesky(&info, p).ok_or_else(|| {
            EvaluationError::NothingToCompare(
                "the propensity score cannot be fitted: the covariates are collinear or \
                 separate the treated from the controls"
                    .into(),
            )
        })?;
        let step = cholesky_solve(&l, p, &score);
        let size = step
            .iter()
            .zip(&beta)
            .map(|(s, b)| s.abs() / (1.0 + b.abs()))
            .fold(0.0, f64::max);
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        if !size.is_finite() {
            break;
        }
        if size < 1e-13 {
            converged = true;
            break;
        }
    }
    if !converged || beta.iter().any(|b| !b.is_finite()) {
        return Err(EvaluationError::NothingToCompare(
            "the propensity score does not converge: the covariates (nearly) separate the \
             treated from the controls, so there is no overlap"
                .into(),
        ));
    }
    let prob: Vec<f64> = (0..n)
        .map(|i| (1.0 / (1.0 + (-design.dot(i, &beta)).exp())).min(1.0 - 1e-6))
        .collect();
    let w: Vec<f64> = prob.iter().map(|q| q * (1.0 - q)).collect();
    let info = design.gram(&w);
    let mut hessian = inverse(&info, p).ok_or_else(|| {
        EvaluationError::NothingToCompare("the propensity score's information is singular".into())
    })?;
    for h in &mut hessian {
        *h *= n as f64;
    }
    Ok((prob, hessian))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The 2×2 DiD of `delta_y` (each unit's change between the base period and the period of
/// interest) for `treated` against the others, adjusting for `covariates` (`n × k`,
/// row-major, without a constant; `k` may be 0).
///
/// ```
/// use regis_methods::evaluation::doubly_robust::{panel_two_by_two, CovariateEstimator};
/// // The change depends on x (slope 1); the treated also gain 2.
/// let x = [0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 2.5, 3.5];
/// let dy = [0.0, 1.0, 2.0, 3.0, 2.5, 3.5, 4.5, 5.5];
/// let d = [false, false, false, false, true, true, true, true];
/// let r = panel_two_by_two(&dy, &d, &x, 1, CovariateEstimator::OutcomeRegression).unwrap();
/// assert!((r.att - 2.0).abs() < 1e-12);
/// ```
pub fn panel_two_by_two(
    delta_y: &[f64],
    treated: &[bool],
    covariates: &[f64],
    k: usize,
    estimator: CovariateEstimator,
) -> Result<TwoByTwo, EvaluationError> {
    let n = delta_y.len();
    if treated.len() != n || covariates.len() != n * k {
        return Err(EvaluationError::Shape(format!(
            "{n} outcomes, {} treatment flags, {} covariate values for {k} covariate(s)",
            treated.len(),
            covariates.len()
        )));
    }
    let n_treated = treated.iter().filter(|t| **t).count();
    if n_treated == 0 || n_treated == n {
        return Err(EvaluationError::NothingToCompare(format!(
            "{n_treated} treated and {} control unit(s)",
            n - n_treated
        )));
    }
    if n - n_treated <= k + 1 {
        return Err(EvaluationError::NothingToCompare(format!(
            "{} control unit(s) for {k} covariate(s) and a constant",
            n - n_treated
        )));
    }
    let design = Design::new(covariates, k, n);
    let d: Vec<f64> = treated.iter().map(|t| if *t { 1.0 } else { 0.0 }).collect();
    let control: Vec<f64> = d.iter().map(|x| 1.0 - x).collect();
    match estimator {
        CovariateEstimator::OutcomeRegression => {
            let (mu, xx_inv) = outcome_regression(&design, delta_y, treated)?;
            let att_treat: Vec<f64> = (0..n).map(|i| d[i] * delta_y[i]).collect();
            let att_cont: Vec<f64> = (0..n).map(|i| d[i] * mu[i]).collect();
            let md = mean(&d);
            let eta_treat = mean(&att_treat) / md;
            let eta_cont = mean(&att_cont) / md;
            let resid: Vec<f64> = (0..n).map(|i| control[i] * (delta_y[i] - mu[i])).collect();
            let moment = design.weighted_mean(&d);
            let ols_term = linear_term(&design, &resid, &xx_inv, &moment);
            let influence = (0..n)
                .map(|i| {
                    let inf_treat = (att_treat[i] - d[i] * eta_treat) / md;
                    let inf_control = (att_cont[i] - d[i] * eta_cont + ols_term[i]) / md;
                    inf_treat - inf_control
                })
                .collect();
            Ok(TwoByTwo {
                att: eta_treat - eta_cont,
                influence,
            })
        }
        CovariateEstimator::InverseProbability | CovariateEstimator::DoublyRobust => {
            let (ps, hessian) = propensity_score(&design, treated)?;
            let (mu, xx_inv) = if estimator == CovariateEstimator::DoublyRobust {
                outcome_regression(&design, delta_y, treated)?
            } else {
                (vec![0.0; n], Vec::new())
            };
            let keep: Vec<f64> = (0..n)
                .map(|i| {
                    if treated[i] || ps[i] < 0.995 {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect();
            let w_treat: Vec<f64> = (0..n).map(|i| keep[i] * d[i]).collect();
            let w_cont: Vec<f64> = (0..n)
                .map(|i| keep[i] * ps[i] * control[i] / (1.0 - ps[i]))
                .collect();
            let r: Vec<f64> = (0..n).map(|i| delta_y[i] - mu[i]).collect();
            let att_treat: Vec<f64> = (0..n).map(|i| w_treat[i] * r[i]).collect();
            let att_cont: Vec<f64> = (0..n).map(|i| w_cont[i] * r[i]).collect();
            let (mw1, mw0) = (mean(&w_treat), mean(&w_cont));
            if mw0 <= 0.0 {
                return Err(EvaluationError::NothingToCompare(
                    "every control is trimmed (propensity score ≥ 0.995): no overlap".into(),
                ));
            }
            let eta_treat = mean(&att_treat) / mw1;
            let eta_cont = mean(&att_cont) / mw0;
            // The logit's estimation effect.
            let score_w: Vec<f64> = (0..n).map(|i| d[i] - ps[i]).collect();
            let m2_w: Vec<f64> = (0..n).map(|i| w_cont[i] * (r[i] - eta_cont)).collect();
            let m2 = design.weighted_mean(&m2_w);
            let ps_term = linear_term(&design, &score_w, &hessian, &m2);
            let (ols_treat, ols_cont) = if estimator == CovariateEstimator::DoublyRobust {
                let resid: Vec<f64> = (0..n).map(|i| control[i] * r[i]).collect();
                (
                    linear_term(&design, &resid, &xx_inv, &design.weighted_mean(&w_treat)),
                    linear_term(&design, &resid, &xx_inv, &design.weighted_mean(&w_cont)),
                )
            } else {
                (vec![0.0; n], vec![0.0; n])
            };
            let influence = (0..n)
                .map(|i| {
                    let inf_treat = (att_treat[i] - w_treat[i] * eta_treat - ols_treat[i]) / mw1;
                    let inf_control =
                        (att_cont[i] - w_cont[i] * eta_cont + ps_term[i] - ols_cont[i]) / mw0;
                    inf_treat - inf_control
                })
                .collect();
            Ok(TwoByTwo {
                att: eta_treat - eta_cont,
                influence,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_covariates_all_three_are_the_difference_of_mean_changes() {
        let dy = [1.0, 2.0, 4.0, 3.0, 6.0, 8.0];
        let d = [false, false, false, true, true, true];
        let plain = (3.0 + 6.0 + 8.0) / 3.0 - (1.0 + 2.0 + 4.0) / 3.0;
        for e in [
            CovariateEstimator::DoublyRobust,
            CovariateEstimator::InverseProbability,
            CovariateEstimator::OutcomeRegression,
        ] {
            let r = panel_two_by_two(&dy, &d, &[], 0, e).unwrap();
            assert!((r.att - plain).abs() < 1e-12, "{e:?} {}", r.att);
            // The influence of a treated unit: n/n₁ (ΔY − mean).
            assert!((r.influence[3] - 2.0 * (3.0 - 17.0 / 3.0)).abs() < 1e-9);
        }
    }

    #[test]
    fn separated_covariates_are_refused() {
        let x = [0.0, 1.0, 2.0, 10.0, 11.0, 12.0];
        let dy = [1.0, 2.0, 4.0, 3.0, 6.0, 8.0];
        let d = [false, false, false, true, true, true];
        let e = panel_two_by_two(&dy, &d, &x, 1, CovariateEstimator::DoublyRobust).unwrap_err();
        assert!(e.to_string().contains("separate"), "{e}");
    }
}
