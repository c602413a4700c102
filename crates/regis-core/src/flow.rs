//! Flow matrices: values by origin x destination x period (migration, commuting, trade).

use std::collections::HashMap;

use crate::{Measure, Period, RegionId};

/// A dense origin x destination x period array of optional values.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowMatrix {
    /// What the flows are.
    pub measure: Measure,
    regions: Vec<RegionId>,
    periods: Vec<Period>,
    values: Vec<Option<f64>>,
    region_pos: HashMap<RegionId, usize>,
    period_pos: HashMap<Period, usize>,
}

impl FlowMatrix {
    /// An all-missing matrix over `regions` (both origins and destinations) and `periods`.
    pub fn new(measure: Measure, regions: Vec<RegionId>, periods: Vec<Period>) -> FlowMatrix {
        let n = regions.len() * regions.len() * periods.len();
        FlowMatrix {
            region_pos: regions.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            period_pos: periods.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            measure,
            regions,
            periods,
            values: vec![None; n],
        }
    }

    fn index(&self, origin: RegionId, dest: RegionId, period: Period) -> Option<usize> {
        let o = *self.region_pos.get(&origin)?;
        let d = *self.region_pos.get(&dest)?;
        let p = *self.period_pos.get(&period)?;
        let n = self.regions.len();
        Some((o * n + d) * self.periods.len() + p)
    }

    /// Regions (origins and destinations).
    pub fn regions(&self) -> &[RegionId] {
        &self.regions
    }

    /// Periods, in the order given.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// One flow; `None` when missing or outside the matrix.
    pub fn get(&self, origin: RegionId, dest: RegionId, period: Period) -> Option<f64> {
        self.index(origin, dest, period)
            .and_then(|i| self.values[i])
    }

    /// Sets one flow; false when outside the matrix.
    pub fn set(
        &mut self,
        origin: RegionId,
        dest: RegionId,
        period: Period,
        value: Option<f64>,
    ) -> bool {
        match self.index(origin, dest, period) {
            Some(i) => {
                self.values[i] = value;
                true
            }
            None => false,
        }
    }

    /// Sum of flows leaving `origin` for other regions in `period` (missing cells skipped;
    /// `None` when all are missing).
    pub fn outflow(&self, origin: RegionId, period: Period) -> Option<f64> {
        let mut any = false;
        let mut s = 0.0;
        for &d in &self.regions {
            if d != origin {
                if let Some(v) = self.get(origin, d, period) {
                    s += v;
                    any = true;
                }
            }
        }
        any.then_some(s)
    }

    /// Sum of flows arriving at `dest` from other regions in `period`.
    pub fn inflow(&self, dest: RegionId, period: Period) -> Option<f64> {
        let mut any = false;
        let mut s = 0.0;
        for &o in &self.regions {
            if o != dest {
                if let Some(v) = self.get(o, dest, period) {
                    s += v;
                    any = true;
                }
            }
        }
        any.then_some(s)
    }

    /// Number of non-missing cells.
    pub fn count_present(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }
}
