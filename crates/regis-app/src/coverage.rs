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

/// `regis data show`: a measure's metadata and each of its tables with its true coverage,
/// one fact per row (levels, regions, periods, cells present and missing, source).
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeasureShow {
    /// The measure's metadata.
    pub measure: serde_json::Value,
    /// Each table (panel or flows) with its coverage.
    pub tables: Vec<serde_json::Value>,
    /// Where the data come from.
    pub attribution: String,
}

/// Describes the measure `id` (built-in or stored).
///
/// ```
/// let s = regis_app::coverage::measure_show(&regis_app::Sources::default(), "grdp_nominal").unwrap();
/// use regis_app::table::Tabular;
/// let t = s.table();
/// let row = (0..t.len()).find(|&r| t.text(r, "item") == Some("periods (nation, province)")).unwrap();
/// assert_eq!(t.text(row, "value"), Some("1985-2017"));
/// ```
pub fn measure_show(sources: &crate::Sources, id: &str) -> crate::Result<MeasureShow> {
    let loaded = sources.measure(id)?;
    let d = &loaded.dataset;
    let mut tables = Vec::new();
    for lp in &d.panels {
        let p = &lp.panel;
        tables.push(serde_json::json!({
            "levels": lp.levels.iter().map(|l| l.name()).collect::<Vec<_>>(),
            "source": lp.source,
            "classification": p.classification,
            "regions": p.regions().len(),
            "industries": p.industries(),
            "periods": p.periods().iter().map(|x| x.0).collect::<Vec<_>>(),
            "cells_present": p.count_present(),
            "cells_missing": p.regions().len() * p.industries().len() * p.periods().len() - p.count_present(),
        }));
    }
    if let Some(f) = &d.flows {
        tables.push(serde_json::json!({
            "levels": ["province"],
            "source": "KOSIS internal migration by origin and destination province (via migest)",
            "regions": f.regions().len(),
            "periods": f.periods().iter().map(|x| x.0).collect::<Vec<_>>(),
            "cells_present": f.count_present(),
        }));
    }
    Ok(MeasureShow {
        measure: regis_data::export::measure_json(&d.measure),
        tables,
        attribution: loaded.attribution.clone(),
    })
}

impl crate::table::Tabular for MeasureShow {
    fn table(&self) -> crate::table::Table {
        use crate::table::{Cell, Column, Table};
        let m = &self.measure;
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        let basis = match &m["price_basis"] {
            serde_json::Value::Null => "not applicable".to_string(),
            serde_json::Value::String(s) => s.clone(),
            v => format!(
                "{} prices of {}",
                if v["chained"] == true {
                    "chained"
                } else {
                    "constant"
                },
                v["real_base_year"]
            ),
        };
        let mut rows: Vec<(String, String)> = vec![
            ("id".into(), text(&m["id"])),
            ("name_ko".into(), text(&m["name_ko"])),
            ("name_en".into(), text(&m["name_en"])),
            ("unit".into(), text(&m["unit"])),
            ("price basis".into(), basis),
            ("additive".into(), m["additive"].to_string()),
        ];
        for t in &self.tables {
            let levels: Vec<&str> = t["levels"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str())
                .collect();
            let at = format!("({})", levels.join(", "));
            let periods: Vec<regis_core::Period> = t["periods"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_i64().map(|y| regis_core::Period(y as i32)))
                .collect();
            rows.push((format!("regions {at}"), t["regions"].to_string()));
            rows.push((
                format!("periods {at}"),
                crate::export::period_list(&periods),
            ));
            rows.push((format!("cells {at}"), t["cells_present"].to_string()));
            if let Some(missing) = t["cells_missing"].as_u64() {
                rows.push((format!("missing cells {at}"), missing.to_string()));
            }
            rows.push((format!("source {at}"), text(&t["source"])));
        }
        rows.push(("attribution".into(), self.attribution.clone()));
        let mut t = Table::new(vec![Column::text("item"), Column::text("value")]);
        for (item, value) in rows {
            t.push(vec![Cell::text(item), Cell::text(value)]);
        }
        t
    }
}
