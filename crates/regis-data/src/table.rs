//! A raw table read from a file: header cells and rows of text cells, each row with the line
//! (CSV) or row number (spreadsheet) it came from. CSV in any supported encoding, XLSX
//! (including KOSIS exports with a title row and multi-row headers).

use std::path::Path;

use crate::budget::Budgets;
use crate::error::{DataError, ErrorKind, Result};
use crate::text::{decode, Encoding};

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line (CSV) or row (spreadsheet) in the original file.
    pub line: usize,
    /// Cells, as many as the header.
    pub cells: Vec<String>,
}

/// A table with a single header row (multi-row headers are merged into one).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File name used in messages.
    pub file: String,
    /// Header cells.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Row>,
    /// Encoding the file was read with (CSV only).
    pub encoding: Option<Encoding>,
    /// Numbers are written with a decimal comma (`1,5`, `1.234,5`): the file is
    /// `;`-separated or the reader was told so ([`ReadOptions::decimal_comma`]).
    pub decimal_comma: bool,
    /// What reading left out and why (footnote rows below the table, sheets skipped).
    pub notes: Vec<String>,
    /// The title line above the header, if any (KOSIS: `○ 시도별 추계인구 [명]`).
    pub title: Option<String>,
}

/// Rows that can be read more than once, in order: a [`Table`] held in memory, or a large CSV
/// file streamed from disk on each scan ([`crate::stream::CsvFile`]), so that an import holds
/// its output, not the file's text.
pub trait Rows {
    /// File name used in messages.
    fn file(&self) -> &str;
    /// Header cells.
    fn header(&self) -> &[String];
    /// Numbers are written with a decimal comma.
    fn decimal_comma(&self) -> bool;
    /// Calls `f` with each data row and its 0-based index, in file order, until `f` returns
    /// `Ok(false)` or an error.
    fn scan(&self, f: &mut dyn FnMut(usize, &Row) -> Result<bool>) -> Result<()>;

    /// The data row of 0-based index `index`.
    fn row(&self, index: usize) -> Result<Option<Row>> {
        let mut found = None;
        self.scan(&mut |i, r| {
            if i == index {
                found = Some(r.clone());
                return Ok(false);
            }
            Ok(true)
        })?;
        Ok(found)
    }

    /// What reading left out and why (footnote rows, sheets skipped).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }

    /// The title line above the header, if any.
    fn title(&self) -> Option<String> {
        None
    }

    /// Position of a column by exact name, then by case- and space-insensitive name.
    fn column(&self, name: &str) -> Option<usize> {
        let header = self.header();
        header.iter().position(|h| h == name).or_else(|| {
            let k = norm(name);
            header.iter().position(|h| norm(h) == k)
        })
    }
}

impl Rows for Table {
    fn file(&self) -> &str {
        &self.file
    }
    fn header(&self) -> &[String] {
        &self.header
    }
    fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }
    fn scan(&self, f: &mut dyn FnMut(usize, &Row) -> Result<bool>) -> Result<()> {
        for (i, r) in self.rows.iter().enumerate() {
            if !f(i, r)? {
                break;
            }
        }
        Ok(())
    }
    fn row(&self, index: usize) -> Result<Option<Row>> {
        Ok(self.rows.get(index).cloned())
    }
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
    fn title(&self) -> Option<String> {
        self.title.clone()
    }
}

/// Options for reading a table.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding; None detects.
    pub encoding: Option<Encoding>,
    /// Spreadsheet sheet name; None takes the first sheet.
    pub sheet: Option<String>,
    /// Field delimiter for CSV; None detects among `,`, `;`, tab.
    pub delimiter: Option<u8>,
    /// Limits on what the file may hold.
    pub budgets: Budgets,
    /// Decimal comma: `Some(true)` for `1,5` = 1.5, `Some(false)` for `1,234` = 1234; None
    /// decides by the delimiter (a `;`-separated CSV uses decimal commas, as European
    /// spreadsheets write them).
    pub decimal_comma: Option<bool>,
    /// Rows the header takes (a merged two-row header: 2); None detects.
    pub header_rows: Option<usize>,
}

/// File formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Delimited text.
    Csv,
    /// Office Open XML spreadsheet.
    Xlsx,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// Detects the format from the first bytes (ZIP = XLSX, `PAR1` = Parquet, else CSV).
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else if bytes.starts_with(b"PAR1") {
            Format::Parquet
        } else {
            Format::Csv
        }
    }
}

