//! Max-p regions: randomised construction, enclave assignment, then tabu search with simulated
//! annealing over the movable areas (the non-articulation points of each region).

use regis_core::Diagnostic;

use super::*;
use crate::random::Rng;

/// Settings of [`max_p`]; the defaults are `spopt`'s `MaxPHeuristic` defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxPOptions {
    /// Randomised constructions tried (each grows regions from a random order of areas).
    pub construction_iterations: usize,
    /// Local-search (tabu + simulated annealing) runs per best construction.
    pub annealing_runs: usize,
    /// An enclave joins one of its `top_n` most similar neighbouring regions, chosen at random.
    pub top_n: usize,
    /// Cooling factor of the annealing temperature per move.
    pub cooling: f64,
    /// Length of the tabu list of reverse moves.
    pub tabu_length: usize,
    /// Seed of the random generator (the result is reproducible for a seed).
    pub seed: u64,
}

impl Default for MaxPOptions {
    fn default() -> Self {
        MaxPOptions {
            construction_iterations: 99,
            annealing_runs: 10,
            top_n: 2,
            cooling: 0.998,
            tabu_length: 10,
            seed: 12345,
        }
    }
}

/// Max-p regions: the largest number `p` of contiguous regions such that every region's sum
/// of `threshold_values` reaches `threshold`, and among such partitions one with small
/// within-region dissimilarity.
///
/// Method (Wei, Rey & Knaap 2021, the heuristic of `spopt`'s `MaxPHeuristic`):
/// 1. *Construction*, `construction_iterations` times: visit the areas in a random order; from
///    each area not yet used grow a region breadth-first through unused neighbours until it
///    reaches the threshold; areas of a region that cannot reach it become *enclaves*. Keep the
///    constructions with the most regions. Each enclave then joins a neighbouring region,
///    picked at random among the `top_n` whose members are closest to it in total
///    dissimilarity.
/// 2. *Local search*, `annealing_runs` times per kept construction: repeatedly take a random
///    area that can leave its region (the region stays above the threshold and contiguous: the
///    area is not an articulation point of the region) and move it to the neighbouring region
///    that it is most similar to; improving moves are always made, others with probability
///    `exp(Δ/t)` unless tabu; the temperature `t` cools by `cooling` per step; stop after `n`
///    steps without improvement.
///    The best partition found is returned.
///
/// Areas whose connected component cannot reach the threshold at all are left unplaced (None)
/// with a diagnostic (spopt's `policy="drop"`).
/// Reference: Duque, J. C., Anselin, L. & Rey, S. J. (2012) The max-p-regions problem, *Journal
/// of Regional Science* 52(3), 397-419, doi:10.1111/j.1467-9787.2011.00743.x; Wei, R., Rey, S. &
/// Knaap, E. (2021) Efficient regionalization for spatially explicit neighborhood delineation,
/// *IJGIS* 35(1), 135-151, doi:10.1080/13658816.2020.1759806.
/// Units: labels; objective in attribute units. Complexity: construction O(I (n + E)) for I
/// iterations and E contiguity links; local search O(n) per step for the candidate list
/// (articulation points, Tarjan) plus O(m k) per move for regions of m areas.
///
/// ```
/// use regis_methods::regionalisation::{max_p, MaxPOptions};
/// use regis_methods::spatial::Weights;
/// // A 1 × 6 strip of areas, 1 person each, at least 2 people per region: 3 regions.
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3, 5], vec![4]]);
/// let x = [1.0, 1.1, 5.0, 5.2, 9.0, 9.1];
/// let r = max_p(&w, &x, 1, &[1.0; 6], 2.0, &MaxPOptions::default()).unwrap();
/// assert_eq!(r.regions, 3);
/// assert!((r.objective - 0.4).abs() < 1e-12); // pairs (1.0,1.1), (5.0,5.2), (9.0,9.1)
/// ```
pub fn max_p(
    w: &Weights,
    attributes: &[f64],
    k: usize,
    threshold_values: &[f64],
    threshold: f64,
    options: &MaxPOptions,
) -> Result<Regions, RegionalisationError> {
    let n = w.n();
    check_attributes(n, attributes, k)?;
    if threshold_values.len() != n {
        return Err(input(format!(
            "threshold values: expected one per area ({n}), got {}",
            threshold_values.len()
        )));
    }
    if let Some(i) = threshold_values
        .iter()
        .position(|v| !v.is_finite() || *v < 0.0)
    {
        return Err(input(format!(
            "threshold values: area {i} has {}, expected a finite value ≥ 0",
            threshold_values[i]
        )));
    }
    if !threshold.is_finite() || threshold <= 0.0 {
        return Err(input(format!(
            "threshold: expected a positive number, got {threshold}"
        )));
    }
    let mut diagnostics = Vec::new();
    let (component, count) = components(w);
    let mut component_total = vec![0.0; count];
    for i in 0..n {
        component_total[component[i]] += threshold_values[i];
    }
    let feasible: Vec<bool> = (0..n)
        .map(|i| component_total[component[i]] >= threshold)
        .collect();
    let dropped = feasible.iter().filter(|f| !**f).count();
    if dropped > 0 {
        diagnostics.push(Diagnostic::warning(
            "infeasible-component",
            format!(
                "{dropped} area(s) lie in connected parts of the map (islands or groups of areas) whose total is below the threshold; they are left out"
            ),
        ));
    }
    if dropped == n {
        return Err(input(format!(
            "no connected part of the map reaches the threshold {threshold}"
        )));
    }
    let problem = MaxP {
        w,
        x: attributes,
        k,
        v: threshold_values,
        threshold,
        feasible: &feasible,
    };
    let mut rng = Rng::seeded(options.seed);
    let constructions = problem.construct(options, &mut rng);
    let mut best: Option<(f64, Vec<usize>)> = None;
    for start in &constructions {
        for _ in 0..options.annealing_runs.max(1) {
            let labels = problem.anneal(start, options, &mut rng);
            let objective = problem.objective(&labels);
            if best.as_ref().is_none_or(|(b, _)| objective < *b) {
                best = Some((objective, labels));
            }
        }
    }
    let (objective, labels) = best.ok_or_else(|| input("no construction".into()))?;
    // Renumber 1.. labels to 0.. in order of first appearance.
    let mut map = std::collections::HashMap::new();
    let mut totals = Vec::new();
    let labels: Vec<Option<usize>> = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| {
            (l > 0).then(|| {
                let next = map.len();
                let r = *map.entry(l).or_insert(next);
                if r == totals.len() {
                    totals.push(0.0);
                }
                totals[r] += threshold_values[i];
                r
            })
        })
        .collect();
    Ok(Regions {
        regions: totals.len(),
        labels,
        objective,
        totals,
        diagnostics,
    })
}

