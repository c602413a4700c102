//! Spatial statistics on [`Weights`]: global Moran's I (normal, randomisation and permutation
//! inference), Geary's C, Getis-Ord G, local G_i / G_i*, local Moran (LISA) with conditional
//! permutations, and the spatial Gini.

use regis_core::Diagnostic;

use super::*;
use crate::distributions::{normal_cdf, normal_sf};
use crate::random::Rng;

pub(super) fn standardise(y: &[f64]) -> (Vec<f64>, f64) {
    let n = y.len() as f64;
    let m = y.iter().sum::<f64>() / n;
    let z: Vec<f64> = y.iter().map(|v| v - m).collect();
    let sd = (z.iter().map(|v| v * v).sum::<f64>() / n).sqrt();
    (z, sd)
}

/// Folded permutation p-value: `(min(larger, P − larger) + 1) / (P + 1)`.
pub(super) fn folded(larger: usize, permutations: usize) -> f64 {
    let l = larger.min(permutations - larger);
    (l as f64 + 1.0) / (permutations as f64 + 1.0)
}

/// Global Moran's I with its inference.
#[derive(Debug, Clone, PartialEq)]
pub struct Moran {
    /// `I = (n/S0) Σ_ij w_ij z_i z_j / Σ_i z_i²`.
    pub i: f64,
    /// `E[I] = −1/(n−1)`.
    pub expected: f64,
    /// Variance under normality.
    pub variance_normal: f64,
    /// z under normality.
    pub z_normal: f64,
    /// Two-sided p under normality.
    pub p_normal: f64,
    /// Variance under randomisation.
    pub variance_random: f64,
    /// z under randomisation.
    pub z_random: f64,
    /// Two-sided p under randomisation.
    pub p_random: f64,
    /// Folded permutation p (None without permutations).
    pub p_sim: Option<f64>,
    /// Mean of the permuted I values.
    pub mean_sim: Option<f64>,
    /// Notes (islands, constant values).
    pub diagnostics: Vec<Diagnostic>,
}

