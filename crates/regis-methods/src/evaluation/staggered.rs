//! Difference-in-differences with staggered adoption: Callaway & Sant'Anna's group-time average
//! treatment effects ATT(g,t), without or with covariates, on a balanced panel.
//!
//! For the cohort first treated in period `g` and a period `t`, with base period `b` (`g-1-δ`
//! after treatment, `δ` the anticipation; before it `t-1` with a varying base, `g-1-δ` with a
//! universal one):
//!
//! `ATT(g,t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | C]`,
//!
//! `C` the never-treated units, or the units not yet treated by `max(t, b) + δ` (cohort `g`
//! excluded). Each unit's influence function is
//! `ψ_i = n (D_i/n_D (ΔY_i − ΔȲ_D) − C_i/n_C (ΔY_i − ΔȲ_C))`, and the analytic standard error
//! `sqrt(Σ_i ψ_i²) / n`.
//!
//! Aggregations weight each ATT(g,t) by the cohort's share of units `p_g` and add the
//! influence of estimating those weights (as R `did`'s `aggte` does): simple (every
//! post-treatment cell), dynamic (by event time `e = t − g`; the overall is the mean over
//! `e ≥ 0`), group (each cohort's mean over its post periods, then weighted by `p_g`) and
//! calendar (by period, then the mean over periods).
//!
//! Reference: Callaway, B. and Sant'Anna, P.H.C. (2021) "Difference-in-Differences with
//! multiple time periods", *Journal of Econometrics* 225(2), 200-230,
//! doi:10.1016/j.jeconom.2020.12.001. With covariates each ATT(g,t) is the doubly robust,
//! inverse probability weighting or outcome regression 2×2 of Sant'Anna & Zhao (2020,
//! doi:10.1016/j.jeconom.2020.06.003; [`super::doubly_robust`]) on the cohort and its
//! controls, the covariates as measured in the earlier of the two periods; without covariates
//! all three reduce to the difference of mean changes above.
//! Assumptions: parallel trends (checked by the pre-treatment ATT(g,t), which should be near
//! zero), no anticipation beyond `δ`, irreversible treatment, a balanced panel (units with a
//! missing period are left out and counted). Units in `[0, ∞)` of the outcome's own unit.
//! Complexity: O(G · T · N) time over the thread budget (cells in parallel), O(G · T · N)
//! memory for the influence functions.

use super::doubly_robust::{panel_two_by_two, CovariateEstimator};
use super::EvaluationError;

/// A balanced panel: `outcome[u * periods.len() + p]` for unit `u` and period `p` (`NaN`:
/// missing), and each unit's first treated period (`None`: never treated).
#[derive(Debug, Clone, Copy)]
pub struct StaggeredPanel<'a> {
    /// Outcomes, unit-major.
    pub outcome: &'a [f64],
    /// The periods, increasing.
    pub periods: &'a [i32],
    /// First treated period of each unit.
    pub first_treated: &'a [Option<i32>],
    /// Covariates, if the comparison adjusts for them.
    pub covariates: Option<Covariates<'a>>,
}

/// Covariates by unit and period: `values[(u * periods + p) * count + j]` for covariate `j`
/// (`NaN`: missing). Each ATT(g,t) uses them as measured in the earlier of its two periods.
#[derive(Debug, Clone, Copy)]
pub struct Covariates<'a> {
    /// The values, unit-major then period then covariate.
    pub values: &'a [f64],
    /// Covariates per unit and period.
    pub count: usize,
}

/// Who the treated cohort is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ControlGroup {
    /// Units never treated in the panel.
    #[default]
    NeverTreated,
    /// Units never treated or not yet treated by the later of the two periods compared.
    NotYetTreated,
}

/// Which period a pre-treatment ATT(g,t) is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BasePeriod {
    /// The period before `t` (short differences before treatment).
    #[default]
    Varying,
    /// Always `g − 1 − δ`, the last period before treatment.
    Universal,
}

/// Options of the estimator.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsOptions {
    /// Control group.
    pub control: ControlGroup,
    /// Base period of pre-treatment cells.
    pub base: BasePeriod,
    /// Periods of anticipation δ (0: none).
    pub anticipation: i32,
    /// How covariates are adjusted for (ignored without covariates).
    pub estimator: CovariateEstimator,
}

