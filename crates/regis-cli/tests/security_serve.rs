//! The attack corpus against a real `regis serve` on loopback (the in-process suite is
//! `crates/regis-server/tests/security.rs`): upload bombs through the import page leave the
//! process alive with a peak resident memory under 512 MB (read from /proc), hostile measure
//! ids read nothing, every answer carries the security headers, 50 wrong logins are throttled;
//! and the CLI refuses the same bombs with a located message instead of aborting.

mod common;
use common::*;
#[path = "../../regis-server/tests/support/multipart.rs"]
mod multipart_support;
use multipart_support::{csrf_of, multipart};

use std::path::PathBuf;
use std::process::Command;

/// Peak resident memory of a process, in MB (VmHWM).
fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kb / 1024.0
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/malformed")
        .join(name)
}

#[test]
fn attack_corpus_against_a_real_server_on_loopback() {
    let store = std::env::temp_dir().join(format!("regis-security-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    std::fs::create_dir_all(&store).unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
        c.args(args).arg("--store").arg(&store);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let admin_env = [
        ("REGIS_USER", "admin"),
        ("REGIS_PASSWORD", "admin-password"),
    ];
    assert!(run(
        &["monitor", "init"],
        &[("REGIS_ADMIN_PASSWORD", "admin-password")]
    )
    .status
    .success());
    assert!(run(&["monitor", "demo"], &admin_env).status.success());

    // The CLI: each bomb is a located refusal (exit 65), not an abort (134).
    for bomb in [
        "xlsx_dimension_bomb.xlsx",
        "xlsx_decompression_bomb.xlsx",
        "xlsx_long_cell.xlsx",
    ] {
        let path = corpus(bomb);
        let p = path.to_str().unwrap();
        for args in [
            vec!["data", "check", p],
            vec!["monitor", "import", "kpi", p],
        ] {
            let out = run(&args, &admin_env);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_ne!(out.status.code(), Some(134), "{args:?} aborted");
            assert!(!out.status.success(), "{args:?} succeeded");
            assert!(err.contains("over-budget"), "{args:?}: {err}");
        }
    }

    let port = free_port();
    let mut server = serve(&store, port);
    let pid = server.id();

    // Log in on the pages as the administrator; the import form's CSRF token.
    let form = get(port, "/monitor/login");
    let login_cookie = form.cookie("regis_login_csrf").expect("login CSRF cookie");
    let csrf = login_cookie.split_once('=').unwrap().1.to_string();
    let a = http(
        port,
        "POST",
        "/monitor/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &login_cookie),
        ],
        format!("csrf={csrf}&lang=en&username=admin&password=admin-password").as_bytes(),
    )
    .unwrap();
    assert_eq!(a.status, 303, "{}", a.body);
    let session = a.cookie("regis_session").expect("session cookie");
    let page = http(
        port,
        "GET",
        "/monitor/imports?lang=en",
        &[("Cookie", &session)],
        b"",
    )
    .unwrap();
    let csrf = csrf_of(&page.body);

    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let uploads: Vec<(&str, Vec<u8>)> = vec![
        (
            "dimension.xlsx",
            std::fs::read(corpus("xlsx_dimension_bomb.xlsx")).unwrap(),
        ),
        (
            "span.xlsx",
            std::fs::read(corpus("xlsx_cells_span_bomb.xlsx")).unwrap(),
        ),
        (
            "inflate.xlsx",
            std::fs::read(corpus("xlsx_decompression_bomb.xlsx")).unwrap(),
        ),
        (
            "long.xlsx",
            std::fs::read(corpus("xlsx_long_cell.xlsx")).unwrap(),
        ),
        (
            "sst.xlsx",
            std::fs::read(corpus("xlsx_shared_strings_count.xlsx")).unwrap(),
        ),
        (
            "copies.xlsx",
            std::fs::read(corpus("xlsx_shared_string_copies.xlsx")).unwrap(),
        ),
        (
            "far.xlsx",
            std::fs::read(corpus("xlsx_far_columns.xlsx")).unwrap(),
        ),
        ("deep.json", deep_json.into_bytes()),
    ];
    for round in 0..3 {
        for (name, bytes) in &uploads {
            let (ctype, body) = multipart(&csrf, "kpi", name, bytes);
            let a = http(
                port,
                "POST",
                "/monitor/imports",
                &[("Content-Type", &ctype), ("Cookie", &session)],
                &body,
            )
            .unwrap_or_else(|| panic!("{name}: connection dropped"));
            assert_eq!(a.status, 400, "{name}: {}", a.body);
            assert!(a.body.contains("over-budget"), "{name}: {}", a.body);
            assert!(
                server.try_wait().unwrap().is_none(),
                "{name}: the server died (round {round})"
            );
            assert_eq!(get(port, "/api/v1/measures").status, 200, "{name}: alive");
        }
    }
    let peak = peak_mb(pid);
    eprintln!("regis serve peak resident memory after 3 rounds of upload bombs: {peak:.0} MB");
    assert!(peak < 512.0, "peak memory {peak:.0} MB");

    // Hostile measure ids and codes: nothing read, no host path, 4xx.
    let store_text = store.to_string_lossy().to_string();
    for uri in [
        "/api/v1/values?measure=/etc/passwd",
        "/api/v1/values?measure=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/v1/download?measure=%2Fetc%2Fpasswd",
        "/api/v1/map.svg?measure=population%00",
        "/api/v1/charts/lorenz.svg?measure=..%5C..%5Cwin.ini",
        "/map?measure=%2E%2E%2Fsecret",
        "/region/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/regions/%2Fetc%2Fpasswd/profile",
    ] {
        let a = get(port, uri);
        assert!((400..500).contains(&a.status), "{uri}: {}", a.status);
        assert!(!a.body.contains("root:x:"), "{uri}");
        assert!(!a.body.contains(&store_text), "{uri}: host path");
        assert!(!a.body.contains("/etc/passwd"), "{uri}: echoes the path");
    }

    // Security headers on a page, the API, an SVG and an error.
    for uri in [
        "/",
        "/api/v1/measures",
        "/api/v1/charts/imbalance.svg",
        "/nope",
    ] {
        let h = get(port, uri).headers.to_ascii_lowercase();
        for header in [
            "content-security-policy: default-src 'self'",
            "frame-ancestors 'none'",
            "x-content-type-options: nosniff",
            "x-frame-options: deny",
            "referrer-policy:",
        ] {
            assert!(h.contains(header), "{uri}: no `{header}` in\n{h}");
        }
    }

    // 50 wrong passwords: throttled with Retry-After after the free failures.
    let mut throttled = 0;
    for _ in 0..50 {
        let a = http(
            port,
            "POST",
            "/api/v1/auth/login",
            &[("Content-Type", "application/json")],
            br#"{"username":"admin","password":"not-the-password"}"#,
        )
        .unwrap();
        match a.status {
            429 => {
                assert!(a.headers.to_ascii_lowercase().contains("retry-after:"));
                throttled += 1;
            }
            401 => {}
            s => panic!("wrong login answered {s}: {}", a.body),
        }
    }
    eprintln!("50 wrong logins: {throttled} throttled (429)");
    assert!(throttled >= 44, "{throttled}");

    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&store);
}
