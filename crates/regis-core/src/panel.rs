//! Panels: values by region x industry x period, with missing distinct from zero.

use std::collections::HashMap;

use crate::{Measure, Period, RegionCatalog, RegionId};

/// Industry code used when a measure has no industry breakdown (SDMX's code for "total").
pub const TOTAL_INDUSTRY: &str = "_T";

/// Errors building or combining panels.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PanelError {
    /// The same (region, industry, period) cell was given twice.
    #[error("duplicate value for region {region}, industry {industry}, period {period}")]
    Duplicate {
        /// Region code.
        region: String,
        /// Industry code.
        industry: String,
        /// Period.
        period: Period,
    },
    /// Summation asked of a measure whose values do not add up.
    #[error("measure `{0}` is not additive (e.g. chained real values or rates): its values cannot be summed across regions or industries")]
    NotAdditive(String),
}

/// A dense region x industry x period array of optional values.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// What the values are.
    pub measure: Measure,
    /// Id of the industry classification, if the panel has an industry breakdown.
    pub classification: Option<String>,
    regions: Vec<RegionId>,
    industries: Vec<String>,
    periods: Vec<Period>,
    values: Vec<Option<f64>>,
    region_pos: HashMap<RegionId, usize>,
    industry_pos: HashMap<String, usize>,
    period_pos: HashMap<Period, usize>,
}

/// One cell of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Region.
    pub region: RegionId,
    /// Industry code ([`TOTAL_INDUSTRY`] when none).
    pub industry: String,
    /// Period.
    pub period: Period,
    /// Value; `None` when missing.
    pub value: Option<f64>,
}

impl Panel {
    /// An all-missing panel over the given dimensions (each sorted and de-duplicated by the caller
    /// or not: order is kept as given).
    pub fn new(
        measure: Measure,
        classification: Option<String>,
        regions: Vec<RegionId>,
        industries: Vec<String>,
        periods: Vec<Period>,
    ) -> Panel {
        let n = regions.len() * industries.len() * periods.len();
        Panel {
            region_pos: regions.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            industry_pos: industries
                .iter()
                .enumerate()
                .map(|(i, r)| (r.clone(), i))
                .collect(),
            period_pos: periods.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            measure,
            classification,
            regions,
            industries,
            periods,
            values: vec![None; n],
        }
    }

    /// Builds a panel from cells; dimensions are taken in first-seen order, periods sorted.
    /// A cell given twice is an error (the catalog names the region in the message).
    pub fn from_cells(
        measure: Measure,
        classification: Option<String>,
        cells: &[Cell],
        catalog: &RegionCatalog,
    ) -> Result<Panel, PanelError> {
        let mut regions = Vec::new();
        let mut industries: Vec<String> = Vec::new();
        let mut periods = Vec::new();
        let mut seen_r = std::collections::HashSet::new();
        let mut seen_i = std::collections::HashSet::new();
        let mut seen_p = std::collections::HashSet::new();
        for c in cells {
            if seen_r.insert(c.region) {
                regions.push(c.region);
            }
            if seen_i.insert(c.industry.as_str()) {
                industries.push(c.industry.clone());
            }
            if seen_p.insert(c.period) {
                periods.push(c.period);
            }
        }
        periods.sort();
        let mut panel = Panel::new(measure, classification, regions, industries, periods);
        let mut filled = vec![false; panel.values.len()];
        for c in cells {
            let idx = panel
                .index(c.region, &c.industry, c.period)
                .expect("dimension built from cells");
            if filled[idx] {
                return Err(PanelError::Duplicate {
                    region: catalog.region(c.region).code.clone(),
                    industry: c.industry.clone(),
                    period: c.period,
                });
            }
            filled[idx] = true;
            panel.values[idx] = c.value;
        }
        Ok(panel)
    }

    fn index(&self, region: RegionId, industry: &str, period: Period) -> Option<usize> {
        let r = *self.region_pos.get(&region)?;
        let i = *self.industry_pos.get(industry)?;
        let p = *self.period_pos.get(&period)?;
        Some((r * self.industries.len() + i) * self.periods.len() + p)
    }

