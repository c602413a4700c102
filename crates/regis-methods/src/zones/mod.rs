//! Functional zones from flows between places: the labour-market-area (travel-to-work-area)
//! algorithm.
//!
//! Source: Coombes, M. & Bond, S. (2008), *Travel-to-Work Areas: the 2007 review*, Office for
//! National Statistics; Franconi, L., D'Alò, M. & Ichim, D. (2017), "Labour Market Areas for
//! territorial policies: tools for a European approach", *Statistical Journal of the IAOS*
//! 33(3), 585-591, doi:10.3233/SJI-160343 (the Eurostat guidelines and Istat's R package
//! LabourMarketAreas follow the same rules).
//!
//! Units are places with flows `C_ij` (people living in i and working in j, self-flows
//! included). For a zone A: residents `R_A = Σ_{i∈A, j} C_ij`, jobs `W_A = Σ_{i, j∈A} C_ij`,
//! internal flow `C_AA`, supply-side self-containment `C_AA / R_A`, demand-side `C_AA / W_A`.
//! Validity (the size/self-containment trade-off, valid when ≥ 1):
//!
//! `validity = Y · Z · s_target / s_min`, `Y = min(1, min(C_AA/R_A, C_AA/W_A) / s_target)`,
//! `Z = 1 − (1 − s_min/s_target) · max(0, (size_target − R_A) / (size_target − size_min))`;
//! a zone whose flows are all internal is valid whatever its size. Cohesion between a unit u
//! and a zone B: `C_uB²/(R_u W_B) + C_Bu²/(R_B W_u)`.
//!
//! Algorithm (Istat's, see [`labour_market_areas_single_pass`]): every unit starts as its own
//! zone; repeatedly the zone with the lowest validity loses one unit (its only one, or the one
//! exchanging most with the rest of the map), which joins the other zone it is most cohesive
//! with if that zone's validity does not drop, and goes to the reserve list otherwise; a zone
//! that has started losing units is taken apart unit by unit. This repeats until every zone
//! is valid; reserve units then join their most cohesive zone. [`labour_market_areas`] runs
//! the procedure again while that last step leaves a zone below validity 1. Each round moves
//! one unit: O(n + the zone's flows) per round; on Sardinia (377 units, 10,997 flows) the
//! whole `regis zones lma` command, file reading included, takes about 10 ms.
//!
//! Contiguity: when boundaries are given, [`contiguity_fine_tuning`] moves the parts of zones
//! that do not touch the rest of their zone to the touching zone they are most cohesive with.
//!
//! Checked against Istat's R package LabourMarketAreas 3.3.1 (`findClusters`): the same
//! partition of Sardinia's 377 municipalities for three parameter sets
//! (tests/peers/make_lma_fixtures.R, crates/regis-methods/tests/zones.rs).

mod comparison;
mod fine_tuning;

pub use comparison::{adjusted_rand_index, compare_with_regions, ZoneComparison};
pub use fine_tuning::{contiguity_fine_tuning, FineTuning};

/// The four parameters of the validity rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LmaParameters {
    /// Minimum size (residents) of a zone.
    pub min_size: f64,
    /// Size from which the minimum self-containment suffices.
    pub target_size: f64,
    /// Minimum self-containment (0-1).
    pub min_self_containment: f64,
    /// Self-containment that suffices from the minimum size (0-1).
    pub target_self_containment: f64,
}

/// One zone's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneStats {
    /// Units (indices into the input's units), ascending.
    pub units: Vec<usize>,
    /// Residents `R_A` (flows by place of residence).
    pub residents: f64,
    /// Jobs `W_A` (flows by place of work).
    pub workers: f64,
    /// Internal flow `C_AA`.
    pub internal: f64,
    /// `C_AA / R_A`.
    pub supply_self_containment: f64,
    /// `C_AA / W_A`.
    pub demand_self_containment: f64,
    /// The validity rule's value (valid when ≥ 1).
    pub validity: f64,
}

