//! `regis bench`: Regis against the PySAL peers on the same inputs, in the same run, with the
//! ratio printed. Inputs are synthetic but reproducible (seeded): a rook lattice of `units`
//! cells with a smooth spatial trend plus noise (LISA), and a `units × periods` panel of
//! log-normal values with 12 groups (Theil decomposition and Gini).

use std::io::Write;
use std::time::Instant;

use regis_methods::inequality::{gini_panel, theil_decomposition_panel, Panel};
use regis_methods::random::Rng;
use regis_methods::spatial::{local_moran, Weights};

use crate::check::{compare, compare_scalar, peer_numbers, Agreement, Difference};
use crate::BenchOptions as BenchArgs;

/// Regis's timings are the median of this many runs (the peer's of three, see bench_peer.py).
const REPEATS: usize = 5;

/// Medians of `runs` runs on one thread and on every core (the methods' thread budget), and
/// the last result.
pub(crate) fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> ((f64, f64), T) {
    let (one, _) = regis_methods::parallel::with_thread_budget(1, || median_of(runs, &mut f));
    let (all, last) = regis_methods::parallel::with_thread_budget(0, || median_of(runs, &mut f));
    ((one, all), last)
}

/// Median seconds of `runs` runs and the last result.
pub(crate) fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[runs / 2], last.expect("at least one run"))
}

fn lattice(units: usize) -> (usize, usize) {
    let cols = (units as f64).sqrt().ceil() as usize;
    let rows = units.div_ceil(cols);
    (rows, cols)
}

