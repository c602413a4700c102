//! Command-line arguments as parsed by clap, before anything touches files or data
//! (the "low-level" arguments; `input.rs` resolves them).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Regis: the evidence system for regional industrial-cluster policy.
///
/// Built-in data: South Korea (KOSIS/SGIS). Every command that reads a measure also reads
/// your own file with --input FILE and the mapping flags (--region-col, --industry-col,
/// --period-col, --value-col; --origin-col/--dest-col for flows).
#[derive(Debug, Parser)]
#[command(
    name = "regis",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Directory of the dataset store [env: REGIS_STORE; default: $XDG_DATA_HOME/regis or ~/.local/share/regis]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Language of names in human-readable tables.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

/// Label language.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned table for people.
    Table,
    /// CSV (UTF-8).
    Csv,
    /// JSON.
    Json,
    /// Excel workbook (needs --out).
    Xlsx,
    /// GeoJSON boundaries joined with values (export only).
    Geojson,
    /// Apache Parquet (needs --out).
    Parquet,
}

impl Format {
    /// The refusal of a format that only a file holds (XLSX, Parquet, GeoJSON) by a command
    /// that writes to standard output.
    pub fn refused_on_standard_output(self) -> Option<regis_data::DataError> {
        let name = self.to_possible_value()?.get_name().to_string();
        matches!(self, Format::Xlsx | Format::Parquet | Format::Geojson).then(|| {
            regis_data::DataError::argument(format!(
                "--format {name}: this command writes table, csv or json (files: `regis data \
                 export --out`, `regis micro … --out`)"
            ))
        })
    }
}

/// Output formats of `regis micro`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MicroFormat {
    /// Aligned table for people.
    Table,
    /// CSV (UTF-8).
    Csv,
    /// JSON.
    Json,
    /// Apache Parquet with typed columns (needs --out).
    Parquet,
}

impl From<MicroFormat> for Format {
    fn from(f: MicroFormat) -> Format {
        match f {
            MicroFormat::Table => Format::Table,
            MicroFormat::Csv => Format::Csv,
            MicroFormat::Json => Format::Json,
            MicroFormat::Parquet => Format::Parquet,
        }
    }
}

/// Output formats of `regis network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkFormat {
    /// Aligned table for people.
    Table,
    /// CSV (UTF-8).
    Csv,
    /// JSON.
    Json,
    /// GraphML: the network with each actor's attributes and centralities (Gephi, Cytoscape,
    /// igraph and networkx read it).
    Graphml,
}

impl NetworkFormat {
    /// The report format, None for GraphML (the network itself).
    pub fn report(self) -> Option<Format> {
        match self {
            NetworkFormat::Table => Some(Format::Table),
            NetworkFormat::Csv => Some(Format::Csv),
            NetworkFormat::Json => Some(Format::Json),
            NetworkFormat::Graphml => None,
        }
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The dashboard and the JSON API on the built-in Korea data (and your imported measures).
    Serve(ServeArgs),
    /// Load test of the main API endpoints on loopback: p50/p99 latency and throughput with
    /// many concurrent clients, bounded in time.
    Loadtest(LoadtestArgs),
    /// A region's report: self-contained HTML (prints to PDF from a browser) and its tables as
    /// XLSX.
    Report(ReportArgs),
    /// Datasets: list, show, import, check, export.
    #[command(subcommand)]
    Data(DataCommand),
    /// Programme monitoring: projects, KPIs, budgets, overlaps, backups. Credentials from
    /// $REGIS_USER and $REGIS_PASSWORD (none: the public's view).
    #[command(subcommand)]
    Monitor(MonitorCommand),
    /// List regions (provinces, districts) with their codes in every code system.
    Regions(RegionsArgs),
    /// List industries of a classification (KOSIS GRDP activities, si-gun-gu groups, KSIC, NAICS).
    Industries(IndustriesArgs),
    /// List region groups (SMA = the capital region, non-SMA).
    Groups(FormatArg),
    /// The imbalance report: a group's share and inequality indices (Gini, Theil T and L with
    /// between/within split, Atkinson, CV/Williamson, Hoover), one row per period.
    Diagnose(Box<DiagnoseArgs>),
    /// Specialisation and concentration: location quotients, Krugman, Herfindahl, entropy,
    /// diversity/ubiquity, locational Gini, Ellison-Glaeser.
    Specialise(Box<SpecialiseArgs>),
    /// Shift-share decomposition of change: classic, Esteban-Marquillas, dynamic.
    ShiftShare(Box<ShiftShareArgs>),
    /// β-convergence (OLS, speed, half-life; conditional on a group) and σ-convergence.
    Convergence(Box<ConvergenceArgs>),
    /// Spatial autocorrelation on the map: Moran's I, Geary's C, Getis-Ord G, spatial Gini;
    /// with --local, LISA clusters/outliers and G_i* hot spots per region.
    Spatial(Box<SpatialArgs>),
    /// Economic complexity: ECI of regions, PCI of industries, relatedness density, COI, COG.
    Complexity(Box<ComplexityArgs>),
    /// Strategic-industry selection: scored candidates with the evidence, sensitivity to the
    /// weights; with --overlap, every region's choice and where they compete.
    Strategy(Box<StrategyArgs>),
    /// Clusters of related industries (given definitions or derived from co-location) and each
    /// region's cluster strength as European Cluster Observatory stars.
    Clusters(Box<ClustersArgs>),
    /// Functional zones from flows between places (labour-market areas).
    #[command(subcommand)]
    Zones(ZonesCommand),
    /// Did a programme work? The effect of a treatment on the treated units, from a panel.
    #[command(subcommand)]
    Evaluate(EvaluateCommand),
    /// Input-output analysis of a table given as files (flows and sectors).
    #[command(subcommand)]
    Io(IoCommand),
    /// Innovation networks: who cooperates with whom, across actor types and regions.
    #[command(subcommand)]
    Network(NetworkCommand),
    /// Establishment micro data (Parquet): aggregated to region × industry × period panels on
    /// this machine, streamed a row group at a time.
    #[command(subcommand)]
    Micro(MicroCommand),
    /// Benchmark against the PySAL peers on the same inputs in the same run: LISA with
    /// permutations on a lattice, Theil decomposition and Gini over a regions x periods panel.
    Bench(BenchArgs),
}

/// `regis data ...`
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// List built-in and stored measures.
    List(FormatArg),
    /// Describe a measure: unit, price basis, additivity, levels, periods, sources.
    Show(ShowArgs),
    /// Import a file into the store as a new measure (validated first; nothing is stored on error).
    Import(Box<ImportArgs>),
    /// Validate a file with the mapping flags and report what would be imported; stores nothing.
    Check(Box<CheckArgs>),
    /// Export a measure (or an --input file) as a table, CSV, JSON, XLSX, Parquet or GeoJSON.
    Export(Box<ExportArgs>),
    /// Write SYNTHETIC establishment micro data (Parquet) calibrated to the built-in data:
    /// for tests and benchmarks, since real establishment data are confidential.
    GenerateEstablishments(GenerateArgs),
}

/// `regis data generate-establishments`
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Rows (establishment × period) to write: 100000000, 100_000_000, 100M, 1.5M or 500k.
    #[arg(long, value_parser = parse_count)]
    pub rows: usize,
    /// Seed: the same seed and rows write the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Periods (years).
    #[arg(long, default_value_t = 10)]
    pub periods: usize,
    /// First period.
    #[arg(long, default_value_t = 2011)]
    pub start_period: i32,
    /// The Parquet file to create (an existing file is never overwritten).
    #[arg(short = 'o', long = "out", value_name = "FILE.parquet")]
    pub out: std::path::PathBuf,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

impl GenerateArgs {
    /// The application's request.
    pub fn request(&self) -> regis_app::micro::GenerateRequest {
        regis_app::micro::GenerateRequest {
            rows: self.rows,
            seed: self.seed,
            periods: self.periods,
            start_period: self.start_period,
            out: self.out.clone(),
        }
    }
}

/// `regis micro ...`
#[derive(Debug, Subcommand)]
pub enum MicroCommand {
    /// Region × industry × period panel: establishments, employees and sales.
    Aggregate(MicroArgs),
    /// Ellison-Glaeser agglomeration per industry and period, with each industry's plant
    /// Herfindahl (and the regional-panel version, H = 0).
    EllisonGlaeser(MicroArgs),
    /// Ellison-Glaeser coagglomeration of every pair of industries per period.
    Coagglomeration(CoagglomerationArgs),
    /// Plant-size distribution (employee classes 0, 1-4, …, 1000+) per industry or region.
    Sizes(SizesArgs),
    /// Entries, exits and continuing establishments per region × industry between
    /// consecutive periods (establishments followed by their id).
    Dynamics(MicroArgs),
}

