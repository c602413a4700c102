//! The Spark engine of the micro data (feature `spark`): the job is sent as a plan to a Spark
//! cluster through Spark Connect (the official Apache Rust client), and the aggregated
//! sufficient statistics come back as Arrow batches.
//!
//! What runs where:
//! 1. On the cluster, four small queries: the distinct (period, region) codes, the distinct
//!    industry codes, the first row that breaks a rule (a null, negative employees, negative
//!    or non-finite sales), and the first duplicated (establishment, period).
//! 2. Here: each distinct code resolved once, through the same code history and
//!    classification as the embedded engine (`micro_targets`).
//! 3. On the cluster: read Parquet → join the two lookup tables (sent with the plan as local
//!    relations, broadcast to the executors) → group by period × region × industry (× size
//!    class) → count and sum. Only the groups travel back.
//!
//! Counts and integer sums are exact on both engines (Σ employees² as decimal(38,0)); sales
//! are sums of doubles in the cluster's order, equal to the embedded engine's to about 1e-15
//! relative.

use crate::micro::MicroRequest;
use crate::micro_stats::{
    GroupSums, MicroStats, PeriodStats, SizeSums, Wanted, SIZE_CLASSES, SIZE_CLASS_LOWER,
};
use crate::micro_targets::Targets;
use crate::Result;
use arrow::array::{Array, Decimal128Array, Float64Array, Int32Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use regis_data::micro::WEIGHT;
use regis_data::{DataError, ErrorKind};
use spark_connect::functions::{count, input_file_name, isnan, sum, trim};
use spark_connect::plan::JoinType;
use spark_connect::row::{Row, Value};
use spark_connect::{col, lit, lit_double, lit_string, Column, DataFrame, DataType, SparkSession};
use std::collections::BTreeMap;

/// A Spark error, said with the URL it came from.
fn spark_error(url: &str, what: &str, e: impl std::fmt::Display) -> crate::Error {
    DataError::file(ErrorKind::Io, url, format!("Spark Connect, {what}: {e}")).into()
}

/// Whether the Spark Connect server of `url` (`sc://host:port[/;options]`) takes a TCP
/// connection within 10 seconds: the client itself retries for minutes before it gives up.
fn reachable(url: &str) -> Result<()> {
    use std::net::{TcpStream, ToSocketAddrs};
    let shown = crate::micro::shown_spark_url(url);
    let bad = |m: String| -> crate::Error { DataError::file(ErrorKind::Io, &shown, m).into() };
    let authority = url
        .strip_prefix("sc://")
        .ok_or_else(|| bad("expected sc://host:port".into()))?
        .split(['/', ';'])
        .next()
        .unwrap_or("");
    let authority = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:15002")
    };
    let addresses: Vec<_> = authority
        .to_socket_addrs()
        .map_err(|e| bad(format!("Spark Connect, connecting: {e}")))?
        .collect();
    let timeout = std::time::Duration::from_secs(10);
    let mut last = None;
    for a in &addresses {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    Err(bad(format!(
        "Spark Connect, connecting: no server answers at {authority} ({}); is the cluster's \
         connect server running (tests/spark/cluster.sh start)?",
        last.map_or_else(|| "no address".to_string(), |e| e.to_string())
    )))
}

/// The path the cluster reads: a local path made absolute, anything else (a URI, a glob) as
/// given.
fn cluster_path(q: &MicroRequest) -> String {
    let shown = q.input.display().to_string();
    match std::fs::canonicalize(&q.input) {
        Ok(p) => p.display().to_string(),
        // A relative glob of local files: made absolute, as the cluster's working directory
        // is not this one.
        Err(_) if q.input.is_relative() && !shown.contains("://") => std::env::current_dir()
            .map(|d| d.join(&q.input).display().to_string())
            .unwrap_or(shown),
        Err(_) => shown,
    }
}

/// The file name of `input_file_name()`, without the `file://` scheme of a local file.
fn shown_file(uri: &str) -> String {
    uri.strip_prefix("file://").unwrap_or(uri).to_string()
}

fn column<'a, T: 'static>(b: &'a RecordBatch, name: &str, url: &str) -> Result<&'a T> {
    b.column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or_else(|| {
            spark_error(
                url,
                "reading the result",
                format!("column `{name}` missing or of an unexpected type"),
            )
        })
}

fn collect(df: &DataFrame, url: &str, what: &str) -> Result<Vec<RecordBatch>> {
    df.collect_record_batches()
        .map_err(|e| spark_error(url, what, e))
}

/// The first row of `df` (columns file, establishment_id, period and the rest as text).
fn first_row(df: &DataFrame, url: &str, what: &str) -> Result<Option<Row>> {
    let rows = df
        .limit(1)
        .collect()
        .map_err(|e| spark_error(url, what, e))?;
    Ok(rows.into_iter().next())
}

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "null".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| v.as_f64().map(|f| f.to_string()))
            .unwrap_or_else(|| format!("{v:?}")),
    }
}

