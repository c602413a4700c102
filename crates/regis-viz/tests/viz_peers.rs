//! regis-viz against pyproj (EPSG:5179) and mapclassify (class breaks) on the built-in data
//! (fixture script: tests/peers/make_viz_fixtures.py).

use regis_viz::breaks::{breaks, Scheme};
use regis_viz::projection::epsg5179;

#[test]
fn epsg5179_agrees_with_proj_to_the_millimetre() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/viz_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ll = f["lonlat"].as_array().unwrap();
    let xy = f["epsg5179"].as_array().unwrap();
    assert!(ll.len() >= 100);
    for (p, q) in ll.iter().zip(xy) {
        let (x, y) = epsg5179(p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        let (px, py) = (q[0].as_f64().unwrap(), q[1].as_f64().unwrap());
        assert!(
            (x - px).abs() < 1e-3 && (y - py).abs() < 1e-3,
            "({x}, {y}) vs PROJ ({px}, {py})"
        );
    }
}

#[test]
fn class_breaks_agree_with_mapclassify() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/viz_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    for c in f["breaks"].as_array().unwrap() {
        let v: Vec<f64> = c["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let k = c["k"].as_u64().unwrap() as usize;
        for (key, scheme) in [
            ("quantiles", Scheme::Quantiles),
            ("fisher_jenks", Scheme::NaturalBreaks),
        ] {
            let peer: Vec<f64> = c[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            let ours = breaks(&v, k, scheme);
            assert_eq!(ours.len(), peer.len(), "{} k={k} {key}", c["name"]);
            for (a, b) in ours.iter().zip(&peer) {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{} k={k} {key}: {ours:?} vs {peer:?}",
                    c["name"]
                );
            }
        }
    }
}
