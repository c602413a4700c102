//! Regis web server: the public dashboard and the JSON API, in one axum router.
//!
//! Invariants: serde types live here (never in core or methods); every handler takes the shared
//! [`AppState`]; every error is an [`error::AppError`] rendered as JSON with a 4xx status for the
//! user's mistakes; pages make no request outside the server (no CDN, no web fonts, no tiles)
//! and are rendered by auto-escaping templates ([`html`]); public routes are GET only, every
//! write authenticates before it reads its body ([`guard::Writer`]), bodies and queries are
//! bounded; every response carries the security headers and CPU-heavy routes run in a bounded
//! pool ([`guard`]).

pub mod api;
pub mod assets;
pub mod error;
pub mod guard;
pub mod html;
pub mod i18n;
pub mod io_questions;
pub mod monitor_api;
pub mod monitor_imports;
pub mod monitor_pages;
pub mod network_api;
pub mod openapi;
pub mod pages;
pub mod params;
pub mod questions;
pub mod reader;
pub mod report;
pub mod sessions;
pub mod zone_questions;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{Json, Router};

/// Shared state of all handlers.
#[derive(Clone, Default)]
pub struct AppState {
    /// Where measures come from.
    pub sources: Arc<regis_app::Sources>,
    /// Rendered maps by query (maps are deterministic for the data; bounded in size).
    pub figures: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<String>>>>,
    /// The monitoring store, if the server runs with one.
    pub monitor: Option<Arc<dyn regis_monitor::Store>>,
    /// Login tokens.
    pub sessions: Arc<sessions::Sessions>,
    /// The bounded pool of CPU-heavy requests.
    pub heavy: Arc<guard::HeavyPool>,
    /// Failed-login throttle and the bound on concurrent password checks.
    pub login: Arc<guard::LoginGuard>,
    /// Cookies are marked `Secure` (the site is served over HTTPS: `--public-url https://...`).
    pub secure_cookies: bool,
}

impl AppState {
    /// A state serving the built-in data and the measures of a store.
    pub fn new(store: Option<std::path::PathBuf>) -> AppState {
        AppState {
            sources: Arc::new(regis_app::Sources { store }),
            ..Default::default()
        }
    }

    /// How many login sessions of the monitoring store are alive (after a restart).
    pub fn restore_sessions(&self) -> Result<usize, error::AppError> {
        match &self.monitor {
            Some(m) => self
                .sessions
                .restore(&**m)
                .map_err(|e| error::AppError::internal(e.to_string())),
            None => Ok(0),
        }
    }

    /// A cached figure, or renders and caches it (at most 512 and 64 MiB kept; the cache is
    /// emptied when full). Imported measures are not cached: they can change.
    pub fn figure(
        &self,
        key: &str,
        cacheable: bool,
        render: impl FnOnce() -> Result<String, error::AppError>,
    ) -> Result<Arc<String>, error::AppError> {
        if cacheable {
            if let Some(f) = self
                .figures
                .lock()
                .map_err(|_| error::AppError::internal("figure cache poisoned"))?
                .get(key)
            {
                return Ok(f.clone());
            }
        }
        let f = Arc::new(render()?);
        if cacheable {
            let mut c = self
                .figures
                .lock()
                .map_err(|_| error::AppError::internal("figure cache poisoned"))?;
            // Bounded in entries and in bytes (a district map page is about 200 KB): emptied
            // when either bound would be passed.
            let bytes: usize = c.values().map(|v| v.len()).sum();
            if c.len() >= 512 || bytes + f.len() > 64 << 20 {
                c.clear();
            }
            c.insert(key.to_string(), f.clone());
        }
        Ok(f)
    }
}

