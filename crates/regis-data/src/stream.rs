//! Large CSV files read as a stream: a [`CsvFile`] is a [`Rows`] source that keeps only the
//! header in memory and reads the file again on each scan (an import scans it once or twice),
//! so `data check` and `data import` hold a fixed multiple of their output, not of the text.
//!
//! [`open_rows`] picks the reader: UTF-8 CSV files larger than [`STREAM_ABOVE`] stream; smaller
//! files, spreadsheets, Parquet and other encodings (CP949, UTF-16) are read whole into a
//! [`Table`]. Simplification, named as such: a CP949 file is not streamed (KOSIS downloads in
//! CP949 are small); convert a large one to UTF-8 first.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::budget::Budgets;
use crate::error::{DataError, ErrorKind, Result};
use crate::table::{data_row, split_header, Format, ReadOptions, Row, Rows, Table};
use crate::text::Encoding;

/// UTF-8 CSV files above this size are streamed rather than read whole (8 MiB). The
/// environment variable `REGIS_STREAM_ABOVE` (bytes) overrides it: the tests run the malformed
/// corpus with 0, so that both readers are held to the same messages.
pub const STREAM_ABOVE: u64 = 8 << 20;

fn stream_above() -> u64 {
    std::env::var("REGIS_STREAM_ABOVE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(STREAM_ABOVE)
}

/// Records read to find the header (title lines and a multi-row header sit above it).
const HEADER_SEARCH: usize = 64;

/// A UTF-8 CSV file read as a stream; see the module documentation.
#[derive(Debug)]
pub struct CsvFile {
    path: PathBuf,
    name: String,
    delimiter: u8,
    decimal_comma: bool,
    header: Vec<String>,
    /// Line of the first record below the header.
    data_from: usize,
    budgets: Budgets,
    size: u64,
}

/// The rows of a file: streamed when it is a large UTF-8 CSV, else a table read whole.
pub fn open_rows(path: &Path, opts: &ReadOptions) -> Result<Box<dyn Rows>> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        DataError::file(ErrorKind::Io, &name, format!("cannot read the file: {e}"))
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    let mut head = [0u8; 4];
    let n = File::open(path).map_err(io)?.read(&mut head).map_err(io)?;
    let streamable = size > stream_above()
        && Format::sniff(&head[..n]) == Format::Csv
        && !name.to_ascii_lowercase().ends_with(".xlsx")
        && !name.to_ascii_lowercase().ends_with(".xls")
        && matches!(opts.encoding, None | Some(Encoding::Utf8))
        && !head.starts_with(&[0xFF, 0xFE])
        && !head.starts_with(&[0xFE, 0xFF]);
    if streamable && is_utf8_file(path, &name)? {
        return Ok(Box::new(CsvFile::open(path, opts)?));
    }
    Ok(Box::new(Table::read(path, opts)?))
}

/// Whether a file is valid UTF-8 throughout (checked in 1 MiB chunks, so nothing is held);
/// a NUL byte is refused as binary content, as [`crate::text::decode`] does.
fn is_utf8_file(path: &Path, name: &str) -> Result<bool> {
    let io = |e: std::io::Error| {
        DataError::file(ErrorKind::Io, name, format!("cannot read the file: {e}"))
    };
    let mut f = File::open(path).map_err(io)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 1usize;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        let mut chunk = std::mem::take(&mut carry);
        chunk.extend_from_slice(&buf[..n]);
        if let Some(pos) = chunk.iter().position(|&b| b == 0) {
            line += chunk[..pos].iter().filter(|&&b| b == b'\n').count();
            return Err(DataError::file(
                ErrorKind::Encoding,
                name,
                "binary content (a NUL byte): expected a text CSV file; spreadsheets must end in .xlsx",
            )
            .at_line(line));
        }
        match std::str::from_utf8(&chunk) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => carry = chunk[e.valid_up_to()..].to_vec(),
            Err(_) => return Ok(false),
        }
        line += chunk.iter().filter(|&&b| b == b'\n').count();
    }
}