/// One group-time average treatment effect.
#[derive(Debug, Clone, PartialEq)]
pub struct AttGt {
    /// The cohort: its first treated period.
    pub group: i32,
    /// The period.
    pub period: i32,
    /// ATT(g,t) in the outcome's unit.
    pub att: f64,
    /// Analytic standard error.
    pub std_error: f64,
    /// Whether `t ≥ g − δ` (an effect rather than a pre-trend check).
    pub post: bool,
    /// Treated units compared.
    pub treated: usize,
    /// Control units compared.
    pub controls: usize,
}

/// The ATT(g,t) with what the aggregations need.
#[derive(Debug, Clone, PartialEq)]
pub struct CsResult {
    /// Every ATT(g,t) computed, by cohort then period.
    pub att_gt: Vec<AttGt>,
    /// Units used (balanced, not treated before the second period).
    pub units: usize,
    /// Each unit's first treated period (of the units used).
    pub first_treated: Vec<Option<i32>>,
    /// Influence functions, `influence[k * units + i]` for cell `k` and unit `i`.
    pub influence: Vec<f64>,
    /// Units left out: a missing period, or treated in the first period.
    pub dropped_unbalanced: usize,
    /// Units treated in or before the first period (no pre-period to compare with).
    pub dropped_always_treated: usize,
    /// Units left out for a missing covariate.
    pub dropped_missing_covariates: usize,
    /// Cells that could not be estimated: (group, period, why).
    pub skipped: Vec<(i32, i32, String)>,
}