/// A partition into zones with its quality figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Zones {
    /// Zone of every unit (0-based zone index).
    pub zone_of: Vec<usize>,
    /// Zones, largest first.
    pub zones: Vec<ZoneStats>,
    /// Share of all flows that stay inside their zone.
    pub share_internal: f64,
    /// Lowest validity of any zone.
    pub min_validity: f64,
    /// Units that went through the reserve list (in the order they went there; once each).
    pub reserve: Vec<usize>,
    /// Rounds run (one unit moved or set aside per round).
    pub rounds: usize,
    /// Passes of Istat's procedure run (1 for [`labour_market_areas_single_pass`]).
    pub passes: usize,
}

/// Errors of the zone methods.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ZoneError {
    /// Parameters out of range.
    #[error("invalid parameters: {0}")]
    Parameters(String),
    /// A flow names a unit outside 0..n or is negative or not finite.
    #[error("invalid flow {0}: {1}")]
    Flow(usize, String),
}

/// The validity of a zone.
///
/// ```
/// use regis_methods::zones::{validity, LmaParameters};
/// let p = LmaParameters { min_size: 1000.0, target_size: 10000.0, min_self_containment: 0.6667, target_self_containment: 0.75 };
/// // 10,000 residents, 7,000 of 9,000 jobs inside: SC = min(0.70, 0.778) = 0.70 ≥ 0.6667.
/// let v = validity(&p, 10000.0, 9000.0, 7000.0);
/// assert!((v - 0.70 / 0.6667).abs() < 1e-12);
/// ```
pub fn validity(p: &LmaParameters, residents: f64, workers: f64, internal: f64) -> f64 {
    if residents <= 0.0 || workers <= 0.0 {
        return 0.0;
    }
    let sc = (internal / residents).min(internal / workers);
    if sc >= 1.0 {
        return 1.0;
    }
    let y = (sc / p.target_self_containment).min(1.0);
    let size_gap = ((p.target_size - residents) / (p.target_size - p.min_size)).max(0.0);
    let z = 1.0 - (1.0 - p.min_self_containment / p.target_self_containment) * size_gap;
    y * z * p.target_self_containment / p.min_self_containment
}

/// The validity rule evaluated literally, as Istat's package does on any row of figures:
/// `min(C/R, C/W)` may exceed 1 here (it only equals 1 for a zone whose flows are all internal,
/// which counts as valid).
fn literal_validity(p: &LmaParameters, residents: f64, workers: f64, internal: f64) -> f64 {
    let sc = (internal / residents).min(internal / workers);
    if sc == 1.0 {
        return 1.0;
    }
    let y = (sc / p.target_self_containment).min(1.0);
    let size_gap = ((p.target_size - residents) / (p.target_size - p.min_size)).max(0.0);
    let z = 1.0 - (1.0 - p.min_self_containment / p.target_self_containment) * size_gap;
    y * z * p.target_self_containment / p.min_self_containment
}

fn check(p: &LmaParameters) -> Result<(), ZoneError> {
    let ok = p.min_size >= 0.0
        && p.target_size > p.min_size
        && p.min_self_containment > 0.0
        && p.target_self_containment > p.min_self_containment
        && p.target_self_containment <= 1.0;
    if ok {
        Ok(())
    } else {
        Err(ZoneError::Parameters(format!(
            "need 0 ≤ min_size < target_size and 0 < min_self_containment < target_self_containment ≤ 1; got {p:?}"
        )))
    }
}

/// Zone totals from a unit → zone assignment (`usize::MAX` = not in a zone).
fn totals(
    n_zones: usize,
    zone_of: &[usize],
    flows: &[(usize, usize, f64)],
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut r, mut w, mut c) = (vec![0.0; n_zones], vec![0.0; n_zones], vec![0.0; n_zones]);
    for &(i, j, v) in flows {
        let (a, b) = (zone_of[i], zone_of[j]);
        if a != usize::MAX {
            r[a] += v;
        }
        if b != usize::MAX {
            w[b] += v;
        }
        if a != usize::MAX && a == b {
            c[a] += v;
        }
    }
    (r, w, c)
}

