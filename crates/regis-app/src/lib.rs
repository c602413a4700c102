//! The application layer: every question a user asks Regis, answered once.
//!
//! The CLI and the server parse their inputs (flags, query strings, forms) into a typed request,
//! call one function of this crate, and render the typed report it returns (table, CSV, JSON,
//! HTML). Resolution (measures, levels, periods, vintages, groups, files) is done here, with one
//! rule: missing is never zero, and regions left out are named in the report's diagnostics.
//! Nothing above this crate computes a statistic; nothing in it prints.

pub mod resolve;
pub mod source;

pub use source::{Loaded, Mapping};
