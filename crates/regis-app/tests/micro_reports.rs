//! The establishment-level reports of micro data on a case small enough to compute by hand:
//! the plant Herfindahl, Ellison-Glaeser with and without it, coagglomeration and the size
//! distribution.

use regis_app::micro::{coagglomeration, ellison_glaeser, sizes, Engine, MicroRequest, SizeBy};
use regis_core::Level;
use regis_data::micro::{Block, Writer};
use std::path::PathBuf;

/// Seoul (district 11010, province 11) and Busan (26020, province 26) in 2020:
/// industry C (codes under it: C1): Seoul plants of 10 and 30 employees, Busan one of 20;
/// industry J: Seoul one of 20, Busan two of 10.
fn hand_case() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!("regis-micro-hand-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let file = d.join(format!(
        "hand-{}.parquet",
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&file);
    let b = Block {
        id: vec![1, 2, 3, 4, 5, 6],
        period: vec![2020; 6],
        region: vec![0, 0, 1, 0, 1, 1],
        regions: vec!["11010".into(), "26020".into()],
        industry: vec![0, 0, 0, 1, 1, 1],
        industries: vec!["C1".into(), "J".into()],
        employees: vec![10, 30, 20, 20, 10, 10],
        sales: vec![1.0, 3.0, 2.0, 2.0, 1.0, 1.0],
        offset: 0,
        // The writer writes `period`; the indices are the reader's.
        ..Default::default()
    };
    let mut w = Writer::create(&file).unwrap();
    w.write(&b).unwrap();
    w.finish().unwrap();
    file
}

fn request(input: PathBuf) -> MicroRequest {
    MicroRequest {
        input,
        level: Level::PROVINCE,
        classification: "kosis_grdp".into(),
        input_classification: None,
        industry_depth: 2,
        engine: Engine::Embedded,
        check_duplicates: true,
    }
}

fn close(got: Option<f64>, want: f64) {
    let got = got.expect("a value");
    assert!((got - want).abs() < 1e-14, "{got} ≠ {want}");
}

#[test]
fn ellison_glaeser_by_hand() {
    let eg = ellison_glaeser(&request(hand_case()), &|_, _| {}).unwrap();
    assert_eq!(eg.rows.len(), 2);
    // x = (0.6, 0.4): 60 of 100 employees in Seoul; 1 − Σx² = 0.48.
    // C: shares (2/3, 1/3), G = 2/225; H = (10² + 30² + 20²) / 60² = 7/18;
    // γ = (G − 0.48 H) / (0.48 (1 − H)) = (−8/45) / (22/75) = −20/33; H = 0: G / 0.48 = 1/54.
    let c = &eg.rows[0];
    assert_eq!(
        (c.industry.as_str(), c.establishments, c.employees),
        ("C", 3, 60)
    );
    close(c.plant_herfindahl, 7.0 / 18.0);
    close(c.raw_concentration, 2.0 / 225.0);
    close(c.ellison_glaeser, -20.0 / 33.0);
    close(c.ellison_glaeser_h0, 1.0 / 54.0);
    // J: shares (1/2, 1/2), G = 0.02; H = (20² + 10² + 10²) / 40² = 3/8;
    // γ = (0.02 − 0.18) / 0.3 = −8/15; H = 0: 0.02 / 0.48 = 1/24.
    let j = &eg.rows[1];
    assert_eq!(
        (j.industry.as_str(), j.establishments, j.employees),
        ("J", 3, 40)
    );
    close(j.plant_herfindahl, 3.0 / 8.0);
    close(j.ellison_glaeser, -8.0 / 15.0);
    close(j.ellison_glaeser_h0, 1.0 / 24.0);
}

