//! Regionalisation with contiguity constraints: max-p regions (as many contiguous regions as
//! possible, each reaching a threshold on a spatially extensive attribute such as population,
//! as homogeneous as possible) and SKATER (a given number of contiguous regions cut from the
//! minimum spanning tree of the contiguity graph).
//!
//! Both take the contiguity of the areas ([`Weights`], e.g. queen contiguity from boundaries),
//! the attributes that define similarity (`n × k`, row-major; dissimilarity is the city-block
//! distance `d(i, j) = Σ_a |x_ia − x_ja|`, as in `spopt`) and return one label per area.

use crate::random::Rng;
use crate::spatial::Weights;
use regis_core::Diagnostic;

/// Why a regionalisation could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionalisationError {
    /// Inputs whose lengths do not fit together, or values out of their domain.
    #[error("{0}")]
    Input(String),
}

fn input(message: String) -> RegionalisationError {
    RegionalisationError::Input(message)
}

/// City-block distance between rows `i` and `j` of an `n × k` matrix.
#[inline]
fn cityblock(x: &[f64], k: usize, i: usize, j: usize) -> f64 {
    x[i * k..(i + 1) * k]
        .iter()
        .zip(&x[j * k..(j + 1) * k])
        .map(|(a, b)| (a - b).abs())
        .sum()
}

fn check_attributes(n: usize, attributes: &[f64], k: usize) -> Result<(), RegionalisationError> {
    if k == 0 || attributes.len() != n * k {
        return Err(input(format!(
            "attributes: expected {n} areas × {k} attributes = {} values, got {}",
            n * k,
            attributes.len()
        )));
    }
    if let Some(p) = attributes.iter().position(|v| !v.is_finite()) {
        return Err(input(format!(
            "attributes: area {} attribute {} is not a finite number",
            p / k,
            p % k
        )));
    }
    Ok(())
}

/// Whether two labellings of the same areas describe the same partition (the labels
/// themselves may differ: regions are compared by their members). O(n).
///
/// ```
/// use regis_methods::regionalisation::same_partition;
/// assert!(same_partition(&[0, 0, 1, 2], &[5, 5, 9, 7]));
/// assert!(!same_partition(&[0, 0, 1, 1], &[0, 1, 1, 1]));
/// ```
pub fn same_partition(a: &[usize], b: &[usize]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ab, mut ba) = (
        std::collections::HashMap::new(),
        std::collections::HashMap::new(),
    );
    a.iter()
        .zip(b)
        .all(|(x, y)| *ab.entry(*x).or_insert(*y) == *y && *ba.entry(*y).or_insert(*x) == *x)
}

/// Connected components of the contiguity graph: a label per area, and the count.
fn components(w: &Weights) -> (Vec<usize>, usize) {
    let n = w.n();
    let mut label = vec![usize::MAX; n];
    let mut count = 0;
    let mut stack = Vec::new();
    for s in 0..n {
        if label[s] != usize::MAX {
            continue;
        }
        label[s] = count;
        stack.push(s);
        while let Some(u) = stack.pop() {
            for &(v, _) in w.row(u) {
                if label[v] == usize::MAX {
                    label[v] = count;
                    stack.push(v);
                }
            }
        }
        count += 1;
    }
    (label, count)
}

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

/// A regionalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Regions {
    /// Region of each area (`0..regions`), None for an area that could not be placed (max-p:
    /// its connected component does not reach the threshold).
    pub labels: Vec<Option<usize>>,
    /// Number of regions.
    pub regions: usize,
    /// Within-region dissimilarity. Max-p: `Σ_regions Σ_{pairs i<j} d(i, j)`; SKATER:
    /// `Σ_regions Σ_i d(x_i, mean of the region)` (each method's own objective, as in spopt).
    pub objective: f64,
    /// The threshold attribute summed per region (max-p), or the floor attribute (SKATER).
    pub totals: Vec<f64>,
    /// Notes about the data.
    pub diagnostics: Vec<Diagnostic>,
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

/// Region labels 1..=p per area (0 = not placed), as the construction and the search use them.
type Labels = Vec<usize>;

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

