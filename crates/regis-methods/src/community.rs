//! Community detection on flow networks: the Leiden algorithm with the modularity and the
//! constant Potts model (CPM) quality functions.
//!
//! Source: Traag, V. A., Waltman, L. & van Eck, N. J. (2019), "From Louvain to Leiden:
//! guaranteeing well-connected communities", *Scientific Reports* 9, 5233,
//! doi:10.1038/s41598-019-41695-z. Modularity: Newman & Girvan (2004),
//! doi:10.1103/PhysRevE.69.026113; CPM: Traag, Van Dooren & Nesterov (2011),
//! doi:10.1103/PhysRevE.84.016114.
//!
//! The graph is undirected and weighted (flows are symmetrised: `w_ij = f_ij + f_ji`;
//! self-flows are dropped). With `I_c` the weight inside community c, `K_c` the sum of its
//! nodes' strengths, `n_c` its size and `m` the total weight, the quality is
//! modularity `Q = (1/2m) Σ_c (2 I_c − γ K_c²/(2m))` or CPM `H = Σ_c (I_c − γ n_c(n_c−1)/2)`.
//! Moving node v (weight `w_v` = strength or size) from A to B changes the quality by
//! `e(v,B) − e(v,A∖v) − r w_v (W_B − W_A + w_v)` with `r = γ/2m` (modularity) or `γ` (CPM).
//!
//! Phases, repeated until local moving changes nothing: fast local moving (a queue of nodes
//! whose neighbourhood changed), refinement of each community into well-connected
//! sub-communities, aggregation of the refined communities (the unrefined partition seeds the
//! aggregate). Seeded, so results are reproducible. Time per pass O(E) expected; memory O(E).
//!
//! Refinement as in the paper: a well-connected singleton joins a well-connected
//! sub-community of its community with a non-negative quality gain ΔH, drawn with probability
//! ∝ exp(ΔH/θ), θ = 0.01 (leidenalg's default randomness); ΔH in the quality's own units
//! (modularity: `gain/m`; CPM: the gain).

use crate::random::Rng;

/// The quality function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quality {
    /// Modularity with a resolution γ (1 = classic).
    Modularity {
        /// Resolution γ.
        resolution: f64,
    },
    /// Constant Potts model with resolution γ (a density threshold).
    Cpm {
        /// Resolution γ.
        resolution: f64,
    },
}

/// An undirected weighted graph in compressed rows (both directions stored).
#[derive(Debug, Clone)]
struct Graph {
    offsets: Vec<usize>,
    targets: Vec<usize>,
    weights: Vec<f64>,
    /// Weight inside each node (aggregated nodes).
    internal: Vec<f64>,
    /// Strength of each node in the original graph (sum over its members).
    strength: Vec<f64>,
    /// Number of original nodes in each node.
    size: Vec<f64>,
}

impl Graph {
    fn n(&self) -> usize {
        self.strength.len()
    }
    fn neighbours(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        (self.offsets[v]..self.offsets[v + 1]).map(move |k| (self.targets[k], self.weights[k]))
    }
    fn from_edges(n: usize, edges: &[(usize, usize, f64)]) -> Graph {
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for &(i, j, w) in edges {
            if i != j && w > 0.0 {
                adj[i].push((j, w));
                adj[j].push((i, w));
            }
        }
        let mut offsets = vec![0];
        let (mut targets, mut weights) = (Vec::new(), Vec::new());
        let mut strength = vec![0.0; n];
        for (v, list) in adj.iter_mut().enumerate() {
            list.sort_unstable_by_key(|x| x.0);
            let mut k = 0;
            while k < list.len() {
                let (t, mut w) = list[k];
                k += 1;
                while k < list.len() && list[k].0 == t {
                    w += list[k].1;
                    k += 1;
                }
                targets.push(t);
                weights.push(w);
                strength[v] += w;
            }
            offsets.push(targets.len());
        }
        Graph {
            offsets,
            targets,
            weights,
            internal: vec![0.0; n],
            strength,
            size: vec![1.0; n],
        }
    }
}

