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
    let out = mpdta(&["--first-treated-col", "first.treat", "--covariates", "lpop"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--covariates"));
    let _ = std::fs::remove_file(bad);
}
