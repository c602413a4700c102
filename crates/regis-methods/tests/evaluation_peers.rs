//! Callaway & Sant'Anna on `mpdta` against the PyPI peer `csdid` (a port of R `did`): every
//! ATT(g,t) to 1e-8 and its analytic standard error to 1e-6, the four aggregations likewise,
//! for never-treated and not-yet-treated controls; and the published aggregations of the
//! paper's example (simple -0.0400, dynamic -0.0772, group -0.0310, calendar -0.0417).
//! Fixture: tests/peers/make_evaluation_fixtures.py.

use regis_methods::evaluation::{
    aggregate, callaway_santanna, Aggregation, ControlGroup, CovariateEstimator, Covariates,
    CsOptions, CsResult, StaggeredPanel,
};
use serde_json::Value;

fn mpdta(control: ControlGroup) -> CsResult {
    mpdta_with(control, None)
}

/// mpdta, with the covariate lpop when an estimator is given.
fn mpdta_with(control: ControlGroup, estimator: Option<CovariateEstimator>) -> CsResult {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mpdta.csv"
    ))
    .unwrap();
    let mut rows: Vec<(i64, i32, f64, i32, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].parse().unwrap(),
                f[0].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    let periods: Vec<i32> = (2003..=2007).collect();
    let outcome: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let first_treated: Vec<Option<i32>> = rows
        .chunks(5)
        .map(|c| (c[0].3 != 0).then_some(c[0].3))
        .collect();
    assert_eq!(first_treated.len(), 500);
    let lpop: Vec<f64> = rows.iter().map(|r| r.4).collect();
    callaway_santanna(
        &StaggeredPanel {
            outcome: &outcome,
            periods: &periods,
            first_treated: &first_treated,
            covariates: estimator.map(|_| Covariates {
                values: &lpop,
                count: 1,
            }),
        },
        &CsOptions {
            control,
            estimator: estimator.unwrap_or_default(),
            ..CsOptions::default()
        },
    )
    .unwrap()
}

fn close(what: &str, ours: f64, peer: &Value, tol: f64) {
    let p = peer.as_f64().unwrap();
    assert!((ours - p).abs() <= tol, "{what}: {ours} vs csdid {p}");
}

#[test]
fn att_gt_and_aggregations_agree_with_csdid_on_mpdta() {
    agree_with_csdid("runs", 1e-8, 1e-6);
}

/// With the covariate lpop, by the doubly robust, inverse probability and outcome regression
/// 2x2 (Sant'Anna & Zhao 2020). The logit is fitted by Newton steps to 1e-13 here and by
/// statsmodels' IRLS (deviance tolerance 1e-8) in the peer.
#[test]
fn covariate_adjusted_att_gt_agree_with_csdid_on_mpdta() {
    agree_with_csdid("covariate_runs", 1e-8, 1e-6);
}

