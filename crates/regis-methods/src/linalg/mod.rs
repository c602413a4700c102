//! Dense linear algebra for input-output tables of up to a few thousand sectors: a
//! cache-blocked matrix product, the LU factorisation with partial pivoting (blocked,
//! right-looking; Golub & Van Loan 2013, *Matrix Computations*, 4th ed., §3.2.11 and §3.4),
//! row solves `sᵀM⁻¹` that need no inverse, and the inverse itself.
//!
//! Row-major `n × n` matrices. Complexity: LU `2n³/3` flops; a row solve `2n²`; the inverse
//! `2n³` in all (LU, `L⁻¹` on the identity, then `U⁻¹`). Most of the work is matrix products
//! run on a packed register block, 4 × 24 with AVX-512 and 4 × 16 otherwise (vectorised with
//! AVX-512 or AVX2 and FMA when the CPU has them; the width is chosen when the program starts): the trailing updates of the LU, its panels factorised recursively (Toledo 1997),
//! and recursive triangular solves. Threads (the methods' thread budget): the LU looks ahead
//! (one thread factorises the next panel while helper threads solve U12 and update the rest,
//! by chunks of rows taken by whichever thread is free; the helpers live for the whole
//! factorisation and spin between steps, since on a virtual machine a sleeping or new thread
//! can take milliseconds to start), products split by rows or columns, and the inverse is
//! computed by slabs of 384 columns, also taken by whichever thread is free. The budget changes how sums are
//! grouped, not what is summed: results agree across budgets to rounding (about 1e-15
//! relative; the tests check 1e-10), not bit for bit. `regis bench --task io` compares it with numpy/OpenBLAS (docs/BENCHMARKS.md).

mod factor;
mod kernels;

use crate::parallel::thread_budget;
use factor::{copy_panel, panel_lu, Shared, Step, StopHelpers, CHUNK};
use kernels::{axpy_minus, trsm_lower_unit, trsm_upper};
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Mutex, RwLock};

/// Rows of the register block.
const MR: usize = 4;
/// Columns of B packed at once (a `KC × NC` block stays in the core's cache; a multiple of
/// both block widths, 16 and 24).
const NC: usize = 240;
/// Depth of a packed block.
const KC: usize = 256;
/// Block size of the factorisation and the triangular solves.
const NB: usize = 96;

/// `I − M` has no LU factorisation with a usable pivot: the matrix is singular.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Singular;

/// Columns of the inverse per task.
const SLAB: usize = 384;

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
