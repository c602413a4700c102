//! Synthetic control (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010): the
//! treated unit's counterfactual as a convex combination of donors that reproduces its
//! predictors before treatment.
//!
//! Predictors `X` (k × units) are scaled by their standard deviation across all units, as
//! Synth scales them. Given a diagonal `V ≥ 0`, the donor weights solve
//!
//! `W(V) = argmin_W (X₁ − X₀W)' V (X₁ − X₀W)`  subject to `W ≥ 0, Σ W = 1`,
//!
//! a quadratic programme on the simplex solved exactly by a primal active-set method (each
//! step an equality-constrained least squares on the free donors, Lawson & Hanson 1974). `V`
//! is chosen to minimise the mean squared prediction error of the outcome over the
//! pre-treatment fitting periods, `L(V) = ‖Z₁ − Z₀W(V)‖² / T₀`; that search is not convex, so
//! it runs from several starts (equal weights, each predictor emphasised, seeded random
//! starts) with Nelder-Mead on `v = θ² / Σθ²` (and, from equal weights, on `v = |x| / Σ|x|`,
//! Synth's map), and reports the best fit and the spread of the optima found. Every QP starts
//! cold, so that W is a function of V alone.
//!
//! Inference is by placebos: each donor treated in turn (in space) gives a post/pre RMSPE
//! ratio; the Fisher exact p-value is the treated unit's rank among all ratios.
//!
//! References: Abadie, A. and Gardeazabal, J. (2003), *American Economic Review* 93(1),
//! 113-132, doi:10.1257/000282803321455188; Abadie, A., Diamond, A. and Hainmueller, J. (2010),
//! *Journal of the American Statistical Association* 105(490), 493-505,
//! doi:10.1198/jasa.2009.ap08746. Lawson, C.L. and Hanson, R.J. (1974) *Solving Least Squares
//! Problems*, Prentice-Hall. Assumptions: the donors span the treated unit's untreated path
//! (checked by the pre-treatment fit), no spill-over to donors, no other shock to the treated
//! unit alone (not checkable). Units: weights are shares (0-1); gaps in the outcome's unit.
//! Complexity: W given V, O(J³) per active-set step; the V search, starts × iterations QPs.

pub use super::simplex::simplex_least_squares;
use super::EvaluationError;
use crate::random::Rng;

/// The matrices of a synthetic-control problem.
#[derive(Debug, Clone)]
pub struct SynthData {
    /// Predictors of the treated unit (k).
    pub x1: Vec<f64>,
    /// Predictors of the donors, `x0[p * donors + j]` (k × J).
    pub x0: Vec<f64>,
    /// Outcomes of the treated unit in the fitting periods (T₀).
    pub z1: Vec<f64>,
    /// Outcomes of the donors in the fitting periods, `z0[t * donors + j]` (T₀ × J).
    pub z0: Vec<f64>,
    /// Number of donors J.
    pub donors: usize,
}

impl SynthData {
    /// The problem of `unit` against `donors` in `panel`: predictors scaled as
    /// [`scale_predictors`] scales them, outcomes of the fitting periods.
    pub fn of_unit(panel: &SynthPanel, unit: usize, donors: &[usize]) -> SynthData {
        let n = panel.units;
        let k = panel.predictors.len() / n.max(1);
        let j = donors.len();
        let mut d = SynthData {
            x1: (0..k).map(|p| panel.predictors[p * n + unit]).collect(),
            x0: (0..k)
                .flat_map(|p| donors.iter().map(move |&u| panel.predictors[p * n + u]))
                .collect(),
            z1: panel
                .fit
                .iter()
                .map(|&s| panel.outcome[s * n + unit])
                .collect(),
            z0: panel
                .fit
                .iter()
                .flat_map(|&s| donors.iter().map(move |&u| panel.outcome[s * n + u]))
                .collect(),
            donors: j,
        };
        scale_predictors(&mut d.x1, &mut d.x0, j);
        d
    }

