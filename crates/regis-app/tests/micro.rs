//! Establishment micro data: the generator is deterministic and calibrated, the embedded
//! aggregation's panel equals an independent sum over the rows for every thread budget, and
//! bad rows are refused with their file, row group, row and column.

use regis_app::micro::{aggregate, generate, AggregateRequest, Engine, GenerateRequest};
use regis_core::Level;
use regis_data::micro::{input_files, read_row_group, row_groups, Block, Writer};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regis-micro-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn request(input: PathBuf, level: Level) -> AggregateRequest {
    AggregateRequest {
        input,
        level,
        classification: "kosis_grdp".into(),
        input_classification: None,
        industry_depth: 2,
        engine: Engine::Embedded,
        check_duplicates: true,
    }
}

#[test]
fn the_panel_equals_an_independent_sum_for_every_thread_budget() {
    let d = dir("panel");
    let file = d.join("e.parquet");
    let q = GenerateRequest {
        rows: 250_000,
        seed: 7,
        periods: 5,
        start_period: 2016,
        out: file.clone(),
    };
    let g = regis_methods::parallel::with_thread_budget(2, || generate(&q)).unwrap();
    assert_eq!(g.rows, 250_000);
    // The same seed writes the same file, whatever the thread budget.
    let again = d.join("again.parquet");
    regis_methods::parallel::with_thread_budget(1, || {
        generate(&GenerateRequest {
            out: again.clone(),
            ..q.clone()
        })
    })
    .unwrap();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap()
    );
    std::fs::remove_file(&again).unwrap();
    // Independently: every row's province (the SGIS district code's first two digits) and
    // activity (C1..C7 are under C), summed.
    let mut want: BTreeMap<(String, String, i32), (u64, i64, f64)> = BTreeMap::new();
    let mut periods = std::collections::BTreeSet::new();
    for (f, k, _) in row_groups(&input_files(&file).unwrap()).unwrap() {
        let b = read_row_group(&f, k).unwrap();
        for r in 0..b.len() {
            let region = b.regions[b.region[r] as usize][..2].to_string();
            let code = &b.industries[b.industry[r] as usize];
            let industry = if code.starts_with('C') {
                "C".to_string()
            } else {
                code.clone()
            };
            periods.insert(b.period[r]);
            let e = want.entry((region, industry, b.period[r])).or_default();
            e.0 += 1;
            e.1 += b.employees[r];
            e.2 += b.sales[r];
        }
    }
    assert_eq!(periods.len(), 5);
    for threads in [1, 2] {
        let a = regis_methods::parallel::with_thread_budget(threads, || {
            aggregate(&request(file.clone(), Level::PROVINCE), &|_, _| {})
        })
        .unwrap();
        assert_eq!(a.rows_read, 250_000);
        assert_eq!(a.rows.len(), want.len());
        for r in &a.rows {
            let w = want[&(r.region.clone(), r.industry.clone(), r.period)];
            assert_eq!((r.establishments, r.employees), (w.0, w.1), "{r:?}");
            assert!((r.sales - w.2).abs() <= 1e-12 * w.2.abs(), "{r:?} {}", w.2);
        }
    }
    // 17 provinces; every one has establishments.
    let a = aggregate(&request(file.clone(), Level::PROVINCE), &|_, _| {}).unwrap();
    let provinces: std::collections::BTreeSet<&str> =
        a.rows.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(provinces.len(), 17, "{provinces:?}");
    // At district level the panel has the generated districts' codes.
    let a = aggregate(&request(file.clone(), Level::DISTRICT), &|_, _| {}).unwrap();
    assert!(a.rows.iter().all(|r| r.region.len() == 5));
    assert_eq!(
        a.rows.iter().map(|r| r.establishments).sum::<u64>(),
        250_000
    );
}

