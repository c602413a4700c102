//! `regis loadtest`: many concurrent keep-alive clients on loopback against the main API
//! endpoints and every dashboard page (and the map's script and data), one at a time for a
//! bounded time; prints requests per second, the p50/p99 latency and the bytes of each. With `--heavy N`: N clients keep distinct heavy requests running
//! while the others time a cheap endpoint, which must keep its latency (the heavy ones run in
//! the server's bounded pool).

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::LoadtestOptions as LoadtestArgs;

const ENDPOINTS: &[&str] = &[
    "/api/v1/values?measure=population&period=2020",
    "/api/v1/values?measure=grdp_nominal&level=district&index=per_capita",
    "/api/v1/imbalance?measure=grdp_nominal&group=SMA",
    "/api/v1/regions/11/profile?lang=en",
    "/api/v1/map.svg?measure=population&level=province",
    "/api/v1/map.svg?measure=population&level=district",
    "/api/v1/map.json?measure=population&level=district",
    "/assets/echarts.min.js",
    "/assets/map.js",
];

async fn one_request(
    stream: &mut BufReader<TcpStream>,
    host: &str,
    path: &str,
) -> std::io::Result<(u16, usize)> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n");
    stream.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok((status, length))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// `regis loadtest`
pub fn loadtest(a: LoadtestArgs, store: &std::path::Path) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let host = match &a.url {
            Some(u) => u
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string(),
            None => {
                for m in regis_data::korea::MEASURE_IDS {
                    regis_data::korea::dataset(m)?;
                }
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?;
                let state = regis_server::AppState::new(Some(store.to_path_buf()));
                tokio::spawn(async move { axum_serve(listener, state).await });
                addr.to_string()
            }
        };
        if let Some(n) = a.heavy {
            return heavy_load(&host, n, a.clients, a.seconds).await;
        }
        println!(
            "{:<70} {:>9} {:>9} {:>9} {:>9} {:>10}",
            "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "bytes"
        );
        // The API, then every page of the dashboard's tour.
        for path in ENDPOINTS.iter().chain(regis_server::pages::TOUR) {
            let deadline = Instant::now() + Duration::from_secs_f64(a.seconds);
            let mut tasks = Vec::new();
            for _ in 0..a.clients {
                let host = host.clone();
                let path = path.to_string();
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    let (mut errors, mut bytes) = (0usize, 0usize);
                    let Ok(s) = TcpStream::connect(&host).await else {
                        return (lat, 1, 0);
                    };
                    let mut s = BufReader::new(s);
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        match one_request(&mut s, &host, &path).await {
                            Ok((200, n)) => {
                                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                                bytes = n;
                            }
                            _ => {
                                errors += 1;
                                break;
                            }
                        }
                    }
                    (lat, errors, bytes)
                }));
            }
            let started = Instant::now();
            let mut all = Vec::new();
            let (mut errors, mut bytes) = (0, 0);
            for t in tasks {
                let (l, e, b) = t.await?;
                all.extend(l);
                errors += e;
                bytes = bytes.max(b);
            }
            let secs = started.elapsed().as_secs_f64();
            all.sort_by(f64::total_cmp);
            println!(
                "{:<70} {:>9} {:>9.0} {:>9.1} {:>9.1} {:>10}{}",
                path,
                all.len(),
                all.len() as f64 / secs,
                percentile(&all, 0.5),
                percentile(&all, 0.99),
                bytes,
                if errors > 0 {
                    format!("  ({errors} errors)")
                } else {
                    String::new()
                }
            );
        }
        println!(
            "{} concurrent keep-alive clients, {} s per endpoint, server {host}",
            a.clients, a.seconds
        );
        anyhow::Ok(())
    })
}

/// The cheap request timed while heavy ones run.
pub const PROBE: &str = "/api/v1/values?measure=population&period=2020";

/// The `i`-th heavy request: each distinct (a new seed, threshold or weight), so the server's
/// figure cache cannot answer it.
fn heavy_path(i: usize) -> String {
    match i % 4 {
        0 => format!(
            "/zones/regions?threshold={}&seed={i}",
            1_000_000 + 1_000 * (i % 500)
        ),
        1 => format!("/zones?min_size={}&target_size={}", 1_000 + i, 20_000 + i),
        2 => format!(
            "/api/v1/strategy?weights=specialisation=0.{},density=0.3&top={}",
            1 + i % 8,
            3 + i % 3
        ),
        _ => format!(
            "/api/v1/download?measure=grdp_nominal&industry=all&format=xlsx&period={}",
            1985 + i % 33
        ),
    }
}

/// `--heavy N`: N clients with heavy requests, `probes` clients timing [`PROBE`].
async fn heavy_load(host: &str, heavy: usize, probes: usize, seconds: f64) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut heavy_tasks = Vec::new();
    for _ in 0..heavy {
        let (host, counter) = (host.to_string(), counter.clone());
        heavy_tasks.push(tokio::spawn(async move {
            let (mut done, mut busy, mut failed) = (0usize, 0usize, 0usize);
            while Instant::now() < deadline {
                let i = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Ok(s) = TcpStream::connect(&host).await else {
                    failed += 1;
                    continue;
                };
                let mut s = BufReader::new(s);
                match one_request(&mut s, &host, &heavy_path(i)).await {
                    Ok((200, _)) => done += 1,
                    Ok((503, _)) => busy += 1,
                    _ => failed += 1,
                }
            }
            (done, busy, failed)
        }));
    }
    // Let the heavy requests fill the pool before timing.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut probe_tasks = Vec::new();
    for _ in 0..probes.max(1) {
        let host = host.to_string();
        probe_tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let Ok(s) = TcpStream::connect(&host).await else {
                return (lat, 1);
            };
            let mut s = BufReader::new(s);
            while Instant::now() < deadline {
                let t = Instant::now();
                match one_request(&mut s, &host, PROBE).await {
                    Ok((200, _)) => lat.push(t.elapsed().as_secs_f64() * 1000.0),
                    _ => {
                        errors += 1;
                        break;
                    }
                }
                // A client that reads a page now and then, not a flood.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut probe_errors = 0;
    for t in probe_tasks {
        let (l, e) = t.await?;
        lat.extend(l);
        probe_errors += e;
    }
    let (mut done, mut busy, mut failed) = (0, 0, 0);
    for t in heavy_tasks {
        let (d, b, f) = t.await?;
        done += d;
        busy += b;
        failed += f;
    }
    lat.sort_by(f64::total_cmp);
    println!("heavy: {heavy} clients, {done} answered 200, {busy} answered 503 (pool full), {failed} failed");
    println!(
        "probe {PROBE}: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms{}",
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN),
        if probe_errors > 0 {
            format!(" ({probe_errors} errors)")
        } else {
            String::new()
        }
    );
    println!(
        "{probes} probe clients (each pausing 10 ms between requests), {seconds} s, server {host}"
    );
    Ok(())
}

async fn axum_serve(listener: tokio::net::TcpListener, state: regis_server::AppState) {
    let _ = regis_server::serve_on(listener, state).await;
}