/// The result: a community per node, and the quality reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// Community of every node (0..k, numbered by decreasing size).
    pub membership: Vec<usize>,
    /// Number of communities.
    pub count: usize,
    /// Modularity of the partition (γ as given; for CPM runs, γ = 1).
    pub modularity: f64,
    /// The quality function's value (modularity, or the CPM value).
    pub quality: f64,
}

/// Errors of the community methods.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommunityError {
    /// An edge names a node outside 0..n, or has a weight that is not a number ≥ 0.
    #[error("invalid edge {0}: {1}")]
    Edge(usize, String),
    /// A resolution that is not a positive number.
    #[error("the resolution must be a number > 0, not {0}")]
    Resolution(f64),
}

/// Undirected edges from directed flows: `w_ij = f_ij + f_ji`, self-flows dropped.
pub fn symmetrise(flows: &[(usize, usize, f64)]) -> Vec<(usize, usize, f64)> {
    let mut m: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
    for &(i, j, w) in flows {
        if i != j {
            *m.entry((i.min(j), i.max(j))).or_default() += w;
        }
    }
    m.into_iter().map(|((i, j), w)| (i, j, w)).collect()
}

/// Modularity of a membership on an undirected weighted graph (no self-loops).
///
/// ```
/// use regis_methods::community::modularity;
/// // Two triangles joined by one edge, split in two: Q = 5/14.
/// let e = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0), (4, 5, 1.0), (3, 5, 1.0), (2, 3, 1.0)];
/// let q = modularity(6, &e, &[0, 0, 0, 1, 1, 1], 1.0);
/// assert!((q - 5.0 / 14.0).abs() < 1e-12);
/// ```
pub fn modularity(
    n: usize,
    edges: &[(usize, usize, f64)],
    membership: &[usize],
    resolution: f64,
) -> f64 {
    let k = membership.iter().copied().max().map_or(0, |x| x + 1);
    let (mut inside, mut strength) = (vec![0.0; k], vec![0.0; k]);
    let mut m = 0.0;
    let mut node_strength = vec![0.0; n];
    for &(i, j, w) in edges {
        if i == j {
            continue;
        }
        m += w;
        node_strength[i] += w;
        node_strength[j] += w;
        if membership[i] == membership[j] {
            inside[membership[i]] += w;
        }
    }
    for v in 0..n {
        strength[membership[v]] += node_strength[v];
    }
    if m == 0.0 {
        return 0.0;
    }
    (0..k)
        .map(|c| 2.0 * inside[c] - resolution * strength[c] * strength[c] / (2.0 * m))
        .sum::<f64>()
        / (2.0 * m)
}

/// Leiden communities of `n` nodes joined by undirected weighted `edges`.
///
/// ```
/// use regis_methods::community::{leiden, Quality};
/// let e = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0), (4, 5, 1.0), (3, 5, 1.0), (2, 3, 1.0)];
/// let c = leiden(6, &e, Quality::Modularity { resolution: 1.0 }, 42).unwrap();
/// assert_eq!(c.count, 2);
/// assert!((c.modularity - 5.0 / 14.0).abs() < 1e-12);
/// ```
pub fn leiden(
    n: usize,
    edges: &[(usize, usize, f64)],
    quality: Quality,
    seed: u64,
) -> Result<Communities, CommunityError> {
    leiden_with(n, edges, quality, seed, None)
}