fn bad_file(d: &std::path::Path, edit: impl Fn(&mut Block)) -> PathBuf {
    let file = d.join(format!("bad-{}.parquet", rand_name()));
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

fn rand_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

#[test]
fn bad_rows_are_refused_with_file_row_group_row_and_column() {
    let d = dir("bad");
    let refused = |edit: &dyn Fn(&mut Block), says: &[&str]| {
        let f = bad_file(&d, edit);
        let e = aggregate(&request(f, Level::PROVINCE), &|_, _| {})
            .unwrap_err()
            .to_string();
        for s in says {
            assert!(e.contains(s), "{e}: no {s}");
        }
    };
    refused(
        &|b| b.employees[2] = -1,
        &["bad-", "row group 1, row 3, column `employees`", "negative"],
    );
    refused(
        &|b| b.regions[1] = "99999".into(),
        &["row 3, column `region`", "`99999`", "not a region code"],
    );
    refused(
        &|b| b.industries[1] = "ZZ".into(),
        &["row 2, column `industry`", "`ZZ`", "not an industry code"],
    );
    // A province code is fine for a provincial panel, refused for a district one.
    let f = bad_file(&d, |b: &mut Block| b.regions[1] = "26".into());
    assert!(aggregate(&request(f.clone(), Level::PROVINCE), &|_, _| {}).is_ok());
    let e = aggregate(&request(f, Level::DISTRICT), &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("coarser"), "{e}");
    refused(&|b| b.sales[0] = f64::NAN, &["column `sales`"]);
    refused(
        &|b| b.period[1] = 20200,
        &["column `period`", "row 2", "not a year"],
    );
    refused(
        &|b| {
            b.employees[0] = i64::MAX;
            b.employees[1] = i64::MAX;
            b.industry[0] = 1;
        },
        &["column `employees`", "overflows"],
    );
}

#[test]
fn an_establishment_twice_in_a_period_is_refused_with_both_places() {
    let d = dir("twice");
    // Establishment 2 in 2020 in the first file, again in the second one; in 2021 it is fine.
    let a = bad_file(&d, |_| {});
    let b = bad_file(&d, |b| {
        b.id = vec![9, 2, 2];
        b.period = vec![2020, 2021, 2020];
    });
    let e = aggregate(&request(d.clone(), Level::PROVINCE), &|_, _| {})
        .unwrap_err()
        .to_string();
    for s in [
        b.display().to_string().as_str(),
        "row group 1, row 3",
        "establishment 2 appears twice in period 2020",
        a.display().to_string().as_str(),
    ] {
        assert!(e.contains(s), "{e}: no {s}");
    }
    // The check can be skipped for data known to be clean.
    let mut q = request(d.clone(), Level::PROVINCE);
    q.check_duplicates = false;
    assert_eq!(aggregate(&q, &|_, _| {}).unwrap().rows_read, 6);
    std::fs::remove_file(&b).unwrap();
    assert_eq!(
        aggregate(&request(d, Level::PROVINCE), &|_, _| {})
            .unwrap()
            .rows_read,
        3
    );
}

#[test]
fn entries_and_exits_equal_an_independent_count_for_every_thread_budget() {
    use regis_app::micro::dynamics;
    let d = dir("dynamics");
    let file = d.join("e.parquet");
    generate(&GenerateRequest {
        rows: 120_000,
        seed: 5,
        periods: 4,
        start_period: 2018,
        out: file.clone(),
    })
    .unwrap();
    // Independently: each establishment's province and activity per period.
    let mut at: BTreeMap<(i64, i32), (String, String)> = BTreeMap::new();
    for (f, k, _) in row_groups(&input_files(&file).unwrap()).unwrap() {
        let b = read_row_group(&f, k).unwrap();
        for r in 0..b.len() {
            let code = &b.industries[b.industry[r] as usize];
            let industry = if code.starts_with('C') {
                "C".to_string()
            } else {
                code.clone()
            };
            let region = b.regions[b.region[r] as usize][..2].to_string();
            at.insert((b.id[r], b.period[r]), (region, industry));
        }
    }
    // (region, industry, period) → [entries, exits, continuing]
    let mut want: BTreeMap<(String, String, i32), [u64; 3]> = BTreeMap::new();
    for (&(id, p), cell) in &at {
        if p > 2018 {
            let k = if at.contains_key(&(id, p - 1)) { 2 } else { 0 };
            want.entry((cell.0.clone(), cell.1.clone(), p)).or_default()[k] += 1;
        }
        if p < 2021 && !at.contains_key(&(id, p + 1)) {
            want.entry((cell.0.clone(), cell.1.clone(), p + 1))
                .or_default()[1] += 1;
        }
    }
    let (mut entries, mut exits) = (0, 0);
    for threads in [1, 2] {
        let got = regis_methods::parallel::with_thread_budget(threads, || {
            dynamics(&request(file.clone(), Level::PROVINCE), &|_, _| {})
        })
        .unwrap();
        let mut seen = 0;
        for r in &got.rows {
            let w = want
                .get(&(r.region.clone(), r.industry.clone(), r.period))
                .copied()
                .unwrap_or_default();
            assert_eq!([r.entries, r.exits, r.continuing], w, "{r:?}");
            seen += usize::from(w != [0; 3]);
            assert_eq!(r.previous_period, r.period - 1);
        }
        assert_eq!(seen, want.values().filter(|w| **w != [0; 3]).count());
        entries = got.rows.iter().map(|r| r.entries).sum::<u64>();
        exits = got.rows.iter().map(|r| r.exits).sum::<u64>();
    }
    // The generator has entry and exit between years.
    assert!(entries > 1_000 && exits > 1_000, "{entries} {exits}");
}

/// The rows of a Parquet file written as CSV (columns in another order).
fn as_csv(parquet: &std::path::Path, csv: &std::path::Path) {
    let mut out = String::from("sales,employees,industry,region,period,establishment_id\n");
    for (f, k, _) in row_groups(&input_files(parquet).unwrap()).unwrap() {
        let b = read_row_group(&f, k).unwrap();
        for r in 0..b.len() {
            out.push_str(&format!(
                "{:?},{},{},{},{},{}\n",
                b.sales[r],
                b.employees[r],
                b.industries[b.industry[r] as usize],
                b.regions[b.region[r] as usize],
                b.period[r],
                b.id[r]
            ));
        }
    }
    std::fs::write(csv, out).unwrap();
}

#[test]
fn csv_input_gives_the_parquet_panel_and_located_errors() {
    let d = dir("csv");
    let file = d.join("e.parquet");
    generate(&GenerateRequest {
        rows: 150_000,
        seed: 9,
        periods: 3,
        start_period: 2019,
        out: file.clone(),
    })
    .unwrap();
    let csv = d.join("csv");
    std::fs::create_dir_all(&csv).unwrap();
    as_csv(&file, &csv.join("e.csv"));
    let a = aggregate(&request(file.clone(), Level::DISTRICT), &|_, _| {}).unwrap();
    let b = aggregate(&request(csv.clone(), Level::DISTRICT), &|_, _| {}).unwrap();
    assert_eq!(b.rows_read, 150_000);
    assert_eq!(a.rows.len(), b.rows.len());
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(
            (
                &x.region,
                &x.industry,
                x.period,
                x.establishments,
                x.employees
            ),
            (
                &y.region,
                &y.industry,
                y.period,
                y.establishments,
                y.employees
            )
        );
        assert!(
            (x.sales - y.sales).abs() <= 1e-12 * x.sales.abs(),
            "{x:?} {y:?}"
        );
    }
    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        "establishment_id,period,region,industry,employees,sales\n1,2020,11010,C1,3,1\n\
         2,2020,99999,C1,3,1\n",
    )
    .unwrap();
    let e = aggregate(&request(bad.clone(), Level::PROVINCE), &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.csv") && e.contains("line 3, column `region`") && e.contains("99999"),
        "{e}"
    );
}

