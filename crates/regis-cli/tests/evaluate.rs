//! `regis evaluate cs` end to end: the Callaway & Sant'Anna example (mpdta, the R package
//! `did`'s data) read with the mapping flags gives the paper's published aggregations, and bad
//! treatment input is refused with the file, line and field.

use std::process::Command;

const MPDTA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../regis-methods/tests/fixtures/mpdta.csv"
);

fn regis(args: &[&str]) -> std::process::Output {
    let store = std::env::temp_dir().join(format!("regis-evaluate-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(args)
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap()
}

fn mpdta(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "evaluate",
        "cs",
        "--input",
        MPDTA,
        "--measure",
        "lemp",
        "--region-col",
        "countyreal",
        "--period-col",
        "year",
        "--value-col",
        "lemp",
        "--new-regions",
    ];
    args.extend(extra);
    regis(&args)
}

#[test]
fn mpdta_gives_the_published_aggregations() {
    let out = mpdta(&["--first-treated-col", "first.treat", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let near = |x: &serde_json::Value, y: f64| (x.as_f64().unwrap() - y).abs() < 5e-5;
    assert!(near(&v["att"], -0.0400), "{}", v["att"]);
    assert!(near(&v["aggregations"]["simple"]["att"], -0.0400));
    assert!(near(&v["aggregations"]["dynamic"]["att"], -0.0772));
    assert!(near(&v["aggregations"]["group"]["att"], -0.0310));
    assert!(near(&v["aggregations"]["calendar"]["att"], -0.0417));
    assert!(v["std_error"].as_f64().unwrap() > 0.0);
    let cells = v["att_gt"].as_array().unwrap();
    assert_eq!(cells.len(), 12, "3 cohorts x 4 periods");
    assert!(cells
        .iter()
        .all(|c| c["group"].is_number() && c["period"].is_number() && c["std_error"].is_number()));
    assert_eq!(v["units"], 500);
    // Uniform 95% bands (999 multiplier-bootstrap draws by default): wider than pointwise.
    let c = v["att_gt_critical_value"].as_f64().unwrap();
    assert!(c > 2.3 && c < 3.2, "{c}");
    assert!(cells
        .iter()
        .all(|x| x["band_low"].as_f64().unwrap() < x["att"].as_f64().unwrap()));
    assert!(
        v["aggregations"]["dynamic"]["critical_value"]
            .as_f64()
            .unwrap()
            > 1.96
    );
}

#[test]
fn mpdta_by_two_way_fixed_effects() {
    let out2 = regis(&[
        "evaluate",
        "did",
        "--input",
        MPDTA,
        "--measure",
        "lemp",
        "--region-col",
        "countyreal",
        "--period-col",
        "year",
        "--value-col",
        "lemp",
        "--new-regions",
        "--first-treated-col",
        "first.treat",
        "--format",
        "json",
    ]);
    assert!(
        out2.status.success(),
        "{}",
        String::from_utf8_lossy(&out2.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out2.stdout).unwrap();
    // statsmodels (unit and year dummies, clustered by county): -0.03655, s.e. 0.01483.
    assert!(
        (v["att"].as_f64().unwrap() - -0.036549).abs() < 1e-5,
        "{}",
        v["att"]
    );
    assert!((v["std_error"].as_f64().unwrap() - 0.014832).abs() < 1e-5);
    assert_eq!(v["event_study"].as_array().unwrap().len(), 7);
    assert_eq!(v["pre_trend"]["df"], 3);
}

#[test]
fn bad_treatment_input_is_refused_with_its_place() {
    let out = mpdta(&["--first-treated-col", "first_treat"]);
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mpdta.csv") && err.contains("first_treat"),
        "{err}"
    );
    let bad = std::env::temp_dir().join(format!("regis-evaluate-bad-{}.csv", std::process::id()));
    std::fs::write(
        &bad,
        "unit,year,y,first\na,2001,1,2002\na,2002,2,2002\nb,2001,1,soon\nb,2002,1,soon\n",
    )
    .unwrap();
    let out = regis(&[
        "evaluate",
        "cs",
        "--input",
        bad.to_str().unwrap(),
        "--measure",
        "y",
        "--region-col",
        "unit",
        "--period-col",
        "year",
        "--value-col",
        "y",
        "--new-regions",
        "--first-treated-col",
        "first",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.contains("line 4") && err.contains("`first`") && err.contains("soon"),
        "{err}"
    );
    let out = mpdta(&[
        "--first-treated-col",
        "first.treat",
        "--covariates",
        "no_such",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(err.contains("no_such") && err.contains("lpop"), "{err}");
    let out = mpdta(&["--first-treated-col", "first.treat", "--estimator", "ols"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dr, ipw or reg"));
    let _ = std::fs::remove_file(bad);
}

/// `--covariates lpop` with each estimator: the file's column read by unit and period gives
/// csdid's covariate-adjusted aggregations (the peer fixture of regis-methods).
#[test]
fn mpdta_with_a_covariate_agrees_with_csdid() {
    let fixture: serde_json::Value = serde_json::from_str(include_str!(
        "../../regis-methods/tests/fixtures/evaluation_peers.json"
    ))
    .unwrap();
    for run in fixture["covariate_runs"].as_array().unwrap() {
        let estimator = run["est_method"].as_str().unwrap();
        let control = match run["control_group"].as_str().unwrap() {
            "nevertreated" => "never",
            _ => "not-yet",
        };
        let out = mpdta(&[
            "--first-treated-col",
            "first.treat",
            "--covariates",
            "lpop",
            "--estimator",
            estimator,
            "--control",
            control,
            "--format",
            "json",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["estimator"], estimator);
        assert_eq!(v["covariates"][0], "lpop");
        for kind in ["simple", "dynamic", "group", "calendar"] {
            let (ours, peer) = (&v["aggregations"][kind], &run["aggregations"][kind]);
            for field in ["att", "std_error"] {
                let (a, b) = (ours[field].as_f64().unwrap(), peer[field].as_f64().unwrap());
                assert!(
                    (a - b).abs() < 1e-8,
                    "{estimator} {control} {kind} {field}: {a} vs {b}"
                );
            }
        }
    }
}

/// California's Proposition 99 read from the panel file with the paper's predictors: the
/// published donor weights (Utah .334, Nevada .234, Montana .199, Colorado .164, Connecticut
/// .069; ±0.02).
#[test]
fn prop99_synthetic_control_from_a_panel_file() {
    let smoking = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../regis-methods/tests/fixtures/smoking.csv"
    );
    let out = regis(&[
        "evaluate",
        "sc",
        "--input",
        smoking,
        "--measure",
        "cigsale",
        "--region-col",
        "state",
        "--period-col",
        "year",
        "--value-col",
        "cigsale",
        "--new-regions",
        "--treated",
        "California=1989",
        "--predictors",
        "lnincome@1980-1988,beer@1980-1988,age15to24@1980-1988,retprice@1980-1988,beer@1984-1988,outcome@1975,outcome@1980,outcome@1988",
        "--no-placebos",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The published weights are among the distinct optima the V search reaches (the report's
    // `search.optima`, best first); the best fit found is at least as good.
    let optima = v["search"]["optima"].as_array().unwrap();
    let w_of = |o: &serde_json::Value, s: &str| {
        o["weights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["region"] == s)
            .and_then(|w| w["weight"].as_f64())
            .unwrap_or(0.0)
    };
    let published = optima
        .iter()
        .find(|o| {
            [
                ("Utah", 0.334),
                ("Nevada", 0.234),
                ("Montana", 0.199),
                ("Colorado", 0.164),
                ("Connecticut", 0.069),
            ]
            .iter()
            .all(|(s, p)| (w_of(o, s) - p).abs() < 0.02)
        })
        .expect("the published optimum among those found");
    assert!(published["mspe"].as_f64().unwrap() <= 3.2);
    assert!(optima[0]["mspe"].as_f64().unwrap() <= published["mspe"].as_f64().unwrap());
    assert!(
        v["att"].as_f64().unwrap() < -10.0,
        "sales fell: {}",
        v["att"]
    );
    assert!(v["pre_rmspe"].as_f64().unwrap() < 3.2f64.sqrt() + 1e-9);
}

/// Proposition 99 by synthetic difference-in-differences from the panel file: Arkhangelsky et
/// al. (2021) Table 1, SDID -15.6, SC -19.6, DiD -27.3 (to 0.1).
#[test]
fn prop99_synthetic_did_from_a_panel_file() {
    let smoking = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../regis-methods/tests/fixtures/smoking.csv"
    );
    let out = regis(&[
        "evaluate",
        "sdid",
        "--input",
        smoking,
        "--measure",
        "cigsale",
        "--region-col",
        "state",
        "--period-col",
        "year",
        "--value-col",
        "cigsale",
        "--new-regions",
        "--treated",
        "California=1989",
        "--no-placebos",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (field, published) in [("att", -15.6), ("sc_att", -19.6), ("did_att", -27.3)] {
        let x = v[field].as_f64().unwrap();
        assert!((x - published).abs() < 0.1, "{field}: {x} vs {published}");
    }
    let w: f64 = v["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["weight"].as_f64().unwrap())
        .sum();
    assert!((w - 1.0).abs() < 1e-9);
}

/// A monitored programme as the treatment and an estimate attached to an evaluation record:
/// `regis monitor demo` attaches the 2005 pilot's SDID and Changwon's synthetic control to the
/// Changwon project's final evaluation; `--programme IC-2005` reads the seven host provinces
/// from the store (the same SDID as `--treated` with them); `--attach` by the admin stores the
/// estimate, and the public is refused with exit code 77, nothing stored.
#[test]
fn a_monitored_programme_is_the_treatment_and_its_estimate_is_attached() {
    let store =
        std::env::temp_dir().join(format!("regis-evaluate-programme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    std::fs::create_dir_all(&store).unwrap();
    let run = |args: &[&str], user: Option<(&str, &str)>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
        c.args(args).arg("--store").arg(&store);
        c.env_remove("REGIS_MONITOR_URL")
            .env_remove("REGIS_USER")
            .env_remove("REGIS_PASSWORD");
        c.env("REGIS_ADMIN_PASSWORD", "a-long-secret");
        if let Some((u, p)) = user {
            c.env("REGIS_USER", u).env("REGIS_PASSWORD", p);
        }
        c.output().unwrap()
    };
    let admin = Some(("admin", "a-long-secret"));
    assert!(run(&["monitor", "init"], None).status.success());
    let out = run(&["monitor", "demo"], admin);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome = [
        "--measure",
        "grdp_nominal",
        "--industry",
        "C",
        "--per",
        "population",
    ];
    let json = |out: std::process::Output| -> serde_json::Value {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let by_programme = json(run(
        &[
            &[
                "evaluate",
                "sdid",
                "--programme",
                "IC-2005",
                "--format",
                "json",
            ],
            &outcome[..],
        ]
        .concat(),
        None,
    ));
    let by_list = json(run(
        &[
            &["evaluate", "sdid", "--format", "json", "--treated"],
            &["24=2005,26=2005,31=2005,32=2005,35=2005,37=2005,38=2005"][..],
            &outcome[..],
        ]
        .concat(),
        None,
    ));
    assert_eq!(by_programme["att"], by_list["att"]);
    assert_eq!(by_programme["treated"].as_array().unwrap().len(), 7);
    // With seven treated provinces: jackknife and (seeded) bootstrap standard errors besides the
    // placebo ones, the same for the same seed.
    for k in ["sdid", "sc", "did"] {
        for field in ["jackknife_std_errors", "bootstrap_std_errors"] {
            let x = by_programme[field][k].as_f64().unwrap();
            assert!(x.is_finite() && x > 0.0, "{field}.{k}: {x}");
        }
    }
    assert_eq!(
        by_programme["bootstrap_std_errors"],
        by_list["bootstrap_std_errors"]
    );
    // The demo's two estimates, and one more attached here by the admin.
    let store_file = store.join("monitor.sqlite");
    let s = regis_monitor::sqlite::SqliteStore::open(&store_file).unwrap();
    use regis_monitor::Store;
    let admin_actor = s.authenticate("admin", "a-long-secret").unwrap();
    let demo = s.estimates(&admin_actor).unwrap();
    assert_eq!(demo.len(), 2);
    assert_eq!(demo[0].method, "sdid");
    assert!((demo[0].att - by_programme["att"].as_f64().unwrap()).abs() < 1e-9);
    assert!(demo[0]
        .query
        .starts_with("/evaluate?method=sdid&measure=grdp_nominal"));
    assert_eq!(demo[1].method, "sc");
    assert!(demo[1].pre_fit.is_some());
    let evaluation = demo[0].evaluation_id.to_string();
    let attach = |user| {
        run(
            &[
                &[
                    "evaluate",
                    "cs",
                    "--programme",
                    "IC-2005",
                    "--bootstrap",
                    "0",
                    "--attach",
                    &evaluation,
                ],
                &outcome[..],
            ]
            .concat(),
            user,
        )
    };
    let refused = attach(None);
    assert_eq!(
        refused.status.code(),
        Some(77),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(
        s.estimates(&admin_actor).unwrap().len(),
        2,
        "nothing stored"
    );
    assert!(attach(admin).status.success());
    let all = s.estimates(&admin_actor).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[2].method, "cs");
    assert!(all[2].ci_low.unwrap() < all[2].att && all[2].att < all[2].ci_high.unwrap());
    // Gyeongnam's region report lists the evaluations touching it, with their estimates.
    let report = store.join("report-38.html");
    let out = run(
        &[
            "report",
            "--region",
            "38",
            "--lang",
            "en",
            "--out",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).unwrap();
    let section = &html[html
        .find("Evaluations of programmes in the region")
        .expect("section")..];
    assert!(
        section.contains("창원 국가산업단지") && section.contains("SDID "),
        "{section}"
    );
    let _ = std::fs::remove_dir_all(&store);
}
