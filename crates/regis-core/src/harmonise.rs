//! Harmonisation of panels across boundary vintages: a crosswalk maps each source region to
//! one or more target regions with allocation weights; values are re-allocated and summed.
//!
//! Formula: for target t, `y_t = sum_s w_{s,t} * x_s`, where the weights of each source s sum
//! to 1 (merges have weight 1; a split allocates its source by a weight such as the parts'
//! share of population or of neighbourhoods). Totals are therefore preserved exactly:
//! `sum_t y_t = sum_s x_s`. Only additive measures may be harmonised; a non-additive one
//! (chained real GRDP, a rate) is refused.
//!
//! Complexity: O(links x industries x periods).

use std::collections::HashMap;

use crate::{Panel, PanelError, RegionCatalog, RegionId};

/// One link of a crosswalk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrosswalkLink {
    /// Region in the source vintage.
    pub from: RegionId,
    /// Region in the target vintage.
    pub to: RegionId,
    /// Share of the source allocated to the target.
    pub weight: f64,
}

/// A region-to-region mapping between two boundary vintages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Crosswalk {
    /// Human label (`sgis districts 2010 -> 2020`).
    pub name: String,
    /// Links.
    pub links: Vec<CrosswalkLink>,
    /// How split weights were obtained, shown to users.
    pub weight_basis: String,
}

/// Why a panel could not be harmonised.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HarmoniseError {
    /// The measure does not add up.
    #[error(transparent)]
    NotAdditive(#[from] PanelError),
    /// Weights of a source region do not sum to 1.
    #[error("crosswalk weights of region {region} sum to {sum}, expected 1")]
    BadWeights {
        /// Region code.
        region: String,
        /// Their sum.
        sum: f64,
    },
}

impl Crosswalk {
    /// Checks that each source's weights sum to 1 (within 1e-9).
    pub fn check(&self, catalog: &RegionCatalog) -> Result<(), HarmoniseError> {
        let mut sums: HashMap<RegionId, f64> = HashMap::new();
        for l in &self.links {
            *sums.entry(l.from).or_default() += l.weight;
        }
        for (r, s) in sums {
            if (s - 1.0).abs() > 1e-9 {
                return Err(HarmoniseError::BadWeights {
                    region: catalog.region(r).code.clone(),
                    sum: s,
                });
            }
        }
        Ok(())
    }

