//! What the tests that run `regis serve` (or chromedriver) as a process share: a free loopback
//! port, waiting for it to open, and starting the server on a store.

#![allow(dead_code)]

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
