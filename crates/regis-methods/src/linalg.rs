//! Dense linear algebra for input-output tables of up to a few thousand sectors: a
//! cache-blocked matrix product, the LU factorisation with partial pivoting (blocked,
//! right-looking; Golub & Van Loan 2013, *Matrix Computations*, 4th ed., §3.2.11 and §3.4),
//! row solves `sᵀM⁻¹` that need no inverse, and the inverse itself.
//!
//! Row-major `n × n` matrices. Complexity: LU `2n³/3` flops; a row solve `2n²`; the inverse
//! `2n³` in all (LU, `L⁻¹` on the identity, then `U⁻¹`). Most of the work is matrix products
//! run on a packed 4 × 16 register block (vectorised with AVX-512 or AVX2 and FMA when the CPU
//! has them): the trailing updates of the LU, its panels factorised recursively (Toledo 1997),
//! and recursive triangular solves. Threads (the methods' thread budget): the LU looks ahead
//! (one thread factorises the next panel while helper threads solve U12 and update the rest,
//! by chunks of rows taken by whichever thread is free; the helpers live for the whole
//! factorisation and spin between steps, since on a virtual machine a sleeping or new thread
//! can take milliseconds to start), products split by rows or columns, and the inverse is
//! computed by slabs of 384 columns, also taken by whichever thread is free. The budget changes how sums are
//! grouped, not what is summed: results agree across budgets to rounding (about 1e-15
//! relative; the tests check 1e-10), not bit for bit. `regis bench --task io` compares it with numpy/OpenBLAS (docs/BENCHMARKS.md).

use crate::parallel::thread_budget;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

/// Rows of the register block.
const MR: usize = 4;
/// Columns of the register block.
const NR: usize = 16;
/// Columns of B packed at once (a `KC × NC` block stays in the core's cache).
const NC: usize = 256;
/// Depth of a packed block.
const KC: usize = 256;
/// Block size of the factorisation and the triangular solves.
const NB: usize = 96;

/// `I − M` has no LU factorisation with a usable pivot: the matrix is singular.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Singular;

/// Packs `k × nn` of B (row stride `ldb`) into strips of NR columns, each `k × NR`, zero
/// padded.
fn pack_b(b: &[f64], ldb: usize, k: usize, nn: usize, out: &mut Vec<f64>) {
    let strips = nn.div_ceil(NR);
    out.clear();
    out.resize(strips * k * NR, 0.0);
    for s in 0..strips {
        let (j0, w) = (s * NR, NR.min(nn - s * NR));
        let strip = &mut out[s * k * NR..(s + 1) * k * NR];
        for p in 0..k {
            strip[p * NR..p * NR + w].copy_from_slice(&b[p * ldb + j0..p * ldb + j0 + w]);
        }
    }
}

/// Packs `m × k` of A (row stride `lda`) into strips of MR rows, each `k × MR`, zero padded.
fn pack_a(a: &[f64], lda: usize, m: usize, k: usize, out: &mut Vec<f64>) {
    let strips = m.div_ceil(MR);
    out.clear();
    out.resize(strips * k * MR, 0.0);
    for s in 0..strips {
        let strip = &mut out[s * k * MR..(s + 1) * k * MR];
        for r in 0..MR.min(m - s * MR) {
            let row = &a[(s * MR + r) * lda..(s * MR + r) * lda + k];
            for (p, v) in row.iter().enumerate() {
                strip[p * MR + r] = *v;
            }
        }
    }
}

/// `x −= l·y`, vectorised.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
fn axpy_minus(x: &mut [f64], l: f64, y: &[f64]) {
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    for (a, b) in x.iter_mut().zip(y) {
        *a = if FMA {
            (-l).mul_add(*b, *a)
        } else {
            *a - l * b
        };
    }
}

