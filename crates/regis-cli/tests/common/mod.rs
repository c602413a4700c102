//! What the tests that run `regis serve` (or chromedriver) as a process share: a free loopback
//! port, waiting for it to open, and starting the server on a store.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (at most a minute) until something listens on `port`.
pub fn wait_for(port: u16) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `regis serve` on `port` with the store `store`, once it listens.
pub fn serve(store: &Path, port: u16) -> Child {
    let c = Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(["serve", "--port", &port.to_string(), "--store"])
        .arg(store)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port);
    c
}

/// An HTTP answer: status, raw header lines, body.
pub struct Answer {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Answer {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let v = l
                .strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))?;
            let pair = v.split(';').next()?;
            pair.starts_with(&format!("{name}="))
                .then(|| pair.to_string())
        })
    }
}

/// One HTTP/1.1 request with a raw body; None when the connection broke.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Answer> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).ok()?;
    let text = String::from_utf8_lossy(&resp).to_string();
    let status: u16 = text.split_whitespace().nth(1)?.parse().ok()?;
    let (headers, body) = text.split_once("\r\n\r\n")?;
    Some(Answer {
        status,
        headers: headers.to_string(),
        body: body.to_string(),
    })
}

/// A GET; panics when the connection drops.
pub fn get(port: u16, path: &str) -> Answer {
    http(port, "GET", path, &[], b"").unwrap_or_else(|| panic!("GET {path}: connection dropped"))
}
