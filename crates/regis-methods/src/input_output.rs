//! Input-output analysis: technical and allocation coefficients, the Leontief and Ghosh
//! inverses, output multipliers, the type I effects and multipliers of satellite rows
//! (income, value added, employment), and backward/forward linkages — the "linkages"
//! criterion of strategic-industry selection and the input-output links of cluster
//! derivation.
//!
//! Formulas: `A = Z x̂⁻¹` (input per unit of the buyer's output), `L = (I − A)⁻¹` (Leontief),
//! `B = x̂⁻¹ Z` (output sold per unit of the seller's output), `G = (I − B)⁻¹` (Ghosh).
//! Backward linkage of j (Rasmussen 1956): `BL_j = (Σ_i L_ij / n) / (Σ_ij L_ij / n²)`; forward
//! linkage of i: `FL_i = (Σ_j G_ij / n) / (Σ_ij G_ij / n²)`; above 1: stronger than average.
//! References: Miller, R. E. & Blair, P. D. (2009) *Input-Output Analysis*, 2nd ed., Cambridge
//! University Press, doi:10.1017/CBO9780511626982; Rasmussen, P. N. (1956) *Studies in
//! Inter-Sectoral Relations*, North-Holland.
//! Complexity: O(n³) for an inverse (LU with partial pivoting), O(n²) memory.

/// Why an input-output computation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IoError {
    /// Shapes do not agree.
    #[error("{values} flows for {n} sectors: expected n² = {expected}")]
    Shape {
        /// Flows given.
        values: usize,
        /// Sectors.
        n: usize,
        /// n².
        expected: usize,
    },
    /// A flow is not finite, or an output is negative or not finite.
    #[error("flow or output {0} is not finite (or a negative output)")]
    Value(f64),
    /// I − A (or I − B) is singular (a sector uses all of its own output, for instance).
    #[error("the matrix I − A is singular: no Leontief inverse")]
    Singular,
}

/// Checks an n × n flow matrix and an output vector.
fn check(z: &[f64], x: &[f64]) -> Result<usize, IoError> {
    let n = x.len();
    if z.len() != n * n {
        return Err(IoError::Shape {
            values: z.len(),
            n,
            expected: n * n,
        });
    }
    // Negative flows are legitimate in published tables (the Bank of Korea records scrap and
    // by-products as negative inputs); negative or infinite outputs are not.
    if let Some(v) = z
        .iter()
        .find(|v| !v.is_finite())
        .or_else(|| x.iter().find(|v| !v.is_finite() || **v < 0.0))
    {
        return Err(IoError::Value(*v));
    }
    Ok(n)
}

/// Technical coefficients `A_ij = Z_ij / x_j` (0 where `x_j = 0`).
pub fn technical_coefficients(z: &[f64], x: &[f64]) -> Result<Vec<f64>, IoError> {
    let n = check(z, x)?;
    Ok(z.chunks_exact(n.max(1))
        .flat_map(|row| {
            row.iter()
                .zip(x)
                .map(|(z, x)| if *x > 0.0 { z / x } else { 0.0 })
        })
        .collect())
}

/// Allocation coefficients `B_ij = Z_ij / x_i` (0 where `x_i = 0`).
pub fn allocation_coefficients(z: &[f64], x: &[f64]) -> Result<Vec<f64>, IoError> {
    let n = check(z, x)?;
    Ok((0..n * n)
        .map(|k| if x[k / n] > 0.0 { z[k] / x[k / n] } else { 0.0 })
        .collect())
}

/// `(I − M)⁻¹` by a blocked LU decomposition with partial pivoting ([`crate::linalg::Lu`];
/// `2n³` flops, split over the thread budget).
///
/// ```
/// use regis_methods::input_output::leontief_inverse;
/// // Two sectors: A = [[0.2, 0.3], [0.4, 0.1]]; det(I − A) = 0.8·0.9 − 0.3·0.4 = 0.6.
/// let l = leontief_inverse(&[0.2, 0.3, 0.4, 0.1]).unwrap();
/// assert!((l[0] - 0.9 / 0.6).abs() < 1e-12 && (l[1] - 0.3 / 0.6).abs() < 1e-12);
/// ```
pub fn leontief_inverse(a: &[f64]) -> Result<Vec<f64>, IoError> {
    Ok(leontief_lu(a)?.inverse())
}

