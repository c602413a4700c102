//! Establishment micro data (`regis micro aggregate|ellison-glaeser|coagglomeration|sizes`):
//! the request, the engines' dispatch and the panel. The engines compute the same sufficient
//! statistics (`micro_stats`): the embedded one streams row groups on this machine
//! (`micro_embedded`), the Spark one sends the plan to a cluster through Spark Connect
//! (`micro_spark`, feature `spark`). The establishment-level reports are in `micro_reports`,
//! the synthetic generator in `micro_generate` (both re-exported here).
//!
//! The aggregation reads a row group at a time on every thread of the budget (row groups
//! taken by whichever thread is free), resolves each distinct region and industry code once
//! per row group through the code history and the classification, and adds into a dense
//! table per period: memory is one chunk of rows per thread plus the output, whatever the
//! number of rows. Sums of counts and employees are exact integers; row group k goes to
//! thread k mod the thread count and the threads' tables are merged in thread order, so
//! sales are the same bits at every run with a given thread budget (and agree across
//! budgets to rounding, about 1e-15 relative).

use crate::micro_stats::{MicroStats, Wanted};
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_core::Level;
use serde::Serialize;
use std::path::PathBuf;

pub use crate::micro_dynamics::{dynamics, Dynamics, DynamicsRow};
pub use crate::micro_generate::{generate, GenerateRequest, Generated};
pub use crate::micro_reports::{
    coagglomeration, ellison_glaeser, sizes, Coagglomeration, CoagglomerationRow, EllisonGlaeser,
    EllisonGlaeserRow, SizeBy, SizeRow, Sizes,
};
pub use crate::micro_stats::{size_class, SIZE_CLASSES, SIZE_CLASS_LABELS, SIZE_CLASS_LOWER};
pub use crate::micro_store::{stored_ids, weighted_ids};

/// Where a micro-data job runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// This machine: row groups streamed on every thread of the budget.
    Embedded,
    /// A Spark cluster reached through Spark Connect at this URL (`sc://host:port`); the
    /// input path is read by the cluster, so it must be visible to its executors.
    Spark(String),
}

impl Engine {
    /// The engine as reports and messages name it: `embedded`, or `spark sc://host:port`
    /// with the URL's options (after `/` or `;`, a `token=` among them) left out.
    ///
    /// ```
    /// use regis_app::micro::Engine;
    /// let spark = Engine::Spark("sc://head:15002/;token=s3cret;user_id=kim".into());
    /// assert_eq!(spark.shown(), "spark sc://head:15002");
    /// assert_eq!(Engine::Embedded.shown(), "embedded");
    /// ```
    pub fn shown(&self) -> String {
        match self {
            Engine::Embedded => "embedded".into(),
            Engine::Spark(url) => format!("spark {}", shown_spark_url(url)),
        }
    }
}

/// A Spark Connect URL without its options: `sc://host:port`.
pub(crate) fn shown_spark_url(url: &str) -> String {
    match url.strip_prefix("sc://") {
        Some(rest) => format!("sc://{}", rest.split(['/', ';']).next().unwrap_or("")),
        None => url.split(['/', ';']).next().unwrap_or("").to_string(),
    }
}

/// The input of every `regis micro` command.
#[derive(Debug, Clone)]
pub struct MicroRequest {
    /// A Parquet file or a directory of them (with `--engine spark`, any path or URI the
    /// cluster reads: `hdfs://`, `s3a://`, a glob).
    pub input: PathBuf,
    /// The regions of the panel: province or district.
    pub level: Level,
    /// The classification of the panel's industries (and of the input's codes, unless
    /// `input_classification` says otherwise).
    pub classification: String,
    /// The classification of the input's industry codes when it is an earlier one: `ksic9`
    /// into a `ksic10` panel, through the KSIC 9 → 10 concordance (a code whose KSIC 10
    /// classes fall under different panel industries is refused: one establishment cannot
    /// be split).
    pub input_classification: Option<String>,
    /// The depth of the panel's industries (the codes' ancestors at that depth).
    pub industry_depth: u8,
    /// Where the job runs.
    pub engine: Engine,
    /// Whether to refuse an establishment that appears twice in a period (on by default in
    /// the CLI; the embedded engine spills 8 bytes per row to temporary files for it).
    pub check_duplicates: bool,
}

/// The earlier name of [`MicroRequest`].
pub type AggregateRequest = MicroRequest;