/// Leiden with communities constrained to be contiguous: `neighbours[v]` lists the units that
/// share a boundary with v (e.g. `Weights::contiguity` of their boundaries), and every
/// community returned is connected in that graph.
///
/// Method: the same three phases as [`leiden`], with two rules that keep every community
/// connected in space at every level: a node joins only a community it touches, and leaves its
/// community only if the rest stays connected (a breadth-first check); the refinement merges
/// only touching sub-communities, and the aggregate nodes inherit the adjacency of their
/// members. The quality is still measured on the flows. This is the constrained variant
/// Regis offers for zones; it follows the usual way of adding contiguity to a local-moving
/// heuristic (moves restricted to adjacent regions, as in max-p's local search) rather than a
/// published Leiden variant.
/// Complexity: as [`leiden`], plus O(size of the community) per move for the connectivity
/// check.
///
/// ```
/// use regis_methods::community::{leiden, leiden_contiguous, Quality};
/// // Units on a line 0-1-2-3; flows link 0 with 2 and 1 with 3.
/// let e = [(0, 2, 5.0), (1, 3, 5.0), (1, 2, 1.0)];
/// let free = leiden(4, &e, Quality::Modularity { resolution: 1.0 }, 1).unwrap();
/// assert_eq!(free.membership[0], free.membership[2]);
/// let line = vec![vec![1], vec![0, 2], vec![1, 3], vec![2]];
/// let c = leiden_contiguous(4, &e, Quality::Modularity { resolution: 1.0 }, 1, &line).unwrap();
/// // Every community is a run of the line.
/// for k in 0..c.count {
///     let m: Vec<usize> = (0..4).filter(|&v| c.membership[v] == k).collect();
///     assert!(m.windows(2).all(|p| p[1] == p[0] + 1), "{m:?}");
/// }
/// ```
pub fn leiden_contiguous(
    n: usize,
    edges: &[(usize, usize, f64)],
    quality: Quality,
    seed: u64,
    neighbours: &[Vec<usize>],
) -> Result<Communities, CommunityError> {
    if neighbours.len() != n || neighbours.iter().flatten().any(|&u| u >= n) {
        return Err(CommunityError::Edge(
            0,
            format!("the contiguity lists must cover the {n} nodes with ids below {n}"),
        ));
    }
    leiden_with(n, edges, quality, seed, Some(neighbours))
}