/// Global Moran's I (esda's `Moran`, two-tailed analytic p-values).
///
/// Formulas: `I = (n/S0) z'Wz / z'z`; `Var_N(I) = (n² S1 − n S2 + 3 S0²)/((n²−1) S0²) − E[I]²`;
/// `Var_R(I) = [n((n²−3n+3) S1 − n S2 + 3 S0²) − b2((n²−n) S1 − 2n S2 + 6 S0²)] /
/// ((n−1)(n−2)(n−3) S0²) − E[I]²` with kurtosis `b2 = m4/m2²`.
/// Reference: Moran, P. A. P. (1950) Notes on continuous stochastic phenomena, *Biometrika*
/// 37(1/2), 17-23, doi:10.2307/2332142; Cliff, A. D. & Ord, J. K. (1981) *Spatial Processes*.
/// Complexity: O(n + nnz) plus O(P·(n + nnz)) for P permutations.
///
/// ```
/// use regis_methods::spatial::{moran, Weights};
/// // A 1-D chain with a trend is positively autocorrelated.
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2]]).row_standardised();
/// let m = moran(&[1.0, 2.0, 3.0, 4.0], &w, 0, 1);
/// // z = (-1.5, -0.5, 0.5, 1.5), lag = (-0.5, -0.5, 0.5, 0.5): I = (4/4) x 2 / 5 = 0.4.
/// assert!((m.i - 0.4).abs() < 1e-12);
/// ```
pub fn moran(y: &[f64], w: &Weights, permutations: usize, seed: u64) -> Moran {
    let n = y.len();
    let nf = n as f64;
    let (z, _) = standardise(y);
    let z2: f64 = z.iter().map(|v| v * v).sum();
    let s0 = w.s0();
    let mut diagnostics = Vec::new();
    if !w.islands().is_empty() {
        diagnostics.push(Diagnostic::warning(
            "islands",
            format!(
                "{} unit(s) without neighbours (islands) enter with a zero spatial lag",
                w.islands().len()
            ),
        ));
    }
    let calc = |z: &[f64]| -> f64 {
        let lag = w.lag(z);
        nf / s0 * z.iter().zip(&lag).map(|(a, b)| a * b).sum::<f64>() / z2
    };
    if z2 == 0.0 || s0 == 0.0 || n < 4 {
        diagnostics.push(Diagnostic::warning(
            "degenerate",
            "constant values, no links or fewer than 4 units: Moran's I is undefined",
        ));
        return Moran {
            i: f64::NAN,
            expected: f64::NAN,
            variance_normal: f64::NAN,
            z_normal: f64::NAN,
            p_normal: f64::NAN,
            variance_random: f64::NAN,
            z_random: f64::NAN,
            p_random: f64::NAN,
            p_sim: None,
            mean_sim: None,
            diagnostics,
        };
    }
    let i = calc(&z);
    let (s1, s2) = (w.s1(), w.s2());
    let ei = -1.0 / (nf - 1.0);
    let s02 = s0 * s0;
    let vn = (nf * nf * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02) - ei * ei;
    let m2 = z2 / nf;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    let k = m4 / (m2 * m2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = k * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let vr = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - ei * ei;
    let zn = (i - ei) / vn.sqrt();
    let zr = (i - ei) / vr.sqrt();
    let two = |zv: f64| {
        2.0 * if zv > 0.0 {
            normal_sf(zv)
        } else {
            normal_cdf(zv)
        }
    };
    let (mut p_sim, mut mean_sim) = (None, None);
    if permutations > 0 {
        let mut rng = Rng::seeded(seed);
        let mut zp = z.clone();
        let mut larger = 0;
        let mut sum = 0.0;
        for _ in 0..permutations {
            rng.shuffle(&mut zp);
            let v = calc(&zp);
            sum += v;
            if v >= i {
                larger += 1;
            }
        }
        p_sim = Some(folded(larger, permutations));
        mean_sim = Some(sum / permutations as f64);
    }
    Moran {
        i,
        expected: ei,
        variance_normal: vn,
        z_normal: zn,
        p_normal: two(zn),
        variance_random: vr,
        z_random: zr,
        p_random: two(zr),
        p_sim,
        mean_sim,
        diagnostics,
    }
}

/// Geary's C (esda's `Geary`): `C = (n−1) Σ_ij w_ij (y_i − y_j)² / (2 S0 Σ_i (y_i − ȳ)²)`;
/// `E[C] = 1`, below 1 positive autocorrelation.
/// Reference: Geary, R. C. (1954) The contiguity ratio and statistical mapping, *The
/// Incorporated Statistician* 5(3), 115-145, doi:10.2307/2986645. Complexity: O(n + nnz).
///
/// ```
/// use regis_methods::spatial::{geary, Weights};
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2]]).row_standardised();
/// assert!(geary(&[1.0, 2.0, 3.0, 4.0], &w).unwrap() < 1.0);
/// ```
pub fn geary(y: &[f64], w: &Weights) -> Option<f64> {
    let n = y.len() as f64;
    let (z, _) = standardise(y);
    let z2: f64 = z.iter().map(|v| v * v).sum();
    let s0 = w.s0();
    if z2 == 0.0 || s0 == 0.0 {
        return None;
    }
    let mut num = 0.0;
    for i in 0..y.len() {
        for &(j, wij) in w.row(i) {
            num += wij * (y[i] - y[j]).powi(2);
        }
    }
    Some((n - 1.0) * num / (2.0 * s0 * z2))
}

/// Global Getis-Ord G (esda's `G`, binary weights expected):
/// `G = Σ_i Σ_{j≠i} w_ij y_i y_j / Σ_i Σ_{j≠i} y_i y_j`, with `E[G] = S0/(n(n−1))`.
/// Reference: Getis, A. & Ord, J. K. (1992) The analysis of spatial association by use of
/// distance statistics, *Geographical Analysis* 24(3), 189-206,
/// doi:10.1111/j.1538-4632.1992.tb00261.x. Complexity: O(n + nnz).
///
/// Returns `(G, E[G])`.
pub fn getis_ord_g(y: &[f64], w: &Weights) -> Option<(f64, f64)> {
    let n = y.len() as f64;
    let s: f64 = y.iter().sum();
    let ss: f64 = y.iter().map(|v| v * v).sum();
    let den = s * s - ss;
    if den == 0.0 {
        return None;
    }
    let mut num = 0.0;
    for i in 0..y.len() {
        for &(j, wij) in w.row(i) {
            if j != i {
                num += wij * y[i] * y[j];
            }
        }
    }
    Some((num / den, w.s0() / (n * (n - 1.0))))
}

