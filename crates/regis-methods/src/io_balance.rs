//! Balancing a matrix to known margins: RAS, and GRAS for matrices with negative entries.
//!
//! Given a prior `X⁰` (rows × columns) and target row sums `u` and column sums `v` (with
//! `Σu = Σv`), GRAS finds `X` with those margins that stays closest to `X⁰` in the information
//! sense and keeps every entry's sign (Junius, T. & Oosterhaven, J. 2003, "The solution of
//! updating or regionalizing a matrix with both positive and negative entries", *Economic
//! Systems Research* 15(1), 87-96, doi:10.1080/0953531032000056954; in the corrected form of
//! Lenzen, M., Wood, R. & Gallego, B. 2007, *Economic Systems Research* 19(4), 461-465,
//! doi:10.1080/09535310701698613). With `P` the positive and `N` the negated negative part of
//! `X⁰`, the solution is `x_ij = r_i p_ij s_j − n_ij / (r_i s_j)`, the row and column factors
//! updated in turn by
//! `r_i = (u_i + √(u_i² + 4 p_i(s) n_i(s))) / (2 p_i(s))` with `p_i(s) = Σ_j p_ij s_j`,
//! `n_i(s) = Σ_j n_ij / s_j` (and `r_i = −n_i(s) / u_i` where `p_i(s) = 0`), the same for
//! `s_j`. Without negative entries it is RAS (Stone 1961; Miller & Blair 2009, §7.4):
//! `r_i = u_i / Σ_j x⁰_ij s_j`. Complexity O(rows × columns) per iteration.

/// Why a matrix cannot be balanced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BalanceError {
    /// The shapes do not agree.
    #[error("{got} entries for a {rows} × {cols} matrix with {u} row and {v} column targets")]
    Shape {
        /// Entries given.
        got: usize,
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// Row targets given.
        u: usize,
        /// Column targets given.
        v: usize,
    },
    /// The row targets and the column targets do not add up to the same total.
    #[error("row targets add up to {rows}, column targets to {cols}: they must be equal")]
    Totals {
        /// Sum of the row targets.
        rows: f64,
        /// Sum of the column targets.
        cols: f64,
    },
    /// A row or column of the prior is all zero but its target is not, or a target has the
    /// wrong sign for the row's or column's entries.
    #[error("{0} cannot reach its target from the prior")]
    Infeasible(String),
    /// No convergence within the iterations allowed.
    #[error("no convergence in {iterations} iterations (largest margin gap {gap})")]
    NoConvergence {
        /// Iterations run.
        iterations: usize,
        /// Largest absolute gap left.
        gap: f64,
    },
}

/// A balanced matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Balanced {
    /// The matrix, row-major.
    pub matrix: Vec<f64>,
    /// Row factors `r`.
    pub row_factors: Vec<f64>,
    /// Column factors `s`.
    pub column_factors: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
}

/// One factor update: `(t + √(t² + 4 p n)) / (2 p)`, or `−n / t` where `p = 0`. A target a
/// row (column) cannot reach with its signs is infeasible: a positive target without positive
/// cells, a negative one without negative cells, a zero target with cells of one sign only
/// and not all zero (the factor would have to be 0 or infinite).
fn factor(target: f64, p: f64, n: f64, what: &dyn Fn() -> String) -> Result<f64, BalanceError> {
    let f = if p > 0.0 && n > 0.0 {
        (target + (target * target + 4.0 * p * n).sqrt()) / (2.0 * p)
    } else if p > 0.0 && target > 0.0 {
        target / p
    } else if n > 0.0 && target < 0.0 {
        -n / target
    } else if p == 0.0 && n == 0.0 && target == 0.0 {
        1.0
    } else {
        return Err(BalanceError::Infeasible(what()));
    };
    if f.is_finite() && f > 0.0 {
        Ok(f)
    } else {
        Err(BalanceError::Infeasible(what()))
    }
}