#[test]
fn ksic9_codes_reach_a_ksic10_panel_through_the_concordance() {
    let d = dir("ksic9");
    let q = |file: PathBuf| AggregateRequest {
        classification: "ksic10".into(),
        input_classification: Some("ksic9".into()),
        ..request(file, Level::PROVINCE)
    };
    // 06210 became 06200 (division 06); 01131 went to 01121 and 01131 (both division 01).
    let f = bad_file(&d, |b| b.industries = vec!["06210".into(), "01131".into()]);
    let a = aggregate(&q(f), &|_, _| {}).unwrap();
    let got: Vec<(&str, &str, u64)> = a
        .rows
        .iter()
        .map(|r| (r.region.as_str(), r.industry.as_str(), r.establishments))
        .collect();
    assert_eq!(got, [("11", "01", 1), ("11", "06", 1), ("26", "01", 1)]);
    // 07112 went to 07110 (division 07) and 23212 (division 23): one establishment cannot be
    // split, so it is refused with both classes named.
    let f = bad_file(&d, |b| b.industries = vec!["06210".into(), "07112".into()]);
    let e = aggregate(&q(f), &|_, _| {}).unwrap_err().to_string();
    for s in [
        "row 2, column `industry`",
        "`07112`",
        "07110, 23212",
        "cannot be split",
    ] {
        assert!(e.contains(s), "{e}: no {s}");
    }
    // Only KSIC 9 into KSIC 10 goes through a concordance.
    let mut wrong = q(d.join("none.parquet"));
    wrong.input_classification = Some("naics2012".into());
    let e = aggregate(&wrong, &|_, _| {}).unwrap_err().to_string();
    assert!(e.contains("--input-classification"), "{e}");
}

