//! The API twins of the CLI's analytic commands refuse what they cannot answer with a 4xx and
//! a code, never a file read: a client's predictors must be the outcome's own values, hostile
//! text is not echoed, out-of-range periods, unknown views and bad parameters are named.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use regis_server::{app, AppState};
use tower::ServiceExt;

async fn get(uri: &str) -> (StatusCode, serde_json::Value) {
    let resp = app(AppState::default())
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

#[tokio::test]
async fn question_routes_refuse_with_a_code() {
    for (uri, status, code) in [
        (
            "/api/v1/specialise?view=maps",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/specialise?industries=ZZ",
            StatusCode::NOT_FOUND,
            "unknown-industry",
        ),
        (
            "/api/v1/shift-share?from=1900&to=2017",
            StatusCode::BAD_REQUEST,
            "period-out-of-range",
        ),
        (
            "/api/v1/shift-share?regions=..%2F..%2Fetc%2Fpasswd",
            StatusCode::NOT_FOUND,
            "unknown-region",
        ),
        (
            "/api/v1/complexity?view=everything",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/spatial?permutations=1000000",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/clusters?definitions=%2Fetc%2Fpasswd",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/zones/lma?measure=population",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/zones/maxp?iterations=100000",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/evaluate/cs?treated=38",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/evaluate/cs?control=sometimes",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/evaluate/sc?predictors=%2Fetc%2Fpasswd",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/evaluate/sc?treated=26%3D1980",
            StatusCode::BAD_REQUEST,
            "period-out-of-range",
        ),
        (
            "/api/v1/evaluate/sdid?treated=38%3D2005,31%3D2006",
            StatusCode::BAD_REQUEST,
            "bad-parameter",
        ),
        (
            "/api/v1/evaluate/did?measure=nothing_here",
            StatusCode::NOT_FOUND,
            "unknown-measure",
        ),
    ] {
        let (s, v) = get(uri).await;
        assert_eq!(s, status, "{uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri}: {v}");
        let text = v.to_string();
        assert!(
            !text.contains("/etc/passwd") && !text.contains("root:"),
            "{uri}: {text}"
        );
    }
}