/// The located error of a row found on the cluster: its file, establishment and period.
fn row_error(row: &Row, kind: ErrorKind, column: &str, message: String) -> crate::Error {
    DataError::file(
        kind,
        shown_file(&text(row.get_by_name("file"))),
        format!(
            "establishment_id {}, period {}, column `{column}`: {message}",
            text(row.get_by_name("establishment_id")),
            text(row.get_by_name("period")),
        ),
    )
    .into()
}

/// The checks of the establishment rows, run on the cluster: the first breaking row of each
/// (duplicated establishment-periods only when `duplicates`).
fn check_rows(df: &DataFrame, url: &str, duplicates: bool, weighted: bool) -> Result<()> {
    let mut columns = regis_data::micro::COLUMNS.to_vec();
    if weighted {
        columns.push(WEIGHT);
    }
    let with_file = |condition: Column| {
        let mut shown = vec![input_file_name().alias("file")];
        shown.extend(columns.iter().map(|c| col(c)));
        df.filter(condition).select(shown)
    };
    // One scan for every rule: the first breaking row comes back, and which rule it breaks
    // is read here from its values.
    let unusable = |c: &str| {
        col(c)
            .lt(lit_double(0.0))
            .or(isnan(col(c)))
            .or(col(c).eq(lit_double(f64::INFINITY)))
    };
    let bad_sales = if weighted {
        unusable("sales").or(unusable(WEIGHT))
    } else {
        unusable("sales")
    };
    let any_null = columns
        .iter()
        .map(|c| col(c).is_null())
        .reduce(|a, b| a.or(b))
        .expect("six columns");
    let bad_period = col("period").lt(lit(1000)).or(col("period").gt(lit(9999)));
    let broken = any_null
        .or(col("employees").lt(lit(0)))
        .or(bad_sales)
        .or(bad_period);
    if let Some(row) = first_row(&with_file(broken), url, "checking the rows")? {
        let null = |c: &str| matches!(row.get_by_name(c), None | Some(Value::Null));
        if let Some(name) = columns.iter().find(|c| null(c)) {
            return Err(row_error(
                &row,
                ErrorKind::NotNumeric,
                name,
                "missing (null)".into(),
            ));
        }
        let p = row
            .get_by_name("period")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if !(1000..=9999).contains(&p) {
            return Err(row_error(
                &row,
                ErrorKind::BadPeriod,
                "period",
                format!("{p}: not a year (expected 1000-9999)"),
            ));
        }
        let e = row
            .get_by_name("employees")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if e < 0 {
            return Err(row_error(
                &row,
                ErrorKind::Negative,
                "employees",
                format!("{e}: employees cannot be negative"),
            ));
        }
        let s = text(row.get_by_name("sales"));
        let sales_ok = row
            .get_by_name("sales")
            .and_then(Value::as_f64)
            .is_some_and(|s| (0.0..f64::INFINITY).contains(&s));
        if weighted && sales_ok {
            return Err(row_error(
                &row,
                ErrorKind::Negative,
                WEIGHT,
                format!(
                    "{}: expected a weight (a number ≥ 0)",
                    text(row.get_by_name(WEIGHT))
                ),
            ));
        }
        return Err(row_error(
            &row,
            ErrorKind::Negative,
            "sales",
            format!("{s}: expected a number ≥ 0"),
        ));
    }
    if !duplicates {
        return Ok(());
    }
    let twice = df
        .select(vec![
            input_file_name().alias("file"),
            col("establishment_id"),
            col("period"),
        ])
        .group_by(["establishment_id", "period"])
        .agg(vec![
            count(lit(1)).alias("rows").expression().clone(),
            spark_connect::functions::min(col("file"))
                .alias("file")
                .expression()
                .clone(),
        ])
        .filter(col("rows").gt(lit(1)));
    if let Some(row) = first_row(&twice, url, "checking duplicates")? {
        return Err(row_error(
            &row,
            ErrorKind::Duplicate,
            "establishment_id",
            format!(
                "{} rows of this establishment in this period; expected one",
                text(row.get_by_name("rows"))
            ),
        ));
    }
    Ok(())
}