fn agree_with_csdid(runs: &str, tol_att: f64, tol_se: f64) {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/evaluation_peers.json")).unwrap();
    let runs = fixture[runs].as_array().unwrap();
    assert!(!runs.is_empty());
    for run in runs {
        let control = match run["control_group"].as_str().unwrap() {
            "nevertreated" => ControlGroup::NeverTreated,
            _ => ControlGroup::NotYetTreated,
        };
        let estimator = match (run["xformla"].as_str(), run["est_method"].as_str()) {
            (None, _) => None,
            (Some(_), Some("dr")) => Some(CovariateEstimator::DoublyRobust),
            (Some(_), Some("ipw")) => Some(CovariateEstimator::InverseProbability),
            (Some(_), Some("reg")) => Some(CovariateEstimator::OutcomeRegression),
            other => panic!("unknown run {other:?}"),
        };
        let control = (control, estimator);
        let r = mpdta_with(control.0, estimator);
        let peer = run["att_gt"].as_array().unwrap();
        assert_eq!(
            r.att_gt.len(),
            peer.len(),
            "{control:?}: number of ATT(g,t)"
        );
        for (ours, p) in r.att_gt.iter().zip(peer) {
            assert_eq!(ours.group as i64, p["group"].as_i64().unwrap());
            assert_eq!(ours.period as i64, p["period"].as_i64().unwrap());
            let cell = format!("{control:?} ATT({}, {})", ours.group, ours.period);
            close(&cell, ours.att, &p["att"], tol_att);
            close(
                &format!("{cell} s.e."),
                ours.std_error,
                &p["std_error"],
                tol_se,
            );
        }
        for (name, how) in [
            ("simple", Aggregation::Simple),
            ("dynamic", Aggregation::Dynamic),
            ("group", Aggregation::Group),
            ("calendar", Aggregation::Calendar),
        ] {
            let a = aggregate(&r, how);
            let p = &run["aggregations"][name];
            close(&format!("{control:?} {name}"), a.att, &p["att"], tol_att);
            close(
                &format!("{control:?} {name} s.e."),
                a.std_error,
                &p["std_error"],
                tol_se,
            );
            if let Some(by) = p["by"].as_array() {
                assert_eq!(a.by.len(), by.len(), "{control:?} {name}: keys");
                for ((k, att, se), q) in a.by.iter().zip(by) {
                    assert_eq!(*k as i64, q["key"].as_i64().unwrap(), "{name}");
                    close(&format!("{control:?} {name} {k}"), *att, &q["att"], tol_att);
                    close(
                        &format!("{control:?} {name} {k} s.e."),
                        *se,
                        &q["std_error"],
                        tol_se,
                    );
                }
            }
        }
    }
}

#[test]
fn the_papers_published_aggregations() {
    let r = mpdta(ControlGroup::NeverTreated);
    for (how, published) in [
        (Aggregation::Simple, -0.0400),
        (Aggregation::Dynamic, -0.0772),
        (Aggregation::Group, -0.0310),
        (Aggregation::Calendar, -0.0417),
    ] {
        let att = aggregate(&r, how).att;
        assert!(
            (att - published).abs() < 5e-5,
            "{how:?}: {att} vs {published}"
        );
    }
}

#[test]
fn att_gt_without_covariates_is_the_two_by_two_did_of_cohort_means() {
    let r = mpdta(ControlGroup::NeverTreated);
    // ATT(2006, 2007): cohort 2006 against the never treated, 2007 minus 2005.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mpdta.csv"
    ))
    .unwrap();
    let mean = |cohort: i32, year: i32| {
        let v: Vec<f64> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| {
                f[4].parse::<i32>().unwrap() == cohort && f[0].parse::<i32>().unwrap() == year
            })
            .map(|f| f[3].parse().unwrap())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let did = (mean(2006, 2007) - mean(2006, 2005)) - (mean(0, 2007) - mean(0, 2005));
    let cell = r
        .att_gt
        .iter()
        .find(|c| c.group == 2006 && c.period == 2007)
        .unwrap();
    assert!((cell.att - did).abs() < 1e-12, "{} vs {did}", cell.att);
}

fn mpdta_did() -> (Vec<f64>, Vec<Option<i32>>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mpdta.csv"
    ))
    .unwrap();
    let mut rows: Vec<(i64, i32, f64, i32, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].parse().unwrap(),
                f[0].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    let outcome = rows.iter().map(|r| r.2).collect();
    let first = rows
        .chunks(5)
        .map(|c| (c[0].3 != 0).then_some(c[0].3))
        .collect();
    (outcome, first)
}

