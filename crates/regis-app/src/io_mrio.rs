//! `regis io mrio`: a multiregional table's multipliers split by the region where they arise
//! (in-region and spill-over shares) and the regional accounts of an extension — production-
//! and consumption-based (footprint), with the imports and exports embodied — as pymrio's
//! `calc_accounts` computes them (`regis_methods::io_multiregional`). The sectors file gives
//! each sector's `region`; the final-demand file gives `sector`, consuming `region` and
//! `final_demand`.

use regis_data::io_system::read_final_demand_by_region;
use regis_methods::input_output::technical_coefficients;
use regis_methods::io_multiregional::{accounts, region_shares};
use serde::Serialize;

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;

/// What `regis io mrio` asks.
#[derive(Debug, Clone)]
pub struct MrioRequest {
    /// The table (flows, sectors with a `region` column, column names).
    pub table: crate::io::MultipliersRequest,
    /// The final demand by consuming region (needed for the accounts).
    pub final_demand: Option<std::path::PathBuf>,
    /// The extension of the accounts (a sectors-file field; default employment, else
    /// compensation).
    pub extension: Option<String>,
}

/// One sector of a multiregional table.
#[derive(Debug, Clone, Serialize)]
pub struct MrioSector {
    /// Sector code.
    pub sector: String,
    /// Its region.
    pub region: String,
    /// Column sum of the Leontief inverse.
    pub output_multiplier: f64,
    /// Share of the multiplier arising in the sector's own region.
    pub in_region_share: f64,
    /// Share arising in the other regions.
    pub spillover_share: f64,
    /// Extension used across all regions per unit of final demand for the sector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_multiplier: Option<f64>,
}

/// One region's accounts of the extension.
#[derive(Debug, Clone, Serialize)]
pub struct MrioRegion {
    /// Region.
    pub region: String,
    /// Used by the region's producers.
    pub production_based: f64,
    /// Used anywhere for the region's final demand (its footprint).
    pub consumption_based: f64,
    /// Part of the footprint used in other regions.
    pub imports_embodied: f64,
    /// Used by the region's producers for other regions' final demand.
    pub exports_embodied: f64,
}

/// The answer to `regis io mrio`.
#[derive(Debug, Clone, Serialize)]
pub struct MrioReport {
    /// The extension of the accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// One object per sector.
    pub sectors: Vec<MrioSector>,
    /// One object per region (empty without final demand).
    pub regions: Vec<MrioRegion>,
    /// What was left out.
    pub notes: Vec<String>,
}