/// Settings of [`skater`].
#[derive(Debug, Clone, PartialEq)]
pub struct SkaterOptions {
    /// Number of regions wanted. When the map has separate parts (islands), each part beyond
    /// the first adds one region unless `islands_count` is set (then they count towards it).
    /// spopt's `islands="increase"` adds one per part including the first.
    pub regions: usize,
    /// Smallest region allowed, in the floor attribute (the number of areas when none is
    /// given, as spopt's `floor`).
    pub floor: f64,
    /// Whether separate parts of the map count towards `regions`.
    pub islands_count: bool,
}

/// SKATER: a given number of contiguous regions, cut from the minimum spanning tree of the
/// contiguity graph weighted by attribute dissimilarity.
///
/// Method (Assunção, Neves, Câmara & da Costa Freitas 2006, as in `spopt`'s `Skater`): weight
/// each contiguity link by the city-block distance of its two areas' attributes; take the
/// minimum spanning forest (Kruskal); then, while there are fewer trees than `regions`, remove
/// the one tree edge whose removal lowers the map's dissimilarity most, where the
/// dissimilarity of a region is `Σ_i Σ_a |x_ia − mean_a|` and both new regions must reach the
/// floor; stop early (with a diagnostic) when no edge can be cut. Separate parts of the map
/// below the floor are left out (None) with a diagnostic.
/// Only the tree that was cut needs new candidate cuts, so each step costs `O(m² k)` for the
/// `m` areas of that tree instead of spopt's re-scoring of the whole map for every edge.
/// Reference: Assunção, R. M., Neves, M. C., Câmara, G. & da Costa Freitas, C. (2006) Efficient
/// regionalization techniques for socio-economic geographical units using minimum spanning
/// trees, *IJGIS* 20(7), 797-811, doi:10.1080/13658810600665111.
/// Complexity: O(E log E) for the tree, O(m² k) per cut.
///
/// ```
/// use regis_methods::regionalisation::{skater, SkaterOptions};
/// use regis_methods::spatial::Weights;
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3, 5], vec![4]]);
/// let x = [1.0, 1.1, 1.2, 7.0, 7.1, 7.3];
/// let opts = SkaterOptions { regions: 2, floor: 1.0, islands_count: false };
/// let r = skater(&w, &x, 1, None, &opts).unwrap();
/// assert_eq!(r.labels.iter().map(|l| l.unwrap()).collect::<Vec<_>>(), [0, 0, 0, 1, 1, 1]);
/// // |1.0−1.1| + |1.2−1.1| = 0.2 and |7.0−7.1333| + |7.1−7.1333| + |7.3−7.1333| = 1/3.
/// assert!((r.objective - (0.2 + 1.0 / 3.0)).abs() < 1e-12);
/// ```
pub fn skater(
    w: &Weights,
    attributes: &[f64],
    k: usize,
    floor_values: Option<&[f64]>,
    options: &SkaterOptions,
) -> Result<Regions, RegionalisationError> {
    let n = w.n();
    check_attributes(n, attributes, k)?;
    let ones = vec![1.0; n];
    let floor_values = floor_values.unwrap_or(&ones);
    if floor_values.len() != n || floor_values.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(input(format!(
            "floor values: expected {n} finite values ≥ 0"
        )));
    }
    if options.regions == 0 {
        return Err(input("regions: expected at least 1".into()));
    }
    let mut diagnostics = Vec::new();
    // Minimum spanning forest (Kruskal with union-find).
    let mut edges: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n {
        for &(j, _) in w.row(i) {
            if i < j {
                edges.push((cityblock(attributes, k, i, j), i, j));
            }
        }
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut tree: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(_, i, j) in &edges {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a] = b;
            tree[i].push(j);
            tree[j].push(i);
        }
    }
    // Trees = current regions.
    let mut label = vec![usize::MAX; n];
    let mut trees: Vec<Vec<usize>> = Vec::new();
    for s in 0..n {
        if label[s] != usize::MAX {
            continue;
        }
        let t = trees.len();
        let mut m = vec![s];
        label[s] = t;
        let mut at = 0;
        while at < m.len() {
            let u = m[at];
            for &v in &tree[u] {
                if label[v] == usize::MAX {
                    label[v] = t;
                    m.push(v);
                }
            }
            at += 1;
        }
        trees.push(m);
    }
    // Separate parts of the map below the floor cannot hold a region: left out.
    let (kept, small): (Vec<Vec<usize>>, Vec<Vec<usize>>) = trees
        .into_iter()
        .partition(|m| m.iter().map(|&i| floor_values[i]).sum::<f64>() >= options.floor);
    let mut trees = kept;
    if trees.is_empty() {
        return Err(input(format!(
            "no connected part of the map reaches the floor {}",
            options.floor
        )));
    }
    if !small.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "infeasible-component",
            format!(
                "{} area(s) lie in {} separate part(s) of the map below the floor {}; they are left out",
                small.iter().map(Vec::len).sum::<usize>(),
                small.len(),
                options.floor
            ),
        ));
    }
    let mut target = options.regions;
    if trees.len() > 1 {
        if !options.islands_count {
            target += trees.len() - 1;
        }
        diagnostics.push(Diagnostic::info(
            "islands",
            format!(
                "the map has {} separate parts; {} regions are made in all",
                trees.len(),
                target.max(trees.len())
            ),
        ));
    }
    let sk = Skater {
        x: attributes,
        k,
        floor_values,
        floor: options.floor,
    };
    let mut scores: Vec<f64> = trees.iter().map(|m| sk.score(m)).collect();
    let mut best_cuts: Vec<Option<Cut>> = trees.iter().map(|m| sk.best_cut(m, &tree)).collect();
    while trees.len() < target {
        let Some((t, cut)) = best_cuts
            .iter()
            .enumerate()
            .filter_map(|(t, c)| c.as_ref().map(|c| (t, c.clone())))
            .min_by(|a, b| {
                (a.1.a_score + a.1.b_score - scores[a.0])
                    .total_cmp(&(b.1.b_score + b.1.a_score - scores[b.0]))
            })
        else {
            diagnostics.push(Diagnostic::warning(
                "no-valid-cut",
                format!(
                    "only {} regions: no further cut leaves both parts at or above the floor {}",
                    trees.len(),
                    options.floor
                ),
            ));
            break;
        };
        // Remove the edge; the child's side becomes a new tree.
        tree[cut.parent].retain(|&v| v != cut.child);
        tree[cut.child].retain(|&v| v != cut.parent);
        let new = trees.len();
        let (a, b): (Vec<usize>, Vec<usize>) = {
            let mut side = vec![cut.child];
            let mut seen = std::collections::HashSet::from([cut.child]);
            let mut at = 0;
            while at < side.len() {
                let u = side[at];
                for &v in &tree[u] {
                    if seen.insert(v) {
                        side.push(v);
                    }
                }
                at += 1;
            }
            let rest = trees[t]
                .iter()
                .copied()
                .filter(|i| !seen.contains(i))
                .collect();
            (side, rest)
        };
        scores[t] = cut.b_score;
        scores.push(cut.a_score);
        trees[t] = b;
        trees.push(a);
        best_cuts[t] = sk.best_cut(&trees[t], &tree);
        best_cuts.push(sk.best_cut(&trees[new], &tree));
    }
    let mut labels = vec![None; n];
    let mut totals = Vec::with_capacity(trees.len());
    // Regions numbered by their first area, for a stable order.
    let mut order: Vec<usize> = (0..trees.len()).collect();
    order.sort_by_key(|&t| trees[t].iter().copied().min().unwrap_or(0));
    for (r, &t) in order.iter().enumerate() {
        for &i in &trees[t] {
            labels[i] = Some(r);
        }
        totals.push(trees[t].iter().map(|&i| floor_values[i]).sum());
    }
    Ok(Regions {
        regions: trees.len(),
        labels,
        objective: scores.iter().sum(),
        totals,
        diagnostics,
    })
}

