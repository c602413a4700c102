//! Spatial statistics: weights (queen and rook contiguity from polygons, distance band and
//! k-nearest neighbours from points, with islands reported), global Moran's I (analytic
//! inference under normality and randomisation, and permutation inference), Geary's C,
//! Getis-Ord G, local Getis-Ord G_i / G_i*, local Moran (LISA) with conditional permutation
//! inference and cluster/outlier classes, and the spatial decomposition of the Gini.
//!
//! Conventions follow PySAL (`libpysal`, `esda`, `inequality`) so that numbers agree: z-values
//! use the population standard deviation; permutation p-values are "folded" one-sided,
//! `(min(larger, P − larger) + 1)/(P + 1)` with `larger` the number of simulated values ≥ the
//! observed one. Permutations are drawn from a seeded generator ([`crate::random::Rng`]):
//! the same seed gives the same p-values on every machine (they differ from PySAL's, whose
//! generator is NumPy's, only by Monte Carlo error).

mod statistics;
mod weights;

pub use statistics::{
    geary, getis_ord_g, local_g, local_moran, moran, spatial_gini, LocalG, LocalMoran, Moran,
    Quadrant, SpatialGini,
};
pub use weights::{centroid, Contiguity, Rings, Weights};

#[cfg(test)]
mod tests {
    use super::statistics::{conditional_permutations, general_permutation_p, permutation_draws};
    use super::*;
    use crate::random::Rng;

    #[test]
    fn degenerate_inputs_give_diagnostics_not_panics() {
        let w = Weights::from_neighbours(&[vec![1], vec![0], vec![], vec![]]);
        // An island and constant values.
        let m = moran(&[1.0, 1.0, 1.0, 1.0], &w.row_standardised(), 9, 1);
        assert!(m.i.is_nan() && m.diagnostics.iter().any(|d| d.code == "degenerate"));
        let m = moran(&[1.0, 2.0, 3.0, 5.0], &w.row_standardised(), 9, 1);
        assert!(m.diagnostics.iter().any(|d| d.code == "islands"));
        let l = local_moran(&[1.0, 1.0, 1.0, 1.0], &w.row_standardised(), 9, 1);
        assert!(l.p_sim.is_none() && l.diagnostics.iter().any(|d| d.code == "constant"));
        let l = local_moran(&[1.0, 2.0, 3.0, 5.0], &w.row_standardised(), 99, 1);
        assert_eq!(l.i[2], 0.0, "an island has no lag");
        // A single region.
        let one = Weights::from_neighbours(&[vec![]]);
        assert!(moran(&[3.0], &one, 9, 1).i.is_nan());
        assert!(geary(&[3.0], &one).is_none());
        assert!(getis_ord_g(&[3.0], &one).is_none());
        // All zeros.
        assert!(spatial_gini(
            &[0.0, 0.0, 0.0],
            &Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1]]),
            9,
            1
        )
        .is_none());
    }

    #[test]
    fn permuting_units_permutes_local_results() {
        let lists = vec![vec![1], vec![0, 2], vec![1, 3], vec![2, 4], vec![3]];
        let y = [5.0, 3.0, 8.0, 1.0, 4.0];
        let a = local_moran(
            &y,
            &Weights::from_neighbours(&lists).row_standardised(),
            0,
            1,
        );
        // Reverse the order of units (and relabel neighbour lists accordingly).
        let rev: Vec<Vec<usize>> = lists
            .iter()
            .rev()
            .map(|l| l.iter().map(|j| 4 - j).collect())
            .collect();
        let yr: Vec<f64> = y.iter().rev().copied().collect();
        let b = local_moran(
            &yr,
            &Weights::from_neighbours(&rev).row_standardised(),
            0,
            1,
        );
        for k in 0..5 {
            assert!((a.i[k] - b.i[4 - k]).abs() < 1e-12);
        }
        let ma = moran(
            &y,
            &Weights::from_neighbours(&lists).row_standardised(),
            0,
            1,
        );
        let mb = moran(
            &yr,
            &Weights::from_neighbours(&rev).row_standardised(),
            0,
            1,
        );
        assert!((ma.i - mb.i).abs() < 1e-12);
    }

    #[test]
    fn equal_weight_fast_path_counts_like_the_general_path() {
        // A 23 × 31 rook lattice (cardinalities 2, 3 and 4), row-standardised, random values:
        // the unit-major fast path and the per-unit general path see the same draws and must
        // give the same p-values for every unit, on one thread and on several.
        let w = Weights::rook_lattice(23, 31).row_standardised();
        let mut rng = Rng::seeded(7);
        let z: Vec<f64> = (0..23 * 31).map(|_| rng.uniform() - 0.5).collect();
        let lag = w.lag(&z);
        let direction: Vec<i8> = z.iter().map(|v| if *v > 0.0 { 1 } else { -1 }).collect();
        let k_max = 4;
        for permutations in [99, 999] {
            let fast =
                conditional_permutations(z.len(), &w, permutations, 11, &z, &lag, &direction);
            let draws = permutation_draws(z.len(), k_max, permutations, 11);
            let general =
                general_permutation_p(&w, permutations, k_max, &draws, &z, &lag, &direction);
            assert_eq!(fast, general, "{permutations} permutations");
            assert!(fast.iter().any(|p| *p < 0.05) && fast.iter().any(|p| *p > 0.3));
        }
    }
}
