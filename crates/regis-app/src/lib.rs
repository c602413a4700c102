//! The application layer: every question a user asks Regis, answered once.
//!
//! The CLI and the server parse their inputs (flags, query strings, forms) into a typed request,
//! call one function of this crate, and render the typed report it returns (table, CSV, JSON,
//! HTML). Resolution (measures, levels, periods, vintages, groups, files) is done here, with one
//! rule: missing is never zero, and regions left out are named in the report's diagnostics.
//! Nothing above this crate computes a statistic; nothing in it prints.

pub mod advice;
pub mod catalog;
pub mod clusters;
pub mod complexity;
pub mod convergence;
pub mod coverage;
pub mod diagnose;
pub mod error;
pub mod evaluate;
pub mod evaluation_panel;
pub mod explore;
pub mod export;
pub mod headline;
pub mod imported;
pub mod io;
pub mod io_chain;
pub mod io_mrio;
pub mod io_region;
pub mod matrix;
pub mod micro;
mod micro_duplicates;
mod micro_dynamics;
mod micro_embedded;
pub mod micro_generate;
mod micro_reports;
#[cfg(feature = "spark")]
mod micro_spark;
mod micro_stats;
mod micro_store;
mod micro_targets;
pub mod network;
pub mod network_graphml;
pub mod network_groups;
pub mod network_monitoring;
pub mod overlap;
pub mod profile;
pub mod programme;
pub mod regionalise;
pub mod resolve;
pub mod sdid;
pub mod shift_share;
pub mod source;
pub mod spatial;
pub mod specialise;
pub mod strategy;
pub mod synth;
pub mod table;
pub mod twfe;
pub mod zones;

pub use error::{Error, Result};
pub use source::{Loaded, Mapping, Source, Sources};

/// Runs `f` (one or more questions) with at most `threads` threads for the methods it calls
/// on this thread (0: every core). The caller owns the parallelism: the server gives each
/// heavy request its share of the cores; answers do not depend on it.
pub fn with_thread_budget<T>(threads: usize, f: impl FnOnce() -> T) -> T {
    regis_methods::parallel::with_thread_budget(threads, f)
}

/// The threads the methods may use on this thread now (the budget of [`with_thread_budget`],
/// else every core).
pub fn thread_budget() -> usize {
    regis_methods::parallel::thread_budget()
}

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
