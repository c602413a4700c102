//! Local structure: triangles, cores and structural holes.
//!
//! - Clustering (Watts & Strogatz 1998, *Nature* 393, doi:10.1038/30918): `C(v) = 2T(v) /
//!   (d(v)(d(v) − 1))`, T(v) the triangles through v (0 below degree 2); the average is over
//!   every node. Transitivity: `3 × triangles / connected triples`. Ties alone. O(Σ d²).
//! - Core number (Batagelj & Zaversnik 2003, arXiv:cs/0310049): the largest k such that v is
//!   in the k-core (the largest subgraph where every node has degree ≥ k), by bucket
//!   peeling in O(n + m).
//! - Structural holes (Burt 1992, *Structural Holes*, Harvard UP), with tie weights: `p_uv =
//!   w_uv / s_u` (v's share of u's ties) and `m_vw = w_vw / max_x w_vx`.
//!   - Constraint `c(u) = Σ_{v∈N(u)} (p_uv + Σ_{w∈N(u), w≠v} p_uw p_wv)²` (undefined, NaN,
//!     for an isolated node);
//!   - effective size `e(u) = Σ_{v∈N(u)} (1 − Σ_{w∈N(u), w≠v} p_uw m_vw)`, which for
//!     unweighted ties is Borgatti's `d − 2t/d` (t ties among u's neighbours); NaN when isolated.
//!
//!   As networkx computes them (`constraint`, `effective_size`). O(Σ d² log d).

use super::Network;

/// Triangles through each node. Marks u's neighbours, then counts, for each neighbour v, v's
/// neighbours that are marked.
fn triangles(g: &Network) -> Vec<usize> {
    let n = g.nodes();
    let mut mark = vec![usize::MAX; n];
    (0..n)
        .map(|u| {
            for &v in g.neighbours(u) {
                mark[v] = u;
            }
            let twice: usize = g
                .neighbours(u)
                .iter()
                .map(|&v| g.neighbours(v).iter().filter(|&&w| mark[w] == u).count())
                .sum();
            twice / 2
        })
        .collect()
}

/// Local clustering of each node.
///
/// ```
/// use regis_methods::network::{structure::clustering, Network};
/// // A triangle with a tail: node 2 has neighbours 0, 1, 3 and one tie among them.
/// let g = Network::new(4, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// let c = clustering(&g);
/// assert_eq!(c, vec![1.0, 1.0, 1.0 / 3.0, 0.0]);
/// ```
pub fn clustering(g: &Network) -> Vec<f64> {
    triangles(g)
        .iter()
        .enumerate()
        .map(|(v, &t)| {
            let d = g.neighbours(v).len() as f64;
            if d < 2.0 {
                0.0
            } else {
                2.0 * t as f64 / (d * (d - 1.0))
            }
        })
        .collect()
}

/// Transitivity: the share of connected triples that are closed (0 without triples).
///
/// ```
/// use regis_methods::network::{structure::transitivity, Network};
/// let g = Network::new(4, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// // One triangle (3 closed triples) among 1 + 1 + 3 + 0 = 5 triples.
/// assert!((transitivity(&g) - 0.6).abs() < 1e-15);
/// ```
pub fn transitivity(g: &Network) -> f64 {
    let closed: usize = triangles(g).iter().sum();
    let triples: usize = (0..g.nodes())
        .map(|v| {
            let d = g.neighbours(v).len();
            d * d.saturating_sub(1) / 2
        })
        .sum();
    if triples == 0 {
        0.0
    } else {
        closed as f64 / triples as f64
    }
}

/// The core number of each node.
///
/// ```
/// use regis_methods::network::{structure::core_number, Network};
/// // A triangle with a tail: the triangle is the 2-core.
/// let g = Network::new(5, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (2, 3, 1.0)]).unwrap();
/// assert_eq!(core_number(&g), vec![2, 2, 2, 1, 0]);
/// ```
pub fn core_number(g: &Network) -> Vec<usize> {
    let n = g.nodes();
    let mut degree = g.degree();
    let max = degree.iter().copied().max().unwrap_or(0);
    // Nodes sorted by degree (bucket sort), with each node's position and each bucket's start.
    let mut start = vec![0; max + 2];
    for &d in &degree {
        start[d + 1] += 1;
    }
    for d in 0..=max {
        start[d + 1] += start[d];
    }
    let mut order = vec![0; n];
    let mut position = vec![0; n];
    let mut fill = start.clone();
    for v in 0..n {
        position[v] = fill[degree[v]];
        order[position[v]] = v;
        fill[degree[v]] += 1;
    }
    for i in 0..n {
        let v = order[i];
        for &w in g.neighbours(v) {
            if degree[w] > degree[v] {
                // Move w to the front of its bucket, then shrink the bucket by one.
                let dw = degree[w];
                let first = start[dw];
                let u = order[first];
                if u != w {
                    order.swap(first, position[w]);
                    position[u] = position[w];
                    position[w] = first;
                }
                start[dw] += 1;
                degree[w] -= 1;
            }
        }
    }
    degree
}

/// Burt's constraint and effective size of each node.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuralHoles {
    /// Constraint (NaN for an isolated node).
    pub constraint: Vec<f64>,
    /// Effective size (NaN for an isolated node).
    pub effective_size: Vec<f64>,
}

/// Constraint and effective size, with tie weights.
///
/// ```
/// use regis_methods::network::{structure::structural_holes, Network};
/// // A star's centre spans 3 unconnected contacts: effective size 3, constraint 3 × (1/3)².
/// let g = Network::new(4, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]).unwrap();
/// let h = structural_holes(&g);
/// assert!((h.effective_size[0] - 3.0).abs() < 1e-15);
/// assert!((h.constraint[0] - 1.0 / 3.0).abs() < 1e-15);
/// assert!((h.constraint[1] - 1.0).abs() < 1e-15);
/// ```
pub fn structural_holes(g: &Network) -> StructuralHoles {
    let n = g.nodes();
    let strength = g.strength();
    let max_weight: Vec<f64> = (0..n)
        .map(|v| g.tie_weights(v).iter().copied().fold(0.0, f64::max))
        .collect();
    let share = |u: usize, v: usize| g.weight(u, v) / strength[u];
    let (mut constraint, mut effective_size) = (vec![f64::NAN; n], vec![f64::NAN; n]);
    for u in 0..n {
        let contacts = g.neighbours(u);
        if contacts.is_empty() {
            continue;
        }
        let (mut c, mut e) = (0.0, 0.0);
        for (&v, &w_uv) in contacts.iter().zip(g.tie_weights(u)) {
            let (mut indirect, mut redundancy) = (0.0, 0.0);
            for (&w, &w_uw) in contacts.iter().zip(g.tie_weights(u)) {
                if w == v {
                    continue;
                }
                let w_vw = g.weight(v, w);
                if w_vw > 0.0 {
                    let p_uw = w_uw / strength[u];
                    indirect += p_uw * share(w, v);
                    redundancy += p_uw * w_vw / max_weight[v];
                }
            }
            c += (w_uv / strength[u] + indirect).powi(2);
            e += 1.0 - redundancy;
        }
        constraint[u] = c;
        effective_size[u] = e;
    }
    StructuralHoles {
        constraint,
        effective_size,
    }
}
