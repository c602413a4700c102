//! Inequality and imbalance: Gini, Theil T and L, generalised entropy GE(α), Theil
//! decomposition into between- and within-group parts, Atkinson, coefficient of variation
//! (the Williamson index when population-weighted), Hoover, Lorenz curve points, concentration
//! ratios and group shares.
//!
//! Every index takes a [`Sample`]: values `y_i` (per-capita income, GRDP per head, or totals)
//! and optional weights `w_i` (population). Unweighted, each region counts once (as PySAL's
//! `inequality` package does); weighted, each region counts by its weight (population-weighted
//! regional inequality, Williamson 1965). With weight shares `p_i = w_i / Σw` and the weighted
//! mean `μ = Σ p_i y_i`, the indices below are written once for both cases.
//!
//! Non-finite values (NaN, ±inf) and their weights are skipped with a diagnostic; an index that
//! is undefined for the data (zero mean, a logarithm of zero or of a negative value) returns no
//! value and says why.

use regis_core::{Diagnostic, Estimate};

/// Why an inequality method value could not be built (invalid parameters only).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InequalityError {
    /// A parameter is out of its domain.
    #[error("invalid parameter {name} = {value}: {expected}")]
    Parameter {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: f64,
        /// The domain.
        expected: &'static str,
    },
    /// Inputs whose lengths do not fit together.
    #[error("{what}: expected {expected}, found {found}")]
    Shape {
        /// What was measured.
        what: &'static str,
        /// The expected shape.
        expected: String,
        /// The length found.
        found: usize,
    },
}

/// Values and optional weights, cleaned of non-finite entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    values: Vec<f64>,
    weights: Vec<f64>,
    weighted: bool,
    diagnostics: Vec<Diagnostic>,
}

impl Sample {
    /// An unweighted sample (each unit counts once).
    pub fn new(values: &[f64]) -> Sample {
        Sample::build(values, None)
    }

    /// A weighted sample (e.g. per-capita values weighted by population). Units with a
    /// non-finite or negative weight are skipped with a diagnostic.
    pub fn weighted(values: &[f64], weights: &[f64]) -> Sample {
        Sample::build(values, Some(weights))
    }

    fn build(values: &[f64], weights: Option<&[f64]>) -> Sample {
        let mut v = Vec::with_capacity(values.len());
        let mut w = Vec::with_capacity(values.len());
        let mut skipped = 0;
        for (i, &y) in values.iter().enumerate() {
            let wi = weights
                .map(|ws| ws.get(i).copied().unwrap_or(f64::NAN))
                .unwrap_or(1.0);
            if y.is_finite() && wi.is_finite() && wi >= 0.0 {
                v.push(y);
                w.push(wi);
            } else {
                skipped += 1;
            }
        }
        let mut diagnostics = Vec::new();
        if skipped > 0 {
            diagnostics.push(non_finite_skipped(skipped));
        }
        Sample {
            values: v,
            weights: w,
            weighted: weights.is_some(),
            diagnostics,
        }
    }

    /// Values kept.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Weights kept (all 1 when unweighted).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Whether the sample is weighted.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// Number of units kept.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no unit is left.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Diagnostics of the cleaning step.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    fn total_weight(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// Weighted mean `μ = Σ w_i y_i / Σ w_i`.
    pub fn mean(&self) -> Option<f64> {
        let w = self.total_weight();
        (w > 0.0).then(|| {
            self.values
                .iter()
                .zip(&self.weights)
                .map(|(y, w)| y * w)
                .sum::<f64>()
                / w
        })
    }

    /// The common checks of indices defined on positive means: returns the mean or the
    /// undefined estimate to return.
    fn positive_mean(&self) -> Result<f64, Estimate> {
        if self.is_empty() {
            return Err(self.undefined(Diagnostic::warning("empty", "no unit with a value")));
        }
        match self.mean() {
            Some(m) if m > 0.0 => Ok(m),
            Some(_) => Err(self.undefined(Diagnostic::warning(
                "non-positive-mean",
                "the mean is zero or negative: the index is undefined",
            ))),
            None => Err(self.undefined(Diagnostic::warning(
                "zero-weight",
                "the weights sum to zero",
            ))),
        }
    }

    fn undefined(&self, d: Diagnostic) -> Estimate {
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.push(d);
        Estimate {
            value: None,
            diagnostics,
        }
    }

    fn estimate(&self, v: f64) -> Estimate {
        Estimate {
            value: Some(v),
            diagnostics: self.diagnostics.clone(),
        }
    }
}

fn non_finite_skipped(units: usize) -> Diagnostic {
    Diagnostic::info(
        "non-finite-skipped",
        format!(
            "{units} unit(s) with a missing, non-finite or negative-weight value were left out"
        ),
    )
}

