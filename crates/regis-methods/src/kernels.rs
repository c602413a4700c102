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
/// `|s| ≤ (√2−1)/(√2+1) < 0.1716`, so `z = s² < 0.0295`, and the series after `2s` is
/// `2s·z·P(z)` with `P` replaced by a degree-6 polynomial fitted at Chebyshev nodes
/// (the constants `LN_POLYNOMIAL` in this module, from tests/peers/fit_ln_polynomial.py; error
/// below `4.7e-18` of `ln m`; the plain series would need degree 9).
/// `2s` is formed as `f − s·f` (exact identity `2s = f − sf`), and `ln 2` is split into a
/// 32-bit head and a tail so that `e·ln2_head` is exact.
///
/// Accuracy: the tests compare with the C library on 10⁶ values spread over the whole exponent
/// range and near 1: largest relative difference about 2.3e-16 (one ulp). For `x = 0` the result is
/// finite and meaningless (callers multiply it by zero: `0 · ln 0 = 0` by convention); for
/// negative, infinite or NaN `x` it is meaningless too: callers mask those values.
/// Complexity: O(1), 6 multiply-adds in the polynomial and one division, no branch.
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
    reduced_ln::<FMA>(m, e)
}

/// Coefficients `c_0..c_6` of `P(z) ≈ Σ_k c_k z^k`, the polynomial that stands for
/// `(atanh(s)/s − 1)/z = Σ_{k≥0} z^k/(2k+3)` (with `z = s²`) on `0 ≤ z ≤ z_max =
/// ((√2−1)/(√2+1))²`: interpolation at the 7 Chebyshev nodes of that interval, computed at 60
/// digits with mpmath and rounded to doubles (tests/peers/fit_ln_polynomial.py). The error
/// that matters, `|P_fit(z) − P(z)|·z`, is at most 4.7e-18 over the interval (the Taylor
/// series needs 10 terms for the same).
const LN_POLYNOMIAL: [f64; 7] = [
    0.333_333_333_333_333_5,
    0.199_999_999_999_497_52,
    0.142_857_143_129_877_43,
    0.111_111_055_673_975_4,
    0.090_914_445_626_308_61,
    0.076_658_608_002_780_21,
    0.073_082_248_425_217_03,
];

/// `e ln 2 + ln m` for `m ∈ [√½, √2)`: with `f = m − 1` (exact) and `s = f / (2 + f)`,
/// `ln m = 2 atanh s = 2s + 2s·z·P(z)`, `z = s²` ([`LN_POLYNOMIAL`]); `2s` is formed as `f − s·f`
/// and `ln 2` is split in two so that `e·ln2_head` is exact.
#[inline(always)]
fn reduced_ln<const FMA: bool>(m: f64, e: f64) -> f64 {
    let step = |p: f64, z: f64, c: f64| if FMA { p.mul_add(z, c) } else { p * z + c };
    // ln 2 split: the head has 32 significant bits so that e·head is exact for |e| < 2^21.
    const LN2_HEAD: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000); // 0.6931471803691238
    const LN2_TAIL: f64 = 1.908_214_929_270_587_7e-10;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let mut p = LN_POLYNOMIAL[6];
    for &c in LN_POLYNOMIAL[..6].iter().rev() {
        p = step(p, z, c);
    }
    let tail = 2.0 * s * z * p;
    let two_s = f - s * f;
    e * LN2_HEAD + (two_s + (tail + e * LN2_TAIL))
}