/// The LU factorisation of `I − A` ([`crate::linalg::Lu`]): products with the Leontief inverse
/// (`sᵀL` by [`crate::linalg::Lu::solve_rows`], `L y` by
/// [`crate::linalg::Lu::solve_columns`]) without the inverse. Complexity `2n³/3`.
pub fn leontief_lu(a: &[f64]) -> Result<crate::linalg::Lu, IoError> {
    let n = (a.len() as f64).sqrt().round() as usize;
    if n * n != a.len() {
        return Err(IoError::Shape {
            values: a.len(),
            n,
            expected: n * n,
        });
    }
    if let Some(v) = a.iter().find(|v| !v.is_finite()) {
        return Err(IoError::Value(*v));
    }
    let mut m: Vec<f64> = a.iter().map(|v| -v).collect();
    for i in 0..n {
        m[i * n + i] += 1.0;
    }
    crate::linalg::Lu::new(m, n).map_err(|_| IoError::Singular)
}

/// The Ghosh inverse `G = (I − B)⁻¹` from flows and outputs.
pub fn ghosh_inverse(z: &[f64], x: &[f64]) -> Result<Vec<f64>, IoError> {
    leontief_inverse(&allocation_coefficients(z, x)?)
}

/// Output multipliers: column sums of L.
pub fn output_multipliers(l: &[f64]) -> Vec<f64> {
    let n = (l.len() as f64).sqrt().round() as usize;
    (0..n).map(|j| (0..n).map(|i| l[i * n + j]).sum()).collect()
}

/// The type I multipliers of one satellite row `s` (compensation of employees, value added,
/// employment) over output `x`, with the Leontief inverse `l` (Miller & Blair 2009, ch. 6):
///
/// - coefficient `c_j = s_j / x_j` (per unit of output; 0 where `x_j = 0`);
/// - effect `e_j = Σ_i c_i L_ij`: what one unit of final demand for `j` generates across the
///   economy (the income effect for compensation, the GVA effect for value added);
/// - multiplier `e_j / c_j`: the effect per unit of `j`'s own direct coefficient (type I;
///   none where `c_j = 0`).
///
/// Units: the effect is in the satellite's unit per unit of output (persons per million KRW
/// for employment, KRW per KRW for income); the multiplier has none. Complexity O(n²).
///
/// ```
/// use regis_methods::input_output::{leontief_inverse, satellite_multipliers, technical_coefficients};
/// // Miller & Blair (2009) Table 2.3: two sectors; value added is all that is not bought.
/// let (z, x) = (vec![150.0, 500.0, 200.0, 100.0], vec![1000.0, 2000.0]);
/// let l = leontief_inverse(&technical_coefficients(&z, &x).unwrap()).unwrap();
/// let va = satellite_multipliers(&l, &[650.0, 1400.0], &x);
/// assert!((va.coefficients[0] - 0.65).abs() < 1e-12);
/// // With no imports, a unit of final demand creates exactly a unit of value added.
/// assert!(va.effects.iter().all(|e| (e - 1.0).abs() < 1e-12));
/// assert!((va.multipliers[0].unwrap() - 1.0 / 0.65).abs() < 1e-12);
/// ```
pub fn satellite_multipliers(l: &[f64], s: &[f64], x: &[f64]) -> SatelliteMultipliers {
    let n = x.len();
    let coefficients: Vec<f64> = s
        .iter()
        .zip(x)
        .map(|(v, x)| if *x > 0.0 { v / x } else { 0.0 })
        .collect();
    let effects: Vec<f64> = (0..n)
        .map(|j| (0..n).map(|i| coefficients[i] * l[i * n + j]).sum())
        .collect();
    let multipliers = effects
        .iter()
        .zip(&coefficients)
        .map(|(e, c)| (*c != 0.0).then(|| e / c))
        .collect();
    SatelliteMultipliers {
        coefficients,
        effects,
        multipliers,
    }
}