/// Estimates every ATT(g,t) of a staggered adoption panel.
///
/// ```
/// use regis_methods::evaluation::{callaway_santanna, CsOptions, StaggeredPanel};
/// // Two never-treated units and two treated in period 2: the treated gain 1.5 more.
/// let y = [1.0, 2.0, 1.0, 1.5, 2.0, 4.5, 3.0, 4.5];
/// let r = callaway_santanna(
///     &StaggeredPanel {
///         outcome: &y,
///         periods: &[1, 2],
///         first_treated: &[None, None, Some(2), Some(2)],
///         covariates: None,
///     },
///     &CsOptions::default(),
/// )
/// .unwrap();
/// assert!((r.att_gt[0].att - (2.0 - 0.75)).abs() < 1e-12);
/// ```
pub fn callaway_santanna(
    panel: &StaggeredPanel,
    options: &CsOptions,
) -> Result<CsResult, EvaluationError> {
    let nt = panel.periods.len();
    if nt < 2 || panel.outcome.len() != panel.first_treated.len() * nt {
        return Err(EvaluationError::Shape(format!(
            "{} outcomes for {} units x {} periods (at least 2 periods)",
            panel.outcome.len(),
            panel.first_treated.len(),
            nt
        )));
    }
    if panel.periods.windows(2).any(|w| w[0] >= w[1]) {
        return Err(EvaluationError::Shape("periods must increase".into()));
    }
    if !(0..=1000).contains(&options.anticipation) {
        return Err(EvaluationError::Shape(format!(
            "anticipation {}: expected 0 to 1000 periods",
            options.anticipation
        )));
    }
    let k = panel.covariates.map_or(0, |c| c.count);
    if let Some(c) = panel.covariates {
        if c.values.len() != panel.outcome.len() * c.count {
            return Err(EvaluationError::Shape(format!(
                "{} covariate values for {} unit-periods x {} covariate(s)",
                c.values.len(),
                panel.outcome.len(),
                c.count
            )));
        }
    }
    let covariate = |u: usize, p: usize| match panel.covariates {
        Some(c) => &c.values[(u * nt + p) * k..(u * nt + p + 1) * k],
        None => &[][..],
    };
    let first = panel.periods[0];
    let (mut rows, mut groups_of) = (Vec::new(), Vec::new());
    let (mut unbalanced, mut always, mut no_covariates) = (0, 0, 0);
    for (u, g) in panel.first_treated.iter().enumerate() {
        let y = &panel.outcome[u * nt..(u + 1) * nt];
        if y.iter().any(|v| !v.is_finite()) {
            unbalanced += 1;
            continue;
        }
        if (0..nt).any(|p| covariate(u, p).iter().any(|v| !v.is_finite())) {
            no_covariates += 1;
            continue;
        }
        // Treated in the first period (after anticipation): no untreated period to compare.
        if g.is_some_and(|g| g - options.anticipation <= first) {
            always += 1;
            continue;
        }
        rows.push(u);
        groups_of.push(*g);
    }
    let n = rows.len();
    // The units used, their outcomes by period (one contiguous column per period, so that a
    // cell reads two columns), and each one's cohort as a number (i32::MAX: never treated
    // within the panel).
    let mut by_period = vec![0.0; n * nt];
    for (i, &u) in rows.iter().enumerate() {
        for (p, v) in panel.outcome[u * nt..(u + 1) * nt].iter().enumerate() {
            by_period[p * n + i] = *v;
        }
    }
    let column = |p: usize| &by_period[p * n..(p + 1) * n];
    let last_period = panel.periods[nt - 1];
    let code: Vec<i32> = groups_of
        .iter()
        .map(|g| match g {
            Some(g) if *g <= last_period => *g,
            _ => i32::MAX,
        })
        .collect();
    let y = |i: usize, p: usize| by_period[p * n + i];
    let index = |t: i32| panel.periods.iter().position(|p| *p == t);
    let mut cohorts: Vec<i32> = groups_of.iter().flatten().copied().collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    // Cohorts treated after the last period are never treated within the panel.
    cohorts.retain(|g| *g <= panel.periods[nt - 1]);
    let never = |g: &Option<i32>| g.is_none_or(|g| g > panel.periods[nt - 1]);
    // Each unit's cohort as an index into `cohorts` (`nc`: never treated within the panel),
    // each cohort's size and its outcome sums by period (compensated summation), so that a
    // cell's means cost nothing per unit.
    let nc = cohorts.len();
    let cohort_of: Vec<usize> = code
        .iter()
        .map(|c| cohorts.binary_search(c).unwrap_or(nc))
        .collect();
    let mut size = vec![0usize; nc + 1];
    for &k in &cohort_of {
        size[k] += 1;
    }
    let mut sums = vec![0.0; (nc + 1) * nt];
    let mut compensation = vec![0.0; (nc + 1) * nt];
    for p in 0..nt {
        for (&k, &v) in cohort_of.iter().zip(column(p)) {
            let (s, c) = (&mut sums[k * nt + p], &mut compensation[k * nt + p]);
            let t = *s + v;
            *c += if s.abs() >= v.abs() {
                (*s - t) + v
            } else {
                (v - t) + *s
            };
            *s = t;
        }
    }
    for (s, c) in sums.iter_mut().zip(&compensation) {
        *s += c;
    }
    if cohorts.is_empty() {
        return Err(EvaluationError::NothingToCompare(
            "no unit is treated after the first period".into(),
        ));
    }
    // The cells: cohort g, period t (index ti), base period index bi, post, the later period.
    let mut specs: Vec<(i32, i32, usize, usize, bool, i32)> = Vec::new();
    for &g in &cohorts {
        for (ti, &t) in panel.periods.iter().enumerate() {
            let post = t >= g - options.anticipation;
            let base = if post || options.base == BasePeriod::Universal {
                g - 1 - options.anticipation
            } else {
                if ti == 0 {
                    continue;
                }
                panel.periods[ti - 1]
            };
            if base == t {
                continue; // the universal reference period itself
            }
            let Some(bi) = index(base) else { continue };
            specs.push((g, t, ti, bi, post, t.max(base) + options.anticipation));
        }
    }
    // One cell: its ATT(g,t), its influence over every unit written into `psi`, or why it
    // cannot be estimated.
    type Cell = Result<AttGt, (i32, i32, String)>;
    let cell = |&(g, t, ti, bi, post, later): &(i32, i32, usize, usize, bool, i32),
                psi: &mut [f64]|
     -> Cell {
        let is_control = |gi: &Option<i32>| match options.control {
            ControlGroup::NeverTreated => never(gi),
            ControlGroup::NotYetTreated => never(gi) || gi.is_some_and(|x| x > later && x != g),
        };
        if k > 0 {
            // Sant'Anna & Zhao's 2x2 on the cohort and its controls, the covariates taken
            // in the earlier of the two periods.
            let members: Vec<usize> = (0..n)
                .filter(|&i| groups_of[i] == Some(g) || is_control(&groups_of[i]))
                .collect();
            let dy: Vec<f64> = members.iter().map(|&i| y(i, ti) - y(i, bi)).collect();
            let d: Vec<bool> = members.iter().map(|&i| groups_of[i] == Some(g)).collect();
            let x: Vec<f64> = members
                .iter()
                .flat_map(|&i| covariate(rows[i], ti.min(bi)).iter().copied())
                .collect();
            let fit = panel_two_by_two(&dy, &d, &x, k, options.estimator)
                .map_err(|e| (g, t, e.to_string()))?;
            let scale = n as f64 / members.len() as f64;
            psi.fill(0.0);
            for (m, &i) in members.iter().enumerate() {
                psi[i] = scale * fit.influence[m];
            }
            let ss: f64 = psi.iter().map(|v| v * v).sum();
            let n_d = d.iter().filter(|x| **x).count();
            return Ok(AttGt {
                group: g,
                period: t,
                att: fit.att,
                std_error: ss.sqrt() / n as f64,
                post,
                treated: n_d,
                controls: members.len() - n_d,
            });
        }
        // The means from the cohorts' sums, then one pass over the units for the influence.
        let not_yet = options.control == ControlGroup::NotYetTreated;
        let gi = cohorts.binary_search(&g).unwrap_or(nc);
        let is_control = |k: usize| k != gi && (k == nc || (not_yet && cohorts[k] > later));
        let change_sum = |k: usize| sums[k * nt + ti] - sums[k * nt + bi];
        let n_d = size[gi];
        let n_c: usize = (0..=nc).filter(|&k| is_control(k)).map(|k| size[k]).sum();
        if n_d == 0 || n_c == 0 {
            return Err((g, t, format!("{n_d} treated and {n_c} control unit(s)")));
        }
        let mean_d = change_sum(gi) / n_d as f64;
        let mean_c = (0..=nc)
            .filter(|&k| is_control(k))
            .map(change_sum)
            .sum::<f64>()
            / n_c as f64;
        let nf = n as f64;
        // A unit's factors by cohort: n/n_d for the treated, n/n_c for the controls, else 0
        // (no branch per unit: cohorts are mixed at random across units).
        let factor: Vec<(f64, f64)> = (0..=nc)
            .map(|k| {
                (
                    if k == gi { nf / n_d as f64 } else { 0.0 },
                    if is_control(k) { nf / n_c as f64 } else { 0.0 },
                )
            })
            .collect();
        let (later_y, base_y) = (column(ti), column(bi));
        let value = |i: usize| {
            let (fd, fc) = factor[cohort_of[i]];
            let change = later_y[i] - base_y[i];
            fd * (change - mean_d) - fc * (change - mean_c)
        };
        // Four running sums of squares, so that the additions do not wait on each other.
        let mut lanes = [0.0f64; 4];
        let whole = n - n % 4;
        for i in (0..whole).step_by(4) {
            for (l, lane) in lanes.iter_mut().enumerate() {
                let v = value(i + l);
                psi[i + l] = v;
                *lane += v * v;
            }
        }
        for (i, slot) in psi.iter_mut().enumerate().skip(whole) {
            let v = value(i);
            *slot = v;
            lanes[0] += v * v;
        }
        let ss: f64 = lanes.iter().sum();
        Ok(AttGt {
            group: g,
            period: t,
            att: mean_d - mean_c,
            std_error: ss.sqrt() / nf,
            post,
            treated: n_d,
            controls: n_c,
        })
    };
    // The cells split over the thread budget, kept in order, each writing its influence
    // into its own slice of one matrix (cells by units).
    let mut influence = vec![0.0; specs.len() * n];
    let threads = crate::parallel::thread_budget().clamp(1, specs.len().max(1));
    let chunk = specs.len().div_ceil(threads).max(1);
    let run = |part: &[(i32, i32, usize, usize, bool, i32)], slots: &mut [f64]| -> Vec<Cell> {
        part.iter()
            .zip(slots.chunks_mut(n.max(1)))
            .map(|(spec, psi)| cell(spec, psi))
            .collect()
    };
    let done: Vec<Cell> = if threads <= 1 || n == 0 {
        run(&specs, &mut influence)
    } else {
        std::thread::scope(|scope| {
            let run = &run;
            let mut parts = specs.chunks(chunk).zip(influence.chunks_mut(chunk * n));
            let first = parts.next();
            let handles: Vec<_> = parts
                .map(|(part, slots)| scope.spawn(move || run(part, slots)))
                .collect();
            let mut out = first.map_or_else(Vec::new, |(part, slots)| run(part, slots));
            for h in handles {
                out.extend(h.join().expect("ATT(g,t) worker panicked"));
            }
            out
        })
    };
    let mut cells = Vec::new();
    let mut skipped = Vec::new();
    let mut kept = 0;
    for (k, d) in done.into_iter().enumerate() {
        match d {
            Ok(c) => {
                if kept != k {
                    influence.copy_within(k * n..(k + 1) * n, kept * n);
                }
                kept += 1;
                cells.push(c);
            }
            Err(why) => skipped.push(why),
        }
    }
    influence.truncate(kept * n);
    if cells.is_empty() {
        let why = match skipped.first() {
            Some((g, t, why)) => format!(
                "no ATT(g,t) can be estimated; ATT({g},{t}): {why}{}",
                if skipped.len() > 1 {
                    format!(" (and {} more cells)", skipped.len() - 1)
                } else {
                    String::new()
                }
            ),
            None => "no cohort has a control group in any period".into(),
        };
        let left_out = if no_covariates > 0 {
            format!("; {no_covariates} unit(s) left out for a missing covariate")
        } else {
            String::new()
        };
        return Err(EvaluationError::NothingToCompare(format!(
            "{why}{left_out}"
        )));
    }
    Ok(CsResult {
        att_gt: cells,
        units: n,
        first_treated: groups_of,
        influence,
        dropped_unbalanced: unbalanced,
        dropped_always_treated: always,
        dropped_missing_covariates: no_covariates,
        skipped,
    })
}