/// Labour-market areas of `n` units from flows `(live, work, amount)`, every zone valid when
/// the passes converge: Istat's procedure ([`labour_market_areas_single_pass`]), and, while
/// the assignment of the reserve list has left some zone below validity 1, the procedure run
/// again from the partition reached (at most [`MAX_PASSES`] passes). Not in Istat's package:
/// a Regis addition so that the result obeys the validity rule; on Sardinia 2001 with the
/// issue's parameters the second pass leaves every zone valid and the reserve list empty.
///
/// ```
/// use regis_methods::zones::{labour_market_areas, LmaParameters};
/// // Two towns that commute mostly to each other and a third that is self-contained.
/// let flows = [(0, 0, 600.0), (0, 1, 400.0), (1, 1, 700.0), (1, 0, 300.0), (2, 2, 2000.0), (2, 0, 10.0)];
/// let p = LmaParameters { min_size: 1000.0, target_size: 10000.0, min_self_containment: 0.6667, target_self_containment: 0.75 };
/// let z = labour_market_areas(3, &flows, &p).unwrap();
/// assert_eq!(z.zones.len(), 2);
/// assert_eq!(z.zone_of[0], z.zone_of[1]);
/// assert!(z.min_validity >= 1.0);
/// ```
pub fn labour_market_areas(
    n: usize,
    flows: &[(usize, usize, f64)],
    p: &LmaParameters,
) -> Result<Zones, ZoneError> {
    lma_passes(n, flows, p, MAX_PASSES)
}

/// Passes [`labour_market_areas`] runs at most.
pub const MAX_PASSES: usize = 20;

/// Labour-market areas exactly as Istat's R package LabourMarketAreas draws them
/// (`findClusters`, version 3.3.1; the tests check the same partition on Sardinia for three
/// parameter sets). Every unit starts as its own zone. Repeatedly the zone with the lowest
/// validity (ties: lowest id) loses one unit: its only unit, or the one exchanging most with
/// the rest of the map (inflow from outside the zone + residents − self-flow). That unit joins
/// the other zone it is most cohesive with if that zone's validity does not drop, and goes to
/// the reserve list otherwise (or when it has no flow to any zone). A zone that has lost a
/// unit but keeps several is, in the package, left with its figures per unit, which makes its
/// validity low, so it is taken up again at once: zones are taken apart one unit at a time
/// until one unit is left. This ends when every zone is valid; then the reserve units join
/// their most cohesive zone, highest index first, in passes, without the validity check, so
/// zones may end below validity 1 (see [`labour_market_areas`]). Differences left: units the
/// package sets aside before starting (no residents or no workers) and reserve units with no
/// flow to any zone, which the package leaves unassigned, stand alone here; and when the first
/// unit of a zone being taken apart has no flow to any other zone, the package runs a rarely
/// used branch that is not reproduced (the unit goes to the reserve list here).
///
/// ```
/// use regis_methods::zones::{labour_market_areas_single_pass, LmaParameters};
/// let flows = [(0, 0, 600.0), (0, 1, 400.0), (1, 1, 700.0), (1, 0, 300.0), (2, 2, 2000.0), (2, 0, 10.0)];
/// let p = LmaParameters { min_size: 1000.0, target_size: 10000.0, min_self_containment: 0.6667, target_self_containment: 0.75 };
/// let z = labour_market_areas_single_pass(3, &flows, &p).unwrap();
/// assert_eq!((z.zones.len(), z.passes), (2, 1));
/// ```
pub fn labour_market_areas_single_pass(
    n: usize,
    flows: &[(usize, usize, f64)],
    p: &LmaParameters,
) -> Result<Zones, ZoneError> {
    lma_passes(n, flows, p, 1)
}

