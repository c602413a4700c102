//! An input-output table as `regis io` reads it: the flows (a square matrix file — supplying
//! sectors down the first column, using sectors across the header — or a long file with
//! from/to/value columns) and a sectors file (one row per sector: `sector`, `output` and any of
//! `compensation`, `operating_surplus`, `taxes_on_production`, `imports`, `employment`,
//! `household_consumption` (type II closure), `regional` (a region's sizes), `value_added`
//! (gross value added, when the parts are not given); other
//! headers mapped with `--col NAME=HEADER`). Every code must be a sector of the sectors file
//! (refused with its line and column, never skipped), the flow matrix must be square, and
//! outputs must be present and not negative; negative flows are kept (by-products).

use std::path::Path;

use crate::error::{DataError, ErrorKind, Result};
use crate::table::{parse_number_in, ReadOptions, Table};

/// The sectors file's fields besides `sector` and `output`.
pub const SECTOR_FIELDS: [&str; 12] = [
    "compensation",
    "operating_surplus",
    "taxes_on_production",
    "imports",
    "employment",
    "household_consumption",
    "regional",
    "value_added",
    "taxes_on_products",
    "final_demand",
    "intermediate_sales",
    "intermediate_inputs",
];

/// Relative tolerance of the balance checks: published tables are rounded.
pub const BALANCE_TOLERANCE: f64 = 1e-3;

/// How the files' columns are named.
#[derive(Debug, Clone, Default)]
pub struct IoColumns {
    /// Long flows: the supplying sector's column (none: a square matrix file).
    pub from: Option<String>,
    /// Long flows: the using sector's column.
    pub to: Option<String>,
    /// Long flows: the value's column.
    pub value: Option<String>,
    /// Sectors file: field name -> header (`--col output=총산출`).
    pub renames: Vec<(String, String)>,
}

impl IoColumns {
    /// The header of `field`: as `--col field=HEADER` renamed it, else the field's name.
    pub fn header(&self, field: &str) -> String {
        self.renames
            .iter()
            .find(|(f, _)| f == field)
            .map_or_else(|| field.to_string(), |(_, h)| h.clone())
    }

    /// The column of `field` in `t` (read from `file`), or an error naming the columns there
    /// are and the `--col` that maps another header.
    fn required(&self, t: &Table, file: &str, field: &str) -> Result<usize> {
        let h = self.header(field);
        t.column(&h).ok_or_else(|| {
            DataError::file(
                ErrorKind::MissingColumn,
                file,
                format!(
                    "no `{h}` column (the {field}); columns are: {} (map another header with --col {field}=HEADER)",
                    t.header.join(", ")
                ),
            )
        })
    }
}

/// A read input-output table.
#[derive(Debug, Clone, PartialEq)]
pub struct IoSystem {
    /// Sector codes, in the sectors file's order.
    pub sectors: Vec<String>,
    /// Intermediate flows, row-major `n × n` (`z[i * n + j]` from sector i to j).
    pub flows: Vec<f64>,
    /// Total output.
    pub output: Vec<f64>,
    /// The sectors file's other fields that were given: (field, values).
    pub fields: Vec<(&'static str, Vec<f64>)>,
    /// Each sector's region (a multiregional table's `region` column); empty when not given.
    pub regions: Vec<String>,
}

impl IoSystem {
    /// Gross value added by sector and the fields it is made of: `value_added` when given,
    /// else the sum of whichever of `compensation`, `operating_surplus` and
    /// `taxes_on_production` are given; none when none is.
    pub fn value_added(&self) -> Option<(Vec<f64>, Vec<&'static str>)> {
        if let Some(v) = self.field("value_added") {
            return Some((v.to_vec(), vec!["value_added"]));
        }
        let parts: Vec<&'static str> = ["compensation", "operating_surplus", "taxes_on_production"]
            .into_iter()
            .filter(|p| self.field(p).is_some())
            .collect();
        (!parts.is_empty()).then(|| {
            let sum = (0..self.sectors.len())
                .map(|j| {
                    parts
                        .iter()
                        .filter_map(|p| self.field(p))
                        .map(|v| v[j])
                        .sum()
                })
                .collect();
            (sum, parts)
        })
    }

    /// The values of `field`, if the sectors file gives it.
    pub fn field(&self, field: &str) -> Option<&[f64]> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_slice())
    }
}