impl MicroCommand {
    /// The input and engine flags every micro command takes.
    pub fn args(&self) -> &MicroArgs {
        match self {
            MicroCommand::Aggregate(a)
            | MicroCommand::EllisonGlaeser(a)
            | MicroCommand::Dynamics(a) => a,
            MicroCommand::Coagglomeration(a) => &a.micro,
            MicroCommand::Sizes(a) => &a.micro,
        }
    }

    /// Where `--store-as` stores the panel: only `regis micro aggregate` stores one.
    pub fn store_as<'a>(
        &'a self,
        store: &'a std::path::Path,
    ) -> Result<Option<(&'a std::path::Path, &'a str)>, regis_data::DataError> {
        match (self, self.args().store_as.as_deref()) {
            (_, None) => Ok(None),
            (MicroCommand::Aggregate(_), Some(id)) => Ok(Some((store, id))),
            (_, Some(_)) => Err(regis_data::DataError::argument(
                "--store-as: only `regis micro aggregate` stores its result (a panel)",
            )),
        }
    }
}

/// `regis micro coagglomeration`.
#[derive(Debug, Args)]
pub struct CoagglomerationArgs {
    #[command(flatten)]
    pub micro: MicroArgs,
    /// Only the pairs among these industries (codes at --industry-depth, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub industries: Vec<String>,
}

/// `regis micro sizes`.
#[derive(Debug, Args)]
pub struct SizesArgs {
    #[command(flatten)]
    pub micro: MicroArgs,
    /// The groups of the distribution: industry or region.
    #[arg(long, value_enum, default_value_t = SizeBy::Industry)]
    pub by: SizeBy,
}

/// `--by` of `regis micro sizes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SizeBy {
    /// Per industry, all regions together.
    Industry,
    /// Per region, all industries together.
    Region,
}

impl SizeBy {
    /// The application's value.
    pub fn app(self) -> regis_app::micro::SizeBy {
        match self {
            SizeBy::Industry => regis_app::micro::SizeBy::Industry,
            SizeBy::Region => regis_app::micro::SizeBy::Region,
        }
    }
}

/// The engine that runs a micro-data job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// This machine, streamed, every core of the thread budget.
    Embedded,
    /// A Spark cluster through Spark Connect (builds with the `spark` feature).
    Spark,
}

/// Input and engine of `regis micro`.
#[derive(Debug, Args)]
pub struct MicroArgs {
    /// A Parquet or CSV file (with a header), a directory of them or a glob
    /// ('data/est-20*.parquet'; with --engine spark any path or URI the cluster reads), with
    /// the columns establishment_id,
    /// period, region, industry, employees and sales.
    #[arg(long, value_name = "PATH")]
    pub input: std::path::PathBuf,
    /// Where the job runs.
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,
    /// Store the panel (regis micro aggregate) as the measures ID_establishments,
    /// ID_employees and ID_sales of the dataset store, for every analytic command.
    #[arg(long, value_name = "ID")]
    pub store_as: Option<String>,
    /// Skip the check that no establishment appears twice in a period (for data already
    /// checked: it saves a pass over the keys).
    #[arg(long)]
    pub no_duplicate_check: bool,
    /// The Spark Connect server (sc://host:port) of --engine spark; default $SPARK_REMOTE.
    #[arg(long, value_name = "URL", env = "SPARK_REMOTE")]
    pub spark_url: Option<String>,
    /// The panel's regions: province or district.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// The classification of the industry codes.
    #[arg(long, default_value = "kosis_grdp")]
    pub classification: String,
    /// The panel's industries: the codes' ancestors at this depth.
    #[arg(long, default_value_t = 2)]
    pub industry_depth: u8,
    /// The classification of the input's industry codes when earlier than --classification:
    /// ksic9 codes into a ksic10 panel through the KSIC 9 → 10 concordance.
    #[arg(long, value_name = "ID")]
    pub input_classification: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MicroFormat::Table)]
    pub format: MicroFormat,
    /// Write the report to this file (csv, json or parquet) instead of standard output; an
    /// existing file is replaced whole, only once the report is complete.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl MicroArgs {
    /// Refuses an --out among the input (`regis_data::micro::among_input`).
    fn check_out_is_not_input(&self) -> Result<(), regis_data::DataError> {
        match &self.out {
            Some(out) if regis_data::micro::among_input(&self.input, out) => {
                Err(regis_data::DataError::argument(format!(
                    "--out {}: the input is there ({}); the report would replace the micro data \
                     or be read as micro data by the next run: write it elsewhere",
                    out.display(),
                    self.input.display()
                )))
            }
            _ => Ok(()),
        }
    }

    /// The application's request.
    pub fn request(&self) -> Result<regis_app::micro::MicroRequest, regis_data::DataError> {
        use Format::{Csv, Json, Parquet, Table};
        check_format_out(
            self.format.into(),
            self.out.is_some(),
            &[Table, Csv, Json, Parquet],
        )?;
        self.check_out_is_not_input()?;
        let engine = match (self.engine, &self.spark_url) {
            (Engine::Embedded, _) => regis_app::micro::Engine::Embedded,
            (Engine::Spark, Some(url)) if url.starts_with("sc://") => {
                regis_app::micro::Engine::Spark(url.clone())
            }
            (Engine::Spark, Some(url)) => {
                return Err(regis_data::DataError::argument(format!(
                    "--spark-url {}: expected sc://host:port",
                    regis_app::error::shown(url)
                )))
            }
            (Engine::Spark, None) => {
                return Err(regis_data::DataError::argument(
                    "--engine spark needs --spark-url sc://host:port (or $SPARK_REMOTE)",
                ))
            }
        };
        Ok(regis_app::micro::MicroRequest {
            input: self.input.clone(),
            level: regis_app::source::parse_level(&self.level)?,
            classification: self.classification.clone(),
            input_classification: self.input_classification.clone(),
            industry_depth: self.industry_depth,
            engine,
            check_duplicates: !self.no_duplicate_check,
        })
    }
}

/// `--format` for listing commands.
#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How to read a user's file.
#[derive(Debug, Args, Clone, Default)]
pub struct MappingArgs {
    /// Column holding region codes or names (SGIS or MOIS codes, Korean or English names).
    #[arg(long, value_name = "COL")]
    pub region_col: Option<String>,
    /// Column holding industry codes or names (optional: without it the values are totals).
    #[arg(long, value_name = "COL")]
    pub industry_col: Option<String>,
    /// Column holding the period (year); omit for a wide file with years as headers.
    #[arg(long, value_name = "COL")]
    pub period_col: Option<String>,
    /// Column holding the values (long layout).
    #[arg(long, value_name = "COL")]
    pub value_col: Option<String>,
    /// Origin column of a flow file.
    #[arg(long, value_name = "COL")]
    pub origin_col: Option<String>,
    /// Destination column of a flow file.
    #[arg(long, value_name = "COL")]
    pub dest_col: Option<String>,
    /// Unit column (detected when named `unit` or `단위`).
    #[arg(long, value_name = "COL")]
    pub unit_col: Option<String>,
    /// Keep only rows where COL equals VALUE (repeatable), e.g. --filter '항목=당해년가격'.
    #[arg(long, value_name = "COL=VALUE")]
    pub filter: Vec<String>,
    /// Text encoding of a CSV file: auto, utf-8, cp949 (= euc-kr), utf-16.
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// Sheet of an XLSX workbook, by name or number from 1 (default: the first with a table).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Rows the header takes (a merged two-row header: 2; default: detected).
    #[arg(long, value_name = "N")]
    pub header_rows: Option<usize>,
    /// Code system of the region codes: sgis (census) or mois (administrative). Needed when a
    /// code means different regions in the two systems (26: Ulsan in SGIS, Busan in MOIS).
    #[arg(long, value_name = "SYSTEM")]
    pub region_codes: Option<String>,
    /// Level of the regions in the file when it differs from --level (one concept: for
    /// `data import|check` it is an alias of --level; a name two levels share is otherwise
    /// read at the level of the file's other regions).
    #[arg(long, value_name = "LEVEL")]
    pub region_level: Option<String>,
    /// The period of every row, for a file without a period column.
    #[arg(long, value_name = "YEAR")]
    pub input_period: Option<i32>,
    /// Industry classification the industry codes must belong to (see `regis industries`).
    #[arg(long, value_name = "ID")]
    pub classification: Option<String>,
    /// The file's regions are another country's (or a set of your own): every code becomes a
    /// new region and is never matched against Korea's codes; no Korean group applies.
    #[arg(long)]
    pub new_regions: bool,
    /// The input holds flows (origin x destination).
    #[arg(long)]
    pub flow: bool,
    /// Unit of the values, when the file does not say.
    #[arg(long)]
    pub unit: Option<String>,
    /// Korean name of an imported measure (default: its id).
    #[arg(long)]
    pub name_ko: Option<String>,
    /// English name of an imported measure (default: its id).
    #[arg(long)]
    pub name_en: Option<String>,
    /// Price basis: nominal, real:YEAR, chained:YEAR (not additive) or none.
    #[arg(long)]
    pub price_basis: Option<String>,
    /// The values do not add up across regions (rates, chained real values).
    #[arg(long)]
    pub not_additive: bool,
    /// Negative values are legitimate (net taxes, changes).
    #[arg(long)]
    pub allow_negative: bool,
    /// Decimal separator of a CSV file: `.` or `,` (default: `,` in a `;`-separated file).
    #[arg(long, value_name = "SEP")]
    pub decimal: Option<String>,
    #[command(flatten)]
    pub budgets: BudgetArgs,
}