/// The error of a code that does not resolve, located on the cluster at the first of the
/// `rows` that hold it (its file, establishment and period).
fn unknown_code(
    df: &DataFrame,
    rows: Column,
    kind: ErrorKind,
    column: &str,
    code: &str,
    why: String,
    url: &str,
) -> crate::Error {
    let message = format!("`{}`: {why}", crate::error::shown(code));
    let first = df.filter(rows).select(vec![
        input_file_name().alias("file"),
        col("establishment_id"),
        col("period"),
    ]);
    match first_row(&first, url, "locating a code") {
        Ok(Some(row)) => row_error(&row, kind, column, message),
        Ok(None) => DataError::file(kind, url, message).into(),
        Err(e) => e,
    }
}

/// The lookup of the regions: each distinct (period, region code) resolved here.
fn region_lookup(t: &Targets, df: &DataFrame, url: &str) -> Result<Vec<Row>> {
    let batches = collect(
        &df.select(vec![col("period"), col("region")]).distinct(),
        url,
        "listing the region codes",
    )?;
    let mut rows = Vec::new();
    for b in &batches {
        let (period, region) = (
            column::<Int32Array>(b, "period", url)?,
            column::<StringArray>(b, "region", url)?,
        );
        for k in 0..b.num_rows() {
            let (p, code) = (period.value(k), region.value(k));
            let index = match t.region(code, p) {
                Ok(i) => i,
                Err(m) => {
                    let rows = col("region")
                        .eq(lit_string(code))
                        .and(col("period").eq(lit(i64::from(p))));
                    return Err(unknown_code(
                        df,
                        rows,
                        ErrorKind::UnknownRegion,
                        "region",
                        code,
                        m,
                        url,
                    ));
                }
            };
            rows.push(Row::new(
                vec!["period".into(), "region".into(), "region_index".into()],
                vec![
                    Value::Integer(p),
                    Value::String(code.to_string()),
                    Value::Integer(index as i32),
                ],
            ));
        }
    }
    Ok(rows)
}

/// The lookup of the industries: each distinct code mapped to its ancestor here.
fn industry_lookup(t: &Targets, df: &DataFrame, url: &str) -> Result<Vec<Row>> {
    let batches = collect(
        &df.select(vec![col("industry")]).distinct(),
        url,
        "listing the industry codes",
    )?;
    let mut rows = Vec::new();
    for b in &batches {
        let industry = column::<StringArray>(b, "industry", url)?;
        for k in 0..b.num_rows() {
            let code = industry.value(k);
            let index = match t.industry(code) {
                Ok(i) => i,
                Err(m) => {
                    let rows = col("industry").eq(lit_string(code));
                    return Err(unknown_code(
                        df,
                        rows,
                        ErrorKind::UnknownIndustry,
                        "industry",
                        code,
                        m,
                        url,
                    ));
                }
            };
            rows.push(Row::new(
                vec!["industry".into(), "industry_index".into()],
                vec![
                    Value::String(code.to_string()),
                    Value::Integer(index as i32),
                ],
            ));
        }
    }
    Ok(rows)
}

