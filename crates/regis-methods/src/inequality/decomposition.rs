//! The Theil decomposition of a sample into between- and within-group parts.

use regis_core::Diagnostic;

use super::*;

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
pub(super) struct TheilGroupSums<'a> {
    pub(super) weight: &'a [f64],
    pub(super) value: &'a [f64],
    pub(super) units: &'a [usize],
    pub(super) entropy: &'a [f64],
}

/// `T = Σ_g A_g / Y`, `T_g = A_g / Y_g − ln(μ_g/μ)`, between `Σ s_g ln(s_g/p_g)` and within
/// `Σ s_g T_g`: no further logarithm per unit.
pub(super) fn theil_from_group_sums(
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

pub(super) fn theil_undefined(negative: bool) -> Diagnostic {
    Diagnostic::warning(
        if negative {
            "non-positive-value"
        } else {
            "non-positive-mean"
        },
        "Theil T is undefined for these values (a negative value, or a zero or negative mean)",
    )
}
