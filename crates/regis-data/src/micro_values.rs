//! The values of a row group's micro-data columns: the typed column readers (whole numbers,
//! numbers, text) reading exactly a chunk's rows and refusing nulls, and the row group's
//! distinct codes and periods, each index kept for the whole row group.

use std::collections::HashMap;

use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;

use crate::micro_pages::DictColumn;

/// A row group's distinct periods (few), each index kept for the whole row group.
#[derive(Default)]
pub(crate) struct Periods {
    /// The values as read.
    pub(crate) values: Vec<i64>,
    /// Each value as a year, or 0 when it is not one (1000-9999).
    pub(crate) years: Vec<i32>,
}

impl Periods {
    /// The index of a period, added when new.
    pub(crate) fn index_of(&mut self, p: i64) -> u32 {
        // A scan, the latest first: periods are few, and rows often repeat the last one.
        if let Some(k) = self.values.iter().rposition(|&v| v == p) {
            return k as u32;
        }
        self.values.push(p);
        self.years.push(match i32::try_from(p) {
            Ok(p) if (1000..=9999).contains(&p) => p,
            _ => 0,
        });
        (self.values.len() - 1) as u32
    }

    /// The index of a PLAIN period value (4 or 8 little-endian bytes).
    pub(crate) fn index_of_bytes(&mut self, bytes: &[u8]) -> std::result::Result<u32, String> {
        let p = match bytes.len() {
            4 => i64::from(i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
            8 => i64::from_le_bytes([
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            ]),
            other => return Err(format!("a period of {other} bytes")),
        };
        Ok(self.index_of(p))
    }
}

/// Buffers reused from chunk to chunk.
#[derive(Default)]
pub(crate) struct Buffers {
    def: Vec<i16>,
    narrow: Vec<i32>,
    wide: Vec<i64>,
    float: Vec<f32>,
    text: Vec<ByteArray>,
}

/// Reads exactly `n` values with `read` into `out` (cleared first), refusing nulls.
fn exactly<T>(
    n: usize,
    def: &mut Vec<i16>,
    optional: bool,
    out: &mut Vec<T>,
    mut read: impl FnMut(
        usize,
        Option<&mut Vec<i16>>,
        &mut Vec<T>,
    ) -> parquet::errors::Result<(usize, usize, usize)>,
) -> std::result::Result<(), String> {
    out.clear();
    def.clear();
    let mut records = 0;
    while records < n {
        let (r, _, _) =
            read(n - records, optional.then_some(&mut *def), out).map_err(|e| e.to_string())?;
        if r == 0 {
            break;
        }
        records += r;
    }
    if out.len() != n {
        let first_null = def.iter().position(|d| *d == 0).unwrap_or(out.len());
        return Err(format!(
            "row {} of the chunk: empty (null); every row needs a value",
            first_null + 1
        ));
    }
    Ok(())
}

pub(crate) fn integers(
    r: &mut ColumnReader,
    n: usize,
    optional: bool,
    b: &mut Buffers,
    out: &mut Vec<i64>,
) -> std::result::Result<(), String> {
    match r {
        ColumnReader::Int64ColumnReader(c) => exactly(n, &mut b.def, optional, out, |m, d, v| {
            c.read_records(m, d, None, v)
        }),
        ColumnReader::Int32ColumnReader(c) => {
            exactly(n, &mut b.def, optional, &mut b.narrow, |m, d, v| {
                c.read_records(m, d, None, v)
            })?;
            out.clear();
            out.extend(b.narrow.iter().map(|&x| i64::from(x)));
            Ok(())
        }
        _ => Err("expected whole numbers (INT32 or INT64)".into()),
    }
}

pub(crate) fn numbers(
    r: &mut ColumnReader,
    n: usize,
    optional: bool,
    b: &mut Buffers,
    out: &mut Vec<f64>,
) -> std::result::Result<(), String> {
    match r {
        ColumnReader::DoubleColumnReader(c) => exactly(n, &mut b.def, optional, out, |m, d, v| {
            c.read_records(m, d, None, v)
        }),
        ColumnReader::FloatColumnReader(c) => {
            exactly(n, &mut b.def, optional, &mut b.float, |m, d, v| {
                c.read_records(m, d, None, v)
            })?;
            out.clear();
            out.extend(b.float.iter().map(|&x| f64::from(x)));
            Ok(())
        }
        ColumnReader::Int64ColumnReader(_) | ColumnReader::Int32ColumnReader(_) => {
            let mut wide = std::mem::take(&mut b.wide);
            integers(r, n, optional, b, &mut wide)?;
            out.clear();
            out.extend(wide.iter().map(|&x| x as f64));
            b.wide = wide;
            Ok(())
        }
        _ => Err("expected numbers (DOUBLE, FLOAT, INT32 or INT64)".into()),
    }
}

/// FNV-1a: a fast hash for short codes (a region or industry code is a few bytes, hashed once
/// per row that changes code).
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The distinct codes of a row group and their indices.
#[derive(Default)]
pub(crate) struct Codes {
    pub(crate) list: Vec<String>,
    index: HashMap<Vec<u8>, u32, std::hash::BuildHasherDefault<Fnv>>,
}

impl Codes {
    /// The index of a code, added when new.
    pub(crate) fn index_of(&mut self, bytes: &[u8]) -> std::result::Result<u32, String> {
        if let Some(k) = self.index.get(bytes) {
            return Ok(*k);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "a code that is not UTF-8 text")?;
        self.list.push(text.trim().to_string());
        let k = (self.list.len() - 1) as u32;
        self.index.insert(bytes.to_vec(), k);
        Ok(k)
    }
}

/// Where a dictionary-read column's values come from: its pages (a flat column) or the typed
/// reader.
pub(crate) enum Paged {
    Pages(DictColumn),
    Typed(Box<ColumnReader>),
}

/// A text column as indices into the row group's distinct values (each value looked up once
/// per run of equal values).
pub(crate) fn codes(
    r: &mut ColumnReader,
    n: usize,
    optional: bool,
    b: &mut Buffers,
    codes: &mut Codes,
    out: &mut Vec<u32>,
) -> std::result::Result<(), String> {
    let ColumnReader::ByteArrayColumnReader(c) = r else {
        return Err("expected text (BYTE_ARRAY)".into());
    };
    exactly(n, &mut b.def, optional, &mut b.text, |m, d, v| {
        c.read_records(m, d, None, v)
    })?;
    out.clear();
    let mut last: Option<(&[u8], u32)> = None;
    for (row, v) in b.text.iter().enumerate() {
        let bytes = v.data();
        let k = match last {
            Some((l, k)) if l == bytes => k,
            _ => {
                let k = match codes.index.get(bytes) {
                    Some(k) => *k,
                    None => {
                        let text = std::str::from_utf8(bytes)
                            .map_err(|_| format!("row {} of the chunk: not UTF-8 text", row + 1))?;
                        codes.list.push(text.trim().to_string());
                        let k = (codes.list.len() - 1) as u32;
                        codes.index.insert(bytes.to_vec(), k);
                        k
                    }
                };
                last = Some((bytes, k));
                k
            }
        };
        out.push(k);
    }
    Ok(())
}
