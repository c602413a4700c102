//! Regis's inequality indices against PySAL's `inequality` package on real data (the fixture
//! and the script that made it: `tests/peers/make_inequality_fixtures.py`). Agreement to 1e-9
//! relative.

use regis_methods::inequality::{
    theil_decomposition, Atkinson, GeneralisedEntropy, Gini, InequalityIndex, Sample,
};

fn close(name: &str, what: &str, ours: f64, peer: f64) {
    let tol = 1e-9 * peer.abs().max(1e-12);
    assert!(
        (ours - peer).abs() <= tol,
        "{name} {what}: regis {ours} vs peer {peer}"
    );
}

#[test]
fn agrees_with_pysal_inequality_on_mexico_and_korea() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/inequality_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(f["peer"].as_str().unwrap().starts_with("inequality "));
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y: Vec<f64> = c["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let part: Vec<usize> = c["partition"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let s = Sample::new(&y);
        close(
            name,
            "theil",
            GeneralisedEntropy::THEIL_T.index(&s).value.unwrap(),
            c["theil"].as_f64().unwrap(),
        );
        close(
            name,
            "gini",
            Gini.index(&s).value.unwrap(),
            c["gini"].as_f64().unwrap(),
        );
        let d = theil_decomposition(&s, &part);
        close(
            name,
            "between",
            d.between,
            c["theil_between"].as_f64().unwrap(),
        );
        close(
            name,
            "within",
            d.within,
            c["theil_within"].as_f64().unwrap(),
        );
        for (eps, key) in [
            (0.5, "atkinson_0.5"),
            (1.0, "atkinson_1"),
            (2.0, "atkinson_2"),
        ] {
            close(
                name,
                key,
                Atkinson::new(eps).unwrap().index(&s).value.unwrap(),
                c[key].as_f64().unwrap(),
            );
        }
    }
    // The reference values of ENGINEERING.md are among the cases.
    let m1940 = cases
        .iter()
        .find(|c| c["name"] == "mexico_1940_hanson03")
        .unwrap();
    assert!((m1940["theil"].as_f64().unwrap() - 0.2089434423).abs() < 1e-10);
    assert!((m1940["gini"].as_f64().unwrap() - 0.3537237117).abs() < 1e-10);
    assert!((m1940["theil_between"].as_f64().unwrap() - 0.0649837091).abs() < 1e-10);
    assert!((m1940["theil_within"].as_f64().unwrap() - 0.1439597332).abs() < 1e-10);
}

/// The panel functions on the peers' own panels: Mexico 1940-2000 (7 periods, Hanson's 2003
/// regions) and Korea's GRDP per head over the years with the same set of provinces (the last
/// year's), each column checked against PySAL's per-year figures.
#[test]
fn panel_functions_agree_with_pysal_year_by_year() {
    use regis_methods::inequality::{gini_panel, theil_decomposition_panel, Panel};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/inequality_peers.json"
    ))
    .unwrap();
    let f: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = f["cases"].as_array().unwrap();
    let numbers = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    for prefix in ["mexico_", "korea_grdp_per_head_"] {
        let mut years: Vec<&serde_json::Value> = cases
            .iter()
            .filter(|c| {
                let name = c["name"].as_str().unwrap();
                name.starts_with(prefix) && !name.ends_with("hanson98")
            })
            .collect();
        // A balanced panel: the years whose units and partition are the last year's.
        let last = years[years.len() - 1];
        years.retain(|c| c["partition"] == last["partition"]);
        assert!(years.len() >= 7, "{prefix}");
        let columns: Vec<Vec<f64>> = years.iter().map(|c| numbers(&c["y"])).collect();
        let groups: Vec<usize> = numbers(&years[0]["partition"])
            .iter()
            .map(|&g| g as usize)
            .collect();
        let (n, t) = (columns[0].len(), columns.len());
        let rows: Vec<f64> = (0..n)
            .flat_map(|i| columns.iter().map(move |c| c[i]))
            .collect();
        let panel = Panel::new(&rows, n, t).unwrap();
        let theil = theil_decomposition_panel(&panel, &groups).unwrap();
        let gini = gini_panel(&panel);
        for (p, c) in years.iter().enumerate() {
            let name = c["name"].as_str().unwrap();
            close(
                name,
                "panel theil",
                theil[p].total,
                c["theil"].as_f64().unwrap(),
            );
            close(
                name,
                "panel between",
                theil[p].between,
                c["theil_between"].as_f64().unwrap(),
            );
            close(
                name,
                "panel within",
                theil[p].within,
                c["theil_within"].as_f64().unwrap(),
            );
            close(
                name,
                "panel gini",
                gini[p].value.unwrap(),
                c["gini"].as_f64().unwrap(),
            );
        }
    }
}
