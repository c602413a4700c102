//! CSV input of the micro data: a header naming the six columns (in any order; other columns
//! ignored), streamed in chunks of rows into the same [`Block`] the Parquet reader fills. A
//! CSV file is one unit of work (one "row group"): files go to threads, not parts of a file.
//! Errors name the file, the line and the column.

use crate::error::{DataError, ErrorKind, Result};
use crate::micro::{Block, Codes, Periods, COLUMNS, WEIGHT};
use std::path::Path;

/// Whether `file` is read as CSV (its extension is `.csv`, any case).
pub fn is_csv(file: &Path) -> bool {
    file.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
}

/// Longest field accepted (a code or a number is a few bytes; a runaway quote is not).
const MAX_FIELD: usize = 1024;

/// Whether the CSV file's header names a [`WEIGHT`] column.
pub(crate) fn has_weights(file: &Path) -> Result<bool> {
    let shown = file.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(file)
        .map_err(|e| DataError::file(ErrorKind::Io, &shown, e.to_string()))?;
    let header = reader
        .headers()
        .map_err(|e| DataError::file(ErrorKind::Encoding, &shown, e.to_string()))?;
    Ok(weight_column(header).is_some())
}

fn weight_column(header: &csv::StringRecord) -> Option<usize> {
    header
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == WEIGHT)
}

/// Streams the rows of a CSV file in chunks of at most `chunk` rows.
pub(crate) fn for_each_chunk(
    file: &Path,
    chunk: usize,
    mut f: impl FnMut(&Block) -> Result<()>,
) -> Result<()> {
    let shown = file.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_path(file)
        .map_err(|e| DataError::file(ErrorKind::Io, &shown, e.to_string()))?;
    let header = reader
        .headers()
        .map_err(|e| DataError::file(ErrorKind::Encoding, &shown, e.to_string()))?
        .clone();
    let mut at = [0usize; 6];
    for (c, name) in COLUMNS.iter().enumerate() {
        at[c] = header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == *name)
            .ok_or_else(|| {
                DataError::file(
                    ErrorKind::MissingColumn,
                    &shown,
                    format!(
                        "no column `{name}` in the header; expected the columns {}",
                        COLUMNS.join(", ")
                    ),
                )
                .at_line(1)
            })?;
    }
    let weight_at = weight_column(&header);
    let (mut regions, mut industries) = (Codes::default(), Codes::default());
    let mut periods = Periods::default();
    let mut block = Block::default();
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            let kind = match e.kind() {
                csv::ErrorKind::UnequalLengths { .. } => ErrorKind::RaggedRow,
                csv::ErrorKind::Utf8 { .. } => ErrorKind::Encoding,
                _ => ErrorKind::Truncated,
            };
            DataError::file(kind, &shown, e.to_string()).at_line(line)
        })?;
        if !more || block.len() == chunk {
            if !block.is_empty() {
                block.regions.clone_from(&regions.list);
                block.industries.clone_from(&industries.list);
                block.periods.clone_from(&periods.years);
                f(&block)?;
                block.offset += block.len();
                clear(&mut block);
            }
            if !more {
                return Ok(());
            }
        }
        rows += 1;
        let line = record.position().map_or(rows + 1, |p| p.line() as usize);
        let fail = |c: usize, kind: ErrorKind, expected: String| {
            DataError::file(kind, &shown, expected)
                .at_line(line)
                .in_column(COLUMNS[c])
        };
        let field = |c: usize| -> Result<&str> {
            let bytes = record.get(at[c]).unwrap_or_default();
            if bytes.len() > MAX_FIELD {
                return Err(fail(
                    c,
                    ErrorKind::OverBudget,
                    format!("a field of {} bytes; at most {MAX_FIELD}", bytes.len()),
                ));
            }
            let text = std::str::from_utf8(bytes)
                .map_err(|_| fail(c, ErrorKind::Encoding, "text that is not UTF-8".into()))?
                .trim();
            if text.is_empty() {
                return Err(fail(c, ErrorKind::NotNumeric, "missing (empty)".into()));
            }
            Ok(text)
        };
        let whole = |c: usize| -> Result<i64> {
            let t = field(c)?;
            t.parse::<i64>().map_err(|_| {
                fail(
                    c,
                    ErrorKind::NotNumeric,
                    format!("`{}`: expected a whole number", short(t)),
                )
            })
        };
        let id = whole(0)?;
        let period = whole(1)?;
        if !(1000..=9999).contains(&period) {
            return Err(fail(
                1,
                ErrorKind::BadPeriod,
                format!("{period}: not a year (expected 1000-9999)"),
            ));
        }
        let region = regions
            .index_of(field(2)?.as_bytes())
            .map_err(|m| fail(2, ErrorKind::Encoding, m))?;
        let industry = industries
            .index_of(field(3)?.as_bytes())
            .map_err(|m| fail(3, ErrorKind::Encoding, m))?;
        let employees = whole(4)?;
        let sales_text = field(5)?;
        let sales: f64 = sales_text.parse().map_err(|_| {
            fail(
                5,
                ErrorKind::NotNumeric,
                format!("`{}`: expected a number", short(sales_text)),
            )
        })?;
        block.id.push(id);
        block.period.push(period as i32);
        block.period_index.push(periods.index_of(period));
        block.region.push(region);
        block.industry.push(industry);
        block.employees.push(employees);
        block.sales.push(sales);
        if let Some(w) = weight_at {
            let bytes = record.get(w).unwrap_or_default();
            let text = std::str::from_utf8(bytes).unwrap_or("").trim();
            let weight: f64 = text.parse().map_err(|_| {
                DataError::file(
                    ErrorKind::NotNumeric,
                    &shown,
                    format!("`{}`: expected a weight (a number ≥ 0)", short(text)),
                )
                .at_line(line)
                .in_column(WEIGHT)
            })?;
            block.weight.push(weight);
        }
    }
}