/// An inequality index: the variants are values (`Gini`, `Theil`, `Atkinson::new(0.5)?`).
pub trait InequalityIndex {
    /// Stable id used in the CLI and JSON (`gini`, `theil`, `atkinson_0.5`).
    fn id(&self) -> String;
    /// The index of a sample.
    fn index(&self, sample: &Sample) -> Estimate;
}

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
fn gini_of_sorted(sorted: &[f64]) -> f64 {
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
fn lane_sum(keys: &[u64], term: impl Fn(usize, u64) -> f64) -> f64 {
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

/// Sorts floats ascending in IEEE total order (`f64::total_cmp`; finite values in their usual
/// order).
///
/// Method, for 512 values or more: a one-pass bucket sort on the order-preserving bit pattern
/// of each float (the pattern is monotone in the value and roughly logarithmic across
/// octaves, so skewed data such as incomes spread well), with about 4n buckets spanning the
/// smallest to the largest pattern, followed by an insertion pass that puts each bucket in
/// order. If the data crowd into a few buckets (the insertion pass would need more than 8n
/// moves), the pass stops and a pattern-defeating quicksort finishes the job, so the worst case
/// stays O(n log n). Fewer than 512 values go straight to the comparison sort.
/// Complexity: O(n) expected for data without heavy crowding, O(n log n) worst case; O(n)
/// memory.
///
/// ```
/// use regis_methods::inequality::sort_floats;
/// let mut v: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1009) as f64 - 500.0).collect();
/// sort_floats(&mut v);
/// assert!(v.windows(2).all(|w| w[0] <= w[1]));
/// assert_eq!((v[0], v[999]), (-500.0, 508.0));
/// ```
pub fn sort_floats(v: &mut [f64]) {
    FloatSorter::default().sort(v);
}

/// The buffers of [`sort_floats`], kept between calls when many columns are sorted in a row.
#[derive(Default)]
struct FloatSorter {
    keys: Vec<u64>,
    sorted: Vec<u64>,
    counts: Vec<u32>,
}

/// Order-preserving map of floats to integers (IEEE total order): flip all bits of negatives,
/// the sign bit of positives.
#[inline(always)]
fn float_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The inverse of [`float_key`].
#[inline(always)]
fn float_from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

impl FloatSorter {
    fn sort(&mut self, v: &mut [f64]) {
        if v.len() < 512 {
            v.sort_unstable_by(f64::total_cmp);
            return;
        }
        self.keys.clear();
        self.keys.extend(v.iter().map(|&x| float_key(x)));
        for (x, &k) in v.iter_mut().zip(self.sort_keys()) {
            *x = float_from_key(k);
        }
    }

    /// Sorts `self.keys` (bucket pass, then insertion within a budget) and returns them sorted.
    fn sort_keys(&mut self) -> &[u64] {
        let n = self.keys.len();
        if n < 512 {
            self.keys.sort_unstable();
            return &self.keys;
        }
        let (lo, hi) = self
            .keys
            .iter()
            .fold((u64::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)));
        if lo == hi {
            return &self.keys; // all equal
        }
        let range = hi - lo;
        let bucket_bits = usize::BITS - n.leading_zeros() + 2; // ≈ 4n buckets
        let shift = (u64::BITS - range.leading_zeros()).saturating_sub(bucket_bits);
        let buckets = (range >> shift) as usize + 1;
        self.counts.clear();
        self.counts.resize(buckets + 1, 0);
        for &k in &self.keys {
            self.counts[((k - lo) >> shift) as usize + 1] += 1;
        }
        let mut start = 0;
        for c in self.counts.iter_mut() {
            start += *c;
            *c = start;
        }
        self.sorted.clear();
        self.sorted.resize(n, 0);
        for &k in &self.keys {
            let b = ((k - lo) >> shift) as usize;
            let at = self.counts[b];
            self.counts[b] = at + 1;
            self.sorted[at as usize] = k;
        }
        // Keys are now ordered between buckets; order them inside, within a budget of moves.
        let out = &mut self.sorted;
        let mut moves = 0usize;
        for i in 1..n {
            let k = out[i];
            let mut j = i;
            while j > 0 && out[j - 1] > k {
                out[j] = out[j - 1];
                j -= 1;
            }
            out[j] = k;
            moves += i - j;
            if moves > 8 * n {
                out.sort_unstable();
                break;
            }
        }
        &self.sorted
    }
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

/// Theil T decomposed into between-group and within-group parts.
#[derive(Debug, Clone, PartialEq)]
pub struct TheilDecomposition {
    /// Theil T of all units.
    pub total: f64,
    /// Between-group part `Σ_g s_g ln(s_g / p_g)`.
    pub between: f64,
    /// Within-group part `Σ_g s_g T_g`.
    pub within: f64,
    /// Per group (in the order of group ids 0..k): value share `s_g`, weight share `p_g`,
    /// Theil T inside the group (None for an empty group).
    pub groups: Vec<GroupPart>,
    /// Notes about the data.
    pub diagnostics: Vec<Diagnostic>,
}

/// One group's part of a decomposition.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPart {
    /// Share of the total value (`Σ_{i∈g} w_i y_i / Σ w y`).
    pub value_share: f64,
    /// Share of the total weight (`n_g / n` unweighted).
    pub weight_share: f64,
    /// Theil T within the group.
    pub theil: Option<f64>,
    /// Units in the group.
    pub units: usize,
}

/// Decomposes Theil T by a partition of the units into groups `0..k` (`group[i]` for unit i,
/// aligned with the values given to the sample before cleaning is not required: `groups` is
/// aligned with the *cleaned* sample, so build both from the same complete data).
///
/// Formula: `T = Σ_g s_g ln(s_g/p_g) + Σ_g s_g T_g` (between + within), exact for Theil T.
/// Unweighted it equals PySAL's `TheilD` (`bg`, and `wg = T − bg`).
/// Reference: Shorrocks (1980), doi:10.2307/1913126; Rey, S. J. (2004) Spatial analysis of
/// regional income inequality, in *Spatially Integrated Social Science*, OUP.
/// Complexity: O(n).
///
/// ```
/// use regis_methods::inequality::{theil_decomposition, Sample};
/// let y = [10384., 22361., 9573., 3758., 2934., 8578., 8537., 6909., 17816., 12132., 4359.,
///     2181., 4414., 5309., 3408., 3327., 6936., 4836., 9073., 1892., 3569., 11016., 21965.,
///     4372., 4840., 6399., 2459., 7508., 3605., 5203., 7990., 3734.];
/// // Hanson's 2003 regions of Mexico (1..6, here 0..5).
/// let g = [1, 0, 1, 5, 4, 0, 0, 2, 3, 1, 2, 4, 2, 2, 3, 2, 2, 1, 0, 4, 2, 2, 5, 1, 1, 0, 5, 0,
///     2, 2, 5, 1];
/// let d = theil_decomposition(&Sample::new(&y), &g);
/// // PySAL TheilD: between 0.0649837091, within 0.1439597332.
/// assert!((d.between - 0.06498371).abs() < 1e-8 && (d.within - 0.14395973).abs() < 1e-8);
/// ```
pub fn theil_decomposition(s: &Sample, groups: &[usize]) -> TheilDecomposition {
    let k = groups
        .iter()
        .copied()
        .take(s.len())
        .max()
        .map(|m| m + 1)
        .unwrap_or(0);
    let mut diagnostics = s.diagnostics.clone();
    if groups.len() != s.len() {
        diagnostics.push(Diagnostic::warning(
            "partition-length",
            format!("{} group labels for {} units", groups.len(), s.len()),
        ));
    }
    // Pass 1: totals per group. Pass 2: one logarithm per unit,
    // A_g = Σ_{i∈g} w_i y_i ln(y_i/μ); then T = Σ_g A_g / Y and
    // T_g = A_g / Y_g − ln(μ_g/μ), so that the parts cost no further logarithms.
    let mut w_g = vec![0.0; k];
    let mut y_g = vec![0.0; k];
    let mut n_g = vec![0usize; k];
    for ((&y, &w), &g) in s.values.iter().zip(&s.weights).zip(groups) {
        w_g[g] += w;
        y_g[g] += w * y;
        n_g[g] += 1;
    }
    let w_total: f64 = w_g.iter().sum();
    let wy_total: f64 = y_g.iter().sum();
    let mu = wy_total / w_total;
    let negative = s.values.iter().any(|&y| y < 0.0);
    let defined = !s.is_empty() && w_total > 0.0 && mu > 0.0 && !negative;
    let mut a_g = vec![0.0; k];
    if defined {
        for ((&y, &w), &g) in s.values.iter().zip(&s.weights).zip(groups) {
            if y > 0.0 {
                a_g[g] += w * y * (y / mu).ln();
            }
        }
    } else {
        diagnostics.push(theil_undefined(negative));
    }
    theil_from_group_sums(
        &TheilGroupSums {
            weight: &w_g,
            value: &y_g,
            units: &n_g,
            entropy: &a_g,
        },
        defined,
        diagnostics,
    )
}

/// Per-group sums from which a Theil decomposition is finished: weights `W_g`, weighted values
/// `Y_g`, unit counts and `A_g = Σ_{i∈g} w_i y_i ln(y_i/μ)`.
struct TheilGroupSums<'a> {
    weight: &'a [f64],
    value: &'a [f64],
    units: &'a [usize],
    entropy: &'a [f64],
}

