//! Who ties with whom: groups (actor types, regions) and degrees at the two ends of ties.
//!
//! - Mixing matrix: `e_gh`, the number of tie ends from group g to group h, each tie counted
//!   in both directions (so `e` is symmetric and sums to 2m), as networkx counts.
//! - Nominal assortativity (Newman 2003, *Physical Review E* 67, 026126,
//!   doi:10.1103/PhysRevE.67.026126): `r = (Σ_g e_gg − Σ_g a_g²) / (1 − Σ_g a_g²)` on the
//!   normalised mixing matrix, `a_g` its row sums; 1 when ties stay within groups, negative
//!   when they cross. Degree assortativity (Newman 2002, *Physical Review Letters* 89,
//!   208701, doi:10.1103/PhysRevLett.89.208701): the Pearson correlation of the degrees at the
//!   two ends of each tie, both directions. Ties alone. O(m).
//! - E-I index (Krackhardt & Stern 1988, *Social Psychology Quarterly* 51(2),
//!   doi:10.2307/2786835): `(E − I)/(E + I)`, E the ties between groups and I the ties
//!   within; for a group, E its ties to other groups and I the ties among its members. −1:
//!   all ties inside; +1: all outside. Ties alone.
//! - Brokerage roles (Gould & Fernandez 1989, *Sociological Methodology* 19,
//!   doi:10.2307/270949), as R `sna`'s `brokerage` defines them on a graph whose ties are
//!   reciprocal: every open two-path a-v-c (a and c not tied) is counted in both directions,
//!   a→v→c and c→v→a, and the broker v's role follows the groups: coordinator (all three in
//!   one group), itinerant (a and c in one group, v in another), representative (v in a's
//!   group, c outside), gatekeeper (v in c's group, a outside), liaison (all three
//!   different). O(Σ d² log d).

use super::Network;

/// The mixing matrix over `groups` (one group index per node, `< count`), row-major.
///
/// ```
/// use regis_methods::network::{mixing::mixing_matrix, Network};
/// let g = Network::new(3, &[(0, 1, 1.0), (1, 2, 1.0)]).unwrap();
/// assert_eq!(mixing_matrix(&g, &[0, 0, 1], 2), vec![2.0, 1.0, 1.0, 0.0]);
/// ```
pub fn mixing_matrix(g: &Network, groups: &[usize], count: usize) -> Vec<f64> {
    let mut e = vec![0.0; count * count];
    for u in 0..g.nodes() {
        for &v in g.neighbours(u) {
            e[groups[u] * count + groups[v]] += 1.0;
        }
    }
    e
}

/// Nominal assortativity over `groups`; None without ties or when every tie end is in one
/// group (the coefficient is 0/0).
///
/// ```
/// use regis_methods::network::{mixing::nominal_assortativity, Network};
/// // Two groups, every tie across: r = −1.
/// let g = Network::new(4, &[(0, 2, 1.0), (1, 3, 1.0)]).unwrap();
/// assert_eq!(nominal_assortativity(&g, &[0, 0, 1, 1], 2), Some(-1.0));
/// ```
pub fn nominal_assortativity(g: &Network, groups: &[usize], count: usize) -> Option<f64> {
    let e = mixing_matrix(g, groups, count);
    let total: f64 = e.iter().sum();
    if total == 0.0 {
        return None;
    }
    let trace: f64 = (0..count).map(|k| e[k * count + k]).sum::<f64>() / total;
    let expected: f64 = (0..count)
        .map(|k| {
            let a: f64 = e[k * count..(k + 1) * count].iter().sum::<f64>() / total;
            let b: f64 = (0..count).map(|r| e[r * count + k]).sum::<f64>() / total;
            a * b
        })
        .sum();
    (expected < 1.0).then(|| (trace - expected) / (1.0 - expected))
}

/// Degree assortativity; None without ties or when every tie joins nodes of one degree.
///
/// ```
/// use regis_methods::network::{mixing::degree_assortativity, Network};
/// // A star: every tie joins the hub to a leaf, r = −1.
/// let g = Network::new(4, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]).unwrap();
/// assert!((degree_assortativity(&g).unwrap() + 1.0).abs() < 1e-12);
/// ```
pub fn degree_assortativity(g: &Network) -> Option<f64> {
    let degree = g.degree();
    let ends = (2 * g.ties()) as f64;
    if ends == 0.0 {
        return None;
    }
    // Both directions of each tie: x and y have the same distribution.
    let (mut sum, mut squares, mut products) = (0.0, 0.0, 0.0);
    for u in 0..g.nodes() {
        let du = degree[u] as f64;
        for &v in g.neighbours(u) {
            sum += du;
            squares += du * du;
            products += du * degree[v] as f64;
        }
    }
    let mean = sum / ends;
    let variance = squares / ends - mean * mean;
    (variance > 1e-12 * mean * mean).then(|| (products / ends - mean * mean) / variance)
}

/// The E-I index of the whole network and of each group.
#[derive(Debug, Clone, PartialEq)]
pub struct EiIndex {
    /// Whole network (None without ties).
    pub network: Option<f64>,
    /// Each group (None for a group without ties).
    pub groups: Vec<Option<f64>>,
    /// Ties within each group.
    pub internal: Vec<usize>,
    /// Ties from each group to the others.
    pub external: Vec<usize>,
}