/// The register block: `acc += A_strip · B` over depth `k`, B's rows `ldb` apart (`NR` when
/// packed; a row of M when read in place).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
fn kernel(ap: &[f64], bp: &[f64], ldb: usize, k: usize, acc: &mut [[f64; NR]; MR]) {
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    let ap = &ap[..k * MR];
    let mut c = *acc;
    for (p, a) in ap.chunks_exact(MR).enumerate() {
        let b: &[f64; NR] = bp[p * ldb..p * ldb + NR]
            .try_into()
            .expect("a full row of the register block");
        for r in 0..MR {
            let x = a[r];
            for j in 0..NR {
                c[r][j] = if FMA {
                    x.mul_add(b[j], c[r][j])
                } else {
                    c[r][j] + x * b[j]
                };
            }
        }
    }
    *acc = c;
}

/// `C −= A·B` for row blocks already packed: A strips `ap` (m rows), B strips `bp` (nn
/// columns), depth k; C from `c` with row stride `ldc`.
fn update_packed(ap: &[f64], bp: &[f64], m: usize, k: usize, nn: usize, c: &mut [f64], ldc: usize) {
    for (sa, a) in ap.chunks_exact(k * MR).enumerate() {
        let rows = MR.min(m - sa * MR);
        for (sb, b) in bp.chunks_exact(k * NR).enumerate() {
            let cols = NR.min(nn - sb * NR);
            let mut acc = [[0.0; NR]; MR];
            kernel(a, b, NR, k, &mut acc);
            for (r, acc_row) in acc.iter().enumerate().take(rows) {
                let at = (sa * MR + r) * ldc + sb * NR;
                for (cv, av) in c[at..at + cols].iter_mut().zip(acc_row) {
                    *cv -= av;
                }
            }
        }
    }
}

/// `C −= A·B` on one thread: A is `m × k` (stride `lda`), B `k × nn` (stride `ldb`), C
/// `m × nn` (stride `ldc`).
#[allow(clippy::too_many_arguments)]
fn gemm_serial(
    m: usize,
    k: usize,
    nn: usize,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    c: &mut [f64],
    ldc: usize,
) {
    // A packed once per depth block; B by blocks of NC columns that stay in cache while
    // every strip of A passes over them.
    let (mut ap, mut bp) = (Vec::new(), Vec::new());
    for p0 in (0..k).step_by(KC) {
        let d = KC.min(k - p0);
        pack_a(&a[p0..], lda, m, d, &mut ap);
        for j0 in (0..nn).step_by(NC) {
            let w = NC.min(nn - j0);
            pack_b(&b[p0 * ldb + j0..], ldb, d, w, &mut bp);
            update_packed(&ap, &bp, m, d, w, &mut c[j0..], ldc);
        }
    }
}

