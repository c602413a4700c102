//! The multiplier bootstrap of influence functions: bootstrap standard errors and the critical
//! value of a uniform (simultaneous) confidence band over several parameters, as Callaway &
//! Sant'Anna (2021, section 4) build their bands for ATT(g,t) and the event study.
//!
//! With `ψ_ik` the influence of unit `i` on parameter `k` (so that the analytic standard error
//! is `sqrt(Σ_i ψ_ik²)/n`), each draw `b` takes Rademacher weights `v_i ∈ {−1, 1}` and
//! `R_bk = √n · (1/n) Σ_i v_i ψ_ik`. The bootstrap standard error of `k` is the interquartile
//! range of `R_·k` over `z₀.₇₅ − z₀.₂₅`, divided by `√n` (robust to a few wild draws); the
//! critical value `c` is the `1 − α` quantile over draws of `max_k |R_bk| / σ̂_k`, and the band
//! `θ̂_k ± c σ̂_k/√n` covers every parameter at once with probability `1 − α`. Quantiles are
//! R's type 1 (the inverse empirical distribution), as R `did` computes them. Parameters whose
//! draws are all zero (a reference period) are left out of the maximum and get no standard
//! error.
//!
//! Reference: Callaway, B. and Sant'Anna, P.H.C. (2021), doi:10.1016/j.jeconom.2020.12.001,
//! after Kline, P. and Santos, A. (2012) "A score based approach to wild bootstrap inference",
//! *Journal of Econometric Methods* 1(1), doi:10.1515/2156-6674.1006. Each draw's weights come
//! from its own seeded stream, so results do not depend on the number of threads. Units: the
//! parameters' own. Complexity: O(B · n · K) time over the thread budget, O(B · K) memory.

use crate::random::Rng;

/// Bootstrap standard errors and the uniform band's critical value.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Bootstrap standard error of each parameter (`NaN`: a degenerate parameter).
    pub std_errors: Vec<f64>,
    /// The critical value `c` of the simultaneous `1 − α` band (`NaN` if every parameter is
    /// degenerate).
    pub critical_value: f64,
    /// Bootstrap draws.
    pub draws: usize,
    /// `α`.
    pub alpha: f64,
}

/// The type-1 quantile of sorted values: `x[⌈B p⌉ − 1]`.
fn quantile_type1(sorted: &[f64], p: f64) -> f64 {
    let b = sorted.len();
    let j = ((b as f64 * p).ceil() as usize).clamp(1, b);
    sorted[j - 1]
}

/// Runs the multiplier bootstrap on `influence` (`k` parameters × `n` units, parameter-major:
/// `influence[k * n + i]`).
///
/// ```
/// use regis_methods::evaluation::multiplier::multiplier_bootstrap;
/// // One parameter, influence ±1 on 400 units: analytic s.e. sqrt(400)/400 = 0.05.
/// let psi: Vec<f64> = (0..400).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
/// let band = multiplier_bootstrap(&psi, 400, 2000, 7, 0.05);
/// assert!((band.std_errors[0] - 0.05).abs() < 0.005);
/// // With one parameter the uniform band is the pointwise one: c near 1.96.
/// assert!((band.critical_value - 1.96).abs() < 0.15);
/// ```
pub fn multiplier_bootstrap(
    influence: &[f64],
    n: usize,
    draws: usize,
    seed: u64,
    alpha: f64,
) -> Band {
    let k = influence.len().checked_div(n).unwrap_or(0);
    if k == 0 || draws < 2 {
        return Band {
            std_errors: vec![f64::NAN; k],
            critical_value: f64::NAN,
            draws,
            alpha,
        };
    }
    let root_n = (n as f64).sqrt();
    // Unit-major, so that each unit's parameters are adjacent in the inner loop.
    let mut by_unit = vec![0.0; n * k];
    for j in 0..k {
        for i in 0..n {
            by_unit[i * k + j] = influence[j * n + i];
        }
    }
    // R[b][k], draws split over the thread budget; each draw seeds its own stream.
    let draw = |b: usize| -> Vec<f64> {
        let mut rng = Rng::seeded(seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut sums = vec![0.0; k];
        let mut bits = 0u64;
        for i in 0..n {
            if i % 64 == 0 {
                bits = rng.next_u64();
            }
            let v = if bits >> (i % 64) & 1 == 1 { 1.0 } else { -1.0 };
            for (s, psi) in sums.iter_mut().zip(&by_unit[i * k..(i + 1) * k]) {
                *s += v * psi;
            }
        }
        sums.iter().map(|s| root_n * s / n as f64).collect()
    };
    let threads = crate::parallel::thread_budget().clamp(1, draws);
    let chunk = draws.div_ceil(threads);
    let results: Vec<Vec<f64>> = if threads <= 1 {
        (0..draws).map(draw).collect()
    } else {
        std::thread::scope(|scope| {
            let draw = &draw;
            let handles: Vec<_> = (chunk..draws)
                .step_by(chunk)
                .map(|start| {
                    scope.spawn(move || {
                        (start..(start + chunk).min(draws))
                            .map(draw)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out: Vec<Vec<f64>> = (0..chunk.min(draws)).map(draw).collect();
            for h in handles {
                out.extend(h.join().expect("bootstrap worker panicked"));
            }
            out
        })
    };
    let iqr_scale = 1.348_979_500_392_163_4; // z(0.75) − z(0.25)
    let sigma: Vec<f64> = (0..k)
        .map(|j| {
            let mut col: Vec<f64> = results.iter().map(|r| r[j]).collect();
            if col.iter().all(|v| *v == 0.0) || col.iter().any(|v| !v.is_finite()) {
                return f64::NAN;
            }
            col.sort_by(f64::total_cmp);
            let s = (quantile_type1(&col, 0.75) - quantile_type1(&col, 0.25)) / iqr_scale;
            if s > 0.0 {
                s
            } else {
                f64::NAN
            }
        })
        .collect();
    let mut maxima: Vec<f64> = results
        .iter()
        .filter_map(|r| {
            r.iter()
                .zip(&sigma)
                .filter(|(_, s)| s.is_finite())
                .map(|(v, s)| (v / s).abs())
                .reduce(f64::max)
        })
        .collect();
    maxima.sort_by(f64::total_cmp);
    let critical_value = if maxima.is_empty() {
        f64::NAN
    } else {
        quantile_type1(&maxima, 1.0 - alpha)
    };
    Band {
        std_errors: sigma.iter().map(|s| s / root_n).collect(),
        critical_value,
        draws,
        alpha,
    }
}