impl CsvFile {
    /// Opens a UTF-8 CSV file: finds the delimiter and the header in its first records.
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<CsvFile> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| {
            DataError::file(ErrorKind::Io, &name, format!("cannot read the file: {e}"))
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        let mut first = vec![0u8; 64 << 10];
        let n = File::open(path).map_err(io)?.read(&mut first).map_err(io)?;
        first.truncate(n);
        let text = String::from_utf8_lossy(&first);
        let delimiter = opts
            .delimiter
            .unwrap_or_else(|| crate::table::sniff_delimiter(text.trim_start_matches('\u{feff}')));
        let mut file = CsvFile {
            path: path.to_path_buf(),
            name,
            delimiter,
            decimal_comma: opts.decimal_comma.unwrap_or(delimiter == b';'),
            header: Vec::new(),
            data_from: 0,
            budgets: opts.budgets,
            size,
        };
        let mut prefix = Vec::new();
        file.records(&mut |row| {
            prefix.push(row.clone());
            Ok(prefix.len() < HEADER_SEARCH)
        })?;
        let last_line = prefix.last().map_or(0, |r| r.line);
        let complete = prefix.len() < HEADER_SEARCH;
        let (header, below) = split_header(prefix, &file.name, opts.header_rows)?;
        if complete && below.iter().all(|r| r.cells.iter().all(|c| c.is_empty())) {
            return Err(DataError::file(
                ErrorKind::Empty,
                &file.name,
                "the file has a header but no data rows",
            ));
        }
        file.data_from = below.first().map_or(last_line + 1, |r| r.line);
        file.header = header;
        Ok(file)
    }

    /// Every record of the file as a row (cells trimmed), under the row, column and cell
    /// budgets, until `f` says stop. Progress goes to a terminal's stderr for large files.
    fn records(&self, f: &mut dyn FnMut(&Row) -> Result<bool>) -> Result<()> {
        let io = |e: std::io::Error| {
            DataError::file(
                ErrorKind::Io,
                &self.name,
                format!("cannot read the file: {e}"),
            )
        };
        let mut reader = BufReader::with_capacity(1 << 20, File::open(&self.path).map_err(io)?);
        let mut bom = [0u8; 3];
        let n = reader.read(&mut bom).map_err(io)?;
        if n < 3 || bom != [0xEF, 0xBB, 0xBF] {
            reader.seek(SeekFrom::Start(0)).map_err(io)?;
        }
        // Windows line ends become `\n` first, as for files read whole: the csv crate's line
        // numbers are off by one on CRLF input, and messages must point at the right line.
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(CrlfToLf::new(reader));
        let progress = self.size > STREAM_ABOVE && std::io::stderr().is_terminal();
        let mut next_report = 64u64 << 20;
        let mut record = csv::ByteRecord::new();
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        let mut count = 0usize;
        let mut last_had_newline = false;
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    let mut d = DataError::file(
                        ErrorKind::Truncated,
                        &self.name,
                        format!("malformed CSV: {e}"),
                    );
                    d.line = line;
                    return Err(d);
                }
            }
            let pos = record.position().cloned();
            let line = pos.as_ref().map_or(0, |p| p.line() as usize);
            self.budgets.check_record(
                &self.name,
                line,
                count,
                record.len(),
                record.iter().map(<[u8]>::len),
            )?;
            count += 1;
            row.line = line;
            row.cells.resize_with(record.len(), String::new);
            last_had_newline = false;
            for (i, field) in record.iter().enumerate() {
                let text = std::str::from_utf8(field).map_err(|_| {
                    DataError::file(ErrorKind::Encoding, &self.name, "invalid UTF-8").at_line(line)
                })?;
                last_had_newline |= text.contains('\n');
                let cell = &mut row.cells[i];
                cell.clear();
                cell.push_str(text.trim());
            }
            if progress {
                let byte = pos.as_ref().map_or(0, |p| p.byte());
                if byte >= next_report {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(
                        err,
                        "\rreading {}: {} of {} MB",
                        self.name,
                        byte >> 20,
                        self.size >> 20
                    );
                    next_report += 64 << 20;
                }
            }
            if !f(&row)? {
                return Ok(());
            }
        }
        if progress {
            let _ = writeln!(
                std::io::stderr().lock(),
                "\rreading {}: {} MB, {count} records",
                self.name,
                self.size >> 20
            );
        }
        // A quote left open swallows the rest of the file into one field.
        if last_had_newline && !self.ends_with_quote()? {
            return Err(DataError::file(
                ErrorKind::Truncated,
                &self.name,
                "a quoted field is never closed: the file looks truncated",
            )
            .at_line(row.line));
        }
        Ok(())
    }

    fn ends_with_quote(&self) -> Result<bool> {
        let io = |e: std::io::Error| {
            DataError::file(
                ErrorKind::Io,
                &self.name,
                format!("cannot read the file: {e}"),
            )
        };
        let mut f = File::open(&self.path).map_err(io)?;
        let tail = self.size.min(256);
        f.seek(SeekFrom::End(-(tail as i64))).map_err(io)?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).map_err(io)?;
        Ok(buf.iter().rev().find(|b| !b.is_ascii_whitespace()) == Some(&b'"'))
    }
}

