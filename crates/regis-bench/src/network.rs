//! `regis bench --task network`: exact betweenness on a network of the size of a
//! co-authorship network (12,008 authors and about 118,500 ties, the size of arXiv's
//! high-energy-physics phenomenology collaboration network), against igraph and rustworkx on
//! the same ties in the same run, and against networkx on a sample of sources.
//!
//! The network is generated (seeded), since no such network ships with a peer: papers with
//! teams of 2 or more authors (2 + a geometric number, mean about 3.6), each member a new
//! author with probability 0.3 while there are authors left, else an author drawn in
//! proportion to the papers they already wrote plus one (preferential attachment); every pair
//! of a team is tied. That gives the heavy-tailed degrees and the many triangles of
//! co-authorship.

use crate::bench::timed;
use crate::BenchOptions;
use regis_methods::network::{paths, Network};
use regis_methods::random::Rng;
use std::collections::HashSet;
use std::io::Write;

/// Authors.
const AUTHORS: usize = 12_008;
/// Ties at which the generation stops.
const TIES: usize = 118_500;
/// Sources of the sampled comparison with networkx.
const SAMPLED: usize = 100;

/// The co-authorship-like network: its ties as `(i, j)` with `i < j`, in order of creation.
pub fn coauthorship(authors: usize, ties: usize, seed: u64) -> Vec<(usize, usize)> {
    let mut rng = Rng::seeded(seed);
    let (mut introduced, mut urn) = (0usize, Vec::new());
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut out = Vec::with_capacity(ties);
    while out.len() < ties || introduced < authors {
        let mut size = 2;
        while size < 25 && rng.uniform() < 0.55 {
            size += 1;
        }
        let mut team: Vec<usize> = Vec::with_capacity(size);
        for _ in 0..size {
            let member = if introduced < 2 || (introduced < authors && rng.uniform() < 0.3) {
                introduced += 1;
                urn.push(introduced - 1);
                introduced - 1
            } else {
                urn[rng.below(urn.len())]
            };
            if !team.contains(&member) {
                team.push(member);
            }
        }
        for (k, &a) in team.iter().enumerate() {
            urn.push(a);
            for &b in &team[k + 1..] {
                let key = (a.min(b), a.max(b));
                if out.len() < ties && seen.insert(key) {
                    out.push(key);
                }
            }
        }
        if out.len() >= ties && introduced >= authors {
            break;
        }
    }
    out
}

/// Largest absolute difference, or None when a side is missing or lengths differ.
fn max_abs(ours: &[f64], theirs: &[f64]) -> Option<f64> {
    (ours.len() == theirs.len() && !ours.is_empty()).then_some(())?;
    Some(
        ours.iter()
            .zip(theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max),
    )
}

/// `regis bench --task network`.
pub fn bench(a: &BenchOptions) -> anyhow::Result<()> {
    let authors = a.units.unwrap_or(AUTHORS);
    let target = if a.units.is_some() {
        authors * TIES / AUTHORS
    } else {
        TIES
    };
    let ties = coauthorship(authors, target, 17);
    let n = ties.iter().map(|t| t.1 + 1).max().unwrap_or(0).max(authors);
    let g = Network::new(
        n,
        &ties.iter().map(|&(i, j)| (i, j, 1.0)).collect::<Vec<_>>(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = std::env::temp_dir().join(format!("regis-bench-network-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut csv = String::with_capacity(ties.len() * 12);
    csv.push_str("source,target\n");
    for (i, j) in &ties {
        csv.push_str(&format!("{i},{j}\n"));
    }
    std::fs::write(dir.join("edges.csv"), csv)?;
    std::fs::write(
        dir.join("spec_network.json"),
        serde_json::json!({"nodes": n, "sampled": SAMPLED}).to_string(),
    )?;
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    eprintln!(
        "regis: exact betweenness of {n} nodes and {} ties (1 and {cores} threads)...",
        g.ties()
    );
    let ((exact1, exact_all), exact) = timed(1, || paths::centrality(&g).betweenness);
    let ((sampled1, sampled_all), _) =
        timed(1, || paths::sampled_betweenness(&g, SAMPLED, 5, 0.05));
    let peer = crate::check::Peer::run(
        a,
        "igraph, rustworkx and networkx",
        "bench_network_peer.py",
        &dir,
        "peer_network.json",
        "pip install igraph rustworkx networkx",
    )?;
    let list = |k: &str| peer.list(k);
    let secs = |k: &str| peer.secs(k);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<34} {:>12} {:>12} {:>12} {:>9} {:>9}  agreement (checked)",
        "task",
        "regis 1t (s)",
        format!("regis {cores}t (s)"),
        "peer (s)",
        "ratio 1t",
        format!("ratio {cores}t")
    )?;
    let rows = [
        (
            "betweenness_exact vs igraph",
            exact1,
            exact_all,
            "igraph_seconds",
            Some("igraph"),
        ),
        (
            "betweenness_exact vs rustworkx",
            exact1,
            exact_all,
            "rustworkx_seconds",
            Some("rustworkx"),
        ),
        (
            "betweenness_100_sources vs networkx",
            sampled1,
            sampled_all,
            "networkx_sampled_seconds",
            None,
        ),
    ];
    let mut failed = Vec::new();
    for (task, one, all, key, values) in rows {
        let ratio = |ours: f64| {
            secs(key)
                .map(|t| format!("{:.2}x", t / ours))
                .unwrap_or_default()
        };
        let text = match values {
            _ if a.no_peer => String::new(),
            Some(v) => match max_abs(&exact, &list(v)) {
                Some(d) if d <= 1e-9 => format!("agree: largest difference {d:.1e}"),
                Some(d) => format!("MISMATCH: largest difference {d:.1e} > 1e-9"),
                None => "MISMATCH: no peer result".into(),
            },
            None => "same work: 100 sources each (different draws, so values differ)".into(),
        };
        if text.starts_with("MISMATCH") {
            failed.push(task);
        }
        writeln!(
            out,
            "{:<34} {:>12.3} {:>12.3} {:>12} {:>9} {:>9}  {}",
            task,
            one,
            all,
            secs(key).map(|s| format!("{s:.3}")).unwrap_or_default(),
            ratio(one),
            ratio(all),
            text
        )?;
    }
    writeln!(
        out,
        "timers: one run each, data in memory. Exact betweenness normalised as networkx normalises undirected graphs; igraph (single-threaded) and rustworkx (its own threads, every core) on the same ties; networkx's betweenness_centrality with k=100 sources against Regis's sampled betweenness with 100 sources."
    )?;
    writeln!(
        out,
        "input: {n} nodes, {} ties, a seeded co-authorship-like network (in {})",
        g.ties(),
        dir.display()
    )?;
    if !failed.is_empty() {
        anyhow::bail!("agreement check failed for: {}", failed.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_network_has_the_size_and_shape_of_co_authorship() {
        let ties = coauthorship(2_000, 20_000, 3);
        assert_eq!(ties.len(), 20_000);
        let n = ties.iter().map(|t| t.1 + 1).max().unwrap();
        assert_eq!(n, 2_000);
        let g = Network::new(
            n,
            &ties.iter().map(|&(i, j)| (i, j, 1.0)).collect::<Vec<_>>(),
        )
        .unwrap();
        let degree = g.degree();
        let max = *degree.iter().max().unwrap() as f64;
        let mean = 2.0 * g.ties() as f64 / n as f64;
        // Heavy tail and many triangles.
        assert!(max > 8.0 * mean, "max {max} mean {mean}");
        assert!(regis_methods::network::structure::transitivity(&g) > 0.1);
    }
}
