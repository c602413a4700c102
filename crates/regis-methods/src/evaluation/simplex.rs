//! Least squares on the simplex: `min ‖A w − b‖²` subject to `w ≥ 0, Σ w = 1`, solved
//! exactly by a primal active-set method (each step an equality-constrained least squares on
//! the free columns; Lawson, C.L. and Hanson, R.J. 1974, *Solving Least Squares Problems*,
//! Prentice-Hall). The synthetic control's donor weights given V, and the augmented synthetic
//! control's, are this problem. Complexity: O(m·n + f³) per step for f free columns.

/// Solves `min ‖A w − b‖²` over the simplex `w ≥ 0, Σ w = 1` exactly (to rounding), by a
/// primal active-set method started at the best single column. `a` is m × n, row-major.
///
/// ```
/// use regis_methods::evaluation::synthetic::simplex_least_squares;
/// // b = 0.3·(1,0) + 0.7·(0,1): the weights come back.
/// let w = simplex_least_squares(&[1.0, 0.0, 0.0, 1.0], 2, 2, &[0.3, 0.7]);
/// assert!((w[0] - 0.3).abs() < 1e-12 && (w[1] - 0.7).abs() < 1e-12);
/// ```
pub fn simplex_least_squares(a: &[f64], m: usize, n: usize, b: &[f64]) -> Vec<f64> {
    let col = |j: usize| (0..m).map(move |i| a[i * n + j]);
    // Start at the best vertex.
    let start = (0..n)
        .min_by(|&x, &y| {
            let dx: f64 = col(x).zip(b).map(|(v, t)| (v - t).powi(2)).sum();
            let dy: f64 = col(y).zip(b).map(|(v, t)| (v - t).powi(2)).sum();
            dx.total_cmp(&dy)
        })
        .unwrap_or(0);
    let mut w = vec![0.0; n];
    w[start] = 1.0;
    active_set(a, m, n, b, w, vec![start], start)
}

/// The primal active-set iterations from a feasible `w` with support `free`.
fn active_set(
    a: &[f64],
    m: usize,
    n: usize,
    b: &[f64],
    mut w: Vec<f64>,
    mut free: Vec<usize>,
    start: usize,
) -> Vec<f64> {
    let col = |j: usize| (0..m).map(move |i| a[i * n + j]);
    let resid = |w: &[f64]| -> Vec<f64> {
        (0..m)
            .map(|i| (0..n).map(|j| a[i * n + j] * w[j]).sum::<f64>() - b[i])
            .collect()
    };
    let scale: f64 = a.iter().map(|v| v * v).sum::<f64>().max(1e-300);
    for _ in 0..(50 * n + 100) {
        // Equality-constrained least squares on the free set: z = e₀ + D y.
        let z = constrained_ls(a, m, n, b, &free);
        if z.iter().all(|v| *v > -1e-14) {
            for (k, &j) in free.iter().enumerate() {
                w[j] = z[k].max(0.0);
            }
            // Optimality: the gradient of every fixed donor is at least the free ones'.
            let r = resid(&w);
            let g: Vec<f64> = (0..n)
                .map(|j| 2.0 * col(j).zip(&r).map(|(v, e)| v * e).sum::<f64>())
                .collect();
            let mu = free.iter().map(|&j| g[j]).sum::<f64>() / free.len() as f64;
            let entering = (0..n)
                .filter(|j| !free.contains(j))
                .map(|j| (j, g[j] - mu))
                .min_by(|x, y| x.1.total_cmp(&y.1));
            match entering {
                Some((j, d)) if d < -1e-12 * scale => free.push(j),
                _ => return w,
            }
        } else {
            // Step towards z until a weight reaches zero; drop it.
            let mut alpha = 1.0f64;
            for (k, &j) in free.iter().enumerate() {
                if z[k] < 0.0 {
                    alpha = alpha.min(w[j] / (w[j] - z[k]));
                }
            }
            for (k, &j) in free.iter().enumerate() {
                w[j] += alpha * (z[k] - w[j]);
            }
            free.retain(|&j| w[j] > 1e-15);
            for (j, x) in w.iter_mut().enumerate() {
                if !free.contains(&j) {
                    *x = 0.0;
                }
            }
            let s: f64 = w.iter().sum();
            for v in &mut w {
                *v /= s;
            }
            if free.is_empty() {
                free.push(start);
                w[start] = 1.0;
            }
        }
    }
    w
}