fn lma_passes(
    n: usize,
    flows: &[(usize, usize, f64)],
    p: &LmaParameters,
    max_passes: usize,
) -> Result<Zones, ZoneError> {
    check(p)?;
    for (k, &(i, j, v)) in flows.iter().enumerate() {
        if i >= n || j >= n {
            return Err(ZoneError::Flow(k, format!("unit {i}→{j} outside 0..{n}")));
        }
        if !(v.is_finite() && v >= 0.0) {
            return Err(ZoneError::Flow(
                k,
                format!("amount {v} is not a number ≥ 0"),
            ));
        }
    }
    let g = FlowGraph::new(n, flows);
    // Zones by a stable id (the id of the unit it started from; a zone that absorbs a unit keeps
    // its id), as in Istat's package; emptied zones stay as empty slots.
    let mut s = Partition {
        members: (0..n).map(|u| vec![u]).collect(),
        zone_of: (0..n).collect(),
        r: g.unit_r.clone(),
        w: g.unit_w.clone(),
        c: g.self_flow.clone(),
        apart: vec![false; n],
    };
    let (mut reserve, mut rounds, mut passes) = (Vec::new(), 0, 0);
    loop {
        passes += 1;
        let (this_reserve, this_rounds) = istat_pass(&g, p, &mut s);
        rounds += this_rounds;
        let empty = this_reserve.is_empty();
        for u in this_reserve {
            if !reserve.contains(&u) {
                reserve.push(u);
            }
        }
        let all_valid = (0..s.members.len())
            .all(|z| s.members[z].is_empty() || validity(p, s.r[z], s.w[z], s.c[z]) >= 1.0);
        if all_valid || empty || passes >= max_passes {
            break;
        }
    }
    let mut members = s.members;
    members.retain(|m| !m.is_empty());
    let mut z = zones_from_members(n, flows, p, members, reserve, rounds);
    z.passes = passes;
    Ok(z)
}

/// A unit's flows, totals and self-flow, and the flow between each pair of distinct units.
struct FlowGraph {
    out: Vec<Vec<(usize, f64)>>,
    inc: Vec<Vec<(usize, f64)>>,
    unit_r: Vec<f64>,
    unit_w: Vec<f64>,
    self_flow: Vec<f64>,
    pair_flow: std::collections::HashMap<(usize, usize), f64>,
}

impl FlowGraph {
    fn new(n: usize, flows: &[(usize, usize, f64)]) -> FlowGraph {
        let mut g = FlowGraph {
            out: vec![Vec::new(); n],
            inc: vec![Vec::new(); n],
            unit_r: vec![0.0; n],
            unit_w: vec![0.0; n],
            self_flow: vec![0.0; n],
            pair_flow: Default::default(),
        };
        for &(i, j, v) in flows {
            g.unit_r[i] += v;
            g.unit_w[j] += v;
            if i == j {
                g.self_flow[i] += v;
            } else {
                *g.pair_flow.entry((i, j)).or_default() += v;
                if v > 0.0 {
                    g.out[i].push((j, v));
                    g.inc[j].push((i, v));
                }
            }
        }
        g
    }
}

/// Zones by id with their residents, jobs and internal flow, and which are being taken apart.
struct Partition {
    members: Vec<Vec<usize>>,
    zone_of: Vec<usize>,
    r: Vec<f64>,
    w: Vec<f64>,
    c: Vec<f64>,
    apart: Vec<bool>,
}

impl Partition {
    /// Puts unit `u` (in no zone) into zone `b`.
    fn join(&mut self, g: &FlowGraph, u: usize, b: usize) {
        let (c_ub, c_bu) = links(u, b, &self.zone_of, &g.out, &g.inc);
        self.zone_of[u] = b;
        self.members[b].push(u);
        self.r[b] += g.unit_r[u];
        self.w[b] += g.unit_w[u];
        self.c[b] += g.self_flow[u] + c_ub + c_bu;
    }

    /// Takes unit `u` out of its zone `z`.
    fn remove(&mut self, g: &FlowGraph, u: usize, z: usize) {
        let (c_uz, c_zu) = links(u, z, &self.zone_of, &g.out, &g.inc);
        self.members[z].retain(|&m| m != u);
        self.zone_of[u] = usize::MAX;
        self.r[z] -= g.unit_r[u];
        self.w[z] -= g.unit_w[u];
        self.c[z] -= g.self_flow[u] + c_uz + c_zu;
        if self.members[z].is_empty() {
            (self.r[z], self.w[z], self.c[z]) = (0.0, 0.0, 0.0);
        }
    }

    /// A new zone of unit `u` alone.
    fn stand_alone(&mut self, g: &FlowGraph, u: usize) {
        self.zone_of[u] = self.members.len();
        self.members.push(vec![u]);
        self.r.push(g.unit_r[u]);
        self.w.push(g.unit_w[u]);
        self.c.push(g.self_flow[u]);
        self.apart.push(false);
    }

