//! Contiguity fine-tuning of labour-market areas: parts of a zone that do not touch the rest
//! move to the touching zone they are most cohesive with.

use super::*;

/// What [`contiguity_fine_tuning`] changed.
#[derive(Debug, Clone, PartialEq)]
pub struct FineTuning {
    /// The zones after the fine-tuning (figures recomputed; validity may drop below 1).
    pub zones: Zones,
    /// Units moved to another zone.
    pub moved: Vec<usize>,
    /// Units left in a zone they do not touch because they have no neighbour in any zone
    /// they could join (islands).
    pub isolated: Vec<usize>,
}

/// Contiguity fine-tuning of labour-market areas, given which units share a boundary: each
/// zone keeps its spatially connected part with the most residents; every other part (a
/// fragment) moves, as a whole, to the zone touching it with which it has the highest
/// cohesion (the same measure as the main algorithm, of the fragment as a group), preferring
/// zones whose main part it touches. Repeated until every zone is contiguous or nothing can
/// move (islands stay and are reported). Zone figures are recomputed; a zone may fall below
/// validity 1, as it may after Istat's fine-tuning step (report `min_validity`).
///
/// Reference: Franconi, D'Alò & Ichim (2017), doi:10.3233/SJI-160343, and Istat's
/// LabourMarketAreas package (contiguity step); the choice of target by cohesion follows the
/// main algorithm.
/// Complexity: O(rounds · (n + E_spatial + E_flows)), at most n rounds.
///
/// ```
/// use regis_methods::zones::{contiguity_fine_tuning, labour_market_areas, LmaParameters};
/// use regis_methods::spatial::Weights;
/// // Units on a line 0-1-2-3; 0 and 2 commute together, 1 and 3 together: two zones that are
/// // not contiguous. Fine-tuning makes them so.
/// let flows = [(0, 0, 500.0), (0, 2, 500.0), (2, 2, 500.0), (2, 0, 500.0), (1, 1, 500.0),
///     (1, 3, 500.0), (3, 3, 500.0), (3, 1, 500.0), (1, 2, 10.0), (2, 1, 10.0)];
/// let p = LmaParameters { min_size: 100.0, target_size: 1000.0, min_self_containment: 0.5, target_self_containment: 0.6 };
/// let z = labour_market_areas(4, &flows, &p).unwrap();
/// let w = Weights::from_neighbours(&[vec![1], vec![0, 2], vec![1, 3], vec![2]]);
/// let t = contiguity_fine_tuning(&z, 4, &flows, &p, &w);
/// assert!(!t.moved.is_empty());
/// for zone in &t.zones.zones {
///     let u = &zone.units;
///     assert!(u.windows(2).all(|p| p[1] == p[0] + 1), "{u:?} is a run of the line");
/// }
/// ```
pub fn contiguity_fine_tuning(
    zones: &Zones,
    n: usize,
    flows: &[(usize, usize, f64)],
    p: &LmaParameters,
    neighbours: &crate::spatial::Weights,
) -> FineTuning {
    let mut zone_of = zones.zone_of.clone();
    let k = zones.zones.len();
    let (mut unit_r, mut unit_w) = (vec![0.0; n], vec![0.0; n]);
    for &(i, j, v) in flows {
        unit_r[i] += v;
        unit_w[j] += v;
    }
    let mut moved = Vec::new();
    let mut isolated = Vec::new();
    for _round in 0..n.max(1) {
        // Spatial parts of each zone: label each unit with its part; the main part of a zone is
        // the one with the most residents.
        let mut part = vec![usize::MAX; n];
        let mut parts: Vec<(usize, Vec<usize>, f64)> = Vec::new(); // (zone, units, residents)
        for s in 0..n {
            if part[s] != usize::MAX {
                continue;
            }
            let id = parts.len();
            let mut units = vec![s];
            part[s] = id;
            let mut at = 0;
            while at < units.len() {
                let u = units[at];
                for &(v, _) in neighbours.row(u) {
                    if v < n && part[v] == usize::MAX && zone_of[v] == zone_of[s] {
                        part[v] = id;
                        units.push(v);
                    }
                }
                at += 1;
            }
            let residents = units.iter().map(|&u| unit_r[u]).sum();
            parts.push((zone_of[s], units, residents));
        }
        let mut main = vec![usize::MAX; k];
        for (id, (z, _, res)) in parts.iter().enumerate() {
            if main[*z] == usize::MAX || *res > parts[main[*z]].2 {
                main[*z] = id;
            }
        }
        // Fragments, smallest first.
        let mut fragments: Vec<usize> = (0..parts.len())
            .filter(|&id| main[parts[id].0] != id)
            .collect();
        fragments.retain(|id| !parts[*id].1.iter().all(|u| isolated.contains(u)));
        if fragments.is_empty() {
            break;
        }
        fragments.sort_by(|a, b| parts[*a].2.total_cmp(&parts[*b].2).then(a.cmp(b)));
        let id = fragments[0];
        let (own, units, _) = parts[id].clone();
        // Zones touching the fragment, and whether they touch it with their main part.
        let mut touching: std::collections::BTreeMap<usize, bool> = Default::default();
        for &u in &units {
            for &(v, _) in neighbours.row(u) {
                if v < n && zone_of[v] != own {
                    let e = touching.entry(zone_of[v]).or_insert(false);
                    *e |= main[zone_of[v]] == part[v];
                }
            }
        }
        if touching.is_empty() {
            isolated.extend(units);
            continue;
        }
        let prefer_main = touching.values().any(|m| *m);
        // Cohesion of the fragment F with zone B: C_FB²/(R_F W_B) + C_BF²/(R_B W_F).
        let in_fragment: std::collections::HashSet<usize> = units.iter().copied().collect();
        let (mut zr, mut zw) = (vec![0.0; k], vec![0.0; k]);
        let (mut c_fb, mut c_bf) = (vec![0.0; k], vec![0.0; k]);
        let (mut rf, mut wf) = (0.0, 0.0);
        for &(i, j, v) in flows {
            zr[zone_of[i]] += v;
            zw[zone_of[j]] += v;
            let (fi, fj) = (in_fragment.contains(&i), in_fragment.contains(&j));
            if fi {
                rf += v;
                if !fj {
                    c_fb[zone_of[j]] += v;
                }
            }
            if fj {
                wf += v;
                if !fi {
                    c_bf[zone_of[i]] += v;
                }
            }
        }
        let cohesion = |b: usize| {
            let mut d = 0.0;
            if rf > 0.0 && zw[b] > 0.0 {
                d += c_fb[b] * c_fb[b] / (rf * zw[b]);
            }
            if zr[b] > 0.0 && wf > 0.0 {
                d += c_bf[b] * c_bf[b] / (zr[b] * wf);
            }
            d
        };
        let target = touching
            .iter()
            .filter(|(_, m)| **m || !prefer_main)
            .map(|(b, _)| *b)
            .max_by(|a, b| cohesion(*a).total_cmp(&cohesion(*b)).then(b.cmp(a)))
            .expect("a touching zone");
        for &u in &units {
            zone_of[u] = target;
            moved.push(u);
        }
    }
    let mut members = vec![Vec::new(); k];
    for (u, &z) in zone_of.iter().enumerate() {
        members[z].push(u);
    }
    members.retain(|m| !m.is_empty());
    moved.sort_unstable();
    moved.dedup();
    isolated.sort_unstable();
    isolated.dedup();
    let mut tuned = zones_from_members(n, flows, p, members, zones.reserve.clone(), zones.rounds);
    tuned.passes = zones.passes;
    FineTuning {
        zones: tuned,
        moved,
        isolated,
    }
}
