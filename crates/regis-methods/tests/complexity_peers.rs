//! ECI, PCI, proximity, density, COI and COG against py-ecomplexity on the Korea GRDP data
//! (fixture script: tests/peers/make_complexity_fixtures.py). Agreement to 1e-6.

use regis_methods::complexity::{complexity, Presence};
use regis_methods::specialisation::{specialisation_matrix, RegionIndustry};
use serde_json::Value;

fn close(what: &str, ours: f64, peer: f64) {
    assert!(
        (ours - peer).abs() <= 1e-6 * peer.abs().max(1.0),
        "{what}: regis {ours} vs ecomplexity {peer}"
    );
}

#[test]
fn agrees_with_ecomplexity_on_korea() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/complexity_peers.json"
    ))
    .unwrap();
    let f: Value = serde_json::from_str(&text).unwrap();
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let rows = c["values"].as_array().unwrap();
        let (nr, np) = (rows.len(), rows[0].as_array().unwrap().len());
        let values: Vec<f64> = rows
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
            .collect();
        let m = RegionIndustry::new(values, nr, np).unwrap();
        let mcp = specialisation_matrix(&m, 1.0);
        for r in 0..nr {
            for i in 0..np {
                assert_eq!(mcp[r * np + i], c["mcp"][r][i] == 1, "{name} mcp");
            }
        }
        let cx = complexity(&Presence::new(mcp, nr, np));
        for r in 0..nr {
            if let Some(e) = c["eci"][r].as_f64() {
                close(&format!("{name} eci[{r}]"), cx.eci[r].unwrap(), e);
            }
            if let Some(e) = c["coi"][r].as_f64() {
                close(&format!("{name} coi[{r}]"), cx.coi[r].unwrap(), e);
            }
            for i in 0..np {
                if let Some(d) = c["density"][r][i].as_f64() {
                    close(
                        &format!("{name} density[{r},{i}]"),
                        cx.density[r * np + i],
                        d,
                    );
                }
                if let Some(g) = c["cog"][r][i].as_f64() {
                    close(&format!("{name} cog[{r},{i}]"), cx.cog[r * np + i], g);
                }
            }
        }
        for i in 0..np {
            if let Some(p) = c["pci"][i].as_f64() {
                close(&format!("{name} pci[{i}]"), cx.pci[i].unwrap(), p);
            }
            for j in 0..np {
                close(
                    &format!("{name} proximity[{i},{j}]"),
                    cx.proximity[i * np + j],
                    c["proximity"][i][j].as_f64().unwrap(),
                );
            }
        }
    }
}
