//! Convergence of regional incomes: β-convergence (poorer regions grow faster; OLS of growth on
//! the initial level, optionally conditional on group dummies) and σ-convergence (the dispersion
//! of log incomes falls over time).

use regis_core::Diagnostic;

use crate::regression::{ols, Ols, RegressionError};

/// Result of a β-convergence regression.
#[derive(Debug, Clone, PartialEq)]
pub struct BetaConvergence {
    /// The regression: column 0 the constant, column 1 `ln y0`, then one dummy per group
    /// except the first.
    pub fit: Ols,
    /// Slope on `ln y0` (negative = convergence).
    pub beta: f64,
    /// Its standard error.
    pub beta_se: f64,
    /// Its two-sided p-value.
    pub beta_p: f64,
    /// Implied speed of convergence `λ = −ln(1 + βT)/T` per year (None when `1 + βT ≤ 0`).
    pub speed: Option<f64>,
    /// Half-life `ln 2 / λ` in years (None unless λ > 0).
    pub half_life: Option<f64>,
    /// Years between the two periods.
    pub years: f64,
    /// Notes (units left out for non-positive values).
    pub diagnostics: Vec<Diagnostic>,
}

/// β-convergence between two periods `years` apart.
///
/// Model: `(ln y_r1 − ln y_r0)/T = α + β ln y_r0 (+ Σ_g δ_g D_rg) + ε_r`, by OLS. Units with a
/// non-positive or missing value are left out with a diagnostic.
/// Reference: Barro, R. J. & Sala-i-Martin, X. (1992) Convergence, *Journal of Political
/// Economy* 100(2), 223-251, doi:10.1086/261816; speed and half-life as in
/// Sala-i-Martin, X. (1996) The classical approach to convergence analysis, *Economic Journal*
/// 106(437), 1019-1036, doi:10.2307/2235375.
/// Units: β and λ per year; half-life in years. Complexity: O(n k²).
///
/// ```
/// use regis_methods::convergence::beta_convergence;
/// // Four regions; the poorer grow faster.
/// let b = beta_convergence(&[1.0, 2.0, 4.0, 8.0], &[2.0, 3.2, 5.6, 9.6], 10.0, None).unwrap();
/// assert!(b.beta < 0.0 && b.half_life.unwrap() > 0.0);
/// ```
pub fn beta_convergence(
    y0: &[f64],
    y1: &[f64],
    years: f64,
    groups: Option<&[usize]>,
) -> Result<BetaConvergence, RegressionError> {
    let mut diagnostics = Vec::new();
    let keep: Vec<usize> = (0..y0.len().min(y1.len()))
        .filter(|&i| y0[i].is_finite() && y1[i].is_finite() && y0[i] > 0.0 && y1[i] > 0.0)
        .collect();
    if keep.len() < y0.len() {
        diagnostics.push(Diagnostic::info(
            "non-positive-skipped",
            format!(
                "{} unit(s) without two positive values were left out",
                y0.len() - keep.len()
            ),
        ));
    }
    let growth: Vec<f64> = keep
        .iter()
        .map(|&i| (y1[i].ln() - y0[i].ln()) / years)
        .collect();
    let mut cols = vec![
        vec![1.0; keep.len()],
        keep.iter().map(|&i| y0[i].ln()).collect::<Vec<_>>(),
    ];
    if let Some(g) = groups {
        let k = keep.iter().map(|&i| g[i]).max().unwrap_or(0);
        for level in 1..=k {
            let col: Vec<f64> = keep
                .iter()
                .map(|&i| f64::from(u8::from(g[i] == level)))
                .collect();
            if col.iter().any(|v| *v > 0.0) {
                cols.push(col);
            }
        }
    }
    let fit = ols(&growth, &cols)?;
    let beta = fit.coefficients[1];
    let x = 1.0 + beta * years;
    let speed = (x > 0.0).then(|| -x.ln() / years);
    let half_life = speed
        .filter(|s| *s > 0.0)
        .map(|s| std::f64::consts::LN_2 / s);
    Ok(BetaConvergence {
        beta,
        beta_se: fit.std_errors[1],
        beta_p: fit.p_values[1],
        speed,
        half_life,
        years,
        fit,
        diagnostics,
    })
}

/// σ-convergence statistics of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Sigma {
    /// Standard deviation of `ln y` (population form, divisor n).
    pub sd_log: Option<f64>,
    /// Coefficient of variation of `y` (population form).
    pub cv: Option<f64>,
    /// Units used.
    pub n: usize,
}

/// σ-convergence: the dispersion of log incomes in one period; a series of these falling over
/// time is σ-convergence.
///
/// Formula: `σ = sqrt((1/n) Σ (ln y_r − mean(ln y))²)`.
/// Reference: Barro & Sala-i-Martin (1992), doi:10.1086/261816. Complexity: O(n).
///
/// ```
/// use regis_methods::convergence::sigma;
/// let s = sigma(&[1.0, std::f64::consts::E.powi(2)]);
/// assert!((s.sd_log.unwrap() - 1.0).abs() < 1e-12);
/// ```
pub fn sigma(y: &[f64]) -> Sigma {
    let v: Vec<f64> = y
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x > 0.0)
        .collect();
    let n = v.len();
    if n == 0 {
        return Sigma {
            sd_log: None,
            cv: None,
            n,
        };
    }
    let logs: Vec<f64> = v.iter().map(|x| x.ln()).collect();
    let ml = logs.iter().sum::<f64>() / n as f64;
    let sd = (logs.iter().map(|l| (l - ml).powi(2)).sum::<f64>() / n as f64).sqrt();
    let m = v.iter().sum::<f64>() / n as f64;
    let cv = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64).sqrt() / m;
    Sigma {
        sd_log: Some(sd),
        cv: Some(cv),
        n,
    }
}