/// The type I multipliers of a satellite row (see [`satellite_multipliers`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SatelliteMultipliers {
    /// Direct coefficients, per unit of output.
    pub coefficients: Vec<f64>,
    /// Direct and indirect effects per unit of final demand.
    pub effects: Vec<f64>,
    /// Effects over the direct coefficient (none where it is 0).
    pub multipliers: Vec<Option<f64>>,
}

/// The inverse of the table closed to households (type II; Miller & Blair 2009, §6.2.2):
/// households become sector `n + 1`, selling labour (row `h_j = w_j / x_j`, compensation per
/// unit of output) and buying products (column `c_i = f_i / Σ w`, household consumption per
/// unit of total compensation; they buy no labour themselves). Returns `L̄ = (I − Ā)⁻¹`,
/// row-major `(n + 1) × (n + 1)`. Complexity O(n³).
///
/// The type II output multiplier of `j` is `Σ_{i ≤ n} L̄_ij`, its income effect `L̄_{n+1,j}`,
/// its income multiplier `L̄_{n+1,j} / h_j`; the ratio of type II to type I income multipliers
/// is the same for every sector (Miller & Blair 2009, §6.2.3).
///
/// ```
/// use regis_methods::input_output::{household_closure, leontief_inverse, technical_coefficients};
/// // Miller & Blair's two sectors, compensation 300 and 500, households buy 50 and 150.
/// let (z, x) = (vec![150.0, 500.0, 200.0, 100.0], vec![1000.0, 2000.0]);
/// let a = technical_coefficients(&z, &x).unwrap();
/// let lb = household_closure(&a, &[300.0, 500.0], &[50.0, 150.0], &x).unwrap();
/// // Output multipliers rise from 1.518152 and 1.452145 (type I) to 1.698329 and 1.606775.
/// assert!((lb[0] + lb[3] - 1.698329).abs() < 1e-6 && (lb[1] + lb[4] - 1.606775).abs() < 1e-6);
/// // Income multipliers: type II over type I is 1.109636 for both sectors.
/// let l = leontief_inverse(&a).unwrap();
/// let type_i = [(0.3 * l[0] + 0.25 * l[2]) / 0.3, (0.3 * l[1] + 0.25 * l[3]) / 0.25];
/// assert!((lb[6] / 0.3 / type_i[0] - 1.109636).abs() < 1e-6);
/// assert!((lb[7] / 0.25 / type_i[1] - 1.109636).abs() < 1e-6);
/// ```
pub fn household_closure(
    a: &[f64],
    compensation: &[f64],
    household_consumption: &[f64],
    x: &[f64],
) -> Result<Vec<f64>, IoError> {
    let n = x.len();
    if a.len() != n * n || compensation.len() != n || household_consumption.len() != n {
        return Err(IoError::Shape {
            values: a.len(),
            n,
            expected: n * n,
        });
    }
    let income: f64 = compensation.iter().sum();
    if let Some(v) = compensation
        .iter()
        .chain(household_consumption)
        .find(|v| !v.is_finite())
        .or((income <= 0.0).then_some(&income))
    {
        return Err(IoError::Value(*v));
    }
    let m = n + 1;
    let mut closed = vec![0.0; m * m];
    for i in 0..n {
        closed[i * m..i * m + n].copy_from_slice(&a[i * n..(i + 1) * n]);
        closed[i * m + n] = household_consumption[i] / income;
        closed[n * m + i] = if x[i] > 0.0 {
            compensation[i] / x[i]
        } else {
            0.0
        };
    }
    leontief_inverse(&closed)
}

