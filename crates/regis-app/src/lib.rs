//! The application layer: every question a user asks Regis, answered once.
//!
//! The CLI and the server parse their inputs (flags, query strings, forms) into a typed request,
//! call one function of this crate, and render the typed report it returns (table, CSV, JSON,
//! HTML). Resolution (measures, levels, periods, vintages, groups, files) is done here, with one
//! rule: missing is never zero, and regions left out are named in the report's diagnostics.
//! Nothing above this crate computes a statistic; nothing in it prints.

pub mod clusters;
pub mod complexity;
pub mod convergence;
pub mod diagnose;
pub mod error;
pub mod explore;
pub mod export;
pub mod matrix;
pub mod overlap;
pub mod regionalise;
pub mod resolve;
pub mod shift_share;
pub mod source;
pub mod spatial;
pub mod specialise;
pub mod strategy;
pub mod table;
pub mod zones;

pub use error::{Error, Result};
pub use source::{Loaded, Mapping, Source, Sources};

/// Language of names and labels in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 한국어.
    Ko,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// `ko` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}
