//! Regionalisation with contiguity constraints: max-p regions (as many contiguous regions as
//! possible, each reaching a threshold on a spatially extensive attribute such as population,
//! as homogeneous as possible) and SKATER (a given number of contiguous regions cut from the
//! minimum spanning tree of the contiguity graph).
//!
//! Both take the contiguity of the areas ([`Weights`], e.g. queen contiguity from boundaries),
//! the attributes that define similarity (`n × k`, row-major; dissimilarity is the city-block
//! distance `d(i, j) = Σ_a |x_ia − x_ja|`, as in `spopt`) and return one label per area.

use crate::spatial::Weights;
use regis_core::Diagnostic;

mod maxp;
mod skater;

pub use maxp::{max_p, MaxPOptions};
pub use skater::{skater, SkaterOptions};

/// Why a regionalisation could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionalisationError {
    /// Inputs whose lengths do not fit together, or values out of their domain.
    #[error("{0}")]
    Input(String),
}

pub(super) fn input(message: String) -> RegionalisationError {
    RegionalisationError::Input(message)
}

/// City-block distance between rows `i` and `j` of an `n × k` matrix.
#[inline]
pub(super) fn cityblock(x: &[f64], k: usize, i: usize, j: usize) -> f64 {
    x[i * k..(i + 1) * k]
        .iter()
        .zip(&x[j * k..(j + 1) * k])
        .map(|(a, b)| (a - b).abs())
        .sum()
}

pub(super) fn check_attributes(
    n: usize,
    attributes: &[f64],
    k: usize,
) -> Result<(), RegionalisationError> {
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
pub(super) fn components(w: &Weights) -> (Vec<usize>, usize) {
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

/// Region labels 1..=p per area (0 = not placed), as the construction and the search use them.
pub(super) type Labels = Vec<usize>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

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