/// Limits on what an input file may hold (raise them for trusted large files).
#[derive(Debug, Args, Clone, Default)]
pub struct BudgetArgs {
    /// Largest decompressed size of an XLSX workbook, in bytes [default: 536870912].
    #[arg(long, value_name = "BYTES")]
    pub max_uncompressed_bytes: Option<u64>,
    /// Longest cell, in bytes [default: 1048576].
    #[arg(long, value_name = "BYTES")]
    pub max_cell_bytes: Option<usize>,
    /// Most rows of a table [default: 50000000].
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,
    /// Most columns of a table [default: 16384].
    #[arg(long, value_name = "N")]
    pub max_columns: Option<usize>,
    /// Most cells a sheet may span (rows x columns) [default: 50000000].
    #[arg(long, value_name = "N")]
    pub max_cells: Option<u64>,
    /// Deepest nesting of a JSON file [default: 64].
    #[arg(long, value_name = "N")]
    pub max_json_depth: Option<usize>,
}

impl SourceArgs {
    /// The source as the application layer takes it.
    pub fn source(&self) -> regis_app::Source {
        regis_app::Source {
            measure: self.measure.clone(),
            input: self.input.clone(),
            mapping: self.mapping.mapping(),
        }
    }
}

impl From<Lang> for regis_server::i18n::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Ko => regis_server::i18n::Lang::Ko,
            Lang::En => regis_server::i18n::Lang::En,
        }
    }
}

impl From<Lang> for regis_app::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Ko => regis_app::Lang::Ko,
            Lang::En => regis_app::Lang::En,
        }
    }
}

impl IndustryChoice {
    /// The choice as the application layer takes it.
    pub fn choice(&self) -> regis_app::matrix::IndustryChoice {
        regis_app::matrix::IndustryChoice {
            industries: self.industries.clone(),
            industry_depth: self.industry_depth,
            missing_as_zero: self.missing_as_zero,
        }
    }
}

impl MappingArgs {
    /// The mapping as the application layer takes it.
    pub fn mapping(&self) -> regis_app::Mapping {
        regis_app::Mapping {
            region_col: self.region_col.clone(),
            industry_col: self.industry_col.clone(),
            period_col: self.period_col.clone(),
            value_col: self.value_col.clone(),
            origin_col: self.origin_col.clone(),
            dest_col: self.dest_col.clone(),
            unit_col: self.unit_col.clone(),
            filter: self.filter.clone(),
            encoding: self.encoding.clone(),
            sheet: self.sheet.clone(),
            header_rows: self.header_rows,
            region_codes: self.region_codes.clone(),
            region_level: self.region_level.clone(),
            input_period: self.input_period,
            classification: self.classification.clone(),
            new_regions: self.new_regions,
            flow: self.flow,
            unit: self.unit.clone(),
            name_ko: self.name_ko.clone(),
            name_en: self.name_en.clone(),
            price_basis: self.price_basis.clone(),
            not_additive: self.not_additive,
            allow_negative: self.allow_negative,
            decimal: self.decimal.clone(),
            budgets: self.budgets.budgets(),
        }
    }
}

impl BudgetArgs {
    /// The budgets: the defaults, raised or lowered by the flags given.
    pub fn budgets(&self) -> regis_data::budget::Budgets {
        let d = regis_data::budget::Budgets::default();
        regis_data::budget::Budgets {
            max_uncompressed_bytes: self
                .max_uncompressed_bytes
                .unwrap_or(d.max_uncompressed_bytes),
            max_cell_bytes: self.max_cell_bytes.unwrap_or(d.max_cell_bytes),
            max_rows: self.max_rows.unwrap_or(d.max_rows),
            max_columns: self.max_columns.unwrap_or(d.max_columns),
            max_cells: self.max_cells.unwrap_or(d.max_cells),
            max_json_depth: self.max_json_depth.unwrap_or(d.max_json_depth),
        }
    }
}

/// `regis data show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Measure id (see `regis data list`).
    pub measure: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis data import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file (CSV, XLSX).
    pub file: PathBuf,
    /// Id to store the measure under (lowercase, digits, _).
    #[arg(long)]
    pub measure: String,
    /// Level of the regions in the file: province or district.
    #[arg(long)]
    pub level: Option<String>,
    #[command(flatten)]
    pub mapping: MappingArgs,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis data check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The file (CSV, XLSX).
    pub file: PathBuf,
    /// Measure whose rules apply (a built-in id, or a new id).
    #[arg(long, default_value = "input")]
    pub measure: String,
    /// Level of the regions in the file: province or district.
    #[arg(long)]
    pub level: Option<String>,
    #[command(flatten)]
    pub mapping: MappingArgs,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Where the data of an analytic command comes from: a measure or an input file.
#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// Built-in or stored measure id (population, grdp_nominal, grdp_real, companies,
    /// migration). Structural commands (specialise, shift-share, complexity, strategy) default to
    /// grdp_nominal; the others need it unless --input is given.
    #[arg(long)]
    pub measure: Option<String>,
    /// Read this file instead of a stored measure (CSV, XLSX), with the mapping flags.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub mapping: MappingArgs,
}

/// `regis data export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Region level: nation, province or district.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Periods to keep (repeatable; default all).
    #[arg(long, value_name = "YEAR")]
    pub period: Vec<i32>,
    /// Industry codes or names to keep (repeatable). Default: the total (`_T`) when the measure
    /// has one; `all` keeps every industry. See `regis industries`.
    #[arg(long, value_name = "CODE")]
    pub industry: Vec<String>,
    /// Regions to keep, by code or name (repeatable).
    #[arg(long, value_name = "REGION")]
    pub region: Vec<String>,
    /// Keep the members of a region group (SMA, non-SMA).
    #[arg(long)]
    pub group: Option<String>,
    /// Code system of the region codes written: sgis (default) or mois.
    #[arg(long, value_name = "SYSTEM")]
    pub codes: Option<String>,
    /// Re-express values in the boundaries of this year (additive measures only), e.g. 2020
    /// for district data of 2010, or 2011 to fold Sejong back into Chungnam/Chungbuk.
    #[arg(long, value_name = "YEAR")]
    pub vintage: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl ExportArgs {
    /// Refuses a binary format without --out, and --out with the terminal's table.
    pub fn check_out(&self) -> Result<(), regis_data::DataError> {
        use Format::*;
        check_format_out(
            self.format,
            self.out.is_some(),
            &[Table, Csv, Json, Xlsx, Geojson, Parquet],
        )
    }
}

/// Refuses a format the command does not write (`writes`), a binary format (XLSX, Parquet)
/// without --out, and --out with the terminal's table.
fn check_format_out(
    format: Format,
    out: bool,
    writes: &[Format],
) -> Result<(), regis_data::DataError> {
    let name = |f: &Format| {
        f.to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_string())
    };
    let refuse = |m: String| Err(regis_data::DataError::argument(m));
    let files: Vec<String> = writes
        .iter()
        .filter(|f| **f != Format::Table)
        .map(name)
        .collect();
    match (format, out) {
        (f, _) if !writes.contains(&f) => {
            let all: Vec<String> = writes.iter().map(name).collect();
            refuse(format!(
                "--format {}: this command writes {}",
                name(&f),
                all.join(", ")
            ))
        }
        (Format::Xlsx, false) => {
            refuse("--format xlsx writes a binary workbook: give --out FILE.xlsx".into())
        }
        (Format::Parquet, false) => {
            refuse("--format parquet writes a binary file: give --out FILE.parquet".into())
        }
        (Format::Table, true) => refuse(format!(
            "--format table is for the terminal; use {} with --out",
            files.join(", ")
        )),
        _ => Ok(()),
    }
}

