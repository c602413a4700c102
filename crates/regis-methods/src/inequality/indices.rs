//! The inequality indices of a sample: Gini, generalised entropy (Theil T and L), Atkinson,
//! coefficient of variation, Hoover; Lorenz points, concentration ratios and group shares.

use regis_core::{Diagnostic, Estimate};

use super::*;

/// Gini coefficient: half the relative mean absolute difference.
///
/// Formula: `G = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ)`, computed after sorting `y` ascending
/// as `G = Σ_i w_i y_i (2 C_i − w_i − W) / (W Σ_i w_i y_i)` with `C_i` the cumulative weight
/// up to and including `i`; unweighted this is PySAL's `(2 Σ i y_(i) − (n+1) Σ y) / (n Σ y)`.
/// Reference: Gini, C. (1912) *Variabilità e mutabilità*; Yitzhaki, S. & Schechtman, E. (2013)
/// *The Gini Methodology*, Springer, doi:10.1007/978-1-4614-4720-7.
/// Units: dimensionless, 0 (equality) to 1 − 1/n (unweighted maximum).
/// Complexity: O(n log n) time, O(n) memory.
///
/// ```
/// use regis_methods::inequality::{Gini, InequalityIndex, Sample};
/// // Mexico's 32 states, GDP per capita 1940 (libpysal `mexico`); PySAL gives 0.3537237117.
/// let y = [10384., 22361., 9573., 3758., 2934., 8578., 8537., 6909., 17816., 12132., 4359.,
///     2181., 4414., 5309., 3408., 3327., 6936., 4836., 9073., 1892., 3569., 11016., 21965.,
///     4372., 4840., 6399., 2459., 7508., 3605., 5203., 7990., 3734.];
/// let g = Gini.index(&Sample::new(&y)).value.unwrap();
/// assert!((g - 0.3537237117345285).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Gini;

impl InequalityIndex for Gini {
    fn id(&self) -> String {
        "gini".into()
    }

    fn index(&self, s: &Sample) -> Estimate {
        if let Err(e) = s.positive_mean() {
            return e;
        }
        if !s.weighted {
            let mut sorted = s.values.clone();
            sort_floats(&mut sorted);
            return s.estimate(gini_of_sorted(&sorted));
        }
        let mut order: Vec<usize> = (0..s.len()).collect();
        order.sort_by(|&a, &b| s.values[a].total_cmp(&s.values[b]));
        let w_total = s.total_weight();
        let wy_total: f64 = s.values.iter().zip(&s.weights).map(|(y, w)| y * w).sum();
        let mut cum = 0.0;
        let mut acc = 0.0;
        for &i in &order {
            let (y, w) = (s.values[i], s.weights[i]);
            cum += w;
            acc += w * y * (2.0 * cum - w - w_total);
        }
        s.estimate(acc / (w_total * wy_total))
    }
}

/// Unweighted Gini of values sorted ascending: `(2 Σ_k k y_(k) − (n+1) Σ y) / (n Σ y)`.
pub(super) fn gini_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len() as f64;
    let (total, ranked) = sorted
        .iter()
        .enumerate()
        .fold((0.0, 0.0), |(t, r), (k, &y)| {
            (t + y, r + (k + 1) as f64 * y)
        });
    (2.0 * ranked - n * total - total) / (n * total)
}