    fn k(&self) -> usize {
        self.x1.len()
    }

    fn check(&self) -> Result<(), EvaluationError> {
        let (k, j) = (self.k(), self.donors);
        if j < 2 || k == 0 {
            return Err(EvaluationError::NothingToCompare(format!(
                "{j} donor(s) and {k} predictor(s): a synthetic control needs 2 donors and a predictor"
            )));
        }
        if self.x0.len() != k * j || self.z0.len() != self.z1.len() * j {
            return Err(EvaluationError::Shape("predictor or outcome matrix".into()));
        }
        if self
            .x1
            .iter()
            .chain(&self.x0)
            .chain(&self.z1)
            .chain(&self.z0)
            .any(|v| !v.is_finite())
        {
            return Err(EvaluationError::Shape(
                "a predictor or a pre-treatment outcome is missing".into(),
            ));
        }
        Ok(())
    }
}

/// Scales each predictor by its standard deviation across the treated unit and the donors
/// (n − 1 in the denominator), as Synth does; a constant predictor is left as it is.
pub fn scale_predictors(x1: &mut [f64], x0: &mut [f64], donors: usize) {
    for p in 0..x1.len() {
        let row: Vec<f64> = std::iter::once(x1[p])
            .chain(x0[p * donors..(p + 1) * donors].iter().copied())
            .collect();
        let n = row.len() as f64;
        let mean = row.iter().sum::<f64>() / n;
        let sd = (row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        if sd > 0.0 {
            x1[p] /= sd;
            for v in &mut x0[p * donors..(p + 1) * donors] {
                *v /= sd;
            }
        }
    }
}

/// Donor weights for a given diagonal `v` (k, not negative), and the predictor loss
/// `(X₁ − X₀W)' V (X₁ − X₀W)`.
pub fn weights_given_v(d: &SynthData, v: &[f64]) -> (Vec<f64>, f64) {
    let (k, j) = (d.k(), d.donors);
    let sq: Vec<f64> = v.iter().map(|x| x.max(0.0).sqrt()).collect();
    let a: Vec<f64> = (0..k)
        .flat_map(|p| {
            let s = sq[p];
            d.x0[p * j..(p + 1) * j].iter().map(move |x| x * s)
        })
        .collect();
    let b: Vec<f64> = (0..k).map(|p| d.x1[p] * sq[p]).collect();
    let w = simplex_least_squares(&a, k, j, &b);
    let loss = predictor_loss(d, v, &w);
    (w, loss)
}

/// The predictor loss `(X₁ − X₀W)' V (X₁ − X₀W)` of any weights `w` (the QP's objective;
/// a `w` whose loss exceeds [`weights_given_v`]'s is not a synthetic control for `v`).
pub fn predictor_loss(d: &SynthData, v: &[f64], w: &[f64]) -> f64 {
    let (k, j) = (d.k(), d.donors);
    (0..k)
        .map(|p| {
            let e = d.x1[p] - (0..j).map(|c| d.x0[p * j + c] * w[c]).sum::<f64>();
            v[p].max(0.0) * e * e
        })
        .sum()
}

/// Mean squared prediction error of the outcome over the fitting periods.
pub fn outcome_loss(d: &SynthData, w: &[f64]) -> f64 {
    let j = d.donors;
    let t0 = d.z1.len();
    (0..t0)
        .map(|t| {
            let s: f64 = (0..j).map(|c| d.z0[t * j + c] * w[c]).sum();
            (d.z1[t] - s).powi(2)
        })
        .sum::<f64>()
        / t0.max(1) as f64
}

/// One solution of the V search.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthFit {
    /// Predictor importance (diagonal of V, summing to 1).
    pub v: Vec<f64>,
    /// Donor weights (on the simplex).
    pub w: Vec<f64>,
    /// Predictor loss at W.
    pub loss_w: f64,
    /// Pre-treatment MSPE of the outcome.
    pub loss_v: f64,
}

