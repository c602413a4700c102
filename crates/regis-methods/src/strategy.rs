//! Strategic-industry selection ("select and focus"): transparent multi-criteria scores of a
//! region's candidate industries, a sensitivity analysis of the top-k to the weights, and the
//! overlap of choices across regions with differentiation suggestions.
//!
//! Scores: each criterion is rescaled across the region's candidates to [0, 1] (min-max:
//! `z = (x − min)/(max − min)`; a criterion equal for all candidates gives 0.5), then
//! `score = Σ_k w_k z_k` with weights normalised to sum to 1. A missing criterion value counts
//! as the minimum (0) and is reported. This is a simple additive weighting (SAW) model:
//! Hwang, C.-L. & Yoon, K. (1981) *Multiple Attribute Decision Making*, Springer,
//! doi:10.1007/978-3-642-48318-9. Criteria in the spirit of smart-specialisation practice
//! (Foray, D. (2015) *Smart Specialisation*, Routledge, doi:10.4324/9781315773063) and
//! relatedness (Hidalgo et al. 2007, doi:10.1126/science.1144581).
//!
//! Sensitivity: weights are perturbed multiplicatively, `w'_k = w_k · exp(σ ε_k)` with
//! ε ~ N(0, 1) (seeded), renormalised; for each candidate the share of draws in which it is in
//! the top-k and its best and worst rank are reported.

use regis_core::Diagnostic;

use crate::random::Rng;

/// The criteria, in a fixed order.
pub const CRITERIA: [&str; 7] = [
    "specialisation",
    "size",
    "growth",
    "competitive",
    "density",
    "complexity",
    "linkages",
];

/// What each criterion measures (for reports).
pub const CRITERIA_MEANING: [&str; 7] = [
    "location quotient LQ_ri",
    "share of the region's output or employment, s_ri",
    "annual growth of the industry in the region over the window, %",
    "shift-share competitive effect over the window, as % of the start value",
    "relatedness density: share of related industries the region is specialised in",
    "industry complexity PCI",
    "input-output linkages: mean of the normalised backward (Leontief) and forward (Ghosh) linkages, when an input-output table is given",
];

/// Default weights (sum 1). Linkages weigh 0 unless an input-output table is given (callers
/// then give it a weight).
pub const DEFAULT_WEIGHTS: [f64; 7] = [0.25, 0.15, 0.15, 0.15, 0.15, 0.15, 0.0];

/// Why weights are refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StrategyError {
    /// Negative, non-finite or all-zero weights.
    #[error("weights must be finite, non-negative and not all zero (got {0:?})")]
    Weights(Vec<f64>),
}

/// Checked, normalised weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(pub [f64; 7]);

impl Weights {
    /// Checks and normalises weights to sum to 1.
    pub fn new(w: [f64; 7]) -> Result<Weights, StrategyError> {
        let s: f64 = w.iter().sum();
        if w.iter().any(|x| !x.is_finite() || *x < 0.0) || s <= 0.0 {
            return Err(StrategyError::Weights(w.to_vec()));
        }
        Ok(Weights(w.map(|x| x / s)))
    }
}

/// One candidate's criteria values (None when undefined).
pub type CriteriaValues = [Option<f64>; 7];

/// A scored candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Index of the candidate in the input.
    pub candidate: usize,
    /// Rescaled criteria in [0, 1].
    pub rescaled: [f64; 7],
    /// Weighted score in [0, 1].
    pub score: f64,
    /// Rank (1 = best).
    pub rank: usize,
}

/// Scores candidates; the result is in rank order.
///
/// ```
/// use regis_methods::strategy::{score, Weights};
/// let c = vec![[Some(2.0), Some(0.1), Some(5.0), Some(1.0), Some(0.5), Some(1.0), None],
///              [Some(0.5), Some(0.3), Some(1.0), Some(0.0), Some(0.2), Some(-1.0), None]];
/// let s = score(&c, &Weights::new([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).unwrap());
/// assert_eq!((s[0].candidate, s[0].score), (0, 1.0));
/// ```
pub fn score(candidates: &[CriteriaValues], w: &Weights) -> Vec<Scored> {
    let mut lo = [f64::INFINITY; 7];
    let mut hi = [f64::NEG_INFINITY; 7];
    for c in candidates {
        for k in 0..7 {
            if let Some(v) = c[k].filter(|v| v.is_finite()) {
                lo[k] = lo[k].min(v);
                hi[k] = hi[k].max(v);
            }
        }
    }
    let mut out: Vec<Scored> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut z = [0.0; 7];
            for k in 0..7 {
                z[k] = match c[k].filter(|v| v.is_finite()) {
                    Some(v) if hi[k] > lo[k] => (v - lo[k]) / (hi[k] - lo[k]),
                    Some(_) => 0.5,
                    None => 0.0,
                };
            }
            let s = z.iter().zip(&w.0).map(|(a, b)| a * b).sum();
            Scored {
                candidate: i,
                rescaled: z,
                score: s,
                rank: 0,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.candidate.cmp(&b.candidate))
    });
    for (k, s) in out.iter_mut().enumerate() {
        s.rank = k + 1;
    }
    out
}