/// A reader that turns `\r\n` into `\n` (a lone `\r` is kept).
struct CrlfToLf<R> {
    inner: R,
    /// Converted bytes not yet handed out, and how many of them were.
    ready: Vec<u8>,
    served: usize,
    /// The last byte read was `\r`: whether it is kept depends on the next one.
    pending_cr: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            ready: Vec::new(),
            served: 0,
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.served == self.ready.len() {
            self.ready.clear();
            self.served = 0;
            let mut buf = [0u8; 64 * 1024];
            let n = self.inner.read(&mut buf)?;
            if n == 0 {
                if std::mem::take(&mut self.pending_cr) {
                    self.ready.push(b'\r');
                    continue;
                }
                return Ok(0);
            }
            for &b in &buf[..n] {
                if std::mem::take(&mut self.pending_cr) && b != b'\n' {
                    self.ready.push(b'\r');
                }
                if b == b'\r' {
                    self.pending_cr = true;
                } else {
                    self.ready.push(b);
                }
            }
        }
        let k = out.len().min(self.ready.len() - self.served);
        out[..k].copy_from_slice(&self.ready[self.served..self.served + k]);
        self.served += k;
        Ok(k)
    }
}

impl Rows for CsvFile {
    fn file(&self) -> &str {
        &self.name
    }
    fn header(&self) -> &[String] {
        &self.header
    }
    fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }
    fn scan(&self, f: &mut dyn FnMut(usize, &Row) -> Result<bool>) -> Result<()> {
        let width = self.header.len();
        let mut index = 0usize;
        let mut row = Row {
            line: 0,
            cells: Vec::new(),
        };
        let mut any = false;
        self.records(&mut |r| {
            if r.line < self.data_from {
                return Ok(true);
            }
            row.line = r.line;
            row.cells.clone_from(&r.cells);
            if !data_row(&mut row, width, &self.name)? {
                return Ok(true);
            }
            any = true;
            let go = f(index, &row)?;
            index += 1;
            Ok(go)
        })?;
        if !any {
            return Err(DataError::file(
                ErrorKind::Empty,
                &self.name,
                "the file has a header but no data rows",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_becomes_lf_across_read_boundaries_and_lone_cr_stays() {
        let input = b"a,b\r\n1,2\rx\r\n\r".to_vec();
        for chunk in [1, 2, 3, 64] {
            let mut r = CrlfToLf::new(std::io::Cursor::new(input.clone()));
            let mut out = Vec::new();
            let mut buf = vec![0u8; chunk];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(out, b"a,b\n1,2\rx\n\r", "chunk {chunk}");
        }
    }

    #[test]
    fn a_streamed_file_imports_exactly_as_the_table_read_whole() {
        use crate::import::{import_rows, ColumnMap, ImportOptions, Imported};
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/inputs/long_year_region_ind.csv");
        let opts = ImportOptions {
            columns: ColumnMap {
                region: Some("region_code".into()),
                industry: Some("ind_code".into()),
                period: Some("year".into()),
                value: Some("emp_all".into()),
                ..Default::default()
            },
            measure: regis_core::Measure {
                id: "emp_all".into(),
                name_ko: "emp_all".into(),
                name_en: "emp_all".into(),
                unit: String::new(),
                price_basis: regis_core::PriceBasis::NotApplicable,
                additive: true,
                allows_negative: false,
                kind: regis_core::MeasureKind::Regional,
            },
            region_system: Some("sgis".into()),
            level: None,
            filters: Vec::new(),
            period: None,
            classification: None,
            allow_new_regions: false,
        };
        let whole = Table::read(&path, &ReadOptions::default()).unwrap();
        let streamed = CsvFile::open(&path, &ReadOptions::default()).unwrap();
        assert_eq!(streamed.header(), whole.header());
        let a = import_rows(&whole, crate::korea::catalog(), &opts).unwrap();
        let b = import_rows(&streamed, crate::korea::catalog(), &opts).unwrap();
        let (Imported::Panel(pa), Imported::Panel(pb)) = (&a.data, &b.data) else {
            panic!("panels expected");
        };
        assert_eq!(pa.regions(), pb.regions());
        assert_eq!(pa.industries(), pb.industries());
        assert_eq!(pa.periods(), pb.periods());
        assert!(pa.cells().count() > 100);
        for (x, y) in pa.cells().zip(pb.cells()) {
            assert_eq!(x, y);
        }
        assert_eq!((a.rows, a.cells, a.missing), (b.rows, b.cells, b.missing));
    }
}