struct MaxP<'a> {
    w: &'a Weights,
    x: &'a [f64],
    k: usize,
    v: &'a [f64],
    threshold: f64,
    feasible: &'a [bool],
}

impl MaxP<'_> {
    fn d(&self, i: usize, j: usize) -> f64 {
        cityblock(self.x, self.k, i, j)
    }

    /// Total dissimilarity of area `i` to the members of a region.
    fn to_region(&self, i: usize, members: &[usize]) -> f64 {
        members.iter().map(|&j| self.d(i, j)).sum()
    }

    fn members(&self, labels: &[usize]) -> Vec<Vec<usize>> {
        let p = labels.iter().copied().max().unwrap_or(0);
        let mut m = vec![Vec::new(); p + 1];
        for (i, &l) in labels.iter().enumerate() {
            if l > 0 {
                m[l].push(i);
            }
        }
        m
    }

    fn objective(&self, labels: &[usize]) -> f64 {
        self.members(labels)
            .iter()
            .map(|m| {
                let mut s = 0.0;
                for (a, &i) in m.iter().enumerate() {
                    for &j in &m[a + 1..] {
                        s += self.d(i, j);
                    }
                }
                s
            })
            .sum()
    }

    /// Phase 1: the constructions with the most regions, enclaves assigned.
    fn construct(&self, options: &MaxPOptions, rng: &mut Rng) -> Vec<Labels> {
        let n = self.w.n();
        const ENCLAVE: usize = usize::MAX;
        let mut order: Vec<usize> = (0..n).filter(|&i| self.feasible[i]).collect();
        let mut kept: Vec<(usize, Labels)> = Vec::new();
        let mut best_p = 0;
        let mut in_queue = vec![false; n];
        for _ in 0..options.construction_iterations.max(1) {
            rng.shuffle(&mut order);
            let mut labels = vec![0usize; n];
            let mut regions: Vec<Vec<usize>> = vec![Vec::new()]; // index 0 unused
            let mut enclave = Vec::new();
            for &p in &order {
                if labels[p] != 0 {
                    continue;
                }
                let c = regions.len();
                labels[p] = c;
                let mut members = vec![p];
                let mut total = self.v[p];
                let mut queue: Vec<usize> = Vec::new();
                for &(q, _) in self.w.row(p) {
                    if !in_queue[q] {
                        in_queue[q] = true;
                        queue.push(q);
                    }
                }
                let mut at = 0;
                while at < queue.len() && total < self.threshold {
                    let q = queue[at];
                    if labels[q] == 0 {
                        labels[q] = c;
                        members.push(q);
                        total += self.v[q];
                        if total < self.threshold {
                            for &(r, _) in self.w.row(q) {
                                if !in_queue[r] {
                                    in_queue[r] = true;
                                    queue.push(r);
                                }
                            }
                        }
                    }
                    at += 1;
                }
                for &q in &queue {
                    in_queue[q] = false;
                }
                if total < self.threshold {
                    for &m in &members {
                        labels[m] = ENCLAVE;
                    }
                    enclave.extend(members);
                } else {
                    regions.push(members);
                }
            }
            let p = regions.len() - 1;
            if p < best_p {
                continue;
            }
            best_p = p;
            self.assign_enclaves(&mut labels, &mut regions, enclave, options.top_n, rng);
            kept.push((p, labels));
        }
        kept.into_iter()
            .filter(|(p, _)| *p == best_p)
            .map(|(_, l)| l)
            .collect()
    }

    fn assign_enclaves(
        &self,
        labels: &mut [usize],
        regions: &mut [Vec<usize>],
        mut enclave: Vec<usize>,
        top_n: usize,
        rng: &mut Rng,
    ) {
        let mut at = 0;
        let mut options: Vec<(f64, usize)> = Vec::new();
        while !enclave.is_empty() {
            if at >= enclave.len() {
                // Cannot happen on feasible components (every enclave group touches a region);
                // stop rather than loop.
                for &e in &enclave {
                    labels[e] = 0;
                }
                return;
            }
            let e = enclave[at];
            options.clear();
            for &(q, _) in self.w.row(e) {
                let r = labels[q];
                if r != 0 && r != usize::MAX {
                    options.push((self.to_region(e, &regions[r]), r));
                }
            }
            if options.is_empty() {
                at += 1;
                continue;
            }
            options.sort_by(|a, b| a.0.total_cmp(&b.0));
            let top = options.len().min(top_n.max(1));
            let r = options[rng.below(top)].1;
            labels[e] = r;
            regions[r].push(e);
            enclave.remove(at);
            at = 0;
        }
    }

    /// Areas that can leave their region: the rest stays above the threshold (strictly, as in
    /// spopt) and contiguous (the area is not an articulation point of its region).
    fn movable(&self, labels: &[usize], members: &[Vec<usize>], totals: &[f64]) -> Vec<usize> {
        let n = self.w.n();
        let mut out = Vec::new();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0usize; n];
        let mut cut = vec![false; n];
        for (r, m) in members.iter().enumerate() {
            if r == 0 || m.len() < 2 {
                continue;
            }
            // Tarjan's articulation points on the region's induced subgraph, iteratively.
            let mut counter = 0;
            let root = m[0];
            let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
            index[root] = counter;
            low[root] = counter;
            counter += 1;
            let mut root_children = 0;
            while let Some(&mut (u, parent, ref mut next)) = stack.last_mut() {
                let row = self.w.row(u);
                if *next < row.len() {
                    let v = row[*next].0;
                    *next += 1;
                    if labels[v] != r || v == parent {
                        continue;
                    }
                    if index[v] == usize::MAX {
                        index[v] = counter;
                        low[v] = counter;
                        counter += 1;
                        if u == root {
                            root_children += 1;
                        }
                        stack.push((v, u, 0));
                    } else {
                        low[u] = low[u].min(index[v]);
                    }
                } else {
                    stack.pop();
                    if let Some(&(p, _, _)) = stack.last() {
                        low[p] = low[p].min(low[u]);
                        if p != root && low[u] >= index[p] {
                            cut[p] = true;
                        }
                    }
                }
            }
            if root_children > 1 {
                cut[root] = true;
            }
            for &a in m {
                if totals[r] - self.v[a] > self.threshold && !cut[a] {
                    out.push(a);
                }
            }
            for &a in m {
                index[a] = usize::MAX;
                cut[a] = false;
            }
        }
        out
    }

    /// Phase 2 from one construction: tabu search with simulated-annealing acceptance.
    fn anneal(&self, start: &[usize], options: &MaxPOptions, rng: &mut Rng) -> Labels {
        let n = self.w.n();
        let mut labels = start.to_vec();
        let mut members = self.members(&labels);
        let mut totals: Vec<f64> = members
            .iter()
            .map(|m| m.iter().map(|&i| self.v[i]).sum())
            .collect();
        let mut t = 1.0;
        let mut no_move = 0;
        let mut tabu: std::collections::VecDeque<(usize, usize, usize)> = Default::default();
        let mut candidates: Vec<usize> = Vec::new();
        while no_move <= n {
            if candidates.is_empty() {
                candidates = self.movable(&labels, &members, &totals);
                if candidates.is_empty() {
                    break;
                }
            }
            let pick = rng.below(candidates.len());
            let a = candidates[pick];
            let donor = labels[a];
            let lost = self.to_region(a, &members[donor]);
            let mut best: Option<(f64, usize)> = None;
            for &(q, _) in self.w.row(a) {
                let r = labels[q];
                if r != donor && r != 0 {
                    let added = self.to_region(a, &members[r]);
                    if best.is_none_or(|(b, _)| added < b) {
                        best = Some((added, r));
                    }
                }
            }
            candidates.swap_remove(pick);
            let Some((added, recipient)) = best else {
                // No neighbouring region to move to: counts as a step without improvement
                // (otherwise a map where no area has anywhere to go would never stop).
                no_move += 1;
                continue;
            };
            let gain = lost - added;
            let make = if gain > 0.0 {
                if !tabu.contains(&(a, recipient, donor)) {
                    if tabu.len() == options.tabu_length {
                        tabu.pop_front();
                    }
                    tabu.push_back((a, recipient, donor));
                }
                no_move = 0;
                true
            } else {
                no_move += 1;
                (gain / t).exp() > rng.uniform() && !tabu.contains(&(a, donor, recipient))
            };
            if make {
                labels[a] = recipient;
                members[donor].retain(|&m| m != a);
                members[recipient].push(a);
                totals[donor] -= self.v[a];
                totals[recipient] += self.v[a];
                candidates.retain(|&c| labels[c] != recipient && labels[c] != donor);
            }
            t *= options.cooling;
        }
        labels
    }
}