/// Local Getis-Ord statistics of each unit.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalG {
    /// `G_i` (or `G_i*`).
    pub g: Vec<f64>,
    /// Standardised z-values.
    pub z: Vec<f64>,
    /// One-sided p-values `P(Z > |z|)` (as esda's `p_norm`).
    pub p_normal: Vec<f64>,
    /// Folded permutation p-values (None without permutations).
    pub p_sim: Option<Vec<f64>>,
}

/// Local Getis-Ord `G_i` (star = false) or `G_i*` (star = true), as esda's `G_Local`: the
/// weights given must already include the self-link for `G_i*` (see [`Weights::with_self`])
/// and be transformed as wanted (esda's default: row-standardised).
///
/// Formulas (N = n − 1 for G_i, n for G_i*): `G_i = Σ_j w_ij y_j / (Σ y − y_i [G_i])`,
/// `E[G_i] = W_i/N`, `Var[G_i] = W_i (N − W_i)/(N − 1) · (1/N²) · s²/ȳ²` with `ȳ`, `s²` the
/// mean and variance of the other values (all values for G_i*), `W_i = Σ_j w_ij`.
/// Reference: Ord, J. K. & Getis, A. (1995) Local spatial autocorrelation statistics,
/// *Geographical Analysis* 27(4), 286-306, doi:10.1111/j.1538-4632.1995.tb00912.x.
/// Complexity: O(n + nnz) plus O(P · nnz) for P permutations.
pub fn local_g(y: &[f64], w: &Weights, star: bool, permutations: usize, seed: u64) -> LocalG {
    let n = y.len();
    let remove = if star { 0.0 } else { 1.0 };
    let nn = n as f64 - remove;
    let sum: f64 = y.iter().sum();
    let sum2: f64 = y.iter().map(|v| v * v).sum();
    let lag = w.lag(y);
    let mut g = Vec::with_capacity(n);
    let mut z = Vec::with_capacity(n);
    for i in 0..n {
        let stat = lag[i] / (sum - y[i] * remove);
        let mean = (sum - y[i] * remove) / nn;
        let var = (sum2 - y[i] * y[i] * remove) / nn - mean * mean;
        let card: f64 = w.row(i).iter().map(|x| x.1).sum();
        let ev = card / nn;
        let vv = card * (nn - card) / (nn - 1.0) / (nn * nn) * var / (mean * mean);
        g.push(stat);
        z.push((stat - ev) / vv.sqrt());
    }
    let p_normal = z.iter().map(|v| normal_sf(v.abs())).collect();
    let p_sim = (permutations > 0).then(|| {
        // G_i of a draw is (S + w_ii y_i) / (Σ y − y_i [G_i]), increasing in S when the
        // denominator is positive: compare S with the observed lag of the other units.
        let threshold: Vec<f64> = (0..n)
            .map(|i| {
                lag[i]
                    - w.row(i)
                        .iter()
                        .find(|x| x.0 == i)
                        .map(|x| x.1 * y[i])
                        .unwrap_or(0.0)
            })
            .collect();
        let direction: Vec<i8> = (0..n)
            .map(|i| if sum - y[i] * remove > 0.0 { 1 } else { -1 })
            .collect();
        conditional_permutations(n, w, permutations, seed, y, &threshold, &direction)
    });
    LocalG {
        g,
        z,
        p_normal,
        p_sim,
    }
}

/// Cluster/outlier class of a unit in a Moran scatterplot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// High value, high neighbours (hot spot).
    HighHigh,
    /// Low value, high neighbours (outlier).
    LowHigh,
    /// Low value, low neighbours (cold spot).
    LowLow,
    /// High value, low neighbours (outlier).
    HighLow,
}

impl Quadrant {
    /// esda's numbering: 1 HH, 2 LH, 3 LL, 4 HL.
    pub fn number(self) -> u8 {
        match self {
            Quadrant::HighHigh => 1,
            Quadrant::LowHigh => 2,
            Quadrant::LowLow => 3,
            Quadrant::HighLow => 4,
        }
    }