    /// Re-allocates a panel onto the target vintage. Regions of the panel without a link are
    /// kept as they are (a unit unchanged between vintages needs no link). A target is missing
    /// in a period when any of its sources that existed in that period is missing; a source
    /// that did not exist yet (Sejong before 2012) contributes nothing.
    ///
    /// ```
    /// use regis_core::*;
    /// let mut cat = RegionCatalog::new();
    /// let mk = |code: &str| Region { id: RegionId(0), code: code.into(), level: Level::DISTRICT,
    ///     name_ko: code.into(), name_en: code.into(), parent: None, valid_from: 2000,
    ///     valid_to: i32::MAX, aliases: vec![] };
    /// let (masan, jinhae, changwon) = (cat.add_region(mk("masan")), cat.add_region(mk("jinhae")),
    ///     cat.add_region(mk("changwon")));
    /// let m = Measure::count("population", "인구", "Population", "persons");
    /// let mut p = Panel::new(m, None, vec![masan, jinhae], vec![TOTAL_INDUSTRY.into()], vec![Period(2009)]);
    /// p.set(masan, TOTAL_INDUSTRY, Period(2009), Some(400.0));
    /// p.set(jinhae, TOTAL_INDUSTRY, Period(2009), Some(170.0));
    /// let cw = Crosswalk { name: "2009 -> 2010".into(), weight_basis: "merge".into(), links: vec![
    ///     CrosswalkLink { from: masan, to: changwon, weight: 1.0 },
    ///     CrosswalkLink { from: jinhae, to: changwon, weight: 1.0 }] };
    /// let q = cw.apply(&p, &cat).unwrap();
    /// assert_eq!(q.get(changwon, TOTAL_INDUSTRY, Period(2009)), Some(570.0));
    /// ```
    pub fn apply(&self, panel: &Panel, catalog: &RegionCatalog) -> Result<Panel, HarmoniseError> {
        if !panel.measure.additive {
            return Err(PanelError::NotAdditive(panel.measure.id.clone()).into());
        }
        self.check(catalog)?;
        let mut by_source: HashMap<RegionId, Vec<CrosswalkLink>> = HashMap::new();
        for l in &self.links {
            by_source.entry(l.from).or_default().push(*l);
        }
        let mut targets: Vec<RegionId> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &r in panel.regions() {
            match by_source.get(&r) {
                Some(ls) => {
                    for l in ls {
                        if seen.insert(l.to) {
                            targets.push(l.to);
                        }
                    }
                }
                None => {
                    if seen.insert(r) {
                        targets.push(r);
                    }
                }
            }
        }
        let mut out = Panel::new(
            panel.measure.clone(),
            panel.classification.clone(),
            targets,
            panel.industries().to_vec(),
            panel.periods().to_vec(),
        );
        // Accumulate: (target, industry, period) -> Some(sum) or None when a source is missing.
        let mut acc: HashMap<(RegionId, usize, usize), Option<f64>> = HashMap::new();
        for &r in panel.regions() {
            let identity = [CrosswalkLink {
                from: r,
                to: r,
                weight: 1.0,
            }];
            let links: &[CrosswalkLink] =
                by_source.get(&r).map(|v| v.as_slice()).unwrap_or(&identity);
            for (ii, ind) in panel.industries().iter().enumerate() {
                for (pi, &p) in panel.periods().iter().enumerate() {
                    let v = panel.get(r, ind, p);
                    // A region that did not exist in this period contributes nothing (its cell
                    // is structurally empty, not a missing observation).
                    if v.is_none() && !catalog.region(r).valid_in(p.0) {
                        continue;
                    }
                    for l in links {
                        let e = acc.entry((l.to, ii, pi)).or_insert(Some(0.0));
                        *e = match (*e, v) {
                            (Some(a), Some(x)) => Some(a + l.weight * x),
                            _ => None,
                        };
                    }
                }
            }
        }
        for ((t, ii, pi), v) in acc {
            let ind = panel.industries()[ii].clone();
            let p = panel.periods()[pi];
            out.set(t, &ind, p, v);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, Measure, Period, Region, TOTAL_INDUSTRY};

    /// A tiny deterministic generator (no dependency needed for these property checks).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn random_crosswalks_preserve_totals_and_permutation_does_not_matter() {
        let mut rng = Lcg(42);
        for case in 0..50 {
            let mut cat = RegionCatalog::new();
            let n_src = 3 + case % 7;
            let n_dst = 2 + case % 5;
            let mk = |i: usize| Region {
                id: RegionId(0),
                code: i.to_string(),
                level: Level::DISTRICT,
                name_ko: String::new(),
                name_en: String::new(),
                parent: None,
                valid_from: 0,
                valid_to: i32::MAX,
                aliases: vec![],
            };
            let src: Vec<RegionId> = (0..n_src).map(|i| cat.add_region(mk(i))).collect();
            let dst: Vec<RegionId> = (0..n_dst).map(|i| cat.add_region(mk(100 + i))).collect();
            let mut links = Vec::new();
            for &s in &src {
                let k = 1 + (rng.next() * n_dst as f64) as usize % n_dst;
                let w: Vec<f64> = (0..k).map(|_| rng.next() + 0.01).collect();
                let total: f64 = w.iter().sum();
                for (j, wj) in w.iter().enumerate() {
                    links.push(CrosswalkLink {
                        from: s,
                        to: dst[j],
                        weight: wj / total,
                    });
                }
            }
            // Renormalise exactly: duplicates of (s, t) are fine, the sum must be 1.
            let cw = Crosswalk {
                name: "random".into(),
                links,
                weight_basis: "random".into(),
            };
            cw.check(&cat).unwrap();
            let m = Measure::count("x", "x", "x", "count");
            let mut p = Panel::new(
                m.clone(),
                None,
                src.clone(),
                vec![TOTAL_INDUSTRY.into()],
                vec![Period(2000)],
            );
            let mut total = 0.0;
            for &s in &src {
                let v = (rng.next() * 1e6).round();
                total += v;
                p.set(s, TOTAL_INDUSTRY, Period(2000), Some(v));
            }
            let q = cw.apply(&p, &cat).unwrap();
            let after: f64 = q
                .regions()
                .iter()
                .filter_map(|r| q.get(*r, TOTAL_INDUSTRY, Period(2000)))
                .sum();
            assert!(
                (after - total).abs() <= 1e-9 * total,
                "case {case}: {after} vs {total}"
            );
            // Permuting the source regions permutes nothing in the result.
            let mut rev = src.clone();
            rev.reverse();
            let pr = p.select(Some(&rev), None, None);
            let qr = cw.apply(&pr, &cat).unwrap();
            for &t in q.regions() {
                let a = q.get(t, TOTAL_INDUSTRY, Period(2000)).unwrap();
                let b = qr.get(t, TOTAL_INDUSTRY, Period(2000)).unwrap();
                assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0));
            }
        }
    }

    #[test]
    fn a_missing_source_makes_its_target_missing_not_zero() {
        let mut cat = RegionCatalog::new();
        let mk = |c: &str| Region {
            id: RegionId(0),
            code: c.into(),
            level: Level::DISTRICT,
            name_ko: String::new(),
            name_en: String::new(),
            parent: None,
            valid_from: 0,
            valid_to: i32::MAX,
            aliases: vec![],
        };
        let (a, b, t) = (
            cat.add_region(mk("a")),
            cat.add_region(mk("b")),
            cat.add_region(mk("t")),
        );
        let mut p = Panel::new(
            Measure::count("x", "x", "x", "n"),
            None,
            vec![a, b],
            vec![TOTAL_INDUSTRY.into()],
            vec![Period(1)],
        );
        p.set(a, TOTAL_INDUSTRY, Period(1), Some(5.0));
        let cw = Crosswalk {
            name: String::new(),
            weight_basis: String::new(),
            links: vec![
                CrosswalkLink {
                    from: a,
                    to: t,
                    weight: 1.0,
                },
                CrosswalkLink {
                    from: b,
                    to: t,
                    weight: 1.0,
                },
            ],
        };
        assert_eq!(
            cw.apply(&p, &cat)
                .unwrap()
                .get(t, TOTAL_INDUSTRY, Period(1)),
            None
        );
        let mut nonadd = p.clone();
        nonadd.measure.additive = false;
        assert!(matches!(
            cw.apply(&nonadd, &cat),
            Err(HarmoniseError::NotAdditive(_))
        ));
    }
}
