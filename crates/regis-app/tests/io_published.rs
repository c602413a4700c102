//! `regis io multipliers` reproduces the published input-output examples shipped in
//! `tests/inputs` (provenance: `tests/inputs/io_published_examples.PROVENANCE.txt`): the
//! Eurostat Manual's German 1995 table (Beutel 2008, Table 15.4) and the Spicosa Netherlands
//! 2000 table; and its type II closure keeps Miller & Blair's invariants.

use regis_app::io::{multipliers, MultipliersRequest};

fn input(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/inputs")
        .join(name)
}

fn germany(closure: bool) -> MultipliersRequest {
    let mut q = MultipliersRequest::new(
        input("io_germany_1995_flows.csv"),
        input("io_germany_1995_sectors.csv"),
        None,
        None,
        None,
        &[
            "value_added=gross_value_added".into(),
            "taxes_on_production=other_net_taxes_on_production".into(),
        ],
    )
    .unwrap();
    q.household_closure = closure;
    q
}

fn assert_near(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol, "{what}[{k}]: {g} vs published {w}");
    }
}

#[test]
fn the_eurostat_german_1995_example_is_reproduced() {
    let r = multipliers(&germany(false)).unwrap();
    let om: Vec<f64> = r.sectors.iter().map(|s| s.output_multiplier).collect();
    assert_near(
        &om,
        &[1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782],
        6e-5,
        "output multipliers",
    );
    let gva: Vec<f64> = r.sectors.iter().map(|s| s.gva_effect.unwrap()).collect();
    assert_near(
        &gva,
        &[0.8450, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199],
        6e-5,
        "GVA effects",
    );
    // Every euro of final demand ends as value added, imports or taxes on products.
    let g = germany(false);
    let io = regis_data::io_system::read_io_system(&g.flows, &g.sectors, &g.columns).unwrap();
    let l = regis_methods::input_output::leontief_inverse(
        &regis_methods::input_output::technical_coefficients(&io.flows, &io.output).unwrap(),
    )
    .unwrap();
    let taxes = regis_methods::input_output::satellite_multipliers(
        &l,
        io.field("taxes_on_products").unwrap(),
        &io.output,
    );
    for (s, t) in r.sectors.iter().zip(&taxes.effects) {
        let total = s.gva_effect.unwrap() + s.import_leakage.unwrap() + t;
        assert!((total - 1.0).abs() < 1e-12, "{}: {total}", s.sector);
    }
    // The Ghosh inverse, from the same files.
    let io = regis_data::io_system::read_io_system(
        &input("io_germany_1995_flows.csv"),
        &input("io_germany_1995_sectors.csv"),
        &Default::default(),
    )
    .unwrap();
    let g = regis_methods::input_output::ghosh_inverse(&io.flows, &io.output).unwrap();
    let first: Vec<f64> = (0..6).map(|i| g[i * 6]).collect();
    assert_near(
        &first,
        &[1.0339, 0.0118, 0.0037, 0.0103, 0.0117, 0.0043],
        6e-5,
        "Ghosh inverse, first column",
    );
}

#[test]
fn a_table_whose_columns_do_not_add_up_is_refused_with_the_sector_and_the_imbalance() {
    // The published table balances: intermediate + imports + taxes on products + GVA = output.
    let dir = std::env::temp_dir().join(format!("regis-io-unbalanced-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(input("io_germany_1995_sectors.csv")).unwrap();
    // Construction's output 245606 mistyped as 254606.
    let sectors = dir.join("sectors.csv");
    std::fs::write(&sectors, text.replace(",245606,", ",254606,")).unwrap();
    let mut q = germany(false);
    q.sectors = sectors;
    let e = multipliers(&q).unwrap_err().to_string();
    assert!(
        e.contains("sectors.csv:4:")
            && e.contains("CPA_F")
            && e.contains("-9000 from output")
            && e.contains("unbalanced"),
        "{e}"
    );
    // Rows: sales plus final demand must reach output too.
    let flows = dir.join("flows.csv");
    std::fs::write(&flows, "sector,1,2\n1,150,500\n2,200,100\n").unwrap();
    let rows = dir.join("rows.csv");
    std::fs::write(
        &rows,
        "sector,output,final_demand\n1,1000,350\n2,2000,1600\n",
    )
    .unwrap();
    let q = MultipliersRequest::new(flows.clone(), rows.clone(), None, None, None, &[]).unwrap();
    let e = multipliers(&q).unwrap_err().to_string();
    assert!(
        e.contains("rows.csv:3:") && e.contains("sales do not add up"),
        "{e}"
    );
    std::fs::write(
        &rows,
        "sector,output,final_demand\n1,1000,350\n2,2000,1701\n",
    )
    .unwrap();
    assert!(multipliers(&q).is_ok(), "within the 0.1% tolerance");
}

#[test]
fn the_spicosa_netherlands_2000_income_multipliers_are_reproduced() {
    let q = MultipliersRequest::new(
        input("io_netherlands_2000_flows.csv"),
        input("io_netherlands_2000_sectors.csv"),
        None,
        None,
        None,
        &[],
    )
    .unwrap();
    let r = multipliers(&q).unwrap();
    let im: Vec<f64> = r
        .sectors
        .iter()
        .map(|s| s.income_multiplier.unwrap())
        .collect();
    assert_near(
        &im,
        &[2.466, 2.333, 1.840, 2.372, 1.953, 1.417],
        5e-4,
        "type I income multipliers",
    );
    assert_eq!(r.closure, "type I");
    assert!(r.sectors[0].output_multiplier_type_ii.is_none());
}

#[test]
fn the_household_closure_raises_every_multiplier_by_one_income_ratio() {
    let r = multipliers(&germany(true)).unwrap();
    assert_eq!(r.closure, "type I and II");
    let ratio: Vec<f64> = r
        .sectors
        .iter()
        .map(|s| s.income_multiplier_type_ii.unwrap() / s.income_multiplier.unwrap())
        .collect();
    // Miller & Blair (2009, §6.2.3): type II over type I income multipliers is one number.
    for x in &ratio {
        assert!((x - ratio[0]).abs() < 1e-10, "{ratio:?}");
    }
    assert!(ratio[0] > 1.0);
    for s in &r.sectors {
        assert!(s.output_multiplier_type_ii.unwrap() > s.output_multiplier);
        assert!(s.gva_effect_type_ii.unwrap() > s.gva_effect.unwrap());
        assert!(s.employment_effect_type_ii.unwrap() > s.employment_effect.unwrap());
    }
    // Without household consumption the closure is refused with what to add.
    let mut q = MultipliersRequest::new(
        input("io_netherlands_2000_flows.csv"),
        input("io_germany_1995_sectors.csv"),
        None,
        None,
        None,
        &[],
    )
    .unwrap();
    q.household_closure = true;
    assert!(multipliers(&q).is_err(), "sector codes differ: refused");
    let mut q = germany(true);
    q.columns
        .renames
        .push(("household_consumption".into(), "compensation".into()));
    q.final_demand = Some(input("io_netherlands_2000_sectors.csv"));
    let e = multipliers(&q).unwrap_err().to_string();
    assert!(e.contains("not a sector of the sectors file"), "{e}");
}
