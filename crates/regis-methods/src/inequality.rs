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
            diagnostics.push(Diagnostic::info(
                "non-finite-skipped",
                format!("{skipped} unit(s) with a missing, non-finite or negative-weight value were left out"),
            ));
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
            let n = s.len() as f64;
            let total: f64 = s.values.iter().sum();
            let ranked: f64 = sorted
                .iter()
                .enumerate()
                .map(|(k, &y)| 2.0 * (k + 1) as f64 * y)
                .sum();
            return s.estimate((ranked - n * total - total) / (n * total));
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

/// Sorts finite floats ascending: an LSD radix sort on their order-preserving bit patterns
/// (8-bit digits, digits constant across the data skipped) for large inputs, a comparison
/// sort for small ones. O(n) for large n.
pub fn sort_floats(v: &mut [f64]) {
    let n = v.len();
    if n < 512 {
        v.sort_unstable_by(f64::total_cmp);
        return;
    }
    // Order-preserving map: flip all bits of negatives, the sign bit of positives.
    let key = |x: f64| {
        let b = x.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | (1 << 63)
        }
    };
    let unkey = |k: u64| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k });
    let mut a: Vec<u64> = v.iter().map(|&x| key(x)).collect();
    let mut b = vec![0u64; n];
    let mut counts = [[0usize; 256]; 8];
    for &k in &a {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * d)) & 0xFF) as usize] += 1;
        }
    }
    for (d, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same digit here
        }
        let mut offset = [0usize; 256];
        let mut acc = 0;
        for (o, &x) in offset.iter_mut().zip(c.iter()) {
            *o = acc;
            acc += x;
        }
        for &k in &a {
            let digit = ((k >> (8 * d)) & 0xFF) as usize;
            b[offset[digit]] = k;
            offset[digit] += 1;
        }
        std::mem::swap(&mut a, &mut b);
    }
    for (x, &k) in v.iter_mut().zip(&a) {
        *x = unkey(k);
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
        diagnostics.push(Diagnostic::warning(
            if negative {
                "non-positive-value"
            } else {
                "non-positive-mean"
            },
            "Theil T is undefined for these values (a negative value, or a zero or negative mean)",
        ));
    }
    let total = if defined {
        a_g.iter().sum::<f64>() / wy_total
    } else {
        f64::NAN
    };
    let mut parts = Vec::with_capacity(k);
    let mut between = 0.0;
    let mut within = 0.0;
    for g in 0..k {
        let (sg, pg) = (y_g[g] / wy_total, w_g[g] / w_total);
        let tg = (defined && n_g[g] > 0 && y_g[g] > 0.0 && w_g[g] > 0.0)
            .then(|| a_g[g] / y_g[g] - (y_g[g] / w_g[g] / mu).ln());
        if defined && sg > 0.0 && pg > 0.0 {
            between += sg * (sg / pg).ln();
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
    fn radix_sort_sorts_like_a_comparison_sort() {
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