    /// Short label (HH, LH, LL, HL).
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::HighHigh => "HH",
            Quadrant::LowHigh => "LH",
            Quadrant::LowLow => "LL",
            Quadrant::HighLow => "HL",
        }
    }
}

/// Local Moran (LISA) results.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalMoran {
    /// `I_i`.
    pub i: Vec<f64>,
    /// Quadrant of each unit.
    pub quadrant: Vec<Quadrant>,
    /// Folded conditional-permutation p-values (None without permutations).
    pub p_sim: Option<Vec<f64>>,
    /// Expected value under total randomisation, `−W_i/(n−1)`.
    pub expected: Vec<f64>,
    /// Variance under total randomisation.
    pub variance: Vec<f64>,
    /// Notes.
    pub diagnostics: Vec<Diagnostic>,
}

/// Local Moran's I (esda's `Moran_Local`): `I_i = (n−1) z_i (Wz)_i / Σ_j z_j²` with z the
/// values standardised by the population standard deviation; inference by conditional
/// permutation (the unit's value held, its neighbours drawn from the other n − 1 values, the
/// same draws used for every unit, as esda does).
///
/// Reference: Anselin, L. (1995) Local indicators of spatial association — LISA,
/// *Geographical Analysis* 27(2), 93-115, doi:10.1111/j.1538-4632.1995.tb00338.x.
/// Complexity: O(n + nnz) plus O(P · nnz) for P permutations; memory O(P · k_max).
///
/// ```
/// use regis_methods::spatial::{local_moran, Quadrant, Weights};
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2]]).row_standardised();
/// let l = local_moran(&[1.0, 2.0, 3.0, 4.0], &w, 99, 7);
/// assert_eq!(l.quadrant[3], Quadrant::HighHigh);
/// assert_eq!(l.quadrant[0], Quadrant::LowLow);
/// ```
pub fn local_moran(y: &[f64], w: &Weights, permutations: usize, seed: u64) -> LocalMoran {
    let n = y.len();
    let nf = n as f64;
    let (mut z, sd) = standardise(y);
    let mut diagnostics = Vec::new();
    if sd > 0.0 {
        for v in z.iter_mut() {
            *v /= sd;
        }
    } else {
        diagnostics.push(Diagnostic::warning(
            "constant",
            "all values are equal: local Moran is undefined",
        ));
    }
    if !w.islands().is_empty() {
        diagnostics.push(Diagnostic::warning(
            "islands",
            format!(
                "{} island(s): their I_i is 0 and their p-value meaningless",
                w.islands().len()
            ),
        ));
    }
    let den: f64 = z.iter().map(|v| v * v).sum();
    let lag = w.lag(&z);
    let i: Vec<f64> = (0..n).map(|k| (nf - 1.0) * z[k] * lag[k] / den).collect();
    let quadrant = (0..n)
        .map(|k| match (z[k] > 0.0, lag[k] > 0.0) {
            (true, true) => Quadrant::HighHigh,
            (false, true) => Quadrant::LowHigh,
            (false, false) => Quadrant::LowLow,
            (true, false) => Quadrant::HighLow,
        })
        .collect();
    let m2 = den / nf;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / nf;
    let b2 = m4 / (m2 * m2);
    let n1 = nf - 1.0;
    let mut expected = Vec::with_capacity(n);
    let mut variance = Vec::with_capacity(n);
    for k in 0..n {
        let wi: f64 = w.row(k).iter().map(|x| x.1).sum();
        let wi2: f64 = w.row(k).iter().map(|x| x.1 * x.1).sum();
        expected.push(-wi / n1);
        let mut v = wi2 * (nf - b2) / n1;
        v += (wi * wi - wi2) * (2.0 * b2 - nf) / (n1 * (nf - 2.0));
        v -= (wi / n1).powi(2);
        variance.push(v);
    }
    let p_sim = (permutations > 0 && sd > 0.0).then(|| {
        // I_i of a draw is (n−1) z_i S / Σz²: increasing in S when z_i > 0, decreasing when
        // z_i < 0, constant when z_i = 0.
        let direction: Vec<i8> = z
            .iter()
            .map(|v| {
                if *v > 0.0 {
                    1
                } else if *v < 0.0 {
                    -1
                } else {
                    0
                }
            })
            .collect();
        conditional_permutations(n, w, permutations, seed, &z, &lag, &direction)
    });
    LocalMoran {
        i,
        quadrant,
        p_sim,
        expected,
        variance,
        diagnostics,
    }
}