#[test]
fn generated_establishments_follow_district_company_counts_and_group_value_added() {
    // The expected share of each district × industry group: the district's 2020 company
    // count × the group's share of the district's 2020 GVA (built-in data).
    use regis_data::korea;
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS).unwrap();
    let companies = &korea::dataset("companies").unwrap();
    let companies = &companies.panel_at(Level::DISTRICT).unwrap().panel;
    let grdp = korea::dataset("grdp_nominal").unwrap();
    let gva = &grdp.panel_at(Level::DISTRICT).unwrap().panel;
    let groups = [
        "A", "B", "C", "DE", "F", "G", "H", "I", "J", "K", "L", "MN", "O", "P", "Q", "RS",
    ];
    let mut expected: std::collections::HashMap<(String, String), f64> = Default::default();
    // A city's gus are inside the city's count (Suwon-si holds Jangan-gu …); the panel's
    // code is the region's code in force now.
    let cities: std::collections::HashSet<_> = companies.regions().iter().copied().collect();
    for &d in companies.regions() {
        if cat.region(d).parent.is_some_and(|p| cities.contains(&p)) {
            continue;
        }
        let (Some(count), Some(_)) = (
            companies.get(d, "_T", regis_core::Period(2020)),
            cat.code_in(d, sgis, Some(2020)),
        ) else {
            continue;
        };
        let code = &cat.region(d).code;
        let mix: Vec<f64> = groups
            .iter()
            .map(|g| gva.get(d, g, regis_core::Period(2020)).unwrap_or(0.0))
            .collect();
        let sum: f64 = mix.iter().sum();
        if sum > 0.0 {
            for (g, m) in groups.iter().zip(&mix) {
                expected.insert((code.to_string(), g.to_string()), count * m / sum);
            }
        }
    }
    let d = dir("calibration");
    let file = d.join("e.parquet");
    generate(&GenerateRequest {
        rows: 1_000_000,
        seed: 11,
        periods: 1,
        start_period: 2020,
        out: file.clone(),
    })
    .unwrap();
    let panel = aggregate(&request(file, Level::DISTRICT), &|_, _| {}).unwrap();
    let total: f64 = panel.rows.iter().map(|r| r.establishments as f64).sum();
    let weights: f64 = expected.values().sum();
    // Total variation distance between the generated and the expected shares: sampling
    // noise alone at 1,000,000 rows over ~3,600 cells is about 0.02 (the generator before
    // this calibration, province mixes and gus counted twice: 0.20).
    let mut distance = 0.0;
    let mut seen = std::collections::HashSet::new();
    for r in &panel.rows {
        let key = (r.region.clone(), r.industry.clone());
        let want = expected.get(&key).copied().unwrap_or(0.0) / weights;
        distance += (r.establishments as f64 / total - want).abs();
        seen.insert(key);
    }
    for (key, w) in &expected {
        if !seen.contains(key) {
            distance += w / weights;
        }
    }
    let distance = distance / 2.0;
    assert!(distance < 0.04, "total variation distance {distance}");
    // Manufacturing is where its value added is: Hwaseong (31240) has far more of its
    // establishments in C than Jongno (11010).
    let share = |region: &str, group: &str| {
        let of = |g: Option<&str>| -> f64 {
            panel
                .rows
                .iter()
                .filter(|r| r.region == region && g.is_none_or(|g| r.industry == g))
                .map(|r| r.establishments as f64)
                .sum()
        };
        of(Some(group)) / of(None)
    };
    assert!(share("31240", "C") > 3.0 * share("11010", "C"));
}

