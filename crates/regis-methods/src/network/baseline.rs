//! Ties between groups (actor types, regions) against a degree-preserving random baseline:
//! is cooperation across groups thinner than the actors' numbers and degrees would give?
//!
//! Observed: the ties between each pair of groups (a ≤ b), and the share of ties that cross
//! groups. Baseline: the configuration model (Molloy & Reed 1995, *Random Structures &
//! Algorithms* 6, doi:10.1002/rsa.3240060204; Newman, Strogatz & Watts 2001,
//! doi:10.1103/PhysRevE.64.026118): every actor keeps its degree, and its tie ends ("stubs")
//! are matched uniformly at random. Each draw shuffles the 2m stubs (seeded) and pairs them in
//! order; loops and repeated pairs are kept, as the model has them, so the expectation is
//! exact for the model (`E[e_ab] ≈ d_a d_b / 2m`). The z-score of an observation is
//! `(observed − mean) / sd` over the draws (None when the draws do not vary). O(draws · m).
//!
//! Region-to-region ties (`group_ties`) are the same counts with the tie weights: the flow
//! matrix the zones methods read.

use super::Network;
use crate::random::Rng;

/// Ties and their weight between two groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupTies {
    /// The groups, `a ≤ b`.
    pub a: usize,
    /// See `a`.
    pub b: usize,
    /// Ties.
    pub ties: usize,
    /// Sum of their weights.
    pub weight: f64,
}

/// The ties between every pair of groups that has any, `a ≤ b`, ordered by `(a, b)`.
///
/// ```
/// use regis_methods::network::{baseline::group_ties, Network};
/// let g = Network::new(4, &[(0, 1, 2.0), (1, 2, 1.0), (2, 3, 3.0)]).unwrap();
/// let t = group_ties(&g, &[0, 0, 1, 1], 2);
/// assert_eq!((t[0].a, t[0].b, t[0].ties, t[0].weight), (0, 0, 1, 2.0));
/// assert_eq!((t[1].a, t[1].b, t[1].ties, t[1].weight), (0, 1, 1, 1.0));
/// assert_eq!((t[2].a, t[2].b, t[2].ties, t[2].weight), (1, 1, 1, 3.0));
/// ```
pub fn group_ties(g: &Network, groups: &[usize], count: usize) -> Vec<GroupTies> {
    let mut ties = vec![0usize; count * count];
    let mut weight = vec![0.0; count * count];
    for u in 0..g.nodes() {
        for (&v, &w) in g.neighbours(u).iter().zip(g.tie_weights(u)) {
            if v > u {
                let (a, b) = (groups[u].min(groups[v]), groups[u].max(groups[v]));
                ties[a * count + b] += 1;
                weight[a * count + b] += w;
            }
        }
    }
    let mut out = Vec::new();
    for a in 0..count {
        for b in a..count {
            if ties[a * count + b] > 0 {
                out.push(GroupTies {
                    a,
                    b,
                    ties: ties[a * count + b],
                    weight: weight[a * count + b],
                });
            }
        }
    }
    out
}

/// An observed count against the baseline's draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Against {
    /// Observed.
    pub observed: f64,
    /// Mean over the draws.
    pub expected: f64,
    /// Standard deviation over the draws.
    pub sd: f64,
    /// `(observed − expected) / sd`; None when sd is 0.
    pub z: Option<f64>,
}

/// The mean and variance of the draws, accumulated one draw at a time (Welford 1962,
/// *Technometrics* 4(3), doi:10.1080/00401706.1962.10490022), so that the draws need not be
/// kept: memory is one accumulator per pair of groups, whatever the number of draws.
#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    /// `observed` against the draws (sample standard deviation, n − 1).
    fn against(&self, observed: f64) -> Against {
        let sd = (self.m2 / (self.n - 1.0).max(1.0)).max(0.0).sqrt();
        Against {
            observed,
            expected: self.mean,
            sd,
            z: (sd > 1e-12).then(|| (observed - self.mean) / sd),
        }
    }
}

/// The baseline of every pair of groups (`a ≤ b`, row-major over the upper triangle) and of
/// the share of ties across groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Ties between groups a and b (a ≤ b), in the order `(0,0), (0,1), …, (1,1), …`.
    pub pairs: Vec<((usize, usize), Against)>,
    /// The share of ties that join two groups.
    pub cross_share: Against,
    /// Each group's ties to the other groups.
    pub across: Vec<Against>,
    /// Draws.
    pub draws: usize,
}