/// The result of the V search: the best fit and every start's optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthResult {
    /// The best fit found.
    pub best: SynthFit,
    /// The optimum each start reached (the spread shows the problem's non-convexity).
    pub starts: Vec<SynthFit>,
}

/// The free coordinates a Nelder-Mead run moves, and how they map to V on the simplex. The
/// two maps give the search different paths over the same non-convex surface, and either one
/// finds optima the other misses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coordinates {
    /// `v = θ² / Σθ²`.
    Squared,
    /// `v = |x| / Σ|x|` (the map of Synth and pysyncon).
    Absolute,
}

impl Coordinates {
    fn v(self, x: &[f64]) -> Vec<f64> {
        let f = |t: f64| match self {
            Coordinates::Squared => t * t,
            Coordinates::Absolute => t.abs(),
        };
        let s: f64 = x.iter().map(|&t| f(t)).sum::<f64>().max(1e-300);
        x.iter().map(|&t| f(t) / s).collect()
    }

    /// Coordinates of `v` (a point on the simplex).
    fn of(self, v: &[f64]) -> Vec<f64> {
        match self {
            Coordinates::Squared => v.iter().map(|x| x.sqrt()).collect(),
            Coordinates::Absolute => v.to_vec(),
        }
    }
}

/// The fit at coordinates `x`. Every QP starts cold, from the best vertex, so that W is a
/// function of V alone: where V leaves the optimum ill-conditioned (some predictors weighted
/// almost nothing), a QP started from a nearby solution's support stops at a different
/// near-optimal W, and the search then chases noise (on Prop 99's Indiana placebo, MSPE 17.4
/// instead of 14.2).
fn fit_at(d: &SynthData, map: Coordinates, x: &[f64]) -> SynthFit {
    let v = map.v(x);
    let (w, loss_w) = weights_given_v(d, &v);
    let loss_v = outcome_loss(d, &w);
    SynthFit {
        v,
        w,
        loss_w,
        loss_v,
    }
}

/// Nelder-Mead from `start`, restarted from its best point with a fresh simplex while that
/// still improves the fit (at most three times): a simplex that collapsed early on a ridge of
/// this non-smooth loss gets another chance.
fn nelder_mead(d: &SynthData, map: Coordinates, start: &[f64], iterations: usize) -> SynthFit {
    let mut best = nelder_mead_once(d, map, start, iterations);
    for _ in 0..3 {
        let again = nelder_mead_once(d, map, &map.of(&best.v), iterations);
        if again.loss_v < best.loss_v * (1.0 - 1e-9) {
            best = again;
        } else {
            break;
        }
    }
    best
}

