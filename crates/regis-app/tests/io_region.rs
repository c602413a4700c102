//! `regis io regionalise`: the FLQ calibration against the Bank of Korea's survey-based
//! regional multipliers agrees with an independent numpy computation
//! (`tests/peers/make_flq_calibration_fixture.py`), and the regionalised multipliers keep the
//! invariants of location-quotient methods.

use regis_app::io_region::{calibrate, quotient, regionalise, IoSource, RegionaliseRequest};
use regis_methods::io_regional::Quotient;

fn fixture() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/flq_calibration.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn flq_calibration_agrees_with_numpy_and_finds_an_interior_delta() {
    let f = fixture();
    let r = calibrate().unwrap();
    let want = f["provinces"].as_object().unwrap();
    assert_eq!(
        r.provinces.len(),
        want.len(),
        "16 provinces with GRDP (not Sejong)"
    );
    for p in &r.provinces {
        let code = p.region.rsplit('(').next().unwrap().trim_end_matches(')');
        let w = &want[code];
        assert_eq!(p.sectors as u64, w["sectors"].as_u64().unwrap(), "{code}");
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        assert!(
            close(p.mape_slq, w["mape_slq"].as_f64().unwrap()),
            "{code} SLQ"
        );
        for (k, e) in p.mape_by_delta.iter().enumerate() {
            let b = w["mape_by_delta"][k].as_f64().unwrap();
            assert!(close(*e, b), "{code} δ {}: {e} vs {b}", r.deltas[k]);
        }
        assert_eq!(
            p.mape_at_best,
            p.mape_by_delta
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
        );
    }
    // The strategy's regionalisation uses this calibration's pooled δ.
    assert_eq!(r.pooled_best_delta, regis_app::io_chain::KOREA_DELTA);
    // The pooled optimum lies inside the grid: FLQ with some δ beats CILQ (δ = 0) everywhere.
    assert!(r.pooled_best_delta > 0.0 && r.pooled_best_delta < 0.9);
    assert!(r.best_delta_min <= r.best_delta_median && r.best_delta_median <= r.best_delta_max);
    for p in &r.provinces {
        assert!(p.mape_at_best < p.mape_by_delta[0], "{}", p.region);
    }
}

fn ulsan(q: Quotient) -> regis_app::io_region::RegionaliseReport {
    regionalise(&RegionaliseRequest {
        source: IoSource::Builtin,
        region: "울산".into(),
        quotient: q,
        balance: false,
    })
    .unwrap()
}

#[test]
fn regional_multipliers_stay_below_national_and_fall_as_delta_rises() {
    let r = ulsan(Quotient::Flq(0.3));
    assert_eq!(r.region, "울산광역시 (26)");
    assert_eq!(r.sectors.len(), 83);
    for s in &r.sectors {
        assert!(s.output_multiplier >= 1.0);
        assert!(
            s.output_multiplier <= s.national_output_multiplier + 1e-12,
            "{}",
            s.sector
        );
    }
    // Chemicals (C4) are Ulsan's speciality: LQ 4.0 for every sector of the activity.
    let chem = r.sectors.iter().find(|s| s.sector == "17").unwrap();
    assert!(
        (chem.location_quotient - 4.0).abs() < 0.01,
        "{}",
        chem.location_quotient
    );
    assert!(chem.survey_output_multiplier.is_some());
    for w in r.sensitivity.windows(2) {
        assert!(w[1].mean_output_multiplier <= w[0].mean_output_multiplier + 1e-12);
    }
    // δ = 0 is CILQ.
    let (flq0, cilq) = (ulsan(Quotient::Flq(0.0)), ulsan(Quotient::Cilq));
    for (a, b) in flq0.sectors.iter().zip(&cilq.sectors) {
        assert!((a.output_multiplier - b.output_multiplier).abs() < 1e-12);
    }
    // Employment per billion KRW, in BoK's range (0.26 to 162.8 persons for its multipliers).
    let jobs = r.sectors[0].employment_effect.unwrap();
    assert!(jobs > 1.0 && jobs < 200.0, "{jobs}");
}

#[test]
fn bad_regionalisation_requests_are_refused_with_the_next_step() {
    assert!(quotient("flq", 1.2)
        .unwrap_err()
        .to_string()
        .contains("[0, 1)"));
    assert!(quotient("lq", 0.3)
        .unwrap_err()
        .to_string()
        .contains("flq, aflq"));
    let sejong = regionalise(&RegionaliseRequest {
        source: IoSource::Builtin,
        region: "세종".into(),
        quotient: Quotient::Flq(0.3),
        balance: false,
    })
    .unwrap_err()
    .to_string();
    assert!(sejong.contains("no GRDP by activity"), "{sejong}");
}

#[test]
fn a_region_given_as_files_is_regionalised_and_balanced_to_its_margins() {
    use regis_app::io::MultipliersRequest;
    let dir = std::env::temp_dir().join(format!("regis-io-region-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Miller & Blair's two sectors; a region with 10% and 30% of the nation's output, whose
    // intermediate sales and purchases are known (and add up to the same 130).
    std::fs::write(dir.join("flows.csv"), "sector,1,2\n1,150,500\n2,200,100\n").unwrap();
    std::fs::write(
        dir.join("sectors.csv"),
        "sector,output,regional,intermediate_sales,intermediate_inputs\n1,1000,100,70,30\n2,2000,600,60,100\n",
    )
    .unwrap();
    let files = MultipliersRequest::new(
        dir.join("flows.csv"),
        dir.join("sectors.csv"),
        None,
        None,
        None,
        &[],
    )
    .unwrap();
    let ask = |balance: bool| {
        regionalise(&RegionaliseRequest {
            source: IoSource::Files {
                request: Box::new(files.clone()),
                by_employment: false,
            },
            region: "test region".into(),
            quotient: Quotient::Flq(0.3),
            balance,
        })
    };
    let plain = ask(false).unwrap();
    let balanced = ask(true).unwrap();
    assert_eq!(balanced.region, "test region");
    assert!(balanced.notes.iter().any(|n| n.contains("GRAS")));
    // RAS by hand (numpy, alternating row and column scaling to convergence) gives the
    // balanced flows [[6.8641, 63.1359], [23.1359, 36.8641]] and output multipliers
    // 1.376714 and 1.219812.
    for (b, want) in balanced.sectors.iter().zip([1.37671353, 1.21981221]) {
        assert!(
            (b.output_multiplier - want).abs() < 1e-7,
            "{}",
            b.output_multiplier
        );
    }
    assert!((plain.sectors[0].output_multiplier - 1.37671353).abs() > 1e-3);
    // Without margins, --balance is refused with what is missing.
    std::fs::write(
        dir.join("bare.csv"),
        "sector,output,regional\n1,1000,100\n2,2000,600\n",
    )
    .unwrap();
    let e = regionalise(&RegionaliseRequest {
        source: IoSource::Files {
            request: Box::new(MultipliersRequest {
                flows: dir.join("flows.csv"),
                sectors: dir.join("bare.csv"),
                ..Default::default()
            }),
            by_employment: false,
        },
        region: "r".into(),
        quotient: Quotient::Flq(0.3),
        balance: true,
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("intermediate_sales"), "{e}");
}
