//! Ordinary least squares for the small designs of regional econometrics (a constant, a few
//! regressors, group dummies): coefficients, classical standard errors, t statistics and
//! two-sided p-values from Student's t, R².
//!
//! Method: normal equations `(X'X) b = X'y` solved by Cholesky factorisation;
//! `Var(b) = s² (X'X)⁻¹` with `s² = e'e / (n − k)`. Adequate for well-conditioned designs with
//! k ≪ n (k up to a few dozen); a singular design (collinear dummies) is reported, not solved.
//! Reference: Greene, W. H. (2018) *Econometric Analysis*, 8th ed., ch. 4.
//! Complexity: O(n k² + k³).

/// An OLS fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Ols {
    /// Coefficients, in the order of the columns given.
    pub coefficients: Vec<f64>,
    /// Classical standard errors.
    pub std_errors: Vec<f64>,
    /// t statistics.
    pub t_values: Vec<f64>,
    /// Two-sided p-values (Student's t with n − k degrees of freedom).
    pub p_values: Vec<f64>,
    /// Coefficient of determination (centred; the design is assumed to have a constant).
    pub r_squared: f64,
    /// Residual variance `s²`.
    pub sigma2: f64,
    /// Observations.
    pub n: usize,
    /// Columns.
    pub k: usize,
}

/// Why a regression could not be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegressionError {
    /// Fewer observations than columns + 1.
    #[error("{n} observations for {k} coefficients: need at least k + 1")]
    TooFew {
        /// Observations.
        n: usize,
        /// Coefficients.
        k: usize,
    },
    /// X'X is singular (collinear regressors, a dummy for an empty group).
    #[error("the regressors are collinear (X'X is singular)")]
    Singular,
}

/// Fits `y = X b + e`; `columns` are the regressors (include a column of ones for a constant).
///
/// ```
/// use regis_methods::regression::ols;
/// let x = vec![vec![1.0; 4], vec![1.0, 2.0, 3.0, 4.0]];
/// let fit = ols(&[3.0, 5.0, 7.0, 9.0], &x).unwrap();
/// assert!((fit.coefficients[0] - 1.0).abs() < 1e-12 && (fit.coefficients[1] - 2.0).abs() < 1e-12);
/// ```
pub fn ols(y: &[f64], columns: &[Vec<f64>]) -> Result<Ols, RegressionError> {
    let n = y.len();
    let k = columns.len();
    if n <= k {
        return Err(RegressionError::TooFew { n, k });
    }
    // X'X and X'y.
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for a in 0..k {
        for b in a..k {
            let s: f64 = columns[a].iter().zip(&columns[b]).map(|(u, v)| u * v).sum();
            xtx[a * k + b] = s;
            xtx[b * k + a] = s;
        }
        xty[a] = columns[a].iter().zip(y).map(|(u, v)| u * v).sum();
    }
    let l = cholesky(&xtx, k).ok_or(RegressionError::Singular)?;
    let coefficients = cholesky_solve(&l, k, &xty);
    let resid: Vec<f64> = (0..n)
        .map(|i| y[i] - (0..k).map(|j| columns[j][i] * coefficients[j]).sum::<f64>())
        .collect();
    let sse: f64 = resid.iter().map(|e| e * e).sum();
    let mean = y.iter().sum::<f64>() / n as f64;
    let sst: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let df = (n - k) as f64;
    let sigma2 = sse / df;
    // Diagonal of (X'X)^-1: solve for unit vectors.
    let mut std_errors = Vec::with_capacity(k);
    for j in 0..k {
        let mut e = vec![0.0; k];
        e[j] = 1.0;
        let col = cholesky_solve(&l, k, &e);
        std_errors.push((sigma2 * col[j]).sqrt());
    }
    let t_values: Vec<f64> = coefficients
        .iter()
        .zip(&std_errors)
        .map(|(b, s)| b / s)
        .collect();
    let p_values = t_values
        .iter()
        .map(|t| student_t_two_sided(*t, df))
        .collect();
    Ok(Ols {
        coefficients,
        std_errors,
        t_values,
        p_values,
        r_squared: if sst > 0.0 { 1.0 - sse / sst } else { f64::NAN },
        sigma2,
        n,
        k,
    })
}

pub(crate) fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    let scale = (0..k)
        .map(|i| a[i * k + i].abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    for i in 0..k {
        for j in 0..=i {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            if i == j {
                if s <= 1e-12 * scale {
                    return None;
                }
                l[i * k + i] = s.sqrt();
            } else {
                l[i * k + j] = s / l[j * k + j];
            }
        }
    }
    Some(l)
}

pub(crate) fn cholesky_solve(l: &[f64], k: usize, b: &[f64]) -> Vec<f64> {
    let mut z = vec![0.0; k];
    for i in 0..k {
        let s: f64 = (0..i).map(|p| l[i * k + p] * z[p]).sum();
        z[i] = (b[i] - s) / l[i * k + i];
    }
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        let s: f64 = (i + 1..k).map(|p| l[p * k + i] * x[p]).sum();
        x[i] = (z[i] - s) / l[i * k + i];
    }
    x
}

/// Two-sided p-value of Student's t: `P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)`, with the
/// regularised incomplete beta function evaluated by Lentz's continued fraction
/// (Press et al. 2007, *Numerical Recipes*, 3rd ed., §6.4).
///
/// ```
/// // t = 2.228 with 10 degrees of freedom is the 5% two-sided critical value.
/// assert!((regis_methods::regression::student_t_two_sided(2.228138852, 10.0) - 0.05).abs() < 1e-8);
/// ```
pub fn student_t_two_sided(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

pub(crate) fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let bt = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        bt * beta_cf(a, b, x) / a
    } else {
        1.0 - bt * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}
