//! A core-periphery partition: Borgatti & Everett's discrete model (2000, *Social Networks*
//! 21(4), doi:10.1016/S0378-8733(99)00019-2).
//!
//! Actors are split into a core and a periphery. The ideal pattern has every core pair tied
//! and no periphery pair tied; core-periphery pairs are left out of the comparison (B&E's
//! model with the off-diagonal blocks missing). The fitness is the Pearson correlation between
//! the ties and that pattern over the pairs compared. With c core actors, `N = c(c − 1)/2 +
//! p(p − 1)/2` pairs compared, `e_C` ties in the core and `e_P` in the periphery,
//! `S = e_C + e_P`, `D = c(c − 1)/2`:
//! `r = (N e_C − S D) / √((N S − S²)(N D − D²))` (ties alone, unweighted).
//!
//! The search is deterministic. Up to [`EXHAUSTIVE`] actors every partition is tried (a Gray
//! code: each step moves one actor, O(degree) to update). Above, a local search (move the
//! actor whose move raises r most, until none does) from several starts: the actors ranked by
//! degree cut at every tenth of the network, and seeded random partitions. The best fitness
//! is reported with the number of starts that reached it: a single random run gives different
//! cores on the same graph, so the agreement of the starts says how sure the answer is.
//! O(starts · moves · n) time.

use super::Network;
use crate::random::Rng;

/// Networks of up to this many actors are searched exhaustively.
pub const EXHAUSTIVE: usize = 20;

/// The best partition found.
#[derive(Debug, Clone, PartialEq)]
pub struct CorePeriphery {
    /// Whether each actor is in the core.
    pub core: Vec<bool>,
    /// The correlation with the ideal pattern (None when undefined: fewer than two pairs
    /// compared, or no variation).
    pub fitness: Option<f64>,
    /// `exhaustive` or `multi-start`.
    pub search: &'static str,
    /// Starts of the local search (0 when exhaustive).
    pub starts: usize,
    /// Starts that reached the best fitness (to 1e-12).
    pub starts_at_best: usize,
}

/// The counts the fitness depends on.
#[derive(Debug, Clone, Copy)]
struct Counts {
    n: usize,
    c: usize,
    ties_core: usize,
    ties_periphery: usize,
}

impl Counts {
    fn fitness(&self) -> Option<f64> {
        let p = self.n - self.c;
        let d = (self.c * self.c.saturating_sub(1) / 2) as f64;
        let pairs = d + (p * p.saturating_sub(1) / 2) as f64;
        let s = (self.ties_core + self.ties_periphery) as f64;
        let den = (pairs * s - s * s) * (pairs * d - d * d);
        (pairs >= 2.0 && den > 0.0).then(|| (pairs * self.ties_core as f64 - s * d) / den.sqrt())
    }
}

/// The state of one search: membership, each actor's ties to the core, the counts.
struct State<'g> {
    g: &'g Network,
    core: Vec<bool>,
    to_core: Vec<usize>,
    counts: Counts,
}

