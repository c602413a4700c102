//! Synthetic control against pysyncon and the published cases (Basque Country, Abadie &
//! Gardeazabal 2003; California's Proposition 99, Abadie, Diamond & Hainmueller 2010).
//! Fixture: tests/peers/make_synth_fixtures.py.

use regis_methods::evaluation::synthetic::{
    outcome_loss, scale_predictors, search_v, weights_given_v, SynthData,
};
use serde_json::Value;

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn data(case: &Value) -> SynthData {
    let x0 = matrix(&case["x0"]);
    let z0 = matrix(&case["z0"]);
    let donors = x0[0].len();
    let mut d = SynthData {
        x1: case["x1"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect(),
        x0: x0.concat(),
        z1: case["z1"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect(),
        z0: z0.concat(),
        donors,
    };
    scale_predictors(&mut d.x1, &mut d.x0, donors);
    d
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/synth_peers.json")).unwrap()
}

fn weight(case: &Value, w: &[f64], donor: &str) -> f64 {
    let i = case["donors"]
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d == donor)
        .unwrap_or_else(|| panic!("donor {donor}"));
    w[i]
}

#[test]
fn weights_for_a_given_v_are_the_exact_optimum() {
    for case in fixture()["cases"].as_array().unwrap() {
        let d = data(case);
        for g in case["given_v"].as_array().unwrap() {
            let v: Vec<f64> = g["v"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            let (w, loss) = weights_given_v(&d, &v);
            assert!(w.iter().all(|x| *x >= 0.0), "on the simplex");
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "sums to 1");
            // At least as good as the peer's solver (pysyncon reports ½w'Pw − q'w, which is
            // (loss − X₁'VX₁)/2), and the same point as a tight solve.
            let x1v: f64 = d.x1.iter().zip(&v).map(|(x, v)| v * x * x).sum();
            let peer = 2.0 * g["loss_w_pysyncon"].as_f64().unwrap() + x1v;
            assert!(
                loss <= peer + 1e-9 * x1v,
                "{}: {loss} vs pysyncon {peer}",
                case["name"]
            );
            let tight: Vec<f64> = g["w_tight"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            for (a, b) in w.iter().zip(&tight) {
                assert!(
                    (a - b).abs() < 1e-5,
                    "{}: w {a} vs tight SLSQP {b}",
                    case["name"]
                );
            }
            // The pre-period loss at the tight solve's weights; pysyncon's (SLSQP, default
            // tolerance) within 1%.
            let ours = outcome_loss(&d, &w);
            let at_tight = outcome_loss(&d, &tight);
            assert!(
                (ours - at_tight).abs() <= 1e-4 * at_tight.max(1e-3),
                "{}: {ours} vs {at_tight}",
                case["name"]
            );
            let lv = g["loss_v_pysyncon"].as_f64().unwrap();
            assert!(
                (ours - lv).abs() <= 1e-2 * lv.max(1e-3),
                "{}: loss_v {ours} vs {lv}",
                case["name"]
            );
        }
    }
}

/// Basque Country: Synth's published weights (Cataluna 0.851, Madrid 0.149) are the optimum
/// of the V search from equal weights (Synth's start); other starts find a better pre-period
/// fit with other weights, which the report shows as the spread of the optima.
#[test]
fn the_v_search_from_equal_weights_reproduces_the_basque_weights() {
    let f = fixture();
    let basque = &f["cases"][0];
    let r = search_v(&data(basque), 12, 12345).unwrap();
    let equal = &r.starts[0];
    let (cat, mad) = (
        weight(basque, &equal.w, "Cataluna"),
        weight(basque, &equal.w, "Madrid (Comunidad De)"),
    );
    assert!((cat - 0.851).abs() < 0.005, "Cataluna {cat}");
    assert!((mad - 0.149).abs() < 0.005, "Madrid {mad}");
    assert!(
        r.best.loss_v <= equal.loss_v,
        "the best fit is at least the equal start's"
    );
    assert!(
        r.best.loss_v < 0.6 * equal.loss_v,
        "a better optimum exists: {} vs {}",
        r.best.loss_v,
        equal.loss_v
    );
    for s in basque["pysyncon_search"].as_array().unwrap() {
        if let Some(l) = s["loss_v"].as_f64() {
            assert!(
                r.best.loss_v <= l * (1.0 + 1e-9),
                "better than pysyncon's optimum {l}"
            );
        }
    }
}

/// California's Proposition 99: the best fit has the published weights (Utah .334, Nevada
/// .234, Montana .199, Colorado .164, Connecticut .069; ±0.02) and a pre-period MSPE ≤ 3.2.
#[test]
fn the_v_search_reaches_the_prop99_weights() {
    let f = fixture();
    let prop99 = &f["cases"][1];
    let r = search_v(&data(prop99), 4, 12345).unwrap();
    // The published optimum (Abadie et al. 2010: Utah .334, Nevada .234, Montana .199,
    // Colorado .164, Connecticut .069) is among the optima the starts reach, with MSPE under
    // 3.2; the search also finds a better one, which it reports as its best.
    let published = [
        ("Utah", 0.334),
        ("Nevada", 0.234),
        ("Montana", 0.199),
        ("Colorado", 0.164),
        ("Connecticut", 0.069),
    ];
    let matches = |w: &[f64]| {
        published
            .iter()
            .all(|(s, p)| (weight(prop99, w, s) - p).abs() < 0.02)
    };
    let reaching: Vec<_> = r.starts.iter().filter(|s| matches(&s.w)).collect();
    assert!(
        !reaching.is_empty(),
        "no start reaches the published optimum"
    );
    eprintln!(
        "{} of {} starts reach the published optimum",
        reaching.len(),
        r.starts.len()
    );
    assert!(reaching.iter().all(|s| s.loss_v <= 3.2), "pre-period MSPE");
    assert!(r.best.loss_v <= reaching[0].loss_v);
    eprintln!(
        "published optimum MSPE {:.4}; best found {:.4} (Montana {:.3})",
        reaching[0].loss_v,
        r.best.loss_v,
        weight(prop99, &r.best.w, "Montana")
    );
    let peer = prop99["pysyncon_search"][0]["loss_v"].as_f64().unwrap();
    assert!(
        r.best.loss_v <= peer,
        "better than pysyncon's optimum {peer}"
    );
}
