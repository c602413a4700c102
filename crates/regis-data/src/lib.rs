//! Regis data layer: the built-in Korea dataset and its provenance, readers for the user's
//! files (CSV in UTF-8 or CP949, XLSX including KOSIS exports), validation with errors that
//! name file, line, column and value, exporters, and the on-disk dataset store.
//!
//! Invariants: nothing here guesses silently (ambiguous codes are errors); a failed import
//! changes nothing already stored (writes go to a temporary file, then rename).

pub mod atomic;
pub mod budget;
pub mod dataset;
pub mod error;
pub mod export;
pub mod import;
pub mod io_store;
pub mod io_system;
pub mod io_table;
pub mod korea;
pub mod korea_history;
#[cfg(feature = "parquet")]
pub mod micro;
mod micro_csv;
mod micro_input;
#[cfg(feature = "parquet")]
mod micro_pages;
#[cfg(feature = "parquet")]
mod micro_values;
#[cfg(feature = "parquet")]
pub mod parquet_io;
pub mod store;
pub mod stream;
pub mod table;
pub mod text;
pub mod topojson;
pub mod xlsx;

pub use dataset::{Dataset, LevelPanel};
pub use error::{DataError, ErrorKind, Result};