/// `regis regions`
#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// Level: nation, province, district, subdistrict (default: province).
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Only regions that existed in this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only members of this group.
    #[arg(long)]
    pub group: Option<String>,
    /// Look up one code or name (reports ambiguity across code systems).
    #[arg(long)]
    pub find: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis industries`
#[derive(Debug, Args)]
pub struct IndustriesArgs {
    /// Classification id: kosis_grdp, sgis18, ksic9, ksic10, naics2012.
    #[arg(long, default_value = "kosis_grdp")]
    pub classification: String,
    /// Only classes at this depth (1 = top).
    #[arg(long)]
    pub depth: Option<u8>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis diagnose`
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Region group whose share is reported and which splits Theil into between/within
    /// (SMA = Seoul, Incheon, Gyeonggi; see `regis groups`). Default: SMA for Korean regions;
    /// no group for regions of another country (name one with --group-members).
    #[arg(long)]
    pub group: Option<String>,
    /// A group of your own: NAME=code,code,... (codes or names of regions of the data), e.g.
    /// --group-members East=11,12,13,14,15,16 for Germany's eastern Länder.
    #[arg(long, value_name = "NAME=CODES", conflicts_with = "group")]
    pub group_members: Option<String>,
    /// Region level across which inequality is measured.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Periods (repeatable; default: every period of the measure).
    #[arg(long, value_name = "YEAR")]
    pub period: Vec<i32>,
    /// First period of a range.
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last period of a range.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Industry code of the values (default: the total).
    #[arg(long, default_value = "_T")]
    pub industry: String,
    /// Divide by this measure (e.g. population) and weight the indices by it: per-head
    /// inequality, population-weighted (the CV is then Williamson's index).
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// Re-express both measures in the boundaries of this year first (additive measures):
    /// `--vintage 2011` folds Sejong back into Chungnam/Chungbuk, as KOSIS GRDP does.
    #[arg(long, value_name = "YEAR")]
    pub vintage: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Industry selection shared by the structural commands.
#[derive(Debug, Args, Clone)]
pub struct IndustryChoice {
    /// Industries to use (repeatable; codes or names). Default: the finest industries of the
    /// classification that partition the total (e.g. the 16 KOSIS activity groups with manufacturing
    /// split in 7), without totals and taxes.
    #[arg(long = "industry", value_name = "CODE")]
    pub industries: Vec<String>,
    /// Use the industries at this depth of the classification instead of the finest ones
    /// (2 = KOSIS sections with manufacturing as one).
    #[arg(long, value_name = "N")]
    pub industry_depth: Option<u8>,
    /// Read missing cells as zero instead of leaving the region out (say so in reports).
    #[arg(long)]
    pub missing_as_zero: bool,
}

/// `regis specialise`
#[derive(Debug, Args)]
pub struct SpecialiseArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub choice: IndustryChoice,
    /// Region level.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Period (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub period: Option<i32>,
    /// What to report: regions (specialisation of each region), industries (concentration of
    /// each industry), lq (the location-quotient table).
    #[arg(long, value_enum, default_value_t = SpecialiseView::Regions)]
    pub view: SpecialiseView,
    /// LQ threshold of the specialisation matrix (diversity, ubiquity).
    #[arg(long, default_value_t = 1.0)]
    pub threshold: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Views of `regis specialise`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SpecialiseView {
    /// One row per region.
    Regions,
    /// One row per industry.
    Industries,
    /// One row per region x industry.
    Lq,
}

/// `regis shift-share`
#[derive(Debug, Args)]
pub struct ShiftShareArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub choice: IndustryChoice,
    /// Region level.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Start period.
    #[arg(long, value_name = "YEAR")]
    pub from: i32,
    /// End period.
    #[arg(long, value_name = "YEAR")]
    pub to: i32,
    /// classic (Dunn), esteban-marquillas, or dynamic (Barff-Knight, yearly).
    #[arg(long, default_value = "classic")]
    pub method: String,
    /// One row per region (default) or per region x industry.
    #[arg(long)]
    pub cells: bool,
    /// Only these regions in the output (the nation is still all regions).
    #[arg(long, value_name = "REGION")]
    pub region: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis convergence`
#[derive(Debug, Args)]
pub struct ConvergenceArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Region level.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Start period.
    #[arg(long, value_name = "YEAR")]
    pub from: i32,
    /// End period.
    #[arg(long, value_name = "YEAR")]
    pub to: i32,
    /// Industry code of the values (default: the total).
    #[arg(long, default_value = "_T")]
    pub industry: String,
    /// Divide by this measure (per head: --per population).
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// Conditional convergence: a dummy for membership of this group (e.g. SMA).
    #[arg(long, value_name = "GROUP")]
    pub conditional_on: Option<String>,
    /// Re-express both measures in the boundaries of this year first (2011 folds Sejong back).
    #[arg(long, value_name = "YEAR")]
    pub vintage: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis spatial`
#[derive(Debug, Args)]
pub struct SpatialArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Region level (province or district; the built-in boundaries are those of 2018).
    #[arg(long, default_value = "district")]
    pub level: String,
    /// Period (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub period: Option<i32>,
    /// Industry code of the values (default: the total).
    #[arg(long, default_value = "_T")]
    pub industry: String,
    /// Divide by this measure (per head: --per population).
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// Spatial weights: queen, rook, knn:K (k nearest centroids), band:KM (centroids within KM
    /// kilometres). Row-standardised for Moran, Geary and LISA; binary for Getis-Ord G.
    #[arg(long, default_value = "queen")]
    pub weights: String,
    /// Permutations for pseudo p-values (0 = analytic inference only).
    #[arg(long, default_value_t = 999)]
    pub permutations: usize,
    /// Seed of the permutations (same seed, same p-values).
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Report local statistics (LISA clusters and outliers, G_i*) per region instead of the
    /// global ones.
    #[arg(long)]
    pub local: bool,
    /// Significance level for LISA classes.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Boundaries for your own regions (TopoJSON or GeoJSON); default: the built-in Korea ones.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<std::path::PathBuf>,
    /// Property of each boundary feature holding the region code.
    #[arg(long, default_value = "code")]
    pub boundary_code_field: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis bench`
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to run: lisa, inequality, complexity, leiden, regionalisation, lma (labour-market
    /// areas on the Sardinia commuting matrix against Istat's R package), all, or evaluation
    /// (Callaway & Sant'Anna against csdid, synthetic control with placebos against pysyncon),
    /// io (Leontief inverse and multipliers of a 1,411-sector table against numpy and pymrio),
    /// network (exact betweenness of a 12,008-node co-authorship-sized network against
    /// igraph and rustworkx, sampled against networkx), or micro (aggregation of --units
    /// synthetic establishment rows, 10 million by default, against DuckDB).
    #[arg(long, default_value = "all")]
    pub task: String,
    /// Units of the synthetic lattice and panel (default 3000; evaluation: 50000; micro: rows,
    /// 10M). A count: 100000000, 100M or 500k.
    #[arg(long, value_parser = parse_count)]
    pub units: Option<usize>,
    /// Periods of the inequality panel.
    #[arg(long, default_value_t = 500)]
    pub periods: usize,
    /// LISA permutations.
    #[arg(long, default_value_t = 9999)]
    pub permutations: usize,
    /// Python interpreter with esda, libpysal and inequality installed.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Time Regis only (no peer run, no ratio).
    #[arg(long)]
    pub no_peer: bool,
}

/// `regis serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind (127.0.0.1: this computer only; 0.0.0.0: the whole network).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// The address users reach the site at, e.g. `https://regis.example.go.kr` behind a
    /// TLS-terminating reverse proxy: an https:// URL marks the login cookies `Secure`.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
}

impl ServeArgs {
    /// The address to listen on.
    pub fn address(&self) -> Result<std::net::SocketAddr, regis_data::DataError> {
        format!("{}:{}", self.bind, self.port).parse().map_err(|_| {
            regis_data::DataError::argument(format!(
                "--bind {} --port {}: not an address (expected e.g. 127.0.0.1)",
                self.bind, self.port
            ))
        })
    }

    /// Whether login cookies are marked `Secure` (an https:// public URL).
    pub fn secure_cookies(&self) -> Result<bool, regis_data::DataError> {
        match self.public_url.as_deref() {
            None => Ok(false),
            Some(u) if u.starts_with("https://") => Ok(true),
            Some(u) if u.starts_with("http://") => Ok(false),
            Some(u) => Err(regis_data::DataError::argument(format!(
                "--public-url {u}: expected an http:// or https:// URL"
            ))),
        }
    }
}

/// `regis loadtest`
#[derive(Debug, Args)]
pub struct LoadtestArgs {
    /// Server to test (default: start one in this process on a free loopback port).
    #[arg(long)]
    pub url: Option<String>,
    /// Concurrent clients (each keeps one connection open).
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Seconds per endpoint.
    #[arg(long, default_value_t = 5.0)]
    pub seconds: f64,
    /// Instead: keep this many distinct heavy requests running (max-p regions, labour-market
    /// areas, strategy, XLSX downloads; never the same twice, so no cache helps) while
    /// --clients clients time /api/v1/values?measure=population&period=2020.
    #[arg(long, value_name = "N")]
    pub heavy: Option<usize>,
}

/// `regis report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Region: SGIS code (11, 31010) or name.
    #[arg(long)]
    pub region: String,
    /// Measure of the profile.
    #[arg(long, default_value = "grdp_nominal")]
    pub measure: String,
    /// Write the self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Write the tables behind the report to this workbook.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<std::path::PathBuf>,
}

