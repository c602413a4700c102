//! The security suite, in process (`app().oneshot`): the attack corpus of issue 12.
//!
//! - Every write route of the OpenAPI document (read from the document, so a new route is
//!   covered without editing this file): anonymous 401 before the body is validated, a role
//!   outside the route's `x-regis-roles` 403, an allowed role with a malformed body 400.
//! - Every route and page that takes a measure or a code: absolute, relative, encoded and
//!   NUL-bearing paths answer 4xx with no file content and no host path, while a planted
//!   `secret.json`/`secret.csv` pair outside the store holds a canary.
//! - Uploads through the page: the role is checked before the multipart is read; XLSX
//!   dimension and decompression bombs, an over-long cell and deep JSON are refused with a
//!   located message.
//! - Login: 50 wrong passwords are throttled (429 + Retry-After); unknown-user versus
//!   wrong-password timing is reported (not asserted); logout revokes a token.
//! - Security headers on pages, API answers, SVG and errors; 413 for an oversized body.
//!
//! The same corpus against a real `regis serve` on loopback, with its peak memory, is in
//! `crates/regis-cli/tests/security_serve.rs`.

#[path = "support/multipart.rs"]
mod multipart_support;
use multipart_support::{csrf_of, multipart};

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use regis_monitor::sqlite::SqliteStore;
use regis_monitor::{Role, Store};
use regis_server::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(state: &AppState, req: Request<Body>) -> Answer {
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: &str,
) -> Answer {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    send(state, b.body(Body::from(body.to_string())).unwrap()).await
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "regis-security-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A state with a dataset store, a SQLite monitoring store holding the demo and one user of
/// each role.
async fn world() -> (AppState, PathBuf) {
    let dir = temp_dir("world");
    let store_dir = dir.clone();
    let store: Arc<dyn Store> = tokio::task::spawn_blocking(move || {
        let s = Arc::new(SqliteStore::open(&store_dir.join("monitor.sqlite")).unwrap());
        s.bootstrap_admin("admin", "admin-password").unwrap();
        let admin = s.authenticate("admin", "admin-password").unwrap();
        regis_monitor::demo::load_demo(&*s, &admin).unwrap();
        s.create_user(&admin, "seoul", "seoul-password", Role::Council, Some("11"))
            .unwrap();
        s.create_user(&admin, "eva", "evaluator-password", Role::Evaluator, None)
            .unwrap();
        s.create_user(&admin, "ulsan", "ulsan-password", Role::Council, Some("26"))
            .unwrap();
        // A plan of Seoul and a conflict logged on it: record 1 of each, as the OpenAPI
        // examples name them (projects, indicators, results and milestones 1 are Seoul's).
        let plan = s
            .save_plan(
                &admin,
                None,
                0,
                &regis_monitor::PlanInput {
                    region: "11".into(),
                    title: "서울 계획 (test)".into(),
                    start_year: 2026,
                    end_year: 2030,
                    body: "test".into(),
                },
            )
            .unwrap();
        s.log_conflict(&admin, plan.id, "21", "test").unwrap();
        s as Arc<dyn Store>
    })
    .await
    .unwrap();
    let mut state = AppState::new(Some(dir.join("datasets-store")));
    state.monitor = Some(store);
    (state, dir)
}

async fn token(state: &AppState, user: &str, password: &str) -> String {
    let a = call(
        state,
        "POST",
        "/api/v1/auth/login",
        None,
        &json!({"username": user, "password": password}).to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v: Value = serde_json::from_str(&a.body).unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// The write operations of the OpenAPI document: (method, path with ids filled in, roles).
async fn write_routes(state: &AppState) -> Vec<(String, String, Vec<String>)> {
    let doc: Value =
        serde_json::from_str(&call(state, "GET", "/api/openapi.json", None, "").await.body)
            .unwrap();
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            // Reads, the login, and computations on the request's own upload that store
            // nothing (marked `x-regis-writes: false`: POST /api/v1/network/{question}).
            if method == "get" || path.starts_with("/api/v1/auth/") || op["x-regis-writes"] == false
            {
                continue;
            }
            let roles: Vec<String> = op["x-regis-roles"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path}: no x-regis-roles"))
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            assert!(
                !roles.is_empty(),
                "{method} {path}: a write open to no role"
            );
            out.push((method.to_uppercase(), path.replace("{id}", "1"), roles));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_route_authenticates_before_it_reads_the_body() {
    let (state, _dir) = world().await;
    let tokens = [
        ("admin", token(&state, "admin", "admin-password").await),
        ("council", token(&state, "seoul", "seoul-password").await),
        (
            "evaluator",
            token(&state, "eva", "evaluator-password").await,
        ),
    ];
    let routes = write_routes(&state).await;
    assert!(routes.len() >= 15, "only {} write routes", routes.len());
    // A body that no route can parse: a route that validates before it authenticates
    // answers 400, which fails the first assertion.
    let malformed = "{\"version\": ";
    for (method, path, roles) in &routes {
        let a = call(&state, method, path, None, malformed).await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "anonymous {method} {path}: {}",
            a.body
        );
        let a = call(&state, method, path, Some("forged-token"), malformed).await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "forged {method} {path}: {}",
            a.body
        );
        for (role, t) in &tokens {
            let a = call(&state, method, path, Some(t), malformed).await;
            let expected = if roles.iter().any(|r| r == role) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(a.status, expected, "{role} {method} {path}: {}", a.body);
        }
    }
    // The page forms: no session, no body read.
    for path in [
        "/monitor/projects/1",
        "/monitor/projects/1/evaluations",
        "/monitor/indicators/1/values",
        "/monitor/projects/1/milestones",
        "/monitor/milestones/1/completion",
        "/monitor/plans/1/steps",
        "/monitor/conflicts/1/resolution",
        "/monitor/imports",
    ] {
        let a = send(
            &state,
            Request::builder()
                .method("POST")
                .uri(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("%%%not-a-form"))
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "anonymous POST {path}");
    }
}

/// Paths an attacker would put where a measure id or a code goes.
fn hostile_ids(planted: &str) -> Vec<String> {
    vec![
        planted.to_string(),
        format!("{planted}.json"),
        "/etc/passwd".into(),
        "../../../../../../etc/passwd".into(),
        "..%2F..%2F..%2F..%2Fetc%2Fpasswd".into(),
        "%2Fetc%2Fpasswd".into(),
        "..%5C..%5Cwindows%5Cwin.ini".into(),
        "C:%5CWindows%5Cwin.ini".into(),
        "population%00.json".into(),
        "%2e%2e%2f%2e%2e%2fsecret".into(),
        "datasets/../../secret".into(),
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E".into(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_reads_a_file_outside_the_store_or_shows_a_host_path() {
    let (state, dir) = world().await;
    // The attack of the issue: any X.json beside X.csv on the host came back as data.
    let outside = temp_dir("outside");
    let secret = outside.join("secret");
    std::fs::write(
        outside.join("secret.json"),
        r#"{"id":"secret","name_ko":"CANARY-7f3a","name_en":"CANARY-7f3a","unit":"","additive":true,"allows_negative":false,"kind":"regional","classification":null,"source_file":"CANARY-7f3a","cells":1,"new_regions":[]}"#,
    )
    .unwrap();
    std::fs::write(
        outside.join("secret.csv"),
        "region_code,region_level,region_from,industry,period,value\n11,1,-2147483648,,2020,424242\n",
    )
    .unwrap();
    let planted = secret.to_string_lossy().replace('/', "%2F");
    let host_paths = [
        outside.to_string_lossy().to_string(),
        dir.to_string_lossy().to_string(),
        std::env::temp_dir().to_string_lossy().to_string(),
    ];
    let mut tried = 0;
    let mut check = |uri: String, a: Answer| {
        assert!(
            a.status.is_client_error(),
            "{uri}: status {} (expected 4xx): {}",
            a.status,
            a.body
        );
        for leak in ["CANARY-7f3a", "424242", "root:x:", "[fonts]"] {
            assert!(!a.body.contains(leak), "{uri}: body leaks `{leak}`");
        }
        for p in &host_paths {
            assert!(
                !a.body.contains(p.as_str()),
                "{uri}: body shows host path {p}"
            );
        }
        assert!(!a.body.contains("<script>"), "{uri}: echoes markup");
        tried += 1;
    };
    let doc: Value = serde_json::from_str(
        &call(&state, "GET", "/api/openapi.json", None, "")
            .await
            .body,
    )
    .unwrap();
    // Every API route with a measure parameter, and every page that reads one.
    let mut with_measure: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| {
            ops["get"]["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "measure"))
        })
        .map(|(path, _)| {
            let mut p = path
                .replace("{code}", "11")
                .replace("/api/v1/industries/11", "/api/v1/industries/C");
            if p.contains("lq.svg") {
                p.push_str("?region=11&");
            } else {
                p.push('?');
            }
            p
        })
        .collect();
    assert!(with_measure.len() >= 10, "{with_measure:?}");
    with_measure.extend(
        [
            "/map?",
            "/region/11?",
            "/industry/C?",
            "/strategy?",
            "/clusters?",
            "/evaluate?method=sc&",
            "/evaluate?method=cs&",
        ]
        .map(String::from),
    );
    for base in &with_measure {
        for id in hostile_ids(&planted) {
            let uri = format!("{base}measure={id}");
            let a = call(&state, "GET", &uri, None, "").await;
            check(uri, a);
        }
    }
    // Codes in the path.
    for base in [
        "/region/",
        "/industry/",
        "/api/v1/regions/",
        "/api/v1/industries/",
        "/api/v1/strategy/",
    ] {
        for id in hostile_ids(&planted) {
            let uri = if base == "/api/v1/regions/" {
                format!("{base}{id}/profile")
            } else {
                format!("{base}{id}")
            };
            let a = call(&state, "GET", &uri, None, "").await;
            check(uri, a);
        }
    }
    assert!(tried > 200, "{tried} hostile requests");
}

/// A session on the monitoring pages: the session cookie and the CSRF token of its forms.
async fn page_session(state: &AppState, user: &str, password: &str) -> (String, String) {
    let form = send(
        state,
        Request::get("/monitor/login").body(Body::empty()).unwrap(),
    )
    .await;
    let set = form.headers["set-cookie"].to_str().unwrap().to_string();
    let login_cookie = set.split(';').next().unwrap().to_string();
    let csrf = login_cookie.split_once('=').unwrap().1.to_string();
    let a = send(
        state,
        Request::post("/monitor/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &login_cookie)
            .body(Body::from(format!(
                "csrf={csrf}&lang=en&username={user}&password={password}"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let session = a.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = send(
        state,
        Request::get("/monitor/imports?lang=en")
            .header("cookie", &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = csrf_of(&page.body);
    (session, csrf)
}

/// Posts a file to the import page (with the session cookie, when there is one).
async fn upload(
    state: &AppState,
    cookie: Option<&str>,
    csrf: &str,
    file_name: &str,
    bytes: &[u8],
) -> Answer {
    let (content_type, body) = multipart(csrf, "kpi", file_name, bytes);
    let mut r = Request::post("/monitor/imports").header("content-type", &content_type);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(state, r.body(Body::from(body)).unwrap()).await
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/malformed")
            .join(name),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_bombs_are_refused_with_a_located_message() {
    let (state, _dir) = world().await;
    let deep_json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "dimension.xlsx",
            corpus("xlsx_dimension_bomb.xlsx"),
            "A1:XFD1048576",
        ),
        (
            "span.xlsx",
            corpus("xlsx_cells_span_bomb.xlsx"),
            "XFD1048576",
        ),
        (
            "inflate.xlsx",
            corpus("xlsx_decompression_bomb.xlsx"),
            "decompressed",
        ),
        ("long.xlsx", corpus("xlsx_long_cell.xlsx"), "cell A2"),
        (
            "sst.xlsx",
            corpus("xlsx_shared_strings_count.xlsx"),
            "shared-strings count",
        ),
        (
            "copies.xlsx",
            corpus("xlsx_shared_string_copies.xlsx"),
            "text of the cells",
        ),
        ("far.xlsx", corpus("xlsx_far_columns.xlsx"), "A1:AMJ60000"),
        ("deep.json", deep_json.into_bytes(), "JSON nesting depth"),
    ];
    // The anonymous and the evaluator are refused before the multipart is read.
    let a = upload(&state, None, "x", "dimension.xlsx", &cases[0].1).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let (eva, _) = page_session(&state, "eva", "evaluator-password").await;
    let a = upload(&state, Some(&eva), "x", "dimension.xlsx", &cases[0].1).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    let (session, csrf) = page_session(&state, "seoul", "seoul-password").await;
    for (name, bytes, fragment) in cases {
        let a = upload(&state, Some(&session), &csrf, name, &bytes).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{name}: {}", a.body);
        assert!(a.body.contains("over-budget"), "{name}: {}", a.body);
        assert!(
            a.body.contains(fragment),
            "{name}: `{fragment}` in {}",
            a.body
        );
        assert!(a.body.contains(name), "{name}: the file is named");
    }
    // The API's JSON imports: serde's nesting limit refuses deep bodies with a position.
    let council = token(&state, "seoul", "seoul-password").await;
    let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let a = call(&state, "POST", "/api/v1/imports/kpi", Some(&council), &deep).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert!(a.body.contains("line 1 column"), "{}", a.body);
    // Parquet is not an upload format (its reader trusts declared page sizes).
    let parquet = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/inputs/long_year_region_ind.parquet"),
    )
    .unwrap();
    let a = upload(&state, Some(&session), &csrf, "data.parquet", &parquet).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.body.contains("Parquet files are not accepted"),
        "{}",
        a.body
    );
    // Oversized bodies: 413.
    let big = format!("[{}]", "1,".repeat(40_000) + "1");
    let a = call(&state, "POST", "/api/v1/imports/kpi", Some(&council), &big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_logins_are_throttled_and_timing_does_not_reveal_users() {
    let (state, _dir) = world().await;
    let attempt = |user: &'static str| {
        let state = state.clone();
        async move {
            let t = std::time::Instant::now();
            let a = call(
                &state,
                "POST",
                "/api/v1/auth/login",
                None,
                &json!({"username": user, "password": "wrong-password"}).to_string(),
            )
            .await;
            (a, t.elapsed())
        }
    };
    // Timing: 20 unknown users against 20 wrong passwords of a known one (before the
    // throttle starts for that account: the unknown names are all different accounts, and
    // in-process requests carry no client address).
    let mut unknown = Vec::new();
    let mut known = Vec::new();
    for i in 0..20 {
        let name: &'static str = Box::leak(format!("nobody{i}").into_boxed_str());
        let (a, t) = attempt(name).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        unknown.push(t.as_secs_f64());
    }
    for i in 0..20 {
        let (a, t) = attempt("seoul").await;
        if i < 5 {
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
            known.push(t.as_secs_f64());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (u, k) = (median(&mut unknown), median(&mut known));
    eprintln!(
        "login timing (reported, not asserted): unknown user median {:.1} ms, wrong password median {:.1} ms, ratio {:.2}",
        u * 1e3,
        k * 1e3,
        (u / k).max(k / u)
    );
    // 50 wrong passwords for one account: after 5 failures, 429 with Retry-After, and no
    // password check (a throttled answer does not wait for Argon2).
    let mut throttled = 0;
    for _ in 0..50 {
        let (a, _) = attempt("eva").await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(a.headers.contains_key("retry-after"));
            throttled += 1;
        } else {
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        }
    }
    assert!(throttled >= 44, "only {throttled} of 50 throttled");
    // The right password is throttled too while the wait lasts (no oracle).
    let a = call(
        &state,
        "POST",
        "/api/v1/auth/login",
        None,
        &json!({"username": "eva", "password": "evaluator-password"}).to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    // Logout revokes the token.
    let t = token(&state, "admin", "admin-password").await;
    assert_eq!(
        call(&state, "GET", "/api/v1/audit", Some(&t), "")
            .await
            .status,
        StatusCode::OK
    );
    let a = call(&state, "POST", "/api/v1/auth/logout", Some(&t), "").await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.body);
    assert_eq!(
        call(&state, "GET", "/api/v1/audit", Some(&t), "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&state, "POST", "/api/v1/auth/logout", None, "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_pages_api_svg_and_errors() {
    let (state, _dir) = world().await;
    for uri in [
        "/",
        "/methods",
        "/monitor/login",
        "/api/v1/measures",
        "/api/v1/values?measure=population&period=2020",
        "/api/v1/map.svg?measure=population&period=2020",
        "/api/v1/charts/imbalance.svg",
        "/api/openapi.json",
        "/api/v1/values?measure=nope",
        "/no-such-page",
    ] {
        let a = call(&state, "GET", uri, None, "").await;
        let h = |name: &str| {
            a.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{uri}: no {name} header"))
        };
        let csp = h("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{uri}: {csp}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(h("x-frame-options"), "DENY", "{uri}");
        assert!(!h("referrer-policy").is_empty(), "{uri}");
    }
    // Pages carry no inline script (the CSP would block it) and no javascript: URL.
    for uri in ["/", "/map", "/monitor/login", "/zones", "/strategy"] {
        let a = call(&state, "GET", uri, None, "").await;
        assert!(!a.body.contains("<script>"), "{uri}: inline script");
        assert!(!a.body.contains("javascript:"), "{uri}: javascript: URL");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extreme_zone_parameters_answer_instead_of_dropping_the_connection() {
    let (state, _dir) = world().await;
    for uri in [
        "/zones?min_size=1&target_size=2",
        "/zones?min_size=1&target_size=2&min_self_containment=0&target_self_containment=0",
        "/zones/regions?threshold=1&seed=7",
        "/zones/regions?threshold=99999999999&seed=7",
        "/api/v1/map.svg?measure=population&period=2020&classes=9&scheme=natural-breaks&level=district",
    ] {
        let a = call(&state, "GET", uri, None, "").await;
        assert!(
            a.status == StatusCode::OK || a.status.is_client_error(),
            "{uri}: {} {}",
            a.status,
            &a.body[..a.body.len().min(300)]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_restart_and_a_logout_is_final() {
    let (state, dir) = world().await;
    let t = token(&state, "admin", "admin-password").await;
    // A new server on the same store file: the session is restored from the store.
    let reopen = || {
        let path = dir.join("monitor.sqlite");
        async move {
            let store: Arc<dyn Store> = tokio::task::spawn_blocking(move || {
                Arc::new(SqliteStore::open(&path).unwrap()) as Arc<dyn Store>
            })
            .await
            .unwrap();
            let s = AppState {
                monitor: Some(store),
                ..AppState::default()
            };
            let restored = tokio::task::block_in_place(|| s.restore_sessions().unwrap());
            (s, restored)
        }
    };
    let (restarted, n) = reopen().await;
    assert!(n >= 1, "{n} sessions restored");
    assert_eq!(
        call(&restarted, "GET", "/api/v1/audit", Some(&t), "")
            .await
            .status,
        StatusCode::OK
    );
    // Only hashes are stored: the token itself is nowhere in the database file.
    let bytes = std::fs::read(dir.join("monitor.sqlite")).unwrap();
    let wal = std::fs::read(dir.join("monitor.sqlite-wal")).unwrap_or_default();
    for b in [&bytes, &wal] {
        assert!(
            !b.windows(t.len()).any(|w| w == t.as_bytes()),
            "the token is stored in clear"
        );
    }
    // Logout on the restarted server; a third start does not bring the session back.
    assert_eq!(
        call(&restarted, "POST", "/api/v1/auth/logout", Some(&t), "")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let (again, _) = reopen().await;
    assert_eq!(
        call(&again, "GET", "/api/v1/audit", Some(&t), "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_route_refuses_another_regions_council_and_an_unassigned_evaluator() {
    let (state, _dir) = world().await;
    let ulsan = token(&state, "ulsan", "ulsan-password").await;
    let eva = token(&state, "eva", "evaluator-password").await;
    let doc: Value = serde_json::from_str(
        &call(&state, "GET", "/api/openapi.json", None, "")
            .await
            .body,
    )
    .unwrap();
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            // Reads, the login, and computations on the request's own upload that store
            // nothing (marked `x-regis-writes: false`: POST /api/v1/network/{question}).
            if method == "get" || path.starts_with("/api/v1/auth/") || op["x-regis-writes"] == false
            {
                continue;
            }
            // The documented example body: valid, so only the caller can be refused.
            let example = &op["requestBody"]["content"]["application/json"]["example"];
            assert!(
                !example.is_null(),
                "{method} {path}: no example body in the OpenAPI document"
            );
            let roles: Vec<&str> = op["x-regis-roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            // Records 1 are Seoul's: a council member of Ulsan is outside their region, and
            // an evaluator not assigned to project 1 may not score it.
            let (who, t) = if roles.contains(&"council") {
                ("council of Ulsan", &ulsan)
            } else {
                ("unassigned evaluator", &eva)
            };
            let uri = path.replace("{id}", "1");
            let a = call(
                &state,
                &method.to_uppercase(),
                &uri,
                Some(t),
                &example.to_string(),
            )
            .await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "{who} {method} {uri}: {}",
                a.body
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} write routes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_people_type_is_escaped_on_every_page_that_shows_it() {
    let (state, _dir) = world().await;
    let admin = token(&state, "admin", "admin-password").await;
    let (_, project) = {
        let a = call(&state, "GET", "/api/v1/projects/1", Some(&admin), "").await;
        (a.status, serde_json::from_str::<Value>(&a.body).unwrap())
    };
    let attack = "<img src=x onerror=alert(1)>\"'&";
    let mut body = project.clone();
    body["title"] = json!(attack);
    body["objective"] = json!(attack);
    let a = call(
        &state,
        "PUT",
        "/api/v1/projects/1",
        Some(&admin),
        &body.to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let a = call(
        &state,
        "POST",
        "/api/v1/projects/1/milestones",
        Some(&admin),
        &json!({"title": attack, "due_on": "2026-06-30"}).to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for uri in [
        "/monitor?lang=en",
        "/monitor/projects/1?lang=en",
        "/monitor/evaluations?lang=en",
        "/monitor/overlaps?lang=en",
    ] {
        let a = call(&state, "GET", uri, None, "").await;
        assert_eq!(a.status, StatusCode::OK, "{uri}");
        assert!(!a.body.contains("<img src=x"), "{uri}: unescaped");
        if uri.contains("projects/1") || uri == "/monitor?lang=en" {
            assert!(
                a.body.contains("&#60;img src=x") || a.body.contains("&lt;img src=x"),
                "{uri}: the title is shown, escaped"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_sharing_a_store_agree_on_logins_and_logouts_at_once() {
    let (a, _dir) = world().await;
    // A second server on the same store, started before the login and never restored.
    let b = AppState {
        monitor: a.monitor.clone(),
        ..AppState::default()
    };
    let t = token(&a, "admin", "admin-password").await;
    assert_eq!(
        call(&b, "GET", "/api/v1/audit", Some(&t), "").await.status,
        StatusCode::OK,
        "a login on one server holds on the other"
    );
    assert_eq!(
        call(&a, "POST", "/api/v1/auth/logout", Some(&t), "")
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&b, "GET", "/api/v1/audit", Some(&t), "").await.status,
        StatusCode::UNAUTHORIZED,
        "a logout on one server holds on the other at once"
    );
}