    /// The zone (other than `exclude`) unit `u` is most cohesive with.
    fn most_cohesive(&self, g: &FlowGraph, u: usize, exclude: usize) -> Option<usize> {
        most_cohesive(
            u,
            &self.zone_of,
            &g.out,
            &g.inc,
            &g.unit_r,
            &g.unit_w,
            &self.r,
            &self.w,
            exclude,
        )
    }
}

/// One pass of Istat's procedure from partition `s` (see
/// [`labour_market_areas_single_pass`]): returns the units that went through the reserve list
/// and the number of rounds.
fn istat_pass(g: &FlowGraph, p: &LmaParameters, s: &mut Partition) -> (Vec<usize>, usize) {
    // What the package computes for a zone it is taking apart: its figures are still kept per
    // remaining unit, and the validity rule is evaluated on every (unit's residents and jobs,
    // internal pair flow) combination; the lowest value counts.
    let apart_validity = |s: &Partition, z: usize| -> f64 {
        let units = &s.members[z];
        let mut smallest = f64::INFINITY;
        for &a in units {
            if g.self_flow[a] > 0.0 {
                smallest = smallest.min(g.self_flow[a]);
            }
            for &(b, _) in &g.out[a] {
                if s.zone_of[b] == z {
                    smallest = smallest.min(g.pair_flow[&(a, b)]);
                }
            }
        }
        if smallest == f64::INFINITY {
            smallest = 0.0;
        }
        units
            .iter()
            .map(|&m| literal_validity(p, g.unit_r[m], g.unit_w[m], smallest))
            .fold(f64::INFINITY, f64::min)
    };
    let (mut reserve, mut rounds) = (Vec::new(), 0);
    loop {
        let mut worst: Option<(usize, f64)> = None;
        for z in 0..s.members.len() {
            if s.members[z].is_empty() {
                continue;
            }
            let v = if s.apart[z] {
                apart_validity(s, z)
            } else {
                validity(p, s.r[z], s.w[z], s.c[z])
            };
            if worst.is_none_or(|(_, best)| v < best) {
                worst = Some((z, v));
            }
        }
        let Some((z, v)) = worst else { break };
        if v >= 1.0 {
            break;
        }
        rounds += 1;
        // The unit to move: the zone's only unit, or the one exchanging most with the rest of
        // the map (inflow from outside the zone + residents − self-flow; ties: lowest index).
        let key = |u: usize| {
            let inflow: f64 = g.inc[u]
                .iter()
                .filter(|(v, _)| s.zone_of[*v] != z)
                .map(|x| x.1)
                .sum();
            inflow + g.unit_r[u] - g.self_flow[u]
        };
        let mut u = s.members[z][0];
        for &m in &s.members[z][1..] {
            let (km, ku) = (key(m), key(u));
            if km > ku || (km == ku && m < u) {
                u = m;
            }
        }
        s.remove(g, u, z);
        s.apart[z] = s.members[z].len() > 1;
        // u joins the other zone it is most cohesive with if that zone's validity does not
        // drop; otherwise (or with no flow to any zone) it goes to the reserve list.
        let target = s.most_cohesive(g, u, z).filter(|&b| {
            let (c_ub, c_bu) = links(u, b, &s.zone_of, &g.out, &g.inc);
            validity(
                p,
                s.r[b] + g.unit_r[u],
                s.w[b] + g.unit_w[u],
                s.c[b] + g.self_flow[u] + c_ub + c_bu,
            ) >= validity(p, s.r[b], s.w[b], s.c[b])
        });
        match target {
            Some(b) => s.join(g, u, b),
            None => reserve.push(u),
        }
    }
    // Reserve units join their most cohesive zone without the check, highest index first, in
    // passes until none can join; a unit with no flow to any zone stands alone.
    let mut waiting: Vec<usize> = reserve.clone();
    waiting.sort_unstable_by(|a, b| b.cmp(a));
    loop {
        let before = waiting.len();
        waiting.retain(|&u| match s.most_cohesive(g, u, usize::MAX) {
            Some(b) => {
                s.join(g, u, b);
                false
            }
            None => true,
        });
        if waiting.is_empty() || waiting.len() == before {
            break;
        }
    }
    for &u in &waiting {
        s.stand_alone(g, u);
    }
    for a in s.apart.iter_mut() {
        *a = false;
    }
    (reserve, rounds)
}

