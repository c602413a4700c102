//! Crash test of the server: `regis serve` is killed (SIGKILL) in the middle of a burst of KPI
//! writes through the API, restarted, and the SQLite store passes its integrity check with every
//! write the server acknowledged (HTTP 200) present.

mod common;
use common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use regis_monitor::Store;

/// One HTTP/1.1 request; returns (status, body) or None when the connection broke.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).ok()?;
    let text = String::from_utf8_lossy(&resp).to_string();
    let status: u16 = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    Some((status, body))
}

#[test]
fn sigkill_during_a_burst_of_api_writes_loses_nothing_acknowledged() {
    let store = std::env::temp_dir().join(format!("regis-crash-server-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    std::fs::create_dir_all(&store).unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
        c.args(args).arg("--store").arg(&store);
        for (k, v) in env {
            c.env(k, v);
        }
        assert!(c.output().unwrap().status.success(), "{args:?}");
    };
    run(
        &["monitor", "init"],
        &[("REGIS_ADMIN_PASSWORD", "admin-password")],
    );
    run(
        &["monitor", "demo"],
        &[
            ("REGIS_USER", "admin"),
            ("REGIS_PASSWORD", "admin-password"),
        ],
    );
    let port = free_port();
    let mut server = serve(&store, port);
    let (s, body) = http(
        port,
        "POST",
        "/api/v1/auth/login",
        None,
        r#"{"username":"admin","password":"admin-password"}"#,
    )
    .unwrap();
    assert_eq!(s, 200, "{body}");
    let token: String = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    // Four writers create KPI values for new periods as fast as they can.
    let acked = Arc::new(Mutex::new(Vec::<i32>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (acked, stop, token) = (acked.clone(), stop.clone(), token.clone());
        writers.push(std::thread::spawn(move || {
            let mut period = 3000 + w * 100_000;
            while !stop.load(Ordering::SeqCst) {
                let body = format!(r#"{{"period":{period},"target":1.0,"actual":{period}}}"#);
                match http(
                    port,
                    "POST",
                    "/api/v1/indicators/1/values",
                    Some(&token),
                    &body,
                ) {
                    Some((200, _)) => acked.lock().unwrap().push(period),
                    Some((code, b)) => panic!("unexpected {code}: {b}"),
                    None => break, // the server died under us: this write was not acknowledged
                }
                period += 1;
            }
        }));
    }
    let t = Instant::now();
    while acked.lock().unwrap().len() < 300 && t.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL, requests in flight
    server.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        let _ = w.join();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300,
        "{} writes acknowledged before the kill",
        acked.len()
    );
    // Restart: the server comes back; the store is sound and holds every acknowledged write.
    let mut again = serve(&store, port);
    let (s, _) = http(port, "GET", "/api/v1/projects", None, "").unwrap();
    assert_eq!(s, 200);
    again.kill().unwrap();
    again.wait().unwrap();
    let db = regis_monitor::sqlite::SqliteStore::open(&store.join("monitor.sqlite")).unwrap();
    db.integrity_check().unwrap();
    let admin = db.authenticate("admin", "admin-password").unwrap();
    let stored: std::collections::HashSet<i32> = db
        .values(&admin, 1)
        .unwrap()
        .into_iter()
        .map(|v| v.period)
        .collect();
    let lost: Vec<&i32> = acked.iter().filter(|p| !stored.contains(p)).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    let _ = std::fs::remove_dir_all(&store);
}
