//! Query parameters: parsed from the raw query string so that every mistake (a malformed
//! query, an unknown parameter, a value of the wrong type) gets a JSON error naming it.

use std::collections::HashMap;

use regis_core::Level;

use crate::error::AppError;
use crate::i18n::Lang;

/// Parsed query parameters of one request.
pub struct Params {
    map: HashMap<String, String>,
}

impl Params {
    /// Parses `raw` and refuses parameters not in `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, AppError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|e| {
                AppError::bad("malformed-query", format!("malformed query string: {e}"))
            })?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(AppError::bad(
                    "unknown-parameter",
                    format!(
                        "unknown parameter `{}`; this endpoint takes: {}",
                        crate::error::shown(&k),
                        allowed.join(", ")
                    ),
                ));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(AppError::bad(
                    "repeated-parameter",
                    format!("parameter `{k}` is given twice"),
                ));
            }
        }
        Ok(Params { map })
    }

    /// A text parameter.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.map.get(k).map(|s| s.as_str())
    }

    /// A text parameter with a default.
    pub fn or<'a>(&'a self, k: &str, default: &'a str) -> &'a str {
        self.get(k).unwrap_or(default)
    }

    /// An integer parameter.
    pub fn int(&self, k: &str) -> Result<Option<i32>, AppError> {
        match self.get(k) {
            None | Some("") => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| {
                AppError::bad(
                    "bad-parameter",
                    format!(
                        "parameter `{k}` must be a whole number (a year such as 2017), not `{}`",
                        crate::error::shown(v)
                    ),
                )
            }),
        }
    }

    /// A level parameter (`province` by default).
    pub fn level(&self) -> Result<Level, AppError> {
        let v = self.or("level", "province");
        match Level::parse(v) {
            Some(l) if l == Level::PROVINCE || l == Level::DISTRICT || l == Level::NATION => Ok(l),
            _ => Err(AppError::bad(
                "bad-parameter",
                format!(
                    "unknown level `{}`; expected province or district",
                    crate::error::shown(v)
                ),
            )),
        }
    }

    /// The page/label language.
    pub fn lang(&self) -> Result<Lang, AppError> {
        match self.get("lang") {
            None | Some("ko") | Some("en") => Ok(Lang::parse(self.get("lang"))),
            Some(v) => Err(AppError::bad(
                "bad-parameter",
                format!(
                    "unknown lang `{}`; expected ko or en",
                    crate::error::shown(v)
                ),
            )),
        }
    }
}