fn normal(rng: &mut Rng) -> f64 {
    // Box-Muller.
    let (u1, u2) = (rng.uniform().max(1e-300), rng.uniform());
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `regis bench`
pub fn bench(a: BenchArgs) -> anyhow::Result<()> {
    if a.task == "evaluation" {
        return crate::evaluation::bench(&a);
    }
    if a.task == "io" {
        return crate::io::bench(&a);
    }
    if a.task == "network" {
        return crate::network::bench(&a);
    }
    if a.task == "micro" {
        return crate::micro::bench(&a);
    }
    let tasks: Vec<&str> = match a.task.as_str() {
        "all" => vec![
            "lisa",
            "inequality",
            "complexity",
            "leiden",
            "regionalisation",
            "lma",
        ],
        "lma" => vec!["lma"],
        "regionalisation" | "maxp" | "skater" => vec!["regionalisation"],
        "leiden" => vec!["leiden"],
        "lisa" => vec!["lisa"],
        "inequality" => vec!["inequality"],
        "complexity" => vec!["complexity"],
        other => anyhow::bail!(regis_data::DataError::argument(format!(
            "unknown --task `{other}`; expected lisa, inequality, complexity, leiden, regionalisation, lma, all, evaluation or io"
        ))),
    };
    let dir = std::env::temp_dir().join(format!("regis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let n = a.units.unwrap_or(3000);
    let mut rng = Rng::seeded(2026);
    let mut results: Vec<(String, (f64, f64))> = Vec::new();
    let mut lisa_is = Vec::new();
    let mut lisa_p = Vec::new();
    let mut theil = Vec::new();
    let mut theil_between = Vec::new();
    let mut gini = Vec::new();
    if tasks.contains(&"lisa") {
        let (rows, cols) = lattice(n);
        let mut lists = vec![Vec::new(); n];
        let mut pairs = String::new();
        for (k, list) in lists.iter_mut().enumerate() {
            let (r, c) = (k / cols, k % cols);
            let cand = [
                (r.wrapping_sub(1), c),
                (r + 1, c),
                (r, c.wrapping_sub(1)),
                (r, c + 1),
            ];
            for (rr, cc) in cand {
                if rr < rows && cc < cols && rr * cols + cc < n {
                    list.push(rr * cols + cc);
                    pairs.push_str(&format!("{k},{}\n", rr * cols + cc));
                }
            }
        }
        let y: Vec<f64> = (0..n)
            .map(|k| {
                ((k / cols) as f64 / rows as f64 * 3.0).sin()
                    + ((k % cols) as f64 / cols as f64 * 2.0).cos()
                    + 0.5 * normal(&mut rng)
            })
            .collect();
        std::fs::write(dir.join("lisa_neighbours.csv"), pairs)?;
        std::fs::write(
            dir.join("lisa_values.f64"),
            y.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>(),
        )?;
        let w = Weights::from_neighbours(&lists).row_standardised();
        eprintln!(
            "regis: LISA on {n} units, {} permutations...",
            a.permutations
        );
        let (secs, l) = timed(REPEATS, || local_moran(&y, &w, a.permutations, 12345));
        results.push(("lisa".into(), secs));
        lisa_is = l.i;
        lisa_p = l.p_sim.unwrap_or_default();
    }
    if tasks.contains(&"inequality") {
        let t_count = a.periods;
        let groups: Vec<usize> = (0..n).map(|k| k % 12).collect();
        // Region effects, a group effect and yearly noise: log-normal values.
        let region_effect: Vec<f64> = (0..n).map(|_| 0.6 * normal(&mut rng)).collect();
        let mut panel = vec![0.0; n * t_count];
        for (k, row) in panel.chunks_mut(t_count).enumerate() {
            for (t, v) in row.iter_mut().enumerate() {
                *v = (10.0
                    + region_effect[k]
                    + 0.05 * groups[k] as f64
                    + 0.001 * t as f64
                    + 0.2 * normal(&mut rng))
                .exp();
            }
        }
        std::fs::write(
            dir.join("panel.f64"),
            panel
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect::<Vec<u8>>(),
        )?;
        std::fs::write(
            dir.join("groups.i64"),
            groups
                .iter()
                .flat_map(|g| (*g as i64).to_le_bytes())
                .collect::<Vec<u8>>(),
        )?;
        eprintln!("regis: Theil decomposition and Gini over {n} regions x {t_count} periods...");
        // The panel functions split the rows (Theil) or the periods (Gini) over the cores.
        let p = Panel::new(&panel, n, t_count).map_err(|e| anyhow::anyhow!(e.to_string()))?;
        let (secs, td) = timed(REPEATS, || theil_decomposition_panel(&p, &groups));
        let td = td.map_err(|e| anyhow::anyhow!(e.to_string()))?;
        results.push(("theil_decomposition".into(), secs));
        theil = td.iter().map(|d| d.total).collect();
        theil_between = td.iter().map(|d| d.between).collect();
        let (secs, g) = timed(REPEATS, || gini_panel(&p));
        gini = g.into_iter().map(|e| e.value.unwrap_or(f64::NAN)).collect();
        results.push(("gini".into(), secs));
    }
    let mut eci = Vec::new();
    let (cr, cp) = (500usize, 1000usize);
    if tasks.contains(&"complexity") {
        // 500 regions x 1000 industries with a nested capability structure: value of industry p
        // in region r ~ exp(capability_r - difficulty_p + noise) when capability exceeds difficulty.
        let cap: Vec<f64> = (0..cr).map(|_| normal(&mut rng)).collect();
        let diff: Vec<f64> = (0..cp).map(|_| normal(&mut rng)).collect();
        let mut values = vec![0.0; cr * cp];
        let mut csv = String::from("year,loc,prod,val\n");
        for r in 0..cr {
            for p in 0..cp {
                let v = if cap[r] + 0.8 * normal(&mut rng) > diff[p] {
                    (3.0 + cap[r] - 0.3 * diff[p] + 0.5 * normal(&mut rng)).exp()
                } else {
                    0.0
                };
                values[r * cp + p] = v;
                csv.push_str(&format!("2020,r{r},p{p},{v}\n"));
            }
        }
        std::fs::write(dir.join("complexity.csv"), csv)?;
        eprintln!("regis: complexity on {cr} regions x {cp} industries...");
        let m = regis_methods::specialisation::RegionIndustry::new(values, cr, cp)
            .map_err(|e| anyhow::anyhow!(e.to_string()))?;
        let (secs, c) = timed(REPEATS, || {
            let p = regis_methods::complexity::Presence::new(
                regis_methods::specialisation::specialisation_matrix(&m, 1.0),
                cr,
                cp,
            );
            regis_methods::complexity::complexity(&p)
        });
        results.push(("complexity".into(), secs));
        eprintln!(
            "regis: ECI eigenvector in {} power iterations (eigenvalue {:.6})",
            c.iterations, c.eigenvalue
        );
        eci = c.eci.iter().map(|x| x.unwrap_or(f64::NAN)).collect();
    }
    let mut leiden_q = f64::NAN;
    let (ln, lblock) = (100_000usize, 100usize);
    let mut leiden_edges_n = 0;
    if tasks.contains(&"leiden") {
        // A planted-partition graph: 100,000 nodes in blocks of 100; each node draws 8 partners
        // in its block and 3 anywhere (duplicates merge), about 1.1 million edges.
        let mut pairs: std::collections::HashSet<(u32, u32)> = Default::default();
        for v in 0..ln {
            let block = v / lblock;
            for k in 0..11 {
                let u = if k < 8 {
                    block * lblock + rng.below(lblock)
                } else {
                    rng.below(ln)
                };
                if u != v {
                    pairs.insert((v.min(u) as u32, v.max(u) as u32));
                }
            }
        }
        let mut edges: Vec<(usize, usize, f64)> = pairs
            .into_iter()
            .map(|(a, b)| (a as usize, b as usize, 1.0))
            .collect();
        edges.sort_unstable_by_key(|e| (e.0, e.1));
        leiden_edges_n = edges.len();
        let mut bytes = Vec::with_capacity(edges.len() * 8);
        for e in &edges {
            bytes.extend_from_slice(&(e.0 as u32).to_le_bytes());
            bytes.extend_from_slice(&(e.1 as u32).to_le_bytes());
        }
        std::fs::write(dir.join("leiden_edges.u32"), bytes)?;
        eprintln!(
            "regis: Leiden (modularity) on {ln} nodes, {} edges...",
            edges.len()
        );
        let (secs, c) = timed(REPEATS, || {
            regis_methods::community::leiden(
                ln,
                &edges,
                regis_methods::community::Quality::Modularity { resolution: 1.0 },
                1,
            )
        });
        let c = c.map_err(|e| anyhow::anyhow!(e.to_string()))?;
        eprintln!(
            "regis: {} communities, modularity {:.6}",
            c.count, c.modularity
        );
        leiden_q = c.modularity;
        results.push(("leiden".into(), secs));
    }
    // Regionalisation: a 30 × 30 rook lattice (900 areas) with two smooth attributes plus
    // noise and 1-99 people per area; max-p at 500 people, SKATER into 10 regions of at least
    // 20 areas. Both with spopt's default settings.
    let (region_rows, region_cols) = (30usize, 30usize);
    let region_units = region_rows * region_cols;
    let mut maxp_found = (0usize, f64::NAN);
    let mut skater_labels: Vec<usize> = Vec::new();
    if tasks.contains(&"regionalisation") {
        let w = Weights::rook_lattice(region_rows, region_cols);
        let mut pairs = String::new();
        for k in 0..region_units {
            for j in w.neighbours_of(k) {
                pairs.push_str(&format!("{k},{j}\n"));
            }
        }
        let mut x = Vec::with_capacity(region_units * 2);
        for k in 0..region_units {
            let (r, c) = ((k / region_cols) as f64, (k % region_cols) as f64);
            x.push((r / 5.0).sin() + 0.3 * normal(&mut rng));
            x.push((c / 7.0).cos() + 0.3 * normal(&mut rng));
        }
        let people: Vec<f64> = (0..region_units)
            .map(|_| 1.0 + rng.below(99) as f64)
            .collect();
        std::fs::write(dir.join("region_neighbours.csv"), pairs)?;
        let bytes = |v: &[f64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        std::fs::write(dir.join("region_x.f64"), bytes(&x))?;
        std::fs::write(dir.join("region_people.f64"), bytes(&people))?;
        eprintln!("regis: max-p and SKATER on {region_units} areas...");
        let (secs, r) = timed(3, || {
            regis_methods::regionalisation::max_p(
                &w,
                &x,
                2,
                &people,
                500.0,
                &regis_methods::regionalisation::MaxPOptions::default(),
            )
        });
        let r = r.map_err(|e| anyhow::anyhow!(e.to_string()))?;
        maxp_found = (r.regions, r.objective);
        results.push(("max_p".into(), secs));
        let (secs, s) = timed(3, || {
            regis_methods::regionalisation::skater(
                &w,
                &x,
                2,
                None,
                &regis_methods::regionalisation::SkaterOptions {
                    regions: 10,
                    floor: 20.0,
                    islands_count: false,
                },
            )
        });
        let s = s.map_err(|e| anyhow::anyhow!(e.to_string()))?;
        skater_labels = s.labels.iter().map(|l| l.unwrap_or(usize::MAX)).collect();
        results.push(("skater".into(), secs));
    }
    // Labour-market areas: Istat's 2001 Sardinia commuting matrix (in the repository) with the
    // parameters of the issue; the peer is Istat's R package (bench_peer.py runs bench_lma.R
    // when R is there).
    let mut lma_zones: Vec<(String, usize)> = Vec::new();
    if tasks.contains(&"lma") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/inputs/sardinia_2001_commuting.csv");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        std::fs::write(dir.join("lma_flows.csv"), &text)?;
        let mut codes: Vec<u64> = Vec::new();
        let mut rows: Vec<(u64, u64, f64)> = Vec::new();
        for (k, line) in text.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let parse = |i: usize| -> anyhow::Result<u64> {
                f.get(i).and_then(|v| v.parse().ok()).ok_or_else(|| {
                    anyhow::anyhow!("{}: line {}: expected three numbers", path.display(), k + 1)
                })
            };
            let (i, j) = (parse(0)?, parse(1)?);
            rows.push((i, j, parse(2)? as f64));
            codes.extend([i, j]);
        }
        codes.sort_unstable();
        codes.dedup();
        let index = |c: u64| codes.binary_search(&c).expect("listed code");
        let flows: Vec<(usize, usize, f64)> = rows
            .iter()
            .map(|&(i, j, v)| (index(i), index(j), v))
            .collect();
        let p = regis_methods::zones::LmaParameters {
            min_size: 1000.0,
            target_size: 10000.0,
            min_self_containment: 0.6667,
            target_self_containment: 0.75,
        };
        eprintln!(
            "regis: labour-market areas of {} Sardinian municipalities (one pass, as Istat's package)...",
            codes.len()
        );
        let (secs, z) = timed(REPEATS, || {
            regis_methods::zones::labour_market_areas_single_pass(codes.len(), &flows, &p)
        });
        let z = z.map_err(|e| anyhow::anyhow!(e.to_string()))?;
        lma_zones = codes
            .iter()
            .zip(&z.zone_of)
            .map(|(c, &k)| (c.to_string(), k))
            .collect();
        results.push(("lma".into(), secs));
    }
    let spec = serde_json::json!({"units": n, "periods": a.periods, "permutations": a.permutations, "tasks": tasks, "complexity_regions": cr, "complexity_industries": cp, "leiden_nodes": ln, "leiden_edges": leiden_edges_n, "region_units": region_units, "maxp_threshold": 500.0, "skater_regions": 10, "skater_floor": 20});
    std::fs::write(dir.join("spec.json"), spec.to_string())?;
    let mut peer: Option<serde_json::Value> = None;
    if !a.no_peer {
        eprintln!(
            "peer: running PySAL ({} tests/peers/bench_peer.py)...",
            a.python
        );
        peer = crate::check::run_peer(
            &a.python,
            "bench_peer.py",
            &dir,
            "peer.json",
            "pip install esda libpysal inequality",
        )?;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<22} {:>11} {:>11} {:>11} {:>9} {:>9}  agreement (checked)",
        "task",
        "regis 1t (s)",
        format!("regis {cores}t (s)"),
        "peer (s)",
        "ratio 1t",
        format!("ratio {cores}t")
    )?;
    let mut mismatches = Vec::new();
    for (task, (one, all)) in &results {
        let key = match task.as_str() {
            "lisa" => "lisa_seconds",
            "complexity" => "complexity_seconds",
            "leiden" => "leiden_seconds",
            "max_p" => "maxp_seconds",
            "skater" => "skater_seconds",
            "theil_decomposition" => "theil_seconds",
            "lma" => "lma_seconds",
            _ => "gini_seconds",
        };
        let (peer_secs, agreement) = match &peer {
            None => (
                None,
                Agreement::Mismatch(
                    "no peer results (see the message above; --no-peer skips the check)".into(),
                ),
            ),
            Some(p) => (
                p[key].as_f64().filter(|s| s.is_finite() && *s > 0.0),
                match task.as_str() {
                    "lisa" => {
                        // Pseudo p-values come from different random streams: they agree within
                        // Monte Carlo error (each has standard error √(p(1−p)/P) ≤ 0.005 at
                        // 9,999 permutations, their difference ≤ 0.0071; over 3,000 units the
                        // largest gap is expected near 3.5 times that, and 0.05 is far past it).
                        let is = compare("I_i", &lisa_is, p, "lisa_Is", Difference::Relative, 1e-9);
                        let ps = compare(
                            "p_sim",
                            &lisa_p,
                            p,
                            "lisa_p_sim",
                            Difference::Absolute,
                            0.05,
                        );
                        let same = match peer_numbers(p, "lisa_p_sim") {
                            Ok(theirs) if theirs.len() == lisa_p.len() => {
                                let n = lisa_p
                                    .iter()
                                    .zip(&theirs)
                                    .filter(|(a, b)| (**a < 0.05) == (**b < 0.05))
                                    .count();
                                let text =
                                    format!("same side of 0.05 for {n} of {} units", theirs.len());
                                if n * 100 >= 97 * theirs.len() {
                                    Agreement::Agree(text)
                                } else {
                                    Agreement::Mismatch(text)
                                }
                            }
                            _ => Agreement::Mismatch(
                                "p_sim: no peer values of the same length".into(),
                            ),
                        };
                        is.and(ps).and(same)
                    }
                    "complexity" => compare("ECI", &eci, p, "eci", Difference::Absolute, 1e-6),
                    "leiden" => {
                        compare_scalar("modularity", leiden_q, p, "leiden_modularity", 0.01)
                    }
                    "max_p" => {
                        let regions = compare_scalar("p", maxp_found.0 as f64, p, "maxp_p", 0.10);
                        let objective = compare_scalar(
                            "within-region dissimilarity",
                            maxp_found.1,
                            p,
                            "maxp_objective",
                            0.10,
                        );
                        regions.and(objective)
                    }
                    "skater" => match peer_numbers(p, "skater_labels") {
                        Err(why) => Agreement::Mismatch(why),
                        Ok(theirs) => {
                            let theirs: Vec<usize> = theirs.iter().map(|v| *v as usize).collect();
                            if theirs.len() == skater_labels.len()
                                && regis_methods::regionalisation::same_partition(
                                    &theirs,
                                    &skater_labels,
                                )
                            {
                                Agreement::Agree("same partition".into())
                            } else {
                                Agreement::Mismatch("partitions differ".into())
                            }
                        }
                    },
                    "lma" => {
                        let theirs: std::collections::HashMap<String, u64> = p["lma_communities"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .zip(p["lma_clusters"].as_array().into_iter().flatten())
                            .map(|(c, k)| (c.to_string(), k.as_u64().unwrap_or(0)))
                            .collect();
                        let (ours, peer): (Vec<usize>, Vec<usize>) = lma_zones
                            .iter()
                            .map(|(c, k)| (*k, theirs.get(c).map_or(usize::MAX, |&t| t as usize)))
                            .unzip();
                        if theirs.is_empty() {
                            Agreement::Mismatch(
                                "no peer: R with LabourMarketAreas (or LMA_SOURCE) not found"
                                    .into(),
                            )
                        } else if theirs.len() == lma_zones.len()
                            && regis_methods::regionalisation::same_partition(&peer, &ours)
                        {
                            Agreement::Agree("same partition".into())
                        } else {
                            Agreement::Mismatch("partitions differ".into())
                        }
                    }
                    "theil_decomposition" => {
                        compare("T", &theil, p, "theil", Difference::Relative, 1e-9).and(compare(
                            "between",
                            &theil_between,
                            p,
                            "theil_between",
                            Difference::Relative,
                            1e-9,
                        ))
                    }
                    _ => compare("G", &gini, p, "gini", Difference::Relative, 1e-9),
                },
            ),
        };
        let agreement = match (&agreement, peer_secs) {
            (Agreement::Agree(_), None) if peer.is_some() => {
                Agreement::Mismatch(format!("the peer returned no `{key}` timing"))
            }
            _ => agreement,
        };
        if !agreement.ok() && !a.no_peer {
            mismatches.push(task.clone());
        }
        let ratio = |ours: f64| {
            peer_secs
                .map(|p| format!("{:.1}x", p / ours))
                .unwrap_or_default()
        };
        writeln!(
            out,
            "{:<22} {:>11.4} {:>11.4} {:>11} {:>9} {:>9}  {}",
            task,
            one,
            all,
            peer_secs.map(|p| format!("{p:.4}")).unwrap_or_default(),
            ratio(*one),
            ratio(*all),
            if a.no_peer {
                String::new()
            } else {
                agreement.text()
            }
        )?;
    }
    if let Some(p) = &peer {
        if let (Some(secs), Some(q)) = (
            p["leiden_default_seconds"].as_f64(),
            p["leiden_default_modularity"].as_f64(),
        ) {
            let (one, all) = results
                .iter()
                .find(|r| r.0 == "leiden")
                .map(|r| r.1)
                .unwrap_or((f64::NAN, f64::NAN));
            writeln!(
                out,
                "{:<22} {:>11.4} {:>11.4} {:>11.4} {:>8.1}x {:>8.1}x  leidenalg default (2 iterations): modularity {q:.6}",
                "leiden (peer default)", one, all, secs, secs / one, secs / all
            )?;
        }
        writeln!(out, "peer versions: {}", p["versions"])?;
    }
    writeln!(
        out,
        "timers: Regis the method call on data in memory (median of {REPEATS}; max-p and SKATER 3), on 1 thread and on {cores}; the peer the same call in Python or R on one thread (median of 3); input generation and file exchange outside both"
    )?;
    writeln!(
        out,
        "inputs: {} units, {} periods, {} permutations (in {})",
        n,
        a.periods,
        a.permutations,
        dir.display()
    )?;
    if !mismatches.is_empty() {
        anyhow::bail!(
            "agreement check failed for: {} (see MISMATCH above)",
            mismatches.join(", ")
        );
    }
    Ok(())
}