/// The application router.
///
/// Layers, outermost first: [`guard::harden`] (security headers, panics as 500) on every
/// response; [`reader::pages_for_readers`] on pages (the browser's language when the address
/// names none, errors as HTML pages in it); the 64 KiB body limit (4 MiB for uploads); [`guard::heavy`] on the routes whose
/// work is CPU-heavy, which then run in the bounded pool instead of on the async workers.
pub fn app(state: AppState) -> Router {
    let heavy = Router::new()
        .route("/", get(pages::overview))
        .route("/map", get(pages::map))
        .route("/region/{code}", get(pages::region))
        .route("/industry/{code}", get(pages::industry))
        .route("/strategy", get(pages::strategy))
        .route("/strategy/overlap", get(pages::strategy_overlap))
        .route("/clusters", get(pages::clusters))
        .route("/zones", get(pages::zones))
        .route("/zones/regions", get(pages::maxp_regions))
        .route("/downloads", get(pages::downloads))
        .route("/regions", get(pages::regions))
        .route("/industries", get(pages::industries))
        .route("/search", get(pages::search))
        .route("/api/v1/imbalance", get(api::imbalance))
        .route("/api/v1/diagnose", get(questions::diagnose))
        .route("/api/v1/specialise", get(questions::specialise))
        .route("/api/v1/shift-share", get(questions::shift_share))
        .route("/api/v1/convergence", get(questions::convergence))
        .route("/api/v1/complexity", get(questions::complexity))
        .route("/api/v1/spatial", get(questions::spatial))
        .route("/api/v1/evaluate/cs", get(questions::evaluate_cs))
        .route("/api/v1/evaluate/did", get(questions::evaluate_did))
        .route("/api/v1/evaluate/sc", get(questions::evaluate_sc))
        .route("/api/v1/evaluate/sdid", get(questions::evaluate_sdid))
        .route("/api/v1/zones/lma", get(zone_questions::lma))
        .route("/api/v1/zones/leiden", get(zone_questions::leiden))
        .route("/api/v1/zones/maxp", get(zone_questions::maxp))
        .route("/api/v1/zones/skater", get(zone_questions::skater))
        .route("/api/v1/regions/{code}/profile", get(api::region_profile))
        .route(
            "/api/v1/regions/{code}/tables/{table}",
            get(api::region_table),
        )
        .route("/api/v1/industries/{code}", get(api::industry))
        .route("/api/v1/map.svg", get(api::map))
        .route("/api/v1/map.json", get(api::map_json))
        .route("/api/v1/charts/imbalance.svg", get(api::imbalance_chart))
        .route("/api/v1/charts/lq.svg", get(api::lq_chart))
        .route("/api/v1/charts/lorenz.svg", get(api::lorenz))
        .route("/api/v1/download", get(api::download))
        .route("/evaluate", get(pages::evaluate))
        .route("/api/v1/strategy/{code}", get(questions::strategy))
        .route("/api/v1/strategy", get(questions::strategy_overlap))
        .route("/api/v1/clusters", get(questions::clusters))
        .route("/api/v1/io/multipliers", get(io_questions::multipliers))
        .route("/api/v1/io/linkages", get(io_questions::linkages))
        .route("/api/v1/io/chain", get(io_questions::chain))
        .route("/api/v1/io/regionalise", get(io_questions::regionalise))
        .route("/api/v1/io/calibration", get(io_questions::calibration))
        .route("/io", get(pages::io))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::heavy,
        ));
    Router::new()
        .route("/methods", get(pages::methods))
        // Reads the store as the visitor on the async workers, draws in the bounded pool.
        .route("/network", get(pages::network))
        .route(
            "/api/v1/network/{question}",
            // Read on the async workers (4 MiB here, 64 KiB elsewhere), answered in the bounded
            // pool of heavy requests (network_api::network).
            post(network_api::network)
                .layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024))
                .get(network_api::monitoring_network),
        )
        .route("/monitor", get(monitor_pages::projects))
        .route(
            "/monitor/login",
            get(monitor_pages::login_form).post(monitor_pages::login),
        )
        .route("/monitor/logout", post(monitor_pages::logout))
        .route(
            "/monitor/projects/{id}",
            get(monitor_pages::project).post(monitor_pages::save_project),
        )
        .route(
            "/monitor/projects/{id}/evaluations",
            post(monitor_pages::score),
        )
        .route(
            "/monitor/indicators/{id}/values",
            post(monitor_pages::report_kpi),
        )
        .route(
            "/monitor/imports",
            get(monitor_imports::form)
                .post(monitor_imports::upload)
                .layer(
                    // Spreadsheets are larger than forms: 4 MiB here, 64 KiB elsewhere.
                    axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024),
                ),
        )
        .route("/monitor/imports/template", get(monitor_imports::template))
        .route("/monitor/evaluations", get(monitor_pages::evaluations))
        .route(
            "/monitor/projects/{id}/milestones",
            post(monitor_pages::add_milestone),
        )
        .route(
            "/monitor/milestones/{id}/completion",
            post(monitor_pages::complete_milestone),
        )
        .route("/monitor/plans", get(monitor_pages::plans))
        .route("/monitor/plans/{id}/steps", post(monitor_pages::plan_step))
        .route("/monitor/overlaps", get(monitor_pages::overlaps))
        .route("/monitor/programmes", get(monitor_pages::programmes))
        .route("/monitor/conflicts", get(monitor_pages::conflicts))
        .route(
            "/monitor/conflicts/{id}/resolution",
            post(monitor_pages::resolve_conflict),
        )
        .route("/assets/{name}", get(assets::asset))
        .route("/api/v1/measures", get(api::measures))
        .route("/api/v1/regions", get(api::regions))
        .route(
            "/api/v1/values",
            get(api::values).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                guard::heavy_unless_builtin,
            )),
        )
        .route(
            "/api/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/api/v1/auth/login", post(monitor_api::login))
        .route("/api/v1/projects", get(monitor_api::projects))
        .route(
            "/api/v1/projects/{id}",
            get(monitor_api::project).put(monitor_api::update_project),
        )
        .route(
            "/api/v1/projects/{id}/evaluations",
            post(monitor_api::evaluate),
        )
        .route(
            "/api/v1/evaluations/{id}/estimates",
            post(monitor_api::attach_estimate),
        )
        .route(
            "/api/v1/indicators/{id}/values",
            get(monitor_api::values).post(monitor_api::record_value),
        )
        .route("/api/v1/overlaps", get(monitor_api::overlaps))
        .route("/api/v1/audit", get(monitor_api::audit))
        .route(
            "/api/v1/imports/projects",
            post(monitor_api::import_projects),
        )
        .route("/api/v1/imports/kpi", post(monitor_api::import_kpi))
        .route(
            "/api/v1/plans",
            get(monitor_api::plans).post(monitor_api::create_plan),
        )
        .route(
            "/api/v1/plans/{id}",
            axum::routing::put(monitor_api::update_plan),
        )
        .route("/api/v1/plans/{id}/steps", post(monitor_api::plan_step))
        .route(
            "/api/v1/conflicts",
            get(monitor_api::conflicts).post(monitor_api::log_conflict),
        )
        .route(
            "/api/v1/conflicts/{id}/resolution",
            post(monitor_api::resolve_conflict),
        )
        .route("/api/v1/evaluations", get(monitor_api::evaluations))
        .route(
            "/api/v1/projects/{id}/results",
            get(monitor_api::results).post(monitor_api::add_result),
        )
        .route(
            "/api/v1/projects/{id}/indicators",
            get(monitor_api::project_indicators),
        )
        .route(
            "/api/v1/results/{id}/indicators",
            post(monitor_api::link_indicator),
        )
        .route(
            "/api/v1/projects/{id}/milestones",
            get(monitor_api::milestones).post(monitor_api::add_milestone),
        )
        .route(
            "/api/v1/milestones/{id}/completion",
            post(monitor_api::complete_milestone),
        )
        .route(
            "/api/v1/indicators/{id}/regions",
            get(monitor_api::region_values).post(monitor_api::record_region_value),
        )
        .route("/api/v1/auth/logout", post(monitor_api::logout))
        .merge(heavy)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .fallback(|| async {
            error::AppError::not_found(
                "not-found",
                "no such page or endpoint; the API is described at /api/openapi.json",
            )
        })
        .layer(axum::middleware::from_fn(reader::pages_for_readers))
        .layer(axum::middleware::from_fn(guard::harden))
        .with_state(state)
}

/// Serves the app on an address until Ctrl-C.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!("Regis is serving on http://{}", listener.local_addr()?);
    serve_on(listener, state).await
}

/// Serves the app on a bound listener until Ctrl-C.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
