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
