//! Shortest-path centralities on the ties alone (each tie one step).
//!
//! - Betweenness: `b(v) = Σ_{s ≠ v ≠ t} σ_st(v) / σ_st`, the share of shortest s-t paths
//!   through v, summed over ordered pairs, by Brandes' accumulation (Brandes 2001, *Journal of
//!   Mathematical Sociology* 25(2), doi:10.1080/0022250X.2001.9990249): one breadth-first
//!   search per source, O(nm) time, O(n + m) memory per thread. Normalised as networkx
//!   normalises undirected graphs: divided by `(n − 1)(n − 2)`, so a star's centre has 1.
//! - Sampled betweenness: the same sum over `k` sources drawn without replacement (seeded),
//!   scaled by `n/k` (Brandes & Pich 2007, doi:10.1142/S0218127407018403). Each sampled
//!   source adds a term in `[0, n/(n − 1)]` to the normalised value, so Hoeffding's inequality
//!   with a union bound over the n nodes gives `ε = n/(n − 1) · √(ln(2n/α) / 2k)`: every
//!   node's estimate is within ε of the exact value with probability at least `1 − α`.
//! - Closeness: `c(v) = (r − 1)/Σ_u d(v, u) · (r − 1)/(n − 1)` over the r nodes v reaches
//!   (itself included): Freeman's closeness within v's component, scaled by the share of the
//!   network it reaches (Wasserman & Faust 1994, *Social Network Analysis*, p. 201; networkx's
//!   `wf_improved`); 0 for an isolated node.
//!
//! Threads: sources are cut into blocks of 64, taken by whichever thread is free, and the
//! blocks' sums are added in block order, so results are the same for every thread budget.

use super::Network;
use crate::parallel::thread_budget;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Sources per block (the unit of work and of summation).
const BLOCK: usize = 64;

/// Betweenness and closeness of every node, from one search per source.
#[derive(Debug, Clone, PartialEq)]
pub struct PathCentrality {
    /// Normalised betweenness (networkx's convention for undirected graphs).
    pub betweenness: Vec<f64>,
    /// Closeness (networkx's default, `wf_improved`).
    pub closeness: Vec<f64>,
}

/// The workspace of one breadth-first search.
struct Search {
    distance: Vec<usize>,
    paths: Vec<f64>,
    dependency: Vec<f64>,
    order: Vec<usize>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            distance: vec![usize::MAX; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Adds source `s`'s dependencies to `sum`; returns (nodes reached, sum of distances).
    fn search_from(&mut self, g: &Network, s: usize, sum: &mut [f64]) -> (usize, usize) {
        for &v in &self.order {
            self.distance[v] = usize::MAX;
            self.paths[v] = 0.0;
            self.dependency[v] = 0.0;
        }
        self.order.clear();
        self.distance[s] = 0;
        self.paths[s] = 1.0;
        self.order.push(s);
        let mut head = 0;
        let mut total_distance = 0;
        while head < self.order.len() {
            let v = self.order[head];
            head += 1;
            let d = self.distance[v] + 1;
            for &w in g.neighbours(v) {
                if self.distance[w] == usize::MAX {
                    self.distance[w] = d;
                    total_distance += d;
                    self.order.push(w);
                }
                if self.distance[w] == d {
                    self.paths[w] += self.paths[v];
                }
            }
        }
        // Dependencies in order of decreasing distance: δ(v) = Σ_{w: v precedes w}
        // σ(v)/σ(w) (1 + δ(w)).
        for &w in self.order[1..].iter().rev() {
            let dw = self.distance[w];
            let share = (1.0 + self.dependency[w]) / self.paths[w];
            for &v in g.neighbours(w) {
                if self.distance[v] + 1 == dw {
                    self.dependency[v] += self.paths[v] * share;
                }
            }
            sum[w] += self.dependency[w];
        }
        (self.order.len(), total_distance)
    }
}

/// Raw betweenness summed over `sources`, and each source's (reached, distance sum).
fn accumulate(g: &Network, sources: &[usize]) -> (Vec<f64>, Vec<(usize, usize)>) {
    let n = g.nodes();
    let blocks = sources.len().div_ceil(BLOCK);
    let threads = thread_budget().clamp(1, blocks.max(1));
    let next = AtomicUsize::new(0);
    // Blocks are added to the total in block order as soon as they can be (the same sums for
    // every thread budget); only blocks finished out of order wait, so memory stays a few
    // n-vectors, not one per block.
    let merged: Mutex<Merge> = Mutex::new(Merge {
        total: vec![0.0; n],
        reach: Vec::with_capacity(sources.len()),
        next: 0,
        waiting: std::collections::BTreeMap::new(),
    });
    let work = || {
        let mut search = Search::new(n);
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= blocks {
                return;
            }
            let mut sum = vec![0.0; n];
            let reach: Vec<(usize, usize)> = sources
                [b * BLOCK..((b + 1) * BLOCK).min(sources.len())]
                .iter()
                .map(|&s| search.search_from(g, s, &mut sum))
                .collect();
            let mut m = merged.lock().unwrap_or_else(|e| e.into_inner());
            m.waiting.insert(b, (sum, reach));
            while let Some((sum, reach)) = {
                let at = m.next;
                m.waiting.remove(&at)
            } {
                for (t, x) in m.total.iter_mut().zip(&sum) {
                    *t += x;
                }
                m.reach.extend(reach);
                m.next += 1;
            }
        }
    };
    if threads == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(work);
            }
            work();
        });
    }
    let m = merged.into_inner().unwrap_or_else(|e| e.into_inner());
    (m.total, m.reach)
}

