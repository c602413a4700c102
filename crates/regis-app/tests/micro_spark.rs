//! The Spark engine against a real Spark cluster (`tests/spark/cluster.sh start`: a master,
//! a worker and the Spark Connect server on 127.0.0.1): the same panels, Ellison-Glaeser
//! statistics and size distributions as the embedded engine, and located errors for bad
//! rows.
//!
//! `REGIS_SPARK_URL` names the server (sc://127.0.0.1:15002). Without it these tests say so
//! and pass, unless `REGIS_REQUIRE_SPARK=1` (CI), where a missing cluster fails them.
//! `REGIS_SPARK_ROWS` sets the generated rows (default 20 million, the acceptance size).
#![cfg(feature = "spark")]

use regis_app::micro::{
    aggregate, dynamics, ellison_glaeser, generate, sizes, Engine, GenerateRequest, MicroRequest,
    SizeBy,
};
use regis_core::Level;
use regis_data::micro::{Block, Writer};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn spark_url() -> Option<String> {
    match std::env::var("REGIS_SPARK_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("REGIS_REQUIRE_SPARK").as_deref() != Ok("1"),
                "REGIS_REQUIRE_SPARK=1 but REGIS_SPARK_URL is not set: start the cluster with \
                 tests/spark/cluster.sh start"
            );
            eprintln!("REGIS_SPARK_URL is not set: the Spark engine's tests did not run");
            None
        }
    }
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regis-spark-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn request(input: &Path, level: Level, engine: Engine) -> MicroRequest {
    MicroRequest {
        input: input.to_path_buf(),
        level,
        classification: "kosis_grdp".into(),
        input_classification: None,
        industry_depth: 2,
        engine,
        check_duplicates: true,
    }
}

#[test]
fn the_cluster_gives_the_embedded_engines_panels() {
    let Some(url) = spark_url() else { return };
    let rows: usize = std::env::var("REGIS_SPARK_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000_000);
    let d = dir("same");
    let file = d.join("establishments.parquet");
    generate(&GenerateRequest {
        rows,
        seed: 11,
        periods: 10,
        start_period: 2014,
        out: file.clone(),
    })
    .unwrap();
    for level in [Level::PROVINCE, Level::DISTRICT] {
        let clock = Instant::now();
        let here = aggregate(&request(&file, level, Engine::Embedded), &|_, _| {}).unwrap();
        let embedded = clock.elapsed();
        let clock = Instant::now();
        let there = aggregate(
            &request(&file, level, Engine::Spark(url.clone())),
            &|_, _| {},
        )
        .unwrap();
        eprintln!(
            "{rows} rows, {} level: embedded {:.1} s, Spark on loopback {:.1} s; {} cells",
            level.name(),
            embedded.as_secs_f64(),
            clock.elapsed().as_secs_f64(),
            here.rows.len()
        );
        assert_eq!(there.rows_read, rows as u64);
        assert_eq!((here.files, there.files), (1, 1));
        assert_eq!(here.rows.len(), there.rows.len());
        for (a, b) in here.rows.iter().zip(&there.rows) {
            assert_eq!(
                (
                    &a.region,
                    &a.industry,
                    a.period,
                    a.establishments,
                    a.employees
                ),
                (
                    &b.region,
                    &b.industry,
                    b.period,
                    b.establishments,
                    b.employees
                )
            );
            assert!(
                (a.sales - b.sales).abs() <= 1e-12 * a.sales.abs(),
                "{a:?} vs {b:?}"
            );
        }
    }
    // The establishment-level statistics: Σ employees² and the size classes are exact.
    let (q, qs) = (
        request(&file, Level::PROVINCE, Engine::Embedded),
        request(&file, Level::PROVINCE, Engine::Spark(url.clone())),
    );
    let (a, b) = (
        ellison_glaeser(&q, &|_, _| {}).unwrap(),
        ellison_glaeser(&qs, &|_, _| {}).unwrap(),
    );
    assert_eq!(a.rows.len(), b.rows.len());
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(
            (&x.industry, x.period, x.employees),
            (&y.industry, y.period, y.employees)
        );
        assert_eq!(x.plant_herfindahl, y.plant_herfindahl);
        assert_eq!(x.ellison_glaeser, y.ellison_glaeser);
    }
    let (a, b) = (
        sizes(&q, SizeBy::Region, &|_, _| {}).unwrap(),
        sizes(&qs, SizeBy::Region, &|_, _| {}).unwrap(),
    );
    assert_eq!(a.rows, b.rows);
    let clock = Instant::now();
    let there = dynamics(&qs, &|_, _| {}).unwrap();
    eprintln!(
        "dynamics on the cluster: {:.1} s",
        clock.elapsed().as_secs_f64()
    );
    let here = dynamics(&q, &|_, _| {}).unwrap();
    assert!(here.rows.iter().map(|r| r.entries).sum::<u64>() > 0);
    assert_eq!(here.rows, there.rows);
    std::fs::remove_dir_all(&d).unwrap();
}