    /// Regions in panel order.
    pub fn regions(&self) -> &[RegionId] {
        &self.regions
    }

    /// Industry codes in panel order.
    pub fn industries(&self) -> &[String] {
        &self.industries
    }

    /// Periods, ascending.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The value of a cell; `None` when missing or outside the panel.
    pub fn get(&self, region: RegionId, industry: &str, period: Period) -> Option<f64> {
        self.index(region, industry, period)
            .and_then(|i| self.values[i])
    }

    /// Sets a cell; returns false when the cell is outside the panel.
    pub fn set(
        &mut self,
        region: RegionId,
        industry: &str,
        period: Period,
        value: Option<f64>,
    ) -> bool {
        match self.index(region, industry, period) {
            Some(i) => {
                self.values[i] = value;
                true
            }
            None => false,
        }
    }

    /// Sets a cell by the position of its industry in [`Panel::industries`] (saves the
    /// industry lookup when filling a panel from interned codes); false outside the panel.
    pub fn set_at(
        &mut self,
        region: RegionId,
        industry: usize,
        period: Period,
        value: Option<f64>,
    ) -> bool {
        let (Some(&r), Some(&p)) = (self.region_pos.get(&region), self.period_pos.get(&period))
        else {
            return false;
        };
        if industry >= self.industries.len() {
            return false;
        }
        self.values[(r * self.industries.len() + industry) * self.periods.len() + p] = value;
        true
    }

    /// Whether the panel has this region.
    pub fn has_region(&self, region: RegionId) -> bool {
        self.region_pos.contains_key(&region)
    }

    /// Number of non-missing cells.
    pub fn count_present(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// All cells in region, industry, period order.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        let ni = self.industries.len();
        let np = self.periods.len();
        self.values.iter().enumerate().map(move |(k, v)| Cell {
            region: self.regions[k / (ni * np)],
            industry: self.industries[(k / np) % ni].clone(),
            period: self.periods[k % np],
            value: *v,
        })
    }

    /// Sum over `regions` of one industry and period. `Ok(None)` when any term is missing or
    /// no region is present (missing is never read as zero); `Err` for a non-additive measure.
    pub fn sum_regions(
        &self,
        regions: &[RegionId],
        industry: &str,
        period: Period,
    ) -> Result<Option<f64>, PanelError> {
        if !self.measure.additive {
            return Err(PanelError::NotAdditive(self.measure.id.clone()));
        }
        let mut total = 0.0;
        let mut any = false;
        for &r in regions {
            if !self.has_region(r) {
                continue;
            }
            match self.get(r, industry, period) {
                Some(v) => {
                    total += v;
                    any = true;
                }
                None => return Ok(None),
            }
        }
        Ok(any.then_some(total))
    }

    /// A panel restricted to the given regions, industries and periods (None keeps all).
    pub fn select(
        &self,
        regions: Option<&[RegionId]>,
        industries: Option<&[String]>,
        periods: Option<&[Period]>,
    ) -> Panel {
        let regions: Vec<RegionId> = match regions {
            Some(rs) => rs.iter().copied().filter(|r| self.has_region(*r)).collect(),
            None => self.regions.clone(),
        };
        let industries: Vec<String> = match industries {
            Some(is) => is
                .iter()
                .filter(|i| self.industry_pos.contains_key(*i))
                .cloned()
                .collect(),
            None => self.industries.clone(),
        };
        let periods: Vec<Period> = match periods {
            Some(ps) => ps
                .iter()
                .copied()
                .filter(|p| self.period_pos.contains_key(p))
                .collect(),
            None => self.periods.clone(),
        };
        let mut out = Panel::new(
            self.measure.clone(),
            self.classification.clone(),
            regions.clone(),
            industries.clone(),
            periods.clone(),
        );
        for &r in &regions {
            for i in &industries {
                for &p in &periods {
                    out.set(r, i, p, self.get(r, i, p));
                }
            }
        }
        out
    }

