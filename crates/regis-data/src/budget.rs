//! Budgets for reading untrusted files: how large a workbook may be once decompressed, how
//! many rows, columns and cells a sheet may span, how long one cell may be and how deeply a
//! JSON document may nest. Readers check each budget *before* they allocate for it and refuse
//! with a located error (what, where, the limit, the flag that raises it).
//!
//! A 1.5 KB XLSX can declare the range A1:XFD1048576 (17 billion cells) and a 4 MB one can
//! inflate to 1 GB: without budgets either takes a server down. The defaults suit files a
//! person prepares or downloads from a statistics office; the CLI raises them with flags for
//! trusted large files, the server keeps tighter ones for uploads ([`Budgets::upload`]).

use crate::error::{DataError, ErrorKind, Result};

/// Limits on what a reader accepts from one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// XLSX: bytes of all zip entries once decompressed.
    pub max_uncompressed_bytes: u64,
    /// Bytes of one cell's text.
    pub max_cell_bytes: usize,
    /// Rows of a table (data and header).
    pub max_rows: usize,
    /// Columns of a table.
    pub max_columns: usize,
    /// Cells of the area a sheet spans (rows x columns, declared or actual).
    pub max_cells: u64,
    /// Nesting depth of a JSON document.
    pub max_json_depth: usize,
}

impl Default for Budgets {
    /// The CLI's defaults: 512 MiB decompressed, 1 MiB per cell, 50 million rows, 16,384
    /// columns (Excel's limit), 50 million cells per sheet area, JSON nested 64 deep.
    fn default() -> Self {
        Budgets {
            max_uncompressed_bytes: 512 << 20,
            max_cell_bytes: 1 << 20,
            max_rows: 50_000_000,
            max_columns: 16_384,
            max_cells: 50_000_000,
            max_json_depth: 64,
        }
    }
}

impl Budgets {
    /// The server's budgets for uploads: 64 MiB decompressed, 32 KiB per cell, 200,000 rows,
    /// 1,024 columns, 2 million cells, JSON nested 32 deep (each well under 512 MB of memory).
    pub fn upload() -> Self {
        Budgets {
            max_uncompressed_bytes: 64 << 20,
            max_cell_bytes: 32 << 10,
            max_rows: 200_000,
            max_columns: 1_024,
            max_cells: 2_000_000,
            max_json_depth: 32,
        }
    }

    /// A refusal: `what` went past `limit`; `flag` is the CLI flag that raises it.
    pub fn refuse(
        file: &str,
        what: &str,
        actual: impl std::fmt::Display,
        limit: impl std::fmt::Display,
        flag: &str,
    ) -> DataError {
        DataError::file(
            ErrorKind::OverBudget,
            file,
            format!(
                "{what} is {actual}, over the limit of {limit}; if the file is trusted, raise the limit with {flag}"
            ),
        )
    }

    /// Checks one record of a table against the row, field and cell-length budgets: `rows_before`
    /// records came before it, it has `count` fields of the `lengths` in bytes. The refusal
    /// names the line and the field.
    pub fn check_record(
        &self,
        file: &str,
        line: usize,
        rows_before: usize,
        count: usize,
        lengths: impl Iterator<Item = usize>,
    ) -> Result<()> {
        if rows_before >= self.max_rows {
            return Err(Budgets::refuse(
                file,
                "the number of rows",
                format!("more than {}", self.max_rows),
                self.max_rows,
                "--max-rows",
            )
            .at_line(line));
        }
        if count > self.max_columns {
            return Err(Budgets::refuse(
                file,
                "the number of fields",
                count,
                self.max_columns,
                "--max-columns",
            )
            .at_line(line));
        }
        for (i, bytes) in lengths.enumerate() {
            if bytes > self.max_cell_bytes {
                return Err(Budgets::refuse(
                    file,
                    &format!("field {}", i + 1),
                    format!("{bytes} bytes"),
                    format!("{} bytes", self.max_cell_bytes),
                    "--max-cell-bytes",
                )
                .at_line(line));
            }
        }
        Ok(())
    }

    /// Checks the nesting depth of a JSON text without parsing it (strings and escapes are
    /// skipped), so a deep document is refused before a parser recurses into it.
    pub fn check_json_depth(&self, text: &str, file: &str) -> Result<()> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for (line, l) in text.lines().enumerate() {
            for b in l.bytes() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > self.max_json_depth {
                            return Err(Budgets::refuse(
                                file,
                                "JSON nesting depth",
                                format!("more than {}", self.max_json_depth),
                                self.max_json_depth,
                                "--max-json-depth",
                            )
                            .at_line(line + 1));
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// Excel's column letters of a 0-based column index (0 -> A, 16383 -> XFD).
pub fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// An A1-style cell name of 0-based row and column.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn a_record_past_a_budget_is_refused_at_its_line_and_field() {
        let b = Budgets {
            max_rows: 2,
            max_columns: 3,
            max_cell_bytes: 4,
            ..Budgets::default()
        };
        assert!(b
            .check_record("f.csv", 2, 1, 3, [4, 4, 4].into_iter())
            .is_ok());
        let e = b
            .check_record("f.csv", 9, 2, 1, [1].into_iter())
            .unwrap_err();
        assert!(
            e.to_string().contains("f.csv:9") && e.expected.contains("--max-rows"),
            "{e}"
        );
        let e = b
            .check_record("f.csv", 3, 0, 4, [1, 1, 1, 1].into_iter())
            .unwrap_err();
        assert!(e.expected.contains("--max-columns"), "{e}");
        let e = b
            .check_record("f.csv", 3, 0, 2, [1, 5].into_iter())
            .unwrap_err();
        assert!(e.expected.contains("field 2 is 5 bytes"), "{e}");
    }

    #[test]
    fn json_depth_is_refused_past_the_budget_and_strings_do_not_count() {
        let b = Budgets {
            max_json_depth: 3,
            ..Budgets::default()
        };
        assert!(b
            .check_json_depth(r#"{"a":[{"b":"[[[[[["}]}"#, "x.json")
            .is_ok());
        let e = b.check_json_depth("[[[[1]]]]", "x.json").unwrap_err();
        assert_eq!(e.kind, ErrorKind::OverBudget);
        assert!(e.expected.contains("--max-json-depth"), "{e}");
    }
}