impl Table {
    /// Reads a file of any supported format.
    pub fn read(path: &Path, opts: &ReadOptions) -> Result<Table> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            DataError::file(ErrorKind::Io, &name, format!("cannot read the file: {e}"))
        })?;
        Table::from_bytes(&bytes, &name, opts)
    }

    /// Reads bytes of any supported format; `name` is used in messages.
    pub fn from_bytes(bytes: &[u8], name: &str, opts: &ReadOptions) -> Result<Table> {
        if bytes.is_empty() {
            return Err(DataError::file(
                ErrorKind::Empty,
                name,
                "the file is empty: expected a header line and data rows",
            ));
        }
        match Format::sniff(bytes) {
            Format::Xlsx => Table::from_xlsx(bytes, name, opts),
            #[cfg(feature = "parquet")]
            Format::Parquet => crate::parquet_io::read(bytes, name, &opts.budgets),
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => Err(DataError::file(
                ErrorKind::UnsupportedFormat,
                name,
                "Parquet input needs a build with the `parquet` feature; convert to CSV or XLSX, or rebuild with --features parquet",
            )),
            Format::Csv => {
                let lower = name.to_ascii_lowercase();
                if lower.ends_with(".xlsx") || lower.ends_with(".xls") {
                    return Err(DataError::file(
                        ErrorKind::UnsupportedFormat,
                        name,
                        "the name says spreadsheet but the content is not an .xlsx workbook (old binary .xls is not read: save as .xlsx or CSV)",
                    ));
                }
                let (text, enc) = decode(bytes, name, opts.encoding)?;
                let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
                let mut t = Table::from_csv_text_header(
                    &text,
                    name,
                    Some(delimiter),
                    &opts.budgets,
                    opts.header_rows,
                )?;
                t.encoding = Some(enc);
                t.decimal_comma = opts.decimal_comma.unwrap_or(delimiter == b';');
                Ok(t)
            }
        }
    }

    /// Parses CSV text. Leading title lines (KOSIS puts the table name on line 1) are skipped:
    /// the header is the first line with at least two non-empty fields.
    pub fn from_csv_text(text: &str, name: &str, delimiter: Option<u8>) -> Result<Table> {
        Table::from_csv_text_within(text, name, delimiter, &Budgets::default())
    }

    /// [`Table::from_csv_text`] under budgets on rows, columns and cell length.
    pub fn from_csv_text_within(
        text: &str,
        name: &str,
        delimiter: Option<u8>,
        budgets: &Budgets,
    ) -> Result<Table> {
        Table::from_csv_text_header(text, name, delimiter, budgets, None)
    }

    /// [`Table::from_csv_text_within`] with the header's rows named (`--header-rows`).
    pub(crate) fn from_csv_text_header(
        text: &str,
        name: &str,
        delimiter: Option<u8>,
        budgets: &Budgets,
        header_rows: Option<usize>,
    ) -> Result<Table> {
        // Windows line ends are normalised first: the csv crate's record positions are off by
        // one line on CRLF input, and messages must point at the right line.
        let normalised;
        let text = if text.contains('\r') {
            normalised = text.replace("\r\n", "\n");
            normalised.as_str()
        } else {
            text
        };
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut raw: Vec<Row> = Vec::new();
        let mut cells_read = 0u64;
        // Lines are counted from the record's byte offset: the csv crate's own line number
        // does not count the blank lines it skips.
        let (mut at_byte, mut at_line) = (0usize, 1usize);
        for rec in reader.records() {
            let rec = rec.map_err(|e| csv_error(e, name))?;
            let line = match rec.position() {
                Some(p) => {
                    // The position is where reading began: blank lines before the record
                    // are part of it.
                    let mut b = (p.byte() as usize).min(text.len());
                    while text.as_bytes().get(b) == Some(&b'\n') {
                        b += 1;
                    }
                    if b >= at_byte {
                        at_line += text.as_bytes()[at_byte..b]
                            .iter()
                            .filter(|c| **c == b'\n')
                            .count();
                        at_byte = b;
                    }
                    at_line
                }
                None => 0,
            };
            budgets.check_record(name, line, raw.len(), rec.len(), rec.iter().map(str::len))?;
            cells_read += rec.len() as u64;
            if cells_read > budgets.max_cells {
                return Err(Budgets::refuse(
                    name,
                    "the number of fields",
                    format!("more than {}", budgets.max_cells),
                    budgets.max_cells,
                    "--max-cells",
                )
                .at_line(line));
            }
            raw.push(Row {
                line,
                cells: rec.iter().map(|c| c.trim().to_string()).collect(),
            });
        }
        // A quote left open swallows the rest of the file into one field: detect it.
        if let Some(last) = raw.last() {
            if last.cells.iter().any(|c| c.contains('\n')) && !text.trim_end().ends_with('"') {
                return Err(DataError::file(
                    ErrorKind::Truncated,
                    name,
                    "a quoted field is never closed: the file looks truncated",
                )
                .at_line(last.line));
            }
        }
        Table::from_raw_rows(raw, name, header_rows)
    }

    pub(crate) fn from_raw_rows(
        raw: Vec<Row>,
        name: &str,
        header_rows: Option<usize>,
    ) -> Result<Table> {
        let title = raw
            .iter()
            .take_while(|r| r.cells.iter().filter(|c| !c.is_empty()).count() < 2)
            .find_map(|r| r.cells.iter().find(|c| !c.trim().is_empty()))
            .map(|t| t.trim().to_string());
        let (header, mut rows) = split_header(raw, name, header_rows)?;
        let width = header.len();
        let notes = drop_footnotes(&mut rows);
        let mut out = Vec::with_capacity(rows.len());
        for mut r in rows {
            if data_row(&mut r, width, name)? {
                out.push(r);
            }
        }
        if out.is_empty() {
            return Err(DataError::file(
                ErrorKind::Empty,
                name,
                "the file has a header but no data rows",
            ));
        }
        Ok(Table {
            file: name.into(),
            header,
            rows: out,
            encoding: None,
            decimal_comma: false,
            notes,
            title,
        })
    }

    /// Position of a column by exact name, then by case- and space-insensitive name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name).or_else(|| {
            let k = norm(name);
            self.header.iter().position(|h| norm(h) == k)
        })
    }
}

