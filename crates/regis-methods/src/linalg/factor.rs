//! The LU's panels and its look-ahead schedule with helper threads.

use super::kernels::{
    axpy_minus, block_width, gemm_minus, gemm_serial, pack_a, pack_b, trsm_lower_unit,
    update_packed, LEAF,
};
use super::{Singular, NB, NC};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

/// Factorises columns `c0..c1` of a column-major panel (`h` rows, `kb` columns; rows and
/// columns counted from the panel's corner) with partial pivoting, recursively (Toledo 1997,
/// SIAM J. Matrix Anal. Appl. 18(4), doi:10.1137/S0895479896297744): the left half, the
/// right half's top by the left half's L, the rest of the right half by a matrix product,
/// then the right half. A row swap moves the whole panel row; `swaps[c]` records the panel
/// row (counted from `k0`, the panel's first row in M) that column `c`'s pivot came from,
/// for the caller to move the rows of M.
pub(super) fn panel_lu(
    panel: &mut [f64],
    h: usize,
    kb: usize,
    c0: usize,
    c1: usize,
    k0: usize,
    swaps: &mut [usize],
) -> Result<(), Singular> {
    if c1 - c0 <= LEAF / 2 {
        for c in c0..c1 {
            let col = &panel[c * h..(c + 1) * h];
            let pr = (c..h)
                .max_by(|&x, &y| col[x].abs().total_cmp(&col[y].abs()))
                .unwrap_or(c);
            let pivot = col[pr];
            if pivot.abs() < 1e-14 || !pivot.is_finite() {
                return Err(Singular);
            }
            swaps[c] = k0 + pr;
            if pr != c {
                for cc in 0..kb {
                    panel.swap(cc * h + c, cc * h + pr);
                }
            }
            for x in &mut panel[c * h + c + 1..(c + 1) * h] {
                *x /= pivot;
            }
            let (left, right) = panel.split_at_mut((c + 1) * h);
            let lcol = &left[c * h + c + 1..];
            for other in right.chunks_exact_mut(h).take(c1 - c - 1) {
                let u = other[c];
                if u != 0.0 {
                    axpy_minus(&mut other[c + 1..], u, lcol);
                }
            }
        }
        return Ok(());
    }
    let mid = c0 + (c1 - c0) / 2;
    panel_lu(panel, h, kb, c0, mid, k0, swaps)?;
    let (left, right) = panel.split_at_mut(mid * h);
    // Top of the right half: U12 = L11⁻¹ A12, column by column.
    for col in right.chunks_exact_mut(h).take(c1 - mid) {
        for j in c0..mid {
            let u = col[j];
            if u != 0.0 {
                axpy_minus(&mut col[j + 1..mid], u, &left[j * h + j + 1..j * h + mid]);
            }
        }
    }
    // The rest: A22 −= L21 · U12, as the transposed product in row-major terms
    // (A22ᵀ −= U12ᵀ · L21ᵀ), U12ᵀ copied out since it shares columns with A22.
    let k = mid - c0;
    let mut u12t = Vec::with_capacity((c1 - mid) * k);
    for col in right.chunks_exact(h).take(c1 - mid) {
        u12t.extend_from_slice(&col[c0..mid]);
    }
    gemm_minus(
        c1 - mid,
        k,
        h - mid,
        &u12t,
        k,
        &left[c0 * h + mid..],
        h,
        &mut right[mid..],
        h,
    );
    panel_lu(panel, h, kb, mid, c1, k0, swaps)
}

