//! `regis bench --task io`: the Leontief inverse and every multiplier of a 1,411-sector
//! multiregional table (17 provinces × 83 sectors) against numpy/OpenBLAS and pymrio in the
//! same run (`tests/peers/bench_io_peer.py`), with the ratio per thread count and an agreement
//! check that can fail.
//!
//! The table is built from the Bank of Korea's 2020 national table (83 sectors, built in): each
//! province's sectors are sized by its share of the nation's 2017 GRDP in the sector's activity
//! (as `regis io regionalise` sizes them; Sejong, which has no GRDP by activity in the built-in
//! data, by its 2017 population share),
//! its own block holds the FLQ coefficients (δ 0.45) and the rest of each national coefficient
//! is bought from the other provinces in proportion to their output of the product — so every
//! column of the multiregional coefficients sums to the national one. It is a benchmark input
//! with the shape and the structure of the BoK multiregional table, not that table.

use std::io::Write;

use regis_data::korea::io::{korean_io_table, IoLevel};
use regis_methods::input_output::{leontief_inverse, technical_coefficients};
use regis_methods::io_regional::{regional_coefficients, Quotient};

use crate::bench::timed;
use crate::BenchOptions;

/// Sizes (regions × 83) of the 17 provinces: the 16 with GRDP by activity as
/// `regis io regionalise` sizes them, and Sejong, which has none in the built-in data, by its
/// 2017 population share of every sector.
fn province_sizes(output: &[f64]) -> anyhow::Result<Vec<Vec<f64>>> {
    use regis_core::{Level, Period};
    let mut sizes: Vec<Vec<f64>> = regis_app::io_region::province_sizes()?
        .iter()
        .map(|p| p.sizes.clone())
        .collect();
    let pop = regis_data::korea::dataset("population")?;
    let pp = &pop
        .panel_at(Level::PROVINCE)
        .ok_or_else(|| anyhow::anyhow!("no province population"))?
        .panel;
    let cat = regis_data::korea::catalog();
    let value = |r| pp.get(r, regis_core::TOTAL_INDUSTRY, Period(2017));
    let provinces = cat.at_level(Level::PROVINCE, Some(2017));
    let total: f64 = provinces.iter().filter_map(|r| value(*r)).sum();
    let sejong = cat.resolve(
        "29",
        cat.system_index(regis_data::korea::SGIS),
        None,
        Some(Level::PROVINCE),
    )?;
    let share = value(sejong).unwrap_or(0.0) / total;
    sizes.push(output.iter().map(|x| x * share).collect());
    Ok(sizes)
}

/// Flows (N × N), output (N) and satellite rows (compensation, GVA, employment; each N).
type Table = (Vec<f64>, Vec<f64>, Vec<Vec<f64>>);

