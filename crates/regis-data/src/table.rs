//! A raw table read from a file: header cells and rows of text cells, each row with the line
//! (CSV) or row number (spreadsheet) it came from. CSV in any supported encoding, XLSX
//! (including KOSIS exports with a title row and multi-row headers).

use std::path::Path;

use crate::budget::{cell_name, column_letters, Budgets};
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
                let mut t = Table::from_csv_text_within(&text, name, Some(delimiter), &opts.budgets)?;
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
        for rec in reader.records() {
            let rec = rec.map_err(|e| csv_error(e, name))?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
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
        Table::from_raw_rows(raw, name)
    }

    fn from_raw_rows(raw: Vec<Row>, name: &str) -> Result<Table> {
        let (header, rows) = split_header(raw, name)?;
        let width = header.len();
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
        })
    }

    /// Reads an XLSX workbook (first sheet unless named). Rows before the header are skipped
    /// as for CSV; multi-row headers are merged.
    ///
    /// Under [`Budgets`]: the zip's entries are inflated once into a counting sink and refused
    /// past `max_uncompressed_bytes` (so neither a decompression bomb nor a giant cell reaches
    /// memory); the sheet's declared dimension and then each cell's position are checked
    /// against the row, column and area budgets before anything dense is allocated; cells
    /// are read one at a time (calamine's cell reader), never as a whole range.
    pub fn from_xlsx(bytes: &[u8], name: &str, opts: &ReadOptions) -> Result<Table> {
        use calamine::{DataRef, Reader, Xlsx};
        let budgets = &opts.budgets;
        check_zip_budget(bytes, name, budgets)?;
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
            DataError::file(
                ErrorKind::UnsupportedFormat,
                name,
                format!("not a readable .xlsx workbook ({e}); the file may be truncated"),
            )
        })?;
        let sheets = wb.sheet_names().to_vec();
        let sheet = match &opts.sheet {
            Some(s) => sheets.iter().find(|n| *n == s).cloned().ok_or_else(|| {
                DataError::file(
                    ErrorKind::InvalidArgument,
                    name,
                    format!("no sheet `{s}`; sheets are: {}", sheets.join(", ")),
                )
            })?,
            None => sheets.first().cloned().ok_or_else(|| {
                DataError::file(ErrorKind::Empty, name, "the workbook has no sheet")
            })?,
        };
        let sheet_name = format!("{name} [sheet {sheet}]");
        let unreadable = |e: calamine::XlsxError| {
            DataError::file(
                ErrorKind::UnsupportedFormat,
                name,
                format!("cannot read sheet `{sheet}`: {e}"),
            )
        };
        let mut reader = wb.worksheet_cells_reader(&sheet).map_err(unreadable)?;
        let declared = reader.dimensions();
        if declared.start <= declared.end && declared.end != (0, 0) {
            check_area(
                declared.start,
                declared.end,
                &sheet_name,
                budgets,
                "declared dimension",
            )?;
        }
        // Cells arrive in stream order; each is checked before it is kept.
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut text_bytes = 0u64;
        let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            if row as usize >= budgets.max_rows || col as usize >= budgets.max_columns {
                let (what, actual, limit, flag) = if row as usize >= budgets.max_rows {
                    (
                        "the row number",
                        row as u64 + 1,
                        budgets.max_rows as u64,
                        "--max-rows",
                    )
                } else {
                    (
                        "the column number",
                        col as u64 + 1,
                        budgets.max_columns as u64,
                        "--max-columns",
                    )
                };
                return Err(Budgets::refuse(
                    &sheet_name,
                    &format!("{what} of cell {}", cell_name(row, col)),
                    actual,
                    limit,
                    flag,
                )
                .at_line(row as usize + 1)
                .in_column(column_letters(col)));
            }
            let text = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    s.trim().to_string()
                }
                DataRef::SharedString(s) => s.trim().to_string(),
                DataRef::Float(f) => format_float(*f),
                DataRef::Int(i) => i.to_string(),
                DataRef::Bool(b) => b.to_string(),
                DataRef::DateTime(d) => excel_date(d),
                DataRef::Error(e) => format!("#ERROR {e:?}"),
            };
            if text.len() > budgets.max_cell_bytes {
                return Err(Budgets::refuse(
                    &sheet_name,
                    &format!("the text of cell {}", cell_name(row, col)),
                    format!("{} bytes", text.len()),
                    format!("{} bytes", budgets.max_cell_bytes),
                    "--max-cell-bytes",
                )
                .at_line(row as usize + 1)
                .in_column(column_letters(col)));
            }
            if text.is_empty() {
                continue;
            }
            first = (first.0.min(row), first.1.min(col));
            last = (last.0.max(row), last.1.max(col));
            // Shared strings are copied into every cell that uses them: the text kept is
            // bounded like the decompressed workbook.
            text_bytes += (text.len() + 24) as u64;
            if text_bytes > budgets.max_uncompressed_bytes {
                return Err(Budgets::refuse(
                    &sheet_name,
                    "the text of the cells read",
                    format!("more than {} bytes", budgets.max_uncompressed_bytes),
                    format!("{} bytes", budgets.max_uncompressed_bytes),
                    "--max-uncompressed-bytes",
                )
                .at_line(row as usize + 1));
            }
            if cells.len() as u64 >= budgets.max_cells {
                return Err(Budgets::refuse(
                    &sheet_name,
                    "the number of cells",
                    format!("more than {}", budgets.max_cells),
                    budgets.max_cells,
                    "--max-cells",
                ));
            }
            cells.push((row, col, text));
        }
        if cells.is_empty() {
            return Err(DataError::file(
                ErrorKind::Empty,
                &sheet_name,
                "the sheet has no cells: expected a header line and data rows",
            ));
        }
        // Rows are built from column A: the area that is allocated starts there.
        check_area((first.0, 0), last, &sheet_name, budgets, "used range")?;
        // Dense rows from the first used column to the last, in row order.
        cells.sort_by_key(|c| (c.0, c.1));
        let width = (last.1 + 1) as usize;
        let mut raw: Vec<Row> = Vec::new();
        for (row, col, text) in cells {
            if raw.last().is_none_or(|r| r.line != row as usize + 1) {
                raw.push(Row {
                    line: row as usize + 1,
                    cells: Vec::new(),
                });
            }
            if let Some(r) = raw.last_mut() {
                if r.cells.is_empty() {
                    r.cells = vec![String::new(); width];
                }
                r.cells[col as usize] = text;
            }
        }
        Table::from_raw_rows(raw, &sheet_name)
    }

    /// Position of a column by exact name, then by case- and space-insensitive name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name).or_else(|| {
            let k = norm(name);
            self.header.iter().position(|h| norm(h) == k)
        })
    }
}

