//! The sufficient statistics of establishment micro data: what every micro command needs,
//! per period × region × industry, and what both engines (embedded and Spark) produce.
//!
//! A cell holds the establishment count, the sums of employees, of squared employees and of
//! sales; size-class counts are kept per period × region and per period × industry. The
//! panel, the plant Herfindahl, Ellison-Glaeser, coagglomeration and the size distribution
//! are pure functions of these sums, so the two engines give the same numbers by
//! construction: integer sums are exact and sales differ only by the order of addition.

/// Lower bounds of the plant-size classes (employees), the classes of Statistics Korea's
/// Census on Establishments: 0, 1-4, 5-9, 10-19, 20-49, 50-99, 100-299, 300-499, 500-999,
/// 1000+.
pub const SIZE_CLASS_LOWER: [i64; 10] = [0, 1, 5, 10, 20, 50, 100, 300, 500, 1000];

/// Labels of the plant-size classes, in the order of [`SIZE_CLASS_LOWER`].
pub const SIZE_CLASS_LABELS: [&str; 10] = [
    "0", "1-4", "5-9", "10-19", "20-49", "50-99", "100-299", "300-499", "500-999", "1000+",
];

/// Number of plant-size classes.
pub const SIZE_CLASSES: usize = SIZE_CLASS_LOWER.len();

/// The size class of an establishment with `employees` (≥ 0) employees.
pub fn size_class(employees: i64) -> usize {
    SIZE_CLASS_LOWER
        .iter()
        .rposition(|&lower| employees >= lower)
        .unwrap_or(0)
}

/// The sums of one period × region × industry cell.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct GroupSums {
    pub(crate) establishments: u64,
    pub(crate) employees: i64,
    /// Σ employees² (exact: the plant Herfindahl's numerator).
    pub(crate) employees_squared: i128,
    pub(crate) sales: f64,
    /// With sampling weights: Σ w, Σ w·employees and Σ w·sales (0 without them).
    pub(crate) weights: f64,
    pub(crate) weighted_employees: f64,
    pub(crate) weighted_sales: f64,
}

/// The establishments and employees of one size class.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SizeSums {
    pub(crate) establishments: u64,
    pub(crate) employees: i64,
}

/// Which statistics beyond the panel's sums a job needs (each costs time per row).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Wanted {
    /// Σ employees² per cell.
    pub(crate) squares: bool,
    /// Size-class counts.
    pub(crate) sizes: bool,
    /// Entries, exits and continuing establishments between consecutive periods.
    pub(crate) dynamics: bool,
}

/// The statistics of one period: dense region × industry cells, and the size classes per
/// region and per industry (empty unless wanted).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PeriodStats {
    pub(crate) period: i32,
    /// `region * industries + industry`.
    pub(crate) cells: Vec<GroupSums>,
    /// `region * SIZE_CLASSES + class`.
    pub(crate) sizes_by_region: Vec<SizeSums>,
    /// `industry * SIZE_CLASSES + class`.
    pub(crate) sizes_by_industry: Vec<SizeSums>,
    /// Per cell, establishments new since the previous period (in their cell now), gone
    /// since it (in the cell they were in) and present in both (in their cell now); empty
    /// unless wanted, zero in the first period.
    pub(crate) entries: Vec<u64>,
    pub(crate) exits: Vec<u64>,
    pub(crate) continuing: Vec<u64>,
}

impl PeriodStats {
    pub(crate) fn new(period: i32, regions: usize, industries: usize, wanted: Wanted) -> Self {
        let classes = |n: usize| {
            if wanted.sizes {
                vec![SizeSums::default(); n * SIZE_CLASSES]
            } else {
                Vec::new()
            }
        };
        let flows = || {
            if wanted.dynamics {
                vec![0; regions * industries]
            } else {
                Vec::new()
            }
        };
        PeriodStats {
            period,
            cells: vec![GroupSums::default(); regions * industries],
            sizes_by_region: classes(regions),
            sizes_by_industry: classes(industries),
            entries: flows(),
            exits: flows(),
            continuing: flows(),
        }
    }

