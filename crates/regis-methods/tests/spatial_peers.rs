//! Spatial statistics against PySAL (esda, libpysal, inequality) on real data (fixture script:
//! tests/peers/make_spatial_fixtures.py). Deterministic quantities agree to 1e-9 relative;
//! permutation p-values (different generators) agree within Monte Carlo error.

use regis_methods::spatial::{
    geary, getis_ord_g, local_g, local_moran, moran, spatial_gini, Contiguity, Weights,
};
mod common;

use common::{lists, numbers};

fn close(what: &str, ours: f64, peer: f64) {
    assert!(
        (ours - peer).abs() <= 1e-9 * peer.abs().max(1e-12),
        "{what}: regis {ours} vs esda {peer}"
    );
}

/// Two permutation p-values from independent generators: within 5 standard errors.
fn p_close(what: &str, ours: f64, peer: f64, perms: f64) {
    let p = peer.max(1.0 / perms);
    let se = (p * (1.0 - p) / perms).sqrt();
    assert!(
        (ours - peer).abs() <= 5.0 * se + 2.0 / perms,
        "{what}: regis {ours} vs esda {peer}"
    );
}

#[test]
fn global_and_local_statistics_agree_with_esda_on_us_income() {
    let f = common::fixture("spatial_peers.json");
    let perms = f["permutations"].as_f64().unwrap();
    for c in f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["local_moran"].is_object())
    {
        let name = c["name"].as_str().unwrap();
        let y = numbers(&c["y"]);
        let w = Weights::from_neighbours(&lists(&c["neighbours"]));
        let wr = w.row_standardised();
        let m = moran(&y, &wr, 9999, 42);
        let pm = &c["moran"];
        close(&format!("{name} I"), m.i, pm["I"].as_f64().unwrap());
        close(
            &format!("{name} EI"),
            m.expected,
            pm["EI"].as_f64().unwrap(),
        );
        close(
            &format!("{name} VI_norm"),
            m.variance_normal,
            pm["VI_norm"].as_f64().unwrap(),
        );
        close(
            &format!("{name} z_norm"),
            m.z_normal,
            pm["z_norm"].as_f64().unwrap(),
        );
        close(
            &format!("{name} p_norm"),
            m.p_normal,
            pm["p_norm"].as_f64().unwrap(),
        );
        close(
            &format!("{name} VI_rand"),
            m.variance_random,
            pm["VI_rand"].as_f64().unwrap(),
        );
        close(
            &format!("{name} z_rand"),
            m.z_random,
            pm["z_rand"].as_f64().unwrap(),
        );
        close(
            &format!("{name} p_rand"),
            m.p_random,
            pm["p_rand"].as_f64().unwrap(),
        );
        p_close(
            &format!("{name} p_sim"),
            m.p_sim.unwrap(),
            pm["p_sim"].as_f64().unwrap(),
            perms,
        );
        close(
            &format!("{name} Geary"),
            geary(&y, &wr).unwrap(),
            c["geary"].as_f64().unwrap(),
        );
        let (g, eg) = getis_ord_g(&y, &w.binary()).unwrap();
        close(
            &format!("{name} G"),
            g,
            c["getis_ord_g"]["G"].as_f64().unwrap(),
        );
        close(
            &format!("{name} EG"),
            eg,
            c["getis_ord_g"]["EG"].as_f64().unwrap(),
        );
        let lm = local_moran(&y, &wr, 9999, 42);
        let pl = &c["local_moran"];
        // p_sim_ties: esda's own simulations with exact ties counted as >= (see the script).
        let (is, q, ps, ei, vi) = (
            numbers(&pl["Is"]),
            numbers(&pl["q"]),
            numbers(&pl["p_sim_ties"]),
            numbers(&pl["EI"]),
            numbers(&pl["VI"]),
        );
        for k in 0..y.len() {
            close(&format!("{name} Is[{k}]"), lm.i[k], is[k]);
            assert_eq!(f64::from(lm.quadrant[k].number()), q[k], "{name} q[{k}]");
            close(&format!("{name} EI[{k}]"), lm.expected[k], ei[k]);
            close(&format!("{name} VI[{k}]"), lm.variance[k], vi[k]);
            p_close(
                &format!("{name} lisa p_sim[{k}]"),
                lm.p_sim.as_ref().unwrap()[k],
                ps[k],
                perms,
            );
        }
        for (key, star) in [("local_g", false), ("local_g_star", true)] {
            let ww = if star {
                w.with_self().row_standardised()
            } else {
                wr.clone()
            };
            let lg = local_g(&y, &ww, star, 9999, 42);
            let pg = &c[key];
            let (gs, zs, pn, psim) = (
                numbers(&pg["Gs"]),
                numbers(&pg["Zs"]),
                numbers(&pg["p_norm"]),
                numbers(&pg["p_sim_ties"]),
            );
            for k in 0..y.len() {
                close(&format!("{name} {key} G[{k}]"), lg.g[k], gs[k]);
                close(&format!("{name} {key} Z[{k}]"), lg.z[k], zs[k]);
                close(&format!("{name} {key} p_norm[{k}]"), lg.p_normal[k], pn[k]);
                p_close(
                    &format!("{name} {key} p_sim[{k}]"),
                    lg.p_sim.as_ref().unwrap()[k],
                    psim[k],
                    perms,
                );
            }
        }
        let sg = spatial_gini(&y, &w, 9999, 42).unwrap();
        let pg = &c["spatial_gini"];
        close(&format!("{name} gini"), sg.gini, pg["g"].as_f64().unwrap());
        close(
            &format!("{name} wg"),
            sg.neighbour_part,
            pg["wg"].as_f64().unwrap(),
        );
        close(
            &format!("{name} wcg"),
            sg.non_neighbour_part,
            pg["wcg"].as_f64().unwrap(),
        );
        close(
            &format!("{name} wcg_share"),
            sg.non_neighbour_share,
            pg["wcg_share"].as_f64().unwrap(),
        );
        p_close(
            &format!("{name} spatial gini p"),
            sg.p_sim.unwrap(),
            pg["p_sim"].as_f64().unwrap(),
            perms,
        );
    }
    // The reference value of ENGINEERING.md.
    let us1929 = f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "us_income_1929")
        .unwrap();
    assert!((us1929["moran"]["I"].as_f64().unwrap() - 0.6269268785).abs() < 1e-10);
}