fn number(t: &Table, row: usize, col: usize, file: &str) -> Result<f64> {
    let r = &t.rows[row];
    let cell = r.cells[col].trim();
    if cell.is_empty() || cell == "-" {
        return Ok(0.0);
    }
    parse_number_in(cell, t.decimal_comma).ok_or_else(|| {
        DataError::file(ErrorKind::NotNumeric, file, "expected a number")
            .at_line(r.line)
            .in_column(t.header[col].clone())
            .with_value(cell)
    })
}

/// Reads a final-demand file's `field` column (or the header `--col field=HEADER` names) for
/// the sectors `sectors`, keyed by its `sector` column: a sector the file does not list buys
/// nothing (0); a code that is not a sector is refused with its line.
pub fn read_sector_column(
    path: &Path,
    sectors: &[String],
    field: &str,
    columns: &IoColumns,
) -> Result<Vec<f64>> {
    let t = Table::read(path, &ReadOptions::default())?;
    let file = path.display().to_string();
    let col = |f: &str| columns.required(&t, &file, f);
    let (cs, cv) = (col("sector")?, col(field)?);
    let mut out = vec![0.0; sectors.len()];
    let mut seen = vec![false; sectors.len()];
    for (k, r) in t.rows.iter().enumerate() {
        let code = r.cells[cs].trim();
        let j = sectors.iter().position(|s| s == code).ok_or_else(|| {
            DataError::file(
                ErrorKind::UnknownIndustry,
                &file,
                "not a sector of the sectors file",
            )
            .at_line(r.line)
            .in_column(t.header[cs].clone())
            .with_value(code)
        })?;
        if std::mem::replace(&mut seen[j], true) {
            return Err(
                DataError::file(ErrorKind::Duplicate, &file, "this sector is given twice")
                    .at_line(r.line)
                    .in_column(t.header[cs].clone())
                    .with_value(code),
            );
        }
        out[j] = number(&t, k, cv, &file)?;
    }
    Ok(out)
}