/// [`ln`] for `x` that is zero or a positive normal double (no subnormal scaling; the exponent
/// is read with the 2^52 trick instead of an integer conversion): the fast path of the Theil
/// kernels on rows [`row_is_clean`] has vetted. For `x = 0` the result is finite and
/// meaningless, as for [`ln`].
#[inline(always)]
fn ln_normal<const FMA: bool>(x: f64) -> f64 {
    let bits = x.to_bits();
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let above = m > std::f64::consts::SQRT_2;
    // 2^52 + biased exponent (+1 when m is halved), as a double, minus 2^52 + 1023: exact.
    let biased = (bits >> 52) + u64::from(above);
    let e = f64::from_bits(0x4330_0000_0000_0000 | biased) - (4_503_599_627_370_496.0 + 1023.0);
    let m = if above { m * 0.5 } else { m };
    reduced_ln::<FMA>(m, e)
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
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    let fma = FMA;
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

/// Adds a row into its group's per-period sums, as [`add_row_theil`] does, when every cell of
/// the row is finite and not negative with `y·scale` zero or a finite normal double (the usual
/// case): `y` into `sum`, `y ln(y·scale)` into `entropy`, with no masks and no subnormal path
/// (a zero cell adds `0 · ln 0 = 0`). Returns `false` and adds nothing otherwise: the caller
/// then takes [`add_row_theil`]. Every cell of an added row counts and none is negative (the
/// caller's to record). One pass computes the terms into `scratch` (at least as long as the
/// row) while checking the cells, a second adds them. Complexity: O(T), vectorised (AVX-512 or
/// AVX2 with FMA when the CPU has them).
///
/// ```
/// use regis_methods::kernels::add_clean_row_theil;
/// let (mut sum, mut entropy, mut scratch) = ([0.0; 3], [0.0; 3], [0.0; 3]);
/// assert!(add_clean_row_theil(&[0.0, 1.0, 2.0], &[1.0; 3], &mut sum, &mut entropy, &mut scratch));
/// assert_eq!(sum, [0.0, 1.0, 2.0]);
/// assert!((entropy[2] - 2.0 * 2f64.ln()).abs() < 1e-15);
/// // A missing, negative or subnormal cell: nothing added.
/// for bad in [f64::NAN, -0.5, 1e-310] {
///     assert!(!add_clean_row_theil(&[1.0, bad, 1.0], &[1.0; 3], &mut sum, &mut entropy, &mut scratch));
/// }
/// assert_eq!(sum, [0.0, 1.0, 2.0]);
/// ```
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+fma", "x86_64+avx2+fma"))]
pub fn add_clean_row_theil(
    row: &[f64],
    scale: &[f64],
    sum: &mut [f64],
    entropy: &mut [f64],
    scratch: &mut [f64],
) -> bool {
    const FMA: bool = multiversion::target::selected_target!().supports_feature_str("fma");
    let t = row.len();
    let (scale, sum, entropy, scratch) = (
        &scale[..t],
        &mut sum[..t],
        &mut entropy[..t],
        &mut scratch[..t],
    );
    let mut clean = true;
    for k in 0..t {
        let y = row[k];
        let x = y * scale[k];
        // NaN fails every comparison.
        clean &= (y >= 0.0) & (x < f64::INFINITY) & ((y == 0.0) | (x >= f64::MIN_POSITIVE));
        scratch[k] = y * ln_normal::<FMA>(x);
    }
    if !clean {
        return false;
    }
    for k in 0..t {
        sum[k] += row[k];
        entropy[k] += scratch[k];
    }
    true
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

    /// 3·10⁶ test points: any positive normal double, values within 1e-6 of 1 (where ln is
    /// small) and values near powers of two from 2^-20 to 2^19 (where the reduction switches).
    fn sample_points() -> Vec<f64> {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut points = Vec::with_capacity(3_000_000);
        for _ in 0..1_000_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            points.push(f64::from_bits(
                (state >> 2) % (0x7fefffffffffffff - 0x0010000000000000) + 0x0010000000000000,
            ));
            points.push(1.0 + u * 2e-6);
            points.push(2f64.powi((state % 40) as i32 - 20) * (1.0 + u * 1e-3));
        }
        points
    }

    /// Largest relative difference from the C library's logarithm over [`sample_points`].
    fn worst_against_the_c_library(ours: impl Fn(f64) -> f64) -> f64 {
        sample_points()
            .into_iter()
            .map(|v| relative(ours(v), v.ln()))
            .fold(0.0, f64::max)
    }

    #[test]
    fn ln_matches_the_c_library_over_the_exponent_range() {
        let worst = worst_against_the_c_library(ln);
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

    #[test]
    fn normal_path_logarithm_matches_the_c_library() {
        for worst in [
            worst_against_the_c_library(ln_normal::<true>),
            worst_against_the_c_library(ln_normal::<false>),
        ] {
            assert!(worst < 5e-16, "worst relative difference {worst:e}");
        }
        for x in [
            f64::MIN_POSITIVE,
            f64::MAX,
            0.5,
            2.0,
            1.0,
            std::f64::consts::SQRT_2,
        ] {
            assert!(relative(ln_normal::<true>(x), x.ln()) < 5e-16, "{x:e}");
        }
        assert_eq!(ln_normal::<true>(1.0), 0.0);
        assert!((0.0 * ln_normal::<true>(0.0)).abs() == 0.0);
        // The clean-row kernel adds what the masked one adds.
        let row = [2.0, 0.0, 3.5, 1e-300];
        let scale = [0.5, 0.5, 2.0, 1.0];
        let (mut s1, mut e1, mut scratch) = ([0.0; 4], [0.0; 4], [0.0; 4]);
        assert!(add_clean_row_theil(
            &row,
            &scale,
            &mut s1,
            &mut e1,
            &mut scratch
        ));
        let (mut s2, mut c2, mut e2, mut n2) = ([0.0; 4], [0.0; 4], [0.0; 4], [0.0; 4]);
        let mut sums = TheilSums {
            sum: &mut s2,
            count: &mut c2,
            entropy: &mut e2,
        };
        add_row_theil(&row, &scale, &mut sums, &mut n2);
        assert_eq!(s1, s2);
        for k in 0..4 {
            assert!(
                (e1[k] - e2[k]).abs() <= 1e-15 * e2[k].abs(),
                "{k}: {} vs {}",
                e1[k],
                e2[k]
            );
        }
    }
}
