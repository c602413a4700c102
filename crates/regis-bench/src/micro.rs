//! `regis bench --task micro`: the embedded engine's aggregation of generated establishment
//! rows (Parquet) to province × industry × period, against DuckDB on the same file in the same
//! run (`tests/peers/bench_micro_peer.py`), with the panels compared cell by cell (counts and
//! employees exactly, sales to 1e-9 relative; a mismatch fails the bench).

use crate::bench::timed;
use crate::BenchOptions;
use regis_app::micro::{aggregate, generate, AggregateRequest, GenerateRequest};
use std::io::Write;

/// `regis bench --task micro` (`--units` rows; default 10 million).
pub fn bench(a: &BenchOptions) -> anyhow::Result<()> {
    let rows = a.units.unwrap_or(10_000_000);
    let dir = std::env::temp_dir().join(format!("regis-bench-micro-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let file = dir.join("establishments.parquet");
    eprintln!("regis: generating {rows} synthetic establishment rows...");
    let started = std::time::Instant::now();
    generate(&GenerateRequest {
        rows,
        seed: 1,
        periods: 10,
        start_period: 2011,
        out: file.clone(),
    })?;
    let generation = started.elapsed().as_secs_f64();
    // The peer's industry map: each KOSIS GRDP code to its ancestor at depth 2.
    let c = regis_data::korea::classification("kosis_grdp")
        .ok_or_else(|| anyhow::anyhow!("no KOSIS GRDP classification"))?;
    let mut map = String::from("code,target\n");
    for i in c.industries() {
        let mut at = i;
        while at.level > 2 {
            match at.parent.as_deref().and_then(|p| c.get(p)) {
                Some(p) => at = p,
                None => break,
            }
        }
        if at.level == 2 {
            map.push_str(&format!("{},{}\n", i.code, at.code));
        }
    }
    std::fs::write(dir.join("industry_map.csv"), map)?;
    std::fs::write(
        dir.join("spec_micro.json"),
        serde_json::json!({
            "file": file.display().to_string(),
            "map": dir.join("industry_map.csv").display().to_string(),
        })
        .to_string(),
    )?;
    let q = AggregateRequest {
        input: file.clone(),
        level: regis_core::Level::PROVINCE,
        classification: "kosis_grdp".into(),
        input_classification: None,
        industry_depth: 2,
        engine: regis_app::micro::Engine::Embedded,
        check_duplicates: false,
    };
    eprintln!("regis: aggregating (1 and {cores} threads)...");
    let ((one, all), panel) = timed(3, || aggregate(&q, &|_, _| {}));
    let panel = panel?;
    // The same with the check that no establishment appears twice in a period (the CLI's
    // default): against DuckDB's aggregate plus a grouped count of (id, period).
    let checked = AggregateRequest {
        check_duplicates: true,
        ..q.clone()
    };
    eprintln!("regis: aggregating with the duplicate check (1 and {cores} threads)...");
    let ((one_checked, all_checked), again) = timed(3, || aggregate(&checked, &|_, _| {}));
    let same = again?.rows == panel.rows;
    let peer = crate::check::Peer::run(
        a,
        "DuckDB",
        "bench_micro_peer.py",
        &dir,
        "peer_micro.json",
        "pip install duckdb",
    )?;
    // The panels, cell by cell.
    let (n, e, s) = (
        peer.list("establishments"),
        peer.list("employees"),
        peer.list("sales"),
    );
    let agreement = if a.no_peer {
        String::new()
    } else if n.len() != panel.rows.len() {
        format!(
            "MISMATCH: {} cells against the peer's {}",
            panel.rows.len(),
            n.len()
        )
    } else {
        // Both sorted by region, industry, period (codes sort the same way).
        let labels: Vec<(String, String, i64)> = peer
            .value("groups")
            .and_then(|g| g.as_array())
            .map(|g| {
                g.iter()
                    .map(|x| {
                        (
                            x[0].as_str().unwrap_or_default().to_string(),
                            x[1].as_str().unwrap_or_default().to_string(),
                            x[2].as_i64().unwrap_or(i64::MIN),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut worst: f64 = 0.0;
        let mut exact = labels.len() == panel.rows.len();
        for (k, r) in panel.rows.iter().enumerate() {
            exact &= labels.get(k).is_some_and(|(region, industry, period)| {
                *region == r.region && *industry == r.industry && *period == i64::from(r.period)
            });
            exact &= r.establishments as f64 == n[k] && r.employees as f64 == e[k];
            worst = worst.max((r.sales - s[k]).abs() / s[k].abs().max(1e-300));
        }
        if exact && worst <= 1e-9 {
            format!(
                "agree: {} cells, counts and employees equal, sales to {worst:.1e}",
                n.len()
            )
        } else {
            format!(
                "MISMATCH: cells, counts or employees differ (equal: {exact}) or sales by {worst:.1e}"
            )
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<22} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9}  agreement (checked)",
        "task",
        "regis 1t (s)",
        format!("regis {cores}t (s)"),
        "duckdb 1t (s)",
        format!("duckdb {cores}t (s)"),
        "ratio 1t",
        format!("ratio {cores}t")
    )?;
    let ratio = |ours: f64, theirs: Option<f64>| {
        theirs
            .map(|t| format!("{:.2}x", t / ours))
            .unwrap_or_default()
    };
    let (p1, pall) = (peer.secs("duckdb_1t"), peer.secs("duckdb_all"));
    let (c1, call) = (
        peer.secs("duckdb_checked_1t"),
        peer.secs("duckdb_checked_all"),
    );
    writeln!(
        out,
        "{:<22} {:>12.3} {:>12.3} {:>12} {:>12} {:>9} {:>9}  {agreement}",
        format!("aggregate_{}M", rows / 1_000_000),
        one,
        all,
        p1.map(|s| format!("{s:.3}")).unwrap_or_default(),
        pall.map(|s| format!("{s:.3}")).unwrap_or_default(),
        ratio(one, p1),
        ratio(all, pall),
    )?;
    let duplicates = peer.value("duplicates").and_then(|v| v.as_i64());
    let checked_agreement = match (same, duplicates) {
        _ if a.no_peer => String::new(),
        (true, Some(0)) => "agree: no duplicate on either side, the same panel".to_string(),
        (same, d) => format!("MISMATCH: same panel {same}, DuckDB's duplicates {d:?}"),
    };
    writeln!(
        out,
        "{:<22} {:>12.3} {:>12.3} {:>12} {:>12} {:>9} {:>9}  {checked_agreement}",
        format!("aggregate_checked_{}M", rows / 1_000_000),
        one_checked,
        all_checked,
        c1.map(|s| format!("{s:.3}")).unwrap_or_default(),
        call.map(|s| format!("{s:.3}")).unwrap_or_default(),
        ratio(one_checked, c1),
        ratio(all_checked, call),
    )?;
    writeln!(
        out,
        "timers: median of 3, both sides reading the same Parquet file ({} MB, {} row groups) from the page cache; Regis resolves every code through the SGIS code history and the classification, DuckDB takes the province as the code's first two digits and joins a code map. Generated in {generation:.1} s.",
        std::fs::metadata(&file).map(|m| m.len() / 1_000_000).unwrap_or(0),
        regis_data::micro::row_groups(std::slice::from_ref(&file)).map(|g| g.len()).unwrap_or(0),
    )?;
    writeln!(
        out,
        "input: {rows} SYNTHETIC establishment rows, 10 years, seed 1 (in {}; the Parquet file is deleted after a passing check)",
        dir.display()
    )?;
    if agreement.starts_with("MISMATCH") || checked_agreement.starts_with("MISMATCH") {
        anyhow::bail!("agreement check failed for aggregate");
    }
    // The file is hundreds of MB at the default size: kept only when the check failed.
    let _ = std::fs::remove_file(&file);
    Ok(())
}