/// Reads the flows file `flows` and the sectors file `sectors`.
pub fn read_io_system(flows: &Path, sectors: &Path, columns: &IoColumns) -> Result<IoSystem> {
    let opts = ReadOptions::default();
    let st = Table::read(sectors, &opts)?;
    let sfile = sectors.display().to_string();
    let header_of = |field: &str| columns.header(field);
    let required = |field: &str| columns.required(&st, &sfile, field);
    // A --col naming no field, or a header the file lacks, is refused, never ignored.
    for (field, header) in &columns.renames {
        if field != "sector"
            && field != "output"
            && field != "region"
            && !SECTOR_FIELDS.contains(&field.as_str())
        {
            return Err(DataError::argument(format!(
                "--col {field}={header}: `{field}` is not a field; expected sector, output, {}",
                SECTOR_FIELDS.join(", ")
            )));
        }
        if st.column(header).is_none() {
            return Err(DataError::file(
                ErrorKind::MissingColumn,
                &sfile,
                format!(
                    "--col {field}={header}: no `{header}` column; columns are: {}",
                    st.header.join(", ")
                ),
            ));
        }
    }
    let (cs, co) = (required("sector")?, required("output")?);
    let mut codes: Vec<String> = Vec::with_capacity(st.rows.len());
    let mut output = Vec::with_capacity(st.rows.len());
    for (k, r) in st.rows.iter().enumerate() {
        let code = r.cells[cs].trim().to_string();
        if codes.contains(&code) {
            return Err(DataError::file(
                ErrorKind::Duplicate,
                &sfile,
                "this sector is listed twice",
            )
            .at_line(r.line)
            .in_column(st.header[cs].clone())
            .with_value(code));
        }
        if r.cells[co].trim().is_empty() {
            return Err(DataError::file(
                ErrorKind::NotNumeric,
                &sfile,
                "every sector needs its output",
            )
            .at_line(r.line)
            .in_column(st.header[co].clone()));
        }
        let x = number(&st, k, co, &sfile)?;
        if x < 0.0 {
            return Err(DataError::file(
                ErrorKind::Negative,
                &sfile,
                "an output cannot be negative",
            )
            .at_line(r.line)
            .in_column(st.header[co].clone())
            .with_value(r.cells[co].clone()));
        }
        codes.push(code);
        output.push(x);
    }
    let regions: Vec<String> = match st.column(&header_of("region")) {
        Some(c) => st
            .rows
            .iter()
            .map(|r| r.cells[c].trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let mut fields = Vec::new();
    for f in SECTOR_FIELDS {
        if let Some(c) = st.column(&header_of(f)) {
            let v = (0..st.rows.len())
                .map(|k| number(&st, k, c, &sfile))
                .collect::<Result<Vec<_>>>()?;
            // People and a region's size cannot be negative (flows and value added can).
            if ["employment", "regional"].contains(&f) {
                if let Some(k) = v.iter().position(|x| *x < 0.0) {
                    return Err(DataError::file(
                        ErrorKind::Negative,
                        &sfile,
                        format!("{f} cannot be negative"),
                    )
                    .at_line(st.rows[k].line)
                    .in_column(st.header[c].clone())
                    .with_value(st.rows[k].cells[c].clone()));
                }
            }
            fields.push((f, v));
        }
    }
    let n = codes.len();
    let ft = Table::read(flows, &opts)?;
    let ffile = flows.display().to_string();
    let position = |code: &str, line: usize, column: &str| -> Result<usize> {
        codes.iter().position(|c| c == code.trim()).ok_or_else(|| {
            DataError::file(
                ErrorKind::UnknownIndustry,
                &ffile,
                format!(
                    "not a sector of {sfile} ({n} sectors: {}{})",
                    codes
                        .iter()
                        .take(12)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if n > 12 { ", ..." } else { "" }
                ),
            )
            .at_line(line)
            .in_column(column.to_string())
            .with_value(code.trim())
        })
    };
    let mut z = vec![0.0; n * n];
    match (&columns.from, &columns.to, &columns.value) {
        (Some(f), Some(t), Some(v)) => {
            let col = |h: &str| {
                ft.column(h).ok_or_else(|| {
                    DataError::file(
                        ErrorKind::MissingColumn,
                        &ffile,
                        format!("no `{h}` column; columns are: {}", ft.header.join(", ")),
                    )
                })
            };
            let (cf, ct, cv) = (col(f)?, col(t)?, col(v)?);
            for (k, r) in ft.rows.iter().enumerate() {
                let i = position(&r.cells[cf], r.line, &ft.header[cf])?;
                let j = position(&r.cells[ct], r.line, &ft.header[ct])?;
                z[i * n + j] += number(&ft, k, cv, &ffile)?;
            }
        }
        (None, None, None) => {
            // A square matrix: using sectors across the header after the first column.
            let cols: Vec<usize> = (1..ft.header.len())
                .map(|c| position(&ft.header[c], 1, &ft.header[c]))
                .collect::<Result<_>>()?;
            if cols.len() != n || ft.rows.len() != n {
                return Err(DataError::file(
                    ErrorKind::NotSquare,
                    &ffile,
                    format!(
                        "the flow matrix is {} rows by {} columns; it must be square over the {n} sectors of {sfile} (or give --from-col, --to-col and --value-col for a long file)",
                        ft.rows.len(),
                        cols.len()
                    ),
                ));
            }
            let mut seen = vec![false; n];
            for (k, r) in ft.rows.iter().enumerate() {
                let i = position(&r.cells[0], r.line, &ft.header[0])?;
                if std::mem::replace(&mut seen[i], true) {
                    return Err(DataError::file(
                        ErrorKind::Duplicate,
                        &ffile,
                        "this sector's row is given twice",
                    )
                    .at_line(r.line)
                    .in_column(ft.header[0].clone())
                    .with_value(r.cells[0].trim()));
                }
                for (c, &j) in cols.iter().enumerate() {
                    z[i * n + j] = number(&ft, k, c + 1, &ffile)?;
                }
            }
        }
        _ => {
            return Err(DataError::argument(
                "a long flows file needs all of --from-col, --to-col and --value-col",
            ))
        }
    }
    let system = IoSystem {
        sectors: codes,
        flows: z,
        output,
        fields,
        regions,
    };
    let out_col = st.header[co].clone();
    check_balance(&system, |k| st.rows[k].line, &sfile, &out_col)?;
    Ok(system)
}

/// The balance checks a sectors file allows, each within [`BALANCE_TOLERANCE`] of output:
/// columns — intermediate inputs + `imports` + `taxes_on_products` + value added (`value_added`,
/// or its three parts) = output, when imports and value added are given; rows — intermediate
/// sales + `final_demand` = output, when final demand is given. The first sector off is
/// refused with its line and the imbalance.
fn check_balance(
    io: &IoSystem,
    line: impl Fn(usize) -> usize,
    file: &str,
    output_column: &str,
) -> Result<()> {
    let n = io.sectors.len();
    // Only a whole value added can balance a column: `value_added`, or all three parts.
    let va: Option<Vec<f64>> = io
        .value_added()
        .filter(|(_, parts)| parts.len() == 3 || parts[..] == ["value_added"])
        .map(|(v, _)| v);
    let off = |sum: f64, x: f64| (sum - x).abs() > BALANCE_TOLERANCE * x.abs().max(sum.abs());
    let refuse = |j: usize, what: String| {
        Err(DataError::file(ErrorKind::Unbalanced, file, what)
            .at_line(line(j))
            .in_column(output_column.to_string())
            .with_value(format!("{}", io.output[j])))
    };
    if let (Some(imports), Some(va)) = (io.field("imports"), va.as_deref()) {
        let taxes = io.field("taxes_on_products");
        for j in 0..n {
            let inputs: f64 = (0..n).map(|i| io.flows[i * n + j]).sum();
            let sum = inputs + imports[j] + taxes.map_or(0.0, |t| t[j]) + va[j];
            if off(sum, io.output[j]) {
                return refuse(
                    j,
                    format!(
                        "sector {}'s inputs do not add up to its output: intermediate {inputs} + imports {} + taxes on products {} + value added {} = {sum}, {:+} from output (tolerance {}%)",
                        io.sectors[j],
                        imports[j],
                        taxes.map_or(0.0, |t| t[j]),
                        va[j],
                        sum - io.output[j],
                        BALANCE_TOLERANCE * 100.0
                    ),
                );
            }
        }
    }
    if let Some(fd) = io.field("final_demand") {
        for (i, (row, fd_i)) in io.flows.chunks_exact(n).zip(fd).enumerate() {
            let sales: f64 = row.iter().sum();
            let sum = sales + fd_i;
            if off(sum, io.output[i]) {
                return refuse(
                    i,
                    format!(
                        "sector {}'s sales do not add up to its output: intermediate {sales} + final demand {} = {sum}, {:+} from output (tolerance {}%)",
                        io.sectors[i],
                        fd_i,
                        sum - io.output[i],
                        BALANCE_TOLERANCE * 100.0
                    ),
                );
            }
        }
    }
    Ok(())
}

/// Reads a multiregional final-demand file: `sector` (the producing sector), `region` (the
/// consuming region, one of the sectors file's regions) and `final_demand` (or the headers
/// `--col` names). Returns the rows of `Y` by consuming region (`regions.len()` rows of
/// `sectors.len()`). A sector or a region the table lacks is refused with its line; a pair
/// given twice too.
pub fn read_final_demand_by_region(
    path: &Path,
    sectors: &[String],
    regions: &[String],
    columns: &IoColumns,
) -> Result<Vec<f64>> {
    let t = Table::read(path, &ReadOptions::default())?;
    let file = path.display().to_string();
    let col = |f: &str| columns.required(&t, &file, f);
    let (cs, cr, cv) = (col("sector")?, col("region")?, col("final_demand")?);
    let n = sectors.len();
    let mut y = vec![0.0; regions.len() * n];
    let mut seen = vec![false; regions.len() * n];
    for (k, r) in t.rows.iter().enumerate() {
        let locate = |c: usize, what: &str, list: &[String]| {
            let v = r.cells[c].trim();
            let kind = if c == cr {
                ErrorKind::UnknownRegion
            } else {
                ErrorKind::UnknownIndustry
            };
            list.iter().position(|s| s == v).ok_or_else(|| {
                DataError::file(kind, &file, what.to_string())
                    .at_line(r.line)
                    .in_column(t.header[c].clone())
                    .with_value(v)
            })
        };
        let i = locate(cs, "not a sector of the sectors file", sectors)?;
        let c = locate(cr, "not a region of the sectors file", regions)?;
        if std::mem::replace(&mut seen[c * n + i], true) {
            return Err(DataError::file(
                ErrorKind::Duplicate,
                &file,
                "this sector and region are given twice",
            )
            .at_line(r.line));
        }
        y[c * n + i] = number(&t, k, cv, &file)?;
    }
    Ok(y)
}