/// The size class of `employees` as a Spark expression (the classes of `micro_stats`).
fn size_class_column() -> Column {
    let mut c: Option<Column> = None;
    for (k, &lower) in SIZE_CLASS_LOWER
        .iter()
        .enumerate()
        .rev()
        .take(SIZE_CLASSES - 1)
    {
        let condition = col("employees").ge(lit(lower));
        c = Some(match c {
            None => spark_connect::column::when(condition, lit(k as i64)),
            Some(c) => c.when(condition, lit(k as i64)),
        });
    }
    c.expect("more than one size class").otherwise(lit(0))
}

/// Entries, exits and continuing establishments between consecutive periods, on the
/// cluster: each row with its period's rank (a third lookup), then the rows with no row of
/// the same establishment in the period before (anti-join: entries), with one (semi-join:
/// continuing), and the rows of the period before with none now (anti-join: exits).
fn dynamics(
    session: &SparkSession,
    joined: &DataFrame,
    periods: &mut [PeriodStats],
    industries: usize,
    url: &str,
) -> Result<()> {
    let ranks: Vec<Row> = periods
        .iter()
        .enumerate()
        .map(|(k, p)| {
            Row::new(
                vec!["period".into(), "rank".into()],
                vec![Value::Integer(p.period), Value::Integer(k as i32)],
            )
        })
        .collect();
    let ranks = session
        .create_dataframe(
            ranks,
            DataType::from_ddl("period INT, rank INT")
                .map_err(|e| spark_error(url, "building the period ranks", e))?,
        )
        .map_err(|e| spark_error(url, "sending the period ranks", e))?;
    let keyed = joined
        .join_using(&ranks.broadcast(), ["period"], JoinType::Inner)
        .select(vec![
            col("establishment_id"),
            col("rank"),
            col("region_index"),
            col("industry_index"),
        ]);
    // Each row moved to the next period: what "the period before" holds for that period.
    let before = keyed.select(vec![
        col("establishment_id"),
        (col("rank") + lit(1)).alias("rank"),
        col("region_index"),
        col("industry_index"),
    ]);
    let keys = || keyed.select(vec![col("establishment_id"), col("rank")]);
    let later = keyed.filter(col("rank").gt(lit(0)));
    let last = periods.len() as i64;
    let flows = [
        later.join_using(
            &keys_of(&before),
            ["establishment_id", "rank"],
            JoinType::LeftAnti,
        ),
        before.filter(col("rank").lt(lit(last))).join_using(
            &keys(),
            ["establishment_id", "rank"],
            JoinType::LeftAnti,
        ),
        later.join_using(
            &keys_of(&before),
            ["establishment_id", "rank"],
            JoinType::LeftSemi,
        ),
    ];
    for (k, df) in flows.iter().enumerate() {
        let counted = df
            .group_by(["rank", "region_index", "industry_index"])
            .agg(vec![count(lit(1))
                .cast(DataType::Long)
                .alias("establishments")
                .expression()
                .clone()]);
        for b in collect(&counted, url, "counting entries and exits")? {
            let rank = column::<Int32Array>(&b, "rank", url)?;
            let region = column::<Int32Array>(&b, "region_index", url)?;
            let industry = column::<Int32Array>(&b, "industry_index", url)?;
            let n = column::<Int64Array>(&b, "establishments", url)?;
            for r in 0..b.num_rows() {
                let p = periods
                    .get_mut(rank.value(r) as usize)
                    .ok_or_else(|| spark_error(url, "counting entries", "a rank out of range"))?;
                let cell = region.value(r) as usize * industries + industry.value(r) as usize;
                let target = match k {
                    0 => &mut p.entries,
                    1 => &mut p.exits,
                    _ => &mut p.continuing,
                };
                *target.get_mut(cell).ok_or_else(|| {
                    spark_error(url, "counting entries", "a cell out of range")
                })? += n.value(r) as u64;
            }
        }
    }
    Ok(())
}

/// The (establishment, rank) keys of `df`.
fn keys_of(df: &DataFrame) -> DataFrame {
    df.select(vec![col("establishment_id"), col("rank")])
}

