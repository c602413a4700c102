//! "What data is there?": every measure, built-in or stored, with what it truly covers — the
//! periods of each level it has, not the union of all (province GRDP ends in 2017 while the
//! districts have 2020) — for `regis data list`.

use std::path::Path;

use regis_data::korea;
use regis_data::store::Store;
use serde::Serialize;

use crate::source::{Source, Sources};
use crate::Result;

/// One measure and its coverage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MeasureCoverage {
    /// Measure id.
    pub id: String,
    /// `built-in` or `stored`.
    pub origin: &'static str,
    /// English name.
    pub name_en: String,
    /// Korean name.
    pub name_ko: String,
    /// Unit (empty when the import gave none).
    pub unit: String,
    /// Whether values add up across regions and industries.
    pub additive: bool,
    /// The levels it has, in order (`province (flows)` for flows).
    pub levels: Vec<String>,
    /// Its first and last period over every level.
    pub periods: String,
    /// Each group of levels with the periods it has: `province 1985-2017; district 2010, 2015,
    /// 2020`.
    pub coverage: String,
    /// Cells stored (stored measures).
    pub cells: Option<usize>,
    /// The file a stored measure was imported from.
    pub source_file: Option<String>,
}

/// Years as runs: `1985-2017`, `2010, 2015, 2020`, `1998-2005, 2010`.
///
/// ```
/// use regis_app::coverage::periods_text;
/// assert_eq!(periods_text(&[1985, 1986, 1987]), "1985-1987");
/// assert_eq!(periods_text(&[2010, 2015, 2020]), "2010, 2015, 2020");
/// assert_eq!(periods_text(&[]), "none");
/// ```
pub fn periods_text(years: &[i32]) -> String {
    if years.is_empty() {
        return "none".into();
    }
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &y in years {
        match runs.last_mut() {
            Some(r) if y == r.1 + 1 => r.1 = y,
            _ => runs.push((y, y)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else if b - a == 1 {
                format!("{a}, {b}")
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn of_dataset(d: &regis_data::Dataset) -> (Vec<String>, String, String) {
    if let Some(f) = &d.flows {
        let years: Vec<i32> = f.periods().iter().map(|p| p.0).collect();
        let text = periods_text(&years);
        return (
            vec!["province (flows)".into()],
            text.clone(),
            format!("province flows {text}"),
        );
    }
    let mut levels = Vec::new();
    let mut groups = Vec::new();
    for lp in &d.panels {
        let names: Vec<String> = lp.levels.iter().map(|l| l.name()).collect();
        let years: Vec<i32> = lp.panel.periods().iter().map(|p| p.0).collect();
        groups.push(format!("{} {}", names.join(", "), periods_text(&years)));
        levels.extend(names);
    }
    let all = d.periods();
    let span = match (all.first(), all.last()) {
        (Some(a), Some(b)) if a == b => a.0.to_string(),
        (Some(a), Some(b)) => format!("{}-{}", a.0, b.0),
        _ => "none".into(),
    };
    (levels, span, groups.join("; "))
}

/// Every built-in measure, then every measure in the store under `store` (if any).
pub fn measures(store: &Path) -> Result<Vec<MeasureCoverage>> {
    let mut out = Vec::new();
    for id in korea::MEASURE_IDS {
        let m = korea::measure(id).expect("a built-in measure is defined");
        let (levels, periods, coverage) = of_dataset(korea::dataset(id)?);
        out.push(MeasureCoverage {
            id: id.to_string(),
            origin: "built-in",
            name_en: m.name_en,
            name_ko: m.name_ko,
            unit: m.unit,
            additive: m.additive,
            levels,
            periods,
            coverage,
            cells: None,
            source_file: None,
        });
    }
    if store.join("datasets").exists() {
        let sources = Sources::with_store(store);
        for m in Store::open(store)?.list()? {
            let loaded = sources.load(&Source::measure(&m.id), None)?;
            let (levels, periods, coverage) = of_dataset(&loaded.dataset);
            out.push(MeasureCoverage {
                id: m.id,
                origin: "stored",
                name_en: m.name_en,
                name_ko: m.name_ko,
                unit: m.unit,
                additive: m.additive,
                levels,
                periods,
                coverage,
                cells: Some(m.cells),
                source_file: Some(m.source_file),
            });
        }
    }
    Ok(out)
}