/// Balances `x0` (row-major `rows × cols`) to row sums `u` and column sums `v` by GRAS (RAS
/// when no entry is negative), to a largest margin gap of `tolerance` times the largest
/// target. The totals of `u` and `v` must agree within 1e-6 of the largest target (margins
/// read from rounded tables); a row or column that must become zero (a zero target over cells
/// of one sign) is refused as infeasible rather than driven to zero.
///
/// ```
/// use regis_methods::io_balance::gras;
/// // RAS: a uniform prior, rows to 3 and 1, columns to 2 and 2.
/// let b = gras(&[1.0, 1.0, 1.0, 1.0], 2, 2, &[3.0, 1.0], &[2.0, 2.0], 1e-12, 1000).unwrap();
/// assert!(b.matrix.iter().zip([1.5, 1.5, 0.5, 0.5]).all(|(x, w)| (x - w).abs() < 1e-12));
/// // GRAS keeps a negative entry negative.
/// let b = gras(&[4.0, -1.0, 2.0, 3.0], 2, 2, &[4.0, 6.0], &[7.0, 3.0], 1e-12, 1000).unwrap();
/// assert!(b.matrix[1] < 0.0);
/// assert!((b.matrix[0] + b.matrix[1] - 4.0).abs() < 1e-9 && (b.matrix[1] + b.matrix[3] - 3.0).abs() < 1e-9);
/// ```
#[allow(clippy::needless_range_loop)]
pub fn gras(
    x0: &[f64],
    rows: usize,
    cols: usize,
    u: &[f64],
    v: &[f64],
    tolerance: f64,
    max_iterations: usize,
) -> Result<Balanced, BalanceError> {
    if x0.len() != rows * cols || u.len() != rows || v.len() != cols {
        return Err(BalanceError::Shape {
            got: x0.len(),
            rows,
            cols,
            u: u.len(),
            v: v.len(),
        });
    }
    let (su, sv): (f64, f64) = (u.iter().sum(), v.iter().sum());
    let scale = u
        .iter()
        .chain(v)
        .fold(0.0f64, |m, x| m.max(x.abs()))
        .max(f64::MIN_POSITIVE);
    if (su - sv).abs() > 1e-6 * scale * (rows + cols) as f64 {
        return Err(BalanceError::Totals { rows: su, cols: sv });
    }
    let p: Vec<f64> = x0.iter().map(|x| x.max(0.0)).collect();
    let n: Vec<f64> = x0.iter().map(|x| (-x).max(0.0)).collect();
    let (mut r, mut s) = (vec![1.0; rows], vec![1.0; cols]);
    let value = |r: &[f64], s: &[f64], i: usize, j: usize| {
        let k = i * cols + j;
        r[i] * p[k] * s[j] - n[k] / (r[i] * s[j])
    };
    let gap = |r: &[f64], s: &[f64]| -> f64 {
        let mut worst = 0.0f64;
        for i in 0..rows {
            let sum: f64 = (0..cols).map(|j| value(r, s, i, j)).sum();
            worst = worst.max((sum - u[i]).abs());
        }
        for j in 0..cols {
            let sum: f64 = (0..rows).map(|i| value(r, s, i, j)).sum();
            worst = worst.max((sum - v[j]).abs());
        }
        worst
    };
    for iteration in 1..=max_iterations {
        for i in 0..rows {
            let (mut pi, mut ni) = (0.0, 0.0);
            for j in 0..cols {
                pi += p[i * cols + j] * s[j];
                ni += n[i * cols + j] / s[j];
            }
            r[i] = factor(u[i], pi, ni, &|| format!("row {}", i + 1))?;
        }
        for j in 0..cols {
            let (mut pj, mut nj) = (0.0, 0.0);
            for i in 0..rows {
                pj += p[i * cols + j] * r[i];
                nj += n[i * cols + j] / r[i];
            }
            s[j] = factor(v[j], pj, nj, &|| format!("column {}", j + 1))?;
        }
        let g = gap(&r, &s);
        if !g.is_finite() {
            return Err(BalanceError::NoConvergence {
                iterations: iteration,
                gap: g,
            });
        }
        if g <= tolerance * scale {
            let matrix = (0..rows * cols)
                .map(|k| value(&r, &s, k / cols, k % cols))
                .collect();
            return Ok(Balanced {
                matrix,
                row_factors: r,
                column_factors: s,
                iterations: iteration,
            });
        }
        if iteration == max_iterations {
            return Err(BalanceError::NoConvergence {
                iterations: iteration,
                gap: g,
            });
        }
    }
    Err(BalanceError::NoConvergence {
        iterations: 0,
        gap: f64::NAN,
    })
}
