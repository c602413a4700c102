//! `regis io multipliers|linkages`: the type I multipliers of every sector of an input-output
//! table given as files (flows and sectors, `regis_data::io_system`) — output multipliers, the
//! income, value-added (GVA) and employment effects and multipliers (Miller & Blair 2009,
//! ch. 6) — and its linkages and key sectors (Rasmussen 1956; Miller & Blair 2009, §12.2).
//! Income is compensation of employees; GVA is compensation plus operating surplus plus
//! taxes on production, of those the sectors file gives.

use regis_data::io_system::{read_io_system, IoColumns};
use regis_methods::input_output::{
    backward_linkages, extraction, forward_linkages, forward_linkages_leontief, ghosh_inverse,
    household_closure, key_sector, leontief_inverse, output_multipliers, satellite_multipliers,
    technical_coefficients,
};
use serde::Serialize;

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;

/// What `regis io multipliers` asks.
#[derive(Debug, Clone, Default)]
pub struct MultipliersRequest {
    /// The flows file.
    pub flows: std::path::PathBuf,
    /// The sectors file.
    pub sectors: std::path::PathBuf,
    /// How their columns are named.
    pub columns: IoColumns,
    /// Type II multipliers too (households endogenous).
    pub household_closure: bool,
    /// A final-demand file whose `household_consumption` column closes the table (else the
    /// sectors file's).
    pub final_demand: Option<std::path::PathBuf>,
    /// The built-in Bank of Korea table at this level instead of the files.
    pub builtin: Option<regis_data::korea::io::IoLevel>,
    /// A table kept in the store (store directory, table id) instead of the files.
    pub stored: Option<(std::path::PathBuf, String)>,
}

impl MultipliersRequest {
    /// The built-in Bank of Korea 2020 table at `level` (employment in persons, output in
    /// million KRW).
    pub fn builtin(level: regis_data::korea::io::IoLevel) -> MultipliersRequest {
        MultipliersRequest {
            builtin: Some(level),
            ..Default::default()
        }
    }

    /// The table kept in the store `store` under `id`.
    pub fn stored(store: &std::path::Path, id: &str) -> MultipliersRequest {
        MultipliersRequest {
            stored: Some((store.to_path_buf(), id.to_string())),
            ..Default::default()
        }
    }
}

/// The built-in table's level with `sectors` sectors (33, 83 or 165).
pub fn builtin_level(sectors: usize) -> Result<regis_data::korea::io::IoLevel> {
    regis_data::korea::io::IoLevel::from_sectors(sectors).ok_or_else(|| {
        crate::Error::invalid(
            "bad-parameter",
            format!("the built-in table has 33, 83 or 165 sectors, not {sectors}"),
        )
        .with_fix("table", "33")
    })
}

/// The table a request names: the built-in one, a stored one or the files.
pub(crate) fn load(q: &MultipliersRequest) -> Result<regis_data::io_system::IoSystem> {
    if let Some(level) = q.builtin {
        return Ok(regis_data::korea::io::korean_io_table(level)?
            .system
            .clone());
    }
    if let Some((store, id)) = &q.stored {
        return Ok(regis_data::io_store::get(store, id)?.0);
    }
    Ok(read_io_system(&q.flows, &q.sectors, &q.columns)?)
}

/// What `regis io import` stores.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The files and their column names.
    pub table: MultipliersRequest,
    /// The store directory.
    pub store: std::path::PathBuf,
    /// The table's id, year, region and kind.
    pub info: regis_data::io_store::IoTableInfo,
}