/// How ATT(g,t) are summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Every post-treatment cell, weighted by cohort size.
    Simple,
    /// By event time `t − g`; the overall effect is the mean over `e ≥ 0`.
    Dynamic,
    /// By cohort (mean over its post periods); the overall effect weights cohorts by size.
    Group,
    /// By period; the overall effect is the mean over periods.
    Calendar,
}

/// An aggregated effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// The overall effect.
    pub att: f64,
    /// Its analytic standard error.
    pub std_error: f64,
    /// The effects by event time, cohort or period (empty for `Simple`): (key, att, s.e.).
    pub by: Vec<(i32, f64, f64)>,
}

/// The cohorts' shares of the units, and each unit's cohort (an index into them; their
/// number for a unit in none).
struct Cohorts {
    shares: Vec<(i32, f64)>,
    of_unit: Vec<usize>,
}

/// One aggregated parameter with its influence function.
struct Part {
    att: f64,
    inf: Vec<f64>,
}

impl CsResult {
    fn se(&self, inf: &[f64]) -> f64 {
        inf.iter().map(|v| v * v).sum::<f64>().sqrt() / self.units as f64
    }

    fn cell_inf(&self, k: usize) -> &[f64] {
        &self.influence[k * self.units..(k + 1) * self.units]
    }

