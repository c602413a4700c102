//! End-to-end test in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by `.ci/run`) against `regis serve`: the map renders 17 provinces and 250
//! si-gun-gu, the English switch changes the labels and keeps the page, a click on a region
//! opens its profile; the interactive map (vendored ECharts) shows a tooltip on a real hover,
//! zooms with the wheel, finds 울산 and Ulsan and zooms to Seoul's districts, opens a profile on
//! a click; the site search finds 울산 and Ulsan;
//! the browser requests nothing outside localhost, Korean text has a Korean font. Screenshots
//! go to `target/e2e-screenshots/`.
//!
//! Runs when chromedriver is installed; with `REGIS_E2E=1` (set by `.ci/run`) a missing browser
//! is a failure, not a skip.

mod common;
use common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal WebDriver client: one HTTP/1.1 request per call, JSON in and out.
struct Driver {
    port: u16,
    session: String,
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}", payload.len());
    s.write_all(req.as_bytes()).unwrap();
    // Read the head, then exactly the body (the server may keep the connection open).
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = s.read(&mut byte).unwrap();
        assert!(n > 0, "connection closed in the head");
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let body = match length {
        Some(n) => {
            let mut b = vec![0u8; n];
            s.read_exact(&mut b).unwrap();
            String::from_utf8_lossy(&b).to_string()
        }
        None if head.contains("transfer-encoding: chunked") => {
            let mut out = Vec::new();
            loop {
                let mut line = Vec::new();
                while !line.ends_with(b"\r\n") {
                    s.read_exact(&mut byte).unwrap();
                    line.push(byte[0]);
                }
                let size =
                    usize::from_str_radix(String::from_utf8_lossy(&line).trim(), 16).unwrap_or(0);
                let mut chunk = vec![0u8; size + 2];
                s.read_exact(&mut chunk).unwrap();
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..size]);
            }
            String::from_utf8_lossy(&out).to_string()
        }
        None => {
            let mut b = Vec::new();
            s.read_to_end(&mut b).unwrap();
            String::from_utf8_lossy(&b).to_string()
        }
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("webdriver answered {body:?}: {e}"))
}

impl Driver {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        if let Some(err) = v["value"]["error"].as_str() {
            panic!("webdriver {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }
    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }
    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }
    /// Waits (up to 20 s) until `js` returns true.
    fn until(&self, js: &str, what: &str) {
        let start = Instant::now();
        while self.script(js) != json!(true) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out: {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    /// Real pointer input at `(x, y)` pixels from the centre of the element `css`: a move,
    /// then `extra` actions (a click, a wheel turn).
    fn pointer(&self, css: &str, x: i64, y: i64, extra: Vec<Value>) {
        // The element's centre in viewport pixels (scrolled into view first).
        let centre = self.script(&format!(
            "const e = document.querySelector('{css}'); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)]"
        ));
        let (x, y) = (
            centre[0].as_i64().unwrap() + x,
            centre[1].as_i64().unwrap() + y,
        );
        let mut moves = vec![
            json!({"type": "pointerMove", "duration": 100, "origin": "viewport", "x": x, "y": y}),
        ];
        let mut wheel = Vec::new();
        for a in extra {
            if a["type"] == "scroll" {
                let mut a = a;
                a["origin"] = json!("viewport");
                a["x"] = json!(x);
                a["y"] = json!(y);
                wheel.push(a);
            } else {
                moves.push(a);
            }
        }
        let mut sources = vec![
            json!({"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": moves}),
        ];
        if !wheel.is_empty() {
            sources.push(json!({"type": "wheel", "id": "wheel", "actions": wheel}));
        }
        self.cmd("POST", "/actions", Some(json!({"actions": sources})));
    }
    fn screenshot(&self, dir: &std::path::Path, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let bytes = decode_base64(b64.as_str().unwrap());
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            _ => 63,
        }
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

#[test]
fn dashboard_in_headless_chromium() {
    let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(chromedriver) = chromedriver else {
        assert!(std::env::var("REGIS_E2E").is_err(), "REGIS_E2E is set but chromedriver is not installed (apt-get install chromium chromium-driver fonts-nanum)");
        eprintln!("skipped: chromedriver not installed (the CI installs it and sets REGIS_E2E=1)");
        return;
    };
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let store = std::env::temp_dir().join(format!("regis-e2e-{}", std::process::id()));
    let (sp, dp) = (free_port(), free_port());
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_regis"))
            .args(["serve", "--port", &sp.to_string(), "--store"])
            .arg(&store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let _driver = Killed(
        Command::new(chromedriver)
            .arg(format!("--port={dp}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(sp);
    wait_for(dp);
    let profile = std::env::temp_dir().join(format!("regis-e2e-chromium-{}", std::process::id()));
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--window-size=1280,900",
            format!("--user-data-dir={}", profile.display())]},
        "goog:loggingPrefs": {"performance": "ALL"}
    }}});
    let s = http(dp, "POST", "/session", Some(&caps));
    let session = s["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {s}"))
        .to_string();
    let d = Driver { port: dp, session };
    let base = format!("http://127.0.0.1:{sp}");

