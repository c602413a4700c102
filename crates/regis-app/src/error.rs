//! The one error of the application layer: the data could not be read, or the request asks
//! for something the data does not have. The CLI maps it to an exit code, the server to a
//! status; neither rewrites the message.

use regis_data::DataError;

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or validating data failed, or an argument was judged invalid by the data layer
    /// (file, line, field and what was expected are in it).
    #[error(transparent)]
    Data(#[from] DataError),
    /// The request names something that is not there (a measure, a region, an industry).
    #[error("<arguments>: [{code}] {message}")]
    NotFound {
        /// Stable short code (`unknown-measure`, `unknown-region`).
        code: &'static str,
        /// What was asked and what exists.
        message: String,
        /// The parameters that would work instead (the CLI prints the whole corrected
        /// command).
        fix: Option<Fix>,
    },
    /// The request cannot be answered as asked (a period the measure does not cover, a
    /// level without data).
    #[error("<arguments>: [{code}] {message}")]
    Invalid {
        /// Stable short code (`period-out-of-range`, `no-data-at-level`).
        code: &'static str,
        /// What was asked and what would work.
        message: String,
        /// The parameters that would work instead.
        fix: Option<Fix>,
    },
}

/// A correction an error proposes: each parameter (a query parameter; the CLI flag is
/// `--` and the name with `_` as `-`) set to a value, or `None` to drop the parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fix {
    /// The parameters and their new values.
    pub set: Vec<(&'static str, Option<String>)>,
    /// The text the user gave for the first parameter, when it may have been given without
    /// its flag (`regis data show populaton`): that word is replaced where it stands.
    pub given: Option<String>,
    /// Repeatable flags added once more at the end (`--filter '연령별=계'`).
    pub add: Vec<(String, String)>,
}

impl Error {
    /// A request naming something that does not exist.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Error::NotFound {
            code,
            message: message.into(),
            fix: None,
        }
    }

    /// A request that cannot be answered as asked.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            fix: None,
        }
    }

    /// The error proposing that `param` be `value` instead.
    pub fn with_fix(self, param: &'static str, value: impl Into<String>) -> Self {
        self.with_fixes(vec![(param, Some(value.into()))])
    }

    /// The error proposing several parameters at once (`None` drops one).
    pub fn with_fixes(mut self, set: Vec<(&'static str, Option<String>)>) -> Self {
        match &mut self {
            Error::NotFound { fix, .. } | Error::Invalid { fix, .. } => {
                *fix = Some(Fix {
                    set,
                    given: None,
                    add: Vec::new(),
                })
            }
            Error::Data(_) => {}
        }
        self
    }

    /// The error proposing that `param`, given as `given`, be `value` instead.
    pub fn with_fix_for(
        mut self,
        param: &'static str,
        given: &str,
        value: impl Into<String>,
    ) -> Self {
        match &mut self {
            Error::NotFound { fix, .. } | Error::Invalid { fix, .. } => {
                *fix = Some(Fix {
                    set: vec![(param, Some(value.into()))],
                    given: Some(given.to_string()),
                    add: Vec::new(),
                })
            }
            Error::Data(_) => {}
        }
        self
    }

    /// The error without a proposed correction (a caller whose parameter is not the one the
    /// correction names: `--treated 99=2005` is not `--region`).
    pub fn without_fix(mut self) -> Self {
        if let Error::NotFound { fix, .. } | Error::Invalid { fix, .. } = &mut self {
            *fix = None;
        }
        self
    }

    /// The error with its fix of `from` moved to the parameter `to` (a measure named by
    /// `--per` is corrected there, not in `--measure`).
    pub fn retargeted(mut self, from: &'static str, to: &'static str) -> Self {
        if let Error::NotFound { fix: Some(f), .. } | Error::Invalid { fix: Some(f), .. } =
            &mut self
        {
            for (p, _) in f.set.iter_mut() {
                if *p == from {
                    *p = to;
                }
            }
        }
        self
    }

    /// The correction this error proposes, if any.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            Error::NotFound { fix, .. } | Error::Invalid { fix, .. } => fix.as_ref(),
            Error::Data(_) => None,
        }
    }
}

/// The application layer's result.
pub type Result<T> = std::result::Result<T, Error>;

/// Request text as it may be echoed in a message: itself when it looks like a code or a name
/// (no path separator, `..`, markup or control character; at most 64 characters), otherwise a
/// placeholder. No path or markup a user sent comes back in an answer, on a page or in a log.
///
/// ```
/// assert_eq!(regis_app::error::shown("11"), "11");
/// assert_eq!(regis_app::error::shown("../../etc/passwd"), "(not a code or name)");
/// ```
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let harmless = text.chars().count() <= 64
        && !text.contains("..")
        && !text
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '<' | '>' | '"' | '\'' | '&') || c.is_control());
    if harmless {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Borrowed("(not a code or name)")
    }
}