#[test]
fn coagglomeration_by_hand() {
    let c = coagglomeration(&request(hand_case()), &[], &|_, _| {}).unwrap();
    // The pair is all employment, so its shares are x and G = 0; w = (0.6, 0.4),
    // Σ w² G_j = 0.36 · 2/225 + 0.16 · 0.02 = 0.0064;
    // γᶜ = (0 − 0.0064) / 0.48 / (1 − 0.52) = −1/36, whatever the plant Herfindahls.
    assert_eq!(c.rows.len(), 1);
    assert_eq!(
        (c.rows[0].industry_a.as_str(), c.rows[0].industry_b.as_str()),
        ("C", "J")
    );
    close(c.rows[0].coagglomeration, -1.0 / 36.0);
    let e = coagglomeration(
        &request(hand_case()),
        &["C".into(), "Q".into(), "X9".into()],
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--industries") && e.contains("X9"), "{e}");
}

#[test]
fn size_distribution_by_hand() {
    let s = sizes(&request(hand_case()), SizeBy::Industry, &|_, _| {}).unwrap();
    let of = |industry: &str, class: &str| {
        s.rows
            .iter()
            .find(|r| r.industry.as_deref() == Some(industry) && r.size_class == class)
            .map(|r| (r.establishments, r.employees, r.establishment_share))
            .unwrap()
    };
    // C: 10 → 10-19; 30 and 20 → 20-49. J: 10 and 10 → 10-19; 20 → 20-49.
    assert_eq!(of("C", "10-19"), (1, 10, 1.0 / 3.0));
    assert_eq!(of("C", "20-49"), (2, 50, 2.0 / 3.0));
    assert_eq!(of("J", "10-19"), (2, 20, 2.0 / 3.0));
    assert_eq!(of("J", "1000+"), (0, 0, 0.0));
    // Ten classes for each of the two industries.
    assert_eq!(s.rows.len(), 20);
    let by_region = sizes(&request(hand_case()), SizeBy::Region, &|_, _| {}).unwrap();
    let seoul: Vec<_> = by_region
        .rows
        .iter()
        .filter(|r| r.region.as_deref() == Some("11") && r.establishments > 0)
        .map(|r| (r.size_class.as_str(), r.establishments))
        .collect();
    assert_eq!(seoul, [("10-19", 1), ("20-49", 2)]);
}

/// The micro versions against the regional-panel ones, where the formulas coincide: the
/// panel is stored with `--store-as` and read back by `regis specialise --view industries`
/// (Ellison-Glaeser with H = 0) and by the panel coagglomeration (H_j = 0, which cancels for
/// a pair).
#[test]
fn micro_and_panel_versions_agree_where_the_formulas_coincide() {
    use regis_app::matrix::IndustryChoice;
    use regis_app::micro::{aggregate_and_store, generate, GenerateRequest};
    use regis_app::source::{Source, Sources};
    use regis_app::specialise::{specialise, SpecialiseRequest, SpecialiseView};
    use regis_app::table::Tabular;
    let d = std::env::temp_dir().join(format!("regis-micro-agree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let file = d.join("e.parquet");
    generate(&GenerateRequest {
        rows: 200_000,
        seed: 3,
        periods: 2,
        start_period: 2019,
        out: file.clone(),
    })
    .unwrap();
    let q = request(file);
    let store = d.join("store");
    let a = aggregate_and_store(&q, Some((&store, "micro")), &|_, _| {}).unwrap();
    assert!(a.stored.as_deref().unwrap().contains("micro_employees"));
    let eg = ellison_glaeser(&q, &|_, _| {}).unwrap();
    let report = specialise(
        &Sources::with_store(&store),
        &SpecialiseRequest {
            source: Source {
                measure: Some("micro_employees".into()),
                ..Source::default()
            },
            level: Level::PROVINCE,
            period: Some(2020),
            choice: IndustryChoice {
                industries: Vec::new(),
                industry_depth: Some(2),
                missing_as_zero: false,
            },
            threshold: 1.0,
            view: SpecialiseView::Industries,
            lang: regis_app::Lang::En,
        },
    )
    .unwrap();
    let t = report.table();
    let mut compared = 0;
    for row in eg.rows.iter().filter(|r| r.period == 2020) {
        let k = (0..t.rows.len())
            .find(|&k| t.text(k, "industry") == Some(row.industry.as_str()))
            .unwrap_or_else(|| panic!("{} not in the panel report", row.industry));
        let panel = t.number(k, "ellison_glaeser_h0").unwrap();
        let micro = row.ellison_glaeser_h0.unwrap();
        assert!(
            (panel - micro).abs() <= 1e-12 * micro.abs().max(1e-3),
            "{row:?}: {panel}"
        );
        // With the plant Herfindahl, γ is lower: H > 0 takes out the lumpiness of plants.
        assert!(row.ellison_glaeser.unwrap() < micro, "{row:?}");
        compared += 1;
    }
    assert!(compared >= 10, "{compared}");
    // Coagglomeration: the panel version (H_j = 0) from the stored employees.
    let c = coagglomeration(&q, &[], &|_, _| {}).unwrap();
    let a2020: Vec<_> = a.rows.iter().filter(|r| r.period == 2020).collect();
    let regions: Vec<&str> = {
        let mut r: Vec<&str> = a2020.iter().map(|r| r.region.as_str()).collect();
        r.sort();
        r.dedup();
        r
    };
    let employees = |industry: &str| -> Vec<f64> {
        regions
            .iter()
            .map(|reg| {
                a2020
                    .iter()
                    .filter(|r| r.region == *reg && r.industry == industry)
                    .map(|r| r.employees as f64)
                    .sum()
            })
            .collect()
    };
    let totals: Vec<f64> = regions
        .iter()
        .map(|reg| {
            a2020
                .iter()
                .filter(|r| r.region == *reg)
                .map(|r| r.employees as f64)
                .sum()
        })
        .collect();
    let all: f64 = totals.iter().sum();
    let x: Vec<f64> = totals.iter().map(|t| t / all).collect();
    let mut pairs = 0;
    for row in c.rows.iter().filter(|r| r.period == 2020).take(40) {
        let panel = regis_methods::specialisation::ellison_glaeser_coagglomeration(
            &[employees(&row.industry_a), employees(&row.industry_b)],
            &x,
            &[0.0, 0.0],
        )
        .unwrap();
        let micro = row.coagglomeration.unwrap();
        assert!(
            (panel - micro).abs() <= 1e-12 * micro.abs().max(1e-3),
            "{row:?}: {panel}"
        );
        pairs += 1;
    }
    assert_eq!(pairs, 40);
    std::fs::remove_dir_all(&d).unwrap();
}

/// Ellison-Glaeser from micro data against REAT's `ellison.a2` (plant-level employment, the
/// plant Herfindahl from the plants) on 8,000 SYNTHETIC establishments calibrated to the
/// built-in Korean data, read from CSV (the fixture and its script:
/// tests/peers/make_micro_ellison_glaeser_fixture.R). γ, G and H agree for every industry and
/// period; where REAT's γ is undefined (one plant: H = 1) so is Regis's.
#[test]
fn ellison_glaeser_agrees_with_reat() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fixture: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("micro_ellison_glaeser_reat.json")).unwrap(),
    )
    .unwrap();
    let eg = ellison_glaeser(
        &request(root.join("micro_establishments_synthetic.csv")),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(eg.rows_read, 8000);
    let want = fixture["rows"].as_array().unwrap();
    assert_eq!(eg.rows.len(), want.len());
    let worst = std::cell::Cell::new(0.0f64);
    let near = |got: Option<f64>, want: &serde_json::Value, what: &str| match want.as_f64() {
        Some(w) => {
            let g = got.unwrap_or_else(|| panic!("{what}: none, REAT {w}"));
            let relative = (g - w).abs() / w.abs().max(1e-3);
            assert!(relative <= 1e-12, "{what}: {g} ≠ {w}");
            worst.set(worst.get().max(relative));
        }
        None => assert!(got.is_none(), "{what}: {got:?}, REAT undefined"),
    };
    for w in want {
        let (industry, period) = (
            w["industry"].as_str().unwrap(),
            w["period"].as_i64().unwrap(),
        );
        let got = eg
            .rows
            .iter()
            .find(|r| r.industry == industry && i64::from(r.period) == period)
            .unwrap_or_else(|| panic!("{industry} {period} missing"));
        let what = format!("{industry} {period}");
        assert_eq!(
            Some(got.establishments),
            w["establishments"].as_u64(),
            "{what}"
        );
        near(got.ellison_glaeser, &w["gamma"], &format!("{what} γ"));
        near(
            got.raw_concentration,
            &w["raw_concentration"],
            &format!("{what} G"),
        );
        near(
            got.plant_herfindahl,
            &w["plant_herfindahl"],
            &format!("{what} H"),
        );
    }
    eprintln!(
        "{} industry-periods agree with REAT to {:.1e} relative",
        want.len(),
        worst.get()
    );
}