#[test]
fn sampling_weights_are_summed_and_checked() {
    let d = dir("weights");
    // Two districts of Seoul (province 11) and one of Busan (26), two industries, 2020.
    let block = Block {
        id: vec![1, 2, 3, 4],
        period: vec![2020; 4],
        region: vec![0, 0, 1, 2],
        regions: vec!["11010".into(), "11020".into(), "26020".into()],
        industry: vec![0, 0, 0, 1],
        industries: vec!["C1".into(), "J".into()],
        employees: vec![4, 10, 2, 7],
        sales: vec![1.5, 2.0, 0.5, 3.0],
        weight: vec![2.0, 0.5, 10.0, 1.25],
        ..Default::default()
    };
    let parquet = d.join("weighted.parquet");
    let mut w = Writer::with_weights(&parquet).unwrap();
    w.write(&block).unwrap();
    w.finish().unwrap();
    let csv = d.join("weighted.csv");
    std::fs::write(
        &csv,
        "establishment_id,period,region,industry,employees,sales,weight\n\
         1,2020,11010,C1,4,1.5,2\n2,2020,11010,C1,10,2.0,0.5\n3,2020,11020,C1,2,0.5,10\n\
         4,2020,26020,J,7,3.0,1.25\n",
    )
    .unwrap();
    for input in [&parquet, &csv] {
        let a = aggregate(&request(input.clone(), Level::PROVINCE), &|_, _| {}).unwrap();
        assert!(a.weighted);
        let row = |region: &str, industry: &str| {
            a.rows
                .iter()
                .find(|r| r.region == region && r.industry == industry)
                .unwrap()
                .clone()
        };
        // Seoul, C (C1 under C): rows 1-3.
        let seoul = row("11", "C");
        assert_eq!((seoul.establishments, seoul.employees), (3, 16));
        assert_eq!(seoul.weighted_establishments, Some(12.5));
        assert_eq!(
            seoul.weighted_employees,
            Some(2.0 * 4.0 + 0.5 * 10.0 + 10.0 * 2.0)
        );
        assert_eq!(
            seoul.weighted_sales,
            Some(2.0 * 1.5 + 0.5 * 2.0 + 10.0 * 0.5)
        );
        let busan = row("26", "J");
        assert_eq!(busan.weighted_employees, Some(8.75));
        let json = serde_json::to_value(&a.rows[0]).unwrap();
        assert!(json.get("weighted_establishments").is_some(), "{json}");
    }
    // Without a weight column the rows hold no weighted field.
    let plain = d.join("plain.parquet");
    let mut w = Writer::create(&plain).unwrap();
    w.write(&Block {
        weight: Vec::new(),
        ..block.clone()
    })
    .unwrap();
    w.finish().unwrap();
    let a = aggregate(&request(plain.clone(), Level::PROVINCE), &|_, _| {}).unwrap();
    assert!(!a.weighted && a.rows.iter().all(|r| r.weighted_sales.is_none()));
    let json = serde_json::to_value(&a.rows[0]).unwrap();
    assert!(json.get("weighted_establishments").is_none(), "{json}");
    // A negative weight is located; a directory mixing weighted and unweighted files is
    // refused; the establishment-level reports refuse weighted rows.
    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        "establishment_id,period,region,industry,employees,sales,weight\n\
         1,2020,11010,C1,4,1.5,2\n2,2020,11010,C1,10,2.0,-1\n",
    )
    .unwrap();
    let e = aggregate(&request(bad, Level::PROVINCE), &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.csv") && e.contains("line 3") && e.contains("`weight`"),
        "{e}"
    );
    let mixed = d.join("mixed");
    std::fs::create_dir_all(&mixed).unwrap();
    std::fs::copy(&parquet, mixed.join("a.parquet")).unwrap();
    std::fs::copy(&plain, mixed.join("b.parquet")).unwrap();
    let e = aggregate(&request(mixed, Level::PROVINCE), &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("b.parquet") && e.contains("no `weight` column"),
        "{e}"
    );
    let e = regis_app::micro::ellison_glaeser(&request(parquet, Level::PROVINCE), &|_, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("weight") && e.contains("micro aggregate"), "{e}");
}