/// `regis complexity`
#[derive(Debug, Args)]
pub struct ComplexityArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub choice: IndustryChoice,
    /// Region level.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Period (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub period: Option<i32>,
    /// regions (ECI, COI), industries (PCI), or density (region x industry density and COG).
    #[arg(long, default_value = "regions")]
    pub view: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis strategy`
#[derive(Debug, Args)]
pub struct StrategyArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub choice: IndustryChoice,
    /// The region to score (SGIS code or name); omit with --overlap.
    #[arg(long)]
    pub region: Option<String>,
    /// Every region's top industries, their overlap, contested industries and differentiation
    /// suggestions.
    #[arg(long)]
    pub overlap: bool,
    /// How many strategic industries each region picks.
    #[arg(long, default_value_t = 4)]
    pub top: usize,
    /// Criteria weights, e.g. specialisation=0.4,density=0.3 (unnamed criteria keep their
    /// defaults; normalised to sum 1). Criteria: specialisation, size, growth, competitive,
    /// density, complexity.
    #[arg(long)]
    pub weights: Option<String>,
    /// Region level.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// End period (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub period: Option<i32>,
    /// Years of the growth and shift-share window.
    #[arg(long, default_value_t = 10)]
    pub window: i32,
    /// Perturbed weightings drawn for the sensitivity table.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Spread of the weight perturbation (log scale).
    #[arg(long, default_value_t = 0.5)]
    pub sigma: f64,
    /// Seed of the sensitivity draws.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// With --overlap: an industry chosen by at least this many regions is contested.
    #[arg(long, default_value_t = 3)]
    pub contested: usize,
    /// Local and public industries are candidates too (by default only traded industries,
    /// after the US Cluster Mapping definitions; the excluded ones are listed).
    #[arg(long)]
    pub include_local: bool,
    /// An input-output table (CSV with columns from, to, value, in the data's industry codes;
    /// rows with to = _output give each industry's total output): adds the linkages criterion
    /// (weight 0.15 unless --weights names it).
    #[arg(long, value_name = "FILE")]
    pub io: Option<std::path::PathBuf>,
    /// An input-output table kept in the store (regis io import) whose sectors are the
    /// measure's industries: its linkages become the linkages criterion.
    #[arg(long, value_name = "ID", conflicts_with = "io")]
    pub io_stored: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis clusters`
#[derive(Debug, Args)]
pub struct ClustersArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub choice: IndustryChoice,
    /// Region level.
    #[arg(long, default_value = "district")]
    pub level: String,
    /// Period (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub period: Option<i32>,
    /// Given cluster definitions: `us` (US Cluster Mapping, NAICS 2012 codes) or a CSV file with
    /// columns `industry` and `cluster`. Without it clusters are derived from co-location.
    #[arg(long, value_name = "us|FILE")]
    pub definitions: Option<String>,
    /// Number of clusters to derive.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// An input-output table (as for `regis strategy --io`): derived clusters then combine
    /// co-location with input-output links (the mean of the two similarities).
    #[arg(long, value_name = "FILE")]
    pub io: Option<std::path::PathBuf>,
    /// Derived clusters combine co-location with the input-output links of the built-in Bank
    /// of Korea table (the KOSIS GRDP activities).
    #[arg(long, conflicts_with = "io")]
    pub io_links: bool,
    /// clusters (members and validation) or stars (each region's cluster strength).
    #[arg(long, default_value = "clusters")]
    pub view: String,
    /// Derived clusters take in local and public industries too (by default only the traded
    /// ones, as in Delgado, Porter & Stern 2016; the others are listed).
    #[arg(long)]
    pub include_local: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis monitor ...`
#[derive(Debug, Subcommand)]
pub enum MonitorCommand {
    /// Create the monitoring store with its first administrator (password from
    /// $REGIS_ADMIN_PASSWORD, at least 8 characters).
    Init {
        /// Administrator's user name.
        #[arg(long, default_value = "admin")]
        admin: String,
    },
    /// Create a user (admin); the password comes from $REGIS_NEW_PASSWORD (at least 8
    /// characters).
    User {
        /// User name.
        username: String,
        /// Role: admin, council, evaluator or public.
        #[arg(long)]
        role: String,
        /// Region (SGIS province code) of a council member.
        #[arg(long)]
        region: Option<String>,
    },
    /// Assign an evaluator to a project (admin).
    Assign {
        /// The evaluator's user name.
        evaluator: String,
        /// Project id.
        project: i64,
    },
    /// Load the illustrative demo programmes, projects, KPIs and budgets (admin).
    Demo,
    /// Projects visible to you (the public sees published ones).
    Projects(FormatArg),
    /// A project's results framework: results (output, outcome, impact) with their indicators,
    /// and its milestones with their status today.
    Results {
        /// Project id.
        project: i64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Pairs of projects that overlap (same region, industry and years; similar text).
    Overlap {
        /// Minimum title or objective similarity (0-1).
        #[arg(long, default_value_t = 0.5)]
        threshold: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// KPI achievement of every indicator in its latest reported period.
    Kpi(FormatArg),
    /// Budget execution and the non-SMA share of spending against a target.
    Allocation {
        /// Only this source of funds (central, local, private, special_account).
        #[arg(long)]
        source: Option<String>,
        /// Target non-SMA share.
        #[arg(long, default_value_t = 0.40)]
        target: f64,
        /// Also break spending down by `region` or `ministry`.
        #[arg(long)]
        by: Option<String>,
        /// Only this budget year (default: all years).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Budget adjustments that evaluation grades earn under incentive rules (default rules are
    /// illustrative: S +20%, A +10%, B 0, C -10%, D -20%).
    Incentives {
        /// Year whose planned budget is adjusted.
        #[arg(long, default_value_t = 2025)]
        year: i32,
        /// Source of funds adjusted.
        #[arg(long, default_value = "central")]
        source: String,
        /// Rules as grade=fraction pairs, e.g. `S=0.2,A=0.1,B=0,C=-0.1,D=-0.2`.
        #[arg(long)]
        rules: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a consistent copy of the monitoring store to a new file (admin).
    Backup {
        /// The new file.
        file: std::path::PathBuf,
    },
    /// Replace the monitoring store by a backup (checked first; the current store is kept as
    /// monitor.sqlite.before-restore).
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
    /// Import projects or KPI reports from an XLSX, CSV or JSON file in the template's columns:
    /// all rows are stored in one transaction, or none, with every problem listed by row and
    /// field.
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: ExchangeKind,
        /// The file (.xlsx, .csv or .json).
        file: std::path::PathBuf,
    },
    /// Export the projects or KPI values you can see, in the template's columns (format from the
    /// file's extension: .xlsx, .csv or .json).
    Export {
        /// What to export.
        #[arg(value_enum)]
        kind: ExchangeKind,
        /// The new file.
        file: std::path::PathBuf,
    },
    /// Write an empty template with one illustrative row (.xlsx, .csv or .json).
    Template {
        /// Which template.
        #[arg(value_enum)]
        kind: ExchangeKind,
        /// The new file.
        file: std::path::PathBuf,
    },
}

/// What an import or export file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExchangeKind {
    /// Projects (columns: programme_id, title, objective, region, industry, organisation,
    /// start_year, end_year, status).
    Projects,
    /// KPI reports (columns: indicator_id, period, target, actual, version).
    Kpi,
}

/// `regis evaluate ...`
#[derive(Debug, Subcommand)]
pub enum EvaluateCommand {
    /// Staggered difference-in-differences (Callaway & Sant'Anna 2021): ATT(g,t) for every
    /// cohort and period, the simple, dynamic, group and calendar aggregations, analytic
    /// standard errors. The panel is --measure or --input with the mapping flags (--region-col
    /// the unit, --period-col the time, --value-col the outcome); the treatment is
    /// --first-treated-col, --treated-col or --treated CODE=YEAR,...
    Cs(Box<CsArgs>),
    /// Two-way fixed-effects difference-in-differences: the static estimate with standard
    /// errors clustered by unit, the event study and the joint test of the leads (same flags
    /// as `cs`; --control, --base-period and --anticipation do not apply).
    Did(Box<CsArgs>),
    /// Synthetic control (Abadie, Diamond & Hainmueller 2010): donor weights, predictor
    /// balance, gaps, the V search's spread, in-space placebos and their p-value.
    Sc(Box<ScArgs>),
    /// Synthetic difference-in-differences (Arkhangelsky et al. 2021) of a block of treated
    /// units, with the synthetic-control and DiD estimates side by side and placebo standard
    /// errors (200 replications; --no-placebos skips them).
    Sdid(Box<ScArgs>),
}

/// `regis evaluate sc`
/// An evaluation tied to the monitoring store.
#[derive(Args, Debug)]
pub struct LinkArgs {
    /// Treatment from a monitored programme (id or code): its projects' lead and partner
    /// regions, each from the first year a project started there.
    #[arg(long, value_name = "ID")]
    pub programme: Option<String>,
    /// Attach the estimate to this evaluation record (REGIS_USER and REGIS_PASSWORD of an
    /// admin or of an evaluator assigned to its project).
    #[arg(long, value_name = "EVALUATION_ID")]
    pub attach: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ScArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub link: LinkArgs,
    /// Level of the units.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Industry of the outcome (default: the total).
    #[arg(long, default_value = "_T")]
    pub industry: String,
    /// The outcome per head of this measure.
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// The treated unit and its first treated period, e.g. California=1989 or 26=2005 (sdid:
    /// several, comma-separated, all from the same year). Or --programme.
    #[arg(
        long,
        value_name = "CODE=YEAR",
        value_delimiter = ',',
        required_unless_present = "programme"
    )]
    pub treated: Vec<String>,
    /// Predictors NAME, NAME@YEAR or NAME@FROM-TO (means); NAME is `outcome` or a column of
    /// the --input file. Default: the outcome's pre-treatment mean and three of its values.
    #[arg(long, value_delimiter = ',')]
    pub predictors: Vec<String>,
    /// Periods the V search fits, FROM-TO (default: every pre-treatment period).
    #[arg(long, value_name = "FROM-TO")]
    pub fit: Option<String>,
    /// Skip the in-space placebos (and the p-value).
    #[arg(long)]
    pub no_placebos: bool,
    /// Seed of the V search's random starts.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis evaluate cs`