/// `T = Σ_g A_g / Y`, `T_g = A_g / Y_g − ln(μ_g/μ)`, between `Σ s_g ln(s_g/p_g)` and within
/// `Σ s_g T_g`: no further logarithm per unit.
fn theil_from_group_sums(
    sums: &TheilGroupSums,
    defined: bool,
    diagnostics: Vec<Diagnostic>,
) -> TheilDecomposition {
    let (w_g, y_g, n_g, a_g) = (sums.weight, sums.value, sums.units, sums.entropy);
    let w_total: f64 = w_g.iter().sum();
    let wy_total: f64 = y_g.iter().sum();
    let mu = wy_total / w_total;
    let total = if defined {
        a_g.iter().sum::<f64>() / wy_total
    } else {
        f64::NAN
    };
    let k = w_g.len();
    let mut parts = Vec::with_capacity(k);
    let mut between = 0.0;
    let mut within = 0.0;
    for g in 0..k {
        let (sg, pg) = (y_g[g] / wy_total, w_g[g] / w_total);
        // ln(s_g/p_g) = ln(ȳ_g/μ): one logarithm serves the between part and the group's T.
        let log_ratio =
            (defined && y_g[g] > 0.0 && w_g[g] > 0.0).then(|| (y_g[g] / w_g[g] / mu).ln());
        let tg = log_ratio
            .filter(|_| n_g[g] > 0)
            .map(|l| a_g[g] / y_g[g] - l);
        if let Some(l) = log_ratio {
            between += sg * l;
        }
        if let Some(t) = tg {
            within += sg * t;
        }
        parts.push(GroupPart {
            value_share: sg,
            weight_share: pg,
            theil: tg,
            units: n_g[g],
        });
    }
    if !defined {
        between = f64::NAN;
        within = f64::NAN;
    }
    TheilDecomposition {
        total,
        between,
        within,
        groups: parts,
        diagnostics,
    }
}

