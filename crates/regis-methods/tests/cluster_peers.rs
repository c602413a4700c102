//! Derived clusters against SciPy (average linkage) and scikit-learn (silhouette) on the Korea
//! data (fixture script: tests/peers/make_cluster_fixtures.py). Partitions must be equal up to
//! the naming of the clusters; similarity and silhouette agree to 1e-9.

use regis_methods::clusters::{average_linkage, colocation_similarity, silhouette};
use regis_methods::specialisation::RegionIndustry;
use serde_json::Value;

fn same_partition(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len()
        && (0..a.len()).all(|i| (0..a.len()).all(|j| (a[i] == a[j]) == (b[i] == b[j])))
}

#[test]
fn agrees_with_scipy_and_sklearn() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cluster_peers.json"
    ))
    .unwrap();
    let f: Value = serde_json::from_str(&text).unwrap();
    for c in f["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let rows = c["values"].as_array().unwrap();
        let (nr, ni) = (rows.len(), rows[0].as_array().unwrap().len());
        let v: Vec<f64> = rows
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()))
            .collect();
        let m = RegionIndustry::new(v, nr, ni).unwrap();
        let s = colocation_similarity(&m);
        for i in 0..ni {
            for j in 0..ni {
                let p = c["similarity"][i][j].as_f64().unwrap();
                assert!((s[i * ni + j] - p).abs() < 1e-9, "{name} similarity");
            }
        }
        let d: Vec<f64> = s.iter().map(|x| 1.0 - x).collect();
        let k = c["k"].as_u64().unwrap() as usize;
        let labels = average_linkage(&d, ni, k);
        let peer: Vec<usize> = c["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        assert!(
            same_partition(&labels, &peer),
            "{name}: {labels:?} vs scipy {peer:?}"
        );
        let sil = silhouette(&d, &labels);
        let ps = c["silhouette"].as_f64().unwrap();
        assert!((sil - ps).abs() < 1e-9, "{name} silhouette {sil} vs {ps}");
    }
}