/// Answers an [`MrioRequest`].
pub fn mrio(q: &MrioRequest) -> Result<MrioReport> {
    let t = &q.table;
    if t.household_closure {
        return Err(crate::Error::invalid(
            "no-household-closure",
            "--household-closure: io mrio gives type I shares and accounts only; for type II \
             multipliers use `regis io multipliers --household-closure`",
        )
        .with_fixes(vec![("household-closure", None)]));
    }
    if t.builtin.is_some() {
        return Err(crate::Error::invalid(
            "missing-parameter",
            "regis io mrio needs a multiregional table given as files: --flows and --sectors (with a `region` column)",
        ));
    }
    let io = crate::io::load(t)?;
    if io.regions.is_empty() {
        return Err(crate::Error::invalid(
            "missing-column",
            format!(
                "{}: a multiregional table needs each sector's region: a `region` column in the sectors file (or --col region=HEADER)",
                t.sectors.display()
            ),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for r in &io.regions {
        if !names.contains(r) {
            names.push(r.clone());
        }
    }
    let region_of: Vec<usize> = io
        .regions
        .iter()
        .map(|r| names.iter().position(|x| x == r).unwrap_or(0))
        .collect();
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("{}: {e}", t.flows.display()))
    };
    let n = io.sectors.len();
    let a = technical_coefficients(&io.flows, &io.output).map_err(bad)?;
    let lu = regis_methods::input_output::leontief_lu(&a).map_err(bad)?;
    let shares = region_shares(&lu, &region_of, names.len());
    let mut totals = vec![1.0; n];
    lu.solve_rows(&mut totals);
    let mut notes = Vec::new();
    let extension = match &q.extension {
        Some(e) => Some(e.clone()),
        None => ["employment", "compensation"]
            .into_iter()
            .find(|f| io.field(f).is_some())
            .map(str::to_string),
    };
    let coef: Option<Vec<f64>> = match &extension {
        Some(e) => {
            let v = io.field(e).ok_or_else(|| {
                crate::Error::invalid(
                    "missing-column",
                    format!("the sectors file has no `{e}` column for --extension"),
                )
            })?;
            Some(
                v.iter()
                    .zip(&io.output)
                    .map(|(v, x)| if *x > 0.0 { v / x } else { 0.0 })
                    .collect(),
            )
        }
        None => {
            notes.push("no extension (employment or compensation) in the sectors file: no accounts or extension multipliers".into());
            None
        }
    };
    let ext_multipliers = coef.as_ref().map(|c| {
        let mut row = c.clone();
        lu.solve_rows(&mut row);
        row
    });
    let regions = match (&q.final_demand, &coef) {
        (Some(path), Some(c)) => {
            let y = read_final_demand_by_region(path, &io.sectors, &names, &t.columns)?;
            accounts(&lu, c, &y, &region_of, names.len())
                .into_iter()
                .zip(&names)
                .map(|(acc, r)| MrioRegion {
                    region: r.clone(),
                    production_based: acc.production_based,
                    consumption_based: acc.consumption_based,
                    imports_embodied: acc.imports_embodied,
                    exports_embodied: acc.exports_embodied,
                })
                .collect()
        }
        (None, _) => {
            notes.push(
                "no --final-demand: the regional accounts (footprints) need final demand by consuming region".into(),
            );
            Vec::new()
        }
        (Some(_), None) => Vec::new(),
    };
    let sectors = (0..n)
        .map(|j| {
            let own = shares[region_of[j] * n + j];
            MrioSector {
                sector: io.sectors[j].clone(),
                region: io.regions[j].clone(),
                output_multiplier: totals[j],
                in_region_share: own,
                spillover_share: 1.0 - own,
                extension_multiplier: ext_multipliers.as_ref().map(|m| m[j]),
            }
        })
        .collect();
    Ok(MrioReport {
        extension,
        sectors,
        regions,
        notes,
    })
}

impl Tabular for MrioReport {
    fn table(&self) -> Table {
        if !self.regions.is_empty() {
            let unit = self.extension.clone().unwrap_or_default();
            let mut t = Table::new(vec![
                Column::text("region"),
                Column::rounded("production_based", &unit, 1),
                Column::rounded("consumption_based", &unit, 1),
                Column::rounded("imports_embodied", &unit, 1),
                Column::rounded("exports_embodied", &unit, 1),
            ]);
            for r in &self.regions {
                t.push(vec![
                    Cell::text(&r.region),
                    Cell::Number(r.production_based),
                    Cell::Number(r.consumption_based),
                    Cell::Number(r.imports_embodied),
                    Cell::Number(r.exports_embodied),
                ]);
            }
            return t;
        }
        let mut t = Table::new(vec![
            Column::text("sector"),
            Column::text("region"),
            Column::rounded("output_multiplier", "", 4),
            Column::rounded("in_region_share", "share", 3),
            Column::rounded("spillover_share", "share", 3),
            Column::rounded("extension_multiplier", "", 4),
        ]);
        for s in &self.sectors {
            t.push(vec![
                Cell::text(&s.sector),
                Cell::text(&s.region),
                Cell::Number(s.output_multiplier),
                Cell::Number(s.in_region_share),
                Cell::Number(s.spillover_share),
                Cell::num(s.extension_multiplier),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        if self.regions.is_empty() {
            format!(
                "{} sectors: output multipliers with the share arising in their own region",
                self.sectors.len()
            )
        } else {
            format!(
                "regional accounts of {} (production- and consumption-based, as pymrio's calc_accounts); --format json adds each sector's multipliers and in-region shares",
                self.extension.as_deref().unwrap_or("the extension")
            )
        }
    }
    fn warnings(&self) -> &[String] {
        &self.notes
    }
}
