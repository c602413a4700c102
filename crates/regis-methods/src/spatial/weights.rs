//! Spatial weights: queen and rook contiguity from polygons with exact shared coordinates,
//! distance bands and k nearest neighbours from points (islands reported), row
//! standardisation; polygon centroids.

use std::collections::{BTreeMap, HashMap};

/// Spatial weights: for each unit, its neighbours and their weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    neighbours: Vec<Vec<(usize, f64)>>,
}

/// Contiguity rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contiguity {
    /// Neighbours share at least one vertex.
    Queen,
    /// Neighbours share at least one edge.
    Rook,
}

/// Exact bit pattern of a vertex, for matching shared boundaries.
type VertexKey = (u64, u64);

/// A polygon unit: rings of (x, y) points (outer rings and holes alike; all edges count).
pub type Rings = Vec<Vec<[f64; 2]>>;

impl Weights {
    /// Binary weights from neighbour lists (duplicates and self-links are dropped).
    pub fn from_neighbours(lists: &[Vec<usize>]) -> Weights {
        let neighbours = lists
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut v: Vec<usize> = l.iter().copied().filter(|&j| j != i).collect();
                v.sort_unstable();
                v.dedup();
                v.into_iter().map(|j| (j, 1.0)).collect()
            })
            .collect();
        Weights { neighbours }
    }

    /// Binary rook contiguity of a `rows × cols` grid of cells numbered row by row (cell
    /// `r·cols + c` touches the cells above, below, left and right of it): the regular lattice
    /// of simulation studies and benchmarks.
    ///
    /// ```
    /// use regis_methods::spatial::Weights;
    /// let w = Weights::rook_lattice(2, 3);
    /// assert_eq!(w.neighbours_of(1), vec![0, 2, 4]);
    /// assert_eq!(w.cardinalities(), vec![2, 3, 2, 2, 3, 2]);
    /// ```
    pub fn rook_lattice(rows: usize, cols: usize) -> Weights {
        let lists: Vec<Vec<usize>> = (0..rows * cols)
            .map(|u| {
                let (r, c) = (u / cols, u % cols);
                let mut l = Vec::with_capacity(4);
                if r > 0 {
                    l.push(u - cols);
                }
                if c > 0 {
                    l.push(u - 1);
                }
                if c + 1 < cols {
                    l.push(u + 1);
                }
                if r + 1 < rows {
                    l.push(u + cols);
                }
                l
            })
            .collect();
        Weights::from_neighbours(&lists)
    }

    /// Whether `units` form one connected piece through these weights' links (a zone or
    /// region is contiguous). An empty set counts as connected. O(Σ degrees of the units).
    ///
    /// ```
    /// use regis_methods::spatial::Weights;
    /// let w = Weights::rook_lattice(1, 4); // 0-1-2-3
    /// assert!(w.connects(&[1, 2, 3]));
    /// assert!(!w.connects(&[0, 2]));
    /// ```
    pub fn connects(&self, units: &[usize]) -> bool {
        let Some(&first) = units.first() else {
            return true;
        };
        let set: std::collections::HashSet<usize> = units.iter().copied().collect();
        let mut seen = std::collections::HashSet::from([first]);
        let mut stack = vec![first];
        while let Some(u) = stack.pop() {
            for &(v, _) in self.row(u) {
                if set.contains(&v) && seen.insert(v) {
                    stack.push(v);
                }
            }
        }
        seen.len() == set.len()
    }

    /// Weights from explicit (neighbour, weight) lists, kept as given.
    pub fn from_weighted(lists: Vec<Vec<(usize, f64)>>) -> Weights {
        Weights { neighbours: lists }
    }

    /// Contiguity weights from polygons: two units are neighbours when they share a vertex
    /// (queen) or an edge (rook), with coordinates compared exactly (shared boundaries of a
    /// topology, as in TopoJSON, have identical coordinates).
    ///
    /// Complexity: O(V) expected, V the number of vertices.
    ///
    /// ```
    /// use regis_methods::spatial::{Contiguity, Weights};
    /// // Three unit squares in a row, plus one touching the third only at a corner.
    /// let sq = |x: f64, y: f64| vec![vec![[x, y], [x + 1.0, y], [x + 1.0, y + 1.0], [x, y + 1.0], [x, y]]];
    /// let units = vec![sq(0., 0.), sq(1., 0.), sq(2., 0.), sq(3., 1.)];
    /// let rook = Weights::contiguity(&units, Contiguity::Rook);
    /// let queen = Weights::contiguity(&units, Contiguity::Queen);
    /// assert_eq!(rook.cardinalities(), vec![1, 2, 1, 0]);
    /// assert_eq!(queen.cardinalities(), vec![1, 2, 2, 1]);
    /// assert_eq!(rook.islands(), vec![3]);
    /// ```
    pub fn contiguity(units: &[Rings], rule: Contiguity) -> Weights {
        let key = |p: &[f64; 2]| (p[0].to_bits(), p[1].to_bits());
        let mut lists: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
        match rule {
            Contiguity::Queen => {
                let mut at: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
                for (u, rings) in units.iter().enumerate() {
                    for ring in rings {
                        for p in ring {
                            let v = at.entry(key(p)).or_default();
                            if v.last() != Some(&u) {
                                v.push(u);
                            }
                        }
                    }
                }
                for us in at.values() {
                    link_all(us, &mut lists);
                }
            }
            Contiguity::Rook => {
                let mut at: HashMap<(VertexKey, VertexKey), Vec<usize>> = HashMap::new();
                for (u, rings) in units.iter().enumerate() {
                    for ring in rings {
                        for e in ring.windows(2) {
                            let (a, b) = (key(&e[0]), key(&e[1]));
                            if a == b {
                                continue;
                            }
                            let k = if a < b { (a, b) } else { (b, a) };
                            let v = at.entry(k).or_default();
                            if v.last() != Some(&u) {
                                v.push(u);
                            }
                        }
                    }
                }
                for us in at.values() {
                    link_all(us, &mut lists);
                }
            }
        }
        Weights::from_neighbours(&lists)
    }

    /// Distance-band weights: neighbours within `threshold` (inclusive), binary.
    /// `arc` = great-circle distance on lon/lat degrees in kilometres (Earth radius 6371.0088
    /// km); otherwise Euclidean in the points' units. Complexity: O(n²).
    pub fn distance_band(points: &[[f64; 2]], threshold: f64, arc: bool) -> Weights {
        let n = points.len();
        let lists: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i && distance(&points[i], &points[j], arc) <= threshold)
                    .collect()
            })
            .collect();
        Weights::from_neighbours(&lists)
    }

    /// k-nearest-neighbour weights (binary, not symmetric in general); ties broken by index.
    /// Complexity: O(n² log n).
    ///
    /// ```
    /// use regis_methods::spatial::Weights;
    /// let w = Weights::knn(&[[0., 0.], [1., 0.], [3., 0.]], 1, false);
    /// assert_eq!(w.neighbours_of(2), vec![1]);
    /// ```
    pub fn knn(points: &[[f64; 2]], k: usize, arc: bool) -> Weights {
        let n = points.len();
        let lists: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                let mut d: Vec<(f64, usize)> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| (distance(&points[i], &points[j], arc), j))
                    .collect();
                d.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                d.into_iter().take(k).map(|x| x.1).collect()
            })
            .collect();
        Weights::from_neighbours(&lists)
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.neighbours.len()
    }

    /// Neighbours of unit i.
    pub fn neighbours_of(&self, i: usize) -> Vec<usize> {
        self.neighbours[i].iter().map(|x| x.0).collect()
    }

    /// (neighbour, weight) pairs of unit i.
    pub fn row(&self, i: usize) -> &[(usize, f64)] {
        &self.neighbours[i]
    }

    /// Number of neighbours of each unit.
    pub fn cardinalities(&self) -> Vec<usize> {
        self.neighbours.iter().map(|v| v.len()).collect()
    }

    /// Units without neighbours.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|&i| self.neighbours[i].is_empty())
            .collect()
    }

    /// Row-standardised copy: each unit's weights sum to 1 (islands keep no weights).
    pub fn row_standardised(&self) -> Weights {
        Weights {
            neighbours: self
                .neighbours
                .iter()
                .map(|v| {
                    let s: f64 = v.iter().map(|x| x.1).sum();
                    v.iter()
                        .map(|&(j, w)| (j, if s != 0.0 { w / s } else { 0.0 }))
                        .collect()
                })
                .collect(),
        }
    }

    /// Binary copy (every listed neighbour weighs 1).
    pub fn binary(&self) -> Weights {
        Weights {
            neighbours: self
                .neighbours
                .iter()
                .map(|v| v.iter().map(|&(j, _)| (j, 1.0)).collect())
                .collect(),
        }
    }

    /// Copy with each unit as its own neighbour of weight 1 (for G_i*), before any transform.
    pub fn with_self(&self) -> Weights {
        Weights {
            neighbours: self
                .neighbours
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut r: Vec<(usize, f64)> = v.iter().copied().filter(|x| x.0 != i).collect();
                    r.push((i, 1.0));
                    r.sort_by_key(|x| x.0);
                    r
                })
                .collect(),
        }
    }

    /// `S0 = Σ_ij w_ij`.
    pub fn s0(&self) -> f64 {
        self.neighbours.iter().flatten().map(|x| x.1).sum()
    }

    /// `S1 = ½ Σ_ij (w_ij + w_ji)²`.
    pub fn s1(&self) -> f64 {
        let m = self.as_map();
        let mut s = 0.0;
        for (&(i, j), &w) in &m {
            let wt = m.get(&(j, i)).copied().unwrap_or(0.0);
            s += (w + wt).powi(2);
        }
        // Pairs present only as (j, i) were not visited from (i, j).
        for (&(i, j), &w) in &m {
            if !m.contains_key(&(j, i)) {
                s += w * w;
            }
        }
        s / 2.0
    }

    /// `S2 = Σ_i (w_i. + w_.i)²`.
    pub fn s2(&self) -> f64 {
        let n = self.n();
        let mut row = vec![0.0; n];
        let mut col = vec![0.0; n];
        for (i, v) in self.neighbours.iter().enumerate() {
            for &(j, w) in v {
                row[i] += w;
                col[j] += w;
            }
        }
        row.iter().zip(&col).map(|(a, b)| (a + b).powi(2)).sum()
    }

    /// The weights by (row, column), in that order: S1 is summed in it, so its last bits do
    /// not depend on a hash seed (they did: a process's answer differed from the next one's).
    fn as_map(&self) -> BTreeMap<(usize, usize), f64> {
        let mut m = BTreeMap::new();
        for (i, v) in self.neighbours.iter().enumerate() {
            for &(j, w) in v {
                *m.entry((i, j)).or_insert(0.0) += w;
            }
        }
        m
    }

    /// Spatial lag `(Wz)_i = Σ_j w_ij z_j`.
    pub fn lag(&self, z: &[f64]) -> Vec<f64> {
        self.neighbours
            .iter()
            .map(|v| v.iter().map(|&(j, w)| w * z[j]).sum())
            .collect()
    }
}

