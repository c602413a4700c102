//! The augmented synthetic control (ridge) on California's Proposition 99 against pysyncon's
//! AugSynth (a port of R augsynth, progfunc = "Ridge"), the outcome's own pre-treatment values
//! only: with λ given (10⁴ and 10²) and chosen by cross-validation. The peer solves the simplex
//! weights by SLSQP, which stops about 1e-6 from the optimum (its weights do not quite sum to
//! 1); Regis's are the exact optimum (checked by its optimality conditions). So the augmented
//! weights agree to 1e-4 and the effects to 1e-3 (packs of cigarettes per head), with pysyncon
//! and with the same formula on SciPy's tightest SLSQP weights; the cross-validated λ is the
//! same grid point. Fixture: tests/peers/make_augsynth_fixtures.py.

use regis_methods::evaluation::augmented::ridge_augmented;
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn ridge_augmented_synthetic_control_agrees_with_augsynth_on_prop99() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/augsynth_peers.json")).unwrap();
    let donors: Vec<String> = fixture["donors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    // Units: the donors in the fixture's order, then California; periods 1970-2000.
    let mut units = donors.clone();
    units.push("California".into());
    let n = units.len();
    let mut y = vec![f64::NAN; 31 * n];
    for line in include_str!("fixtures/smoking.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let t = f[1].parse::<f64>().unwrap() as usize - 1970;
        let u = units.iter().position(|s| s == f[0]).unwrap();
        y[t * n + u] = f[2].parse().unwrap();
    }
    let pre: Vec<usize> = (0..19).collect();
    let post: Vec<usize> = (19..31).collect();
    let donor_ids: Vec<usize> = (0..n - 1).collect();
    let sc = floats(&fixture["sc_weights_tight"]);
    for run in fixture["runs"].as_array().unwrap() {
        let given = run["lambda_given"].as_f64();
        let f = ridge_augmented(&y, n, n - 1, &donor_ids, &pre, &post, given).unwrap();
        let lambda = run["lambda"].as_f64().unwrap();
        assert!(
            (f.lambda / lambda - 1.0).abs() < 1e-9,
            "λ {} vs {lambda}",
            f.lambda
        );
        // The simplex weights: Regis's solve is the exact optimum (the gradient is equal on
        // the donors with weight and no smaller elsewhere, to rounding); SLSQP's stop about
        // 1e-6 from it (their sum is not exactly 1), so they agree to 1e-5.
        let centred = |t: usize, u: usize| {
            y[t * n + u] - donor_ids.iter().map(|&d| y[t * n + d]).sum::<f64>() / (n - 1) as f64
        };
        let r: Vec<f64> = pre
            .iter()
            .map(|&t| {
                donor_ids
                    .iter()
                    .zip(&f.sc_weights)
                    .map(|(&d, w)| w * centred(t, d))
                    .sum::<f64>()
                    - centred(t, n - 1)
            })
            .collect();
        let g: Vec<f64> = donor_ids
            .iter()
            .map(|&d| {
                2.0 * pre
                    .iter()
                    .zip(&r)
                    .map(|(&t, e)| centred(t, d) * e)
                    .sum::<f64>()
            })
            .collect();
        let on: Vec<f64> = (0..g.len())
            .filter(|&k| f.sc_weights[k] > 0.0)
            .map(|k| g[k])
            .collect();
        let mu = on.iter().sum::<f64>() / on.len() as f64;
        assert!(on.iter().all(|x| (x - mu).abs() < 1e-9 * mu.abs().max(1.0)));
        assert!(
            (0..g.len()).all(|k| f.sc_weights[k] > 0.0 || g[k] >= mu - 1e-9 * mu.abs().max(1.0))
        );
        for (a, b) in f.sc_weights.iter().zip(&sc) {
            assert!((a - b).abs() < 1e-5, "simplex weight {a} vs {b}");
        }
        for (what, weights, att, tol) in [
            ("tight", "weights_tight", "att_tight", 1e-4),
            ("pysyncon", "weights_pysyncon", "att_pysyncon", 1e-4),
        ] {
            let d = f
                .weights
                .iter()
                .zip(floats(&run[weights]))
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let peer = run[att].as_f64().unwrap();
            eprintln!(
                "{given:?} {what}: weights max |diff| {d:e}, ATT {} vs {peer}",
                f.att
            );
            assert!(d < tol, "{given:?} {what}: weights differ by {d}");
            assert!(
                (f.att - peer).abs() < 1e-3,
                "{given:?} {what}: ATT {} vs {peer}",
                f.att
            );
        }
        if given.is_none() {
            assert_eq!(f.cross_validation.len(), 21);
            eprintln!(
                "cross-validated λ {} ATT {} (SC {})",
                f.lambda, f.att, f.sc_att
            );
        }
    }
}