/// The E-I index over `groups`.
///
/// ```
/// use regis_methods::network::{mixing::ei_index, Network};
/// let g = Network::new(3, &[(0, 1, 1.0), (1, 2, 1.0)]).unwrap();
/// let ei = ei_index(&g, &[0, 0, 1], 2);
/// assert_eq!(ei.network, Some(0.0));
/// assert_eq!(ei.groups, vec![Some(0.0), Some(1.0)]);
/// ```
pub fn ei_index(g: &Network, groups: &[usize], count: usize) -> EiIndex {
    let (mut internal, mut external) = (vec![0; count], vec![0; count]);
    let (mut inside, mut across) = (0usize, 0usize);
    for u in 0..g.nodes() {
        for &v in g.neighbours(u) {
            if groups[u] == groups[v] {
                if v > u {
                    internal[groups[u]] += 1;
                    inside += 1;
                }
            } else {
                external[groups[u]] += 1;
                if v > u {
                    across += 1;
                }
            }
        }
    }
    let ratio = |e: usize, i: usize| (e + i > 0).then(|| (e as f64 - i as f64) / (e + i) as f64);
    EiIndex {
        network: ratio(across, inside),
        groups: (0..count)
            .map(|k| ratio(external[k], internal[k]))
            .collect(),
        internal,
        external,
    }
}

/// Counts of the five Gould-Fernandez roles.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Roles {
    /// a, v and c in one group.
    pub coordinator: u64,
    /// a and c in one group, the broker v in another.
    pub itinerant: u64,
    /// v in a's group, c in another.
    pub representative: u64,
    /// v in c's group, a in another.
    pub gatekeeper: u64,
    /// a, v and c in three groups.
    pub liaison: u64,
}

impl Roles {
    /// All roles together.
    pub fn total(&self) -> u64 {
        self.coordinator + self.itinerant + self.representative + self.gatekeeper + self.liaison
    }

    fn add(&mut self, other: &Roles) {
        self.coordinator += other.coordinator;
        self.itinerant += other.itinerant;
        self.representative += other.representative;
        self.gatekeeper += other.gatekeeper;
        self.liaison += other.liaison;
    }
}

/// Each node's brokerage roles over `groups`, and their totals.
///
/// ```
/// use regis_methods::network::{mixing::brokerage, Network};
/// // A university (group 0) between two firms (group 1) that are not tied: the path
/// // firm-university-firm both ways makes the university an itinerant broker twice.
/// let g = Network::new(3, &[(0, 1, 1.0), (0, 2, 1.0)]).unwrap();
/// let (each, totals) = brokerage(&g, &[0, 1, 1]);
/// assert_eq!((each[0].itinerant, each[0].total(), totals.total()), (2, 2, 2));
/// ```
pub fn brokerage(g: &Network, groups: &[usize]) -> (Vec<Roles>, Roles) {
    let mut totals = Roles::default();
    let each: Vec<Roles> = (0..g.nodes())
        .map(|v| {
            let mut r = Roles::default();
            let contacts = g.neighbours(v);
            for (i, &a) in contacts.iter().enumerate() {
                for &c in &contacts[i + 1..] {
                    if g.neighbours(a).binary_search(&c).is_ok() {
                        continue;
                    }
                    // a→v→c and c→v→a.
                    for (from, to) in [(a, c), (c, a)] {
                        let (gf, gv, gt) = (groups[from], groups[v], groups[to]);
                        match (gf == gv, gv == gt, gf == gt) {
                            (true, true, _) => r.coordinator += 1,
                            (false, false, true) => r.itinerant += 1,
                            (true, false, _) => r.representative += 1,
                            (false, true, _) => r.gatekeeper += 1,
                            (false, false, false) => r.liaison += 1,
                        }
                    }
                }
            }
            r
        })
        .collect();
    for r in &each {
        totals.add(r);
    }
    (each, totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brokerage_roles_by_hand() {
        // Groups: 0 = university, 1 = firm, 2 = institute.
        // Ties: U0-F1, U0-F2, U0-U3, U0-I4, F1-F2 (closed, no brokerage between 1 and 2).
        let g = Network::new(
            5,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (0, 3, 1.0),
                (0, 4, 1.0),
                (1, 2, 1.0),
            ],
        )
        .unwrap();
        let groups = [0, 1, 1, 0, 2];
        let (each, totals) = brokerage(&g, &groups);
        // Node 0's open pairs: (1,3) (1,4) (2,3) (2,4) (3,4); (1,2) is closed.
        // (1,3): F→U→U gatekeeper, U→U→F representative. Same for (2,3).
        // (1,4): F→U→I liaison, I→U→F liaison. Same for (2,4).
        // (3,4): U→U→I representative, I→U→U gatekeeper.
        let want = Roles {
            coordinator: 0,
            itinerant: 0,
            representative: 3,
            gatekeeper: 3,
            liaison: 4,
        };
        assert_eq!(each[0], want);
        // Node 1's pairs: (0,2) tied, so nothing; node 2 likewise. Leaves broker nothing.
        for (v, r) in each.iter().enumerate().skip(1) {
            assert_eq!(r.total(), 0, "node {v}");
        }
        assert_eq!(totals, want);
        // All in one group: every open two-path is coordination, twice.
        let (each, _) = brokerage(&g, &[0; 5]);
        assert_eq!(each[0].coordinator, 10);
        // A firm between two universities: itinerant.
        let path = Network::new(3, &[(0, 1, 1.0), (1, 2, 1.0)]).unwrap();
        let (each, _) = brokerage(&path, &[0, 1, 0]);
        assert_eq!(each[1].itinerant, 2);
    }
}