/// The tables kept in the store.
#[derive(Debug, Clone, Serialize)]
pub struct TablesReport {
    /// One object per table.
    pub tables: Vec<regis_data::io_store::IoTableInfo>,
    /// What was done.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Reads a table from files (every check of `regis io multipliers`, balance included) and
/// keeps it in the store under its id; answers with the store's tables.
pub fn import(q: &ImportRequest) -> Result<TablesReport> {
    let t = &q.table;
    let io = read_io_system(&t.flows, &t.sectors, &t.columns)?;
    let name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let mut info = q.info.clone();
    info.sectors = io.sectors.len();
    info.source = format!("{} + {}", name(&t.flows), name(&t.sectors));
    regis_data::io_store::put(&q.store, &io, &info)?;
    let mut report = tables(&q.store)?;
    report.notes.push(format!(
        "stored `{}`: {} sectors (use it with --stored {})",
        info.id, info.sectors, info.id
    ));
    Ok(report)
}

/// The tables kept in the store.
pub fn tables(store: &std::path::Path) -> Result<TablesReport> {
    Ok(TablesReport {
        tables: regis_data::io_store::list(store)?,
        notes: Vec::new(),
    })
}

impl Tabular for TablesReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("id"),
            Column::integer("year"),
            Column::text("region"),
            Column::text("kind"),
            Column::integer("sectors"),
            Column::text("source"),
        ]);
        for x in &self.tables {
            t.push(vec![
                Cell::text(&x.id),
                x.year.map_or(Cell::Empty, Cell::int),
                x.region.as_deref().map_or(Cell::Empty, Cell::text),
                Cell::text(&x.kind),
                Cell::int(x.sectors as i64),
                Cell::text(&x.source),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        format!("{} input-output tables in the store", self.tables.len())
    }
    fn warnings(&self) -> &[String] {
        &self.notes
    }
}

/// A sector's largest suppliers and customers in the whole table.
#[derive(Debug, Clone, Serialize)]
pub struct SectorChain {
    /// The sector.
    pub sector: String,
    /// (supplier, share of the sector's intermediate inputs), largest first.
    pub suppliers: Vec<(String, f64)>,
    /// (customer, share of the sector's intermediate sales), largest first.
    pub customers: Vec<(String, f64)>,
}

/// The `top` largest suppliers and customers of `sector` in the table `q` names (shares of
/// its intermediate inputs and sales; its own use of itself included).
pub fn sector_chain(q: &MultipliersRequest, sector: &str, top: usize) -> Result<SectorChain> {
    let io = load(q)?;
    let n = io.sectors.len();
    let j = io.sectors.iter().position(|s| s == sector).ok_or_else(|| {
        crate::Error::not_found(
            "unknown-sector",
            format!("no sector `{}` in the table", crate::error::shown(sector)),
        )
    })?;
    let ranked = |values: Vec<(String, f64)>| {
        let total: f64 = values.iter().map(|v| v.1.max(0.0)).sum();
        let mut v: Vec<(String, f64)> = values
            .into_iter()
            .filter(|v| v.1 > 0.0 && total > 0.0)
            .map(|(s, x)| (s, x / total))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(top);
        v
    };
    Ok(SectorChain {
        sector: sector.to_string(),
        suppliers: ranked(
            (0..n)
                .map(|i| (io.sectors[i].clone(), io.flows[i * n + j]))
                .collect(),
        ),
        customers: ranked(
            (0..n)
                .map(|k| (io.sectors[k].clone(), io.flows[j * n + k]))
                .collect(),
        ),
    })
}

impl MultipliersRequest {
    /// A request from the command line's words: the files, the long-flow columns and the
    /// `--col NAME=HEADER` renames.
    pub fn new(
        flows: std::path::PathBuf,
        sectors: std::path::PathBuf,
        from: Option<String>,
        to: Option<String>,
        value: Option<String>,
        col: &[String],
    ) -> Result<MultipliersRequest> {
        let renames = col
            .iter()
            .map(|c| {
                c.split_once('=')
                    .map(|(n, h)| (n.trim().to_string(), h.trim().to_string()))
                    .ok_or_else(|| {
                        crate::Error::invalid(
                            "bad-parameter",
                            format!("--col `{c}`: expected NAME=HEADER"),
                        )
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(MultipliersRequest {
            flows,
            sectors,
            columns: IoColumns {
                from,
                to,
                value,
                renames,
            },
            ..Default::default()
        })
    }
}

/// One sector's multipliers (the JSON object of a sector; absent fields are not given).
#[derive(Debug, Clone, Serialize)]
pub struct SectorMultipliers {
    /// Sector code.
    pub sector: String,
    /// Column sum of the Leontief inverse.
    pub output_multiplier: f64,
    /// Compensation generated per unit of final demand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_effect: Option<f64>,
    /// Income effect over the sector's own compensation coefficient (type I).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_multiplier: Option<f64>,
    /// Value added generated per unit of final demand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gva_effect: Option<f64>,
    /// GVA effect over the sector's own value-added coefficient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gva_multiplier: Option<f64>,
    /// Employment generated per unit of final demand (the employment file's unit per unit
    /// of output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_effect: Option<f64>,
    /// Employment effect over the sector's own employment coefficient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_multiplier: Option<f64>,
    /// Imported inputs per unit of final demand (the imports leakage; with the GVA effect and
    /// the taxes on products it adds up to 1 in a balanced table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import_leakage: Option<f64>,
    /// Type II (households endogenous): output multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_multiplier_type_ii: Option<f64>,
    /// Type II income effect (compensation per unit of final demand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_effect_type_ii: Option<f64>,
    /// Type II income multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub income_multiplier_type_ii: Option<f64>,
    /// Type II GVA effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gva_effect_type_ii: Option<f64>,
    /// Type II GVA multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gva_multiplier_type_ii: Option<f64>,
    /// Type II employment effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_effect_type_ii: Option<f64>,
    /// Type II employment multiplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_multiplier_type_ii: Option<f64>,
}

/// The multipliers of every sector.
#[derive(Debug, Clone, Serialize)]
pub struct MultipliersReport {
    /// `type I` (households exogenous), or `type I and II` with the household closure.
    pub closure: &'static str,
    /// One object per sector.
    pub sectors: Vec<SectorMultipliers>,
    /// What the table left out.
    pub notes: Vec<String>,
}

/// Answers a [`MultipliersRequest`].
///
/// ```
/// // A two-sector table (Miller & Blair 2009, Table 2.3) written as files.
/// let dir = std::env::temp_dir().join(format!("regis-io-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("flows.csv"), "sector,1,2\n1,150,500\n2,200,100\n").unwrap();
/// std::fs::write(dir.join("sectors.csv"), "sector,output,compensation\n1,1000,500\n2,2000,800\n").unwrap();
/// let r = regis_app::io::multipliers(&regis_app::io::MultipliersRequest {
///     flows: dir.join("flows.csv"), sectors: dir.join("sectors.csv"), ..Default::default()
/// }).unwrap();
/// assert!((r.sectors[0].output_multiplier - 1.518152).abs() < 1e-6);
/// assert!((r.sectors[1].output_multiplier - 1.452145).abs() < 1e-6);
/// ```
pub fn multipliers(q: &MultipliersRequest) -> Result<MultipliersReport> {
    let io = load(q)?;
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("{}: {e}", q.flows.display()))
    };
    let a = technical_coefficients(&io.flows, &io.output).map_err(bad)?;
    let l = leontief_inverse(&a).map_err(bad)?;
    let om = output_multipliers(&l);
    let n = io.sectors.len();
    let value_added = io.value_added();
    let gva: Option<Vec<f64>> = value_added.as_ref().map(|(v, _)| v.clone());
    let of = |v: Option<&[f64]>| v.map(|v| satellite_multipliers(&l, v, &io.output));
    let (income, value, jobs, imports) = (
        of(io.field("compensation")),
        of(gva.as_deref()),
        of(io.field("employment")),
        of(io.field("imports")),
    );
    let mut notes = Vec::new();
    if let Some((_, parts)) = &value_added {
        if parts.len() < 3 && parts[..] != ["value_added"] {
            notes.push(format!(
                "GVA is the sum of {} only (the sectors file gives no other value-added part)",
                parts.join(" and ")
            ));
        }
    }
    // The built-in table is in million KRW: employment per billion KRW, as BoK gives it.
    let per_unit = if q.builtin.is_some() {
        if io.field("employment").is_some() {
            notes.push(
                "employment effects in persons per billion KRW (full-time equivalent, 2020)".into(),
            );
        }
        1000.0
    } else {
        1.0
    };
    if let Some(j) = io.output.iter().position(|x| *x == 0.0) {
        notes.push(format!(
            "sector {} has no output: its coefficients are 0",
            io.sectors[j]
        ));
    }
    let closed = if q.household_closure {
        Some(type_ii(q, &io, &a, gva.as_deref(), &mut notes)?)
    } else {
        if q.final_demand.is_some() {
            notes.push(
                "--final-demand is used by the household closure only (--household-closure)".into(),
            );
        }
        None
    };
    let ii = |j: usize, f: fn(&TypeII, usize) -> Option<f64>| closed.as_ref().and_then(|c| f(c, j));
    let sectors = (0..n)
        .map(|j| SectorMultipliers {
            output_multiplier_type_ii: ii(j, |c, j| Some(c.output[j])),
            income_effect_type_ii: ii(j, |c, j| Some(c.income.effects[j])),
            income_multiplier_type_ii: ii(j, |c, j| c.income.multipliers[j]),
            gva_effect_type_ii: ii(j, |c, j| c.gva.as_ref().map(|m| m.effects[j])),
            gva_multiplier_type_ii: ii(j, |c, j| c.gva.as_ref().and_then(|m| m.multipliers[j])),
            employment_effect_type_ii: ii(j, |c, j| c.jobs.as_ref().map(|m| m.effects[j]))
                .map(|e| e * per_unit),
            employment_multiplier_type_ii: ii(j, |c, j| {
                c.jobs.as_ref().and_then(|m| m.multipliers[j])
            }),
            import_leakage: imports.as_ref().map(|m| m.effects[j]),
            sector: io.sectors[j].clone(),
            output_multiplier: om[j],
            income_effect: income.as_ref().map(|m| m.effects[j]),
            income_multiplier: income.as_ref().and_then(|m| m.multipliers[j]),
            gva_effect: value.as_ref().map(|m| m.effects[j]),
            gva_multiplier: value.as_ref().and_then(|m| m.multipliers[j]),
            employment_effect: jobs.as_ref().map(|m| m.effects[j] * per_unit),
            employment_multiplier: jobs.as_ref().and_then(|m| m.multipliers[j]),
        })
        .collect();
    Ok(MultipliersReport {
        closure: if closed.is_some() {
            "type I and II"
        } else {
            "type I"
        },
        sectors,
        notes,
    })
}

/// The type II multipliers of a table.
struct TypeII {
    output: Vec<f64>,
    income: regis_methods::input_output::SatelliteMultipliers,
    gva: Option<regis_methods::input_output::SatelliteMultipliers>,
    jobs: Option<regis_methods::input_output::SatelliteMultipliers>,
}

/// Closes the table to households (Miller & Blair 2009, §6.2.2): compensation per unit of
/// output as the household row, household consumption per unit of total compensation as the
/// household column.
fn type_ii(
    q: &MultipliersRequest,
    io: &regis_data::io_system::IoSystem,
    a: &[f64],
    gva: Option<&[f64]>,
    notes: &mut Vec<String>,
) -> Result<TypeII> {
    let n = io.sectors.len();
    let comp = io.field("compensation").ok_or_else(|| {
        crate::Error::invalid(
            "missing-column",
            "the household closure needs compensation of employees: a `compensation` column in the sectors file (or --col compensation=HEADER)",
        )
    })?;
    let consumption = match &q.final_demand {
        Some(path) => regis_data::io_system::read_sector_column(
            path,
            &io.sectors,
            "household_consumption",
            &q.columns,
        )?,
        None => io
            .field("household_consumption")
            .ok_or_else(|| {
                crate::Error::invalid(
                    "missing-column",
                    "the household closure needs household consumption by sector: a `household_consumption` column in the sectors file or in --final-demand FILE",
                )
            })?
            .to_vec(),
    };
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("{}: {e}", q.flows.display()))
    };
    let lb = household_closure(a, comp, &consumption, &io.output).map_err(bad)?;
    // The products block of L̄: what sectors produce, households' row excluded.
    let m = n + 1;
    let block: Vec<f64> = (0..n)
        .flat_map(|i| lb[i * m..i * m + n].iter().copied())
        .collect();
    let output = output_multipliers(&block);
    let coefficient = |j: usize| {
        if io.output[j] > 0.0 {
            comp[j] / io.output[j]
        } else {
            0.0
        }
    };
    let effects: Vec<f64> = (0..n).map(|j| lb[n * m + j]).collect();
    let income = regis_methods::input_output::SatelliteMultipliers {
        coefficients: (0..n).map(coefficient).collect(),
        multipliers: (0..n)
            .map(|j| (coefficient(j) != 0.0).then(|| effects[j] / coefficient(j)))
            .collect(),
        effects,
    };
    let total: f64 = comp.iter().sum();
    notes.push(format!(
        "type II closure (Miller & Blair 2009, §6.2.2): households sell labour (compensation per unit of output) and buy products (household consumption per unit of total compensation, {total} in all)"
    ));
    Ok(TypeII {
        output,
        income,
        gva: gva.map(|v| satellite_multipliers(&block, v, &io.output)),
        jobs: io
            .field("employment")
            .map(|v| satellite_multipliers(&block, v, &io.output)),
    })
}

impl Tabular for MultipliersReport {
    fn table(&self) -> Table {
        let has =
            |f: fn(&SectorMultipliers) -> Option<f64>| self.sectors.iter().any(|s| f(s).is_some());
        let mut columns = vec![
            Column::text("sector"),
            Column::rounded("output_multiplier", "", 4),
        ];
        type Getter = fn(&SectorMultipliers) -> Option<f64>;
        let optional: [(&str, Getter); 14] = [
            ("income_effect", |s| s.income_effect),
            ("income_multiplier", |s| s.income_multiplier),
            ("gva_effect", |s| s.gva_effect),
            ("gva_multiplier", |s| s.gva_multiplier),
            ("employment_effect", |s| s.employment_effect),
            ("employment_multiplier", |s| s.employment_multiplier),
            ("import_leakage", |s| s.import_leakage),
            ("output_multiplier_type_ii", |s| s.output_multiplier_type_ii),
            ("income_effect_type_ii", |s| s.income_effect_type_ii),
            ("income_multiplier_type_ii", |s| s.income_multiplier_type_ii),
            ("gva_effect_type_ii", |s| s.gva_effect_type_ii),
            ("gva_multiplier_type_ii", |s| s.gva_multiplier_type_ii),
            ("employment_effect_type_ii", |s| s.employment_effect_type_ii),
            ("employment_multiplier_type_ii", |s| {
                s.employment_multiplier_type_ii
            }),
        ];
        let shown: Vec<&(&str, Getter)> = optional.iter().filter(|(_, g)| has(*g)).collect();
        columns.extend(shown.iter().map(|(name, _)| Column::rounded(name, "", 4)));
        let mut t = Table::new(columns);
        for s in &self.sectors {
            let mut row = vec![Cell::text(&s.sector), Cell::Number(s.output_multiplier)];
            row.extend(shown.iter().map(|(_, g)| Cell::num(g(s))));
            t.push(row);
        }
        t
    }
    fn note(&self) -> String {
        format!(
            "{} multipliers of {} sectors",
            self.closure,
            self.sectors.len()
        )
    }
    fn warnings(&self) -> &[String] {
        &self.notes
    }
}

/// One sector's linkages.
#[derive(Debug, Clone, Serialize)]
pub struct SectorLinkages {
    /// Sector code.
    pub sector: String,
    /// Normalised backward linkage (column sum of L over the mean).
    pub backward_linkage: f64,
    /// Normalised forward linkage from the Ghosh inverse (row sum of G over the mean).
    pub forward_linkage: f64,
    /// The Leontief-based forward linkage (row sum of L over the mean).
    pub forward_linkage_leontief: f64,
    /// `key`, `backward`, `forward` or `weak` (backward and Ghosh forward linkages).
    pub key_sector: &'static str,
}

/// The linkages of every sector.
#[derive(Debug, Clone, Serialize)]
pub struct LinkagesReport {
    /// One object per sector.
    pub sectors: Vec<SectorLinkages>,
}

/// The linkages and key sectors of the table a [`MultipliersRequest`] names.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("regis-io-link-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("flows.csv"), "sector,1,2\n1,150,500\n2,200,100\n").unwrap();
/// std::fs::write(dir.join("sectors.csv"), "sector,output\n1,1000\n2,2000\n").unwrap();
/// let r = regis_app::io::linkages(&regis_app::io::MultipliersRequest {
///     flows: dir.join("flows.csv"), sectors: dir.join("sectors.csv"), ..Default::default()
/// }).unwrap();
/// assert!((r.sectors[0].backward_linkage - 1.022222).abs() < 1e-6);
/// assert_eq!(r.sectors[0].key_sector, "key");
/// ```
pub fn linkages(q: &MultipliersRequest) -> Result<LinkagesReport> {
    let io = load(q)?;
    let bad = |e: regis_methods::input_output::IoError| {
        crate::Error::invalid("io-table", format!("{}: {e}", q.flows.display()))
    };
    let l = leontief_inverse(&technical_coefficients(&io.flows, &io.output).map_err(bad)?)
        .map_err(bad)?;
    let g = ghosh_inverse(&io.flows, &io.output).map_err(bad)?;
    let (bl, fl, fll) = (
        backward_linkages(&l),
        forward_linkages(&g),
        forward_linkages_leontief(&l),
    );
    Ok(LinkagesReport {
        sectors: io
            .sectors
            .iter()
            .enumerate()
            .map(|(j, s)| SectorLinkages {
                sector: s.clone(),
                backward_linkage: bl[j],
                forward_linkage: fl[j],
                forward_linkage_leontief: fll[j],
                key_sector: key_sector(bl[j], fl[j]),
            })
            .collect(),
    })
}

impl Tabular for LinkagesReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("sector"),
            Column::rounded("backward_linkage", "", 4),
            Column::rounded("forward_linkage", "", 4),
            Column::rounded("forward_linkage_leontief", "", 4),
            Column::text("key_sector"),
        ]);
        for s in &self.sectors {
            t.push(vec![
                Cell::text(&s.sector),
                Cell::Number(s.backward_linkage),
                Cell::Number(s.forward_linkage),
                Cell::Number(s.forward_linkage_leontief),
                Cell::text(s.key_sector),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        "Rasmussen linkages normalised to mean 1; forward from the Ghosh inverse (the Leontief-based variant beside it); key = both above 1".into()
    }
}

/// One sector's hypothetical extraction.
#[derive(Debug, Clone, Serialize)]
pub struct SectorExtraction {
    /// Sector code.
    pub sector: String,
    /// Output lost with the sector removed (the table's unit).
    pub total: f64,
    /// Output lost with the sector buying nothing from the others.
    pub backward: f64,
    /// Output lost with the sector selling nothing to the others (supply side, Ghosh).
    pub forward: f64,
    /// `total` as a share of the economy's output.
    pub total_share: f64,
}

/// The hypothetical extraction of every sector.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionReport {
    /// One object per sector, largest total loss first.
    pub sectors: Vec<SectorExtraction>,
}