    /// The cells `keep` weighted by their cohorts' shares, with the influence of estimating
    /// the shares (R `did`'s `wif`).
    fn weighted(&self, keep: &[usize], cohorts: &Cohorts) -> Part {
        let n = self.units;
        let shares = &cohorts.shares;
        let share = |g: i32| shares.iter().find(|x| x.0 == g).map_or(0.0, |x| x.1);
        let pg: Vec<f64> = keep.iter().map(|&k| share(self.att_gt[k].group)).collect();
        let s: f64 = pg.iter().sum();
        let att = keep
            .iter()
            .zip(&pg)
            .map(|(&k, p)| p / s * self.att_gt[k].att)
            .sum();
        let mut inf = vec![0.0; n];
        for (j, &k) in keep.iter().enumerate() {
            let w = pg[j] / s;
            for (i, v) in self.cell_inf(k).iter().enumerate() {
                inf[i] += w * v;
            }
        }
        // Estimating p_g: numerator and denominator effects. They depend on a unit only
        // through its cohort, so each cohort's (and the others') is computed once.
        let effect = |gi: Option<i32>| -> f64 {
            let total: f64 = keep
                .iter()
                .zip(&pg)
                .map(|(&k, p)| f64::from(u8::from(gi == Some(self.att_gt[k].group))) - p)
                .sum();
            keep.iter()
                .enumerate()
                .map(|(j, &k)| {
                    let own = f64::from(u8::from(gi == Some(self.att_gt[k].group)));
                    ((own - pg[j]) / s - total * pg[j] / (s * s)) * self.att_gt[k].att
                })
                .sum()
        };
        let mut by_cohort: Vec<f64> = shares.iter().map(|(g, _)| effect(Some(*g))).collect();
        by_cohort.push(effect(None));
        for (slot, c) in inf.iter_mut().zip(&cohorts.of_unit) {
            *slot += by_cohort[*c];
        }
        Part { att, inf }
    }

