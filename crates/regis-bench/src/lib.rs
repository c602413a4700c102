//! `regis bench` and `regis loadtest`: Regis against its peers on the same inputs in the same
//! run (the ratio printed, with an agreement check that can fail), and the server under load
//! on loopback. A tool crate: it prints its report.

pub mod bench;
pub mod check;
pub mod evaluation;
pub mod io;
pub mod loadtest;
pub mod micro;
pub mod network;

pub use bench::bench;
pub use loadtest::loadtest;

/// What `regis bench` runs.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// `all` or one task (`lisa`, `inequality`, `complexity`, `leiden`...).
    pub task: String,
    /// Lattice cells and panel units (none: 3,000; 50,000 for `evaluation`).
    pub units: Option<usize>,
    /// Periods of the inequality panel.
    pub periods: usize,
    /// Permutations of the LISA test.
    pub permutations: usize,
    /// The Python that runs the peers.
    pub python: String,
    /// Regis only, without the peers.
    pub no_peer: bool,
}

/// What `regis loadtest` runs.
#[derive(Debug, Clone)]
pub struct LoadtestOptions {
    /// A running server (none: one is started on loopback).
    pub url: Option<String>,
    /// Concurrent clients.
    pub clients: usize,
    /// Seconds per endpoint.
    pub seconds: f64,
    /// Heavy requests kept in flight while light ones are probed.
    pub heavy: Option<usize>,
}