fn leiden_with(
    n: usize,
    edges: &[(usize, usize, f64)],
    quality: Quality,
    seed: u64,
    spatial: Option<&[Vec<usize>]>,
) -> Result<Communities, CommunityError> {
    for (k, &(i, j, w)) in edges.iter().enumerate() {
        if i >= n || j >= n {
            return Err(CommunityError::Edge(
                k,
                format!("node {i}–{j} outside 0..{n}"),
            ));
        }
        if !(w.is_finite() && w >= 0.0) {
            return Err(CommunityError::Edge(
                k,
                format!("weight {w} is not a number ≥ 0"),
            ));
        }
    }
    let gamma = match quality {
        Quality::Modularity { resolution } | Quality::Cpm { resolution } => resolution,
    };
    if !(gamma.is_finite() && gamma > 0.0) {
        return Err(CommunityError::Resolution(gamma));
    }
    let mut rng = Rng::seeded(seed);
    let mut g = Graph::from_edges(n, edges);
    let total: f64 = g.strength.iter().sum::<f64>() / 2.0;
    let (r, use_strength) = match quality {
        Quality::Modularity { .. } => (
            if total > 0.0 {
                gamma / (2.0 * total)
            } else {
                0.0
            },
            true,
        ),
        Quality::Cpm { .. } => (gamma, false),
    };
    // Gains in the quality's own units, for the refinement's draw: ΔQ = gain / m for
    // modularity, the gain itself for CPM.
    let to_quality = match quality {
        Quality::Modularity { .. } if total > 0.0 => 1.0 / total,
        _ => 1.0,
    };
    // Original node -> current aggregate node; current partition of aggregate nodes.
    let mut node_of: Vec<usize> = (0..n).collect();
    let mut part: Vec<usize> = (0..n).collect();
    // Contiguity of the current (aggregate) nodes, deduplicated, without self-links.
    let mut adjacency: Option<Vec<Vec<usize>>> = spatial.map(|lists| {
        lists
            .iter()
            .enumerate()
            .map(|(v, l)| {
                let mut l: Vec<usize> = l.iter().copied().filter(|&u| u != v).collect();
                l.sort_unstable();
                l.dedup();
                l
            })
            .collect()
    });
    loop {
        let w: Vec<f64> = if use_strength {
            g.strength.clone()
        } else {
            g.size.clone()
        };
        let moved = move_nodes(&g, &w, r, &mut part, &mut rng, adjacency.as_deref());
        let communities = renumber(&mut part);
        if !moved && communities == g.n() || communities == g.n() {
            break;
        }
        let weighting = Weighting {
            w: &w,
            r,
            to_quality,
        };
        let refined = refine(
            &g,
            &weighting,
            &part,
            communities,
            &mut rng,
            adjacency.as_deref(),
        );
        let (ag, agg_part, map) = aggregate(&g, &refined, &part);
        for x in node_of.iter_mut() {
            *x = map[*x];
        }
        if let Some(adj) = adjacency.as_mut() {
            let count = ag.n();
            let mut next: Vec<Vec<usize>> = vec![Vec::new(); count];
            for (v, list) in adj.iter().enumerate() {
                for &u in list {
                    if map[v] != map[u] {
                        next[map[v]].push(map[u]);
                    }
                }
            }
            for l in next.iter_mut() {
                l.sort_unstable();
                l.dedup();
            }
            *adj = next;
        }
        g = ag;
        part = agg_part;
        if !moved {
            break;
        }
    }
    let mut membership: Vec<usize> = node_of.iter().map(|&a| part[a]).collect();
    // Number communities by decreasing size, then by first node.
    let k = renumber(&mut membership);
    let mut sizes = vec![(0usize, usize::MAX, 0usize); k];
    for (v, &c) in membership.iter().enumerate() {
        sizes[c].0 += 1;
        sizes[c].1 = sizes[c].1.min(v);
        sizes[c].2 = c;
    }
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut rank = vec![0; k];
    for (new, s) in sizes.iter().enumerate() {
        rank[s.2] = new;
    }
    for c in membership.iter_mut() {
        *c = rank[*c];
    }
    let q = modularity(
        n,
        edges,
        &membership,
        if use_strength { gamma } else { 1.0 },
    );
    let value = match quality {
        Quality::Modularity { .. } => q,
        Quality::Cpm { resolution } => {
            let mut inside = vec![0.0; k];
            let mut size = vec![0.0; k];
            for &(i, j, w) in edges {
                if i != j && membership[i] == membership[j] {
                    inside[membership[i]] += w;
                }
            }
            for &c in &membership {
                size[c] += 1.0;
            }
            (0..k)
                .map(|c| inside[c] - resolution * size[c] * (size[c] - 1.0) / 2.0)
                .sum()
        }
    };
    Ok(Communities {
        membership,
        count: k,
        modularity: q,
        quality: value,
    })
}

/// Renumbers community ids to 0..k in order of first appearance; returns k.
fn renumber(part: &mut [usize]) -> usize {
    let mut map: std::collections::HashMap<usize, usize> = Default::default();
    for c in part.iter_mut() {
        let next = map.len();
        *c = *map.entry(*c).or_insert(next);
    }
    map.len()
}

/// Whether community `a` stays connected in `adj` without node `v` (the other members reached
/// from one of v's neighbours in a).
fn stays_connected(adj: &[Vec<usize>], part: &[usize], a: usize, v: usize, members: usize) -> bool {
    if members <= 1 {
        return true;
    }
    let Some(&start) = adj[v].iter().find(|&&u| part[u] == a) else {
        return false;
    };
    let mut seen = std::collections::HashSet::from([start]);
    let mut stack = vec![start];
    while let Some(u) = stack.pop() {
        for &x in &adj[u] {
            if x != v && part[x] == a && seen.insert(x) {
                stack.push(x);
            }
        }
    }
    seen.len() == members - 1
}