/// `C −= A·B`: A is `m × k` (stride `lda`), B `k × nn` (stride `ldb`), C `m × nn` (stride
/// `ldc`), each slice starting at its block's first element. Split over the thread budget:
/// by rows of C when C is tall (each thread reads all of B, which is then thin), by columns
/// when it is wide (each thread reads its part of B, which is then the big operand, and
/// returns its columns of the product to be subtracted).
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm_minus(
    m: usize,
    k: usize,
    nn: usize,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    c: &mut [f64],
    ldc: usize,
) {
    if m == 0 || k == 0 || nn == 0 {
        return;
    }
    // At least 64 × 64 × 64 multiply-adds per thread, or threads cost more than they save.
    let work = m * k * nn / (64 * 64 * 64);
    let threads = thread_budget().clamp(1, work.max(1));
    if threads == 1 {
        return gemm_serial(m, k, nn, a, lda, b, ldb, c, ldc);
    }
    if m >= nn {
        let per = m.div_ceil(threads).div_ceil(MR) * MR;
        std::thread::scope(|s| {
            let mut rest: &mut [f64] = c;
            let mut r0 = 0;
            while r0 < m {
                let rows = per.min(m - r0);
                let take = if r0 + rows < m {
                    rows * ldc
                } else {
                    rest.len()
                };
                let (mine, tail) = rest.split_at_mut(take);
                rest = tail;
                let a = &a[r0 * lda..];
                s.spawn(move || gemm_serial(rows, k, nn, a, lda, b, ldb, mine, ldc));
                r0 += rows;
            }
        });
        return;
    }
    let per = nn.div_ceil(threads).div_ceil(NR) * NR;
    let parts: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..nn)
            .step_by(per)
            .map(|j0| {
                let w = per.min(nn - j0);
                s.spawn(move || {
                    let mut part = vec![0.0; m * w];
                    gemm_serial(m, k, w, a, lda, &b[j0..], ldb, &mut part, w);
                    (j0, w, part)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a product thread panicked"))
            .collect()
    });
    for (j0, w, part) in parts {
        for (i, row) in part.chunks_exact(w).enumerate() {
            // `part` holds −A·B for these columns.
            for (x, v) in c[i * ldc + j0..i * ldc + j0 + w].iter_mut().zip(row) {
                *x += v;
            }
        }
    }
}

/// Rows below which the triangular solves stop recursing.
const LEAF: usize = 16;

/// Solves `L X = B` in place for the rows `r0..r1` of `x` (`w` columns, rows `ldx` apart),
/// with `L` the unit lower triangle of `lu` (stride `n`) on those rows and columns;
/// recursive, so that most of the work is matrix products.
fn trsm_lower_unit(
    lu: &[f64],
    n: usize,
    r0: usize,
    r1: usize,
    x: &mut [f64],
    w: usize,
    ldx: usize,
) {
    if r1 - r0 <= LEAF {
        for i in r0 + 1..r1 {
            let (above, row) = x.split_at_mut((i - r0) * ldx);
            for j in r0..i {
                let l = lu[i * n + j];
                if l != 0.0 {
                    axpy_minus(&mut row[..w], l, &above[(j - r0) * ldx..(j - r0) * ldx + w]);
                }
            }
        }
        return;
    }
    let mid = r0 + (r1 - r0) / 2;
    let (top, bottom) = x.split_at_mut((mid - r0) * ldx);
    trsm_lower_unit(lu, n, r0, mid, top, w, ldx);
    gemm_serial(
        r1 - mid,
        mid - r0,
        w,
        &lu[mid * n + r0..],
        n,
        top,
        ldx,
        bottom,
        ldx,
    );
    trsm_lower_unit(lu, n, mid, r1, bottom, w, ldx);
}

/// Solves `U X = B` in place for the rows `r0..r1` of `x` (`w` columns, stride `w`), with `U`
/// the upper triangle of `lu` (stride `n`) on those rows and columns; recursive.
fn trsm_upper(lu: &[f64], n: usize, r0: usize, r1: usize, x: &mut [f64], w: usize) {
    if r1 - r0 <= LEAF {
        for i in (r0..r1).rev() {
            let (row, below) = x.split_at_mut((i - r0 + 1) * w);
            let row = &mut row[(i - r0) * w..];
            for j in i + 1..r1 {
                let u = lu[i * n + j];
                if u != 0.0 {
                    axpy_minus(row, u, &below[(j - i - 1) * w..(j - i) * w]);
                }
            }
            let d = lu[i * n + i];
            for v in row.iter_mut() {
                *v /= d;
            }
        }
        return;
    }
    let mid = r0 + (r1 - r0) / 2;
    let (top, bottom) = x.split_at_mut((mid - r0) * w);
    trsm_upper(lu, n, mid, r1, bottom, w);
    gemm_serial(
        mid - r0,
        r1 - mid,
        w,
        &lu[r0 * n + mid..],
        n,
        bottom,
        w,
        top,
        w,
    );
    trsm_upper(lu, n, r0, mid, top, w);
}

/// Factorises columns `c0..c1` of a column-major panel (`h` rows, `kb` columns; rows and
/// columns counted from the panel's corner) with partial pivoting, recursively (Toledo 1997,
/// SIAM J. Matrix Anal. Appl. 18(4), doi:10.1137/S0895479896297744): the left half, the
/// right half's top by the left half's L, the rest of the right half by a matrix product,
/// then the right half. A row swap moves the whole panel row; `swaps[c]` records the panel
/// row (counted from `k0`, the panel's first row in M) that column `c`'s pivot came from,
/// for the caller to move the rows of M.
fn panel_lu(
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
fn spin_until(done: impl Fn() -> bool) {
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

/// Columns of the inverse per task.
const SLAB: usize = 384;

/// Rows of M per lock and per task of the LU's trailing update (NB is a multiple).
const CHUNK: usize = 32;
const _: () = assert!(NB.is_multiple_of(CHUNK));

/// One step of the LU: panel `k0..k1` done, the next panel `k1..k2`.
#[derive(Clone, Copy, Default)]
struct Step {
    k0: usize,
    k1: usize,
    k2: usize,
}

/// What the LU's threads share for the whole factorisation: M by chunks of `CHUNK` rows,
/// each behind its own lock, and the step being worked on. The helper threads live for the
/// whole factorisation and spin between steps: on a virtual machine a thread that sleeps, or
/// a new one, can take milliseconds to start, longer than a step.
struct Shared<'m> {
    n: usize,
    threads: usize,
    rows: Vec<Mutex<&'m mut [f64]>>,
    /// The step posted (its number + 1; `usize::MAX` to stop).
    posted: AtomicUsize,
    step: Mutex<Step>,
    /// L11 of the step, row-major `kb × kb`.
    l11: RwLock<Vec<f64>>,
    /// U12's columns `k2..n`, solved and packed; `ready` is the step they are ready for.
    packed: RwLock<Vec<f64>>,
    ready: AtomicUsize,
    /// The next chunk of rows to update, and the helpers done with this step.
    next_chunk: AtomicUsize,
    done: AtomicUsize,
    /// A helper panicked: the factorisation stops (and panics) instead of waiting for it.
    abandoned: AtomicBool,
}

/// Stops the helpers when the factorisation ends, also by a panic.
struct StopHelpers<'a>(&'a AtomicUsize);

impl Drop for StopHelpers<'_> {
    fn drop(&mut self) {
        self.0.store(usize::MAX, Ordering::Release);
    }
}