/// Sum of `term(k, key)` over the keys with four running totals (breaks the add-latency
/// chain of a plain fold; fixed lane indices keep the totals in registers).
pub(super) fn lane_sum(keys: &[u64], term: impl Fn(usize, u64) -> f64) -> f64 {
    let mut lanes = [0.0; 4];
    let chunks = keys.chunks_exact(4);
    let rest = chunks.remainder();
    for (c, k) in chunks.enumerate() {
        let base = 4 * c;
        lanes[0] += term(base, k[0]);
        lanes[1] += term(base + 1, k[1]);
        lanes[2] += term(base + 2, k[2]);
        lanes[3] += term(base + 3, k[3]);
    }
    let base = keys.len() - rest.len();
    for (j, &k) in rest.iter().enumerate() {
        lanes[j] += term(base + j, k);
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
}

/// Generalised entropy index GE(α).
///
/// Formula: `GE(α) = (Σ_i p_i (y_i/μ)^α − 1) / (α(α − 1))` for α ∉ {0, 1};
/// `GE(1) = Σ_i p_i (y_i/μ) ln(y_i/μ)` (Theil T); `GE(0) = −Σ_i p_i ln(y_i/μ)` (Theil L, the
/// mean log deviation). Unweighted GE(1) equals PySAL's `Theil`:
/// `Σ s_i ln(n s_i)` with `s_i = y_i/Σy`. Zero values contribute 0 to GE(1) (the limit
/// `x ln x → 0`); they make GE(α ≤ 0) undefined.
/// Reference: Shorrocks, A. F. (1980) The class of additively decomposable inequality
/// measures, *Econometrica* 48(3), 613-625, doi:10.2307/1913126; Theil, H. (1967) *Economics and
/// Information Theory*.
/// Units: dimensionless, ≥ 0. Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::{GeneralisedEntropy, InequalityIndex, Sample};
/// let y = [10384., 22361., 9573., 3758., 2934., 8578., 8537., 6909., 17816., 12132., 4359.,
///     2181., 4414., 5309., 3408., 3327., 6936., 4836., 9073., 1892., 3569., 11016., 21965.,
///     4372., 4840., 6399., 2459., 7508., 3605., 5203., 7990., 3734.];
/// // PySAL inequality.theil.Theil on Mexico 1940: 0.2089434423.
/// let t = GeneralisedEntropy::THEIL_T.index(&Sample::new(&y)).value.unwrap();
/// assert!((t - 0.20894344230358594).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeneralisedEntropy {
    alpha: f64,
}

/// Theil's T index, GE(1).
pub type Theil = GeneralisedEntropy;

impl GeneralisedEntropy {
    /// Theil T = GE(1).
    pub const THEIL_T: GeneralisedEntropy = GeneralisedEntropy { alpha: 1.0 };
    /// Theil L (mean log deviation) = GE(0).
    pub const THEIL_L: GeneralisedEntropy = GeneralisedEntropy { alpha: 0.0 };

    /// GE(α) for a finite α.
    pub fn new(alpha: f64) -> Result<Self, InequalityError> {
        if !alpha.is_finite() {
            return Err(InequalityError::Parameter {
                name: "alpha",
                value: alpha,
                expected: "a finite number (0 = Theil L, 1 = Theil T, 2 = half the squared CV)",
            });
        }
        Ok(GeneralisedEntropy { alpha })
    }

    /// α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
}

impl InequalityIndex for GeneralisedEntropy {
    fn id(&self) -> String {
        if self.alpha == 1.0 {
            "theil".into()
        } else if self.alpha == 0.0 {
            "theil_l".into()
        } else {
            format!("ge_{}", self.alpha)
        }
    }

    fn index(&self, s: &Sample) -> Estimate {
        let mu = match s.positive_mean() {
            Ok(m) => m,
            Err(e) => return e,
        };
        let w_total = s.total_weight();
        let a = self.alpha;
        let needs_positive = a <= 0.0;
        if s.values
            .iter()
            .any(|&y| y < 0.0 || (needs_positive && y == 0.0))
        {
            return s.undefined(Diagnostic::warning(
                "non-positive-value",
                if needs_positive {
                    "a zero or negative value: GE(α ≤ 0) takes logarithms or negative powers"
                } else {
                    "a negative value: entropy indices need non-negative values"
                },
            ));
        }
        let mut acc = 0.0;
        for (&y, &w) in s.values.iter().zip(&s.weights) {
            let p = w / w_total;
            let r = y / mu;
            acc += if a == 1.0 {
                if r > 0.0 {
                    p * r * r.ln()
                } else {
                    0.0
                }
            } else if a == 0.0 {
                -p * r.ln()
            } else {
                p * r.powf(a)
            };
        }
        let v = if a == 1.0 || a == 0.0 {
            acc
        } else {
            (acc - 1.0) / (a * (a - 1.0))
        };
        s.estimate(v)
    }
}