fn theil_undefined(negative: bool) -> Diagnostic {
    Diagnostic::warning(
        if negative {
            "non-positive-value"
        } else {
            "non-positive-mean"
        },
        "Theil T is undefined for these values (a negative value, or a zero or negative mean)",
    )
}

/// A balanced panel of values: `units` rows (regions) × `periods` columns, row-major, the
/// layout of PySAL's `n × T` arrays. Missing cells are NaN; they are left out of their period
/// with a diagnostic, as [`Sample`] does.
#[derive(Debug, Clone, Copy)]
pub struct Panel<'a> {
    values: &'a [f64],
    units: usize,
    periods: usize,
}

impl<'a> Panel<'a> {
    /// A panel over `values` (`units × periods`, row `i` holding unit `i`'s periods).
    pub fn new(values: &'a [f64], units: usize, periods: usize) -> Result<Self, InequalityError> {
        if units.checked_mul(periods) != Some(values.len()) {
            return Err(InequalityError::Shape {
                what: "panel values",
                expected: format!("{units} units × {periods} periods"),
                found: values.len(),
            });
        }
        Ok(Panel {
            values,
            units,
            periods,
        })
    }

    /// Number of units (rows).
    pub fn units(&self) -> usize {
        self.units
    }

    /// Number of periods (columns).
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Unit `i`'s values over the periods.
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.values[i * self.periods..(i + 1) * self.periods]
    }

    /// Period `t`'s values over the units.
    pub fn column(&self, t: usize) -> Vec<f64> {
        (0..self.units)
            .map(|i| self.values[i * self.periods + t])
            .collect()
    }
}

/// Worker threads for a job of `cells` cells over `items` independent pieces: one below 2^16
/// cells (spawning would cost more than it saves), else up to the machine's cores.
fn workers(cells: usize, items: usize) -> usize {
    if cells < 1 << 16 {
        return 1;
    }
    crate::parallel::thread_budget().min(items).max(1)
}

/// Runs `job` on `parts` contiguous ranges of `0..len` on scoped threads; results in order.
fn in_parallel<R: Send>(
    len: usize,
    parts: usize,
    job: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let chunk = len.div_ceil(parts.max(1)).max(1);
    if parts <= 1 {
        return vec![job(0..len)];
    }
    // The first range runs on the calling thread, the others on spawned ones.
    std::thread::scope(|scope| {
        let job = &job;
        let handles: Vec<_> = (chunk..len)
            .step_by(chunk)
            .map(|start| scope.spawn(move || job(start..(start + chunk).min(len))))
            .collect();
        let mut out = vec![job(0..chunk.min(len))];
        out.extend(
            handles
                .into_iter()
                .map(|h| h.join().expect("inequality worker panicked")),
        );
        out
    })
}

