//! β-convergence regressions against PySAL's spreg.OLS on Mexico and Korea (fixture script:
//! tests/peers/make_convergence_fixtures.py).

use regis_methods::convergence::beta_convergence;

mod common;

use common::numbers;

#[test]
fn agrees_with_spreg_ols() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/convergence_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    for c in f["cases"].as_array().unwrap() {
        let groups: Option<Vec<usize>> = c["groups"]
            .as_array()
            .map(|g| g.iter().map(|v| v.as_u64().unwrap() as usize).collect());
        let b = beta_convergence(
            &numbers(&c["y0"]),
            &numbers(&c["y1"]),
            c["years"].as_f64().unwrap(),
            groups.as_deref(),
        )
        .unwrap();
        for (key, ours) in [
            ("coefficients", &b.fit.coefficients),
            ("std_errors", &b.fit.std_errors),
            ("t_values", &b.fit.t_values),
        ] {
            for (o, p) in ours.iter().zip(numbers(&c[key])) {
                assert!(
                    (o - p).abs() <= 1e-9 * p.abs().max(1e-12),
                    "{} {key}: {o} vs {p}",
                    c["name"]
                );
            }
        }
        for (o, p) in b.fit.p_values.iter().zip(numbers(&c["p_values"])) {
            // p-values from the t distribution: relative 1e-9 where they are not tiny.
            assert!(
                (o - p).abs() <= 1e-9 * p.abs().max(1e-6),
                "{} p: {o} vs {p}",
                c["name"]
            );
        }
        let r2 = c["r_squared"].as_f64().unwrap();
        assert!(
            (b.fit.r_squared - r2).abs() <= 1e-9 * r2,
            "{} r2",
            c["name"]
        );
    }
}