/// Removes the footnote and source rows below a table (KOSIS writes `○출처`, `주) ...`): the
/// rows at the end whose first text starts with a note marker, with no number, and either one
/// non-empty cell or fewer cells than the table's rows (a note split at a comma), below at
/// least one data row. Returns the note saying what was skipped.
pub(crate) fn drop_footnotes(rows: &mut Vec<Row>) -> Vec<String> {
    const MARKERS: [&str; 9] = [
        "○", "※", "*", "주)", "주:", "출처", "자료", "source", "note",
    ];
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let note_like = |r: &Row| {
        let text: Vec<&str> = r
            .cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        let marked = text.first().is_some_and(|t| {
            let t = t.to_lowercase();
            MARKERS.iter().any(|m| t.starts_with(m))
        });
        // A row of one label and no values may be a region with every value missing: only a
        // marked row is a note.
        // A note is one cell of text, or spills over fewer cells than the table's rows have
        // (a comma inside an unquoted note). A full row of two or more texts is data (a tie
        // from an actor called "Source Lab", a region "Note…"): never dropped.
        let spilled = r.cells.len() < width;
        marked && (text.len() <= 1 || spilled) && !text.iter().any(|c| parse_number(c).is_some())
    };
    let mut cut = rows.len();
    while cut > 0 && note_like(&rows[cut - 1]) {
        cut -= 1;
    }
    let texts: Vec<(usize, String)> = rows[cut..]
        .iter()
        .filter_map(|r| {
            let t = r.cells.iter().find(|c| !c.trim().is_empty())?;
            Some((r.line, t.trim().chars().take(40).collect()))
        })
        .collect();
    if cut == 0 || texts.is_empty() {
        return Vec::new();
    }
    rows.truncate(cut);
    vec![format!(
        "{} footnote or source row(s) below the table skipped (line {}: `{}`)",
        texts.len(),
        texts[0].0,
        texts[0].1
    )]
}

/// Splits raw rows into the header (title lines skipped, a multi-row header merged, trailing
/// empty names dropped, duplicate names refused) and the rows below it. With `header_rows`
/// the header is that many rows from the first line with two cells, merged.
pub(crate) fn split_header(
    raw: Vec<Row>,
    name: &str,
    header_rows: Option<usize>,
) -> Result<(Vec<String>, Vec<Row>)> {
    let mut it = raw
        .into_iter()
        .skip_while(|r| r.cells.iter().filter(|c| !c.is_empty()).count() < 2);
    let Some(header_row) = it.next() else {
        return Err(DataError::file(
            ErrorKind::Empty,
            name,
            "no header line found: expected a header line with column names, then data rows",
        ));
    };
    let header_line = header_row.line;
    let mut header = header_row.cells;
    let mut rows: Vec<Row> = it.collect();
    // Multi-row header: the rows the user named, or the following rows without any numeric
    // cell whose non-empty cells sit under period-like or empty header cells (KOSIS: years on
    // one row, items below).
    if header_rows == Some(0) {
        return Err(DataError::argument("--header-rows must be at least 1"));
    }
    let mut named = header_rows.map(|n| n.saturating_sub(1));
    while let Some(next) = rows.first() {
        if named == Some(0) {
            break;
        }
        let numeric = next.cells.iter().any(|c| parse_number(c).is_some());
        let extends = next.cells.iter().enumerate().any(|(i, c)| {
            !c.is_empty()
                && header
                    .get(i)
                    .is_some_and(|h| h.is_empty() || regis_core::Period::parse(h).is_some())
        });
        let covers_dims = next
            .cells
            .iter()
            .zip(header.iter())
            .take_while(|(_, h)| regis_core::Period::parse(h).is_none() && !h.is_empty())
            .all(|(c, _)| c.is_empty());
        if named.is_none() && (numeric || !extends || !covers_dims) {
            break;
        }
        named = named.map(|n| n - 1);
        let next = rows.remove(0);
        // Forward-fill merged header cells, then join.
        let mut last = String::new();
        for (i, h) in header.iter_mut().enumerate() {
            if h.is_empty() {
                h.clone_from(&last);
            } else {
                last.clone_from(h);
            }
            if let Some(sub) = next.cells.get(i).filter(|s| !s.is_empty()) {
                if h.is_empty() {
                    *h = sub.clone();
                } else if regis_core::Period::parse(sub).is_some()
                    && regis_core::Period::parse(h).is_none()
                {
                    // A year under a merged label reads as KOSIS writes it: the period first
                    // (`2019 / population`), so the columns are the wide layout's years.
                    *h = format!("{sub} / {h}");
                } else {
                    *h = format!("{h} / {sub}");
                }
            }
        }
    }
    if header.iter().all(|h| h.is_empty()) {
        return Err(DataError::file(
            ErrorKind::Empty,
            name,
            "the header line is empty",
        ));
    }
    // Drop trailing empty header cells and fully empty rows; then check widths.
    while header.last().is_some_and(|h| h.is_empty()) {
        header.pop();
    }
    for (i, h) in header.iter().enumerate() {
        if let Some(j) = header[..i]
            .iter()
            .position(|x| !h.is_empty() && norm(x) == norm(h))
        {
            return Err(DataError::file(
                ErrorKind::DuplicateColumn,
                name,
                format!(
                    "columns {} and {} are both named `{h}`: a column could not be told apart from the other; rename one",
                    j + 1,
                    i + 1
                ),
            )
            .at_line(header_line)
            .in_column(h.clone()));
        }
    }
    Ok((header, rows))
}