/// Waits for `done`, spinning (then yielding, should the wait be long).
pub(super) fn spin_until(done: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !done() {
        if spins < 1 << 16 {
            spins += 1;
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// Rows of M per lock and per task of the LU's trailing update (NB is a multiple).
pub(super) const CHUNK: usize = 32;
const _: () = assert!(NB.is_multiple_of(CHUNK));

/// One step of the LU: panel `k0..k1` done, the next panel `k1..k2`.
#[derive(Clone, Copy, Default)]
pub(super) struct Step {
    k0: usize,
    k1: usize,
    k2: usize,
}

/// What the LU's threads share for the whole factorisation: M by chunks of `CHUNK` rows,
/// each behind its own lock, and the step being worked on. The helper threads live for the
/// whole factorisation and spin between steps: on a virtual machine a thread that sleeps, or
/// a new one, can take milliseconds to start, longer than a step.
pub(super) struct Shared<'m> {
    pub(super) n: usize,
    pub(super) threads: usize,
    pub(super) rows: Vec<Mutex<&'m mut [f64]>>,
    /// The step posted (its number + 1; `usize::MAX` to stop).
    pub(super) posted: AtomicUsize,
    pub(super) step: Mutex<Step>,
    /// L11 of the step, row-major `kb × kb`.
    pub(super) l11: RwLock<Vec<f64>>,
    /// U12's columns `k2..n`, solved and packed; `ready` is the step they are ready for.
    pub(super) packed: RwLock<Vec<f64>>,
    pub(super) ready: AtomicUsize,
    /// The next chunk of rows to update, and the helpers done with this step.
    pub(super) next_chunk: AtomicUsize,
    pub(super) done: AtomicUsize,
    /// A helper panicked: the factorisation stops (and panics) instead of waiting for it.
    pub(super) abandoned: AtomicBool,
}

/// Stops the helpers when the factorisation ends, also by a panic.
pub(super) struct StopHelpers<'a>(pub(super) &'a AtomicUsize);

impl Drop for StopHelpers<'_> {
    fn drop(&mut self) {
        self.0.store(usize::MAX, Ordering::Release);
    }
}

/// Marks the factorisation abandoned when a helper panics.
pub(super) struct Abandon<'a>(&'a AtomicBool);

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
        }
    }
}