    /// The cohorts' shares and each unit's cohort.
    fn cohorts(&self) -> Cohorts {
        let shares = self.cohort_shares();
        let of_unit = self
            .first_treated
            .iter()
            .map(|g| {
                g.and_then(|g| shares.iter().position(|x| x.0 == g))
                    .unwrap_or(shares.len())
            })
            .collect();
        Cohorts { shares, of_unit }
    }

    /// Each cohort's share of the units, by cohort.
    fn cohort_shares(&self) -> Vec<(i32, f64)> {
        let mut counts: Vec<(i32, usize)> = Vec::new();
        for g in self.first_treated.iter().flatten() {
            match counts.iter_mut().find(|c| c.0 == *g) {
                Some(c) => c.1 += 1,
                None => counts.push((*g, 1)),
            }
        }
        counts
            .into_iter()
            .map(|(g, c)| (g, c as f64 / self.units as f64))
            .collect()
    }

    /// The plain mean of several parameters (no weights to estimate): (att, influence).
    fn mean<'p>(&self, parts: impl Iterator<Item = (f64, &'p [f64])> + Clone) -> Part {
        let m = parts.clone().count() as f64;
        let mut inf = vec![0.0; self.units];
        for (_, p) in parts.clone() {
            for (a, b) in inf.iter_mut().zip(p) {
                *a += b / m;
            }
        }
        Part {
            att: parts.map(|p| p.0).sum::<f64>() / m,
            inf,
        }
    }
}

/// Aggregates the ATT(g,t) of `r`.
///
/// ```
/// use regis_methods::evaluation::{aggregate, callaway_santanna, Aggregation, CsOptions, StaggeredPanel};
/// let y = [1.0, 2.0, 1.0, 1.5, 2.0, 4.5, 3.0, 4.5];
/// let p = StaggeredPanel { outcome: &y, periods: &[1, 2], first_treated: &[None, None, Some(2), Some(2)], covariates: None };
/// let r = callaway_santanna(&p, &CsOptions::default()).unwrap();
/// assert!((aggregate(&r, Aggregation::Simple).att - 1.25).abs() < 1e-12);
/// ```
pub fn aggregate(r: &CsResult, how: Aggregation) -> Aggregate {
    let (overall, by) = aggregate_parts(r, how);
    Aggregate {
        att: overall.att,
        std_error: r.se(&overall.inf),
        by: by.iter().map(|(k, p)| (*k, p.att, r.se(&p.inf))).collect(),
    }
}