/// The sufficient statistics of `q`'s input, computed on the Spark cluster at `url`.
pub(crate) fn stats(
    q: &MicroRequest,
    url: &str,
    wanted: Wanted,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<MicroStats> {
    let t = Targets::new(q)?;
    reachable(url)?;
    let shown = crate::micro::shown_spark_url(url);
    let session = SparkSession::builder()
        .remote(url)
        .get_or_create()
        .map_err(|e| spark_error(&shown, "connecting", e))?;
    // From here on the URL only names the cluster in messages and in the report.
    let url = shown.as_str();
    let path = cluster_path(q);
    // CSV when every input file is CSV (or the path, unseen here, ends in .csv).
    let csv = match regis_data::micro::input_files(&q.input) {
        Ok(files) => files.iter().all(|f| regis_data::micro::is_csv(f)),
        Err(_) => path.to_ascii_lowercase().ends_with(".csv"),
    };
    let read = if csv {
        session.read().option("header", "true").csv(&path)
    } else {
        session.read().parquet(&path)
    };
    // The files the cluster's plan reads (one analysis request to the driver).
    let files = read
        .input_files()
        .map_err(|e| spark_error(url, "listing the input files", e))?
        .len();
    // Sampling weights, when the input has the column.
    let weighted = read
        .columns()
        .map_err(|e| spark_error(url, "reading the input's columns", e))?
        .iter()
        .any(|c| c == WEIGHT);
    if weighted && wanted != Wanted::default() {
        return Err(crate::micro_stats::weighted_rows_refused());
    }
    let mut selected = vec![
        col("establishment_id")
            .cast(DataType::Long)
            .alias("establishment_id"),
        col("period").cast(DataType::Integer).alias("period"),
        // Codes trimmed of spaces, as the embedded reader trims them.
        trim(col("region").cast(DataType::String {
            collation: String::new(),
        }))
        .alias("region"),
        trim(col("industry").cast(DataType::String {
            collation: String::new(),
        }))
        .alias("industry"),
        col("employees").cast(DataType::Long).alias("employees"),
        col("sales").cast(DataType::Double).alias("sales"),
    ];
    if weighted {
        selected.push(col(WEIGHT).cast(DataType::Double).alias(WEIGHT));
    }
    let input = read.select(selected);
    check_rows(&input, url, q.check_duplicates, weighted)?;
    let schema = |ddl: &str| {
        DataType::from_ddl(ddl).map_err(|e| spark_error(url, "building a lookup table", e))
    };
    let regions = session
        .create_dataframe(
            region_lookup(&t, &input, url)?,
            schema("period INT, region STRING, region_index INT")?,
        )
        .map_err(|e| spark_error(url, "sending the region lookup", e))?;
    let industries = session
        .create_dataframe(
            industry_lookup(&t, &input, url)?,
            schema("industry STRING, industry_index INT")?,
        )
        .map_err(|e| spark_error(url, "sending the industry lookup", e))?;
    let mut joined = input
        .join_using(&regions.broadcast(), ["period", "region"], JoinType::Inner)
        .join_using(&industries.broadcast(), ["industry"], JoinType::Inner);
    let mut keys = vec!["period", "region_index", "industry_index"];
    if wanted.sizes {
        joined = joined.with_column("size_class", size_class_column());
        keys.push("size_class");
    }
    let squared = col("employees").cast(DataType::Decimal {
        precision: 20,
        scale: 0,
    });
    let mut sums = vec![
        count(lit(1)).cast(DataType::Long).alias("establishments"),
        sum(col("employees"))
            .cast(DataType::Long)
            .alias("employees"),
        sum(col("sales")).cast(DataType::Double).alias("sales"),
    ];
    if weighted {
        let times = |c: &str| col(WEIGHT).mul(col(c).cast(DataType::Double));
        sums.extend([
            sum(col(WEIGHT)).cast(DataType::Double).alias("weights"),
            sum(times("employees"))
                .cast(DataType::Double)
                .alias("weighted_employees"),
            sum(times("sales"))
                .cast(DataType::Double)
                .alias("weighted_sales"),
        ]);
    }
    if wanted.squares {
        sums.push(
            sum(squared.clone().mul(squared))
                .cast(DataType::Decimal {
                    precision: 38,
                    scale: 0,
                })
                .alias("employees_squared"),
        );
    }
    let grouped = joined
        .group_by(keys)
        .agg(sums.iter().map(|c| c.expression().clone()).collect());
    let batches = collect(&grouped, url, "aggregating")?;
    let (nr, ni) = (t.regions.len(), t.industries.len());
    let mut periods: BTreeMap<i32, PeriodStats> = BTreeMap::new();
    let mut rows_read = 0u64;
    for b in &batches {
        let period = column::<Int32Array>(b, "period", url)?;
        let region = column::<Int32Array>(b, "region_index", url)?;
        let industry = column::<Int32Array>(b, "industry_index", url)?;
        let n = column::<Int64Array>(b, "establishments", url)?;
        let e = column::<Int64Array>(b, "employees", url)?;
        let s = column::<Float64Array>(b, "sales", url)?;
        let squares = if wanted.squares {
            Some(column::<Decimal128Array>(b, "employees_squared", url)?)
        } else {
            None
        };
        let class = if wanted.sizes {
            Some(column::<Int32Array>(b, "size_class", url)?)
        } else {
            None
        };
        let weights = if weighted {
            Some([
                column::<Float64Array>(b, "weights", url)?,
                column::<Float64Array>(b, "weighted_employees", url)?,
                column::<Float64Array>(b, "weighted_sales", url)?,
            ])
        } else {
            None
        };
        for k in 0..b.num_rows() {
            let nulls = [
                period.is_null(k),
                region.is_null(k),
                industry.is_null(k),
                n.is_null(k),
                e.is_null(k),
                s.is_null(k),
                squares.is_some_and(|a| a.is_null(k)),
                class.is_some_and(|a| a.is_null(k)),
                weights.is_some_and(|w| w.iter().any(|a| a.is_null(k))),
            ];
            let (r, i) = (region.value(k) as usize, industry.value(k) as usize);
            let c = class.map_or(0, |a| a.value(k) as usize);
            if nulls.contains(&true) || r >= nr || i >= ni || c >= SIZE_CLASSES {
                return Err(spark_error(
                    url,
                    "reading the result",
                    "a group with a null or an index out of range (an overflow on the cluster?)",
                ));
            }
            let table = periods
                .entry(period.value(k))
                .or_insert_with(|| PeriodStats::new(period.value(k), nr, ni, wanted));
            let cell = &mut table.cells[r * ni + i];
            let count = n.value(k) as u64;
            let overflow = || spark_error(url, "reading the result", "employees overflow");
            *cell = GroupSums {
                establishments: cell.establishments + count,
                employees: cell
                    .employees
                    .checked_add(e.value(k))
                    .ok_or_else(overflow)?,
                employees_squared: cell.employees_squared + squares.map_or(0, |a| a.value(k)),
                sales: cell.sales + s.value(k),
                weights: cell.weights + weights.map_or(0.0, |w| w[0].value(k)),
                weighted_employees: cell.weighted_employees
                    + weights.map_or(0.0, |w| w[1].value(k)),
                weighted_sales: cell.weighted_sales + weights.map_or(0.0, |w| w[2].value(k)),
            };
            rows_read += count;
            if class.is_some() {
                for at in [
                    &mut table.sizes_by_region[r * SIZE_CLASSES + c],
                    &mut table.sizes_by_industry[i * SIZE_CLASSES + c],
                ] {
                    *at = SizeSums {
                        establishments: at.establishments + count,
                        employees: at.employees.checked_add(e.value(k)).ok_or_else(overflow)?,
                    };
                }
            }
        }
    }
    let mut periods: Vec<PeriodStats> = periods.into_values().collect();
    if wanted.dynamics {
        dynamics(&session, &joined, &mut periods, ni, url)?;
    }
    progress(rows_read, rows_read);
    Ok(MicroStats {
        regions: t.regions,
        industries: t.industries,
        periods,
        rows_read,
        files,
        row_groups: batches.len(),
        engine: q.engine.shown(),
        weighted,
    })
}
