//! The CLI and the API answer a question with the same numbers: each query of the table runs
//! as `regis <command> --format json` and as a GET on a real `regis serve` sharing its store,
//! and the two JSON documents must be equal, value for value.
//!
//! The store holds, besides the built-in data, three measures derived from the built-in
//! provincial GRDP by industry (2010-2017) so that every command meets the hard cases:
//! `grdp_gaps` (cells missing: Gwangju in 2015, Gyeongbuk's manufacturing, one industry in
//! eleven), `grdp_change` (the change on the year before: negative values, allowed) and
//! `grdp_share` (each region's share of the national industry: not additive).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn regis(store: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .unwrap()
}

/// The province GRDP by industry, 2015-2022, as (region, industry, year) -> value.
fn grdp(store: &Path) -> BTreeMap<(String, String, i32), f64> {
    let out = regis(
        store,
        &[
            "data",
            "export",
            "--measure",
            "grdp_nominal",
            "--industry",
            "all",
            "--format",
            "csv",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (region, industry, period, value) = (
        col("region_code"),
        col("industry"),
        col("period"),
        col("value"),
    );
    let mut m = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let year: i32 = rec[period].parse().unwrap();
        if (2010..=2017).contains(&year) && !rec[value].is_empty() {
            m.insert(
                (rec[region].to_string(), rec[industry].to_string(), year),
                rec[value].parse().unwrap(),
            );
        }
    }
    assert!(m.len() > 1000, "{} cells", m.len());
    m
}

fn import(store: &Path, id: &str, rows: &[((String, String, i32), f64)], flag: Option<&str>) {
    let file = store.join(format!("{id}.csv"));
    let mut w = csv::Writer::from_path(&file).unwrap();
    w.write_record(["region", "industry", "year", "value"])
        .unwrap();
    for ((r, i, y), v) in rows {
        w.write_record([r.as_str(), i.as_str(), &y.to_string(), &v.to_string()])
            .unwrap();
    }
    w.flush().unwrap();
    let mut args = vec![
        "data",
        "import",
        file.to_str().unwrap(),
        "--measure",
        id,
        "--region-codes",
        "sgis",
        "--region-col",
        "region",
        "--industry-col",
        "industry",
        "--period-col",
        "year",
        "--value-col",
        "value",
    ];
    args.extend(flag);
    let out = regis(store, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn store_with_hard_measures(store: &Path) {
    let g = grdp(store);
    let gaps: Vec<_> = g
        .iter()
        .filter(|((r, i, y), _)| {
            let one_in_eleven = i.bytes().map(u32::from).sum::<u32>() % 11 == 0 && i != "_T";
            !((r == "29" && *y == 2015) || (r == "37" && i == "C") || one_in_eleven)
        })
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert!(gaps.len() < g.len());
    import(store, "grdp_gaps", &gaps, None);
    let change: Vec<_> = g
        .iter()
        .filter_map(|((r, i, y), v)| {
            let before = g.get(&(r.clone(), i.clone(), y - 1))?;
            Some(((r.clone(), i.clone(), *y), v - before))
        })
        .collect();
    assert!(change.iter().any(|(_, v)| *v < 0.0));
    import(store, "grdp_change", &change, Some("--allow-negative"));
    let mut national: BTreeMap<(String, i32), f64> = BTreeMap::new();
    for ((_, i, y), v) in &g {
        *national.entry((i.clone(), *y)).or_default() += v;
    }
    let share: Vec<_> = g
        .iter()
        .filter(|((_, i, y), _)| national[&(i.clone(), *y)] > 0.0)
        .map(|((r, i, y), v)| ((r.clone(), i.clone(), *y), v / national[&(i.clone(), *y)]))
        .collect();
    import(store, "grdp_share", &share, Some("--not-additive"));
}

/// (CLI arguments, API path): the same question. A leading `!` marks a question both must
/// refuse (the CLI with a non-zero exit, the API with a 4xx): every region of `grdp_change`
/// has a negative industry change, and location quotients of negative values mean nothing.
const QUERIES: &[(&str, &str)] = &[
    (
        "diagnose --measure population",
        "/api/v1/diagnose?measure=population",
    ),
    (
        "diagnose --measure grdp_nominal --industry C --from 2010 --to 2015",
        "/api/v1/diagnose?measure=grdp_nominal&industry=C&from=2010&to=2015",
    ),
    (
        "diagnose --measure grdp_nominal --per population --group-members East=11,23,31",
        "/api/v1/diagnose?measure=grdp_nominal&per=population&group_members=East%3D11%2C23%2C31",
    ),
    (
        "diagnose --measure population --level district --vintage 2011 --period 2020",
        "/api/v1/diagnose?measure=population&level=district&vintage=2011&period=2020",
    ),
    (
        "diagnose --measure grdp_gaps --industry C",
        "/api/v1/diagnose?measure=grdp_gaps&industry=C",
    ),
    (
        "diagnose --measure grdp_change",
        "/api/v1/diagnose?measure=grdp_change",
    ),
    (
        "diagnose --measure grdp_share --industry C --group non-SMA",
        "/api/v1/diagnose?measure=grdp_share&industry=C&group=non-SMA",
    ),
    (
        "specialise --period 2016",
        "/api/v1/specialise?period=2016",
    ),
    (
        "specialise --measure grdp_gaps --view industries --period 2015",
        "/api/v1/specialise?measure=grdp_gaps&view=industries&period=2015",
    ),
    (
        "specialise --measure grdp_gaps --view lq --period 2015 --missing-as-zero",
        "/api/v1/specialise?measure=grdp_gaps&view=lq&period=2015&missing_as_zero=true",
    ),
    (
        "!specialise --measure grdp_change --view lq --period 2013 --industry-depth 2",
        "/api/v1/specialise?measure=grdp_change&view=lq&period=2013&industry_depth=2",
    ),
    (
        "shift-share --from 2010 --to 2017",
        "/api/v1/shift-share?from=2010&to=2017",
    ),
    (
        "shift-share --from 2012 --to 2017 --method dynamic --cells --region 11 --region 21",
        "/api/v1/shift-share?from=2012&to=2017&method=dynamic&cells=true&regions=11,21",
    ),
    (
        "shift-share --measure grdp_gaps --from 2011 --to 2016 --method esteban-marquillas",
        "/api/v1/shift-share?measure=grdp_gaps&from=2011&to=2016&method=esteban-marquillas",
    ),
    (
        "convergence --measure grdp_nominal --per population --from 1998 --to 2017",
        "/api/v1/convergence?measure=grdp_nominal&per=population&from=1998&to=2017",
    ),
    (
        "convergence --measure grdp_nominal --per population --from 2000 --to 2017 --conditional-on SMA",
        "/api/v1/convergence?measure=grdp_nominal&per=population&from=2000&to=2017&conditional_on=SMA",
    ),
    (
        "convergence --measure grdp_gaps --from 2010 --to 2017 --industry C",
        "/api/v1/convergence?measure=grdp_gaps&from=2010&to=2017&industry=C",
    ),
    ("complexity --period 2017", "/api/v1/complexity?period=2017"),
    (
        "complexity --view industries --level district --period 2015",
        "/api/v1/complexity?view=industries&level=district&period=2015",
    ),
    (
        "complexity --measure grdp_gaps --view density --period 2016",
        "/api/v1/complexity?measure=grdp_gaps&view=density&period=2016",
    ),
    (
        "strategy --region 26 --period 2017",
        "/api/v1/strategy/26?period=2017",
    ),
    (
        "strategy --region 47 --weights density=0.6,complexity=0.4 --top 3 --draws 200 --seed 7",
        "/api/v1/strategy/47?weights=density%3D0.6%2Ccomplexity%3D0.4&top=3&draws=200&seed=7",
    ),
    (
        "strategy --measure grdp_gaps --region 11 --window 5",
        "/api/v1/strategy/11?measure=grdp_gaps&window=5",
    ),
    ("strategy --overlap", "/api/v1/strategy"),
    (
        "strategy --overlap --industry-depth 2 --top 3 --contested 4",
        "/api/v1/strategy?industry_depth=2&top=3&contested=4",
    ),
    (
        "strategy --overlap --measure grdp_gaps --window 6",
        "/api/v1/strategy?measure=grdp_gaps&window=6",
    ),
    (
        "clusters --level province --k 4",
        "/api/v1/clusters?level=province&k=4",
    ),
    (
        "io regionalise --region 울산 --delta 0.4",
        "/api/v1/io/regionalise?region=%EC%9A%B8%EC%82%B0&delta=0.4",
    ),
    ("io regionalise --calibrate", "/api/v1/io/calibration"),
    (
        "io multipliers --table 83 --household-closure",
        "/api/v1/io/multipliers?sectors=83&household_closure=true",
    ),
    ("io linkages --table 165", "/api/v1/io/linkages?sectors=165"),
    (
        "clusters --level district --view stars --period 2015",
        "/api/v1/clusters?level=district&view=stars&period=2015",
    ),
    (
        "clusters --measure grdp_gaps --level province --k 3 --view stars",
        "/api/v1/clusters?measure=grdp_gaps&level=province&k=3&view=stars",
    ),
    (
        "!clusters --measure grdp_share --level province",
        "/api/v1/clusters?measure=grdp_share&level=province",
    ),
    (
        "spatial --measure grdp_nominal --per population --level district --period 2020 --permutations 99",
        "/api/v1/spatial?measure=grdp_nominal&per=population&level=district&period=2020&permutations=99",
    ),
    (
        "spatial --measure population --level province --weights knn:3 --local --permutations 199",
        "/api/v1/spatial?measure=population&level=province&weights=knn:3&local=true&permutations=199",
    ),
    (
        "spatial --measure grdp_gaps --industry C --level province --weights rook --period 2016",
        "/api/v1/spatial?measure=grdp_gaps&industry=C&level=province&weights=rook&period=2016",
    ),
    (
        "zones lma --measure migration --period 2019 --admin-prefix 1",
        "/api/v1/zones/lma?measure=migration&period=2019&admin_prefix=1",
    ),
    (
        "zones lma --measure migration --min-size 500 --target-size 5000 --single-pass",
        "/api/v1/zones/lma?measure=migration&min_size=500&target_size=5000&single_pass=true",
    ),
    (
        "zones leiden --measure migration --resolution 1.5 --seed 3",
        "/api/v1/zones/leiden?measure=migration&resolution=1.5&seed=3",
    ),
    (
        "zones leiden --measure migration --quality cpm --resolution 0.0001 --contiguity",
        "/api/v1/zones/leiden?measure=migration&quality=cpm&resolution=0.0001&contiguity=true",
    ),
    (
        "zones maxp --attributes grdp_nominal,companies --per population --threshold 3000000 --iterations 9 --annealing-runs 2",
        "/api/v1/zones/maxp?attributes=grdp_nominal,companies&per=population&threshold=3000000&iterations=9&annealing_runs=2&level=district",
    ),
    (
        "zones skater --attributes grdp_nominal --per population --regions 6 --floor-by population --floor 2000000 --standardise",
        "/api/v1/zones/skater?attributes=grdp_nominal&per=population&regions=6&floor_by=population&floor=2000000&standardise=true&level=district",
    ),
    (
        "evaluate cs --measure grdp_nominal --industry C --per population --treated 38=2005,26=2005,37=2005,24=2005,31=2005,35=2005,32=2005",
        "/api/v1/evaluate/cs?measure=grdp_nominal&industry=C&per=population&treated=38%3D2005,26%3D2005,37%3D2005,24%3D2005,31%3D2005,35%3D2005,32%3D2005",
    ),
    (
        "evaluate cs --measure grdp_gaps --industry C --treated 26=2012,38=2014 --control not-yet --base-period universal",
        "/api/v1/evaluate/cs?measure=grdp_gaps&industry=C&treated=26%3D2012,38%3D2014&control=not-yet&base_period=universal",
    ),
    (
        "evaluate cs --measure grdp_nominal --industry C --per population --covariates population --estimator ipw --treated 38=2005,26=2005,37=2005,24=2005,31=2005,35=2005,32=2005",
        "/api/v1/evaluate/cs?measure=grdp_nominal&industry=C&per=population&covariates=population&estimator=ipw&treated=38%3D2005,26%3D2005,37%3D2005,24%3D2005,31%3D2005,35%3D2005,32%3D2005",
    ),
    (
        "!evaluate did --measure grdp_nominal --covariates population --treated 38=2005",
        "/api/v1/evaluate/did?measure=grdp_nominal&covariates=population&treated=38%3D2005",
    ),
    (
        "evaluate sc --measure grdp_nominal --industry C --per population --treated 26=2005 --no-placebos",
        "/api/v1/evaluate/sc?measure=grdp_nominal&industry=C&per=population&treated=26%3D2005&placebos=false",
    ),
    (
        "evaluate sdid --measure grdp_nominal --industry C --per population --treated 38=2005,37=2005,31=2005",
        "/api/v1/evaluate/sdid?measure=grdp_nominal&industry=C&per=population&treated=38%3D2005,37%3D2005,31%3D2005",
    ),
    (
        "evaluate did --measure grdp_nominal --industry C --per population --treated 38=2005,37=2005,31=2012",
        "/api/v1/evaluate/did?measure=grdp_nominal&industry=C&per=population&treated=38%3D2005,37%3D2005,31%3D2012",
    ),
];

/// Whether a JSON document holds at least one number (an answer, not an empty shell).
fn has_number(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(_) => true,
        serde_json::Value::Array(a) => a.iter().any(has_number),
        serde_json::Value::Object(o) => o.values().any(has_number),
        _ => false,
    }
}

#[test]
fn cli_and_api_answer_with_the_same_numbers() {
    let dir = std::env::temp_dir().join(format!("regis-agreement-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    store_with_hard_measures(&dir);
    let port = free_port();
    let mut server = serve(&dir, port);
    let mut failures = Vec::new();
    for (cli, path) in QUERIES {
        let (refused, cli) = match cli.strip_prefix('!') {
            Some(c) => (true, c),
            None => (false, *cli),
        };
        let mut args: Vec<&str> = cli.split_whitespace().collect();
        args.extend(["--format", "json", "--lang", "en"]);
        let out = regis(&dir, &args);
        let sep = if path.contains('?') { '&' } else { '?' };
        if refused {
            let answer = get(port, &format!("{path}{sep}lang=en"));
            if out.status.success() || !(400..500).contains(&answer.status) {
                failures.push(format!(
                    "regis {cli} (exit {:?}) and GET {path} ({}) must both refuse",
                    out.status.code(),
                    answer.status
                ));
            }
            continue;
        }
        if !out.status.success() {
            failures.push(format!(
                "regis {cli}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let from_cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let answer = get(port, &format!("{path}{sep}lang=en"));
        if answer.status != 200 {
            failures.push(format!("GET {path}: {} {}", answer.status, answer.body));
            continue;
        }
        let from_api: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert!(
            has_number(&from_cli),
            "regis {cli}: no number in {from_cli}"
        );
        if from_cli != from_api {
            failures.push(format!(
                "regis {cli} and GET {path} differ:\n  CLI {from_cli}\n  API {from_api}"
            ));
        }
    }
    server.kill().unwrap();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        QUERIES.len() >= 30,
        "the table must cover every analytic command (at least 30 queries)"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
