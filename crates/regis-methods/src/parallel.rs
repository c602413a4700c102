//! The thread budget of the methods that split their work over threads (the Theil and Gini
//! panels, LISA permutations, the complexity matrix products).
//!
//! Simplification, named as such: the budget is one process-wide setting read by those
//! methods, not yet a parameter each caller passes (issue 13 moves it into the application
//! layer's calls). Results never depend on it; only the time does. 0 means every core.

use std::sync::atomic::{AtomicUsize, Ordering};

static BUDGET: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads the methods may use (0: every core the OS offers).
pub fn set_thread_budget(threads: usize) {
    BUDGET.store(threads, Ordering::Relaxed);
}

/// The threads the methods may use: the budget set, or every core.
///
/// ```
/// regis_methods::parallel::set_thread_budget(1);
/// assert_eq!(regis_methods::parallel::thread_budget(), 1);
/// regis_methods::parallel::set_thread_budget(0);
/// assert!(regis_methods::parallel::thread_budget() >= 1);
/// ```
pub fn thread_budget() -> usize {
    match BUDGET.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}
