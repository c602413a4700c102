//! `regis micro aggregate --store-as ID`: the aggregated panel stored as three measures of the
//! dataset store (`ID_establishments`, `ID_employees`, `ID_sales`; with sampling weights also
//! `ID_weighted_establishments`, `ID_weighted_employees`, `ID_weighted_sales`), so that every
//! analytic command and the dashboard read it like an imported measure.

use crate::micro::{Aggregate, MicroRequest};
use crate::Result;
use regis_core::{Measure, Panel, Period, PriceBasis, RegionId};
use regis_data::import::Imported;
use regis_data::store::{check_measure_id, Store};
use regis_data::{korea, DataError};
use std::collections::HashMap;
use std::path::Path;

/// The three measure ids stored for `id`.
pub fn stored_ids(id: &str) -> [String; 3] {
    ["establishments", "employees", "sales"].map(|m| format!("{id}_{m}"))
}

/// The three more measure ids stored for `id` when the rows carry sampling weights.
pub fn weighted_ids(id: &str) -> [String; 3] {
    ["establishments", "employees", "sales"].map(|m| format!("{id}_weighted_{m}"))
}

/// Stores `a` (computed for `q`) in the store at `store` under `id`'s three measure ids and
/// records what was stored in `a.stored`. Every cell of the panel's regions × industries ×
/// periods is stored: a cell without establishments is 0.
pub fn store_as(a: &mut Aggregate, q: &MicroRequest, store: &Path, id: &str) -> Result<()> {
    let mut ids = stored_ids(id).to_vec();
    if a.weighted {
        ids.extend(weighted_ids(id));
    }
    for m in &ids {
        check_measure_id(m).map_err(|e| {
            DataError::argument(format!("--store-as {}: {}", crate::error::shown(id), e))
        })?;
    }
    let cat = korea::catalog();
    let sgis = cat.system_index(korea::SGIS).unwrap_or(0);
    let by_code: HashMap<&str, RegionId> = cat
        .at_level(q.level, None)
        .into_iter()
        .filter_map(|r| cat.code_in(r, sgis, None).map(|c| (c, r)))
        .collect();
    let mut regions = std::collections::BTreeSet::new();
    let mut industries = std::collections::BTreeSet::new();
    let mut periods = std::collections::BTreeSet::new();
    for r in &a.rows {
        let region = *by_code.get(r.region.as_str()).ok_or_else(|| {
            DataError::argument(format!("region {} is not in the code history", r.region))
        })?;
        regions.insert(region);
        industries.insert(r.industry.clone());
        periods.insert(Period(r.period));
    }
    let (regions, industries, periods): (Vec<RegionId>, Vec<String>, Vec<Period>) = (
        regions.into_iter().collect(),
        industries.into_iter().collect(),
        periods.into_iter().collect(),
    );
    let mut measures = vec![
        Measure::count(&ids[0], "사업체 수", "Establishments", "count"),
        Measure::count(&ids[1], "종사자 수", "Employees", "persons"),
        Measure {
            price_basis: PriceBasis::Nominal,
            ..Measure::count(&ids[2], "매출액", "Sales", "million KRW")
        },
    ];
    if a.weighted {
        measures.extend([
            Measure::count(
                &ids[3],
                "사업체 수 (가중)",
                "Establishments (weighted)",
                "count",
            ),
            Measure::count(
                &ids[4],
                "종사자 수 (가중)",
                "Employees (weighted)",
                "persons",
            ),
            Measure {
                price_basis: PriceBasis::Nominal,
                ..Measure::count(&ids[5], "매출액 (가중)", "Sales (weighted)", "million KRW")
            },
        ]);
    }
    let store = Store::open(store)?;
    let source = format!(
        "micro data {} (regis micro aggregate, {} engine)",
        q.input.display(),
        a.engine
    );
    for (k, measure) in measures.into_iter().enumerate() {
        let mut panel = Panel::new(
            measure,
            Some(q.classification.clone()),
            regions.clone(),
            industries.clone(),
            periods.clone(),
        );
        for &r in &regions {
            for i in &industries {
                for &p in &periods {
                    panel.set(r, i, p, Some(0.0));
                }
            }
        }
        for row in &a.rows {
            let value = match k {
                0 => row.establishments as f64,
                1 => row.employees as f64,
                2 => row.sales,
                3 => row.weighted_establishments.unwrap_or(0.0),
                4 => row.weighted_employees.unwrap_or(0.0),
                _ => row.weighted_sales.unwrap_or(0.0),
            };
            panel.set(
                by_code[row.region.as_str()],
                &row.industry,
                Period(row.period),
                Some(value),
            );
        }
        store.put(&Imported::Panel(panel), cat, &source)?;
    }
    a.stored = Some(format!(
        "stored as {} in {}",
        ids.join(", "),
        store.dir().display()
    ));
    Ok(())
}