#[test]
fn korea_contiguity_from_the_builtin_boundaries_equals_libpysal() {
    let f = common::fixture("spatial_peers.json");
    let k = f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "korea_districts_2018_boundaries")
        .unwrap();
    let (path, text) = regis_data::korea::DISTRICTS_TOPOJSON;
    let features = regis_data::topojson::decode(text, path).unwrap();
    let codes: Vec<String> = features
        .iter()
        .map(|f| f.properties["code"].as_str().unwrap().to_string())
        .collect();
    let peer_codes: Vec<String> = k["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, peer_codes);
    let units: Vec<_> = features.iter().map(regis_data::topojson::rings).collect();
    for (rule, key) in [(Contiguity::Queen, "queen"), (Contiguity::Rook, "rook")] {
        let w = Weights::contiguity(&units, rule);
        let peer = lists(&k[key]);
        for (i, p) in peer.iter().enumerate() {
            assert_eq!(&w.neighbours_of(i), p, "{key} neighbours of {}", codes[i]);
        }
        let islands: Vec<usize> = k[format!("{key}_islands")]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(w.islands(), islands);
    }
    let c = f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "korea_population_2020_queen")
        .unwrap();
    let w = Weights::contiguity(&units, Contiguity::Queen).row_standardised();
    let m = moran(&numbers(&c["y"]), &w, 0, 1);
    close(
        "korea population Moran",
        m.i,
        c["moran"]["I"].as_f64().unwrap(),
    );
    close(
        "korea population z_rand",
        m.z_random,
        c["moran"]["z_rand"].as_f64().unwrap(),
    );
}
