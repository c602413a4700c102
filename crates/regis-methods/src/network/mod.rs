//! Innovation networks: who cooperates with whom, across actor types and regions.
//!
//! An undirected network of actors (firms, universities, research institutes…) with weighted
//! ties (joint projects, co-patents, co-publications). Measures, each module citing its source:
//! - [`paths`]: betweenness (Brandes 2001) and closeness (Freeman 1979; Wasserman & Faust
//!   1994 for disconnected graphs);
//! - [`spectral`]: eigenvector centrality (Bonacich 1972) and PageRank (Brin & Page 1998);
//! - [`structure`]: clustering and transitivity (Watts & Strogatz 1998), k-cores (Batagelj
//!   & Zaversnik 2003), Burt's constraint and effective size (Burt 1992);
//! - [`mixing`]: mixing matrices, assortativity (Newman 2002, 2003), the E-I index
//!   (Krackhardt & Stern 1988) and Gould-Fernandez brokerage roles (1989);
//! - [`triple_helix`]: Leydesdorff's mutual information in three dimensions (2003).
//!
//! Conventions, as networkx's defaults (the peer, `tests/peers/make_network_fixture.py`):
//! path measures (betweenness, closeness), eigenvector centrality, clustering and cores use
//! the ties alone; strength, PageRank, constraint and effective size use the tie weights.
//!
//! The graph is stored as compressed rows, both directions of each tie: memory O(n + m).

pub mod baseline;
pub mod core_periphery;
pub mod mixing;
pub mod paths;
pub mod spectral;
pub mod structure;
pub mod triple_helix;

/// Why a network cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkError {
    /// A tie names a node outside `0..n`.
    NodeOutOfRange {
        /// The node.
        node: usize,
        /// The number of nodes.
        nodes: usize,
    },
    /// A tie from a node to itself.
    SelfLoop {
        /// The node.
        node: usize,
    },
    /// A tie weight that is not a finite number > 0.
    Weight {
        /// The tie's ends.
        ends: (usize, usize),
        /// The weight.
        weight: f64,
    },
}

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetworkError::NodeOutOfRange { node, nodes } => {
                write!(f, "node {node} is not one of the {nodes} nodes")
            }
            NetworkError::SelfLoop { node } => write!(f, "a tie from node {node} to itself"),
            NetworkError::Weight { ends, weight } => write!(
                f,
                "the tie {}-{} has weight {weight}; weights are numbers > 0",
                ends.0, ends.1
            ),
        }
    }
}

impl std::error::Error for NetworkError {}

/// An undirected network with weighted ties, as compressed rows (neighbours sorted).
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    offsets: Vec<usize>,
    targets: Vec<usize>,
    weights: Vec<f64>,
}

