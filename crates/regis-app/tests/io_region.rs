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
    })
    .unwrap_err()
    .to_string();
    assert!(sejong.contains("no GRDP by activity"), "{sejong}");
}
