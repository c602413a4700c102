//! Programme evaluation: did a programme cause the change it claims? Estimators of the effect
//! of a treatment on the treated from a panel of units over periods.
//!
//! - [`did`]: two-way fixed-effects DiD with unit-clustered errors, the event study and the
//!   joint test of the leads.
//! - [`staggered`]: Callaway & Sant'Anna (2021) group-time average treatment effects for
//!   staggered adoption, their aggregations and analytic standard errors.
//! - [`multiplier`]: the multiplier bootstrap of influence functions: bootstrap standard
//!   errors and uniform confidence bands.
//! - [`doubly_robust`]: the 2×2 DiD with covariates (Sant'Anna & Zhao 2020): outcome
//!   regression, inverse probability weighting, doubly robust.
//! - [`synthetic`]: synthetic control (Abadie, Diamond & Hainmueller 2010), donor weights on
//!   the simplex solved exactly, the non-convex V search from several starts, placebos.
//! - [`simplex`]: least squares on the simplex, solved exactly (the donor weights' QP).
//! - [`sdid`]: synthetic difference-in-differences (Arkhangelsky et al. 2021) with the SC and
//!   DiD estimates of the same block panel and placebo, jackknife and bootstrap standard errors.
//! - [`augmented`]: the augmented synthetic control with a ridge outcome model (Ben-Michael,
//!   Feller & Rothstein 2021), λ given or cross-validated.
//!
//! Every estimator says which of its assumptions the data let it check (pre-treatment
//! ATT(g,t) near zero for parallel trends; enough controls per comparison).

pub mod augmented;
pub mod did;
pub mod doubly_robust;
pub mod multiplier;
pub mod sdid;
pub mod simplex;
pub mod staggered;
pub mod synthetic;

pub use doubly_robust::CovariateEstimator;
pub use staggered::uniform_band;
pub use staggered::{
    aggregate, callaway_santanna, Aggregate, Aggregation, AttGt, BasePeriod, ControlGroup,
    Covariates, CsOptions, CsResult, StaggeredPanel,
};

/// Why an evaluation cannot be computed on the data given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluationError {
    /// The panel's arrays do not fit together.
    #[error("panel shape: {0}")]
    Shape(String),
    /// No cohort is treated after the first period, or no control is left.
    #[error("nothing to compare: {0}")]
    NothingToCompare(String),
}