#[derive(Debug, Args)]
pub struct CsArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub link: LinkArgs,
    /// Level of the units.
    #[arg(long, default_value = "province")]
    pub level: String,
    /// Industry of the outcome (default: the total).
    #[arg(long, default_value = "_T")]
    pub industry: String,
    /// The outcome per head of this measure.
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// Column of the --input file with each unit's first treated period (0 or empty: never).
    #[arg(long, value_name = "COL")]
    pub first_treated_col: Option<String>,
    /// Column of the --input file with 0/1 by unit and period (once 1, 1 after).
    #[arg(long, value_name = "COL")]
    pub treated_col: Option<String>,
    /// Treated regions with their first treated year, e.g. 38=2005,47=2005.
    #[arg(long, value_name = "CODE=YEAR", value_delimiter = ',')]
    pub treated: Vec<String>,
    /// Controls: never (never-treated units) or not-yet (also units not yet treated).
    #[arg(long, default_value = "never")]
    pub control: String,
    /// Base period of pre-treatment cells: varying (the period before) or universal (g-1).
    #[arg(long, default_value = "varying")]
    pub base_period: String,
    /// Periods of anticipation before the first treated period.
    #[arg(long, default_value_t = 0)]
    pub anticipation: i32,
    /// dr, ipw or reg: without covariates the three are the same estimator.
    #[arg(long, default_value = "dr")]
    pub estimator: String,
    /// Covariates: columns of --input, or measures (e.g. population) for a measure's outcome.
    #[arg(long, value_delimiter = ',')]
    pub covariates: Vec<String>,
    /// Multiplier-bootstrap draws for the uniform 95% bands (0: none).
    #[arg(long, default_value_t = 999)]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis zones ...`
#[derive(Debug, Subcommand)]
pub enum ZonesCommand {
    /// Labour-market areas (Coombes & Bond; Franconi et al. 2017): zones that are
    /// self-contained enough for their size.
    Lma(LmaArgs),
    /// Leiden communities of the symmetrised flow network (modularity or CPM), seeded.
    Leiden(LeidenArgs),
    /// Max-p regions: as many contiguous regions as possible, each reaching a threshold (e.g.
    /// 1,500,000 people), as homogeneous in the attributes as possible (Duque et al. 2012;
    /// the heuristic of Wei, Rey & Knaap 2021).
    Maxp(MaxPArgs),
    /// SKATER: a given number of contiguous regions cut from the minimum spanning tree of the
    /// contiguity graph weighted by attribute dissimilarity (Assunção et al. 2006).
    Skater(SkaterArgs),
}

/// The areas to regionalise: built-in measures on the built-in boundaries, or your own table
/// and boundaries. Contiguity is queen contiguity of the boundaries.
#[derive(Debug, Args)]
pub struct AreaSource {
    /// Attributes whose similarity shapes the regions, comma-separated: built-in measure ids
    /// (e.g. grdp_nominal,companies with --per population) or, with --table, column names.
    #[arg(long, value_delimiter = ',', required = true)]
    pub attributes: Vec<String>,
    /// Divide built-in attributes by this measure (per head: --per population).
    #[arg(long, value_name = "MEASURE")]
    pub per: Option<String>,
    /// Year of the built-in measures.
    #[arg(long, default_value_t = 2020)]
    pub period: i32,
    /// Level of the built-in areas: district (250 si-gun-gu) or province.
    #[arg(long, default_value = "district")]
    pub level: String,
    /// Your own areas: a CSV or XLSX table with one row per area.
    #[arg(long, value_name = "FILE")]
    pub table: Option<std::path::PathBuf>,
    /// Column of the table holding the area code (matched with --boundary-code-field).
    #[arg(long, default_value = "code")]
    pub code_col: String,
    /// Boundaries of your areas (TopoJSON or GeoJSON); default: the built-in Korea ones.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<std::path::PathBuf>,
    /// Property of each boundary feature holding the area code.
    #[arg(long, default_value = "code")]
    pub boundary_code_field: String,
    /// Standardise each attribute (z-scores) before measuring similarity, so that attributes
    /// in different units weigh alike.
    #[arg(long)]
    pub standardise: bool,
}