/// Fast local moving; true if any node moved. With `adj`, a node only joins communities it
/// touches and only leaves its community if the rest stays connected.
fn move_nodes(
    g: &Graph,
    w: &[f64],
    r: f64,
    part: &mut [usize],
    rng: &mut Rng,
    adj: Option<&[Vec<usize>]>,
) -> bool {
    let n = g.n();
    let mut total = vec![0.0; n];
    let mut members = vec![0usize; n];
    for v in 0..n {
        total[part[v]] += w[v];
        members[part[v]] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| members[c] == 0).collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut queue: std::collections::VecDeque<usize> = order.into_iter().collect();
    let mut queued = vec![true; n];
    let mut link = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut moved = false;
    let mut allowed = vec![false; n];
    let mut candidates: Vec<usize> = Vec::new();
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let a = part[v];
        if let Some(adj) = adj {
            if !stays_connected(adj, part, a, v, members[a]) {
                continue; // v holds its community together: it stays
            }
        }
        for (u, x) in g.neighbours(v) {
            let c = part[u];
            if link[c] == 0.0 {
                touched.push(c);
            }
            link[c] += x;
        }
        // The communities v may join: all it has flows with, or, under contiguity, those it
        // touches.
        candidates.clear();
        match adj {
            None => candidates.extend_from_slice(&touched),
            Some(adj) => {
                for &u in &adj[v] {
                    let c = part[u];
                    if !allowed[c] {
                        allowed[c] = true;
                        candidates.push(c);
                    }
                }
                for &c in &candidates {
                    allowed[c] = false;
                }
            }
        }
        total[a] -= w[v];
        members[a] -= 1;
        let stay = link[a] - r * w[v] * total[a];
        let (mut best, mut best_gain) = (a, stay);
        for &c in &candidates {
            let gain = link[c] - r * w[v] * total[c];
            if gain > best_gain + 1e-12 * best_gain.abs().max(1e-300) {
                best = c;
                best_gain = gain;
            }
        }
        if best_gain < 0.0 && members[a] > 0 {
            // An empty community is worth 0.
            if let Some(e) = empty.pop() {
                best = e;
            }
        }
        for &c in &touched {
            link[c] = 0.0;
        }
        touched.clear();
        total[best] += w[v];
        members[best] += 1;
        if members[a] == 0 && best != a {
            empty.push(a);
        }
        if best != a {
            if let Some(pos) = empty.iter().position(|&e| e == best) {
                empty.swap_remove(pos);
            }
            part[v] = best;
            moved = true;
            for (u, _) in g.neighbours(v) {
                if !queued[u] && part[u] != best {
                    queued[u] = true;
                    queue.push_back(u);
                }
            }
            if let Some(adj) = adj {
                for &u in &adj[v] {
                    if !queued[u] && part[u] != best {
                        queued[u] = true;
                        queue.push_back(u);
                    }
                }
            }
        }
    }
    moved
}

/// Refinement: within each community, nodes merge into well-connected sub-communities.
/// Randomness θ of the refinement (leidenalg's default).
const THETA: f64 = 0.01;

/// Node weights (strength or size), the resolution factor `r`, and the factor that turns a
/// gain into the quality's own units.
struct Weighting<'a> {
    w: &'a [f64],
    r: f64,
    to_quality: f64,
}