/// Atkinson index with inequality aversion ε ≥ 0.
///
/// Formula: `A(ε) = 1 − (Σ_i p_i (y_i/μ)^{1−ε})^{1/(1−ε)}` for ε ≠ 1;
/// `A(1) = 1 − exp(Σ_i p_i ln y_i) / μ` (one minus the geometric over the arithmetic mean).
/// Reference: Atkinson, A. B. (1970) On the measurement of inequality, *Journal of Economic
/// Theory* 2(3), 244-263, doi:10.1016/0022-0531(70)90039-6.
/// Units: dimensionless, 0 to 1. Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::{Atkinson, InequalityIndex, Sample};
/// // PySAL inequality.atkinson.atkinson([10, 20, 30, 40, 50], 0.5) = 0.06315 (to 5 decimals).
/// let a = Atkinson::new(0.5).unwrap().index(&Sample::new(&[10., 20., 30., 40., 50.]));
/// assert!((a.value.unwrap() - 0.06315).abs() < 5e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Atkinson {
    epsilon: f64,
}

impl Atkinson {
    /// Atkinson(ε) for ε ≥ 0.
    pub fn new(epsilon: f64) -> Result<Self, InequalityError> {
        if !(epsilon.is_finite() && epsilon >= 0.0) {
            return Err(InequalityError::Parameter {
                name: "epsilon",
                value: epsilon,
                expected: "a finite number ≥ 0 (inequality aversion)",
            });
        }
        Ok(Atkinson { epsilon })
    }
}

impl InequalityIndex for Atkinson {
    fn id(&self) -> String {
        format!("atkinson_{}", self.epsilon)
    }

    fn index(&self, s: &Sample) -> Estimate {
        let mu = match s.positive_mean() {
            Ok(m) => m,
            Err(e) => return e,
        };
        let e = self.epsilon;
        if s.values.iter().any(|&y| y < 0.0 || (e >= 1.0 && y == 0.0)) {
            return s.undefined(Diagnostic::warning(
                "non-positive-value",
                "Atkinson needs positive values (zero allowed only for ε < 1)",
            ));
        }
        let w_total = s.total_weight();
        if e == 1.0 {
            let lg: f64 = s
                .values
                .iter()
                .zip(&s.weights)
                .map(|(y, w)| w / w_total * y.ln())
                .sum();
            return s.estimate(1.0 - lg.exp() / mu);
        }
        let m: f64 = s
            .values
            .iter()
            .zip(&s.weights)
            .map(|(y, w)| w / w_total * (y / mu).powf(1.0 - e))
            .sum();
        s.estimate(1.0 - m.powf(1.0 / (1.0 - e)))
    }
}

/// Coefficient of variation `σ/μ`, with the population standard deviation
/// `σ = sqrt(Σ p_i (y_i − μ)²)`. Weighted by population it is the Williamson index of
/// regional inequality.
///
/// Reference: Williamson, J. G. (1965) Regional inequality and the process of national
/// development, *Economic Development and Cultural Change* 13(4), 1-84, doi:10.1086/450136.
/// Units: dimensionless. Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::{CoefficientOfVariation, InequalityIndex, Sample};
/// let cv = CoefficientOfVariation.index(&Sample::new(&[1., 2., 3., 4.])).value.unwrap();
/// assert!((cv - 1.25f64.sqrt() / 2.5).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoefficientOfVariation;

impl InequalityIndex for CoefficientOfVariation {
    fn id(&self) -> String {
        "cv".into()
    }

    fn index(&self, s: &Sample) -> Estimate {
        let mu = match s.positive_mean() {
            Ok(m) => m,
            Err(e) => return e,
        };
        let w_total = s.total_weight();
        let var: f64 = s
            .values
            .iter()
            .zip(&s.weights)
            .map(|(y, w)| w / w_total * (y - mu) * (y - mu))
            .sum();
        s.estimate(var.sqrt() / mu)
    }
}

/// Hoover (Robin Hood) index: the share of the total that would have to move for every unit
/// to hold the same share of the value as of the weight.
///
/// Formula: `H = ½ Σ_i |s_i − p_i|` with value shares `s_i = w_i y_i / Σ w y` and weight
/// shares `p_i`. Unweighted, `p_i = 1/n`.
/// Reference: Hoover, E. M. (1936) The measurement of industrial localization, *Review of
/// Economics and Statistics* 18(4), 162-171, doi:10.2307/1927875.
/// Units: dimensionless, 0 to 1. Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::{Hoover, InequalityIndex, Sample};
/// // Two regions of equal population, one with 3/4 of the output: a quarter must move.
/// let h = Hoover.index(&Sample::weighted(&[3.0, 1.0], &[1.0, 1.0])).value.unwrap();
/// assert!((h - 0.25).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hoover;

