//! Input-output methods against pymrio on its test MRIO system (fixture script:
//! tests/peers/make_io_fixtures.py); the ENGINEERING.md reference: trace of L = 49.35071173.

use regis_methods::input_output::{
    allocation_coefficients, ghosh_inverse, leontief_inverse, technical_coefficients,
};
use serde_json::Value;

fn flat(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
        .collect()
}

#[test]
fn agrees_with_pymrio_test_system() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/io_peers.json"
    ))
    .unwrap();
    let f: Value = serde_json::from_str(&text).unwrap();
    let z = flat(&f["Z"]);
    let x: Vec<f64> = f["x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let a = technical_coefficients(&z, &x).unwrap();
    let l = leontief_inverse(&a).unwrap();
    let b = allocation_coefficients(&z, &x).unwrap();
    let g = ghosh_inverse(&z, &x).unwrap();
    for (name, ours, peer) in [
        ("A", &a, flat(&f["A"])),
        ("B", &b, flat(&f["B"])),
        ("L", &l, flat(&f["L"])),
        ("G", &g, flat(&f["G"])),
    ] {
        for (k, (o, p)) in ours.iter().zip(&peer).enumerate() {
            assert!(
                (o - p).abs() <= 1e-9 * p.abs().max(1e-9),
                "{name}[{k}]: {o} vs {p}"
            );
        }
    }
    let n = x.len();
    let trace: f64 = (0..n).map(|i| l[i * n + i]).sum();
    assert!((trace - 49.35071173).abs() < 1e-8, "{trace}");
    assert!((trace - f["trace_L"].as_f64().unwrap()).abs() < 1e-9);
}