/// Sensitivity of one candidate to the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Candidate index.
    pub candidate: usize,
    /// Share of perturbed weightings in which it is in the top-k.
    pub in_top_k: f64,
    /// Best rank seen.
    pub best_rank: usize,
    /// Worst rank seen.
    pub worst_rank: usize,
}

/// How stable the top-k is when the weights move (see the module docs).
pub fn sensitivity(
    candidates: &[CriteriaValues],
    w: &Weights,
    top_k: usize,
    draws: usize,
    sigma: f64,
    seed: u64,
) -> Vec<Sensitivity> {
    let n = candidates.len();
    let mut rng = Rng::seeded(seed);
    let mut count = vec![0usize; n];
    let mut best = vec![usize::MAX; n];
    let mut worst = vec![0usize; n];
    let normal = |rng: &mut Rng| {
        let (u1, u2) = (rng.uniform().max(1e-300), rng.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    };
    for _ in 0..draws.max(1) {
        let mut p = [0.0; 7];
        for (pk, wk) in p.iter_mut().zip(w.0) {
            *pk = wk * (sigma * normal(&mut rng)).exp();
        }
        let Ok(pw) = Weights::new(p) else { continue };
        for s in score(candidates, &pw) {
            if s.rank <= top_k {
                count[s.candidate] += 1;
            }
            best[s.candidate] = best[s.candidate].min(s.rank);
            worst[s.candidate] = worst[s.candidate].max(s.rank);
        }
    }
    (0..n)
        .map(|i| Sensitivity {
            candidate: i,
            in_top_k: count[i] as f64 / draws.max(1) as f64,
            best_rank: best[i],
            worst_rank: worst[i],
        })
        .collect()
}

/// The overlap of regions' choices: `overlap[a][b]` = number of industries both chose, and for
/// each industry the regions that chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Region × region counts of shared choices.
    pub matrix: Vec<Vec<usize>>,
    /// For each industry (index), the regions (indices) that chose it.
    pub chosen_by: Vec<Vec<usize>>,
    /// Notes.
    pub diagnostics: Vec<Diagnostic>,
}

/// Overlap of the chosen industries (`choices[r]` = industries chosen by region r, out of
/// `industries`).
///
/// ```
/// use regis_methods::strategy::overlap;
/// let o = overlap(&[vec![0, 1], vec![1, 2], vec![1]], 3);
/// assert_eq!(o.chosen_by[1], vec![0, 1, 2]);
/// assert_eq!(o.matrix[0][1], 1);
/// ```
pub fn overlap(choices: &[Vec<usize>], industries: usize) -> Overlap {
    let n = choices.len();
    let mut matrix = vec![vec![0usize; n]; n];
    for a in 0..n {
        for b in 0..n {
            matrix[a][b] = choices[a].iter().filter(|i| choices[b].contains(i)).count();
        }
    }
    let mut chosen_by = vec![Vec::new(); industries];
    for (r, c) in choices.iter().enumerate() {
        for &i in c {
            chosen_by[i].push(r);
        }
    }
    Overlap {
        matrix,
        chosen_by,
        diagnostics: Vec::new(),
    }
}

