//! One transaction interface over both stores, so that a feature's reads, checks, writes and
//! audit entry are written once: the results framework ([`crate::results`]) uses it.
//!
//! SQL is written with SQLite's numbered placeholders (`?1`, `?2`, ...); the PostgreSQL side
//! rewrites them to `$1`, `$2`. Values are passed as [`SqlValue`]: `Int` for `@INT64` and id
//! columns, `Int32` for `INTEGER` columns (PostgreSQL checks the width). [`Tx::for_update`] is the row
//! lock suffix (`FOR UPDATE` on PostgreSQL; SQLite's write transaction already serialises
//! writers).

use crate::{MonitorError, Result};

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// NULL.
    Null,
    /// A 64-bit integer (`@INT64` and id columns).
    Int(i64),
    /// A 32-bit integer (`INTEGER` columns: years, periods).
    Int32(i32),
    /// A double.
    Float(f64),
    /// Text.
    Text(String),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}

impl From<i32> for SqlValue {
    fn from(v: i32) -> Self {
        SqlValue::Int32(v)
    }
}

impl From<f64> for SqlValue {
    fn from(v: f64) -> Self {
        SqlValue::Float(v)
    }
}

impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.into())
    }
}

impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

impl SqlValue {
    /// The integer, or a storage error naming what was expected.
    pub fn int(&self) -> Result<i64> {
        match self {
            SqlValue::Int(v) => Ok(*v),
            SqlValue::Int32(v) => Ok(i64::from(*v)),
            other => Err(MonitorError::Storage(format!(
                "expected an integer column, got {other:?}"
            ))),
        }
    }

    /// The double or NULL.
    pub fn float_opt(&self) -> Result<Option<f64>> {
        match self {
            SqlValue::Null => Ok(None),
            SqlValue::Float(v) => Ok(Some(*v)),
            SqlValue::Int(v) => Ok(Some(*v as f64)),
            SqlValue::Int32(v) => Ok(Some(f64::from(*v))),
            other => Err(MonitorError::Storage(format!(
                "expected a number column, got {other:?}"
            ))),
        }
    }

    /// The text.
    pub fn text(&self) -> Result<String> {
        match self {
            SqlValue::Text(v) => Ok(v.clone()),
            other => Err(MonitorError::Storage(format!(
                "expected a text column, got {other:?}"
            ))),
        }
    }

    /// The text or NULL.
    pub fn text_opt(&self) -> Result<Option<String>> {
        match self {
            SqlValue::Null => Ok(None),
            v => v.text().map(Some),
        }
    }
}

/// What kind of failure a statement met (the shared code turns some into domain errors).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlError {
    /// A UNIQUE constraint was violated.
    Unique(String),
    /// A FOREIGN KEY constraint was violated.
    ForeignKey(String),
    /// Anything else.
    Other(String),
}

impl From<SqlError> for MonitorError {
    fn from(e: SqlError) -> Self {
        match e {
            SqlError::Unique(m) | SqlError::ForeignKey(m) | SqlError::Other(m) => {
                MonitorError::Storage(m)
            }
        }
    }
}

/// A transaction of either store.
pub trait Tx {
    /// Runs a statement; returns the rows changed.
    fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, SqlError>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, SqlError>;
    /// Runs an INSERT into a table with an `id` column; returns the new id.
    fn insert(&mut self, sql: &str, params: &[SqlValue]) -> Result<i64, SqlError>;
    /// The row-lock suffix of a SELECT that is followed by a write (`" FOR UPDATE"` or `""`).
    fn for_update(&self) -> &'static str;
}

/// Rewrites `?N` placeholders to PostgreSQL's `$N` (outside quoted text).
pub fn postgres_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_quotes_only() {
        assert_eq!(
            postgres_placeholders("SELECT '?' , x FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?' , x FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn values_convert_both_ways() {
        assert_eq!(SqlValue::from(Some(2.5)).float_opt().unwrap(), Some(2.5));
        assert_eq!(SqlValue::from(None::<f64>).float_opt().unwrap(), None);
        assert_eq!(SqlValue::from("a").text().unwrap(), "a");
        assert!(SqlValue::from(3i64).text().is_err());
        assert_eq!(SqlValue::from(2025i32).int().unwrap(), 2025);
        assert_eq!(SqlValue::from(7i32).float_opt().unwrap(), Some(7.0));
    }
}
