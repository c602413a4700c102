//! Properties of the evaluation estimators that hold on any data: permuting units permutes
//! results, weights lie on the simplex, an effect planted in simulated panels is covered by
//! the 95% interval at about the nominal rate (seeded, fixed replications), and degenerate
//! inputs give diagnostics or errors, never panics.

use regis_methods::evaluation::did::{twfe, DidPanel};
use regis_methods::evaluation::sdid::{
    bootstrap_standard_errors, jackknife_standard_errors, placebo_standard_errors, synthetic_did,
    BlockPanel,
};
use regis_methods::evaluation::synthetic::{synthetic_control, SynthPanel};
use regis_methods::evaluation::{
    aggregate, callaway_santanna, Aggregation, ControlGroup, CovariateEstimator, Covariates,
    CsOptions, StaggeredPanel,
};
use regis_methods::random::Rng;

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Rng) -> f64 {
    let u = rng.uniform().max(1e-300);
    let v = rng.uniform();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// A staggered panel: unit and period effects, noise, cohorts 4 and 6 (of periods 1-8) and
/// never-treated units, and an effect `effect` on the treated from their first period on.
/// Returns (outcome unit-major, first treated, a covariate that shifts the trend).
fn staggered(units: usize, effect: f64, rng: &mut Rng) -> (Vec<f64>, Vec<Option<i32>>, Vec<f64>) {
    let periods = 8;
    let mut y = Vec::with_capacity(units * periods);
    let mut first = Vec::with_capacity(units);
    let mut x = Vec::with_capacity(units * periods);
    for _ in 0..units {
        let g = match rng.below(3) {
            0 => None,
            1 => Some(4),
            _ => Some(6),
        };
        let alpha = normal(rng);
        let xi = normal(rng);
        for t in 1..=periods as i32 {
            let treated = g.is_some_and(|g| t >= g);
            y.push(
                alpha
                    + 0.3 * t as f64
                    + 0.2 * xi * t as f64
                    + if treated { effect } else { 0.0 }
                    + normal(rng),
            );
            x.push(xi);
        }
        first.push(g);
    }
    (y, first, x)
}

const PERIODS: [i32; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn a_planted_effect_is_covered_at_about_the_nominal_rate() {
    let mut rng = Rng::seeded(2021);
    let replications = 200;
    let (mut cs_hits, mut dr_hits, mut twfe_hits) = (0, 0, 0);
    for _ in 0..replications {
        let (y, first, x) = staggered(300, 1.0, &mut rng);
        let panel = StaggeredPanel {
            outcome: &y,
            periods: &PERIODS,
            first_treated: &first,
            covariates: None,
        };
        let r = callaway_santanna(&panel, &CsOptions::default()).unwrap();
        let a = aggregate(&r, Aggregation::Simple);
        if (a.att - 1.0).abs() <= 1.959_964 * a.std_error {
            cs_hits += 1;
        }
        // With the covariate that drives the trends: doubly robust.
        let with_x = StaggeredPanel {
            covariates: Some(Covariates {
                values: &x,
                count: 1,
            }),
            ..panel
        };
        let r = callaway_santanna(
            &with_x,
            &CsOptions {
                estimator: CovariateEstimator::DoublyRobust,
                ..CsOptions::default()
            },
        )
        .unwrap();
        let a = aggregate(&r, Aggregation::Simple);
        if (a.att - 1.0).abs() <= 1.959_964 * a.std_error {
            dr_hits += 1;
        }
        let s = twfe(&DidPanel {
            outcome: &y,
            periods: &PERIODS,
            first_treated: &first,
        })
        .unwrap();
        let c = &s.coefficients[0];
        if (c.estimate - 1.0).abs() <= 1.959_964 * c.std_error {
            twfe_hits += 1;
        }
    }
    // 200 draws of a 95% interval: the count of hits has standard deviation about 3.1, so
    // 180 to 199 (about ±5 standard deviations) is the nominal rate; a wrong standard error
    // (halved, or the influence of the weights left out) falls far outside.
    eprintln!("covered: cs {cs_hits} dr {dr_hits} twfe {twfe_hits}");
    for (what, hits) in [("cs", cs_hits), ("cs dr", dr_hits), ("twfe", twfe_hits)] {
        assert!((178..=199).contains(&hits), "{what}: {hits} of 200 covered");
    }
}

#[test]
fn permuting_units_permutes_results() {
    let mut rng = Rng::seeded(7);
    let (y, first, x) = staggered(120, 0.5, &mut rng);
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..120).collect();
        rng.shuffle(&mut o);
        o
    };
    let py: Vec<f64> = order
        .iter()
        .flat_map(|&u| y[u * 8..u * 8 + 8].to_vec())
        .collect();
    let px: Vec<f64> = order
        .iter()
        .flat_map(|&u| x[u * 8..u * 8 + 8].to_vec())
        .collect();
    let pf: Vec<Option<i32>> = order.iter().map(|&u| first[u]).collect();
    for estimator in [
        CovariateEstimator::DoublyRobust,
        CovariateEstimator::InverseProbability,
        CovariateEstimator::OutcomeRegression,
    ] {
        let run = |y: &[f64], f: &[Option<i32>], x: &[f64]| {
            callaway_santanna(
                &StaggeredPanel {
                    outcome: y,
                    periods: &PERIODS,
                    first_treated: f,
                    covariates: Some(Covariates {
                        values: x,
                        count: 1,
                    }),
                },
                &CsOptions {
                    control: ControlGroup::NotYetTreated,
                    estimator,
                    ..CsOptions::default()
                },
            )
            .unwrap()
        };
        let (a, b) = (run(&y, &first, &x), run(&py, &pf, &px));
        for (p, q) in a.att_gt.iter().zip(&b.att_gt) {
            assert!((p.att - q.att).abs() < 1e-10 && (p.std_error - q.std_error).abs() < 1e-10);
        }
    }
    // SDID: the controls' weights follow their units.
    let (t_all, pre) = (8, 5);
    let treated: Vec<bool> = (0..120).map(|u| u < 3).collect();
    let r = synthetic_did(&BlockPanel {
        y: &y,
        periods: t_all,
        treated: &treated,
        pre,
    })
    .unwrap();
    let pt: Vec<bool> = order.iter().map(|&u| treated[u]).collect();
    let q = synthetic_did(&BlockPanel {
        y: &py,
        periods: t_all,
        treated: &pt,
        pre,
    })
    .unwrap();
    assert!((r.did - q.did).abs() < 1e-10);
    // Frank-Wolfe's path depends on the column order only through ties; the optimum doesn't.
    assert!((r.sdid - q.sdid).abs() < 1e-3, "{} {}", r.sdid, q.sdid);
    for (k, &u) in q.controls.iter().enumerate() {
        let original = order[u];
        let j = r.controls.iter().position(|c| *c == original).unwrap();
        assert!((q.omega[k] - r.omega[j]).abs() < 1e-3);
    }
}

