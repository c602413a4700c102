//! Properties every network measure must have: relabelling the actors permutes the results,
//! and an actor without ties changes no other actor's value (for the measures that do not
//! depend on the number of actors by definition: PageRank's teleport and the normalisations
//! of betweenness and closeness by n do).

use regis_methods::network::{paths, spectral, structure, Network};
use regis_methods::random::Rng;

fn random_weighted(n: usize, ties: usize, seed: u64) -> Network {
    let mut rng = Rng::seeded(seed);
    let mut edges = Vec::new();
    for _ in 0..ties {
        let (a, b) = (rng.below(n), rng.below(n));
        if a != b {
            edges.push((a, b, 1.0 + rng.below(4) as f64));
        }
    }
    Network::new(n, &edges).unwrap()
}

/// Every measure of every actor, in one vector per measure.
fn measures(g: &Network) -> Vec<(&'static str, Vec<f64>)> {
    let p = paths::centrality(g);
    let h = structure::structural_holes(g);
    vec![
        ("degree", g.degree().iter().map(|d| *d as f64).collect()),
        ("strength", g.strength()),
        ("betweenness", p.betweenness),
        ("closeness", p.closeness),
        ("eigenvector", spectral::eigenvector(g).unwrap()),
        ("pagerank", spectral::pagerank(g, 0.85).unwrap()),
        ("clustering", structure::clustering(g)),
        (
            "core",
            structure::core_number(g)
                .iter()
                .map(|c| *c as f64)
                .collect(),
        ),
        ("constraint", h.constraint),
        ("effective_size", h.effective_size),
    ]
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn relabelling_the_actors_permutes_every_measure() {
    for seed in 0..4 {
        let g = random_weighted(60, 150, seed);
        let mut order: Vec<usize> = (0..60).collect();
        Rng::seeded(seed + 100).shuffle(&mut order);
        let before = measures(&g);
        let after = measures(&g.relabelled(&order));
        for ((name, x), (_, y)) in before.iter().zip(&after) {
            for (v, &w) in order.iter().enumerate() {
                assert!(same(x[v], y[w]), "{name}: actor {v} {} vs {}", x[v], y[w]);
            }
        }
    }
}

#[test]
fn an_actor_without_ties_changes_no_other_actors_values() {
    let g = random_weighted(50, 140, 7);
    let ties: Vec<(usize, usize, f64)> = (0..50)
        .flat_map(|v| {
            g.neighbours(v)
                .iter()
                .zip(g.tie_weights(v))
                .filter(move |(w, _)| **w > v)
                .map(move |(w, x)| (v, *w, *x))
        })
        .collect();
    let bigger = Network::new(51, &ties).unwrap();
    let (before, after) = (measures(&g), measures(&bigger));
    for ((name, x), (_, y)) in before.iter().zip(&after) {
        let undo = match *name {
            // Normalised by (n − 1)(n − 2): compare the raw sums.
            "betweenness" => (49.0 * 48.0) / (50.0 * 49.0),
            // Scaled by the share of the other n − 1 actors reached.
            "closeness" => 49.0 / 50.0,
            // The teleport term spreads over n actors.
            "pagerank" => continue,
            _ => 1.0,
        };
        for v in 0..50 {
            assert!(
                same(x[v] * undo, y[v]),
                "{name}: actor {v} {} vs {}",
                x[v],
                y[v]
            );
        }
    }
}
