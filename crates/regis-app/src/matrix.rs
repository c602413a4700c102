//! What the structural questions share: the industries to compare, the regions of a level, the
//! region x industry matrix of one period (regions with a missing or negative cell left out and
//! named, never read as zero unless asked), names in the report's language, and the
//! per-head denominator.

use regis_core::{Diagnostic, Level, Panel, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::{korea, DataError};
use regis_methods::specialisation::RegionIndustry;

use crate::resolve::{panel_at_level, to_vintage};
use crate::source::{Loaded, Source, Sources};
use crate::{Lang, Result};

/// Which industries a structural question compares.
#[derive(Debug, Clone, Default)]
pub struct IndustryChoice {
    /// Industries named (codes or names); empty: by depth, or the finest partition.
    pub industries: Vec<String>,
    /// The industries at this depth of the classification.
    pub industry_depth: Option<u8>,
    /// Read missing cells as zero instead of leaving the region out (reported).
    pub missing_as_zero: bool,
}

/// The source of a structural question: the one given, else `grdp_nominal` (the built-in
/// measure with an industry breakdown) when no file is given either.
pub fn with_default_measure(source: &Source) -> Source {
    let mut s = source.clone();
    if s.measure.is_none() && s.input.is_none() {
        s.measure = Some("grdp_nominal".into());
    }
    s
}

/// The industries to analyse: those named, those at a depth, or the finest partition (leaves
/// of the classification, without totals and taxes).
pub fn choose_industries(panel: &Panel, choice: &IndustryChoice) -> Result<Vec<String>> {
    let cl = panel
        .classification
        .as_deref()
        .and_then(korea::classification);
    let present = panel.industries();
    if !choice.industries.is_empty() {
        return choice
            .industries
            .iter()
            .map(|i| {
                let code = cl
                    .and_then(|c| c.find(i))
                    .map(|x| x.code.clone())
                    .unwrap_or_else(|| i.clone());
                if present.contains(&code) {
                    Ok(code)
                } else {
                    Err(crate::Error::not_found(
                        "unknown-industry",
                        format!(
                            "industry `{}` is not in the data; it has: {}",
                            crate::error::shown(i),
                            present.join(", ")
                        ),
                    ))
                }
            })
            .collect();
    }
    let chosen: Vec<String> = match (cl, choice.industry_depth) {
        (Some(c), Some(d)) => present
            .iter()
            .filter(|i| c.get(i).is_some_and(|x| x.level == d))
            .cloned()
            .collect(),
        (Some(c), None) => present
            .iter()
            .filter(|i| {
                let Some(x) = c.get(i) else { return false };
                let has_children = c.children(i).iter().any(|k| present.contains(&k.code));
                // A leaf inside a hierarchy (not a stand-alone total such as taxes).
                !has_children && x.parent.is_some()
            })
            .cloned()
            .collect(),
        (None, _) => present
            .iter()
            .filter(|i| *i != TOTAL_INDUSTRY)
            .cloned()
            .collect(),
    };
    if chosen.len() < 2 {
        return Err(DataError::argument(format!("fewer than two industries to compare (have: {}); the measure needs an industry breakdown", present.join(", "))).into());
    }
    Ok(chosen)
}

/// The regions of `level` in a panel, by code.
pub fn regions_at(panel: &Panel, cat: &RegionCatalog, level: Level) -> Vec<RegionId> {
    let mut rs: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    rs.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
    rs
}

/// A region x industry matrix for one period. A region with a missing cell is left out (or the
/// cell read as zero when `missing_as_zero`); a region with a negative cell is left out (shares
/// and quotients need values that are not negative); a diagnostic names them either way.
pub fn matrix(
    panel: &Panel,
    cat: &RegionCatalog,
    regions: &[RegionId],
    industries: &[String],
    period: Period,
    missing_as_zero: bool,
) -> (RegionIndustry, Vec<RegionId>, Vec<Diagnostic>) {
    let mut values = Vec::new();
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    let mut negative = Vec::new();
    let mut zeroed = 0;
    for &r in regions {
        let row: Vec<Option<f64>> = industries.iter().map(|i| panel.get(r, i, period)).collect();
        if row.iter().all(|v| v.is_none()) {
            continue; // the region has no data this period at all
        }
        if row.iter().any(|v| v.is_none()) && !missing_as_zero {
            left_out.push(cat.region(r).name_en.clone());
            continue;
        }
        if row.iter().flatten().any(|v| *v < 0.0 || !v.is_finite()) {
            negative.push(cat.region(r).name_en.clone());
            continue;
        }
        zeroed += row.iter().filter(|v| v.is_none()).count();
        values.extend(row.iter().map(|v| v.unwrap_or(0.0)));
        kept.push(r);
    }
    let mut d = Vec::new();
    if !left_out.is_empty() {
        d.push(Diagnostic::info(
            "regions-with-missing-cells",
            format!(
                "left out (a missing industry value; --missing-as-zero keeps them): {}",
                left_out.join(", ")
            ),
        ));
    }
    if !negative.is_empty() {
        d.push(Diagnostic::warning(
            "regions-with-negative-cells",
            format!(
                "left out (a negative industry value: shares and quotients need values that are not negative): {}",
                negative.join(", ")
            ),
        ));
    }
    if zeroed > 0 {
        d.push(Diagnostic::warning(
            "missing-read-as-zero",
            format!("{zeroed} missing cell(s) read as zero"),
        ));
    }
    let n = kept.len();
    (
        RegionIndustry::new(values, n, industries.len())
            .expect("shape checked, values finite and not negative"),
        kept,
        d,
    )
}

/// A region's name in `lang`.
pub fn region_name(cat: &RegionCatalog, r: RegionId, lang: Lang) -> String {
    cat.region(r).name(lang.code()).to_string()
}

/// An industry's name in `lang` (its code when the classification does not know it).
pub fn industry_name(panel: &Panel, code: &str, lang: Lang) -> String {
    industry_name_in(panel.classification.as_deref(), code, lang)
}

/// An industry's name in `lang` in a classification (by id): English names start with a
/// capital; the total is `계` / `Total`; a code the classification does not know stays a code.
pub fn industry_name_in(classification: Option<&str>, code: &str, lang: Lang) -> String {
    let named = classification
        .and_then(korea::classification)
        .and_then(|c| c.get(code))
        .map(|i| {
            if lang == Lang::Ko || i.name_en.is_empty() {
                i.name_ko.clone()
            } else {
                let mut c = i.name_en.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        });
    match named {
        Some(n) => n,
        None if code == TOTAL_INDUSTRY => match lang {
            Lang::Ko => "계".into(),
            Lang::En => "Total".into(),
        },
        None => code.to_string(),
    }
}

/// A region's value of `industry` in period `p`, per head of the denominator's total when
/// there is one (none when either is missing or the denominator is not positive).
pub fn value_per_head(
    panel: &Panel,
    per: Option<&Panel>,
    r: RegionId,
    industry: &str,
    p: Period,
) -> Option<f64> {
    let x = panel.get(r, industry, p)?;
    match per {
        Some(d) => d
            .get(r, TOTAL_INDUSTRY, p)
            .filter(|d| *d > 0.0)
            .map(|d| x / d),
        None => Some(x),
    }
}

/// The panel of a loaded measure at `level` and, with `per`, the denominator measure's panel,
/// both carried to the boundaries of `vintage` when given (regions not carried are named in
/// `warnings`).
pub fn per_head(
    sources: &Sources,
    loaded: &Loaded,
    level: Level,
    per: Option<&str>,
    vintage: Option<i32>,
    warnings: &mut Vec<String>,
) -> Result<(Panel, Option<Panel>)> {
    let mut panel = panel_at_level(loaded, level)?;
    if let Some(v) = vintage {
        panel = to_vintage(&panel, level, v, &loaded.catalog, warnings)?;
    }
    let den = match per {
        Some(id) => {
            let d = sources
                .measure(id)
                .map_err(|e| e.retargeted("measure", "per"))?;
            let mut q = panel_at_level(&d, level)?;
            if let Some(v) = vintage {
                q = to_vintage(&q, level, v, &loaded.catalog, warnings)?;
            }
            Some(q)
        }
        None => None,
    };
    Ok((panel, den))
}

/// Refuses a measure that does not add up, for a question that sums it (`what` says why).
pub fn require_additive(loaded: &Loaded, what: &str) -> Result<()> {
    if loaded.dataset.measure.additive {
        return Ok(());
    }
    Err(DataError::file(
        regis_data::ErrorKind::NotAdditive,
        "<arguments>",
        format!("`{}` is not additive: {what}", loaded.dataset.measure.id),
    )
    .into())
}

/// The refusal of an industry `given` that the panel of `measure` does not have, with the
/// nearest industry by code or Korean or English name proposed (and the industries listed).
///
/// ```
/// let d = regis_data::korea::dataset("grdp_nominal").unwrap();
/// let panel = &d.panel_at(regis_core::Level::PROVINCE).unwrap().panel;
/// let e = regis_app::matrix::unknown_industry(panel, "manufactring", "grdp_nominal");
/// assert!(e.to_string().contains("did you mean C (Manufacturing)?"), "{e}");
/// assert_eq!(e.fix().unwrap().set[0].1.as_deref(), Some("C"));
/// ```
pub fn unknown_industry(panel: &Panel, given: &str, measure: &str) -> crate::Error {
    let cl = panel
        .classification
        .as_deref()
        .and_then(korea::classification);
    let codes = panel.industries();
    let mut names: Vec<(String, &str)> = Vec::new();
    for code in codes {
        names.push((code.clone(), code.as_str()));
        if let Some(i) = cl.and_then(|c| c.get(code)) {
            names.push((i.name_ko.clone(), code.as_str()));
            names.push((i.name_en.clone(), code.as_str()));
        }
    }
    let near = crate::advice::nearest(given, names.iter().map(|(n, _)| n.as_str())).and_then(|n| {
        names
            .iter()
            .find(|(m, _)| m == n)
            .map(|(_, c)| c.to_string())
    });
    let e = crate::Error::not_found(
        "unknown-industry",
        format!(
            "industry `{}` is not in `{measure}`{}; it has: {}",
            crate::error::shown(given),
            near.as_deref()
                .map(|c| format!(
                    "; did you mean {c} ({})?",
                    industry_name_in(panel.classification.as_deref(), c, Lang::En)
                ))
                .unwrap_or_default(),
            codes.join(", ")
        ),
    );
    match near {
        Some(c) => e.with_fix_for("industry", given, c),
        None => e,
    }
}