fn refine(
    g: &Graph,
    weighting: &Weighting,
    part: &[usize],
    k: usize,
    rng: &mut Rng,
    adj: Option<&[Vec<usize>]>,
) -> Vec<usize> {
    let (w, r, to_quality) = (weighting.w, weighting.r, weighting.to_quality);
    let n = g.n();
    let mut refined: Vec<usize> = (0..n).collect();
    let mut rtotal: Vec<f64> = w.to_vec();
    let mut singleton = vec![true; n];
    let mut comm_total = vec![0.0; k];
    for v in 0..n {
        comm_total[part[v]] += w[v];
    }
    // External weight of each refined community towards the rest of its community.
    let mut ext = vec![0.0; n];
    for v in 0..n {
        ext[v] = g
            .neighbours(v)
            .filter(|(u, _)| part[*u] == part[v])
            .map(|x| x.1)
            .sum();
    }
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut link = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut candidates: Vec<(usize, f64)> = Vec::new();
    for v in order {
        let c = part[v];
        if !singleton[v] || ext[v] < r * w[v] * (comm_total[c] - w[v]) {
            continue;
        }
        for (u, x) in g.neighbours(v) {
            if part[u] == c && refined[u] != refined[v] {
                let s = refined[u];
                if link[s] == 0.0 {
                    touched.push(s);
                }
                link[s] += x;
            }
        }
        // Candidates: well-connected sub-communities (touching v under contiguity) with a
        // non-negative gain; one is drawn with probability ∝ exp(ΔH/θ).
        candidates.clear();
        for &s in &touched {
            if ext[s] < r * rtotal[s] * (comm_total[c] - rtotal[s]) {
                continue;
            }
            if let Some(adj) = adj {
                if !adj[v].iter().any(|&u| refined[u] == s) {
                    continue;
                }
            }
            let gain = link[s] - r * w[v] * rtotal[s];
            if gain >= 0.0 {
                candidates.push((s, gain * to_quality));
            }
        }
        let best = if candidates.is_empty() {
            None
        } else {
            let top = candidates.iter().map(|x| x.1).fold(f64::MIN, f64::max);
            let total: f64 = candidates.iter().map(|x| ((x.1 - top) / THETA).exp()).sum();
            let mut pick = rng.uniform() * total;
            let mut chosen = candidates[candidates.len() - 1];
            for &cand in &candidates {
                pick -= ((cand.1 - top) / THETA).exp();
                if pick <= 0.0 {
                    chosen = cand;
                    break;
                }
            }
            Some(chosen)
        };
        if let Some((s, _)) = best {
            let e_vs = link[s];
            ext[s] = ext[s] + ext[v] - 2.0 * e_vs;
            rtotal[s] += w[v];
            rtotal[refined[v]] -= w[v];
            refined[v] = s;
            singleton[v] = false;
            // The sub-community v joined is no longer made of singletons only.
            singleton[s] = false;
        }
        for &s in &touched {
            link[s] = 0.0;
        }
        touched.clear();
    }
    refined
}

/// The graph of refined communities, the partition it starts from, and node -> new node.
fn aggregate(g: &Graph, refined: &[usize], part: &[usize]) -> (Graph, Vec<usize>, Vec<usize>) {
    let n = g.n();
    let mut id = vec![usize::MAX; n];
    let mut count = 0;
    for &s in refined {
        if id[s] == usize::MAX {
            id[s] = count;
            count += 1;
        }
    }
    let map: Vec<usize> = (0..n).map(|v| id[refined[v]]).collect();
    let mut strength = vec![0.0; count];
    let mut size = vec![0.0; count];
    let mut internal = vec![0.0; count];
    let mut new_part = vec![0; count];
    for v in 0..n {
        let a = map[v];
        strength[a] += g.strength[v];
        size[a] += g.size[v];
        internal[a] += g.internal[v];
        new_part[a] = part[v];
    }
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for v in 0..n {
        for (u, x) in g.neighbours(v) {
            if v < u {
                let (a, b) = (map[v], map[u]);
                if a == b {
                    internal[a] += x;
                } else {
                    edges.push((a, b, x));
                }
            }
        }
    }
    let mut ag = Graph::from_edges(count, &edges);
    ag.strength = strength;
    ag.size = size;
    ag.internal = internal;
    (ag, new_part, map)
}