/// Splits raw rows into the header (title lines skipped, a multi-row header merged, trailing
/// empty names dropped, duplicate names refused) and the rows below it.
pub(crate) fn split_header(raw: Vec<Row>, name: &str) -> Result<(Vec<String>, Vec<Row>)> {
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
    // Multi-row header: following rows without any numeric cell whose non-empty cells sit
    // under period-like or empty header cells (KOSIS: years on one row, items below).
    while let Some(next) = rows.first() {
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
        if numeric || !extends || !covers_dims {
            break;
        }
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
        return Err(DataError::file(
            ErrorKind::RaggedRow,
            name,
            format!(
                "this row has {} fields but the header has {width}; check for a missing or extra delimiter",
                r.cells.len()
            ),
        )
        .at_line(r.line));
    }
    Ok(true)
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Refuses an area (0-based corners, inclusive) past the row, column or cell budget.
fn check_area(
    first: (u32, u32),
    last: (u32, u32),
    sheet: &str,
    b: &Budgets,
    what: &str,
) -> Result<()> {
    let rows = u64::from(last.0.saturating_sub(first.0)) + 1;
    let cols = u64::from(last.1.saturating_sub(first.1)) + 1;
    let range = format!(
        "{}:{}",
        cell_name(first.0, first.1),
        cell_name(last.0, last.1)
    );
    let refusal = if u64::from(last.0) + 1 > b.max_rows as u64 {
        Some((
            "rows",
            u64::from(last.0) + 1,
            b.max_rows as u64,
            "--max-rows",
        ))
    } else if u64::from(last.1) + 1 > b.max_columns as u64 {
        Some((
            "columns",
            u64::from(last.1) + 1,
            b.max_columns as u64,
            "--max-columns",
        ))
    } else if rows * cols > b.max_cells {
        Some(("cells", rows * cols, b.max_cells, "--max-cells"))
    } else {
        None
    };
    match refusal {
        Some((unit, actual, limit, flag)) => Err(Budgets::refuse(
            sheet,
            &format!("the {what} {range} spans {unit}: it"),
            actual,
            limit,
            flag,
        )),
        None => Ok(()),
    }
}

/// Inflates every entry of a zip into a counting sink and refuses past the budget, so the
/// declared sizes (which a crafted file can fake) are never trusted. Entries are counted too.
fn check_zip_budget(bytes: &[u8], name: &str, b: &Budgets) -> Result<()> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        DataError::file(
            ErrorKind::UnsupportedFormat,
            name,
            format!("not a readable .xlsx workbook ({e}); the file may be truncated"),
        )
    })?;
    if zip.len() > 10_000 {
        return Err(Budgets::refuse(
            name,
            "the number of parts in the workbook",
            zip.len(),
            10_000,
            "(no flag: not an Excel workbook)",
        ));
    }
    struct Counter {
        left: u64,
    }
    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() as u64 > self.left {
                return Err(std::io::Error::other("budget"));
            }
            self.left -= buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Counter {
        left: b.max_uncompressed_bytes,
    };
    let mut shared_parts: Vec<(usize, String, u64)> = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| {
            DataError::file(
                ErrorKind::UnsupportedFormat,
                name,
                format!("not a readable .xlsx workbook ({e}); the file may be truncated"),
            )
        })?;
        let part = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("#{i}"));
        let over = |_| {
            Budgets::refuse(
                name,
                &format!("the workbook decompressed (at part `{part}`)"),
                format!("more than {} bytes", b.max_uncompressed_bytes),
                format!("{} bytes", b.max_uncompressed_bytes),
                "--max-uncompressed-bytes",
            )
        };
        if entry.size() > sink.left {
            return Err(over(()));
        }
        let mut buf = [0u8; 64 * 1024];
        // The shared-strings part declares how many strings it holds, and calamine reserves
        // that many before reading one: checked after this pass (see below).
        let shared = part.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let mut part_bytes = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(|e| {
                DataError::file(
                    ErrorKind::UnsupportedFormat,
                    name,
                    format!("damaged part `{part}` in the workbook ({e})"),
                )
            })?;
            if n == 0 {
                break;
            }
            sink.write_all(&buf[..n]).map_err(|_| over(()))?;
            part_bytes += n as u64;
        }
        if shared {
            shared_parts.push((i, part, part_bytes));
        }
    }
    // The `uniqueCount` of each shared-strings table, read as calamine reads it (the first
    // `sst` start tag), must fit the part's size (an `<si/>` takes at least 5 bytes) and the
    // cell budget. The part is read again, now known to be within the byte budget.
    for (i, part, part_bytes) in shared_parts {
        let entry = zip.by_index(i).map_err(|e| {
            DataError::file(
                ErrorKind::UnsupportedFormat,
                name,
                format!("not a readable .xlsx workbook ({e})"),
            )
        })?;
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
        let mut buf = Vec::new();
        let declared = loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                    if e.local_name().as_ref() == "sst" =>
                {
                    break e
                        .try_get_attribute("uniqueCount")
                        .ok()
                        .flatten()
                        .and_then(|a| a.value.trim().parse::<u64>().ok());
                }
                Ok(quick_xml::events::Event::Eof) | Err(_) => break None,
                _ => {}
            }
        };
        let possible = part_bytes / 5 + 1;
        if let Some(count) = declared.filter(|c| *c > possible || *c > b.max_cells) {
            return Err(Budgets::refuse(
                name,
                &format!("the shared-strings count `{part}` declares"),
                count,
                format!(
                    "{} (the part holds at most {possible})",
                    b.max_cells.min(possible)
                ),
                "--max-cells",
            ));
        }
    }
    Ok(())
}

/// An Excel date or date-time cell as ISO text (`2015-03-01`, `2015-03-01T12:00:00`), in
/// either epoch (1900 or 1904); durations stay numbers.
fn excel_date(d: &calamine::ExcelDateTime) -> String {
    if !d.is_datetime() {
        return format_float(d.as_f64());
    }
    let (y, m, day, h, min, sec, _) = d.to_ymd_hms_milli();
    if (h, min, sec) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:{sec:02}")
    }
}

fn format_float(f: f64) -> String {
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
