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

mod decomposition;
mod indices;
mod panel;

pub use crate::numerics::sort_floats;
pub use decomposition::{theil_decomposition, GroupPart, TheilDecomposition};
pub use indices::{
    concentration_ratio, group_share, lorenz_curve, Atkinson, CoefficientOfVariation,
    GeneralisedEntropy, Gini, Hoover, Theil,
};
pub use panel::{gini_panel, theil_decomposition_panel, Panel};

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

pub(super) fn non_finite_skipped(units: usize) -> Diagnostic {
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