fn small_file(d: &Path, name: &str, edit: impl Fn(&mut Block)) -> PathBuf {
    let file = d.join(format!("{name}.parquet"));
    let mut b = Block {
        id: vec![1, 2, 3],
        period: vec![2020; 3],
        region: vec![0, 0, 1],
        regions: vec!["11010".into(), "26020".into()],
        industry: vec![0, 1, 1],
        industries: vec!["C1".into(), "J".into()],
        employees: vec![3, 4, 5],
        sales: vec![1.0, 2.0, 3.0],
        offset: 0,
        // The writer writes `period`; the indices are the reader's.
        ..Default::default()
    };
    edit(&mut b);
    let mut w = Writer::create(&file).unwrap();
    w.write(&b).unwrap();
    w.finish().unwrap();
    file
}

#[test]
fn the_cluster_refuses_bad_rows_with_their_file_and_establishment() {
    let Some(url) = spark_url() else { return };
    let d = dir("bad");
    let refused = |name: &str, edit: &dyn Fn(&mut Block), says: &[&str]| {
        let f = small_file(&d, name, edit);
        let e = aggregate(
            &request(&f, Level::PROVINCE, Engine::Spark(url.clone())),
            &|_, _| {},
        )
        .unwrap_err()
        .to_string();
        for s in says {
            assert!(e.contains(s), "{e}: no {s}");
        }
    };
    refused(
        "negative",
        &|b| b.employees[2] = -1,
        &[
            "negative.parquet",
            "establishment_id 3",
            "column `employees`",
            "negative",
        ],
    );
    refused(
        "region",
        &|b| b.regions[1] = "99999".into(),
        &[
            "region.parquet",
            "establishment_id 3",
            "`99999`",
            "not a region code",
        ],
    );
    refused(
        "industry",
        &|b| b.industries[1] = "ZZ".into(),
        &["industry.parquet", "`ZZ`", "not an industry code"],
    );
    refused(
        "twice",
        &|b| b.id[2] = 2,
        &[
            "twice.parquet",
            "establishment_id 2",
            "2 rows of this establishment",
        ],
    );
    refused(
        "sales",
        &|b| b.sales[0] = f64::NAN,
        &["sales.parquet", "column `sales`"],
    );
    refused(
        "period",
        &|b| b.period[1] = 20200,
        &[
            "period.parquet",
            "establishment_id 2",
            "column `period`",
            "not a year",
        ],
    );
    // CSV input: the same panel on both engines.
    let csv = d.join("rows.csv");
    std::fs::write(
        &csv,
        "industry,establishment_id,period,region,employees,sales\nC1,1,2020,11010,3,1.5\n\
         J,2,2020, 26020 ,4,2.25\nJ,3,2021,11010,5,3\n",
    )
    .unwrap();
    let here = aggregate(
        &request(&csv, Level::PROVINCE, Engine::Embedded),
        &|_, _| {},
    )
    .unwrap();
    let there = aggregate(
        &request(&csv, Level::PROVINCE, Engine::Spark(url.clone())),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(here.rows.len(), 3);
    assert_eq!(here.rows, there.rows);
    let e = aggregate(
        &request(
            &d.join("absent.parquet"),
            Level::PROVINCE,
            Engine::Spark(url.clone()),
        ),
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("Spark Connect"), "{e}");
    let e = aggregate(
        &request(
            &d.join("negative.parquet"),
            Level::PROVINCE,
            Engine::Spark("sc://127.0.0.1:9".into()),
        ),
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("sc://127.0.0.1:9") && e.contains("connecting"),
        "{e}"
    );
}

#[test]
fn the_cluster_sums_sampling_weights_as_the_embedded_engine() {
    let Some(url) = spark_url() else { return };
    let d = dir("weights");
    let weighted = |name: &str, weight: Vec<f64>| {
        let file = d.join(format!("{name}.parquet"));
        let mut w = Writer::with_weights(&file).unwrap();
        w.write(&Block {
            id: vec![1, 2, 3, 4],
            period: vec![2020, 2020, 2021, 2021],
            region: vec![0, 1, 0, 1],
            regions: vec!["11010".into(), "26020".into()],
            industry: vec![0, 0, 1, 1],
            industries: vec!["C1".into(), "J".into()],
            employees: vec![3, 4, 5, 6],
            sales: vec![1.0, 2.5, 3.0, 0.25],
            weight,
            ..Default::default()
        })
        .unwrap();
        w.finish().unwrap();
        file
    };
    let file = weighted("weighted", vec![1.5, 2.0, 0.25, 8.0]);
    let embedded = aggregate(
        &request(&file, Level::PROVINCE, Engine::Embedded),
        &|_, _| {},
    )
    .unwrap();
    let spark = aggregate(
        &request(&file, Level::PROVINCE, Engine::Spark(url.clone())),
        &|_, _| {},
    )
    .unwrap();
    assert!(spark.weighted && embedded.weighted);
    assert_eq!(spark.rows, embedded.rows);
    assert_eq!(spark.rows[0].weighted_employees, Some(1.5 * 3.0));
    // A negative weight is located; the reports refuse weighted rows.
    let bad = weighted("bad", vec![1.0, -2.0, 1.0, 1.0]);
    let e = aggregate(
        &request(&bad, Level::PROVINCE, Engine::Spark(url.clone())),
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("bad.parquet") && e.contains("establishment_id 2") && e.contains("`weight`"),
        "{e}"
    );
    let e = ellison_glaeser(
        &request(&file, Level::PROVINCE, Engine::Spark(url)),
        &|_, _| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("weight") && e.contains("micro aggregate"), "{e}");
}