/// A value as shown in a message: its first 40 characters, control characters escaped.
fn short(text: &str) -> String {
    text.chars().take(40).flat_map(char::escape_debug).collect()
}

fn clear(b: &mut Block) {
    b.id.clear();
    b.period.clear();
    b.period_index.clear();
    b.region.clear();
    b.industry.clear();
    b.employees.clear();
    b.sales.clear();
    b.weight.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("regis-micro-csv-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn rows_stream_in_chunks_with_their_codes() {
        let p = write(
            "ok.csv",
            "\u{feff}sales,region,establishment_id,period,industry,employees,note\n\
             1.5,11010,1,2020,C1,3,x\n2,26020,2,2020,J,4,y\n3,11010,3,2021, C1 ,5,z\n",
        );
        let mut seen = Vec::new();
        for_each_chunk(&p, 2, |b| {
            seen.push((
                b.offset,
                b.id.clone(),
                b.regions.clone(),
                b.industry.clone(),
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].0, 0);
        assert_eq!(seen[0].1, [1, 2]);
        assert_eq!(
            seen[1],
            (2, vec![3], vec!["11010".into(), "26020".into()], vec![0])
        );
    }

    #[test]
    fn bad_rows_name_their_line_and_column() {
        let header = "establishment_id,period,region,industry,employees,sales\n";
        let refused = |body: &str, says: &[&str]| {
            let p = write("bad.csv", &format!("{header}{body}"));
            let e = for_each_chunk(&p, 100, |_| Ok(())).unwrap_err().to_string();
            for s in says {
                assert!(e.contains(s), "{e}: no {s}");
            }
        };
        refused(
            "1,2020,11010,C1,3,1\n2,2020,11010,C1,3.5,1\n",
            &[":3", "employees", "whole number"],
        );
        refused("1,20200,11010,C1,3,1\n", &[":2", "period", "not a year"]);
        refused("1,2020,11010,C1,3,\n", &[":2", "sales", "missing"]);
        refused("1,2020,11010,C1,3\n", &[":2"]);
        let p = write(
            "header.csv",
            "id,period,region,industry,employees,sales\n1,2020,11,C,1,1\n",
        );
        let e = for_each_chunk(&p, 100, |_| Ok(())).unwrap_err().to_string();
        assert!(e.contains("establishment_id") && e.contains(":1"), "{e}");
    }
}
