//! The panel versions: Theil decomposition and Gini for every period of a units × periods
//! array at once (as PySAL's `TheilD` takes it), the rows or periods split over the threads of
//! the budget.

use regis_core::{Diagnostic, Estimate};

use super::decomposition::{theil_from_group_sums, theil_undefined, TheilGroupSums};
use super::indices::lane_sum;
use super::*;
use crate::numerics::{float_from_key, float_key, FloatSorter};

/// A balanced panel of values: `units` rows (regions) × `periods` columns, row-major, the
/// layout of PySAL's `n × T` arrays. Missing cells are NaN; they are left out of their period
/// with a diagnostic, as [`Sample`] does.
#[derive(Debug, Clone, Copy)]
pub struct Panel<'a> {
    values: &'a [f64],
    units: usize,
    periods: usize,
}

impl<'a> Panel<'a> {
    /// A panel over `values` (`units × periods`, row `i` holding unit `i`'s periods).
    pub fn new(values: &'a [f64], units: usize, periods: usize) -> Result<Self, InequalityError> {
        if units.checked_mul(periods) != Some(values.len()) {
            return Err(InequalityError::Shape {
                what: "panel values",
                expected: format!("{units} units × {periods} periods"),
                found: values.len(),
            });
        }
        Ok(Panel {
            values,
            units,
            periods,
        })
    }

    /// Number of units (rows).
    pub fn units(&self) -> usize {
        self.units
    }

    /// Number of periods (columns).
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Unit `i`'s values over the periods.
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.values[i * self.periods..(i + 1) * self.periods]
    }

    /// Period `t`'s values over the units.
    pub fn column(&self, t: usize) -> Vec<f64> {
        (0..self.units)
            .map(|i| self.values[i * self.periods + t])
            .collect()
    }
}

/// Worker threads for a job of `cells` cells over `items` independent pieces: one below 2^16
/// cells (spawning would cost more than it saves), else up to the machine's cores.
fn workers(cells: usize, items: usize) -> usize {
    if cells < 1 << 16 {
        return 1;
    }
    crate::parallel::thread_budget().min(items).max(1)
}

/// Runs `job` on `parts` contiguous ranges of `0..len` on scoped threads; results in order.
fn in_parallel<R: Send>(
    len: usize,
    parts: usize,
    job: impl Fn(std::ops::Range<usize>) -> R + Sync,
) -> Vec<R> {
    let chunk = len.div_ceil(parts.max(1)).max(1);
    if parts <= 1 {
        return vec![job(0..len)];
    }
    // The first range runs on the calling thread, the others on spawned ones.
    std::thread::scope(|scope| {
        let job = &job;
        let handles: Vec<_> = (chunk..len)
            .step_by(chunk)
            .map(|start| scope.spawn(move || job(start..(start + chunk).min(len))))
            .collect();
        let mut out = vec![job(0..chunk.min(len))];
        out.extend(
            handles
                .into_iter()
                .map(|h| h.join().expect("inequality worker panicked")),
        );
        out
    })
}