/// Theil T decomposed by groups for every period of a panel at once: the same figures as
/// [`theil_decomposition`] on each period's column (unweighted), for a fraction of the time.
///
/// Method: one pass over the rows, each row added into per-group, per-period
/// sums by a SIMD kernel ([`crate::kernels::add_clean_row_theil`] for rows with no missing,
/// negative or subnormal cell, [`crate::kernels::add_row_theil`] with masks for the others):
/// the group totals `Y_gt`, counts, and
/// `B_gt = Σ_{i∈g} y_it ln(y_it c_t)` with the vectorised [`crate::kernels::ln`], where `c_t`
/// is 1 / the mean of up to 64 evenly spaced rows (a cheap stand-in for `1/μ_t`, known before
/// the pass). Then `A_gt = Σ_{i∈g} y_it ln(y_it/μ_t) = B_gt − Y_gt ln(μ_t c_t)` exactly, and
/// the decomposition per period needs no further logarithm per unit (see
/// [`theil_decomposition`]). Rows are split across the cores for large panels.
/// `groups[i]` is unit i's group (`0..k`), for every period.
/// Reference: as [`theil_decomposition`]; PySAL's `TheilD(y, partition)` takes the same `n × T`
/// array and returns the same `T` and `bg` per period.
/// Complexity: O(n T) time, O(k T) memory per core.
///
/// ```
/// use regis_methods::inequality::{theil_decomposition, theil_decomposition_panel, Panel, Sample};
/// // Mexico's 32 states, GDP per head 1940 and 1960 (libpysal `mexico`), Hanson's regions.
/// let y1940 = [10384., 22361., 9573., 3758., 2934., 8578., 8537., 6909., 17816., 12132., 4359.,
///     2181., 4414., 5309., 3408., 3327., 6936., 4836., 9073., 1892., 3569., 11016., 21965.,
///     4372., 4840., 6399., 2459., 7508., 3605., 5203., 7990., 3734.];
/// let y1960 = [8714., 17865., 16707., 5925., 5280., 16265., 12318., 6036., 23174., 9323.,
///     8209., 4991., 6399., 9953., 9053., 5244., 10499., 7621., 20117., 4140., 6542., 7110.,
///     9677., 6440., 9613., 12134., 6494., 8383., 4357., 11404., 10067., 5821.];
/// let g = [1, 0, 1, 5, 4, 0, 0, 2, 3, 1, 2, 4, 2, 2, 3, 2, 2, 1, 0, 4, 2, 2, 5, 1, 1, 0, 5, 0,
///     2, 2, 5, 1];
/// let rows: Vec<f64> = (0..32).flat_map(|i| [y1940[i], y1960[i]]).collect();
/// let panel = Panel::new(&rows, 32, 2).unwrap();
/// let d = theil_decomposition_panel(&panel, &g).unwrap();
/// // PySAL TheilD, 1940: between 0.0649837091, within 0.1439597332.
/// assert!((d[0].between - 0.0649837091).abs() < 1e-9 && (d[0].within - 0.1439597332).abs() < 1e-9);
/// let one = theil_decomposition(&Sample::new(&y1960), &g);
/// assert!((d[1].total - one.total).abs() < 1e-14 && (d[1].between - one.between).abs() < 1e-14);
/// ```
pub fn theil_decomposition_panel(
    panel: &Panel,
    groups: &[usize],
) -> Result<Vec<TheilDecomposition>, InequalityError> {
    let (n, t) = (panel.units, panel.periods);
    if groups.len() != n {
        return Err(InequalityError::Shape {
            what: "group labels",
            expected: format!("one per unit ({n})"),
            found: groups.len(),
        });
    }
    let k = groups.iter().copied().max().map_or(0, |m| m + 1);
    // Reference scale per period, 1/(mean of up to 64 evenly spaced rows): the pass sums
    // y ln(y·c_t); the exact A_gt = Σ y ln(y/μ_t) follows as that minus Y_gt ln(μ_t c_t). With
    // c_t near 1/μ_t the correction is small, so no precision is lost to cancellation.
    let stride = n.div_ceil(64).max(1);
    let mut scale = vec![1.0; t];
    for (p, c) in scale.iter_mut().enumerate() {
        let (mut total, mut count) = (0.0, 0.0);
        for i in (0..n).step_by(stride) {
            let y = panel.values[i * t + p];
            if y.is_finite() {
                total += y;
                count += 1.0;
            }
        }
        if total > 0.0 && total.is_finite() {
            *c = count / total;
        }
    }
    // One pass over the rows in storage order (the hardware prefetcher streams the panel):
    // group totals and entropy sums per period. Rows that are finite, not negative and free of
    // subnormal products (the usual case) take the unmasked kernel and count as one unit of
    // their group in every period; the others take the masked kernel, which counts their
    // finite cells and negative cells period by period.
    let parts = workers(n * t, n);
    let partials = in_parallel(n, parts, |span| {
        let mut sum = vec![0.0; k * t];
        let mut count = vec![0.0; k * t];
        let mut entropy = vec![0.0; k * t];
        let mut negative = vec![0.0; t];
        let mut clean_rows = vec![0.0; k];
        let mut scratch = vec![0.0; t];
        for i in span {
            let g = groups[i];
            let cells = g * t..(g + 1) * t;
            let row = panel.row(i);
            if crate::kernels::add_clean_row_theil(
                row,
                &scale,
                &mut sum[cells.clone()],
                &mut entropy[cells.clone()],
                &mut scratch,
            ) {
                clean_rows[g] += 1.0;
            } else {
                let mut sums = crate::kernels::TheilSums {
                    sum: &mut sum[cells.clone()],
                    count: &mut count[cells.clone()],
                    entropy: &mut entropy[cells],
                };
                crate::kernels::add_row_theil(row, &scale, &mut sums, &mut negative);
            }
        }
        for (g, rows) in clean_rows.iter().enumerate() {
            for c in &mut count[g * t..(g + 1) * t] {
                *c += rows;
            }
        }
        (sum, count, entropy, negative)
    });
    let mut sum = vec![0.0; k * t];
    let mut count = vec![0.0; k * t];
    let mut entropy = vec![0.0; k * t];
    let mut negative = vec![0.0; t];
    for (s, c, e, ng) in &partials {
        for (total, part) in [
            (&mut sum, s),
            (&mut count, c),
            (&mut entropy, e),
            (&mut negative, ng),
        ] {
            for (a, b) in total.iter_mut().zip(part) {
                *a += b;
            }
        }
    }
    let mut defined = vec![false; t];
    for p in 0..t {
        let (w, y) = (0..k).fold((0.0, 0.0), |(w, y), g| {
            (w + count[g * t + p], y + sum[g * t + p])
        });
        let mu = y / w;
        defined[p] = w > 0.0 && mu > 0.0 && negative[p] == 0.0;
        if defined[p] {
            let shift = (mu * scale[p]).ln();
            for g in 0..k {
                entropy[g * t + p] -= sum[g * t + p] * shift;
            }
        }
    }
    Ok((0..t)
        .map(|p| {
            let column = |v: &[f64]| (0..k).map(|g| v[g * t + p]).collect::<Vec<f64>>();
            let (w_g, y_g, a_g) = (column(&count), column(&sum), column(&entropy));
            let n_g: Vec<usize> = w_g.iter().map(|&c| c as usize).collect();
            let mut diagnostics = Vec::new();
            let skipped = n - n_g.iter().sum::<usize>();
            if skipped > 0 {
                diagnostics.push(non_finite_skipped(skipped));
            }
            if !defined[p] {
                diagnostics.push(theil_undefined(negative[p] > 0.0));
            }
            theil_from_group_sums(
                &TheilGroupSums {
                    weight: &w_g,
                    value: &y_g,
                    units: &n_g,
                    entropy: &a_g,
                },
                defined[p],
                diagnostics,
            )
        })
        .collect())
}