/// Checks a data row against the header's width: false for a fully empty row (skipped),
/// trailing empty cells past the width dropped, a ragged row refused.
pub(crate) fn data_row(r: &mut Row, width: usize, name: &str) -> Result<bool> {
    if r.cells.iter().all(|c| c.is_empty()) {
        return Ok(false);
    }
    while r.cells.len() > width && r.cells.last().is_some_and(|c| c.is_empty()) {
        r.cells.pop();
    }
    if r.cells.len() != width {
        // A spreadsheet has no delimiters: a wider row there means a header on more rows.
        let advice = if name.contains(" [sheet ") {
            "the header may take more than one row (merged cells): say how many with --header-rows N"
        } else {
            "check for a missing or extra delimiter, or say how many rows the header takes with --header-rows N"
        };
        let e = DataError::file(
            ErrorKind::RaggedRow,
            name,
            format!(
                "this row has {} fields but the header has {width}; {advice}",
                r.cells.len()
            ),
        )
        .at_line(r.line);
        // Wider rows in a sheet: most often a header over two rows.
        return Err(if name.contains(" [sheet ") && r.cells.len() > width {
            e.adding("header-rows", "2")
        } else {
            e
        });
    }
    Ok(true)
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

pub(crate) fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

fn csv_error(e: csv::Error, name: &str) -> DataError {
    let line = e.position().map(|p| p.line() as usize);
    let mut d = DataError::file(ErrorKind::Truncated, name, format!("malformed CSV: {e}"));
    d.line = line;
    d
}

/// Parses a numeric cell: `1234`, `1,234`, `-12.5`, `1.2e3`. Returns None for text.
pub fn parse_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if t.is_empty() {
        return None;
    }
    let cleaned: String = t.chars().filter(|&c| c != ',' && c != ' ').collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses a numeric cell written with a decimal comma when `decimal_comma` (`1,5`, `1.234,5`,
/// `-12`; `.` and spaces group thousands), else as [`parse_number`].
///
/// ```
/// use regis_data::table::parse_number_in;
/// assert_eq!(parse_number_in("1,5", true), Some(1.5));
/// assert_eq!(parse_number_in("1.234,5", true), Some(1234.5));
/// assert_eq!(parse_number_in("1,234.5", false), Some(1234.5));
/// ```
pub fn parse_number_in(cell: &str, decimal_comma: bool) -> Option<f64> {
    if !decimal_comma {
        return parse_number(cell);
    }
    let t = cell.trim();
    if t.is_empty() || t.matches(',').count() > 1 {
        return None;
    }
    let cleaned: String = t
        .chars()
        .filter(|&c| c != '.' && c != ' ' && c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether a cell means "no value" in statistical tables: empty, `-`, `…`, `x`, `NA`, `N/A`.
pub fn is_missing_marker(cell: &str) -> bool {
    matches!(
        cell.trim(),
        "" | "-" | "…" | "..." | "x" | "X" | "NA" | "N/A" | "na" | "n/a" | "NaN" | "nan" | "null"
    )
}