/// Observed ties by pair of groups against `draws` configuration-model draws with `seed`.
///
/// ```
/// use regis_methods::network::{baseline::configuration_baseline, Network};
/// // Two cliques of three, one per group, joined by one tie: far fewer cross ties than chance.
/// let g = Network::new(6, &[(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0),
///     (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0), (2, 3, 1.0)]).unwrap();
/// let b = configuration_baseline(&g, &[0, 0, 0, 1, 1, 1], 2, 500, 1);
/// assert_eq!(b.cross_share.observed, 1.0 / 7.0);
/// assert!(b.cross_share.expected > 0.4 && b.cross_share.z.unwrap() < -2.0);
/// ```
pub fn configuration_baseline(
    g: &Network,
    groups: &[usize],
    count: usize,
    draws: usize,
    seed: u64,
) -> Baseline {
    let pairs_of = |count_pair: &mut Vec<f64>, a: usize, b: usize| {
        let (a, b) = (a.min(b), a.max(b));
        count_pair[a * count + b] += 1.0;
    };
    let mut observed = vec![0.0; count * count];
    let mut stubs = Vec::with_capacity(2 * g.ties());
    for u in 0..g.nodes() {
        for &v in g.neighbours(u) {
            stubs.push(u);
            if v > u {
                pairs_of(&mut observed, groups[u], groups[v]);
            }
        }
    }
    let m = g.ties() as f64;
    let cross = |c: &[f64]| {
        let within: f64 = (0..count).map(|k| c[k * count + k]).sum();
        if m > 0.0 {
            (m - within) / m
        } else {
            0.0
        }
    };
    let across_of = |c: &[f64], k: usize| -> f64 {
        (0..count)
            .filter(|&h| h != k)
            .map(|h| c[k.min(h) * count + k.max(h)])
            .sum()
    };
    let mut rng = Rng::seeded(seed);
    let mut pair_moments = vec![Moments::default(); count * count];
    let mut across_moments = vec![Moments::default(); count];
    let mut share_moments = Moments::default();
    let mut c = vec![0.0; count * count];
    for _ in 0..draws {
        rng.shuffle(&mut stubs);
        c.fill(0.0);
        for pair in stubs.chunks_exact(2) {
            pairs_of(&mut c, groups[pair[0]], groups[pair[1]]);
        }
        for a in 0..count {
            for b in a..count {
                pair_moments[a * count + b].push(c[a * count + b]);
            }
            across_moments[a].push(across_of(&c, a));
        }
        share_moments.push(cross(&c));
    }
    let mut pairs = Vec::new();
    for a in 0..count {
        for b in a..count {
            let k = a * count + b;
            pairs.push(((a, b), pair_moments[k].against(observed[k])));
        }
    }
    let across = (0..count)
        .map(|k| across_moments[k].against(across_of(&observed, k)))
        .collect();
    Baseline {
        pairs,
        cross_share: share_moments.against(cross(&observed)),
        across,
        draws,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_accumulated_one_draw_at_a_time_are_the_sample_mean_and_sd() {
        let mut m = Moments::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            m.push(x);
        }
        let a = m.against(5.0);
        assert_eq!(a.expected, 2.5);
        // Σ(x − 2.5)² = 5, over n − 1 = 3.
        assert!((a.sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((a.z.unwrap() - 2.5 / (5.0f64 / 3.0).sqrt()).abs() < 1e-14);
        let mut flat = Moments::default();
        for _ in 0..3 {
            flat.push(7.0);
        }
        assert_eq!(flat.against(7.0).z, None);
    }

    #[test]
    fn the_baseline_expectation_is_the_configuration_models() {
        // A star of 4 leaves (group 1) around a hub (group 0) plus a separate pair in group 1:
        // m = 5, the hub holds 4 of 10 stubs. E[hub–group-1 ties] = Σ over the hub's stubs of
        // P(matched to a group-1 stub) = 4 · 6/9 = 2.667 (a stub is matched to one of the
        // other 9 stubs uniformly).
        let g = Network::new(
            7,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (0, 3, 1.0),
                (0, 4, 1.0),
                (5, 6, 1.0),
            ],
        )
        .unwrap();
        let b = configuration_baseline(&g, &[0, 1, 1, 1, 1, 1, 1], 2, 20_000, 3);
        let ((a, bb), cross) = b.pairs[1];
        assert_eq!((a, bb), (0, 1));
        assert_eq!(cross.observed, 4.0);
        assert!(
            (cross.expected - 4.0 * 6.0 / 9.0).abs() < 0.03,
            "{}",
            cross.expected
        );
        // Same seed, same draws.
        assert_eq!(
            configuration_baseline(&g, &[0, 1, 1, 1, 1, 1, 1], 2, 50, 9),
            configuration_baseline(&g, &[0, 1, 1, 1, 1, 1, 1], 2, 50, 9)
        );
    }
}