/// A differentiation suggestion for a region that chose a contested industry: among its
/// candidates not chosen by more than `max_rivals` regions (and not already chosen by it), the
/// one maximising `score × proximity to the contested industry` — a related industry where the
/// region is strong and its rivals are not (Frenken et al. 2007 related variety;
/// Hidalgo et al. 2007). Returns the candidate index.
pub fn differentiate(
    contested: usize,
    region_scores: &[f64],
    chosen: &[usize],
    chosen_by_count: &[usize],
    proximity: &[f64],
    industries: usize,
    max_rivals: usize,
) -> Option<usize> {
    (0..industries)
        .filter(|&j| j != contested && !chosen.contains(&j) && chosen_by_count[j] <= max_rivals)
        .map(|j| (j, region_scores[j] * proximity[contested * industries + j]))
        .filter(|(_, v)| *v > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(j, _)| j)
}

/// The criteria of every region × industry (row-major) from the values at the start and the
/// end of a window of `years` years (same regions and industries in both matrices), the
/// national linkages of each industry when an input-output table is given, and the complexity
/// analysis of the end period they use.
///
/// specialisation = LQ at the end; size = share of the region's total at the end; growth =
/// compound annual growth in %, `((E¹/E⁰)^{1/T} − 1)·100`; competitive = classic shift-share
/// competitive effect as % of `E⁰`; density and complexity from [`crate::complexity`] on the
/// end period's `LQ ≥ 1` matrix.
pub fn candidate_criteria(
    start: &crate::specialisation::RegionIndustry,
    end: &crate::specialisation::RegionIndustry,
    years: f64,
    linkages: Option<&[Option<f64>]>,
) -> (Vec<CriteriaValues>, crate::complexity::Complexity) {
    use crate::specialisation::{location_quotients, specialisation_matrix};
    let (nr, ni) = (end.regions(), end.industries());
    let lq = location_quotients(end);
    let totals = end.region_totals();
    let cx = crate::complexity::complexity(&crate::complexity::Presence::new(
        specialisation_matrix(end, 1.0),
        nr,
        ni,
    ));
    let flat = |m: &crate::specialisation::RegionIndustry| -> Vec<f64> {
        (0..nr)
            .flat_map(|r| (0..ni).map(move |i| (r, i)))
            .map(|(r, i)| m.get(r, i))
            .collect()
    };
    let (a, b) = (flat(start), flat(end));
    let ss = crate::shift_share::shift_share(
        &[&a, &b],
        nr,
        ni,
        crate::shift_share::ShiftShareMethod::Classic,
    );
    let mut out = Vec::with_capacity(nr * ni);
    for r in 0..nr {
        for i in 0..ni {
            let (e0, e1) = (start.get(r, i), end.get(r, i));
            let growth = (e0 > 0.0 && e1 >= 0.0 && years > 0.0)
                .then(|| ((e1 / e0).powf(1.0 / years) - 1.0) * 100.0);
            let competitive = (e0 > 0.0).then(|| ss.cells[r * ni + i].competitive / e0 * 100.0);
            out.push([
                lq[r * ni + i],
                (totals[r] > 0.0).then(|| e1 / totals[r]),
                growth,
                competitive,
                Some(cx.density[r * ni + i]),
                cx.pci[i],
                linkages.and_then(|l| l.get(i).copied().flatten()),
            ]);
        }
    }
    (out, cx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_checked_and_scores_rank() {
        assert!(Weights::new([0.0; 7]).is_err());
        assert!(Weights::new([1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0]).is_err());
        let w = Weights::new([2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0]).unwrap();
        assert_eq!(w.0[0], 0.5);
        let c = vec![
            [Some(1.0), Some(1.0), None, None, None, None, None],
            [Some(0.0), Some(0.0), None, None, None, None, None],
            [Some(0.5), Some(0.5), None, None, None, None, None],
        ];
        let s = score(&c, &w);
        assert_eq!(
            s.iter().map(|x| x.candidate).collect::<Vec<_>>(),
            vec![0, 2, 1]
        );
        // Permuting candidates permutes results.
        let rev: Vec<_> = c.iter().rev().copied().collect();
        let t = score(&rev, &w);
        assert_eq!(t[0].candidate, 2);
    }

    #[test]
    fn sensitivity_of_a_dominant_candidate_is_one() {
        let c = vec![[Some(9.0); 7], [Some(1.0); 7], [Some(2.0); 7]];
        let s = sensitivity(&c, &Weights::new(DEFAULT_WEIGHTS).unwrap(), 1, 200, 0.5, 3);
        assert_eq!(s[0].in_top_k, 1.0);
        assert_eq!((s[0].best_rank, s[0].worst_rank), (1, 1));
        assert_eq!(s[1].in_top_k, 0.0);
    }
}