impl<'g> State<'g> {
    fn new(g: &'g Network, core: Vec<bool>) -> State<'g> {
        let n = g.nodes();
        let to_core: Vec<usize> = (0..n)
            .map(|v| g.neighbours(v).iter().filter(|&&w| core[w]).count())
            .collect();
        let (mut ties_core, mut ties_periphery) = (0, 0);
        for v in 0..n {
            for &w in g.neighbours(v) {
                if w > v && core[v] == core[w] {
                    if core[v] {
                        ties_core += 1;
                    } else {
                        ties_periphery += 1;
                    }
                }
            }
        }
        let c = core.iter().filter(|x| **x).count();
        State {
            g,
            core,
            to_core,
            counts: Counts {
                n,
                c,
                ties_core,
                ties_periphery,
            },
        }
    }

    /// The counts after moving v to the other side.
    fn moved(&self, v: usize) -> Counts {
        let mut k = self.counts;
        let degree = self.g.neighbours(v).len();
        if self.core[v] {
            k.c -= 1;
            k.ties_core -= self.to_core[v];
            k.ties_periphery += degree - self.to_core[v];
        } else {
            k.c += 1;
            k.ties_core += self.to_core[v];
            k.ties_periphery -= degree - self.to_core[v];
        }
        k
    }

    fn apply(&mut self, v: usize) {
        self.counts = self.moved(v);
        let into_core = !self.core[v];
        self.core[v] = into_core;
        for &w in self.g.neighbours(v) {
            if into_core {
                self.to_core[w] += 1;
            } else {
                self.to_core[w] -= 1;
            }
        }
    }

    /// Moves the best actor while a move raises the fitness.
    fn climb(&mut self) {
        loop {
            let now = self.counts.fitness().unwrap_or(f64::NEG_INFINITY);
            let best = (0..self.g.nodes())
                .filter_map(|v| self.moved(v).fitness().map(|f| (v, f)))
                .fold(None, |acc: Option<(usize, f64)>, (v, f)| match acc {
                    Some((_, b)) if b >= f => acc,
                    _ => Some((v, f)),
                });
            match best {
                Some((v, f)) if f > now + 1e-12 => self.apply(v),
                _ => return,
            }
        }
    }
}

/// The best core-periphery partition of `g` (`random_starts` seeded random starts beside the
/// degree-ranked ones, above [`EXHAUSTIVE`] actors).
///
/// ```
/// use regis_methods::network::{core_periphery::core_periphery, Network};
/// // A 4-clique (0-3), each member with one pendant actor (4-7): the clique is the core,
/// // perfectly (r = 1: every core pair tied, no periphery pair tied).
/// let mut ties = vec![(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (1, 2, 1.0), (1, 3, 1.0), (2, 3, 1.0)];
/// ties.extend((0..4).map(|v| (v, v + 4, 1.0)));
/// let cp = core_periphery(&Network::new(8, &ties).unwrap(), 10, 1);
/// assert_eq!(cp.core, vec![true, true, true, true, false, false, false, false]);
/// assert!((cp.fitness.unwrap() - 1.0).abs() < 1e-12);
/// assert_eq!(cp.search, "exhaustive");
/// ```
pub fn core_periphery(g: &Network, random_starts: usize, seed: u64) -> CorePeriphery {
    if g.nodes() <= EXHAUSTIVE {
        exhaustive(g)
    } else {
        multi_start(g, random_starts, seed)
    }
}

/// Every partition, by a Gray code. O(2ⁿ · degree).
fn exhaustive(g: &Network) -> CorePeriphery {
    let n = g.nodes();
    {
        let mut state = State::new(g, vec![false; n]);
        let mut best = (state.counts.fitness(), state.core.clone());
        // Gray code: step k moves the actor at the lowest set bit of k.
        for k in 1u64..(1u64 << n) {
            state.apply(k.trailing_zeros() as usize);
            let f = state.counts.fitness();
            if f.is_some() && (best.0.is_none() || f > best.0) {
                best = (f, state.core.clone());
            }
        }
        CorePeriphery {
            core: best.1,
            fitness: best.0,
            search: "exhaustive",
            starts: 0,
            starts_at_best: 0,
        }
    }
}

/// The local search from the degree-ranked starts and `random_starts` seeded ones.
fn multi_start(g: &Network, random_starts: usize, seed: u64) -> CorePeriphery {
    let n = g.nodes();
    let degree = g.degree();
    let mut by_degree: Vec<usize> = (0..n).collect();
    by_degree.sort_by(|a, b| degree[*b].cmp(&degree[*a]).then(a.cmp(b)));
    let mut starts: Vec<Vec<bool>> = (1..10)
        .map(|tenth| {
            let mut core = vec![false; n];
            for &v in &by_degree[..(n * tenth / 10).max(1)] {
                core[v] = true;
            }
            core
        })
        .collect();
    let mut rng = Rng::seeded(seed);
    starts.extend((0..random_starts).map(|_| (0..n).map(|_| rng.uniform() < 0.5).collect()));
    let results: Vec<(Option<f64>, Vec<bool>)> = starts
        .into_iter()
        .map(|core| {
            let mut s = State::new(g, core);
            s.climb();
            (s.counts.fitness(), s.core)
        })
        .collect();
    let best = results
        .iter()
        .filter_map(|(f, _)| *f)
        .fold(f64::NEG_INFINITY, f64::max);
    let at_best = results
        .iter()
        .filter(|(f, _)| f.is_some_and(|f| f >= best - 1e-12))
        .count();
    let chosen = results
        .iter()
        .find(|(f, _)| f.is_some_and(|f| f >= best - 1e-12))
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| vec![false; n]);
    CorePeriphery {
        core: chosen,
        fitness: best.is_finite().then_some(best),
        search: "multi-start",
        starts: results.len(),
        starts_at_best: at_best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planted(core: usize, periphery: usize, seed: u64) -> Network {
        // A dense core (each pair tied with probability 0.9), a periphery tied to the core
        // (two ties each) and sparsely among itself.
        let mut rng = Rng::seeded(seed);
        let mut ties = Vec::new();
        for a in 0..core {
            for b in a + 1..core {
                if rng.uniform() < 0.9 {
                    ties.push((a, b, 1.0));
                }
            }
        }
        for p in core..core + periphery {
            let (x, y) = (rng.below(core), rng.below(core));
            ties.push((p, x, 1.0));
            if y != x {
                ties.push((p, y, 1.0));
            }
            if rng.uniform() < 0.05 && p + 1 < core + periphery {
                ties.push((p, p + 1, 1.0));
            }
        }
        Network::new(core + periphery, &ties).unwrap()
    }

    #[test]
    fn the_multi_start_search_finds_the_exhaustive_optimum_on_small_graphs() {
        for seed in 0..5 {
            let g = planted(6, 12, seed);
            let exact = exhaustive(&g);
            let local = multi_start(&g, 20, 1);
            let (e, l) = (exact.fitness.unwrap(), local.fitness.unwrap());
            assert!((e - l).abs() < 1e-12, "seed {seed}: {l} vs exhaustive {e}");
            assert!(
                exact.core[..6].iter().filter(|c| **c).count() >= 5,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn a_planted_core_is_found_and_starts_agree() {
        let g = planted(15, 60, 3);
        let cp = core_periphery(&g, 20, 7);
        assert_eq!(cp.search, "multi-start");
        let found: Vec<usize> = (0..75).filter(|&v| cp.core[v]).collect();
        assert!(found.iter().filter(|&&v| v < 15).count() >= 13, "{found:?}");
        assert!(found.len() <= 18, "{found:?}");
        assert!(cp.starts_at_best >= 2 && cp.starts == 29);
        // Deterministic, and relabelling moves the core with the actors.
        assert_eq!(core_periphery(&g, 20, 7), cp);
        let mut order: Vec<usize> = (0..75).collect();
        Rng::seeded(2).shuffle(&mut order);
        let h = core_periphery(&g.relabelled(&order), 20, 7);
        assert!((h.fitness.unwrap() - cp.fitness.unwrap()).abs() < 1e-12);
    }
}
