//! The thread budget of the methods that split their work over threads (the Theil and Gini
//! panels, LISA permutations, the complexity matrix products).
//!
//! The caller decides: [`with_thread_budget`] runs a computation with a budget that holds on
//! the calling thread only (the server gives each heavy request its share of the cores, the
//! benchmark measures one thread against all); outside it, the process-wide default set by
//! [`set_thread_budget`] applies. Results never depend on the budget; only the time does.
//! 0 means every core.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

static DEFAULT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The budget of the computation running on this thread (0: none set here).
    static CALLER: Cell<usize> = const { Cell::new(0) };
}

/// Sets the process-wide default (0: every core the OS offers).
pub fn set_thread_budget(threads: usize) {
    DEFAULT.store(threads, Ordering::Relaxed);
}

/// Runs `f` with at most `threads` threads for the methods it calls on this thread (0: the
/// process-wide default), and restores the previous budget afterwards, also when `f` panics.
///
/// ```
/// use regis_methods::parallel::{thread_budget, with_thread_budget};
/// assert_eq!(with_thread_budget(1, thread_budget), 1);
/// assert_eq!(with_thread_budget(3, || with_thread_budget(2, thread_budget)), 2);
/// assert!(thread_budget() >= 1);
/// ```
pub fn with_thread_budget<T>(threads: usize, f: impl FnOnce() -> T) -> T {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALLER.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CALLER.with(|c| c.replace(threads)));
    f()
}

/// The threads the methods may use: the caller's budget, else the default, else every core.
///
/// ```
/// regis_methods::parallel::set_thread_budget(1);
/// assert_eq!(regis_methods::parallel::thread_budget(), 1);
/// regis_methods::parallel::set_thread_budget(0);
/// assert!(regis_methods::parallel::thread_budget() >= 1);
/// ```
pub fn thread_budget() -> usize {
    let caller = CALLER.with(|c| c.get());
    let n = if caller > 0 {
        caller
    } else {
        DEFAULT.load(Ordering::Relaxed)
    };
    match n {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}