/// What the economy would lose without each sector of the table a [`MultipliersRequest`]
/// names (Miller & Lahr 2001; Dietzenbacher, van der Linden & Steenge 1993).
pub fn extractions(q: &MultipliersRequest) -> Result<ExtractionReport> {
    let io = load(q)?;
    let e = extraction(&io.flows, &io.output)
        .map_err(|e| crate::Error::invalid("io-table", format!("{}: {e}", q.flows.display())))?;
    let total: f64 = io.output.iter().sum();
    let mut sectors: Vec<SectorExtraction> = io
        .sectors
        .iter()
        .zip(e)
        .map(|(s, e)| SectorExtraction {
            sector: s.clone(),
            total: e.total,
            backward: e.backward,
            forward: e.forward,
            total_share: if total > 0.0 { e.total / total } else { 0.0 },
        })
        .collect();
    sectors.sort_by(|a, b| b.total.total_cmp(&a.total).then(a.sector.cmp(&b.sector)));
    Ok(ExtractionReport { sectors })
}

impl Tabular for ExtractionReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("sector"),
            Column::rounded("total", "", 0),
            Column::rounded("backward", "", 0),
            Column::rounded("forward", "", 0),
            Column::rounded("total_share", "share", 4),
        ]);
        for s in &self.sectors {
            t.push(vec![
                Cell::text(&s.sector),
                Cell::Number(s.total),
                Cell::Number(s.backward),
                Cell::Number(s.forward),
                Cell::Number(s.total_share),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        "output lost by hypothetical extraction (total and backward: demand side; forward: supply side, not comparable with them)".into()
    }
}