/// Conditional permutation engine shared by the local statistics. For each permutation a set
/// of `k_max` distinct indices is drawn from `0..n−1` once (the same draws serve every unit, as
/// in esda); for unit i, index j maps to the j-th of the *other* units. For each draw the
/// weighted sum of the drawn values over the unit's neighbour weights, `S = Σ_m w_im v_draw(m)`,
/// is compared with the unit's threshold: the simulated statistic is a monotone function of S
/// (increasing when `direction` is 1, decreasing when −1, constant when 0), so "simulated ≥
/// observed" is "S ≥ threshold" (or ≤), the threshold being the observed S.
/// Units are processed in parallel on the available cores (results do not depend on it).
pub(super) fn conditional_permutations(
    n: usize,
    w: &Weights,
    permutations: usize,
    seed: u64,
    values: &[f64],
    threshold: &[f64],
    direction: &[i8],
) -> Vec<f64> {
    let k_max = (0..n)
        .map(|i| w.row(i).iter().filter(|x| x.0 != i).count())
        .max()
        .unwrap_or(0);
    let draws = permutation_draws(n, k_max, permutations, seed);
    // Fast path: every unit's neighbour weights are equal (contiguity, k nearest
    // neighbours, row-standardised or binary). Then, for one permutation, the drawn sum of
    // unit i with k neighbours is Σ_{m<k} v[d_m + 1] − Σ_{m<k, d_m < i} (v[d_m + 1] − v[d_m]):
    // walking each cardinality's units in order updates only the sums of the permutations that
    // drew an index passed over, O(P k) per cardinality, plus one vectorised sweep of the P sums
    // per unit: O(P (n + Σ_k k)) in all instead of O(P Σ_i k_i) scalar steps. Comparisons tolerate 1e-12 relative rounding, so that a draw reproducing the
    // observed neighbourhood counts as a tie (≥) whatever the order of summation.
    let equal: Option<Vec<f64>> = (0..n)
        .map(|i| {
            let ws: Vec<f64> = w.row(i).iter().filter(|x| x.0 != i).map(|x| x.1).collect();
            if ws.windows(2).all(|p| p[0] == p[1]) {
                Some(ws.first().copied().unwrap_or(0.0))
            } else {
                None
            }
        })
        .collect();
    if let Some(common) = equal {
        let card: Vec<usize> = (0..n)
            .map(|i| w.row(i).iter().filter(|x| x.0 != i).count())
            .collect();
        // Threshold in units of the plain sum, and its tolerance.
        let target: Vec<f64> = (0..n)
            .map(|i| {
                if common[i] != 0.0 {
                    threshold[i] / common[i]
                } else {
                    0.0
                }
            })
            .collect();
        let tol: Vec<f64> = target.iter().map(|t| 1e-12 * t.abs()).collect();
        let mut by_k: Vec<Vec<usize>> = vec![Vec::new(); k_max + 1];
        for i in 0..n {
            if direction[i] != 0 && card[i] > 0 {
                by_k[card[i]].push(i);
            }
        }
        // Unit-major: for each cardinality k, the permutations' drawn sums S_p for the class's
        // units in increasing order. Moving from unit i to unit i' changes S_p only where the
        // permutation drew some d with i ≤ d < i' (d then maps to d instead of d + 1), so an
        // index from each draw value to the permutations holding it among their first k draws
        // updates the few sums that change, and each unit's count is one vectorised sweep of S
        // ([`crate::kernels::count_beyond`]). The subtractions happen in increasing d for every
        // permutation, whatever the split across threads, so the sums (and the counts) do not
        // depend on the number of threads.
        let count_units = |k: usize, units: &[usize]| -> Vec<u32> {
            let mut offsets = vec![0usize; n + 1];
            for p in 0..permutations {
                for &d in &draws[p * k_max..p * k_max + k] {
                    offsets[d as usize + 1] += 1;
                }
            }
            for d in 0..n {
                offsets[d + 1] += offsets[d];
            }
            let mut holders = vec![0u32; permutations * k];
            let mut fill = offsets.clone();
            for p in 0..permutations {
                for &d in &draws[p * k_max..p * k_max + k] {
                    holders[fill[d as usize]] = p as u32;
                    fill[d as usize] += 1;
                }
            }
            let mut sums: Vec<f64> = (0..permutations)
                .map(|p| {
                    draws[p * k_max..p * k_max + k]
                        .iter()
                        .fold(0.0, |s, &d| s + values[d as usize + 1])
                })
                .collect();
            let mut applied = 0usize;
            units
                .iter()
                .map(|&i| {
                    for d in applied..i {
                        let step = values[d + 1] - values[d];
                        for &p in &holders[offsets[d]..offsets[d + 1]] {
                            sums[p as usize] -= step;
                        }
                    }
                    applied = applied.max(i);
                    let hits = if direction[i] > 0 {
                        crate::kernels::count_beyond(&sums, target[i] - tol[i], true)
                    } else {
                        crate::kernels::count_beyond(&sums, target[i] + tol[i], false)
                    };
                    hits as u32
                })
                .collect()
        };
        let threads = crate::parallel::thread_budget();
        // Work items: (k, a contiguous run of the class's units); several per class when the
        // job is large enough to share.
        let mut items: Vec<(usize, &[usize])> = Vec::new();
        for (k, units) in by_k.iter().enumerate().skip(1) {
            if units.is_empty() {
                continue;
            }
            let pieces = if n * permutations < 100_000 {
                1
            } else {
                threads
            };
            for run in units.chunks(units.len().div_ceil(pieces)) {
                items.push((k, run));
            }
        }
        let mut totals = vec![0u32; n];
        let counted: Vec<Vec<u32>> = if threads <= 1 || n * permutations < 100_000 {
            items.iter().map(|&(k, run)| count_units(k, run)).collect()
        } else {
            // Items go to the threads round-robin, largest first.
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by_key(|&j| std::cmp::Reverse(items[j].1.len() * permutations));
            let mut out: Vec<Vec<u32>> = vec![Vec::new(); items.len()];
            let done: Vec<Vec<(usize, Vec<u32>)>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let (count_units, items, order) = (&count_units, &items, &order);
                        scope.spawn(move || {
                            order
                                .iter()
                                .skip(t)
                                .step_by(threads)
                                .map(|&j| (j, count_units(items[j].0, items[j].1)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("permutation worker"))
                    .collect()
            });
            for (j, counts) in done.into_iter().flatten() {
                out[j] = counts;
            }
            out
        };
        for ((_, run), counts) in items.iter().zip(&counted) {
            for (&i, &c) in run.iter().zip(counts) {
                totals[i] = c;
            }
        }
        return (0..n)
            .map(|i| {
                if direction[i] == 0 {
                    folded(permutations, permutations)
                } else if card[i] == 0 {
                    // An island: its simulated lag is always 0, like its observed one.
                    let hit = if direction[i] > 0 {
                        0.0 >= threshold[i]
                    } else {
                        0.0 <= threshold[i]
                    };
                    folded(if hit { permutations } else { 0 }, permutations)
                } else {
                    folded(totals[i] as usize, permutations)
                }
            })
            .collect();
    }
    general_permutation_p(w, permutations, k_max, &draws, values, threshold, direction)
}

/// `k_max` distinct indices from `0..n−1` per permutation, seeded (zero-padded when
/// `n − 1 < k_max`): the draws every unit's conditional permutations share.
pub(super) fn permutation_draws(
    n: usize,
    k_max: usize,
    permutations: usize,
    seed: u64,
) -> Vec<u32> {
    let mut rng = Rng::seeded(seed);
    let mut scratch: Vec<u32> = (0..n.saturating_sub(1) as u32).collect();
    let mut draws: Vec<u32> = Vec::with_capacity(permutations * k_max);
    let mut tmp = Vec::with_capacity(k_max);
    for _ in 0..permutations {
        rng.sample_distinct(&mut scratch, k_max, &mut tmp);
        draws.extend_from_slice(&tmp);
        draws.resize(draws.len() + (k_max - tmp.len()), 0);
    }
    draws
}

/// The general path of [`conditional_permutations`] (any weights): for each unit and each
/// permutation, the weighted sum of the values drawn for its neighbours, compared with the
/// threshold. O(P Σ_i k_i). `draws` holds `k_max` draws per permutation.
pub(super) fn general_permutation_p(
    w: &Weights,
    permutations: usize,
    k_max: usize,
    draws: &[u32],
    values: &[f64],
    threshold: &[f64],
    direction: &[i8],
) -> Vec<f64> {
    let n = values.len();
    let unit = |i: usize| -> f64 {
        if direction[i] == 0 {
            // Every simulated value equals the observed one (e.g. z_i = 0): all count.
            return folded(permutations, permutations);
        }
        let wts: Vec<f64> = w.row(i).iter().filter(|x| x.0 != i).map(|x| x.1).collect();
        let k = wts.len();
        let t = threshold[i];
        let lag_of = |p: usize| -> f64 {
            let d = &draws[p * k_max..p * k_max + k];
            let mut s = 0.0;
            for (&wm, &j) in wts.iter().zip(d) {
                let j = j as usize;
                s += wm * values[j + usize::from(j >= i)];
            }
            s
        };
        let larger: usize = if direction[i] > 0 {
            (0..permutations).filter(|&p| lag_of(p) >= t).count()
        } else {
            (0..permutations).filter(|&p| lag_of(p) <= t).count()
        };
        folded(larger, permutations)
    };
    let threads = crate::parallel::thread_budget().min(n.max(1));
    if threads <= 1 || n * permutations < 100_000 {
        return (0..n).map(unit).collect();
    }
    let chunk = n.div_ceil(threads);
    let mut out = vec![0.0; n];
    std::thread::scope(|scope| {
        for (c, slot) in out.chunks_mut(chunk).enumerate() {
            let unit = &unit;
            scope.spawn(move || {
                for (k, v) in slot.iter_mut().enumerate() {
                    *v = unit(c * chunk + k);
                }
            });
        }
    });
    out
}

/// Spatial decomposition of the Gini (Rey & Smith 2013): the sum of absolute differences over
/// all ordered pairs split into neighbour pairs and non-neighbour pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialGini {
    /// The Gini coefficient.
    pub gini: f64,
    /// Σ over neighbour pairs of `w_ij |x_i − x_j|` (binary weights).
    pub neighbour_part: f64,
    /// The rest: non-neighbour pairs.
    pub non_neighbour_part: f64,
    /// Non-neighbour part as a share of `2 n² x̄` (so that gini = neighbour share + this).
    pub non_neighbour_share: f64,
    /// Folded permutation p-value of the non-neighbour part.
    pub p_sim: Option<f64>,
}

