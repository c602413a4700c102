//! One in-process GET against the router (`app().oneshot`), with an optional
//! `Accept-Language`: status, content type and body. Shared by the API and page suites.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use regis_server::{app, AppState};
use tower::ServiceExt;

/// GET `uri`, the browser asking for `accept_language` when given.
pub async fn get_with(uri: &str, accept_language: Option<&str>) -> (StatusCode, String, String) {
    let mut req = Request::builder().uri(uri);
    if let Some(l) = accept_language {
        req = req.header("accept-language", l);
    }
    let resp = app(AppState::default())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, ctype, String::from_utf8_lossy(&bytes).to_string())
}