impl Network {
    /// The network of `n` nodes and `ties` `(i, j, weight)`; ties of the same pair are merged,
    /// their weights added. Nodes without ties are nodes all the same. O(n + m log m).
    ///
    /// ```
    /// use regis_methods::network::Network;
    /// let g = Network::new(4, &[(0, 1, 1.0), (1, 2, 2.0), (1, 0, 0.5)]).unwrap();
    /// assert_eq!((g.nodes(), g.ties()), (4, 2));
    /// assert_eq!(g.strength(), vec![1.5, 3.5, 2.0, 0.0]);
    /// assert!((g.density() - 2.0 / 6.0).abs() < 1e-15);
    /// ```
    pub fn new(n: usize, ties: &[(usize, usize, f64)]) -> Result<Network, NetworkError> {
        let mut half: Vec<(usize, usize, f64)> = Vec::with_capacity(2 * ties.len());
        for &(i, j, w) in ties {
            for node in [i, j] {
                if node >= n {
                    return Err(NetworkError::NodeOutOfRange { node, nodes: n });
                }
            }
            if i == j {
                return Err(NetworkError::SelfLoop { node: i });
            }
            if !(w.is_finite() && w > 0.0) {
                return Err(NetworkError::Weight {
                    ends: (i, j),
                    weight: w,
                });
            }
            half.push((i, j, w));
            half.push((j, i, w));
        }
        half.sort_unstable_by_key(|t| (t.0, t.1));
        let mut offsets = vec![0; n + 1];
        let (mut targets, mut weights) = (Vec::with_capacity(half.len()), Vec::new());
        let mut k = 0;
        while k < half.len() {
            let (i, j, mut w) = half[k];
            k += 1;
            while k < half.len() && half[k].0 == i && half[k].1 == j {
                w += half[k].2;
                k += 1;
            }
            targets.push(j);
            weights.push(w);
            offsets[i + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        Ok(Network {
            offsets,
            targets,
            weights,
        })
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of ties (each pair once).
    pub fn ties(&self) -> usize {
        self.targets.len() / 2
    }

    /// The neighbours of `v`, sorted.
    pub fn neighbours(&self, v: usize) -> &[usize] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    /// The weights of `v`'s ties, in the order of [`Network::neighbours`].
    pub fn tie_weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }

    /// The weight of the tie `u`-`v` (0 when there is none). O(log degree).
    pub fn weight(&self, u: usize, v: usize) -> f64 {
        self.neighbours(u)
            .binary_search(&v)
            .map_or(0.0, |k| self.tie_weights(u)[k])
    }

    /// Degree: the number of ties of each node.
    pub fn degree(&self) -> Vec<usize> {
        (0..self.nodes())
            .map(|v| self.neighbours(v).len())
            .collect()
    }

    /// Strength: the sum of the weights of each node's ties.
    pub fn strength(&self) -> Vec<f64> {
        (0..self.nodes())
            .map(|v| self.tie_weights(v).iter().sum())
            .collect()
    }

    /// Density `2m / (n(n − 1))` (0 below two nodes).
    pub fn density(&self) -> f64 {
        let n = self.nodes() as f64;
        if n < 2.0 {
            return 0.0;
        }
        2.0 * self.ties() as f64 / (n * (n - 1.0))
    }

    /// The connected component of each node, numbered from 0 in the order of their smallest
    /// node. O(n + m).
    ///
    /// ```
    /// use regis_methods::network::Network;
    /// let g = Network::new(5, &[(3, 4, 1.0), (0, 2, 1.0)]).unwrap();
    /// assert_eq!(g.components(), vec![0, 1, 0, 2, 2]);
    /// ```
    pub fn components(&self) -> Vec<usize> {
        let n = self.nodes();
        let mut component = vec![usize::MAX; n];
        let (mut count, mut stack) = (0, Vec::new());
        for start in 0..n {
            if component[start] != usize::MAX {
                continue;
            }
            component[start] = count;
            stack.push(start);
            while let Some(v) = stack.pop() {
                for &w in self.neighbours(v) {
                    if component[w] == usize::MAX {
                        component[w] = count;
                        stack.push(w);
                    }
                }
            }
            count += 1;
        }
        component
    }

    /// The network with node `v` renamed `order[v]` (a permutation): the same network, for
    /// tests that relabelling permutes results.
    pub fn relabelled(&self, order: &[usize]) -> Network {
        let ties: Vec<(usize, usize, f64)> = (0..self.nodes())
            .flat_map(|v| {
                self.neighbours(v)
                    .iter()
                    .zip(self.tie_weights(v))
                    .filter(move |(w, _)| **w > v)
                    .map(move |(w, x)| (order[v], order[*w], *x))
            })
            .collect();
        Network::new(self.nodes(), &ties).expect("a permutation of a valid network")
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    /// The Florentine families' marriage ties (Padgett & Ansell 1993, as networkx ships
    /// them), 15 families, 20 ties.
    pub const FLORENTINE: [&str; 15] = [
        "Acciaiuoli",
        "Albizzi",
        "Barbadori",
        "Bischeri",
        "Castellani",
        "Ginori",
        "Guadagni",
        "Lamberteschi",
        "Medici",
        "Pazzi",
        "Peruzzi",
        "Ridolfi",
        "Salviati",
        "Strozzi",
        "Tornabuoni",
    ];

    pub fn florentine() -> super::Network {
        let pairs = [
            ("Acciaiuoli", "Medici"),
            ("Medici", "Barbadori"),
            ("Medici", "Ridolfi"),
            ("Medici", "Tornabuoni"),
            ("Medici", "Albizzi"),
            ("Medici", "Salviati"),
            ("Castellani", "Peruzzi"),
            ("Castellani", "Strozzi"),
            ("Castellani", "Barbadori"),
            ("Peruzzi", "Strozzi"),
            ("Peruzzi", "Bischeri"),
            ("Strozzi", "Ridolfi"),
            ("Strozzi", "Bischeri"),
            ("Ridolfi", "Tornabuoni"),
            ("Tornabuoni", "Guadagni"),
            ("Albizzi", "Ginori"),
            ("Albizzi", "Guadagni"),
            ("Salviati", "Pazzi"),
            ("Bischeri", "Guadagni"),
            ("Guadagni", "Lamberteschi"),
        ];
        let at = |name: &str| FLORENTINE.iter().position(|f| *f == name).unwrap();
        let ties: Vec<_> = pairs.iter().map(|(a, b)| (at(a), at(b), 1.0)).collect();
        super::Network::new(15, &ties).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_ties_are_refused() {
        assert_eq!(
            Network::new(2, &[(0, 2, 1.0)]),
            Err(NetworkError::NodeOutOfRange { node: 2, nodes: 2 })
        );
        assert_eq!(
            Network::new(2, &[(1, 1, 1.0)]),
            Err(NetworkError::SelfLoop { node: 1 })
        );
        assert!(matches!(
            Network::new(2, &[(0, 1, -1.0)]),
            Err(NetworkError::Weight { .. })
        ));
        assert!(matches!(
            Network::new(2, &[(0, 1, f64::NAN)]),
            Err(NetworkError::Weight { .. })
        ));
    }

    #[test]
    fn florentine_families_have_fifteen_nodes_and_one_isolate() {
        let g = fixtures::florentine();
        assert_eq!((g.nodes(), g.ties()), (15, 20));
        // Pucci is not in networkx's graph; every family here is tied.
        assert_eq!(g.components().iter().max(), Some(&0));
        assert_eq!(g.degree()[8], 6);
    }
}