/// Theil T decomposed by groups for every period of a panel at once: the same figures as
/// [`theil_decomposition`] on each period's column (unweighted), for a fraction of the time.
///
/// Method: one pass over the rows, each row added into per-group, per-period
/// sums by a SIMD kernel ([`crate::kernels::add_clean_row_theil`] for rows with no missing,
/// negative or subnormal cell, [`crate::kernels::add_row_theil`] with masks for the others):
/// the group totals `Y_gt`, counts, and
/// `B_gt = Σ_{i∈g} y_it ln(y_it c_t)` with the vectorised [`crate::kernels::ln`], where `c_t`
/// is 1 / the mean of up to 64 evenly spaced rows (a cheap stand-in for `1/μ_t`, known before
/// the pass). Then `A_gt = Σ_{i∈g} y_it ln(y_it/μ_t) = B_gt − Y_gt ln(μ_t c_t)` exactly, and
/// the decomposition per period needs no further logarithm per unit (see
/// [`theil_decomposition`]). Rows are split across the cores for large panels.
/// `groups[i]` is unit i's group (`0..k`), for every period.
/// Reference: as [`theil_decomposition`]; PySAL's `TheilD(y, partition)` takes the same `n × T`
/// array and returns the same `T` and `bg` per period.
/// Complexity: O(n T) time, O(k T) memory per core.
///
/// ```
/// use regis_methods::inequality::{theil_decomposition, theil_decomposition_panel, Panel, Sample};
/// // Mexico's 32 states, GDP per head 1940 and 1960 (libpysal `mexico`), Hanson's regions.
/// let y1940 = [10384., 22361., 9573., 3758., 2934., 8578., 8537., 6909., 17816., 12132., 4359.,
///     2181., 4414., 5309., 3408., 3327., 6936., 4836., 9073., 1892., 3569., 11016., 21965.,
///     4372., 4840., 6399., 2459., 7508., 3605., 5203., 7990., 3734.];
/// let y1960 = [8714., 17865., 16707., 5925., 5280., 16265., 12318., 6036., 23174., 9323.,
///     8209., 4991., 6399., 9953., 9053., 5244., 10499., 7621., 20117., 4140., 6542., 7110.,
///     9677., 6440., 9613., 12134., 6494., 8383., 4357., 11404., 10067., 5821.];
/// let g = [1, 0, 1, 5, 4, 0, 0, 2, 3, 1, 2, 4, 2, 2, 3, 2, 2, 1, 0, 4, 2, 2, 5, 1, 1, 0, 5, 0,
///     2, 2, 5, 1];
/// let rows: Vec<f64> = (0..32).flat_map(|i| [y1940[i], y1960[i]]).collect();
/// let panel = Panel::new(&rows, 32, 2).unwrap();
/// let d = theil_decomposition_panel(&panel, &g).unwrap();
/// // PySAL TheilD, 1940: between 0.0649837091, within 0.1439597332.
/// assert!((d[0].between - 0.0649837091).abs() < 1e-9 && (d[0].within - 0.1439597332).abs() < 1e-9);
/// let one = theil_decomposition(&Sample::new(&y1960), &g);
/// assert!((d[1].total - one.total).abs() < 1e-14 && (d[1].between - one.between).abs() < 1e-14);
/// ```
pub fn theil_decomposition_panel(
    panel: &Panel,
    groups: &[usize],
) -> Result<Vec<TheilDecomposition>, InequalityError> {
    let (n, t) = (panel.units, panel.periods);
    if groups.len() != n {
        return Err(InequalityError::Shape {
            what: "group labels",
            expected: format!("one per unit ({n})"),
            found: groups.len(),
        });
    }
    let k = groups.iter().copied().max().map_or(0, |m| m + 1);
    // Reference scale per period, 1/(mean of up to 64 evenly spaced rows): the pass sums
    // y ln(y·c_t); the exact A_gt = Σ y ln(y/μ_t) follows as that minus Y_gt ln(μ_t c_t). With
    // c_t near 1/μ_t the correction is small, so no precision is lost to cancellation.
    let stride = n.div_ceil(64).max(1);
    let mut scale = vec![1.0; t];
    for (p, c) in scale.iter_mut().enumerate() {
        let (mut total, mut count) = (0.0, 0.0);
        for i in (0..n).step_by(stride) {
            let y = panel.values[i * t + p];
            if y.is_finite() {
                total += y;
                count += 1.0;
            }
        }
        if total > 0.0 && total.is_finite() {
            *c = count / total;
        }
    }
    // One pass over the rows in storage order (the hardware prefetcher streams the panel):
    // group totals and entropy sums per period. Rows that are finite, not negative and free of
    // subnormal products (the usual case) take the unmasked kernel and count as one unit of
    // their group in every period; the others take the masked kernel, which counts their
    // finite cells and negative cells period by period.
    let parts = workers(n * t, n);
    let partials = in_parallel(n, parts, |span| {
        let mut sum = vec![0.0; k * t];
        let mut count = vec![0.0; k * t];
        let mut entropy = vec![0.0; k * t];
        let mut negative = vec![0.0; t];
        let mut clean_rows = vec![0.0; k];
        let mut scratch = vec![0.0; t];
        for i in span {
            let g = groups[i];
            let cells = g * t..(g + 1) * t;
            let row = panel.row(i);
            if crate::kernels::add_clean_row_theil(
                row,
                &scale,
                &mut sum[cells.clone()],
                &mut entropy[cells.clone()],
                &mut scratch,
            ) {
                clean_rows[g] += 1.0;
            } else {
                let mut sums = crate::kernels::TheilSums {
                    sum: &mut sum[cells.clone()],
                    count: &mut count[cells.clone()],
                    entropy: &mut entropy[cells],
                };
                crate::kernels::add_row_theil(row, &scale, &mut sums, &mut negative);
            }
        }
        for (g, rows) in clean_rows.iter().enumerate() {
            for c in &mut count[g * t..(g + 1) * t] {
                *c += rows;
            }
        }
        (sum, count, entropy, negative)
    });
    let mut sum = vec![0.0; k * t];
    let mut count = vec![0.0; k * t];
    let mut entropy = vec![0.0; k * t];
    let mut negative = vec![0.0; t];
    for (s, c, e, ng) in &partials {
        for (total, part) in [
            (&mut sum, s),
            (&mut count, c),
            (&mut entropy, e),
            (&mut negative, ng),
        ] {
            for (a, b) in total.iter_mut().zip(part) {
                *a += b;
            }
        }
    }
    let mut defined = vec![false; t];
    for p in 0..t {
        let (w, y) = (0..k).fold((0.0, 0.0), |(w, y), g| {
            (w + count[g * t + p], y + sum[g * t + p])
        });
        let mu = y / w;
        defined[p] = w > 0.0 && mu > 0.0 && negative[p] == 0.0;
        if defined[p] {
            let shift = (mu * scale[p]).ln();
            for g in 0..k {
                entropy[g * t + p] -= sum[g * t + p] * shift;
            }
        }
    }
    Ok((0..t)
        .map(|p| {
            let column = |v: &[f64]| (0..k).map(|g| v[g * t + p]).collect::<Vec<f64>>();
            let (w_g, y_g, a_g) = (column(&count), column(&sum), column(&entropy));
            let n_g: Vec<usize> = w_g.iter().map(|&c| c as usize).collect();
            let mut diagnostics = Vec::new();
            let skipped = n - n_g.iter().sum::<usize>();
            if skipped > 0 {
                diagnostics.push(non_finite_skipped(skipped));
            }
            if !defined[p] {
                diagnostics.push(theil_undefined(negative[p] > 0.0));
            }
            theil_from_group_sums(
                &TheilGroupSums {
                    weight: &w_g,
                    value: &y_g,
                    units: &n_g,
                    entropy: &a_g,
                },
                defined[p],
                diagnostics,
            )
        })
        .collect())
}