/// `min ‖A_F z − b‖²` subject to `Σ z = 1`, by elimination of the first free column and a
/// Cholesky solve of the normal equations (a tiny ridge only when they are singular).
fn constrained_ls(a: &[f64], m: usize, n: usize, b: &[f64], free: &[usize]) -> Vec<f64> {
    let f = free.len();
    if f == 1 {
        return vec![1.0];
    }
    let first = free[0];
    // M = A_F D with D = [−1…; I], r = b − A e_first.
    let cols = f - 1;
    let mm: Vec<f64> = (0..m)
        .flat_map(|i| {
            free[1..]
                .iter()
                .map(move |&j| a[i * n + j] - a[i * n + first])
        })
        .collect();
    let r: Vec<f64> = (0..m).map(|i| b[i] - a[i * n + first]).collect();
    let mut g = vec![0.0; cols * cols];
    let mut h = vec![0.0; cols];
    for i in 0..m {
        for p in 0..cols {
            let v = mm[i * cols + p];
            h[p] += v * r[i];
            for q in 0..cols {
                g[p * cols + q] += v * mm[i * cols + q];
            }
        }
    }
    let y = solve_spd(&mut g, &h, cols);
    let mut z = Vec::with_capacity(f);
    z.push(1.0 - y.iter().sum::<f64>());
    z.extend(y);
    z
}

/// Solves `G y = h` for a symmetric positive semi-definite `G`: Cholesky; when a pivot
/// vanishes (columns that depend on earlier ones, as when donors outnumber the rows), those
/// variables are set to zero and the rest solved exactly (a basic solution of the normal
/// equations, still a least-squares minimiser); a small ridge only if that fails too.
fn solve_spd(g: &mut [f64], h: &[f64], n: usize) -> Vec<f64> {
    let trace: f64 = (0..n).map(|i| g[i * n + i]).sum::<f64>().max(1e-300);
    if let Some(y) = solve_dropping_dependent(g, h, n, trace) {
        return y;
    }
    let original = g.to_vec();
    for ridge in [0.0, 1e-12, 1e-9, 1e-6] {
        g.copy_from_slice(&original);
        for i in 0..n {
            g[i * n + i] += ridge * trace;
        }
        let mut l = vec![0.0; n * n];
        let mut ok = true;
        'outer: for i in 0..n {
            for j in 0..=i {
                let s: f64 =
                    g[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
                if i == j {
                    if s <= 1e-13 * trace {
                        ok = false;
                        break 'outer;
                    }
                    l[i * n + i] = s.sqrt();
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        if !ok {
            continue;
        }
        let mut y = vec![0.0; n];
        for i in 0..n {
            y[i] = (h[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>()) / l[i * n + i];
        }
        for i in (0..n).rev() {
            y[i] = (y[i] - (i + 1..n).map(|k| l[k * n + i] * y[k]).sum::<f64>()) / l[i * n + i];
        }
        return y;
    }
    vec![0.0; n]
}

/// Cholesky of `G` that skips the variables whose pivot vanishes (they get 0), then the two
/// triangular solves on the others; `None` if the result is not finite.
fn solve_dropping_dependent(g: &[f64], h: &[f64], n: usize, trace: f64) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    let mut kept = vec![true; n];
    for i in 0..n {
        for j in 0..=i {
            if !kept[j] {
                continue;
            }
            let s: f64 = g[i * n + j]
                - (0..j)
                    .filter(|&k| kept[k])
                    .map(|k| l[i * n + k] * l[j * n + k])
                    .sum::<f64>();
            if i == j {
                if s <= 1e-11 * trace {
                    kept[i] = false;
                } else {
                    l[i * n + i] = s.sqrt();
                }
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in (0..n).filter(|&i| kept[i]) {
        y[i] = (h[i]
            - (0..i)
                .filter(|&k| kept[k])
                .map(|k| l[i * n + k] * y[k])
                .sum::<f64>())
            / l[i * n + i];
    }
    for i in (0..n).rev().filter(|&i| kept[i]) {
        y[i] = (y[i]
            - (i + 1..n)
                .filter(|&k| kept[k])
                .map(|k| l[k * n + i] * y[k])
                .sum::<f64>())
            / l[i * n + i];
    }
    y.iter().all(|v| v.is_finite()).then_some(y)
}