/// The unweighted Gini coefficient of every period of a panel: the same figures as [`Gini`] on
/// each period's column, for a fraction of the time.
///
/// Method: the periods are split across the cores; each core copies eight columns at a time
/// out of the row-major panel (one cache line per row), drops non-finite cells, sorts each
/// column with [`sort_floats`] (buffers reused) and takes
/// `G = (2 Σ_k k y_(k) − (n+1) Σ y) / (n Σ y)`. Reference: as [`Gini`]; PySAL's `Gini` on each
/// column gives the same numbers.
/// Complexity: O(n T) expected (bucket sort), O(n T log n) worst case; O(n) memory per core.
///
/// ```
/// use regis_methods::inequality::{gini_panel, Panel};
/// let rows = [1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0]; // 4 units × 2 periods
/// let g = gini_panel(&Panel::new(&rows, 4, 2).unwrap());
/// assert!((g[0].value.unwrap() - 0.25).abs() < 1e-15); // Gini of 1, 2, 3, 4
/// assert_eq!(g[1].value, Some(0.0));                    // everyone equal
/// ```
pub fn gini_panel(panel: &Panel) -> Vec<Estimate> {
    const BLOCK: usize = 8;
    let (n, t) = (panel.units, panel.periods);
    let blocks = t.div_ceil(BLOCK);
    let parts = workers(n * t, blocks);
    in_parallel(blocks, parts, |block_range| {
        let mut sorter = FloatSorter::default();
        // Eight columns side by side: row i's cells of the block at block[i*8 .. i*8+8].
        let mut block = vec![0.0; n * BLOCK];
        let mut out = Vec::new();
        for b in block_range {
            let (first, last) = (b * BLOCK, ((b + 1) * BLOCK).min(t));
            let width = last - first;
            if width == BLOCK {
                for (i, cells) in block.chunks_exact_mut(BLOCK).enumerate() {
                    let row: &[f64; BLOCK] = panel.row(i)[first..last].try_into().expect("8 cells");
                    *<&mut [f64; BLOCK]>::try_from(cells).expect("8 cells") = *row;
                }
            } else {
                for (i, cells) in block.chunks_exact_mut(BLOCK).enumerate() {
                    cells[..width].copy_from_slice(&panel.row(i)[first..last]);
                }
            }
            for j in 0..width {
                sorter.keys.clear();
                sorter.keys.extend(
                    block
                        .chunks_exact(BLOCK)
                        .map(|cells| cells[j])
                        .filter(|y| y.is_finite())
                        .map(float_key),
                );
                let total = lane_sum(&sorter.keys, |_, k| float_from_key(k));
                let kept = sorter.keys.len();
                let mut diagnostics = Vec::new();
                if kept < n {
                    diagnostics.push(non_finite_skipped(n - kept));
                }
                let value = if kept == 0 {
                    diagnostics.push(Diagnostic::warning("empty", "no unit with a value"));
                    None
                } else if total <= 0.0 {
                    diagnostics.push(Diagnostic::warning(
                        "non-positive-mean",
                        "the mean is zero or negative: the index is undefined",
                    ));
                    None
                } else {
                    let ranked = lane_sum(sorter.sort_keys(), |k, key| {
                        (k + 1) as f64 * float_from_key(key)
                    });
                    let m = kept as f64;
                    Some((2.0 * ranked - m * total - total) / (m * total))
                };
                out.push(Estimate { value, diagnostics });
            }
        }
        out
    })
    .into_iter()
    .flatten()
    .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    const Y: [f64; 6] = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0];

    #[test]
    fn weighted_with_unit_weights_equals_unweighted() {
        let u = Sample::new(&Y);
        let w = Sample::weighted(&Y, &[1.0; 6]);
        let idx: Vec<Box<dyn InequalityIndex>> = vec![
            Box::new(Gini),
            Box::new(GeneralisedEntropy::THEIL_T),
            Box::new(GeneralisedEntropy::THEIL_L),
            Box::new(GeneralisedEntropy::new(2.0).unwrap()),
            Box::new(Atkinson::new(0.5).unwrap()),
            Box::new(Atkinson::new(1.0).unwrap()),
            Box::new(CoefficientOfVariation),
            Box::new(Hoover),
        ];
        for i in idx {
            let (a, b) = (i.index(&u).value.unwrap(), i.index(&w).value.unwrap());
            assert!((a - b).abs() < 1e-12, "{}: {a} vs {b}", i.id());
        }
    }

    #[test]
    fn integer_weights_equal_repeated_units() {
        let w = [2.0, 1.0, 3.0, 1.0, 1.0, 2.0];
        let mut rep = Vec::new();
        for (y, k) in Y.iter().zip(w) {
            for _ in 0..k as usize {
                rep.push(*y);
            }
        }
        let (a, b) = (Sample::weighted(&Y, &w), Sample::new(&rep));
        for i in [
            &Gini as &dyn InequalityIndex,
            &GeneralisedEntropy::THEIL_T,
            &GeneralisedEntropy::THEIL_L,
            &CoefficientOfVariation,
            &Hoover,
        ] {
            let (x, y) = (i.index(&a).value.unwrap(), i.index(&b).value.unwrap());
            // Gini of repeated units is the same population Gini.
            assert!((x - y).abs() < 1e-12, "{}: {x} vs {y}", i.id());
        }
    }

    #[test]
    fn ge2_is_half_the_squared_cv() {
        let s = Sample::new(&Y);
        let ge2 = GeneralisedEntropy::new(2.0)
            .unwrap()
            .index(&s)
            .value
            .unwrap();
        let cv = CoefficientOfVariation.index(&s).value.unwrap();
        assert!((ge2 - cv * cv / 2.0).abs() < 1e-12);
    }

    #[test]
    fn decomposition_adds_up_weighted_and_unweighted() {
        let groups = [0, 1, 0, 2, 1, 2];
        for s in [
            Sample::new(&Y),
            Sample::weighted(&Y, &[5.0, 1.0, 2.0, 8.0, 3.0, 1.0]),
        ] {
            let d = theil_decomposition(&s, &groups);
            assert!((d.between + d.within - d.total).abs() < 1e-12, "{d:?}");
        }
    }

    #[test]
    fn sort_floats_sorts_like_a_comparison_sort() {
        let mut x: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 10007) as f64 * if i % 3 == 0 { -0.37 } else { 1.13 })
            .collect();
        x.push(0.0);
        x.push(-0.0);
        let mut y = x.clone();
        sort_floats(&mut x);
        y.sort_unstable_by(f64::total_cmp);
        assert_eq!(x, y);
    }

    #[test]
    fn bucket_sort_survives_crowding_ties_and_outliers() {
        let mut state = 7_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let shapes: Vec<Vec<f64>> = vec![
            // Log-normal incomes.
            (0..4000)
                .map(|_| (10.0 + 2.0 * (next() - 0.5)).exp())
                .collect(),
            // One huge outlier: everything else crowds into the first bucket (fallback path).
            (0..4000)
                .map(|i| if i == 17 { 1e300 } else { 1.0 + next() })
                .collect(),
            // Many ties, both signs, zeros of both signs.
            (0..4000)
                .map(|i| ((i % 7) as f64 - 3.0) * if i % 11 == 0 { -0.0 } else { 1.0 })
                .collect(),
            // Already sorted and reversed.
            (0..3000).map(|i| i as f64).collect(),
            (0..3000).map(|i| -(i as f64)).collect(),
        ];
        for v in shapes {
            let mut ours = v.clone();
            let mut reference = v;
            sort_floats(&mut ours);
            reference.sort_unstable_by(f64::total_cmp);
            assert!(ours
                .iter()
                .zip(&reference)
                .all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }

    #[test]
    fn panels_give_the_per_period_figures_with_gaps_and_bad_periods() {
        // 3,000 units × 40 periods (large enough for the threaded path); period 3 has gaps,
        // period 5 a negative value, period 7 is all zeros.
        let (n, t) = (3000, 40);
        let mut rows = vec![0.0; n * t];
        for i in 0..n {
            for p in 0..t {
                rows[i * t + p] = ((i * 31 + p * 17) % 997) as f64 + 1.0 + (i % 5) as f64 * 100.0;
            }
        }
        for i in (0..n).step_by(13) {
            rows[i * t + 3] = f64::NAN;
        }
        rows[42 * t + 5] = -1.0;
        for i in 0..n {
            rows[i * t + 7] = 0.0;
        }
        let groups: Vec<usize> = (0..n).map(|i| i % 6).collect();
        let panel = Panel::new(&rows, n, t).unwrap();
        let theil = theil_decomposition_panel(&panel, &groups).unwrap();
        let gini = gini_panel(&panel);
        assert_eq!((theil.len(), gini.len()), (t, t));
        for p in 0..t {
            let column = panel.column(p);
            let sample = Sample::new(&column);
            let expected_gini = Gini.index(&sample);
            assert_eq!(
                gini[p].value.is_some(),
                expected_gini.value.is_some(),
                "period {p}"
            );
            if let (Some(a), Some(b)) = (gini[p].value, expected_gini.value) {
                assert!((a - b).abs() < 1e-13, "gini period {p}: {a} vs {b}");
            }
            // The sample drops NaN cells, so its groups must be dropped alike.
            let kept: Vec<usize> = (0..n).filter(|&i| column[i].is_finite()).collect();
            let g: Vec<usize> = kept.iter().map(|&i| groups[i]).collect();
            let d = theil_decomposition(&sample, &g);
            for (a, b) in [
                (theil[p].total, d.total),
                (theil[p].between, d.between),
                (theil[p].within, d.within),
            ] {
                assert!(
                    (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-13,
                    "theil period {p}: {a} vs {b}"
                );
            }
            assert_eq!(
                theil[p]
                    .diagnostics
                    .iter()
                    .map(|x| &x.code)
                    .collect::<Vec<_>>(),
                d.diagnostics.iter().map(|x| &x.code).collect::<Vec<_>>(),
                "period {p}"
            );
        }
        assert!(theil[5].total.is_nan() && theil[7].total.is_nan() && gini[7].value.is_none());
        assert!(Panel::new(&rows, n, t + 1).is_err());
        assert!(theil_decomposition_panel(&panel, &groups[1..]).is_err());
    }

    #[test]
    fn permutation_does_not_change_indices() {
        let mut p = Y;
        p.reverse();
        for i in [
            &Gini as &dyn InequalityIndex,
            &GeneralisedEntropy::THEIL_T,
            &Hoover,
        ] {
            assert!(
                (i.index(&Sample::new(&Y)).value.unwrap()
                    - i.index(&Sample::new(&p)).value.unwrap())
                .abs()
                    < 1e-12
            );
        }
    }

    #[test]
    fn degenerate_inputs_give_diagnostics_not_panics() {
        let zeros = Sample::new(&[0.0, 0.0, 0.0]);
        assert!(Gini.index(&zeros).value.is_none());
        assert_eq!(Gini.index(&zeros).diagnostics[0].code, "non-positive-mean");
        assert!(GeneralisedEntropy::THEIL_T
            .index(&Sample::new(&[]))
            .value
            .is_none());
        let one = Sample::new(&[5.0]);
        assert_eq!(Gini.index(&one).value, Some(0.0));
        assert_eq!(GeneralisedEntropy::THEIL_T.index(&one).value, Some(0.0));
        let nan = Sample::new(&[1.0, f64::NAN, 3.0]);
        let e = Gini.index(&nan);
        assert!(e.value.is_some() && e.diagnostics[0].code == "non-finite-skipped");
        assert!(GeneralisedEntropy::THEIL_L
            .index(&Sample::new(&[0.0, 1.0]))
            .value
            .is_none());
        assert!(Atkinson::new(-1.0).is_err());
        assert!(GeneralisedEntropy::new(f64::NAN).is_err());
        assert!(group_share(&[Some(1.0), None], &[true, false])
            .value
            .is_none());
        assert!(concentration_ratio(&[0.0, 0.0], 1).value.is_none());
    }
}
