//! Static files served from the binary: the vendored Apache ECharts 6.1.0 (from the npm
//! registry, with its licence and notice) and Regis's own scripts (the map's, the network
//! page's search). Nothing is fetched from
//! elsewhere, so the portal works inside closed government networks.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const JS: &str = "text/javascript; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// GET /assets/{name}
pub async fn asset(Path(name): Path<String>) -> Response {
    // The vendored library changes only with its version; Regis's own script with any release,
    // so browsers check it again after five minutes.
    const DAY: &str = "public, max-age=86400";
    const SHORT: &str = "public, max-age=300";
    let (body, content_type, cache): (&'static [u8], &str, &str) = match name.as_str() {
        "echarts.min.js" => (include_bytes!("../assets/echarts/echarts.min.js"), JS, DAY),
        "echarts-LICENSE.txt" => (include_bytes!("../assets/echarts/LICENSE"), TEXT, DAY),
        "echarts-NOTICE.txt" => (include_bytes!("../assets/echarts/NOTICE"), TEXT, DAY),
        "map.js" => (include_bytes!("../assets/map.js"), JS, SHORT),
        "network.js" => (include_bytes!("../assets/network.js"), JS, SHORT),
        _ => {
            return AppError::not_found("not-found", "no such asset").into_response();
        }
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}