/// Static TWFE and the event study against statsmodels (unit and year dummies, CR1 clustered
/// by county) on mpdta: estimates to 1e-8, standard errors and the pre-trend Wald test to 1e-6.
#[test]
fn twfe_and_event_study_agree_with_statsmodels_on_mpdta() {
    use regis_methods::evaluation::did::{event_study, twfe, DidPanel};
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/evaluation_peers.json")).unwrap();
    let peer = &fixture["twfe"];
    let (outcome, first) = mpdta_did();
    let periods: Vec<i32> = (2003..=2007).collect();
    let p = DidPanel {
        outcome: &outcome,
        periods: &periods,
        first_treated: &first,
    };
    let s = twfe(&p).unwrap();
    close(
        "TWFE",
        s.coefficients[0].estimate,
        &peer["static"]["att"],
        1e-8,
    );
    close(
        "TWFE s.e.",
        s.coefficients[0].std_error,
        &peer["static"]["std_error"],
        1e-6,
    );
    let es = event_study(&p).unwrap();
    let rows = peer["event_study"].as_array().unwrap();
    assert_eq!(es.coefficients.len(), rows.len());
    for ((e, c), q) in es.coefficients.iter().zip(rows) {
        assert_eq!(*e as i64, q["event"].as_i64().unwrap());
        close(&format!("event {e}"), c.estimate, &q["estimate"], 1e-8);
        close(
            &format!("event {e} s.e."),
            c.std_error,
            &q["std_error"],
            1e-6,
        );
    }
    assert_eq!(
        es.pre_trend_df as i64,
        peer["pre_trend_df"].as_i64().unwrap()
    );
    close(
        "Wald",
        es.pre_trend_wald.unwrap(),
        &peer["pre_trend_wald"],
        1e-6,
    );
    close(
        "Wald p",
        es.pre_trend_p.unwrap(),
        &peer["pre_trend_p"],
        1e-6,
    );
}

/// The Goodman-Bacon decomposition on mpdta: the weights sum to 1 and the weighted 2×2
/// estimates give statsmodels' TWFE estimate (Theorem 1), to 1e-10.
#[test]
fn goodman_bacon_decomposition_adds_up_to_the_twfe_estimate() {
    use regis_methods::evaluation::did::{goodman_bacon, DidPanel};
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/evaluation_peers.json")).unwrap();
    let (outcome, first) = mpdta_did();
    let periods: Vec<i32> = (2003..=2007).collect();
    let terms = goodman_bacon(&DidPanel {
        outcome: &outcome,
        periods: &periods,
        first_treated: &first,
    })
    .unwrap();
    // 3 timing groups and the never treated: 3 + 2·3 comparisons.
    assert_eq!(terms.len(), 9);
    let weights: f64 = terms.iter().map(|t| t.weight).sum();
    assert!((weights - 1.0).abs() < 1e-10, "weights sum to {weights}");
    let sum: f64 = terms.iter().map(|t| t.weight * t.estimate).sum();
    close("Σ w·β", sum, &fixture["twfe"]["static"]["att"], 1e-10);
    assert!(terms.iter().all(|t| t.weight >= 0.0));
}

/// The multiplier bootstrap against csdid's (both 20,000 Rademacher draws, different
/// streams): the bootstrap standard errors within 5% (their Monte Carlo error is about 1%) and
/// the uniform band's critical value within 0.1 (about four Monte Carlo standard errors), over
/// every ATT(g,t) and over the event-study aggregation.
#[test]
fn multiplier_bootstrap_agrees_with_csdid_within_monte_carlo_error() {
    use regis_methods::evaluation::uniform_band;
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/evaluation_peers.json")).unwrap();
    let peer = &fixture["bootstrap"];
    let r = mpdta(ControlGroup::NeverTreated);
    for (how, ses, crit) in [
        (None, "att_gt_std_errors", "att_gt_critical_value"),
        (
            Some(Aggregation::Dynamic),
            "dynamic_std_errors",
            "dynamic_critical_value",
        ),
    ] {
        let band = uniform_band(&r, how, 20_000, 99, 0.05);
        let theirs: Vec<f64> = peer[ses]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(band.std_errors.len(), theirs.len(), "{how:?}");
        for (a, b) in band.std_errors.iter().zip(&theirs) {
            assert!((a / b - 1.0).abs() < 0.05, "{how:?} s.e. {a} vs csdid {b}");
        }
        let c = peer[crit].as_f64().unwrap();
        assert!(
            (band.critical_value - c).abs() < 0.1,
            "{how:?} critical value {} vs csdid {c}",
            band.critical_value
        );
        // The uniform band is wider than the pointwise one.
        assert!(band.critical_value > 1.96);
    }
}