/// Normalised backward linkages (Rasmussen): column sums of L over their mean.
///
/// ```
/// use regis_methods::input_output::{backward_linkages, leontief_inverse, technical_coefficients};
/// // Miller & Blair (2009) Table 2.3: output multipliers 1.518152 and 1.452145.
/// let (z, x) = (vec![150.0, 500.0, 200.0, 100.0], vec![1000.0, 2000.0]);
/// let l = leontief_inverse(&technical_coefficients(&z, &x).unwrap()).unwrap();
/// let b = backward_linkages(&l);
/// assert!((b[0] - 1.022222).abs() < 1e-6 && (b[1] - 0.977778).abs() < 1e-6);
/// ```
pub fn backward_linkages(l: &[f64]) -> Vec<f64> {
    let m = output_multipliers(l);
    let mean = m.iter().sum::<f64>() / m.len().max(1) as f64;
    m.iter().map(|v| v / mean).collect()
}

/// Normalised forward linkages (Ghosh): row sums of G over their mean.
pub fn forward_linkages(g: &[f64]) -> Vec<f64> {
    let n = (g.len() as f64).sqrt().round() as usize;
    let rows: Vec<f64> = (0..n).map(|i| g[i * n..(i + 1) * n].iter().sum()).collect();
    let mean = rows.iter().sum::<f64>() / n.max(1) as f64;
    rows.iter().map(|v| v / mean).collect()
}

/// Normalised forward linkages from the Leontief inverse (row sums of L over their mean): the
/// Leontief-based variant, which measures how much a sector's output rises when every
/// sector's final demand rises by one; the Ghosh-based [`forward_linkages`] is the supply-side
/// measure Miller & Blair (2009, §12.2) recommend.
///
/// ```
/// use regis_methods::input_output::{forward_linkages_leontief, leontief_inverse, technical_coefficients};
/// let (z, x) = (vec![150.0, 500.0, 200.0, 100.0], vec![1000.0, 2000.0]);
/// let l = leontief_inverse(&technical_coefficients(&z, &x).unwrap()).unwrap();
/// let f = forward_linkages_leontief(&l);
/// // Row sums of L: 1.584158 and 1.386139, over their mean 1.485149.
/// assert!((f[0] - 1.066667).abs() < 1e-6 && (f[1] - 0.933333).abs() < 1e-6);
/// ```
pub fn forward_linkages_leontief(l: &[f64]) -> Vec<f64> {
    forward_linkages(l)
}

/// The class of a sector by its normalised backward and forward linkages (Miller & Blair
/// 2009, §12.2.3): `key` (both above 1), `backward` (backward only: a strong buyer), `forward`
/// (forward only: a strong supplier), or `weak`.
///
/// ```
/// use regis_methods::input_output::key_sector;
/// assert_eq!(key_sector(1.2, 1.1), "key");
/// assert_eq!(key_sector(1.2, 0.9), "backward");
/// assert_eq!(key_sector(0.8, 0.9), "weak");
/// ```
pub fn key_sector(backward: f64, forward: f64) -> &'static str {
    match (backward > 1.0, forward > 1.0) {
        (true, true) => "key",
        (true, false) => "backward",
        (false, true) => "forward",
        (false, false) => "weak",
    }
}

/// Input-output similarity of two sectors for cluster derivation:
/// `max(A_ij, A_ji, B_ij, B_ji)` — the larger of the shares of inputs bought from and outputs
/// sold to each other (Delgado, Porter & Stern 2016 use the same idea on US tables).
pub fn io_similarity(z: &[f64], x: &[f64]) -> Result<Vec<f64>, IoError> {
    let n = x.len();
    let a = technical_coefficients(z, x)?;
    let b = allocation_coefficients(z, x)?;
    Ok((0..n * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            if i == j {
                1.0
            } else {
                a[i * n + j]
                    .max(a[j * n + i])
                    .max(b[i * n + j])
                    .max(b[j * n + i])
            }
        })
        .collect())
}