/// The running sums of [`accumulate`].
struct Merge {
    total: Vec<f64>,
    reach: Vec<(usize, usize)>,
    /// The next block to add.
    next: usize,
    /// Blocks finished before the ones ahead of them.
    waiting: std::collections::BTreeMap<usize, BlockSums>,
}

/// A block's raw betweenness sums and its sources' (reached, distance sum).
type BlockSums = (Vec<f64>, Vec<(usize, usize)>);

/// Networkx's normalisation of undirected betweenness: `1/((n − 1)(n − 2))`.
fn scale(n: usize) -> f64 {
    if n <= 2 {
        0.0
    } else {
        1.0 / ((n - 1) as f64 * (n - 2) as f64)
    }
}

/// Exact normalised betweenness and closeness. O(nm) time.
///
/// ```
/// use regis_methods::network::{paths::centrality, Network};
/// // A path 0-1-2-3: node 1 lies on the shortest paths 0-2 and 0-3 (both ways): 4 of 6.
/// let g = Network::new(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// let c = centrality(&g);
/// assert!((c.betweenness[1] - 4.0 / 6.0).abs() < 1e-15);
/// // Node 0: distances 1, 2, 3, so 3/6.
/// assert!((c.closeness[0] - 0.5).abs() < 1e-15);
/// ```
pub fn centrality(g: &Network) -> PathCentrality {
    let n = g.nodes();
    let sources: Vec<usize> = (0..n).collect();
    let (raw, reach) = accumulate(g, &sources);
    let s = scale(n);
    let closeness = reach
        .iter()
        .map(|&(r, total)| {
            if total == 0 || n < 2 {
                0.0
            } else {
                let r = (r - 1) as f64;
                r / total as f64 * r / (n - 1) as f64
            }
        })
        .collect();
    PathCentrality {
        betweenness: raw.iter().map(|b| b * s).collect(),
        closeness,
    }
}

/// Betweenness estimated from a sample of sources, with its error bound.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledBetweenness {
    /// Estimated normalised betweenness.
    pub betweenness: Vec<f64>,
    /// Sources searched.
    pub sources: usize,
    /// Every estimate is within this of the exact value with probability `1 − alpha`.
    pub error_bound: f64,
    /// The bound's risk.
    pub alpha: f64,
}

