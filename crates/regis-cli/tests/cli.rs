//! End-to-end tests of the `regis` binary: the acceptance commands of the data layer, `--input`
//! with mapping flags, and the malformed-input corpus (each failure gives its own message, a
//! non-zero exit, and leaves the store exactly as it was).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn regis(args: &[&str], store: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(args)
        .arg("--store")
        .arg(store)
        .current_dir(repo())
        .output()
        .expect("run regis")
}

/// The long-format test table and the flags that map its columns.
const LONG_CSV: &str = "tests/inputs/long_year_region_ind.csv";
const LONG_CSV_MAPPING: [&str; 10] = [
    "--period-col",
    "year",
    "--region-col",
    "region_code",
    "--industry-col",
    "ind_code",
    "--value-col",
    "emp_all",
    "--region-codes",
    "sgis",
];

/// Runs regis, requires success (stderr shown otherwise) and parses stdout as JSON.
fn regis_json(args: &[&str], store: &Path) -> serde_json::Value {
    let out = regis(args, store);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regis-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn csv_sum(out: &Output) -> (f64, usize) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let vi = h.iter().position(|c| c == "value").unwrap();
    let mut sum = 0.0;
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        if !rec[vi].is_empty() {
            sum += rec[vi].parse::<f64>().unwrap();
        }
        n += 1;
    }
    (sum, n)
}

#[test]
fn export_population_and_grdp_2001_match_kosis() {
    let store = tempdir("export");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--level",
            "province",
            "--period",
            "2001",
            "--format",
            "csv",
        ],
        &store,
    );
    let (sum, n) = csv_sum(&out);
    assert!(n <= 17);
    assert_eq!(sum, 47_370_164.0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("11,서울특별시,Seoul,") && l.contains(",10091137,")),
        "{text}"
    );
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "grdp_nominal",
            "--level",
            "province",
            "--period",
            "2001",
            "--format",
            "csv",
        ],
        &store,
    );
    let (sum, n) = csv_sum(&out);
    assert!(n <= 17);
    assert_eq!(sum, 691_322_951.0);
}

#[test]
fn export_in_mois_codes_json_and_xlsx_and_geojson() {
    let store = tempdir("formats");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--period",
            "2020",
            "--codes",
            "mois",
            "--format",
            "json",
        ],
        &store,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 17);
    let busan = rows
        .iter()
        .find(|r| r["region_name_en"] == "Busan")
        .unwrap();
    assert_eq!(busan["region_code"], "26");
    let gangwon = rows
        .iter()
        .find(|r| r["region_name_en"] == "Gangwon-do")
        .unwrap();
    assert_eq!(
        gangwon["region_code"], "42",
        "MOIS code of Gangwon in 2020 (51 from 2023)"
    );
    let xlsx = store.join("out.xlsx");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "grdp_nominal",
            "--industry",
            "all",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
        &store,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let g = regis_json(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--level",
            "district",
            "--period",
            "2020",
            "--format",
            "geojson",
        ],
        &store,
    );
    let f = g["features"].as_array().unwrap();
    assert_eq!(f.len(), 250);
    let with_values = f
        .iter()
        .filter(|x| !x["properties"]["value"].is_null())
        .count();
    assert!(with_values >= 240, "{with_values}");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--level",
            "province",
            "--period",
            "2020",
            "--format",
            "geojson",
        ],
        &store,
    );
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g["features"].as_array().unwrap().len(), 17);
    assert!(g["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["properties"]["value"].is_number()));
}

#[test]
fn input_long_csv_with_mapping_flags() {
    let store = tempdir("input");
    let flags = [&["--input", LONG_CSV][..], &LONG_CSV_MAPPING].concat();
    let mut args = vec![
        "data",
        "export",
        "--level",
        "district",
        "--industry",
        "C",
        "--period",
        "2020",
        "--format",
        "csv",
    ];
    args.extend(&flags);
    let (sum, n) = csv_sum(&regis(&args, &store));
    assert_eq!(n, 25);
    // Seoul manufacturing GRDP 2020 over its 25 districts (SGIS data).
    let mut args = vec![
        "data",
        "export",
        "--level",
        "province",
        "--industry",
        "C",
        "--period",
        "2020",
        "--format",
        "csv",
    ];
    args.extend(&flags);
    let (province, m) = csv_sum(&regis(&args, &store));
    assert_eq!(m, 1);
    assert_eq!(sum, province);
    assert_eq!(province, 15_308_948.0);
}

#[test]
fn import_then_list_show_and_export_from_the_store() {
    let store = tempdir("import");
    let out = regis(
        &[
            &["data", "import", LONG_CSV, "--measure", "seoul_grdp"][..],
            &LONG_CSV_MAPPING,
            &["--unit", "million KRW"],
        ]
        .concat(),
        &store,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = regis(&["data", "list", "--format", "json"], &store);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = list
        .as_array()
        .or_else(|| list["rows"].as_array())
        .unwrap_or_else(|| panic!("{list}"))
        .clone();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {list}"))
            .clone()
    };
    // True coverage by level: province GRDP ends in 2017, the districts have 2020.
    assert_eq!(
        row("grdp_nominal")["coverage"],
        "nation, province 1985-2017; district, subdistrict 2010, 2015, 2020"
    );
    // A stored measure has its levels and periods in their own columns.
    let stored = row("seoul_grdp");
    assert_eq!(stored["origin"], "stored");
    assert!(!stored["levels"].as_str().unwrap().is_empty(), "{stored}");
    assert!(
        stored["periods"].as_str().unwrap().starts_with("20"),
        "{stored}"
    );
    assert!(!stored["periods"].as_str().unwrap().contains("cells"));
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "seoul_grdp",
            "--level",
            "district",
            "--industry",
            "C",
            "--period",
            "2020",
            "--format",
            "csv",
        ],
        &store,
    );
    assert_eq!(csv_sum(&out), (15_308_948.0, 25));
}

#[test]
fn bad_arguments_give_clear_errors_and_exit_codes() {
    let store = tempdir("args");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--period",
            "1960",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1970-2020"));
    let out = regis(&["data", "export", "--measure", "gdp"], &store);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("grdp_nominal"));
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "grdp_real",
            "--vintage",
            "2011",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not additive"));
    let out = regis(
        &["data", "import", "tests/inputs/nope.csv", "--measure", "x"],
        &store,
    );
    assert_eq!(out.status.code(), Some(66));
}

#[test]
fn district_2010_export_on_2020_boundaries_keeps_the_total() {
    let store = tempdir("vintage");
    let base = [
        "data",
        "export",
        "--measure",
        "population",
        "--level",
        "district",
        "--period",
        "2010",
        "--format",
        "csv",
    ];
    let (before, n0) = csv_sum(&regis(&base, &store));
    let mut v = base.to_vec();
    v.extend(["--vintage", "2020"]);
    let (after, n1) = csv_sum(&regis(&v, &store));
    assert_eq!(before, after);
    assert!(
        n1 < n0,
        "2010 units merged into fewer 2020 units ({n0} -> {n1})"
    );
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn malformed_corpus_each_fails_with_its_message_and_leaves_the_store_untouched() {
    let store = tempdir("malformed");
    // Something already stored under the same measure id the bad imports try to write.
    let ok = regis(
        &[
            &["data", "import", LONG_CSV, "--measure", "base"][..],
            &LONG_CSV_MAPPING,
        ]
        .concat(),
        &store,
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let before = snapshot(&store);
    // Each case twice: read whole, and streamed (REGIS_STREAM_ABOVE=0 streams every UTF-8 CSV).
    for stream in ["", "0"] {
        malformed_cases(&store, &before, stream);
    }
}

fn malformed_cases(store: &Path, before: &BTreeMap<String, Vec<u8>>, stream: &str) {
    let regis = |args: &[&str], store: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
        c.args(args).arg("--store").arg(store).current_dir(repo());
        if !stream.is_empty() {
            c.env("REGIS_STREAM_ABOVE", stream);
        }
        c.output().expect("run regis")
    };
    let cases = std::fs::read_to_string(repo().join("tests/malformed/cases.csv")).unwrap();
    let mut r = csv::Reader::from_reader(cases.as_bytes());
    let mut n = 0;
    let mut kinds = std::collections::HashSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let (file, flags, kind, fragment) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let path = format!("tests/malformed/{file}");
        let mut measure = "base".to_string();
        let mut args: Vec<String> = vec!["data".into(), "import".into(), path.clone()];
        for f in flags.split_whitespace() {
            if let Some(m) = f.strip_prefix("MEASURE=") {
                measure = m.into();
            } else {
                args.push(f.into());
            }
        }
        args.extend(["--measure".into(), measure]);
        let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let out = regis(&a, store);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            !out.status.success(),
            "{file} (stream {stream:?}): should fail"
        );
        assert!(
            err.contains(&format!("[{kind}]")),
            "{file} (stream {stream:?}): expected kind {kind}, got: {err}"
        );
        assert!(
            err.contains(fragment),
            "{file} (stream {stream:?}): expected `{fragment}` in: {err}"
        );
        if kind != "invalid-argument" && kind != "empty" && kind != "unsupported-format" {
            assert!(
                (err.contains(&format!("{file}:")) || err.contains(&format!("{file} [sheet")))
                    && err.contains(':'),
                "{file}: message must name the file and line: {err}"
            );
        }
        assert_eq!(*before, snapshot(store), "{file}: the store changed");
        kinds.insert(kind.to_string());
        n += 1;
        if flags.contains("MEASURE=") {
            continue; // `data check --measure population` is legitimate: checking against a built-in measure.
        }
        // `data check` rejects the same way.
        args[1] = "check".into();
        let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        assert!(
            !regis(&a, store).status.success(),
            "{file}: check should fail"
        );
    }
    assert!(n >= 20, "{n} cases");
    assert!(kinds.len() >= 15, "{kinds:?}");
}

