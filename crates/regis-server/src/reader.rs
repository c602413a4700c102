//! What a reader of the dashboard's pages gets around every page: the language their browser
//! asks for when the address names none (`Accept-Language`), and a page's errors as an HTML
//! page in that language instead of the API's JSON. The API (`/api/...`) is left as it is:
//! scripts rely on its default language and its JSON errors.

use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::i18n::Lang;

/// Largest error body read back to turn into a page (the API's errors are a few hundred
/// bytes).
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// The language `Accept-Language` prefers between Korean and English: English only when it
/// ranks an English tag above every Korean one (Korean is the default, as for `?lang`).
///
/// ```
/// use axum::http::{header, HeaderMap, HeaderValue};
/// use regis_server::i18n::Lang;
/// let mut h = HeaderMap::new();
/// h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,en;q=0.9,ko;q=0.8"));
/// assert_eq!(regis_server::reader::preferred(&h), Lang::En);
/// h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("ko-KR,ko;q=0.9,en-US;q=0.8"));
/// assert_eq!(regis_server::reader::preferred(&h), Lang::Ko);
/// ```
pub fn preferred(headers: &HeaderMap) -> Lang {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Lang::Ko;
    };
    let (mut ko, mut en) = (-1.0f64, -1.0f64);
    // At most 32 entries are read (a header is under the server's size limits anyway).
    for item in value.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f64>().ok())
            .next()
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        match primary {
            "ko" => ko = ko.max(q),
            "en" => en = en.max(q),
            _ => {}
        }
    }
    if en > ko && en > 0.0 {
        Lang::En
    } else {
        Lang::Ko
    }
}

fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/api")
}

/// The language a page's address asks for (`lang`, decoded: `l%61ng=ko` is `lang=ko`), if
/// any; `Err` when the query does not decode (the page refuses it anyway).
fn lang_in_query(query: &str) -> Result<Option<Lang>, ()> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| ())?;
    Ok(pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| Lang::parse(Some(v))))
}

/// The middleware: `?lang` from `Accept-Language` on pages without one, and pages' JSON errors
/// as HTML pages.
pub async fn pages_for_readers(mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_page(&path) {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or("").to_string();
    let lang = match lang_in_query(&query) {
        Ok(Some(l)) => l,
        Err(()) => Lang::Ko,
        Ok(None) => {
            let l = preferred(request.headers());
            if l == Lang::En {
                let with = if query.is_empty() {
                    format!("{path}?lang=en")
                } else {
                    format!("{path}?{query}&lang=en")
                };
                // Only the path and query change; scheme and authority stay.
                let mut parts = request.uri().clone().into_parts();
                if let Ok(pq) = axum::http::uri::PathAndQuery::try_from(with.as_str()) {
                    parts.path_and_query = Some(pq);
                    if let Ok(uri) = axum::http::Uri::from_parts(parts) {
                        *request.uri_mut() = uri;
                    }
                }
            }
            l
        }
    };
    let mut response = next.run(request).await;
    // The page depends on the browser's language: shared caches must not mix them.
    response.headers_mut().append(
        header::VARY,
        axum::http::HeaderValue::from_static("Accept-Language"),
    );
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json || !(response.status().is_client_error() || response.status().is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_ERROR_BYTES)
        .await
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let message = v["error"]["message"].as_str().unwrap_or_default();
    let mut page = (
        parts.status,
        crate::pages::error_page(lang, parts.status, message),
    )
        .into_response();
    // Headers that matter to the client (a login challenge, a retry delay, cookies, Vary)
    // stay, every value of each.
    for name in [
        header::WWW_AUTHENTICATE,
        header::RETRY_AFTER,
        header::SET_COOKIE,
        header::VARY,
    ] {
        for v in parts.headers.get_all(&name) {
            page.headers_mut().append(name.clone(), v.clone());
        }
    }
    page
}
