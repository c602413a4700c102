//! XLSX workbooks read under budgets: every zip part inflated into a counting sink before
//! parsing (no decompression bomb reaches memory, the shared-strings count checked against the
//! part's size), the declared dimension and each cell's position checked, cells read one at a
//! time (calamine's cell reader), never as a range; Excel dates as ISO dates.

use crate::budget::{cell_name, column_letters, Budgets};
use crate::error::{DataError, ErrorKind, Result};
use crate::table::{format_float, ReadOptions, Row, Table};

impl Table {
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
        // The sheet: named, or numbered from 1; else the first worksheet with cells (chart
        // and empty sheets are skipped, and the note says so).
        let meta: Vec<(String, bool)> = wb
            .sheets_metadata()
            .iter()
            .map(|m| (m.name.clone(), m.typ == calamine::SheetType::WorkSheet))
            .collect();
        let listed = meta
            .iter()
            .enumerate()
            .map(|(i, (n, table))| {
                format!("{} `{n}`{}", i + 1, if *table { "" } else { " (a chart)" })
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut skipped: Vec<String> = Vec::new();
        let sheet = match &opts.sheet {
            Some(s) => {
                let by_number = s
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| k.checked_sub(1))
                    .and_then(|k| meta.get(k));
                let found = meta.iter().find(|(n, _)| n == s).or(by_number);
                match found {
                    Some((n, true)) => n.clone(),
                    Some((n, false)) => {
                        return Err(DataError::file(
                            ErrorKind::InvalidArgument,
                            name,
                            format!("sheet `{n}` is a chart, not a table; sheets are: {listed}"),
                        ))
                    }
                    None => {
                        return Err(DataError::file(
                            ErrorKind::InvalidArgument,
                            name,
                            format!("no sheet `{s}`; sheets are (--sheet takes a name or a number): {listed}"),
                        ))
                    }
                }
            }
            None => {
                let mut chosen = None;
                for (n, table) in &meta {
                    let has_cells = *table
                        && wb
                            .worksheet_cells_reader(n)
                            .ok()
                            .and_then(|mut r| r.next_cell().ok().flatten().map(|_| ()))
                            .is_some();
                    if has_cells {
                        chosen = Some(n.clone());
                        break;
                    }
                    skipped.push(format!(
                        "`{n}` ({})",
                        if *table { "empty" } else { "a chart" }
                    ));
                }
                chosen.ok_or_else(|| {
                    DataError::file(
                        ErrorKind::Empty,
                        name,
                        format!("no sheet holds a table; sheets are: {listed}"),
                    )
                })?
            }
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
        let mut t = Table::from_raw_rows(raw, &sheet_name, opts.header_rows)?;
        if !skipped.is_empty() {
            t.notes.insert(
                0,
                format!(
                    "sheet {} skipped; read `{sheet}` (--sheet takes a name or a number)",
                    skipped.join(", ")
                ),
            );
        }
        Ok(t)
    }
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