/// Nelder-Mead on the coordinates `map` from `start`: standard coefficients (1, 2, ½, ½),
/// the first simplex 5% off `start` along each axis.
fn nelder_mead_once(d: &SynthData, map: Coordinates, start: &[f64], iterations: usize) -> SynthFit {
    let k = start.len();
    let f = |x: &[f64]| fit_at(d, map, x).loss_v;
    let mut simplex: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..k {
        let mut x = start.to_vec();
        x[i] = if x[i].abs() > 1e-8 {
            x[i] * 1.05
        } else {
            0.00025
        };
        simplex.push(x);
    }
    let mut values: Vec<f64> = simplex.iter().map(|x| f(x)).collect();
    for _ in 0..iterations {
        let mut order: Vec<usize> = (0..=k).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        // Converged: the values agree to 1e-10 (relative), or to 1e-8 with the simplex shrunk
        // to 1e-6 of its scale (further steps move the MSPE by less than its fourth decimal;
        // on Prop 99, tighter limits took twice the time for the same optima).
        let spread = (values[k] - values[0]).abs();
        let size = (1..=k)
            .flat_map(|i| (0..k).map(move |c| (i, c)))
            .map(|(i, c)| (simplex[i][c] - simplex[0][c]).abs())
            .fold(0.0, f64::max);
        let scale = simplex[0].iter().map(|x| x.abs()).fold(1e-12, f64::max);
        if spread <= 1e-10 * (1.0 + values[0].abs())
            || (spread <= 1e-8 * (1.0 + values[0].abs()) && size <= 1e-6 * scale)
        {
            break;
        }
        let centroid: Vec<f64> = (0..k)
            .map(|c| simplex[..k].iter().map(|x| x[c]).sum::<f64>() / k as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            (0..k)
                .map(|c| centroid[c] + t * (simplex[k][c] - centroid[c]))
                .collect()
        };
        let xr = towards(-1.0);
        let fr = f(&xr);
        if fr < values[0] {
            let xe = towards(-2.0);
            let fe = f(&xe);
            if fe < fr {
                simplex[k] = xe;
                values[k] = fe;
            } else {
                simplex[k] = xr;
                values[k] = fr;
            }
        } else if fr < values[k - 1] {
            simplex[k] = xr;
            values[k] = fr;
        } else {
            let xc = if fr < values[k] {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = f(&xc);
            if fc < values[k].min(fr) {
                simplex[k] = xc;
                values[k] = fc;
            } else {
                for i in 1..=k {
                    simplex[i] = (0..k)
                        .map(|c| simplex[0][c] + 0.5 * (simplex[i][c] - simplex[0][c]))
                        .collect();
                    values[i] = f(&simplex[i]);
                }
            }
        }
    }
    let best = (0..=k)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    fit_at(d, map, &simplex[best])
}

/// Searches V from several starts: equal weights, each predictor emphasised, and `random`
/// seeded starts; the best fit is the lowest pre-treatment MSPE.
///
/// ```
/// use regis_methods::evaluation::synthetic::{search_v, SynthData};
/// // The treated unit is exactly 0.25·donor 1 + 0.75·donor 2 in predictors and outcomes.
/// let d = SynthData {
///     x1: vec![1.75, 2.75], x0: vec![1.0, 2.0, 4.0, 2.0, 3.0, 0.0], donors: 3,
///     z1: vec![1.75, 3.5], z0: vec![1.0, 2.0, 9.0, 2.0, 4.0, 0.0],
/// };
/// let r = search_v(&d, 2, 7).unwrap();
/// assert!((r.best.w[0] - 0.25).abs() < 1e-9 && (r.best.w[1] - 0.75).abs() < 1e-9);
/// ```
pub fn search_v(d: &SynthData, random: usize, seed: u64) -> Result<SynthResult, EvaluationError> {
    d.check()?;
    let k = d.k();
    // Starts as points of the simplex, each searched in the coordinates given.
    let equal = vec![1.0 / k as f64; k];
    let mut starts: Vec<(Coordinates, Vec<f64>)> = vec![
        (Coordinates::Squared, equal.clone()),
        (Coordinates::Absolute, equal),
    ];
    if k > 1 {
        for i in 0..k {
            let mut v = vec![0.5 / (k - 1) as f64; k];
            v[i] = 0.5;
            starts.push((Coordinates::Squared, v));
        }
    }
    let mut rng = Rng::seeded(seed);
    for _ in 0..random {
        let x: Vec<f64> = (0..k).map(|_| rng.uniform() + 0.01).collect();
        starts.push((Coordinates::Squared, Coordinates::Squared.v(&x)));
    }
    let starts: Vec<(Coordinates, Vec<f64>)> =
        starts.into_iter().map(|(m, v)| (m, m.of(&v))).collect();
    let iterations = 400 * k.max(2);
    let run = |(map, x): &(Coordinates, Vec<f64>)| nelder_mead(d, *map, x, iterations);
    // The starts split over the thread budget (each is independent: the result does not
    // depend on the thread count).
    let threads = crate::parallel::thread_budget().clamp(1, starts.len());
    let chunk = starts.len().div_ceil(threads);
    let fits: Vec<SynthFit> = if threads <= 1 {
        starts.iter().map(run).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = starts
                .chunks(chunk)
                .skip(1)
                .map(|part| {
                    let run = &run;
                    scope.spawn(move || part.iter().map(run).collect::<Vec<_>>())
                })
                .collect();
            let mut out: Vec<SynthFit> =
                starts[..chunk.min(starts.len())].iter().map(run).collect();
            for h in handles {
                out.extend(h.join().expect("V search worker panicked"));
            }
            out
        })
    };
    let best = fits
        .iter()
        .min_by(|a, b| a.loss_v.total_cmp(&b.loss_v))
        .cloned()
        .expect("at least one start");
    Ok(SynthResult { best, starts: fits })
}

