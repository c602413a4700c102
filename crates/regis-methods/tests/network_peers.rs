//! The network measures against networkx (and betweenness against igraph and rustworkx, which
//! the fixture script checks agree) on the graphs networkx ships: Zachary's karate club, the
//! Florentine families, Les Misérables (weighted). Fixture: tests/peers/make_network_fixtures.py.

use regis_methods::network::{mixing, paths, spectral, structure, Network};
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/network_peers.json")).unwrap()
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn network(case: &Value) -> Network {
    let n = case["nodes"].as_array().unwrap().len();
    let ties: Vec<(usize, usize, f64)> = case["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_u64().unwrap() as usize,
                e[1].as_u64().unwrap() as usize,
                e[2].as_f64().unwrap(),
            )
        })
        .collect();
    Network::new(n, &ties).unwrap()
}

fn close(got: &[f64], want: &[f64], what: &str, graph: &str) {
    assert_eq!(got.len(), want.len(), "{graph} {what}");
    for (k, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{graph} {what} node {k}: {a} vs networkx {b}"
        );
    }
}

#[test]
fn every_measure_agrees_with_networkx_to_1e9() {
    let f = fixture();
    for (graph, case) in f["graphs"].as_object().unwrap() {
        let g = network(case);
        let scalar = |key: &str| case[key].as_f64().unwrap();
        let one = |got: f64, key: &str| close(&[got], &[scalar(key)], key, graph);
        one(g.density(), "density");
        one(
            (g.components().iter().max().unwrap() + 1) as f64,
            "components",
        );
        one(structure::transitivity(&g), "transitivity");
        let clustering = structure::clustering(&g);
        one(
            clustering.iter().sum::<f64>() / g.nodes() as f64,
            "average_clustering",
        );
        one(
            mixing::degree_assortativity(&g).unwrap(),
            "degree_assortativity",
        );
        let p = paths::centrality(&g);
        close(
            &p.betweenness,
            &numbers(&case["betweenness"]),
            "betweenness",
            graph,
        );
        close(
            &p.closeness,
            &numbers(&case["closeness"]),
            "closeness",
            graph,
        );
        close(
            &spectral::eigenvector(&g).unwrap(),
            &numbers(&case["eigenvector"]),
            "eigenvector",
            graph,
        );
        close(
            &spectral::pagerank(&g, 0.85).unwrap(),
            &numbers(&case["pagerank"]),
            "pagerank",
            graph,
        );
        close(
            &clustering,
            &numbers(&case["clustering"]),
            "clustering",
            graph,
        );
        let core: Vec<f64> = structure::core_number(&g)
            .iter()
            .map(|c| *c as f64)
            .collect();
        close(&core, &numbers(&case["core"]), "core", graph);
        let holes = structure::structural_holes(&g);
        close(
            &holes.constraint,
            &numbers(&case["constraint"]),
            "constraint",
            graph,
        );
        close(
            &holes.effective_size,
            &numbers(&case["effective_size"]),
            "effective_size",
            graph,
        );
        close(
            &g.strength(),
            &numbers(&case["strength"]),
            "strength",
            graph,
        );
        if let Some(groups) = case.get("groups") {
            let groups: Vec<usize> = groups
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect();
            one(
                mixing::nominal_assortativity(&g, &groups, 2).unwrap(),
                "type_assortativity",
            );
            close(
                &mixing::mixing_matrix(&g, &groups, 2),
                &numbers(&case["mixing_matrix"]),
                "mixing_matrix",
                graph,
            );
        }
    }
}

#[test]
fn the_published_figures_hold() {
    let f = fixture();
    let florentine = &f["graphs"]["florentine"];
    let medici = florentine["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|v| v == "Medici")
        .unwrap();
    let b = paths::centrality(&network(florentine)).betweenness[medici];
    assert_eq!(format!("{b:.3}"), "0.522");
    let r = mixing::degree_assortativity(&network(&f["graphs"]["karate"])).unwrap();
    assert_eq!(format!("{r:.3}"), "-0.476");
}