/// `regis zones maxp`
#[derive(Debug, Args)]
pub struct MaxPArgs {
    #[command(flatten)]
    pub areas: AreaSource,
    /// The threshold every region must reach, in the units of --threshold-by.
    #[arg(long)]
    pub threshold: f64,
    /// What the threshold counts: a built-in measure (default population) or, with --table, a
    /// column.
    #[arg(long, default_value = "population")]
    pub threshold_by: String,
    /// Randomised constructions tried.
    #[arg(long, default_value_t = 99)]
    pub iterations: usize,
    /// Local-search runs per best construction.
    #[arg(long, default_value_t = 10)]
    pub annealing_runs: usize,
    /// Random seed (the same seed gives the same regions).
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Output: table (regions), csv (code,region), json (regions with their areas and totals),
    /// geojson (the boundaries with their region).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis zones skater`
#[derive(Debug, Args)]
pub struct SkaterArgs {
    #[command(flatten)]
    pub areas: AreaSource,
    /// Number of regions (separate parts of the map, such as islands, add one each).
    #[arg(long)]
    pub regions: usize,
    /// Smallest region allowed, in the units of --floor-by (default: a number of areas).
    #[arg(long, default_value_t = 1.0)]
    pub floor: f64,
    /// What the floor counts: a built-in measure or, with --table, a column; default: areas.
    #[arg(long)]
    pub floor_by: Option<String>,
    /// Output: table, csv, json or geojson, as for maxp.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis zones leiden`
#[derive(Debug, Args)]
pub struct LeidenArgs {
    /// Flow file, a built-in flow measure and its year, and the file's columns, as for `lma`.
    #[command(flatten)]
    pub source: FlowSource,
    /// Quality function: modularity or cpm.
    #[arg(long, default_value = "modularity")]
    pub quality: String,
    /// Resolution γ.
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    /// Random seed (the same seed gives the same communities).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep every community contiguous (units joined through shared boundaries): the built-in
    /// province boundaries for built-in measures, else --boundaries.
    #[arg(long)]
    pub contiguity: bool,
    /// Boundaries of the units (TopoJSON or GeoJSON) for --contiguity with --input.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<std::path::PathBuf>,
    /// Property of each boundary feature holding the unit code.
    #[arg(long, default_value = "code")]
    pub boundary_code_field: String,
    /// Output: table, csv (unit,community), json, geojson (built-in measures).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Where flows come from.
#[derive(Debug, Args)]
pub struct FlowSource {
    /// Flow file (CSV or XLSX): one row per origin, destination and amount.
    #[arg(long, conflicts_with = "measure")]
    pub input: Option<std::path::PathBuf>,
    /// A built-in flow measure instead of a file (`migration`: moves between provinces,
    /// within-province moves included).
    #[arg(long)]
    pub measure: Option<String>,
    /// Year of the built-in flows.
    #[arg(long)]
    pub period: Option<i32>,
    /// Column of the place of residence (origin).
    #[arg(long, default_value = "community_live")]
    pub origin_col: String,
    /// Column of the place of work (destination).
    #[arg(long, default_value = "community_work")]
    pub dest_col: String,
    /// Column of the amount.
    #[arg(long, default_value = "amount")]
    pub value_col: String,
}

/// `regis zones lma`
#[derive(Debug, Args)]
pub struct LmaArgs {
    /// Flow file (--input, with --origin-col, --dest-col, --value-col) or a built-in flow
    /// measure (--measure migration, --period).
    #[command(flatten)]
    pub source: FlowSource,
    /// Minimum zone size (residents).
    #[arg(long, default_value_t = 1000.0)]
    pub min_size: f64,
    /// Size from which the minimum self-containment suffices.
    #[arg(long, default_value_t = 10000.0)]
    pub target_size: f64,
    /// Minimum self-containment (0-1).
    #[arg(long, default_value_t = 0.6667)]
    pub min_self_containment: f64,
    /// Self-containment that suffices from the minimum size (0-1).
    #[arg(long, default_value_t = 0.75)]
    pub target_self_containment: f64,
    /// Stop after one pass of Istat's procedure, exactly as its R package LabourMarketAreas
    /// (findClusters) draws the zones: the final assignment of the reserve list may leave
    /// zones below validity 1. Without it, the procedure runs again until every zone is valid.
    #[arg(long)]
    pub single_pass: bool,
    /// Compare the zones with administrative regions given by the first N characters of the
    /// unit codes (e.g. 2 for Istat municipality codes -> provinces): zones crossing borders,
    /// adjusted Rand index, share of flows inside zones and inside regions.
    #[arg(long)]
    pub admin_prefix: Option<usize>,
    /// Contiguity fine-tuning: parts of a zone that do not touch the rest of it move to the
    /// touching zone they are most cohesive with. Needs boundaries: the built-in province
    /// boundaries for built-in measures, else --boundaries.
    #[arg(long)]
    pub contiguity: bool,
    /// Boundaries of the units (TopoJSON or GeoJSON) for --contiguity with --input.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<std::path::PathBuf>,
    /// Property of each boundary feature holding the unit code.
    #[arg(long, default_value = "code")]
    pub boundary_code_field: String,
    /// Output: table (zones), csv (unit,zone), json (zones with units and figures), geojson
    /// (built-in measures: the province boundaries with their zone).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis io ...`
#[derive(Debug, Subcommand)]
pub enum IoCommand {
    /// Type I multipliers of every sector: output, and the income, GVA and employment effects
    /// and multipliers the sectors file allows.
    Multipliers(IoArgs),
    /// Backward and forward linkages (Rasmussen, normalised) and key sectors.
    Linkages(IoArgs),
    /// Hypothetical extraction: the output lost without each sector (total, backward, forward).
    Extraction(IoArgs),
    /// A region's multipliers from a national table scaled by location quotients (FLQ by
    /// default); without --flows, the built-in Bank of Korea table (83 sectors) sized by GRDP.
    Regionalise(RegionaliseArgs),
    /// A multiregional table (the sectors file gives each sector's `region`): multipliers
    /// with their in-region and spill-over shares, and with --final-demand the regional
    /// accounts of an extension (production- and consumption-based, imports and exports
    /// embodied).
    Mrio(MrioArgs),
    /// Keep a table in the store under an id (every check of the io commands first), for
    /// --stored ID.
    Import(IoImportArgs),
    /// The input-output tables kept in the store.
    Tables {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `regis io import`
#[derive(Debug, Args)]
pub struct IoImportArgs {
    /// The table's files, as for the other io commands.
    #[command(flatten)]
    pub io: IoArgs,
    /// Its id in the store: lowercase letters, digits and _ (e.g. kr2020).
    #[arg(long)]
    pub id: String,
    /// Its year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Its region or country.
    #[arg(long)]
    pub region: Option<String>,
    /// product-by-product (default) or industry-by-industry.
    #[arg(long, default_value = "product-by-product")]
    pub kind: String,
}

/// `regis io mrio`
#[derive(Debug, Args)]
pub struct MrioArgs {
    /// The table, as for the other io commands (--final-demand: `sector`, consuming `region`,
    /// `final_demand`).
    #[command(flatten)]
    pub io: IoArgs,
    /// The extension of the accounts: a sectors-file field (default employment, else
    /// compensation).
    #[arg(long)]
    pub extension: Option<String>,
}

/// How an input-output table's files name their columns.
#[derive(Debug, Args)]
pub struct IoColumnArgs {
    /// Long flows: the supplying sector's column.
    #[arg(long, value_name = "COL")]
    pub from_col: Option<String>,
    /// Long flows: the using sector's column.
    #[arg(long, value_name = "COL")]
    pub to_col: Option<String>,
    /// Long flows: the value's column.
    #[arg(long, value_name = "COL")]
    pub value_col: Option<String>,
    /// A sectors-file field under another header, e.g. --col output=총산출 or
    /// --col regional=울산 (repeatable).
    #[arg(long = "col", value_name = "NAME=HEADER")]
    pub col: Vec<String>,
}

impl IoColumnArgs {
    /// The app's request for the table in `flows` and `sectors` read with these columns.
    pub fn request(
        &self,
        flows: &std::path::Path,
        sectors: &std::path::Path,
    ) -> Result<regis_app::io::MultipliersRequest, regis_app::Error> {
        regis_app::io::MultipliersRequest::new(
            flows.to_path_buf(),
            sectors.to_path_buf(),
            self.from_col.clone(),
            self.to_col.clone(),
            self.value_col.clone(),
            &self.col,
        )
    }
}

/// `regis io regionalise`
#[derive(Debug, Args)]
pub struct RegionaliseArgs {
    /// The flows file (default: the built-in Bank of Korea 2020 table).
    #[arg(long, value_name = "FILE", requires = "sectors")]
    pub flows: Option<std::path::PathBuf>,
    /// The sectors file; its `regional` column (or --col regional=HEADER) holds the region's
    /// sizes, in the unit of --size.
    #[arg(long, value_name = "FILE", requires = "flows")]
    pub sectors: Option<std::path::PathBuf>,
    /// The region: a province (name or code) on the built-in table, a label with files.
    #[arg(long, required_unless_present = "calibrate")]
    pub region: Option<String>,
    /// The location quotient: flq (Flegg & Webber 1997), aflq, cilq or slq.
    #[arg(long, default_value = "flq")]
    pub quotient: String,
    /// FLQ's and AFLQ's δ, in [0, 1).
    #[arg(long, default_value_t = 0.3)]
    pub delta: f64,
    /// What the sizes are (files): output (the sectors file's `output`) or employment.
    #[arg(long, default_value = "output")]
    pub size: String,
    /// Regionalise the built-in table to every province and report the error of its in-region
    /// output multipliers against the Bank of Korea's survey-based ones, by δ.
    #[arg(long, conflicts_with_all = ["flows", "region"])]
    pub calibrate: bool,
    /// Balance the regional flows by GRAS to the region's intermediate sales and purchases
    /// (the sectors file's `intermediate_sales` and `intermediate_inputs`).
    #[arg(long, requires = "flows")]
    pub balance: bool,
    /// How the files name their columns.
    #[command(flatten)]
    pub columns: IoColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// An input-output table as files.
#[derive(Debug, Args)]
pub struct IoArgs {
    /// The flows: a square matrix (supplying sectors down the first column, using sectors
    /// across the header) or a long file with --from-col, --to-col and --value-col. Without
    /// it, the built-in Bank of Korea 2020 table (see --table).
    #[arg(long, value_name = "FILE", requires = "sectors")]
    pub flows: Option<std::path::PathBuf>,
    /// One row per sector: `sector`, `output` and any of compensation, operating_surplus,
    /// taxes_on_production, value_added, imports, employment, household_consumption.
    #[arg(long, value_name = "FILE", requires = "flows")]
    pub sectors: Option<std::path::PathBuf>,
    /// The built-in table's level when no --flows is given: 33, 83 or 165 sectors.
    #[arg(long, default_value_t = 33, conflicts_with = "flows")]
    pub table: usize,
    /// A table kept in the store (regis io import) instead of --flows and --sectors.
    #[arg(long, value_name = "ID", conflicts_with = "flows")]
    pub stored: Option<String>,
    /// Final demand by sector: `sector` and `household_consumption` columns, for the household
    /// closure (else the sectors file's `household_consumption`).
    #[arg(long, value_name = "FILE")]
    pub final_demand: Option<std::path::PathBuf>,
    /// Type II multipliers too: households endogenous (compensation row, household
    /// consumption column).
    #[arg(long)]
    pub household_closure: bool,
    /// How the files name their columns.
    #[command(flatten)]
    pub columns: IoColumnArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regis network …`
#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Nodes, edges, density, components, transitivity, clustering and assortativity.
    Summary(NetworkArgs),
    /// One row per actor: degree, strength, betweenness, closeness, eigenvector, PageRank,
    /// Burt's constraint and effective size, core number.
    Centrality(NetworkArgs),
    /// Gould-Fernandez brokerage roles (coordinator, itinerant, representative, gatekeeper,
    /// liaison) with groups from a column of the actors file.
    Brokerage {
        /// The actors file's column that defines the groups (e.g. type or region).
        #[arg(long, value_name = "COL")]
        by: String,
        /// The network.
        #[command(flatten)]
        network: NetworkArgs,
    },
    /// Leydesdorff's triple-helix mutual information T_UIG (bits) over the projects of a
    /// participation file, each actor's helix from the type column.
    TripleHelix {
        /// Type values that are university (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = regis_app::network_groups::defaults::UNIVERSITY)]
        university: Vec<String>,
        /// Type values that are industry.
        #[arg(long, value_delimiter = ',', default_value = regis_app::network_groups::defaults::INDUSTRY)]
        industry: Vec<String>,
        /// Type values that are government (public research institutes with it by default).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = regis_app::network_groups::defaults::GOVERNMENT
        )]
        government: Vec<String>,
        /// The network (--participation, --actors, --type-col).
        #[command(flatten)]
        network: NetworkArgs,
    },
    /// The core-periphery partition (Borgatti-Everett discrete model): exhaustive up to 20
    /// actors, else a local search from many starts, with the fitness and the starts that
    /// reached it.
    Core {
        /// Seeded random starts beside the nine degree-ranked ones.
        #[arg(long, default_value_t = regis_app::network_groups::defaults::STARTS)]
        starts: usize,
        /// Seed of the random starts.
        #[arg(long, default_value_t = regis_app::network_groups::defaults::SEED)]
        seed: u64,
        /// The network.
        #[command(flatten)]
        network: NetworkArgs,
    },
    /// Ties between regions (each pair once, within-region ties included): a flow table
    /// the zones commands read. Needs --actors and --region-col.
    Regions(NetworkArgs),
    /// The weak-cooperation diagnosis: actors and ties by group against a degree-preserving
    /// random baseline (configuration-model draws, z-scores), and the groups that are many but
    /// unlinked; for the whole network and, with --per, for each region or cluster.
    Weak {
        /// The actors file's column that defines the groups (default: --type-col).
        #[arg(long, value_name = "COL")]
        by: Option<String>,
        /// A column that splits the network into parts (each part: its actors and the ties
        /// among them), e.g. the region column.
        #[arg(long, value_name = "COL")]
        per: Option<String>,
        /// Draws of the baseline.
        #[arg(long, default_value_t = regis_app::network_groups::defaults::DRAWS)]
        draws: usize,
        /// Seed of the draws.
        #[arg(long, default_value_t = regis_app::network_groups::defaults::SEED)]
        seed: u64,
        /// The network.
        #[command(flatten)]
        network: NetworkArgs,
    },
}

impl NetworkCommand {
    /// The application's question and the network's arguments.
    pub fn question(self) -> (regis_app::network_groups::Question, NetworkArgs) {
        use regis_app::network_groups::{Question, WeakRequest};
        match self {
            NetworkCommand::Summary(a) => (Question::Summary, a),
            NetworkCommand::Centrality(a) => (Question::Centrality, a),
            NetworkCommand::Brokerage { by, network } => (Question::Brokerage { by }, network),
            NetworkCommand::Regions(a) => (Question::Regions, a),
            NetworkCommand::TripleHelix {
                university,
                industry,
                government,
                network,
            } => (
                Question::TripleHelix {
                    university,
                    industry,
                    government,
                },
                network,
            ),
            NetworkCommand::Core {
                starts,
                seed,
                network,
            } => (
                Question::Core {
                    random_starts: starts,
                    seed,
                },
                network,
            ),
            NetworkCommand::Weak {
                by,
                per,
                draws,
                seed,
                network,
            } => {
                let q = WeakRequest {
                    by,
                    per,
                    draws,
                    seed,
                };
                (Question::Weak(q), network)
            }
        }
    }
}

/// A network given as files.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// The ties: one row per tie between two actors (CSV, XLSX or Parquet).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present_any = ["participation", "from_monitoring"]
    )]
    pub edges: Option<std::path::PathBuf>,
    /// Instead of files: the cooperation network of the monitoring store's projects, their
    /// executing and partner organisations tied with Newman's weight, with the columns `type`
    /// and `region` (and `projects`). Read as REGIS_USER (with REGIS_PASSWORD), else as the
    /// public, who see published projects only.
    #[arg(long, conflicts_with_all = ["edges", "participation", "actors"])]
    pub from_monitoring: bool,
    /// Instead of --edges: one row per actor taking part in a project (joint R&D, a paper, a
    /// patent); the actors of a project are tied with Newman's weight 1/(n − 1).
    #[arg(long, value_name = "FILE", conflicts_with = "edges")]
    pub participation: Option<std::path::PathBuf>,
    /// The participation file's project column.
    #[arg(long, value_name = "COL", default_value = "project")]
    pub project_col: String,
    /// The participation file's actor column.
    #[arg(long, value_name = "COL", default_value = "actor")]
    pub participant_col: String,
    /// The column naming one end of a tie.
    #[arg(long, value_name = "COL", default_value = "source")]
    pub source_col: String,
    /// The column naming the other end.
    #[arg(long, value_name = "COL", default_value = "target")]
    pub target_col: String,
    /// The tie weight column (numbers > 0; without it every tie weighs 1).
    #[arg(long, value_name = "COL")]
    pub weight_col: Option<String>,
    /// The actors: one row per actor, with its type and region; actors without ties still
    /// count as nodes, and a tie naming an actor not listed is refused.
    #[arg(long, value_name = "FILE")]
    pub actors: Option<std::path::PathBuf>,
    /// The actors file's id column.
    #[arg(long, value_name = "COL", default_value = "actor", requires = "actors")]
    pub actor_col: String,
    /// The actors file's type column (firm, university, research institute…).
    #[arg(long, value_name = "COL", requires = "actors")]
    pub type_col: Option<String>,
    /// The actors file's region column.
    #[arg(long, value_name = "COL", requires = "actors")]
    pub region_col: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = NetworkFormat::Table)]
    pub format: NetworkFormat,
}

impl NetworkArgs {
    /// The application's source.
    pub fn source(&self) -> regis_app::network::NetworkSource {
        regis_app::network::NetworkSource {
            edges: self.edges.clone().map(regis_app::network::Input::Path),
            participation: self
                .participation
                .clone()
                .map(regis_app::network::Input::Path),
            project_col: self.project_col.clone(),
            participant_col: self.participant_col.clone(),
            max_project_ties: usize::MAX,
            source_col: self.source_col.clone(),
            target_col: self.target_col.clone(),
            weight_col: self.weight_col.clone(),
            actors: self.actors.clone().map(regis_app::network::Input::Path),
            actor_col: self.actor_col.clone(),
            type_col: self.type_col.clone(),
            region_col: self.region_col.clone(),
        }
    }
}

/// A count as people write it: digits with optional `_` separators, or a number with a
/// suffix k (thousand), M (million) or G (billion), decimals allowed where the count stays
/// whole (`1.5M` is 1,500,000; `1.5k5`, `0.0001k` and `1,5M` are refused: a comma could be a
/// decimal comma or a thousands separator). Exact: no floating point.
pub fn parse_count(text: &str) -> Result<usize, String> {
    let refuse = || {
        format!("expected a whole count such as 100000000, 100_000_000, 100M or 500k, got `{text}`")
    };
    let t: String = text.trim().chars().filter(|&c| c != '_').collect();
    let (number, zeros) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 3),
        Some('m' | 'M') => (&t[..t.len() - 1], 6),
        Some('g' | 'G') => (&t[..t.len() - 1], 9),
        _ => (t.as_str(), 0),
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((_, "")) => return Err(refuse()),
        Some(parts) => parts,
        None => (number, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > zeros {
        return Err(refuse());
    }
    let padded = format!("{whole}{fraction}{}", "0".repeat(zeros - fraction.len()));
    padded.parse().map_err(|_| {
        format!(
            "`{text}` is past the largest count this machine holds ({})",
            usize::MAX
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_read_as_people_write_them() {
        for (text, n) in [
            ("100000000", 100_000_000),
            ("100_000_000", 100_000_000),
            ("100M", 100_000_000),
            ("20m", 20_000_000),
            ("1.5M", 1_500_000),
            ("1.1M", 1_100_000),
            ("500k", 500_000),
            ("2G", 2_000_000_000),
            ("0", 0),
        ] {
            assert_eq!(parse_count(text), Ok(n), "{text}");
        }
        for bad in [
            "", "M", "1.5", "0.0001k", "-5", "1e6", "100X", "1.5k5", "1,5M", "1,000", "1.", "1.M",
        ] {
            let e = parse_count(bad).unwrap_err();
            assert!(e.contains("100M") && e.contains(bad), "{bad}: {e}");
        }
        let e = parse_count("99999999999999999999999").unwrap_err();
        assert!(e.contains("past the largest count"), "{e}");
    }
}