/// Marks the factorisation abandoned when a helper panics.
struct Abandon<'a>(&'a AtomicBool);

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
        }
    }
}

fn lock<'a, T>(m: &'a Mutex<T>) -> std::sync::MutexGuard<'a, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared<'_> {
    /// Columns `c0..c1` of rows `r0..r1`, row by row, to `out` (`(r1 − r0) × (c1 − c0)`).
    fn read(&self, r0: usize, r1: usize, c0: usize, c1: usize, out: &mut Vec<f64>) {
        out.clear();
        for r in r0..r1 {
            let chunk = lock(&self.rows[r / CHUNK]);
            let at = (r % CHUNK) * self.n;
            out.extend_from_slice(&chunk[at + c0..at + c1]);
        }
    }

    /// Writes `from` (`(r1 − r0) × (c1 − c0)`, row by row) to columns `c0..c1` of rows
    /// `r0..r1`.
    fn write(&self, r0: usize, c0: usize, c1: usize, from: &[f64]) {
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
    fn swap_rows(&self, j: usize, p: usize) {
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
    fn solve_and_pack(&self, step: Step, buffer: &mut Vec<f64>) {
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
            &mut self.packed.write().unwrap_or_else(|e| e.into_inner()),
        );
        self.write(k0, k2, self.n, buffer);
    }

    /// Takes chunks of rows from `k1` until none is left and applies `A22 −= L21 · U12` to
    /// their columns `k2..n`.
    fn update(&self, step: Step, ap: &mut Vec<f64>) {
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
                let strips = &bp[j0 / NR * kb * NR..(j0 + w).div_ceil(NR) * kb * NR];
                update_packed(ap, strips, rows, kb, w, &mut chunk[k2 + j0..], n);
            }
        }
    }

    /// Waits for the helpers; panics if one of them did.
    fn wait_for(&self, done: impl Fn() -> bool) {
        spin_until(|| done() || self.abandoned.load(Ordering::Acquire));
        assert!(
            !self.abandoned.load(Ordering::Acquire),
            "a thread of the LU factorisation panicked"
        );
    }

    /// A helper thread: waits for each step, solves U12 if it is the first helper, and
    /// takes part in the update.
    fn help(&self, first: bool) {
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
    fn factorise(&self, mut panel: Vec<f64>, swaps: &mut [usize]) -> Result<(), Singular> {
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
            for r in 0..h {
                rows.clear();
                rows.extend((0..kb).map(|c| panel[c * h + r]));
                self.write(k0 + r, k0, k1, &rows);
            }
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
            for (r, row) in buffer.chunks_exact(kb2).enumerate() {
                for (c, v) in row.iter().enumerate() {
                    next[c * h2 + r] = *v;
                }
            }
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

/// Columns `c0..c1` of M, rows `c0..n`, copied into `panel`, column-major.
fn copy_panel(m: &[f64], n: usize, c0: usize, c1: usize, panel: &mut Vec<f64>) {
    let h = n - c0;
    panel.resize((c1 - c0) * h, 0.0);
    for r in 0..h {
        for (c, v) in m[(c0 + r) * n + c0..(c0 + r) * n + c1].iter().enumerate() {
            panel[c * h + r] = *v;
        }
    }
}

/// An LU factorisation `P·M = L·U` (L unit lower, U upper, stored together).
#[derive(Debug, Clone)]
pub struct Lu {
    n: usize,
    lu: Vec<f64>,
    /// Row `j` was swapped with row `swaps[j]` at step `j`.
    swaps: Vec<usize>,
}

impl Lu {
    /// Factorises the row-major `n × n` matrix `m`.
    ///
    /// ```
    /// use regis_methods::linalg::Lu;
    /// let lu = Lu::new(vec![0.0, 2.0, 4.0, 1.0], 2).unwrap();
    /// // sᵀ M⁻¹ for s = (1, 1): M⁻¹ = [[-0.125, 0.25], [0.5, 0]].
    /// let mut s = vec![1.0, 1.0];
    /// lu.solve_rows(&mut s);
    /// assert!((s[0] - 0.375).abs() < 1e-15 && (s[1] - 0.25).abs() < 1e-15);
    /// ```
    pub fn new(mut m: Vec<f64>, n: usize) -> Result<Lu, Singular> {
        assert_eq!(m.len(), n * n, "an n × n matrix");
        let mut swaps = vec![0; n];
        if n == 0 {
            return Ok(Lu { n, lu: m, swaps });
        }
        let threads = thread_budget();
        // The first panel on every thread; then look-ahead (Kurzak & Dongarra 2007, PARA 2006,
        // LNCS 4699, doi:10.1007/978-3-540-75755-9_18): while the helper
        // threads solve U12 and apply step k's update to the columns right of panel k + 1,
        // this thread updates panel k + 1 and factorises it, so the panels, which are slow
        // and serial, hide behind the products.
        let mut panel = Vec::new();
        copy_panel(&m, n, 0, NB.min(n), &mut panel);
        panel_lu(&mut panel, n, NB.min(n), 0, NB.min(n), 0, &mut swaps)?;
        let shared = Shared {
            n,
            threads,
            rows: m.chunks_mut(CHUNK * n).map(Mutex::new).collect(),
            posted: AtomicUsize::new(0),
            step: Mutex::new(Step::default()),
            l11: RwLock::new(Vec::new()),
            packed: RwLock::new(Vec::new()),
            ready: AtomicUsize::new(0),
            next_chunk: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            abandoned: AtomicBool::new(false),
        };
        let shared = &shared;
        let factorised = std::thread::scope(|s| {
            for helper in 1..threads {
                s.spawn(move || shared.help(helper == 1));
            }
            let _stop = StopHelpers(&shared.posted);
            shared.factorise(panel, &mut swaps)
        });
        factorised?;
        Ok(Lu { n, lu: m, swaps })
    }

    /// Replaces each row `s` of `rows` (`k × n`, row-major) by `sᵀM⁻¹`, the solve of
    /// `Mᵀx = s`. Complexity O(k n²).
    pub fn solve_rows(&self, rows: &mut [f64]) {
        let n = self.n;
        // Every right-hand side at each row of the factors, so that each row of L and U is
        // read from memory once for all of them.
        // yᵀU = sᵀ, forward over the rows of U.
        for i in 0..n {
            let (d, u) = (self.lu[i * n + i], &self.lu[i * n + i + 1..(i + 1) * n]);
            for s in rows.chunks_exact_mut(n) {
                let y = s[i] / d;
                s[i] = y;
                if y != 0.0 {
                    axpy_minus(&mut s[i + 1..], y, u);
                }
            }
        }
        // zᵀL = yᵀ, backward over the rows of L.
        for i in (0..n).rev() {
            let l = &self.lu[i * n..i * n + i];
            for s in rows.chunks_exact_mut(n) {
                let z = s[i];
                if z != 0.0 {
                    axpy_minus(&mut s[..i], z, l);
                }
            }
        }
        // xᵀ = zᵀP.
        for s in rows.chunks_exact_mut(n) {
            for j in (0..n).rev() {
                s.swap(j, self.swaps[j]);
            }
        }
    }

    /// Replaces each row `y` of `rows` (`k × n`, row-major) by `M⁻¹y`, the solve of `Mv = y`.
    /// Complexity O(k n²).
    ///
    /// ```
    /// use regis_methods::linalg::Lu;
    /// let lu = Lu::new(vec![0.0, 2.0, 4.0, 1.0], 2).unwrap();
    /// // M⁻¹ (1, 1) = (-0.125 + 0.25, 0.5).
    /// let mut y = vec![1.0, 1.0];
    /// lu.solve_columns(&mut y);
    /// assert!((y[0] - 0.125).abs() < 1e-15 && (y[1] - 0.5).abs() < 1e-15);
    /// ```
    pub fn solve_columns(&self, rows: &mut [f64]) {
        let n = self.n;
        for v in rows.chunks_exact_mut(n) {
            for (j, &p) in self.swaps.iter().enumerate() {
                v.swap(j, p);
            }
            // L z = P y, forward: row i of L dotted with the solved part.
            for i in 1..n {
                let dot: f64 = self.lu[i * n..i * n + i]
                    .iter()
                    .zip(&v[..i])
                    .map(|(l, z)| l * z)
                    .sum();
                v[i] -= dot;
            }
            // U v = z, backward.
            for i in (0..n).rev() {
                let dot: f64 = self.lu[i * n + i + 1..(i + 1) * n]
                    .iter()
                    .zip(&v[i + 1..])
                    .map(|(u, x)| u * x)
                    .sum();
                v[i] = (v[i] - dot) / self.lu[i * n + i];
            }
        }
    }

    /// `M⁻¹`, row-major. Complexity O(n³).
    ///
    /// ```
    /// use regis_methods::linalg::Lu;
    /// let inv = Lu::new(vec![0.0, 2.0, 4.0, 1.0], 2).unwrap().inverse();
    /// assert_eq!(inv, vec![-0.125, 0.25, 0.5, 0.0]);
    /// ```
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        // Columns of the inverse are independent: slabs of SLAB columns (narrow enough
        // for a slab's rows to stay in cache, and L⁻¹'s zeros above a slab are skipped),
        // handed to whichever thread is free, the costliest (leftmost) first.
        let width = SLAB;
        let starts: Vec<usize> = (0..n).step_by(width).collect();
        let threads = thread_budget().clamp(1, starts.len());
        let queue = std::sync::Mutex::new(starts.into_iter().rev().collect::<Vec<_>>());
        let work = || {
            let mut done = Vec::new();
            loop {
                let c0 = match queue.lock() {
                    Ok(mut q) => q.pop(),
                    Err(poisoned) => poisoned.into_inner().pop(),
                };
                let Some(c0) = c0 else { return done };
                let w = width.min(n - c0);
                done.push((c0, w, self.inverse_columns(c0, w)));
            }
        };
        let slabs: Vec<(usize, usize, Vec<f64>)> = if threads == 1 {
            work()
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("an inverse thread panicked"))
                    .collect()
            })
        };
        // M⁻¹ = W P: column j of W goes to column perm[j].
        let mut perm: Vec<usize> = (0..n).collect();
        for (j, &p) in self.swaps.iter().enumerate() {
            perm.swap(j, p);
        }
        let mut out = vec![0.0; n * n];
        for (c0, w, x) in slabs {
            for (row, o) in x.chunks_exact(w).zip(out.chunks_exact_mut(n)) {
                for (jj, v) in row.iter().enumerate() {
                    o[perm[c0 + jj]] = *v;
                }
            }
        }
        out
    }

    /// Columns `c0..c0 + w` of `W = U⁻¹ L⁻¹` (row-major `n × w`), on one thread.
    fn inverse_columns(&self, c0: usize, w: usize) -> Vec<f64> {
        let (n, lu) = (self.n, &self.lu);
        let mut x = vec![0.0; n * w];
        for c in c0..c0 + w {
            x[c * w + c - c0] = 1.0;
        }
        // L⁻¹: rows above c0 stay 0 (L⁻¹ is lower triangular), so start at row c0.
        trsm_lower_unit(lu, n, c0, n, &mut x[c0 * w..], w, w);
        trsm_upper(lu, n, 0, n, &mut x, w);
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for p in 0..n {
                for j in 0..n {
                    c[i * n + j] += a[i * n + p] * b[p * n + j];
                }
            }
        }
        c
    }

    fn matrix(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n * n)
            .map(|k| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                if k / n == k % n {
                    u + 0.1 * (n as f64).sqrt()
                } else {
                    u
                }
            })
            .collect()
    }

    #[test]
    fn inverse_times_matrix_is_the_identity_at_every_block_edge_and_thread_budget() {
        for n in [1, 3, 17, 95, 96, 97, 200, 301] {
            let m = matrix(n, n as u64);
            for threads in [1, 2, 3] {
                let inv = crate::parallel::with_thread_budget(threads, || {
                    Lu::new(m.clone(), n).unwrap().inverse()
                });
                let id = product(&m, &inv, n);
                for i in 0..n {
                    for j in 0..n {
                        let want = if i == j { 1.0 } else { 0.0 };
                        assert!((id[i * n + j] - want).abs() < 1e-10, "n {n} ({i},{j})");
                    }
                }
            }
            // Row solves agree with the inverse.
            let lu = Lu::new(m.clone(), n).unwrap();
            let inv = lu.inverse();
            let mut s: Vec<f64> = (0..2 * n).map(|k| (k % 7) as f64 - 2.0).collect();
            let want: Vec<f64> = (0..2 * n)
                .map(|k| {
                    let (r, j) = (k / n, k % n);
                    (0..n).map(|i| s[r * n + i] * inv[i * n + j]).sum()
                })
                .collect();
            lu.solve_rows(&mut s);
            for (a, b) in s.iter().zip(&want) {
                assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "n {n}");
            }
        }
    }

    #[test]
    fn rows_out_of_order_need_pivots_and_get_them() {
        for n in [97, 200] {
            // A diagonally dominant matrix with its rows reversed: every step must pivot.
            let good = matrix(n, 7);
            let m: Vec<f64> = (0..n)
                .rev()
                .flat_map(|r| good[r * n..(r + 1) * n].to_vec())
                .collect();
            let lu = Lu::new(m.clone(), n).unwrap();
            assert!(lu.swaps.iter().enumerate().any(|(j, p)| *p != j));
            let id = product(&m, &lu.inverse(), n);
            for i in 0..n {
                for j in 0..n {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((id[i * n + j] - want).abs() < 1e-10, "n {n} ({i},{j})");
                }
            }
        }
    }

    #[test]
    fn a_singular_matrix_is_refused() {
        assert_eq!(Lu::new(vec![1.0, 2.0, 2.0, 4.0], 2).unwrap_err(), Singular);
    }
}