pub(super) fn lock<'a, T>(m: &'a Mutex<T>) -> std::sync::MutexGuard<'a, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared<'_> {
    /// Columns `c0..c1` of rows `r0..r1`, row by row, to `out` (`(r1 − r0) × (c1 − c0)`).
    pub(super) fn read(&self, r0: usize, r1: usize, c0: usize, c1: usize, out: &mut Vec<f64>) {
        out.clear();
        for r in r0..r1 {
            let chunk = lock(&self.rows[r / CHUNK]);
            let at = (r % CHUNK) * self.n;
            out.extend_from_slice(&chunk[at + c0..at + c1]);
        }
    }

    /// Writes `from` (`(r1 − r0) × (c1 − c0)`, row by row) to columns `c0..c1` of rows
    /// `r0..r1`.
    pub(super) fn write(&self, r0: usize, c0: usize, c1: usize, from: &[f64]) {
        if c1 == c0 {
            return;
        }
        for (i, row) in from.chunks_exact(c1 - c0).enumerate() {
            let r = r0 + i;
            let mut chunk = lock(&self.rows[r / CHUNK]);
            let at = (r % CHUNK) * self.n;
            chunk[at + c0..at + c1].copy_from_slice(row);
        }
    }

    /// Swaps rows `j ≤ p` whole.
    pub(super) fn swap_rows(&self, j: usize, p: usize) {
        let n = self.n;
        let (cj, cp) = (j / CHUNK, p / CHUNK);
        let (oj, op) = ((j % CHUNK) * n, (p % CHUNK) * n);
        if cj == cp {
            let mut chunk = lock(&self.rows[cj]);
            let (top, bottom) = chunk.split_at_mut(op);
            top[oj..oj + n].swap_with_slice(&mut bottom[..n]);
        } else {
            let mut a = lock(&self.rows[cj]);
            let mut b = lock(&self.rows[cp]);
            a[oj..oj + n].swap_with_slice(&mut b[op..op + n]);
        }
    }

    /// U12's columns `k2..n` (rows `k0..k1`): solved by L11 and packed for the update.
    pub(super) fn solve_and_pack(&self, step: Step, buffer: &mut Vec<f64>) {
        let Step { k0, k1, k2 } = step;
        let (kb, w) = (k1 - k0, self.n - k2);
        self.read(k0, k1, k2, self.n, buffer);
        trsm_lower_unit(
            &self.l11.read().unwrap_or_else(|e| e.into_inner()),
            kb,
            0,
            kb,
            buffer,
            w,
            w,
        );
        pack_b(
            buffer,
            w,
            kb,
            w,
            block_width(),
            &mut self.packed.write().unwrap_or_else(|e| e.into_inner()),
        );
        self.write(k0, k2, self.n, buffer);
    }

    /// Takes chunks of rows from `k1` until none is left and applies `A22 −= L21 · U12` to
    /// their columns `k2..n`.
    pub(super) fn update(&self, step: Step, ap: &mut Vec<f64>) {
        let Step { k0, k1, k2 } = step;
        let (n, kb) = (self.n, k1 - k0);
        let bp = self.packed.read().unwrap_or_else(|e| e.into_inner());
        loop {
            let i = self.next_chunk.fetch_add(1, Ordering::AcqRel);
            if i >= self.rows.len() {
                return;
            }
            let mut chunk = lock(&self.rows[i]);
            let rows = chunk.len() / n;
            pack_a(&chunk[k0..], n, rows, kb, ap);
            for j0 in (0..n - k2).step_by(NC) {
                let w = NC.min(n - k2 - j0);
                let nr = block_width();
                let strips = &bp[j0 / nr * kb * nr..(j0 + w).div_ceil(nr) * kb * nr];
                update_packed(ap, strips, rows, kb, w, &mut chunk[k2 + j0..], n);
            }
        }
    }

    /// Waits for the helpers; panics if one of them did.
    pub(super) fn wait_for(&self, done: impl Fn() -> bool) {
        spin_until(|| done() || self.abandoned.load(Ordering::Acquire));
        assert!(
            !self.abandoned.load(Ordering::Acquire),
            "a thread of the LU factorisation panicked"
        );
    }

    /// A helper thread: waits for each step, solves U12 if it is the first helper, and
    /// takes part in the update.
    pub(super) fn help(&self, first: bool) {
        let _abandon = Abandon(&self.abandoned);
        let (mut seen, mut ap, mut buffer) = (0, Vec::new(), Vec::new());
        loop {
            spin_until(|| self.posted.load(Ordering::Acquire) != seen);
            seen = self.posted.load(Ordering::Acquire);
            if seen == usize::MAX {
                return;
            }
            let step = *lock(&self.step);
            if first {
                self.solve_and_pack(step, &mut buffer);
                self.ready.store(seen, Ordering::Release);
            } else {
                spin_until(|| {
                    self.ready.load(Ordering::Acquire) == seen
                        || self.abandoned.load(Ordering::Acquire)
                });
                if self.abandoned.load(Ordering::Acquire) {
                    return;
                }
            }
            self.update(step, &mut ap);
            self.done.fetch_add(1, Ordering::AcqRel);
        }
    }
}