/// A panel for a synthetic-control study: every unit's predictors and outcome path.
#[derive(Debug, Clone, Copy)]
pub struct SynthPanel<'a> {
    /// Predictors, `predictors[p * units + u]` (k × N, unscaled).
    pub predictors: &'a [f64],
    /// Outcomes, `outcome[t * units + u]` (T × N).
    pub outcome: &'a [f64],
    /// Number of units N.
    pub units: usize,
    /// Periods (indices into the outcome's rows) whose outcomes V is fitted on.
    pub fit: &'a [usize],
    /// Periods before treatment (pre-period RMSPE).
    pub pre: &'a [usize],
    /// Periods after treatment (the effect, post-period RMSPE).
    pub post: &'a [usize],
}

/// One unit's synthetic control.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthUnit {
    /// The unit treated (an index into the panel's units).
    pub unit: usize,
    /// The donors (indices into the panel's units), in the order of `fit.w`.
    pub donors: Vec<usize>,
    /// The best fit of the V search.
    pub fit: SynthFit,
    /// Every start's optimum.
    pub starts: Vec<SynthFit>,
    /// Actual minus synthetic, every period.
    pub gaps: Vec<f64>,
    /// Root mean squared gap before treatment.
    pub pre_rmspe: f64,
    /// After treatment.
    pub post_rmspe: f64,
    /// Mean gap after treatment (the effect on the treated).
    pub att: f64,
}

/// The study: the treated unit's synthetic control and, with placebos, every donor's.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthStudy {
    /// The treated unit.
    pub treated: SynthUnit,
    /// Each donor treated in turn (in-space placebos), the real treated unit left out.
    pub placebos: Vec<SynthUnit>,
    /// Fisher exact p-value: the share of units (treated and placebos) whose post/pre RMSPE
    /// ratio is at least the treated unit's.
    pub p_value: Option<f64>,
}

/// Fits the synthetic control of `unit` from `donors`.
pub fn synth_unit(
    panel: &SynthPanel,
    unit: usize,
    donors: &[usize],
    random_starts: usize,
    seed: u64,
) -> Result<SynthUnit, EvaluationError> {
    let n = panel.units;
    let t = panel.outcome.len() / n.max(1);
    let d = SynthData::of_unit(panel, unit, donors);
    let r = search_v(&d, random_starts, seed)?;
    let gaps: Vec<f64> = (0..t)
        .map(|s| {
            panel.outcome[s * n + unit]
                - donors
                    .iter()
                    .zip(&r.best.w)
                    .map(|(&u, w)| w * panel.outcome[s * n + u])
                    .sum::<f64>()
        })
        .collect();
    let rms = |set: &[usize]| {
        (set.iter().map(|&s| gaps[s].powi(2)).sum::<f64>() / set.len().max(1) as f64).sqrt()
    };
    let att = panel.post.iter().map(|&s| gaps[s]).sum::<f64>() / panel.post.len().max(1) as f64;
    Ok(SynthUnit {
        unit,
        donors: donors.to_vec(),
        pre_rmspe: rms(panel.pre),
        post_rmspe: rms(panel.post),
        att,
        gaps,
        fit: r.best,
        starts: r.starts,
    })
}