/// The multiregional table, N = regions × 83.
fn mrio() -> anyhow::Result<Table> {
    let t = korean_io_table(IoLevel::Sectors83)?;
    let io = &t.system;
    let n = io.sectors.len();
    let a = technical_coefficients(&io.flows, &io.output).map_err(|e| anyhow::anyhow!("{e}"))?;
    let sizes = province_sizes(&io.output)?;
    let regions = sizes.len();
    let big = regions * n;
    let produced: Vec<f64> = (0..n).map(|i| sizes.iter().map(|s| s[i]).sum()).collect();
    let mut z = vec![0.0; big * big];
    for (s, sz) in sizes.iter().enumerate() {
        let own = regional_coefficients(
            &a,
            sz,
            &io.output,
            Quotient::Flq(regis_app::io_chain::KOREA_DELTA),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (r, sr) in sizes.iter().enumerate() {
            for i in 0..n {
                let elsewhere = produced[i] - sz[i];
                for j in 0..n {
                    let coef = if r == s {
                        own[i * n + j]
                    } else if elsewhere > 0.0 {
                        (a[i * n + j] - own[i * n + j]) * sr[i] / elsewhere
                    } else {
                        0.0
                    };
                    z[(r * n + i) * big + s * n + j] = coef * sz[j];
                }
            }
        }
    }
    let x: Vec<f64> = sizes.iter().flatten().copied().collect();
    // Satellites: compensation, GVA, employment, each sized like output.
    let field = |f: &str| io.field(f).map(<[f64]>::to_vec).unwrap_or_default();
    let (comp, gva, jobs) = (
        field("compensation"),
        io.value_added().map(|(v, _)| v).unwrap_or_default(),
        field("employment"),
    );
    let per_output = |v: &[f64], k: usize| {
        if io.output[k] > 0.0 {
            v[k] / io.output[k]
        } else {
            0.0
        }
    };
    let satellites: Vec<Vec<f64>> = [comp, gva, jobs]
        .iter()
        .map(|v| {
            sizes
                .iter()
                .flat_map(|s| (0..n).map(move |k| s[k] * per_output(v, k)))
                .collect()
        })
        .collect();
    Ok((z, x, satellites))
}

fn write_f64(path: &std::path::Path, v: &[f64]) -> anyhow::Result<()> {
    let mut bytes = Vec::with_capacity(v.len() * 8);
    for x in v {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(path, bytes)?;
    Ok(())
}

/// Largest relative difference, or None when a side is missing or not finite.
fn max_rel(ours: &[f64], theirs: &[f64]) -> Option<f64> {
    (ours.len() == theirs.len() && !ours.is_empty()).then_some(())?;
    let mut worst = 0.0f64;
    for (a, b) in ours.iter().zip(theirs) {
        if !a.is_finite() || !b.is_finite() {
            return None;
        }
        worst = worst.max((a - b).abs() / b.abs().max(1e-12));
    }
    Some(worst)
}

/// `regis bench --task io`.
pub fn bench(a: &BenchOptions) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("regis-bench-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("regis: building the 17 x 83 multiregional table from the built-in BoK table...");
    let (z, x, satellites) = mrio()?;
    let big = x.len();
    write_f64(&dir.join("z.bin"), &z)?;
    write_f64(&dir.join("x.bin"), &x)?;
    write_f64(&dir.join("s.bin"), &satellites.concat())?;
    std::fs::write(
        dir.join("spec_io.json"),
        serde_json::json!({"n": big, "satellites": satellites.len()}).to_string(),
    )?;
    let a_coef = technical_coefficients(&z, &x).map_err(|e| anyhow::anyhow!("{e}"))?;
    // (1) The Leontief inverse, then every multiplier from it (pymrio's way: M = S L).
    let inverse_and_products = || -> anyhow::Result<(Vec<f64>, Vec<Vec<f64>>)> {
        let l = leontief_inverse(&a_coef).map_err(|e| anyhow::anyhow!("{e}"))?;
        let m = std::iter::once(vec![1.0; big])
            .chain(satellites.iter().map(|s| {
                s.iter()
                    .zip(&x)
                    .map(|(v, x)| if *x > 0.0 { v / x } else { 0.0 })
                    .collect()
            }))
            .map(|c: Vec<f64>| {
                let mut row = vec![0.0; big];
                for (i, ci) in c.iter().enumerate() {
                    if *ci != 0.0 {
                        for (r, l) in row.iter_mut().zip(&l[i * big..(i + 1) * big]) {
                            *r += ci * l;
                        }
                    }
                }
                row
            })
            .collect();
        Ok((l, m))
    };
    // (2) Every multiplier by one LU and row solves, no inverse.
    let by_solve = || -> anyhow::Result<Vec<f64>> {
        let lu = regis_methods::input_output::leontief_lu(&a_coef)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut rows: Vec<f64> = vec![1.0; big];
        for s in &satellites {
            rows.extend(
                s.iter()
                    .zip(&x)
                    .map(|(v, x)| if *x > 0.0 { v / x } else { 0.0 }),
            );
        }
        lu.solve_rows(&mut rows);
        Ok(rows)
    };
    eprintln!(
        "regis: Leontief inverse and multipliers of {big} sectors (1 and {cores} threads)..."
    );
    let inverse_only = || leontief_inverse(&a_coef).map(|l| l.len());
    let ((alone1, alone_all), _) = timed(3, inverse_only);
    let ((inv1, inv_all), inv) = timed(3, inverse_and_products);
    let ((solve1, solve_all), solved) = timed(3, by_solve);
    let (l, from_inverse) = inv?;
    let solved = solved?;
    let peer = crate::check::Peer::run(
        a,
        "numpy and pymrio",
        "bench_io_peer.py",
        &dir,
        "peer_io.json",
        "pip install numpy pymrio threadpoolctl",
    )?;
    let list = |k: &str| peer.list(k);
    let secs = |k: &str| peer.secs(k);
    let diag: Vec<f64> = (0..big).map(|i| l[i * big + i]).collect();
    let ours_m: Vec<f64> = from_inverse.concat();
    let checks = [
        (
            "leontief_inverse",
            max_rel(&diag, &list("l_diagonal")),
            1e-9,
        ),
        (
            "multipliers_from_inverse",
            max_rel(&ours_m, &list("multipliers")),
            1e-9,
        ),
        (
            "multipliers_by_lu_solve",
            max_rel(&solved, &list("multipliers")),
            1e-9,
        ),
    ];
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<28} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9}  agreement (checked)",
        "task",
        "regis 1t (s)",
        format!("regis {cores}t (s)"),
        "peer 1t (s)",
        format!("peer {cores}t (s)"),
        "ratio 1t",
        format!("ratio {cores}t")
    )?;
    let mut failed = Vec::new();
    let rows = [
        (
            "leontief_inverse",
            alone1,
            alone_all,
            "numpy_inv_1t",
            "numpy_inv_all",
        ),
        (
            "multipliers_from_inverse",
            inv1,
            inv_all,
            "pymrio_1t",
            "pymrio_all",
        ),
        (
            "multipliers_by_lu_solve",
            solve1,
            solve_all,
            "numpy_solve_1t",
            "numpy_solve_all",
        ),
    ];
    for ((task, one, all, p1, pall), (_, agreement, tol)) in rows.iter().zip(&checks) {
        let ratio = |ours: f64, theirs: Option<f64>| {
            theirs
                .map(|t| format!("{:.2}x", t / ours))
                .unwrap_or_default()
        };
        let text = match agreement {
            Some(d) if *d <= *tol => format!("agree: largest relative difference {d:.1e}"),
            Some(d) => format!("MISMATCH: largest relative difference {d:.1e} > {tol:.0e}"),
            None => "MISMATCH: no peer result".to_string(),
        };
        if text.starts_with("MISMATCH") && !a.no_peer {
            failed.push(*task);
        }
        writeln!(
            out,
            "{:<28} {:>12.4} {:>12.4} {:>12} {:>12} {:>9} {:>9}  {}",
            task,
            one,
            all,
            secs(p1).map(|s| format!("{s:.4}")).unwrap_or_default(),
            secs(pall).map(|s| format!("{s:.4}")).unwrap_or_default(),
            ratio(*one, secs(p1)),
            ratio(*all, secs(pall)),
            if a.no_peer { String::new() } else { text }
        )?;
    }
    writeln!(
        out,
        "timers: median of 3, data in memory, both sides. leontief_inverse: Regis's blocked LU inverse against numpy.linalg.inv (OpenBLAS); multipliers_from_inverse: the inverse plus output, income, GVA and employment multipliers from it, against pymrio calc_A, calc_L and calc_M; multipliers_by_lu_solve: the same multipliers from one LU and row solves (no inverse), against numpy.linalg.solve. Peer threads set with threadpoolctl (1 and {cores})."
    )?;
    writeln!(
        out,
        "input: {big} sectors (17 provinces x 83), built from the Bank of Korea's 2020 table (in {})",
        dir.display()
    )?;
    if !failed.is_empty() {
        anyhow::bail!("agreement check failed for: {}", failed.join(", "));
    }
    Ok(())
}
