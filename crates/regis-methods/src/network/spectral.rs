//! Centralities from the network's matrix.
//!
//! - Eigenvector centrality (Bonacich 1972, *Journal of Mathematical Sociology* 2(1),
//!   doi:10.1080/0022250X.1972.9989806): the principal eigenvector of the adjacency matrix
//!   A of the ties (unweighted), scaled to Euclidean norm 1. Power iteration on `A + I` (same
//!   eigenvectors, and it converges on bipartite graphs too), as networkx iterates, to a
//!   change below `n·1e-15`; O(m) per iteration.
//! - PageRank (Brin & Page 1998, *Computer Networks* 30, doi:10.1016/S0169-7552(98)00110-X):
//!   `x = α xP + (α d + 1 − α)/n`, with `P_uv = w_uv / s_u` (tie weights over strength) and
//!   `d` the rank held by nodes without ties, spread evenly; α = 0.85. Iterated to an L1
//!   change below `n·1e-15`; O(m) per iteration. Sums to 1.

use super::Network;

/// Iterations at most before a computation reports that it did not converge.
const MAX_ITERATIONS: usize = 10_000;

/// A power iteration that did not converge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NotConverged {
    /// Iterations run.
    pub iterations: usize,
}

/// Eigenvector centrality (unweighted ties), norm 1; all 0 for a network without ties.
///
/// ```
/// use regis_methods::network::{spectral::eigenvector, Network};
/// // A star: the centre has 1/√2, each of the 3 leaves 1/√6.
/// let g = Network::new(4, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]).unwrap();
/// let x = eigenvector(&g).unwrap();
/// assert!((x[0] - 0.5f64.sqrt()).abs() < 1e-12);
/// assert!((x[1] - (1.0f64 / 6.0).sqrt()).abs() < 1e-12);
/// ```
pub fn eigenvector(g: &Network) -> Result<Vec<f64>, NotConverged> {
    let n = g.nodes();
    if g.ties() == 0 {
        return Ok(vec![0.0; n]);
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for iteration in 0..MAX_ITERATIONS {
        for (v, out) in next.iter_mut().enumerate() {
            *out = x[v] + g.neighbours(v).iter().map(|&w| x[w]).sum::<f64>();
        }
        let norm = next.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut change = 0.0;
        for (a, b) in next.iter_mut().zip(&x) {
            *a /= norm;
            change += (*a - b).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * 1e-15 && iteration > 0 {
            return Ok(x);
        }
    }
    Err(NotConverged {
        iterations: MAX_ITERATIONS,
    })
}

/// PageRank with damping `alpha` over the weighted ties.
///
/// ```
/// use regis_methods::network::{spectral::pagerank, Network};
/// // Two nodes tied and one alone: the alone one keeps (1 − α)/n plus its share of its own
/// // spread rank; the ranks sum to 1.
/// let g = Network::new(3, &[(0, 1, 1.0)]).unwrap();
/// let x = pagerank(&g, 0.85).unwrap();
/// assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!((x[0] - x[1]).abs() < 1e-15 && x[2] < x[0]);
/// ```
pub fn pagerank(g: &Network, alpha: f64) -> Result<Vec<f64>, NotConverged> {
    let n = g.nodes();
    if n == 0 {
        return Ok(Vec::new());
    }
    let strength = g.strength();
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = x
            .iter()
            .zip(&strength)
            .filter(|(_, s)| **s == 0.0)
            .map(|(v, _)| v)
            .sum();
        let base = (alpha * dangling + 1.0 - alpha) / n as f64;
        next.iter_mut().for_each(|v| *v = base);
        for (u, s) in strength.iter().enumerate() {
            if *s > 0.0 {
                let share = alpha * x[u] / s;
                for (&w, weight) in g.neighbours(u).iter().zip(g.tie_weights(u)) {
                    next[w] += share * weight;
                }
            }
        }
        let change: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * 1e-15 {
            return Ok(x);
        }
    }
    Err(NotConverged {
        iterations: MAX_ITERATIONS,
    })
}