#[derive(Debug, Clone)]
struct Cut {
    parent: usize,
    child: usize,
    /// Dissimilarity of the child's side.
    a_score: f64,
    /// Dissimilarity of the rest.
    b_score: f64,
}

struct Skater<'a> {
    x: &'a [f64],
    k: usize,
    floor_values: &'a [f64],
    floor: f64,
}

impl Skater<'_> {
    /// `Σ_i Σ_a |x_ia − mean_a|` over the members.
    fn score(&self, members: &[usize]) -> f64 {
        self.score_iter(members.iter().copied(), members.len())
    }

    fn score_iter(&self, members: impl Iterator<Item = usize> + Clone, count: usize) -> f64 {
        if count == 0 {
            return 0.0;
        }
        let k = self.k;
        let mut mean = vec![0.0; k];
        for i in members.clone() {
            for (m, v) in mean.iter_mut().zip(&self.x[i * k..(i + 1) * k]) {
                *m += v;
            }
        }
        for m in mean.iter_mut() {
            *m /= count as f64;
        }
        members
            .map(|i| {
                self.x[i * k..(i + 1) * k]
                    .iter()
                    .zip(&mean)
                    .map(|(v, m)| (v - m).abs())
                    .sum::<f64>()
            })
            .sum()
    }

    /// The best feasible cut of one tree (lowest sum of the two sides' dissimilarity), if any.
    fn best_cut(&self, members: &[usize], tree: &[Vec<usize>]) -> Option<Cut> {
        if members.len() < 2 {
            return None;
        }
        // Root at the first member; preorder so that every subtree is a contiguous range.
        let root = members[0];
        let mut pre = Vec::with_capacity(members.len());
        let mut parent_of = std::collections::HashMap::with_capacity(members.len());
        let mut size = std::collections::HashMap::with_capacity(members.len());
        let mut stack = vec![(root, usize::MAX)];
        while let Some((u, p)) = stack.pop() {
            parent_of.insert(u, p);
            pre.push(u);
            for &v in tree[u].iter().rev() {
                if v != p {
                    stack.push((v, u));
                }
            }
        }
        for &u in pre.iter().rev() {
            let s = 1 + tree[u]
                .iter()
                .filter(|&&v| v != parent_of[&u])
                .map(|v| size[v])
                .sum::<usize>();
            size.insert(u, s);
        }
        let position: std::collections::HashMap<usize, usize> =
            pre.iter().enumerate().map(|(p, &u)| (u, p)).collect();
        let total_floor: f64 = members.iter().map(|&i| self.floor_values[i]).sum();
        let mut best: Option<Cut> = None;
        for &child in &pre[1..] {
            let (start, len) = (position[&child], size[&child]);
            let side = &pre[start..start + len];
            let side_floor: f64 = side.iter().map(|&i| self.floor_values[i]).sum();
            if side_floor < self.floor || total_floor - side_floor < self.floor {
                continue;
            }
            let a_score = self.score(side);
            let rest = pre[..start].iter().chain(&pre[start + len..]).copied();
            let b_score = self.score_iter(rest, pre.len() - len);
            if best
                .as_ref()
                .is_none_or(|b| a_score + b_score < b.a_score + b.b_score)
            {
                best = Some(Cut {
                    parent: parent_of[&child],
                    child,
                    a_score,
                    b_score,
                });
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lattice(r: usize, c: usize) -> Weights {
        Weights::rook_lattice(r, c)
    }

    fn connected(w: &Weights, members: &[usize]) -> bool {
        w.connects(members)
    }

    fn regions_of(r: &Regions) -> Vec<Vec<usize>> {
        let mut m = vec![Vec::new(); r.regions];
        for (i, l) in r.labels.iter().enumerate() {
            if let Some(l) = l {
                m[*l].push(i);
            }
        }
        m
    }

    /// Property: on random lattices, weights and thresholds, every max-p region reaches the
    /// threshold and is contiguous, every area is placed once, and p never exceeds
    /// total / threshold.
    #[test]
    fn max_p_regions_reach_the_threshold_and_are_contiguous() {
        let mut rng = Rng::seeded(7);
        for case in 0..25 {
            let (r, c) = (3 + rng.below(6), 3 + rng.below(6));
            let n = r * c;
            let w = lattice(r, c);
            let x: Vec<f64> = (0..n * 2).map(|_| rng.uniform() * 10.0).collect();
            let pop: Vec<f64> = (0..n)
                .map(|_| 1.0 + (rng.uniform() * 100.0).floor())
                .collect();
            let total: f64 = pop.iter().sum();
            let threshold = total / (2.0 + rng.below(8) as f64);
            let opts = MaxPOptions {
                construction_iterations: 20,
                annealing_runs: 2,
                seed: case,
                ..MaxPOptions::default()
            };
            let res = max_p(&w, &x, 2, &pop, threshold, &opts).unwrap();
            assert!(res.labels.iter().all(|l| l.is_some()), "case {case}");
            assert!(
                res.regions as f64 <= (total / threshold).floor(),
                "case {case}"
            );
            for (reg, m) in regions_of(&res).iter().enumerate() {
                let t: f64 = m.iter().map(|&i| pop[i]).sum();
                assert!(
                    t >= threshold,
                    "case {case}: region {reg} has {t} < {threshold}"
                );
                assert!((t - res.totals[reg]).abs() < 1e-9);
                assert!(
                    connected(&w, m),
                    "case {case}: region {reg} is not contiguous"
                );
            }
            // Reproducible for a seed.
            assert_eq!(max_p(&w, &x, 2, &pop, threshold, &opts).unwrap(), res);
        }
    }

    #[test]
    fn max_p_leaves_out_parts_below_the_threshold_and_refuses_bad_input() {
        // Two parts: a 2 × 3 lattice (6 people) and an island of 1 person; threshold 2.
        let mut lists: Vec<Vec<usize>> = (0..6).map(|u| lattice(2, 3).neighbours_of(u)).collect();
        lists.push(Vec::new());
        let w = Weights::from_neighbours(&lists);
        let x: Vec<f64> = (0..7).map(|i| i as f64).collect();
        let r = max_p(&w, &x, 1, &[1.0; 7], 2.0, &MaxPOptions::default()).unwrap();
        assert_eq!(r.labels[6], None);
        assert_eq!(r.regions, 3);
        assert_eq!(r.diagnostics[0].code, "infeasible-component");
        assert!(max_p(&w, &x, 1, &[1.0; 7], 100.0, &MaxPOptions::default()).is_err());
        assert!(max_p(&w, &x[..6], 1, &[1.0; 7], 2.0, &MaxPOptions::default()).is_err());
        assert!(max_p(&w, &x, 1, &[-1.0; 7], 2.0, &MaxPOptions::default()).is_err());
        assert!(max_p(&w, &x, 1, &[1.0; 7], f64::NAN, &MaxPOptions::default()).is_err());
    }

    /// Property: SKATER regions are contiguous, reach the floor, and there are as many as asked
    /// (or fewer, with a diagnostic); each cut never raises the dissimilarity.
    #[test]
    fn skater_regions_are_contiguous_and_reach_the_floor() {
        let mut rng = Rng::seeded(11);
        for case in 0..25 {
            let (r, c) = (3 + rng.below(8), 3 + rng.below(8));
            let n = r * c;
            let w = lattice(r, c);
            let x: Vec<f64> = (0..n * 3).map(|_| rng.uniform()).collect();
            let regions = 2 + rng.below(6);
            let floor = 1.0 + rng.below(4) as f64;
            let opts = SkaterOptions {
                regions,
                floor,
                islands_count: false,
            };
            let res = skater(&w, &x, 3, None, &opts).unwrap();
            assert!(res.regions <= regions, "case {case}");
            if res.regions < regions {
                assert!(res.diagnostics.iter().any(|d| d.code == "no-valid-cut"));
            }
            let whole = skater(
                &w,
                &x,
                3,
                None,
                &SkaterOptions {
                    regions: 1,
                    ..opts.clone()
                },
            )
            .unwrap();
            assert!(res.objective <= whole.objective + 1e-9);
            for m in regions_of(&res) {
                assert!(m.len() as f64 >= floor, "case {case}");
                assert!(connected(&w, &m), "case {case}");
            }
        }
    }
}
