//! Regis core model: identifiers, regions and their code history, industries, measures,
//! panels (region x industry x period) and flow matrices (origin x destination x period).
//!
//! This crate does no I/O, has no serde and no async: it is the vocabulary every other crate
//! speaks. Degenerate data (a missing cell, an empty region) is represented, never a panic.

pub mod diagnostics;
pub mod flow;
pub mod harmonise;
pub mod industry;
pub mod measure;
pub mod panel;
pub mod period;
pub mod region;
pub mod suggest;

pub use diagnostics::{Diagnostic, Estimate, Severity};
pub use flow::FlowMatrix;
pub use harmonise::{Crosswalk, CrosswalkLink, HarmoniseError};
pub use industry::{Classification, Concordance, Industry, TradedLocal};
pub use measure::{Measure, MeasureKind, PriceBasis};
pub use panel::{Panel, PanelError, TOTAL_INDUSTRY};
pub use period::Period;
pub use region::{
    CodeAssignment, CodeSystem, Level, Region, RegionCatalog, RegionGroup, RegionId, ResolveError,
};