/// Spatial Gini (PySAL's `inequality.gini.Gini_Spatial`), binary weights.
///
/// Reference: Rey, S. J. & Smith, R. J. (2013) A spatial decomposition of the Gini coefficient,
/// *Letters in Spatial and Resource Sciences* 6, 55-70, doi:10.1007/s12076-012-0086-z.
/// Complexity: O(n log n + nnz) plus O(P · nnz).
pub fn spatial_gini(x: &[f64], w: &Weights, permutations: usize, seed: u64) -> Option<SpatialGini> {
    let s = crate::inequality::Sample::new(x);
    use crate::inequality::InequalityIndex;
    let g = crate::inequality::Gini.index(&s).value?;
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let den = mean * 2.0 * n * n;
    let d = g * den;
    let wb = w.binary();
    let calc = |v: &[f64]| -> f64 {
        let mut t = 0.0;
        for i in 0..v.len() {
            for &(j, wij) in wb.row(i) {
                t += wij * (v[i] - v[j]).abs();
            }
        }
        t
    };
    let wg = calc(x);
    let wcg = d - wg;
    let p_sim = (permutations > 0).then(|| {
        let mut rng = Rng::seeded(seed);
        let mut v = x.to_vec();
        let mut larger = 0;
        for _ in 0..permutations {
            rng.shuffle(&mut v);
            if d - calc(&v) >= wcg {
                larger += 1;
            }
        }
        folded(larger, permutations)
    });
    Some(SpatialGini {
        gini: g,
        neighbour_part: wg,
        non_neighbour_part: wcg,
        non_neighbour_share: wcg / den,
        p_sim,
    })
}
