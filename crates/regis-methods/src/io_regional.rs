//! A regional input-output table from a national one by location quotients, for a region with
//! no survey table: the national technical coefficients scaled down where the region is less
//! able to supply an input itself (Miller & Blair 2009, §8.3).
//!
//! With regional and national employment (or GRDP) by sector, `RE_i`, `NE_i` and their totals:
//! - SLQ: `SLQ_i = (RE_i / ΣRE) / (NE_i / ΣNE)`, applied to row i;
//! - CILQ: `CILQ_ij = SLQ_i / SLQ_j` (off the diagonal; `SLQ_i` on it);
//! - FLQ (Flegg & Webber 1997): `FLQ_ij = CILQ_ij · λ*` with `λ* = [log2(1 + ΣRE/ΣNE)]^δ`,
//!   `0 ≤ δ < 1` (a smaller region imports more: its coefficients shrink more);
//! - AFLQ (Flegg & Webber 2000): `FLQ_ij · log2(1 + SLQ_j)` where the buying sector is
//!   specialised (`SLQ_j > 1`), `FLQ_ij` elsewhere.
//!
//! The regional coefficient is `r_ij = a_ij · min(q_ij, 1)`: a quotient of at least 1 leaves the
//! national coefficient as it is (the region supplies all it needs). So regional coefficients
//! never exceed the national ones, δ = 0 gives CILQ, a region equal to the nation gives the
//! national table, and multipliers fall as δ rises.
//! References: Flegg, A. T. & Webber, C. D. (1997) "On the appropriate use of location quotients
//! in generating regional input-output tables: reply", *Regional Studies* 31(8), 795-805,
//! doi:10.1080/713693401; Flegg, A. T. & Webber, C. D. (2000) "Regional size, regional
//! specialization and the FLQ formula", *Regional Studies* 34(6), 563-569,
//! doi:10.1080/00343400050085675. Complexity: O(n²).

/// Which location quotient scales the coefficients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quotient {
    /// Simple location quotient of the selling sector.
    Slq,
    /// Cross-industry location quotient.
    Cilq,
    /// Flegg's location quotient with its δ.
    Flq(f64),
    /// Augmented FLQ with its δ.
    Aflq(f64),
}

/// Why a regionalisation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionalError {
    /// The vectors do not match the table.
    #[error("{got} values for {n} sectors")]
    Shape {
        /// Values given.
        got: usize,
        /// Sectors.
        n: usize,
    },
    /// δ outside [0, 1).
    #[error("δ must lie in [0, 1), not {0}")]
    Delta(f64),
    /// A negative or non-finite size, or a region larger than the nation.
    #[error("{0}")]
    Sizes(String),
}

/// Simple location quotients of the region's sectors.
fn slq(regional: &[f64], national: &[f64]) -> Vec<f64> {
    let (tr, tn): (f64, f64) = (regional.iter().sum(), national.iter().sum());
    regional
        .iter()
        .zip(national)
        .map(|(r, n)| {
            if *n > 0.0 && tr > 0.0 {
                (r / tr) / (n / tn)
            } else {
                0.0
            }
        })
        .collect()
}

/// The regional coefficients `r_ij = a_ij · min(q_ij, 1)` of the national coefficients `a`
/// (row-major n × n) for a region with sector sizes `regional` (employment or output; the
/// nation's are `national`), by `quotient`.
///
/// ```
/// use regis_methods::io_regional::{regional_coefficients, Quotient};
/// // Two sectors; the region has 10% of the nation, specialised in sector 1 (SLQ 1.5, 0.5).
/// let a = [0.2, 0.1, 0.3, 0.4];
/// let (region, nation) = ([15.0, 5.0], [100.0, 100.0]);
/// let slq = regional_coefficients(&a, &region, &nation, Quotient::Slq).unwrap();
/// assert_eq!(slq, vec![0.2, 0.1, 0.3 * 0.5, 0.4 * 0.5]);
/// // CILQ: row 2 into column 1 is 0.5 / 1.5; row 1 into column 2 is 3, capped at 1.
/// let cilq = regional_coefficients(&a, &region, &nation, Quotient::Cilq).unwrap();
/// assert!((cilq[2] - 0.3 / 3.0).abs() < 1e-15 && cilq[1] == 0.1);
/// // FLQ with δ = 0.3: λ* = log2(1.1)^0.3 = 0.5514.
/// let flq = regional_coefficients(&a, &region, &nation, Quotient::Flq(0.3)).unwrap();
/// let lambda = (1.1f64).log2().powf(0.3);
/// assert!((lambda - 0.5514).abs() < 1e-4);
/// assert!((flq[0] - 0.2 * (1.5 * lambda).min(1.0)).abs() < 1e-15);
/// ```
pub fn regional_coefficients(
    a: &[f64],
    regional: &[f64],
    national: &[f64],
    quotient: Quotient,
) -> Result<Vec<f64>, RegionalError> {
    let n = regional.len();
    if national.len() != n || a.len() != n * n {
        return Err(RegionalError::Shape {
            got: if national.len() != n {
                national.len()
            } else {
                a.len()
            },
            n,
        });
    }
    if regional
        .iter()
        .chain(national)
        .any(|v| !v.is_finite() || *v < 0.0)
    {
        return Err(RegionalError::Sizes(
            "sector sizes must be finite and not negative".into(),
        ));
    }
    let (tr, tn): (f64, f64) = (regional.iter().sum(), national.iter().sum());
    if tn <= 0.0 {
        return Err(RegionalError::Sizes("the nation's sectors sum to 0".into()));
    }
    if tr > tn * (1.0 + 1e-12) {
        return Err(RegionalError::Sizes(format!(
            "the region ({tr}) is larger than the nation ({tn})"
        )));
    }
    let delta = match quotient {
        Quotient::Flq(d) | Quotient::Aflq(d) => {
            if !(0.0..1.0).contains(&d) {
                return Err(RegionalError::Delta(d));
            }
            Some(d)
        }
        _ => None,
    };
    let s = slq(regional, national);
    let lambda = delta.map(|d| (1.0 + tr / tn).log2().powf(d));
    let q = |i: usize, j: usize| -> f64 {
        let cilq = if i == j || s[j] == 0.0 {
            s[i]
        } else {
            s[i] / s[j]
        };
        match quotient {
            Quotient::Slq => s[i],
            Quotient::Cilq => cilq,
            Quotient::Flq(_) => cilq * lambda.unwrap_or(1.0),
            Quotient::Aflq(_) => {
                let flq = cilq * lambda.unwrap_or(1.0);
                if s[j] > 1.0 {
                    flq * (1.0 + s[j]).log2()
                } else {
                    flq
                }
            }
        }
    };
    Ok((0..n * n)
        .map(|k| a[k] * q(k / n, k % n).min(1.0))
        .collect())
}