/// Betweenness from `k` sources drawn with `seed` (all of them when `k ≥ n`: exact, bound 0).
/// O(km) time.
///
/// ```
/// use regis_methods::network::{paths::sampled_betweenness, Network};
/// let g = Network::new(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// let s = sampled_betweenness(&g, 10, 7, 0.05);
/// assert_eq!((s.sources, s.error_bound), (4, 0.0));
/// assert!((s.betweenness[1] - 4.0 / 6.0).abs() < 1e-15);
/// ```
pub fn sampled_betweenness(g: &Network, k: usize, seed: u64, alpha: f64) -> SampledBetweenness {
    let n = g.nodes();
    if k >= n {
        return SampledBetweenness {
            betweenness: centrality(g).betweenness,
            sources: n,
            error_bound: 0.0,
            alpha,
        };
    }
    let mut all: Vec<usize> = (0..n).collect();
    crate::random::Rng::seeded(seed).shuffle(&mut all);
    let mut sources = all[..k.max(1)].to_vec();
    sources.sort_unstable();
    let (raw, _) = accumulate(g, &sources);
    let s = scale(n) * n as f64 / sources.len() as f64;
    let range = n as f64 / (n as f64 - 1.0);
    SampledBetweenness {
        betweenness: raw.iter().map(|b| b * s).collect(),
        sources: sources.len(),
        error_bound: range * ((2.0 * n as f64 / alpha).ln() / (2.0 * sources.len() as f64)).sqrt(),
        alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_network(n: usize, ties: usize, seed: u64) -> Network {
        let mut rng = crate::random::Rng::seeded(seed);
        let edges: Vec<_> = (0..ties)
            .filter_map(|_| {
                let (a, b) = (rng.below(n), rng.below(n));
                (a != b).then_some((a, b, 1.0))
            })
            .collect();
        Network::new(n, &edges).unwrap()
    }

    #[test]
    fn medici_broker_the_florentine_families() {
        let g = super::super::fixtures::florentine();
        let c = centrality(&g);
        // networkx: betweenness_centrality(florentine_families_graph())["Medici"].
        assert!((c.betweenness[8] - 0.521_978_021_978_022).abs() < 1e-12);
    }

    #[test]
    fn betweenness_counts_every_shortest_path_once() {
        // Σ_v b(v) (unnormalised, ordered pairs) = Σ_{s≠t} (d(s,t) − 1) over connected pairs.
        let g = random_network(60, 150, 3);
        let raw: f64 = centrality(&g)
            .betweenness
            .iter()
            .map(|b| b * 59.0 * 58.0)
            .sum();
        let mut want = 0.0;
        for s in 0..60 {
            let mut search = Search::new(60);
            let mut sink = vec![0.0; 60];
            search.search_from(&g, s, &mut sink);
            want += search
                .order
                .iter()
                .map(|&t| search.distance[t].saturating_sub(1) as f64)
                .sum::<f64>();
        }
        assert!((raw - want).abs() < 1e-9 * want, "{raw} vs {want}");
    }

    #[test]
    fn relabelling_permutes_and_isolates_change_nothing_and_threads_agree() {
        let g = random_network(50, 120, 9);
        let c = centrality(&g);
        let mut order: Vec<usize> = (0..50).collect();
        crate::random::Rng::seeded(1).shuffle(&mut order);
        let h = centrality(&g.relabelled(&order));
        for (v, &w) in order.iter().enumerate() {
            assert!((c.betweenness[v] - h.betweenness[w]).abs() < 1e-12);
            assert!((c.closeness[v] - h.closeness[w]).abs() < 1e-12);
        }
        // An isolated node added: raw betweenness unchanged (the normalisation moves).
        let ties: Vec<_> = (0..50)
            .flat_map(|v| {
                g.neighbours(v)
                    .iter()
                    .filter(move |w| **w > v)
                    .map(move |w| (v, *w, 1.0))
            })
            .collect();
        let bigger = centrality(&Network::new(51, &ties).unwrap());
        for v in 0..50 {
            let (a, b) = (
                c.betweenness[v] * 49.0 * 48.0,
                bigger.betweenness[v] * 50.0 * 49.0,
            );
            assert!((a - b).abs() < 1e-9, "node {v}");
        }
        assert_eq!(bigger.betweenness[50], 0.0);
        for threads in [1, 2, 3] {
            let t = crate::parallel::with_thread_budget(threads, || centrality(&g));
            assert_eq!(t, c, "{threads} threads");
        }
    }

    #[test]
    fn sampled_betweenness_stays_within_its_bound() {
        let g = random_network(400, 1200, 5);
        let exact = centrality(&g).betweenness;
        let s = sampled_betweenness(&g, 100, 11, 0.05);
        assert!(s.error_bound > 0.0 && s.error_bound < 1.0);
        let worst = exact
            .iter()
            .zip(&s.betweenness)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst <= s.error_bound, "{worst} > {}", s.error_bound);
        assert!(worst > 0.0);
    }
}
