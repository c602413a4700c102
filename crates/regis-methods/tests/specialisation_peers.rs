//! Location quotients (RCA), the specialisation matrix, diversity and ubiquity against
//! py-ecomplexity on the Korea GRDP data (fixture script: tests/peers/make_specialisation_fixtures.py).

use regis_methods::specialisation::{
    diversity, location_quotients, specialisation_matrix, ubiquity, RegionIndustry,
};

#[test]
fn agrees_with_ecomplexity_on_korea_grdp() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/specialisation_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(f["peer"].as_str().unwrap().starts_with("ecomplexity "));
    for c in f["cases"].as_array().unwrap() {
        let rows = c["values"].as_array().unwrap();
        let (nr, ni) = (rows.len(), rows[0].as_array().unwrap().len());
        let values: Vec<f64> = rows
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
            .collect();
        let m = RegionIndustry::new(values, nr, ni).unwrap();
        let lq = location_quotients(&m);
        let mcp = specialisation_matrix(&m, 1.0);
        for r in 0..nr {
            for i in 0..ni {
                let peer = c["rca"][r][i].as_f64().unwrap();
                let ours = lq[r * ni + i].unwrap();
                assert!(
                    (ours - peer).abs() <= 1e-9 * peer.abs().max(1e-12),
                    "{} r{r} i{i}: {ours} vs {peer}",
                    c["name"]
                );
                assert_eq!(mcp[r * ni + i], c["mcp"][r][i].as_i64().unwrap() == 1);
            }
        }
        let d: Vec<usize> = c["diversity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let u: Vec<usize> = c["ubiquity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(diversity(&m, 1.0), d);
        assert_eq!(ubiquity(&m, 1.0), u);
    }
}
