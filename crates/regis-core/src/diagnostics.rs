//! Diagnostics: degenerate data (an empty region, a zero total, an island without neighbours)
//! is reported to the user alongside a result, never as a crash or a silent number.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing (values skipped, a convention applied).
    Info,
    /// The result is undefined or should be read with care.
    Warning,
}

/// A note about the data behind a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Severity.
    pub severity: Severity,
    /// Stable short code (`zero-total`, `non-finite-skipped`, `island`).
    pub code: &'static str,
    /// Human message.
    pub message: String,
}

impl Diagnostic {
    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }
    /// An informational note.
    pub fn info(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

/// A value that may be undefined for the data given, with the diagnostics explaining why.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The value, `None` when undefined for these data.
    pub value: Option<f64>,
    /// Notes about the data.
    pub diagnostics: Vec<Diagnostic>,
}

impl Estimate {
    /// A defined value.
    pub fn of(value: f64) -> Self {
        Estimate {
            value: Some(value),
            diagnostics: Vec::new(),
        }
    }
    /// An undefined value with the reason.
    pub fn undefined(d: Diagnostic) -> Self {
        Estimate {
            value: None,
            diagnostics: vec![d],
        }
    }
}