/// The sufficient statistics of `q`'s input from the engine it names.
pub(crate) fn stats(
    q: &MicroRequest,
    wanted: Wanted,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<MicroStats> {
    match &q.engine {
        Engine::Embedded => crate::micro_embedded::stats(q, wanted, progress),
        #[cfg(feature = "spark")]
        Engine::Spark(url) => crate::micro_spark::stats(q, url, wanted, progress),
        #[cfg(not(feature = "spark"))]
        Engine::Spark(_) => Err(regis_data::DataError::argument(
            "--engine spark: this build has no Spark Connect client; build with `--features spark` \
             (docs/SCALE.md) or use --engine embedded",
        )
        .into()),
    }
}

/// One cell of the panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelRow {
    /// Region code (SGIS).
    pub region: String,
    /// Industry code.
    pub industry: String,
    /// Period.
    pub period: i32,
    /// Establishment rows.
    pub establishments: u64,
    /// Employees.
    pub employees: i64,
    /// Sales (million KRW).
    pub sales: f64,
    /// With sampling weights (a `weight` column): Σ w, the establishments the rows stand for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_establishments: Option<f64>,
    /// With sampling weights: Σ w · employees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_employees: Option<f64>,
    /// With sampling weights: Σ w · sales (million KRW).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_sales: Option<f64>,
}

/// The aggregated panel.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// Rows read.
    pub rows_read: u64,
    /// Files read (with the Spark engine, the files of the cluster's plan).
    pub files: usize,
    /// Row groups read (embedded) or Arrow batches received (Spark).
    pub row_groups: usize,
    /// The panel, by region, industry and period.
    pub rows: Vec<PanelRow>,
    /// The engine that computed it: `embedded` or `spark <url>`.
    pub engine: String,
    /// Where `--store-as` stored it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored: Option<String>,
    /// Whether the rows carried sampling weights (the rows' `weighted_*` fields).
    pub weighted: bool,
}

impl Tabular for Aggregate {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("region"),
            Column::text("industry"),
            Column::integer("period"),
            Column::integer("establishments"),
            Column::integer("employees"),
            Column::rounded("sales", "million KRW", 2),
        ]);
        if self.weighted {
            t.columns.extend([
                Column::rounded("weighted_establishments", "count", 2),
                Column::rounded("weighted_employees", "persons", 2),
                Column::rounded("weighted_sales", "million KRW", 2),
            ]);
        }
        for r in &self.rows {
            let mut cells = vec![
                Cell::text(&r.region),
                Cell::text(&r.industry),
                Cell::int(r.period),
                Cell::int(r.establishments as i64),
                Cell::int(r.employees),
                Cell::num(Some(r.sales)),
            ];
            if self.weighted {
                cells.extend(
                    [
                        r.weighted_establishments,
                        r.weighted_employees,
                        r.weighted_sales,
                    ]
                    .map(Cell::num),
                );
            }
            t.push(cells);
        }
        t
    }

    fn note(&self) -> String {
        let stored = self
            .stored
            .as_ref()
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        self.computed() + &stored
    }
}

impl Aggregate {
    fn computed(&self) -> String {
        if self.engine == Engine::Embedded.shown() {
            format!(
                "{} rows from {} row groups of {} file(s), aggregated by the embedded engine",
                self.rows_read, self.row_groups, self.files
            )
        } else {
            format!(
                "{} rows of {} file(s) aggregated on {} ({} Arrow batches back)",
                self.rows_read, self.files, self.engine, self.row_groups
            )
        }
    }
}

/// Aggregates establishment rows to the region × industry × period panel, on every thread of
/// the budget; `progress` is told the rows read so far and the total.
pub fn aggregate(q: &MicroRequest, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Aggregate> {
    let s = stats(q, Wanted::default(), progress)?;
    let mut rows = Vec::new();
    for (ri, region) in s.regions.iter().enumerate() {
        for (ii, industry) in s.industries.iter().enumerate() {
            for p in &s.periods {
                let c = p.cells[s.cell(ri, ii)];
                if c.establishments > 0 {
                    rows.push(PanelRow {
                        region: region.clone(),
                        industry: industry.clone(),
                        period: p.period,
                        establishments: c.establishments,
                        employees: c.employees,
                        sales: c.sales,
                        weighted_establishments: s.weighted.then_some(c.weights),
                        weighted_employees: s.weighted.then_some(c.weighted_employees),
                        weighted_sales: s.weighted.then_some(c.weighted_sales),
                    });
                }
            }
        }
    }
    Ok(Aggregate {
        rows_read: s.rows_read,
        files: s.files,
        row_groups: s.row_groups,
        rows,
        engine: s.engine,
        stored: None,
        weighted: s.weighted,
    })
}

/// [`aggregate`], then, with `store_as = Some((store, id))`, the panel stored as the measures
/// `id_establishments`, `id_employees` and `id_sales` (nothing is stored when the
/// aggregation fails).
pub fn aggregate_and_store(
    q: &MicroRequest,
    store_as: Option<(&std::path::Path, &str)>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Aggregate> {
    let mut a = aggregate(q, progress)?;
    if let Some((store, id)) = store_as {
        crate::micro_store::store_as(&mut a, q, store, id)?;
    }
    Ok(a)
}
