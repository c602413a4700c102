//! The products and triangular solves under the LU and the inverse: packing, the 4 × 16
//! or 4 × 24 register block, `C −= A·B` split over threads, recursive triangular solves.

use super::{KC, MR, NC};
use crate::parallel::thread_budget;

/// Packs `k × nn` of B (row stride `ldb`) into strips of `nr` columns (the register
/// block's width), each `k × nr`, zero padded.
pub(super) fn pack_b(b: &[f64], ldb: usize, k: usize, nn: usize, nr: usize, out: &mut Vec<f64>) {
    let strips = nn.div_ceil(nr);
    // Every element is written below (the padding of a partial strip zeroed), so the buffer
    // is not cleared first.
    out.resize(strips * k * nr, 0.0);
    for s in 0..strips {
        let (j0, w) = (s * nr, nr.min(nn - s * nr));
        let strip = &mut out[s * k * nr..(s + 1) * k * nr];
        if w < nr {
            strip.fill(0.0);
        }
        for p in 0..k {
            strip[p * nr..p * nr + w].copy_from_slice(&b[p * ldb + j0..p * ldb + j0 + w]);
        }
    }
}

/// Packs `m × k` of A (row stride `lda`) into strips of MR rows, each `k × MR`, zero padded.
pub(super) fn pack_a(a: &[f64], lda: usize, m: usize, k: usize, out: &mut Vec<f64>) {
    let strips = m.div_ceil(MR);
    // Every element is written below (the padding of a partial strip zeroed), so the buffer
    // is not cleared first.
    out.resize(strips * k * MR, 0.0);
    for s in 0..strips {
        let strip = &mut out[s * k * MR..(s + 1) * k * MR];
        if (s + 1) * MR <= m {
            // A full strip: its MR rows read side by side, the strip written in order.
            let rows: [&[f64]; MR] =
                std::array::from_fn(|r| &a[(s * MR + r) * lda..(s * MR + r) * lda + k]);
            for (p, out) in strip.chunks_exact_mut(MR).enumerate() {
                for (o, row) in out.iter_mut().zip(&rows) {
                    *o = row[p];
                }
            }
            continue;
        }
        strip.fill(0.0);
        for r in 0..m - s * MR {
            let row = &a[(s * MR + r) * lda..(s * MR + r) * lda + k];
            for (p, v) in row.iter().enumerate() {
                strip[p * MR + r] = *v;
            }
        }
    }
}

/// `x −= l·y`, vectorised.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
pub(super) fn axpy_minus(x: &mut [f64], l: f64, y: &[f64]) {
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    for (a, b) in x.iter_mut().zip(y) {
        *a = if FMA {
            (-l).mul_add(*b, *a)
        } else {
            *a - l * b
        };
    }
}

/// The register block's width on this CPU: 24 columns with AVX-512 (4 × 24 doubles are 12 of
/// its 32 vector registers: enough multiply-adds in flight to hide their latency, and B's
/// row in three loads), else 16 (4 × 16 fill AVX2's 16 registers). Measured on the bench
/// machine (AVX-512), the LU of 1,411 sectors on one thread: 16 wide 0.065 s, 24 wide
/// 0.053 s, 32 wide 0.060 s, 40 wide 0.060 s (docs/BENCHMARKS.md).
pub(super) fn block_width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("fma") {
            return WIDE;
        }
        NARROW
    })
}

/// The register block's width without AVX-512.
pub(super) const NARROW: usize = 16;
/// The register block's width with AVX-512.
pub(super) const WIDE: usize = 24;

/// The register block: `acc += A_strip · B` over depth `k`, B's rows `ldb` apart (`W` when
/// packed). Inlined into [`update_packed_with`], which is compiled for each CPU.
#[inline(always)]
fn kernel<const W: usize, const FMA: bool>(
    ap: &[f64],
    bp: &[f64],
    ldb: usize,
    k: usize,
    acc: &mut [[f64; W]; MR],
) {
    let ap = &ap[..k * MR];
    let mut c = *acc;
    for (p, a) in ap.chunks_exact(MR).enumerate() {
        let b: &[f64; W] = bp[p * ldb..p * ldb + W]
            .try_into()
            .expect("a full row of the register block");
        for r in 0..MR {
            let x = a[r];
            for j in 0..W {
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
/// columns, packed [`block_width`] wide), depth k; C from `c` with row stride `ldc`.
pub(super) fn update_packed(
    ap: &[f64],
    bp: &[f64],
    m: usize,
    k: usize,
    nn: usize,
    c: &mut [f64],
    ldc: usize,
) {
    if block_width() == WIDE {
        update_packed_with::<WIDE>(ap, bp, m, k, nn, c, ldc);
    } else {
        update_packed_with::<NARROW>(ap, bp, m, k, nn, c, ldc);
    }
}

#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
fn update_packed_with<const W: usize>(
    ap: &[f64],
    bp: &[f64],
    m: usize,
    k: usize,
    nn: usize,
    c: &mut [f64],
    ldc: usize,
) {
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    for (sa, a) in ap.chunks_exact(k * MR).enumerate() {
        let rows = MR.min(m - sa * MR);
        for (sb, b) in bp.chunks_exact(k * W).enumerate() {
            let cols = W.min(nn - sb * W);
            let mut acc = [[0.0; W]; MR];
            kernel::<W, FMA>(a, b, W, k, &mut acc);
            for (r, acc_row) in acc.iter().enumerate().take(rows) {
                let at = (sa * MR + r) * ldc + sb * W;
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
pub(super) fn gemm_serial(
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
            pack_b(&b[p0 * ldb + j0..], ldb, d, w, block_width(), &mut bp);
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
    let per = nn.div_ceil(threads).div_ceil(block_width()) * block_width();
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
pub(super) const LEAF: usize = 16;

/// Solves `L X = B` in place for the rows `r0..r1` of `x` (`w` columns, rows `ldx` apart),
/// with `L` the unit lower triangle of `lu` (stride `n`) on those rows and columns;
/// recursive, so that most of the work is matrix products.
pub(super) fn trsm_lower_unit(
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
pub(super) fn trsm_upper(lu: &[f64], n: usize, r0: usize, r1: usize, x: &mut [f64], w: usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Both register blocks compute the same product as the textbook loop, whichever of them
    /// this CPU uses, on sizes that leave partial blocks on every side.
    #[test]
    fn both_block_widths_agree_with_the_textbook_product() {
        let (m, k, nn) = (37, 29, 53);
        let mut state = 11u64;
        let mut draw = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let a: Vec<f64> = (0..m * k).map(|_| draw()).collect();
        let b: Vec<f64> = (0..k * nn).map(|_| draw()).collect();
        let c0: Vec<f64> = (0..m * nn).map(|_| draw()).collect();
        let mut want = c0.clone();
        for i in 0..m {
            for j in 0..nn {
                want[i * nn + j] -= (0..k).map(|p| a[i * k + p] * b[p * nn + j]).sum::<f64>();
            }
        }
        let (mut ap, mut bp) = (Vec::new(), Vec::new());
        pack_a(&a, k, m, k, &mut ap);
        for width in [NARROW, WIDE] {
            pack_b(&b, nn, k, nn, width, &mut bp);
            let mut c = c0.clone();
            if width == WIDE {
                update_packed_with::<WIDE>(&ap, &bp, m, k, nn, &mut c, nn);
            } else {
                update_packed_with::<NARROW>(&ap, &bp, m, k, nn, &mut c, nn);
            }
            let worst = c
                .iter()
                .zip(&want)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            assert!(worst < 1e-13, "width {width}: off by {worst}");
        }
    }
}