#[test]
fn weights_lie_on_the_simplex() {
    let mut rng = Rng::seeded(11);
    for _ in 0..5 {
        let (y, _, _) = staggered(25, 2.0, &mut rng);
        let treated: Vec<bool> = (0..25).map(|u| u < 2).collect();
        let r = synthetic_did(&BlockPanel {
            y: &y,
            periods: 8,
            treated: &treated,
            pre: 5,
        })
        .unwrap();
        for w in [&r.omega, &r.lambda, &r.omega_sc] {
            assert!(w.iter().all(|v| *v >= 0.0));
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        // Synthetic control: outcome period-major, predictors the pre-period outcomes.
        let n = 25;
        let outcome: Vec<f64> = (0..8)
            .flat_map(|t| (0..n).map(move |u| (u, t)))
            .map(|(u, t)| y[u * 8 + t])
            .collect();
        let predictors = outcome[..5 * n].to_vec();
        let s = synthetic_control(
            &SynthPanel {
                predictors: &predictors,
                outcome: &outcome,
                units: n,
                fit: &[0, 1, 2, 3, 4],
                pre: &[0, 1, 2, 3, 4],
                post: &[5, 6, 7],
            },
            0,
            false,
            0,
            3,
        )
        .unwrap();
        let w = &s.treated.fit.w;
        assert!(w.iter().all(|v| *v >= 0.0));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}

#[test]
fn degenerate_inputs_give_diagnostics_not_panics() {
    let mut rng = Rng::seeded(3);
    let (y, first, _) = staggered(60, 1.0, &mut rng);
    // No never-treated unit: refused with never-treated controls, estimated with not-yet.
    let no_never: Vec<Option<i32>> = first.iter().map(|g| g.or(Some(6))).collect();
    let panel = StaggeredPanel {
        outcome: &y,
        periods: &PERIODS,
        first_treated: &no_never,
        covariates: None,
    };
    assert!(callaway_santanna(&panel, &CsOptions::default()).is_err());
    let r = callaway_santanna(
        &panel,
        &CsOptions {
            control: ControlGroup::NotYetTreated,
            ..CsOptions::default()
        },
    )
    .unwrap();
    assert!(r.att_gt.iter().any(|c| c.group == 4 && c.period < 6));
    assert!(!r.skipped.is_empty(), "cells without controls are named");
    // A cohort treated in the first period: left out and counted.
    let mut early = first.clone();
    early[0] = Some(1);
    early[1] = Some(1);
    let r = callaway_santanna(
        &StaggeredPanel {
            first_treated: &early,
            ..panel
        },
        &CsOptions::default(),
    )
    .unwrap();
    assert_eq!(r.dropped_always_treated, 2);
    // A constant outcome: effects 0 with standard error 0.
    let flat = vec![3.0; y.len()];
    let r = callaway_santanna(
        &StaggeredPanel {
            outcome: &flat,
            first_treated: &first,
            ..panel
        },
        &CsOptions::default(),
    )
    .unwrap();
    assert!(r.att_gt.iter().all(|c| c.att == 0.0 && c.std_error == 0.0));
    let treated: Vec<bool> = (0..60).map(|u| u < 2).collect();
    let block = |y: &[f64], t: &[bool]| {
        synthetic_did(&BlockPanel {
            y,
            periods: 8,
            treated: t,
            pre: 5,
        })
        .map(|r| r.sdid)
    };
    let s = block(&flat, &treated).unwrap();
    assert!(s.abs() < 1e-12, "{s}");
    // A donor pool smaller than two.
    let one_control: Vec<bool> = (0..60).map(|u| u != 0).collect();
    assert!(block(&y, &one_control).is_err());
    // An unbalanced panel: SDID refuses, CS leaves the unit out and counts it.
    let mut gap = y.clone();
    gap[10] = f64::NAN;
    assert!(block(&gap, &treated).is_err());
    let r = callaway_santanna(
        &StaggeredPanel {
            outcome: &gap,
            first_treated: &first,
            ..panel
        },
        &CsOptions::default(),
    )
    .unwrap();
    assert_eq!(r.dropped_unbalanced, 1);
    // One treated unit: jackknife and bootstrap refused, placebo standard errors given.
    let single: Vec<bool> = (0..60).map(|u| u == 5).collect();
    let p = BlockPanel {
        y: &y,
        periods: 8,
        treated: &single,
        pre: 5,
    };
    assert!(jackknife_standard_errors(&p).is_err());
    assert!(bootstrap_standard_errors(&p, 20, 1).is_err());
    assert!(placebo_standard_errors(&p, 20, 1).unwrap().0 > 0.0);
}

#[test]
fn jackknife_and_bootstrap_are_of_the_placebo_order() {
    let mut rng = Rng::seeded(5);
    let (y, _, _) = staggered(40, 1.0, &mut rng);
    let treated: Vec<bool> = (0..40).map(|u| u < 6).collect();
    let p = BlockPanel {
        y: &y,
        periods: 8,
        treated: &treated,
        pre: 5,
    };
    let placebo = placebo_standard_errors(&p, 100, 9).unwrap();
    let jack = jackknife_standard_errors(&p).unwrap();
    let boot = bootstrap_standard_errors(&p, 100, 9).unwrap();
    for (a, b, c) in [
        (placebo.0, jack.0, boot.0),
        (placebo.1, jack.1, boot.1),
        (placebo.2, jack.2, boot.2),
    ] {
        // Placebo and bootstrap estimate one standard error: within a factor of two. The
        // fixed-weight jackknife is conservative (Arkhangelsky et al. 2021, section 5): not
        // below half the placebo's, not above three times.
        assert!(
            a > 0.0 && c > 0.0 && a / c < 2.0 && c / a < 2.0,
            "{a} {b} {c}"
        );
        assert!(b > 0.5 * a && b < 3.0 * a, "{a} {b} {c}");
    }
}