    /// Adds another partial table of the same period and shape.
    pub(crate) fn merge(&mut self, other: &PeriodStats) -> Option<()> {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.establishments += b.establishments;
            a.employees = a.employees.checked_add(b.employees)?;
            a.employees_squared = a.employees_squared.checked_add(b.employees_squared)?;
            a.sales += b.sales;
            a.weights += b.weights;
            a.weighted_employees += b.weighted_employees;
            a.weighted_sales += b.weighted_sales;
        }
        for (a, b) in self
            .sizes_by_region
            .iter_mut()
            .zip(&other.sizes_by_region)
            .chain(
                self.sizes_by_industry
                    .iter_mut()
                    .zip(&other.sizes_by_industry),
            )
        {
            a.establishments += b.establishments;
            a.employees = a.employees.checked_add(b.employees)?;
        }
        self.add_flows([&other.entries, &other.exits, &other.continuing]);
        Some(())
    }

    /// Adds counts of entries, exits and continuing establishments, cell by cell.
    pub(crate) fn add_flows(&mut self, [entries, exits, continuing]: [&[u64]; 3]) {
        for (mine, theirs) in [
            (&mut self.entries, entries),
            (&mut self.exits, exits),
            (&mut self.continuing, continuing),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}

/// The sufficient statistics of a micro-data input, whichever engine computed them.
#[derive(Debug, Clone)]
pub(crate) struct MicroStats {
    /// The panel's region codes (SGIS), sorted.
    pub(crate) regions: Vec<String>,
    /// The panel's industry codes, sorted.
    pub(crate) industries: Vec<String>,
    /// By period, ascending.
    pub(crate) periods: Vec<PeriodStats>,
    pub(crate) rows_read: u64,
    /// Files read (embedded) or the files of the cluster's plan (Spark).
    pub(crate) files: usize,
    /// Row groups read (embedded) or Arrow batches received (Spark).
    pub(crate) row_groups: usize,
    /// `embedded` or `spark <url>`.
    pub(crate) engine: String,
    /// Whether the rows carried sampling weights (the weighted sums are then filled).
    pub(crate) weighted: bool,
}

/// The refusal of weighted rows by the establishment-level reports (both engines).
pub(crate) fn weighted_rows_refused() -> crate::Error {
    regis_data::DataError::argument(format!(
        "the input has a `{}` column (sampling weights): Ellison-Glaeser, coagglomeration, the \
         size distribution and the dynamics count each establishment row once, so weighted \
         rows are refused here; `regis micro aggregate` sums them",
        regis_data::micro::WEIGHT
    ))
    .into()
}

impl MicroStats {
    /// Index of a cell.
    pub(crate) fn cell(&self, region: usize, industry: usize) -> usize {
        region * self.industries.len() + industry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes_have_the_census_bounds() {
        let got: Vec<usize> = [0, 1, 4, 5, 9, 10, 19, 20, 49, 50, 99, 100, 299, 300, 499]
            .iter()
            .map(|&e| size_class(e))
            .collect();
        assert_eq!(got, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
        assert_eq!(size_class(500), 8);
        assert_eq!(size_class(999), 8);
        assert_eq!(size_class(1000), 9);
        assert_eq!(size_class(250_000), 9);
    }

    #[test]
    fn merging_adds_every_sum_and_refuses_an_overflow() {
        let w = Wanted {
            squares: true,
            sizes: true,
            dynamics: false,
        };
        let mut a = PeriodStats::new(2020, 1, 1, w);
        a.cells[0] = GroupSums {
            establishments: 2,
            employees: 7,
            employees_squared: 29,
            sales: 1.5,
            ..GroupSums::default()
        };
        a.sizes_by_region[1] = SizeSums {
            establishments: 1,
            employees: 2,
        };
        let mut b = a.clone();
        b.merge(&a).unwrap();
        assert_eq!(b.cells[0].employees_squared, 58);
        assert_eq!(b.cells[0].establishments, 4);
        assert_eq!(b.sizes_by_region[1].employees, 4);
        b.cells[0].employees = i64::MAX;
        assert!(b.merge(&a).is_none());
    }
}