/// The unweighted Gini coefficient of every period of a panel: the same figures as [`Gini`] on
/// each period's column, for a fraction of the time.
///
/// Method: the periods are split across the cores; each core copies eight columns at a time
/// out of the row-major panel (one cache line per row), drops non-finite cells, sorts each
/// column with [`sort_floats`] (buffers reused) and takes
/// `G = (2 Σ_k k y_(k) − (n+1) Σ y) / (n Σ y)`. Reference: as [`Gini`]; PySAL's `Gini` on each
/// column gives the same numbers.
/// Complexity: O(n T) expected (bucket sort), O(n T log n) worst case; O(n) memory per core.
///
/// ```
/// use regis_methods::inequality::{gini_panel, Panel};
/// let rows = [1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0]; // 4 units × 2 periods
/// let g = gini_panel(&Panel::new(&rows, 4, 2).unwrap());
/// assert!((g[0].value.unwrap() - 0.25).abs() < 1e-15); // Gini of 1, 2, 3, 4
/// assert_eq!(g[1].value, Some(0.0));                    // everyone equal
/// ```
pub fn gini_panel(panel: &Panel) -> Vec<Estimate> {
    const BLOCK: usize = 8;
    let (n, t) = (panel.units, panel.periods);
    let blocks = t.div_ceil(BLOCK);
    let parts = workers(n * t, blocks);
    in_parallel(blocks, parts, |block_range| {
        let mut sorter = FloatSorter::default();
        // Eight columns side by side: row i's cells of the block at block[i*8 .. i*8+8].
        let mut block = vec![0.0; n * BLOCK];
        let mut out = Vec::new();
        for b in block_range {
            let (first, last) = (b * BLOCK, ((b + 1) * BLOCK).min(t));
            let width = last - first;
            if width == BLOCK {
                for (i, cells) in block.chunks_exact_mut(BLOCK).enumerate() {
                    let row: &[f64; BLOCK] = panel.row(i)[first..last].try_into().expect("8 cells");
                    *<&mut [f64; BLOCK]>::try_from(cells).expect("8 cells") = *row;
                }
            } else {
                for (i, cells) in block.chunks_exact_mut(BLOCK).enumerate() {
                    cells[..width].copy_from_slice(&panel.row(i)[first..last]);
                }
            }
            for j in 0..width {
                sorter.keys.clear();
                sorter.keys.extend(
                    block
                        .chunks_exact(BLOCK)
                        .map(|cells| cells[j])
                        .filter(|y| y.is_finite())
                        .map(float_key),
                );
                let total = lane_sum(&sorter.keys, |_, k| float_from_key(k));
                let kept = sorter.keys.len();
                let mut diagnostics = Vec::new();
                if kept < n {
                    diagnostics.push(non_finite_skipped(n - kept));
                }
                let value = if kept == 0 {
                    diagnostics.push(Diagnostic::warning("empty", "no unit with a value"));
                    None
                } else if total <= 0.0 {
                    diagnostics.push(Diagnostic::warning(
                        "non-positive-mean",
                        "the mean is zero or negative: the index is undefined",
                    ));
                    None
                } else {
                    let ranked = lane_sum(sorter.sort_keys(), |k, key| {
                        (k + 1) as f64 * float_from_key(key)
                    });
                    let m = kept as f64;
                    Some((2.0 * ranked - m * total - total) / (m * total))
                };
                out.push(Estimate { value, diagnostics });
            }
        }
        out
    })
    .into_iter()
    .flatten()
    .collect()
}