impl Shared<'_> {
    /// The steps, on the calling thread, with panel 0 factorised in `panel`.
    pub(super) fn factorise(
        &self,
        mut panel: Vec<f64>,
        swaps: &mut [usize],
    ) -> Result<(), Singular> {
        let n = self.n;
        let (mut next, mut u12_first, mut u12t) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ap, mut buffer, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        for (number, k0) in (0..n).step_by(NB).enumerate() {
            let k1 = (k0 + NB).min(n);
            let (h, kb) = (n - k0, k1 - k0);
            // Panel k's row swaps move the whole rows of M (L to the left, A to the right),
            // then the factorised panel goes in.
            for (j, &p) in swaps.iter().enumerate().take(k1).skip(k0) {
                if p != j {
                    self.swap_rows(j, p);
                }
            }
            rows.resize(h * kb, 0.0);
            transpose(&panel, h, kb, &mut rows);
            self.write(k0, k0, k1, &rows);
            if k1 == n {
                return Ok(());
            }
            // L11, panel k + 1 and U12's first columns copied out before the update.
            let k2 = (k1 + NB).min(n);
            let (h2, kb2) = (n - k1, k2 - k1);
            let step = Step { k0, k1, k2 };
            self.read(
                k0,
                k1,
                k0,
                k1,
                &mut self.l11.write().unwrap_or_else(|e| e.into_inner()),
            );
            self.read(k1, n, k1, k2, &mut buffer);
            next.resize(kb2 * h2, 0.0);
            transpose(&buffer, kb2, h2, &mut next);
            self.read(k0, k1, k1, k2, &mut u12_first);
            *lock(&self.step) = step;
            self.next_chunk.store(k1 / CHUNK, Ordering::Release);
            self.done.store(0, Ordering::Release);
            let posted = number + 1;
            self.posted.store(posted, Ordering::Release);
            if self.threads == 1 {
                self.solve_and_pack(step, &mut buffer);
                self.ready.store(posted, Ordering::Release);
            }
            // Panel k + 1: A22's first columns −= L21 · U12's first columns, in the panel's
            // column-major terms (nextᵀ −= U12ᵀ · L21ᵀ; L21ᵀ is panel k below its first kb
            // rows), then factorised; then this thread joins the update.
            let factorised = crate::parallel::with_thread_budget(1, || {
                trsm_lower_unit(
                    &self.l11.read().unwrap_or_else(|e| e.into_inner()),
                    kb,
                    0,
                    kb,
                    &mut u12_first,
                    kb2,
                    kb2,
                );
                u12t.clear();
                for c in 0..kb2 {
                    u12t.extend((0..kb).map(|r| u12_first[r * kb2 + c]));
                }
                gemm_serial(kb2, kb, h2, &u12t, kb, &panel[kb..], h, &mut next, h2);
                panel_lu(&mut next, h2, kb2, 0, kb2, k1, &mut swaps[k1..k2])
            });
            self.wait_for(|| self.ready.load(Ordering::Acquire) == posted);
            self.update(step, &mut ap);
            self.wait_for(|| self.done.load(Ordering::Acquire) + 1 >= self.threads);
            factorised?;
            self.write(k0, k1, k2, &u12_first);
            std::mem::swap(&mut panel, &mut next);
        }
        Ok(())
    }
}

/// `to` (`cols × rows`, row-major) = `from` (`rows × cols`, row-major) transposed, by tiles
/// of 8 × 8 so that both sides are read and written a cache line at a time.
fn transpose(from: &[f64], cols: usize, rows: usize, to: &mut [f64]) {
    const TILE: usize = 8;
    for r0 in (0..rows).step_by(TILE) {
        for c0 in (0..cols).step_by(TILE) {
            if r0 + TILE <= rows && c0 + TILE <= cols {
                // A whole tile: fixed bounds, unrolled.
                for c in 0..TILE {
                    let to = &mut to[(c0 + c) * rows + r0..(c0 + c) * rows + r0 + TILE];
                    for (r, t) in to.iter_mut().enumerate() {
                        *t = from[(r0 + r) * cols + c0 + c];
                    }
                }
                continue;
            }
            for c in c0..(c0 + TILE).min(cols) {
                for r in r0..(r0 + TILE).min(rows) {
                    to[c * rows + r] = from[r * cols + c];
                }
            }
        }
    }
}

/// Columns `c0..c1` of M, rows `c0..n`, copied into `panel`, column-major.
pub(super) fn copy_panel(m: &[f64], n: usize, c0: usize, c1: usize, panel: &mut Vec<f64>) {
    let h = n - c0;
    panel.resize((c1 - c0) * h, 0.0);
    for r in 0..h {
        for (c, v) in m[(c0 + r) * n + c0..(c0 + r) * n + c1].iter().enumerate() {
            panel[c * h + r] = *v;
        }
    }
}