fn link_all(us: &[usize], lists: &mut [Vec<usize>]) {
    if us.len() < 2 {
        return;
    }
    for &a in us {
        for &b in us {
            if a != b {
                lists[a].push(b);
            }
        }
    }
}

fn distance(a: &[f64; 2], b: &[f64; 2], arc: bool) -> f64 {
    if arc {
        let (lon1, lat1, lon2, lat2) = (
            a[0].to_radians(),
            a[1].to_radians(),
            b[0].to_radians(),
            b[1].to_radians(),
        );
        let h = ((lat2 - lat1) / 2.0).sin().powi(2)
            + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
        2.0 * 6371.0088 * h.sqrt().asin()
    } else {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }
}

/// Area-weighted centroid of a unit's rings (the largest-area ring system; holes subtract when
/// wound opposite). Falls back to the mean of vertices for degenerate rings.
pub fn centroid(rings: &Rings) -> [f64; 2] {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for ring in rings {
        for e in ring.windows(2) {
            let cross = e[0][0] * e[1][1] - e[1][0] * e[0][1];
            a += cross;
            cx += (e[0][0] + e[1][0]) * cross;
            cy += (e[0][1] + e[1][1]) * cross;
        }
    }
    if a.abs() > 1e-300 {
        return [cx / (3.0 * a), cy / (3.0 * a)];
    }
    let pts: Vec<&[f64; 2]> = rings.iter().flatten().collect();
    let n = pts.len().max(1) as f64;
    [
        pts.iter().map(|p| p[0]).sum::<f64>() / n,
        pts.iter().map(|p| p[1]).sum::<f64>() / n,
    ]
}
