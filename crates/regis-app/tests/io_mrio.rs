//! `regis io mrio` against pymrio on a three-region table of Korea built from the Bank of
//! Korea's 2020 table (`tests/peers/make_io_mrio_fixture.py`, inputs in `tests/inputs`):
//! output and employment multipliers, the share of each multiplier arising in each region, and
//! the regional employment accounts (production- and consumption-based, imports and exports
//! embodied).

use regis_app::io::MultipliersRequest;
use regis_app::io_mrio::{mrio, MrioRequest};

fn input(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/inputs")
        .join(name)
}

fn request(final_demand: bool) -> MrioRequest {
    MrioRequest {
        table: MultipliersRequest::new(
            input("io_mrio_kr3_flows.csv"),
            input("io_mrio_kr3_sectors.csv"),
            Some("from".into()),
            Some("to".into()),
            Some("value".into()),
            &[],
        )
        .unwrap(),
        final_demand: final_demand.then(|| input("io_mrio_kr3_final_demand.csv")),
        extension: None,
    }
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: {a} vs pymrio {b}"
    );
}

#[test]
fn multiregional_multipliers_shares_and_accounts_agree_with_pymrio() {
    let f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/io_mrio_peers.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let r = mrio(&request(true)).unwrap();
    assert_eq!(r.extension.as_deref(), Some("employment"));
    assert_eq!(r.sectors.len(), 99);
    let regions: Vec<&str> = f["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (j, s) in r.sectors.iter().enumerate() {
        assert_eq!(s.sector, f["sectors"][j].as_str().unwrap());
        close(
            s.output_multiplier,
            f["output_multipliers"][j].as_f64().unwrap(),
            "output multiplier",
        );
        close(
            s.extension_multiplier.unwrap(),
            f["employment_multipliers"][j].as_f64().unwrap(),
            "employment multiplier",
        );
        let own = regions.iter().position(|x| *x == s.region).unwrap();
        close(
            s.in_region_share,
            f["region_shares"][j][own].as_f64().unwrap(),
            "in-region share",
        );
        assert!((s.in_region_share + s.spillover_share - 1.0).abs() < 1e-12);
    }
    for (k, g) in r.regions.iter().enumerate() {
        assert_eq!(g.region, regions[k]);
        close(
            g.consumption_based,
            f["employment_cba"][k].as_f64().unwrap(),
            "cba",
        );
        close(
            g.production_based,
            f["employment_pba"][k].as_f64().unwrap(),
            "pba",
        );
        close(
            g.imports_embodied,
            f["employment_imp"][k].as_f64().unwrap(),
            "imp",
        );
        close(
            g.exports_embodied,
            f["employment_exp"][k].as_f64().unwrap(),
            "exp",
        );
    }
    // Without final demand: multipliers and shares, and a note on what is missing.
    let r = mrio(&request(false)).unwrap();
    assert!(r.regions.is_empty() && r.notes.iter().any(|n| n.contains("--final-demand")));
}

#[test]
fn a_table_without_regions_or_with_an_unknown_consumer_is_refused() {
    let mut q = request(true);
    q.table.sectors = input("io_kr33_sectors.csv");
    assert!(mrio(&q).is_err());
    let dir = std::env::temp_dir().join(format!("regis-mrio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fd = dir.join("fd.csv");
    std::fs::write(&fd, "sector,region,final_demand\ncapital:01,Mars,5\n").unwrap();
    let mut q = request(true);
    q.final_demand = Some(fd);
    let e = mrio(&q).unwrap_err().to_string();
    assert!(
        e.contains("not a region of the sectors file")
            && e.contains("fd.csv:2:")
            && e.contains("`Mars`"),
        "{e}"
    );
}
