//! The one error type of the server: user errors are echoed with a clear message and a 4xx
//! status; internal errors are logged and hidden behind a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An API error.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable short code (`unknown-region`, `bad-parameter`).
    pub code: &'static str,
    /// Message for the user.
    pub message: String,
}

impl AppError {
    /// 400 Bad Request.
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// 404 Not Found.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status: StatusCode::NOT_FOUND,
            code,
            message: message.into(),
        }
    }

    /// 500, message hidden from the client.
    pub fn internal(message: impl Into<String>) -> Self {
        let m = message.into();
        eprintln!("internal error: {m}");
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error; see the server log".into(),
        }
    }
}

impl From<regis_data::DataError> for AppError {
    fn from(e: regis_data::DataError) -> Self {
        use regis_data::ErrorKind as K;
        match e.kind {
            K::Io => AppError::internal(e.to_string()),
            K::InvalidArgument => AppError::bad("bad-parameter", e.expected),
            K::OverBudget => AppError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: e.kind.name(),
                message: without_directories(e).to_string(),
            },
            _ => AppError::bad(e.kind.name(), without_directories(e).to_string()),
        }
    }
}

impl From<regis_app::Error> for AppError {
    fn from(e: regis_app::Error) -> Self {
        match e {
            regis_app::Error::Data(d) => d.into(),
            regis_app::Error::NotFound { code, message, .. } => AppError::not_found(code, message),
            regis_app::Error::Invalid { code, message, .. } => AppError::bad(code, message),
        }
    }
}

/// Request text as it may be echoed in a message: itself when it looks like a code or a
/// name (no path separator, `..`, markup or control character; at most 64 characters),
/// otherwise a placeholder, so no path or markup a client sent comes back in an answer.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    regis_app::error::shown(text)
}

/// The error with its file named by the file's own name only: a host directory never reaches
/// a client (the store's files live under the server's data directory).
fn without_directories(mut e: regis_data::DataError) -> regis_data::DataError {
    let shown = std::path::Path::new(&e.file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    e.file = shown;
    e
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({"error": {"status": self.status.as_u16(), "code": self.code, "message": self.message}}))).into_response()
    }
}
