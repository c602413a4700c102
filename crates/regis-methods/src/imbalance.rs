//! The imbalance report behind `regis diagnose`: for each period, a region group's share of a
//! measure and the inequality indices across regions, with Theil's between/within split by the
//! group and its complement (e.g. the capital region SMA versus the rest of Korea).
//!
//! Values are the measure's regional totals; with a denominator panel (population) they become
//! per-head values and every index is weighted by the denominator (Williamson's CV, weighted
//! Gini and Theil). Regions without a value in a period are left out of that period with a
//! diagnostic (a city not compiled separately that year, a region that did not exist).
//!
//! Complexity: O(P · n log n) for P periods and n regions.

use regis_core::{Diagnostic, Panel, Period, RegionId};

use crate::inequality::{
    theil_decomposition, Atkinson, CoefficientOfVariation, GeneralisedEntropy, Gini, Hoover,
    InequalityIndex, Sample,
};

/// One period of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ImbalanceRow {
    /// The period.
    pub period: Period,
    /// Regions with a value.
    pub regions: usize,
    /// Sum of the measure over those regions.
    pub total: f64,
    /// Sum over the group's regions.
    pub group_total: f64,
    /// The group's share of the total (of the measure itself, not per head).
    pub group_share: Option<f64>,
    /// The group's share of the denominator (population share), when per head.
    pub group_denominator_share: Option<f64>,
    /// Gini.
    pub gini: Option<f64>,
    /// Theil T.
    pub theil: Option<f64>,
    /// Theil L (mean log deviation).
    pub theil_l: Option<f64>,
    /// Between-group part of Theil T (group vs the rest).
    pub theil_between: Option<f64>,
    /// Within-group part of Theil T.
    pub theil_within: Option<f64>,
    /// Atkinson with ε = 0.5.
    pub atkinson_05: Option<f64>,
    /// Coefficient of variation (the Williamson index when weighted).
    pub cv: Option<f64>,
    /// Hoover index.
    pub hoover: Option<f64>,
    /// Notes.
    pub diagnostics: Vec<Diagnostic>,
}

/// What to report on.
#[derive(Debug, Clone)]
pub struct ImbalanceInput<'a> {
    /// The measure's panel.
    pub panel: &'a Panel,
    /// Industry code of the values (`_T` for totals).
    pub industry: &'a str,
    /// Regions across which inequality is measured.
    pub regions: &'a [RegionId],
    /// Names of the regions, for diagnostics.
    pub region_names: &'a [String],
    /// Group membership, aligned with `regions`.
    pub in_group: &'a [bool],
    /// Periods to report.
    pub periods: &'a [Period],
    /// Optional denominator panel (population) for per-head values; industry `_T`.
    pub per: Option<&'a Panel>,
}

/// Builds the report, one row per period.
///
/// ```
/// use regis_core::*;
/// use regis_methods::imbalance::{imbalance, ImbalanceInput};
/// let mut cat = RegionCatalog::new();
/// let mk = |c: &str| Region { id: RegionId(0), code: c.into(), level: Level::PROVINCE,
///     name_ko: c.into(), name_en: c.into(), parent: None, valid_from: 0, valid_to: i32::MAX, aliases: vec![] };
/// let (a, b) = (cat.add_region(mk("a")), cat.add_region(mk("b")));
/// let mut p = Panel::new(Measure::count("population", "인구", "Population", "persons"), None,
///     vec![a, b], vec![TOTAL_INDUSTRY.into()], vec![Period(2001)]);
/// // KOSIS 2001: SMA 22,093,135 of 47,370,164.
/// p.set(a, TOTAL_INDUSTRY, Period(2001), Some(22_093_135.0));
/// p.set(b, TOTAL_INDUSTRY, Period(2001), Some(25_277_029.0));
/// let rows = imbalance(&ImbalanceInput { panel: &p, industry: TOTAL_INDUSTRY, regions: &[a, b],
///     region_names: &["SMA".into(), "rest".into()], in_group: &[true, false],
///     periods: &[Period(2001)], per: None });
/// assert!((rows[0].group_share.unwrap() - 0.4664).abs() < 5e-5);
/// ```
pub fn imbalance(input: &ImbalanceInput) -> Vec<ImbalanceRow> {
    let ImbalanceInput {
        panel,
        industry,
        regions,
        region_names,
        in_group,
        periods,
        per,
    } = input;
    let t = regis_core::TOTAL_INDUSTRY;
    periods
        .iter()
        .map(|&p| {
            let mut diagnostics = Vec::new();
            let mut values = Vec::new();
            let mut weights = Vec::new();
            let mut groups = Vec::new();
            let (mut total, mut group_total, mut den_total, mut den_group) = (0.0, 0.0, 0.0, 0.0);
            let mut skipped = Vec::new();
            for (k, &r) in regions.iter().enumerate() {
                let x = panel.get(r, industry, p);
                let d = per.map(|q| q.get(r, t, p));
                match (x, d) {
                    (Some(x), None) if x.is_finite() => {
                        values.push(x);
                        weights.push(1.0);
                        total += x;
                        if in_group[k] {
                            group_total += x;
                        }
                    }
                    (Some(x), Some(Some(d))) if x.is_finite() && d.is_finite() && d > 0.0 => {
                        values.push(x / d);
                        weights.push(d);
                        total += x;
                        den_total += d;
                        if in_group[k] {
                            group_total += x;
                            den_group += d;
                        }
                    }
                    _ => {
                        skipped.push(region_names.get(k).cloned().unwrap_or_default());
                        continue;
                    }
                }
                groups.push(if in_group[k] { 0 } else { 1 });
            }
            if !skipped.is_empty() {
                diagnostics.push(Diagnostic::info(
                    "regions-without-value",
                    format!("left out (no value this period): {}", skipped.join(", ")),
                ));
            }
            let sample = if per.is_some() {
                Sample::weighted(&values, &weights)
            } else {
                Sample::new(&values)
            };
            let mut take = |e: regis_core::Estimate| {
                for d in e.diagnostics {
                    if !diagnostics.contains(&d) {
                        diagnostics.push(d);
                    }
                }
                e.value
            };
            let gini = take(Gini.index(&sample));
            let theil = take(GeneralisedEntropy::THEIL_T.index(&sample));
            let theil_l = take(GeneralisedEntropy::THEIL_L.index(&sample));
            let atkinson_05 = take(Atkinson::new(0.5).expect("valid ε").index(&sample));
            let cv = take(CoefficientOfVariation.index(&sample));
            let hoover = take(Hoover.index(&sample));
            let (theil_between, theil_within) =
                if theil.is_some() && groups.contains(&0) && groups.contains(&1) {
                    let d = theil_decomposition(&sample, &groups);
                    (Some(d.between), Some(d.within))
                } else {
                    (None, None)
                };
            let group_share = (total != 0.0 && !values.is_empty()).then(|| group_total / total);
            let group_denominator_share =
                (per.is_some() && den_total > 0.0).then(|| den_group / den_total);
            ImbalanceRow {
                period: p,
                regions: values.len(),
                total,
                group_total,
                group_share,
                group_denominator_share,
                gini,
                theil,
                theil_l,
                theil_between,
                theil_within,
                atkinson_05,
                cv,
                hoover,
                diagnostics,
            }
        })
        .collect()
}
