//! `POST /api/v1/network/{question}` in process: the CLI's answers on uploaded files, and the
//! refusals (unknown question or field, malformed ties located, too much work, oversized body).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use regis_server::{app, AppState};
use tower::ServiceExt;

const BOUNDARY: &str = "regis-network-test-7d1e";

/// A multipart body: files `(field, file name, bytes)` and text fields.
fn body(files: &[(&str, &str, &[u8])], texts: &[(&str, &str)]) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, value) in texts {
        b.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        b.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        b.extend(*bytes);
        b.extend(b"\r\n");
    }
    b.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn post(question: &str, body: Vec<u8>) -> (StatusCode, serde_json::Value) {
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/network/{question}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let resp = app(AppState::default()).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn karate() -> (Vec<u8>, Vec<u8>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/inputs");
    (
        std::fs::read(root.join("network_karate_edges.csv")).unwrap(),
        std::fs::read(root.join("network_karate_actors.csv")).unwrap(),
    )
}

#[tokio::test]
async fn the_cli_answers_on_uploaded_files() {
    let (edges, actors) = karate();
    let files: [(&str, &str, &[u8]); 2] = [
        ("edges", "karate.csv", &edges),
        ("actors", "actors.csv", &actors),
    ];
    let (s, v) = post("summary", body(&files, &[("type_col", "club")])).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["nodes"].as_u64(), v["edges"].as_u64()),
        (Some(34), Some(78))
    );
    assert!((v["degree_assortativity"].as_f64().unwrap() + 0.475_613).abs() < 1e-6);
    assert!(v["type_assortativity"].is_f64());
    let (s, v) = post("centrality", body(&files[..1], &[])).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let first = &v["actors"][0];
    assert_eq!(first["actor"], "member01");
    assert!((first["betweenness"].as_f64().unwrap() - 0.437_635).abs() < 1e-6);
    let (s, v) = post("brokerage", body(&files, &[("by", "club")])).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["totals"]["total"].as_u64().unwrap() > 0);
    let (s, v) = post(
        "weak",
        body(&files, &[("type_col", "club"), ("draws", "50")]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["draws"], 50);
    let (s, v) = post("core", body(&files[..1], &[("starts", "5")])).await;
    // Nine degree-ranked starts and the five random ones.
    assert_eq!((s, v["starts"].as_u64()), (StatusCode::OK, Some(14)));
}

