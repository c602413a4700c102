//! Regis analytic methods, one family per module. Pure functions on plain slices and core
//! types: no I/O, no async, no serde. Each method documents its formula, its reference
//! (author, year, DOI), units and complexity, and has a doc example that asserts a real number.
//!
//! Degenerate data is data, not a crash: indices return an [`Estimate`] whose value is `None`
//! with a diagnostic when undefined (a zero total, a negative income under a logarithm); only
//! invalid parameters are errors, checked once when the method value is built.

pub mod catalog;
pub mod clusters;
pub mod community;
pub mod complexity;
pub mod convergence;
pub mod distributions;
pub mod evaluation;
pub mod imbalance;
pub mod inequality;
pub mod input_output;
pub mod io_balance;
pub mod io_multiregional;
pub mod io_regional;
pub mod kernels;
pub mod linalg;
pub mod network;
pub mod numerics;
pub mod parallel;
pub mod random;
pub mod regionalisation;
pub mod regression;
pub mod shift_share;
pub mod spatial;
pub mod specialisation;
pub mod strategy;
pub mod zones;

pub use regis_core::{Diagnostic, Estimate};