    d.go(&format!("{base}/map?lang=ko"));
    let n = d.script("return document.querySelectorAll('#map svg path[data-code]').length");
    assert_eq!(n, 17, "province shapes");
    assert_eq!(d.script("return document.documentElement.lang"), "ko");
    assert_eq!(
        d.script("return document.getElementById('nav-map').textContent"),
        "지도"
    );
    // A Korean font is available to the page (fonts-nanum on the test machine).
    assert_eq!(
        d.script("return document.fonts.check('16px NanumGothic', '지도')"),
        true
    );
    d.screenshot(&shots, "map-province-ko");

    d.go(&format!("{base}/map?level=district&lang=ko"));
    let n = d.script("return document.querySelectorAll('#map svg path[data-code]').length");
    assert_eq!(n, 250, "si-gun-gu shapes");
    d.screenshot(&shots, "map-district-ko");

    // Switch to English: the labels change.
    d.script("document.getElementById('lang-switch').click(); return 0");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(d.script("return document.documentElement.lang"), "en");
    assert_eq!(
        d.script("return document.getElementById('nav-map').textContent"),
        "Map explorer"
    );
    d.screenshot(&shots, "map-district-en");

    // The interactive map (vendored ECharts, served by Regis): drawn, a hover shows a tooltip
    // with name, value, unit and year, the wheel zooms, the map's search finds 울산 and Ulsan
    // and a click opens the profile.
    d.go(&format!("{base}/map?lang=ko"));
    d.until(
        "return document.getElementById('emap').dataset.ready === 'true'",
        "the interactive map",
    );
    let paths = d.script("return document.querySelectorAll('#emap svg path').length");
    assert!(paths.as_u64().unwrap() >= 17, "interactive shapes: {paths}");
    assert_eq!(
        d.script("return document.getElementById('map').hidden"),
        true
    );
    let chart = "echarts.getInstanceByDom(document.getElementById('emap'))";
    // Over Chungcheongbuk-do, a little right of the map's centre, by real pointer input.
    d.pointer("#emap", 60, -40, vec![]);
    d.until(
        "const t = document.querySelector('.emap-tip'); return !!t && t.style.display !== 'none' && t.textContent.includes('연도')",
        "a tooltip on hover",
    );
    let tip = d.script("return document.querySelector('.emap-tip').textContent");
    assert!(
        tip.as_str().unwrap().contains('명'),
        "tooltip with the unit: {tip}"
    );
    d.screenshot(&shots, "map-interactive-hover-ko");
    // Linked views: the hovered region is highlighted in the ranked bars beside the map, and a
    // bar hovered highlights its region on the map.
    d.until(
        "const s = document.getElementById('emap-bars').dataset.selected; return !!s && s.length >= 2",
        "the bars follow the map",
    );
    // The top bar (the largest region), by real pointer input along it.
    let top_bar = d.script(
        "const e = document.getElementById('emap-bars'); e.scrollIntoView({block: 'center'}); const c = echarts.getInstanceByDom(e); const data = c.getOption().series[0].data; const n = data.length - 1; const p = c.convertToPixel({seriesIndex: 0}, [0, n]); const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top + p[1]), data[n].code, Math.round(r.width)]",
    );
    let (left, y, width) = (
        top_bar[0].as_i64().unwrap(),
        top_bar[1].as_i64().unwrap(),
        top_bar[3].as_i64().unwrap(),
    );
    let selected = format!(
        "return document.getElementById('emap').dataset.selected === {}",
        top_bar[2]
    );
    for x in (left + 40..left + width - 20).step_by(30) {
        d.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "duration": 50, "origin": "viewport", "x": x, "y": y}
            ]}]})),
        );
        if d.script(&selected) == json!(true) {
            break;
        }
    }
    d.until(&selected, "the map follows the bars");
    let zoom = |d: &Driver| {
        d.script(&format!("return {chart}.getOption().series[0].zoom || 1"))
            .as_f64()
            .unwrap()
    };
    let before = zoom(&d);
    d.pointer(
        "#emap",
        60,
        -40,
        vec![json!({"type": "scroll", "deltaX": 0, "deltaY": -600, "duration": 200})],
    );
    d.until(
        &format!("return ({chart}.getOption().series[0].zoom || 1) > {before}"),
        "zoom by the wheel",
    );
    for name in ["울산", "Ulsan"] {
        let lang = if name == "Ulsan" { "en" } else { "ko" };
        d.go(&format!("{base}/map?lang={lang}"));
        d.until(
            "return document.getElementById('emap').dataset.ready === 'true'",
            "the interactive map",
        );
        d.script(&format!("const s = document.getElementById('emap-search'); s.value = '{name}'; s.dispatchEvent(new Event('change')); return 0"));
        d.until(
            &format!(
                "return document.getElementById('emap-status').textContent.includes('{name}')"
            ),
            "the map's search",
        );
        assert!(zoom(&d) > 1.0, "{name}: zoomed to the region");
    }
    // The district map zooms to a province by name.
    d.go(&format!("{base}/map?level=district&lang=ko"));
    d.until(
        "return document.getElementById('emap').dataset.ready === 'true'",
        "the district map",
    );
    d.script("const s = document.getElementById('emap-search'); s.value = '서울'; s.dispatchEvent(new Event('change')); return 0");
    d.until(
        "return document.getElementById('emap-status').textContent.includes('25')",
        "Seoul's 25 districts",
    );
    std::thread::sleep(Duration::from_millis(1500)); // the zoom's animation
    d.screenshot(&shots, "map-interactive-seoul-districts-ko");
    // A click on a region of the interactive map opens its profile.
    d.go(&format!("{base}/map?lang=ko"));
    d.until(
        "return document.getElementById('emap').dataset.ready === 'true'",
        "the interactive map",
    );
    d.pointer(
        "#emap",
        60,
        -40,
        vec![
            json!({"type": "pointerDown", "button": 0}),
            json!({"type": "pointerUp", "button": 0}),
        ],
    );
    d.until(
        "return location.pathname.startsWith('/region/')",
        "a click to the profile",
    );
    // The site search finds 울산 and Ulsan.
    for (q, lang) in [("울산", "ko"), ("Ulsan", "en")] {
        d.go(&format!("{base}/?lang={lang}"));
        d.script(&format!("const s = document.getElementById('nav-search'); s.value = '{q}'; s.form.submit(); return 0"));
        d.until(
            "return !!document.querySelector('a[href^=\"/region/26\"]')",
            "the search result",
        );
    }
    // The language switch keeps the page.
    d.go(&format!("{base}/map?level=district&lang=ko"));
    d.script("document.getElementById('lang-switch').click(); return 0");
    d.until(
        "return location.pathname === '/map' && location.search.includes('level=district') && document.documentElement.lang === 'en'",
        "the switch keeps the page",
    );

    // A click on a region of the server-drawn map opens its profile.
    d.go(&format!("{base}/map?lang=en"));
    d.script("const p = document.querySelector('#map svg path[data-code=\"11\"]'); p.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window})); return 0");
    std::thread::sleep(Duration::from_millis(1500));
    let url = d.cmd("GET", "/url", None);
    assert!(
        url.as_str().unwrap().contains("/region/11"),
        "after the click: {url}"
    );
    assert_eq!(
        d.script("return document.getElementById('region-name').dataset.code"),
        "11"
    );
    assert!(d
        .script("return document.querySelector('h1').textContent")
        .as_str()
        .unwrap()
        .contains("Seoul"));
    d.screenshot(&shots, "region-11-en");
    d.go(&format!("{base}/region/11?lang=ko"));
    d.screenshot(&shots, "region-11-ko");
    d.go(&format!("{base}/?lang=ko"));
    d.screenshot(&shots, "overview-ko");

    // Every page in both languages: a screenshot, and no text of a server-drawn figure
    // reaches past its figure's box (the interactive map lays out its own text).
    let clipped = r#"const bad = [];
        for (const svg of document.querySelectorAll('svg')) {
          if (svg.closest('#emap')) continue;
          const box = svg.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          for (const t of svg.querySelectorAll('text')) {
            if (!t.textContent.trim()) continue;
            const b = t.getBoundingClientRect();
            if (b.width === 0) continue;
            if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) {
              bad.push(t.textContent.slice(0, 50) + ' [' + [b.left - box.left, b.right - box.right].map(Math.round).join(',') + ']');
            }
          }
        }
        return bad;"#;
    let pages = regis_server::pages::TOUR;
    let mut problems = Vec::new();
    for lang in ["ko", "en"] {
        for page in pages.iter().copied() {
            let sep = if page.contains('?') { '&' } else { '?' };
            d.go(&format!("{base}{page}{sep}lang={lang}"));
            d.until("return document.readyState === 'complete'", page);
            let bad = d.script(clipped);
            if !bad.as_array().unwrap().is_empty() {
                problems.push(format!("{page} ({lang}): {bad}"));
            }
            let name: String = page
                .trim_start_matches('/')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let name = if name.is_empty() {
                "overview".into()
            } else {
                name
            };
            d.screenshot(&shots, &format!("page-{name}-{lang}"));
        }
    }
    assert!(
        problems.is_empty(),
        "clipped labels:\n{}",
        problems.join("\n")
    );

    // Every request the browser made went to the local server.
    let logs = d.cmd("POST", "/se/log", Some(json!({"type": "performance"})));
    let mut requests = 0;
    for entry in logs.as_array().unwrap() {
        let msg: Value = serde_json::from_str(entry["message"].as_str().unwrap()).unwrap();
        if msg["message"]["method"] == "Network.requestWillBeSent" {
            let u = msg["message"]["params"]["request"]["url"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            requests += 1;
            // Network schemes must go to the local server; chrome://, data: and about: are
            // the browser's own resources, not requests to the network.
            let network = u.starts_with("http") || u.starts_with("ws") || u.starts_with("ftp");
            assert!(
                !network || u.starts_with(&base),
                "request outside localhost: {u}"
            );
        }
    }
    assert!(requests >= 5, "the performance log saw {requests} requests");
    let _ = http(dp, "DELETE", &format!("/session/{}", d.session), None);
    let _ = std::fs::remove_dir_all(&profile);
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn report_prints_to_pdf_in_headless_chromium() {
    let chromium = std::path::Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var("REGIS_E2E").is_err(),
            "REGIS_E2E is set but chromium is not installed"
        );
        eprintln!("skipped: chromium not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("regis-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(["--lang", "ko", "report", "--region", "11", "--out"])
        .arg(&html)
        .arg("--store")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.join("report.pdf");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::copy(&pdf, shots.join("report-11-ko.pdf")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

fn regis_cli(store: &std::path::Path, args: &[&str], env: &[(&str, &str)]) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regis"));
    c.arg("--store").arg(store).args(args);
    c.env_remove("REGIS_MONITOR_URL");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "regis {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The monitoring pages in a real browser: the public sees no draft; a council member of
/// Seoul who edits Ulsan's project gets a 403 page and Ulsan's project is unchanged, while
/// editing Seoul's own project works; an evaluator scoring an unassigned project gets 403,
/// an assigned one gets a grade; a form posted without the session's CSRF token is refused.
#[test]
fn monitoring_permissions_in_headless_chromium() {
    let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(chromedriver) = chromedriver else {
        assert!(
            std::env::var("REGIS_E2E").is_err(),
            "REGIS_E2E is set but chromedriver is not installed"
        );
        eprintln!("skipped: chromedriver not installed");
        return;
    };
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let store = std::env::temp_dir().join(format!("regis-e2e-monitor-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let admin = [
        ("REGIS_USER", "admin"),
        ("REGIS_PASSWORD", "admin-password"),
    ];
    regis_cli(
        &store,
        &["monitor", "init"],
        &[("REGIS_ADMIN_PASSWORD", "admin-password")],
    );
    regis_cli(&store, &["monitor", "demo"], &admin);
    let with_pw = |pw: &'static str| [admin[0], admin[1], ("REGIS_NEW_PASSWORD", pw)];
    regis_cli(
        &store,
        &[
            "monitor", "user", "seoul", "--role", "council", "--region", "11",
        ],
        &with_pw("seoul-password"),
    );
    regis_cli(
        &store,
        &["monitor", "user", "eva", "--role", "evaluator"],
        &with_pw("evaluator-password"),
    );
    regis_cli(&store, &["monitor", "assign", "eva", "3"], &admin);
    let (sp, dp) = (free_port(), free_port());
    let _server = Killed(
        Command::new(env!("CARGO_BIN_EXE_regis"))
            .args(["serve", "--port", &sp.to_string(), "--store"])
            .arg(&store)
            .env_remove("REGIS_MONITOR_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let _driver = Killed(
        Command::new(chromedriver)
            .arg(format!("--port={dp}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(sp);
    wait_for(dp);
    let profile =
        std::env::temp_dir().join(format!("regis-e2e-chromium-monitor-{}", std::process::id()));
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        // A Korean user's browser: the pages follow its Accept-Language.
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--lang=ko-KR", "--window-size=1280,900", format!("--user-data-dir={}", profile.display())],
            "prefs": {"intl.accept_languages": "ko-KR,ko"}}
    }}});
    let s = http(dp, "POST", "/session", Some(&caps));
    let d = Driver {
        port: dp,
        session: s["value"]["sessionId"]
            .as_str()
            .expect("a session")
            .to_string(),
    };
    let base = format!("http://127.0.0.1:{sp}");
    let wait_path = |want: &str| {
        let t = Instant::now();
        loop {
            let here = d.script("return document.location.pathname + ' ' + document.readyState");
            if here
                .as_str()
                .is_some_and(|h| h.starts_with(want) && h.ends_with("complete"))
            {
                return;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "never reached {want}: {here}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let status_shown = || {
        d.script("var m = document.getElementById('message'); return m ? m.dataset.status + ' ' + m.textContent : 'none'")
            .as_str()
            .unwrap()
            .to_string()
    };
    let login = |user: &str, pw: &str| {
        d.go(&format!("{base}/monitor/login"));
        d.script(&format!("document.getElementById('username').value = '{user}'; document.getElementById('password').value = '{pw}'; document.getElementById('login').submit(); return 1"));
        wait_path("/monitor");
        let who = d.script("var w = document.getElementById('who'); return w ? w.textContent : ''");
        assert!(
            who.as_str().unwrap().contains(user),
            "logged in as {user}: {who}"
        );
    };
    // The public: 22 published projects (15 of 2024-2026, the 7 of the 2005 pilot), no draft.
    d.go(&format!("{base}/monitor"));
    let statuses = d.script("return Array.from(document.querySelectorAll('#projects td.status')).map(c => c.textContent)");
    let statuses: Vec<String> = serde_json::from_value(statuses).unwrap();
    assert_eq!(statuses.len(), 22);
    assert!(statuses.iter().all(|s| s == "공개"), "{statuses:?}");
    // The cooperation network page, as the public: drawn, searchable, the provinces' ties on
    // the map, and no organisation that only draft projects name (충북테크노파크 leads a
    // draft only).
    let labels = || -> Vec<String> {
        serde_json::from_value(d.script("return Array.from(document.querySelectorAll('#network-drawing circle[data-label]')).map(c => c.getAttribute('data-label'))")).unwrap()
    };
    d.go(&format!("{base}/network"));
    d.until(
        "return document.querySelector('#network-drawing svg') !== null && document.getElementById('network-drawing').getAttribute('data-ready') === 'true'",
        "the network drawing and its search script",
    );
    let public_labels = labels();
    assert!(public_labels.len() >= 40, "{}", public_labels.len());
    assert!(
        public_labels
            .iter()
            .all(|l| !l.starts_with("충북테크노파크")),
        "a draft's organisation on the public page"
    );
    let lines =
        d.script("return document.querySelectorAll('#network-regions line[data-from]').length");
    assert!(
        lines.as_i64().unwrap() >= 5,
        "ties between provinces: {lines}"
    );
    d.script("var i = document.getElementById('network-search'); i.value = '연구원'; i.dispatchEvent(new Event('input')); return 1");
    let matched = d.script(
        "return document.querySelectorAll('#network-drawing circle[data-match=\"yes\"]').length",
    );
    let found = d.script("return document.getElementById('network-found').textContent");
    assert!(
        (1..=10).contains(&matched.as_i64().unwrap()),
        "search 연구원: {matched}"
    );
    assert_eq!(
        found.as_str().unwrap(),
        format!("{}곳 찾음", matched.as_i64().unwrap())
    );
    d.screenshot(&shots, "network-public");
    // Evaluations and incentives: the public sees the 15 published projects' interim
    // evaluations and the pilot's 7 final ones, and the budget adjustment each 2025 grade
    // implies (none for the pilot, which has no 2025 budget: base 0).
    d.go(&format!("{base}/monitor/evaluations"));
    let rows = |sel: &str| {
        d.script(&format!("return document.querySelectorAll('{sel}').length"))
            .as_i64()
            .unwrap()
    };
    assert_eq!((rows("#evaluations tr"), rows("#incentives tr")), (23, 23));
    let grades: Vec<String> = serde_json::from_value(d.script("return Array.from(document.querySelectorAll('#evaluations td.grade')).map(c => c.textContent)")).unwrap();
    assert!(
        grades
            .iter()
            .all(|g| ["S", "A", "B", "C", "D"].contains(&g.as_str())),
        "{grades:?}"
    );
    // The 2005 pilot's Changwon project: its final evaluation carries the impact estimates
    // `regis monitor demo` computed (SDID of the programme, synthetic control of Gyeongnam),
    // beside the grade and in the incentives view; the SDID's link opens its evaluation page
    // with the same estimate, the unit weights and the plain-language reading.
    let estimates: Vec<String> = serde_json::from_value(d.script("return Array.from(document.querySelectorAll('#evaluations td.estimate a')).map(a => a.textContent)")).unwrap();
    assert_eq!(estimates.len(), 2, "{estimates:?}");
    assert!(
        estimates[0].starts_with("SDID ") && estimates[1].starts_with("SC "),
        "{estimates:?}"
    );
    assert_eq!(rows("#incentives td.estimate p"), 2);
    let att: f64 = estimates[0]
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    d.script("document.querySelector('#evaluations td.estimate a').click(); return 1");
    wait_path("/evaluate");
    d.screenshot(&shots, "evaluation-page");
    assert_eq!(
        rows("#unit-weights svg rect"),
        rows("#unit-weights svg rect")
    );
    assert!(rows("#unit-weights svg rect") >= 2, "unit weights drawn");
    assert!(rows("#estimators tr") == 4, "SDID, SC and DiD side by side");
    let shown_att = d.script(
        "return document.querySelector('#estimators tr:nth-child(2) td:nth-child(2)').textContent",
    );
    let shown_att: f64 = shown_att.as_str().unwrap().parse().unwrap();
    assert!((shown_att - att).abs() < 0.01, "{shown_att} vs {att}");
    let text = d
        .script("return document.body.textContent")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("추정 효과는") && text.contains("유의점"),
        "the reading and its caveats"
    );
    d.go(&format!("{base}/monitor/projects/5"));
    assert!(
        status_shown().starts_with("404"),
        "a draft is not shown to the public"
    );
    // Seoul's council member edits Ulsan's project (7): 403, and nothing changed.
    login("seoul", "seoul-password");
    d.go(&format!("{base}/monitor/projects/7"));
    let before = d.script("return document.getElementById('title').value");
    d.script("document.getElementById('title').value = 'changed by Seoul'; document.getElementById('edit-project').submit(); return 1");
    wait_path("/monitor/projects/7");
    let shown = status_shown();
    d.screenshot(&shots, "monitor-403");
    assert!(
        shown.starts_with("403")
            && shown.contains("region 26")
            && shown.contains("26 지역의 사업을 수정할 수 없습니다"),
        "{shown}"
    );
    d.go(&format!("{base}/monitor/projects/7"));
    assert_eq!(
        d.script("return document.getElementById('title').value"),
        before
    );
    // Staff see the drafts' organisations too.
    d.go(&format!("{base}/network"));
    let staff_labels = labels();
    assert!(staff_labels.len() > public_labels.len());
    assert!(staff_labels.iter().any(|l| l.starts_with("충북테크노파크")));
    // Seoul's own project (1): saved.
    d.go(&format!("{base}/monitor/projects/1"));
    d.script("document.getElementById('title').value = '서울 AI 사업 (수정)'; document.getElementById('edit-project').submit(); return 1");
    wait_path("/monitor/projects/1");
    assert_eq!(status_shown(), "none");
    assert_eq!(
        d.script("return document.getElementById('title').value"),
        "서울 AI 사업 (수정)"
    );
    // The results framework on the page: results above the KPI, milestones with their
    // status, values by district; Seoul adds a milestone through the form.
    let count = |sel: &str| {
        d.script(&format!("return document.querySelectorAll('{sel}').length"))
            .as_i64()
            .unwrap()
    };
    assert_eq!(count("#results tr"), 3, "header + outcome + output");
    assert_eq!(count("#milestones tr"), 4, "header + 3 demo milestones");
    assert_eq!(count("table.by-region tr"), 3, "header + 2 districts");
    d.script("var f = document.getElementById('add-milestone'); f.elements['title'].value = '실증 결과 공개'; f.elements['due_on'].value = '2099-01-31'; f.submit(); return 1");
    wait_path("/monitor/projects/1");
    assert_eq!(status_shown(), "none");
    assert_eq!(count("#milestones tr"), 5);
    let statuses: Vec<String> = serde_json::from_value(d.script(
        "return Array.from(document.querySelectorAll('#milestones td.status')).map(c => c.textContent)",
    ))
    .unwrap();
    // Demo project 1: started on time, interim step done late, the final report (due
    // 2026-12-31) ahead or overdue depending on today, the new one ahead.
    let final_report = if regis_monitor::rules::today().as_str() > "2026-12-31" {
        "지연"
    } else {
        "예정"
    };
    assert_eq!(statuses, ["완료", "지연 완료", final_report, "예정"]);
    // Completing the new milestone from its row's form (on the version read).
    d.script("var fs = document.querySelectorAll('form.complete-milestone'); var f = fs[fs.length - 1]; f.elements['completed_on'].value = '2098-12-31'; f.submit(); return 1");
    let t = Instant::now();
    loop {
        let last = d.script("var c = document.querySelectorAll('#milestones td.status'); return c.length ? c[c.length - 1].textContent : ''");
        if last == "완료" {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "milestone not completed: {last}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    d.screenshot(&shots, "monitor-results-framework");
    // Importing a KPI file from the dashboard: a malformed file is refused row by row and
    // stores nothing; the corrected file is stored.
    let upload = |name: &str, text: &str| {
        d.go(&format!("{base}/monitor/imports"));
        d.script(&format!("var f = document.getElementById('import'); f.elements['kind'].value = 'kpi'; var dt = new DataTransfer(); dt.items.add(new File([{text:?}], '{name}', {{type: 'text/csv'}})); document.getElementById('file').files = dt.files; f.submit(); return 1"));
        let t = Instant::now();
        while d.script("return document.getElementById('message') ? 1 : 0") != 1 {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "no answer to the upload"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        status_shown()
    };
    let kpi_2026 = || {
        d.script("return fetch('/api/v1/indicators/1/values').then(r => r.json()).then(j => j.values.filter(v => v.period === 2026).length)")
    };
    let shown = upload(
        "kpi.csv",
        "indicator_id,period,target,actual,version\n1,20x6,100,90,\n",
    );
    let problems = d.script("return Array.from(document.querySelectorAll('#problems td')).map(c => c.textContent).join('|')");
    d.screenshot(&shots, "monitor-import-refused");
    assert!(shown.starts_with("400"), "{shown}");
    assert!(
        problems.as_str().unwrap().starts_with("2|period|"),
        "{problems}"
    );
    assert_eq!(kpi_2026(), 0, "nothing stored from the refused file");
    let shown = upload(
        "kpi.csv",
        "indicator_id,period,target,actual,version\n1,2026,100,90,\n",
    );
    assert!(
        shown.starts_with("200") && shown.contains("kpi.csv: 1"),
        "{shown}"
    );
    assert_eq!(kpi_2026(), 1);
    // A form without the session's CSRF token is refused.
    let csrf = d.script("return fetch('/monitor/projects/1', {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'version=2&title=forged&status=draft'}).then(r => r.status)");
    assert_eq!(csrf, 403);
    // The evaluator: project 2 is not assigned (403), project 3 is (a grade).
    d.go(&format!("{base}/monitor"));
    d.script("document.querySelector('form[action=\"/monitor/logout\"]').submit(); return 1");
    wait_path("/monitor");
    login("eva", "evaluator-password");
    d.go(&format!("{base}/monitor/projects/2"));
    d.script("document.getElementById('evaluate').submit(); return 1");
    wait_path("/monitor/projects/2");
    let shown = status_shown();
    assert!(
        shown.starts_with("403")
            && shown.contains("not assigned")
            && shown.contains("배정되지 않았습니다"),
        "{shown}"
    );
    d.go(&format!("{base}/monitor/projects/3"));
    d.script("document.getElementById('evaluate').submit(); return 1");
    wait_path("/monitor/projects/3");
    let shown = status_shown();
    d.screenshot(&shots, "monitor-evaluation");
    assert!(
        shown.starts_with("200") && shown.contains("80.0 → A"),
        "{shown}"
    );
    let _ = http(dp, "DELETE", &format!("/session/{}", d.session), None);
}