#[tokio::test]
async fn bad_requests_get_a_status_and_a_message() {
    let (edges, _) = karate();
    let files: [(&str, &str, &[u8]); 1] = [("edges", "karate.csv", &edges)];
    let (s, v) = post("pagerank", body(&files, &[])).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown-question"))
    );
    let (s, v) = post("summary", body(&files, &[("path", "/etc/passwd")])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown field `path`"));
    let (s, v) = post("summary", body(&[], &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let self_tie = b"source,target\na,b\nc,c\n";
    let (s, v) = post(
        "summary",
        body(&[("edges", "../../etc/ties.csv", self_tie)], &[]),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let m = v["error"]["message"].as_str().unwrap();
    assert_eq!(v["error"]["code"], "self-tie");
    // The upload's name is reduced to its last part; no directory comes back.
    assert!(
        m.contains("ties.csv") && m.contains("line 3") && !m.contains("etc"),
        "{m}"
    );
    let (s, v) = post("weak", body(&files, &[("draws", "100000")])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = post("brokerage", body(&files, &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // 30,000 ties among 60,000 actors: exact betweenness is more than a request may ask.
    let mut big = String::from("source,target\n");
    for k in 0..30_000 {
        big.push_str(&format!("a{k},b{k}\n"));
    }
    let (s, v) = post(
        "centrality",
        body(&[("edges", "big.csv", big.as_bytes())], &[]),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "too-much-work");
    // The summary of the same file is cheap.
    let (s, v) = post(
        "summary",
        body(&[("edges", "big.csv", big.as_bytes())], &[]),
    )
    .await;
    assert_eq!((s, v["nodes"].as_u64()), (StatusCode::OK, Some(60_000)));
    // One project of 2,100 actors would tie 2.2 million pairs: refused before it is built.
    let mut part = String::from("project,actor\n");
    for k in 0..2100 {
        part.push_str(&format!("P,a{k}\n"));
    }
    let (s, v) = post(
        "summary",
        body(&[("participation", "p.csv", part.as_bytes())], &[]),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "over-budget");
    // Over 4 MiB: refused.
    let huge = vec![b'a'; 5 * 1024 * 1024];
    let (s, _) = post("summary", body(&[("edges", "huge.csv", &huge)], &[])).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // Not multipart: the API's JSON error.
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/network/summary")
        .header("content-type", "text/csv")
        .body(Body::from("source,target\na,b\n"))
        .unwrap();
    let resp = app(AppState::default()).oneshot(req).await.unwrap();
    assert!(resp.status().is_client_error());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["error"]["code"], "bad-body");
    let doc = regis_server::openapi::document();
    assert!(doc["paths"]["/api/v1/network/{question}"]["post"].is_object());
}

/// A server with the demo monitoring store (an embedded SQLite file), and an admin's token.
async fn demo_server() -> (AppState, String) {
    let state = tokio::task::spawn_blocking(|| {
        let dir = std::env::temp_dir().join(format!(
            "regis-network-api-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = regis_monitor::sqlite::SqliteStore::open(&dir.join("monitor.sqlite")).unwrap();
        use regis_monitor::Store;
        store.bootstrap_admin("admin", "admin-password").unwrap();
        let admin = store.authenticate("admin", "admin-password").unwrap();
        regis_monitor::demo::load_demo(&store, &admin).unwrap();
        AppState {
            monitor: Some(std::sync::Arc::new(store)),
            ..AppState::default()
        }
    })
    .await
    .unwrap();
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            r#"{"username": "admin", "password": "admin-password"}"#,
        ))
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    (state, v["token"].as_str().unwrap().to_string())
}

/// GET with an optional bearer token: status, Cache-Control and body.
async fn get(state: &AppState, uri: &str, token: Option<&str>) -> (StatusCode, String, String) {
    let mut req = Request::builder().uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let resp = app(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let cache = resp
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, cache, String::from_utf8_lossy(&bytes).to_string())
}

/// The monitoring store's cooperation network: the API answers as the caller may see it (the
/// public's network is smaller, no draft's organisation in it), the page draws it for the
/// public without any draft's organisation, and bad requests get a status and a message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitoring_network_through_the_api_and_the_page() {
    let (state, token) = demo_server().await;
    let json = |body: &str| -> serde_json::Value { serde_json::from_str(body).unwrap() };
    let (s, cache, public) = get(&state, "/api/v1/network/summary", None).await;
    assert_eq!(s, StatusCode::OK, "{public}");
    assert!(cache.contains("private"), "{cache}");
    let (s, _, staff) = get(&state, "/api/v1/network/summary", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    let (public, staff) = (json(&public), json(&staff));
    assert!(
        staff["nodes"].as_u64() > public["nodes"].as_u64(),
        "{public} {staff}"
    );
    // The organisations only drafts name, as the administrator sees them.
    let (_, _, centrality_staff) = get(&state, "/api/v1/network/centrality", Some(&token)).await;
    let (_, _, centrality_public) = get(&state, "/api/v1/network/centrality", None).await;
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["actor"].as_str().unwrap().to_string())
            .collect()
    };
    let (all, seen) = (
        names(&json(&centrality_staff)),
        names(&json(&centrality_public)),
    );
    let hidden: Vec<&String> = all.iter().filter(|a| !seen.contains(a)).collect();
    assert!(!hidden.is_empty());
    let (s, _, page) = get(&state, "/network?lang=en&by=region&size=degree", None).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    for id in [
        "network-drawing",
        "network-regions",
        "network-brokers",
        "network-weak",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    assert_eq!(page.matches("data-label=").count(), seen.len());
    for name in &hidden {
        // Names are escaped in the page; the demo's have no character to escape.
        assert!(
            !page.contains(name.as_str()),
            "the public page shows {name}"
        );
    }
    assert!(page.contains("<line") && page.contains("data-from="));
    assert!(page.contains("src=\"/assets/network.js\"") && !page.contains("<script>"));
    // Refusals.
    for (uri, status) in [
        ("/network?size=bogus", StatusCode::BAD_REQUEST),
        ("/network?colour=red", StatusCode::BAD_REQUEST),
        ("/api/v1/network/brokerage", StatusCode::BAD_REQUEST),
        (
            "/api/v1/network/summary?file=/etc/passwd",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/network/weak?draws=1", StatusCode::BAD_REQUEST),
        ("/api/v1/network/nonsense", StatusCode::NOT_FOUND),
    ] {
        let (s, _, body) = get(&state, uri, None).await;
        assert_eq!(s, status, "{uri}: {body}");
    }
    let (s, _, _) = get(&state, "/api/v1/network/summary", Some("not-a-token")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, body) = get(&state, "/api/v1/network/brokerage?by=type", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(json(&body)["totals"]["liaison"].as_u64().unwrap() > 0);
    // Without a store: the page says so, the API answers 404.
    let bare = AppState::default();
    let (s, _, page) = get(&bare, "/network?lang=en", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("without a monitoring store"));
    let (s, _, body) = get(&bare, "/api/v1/network/summary", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    assert!(body.contains("no-monitor"));
}