/// What the economy loses without sector j, by hypothetical extraction, each as total output
/// lost (the table's unit) with the final demand `f = x − Z·1` and primary inputs
/// `v' = x' − 1'Z` derived from the table, not assumed:
/// - `total`: row and column j removed and j's final demand with them (Strassert 1968; Miller
///   & Lahr 2001): `1'x − 1'x̄` with `x̄ = (I − Ā)⁻¹ f̄`;
/// - `backward`: j buys no intermediate input, its own included (column j of A zeroed;
///   Dietzenbacher, van der Linden & Steenge 1993): `1'x − 1'(I − A₍·j₎)⁻¹ f`;
/// - `forward`: j sells no intermediate output, to itself included (row j of B zeroed, supply
///   side):
///   `x'1 − v'(I − B₍j·₎)⁻¹ 1`. A supply-side (Ghosh) measure: it is not comparable with the
///   two demand-side ones and can exceed the total (a supplier of everything, like mining).
///
/// References: Miller, R. E. & Lahr, M. L. (2001) "A taxonomy of extractions", in Lahr &
/// Miller (eds.) *Regional Science Perspectives in Economic Analysis*, Elsevier, 407-441;
/// Dietzenbacher, E., van der Linden, J. A. & Steenge, A. E. (1993) *Economic Systems Research*
/// 5(2), 185-198, doi:10.1080/09535319300000017. Complexity: O(n⁴) (one inverse per sector).
///
/// ```
/// use regis_methods::input_output::extraction;
/// // Miller & Blair (2009) Table 2.3: final demand 350 and 1,700; total output 3,000.
/// let e = extraction(&[150.0, 500.0, 200.0, 100.0], &[1000.0, 2000.0]).unwrap();
/// // Without sector 1, sector 2 alone meets its final demand 1,700 with its own inputs:
/// // x̄₂ = 1,700 / 0.95 = 1,789.47; 3,000 − 1,789.47 = 1,210.53 is lost.
/// assert!((e[0].total - (3000.0 - 1700.0 / 0.95)).abs() < 1e-9);
/// assert!(e.iter().all(|s| s.backward <= s.total + 1e-9));
/// ```
pub fn extraction(z: &[f64], x: &[f64]) -> Result<Vec<Extraction>, IoError> {
    let n = check(z, x)?;
    let a = technical_coefficients(z, x)?;
    let b = allocation_coefficients(z, x)?;
    let f: Vec<f64> = (0..n)
        .map(|i| x[i] - (0..n).map(|j| z[i * n + j]).sum::<f64>())
        .collect();
    let v: Vec<f64> = (0..n)
        .map(|j| x[j] - (0..n).map(|i| z[i * n + j]).sum::<f64>())
        .collect();
    let total_x: f64 = x.iter().sum();
    let solve = |m: &[f64], rhs: &[f64], by_column: bool| -> Result<f64, IoError> {
        let l = leontief_inverse(m)?;
        Ok((0..n)
            .map(|i| {
                (0..n)
                    .map(|k| {
                        if by_column {
                            l[i * n + k] * rhs[k]
                        } else {
                            rhs[k] * l[k * n + i]
                        }
                    })
                    .sum::<f64>()
            })
            .sum())
    };
    (0..n)
        .map(|j| {
            let mut at = a.clone();
            let mut ft = f.clone();
            for k in 0..n {
                at[j * n + k] = 0.0;
                at[k * n + j] = 0.0;
            }
            ft[j] = 0.0;
            let total = total_x - solve(&at, &ft, true)?;
            let mut ab = a.clone();
            for k in 0..n {
                ab[k * n + j] = 0.0;
            }
            let backward = total_x - solve(&ab, &f, true)?;
            let mut bf = b.clone();
            for k in 0..n {
                bf[j * n + k] = 0.0;
            }
            let forward = total_x - solve(&bf, &v, false)?;
            Ok(Extraction {
                total,
                backward,
                forward,
            })
        })
        .collect()
}

/// The output lost by extracting one sector (see [`extraction`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extraction {
    /// The sector removed altogether.
    pub total: f64,
    /// The sector buying nothing from the others.
    pub backward: f64,
    /// The sector selling nothing to the others.
    pub forward: f64,
}