#[test]
fn parquet_written_by_pyarrow_reads_like_the_csv_and_exports_round_trip() {
    let store = tempdir("parquet");
    let map = LONG_CSV_MAPPING;
    let run = |input: &str, extra: &[&str]| {
        let mut args = vec![
            "data",
            "export",
            "--input",
            input,
            "--level",
            "district",
            "--industry",
            "all",
            "--format",
            "csv",
        ];
        args.extend(map);
        args.extend(extra);
        let out = regis(&args, &store);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let from_csv = run(LONG_CSV, &[]);
    let from_parquet = run("tests/inputs/long_year_region_ind.parquet", &[]);
    assert_eq!(from_csv, from_parquet);
    // Our own Parquet export reads back to the same numbers.
    let pq = store.join("pop.parquet");
    let out = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--level",
            "district",
            "--period",
            "2020",
            "--format",
            "parquet",
            "--out",
            pq.to_str().unwrap(),
        ],
        &store,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = regis(
        &[
            "data",
            "export",
            "--input",
            pq.to_str().unwrap(),
            "--region-col",
            "region_code",
            "--period-col",
            "period",
            "--value-col",
            "value",
            "--region-codes",
            "sgis",
            "--level",
            "district",
            "--format",
            "csv",
        ],
        &store,
    );
    let direct = regis(
        &[
            "data",
            "export",
            "--measure",
            "population",
            "--level",
            "district",
            "--period",
            "2020",
            "--format",
            "csv",
        ],
        &store,
    );
    assert_eq!(csv_sum(&back).0, csv_sum(&direct).0);
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn diagnose_reports_the_capital_region_share_and_the_trend() {
    let store = tempdir("diagnose");
    let v = json_of(&regis(
        &[
            "diagnose",
            "--measure",
            "population",
            "--group",
            "SMA",
            "--period",
            "2001",
            "--format",
            "json",
        ],
        &store,
    ));
    let r = &v["rows"][0];
    assert_eq!(
        format!("{:.4}", r["group_share"].as_f64().unwrap()),
        "0.4664"
    );
    let t = r["theil"].as_f64().unwrap();
    let (b, w) = (
        r["theil_between"].as_f64().unwrap(),
        r["theil_within"].as_f64().unwrap(),
    );
    assert!((b + w - t).abs() < 1e-12);
    let v = json_of(&regis(
        &[
            "diagnose",
            "--measure",
            "grdp_nominal",
            "--group",
            "SMA",
            "--period",
            "2001",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(
        format!("{:.4}", v["rows"][0]["group_share"].as_f64().unwrap()),
        "0.4884"
    );
    let v = json_of(&regis(
        &["diagnose", "--measure", "grdp_nominal", "--format", "json"],
        &store,
    ));
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 33, "1985-2017 year by year");
    assert_eq!(rows[0]["period"], 1985);
    // Ulsan before 1998 is inside Gyeongnam: left out with a diagnostic, not counted as zero.
    assert!(rows[0]["diagnostics"][0]
        .as_str()
        .unwrap()
        .contains("Ulsan"));
    assert_eq!(rows[32]["regions"], 16);
    // Per head, population-weighted, Sejong folded back: no warning left.
    let v = json_of(&regis(
        &[
            "diagnose",
            "--measure",
            "grdp_nominal",
            "--per",
            "population",
            "--vintage",
            "2011",
            "--period",
            "2017",
            "--format",
            "json",
        ],
        &store,
    ));
    assert!(
        v["rows"][0]["diagnostics"].as_array().unwrap().is_empty(),
        "{}",
        v["rows"][0]
    );
    assert!(v["weighted"].as_bool().unwrap());
    let out = regis(
        &["diagnose", "--measure", "grdp_nominal", "--period", "1960"],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn specialise_shift_share_and_convergence_on_the_builtin_data() {
    let store = tempdir("structure");
    let v = json_of(&regis(
        &[
            "specialise",
            "--measure",
            "grdp_nominal",
            "--period",
            "2017",
            "--view",
            "lq",
            "--format",
            "json",
        ],
        &store,
    ));
    let rows = v["rows"].as_array().unwrap();
    // 16 provinces x 22 finest KOSIS activities (16 grouped sections, manufacturing split in 7).
    assert_eq!(rows.len(), 16 * 22);
    let seoul_fin = rows
        .iter()
        .find(|r| r["region_code"] == "11" && r["industry"] == "K")
        .unwrap();
    assert!(seoul_fin["lq"].as_f64().unwrap() > 2.0);
    let v = json_of(&regis(
        &[
            "specialise",
            "--measure",
            "grdp_nominal",
            "--period",
            "2017",
            "--view",
            "industries",
            "--format",
            "json",
        ],
        &store,
    ));
    for r in v["rows"].as_array().unwrap() {
        let g = r["locational_gini"].as_f64().unwrap();
        assert!((0.0..=0.5).contains(&g));
    }
    let v = json_of(&regis(
        &[
            "shift-share",
            "--measure",
            "grdp_nominal",
            "--from",
            "2010",
            "--to",
            "2017",
            "--method",
            "dynamic",
            "--format",
            "json",
        ],
        &store,
    ));
    for r in v["rows"].as_array().unwrap() {
        let sum = r["national"].as_f64().unwrap()
            + r["industry_mix"].as_f64().unwrap()
            + r["competitive"].as_f64().unwrap()
            + r["allocation"].as_f64().unwrap();
        let change = r["change"].as_f64().unwrap();
        assert!((sum - change).abs() <= 1e-6 * change.abs().max(1.0), "{r}");
    }
    let v = json_of(&regis(
        &[
            "convergence",
            "--measure",
            "grdp_nominal",
            "--per",
            "population",
            "--from",
            "1998",
            "--to",
            "2017",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(v["beta"]["n"], 16);
    assert_eq!(v["sigma"].as_array().unwrap().len(), 20);
    let out = regis(
        &[
            "shift-share",
            "--measure",
            "grdp_real",
            "--from",
            "2010",
            "--to",
            "2017",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(65));
}

#[test]
fn spatial_global_and_local_on_the_korean_map() {
    let store = tempdir("spatial");
    let v = json_of(&regis(
        &[
            "spatial",
            "--measure",
            "grdp_nominal",
            "--per",
            "population",
            "--level",
            "district",
            "--period",
            "2020",
            "--permutations",
            "99",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(
        v["units"], 229,
        "every 2020 si-gun-gu, gu dissolved into their cities"
    );
    assert!(v["moran"]["i"].as_f64().unwrap() > 0.0);
    assert!(v["islands"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "Ulleung-gun"));
    let v = json_of(&regis(
        &[
            "spatial",
            "--measure",
            "population",
            "--level",
            "province",
            "--period",
            "2020",
            "--local",
            "--weights",
            "knn:3",
            "--format",
            "json",
        ],
        &store,
    ));
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 17);
    let seoul = rows.iter().find(|r| r["region_code"] == "11").unwrap();
    assert_eq!(seoul["quadrant"], "HH");
    // Same seed, same p-values.
    let again = json_of(&regis(
        &[
            "spatial",
            "--measure",
            "population",
            "--level",
            "province",
            "--period",
            "2020",
            "--local",
            "--weights",
            "knn:3",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(v["rows"], again["rows"]);
    let out = regis(
        &["spatial", "--measure", "population", "--weights", "hexagon"],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn report_writes_self_contained_html_and_its_tables() {
    let store = tempdir("report");
    let html = store.join("r.html");
    let xlsx = store.join("r.xlsx");
    let out = regis(
        &[
            "--lang",
            "en",
            "report",
            "--region",
            "Gyeonggi-do",
            "--out",
            html.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
        &store,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.contains("<svg") && h.contains("Gyeonggi-do") && h.contains("Shift-share"));
    for bad in ["src=\"http", "href=\"http", "<script src", "<link"] {
        assert!(
            !h.contains(bad),
            "the report must be self-contained ({bad})"
        );
    }
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let out = regis(
        &[
            "report",
            "--region",
            "Atlantis",
            "--out",
            html.to_str().unwrap(),
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn strategy_selects_four_industries_with_evidence_and_sensitivity() {
    let store = tempdir("strategy");
    let v = json_of(&regis(
        &[
            "strategy", "--region", "Ulsan", "--top", "4", "--format", "json",
        ],
        &store,
    ));
    let sel = v["selected"].as_array().unwrap();
    assert_eq!(sel.len(), 4);
    for (k, c) in sel.iter().enumerate() {
        assert_eq!(c["rank"], k + 1);
        for crit in [
            "specialisation",
            "size",
            "growth",
            "competitive",
            "density",
            "complexity",
        ] {
            assert!(c["criteria"].get(crit).is_some(), "{crit}");
            assert!(v["weights"][crit].is_number());
        }
        assert!(c["score"].is_number() && c["sensitivity"]["in_top_k"].is_number());
    }
    let w: f64 = [
        "specialisation",
        "size",
        "growth",
        "competitive",
        "density",
        "complexity",
        "linkages",
    ]
    .iter()
    .map(|c| v["weights"][c].as_f64().unwrap())
    .sum();
    assert!((w - 1.0).abs() < 1e-12);
    // Without --io the built-in input-output table gives the linkages and each candidate's
    // value chain, regionalised to Ulsan.
    assert!(v["weights"]["linkages"].as_f64().unwrap() > 0.1);
    for c in v["candidates"].as_array().unwrap() {
        assert!(c["criteria"]["linkages"].is_number(), "{c}");
        let chain = &c["value_chain"];
        for side in ["suppliers", "customers"] {
            let links = chain[side].as_array().unwrap();
            assert!(!links.is_empty() && links.len() <= 3, "{c}");
            let mut last = 1.0;
            for l in links {
                let (s, local) = (
                    l["share"].as_f64().unwrap(),
                    l["in_region_share"].as_f64().unwrap(),
                );
                assert!(s > 0.0 && s <= last && (0.0..=1.0).contains(&local), "{l}");
                last = s;
            }
        }
    }
    // Ulsan's chemicals (C4) buy mostly from chemicals, about half of it made in Ulsan.
    let c4 = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["industry"] == "C4")
        .unwrap();
    let first = &c4["value_chain"]["suppliers"][0];
    assert_eq!(first["industry"], "C4");
    assert!(
        (0.3..0.8).contains(&first["in_region_share"].as_f64().unwrap()),
        "{first}"
    );
    let text =
        String::from_utf8(regis(&["strategy", "--region", "울산", "--top", "4"], &store).stdout)
            .unwrap();
    assert!(
        text.contains("suppliers") && text.contains("% in region)"),
        "{text}"
    );
    // Other weights: a different weighting, the sensitivity table for every candidate.
    let v2 = json_of(&regis(
        &[
            "strategy",
            "--region",
            "Ulsan",
            "--top",
            "4",
            "--weights",
            "specialisation=0.1,density=0.5,complexity=0.3",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_ne!(v["weights"], v2["weights"]);
    // The sensitivity table covers every candidate (the traded industries).
    assert_eq!(
        v2["sensitivity"]["table"].as_array().unwrap().len(),
        v2["candidates"].as_array().unwrap().len()
    );
    assert_eq!(
        v2["candidates"].as_array().unwrap().len() + v2["excluded"].as_array().unwrap().len(),
        22
    );
    let bad = regis(
        &["strategy", "--region", "Ulsan", "--weights", "luck=1"],
        &store,
    );
    assert_eq!(bad.status.code(), Some(64));
    // The overlap report names industries chosen by several provinces.
    let o = json_of(&regis(
        &["strategy", "--overlap", "--top", "4", "--format", "json"],
        &store,
    ));
    assert_eq!(o["choices"].as_array().unwrap().len(), 16);
    let contested: Vec<&serde_json::Value> = o["industries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["contested"] == true)
        .collect();
    assert!(!contested.is_empty());
    assert!(contested
        .iter()
        .all(|i| i["chosen_by"].as_array().unwrap().len() >= 3));
    // Complexity views.
    let c = json_of(&regis(
        &[
            "complexity",
            "--view",
            "regions",
            "--period",
            "2017",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(c["rows"].as_array().unwrap().len(), 16);
}

#[test]
fn strategy_candidates_are_traded_industries_unless_local_ones_are_asked_for() {
    let store = tempdir("strategy-traded");
    let v = json_of(&regis(
        &[
            "strategy", "--region", "강원", "--top", "4", "--format", "json",
        ],
        &store,
    ));
    let candidates = v["candidates"].as_array().unwrap();
    assert!(
        candidates.iter().all(|c| c["traded_local"] == "traded"),
        "{candidates:?}"
    );
    let excluded = v["excluded"].as_array().unwrap();
    let codes: Vec<&str> = excluded
        .iter()
        .map(|e| e["industry"].as_str().unwrap())
        .collect();
    for code in ["O", "F", "G", "P", "Q"] {
        assert!(codes.contains(&code), "{code} not excluded: {codes:?}");
    }
    for e in excluded {
        assert!(e["traded_local"] == "local" || e["traded_local"] == "public");
        assert!(!e["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(candidates.len() + excluded.len(), 22);
    // With --include-local the old candidates come back, and the old choice held at least one
    // local or public industry.
    let wide = json_of(&regis(
        &[
            "strategy",
            "--region",
            "강원",
            "--top",
            "4",
            "--include-local",
            "--format",
            "json",
        ],
        &store,
    ));
    assert_eq!(wide["candidates"].as_array().unwrap().len(), 22);
    assert!(wide["excluded"].as_array().unwrap().is_empty());
    assert!(wide["selected"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["traded_local"] != "traded"));
}

#[test]
fn clusters_derived_given_and_starred() {
    let store = tempdir("clusters");
    let v = json_of(&regis(
        &[
            "clusters", "--level", "province", "--period", "2017", "--k", "5", "--format", "json",
        ],
        &store,
    ));
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let members: f64 = rows.iter().map(|r| r["industries"].as_f64().unwrap()).sum();
    assert_eq!(
        members, 14.0,
        "every traded industry in exactly one cluster"
    );
    assert!(v["validation"]["silhouette"].is_number());
    // The 8 local and public industries are listed, and come in with --include-local.
    let left_out = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d.as_str()
                .unwrap()
                .starts_with("[local-industries-left-out] 8 ")
        })
        .expect("local industries named");
    assert!(
        left_out.as_str().unwrap().contains("Public administration"),
        "{left_out}"
    );
    let all = json_of(&regis(
        &[
            "clusters",
            "--level",
            "province",
            "--period",
            "2017",
            "--k",
            "5",
            "--format",
            "json",
            "--include-local",
        ],
        &store,
    ));
    let members: f64 = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["industries"].as_f64().unwrap())
        .sum();
    assert_eq!(members, 22.0, "every industry in exactly one cluster");
    // With every industry, one cluster of 12 of 22: said so.
    assert!(all["diagnostics"].as_array().unwrap().iter().any(|d| d
        .as_str()
        .unwrap()
        .starts_with("[lopsided-clusters] one cluster holds 12 of 22")));
    let defs = store.join("defs.csv");
    std::fs::write(&defs, "industry,cluster\nC1,Food and manufacturing\nC6,Electronics\nK,Business services\nMN,Business services\n").unwrap();
    let s = json_of(&regis(
        &[
            "clusters",
            "--definitions",
            defs.to_str().unwrap(),
            "--level",
            "province",
            "--period",
            "2017",
            "--view",
            "stars",
            "--format",
            "json",
        ],
        &store,
    ));
    let rows = s["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 16 * 3);
    let seoul_bs = rows
        .iter()
        .find(|r| r["region_code"] == "11" && r["cluster"] == "Business services")
        .unwrap();
    assert!(seoul_bs["stars"].as_f64().unwrap() >= 1.0);
    let bad = regis(&["clusters", "--definitions", "us"], &store);
    assert_eq!(bad.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NAICS"));
}

#[test]
fn strategy_and_clusters_use_an_input_output_table_when_given() {
    let store = tempdir("io");
    let io = store.join("io.csv");
    std::fs::write(&io, "from,to,value\nC4,C4,50\nC4,C7,30\nC7,C7,40\nC7,F,20\nF,F,10\nC4,_output,200\nC7,_output,220\nF,_output,150\n").unwrap();
    let v = json_of(&regis(
        &[
            "strategy",
            "--region",
            "Ulsan",
            "--top",
            "4",
            "--io",
            io.to_str().unwrap(),
            "--format",
            "json",
        ],
        &store,
    ));
    assert!(v["weights"]["linkages"].as_f64().unwrap() > 0.0);
    let c4 = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["industry"] == "C4")
        .unwrap();
    assert!(c4["criteria"]["linkages"].as_f64().unwrap() > 1.0);
    let bad = store.join("bad.csv");
    std::fs::write(&bad, "from,to,value\nC4,C7,-3\n").unwrap();
    let out = regis(
        &[
            "strategy",
            "--region",
            "Ulsan",
            "--io",
            bad.to_str().unwrap(),
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.csv:2"));
    let c = json_of(&regis(
        &[
            "clusters",
            "--level",
            "province",
            "--k",
            "4",
            "--io",
            io.to_str().unwrap(),
            "--format",
            "json",
        ],
        &store,
    ));
    assert!(c["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d.as_str().unwrap().contains("input-output")));
}

#[test]
fn overlap_points_contested_industries_to_finer_sub_industries() {
    let store = tempdir("finer");
    let o = json_of(&regis(
        &[
            "strategy",
            "--overlap",
            "--top",
            "4",
            "--industry-depth",
            "2",
            "--format",
            "json",
        ],
        &store,
    ));
    let finer = o["finer_sub_industries"].as_array().unwrap();
    let ulsan = finer
        .iter()
        .find(|x| x["region_code"] == "26" && x["contested_code"] == "C")
        .expect("Ulsan chose manufacturing");
    assert_eq!(ulsan["sub_industry_code"], "C4", "petrochemicals");
}

fn regis_env(args: &[&str], store: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
    c.args(args).arg("--store").arg(store).current_dir(repo());
    // Always the embedded store here, whatever the developer's shell says.
    c.env_remove("REGIS_MONITOR_URL");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run regis")
}

#[test]
fn monitor_init_demo_overlap_backup_restore() {
    let store = tempdir("monitor");
    let admin = [("REGIS_USER", "admin"), ("REGIS_PASSWORD", "a-long-secret")];
    assert!(regis_env(
        &["monitor", "init"],
        &store,
        &[("REGIS_ADMIN_PASSWORD", "a-long-secret")]
    )
    .status
    .success());
    assert!(regis_env(&["monitor", "demo"], &store, &admin)
        .status
        .success());
    let out = regis_env(&["monitor", "overlap", "--format", "csv"], &store, &admin);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        text.lines().count(),
        3,
        "header and the two planted pairs: {text}"
    );
    // The results framework of demo project 1: two results and three milestones.
    let out = regis_env(
        &["monitor", "results", "1", "--format", "csv"],
        &store,
        &admin,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("result,")).count(),
        2,
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("milestone,")).count(),
        3,
        "{text}"
    );
    assert!(text.contains("milestone,done_late,"), "{text}");
    let public = regis_env(&["monitor", "projects", "--format", "csv"], &store, &[]);
    let staff = regis_env(&["monitor", "projects", "--format", "csv"], &store, &admin);
    assert!(
        String::from_utf8_lossy(&public.stdout).lines().count()
            < String::from_utf8_lossy(&staff.stdout).lines().count(),
        "the public sees no drafts"
    );
    assert_eq!(
        regis_env(
            &["monitor", "demo"],
            &store,
            &[
                ("REGIS_USER", "admin"),
                ("REGIS_PASSWORD", "wrong-password")
            ]
        )
        .status
        .code(),
        Some(77)
    );
    let backup = store.join("backup.sqlite");
    assert!(regis_env(
        &["monitor", "backup", backup.to_str().unwrap()],
        &store,
        &admin
    )
    .status
    .success());
    assert!(regis_env(
        &["monitor", "restore", backup.to_str().unwrap()],
        &store,
        &[]
    )
    .status
    .success());
    let after = regis_env(&["monitor", "projects", "--format", "csv"], &store, &admin);
    assert_eq!(after.stdout, staff.stdout);
}

/// Projects and KPI reports through the XLSX, CSV and JSON templates: good files go in whole;
/// malformed ones are refused with every problem by row and field, and store nothing (also when
/// only the store finds the problem, or a later row conflicts).
#[test]
fn monitor_import_export_templates_and_malformed_files() {
    let store = tempdir("monitor-import");
    let admin = [("REGIS_USER", "admin"), ("REGIS_PASSWORD", "a-long-secret")];
    assert!(regis_env(
        &["monitor", "init"],
        &store,
        &[("REGIS_ADMIN_PASSWORD", "a-long-secret")]
    )
    .status
    .success());
    assert!(regis_env(&["monitor", "demo"], &store, &admin)
        .status
        .success());
    let count = |kind: &str| -> usize {
        let f = store.join(format!("count-{}.json", rand_name()));
        let out = regis_env(
            &["monitor", "export", kind, f.to_str().unwrap()],
            &store,
            &admin,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        v.as_array().unwrap().len()
    };
    let (projects, values) = (count("projects"), count("kpi"));
    assert_eq!(projects, 25);
    let refused = |kind: &str, file: &str, code: i32, needles: &[&str]| {
        let out = regis_env(&["monitor", "import", kind, file], &store, &admin);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{file}: {err}");
        for n in needles {
            assert!(err.contains(n), "{file}: `{n}` not in {err}");
        }
    };
    let m = "tests/malformed/monitor";
    refused(
        "projects",
        &format!("{m}/projects_bad_cells.csv"),
        65,
        &[
            "row 3, field `programme_id`: `one` is not",
            "row 3, field `start_year`: `20x5` is not a year",
            "row 3, field `status`: `open`: expected draft or published",
            "row 4, field `title`",
            "nothing was imported",
        ],
    );
    refused(
        "projects",
        &format!("{m}/projects_missing_column.csv"),
        65,
        &["row 1, field `region`: missing column"],
    );
    // Only the store knows programme 999 does not exist: row 2 was valid but is not kept.
    refused(
        "projects",
        &format!("{m}/projects_unknown_programme.csv"),
        65,
        &["row 3, field `programme_id`: no programme 999"],
    );
    refused(
        "kpi",
        &format!("{m}/kpi_bad_cells.json"),
        65,
        &[
            "row 2, field `period`: `2025년` is not a period",
            "row 2, field `actual`: `many` is not a number",
            "row 3, field `actual`: a row needs a target or an actual",
        ],
    );
    refused(
        "kpi",
        &format!("{m}/kpi_unknown_field.json"),
        65,
        &["row 1, field `comment`: unknown field"],
    );
    refused(
        "kpi",
        &format!("{m}/kpi_truncated.json"),
        65,
        &["line 2", "not JSON"],
    );
    // A malformed XLSX: a text year and a negative... made with the same writer as exports.
    let xlsx = store.join("bad.xlsx");
    std::fs::write(
        &xlsx,
        regis_data::export::workbook(&[(
            "projects".into(),
            [
                "programme_id",
                "title",
                "objective",
                "region",
                "industry",
                "organisation",
                "start_year",
                "end_year",
                "status",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            vec![
                [
                    "1",
                    "경남 스마트 조선",
                    "조선 자동화",
                    "38",
                    "C",
                    "경남TP",
                    "2025",
                    "2027",
                    "draft",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
                [
                    "1",
                    "경남 해상풍력",
                    "풍력 부품",
                    "",
                    "C",
                    "경남TP",
                    "이천이십오",
                    "2027",
                    "draft",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ],
        )])
        .unwrap(),
    )
    .unwrap();
    refused(
        "projects",
        xlsx.to_str().unwrap(),
        65,
        &["row 3, field `region`", "row 3, field `start_year`"],
    );
    // A KPI file whose second row was read at an old version: 409-style conflict (exit 75),
    // and the first row is not kept either.
    let kpi_conflict = store.join("conflict.csv");
    std::fs::write(
        &kpi_conflict,
        "indicator_id,period,target,actual,version\n1,2031,10,5,\n2,2025,100,90,99\n",
    )
    .unwrap();
    refused(
        "kpi",
        kpi_conflict.to_str().unwrap(),
        75,
        &["row 3", "conflict"],
    );
    assert_eq!(
        (count("projects"), count("kpi")),
        (projects, values),
        "nothing stored"
    );
    // The public may not import (exit 77), and nothing changes.
    let out = regis_env(
        &[
            "monitor",
            "import",
            "projects",
            "tests/inputs/monitor/projects.csv",
        ],
        &store,
        &[],
    );
    assert_eq!(out.status.code(), Some(77));
    // Good files go in whole, in every format: CSV, the XLSX template, JSON.
    let out = regis_env(
        &[
            "monitor",
            "import",
            "projects",
            "tests/inputs/monitor/projects.csv",
        ],
        &store,
        &admin,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count("projects"), projects + 2);
    for ext in ["xlsx", "csv", "json"] {
        let t = store.join(format!("template.{ext}"));
        let out = regis_env(
            &["monitor", "template", "projects", t.to_str().unwrap()],
            &store,
            &admin,
        );
        assert!(out.status.success());
        let out = regis_env(
            &["monitor", "import", "projects", t.to_str().unwrap()],
            &store,
            &admin,
        );
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count("projects"), projects + 5);
    let kpi = store.join("kpi.json");
    std::fs::write(
        &kpi,
        r#"[{"indicator_id": 1, "period": 2031, "target": 10, "actual": 7.5}]"#,
    )
    .unwrap();
    let out = regis_env(
        &["monitor", "import", "kpi", kpi.to_str().unwrap()],
        &store,
        &admin,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count("kpi"), values + 1);
    // Allocation by ministry in 2024: both demo ministries, shares adding to 100%.
    let out = regis_env(
        &[
            "monitor",
            "allocation",
            "--by",
            "ministry",
            "--year",
            "2024",
            "--source",
            "central",
        ],
        &store,
        &admin,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("MOTIE") && text.contains("MOLIT"), "{text}");
    let out = regis_env(
        &["monitor", "allocation", "--by", "province"],
        &store,
        &admin,
    );
    assert_eq!(out.status.code(), Some(64));
    // Incentives: the demo's interim grades turn into 2025 central budget adjustments. Ulsan's
    // hydrogen project (7): 0.3×73 + 0.5×91 + 0.2×75 = 82.4 → A → 1,250 × 1.1 = 1,375.
    let out = regis_env(
        &["monitor", "incentives", "--format", "json"],
        &store,
        &admin,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p7 = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["project"] == "7" || r["project"] == 7)
        .expect("project 7");
    assert_eq!(p7["grade"], "A");
    assert!(p7["adjusted"] == "1375" || p7["adjusted"] == 1375, "{p7}");
    let out = regis_env(
        &["monitor", "incentives", "--rules", "A=0.1,B=2"],
        &store,
        &admin,
    );
    assert_eq!(out.status.code(), Some(64));
    let out = regis_env(
        &["monitor", "incentives", "--rules", "A=0.1"],
        &store,
        &admin,
    );
    assert_eq!(
        out.status.code(),
        Some(65),
        "grades without a rule are refused"
    );
    // Exports never overwrite a file.
    let out = regis_env(
        &["monitor", "export", "kpi", kpi.to_str().unwrap()],
        &store,
        &admin,
    );
    assert_eq!(out.status.code(), Some(64));
}

fn rand_name() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// `regis zones lma` on Istat's Sardinia commuting matrix with the issue's parameters: 377
/// municipalities, each in one zone, every zone valid; bad columns and parameters are refused.
#[test]
fn zones_lma_on_sardinia() {
    let store = tempdir("zones");
    let v = regis_json(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--min-size",
            "1000",
            "--min-self-containment",
            "0.6667",
            "--target-size",
            "10000",
            "--target-self-containment",
            "0.75",
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(v["partition"]["units"], 377);
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(
        zones.len() as u64,
        v["partition"]["zones"].as_u64().unwrap()
    );
    let mut units: Vec<&str> = zones
        .iter()
        .flat_map(|z| {
            z["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap())
        })
        .collect();
    units.sort_unstable();
    let n = units.len();
    units.dedup();
    assert_eq!(
        (n, units.len()),
        (377, 377),
        "every municipality exactly once"
    );
    assert!(zones.iter().all(|z| z["validity"].as_f64().unwrap() >= 1.0));
    assert_eq!(v["partition"]["passes"], 2);
    // The largest zone is Cagliari's (Istat 092009).
    assert_eq!(zones[0]["centre"], "92009");
    // One pass, as Istat's package: 36 zones, one left below validity 1 by the reserve list's
    // final assignment, which stderr says.
    let out = regis(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--single-pass",
            "--format",
            "json",
        ],
        &store,
    );
    assert!(out.status.success());
    let single: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            &single["partition"]["zones"],
            &single["partition"]["passes"]
        ),
        (&serde_json::json!(36), &serde_json::json!(1))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("below 1"));
    // Leiden on the same flows (symmetrised): seeded, so two runs agree.
    let run = || {
        regis(
            &[
                "zones",
                "leiden",
                "--input",
                "tests/inputs/sardinia_2001_commuting.csv",
                "--seed",
                "7",
                "--format",
                "json",
            ],
            &store,
        )
    };
    let (a, b) = (run(), run());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let l: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert!(l["modularity"].as_f64().unwrap() > 0.5);
    let out = regis(
        &[
            "zones",
            "leiden",
            "--measure",
            "migration",
            "--quality",
            "louvain",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
    // Against the four 2001 provinces (first two digits of the code).
    let out = regis(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--admin-prefix",
            "2",
            "--format",
            "json",
        ],
        &store,
    );
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["comparison"]["regions"], 4);
    assert!(c["comparison"]["zones_crossing"].as_u64().unwrap() >= 1);
    let ari = c["comparison"]["adjusted_rand_index"].as_f64().unwrap();
    assert!(ari > 0.0 && ari < 1.0);
    let out = regis(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--value-col",
            "amt",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no column `amt`"));
    let out = regis(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--target-size",
            "500",
        ],
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
}

/// `regis zones maxp` and `regis zones skater` on the built-in districts (2020): every max-p
/// region reaches 1,500,000 people, every placed area is in one region, the cities whose gu
/// have no GRDP of their own are one area; SKATER makes the regions asked for plus one per
/// separate part kept; GeoJSON tags each boundary with its region; bad input is refused.
#[test]
fn zones_maxp_and_skater_on_korea_districts() {
    let store = tempdir("regionalise");
    let run = |args: &[&str]| {
        let out = regis(args, &store);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let common = [
        "--attributes",
        "grdp_nominal,companies",
        "--per",
        "population",
    ];
    let v = run(&[
        &["zones", "maxp"][..],
        &common,
        &["--threshold", "1500000", "--format", "json"],
    ]
    .concat());
    let zones = v["zones"].as_array().unwrap();
    assert_eq!(v["regions"].as_u64().unwrap() as usize, zones.len());
    assert!(zones.len() >= 20, "{}", zones.len());
    let mut seen = std::collections::HashSet::new();
    for z in zones {
        assert!(z["total"].as_f64().unwrap() >= 1_500_000.0, "{z}");
        for a in z["areas"].as_array().unwrap() {
            assert!(seen.insert(a.as_str().unwrap().to_string()), "{a} twice");
        }
    }
    assert!(seen.contains("31010"), "Suwon-si is one area");
    // Islands below the threshold are reported as unplaced, not dropped silently.
    assert!(!v["unplaced"].as_array().unwrap().is_empty());
    let v = run(&[
        &["zones", "skater"][..],
        &common,
        &[
            "--regions",
            "8",
            "--floor",
            "500000",
            "--floor-by",
            "population",
            "--standardise",
            "--format",
            "geojson",
        ],
    ]
    .concat());
    let features = v["features"].as_array().unwrap();
    assert!(features.len() >= 240);
    let labelled: std::collections::HashSet<u64> = features
        .iter()
        .filter_map(|f| f["properties"]["region"].as_u64())
        .collect();
    assert_eq!(labelled.len() as u64, v["regions"].as_u64().unwrap());
    assert!(labelled.len() >= 8);
    // Refusals: a threshold that is not positive, an unknown attribute.
    let out = regis(
        &[&["zones", "maxp"][..], &common, &["--threshold", "-5"]].concat(),
        &store,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("threshold"));
    let out = regis(
        &[
            "zones",
            "skater",
            "--attributes",
            "nonsense",
            "--regions",
            "3",
        ],
        &store,
    );
    assert!(!out.status.success());
}

/// `regis zones lma --contiguity`: on the 2020 migration zones of the provinces nothing needs
/// to move and Jeju, an island, is reported; a flow file without boundaries is refused.
#[test]
fn zones_lma_contiguity_fine_tuning() {
    let store = tempdir("zones-contiguity");
    let v = regis_json(
        &[
            "zones",
            "lma",
            "--measure",
            "migration",
            "--period",
            "2020",
            "--contiguity",
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(v["contiguity"]["isolated"], serde_json::json!(["39"]));
    assert_eq!(v["contiguity"]["moved"], serde_json::json!([]));
    let out = regis(
        &[
            "zones",
            "lma",
            "--input",
            "tests/inputs/sardinia_2001_commuting.csv",
            "--contiguity",
        ],
        &store,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--boundaries"));
}

/// `regis zones leiden --contiguity` on 2020 migration: Jeju, an island, cannot join the
/// capital region's community and stands alone; without the constraint it joins it.
#[test]
fn zones_leiden_with_contiguity() {
    let store = tempdir("leiden-contiguity");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "zones",
            "leiden",
            "--measure",
            "migration",
            "--period",
            "2020",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = regis(&args, &store);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let community_of = |v: &serde_json::Value, code: &str| {
        v["communities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["units"].as_array().unwrap().iter().any(|u| u == code))
            .map(|c| c["units"].as_array().unwrap().len())
            .unwrap()
    };
    let free = run(&[]);
    assert!(community_of(&free, "39") > 1, "{free}");
    let constrained = run(&["--contiguity"]);
    assert_eq!(constrained["contiguity"], true);
    assert_eq!(community_of(&constrained, "39"), 1, "{constrained}");
    assert!(constrained["modularity"].as_f64().unwrap() > 0.2);
}

#[test]
fn another_countrys_regions_get_no_korean_group_unless_named() {
    let store = tempdir("foreign-groups");
    let input = [
        "diagnose",
        "--input",
        "tests/inputs/german_laender_illustrative.csv",
        "--new-regions",
        "--period-col",
        "year",
        "--region-col",
        "land",
        "--value-col",
        "value",
        "--format",
        "json",
    ];
    // Land 11 is Berlin, not Seoul: no group part at all.
    let v = regis_json(&input, &store);
    assert!(v["group"].is_null(), "{v}");
    let row = &v["rows"][0];
    assert_eq!(row["regions"], 16);
    for field in [
        "group_share",
        "group_total",
        "theil_between",
        "theil_within",
    ] {
        assert!(row[field].is_null(), "{field}: {row}");
    }
    assert!(row["gini"].as_f64().unwrap() > 0.0);
    // A Korean group is refused by name.
    let out = regis(&[&input[..], &["--group", "SMA"]].concat(), &store);
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--group-members"));
    // The user's own group: the eastern Länder (codes 11-16).
    let v = regis_json(
        &[&input[..], &["--group-members", "East=11,12,13,14,15,16"]].concat(),
        &store,
    );
    assert_eq!(v["group"]["id"], "East");
    let row = &v["rows"][0];
    let east = 3660.0 + 2530.0 + 1610.0 + 4060.0 + 2180.0 + 2120.0;
    assert_eq!(row["group_total"].as_f64().unwrap(), east);
    assert!((row["group_share"].as_f64().unwrap() - east / 83070.0).abs() < 1e-12);
    let between = row["theil_between"].as_f64().unwrap();
    let within = row["theil_within"].as_f64().unwrap();
    assert!((between + within - row["theil"].as_f64().unwrap()).abs() < 1e-12);
    // An unknown member is refused with the codes the data has.
    let out = regis(
        &[&input[..], &["--group-members", "East=11,99"]].concat(),
        &store,
    );
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("01, 02"));
}

#[test]
fn bench_reports_a_mismatch_when_the_peer_returns_nan_or_a_short_array() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("bench-fake-peer");
    // A stand-in for the Python peer: called as `PYTHON bench_peer.py DIR`, it writes peer.json
    // into DIR with a NaN in one result and a short array in the other.
    for (name, gini, theil) in [
        ("nan", "[0.1, NaN, 0.3]", "[0.2, 0.2, 0.2]"),
        ("short", "[0.1]", "[0.2]"),
        ("missing", "null", "null"),
    ] {
        let fake = dir.join(format!("fake_peer_{name}.sh"));
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\ncat > \"$2/peer.json\" <<'JSON'\n{{\"versions\": {{}}, \"theil_seconds\": 1.0, \"gini_seconds\": 1.0, \"gini\": {gini}, \"theil\": {theil}, \"theil_between\": {theil}}}\nJSON\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = regis(
            &[
                "bench",
                "--task",
                "inequality",
                "--units",
                "60",
                "--periods",
                "3",
                "--python",
                fake.to_str().unwrap(),
            ],
            &dir,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{name}: bench passed\n{stdout}");
        assert!(stdout.contains("MISMATCH"), "{name}: {stdout}");
        assert!(!stdout.contains("max rel. diff 0.0e0"), "{name}: {stdout}");
    }
}

#[test]
fn the_io_bench_refuses_a_peer_that_disagrees() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("bench-io-mismatch");
    // A peer whose multipliers are all 1: every check must fail, and the bench exit non-zero.
    let fake = dir.join("fake_peer_io.sh");
    std::fs::write(
        &fake,
        "#!/bin/sh\npython3 - \"$2\" <<'PY'\nimport json, sys\nd = sys.argv[1]\nn = json.load(open(d + '/spec_io.json'))['n']\njson.dump({'numpy_inv_1t': 1, 'numpy_inv_all': 1, 'pymrio_1t': 1, 'pymrio_all': 1, 'numpy_solve_1t': 1, 'numpy_solve_all': 1, 'l_diagonal': [1.0] * n, 'multipliers': [1.0] * (4 * n)}, open(d + '/peer_io.json', 'w'))\nPY\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = regis(
        &["bench", "--task", "io", "--python", fake.to_str().unwrap()],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "bench passed\n{stdout}");
    assert_eq!(stdout.matches("MISMATCH").count(), 3, "{stdout}");
    assert!(
        stdout.contains("1411 sectors (17 provinces x 83)"),
        "{stdout}"
    );
}

#[test]
fn an_input_output_code_unknown_to_the_measure_is_refused_with_its_location() {
    let store = tempdir("io-unknown");
    let io = store.join("io_typo.csv");
    // `C77` is not an activity of grdp_nominal: its flows used to be dropped in silence.
    std::fs::write(&io, "from,to,value\nC4,C4,50\nC4,C77,30\nC4,_output,200\n").unwrap();
    let out = regis(
        &[
            "strategy",
            "--region",
            "Ulsan",
            "--io",
            io.to_str().unwrap(),
        ],
        &store,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(err.contains("io_typo.csv:3"), "{err}");
    assert!(
        err.contains("column `to`") && err.contains("`C77`"),
        "{err}"
    );
    assert!(err.contains("[unknown-industry]"), "{err}");
}

/// `regis io QUESTION` on the Bank of Korea's 33-sector table, as JSON.
fn io_kr33(question: &str) -> [&str; 14] {
    [
        "io",
        question,
        "--flows",
        "data/korea/io/io_2020_33_flows.csv",
        "--from-col",
        "from_code",
        "--to-col",
        "to_code",
        "--value-col",
        "value",
        "--sectors",
        "tests/inputs/io_kr33_sectors.csv",
        "--format",
        "json",
    ]
}

#[test]
fn io_multipliers_of_the_korean_table_agree_with_pymrio_and_bad_tables_are_located() {
    let store = tempdir("io-multipliers");
    let v = json_of(&regis(&io_kr33("multipliers"), &store));
    let peer: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            repo().join("crates/regis-methods/tests/fixtures/io_multipliers_peers.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let sectors = v["sectors"].as_array().unwrap();
    assert_eq!(sectors.len(), 33);
    for (field, peer_field) in [
        ("output_multiplier", "output_multipliers"),
        ("income_effect", "income_effects"),
        ("gva_effect", "gva_effects"),
        ("employment_effect", "employment_effects"),
    ] {
        for (k, s) in sectors.iter().enumerate() {
            let (ours, theirs) = (
                s[field].as_f64().unwrap(),
                peer[peer_field][k].as_f64().unwrap(),
            );
            assert!(
                (ours - theirs).abs() <= 1e-10 * theirs.abs().max(1.0),
                "{field} {k}: {ours} vs {theirs}"
            );
        }
    }
    assert!(sectors[0]["income_multiplier"].as_f64().unwrap() > 1.0);
    // Linkages: normalised to mean 1, the Ghosh forward linkage beside the Leontief variant,
    // and each sector classed.
    let l = json_of(&regis(&io_kr33("linkages"), &store));
    let ls = l["sectors"].as_array().unwrap();
    for field in [
        "backward_linkage",
        "forward_linkage",
        "forward_linkage_leontief",
    ] {
        let mean: f64 = ls.iter().map(|s| s[field].as_f64().unwrap()).sum::<f64>() / 33.0;
        assert!((mean - 1.0).abs() < 1e-12, "{field} mean {mean}");
    }
    for s in ls {
        let (b, f) = (
            s["backward_linkage"].as_f64().unwrap(),
            s["forward_linkage"].as_f64().unwrap(),
        );
        let class = match (b > 1.0, f > 1.0) {
            (true, true) => "key",
            (true, false) => "backward",
            (false, true) => "forward",
            _ => "weak",
        };
        assert_eq!(s["key_sector"], class, "{s}");
    }
    assert!(ls.iter().any(|s| s["key_sector"] == "key"));
    // Extraction: every sector's total loss at least its own output, largest first.
    let e = json_of(&regis(&io_kr33("extraction"), &store));
    let es = e["sectors"].as_array().unwrap();
    assert_eq!(es.len(), 33);
    assert!(es
        .windows(2)
        .all(|w| w[0]["total"].as_f64() >= w[1]["total"].as_f64()));
    assert!(es
        .iter()
        .all(|s| s["total"].as_f64() >= s["backward"].as_f64()));
    // Backward linkages are the output multipliers over their mean.
    let mean_om: f64 = sectors
        .iter()
        .map(|s| s["output_multiplier"].as_f64().unwrap())
        .sum::<f64>()
        / 33.0;
    for (s, m) in ls.iter().zip(sectors) {
        let want = m["output_multiplier"].as_f64().unwrap() / mean_om;
        assert!((s["backward_linkage"].as_f64().unwrap() - want).abs() < 1e-12);
    }
    // Malformed tables: each refused with the file, line, column and value.
    let dir = store.join("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let sectors_csv = dir.join("sectors.csv");
    std::fs::write(&sectors_csv, "sector,output\nA,100\nB,200\n").unwrap();
    for (name, flows, sectors, phrase) in [
        (
            "unknown.csv",
            "sector,A,C\nA,10,20\nB,5,5\n",
            None,
            "value `C`: [unknown-industry] not a sector",
        ),
        (
            "square.csv",
            "sector,A,B\nA,10,20\n",
            None,
            "must be square",
        ),
        (
            "number.csv",
            "sector,A,B\nA,10,x\nB,5,5\n",
            None,
            "bad/number.csv:2: column `B`: value `x`: [not-numeric]",
        ),
        (
            "neg.csv",
            "sector,A,B\nA,10,20\nB,5,5\n",
            Some("sector,output\nA,100\nB,-1\n"),
            "value `-1`: [negative] an output cannot be negative",
        ),
        (
            "noout.csv",
            "sector,A,B\nA,10,20\nB,5,5\n",
            Some("sector,total\nA,100\nB,200\n"),
            "--col output=HEADER",
        ),
        (
            "duprow.csv",
            "sector,A,B\nA,10,20\nA,5,5\n",
            None,
            "this sector's row is given twice",
        ),
        (
            "emptyout.csv",
            "sector,A,B\nA,10,20\nB,5,5\n",
            Some("sector,output\nA,100\nB,\n"),
            "every sector needs its output",
        ),
    ] {
        let f = dir.join(name);
        std::fs::write(&f, flows).unwrap();
        let s = match sectors {
            Some(text) => {
                let p = dir.join(format!("sectors-{name}"));
                std::fs::write(&p, text).unwrap();
                p
            }
            None => sectors_csv.clone(),
        };
        let out = regis(
            &[
                "io",
                "multipliers",
                "--flows",
                f.to_str().unwrap(),
                "--sectors",
                s.to_str().unwrap(),
            ],
            &store,
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(65), "{name}: {err}");
        assert!(err.contains(phrase), "{name}: {err}");
    }
}

#[test]
fn clusters_take_the_built_in_input_output_links_when_asked() {
    let store = tempdir("clusters-io-links");
    let members = |extra: &[&str]| -> Vec<Vec<String>> {
        let mut args = vec![
            "clusters", "--level", "province", "--k", "5", "--format", "json",
        ];
        args.extend_from_slice(extra);
        let v = json_of(&regis(&args, &store));
        v["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c["industries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["code"].as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    };
    let together = |clusters: &[Vec<String>], a: &str, b: &str| {
        clusters
            .iter()
            .any(|c| c.iter().any(|x| x == a) && c.iter().any(|x| x == b))
    };
    // Farming and food sit apart by co-location; the input-output links (food buys farm
    // products) bring them together.
    let plain = members(&[]);
    let linked = members(&["--io-links"]);
    assert!(!together(&plain, "A", "C1"), "{plain:?}");
    assert!(together(&linked, "A", "C1"), "{linked:?}");
}

#[test]
fn input_output_tables_are_kept_in_the_store_and_a_bad_one_changes_nothing() {
    let store = tempdir("io-store");
    let inputs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/inputs");
    let (flows, sectors) = (
        inputs.join("io_germany_1995_flows.csv"),
        inputs.join("io_germany_1995_sectors.csv"),
    );
    let import = |sectors: &std::path::Path, year: &str| {
        regis(
            &[
                "io",
                "import",
                "--flows",
                flows.to_str().unwrap(),
                "--sectors",
                sectors.to_str().unwrap(),
                "--col",
                "value_added=gross_value_added",
                "--id",
                "de1995",
                "--year",
                year,
                "--region",
                "Germany",
            ],
            &store,
        )
    };
    assert!(import(&sectors, "1995").status.success());
    let stored = json_of(&regis(
        &[
            "io",
            "multipliers",
            "--stored",
            "de1995",
            "--format",
            "json",
        ],
        &store,
    ));
    assert!((stored["sectors"][0]["output_multiplier"].as_f64().unwrap() - 1.7048).abs() < 6e-5);
    assert!((stored["sectors"][1]["gva_effect"].as_f64().unwrap() - 0.7647).abs() < 6e-5);
    // An unbalanced table is refused with its location; the stored one is untouched.
    let bad = store.join("bad_sectors.csv");
    let text = std::fs::read_to_string(&sectors).unwrap();
    std::fs::write(&bad, text.replace(",245606,", ",254606,")).unwrap();
    let out = import(&bad, "2000");
    assert_eq!(
        out.status.code(),
        Some(65),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad_sectors.csv:4:"));
    let tables = json_of(&regis(&["io", "tables", "--format", "json"], &store));
    assert_eq!(tables["tables"].as_array().unwrap().len(), 1);
    assert_eq!(tables["tables"][0]["year"], 1995);
    // Ids never become paths; an unknown id says how to add one.
    for id in ["../x", "De1995"] {
        let out = regis(&["io", "multipliers", "--stored", id], &store);
        assert_eq!(out.status.code(), Some(64), "{id}");
    }
    let out = regis(&["io", "linkages", "--stored", "kr2020"], &store);
    assert!(String::from_utf8_lossy(&out.stderr).contains("regis io import"));
}

#[test]
fn strategy_takes_its_linkages_from_a_stored_table_when_named() {
    let store = tempdir("strategy-io-stored");
    std::fs::write(
        store.join("flows.csv"),
        "sector,C4,C7,H\nC4,50,30,5\nC7,10,80,5\nH,5,5,10\n",
    )
    .unwrap();
    std::fs::write(
        store.join("sectors.csv"),
        "sector,output\nC4,400\nC7,500\nH,100\n",
    )
    .unwrap();
    std::fs::write(
        store.join("odd.csv"),
        "sector,output\nC4,400\nC7,500\nZZ,100\n",
    )
    .unwrap();
    let import = |sectors: &str, id: &str| {
        regis(
            &[
                "io",
                "import",
                "--flows",
                store.join("flows.csv").to_str().unwrap(),
                "--sectors",
                store.join(sectors).to_str().unwrap(),
                "--id",
                id,
            ],
            &store,
        )
    };
    assert!(import("sectors.csv", "k3").status.success());
    let v = json_of(&regis(
        &[
            "strategy",
            "--region",
            "울산",
            "--io-stored",
            "k3",
            "--format",
            "json",
        ],
        &store,
    ));
    let by = |code: &str| {
        v["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["industry"] == code)
            .unwrap()["criteria"]["linkages"]
            .clone()
    };
    assert!(
        by("C4").is_number() && by("C7").is_number() && by("C1").is_null(),
        "{v}"
    );
    assert!(v["diagnostics"]
        .to_string()
        .contains("stored input-output table `k3`"));
    // A stored table whose sectors are not the measure's industries is refused.
    let flows = std::fs::read_to_string(store.join("flows.csv")).unwrap();
    std::fs::write(store.join("flows.csv"), flows.replace('H', "ZZ")).unwrap();
    assert!(import("odd.csv", "odd").status.success());
    let out = regis(
        &["strategy", "--region", "울산", "--io-stored", "odd"],
        &store,
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`ZZ`"));
}

/// `regis network … --from-monitoring`: the demo projects' cooperation network, smaller for the
/// public (no draft's organisations) than for the administrator; grouped by the stored types;
/// refused with files.
#[test]
fn network_from_the_monitoring_store() {
    let store = tempdir("network-monitor");
    let admin = [("REGIS_USER", "admin"), ("REGIS_PASSWORD", "a-long-secret")];
    assert!(regis_env(
        &["monitor", "init"],
        &store,
        &[("REGIS_ADMIN_PASSWORD", "a-long-secret")]
    )
    .status
    .success());
    assert!(regis_env(&["monitor", "demo"], &store, &admin)
        .status
        .success());
    let summary = |env: &[(&str, &str)]| -> serde_json::Value {
        let out = regis_env(
            &[
                "network",
                "summary",
                "--from-monitoring",
                "--format",
                "json",
            ],
            &store,
            env,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (public, staff) = (summary(&[]), summary(&admin));
    let nodes = |v: &serde_json::Value| v["nodes"].as_u64().unwrap();
    assert!(
        nodes(&public) >= 40 && nodes(&staff) > nodes(&public),
        "{public} {staff}"
    );
    assert_eq!(public["components"], 1);
    assert!(public["type_assortativity"].is_number());
    let out = regis_env(
        &[
            "network",
            "brokerage",
            "--by",
            "type",
            "--from-monitoring",
            "--format",
            "json",
        ],
        &store,
        &[],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["totals"]["liaison"].as_f64().unwrap() > 0.0, "{v}");
    let out = regis_env(
        &[
            "network",
            "summary",
            "--from-monitoring",
            "--edges",
            "x.csv",
        ],
        &store,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from-monitoring"));
}

/// `regis … --format csv | head -1`: the reader closing the pipe early is not an error (the
/// CSV writer's broken pipe included): exit 0, nothing on stderr.
#[test]
fn a_closed_pipe_ends_a_csv_output_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_regis"))
        // 94 KB of CSV: more than a pipe holds, so the writer meets the closed pipe.
        .args([
            "industries",
            "--classification",
            "ksic10",
            "--format",
            "csv",
        ])
        .current_dir(repo())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: the rest of the output meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("code,"), "{first}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `regis micro …` end to end: generated establishments aggregated and stored with
/// `--store-as`, read back by an analytic command; each micro command's JSON fields; the
/// engine and store flags refused where they cannot apply.
#[test]
fn micro_commands_aggregate_store_and_report() {
    let d = tempdir("micro");
    let store = d.join("store");
    let file = d.join("est.parquet");
    let f = file.to_str().unwrap();
    let g = regis_json(
        &[
            "data",
            "generate-establishments",
            "--rows",
            "60000",
            "--seed",
            "4",
            "--periods",
            "3",
            "--start-period",
            "2019",
            "-o",
            f,
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(g["rows"], 60000);
    let a = regis_json(
        &[
            "micro",
            "aggregate",
            "--input",
            f,
            "--store-as",
            "est",
            "--format",
            "json",
        ],
        &store,
    );
    let rows = a["rows"].as_array().unwrap();
    let total: u64 = rows
        .iter()
        .map(|r| r["establishments"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 60000);
    for field in ["region", "industry", "period", "employees", "sales"] {
        assert!(rows[0].get(field).is_some(), "{field}");
    }
    assert!(a["stored"].as_str().unwrap().contains("est_employees"));
    // The same panel as a Parquet file: typed columns, every digit of the CSV rows.
    let pq = d.join("panel.parquet");
    let p = pq.to_str().unwrap();
    let args = [
        "micro",
        "aggregate",
        "--input",
        f,
        "--format",
        "parquet",
        "--out",
        p,
    ];
    let out = regis(&args, &store);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && out.stdout.is_empty(), "{err}");
    assert!(
        err.contains(&format!("wrote {p} ({} rows)", rows.len())),
        "{err}"
    );
    let bytes = std::fs::read(&pq).unwrap();
    let back = regis_data::parquet_io::read(&bytes, "panel.parquet", &Default::default()).unwrap();
    assert_eq!(
        back.header,
        [
            "region",
            "industry",
            "period",
            "establishments",
            "employees",
            "sales"
        ]
    );
    let types: Vec<String> = regis_data::parquet_io::column_types(&bytes)
        .unwrap()
        .into_iter()
        .map(|(name, t, _)| format!("{name} {t}"))
        .collect();
    assert_eq!(
        types,
        [
            "region BYTE_ARRAY",
            "industry BYTE_ARRAY",
            "period INT64",
            "establishments INT64",
            "employees INT64",
            "sales DOUBLE"
        ]
    );
    let about = regis_data::parquet_io::key_value_metadata(&bytes).unwrap();
    assert!(about.contains(&("regis.unit.sales".into(), "million KRW".into())));
    // Against the CSV (17 decimals, every digit).
    let csv = regis(
        &["micro", "aggregate", "--input", f, "--format", "csv"],
        &store,
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(back.rows.len(), rows.len());
    assert_eq!(lines.len(), rows.len());
    for (b, line) in back.rows.iter().zip(lines) {
        let c: Vec<&str> = line.split(',').collect();
        assert_eq!(b.cells[..5], c[..5], "{line}");
        let (pq, csv): (f64, f64) = (b.cells[5].parse().unwrap(), c[5].parse().unwrap());
        assert_eq!(pq.to_bits(), csv.to_bits(), "{line}");
    }
    let s = regis_json(
        &[
            "specialise",
            "--measure",
            "est_employees",
            "--view",
            "industries",
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(s["period"], 2021);
    let eg = regis_json(
        &["micro", "ellison-glaeser", "--input", f, "--format", "json"],
        &store,
    );
    assert!(eg["rows"][0]["plant_herfindahl"].as_f64().unwrap() > 0.0);
    let sizes = regis_json(
        &[
            "micro", "sizes", "--input", f, "--by", "region", "--format", "json",
        ],
        &store,
    );
    assert_eq!(sizes["rows"][0]["size_class"], "0");
    let dynamics = regis_json(
        &["micro", "dynamics", "--input", f, "--format", "json"],
        &store,
    );
    assert_eq!(dynamics["rows"][0]["previous_period"], 2019);
    let c = regis_json(
        &[
            "micro",
            "coagglomeration",
            "--input",
            f,
            "--industries",
            "C,J",
            "--format",
            "json",
        ],
        &store,
    );
    assert_eq!(c["rows"].as_array().unwrap().len(), 3);
    std::fs::create_dir_all(d.join("sub")).unwrap();
    let dir = d.to_str().unwrap();
    // Each command's words (the temporary paths hold no space).
    for (line, says) in [
        (
            format!("micro sizes --input {f} --store-as x"),
            "--store-as",
        ),
        (
            format!("micro aggregate --input {f} --engine spark"),
            "--spark-url",
        ),
        (
            format!("micro aggregate --input {f} --engine spark --spark-url http://x"),
            "sc://",
        ),
        (
            "micro aggregate --input /nonexistent/*.parquet".to_string(),
            "nonexistent",
        ),
        (
            format!("micro aggregate --input {f} --format parquet"),
            "--out FILE.parquet",
        ),
        (
            format!("micro sizes --input {f} --format xlsx"),
            "[possible values: table, csv, json, parquet]",
        ),
        // --out where it would replace the input, or be read as input by the next run.
        (
            format!("micro aggregate --input {f} --format parquet --out {f}"),
            "the input is there",
        ),
        (
            format!("micro sizes --input {dir} --format csv --out {dir}/sub/panel.csv"),
            "the input is there",
        ),
        (
            format!("micro sizes --input {dir}/est*.parquet --format csv --out {dir}/panel.csv"),
            "the input is there",
        ),
    ] {
        let args: Vec<&str> = line.split_whitespace().collect();
        let out = Command::new(env!("CARGO_BIN_EXE_regis"))
            .args(&args)
            .arg("--store")
            .arg(&store)
            .env_remove("SPARK_REMOTE")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(says),
            "{args:?}: {err}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}
