//! A key met twice in an import: two wide columns of one row giving the same period, two rows
//! differing only in an unmapped column, or a plain duplicate; the rows are read back to say so.

use crate::error::{DataError, ErrorKind};
use crate::table::Rows;

use super::*;

/// One observation while importing: region (or origin and destination), interned industry,
/// period, value (NaN when missing), and where it came from. 32 bytes, so an import holds a
/// fixed multiple of its output rather than of the file's text.
#[derive(Clone, Copy)]
pub(super) struct Observation {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) industry: u32,
    pub(super) period: i32,
    pub(super) value: f64,
    pub(super) row: u32,
    pub(super) column: u32,
}

/// The error for a key met twice: two wide columns of one row giving the same period, two
/// rows differing only in an unmapped column, or a plain duplicate. The two rows are read back
/// from the source (a streamed file is scanned once more, only on this error).
pub(super) fn duplicate_error(
    t: &dyn Rows,
    header: &[String],
    extra_cols: &[usize],
    wide: bool,
    first: Observation,
    second: Observation,
) -> DataError {
    let file = t.file();
    let row_of = |o: &Observation| t.row(o.row as usize).ok().flatten();
    let (Some(first_row), Some(row)) = (row_of(&first), row_of(&second)) else {
        return DataError::file(
            ErrorKind::Duplicate,
            file,
            "duplicate observation: the same region, industry and period twice",
        );
    };
    let vc = second.column as usize;
    if first.row == second.row && wide {
        let other = header[first.column as usize].clone();
        let example = sublabel(&header[vc]).unwrap_or_default();
        return DataError::file(
            ErrorKind::UnresolvedDimension,
            file,
            format!(
                "columns `{other}` and `{}` give the same period; choose one with --filter '{ITEM}={example}'",
                header[vc]
            ),
        )
        .at_line(row.line)
        .in_column(&header[vc])
        .adding("filter", format!("{ITEM}={example}"));
    }
    if let Some(&c) = extra_cols
        .iter()
        .find(|&&c| first_row.cells[c] != row.cells[c])
    {
        // Age and sex are dimensions to choose from, not industries.
        let h = header[c].to_lowercase();
        let demographic = ["연령", "성별", "age", "sex", "gender"]
            .iter()
            .any(|k| h.contains(k));
        return DataError::file(
            ErrorKind::UnresolvedDimension,
            file,
            format!(
                "rows {} and {} differ only in column `{}` (`{}` vs `{}`), which is not mapped; choose one with --filter '{}={}'{}",
                first_row.line, row.line, header[c], first_row.cells[c], row.cells[c], header[c], first_row.cells[c],
                if demographic { "" } else { " or map it with --industry-col" }
            ),
        )
        .at_line(row.line)
        .in_column(&header[c])
        .adding("filter", format!("{}={}", header[c], first_row.cells[c]));
    }
    DataError::file(
        ErrorKind::Duplicate,
        file,
        format!(
            "duplicate observation: same region, industry and period as line {}",
            first_row.line
        ),
    )
    .at_line(row.line)
    .in_column(&header[vc])
}