impl InequalityIndex for Hoover {
    fn id(&self) -> String {
        "hoover".into()
    }

    fn index(&self, s: &Sample) -> Estimate {
        if let Err(e) = s.positive_mean() {
            return e;
        }
        let w_total = s.total_weight();
        let wy: f64 = s.values.iter().zip(&s.weights).map(|(y, w)| y * w).sum();
        let h: f64 = s
            .values
            .iter()
            .zip(&s.weights)
            .map(|(y, w)| (w * y / wy - w / w_total).abs())
            .sum();
        s.estimate(0.5 * h)
    }
}

/// Points of the Lorenz curve: units sorted by value ascending, cumulative weight share against
/// cumulative value share, starting at (0, 0) and ending at (1, 1).
///
/// Reference: Lorenz, M. O. (1905) Methods of measuring the concentration of wealth,
/// *Publications of the American Statistical Association* 9(70), 209-219, doi:10.2307/2276207.
/// Complexity: O(n log n).
///
/// ```
/// use regis_methods::inequality::{lorenz_curve, Sample};
/// let pts = lorenz_curve(&Sample::new(&[1.0, 3.0]));
/// assert_eq!(pts, vec![(0.0, 0.0), (0.5, 0.25), (1.0, 1.0)]);
/// ```
pub fn lorenz_curve(s: &Sample) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..s.len()).collect();
    order.sort_by(|&a, &b| s.values[a].total_cmp(&s.values[b]));
    let w_total = s.total_weight();
    let wy_total: f64 = s.values.iter().zip(&s.weights).map(|(y, w)| y * w).sum();
    let mut out = vec![(0.0, 0.0)];
    let (mut cw, mut cy) = (0.0, 0.0);
    for i in order {
        cw += s.weights[i];
        cy += s.weights[i] * s.values[i];
        out.push((cw / w_total, cy / wy_total));
    }
    out
}

/// Concentration ratio CR_k: the share of the total held by the k largest units.
///
/// Units: share, 0 to 1. Complexity: O(n log n).
///
/// ```
/// use regis_methods::inequality::concentration_ratio;
/// assert_eq!(concentration_ratio(&[5.0, 3.0, 2.0], 1).value, Some(0.5));
/// ```
pub fn concentration_ratio(totals: &[f64], k: usize) -> Estimate {
    let mut v: Vec<f64> = totals.iter().copied().filter(|x| x.is_finite()).collect();
    let total: f64 = v.iter().sum();
    if total <= 0.0 {
        return Estimate::undefined(Diagnostic::warning(
            "zero-total",
            "the total is zero or negative",
        ));
    }
    v.sort_by(|a, b| b.total_cmp(a));
    Estimate::of(v.iter().take(k).sum::<f64>() / total)
}

/// The share of a group of units in the total: `Σ_{i∈G} x_i / Σ_i x_i` (e.g. the capital
/// region's share of national population). Missing values (None) make the share undefined
/// rather than silently smaller.
///
/// Units: share, 0 to 1. Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::group_share;
/// // KOSIS 2001: SMA population 22,093,135 of 47,370,164 = 0.4664.
/// let s = group_share(&[Some(22_093_135.0), Some(25_277_029.0)], &[true, false]);
/// assert!((s.value.unwrap() - 0.4664).abs() < 5e-5);
/// ```
pub fn group_share(totals: &[Option<f64>], in_group: &[bool]) -> Estimate {
    let missing = totals
        .iter()
        .filter(|v| v.is_none_or(|x| !x.is_finite()))
        .count();
    if missing > 0 {
        return Estimate::undefined(Diagnostic::warning(
            "missing-values",
            format!("{missing} unit(s) have no value: the share is undefined"),
        ));
    }
    let total: f64 = totals.iter().flatten().sum();
    if total == 0.0 {
        return Estimate::undefined(Diagnostic::warning("zero-total", "the total is zero"));
    }
    let g: f64 = totals
        .iter()
        .zip(in_group)
        .filter(|(_, &b)| b)
        .map(|(v, _)| v.unwrap_or(0.0))
        .sum();
    Estimate::of(g / total)
}