    /// Aggregates regions to their ancestors at `level` (sum of children). Refuses
    /// non-additive measures. A parent is missing when any of its children present in the panel
    /// is missing.
    pub fn aggregate_to(
        &self,
        catalog: &RegionCatalog,
        level: crate::Level,
    ) -> Result<Panel, PanelError> {
        if !self.measure.additive {
            return Err(PanelError::NotAdditive(self.measure.id.clone()));
        }
        let mut parents: Vec<RegionId> = Vec::new();
        let mut children: HashMap<RegionId, Vec<RegionId>> = HashMap::new();
        for &r in &self.regions {
            if let Some(a) = catalog.ancestor_at(r, level) {
                // Only direct members of the next level down are summed, so that a city and its
                // own non-autonomous districts are not counted twice.
                let reg = catalog.region(r);
                let direct = reg.level == level
                    || catalog
                        .region(r)
                        .parent
                        .map(|p| catalog.region(p).level == level)
                        .unwrap_or(false)
                    || reg.level.0 == level.0 + 1;
                if !direct {
                    continue;
                }
                if !children.contains_key(&a) {
                    parents.push(a);
                }
                children.entry(a).or_default().push(r);
            }
        }
        let mut out = Panel::new(
            self.measure.clone(),
            self.classification.clone(),
            parents.clone(),
            self.industries.clone(),
            self.periods.clone(),
        );
        for &a in &parents {
            let kids = &children[&a];
            for i in &self.industries {
                for &p in &self.periods {
                    // A parent present in the panel itself wins over its children.
                    let v = if kids.contains(&a) {
                        self.get(a, i, p)
                    } else {
                        self.sum_regions(kids, i, p)?
                    };
                    out.set(a, i, p, v);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, Region};

    fn cat() -> (RegionCatalog, RegionId, RegionId, RegionId) {
        let mut c = RegionCatalog::new();
        let mk = |code: &str, level: Level, parent: Option<RegionId>| Region {
            id: RegionId(0),
            code: code.into(),
            level,
            name_ko: code.into(),
            name_en: code.into(),
            parent,
            valid_from: 0,
            valid_to: i32::MAX,
            aliases: vec![],
        };
        let p = c.add_region(mk("P", Level::PROVINCE, None));
        let d1 = c.add_region(mk("D1", Level::DISTRICT, Some(p)));
        let d2 = c.add_region(mk("D2", Level::DISTRICT, Some(p)));
        (c, p, d1, d2)
    }

    #[test]
    fn duplicates_are_errors_and_missing_is_not_zero() {
        let (c, _, d1, d2) = cat();
        let m = Measure::count("x", "x", "x", "n");
        let cell = |r, v| Cell {
            region: r,
            industry: TOTAL_INDUSTRY.into(),
            period: Period(2020),
            value: v,
        };
        let e = Panel::from_cells(
            m.clone(),
            None,
            &[cell(d1, Some(1.0)), cell(d1, Some(2.0))],
            &c,
        )
        .unwrap_err();
        assert!(matches!(e, PanelError::Duplicate { .. }));
        let p = Panel::from_cells(m, None, &[cell(d1, Some(1.0)), cell(d2, None)], &c).unwrap();
        assert_eq!(
            p.sum_regions(&[d1, d2], TOTAL_INDUSTRY, Period(2020)),
            Ok(None)
        );
        assert_eq!(
            p.sum_regions(&[d1], TOTAL_INDUSTRY, Period(2020)),
            Ok(Some(1.0))
        );
    }

    #[test]
    fn aggregation_sums_children_and_refuses_non_additive() {
        let (c, prov, d1, d2) = cat();
        let mut m = Measure::count("x", "x", "x", "n");
        let mut p = Panel::new(
            m.clone(),
            None,
            vec![d1, d2],
            vec![TOTAL_INDUSTRY.into()],
            vec![Period(1)],
        );
        p.set(d1, TOTAL_INDUSTRY, Period(1), Some(2.5));
        p.set(d2, TOTAL_INDUSTRY, Period(1), Some(4.0));
        let a = p.aggregate_to(&c, Level::PROVINCE).unwrap();
        assert_eq!(a.get(prov, TOTAL_INDUSTRY, Period(1)), Some(6.5));
        m.additive = false;
        p.measure = m;
        assert!(matches!(
            p.aggregate_to(&c, Level::PROVINCE),
            Err(PanelError::NotAdditive(_))
        ));
    }
}