/// The zone figures of a partition given as member lists (zones ordered by residents, largest
/// first).
pub(super) fn zones_from_members(
    n: usize,
    flows: &[(usize, usize, f64)],
    p: &LmaParameters,
    members: Vec<Vec<usize>>,
    reserve: Vec<usize>,
    rounds: usize,
) -> Zones {
    let mut zone_of = vec![0; n];
    for (z, m) in members.iter().enumerate() {
        for &u in m {
            zone_of[u] = z;
        }
    }
    let (r, w, c) = totals(members.len(), &zone_of, flows);
    let total: f64 = flows.iter().map(|f| f.2).sum();
    let mut zones: Vec<ZoneStats> = members
        .into_iter()
        .enumerate()
        .map(|(z, mut units)| {
            units.sort_unstable();
            ZoneStats {
                units,
                residents: r[z],
                workers: w[z],
                internal: c[z],
                supply_self_containment: if r[z] > 0.0 { c[z] / r[z] } else { 0.0 },
                demand_self_containment: if w[z] > 0.0 { c[z] / w[z] } else { 0.0 },
                validity: validity(p, r[z], w[z], c[z]),
            }
        })
        .collect();
    zones.sort_by(|a, b| {
        b.residents
            .total_cmp(&a.residents)
            .then(a.units.cmp(&b.units))
    });
    let mut zone_of = vec![0; n];
    for (z, s) in zones.iter().enumerate() {
        for &u in &s.units {
            zone_of[u] = z;
        }
    }
    Zones {
        zone_of,
        share_internal: if total > 0.0 {
            zones.iter().map(|z| z.internal).sum::<f64>() / total
        } else {
            0.0
        },
        min_validity: zones
            .iter()
            .map(|z| z.validity)
            .fold(f64::INFINITY, f64::min),
        zones,
        reserve,
        rounds,
        passes: 1,
    }
}

/// Flows from unit `u` to the members of zone `b`, and from them to `u`.
pub(super) fn links(
    u: usize,
    b: usize,
    zone_of: &[usize],
    out: &[Vec<(usize, f64)>],
    inc: &[Vec<(usize, f64)>],
) -> (f64, f64) {
    let to: f64 = out[u]
        .iter()
        .filter(|(v, _)| zone_of[*v] == b)
        .map(|x| x.1)
        .sum();
    let from: f64 = inc[u]
        .iter()
        .filter(|(v, _)| zone_of[*v] == b)
        .map(|x| x.1)
        .sum();
    (to, from)
}

/// The zone (other than `exclude`) with the highest positive cohesion to unit `u`.
#[allow(clippy::too_many_arguments)]
pub(super) fn most_cohesive(
    u: usize,
    zone_of: &[usize],
    out: &[Vec<(usize, f64)>],
    inc: &[Vec<(usize, f64)>],
    unit_r: &[f64],
    unit_w: &[f64],
    zone_r: &[f64],
    zone_w: &[f64],
    exclude: usize,
) -> Option<usize> {
    let mut to: std::collections::BTreeMap<usize, (f64, f64)> = Default::default();
    for &(v, a) in &out[u] {
        let z = zone_of[v];
        if z != usize::MAX && z != exclude {
            to.entry(z).or_default().0 += a;
        }
    }
    for &(v, a) in &inc[u] {
        let z = zone_of[v];
        if z != usize::MAX && z != exclude {
            to.entry(z).or_default().1 += a;
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for (z, (c_ub, c_bu)) in to {
        let mut d = 0.0;
        if unit_r[u] > 0.0 && zone_w[z] > 0.0 {
            d += c_ub * c_ub / (unit_r[u] * zone_w[z]);
        }
        if zone_r[z] > 0.0 && unit_w[u] > 0.0 {
            d += c_bu * c_bu / (zone_r[z] * unit_w[u]);
        }
        if d > 0.0 && best.is_none_or(|b| d > b.1) {
            best = Some((z, d));
        }
    }
    best.map(|b| b.0)
}
