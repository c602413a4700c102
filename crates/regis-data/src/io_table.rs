//! Input-output tables given by users, in long form: one row per flow `from,to,value` between
//! industries of the analysed measure, and one row `from,_output,value` per industry for its
//! total output. Every code must be one of the measure's industries: an unknown one is refused
//! with its line and column, never skipped (a misspelt code would otherwise drop its flows in
//! silence).

use std::path::Path;

use crate::error::{DataError, ErrorKind, Result};
use crate::table::{parse_number, Table};

/// The column `to` of a row that gives an industry's total output.
pub const OUTPUT: &str = "_output";

/// An input-output table over a list of industries.
#[derive(Debug, Clone, PartialEq)]
pub struct IoTable {
    /// Intermediate flows, row-major `n × n` (`z[i * n + j]` from industry i to j).
    pub flows: Vec<f64>,
    /// Total output per industry (0 where the table gives none).
    pub output: Vec<f64>,
    /// Whether the table gives an industry's output.
    pub has_output: Vec<bool>,
}

/// Reads an input-output table whose codes must be among `industries`.
pub fn read_io_table(path: &Path, industries: &[String]) -> Result<IoTable> {
    let t = Table::read(path, &Default::default())?;
    let file = path.display().to_string();
    let col = |n: &str| {
        t.column(n).ok_or_else(|| {
            DataError::file(
                ErrorKind::MissingColumn,
                &file,
                format!(
                    "expected columns from, to, value; columns are: {}",
                    t.header.join(", ")
                ),
            )
        })
    };
    let (cf, ct, cv) = (col("from")?, col("to")?, col("value")?);
    let n = industries.len();
    let position = |code: &str, line: usize, column: &str| -> Result<usize> {
        industries.iter().position(|c| c == code).ok_or_else(|| {
            let mut known = industries.to_vec();
            known.truncate(40);
            DataError::file(
                ErrorKind::UnknownIndustry,
                &file,
                format!(
                    "not an industry of the measure; expected one of: {}{}",
                    known.join(", "),
                    if industries.len() > 40 { ", ..." } else { "" }
                ),
            )
            .at_line(line)
            .in_column(column)
            .with_value(code)
        })
    };
    let mut table = IoTable {
        flows: vec![0.0; n * n],
        output: vec![0.0; n],
        has_output: vec![false; n],
    };
    for r in &t.rows {
        let v = parse_number(&r.cells[cv]).ok_or_else(|| {
            DataError::file(ErrorKind::NotNumeric, &file, "expected a number")
                .at_line(r.line)
                .in_column("value")
                .with_value(&r.cells[cv])
        })?;
        if v < 0.0 {
            return Err(DataError::file(
                ErrorKind::Negative,
                &file,
                "input-output flows and outputs cannot be negative",
            )
            .at_line(r.line)
            .in_column("value")
            .with_value(&r.cells[cv]));
        }
        let i = position(r.cells[cf].trim(), r.line, "from")?;
        let to = r.cells[ct].trim();
        if to == OUTPUT {
            table.output[i] = v;
            table.has_output[i] = true;
        } else {
            let j = position(to, r.line, "to")?;
            table.flows[i * n + j] += v;
        }
    }
    if !table.has_output.iter().any(|s| *s) {
        return Err(DataError::file(
            ErrorKind::MissingColumn,
            &file,
            "no `_output` rows: give each industry's total output as a row with to = _output",
        ));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_outputs_and_unknown_codes() {
        let dir = std::env::temp_dir().join(format!("regis-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let inds = vec!["A".to_string(), "B".to_string()];
        let ok = dir.join("ok.csv");
        std::fs::write(&ok, "from,to,value\nA,B,3\nA,B,2\nB,A,1\nA,_output,10\n").unwrap();
        let t = read_io_table(&ok, &inds).unwrap();
        assert_eq!(t.flows, vec![0.0, 5.0, 1.0, 0.0]);
        assert_eq!(t.output, vec![10.0, 0.0]);
        assert_eq!(t.has_output, vec![true, false]);
        let bad = dir.join("bad.csv");
        std::fs::write(&bad, "from,to,value\nA,B,3\nA,Bx,2\nA,_output,10\n").unwrap();
        let e = read_io_table(&bad, &inds).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnknownIndustry);
        assert_eq!(
            (e.line, e.column.as_deref(), e.value.as_deref()),
            (Some(3), Some("to"), Some("Bx"))
        );
    }
}
