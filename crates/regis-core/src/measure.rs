//! Measures: what a number is (unit, price basis, whether it adds up across regions).

/// Price basis of a monetary measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceBasis {
    /// Not a monetary measure (people, firms).
    NotApplicable,
    /// Current prices.
    Nominal,
    /// Constant prices of a base year; `chained` volumes do not add up.
    Real {
        /// Reference year of the prices.
        base_year: i32,
        /// Chain-linked (non-additive) volumes.
        chained: bool,
    },
}

/// Stock-like values per region, or flows between regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureKind {
    /// A value per region (x industry) x period.
    Regional,
    /// A value per origin x destination x period.
    Flow,
}

/// A measure: identity, unit and aggregation rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Stable id used on the command line and in the API (`population`, `grdp_nominal`).
    pub id: String,
    /// Korean label.
    pub name_ko: String,
    /// English label.
    pub name_en: String,
    /// Unit, e.g. `persons`, `million KRW`, `count`.
    pub unit: String,
    /// Price basis.
    pub price_basis: PriceBasis,
    /// Whether values add up across regions and industries. Chained real GRDP does not;
    /// rates and per-capita values do not.
    pub additive: bool,
    /// Whether values may be negative (net product taxes can be; head counts cannot).
    pub allows_negative: bool,
    /// Regional values or flows.
    pub kind: MeasureKind,
}

impl Measure {
    /// A plain additive, non-negative, non-monetary regional measure.
    pub fn count(id: &str, name_ko: &str, name_en: &str, unit: &str) -> Measure {
        Measure {
            id: id.into(),
            name_ko: name_ko.into(),
            name_en: name_en.into(),
            unit: unit.into(),
            price_basis: PriceBasis::NotApplicable,
            additive: true,
            allows_negative: false,
            kind: MeasureKind::Regional,
        }
    }
}
