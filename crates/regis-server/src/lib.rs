//! Regis web server: the public dashboard and the JSON API, in one axum router.
//!
//! Invariants: serde types live here (never in core or methods); every handler takes the shared
//! [`AppState`]; every error is an [`error::AppError`] rendered as JSON with a 4xx status for the
//! user's mistakes; pages make no request outside the server (no CDN, no web fonts, no tiles);
//! request bodies are not accepted (the API is read-only) and queries are bounded.

pub mod api;
pub mod compute;
pub mod error;
pub mod i18n;
pub mod openapi;
pub mod pages;
pub mod params;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};

/// Shared state of all handlers.
#[derive(Clone, Default)]
pub struct AppState {
    /// Where measures come from.
    pub sources: Arc<compute::Sources>,
}

/// The application router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/map", get(pages::map))
        .route("/region/{code}", get(pages::region))
        .route("/industry/{code}", get(pages::industry))
        .route("/methods", get(pages::methods))
        .route("/downloads", get(pages::downloads))
        .route("/api/v1/measures", get(api::measures))
        .route("/api/v1/regions", get(api::regions))
        .route("/api/v1/values", get(api::values))
        .route("/api/v1/imbalance", get(api::imbalance))
        .route("/api/v1/regions/{code}/profile", get(api::region_profile))
        .route("/api/v1/industries/{code}", get(api::industry))
        .route("/api/v1/map.svg", get(api::map))
        .route("/api/v1/charts/imbalance.svg", get(api::imbalance_chart))
        .route("/api/v1/charts/lq.svg", get(api::lq_chart))
        .route("/api/v1/charts/lorenz.svg", get(api::lorenz))
        .route("/api/v1/download", get(api::download))
        .route(
            "/api/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .fallback(|| async {
            error::AppError::not_found(
                "not-found",
                "no such page or endpoint; the API is described at /api/openapi.json",
            )
        })
        .with_state(state)
}

/// Serves the app on an address until Ctrl-C.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!("Regis is serving on http://{}", listener.local_addr()?);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