/// The synthetic control of `treated` from every other unit, with in-space placebos when
/// `placebos` (each donor treated in turn against the other donors, `placebo_starts` random
/// starts each) and their Fisher exact p-value.
///
/// ```
/// use regis_methods::evaluation::synthetic::{synthetic_control, SynthPanel};
/// // Unit 0 is half unit 1 and half unit 2 before treatment, then gains 3.
/// let outcome = [2.0, 1.0, 3.0, 5.0, 3.0, 2.0, 4.0, 7.0, 7.0, 3.0, 5.0, 1.0];
/// let predictors = [2.0, 1.0, 3.0, 9.0, 3.0, 2.0, 4.0, 7.0];
/// let p = SynthPanel { predictors: &predictors, outcome: &outcome, units: 4, fit: &[0, 1], pre: &[0, 1], post: &[2] };
/// let s = synthetic_control(&p, 0, false, 0, 1).unwrap();
/// assert!((s.treated.att - 3.0).abs() < 1e-6);
/// ```
pub fn synthetic_control(
    panel: &SynthPanel,
    treated: usize,
    placebos: bool,
    placebo_starts: usize,
    seed: u64,
) -> Result<SynthStudy, EvaluationError> {
    if panel.units < 3 || treated >= panel.units {
        return Err(EvaluationError::Shape(format!(
            "{} unit(s), treated {treated}: a synthetic control needs the treated unit and 2 donors",
            panel.units
        )));
    }
    let donors: Vec<usize> = (0..panel.units).filter(|u| *u != treated).collect();
    let main = synth_unit(panel, treated, &donors, 12, seed)?;
    let mut runs = Vec::new();
    if placebos {
        // Each donor treated in turn, the placebos split over the thread budget (each is
        // independent and seeded alike, so the result does not depend on the thread count).
        // One thread each: the placebos are the parallel work, not their starts.
        let placebo = |u: usize| {
            let others: Vec<usize> = donors.iter().copied().filter(|x| *x != u).collect();
            crate::parallel::with_thread_budget(1, || {
                synth_unit(panel, u, &others, placebo_starts, seed)
            })
        };
        let threads = crate::parallel::thread_budget().clamp(1, donors.len().max(1));
        let chunk = donors.len().div_ceil(threads).max(1);
        let done: Vec<Result<SynthUnit, EvaluationError>> = std::thread::scope(|scope| {
            let placebo = &placebo;
            let handles: Vec<_> = donors
                .chunks(chunk)
                .skip(1)
                .map(|part| {
                    scope.spawn(move || part.iter().map(|&u| placebo(u)).collect::<Vec<_>>())
                })
                .collect();
            let mut out: Vec<_> = donors
                .chunks(chunk)
                .next()
                .unwrap_or(&[])
                .iter()
                .map(|&u| placebo(u))
                .collect();
            for h in handles {
                out.extend(h.join().expect("placebo worker panicked"));
            }
            out
        });
        for r in done {
            runs.push(r?);
        }
    }
    let ratio = |s: &SynthUnit| s.post_rmspe / s.pre_rmspe.max(1e-300);
    let p_value = placebos.then(|| {
        let mine = ratio(&main);
        let at_least = runs.iter().filter(|s| ratio(s) >= mine).count() + 1;
        at_least as f64 / (runs.len() + 1) as f64
    });
    Ok(SynthStudy {
        treated: main,
        placebos: runs,
        p_value,
    })
}

/// Leave-one-out donors: the treated unit's synthetic control refitted without each donor that
/// has a weight above 0.1% in `fit`, one at a time (how much the effect rests on one donor).
pub fn leave_one_out(
    panel: &SynthPanel,
    fit: &SynthUnit,
    random_starts: usize,
    seed: u64,
) -> Result<Vec<(usize, SynthUnit)>, EvaluationError> {
    let mut out = Vec::new();
    for (k, &d) in fit.donors.iter().enumerate() {
        if fit.fit.w[k] <= 1e-3 || fit.donors.len() < 3 {
            continue;
        }
        let others: Vec<usize> = fit.donors.iter().copied().filter(|x| *x != d).collect();
        out.push((
            d,
            synth_unit(panel, fit.unit, &others, random_starts, seed)?,
        ));
    }
    Ok(out)
}