/// A uniform confidence band by the multiplier bootstrap ([`super::multiplier`]): over every
/// ATT(g,t) (`how` none, in the order of `r.att_gt`), or over the parts of an aggregation
/// (event times, cohorts or periods, in the order of [`aggregate`]'s `by`).
pub fn uniform_band(
    r: &CsResult,
    how: Option<Aggregation>,
    draws: usize,
    seed: u64,
    alpha: f64,
) -> super::multiplier::Band {
    let n = r.units;
    match how {
        None => super::multiplier::multiplier_bootstrap(&r.influence, n, draws, seed, alpha),
        Some(how) => {
            let (_, by) = aggregate_parts(r, how);
            let inf: Vec<f64> = by.iter().flat_map(|(_, p)| p.inf.iter().copied()).collect();
            super::multiplier::multiplier_bootstrap(&inf, n, draws, seed, alpha)
        }
    }
}

/// The overall parameter and the parts of an aggregation, with their influence functions.
fn aggregate_parts(r: &CsResult, how: Aggregation) -> (Part, Vec<(i32, Part)>) {
    let cells = &r.att_gt;
    let post: Vec<usize> = (0..cells.len()).filter(|&k| cells[k].post).collect();
    let keyed = |key: &dyn Fn(&AttGt) -> i32, only_post: bool| -> Vec<(i32, Vec<usize>)> {
        let mut keys: Vec<i32> = cells
            .iter()
            .filter(|c| c.post || !only_post)
            .map(key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let ks = (0..cells.len())
                    .filter(|&j| (cells[j].post || !only_post) && key(&cells[j]) == k)
                    .collect();
                (k, ks)
            })
            .collect()
    };
    let cohorts = r.cohorts();
    match how {
        Aggregation::Simple => (r.weighted(&post, &cohorts), Vec::new()),
        Aggregation::Dynamic => {
            let by: Vec<(i32, Part)> = keyed(&|c| c.period - c.group, false)
                .into_iter()
                .map(|(e, ks)| (e, r.weighted(&ks, &cohorts)))
                .collect();
            let overall = r.mean(
                by.iter()
                    .filter(|(e, _)| *e >= 0)
                    .map(|(_, p)| (p.att, p.inf.as_slice())),
            );
            (overall, by)
        }
        Aggregation::Group => {
            let by: Vec<(i32, Part)> = keyed(&|c| c.group, true)
                .into_iter()
                .map(|(g, ks)| (g, r.mean(ks.iter().map(|&k| (cells[k].att, r.cell_inf(k))))))
                .collect();
            // Cohorts weighted by their shares, with the influence of estimating them.
            let shares = &cohorts.shares;
            let pg: Vec<f64> = by
                .iter()
                .map(|(g, _)| shares.iter().find(|x| x.0 == *g).map_or(0.0, |x| x.1))
                .collect();
            let s: f64 = pg.iter().sum();
            let att = by.iter().zip(&pg).map(|((_, p), w)| w / s * p.att).sum();
            let mut inf = vec![0.0; r.units];
            for ((_, p), w) in by.iter().zip(&pg) {
                for (slot, v) in inf.iter_mut().zip(&p.inf) {
                    *slot += w / s * v;
                }
            }
            // The effect of estimating the shares depends on a unit's cohort only.
            let effect = |gi: Option<i32>| -> f64 {
                let total: f64 = by
                    .iter()
                    .zip(&pg)
                    .map(|((g, _), p)| f64::from(u8::from(gi == Some(*g))) - p)
                    .sum();
                by.iter()
                    .zip(&pg)
                    .map(|((g, p), w)| {
                        let own = f64::from(u8::from(gi == Some(*g)));
                        ((own - w) / s - total * w / (s * s)) * p.att
                    })
                    .sum()
            };
            let mut by_cohort: Vec<f64> = shares.iter().map(|(g, _)| effect(Some(*g))).collect();
            by_cohort.push(effect(None));
            for (slot, c) in inf.iter_mut().zip(&cohorts.of_unit) {
                *slot += by_cohort[*c];
            }
            (Part { att, inf }, by)
        }
        Aggregation::Calendar => {
            let by: Vec<(i32, Part)> = keyed(&|c| c.period, true)
                .into_iter()
                .map(|(t, ks)| (t, r.weighted(&ks, &cohorts)))
                .collect();
            let overall = r.mean(by.iter().map(|(_, p)| (p.att, p.inf.as_slice())));
            (overall, by)
        }
    }
}
