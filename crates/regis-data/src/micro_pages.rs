//! Dictionary-encoded columns of establishment micro data (the region and industry codes,
//! the period) read page by page: each dictionary entry is looked up once, then every row is
//! only its dictionary index, decoded from the RLE/bit-packed hybrid (Apache Parquet format,
//! "Encodings": RLE_DICTIONARY), with no per-row byte string or number. Pages written PLAIN
//! (a writer's fallback when the dictionary grows too large) are read value by value. Flat
//! columns only; an OPTIONAL column's definition levels are checked (a null is refused) and
//! skipped.

use parquet::basic::Encoding;
use parquet::column::page::{Page, PageReader};

/// How a PLAIN page lays out its values (a dictionary page is PLAIN too): byte arrays, each
/// after a 4-byte little-endian length, or fixed-width values (4 bytes for INT32, 8 for
/// INT64).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Plain {
    Text,
    Fixed(usize),
}

/// A dictionary-encoded column's pages, consumed a chunk of rows at a time: each distinct
/// value (a dictionary entry, or a PLAIN page's value) is given to the caller's `value`
/// function, which returns the value's index in the caller's own list.
pub(crate) struct DictColumn {
    pages: Box<dyn PageReader>,
    optional: bool,
    plain: Plain,
    /// Dictionary entry → the caller's index.
    dictionary: Vec<u32>,
    /// The current data page's values, and how many are consumed: dictionary indices,
    /// mapped through `dictionary` as they are handed out, or (a PLAIN page) the caller's
    /// indices already.
    current: Vec<u32>,
    at: usize,
    mapped: bool,
}

impl DictColumn {
    pub(crate) fn new(pages: Box<dyn PageReader>, optional: bool, plain: Plain) -> DictColumn {
        DictColumn {
            pages,
            optional,
            plain,
            dictionary: Vec::new(),
            current: Vec::new(),
            at: 0,
            mapped: false,
        }
    }

    /// Appends the next `n` rows' indices to `out` (cleared first).
    pub(crate) fn next(
        &mut self,
        n: usize,
        value: &mut dyn FnMut(&[u8]) -> Result<u32, String>,
        out: &mut Vec<u32>,
    ) -> Result<(), String> {
        out.clear();
        while out.len() < n {
            if self.at == self.current.len() {
                self.load(value)?;
            }
            let take = (n - out.len()).min(self.current.len() - self.at);
            let values = &self.current[self.at..self.at + take];
            if self.mapped {
                out.extend_from_slice(values);
            } else {
                let dictionary = &self.dictionary;
                out.extend(values.iter().map(|&k| dictionary[k as usize]));
            }
            self.at += take;
        }
        Ok(())
    }

    /// Reads pages until a data page, decoding it into `current`.
    fn load(&mut self, value: &mut dyn FnMut(&[u8]) -> Result<u32, String>) -> Result<(), String> {
        loop {
            let page = self
                .pages
                .get_next_page()
                .map_err(|e| e.to_string())?
                .ok_or("the column ends before the row group's rows")?;
            let (buf, values, encoding) = match page {
                Page::DictionaryPage {
                    buf, num_values, ..
                } => {
                    let mut entries = Vec::with_capacity(num_values as usize);
                    plain_values(&buf, num_values as usize, self.plain, |bytes| {
                        entries.push(value(bytes)?);
                        Ok(())
                    })?;
                    self.dictionary = entries;
                    continue;
                }
                Page::DataPage {
                    buf,
                    num_values,
                    encoding,
                    ..
                } => {
                    let mut skip = 0;
                    if self.optional {
                        // Definition levels: a 4-byte length, then the hybrid encoding.
                        let len = buf.get(..4).ok_or("a data page without its levels")?;
                        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
                        let levels = buf.get(4..4 + len).ok_or("levels past the page's end")?;
                        no_nulls(levels, num_values as usize)?;
                        skip = 4 + len;
                    }
                    (buf.slice(skip..), num_values as usize, encoding)
                }
                Page::DataPageV2 {
                    buf,
                    num_values,
                    encoding,
                    def_levels_byte_len,
                    rep_levels_byte_len,
                    ..
                } => {
                    let skip = (def_levels_byte_len + rep_levels_byte_len) as usize;
                    if skip > buf.len() {
                        return Err("a data page shorter than its levels".into());
                    }
                    if self.optional {
                        let levels = &buf[rep_levels_byte_len as usize..skip];
                        no_nulls(levels, num_values as usize)?;
                    }
                    (buf.slice(skip..), num_values as usize, encoding)
                }
            };
            self.current.clear();
            self.at = 0;
            match encoding {
                Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY => {
                    let (&width, rest) = buf.split_first().ok_or("an empty data page")?;
                    hybrid(rest, width, values, &mut self.current)?;
                    // One bound check for the page; `next` maps the indices it hands out.
                    let past = self.current.iter().copied().max().unwrap_or(0) as usize;
                    if !self.current.is_empty() && past >= self.dictionary.len() {
                        return Err("a dictionary index past the dictionary".into());
                    }
                    self.mapped = false;
                }
                Encoding::PLAIN => {
                    self.mapped = true;
                    let current = &mut self.current;
                    plain_values(&buf, values, self.plain, |bytes| {
                        current.push(value(bytes)?);
                        Ok(())
                    })?;
                }
                other => return Err(format!("values encoded as {other}, which is not read here")),
            }
            if !self.current.is_empty() {
                return Ok(());
            }
        }
    }
}

/// Refuses a null among `count` definition levels of a flat optional column (width 1).
fn no_nulls(levels: &[u8], count: usize) -> Result<(), String> {
    let mut defined = Vec::with_capacity(count);
    hybrid(levels, 1, count, &mut defined)?;
    match defined.iter().position(|&d| d == 0) {
        Some(k) => Err(format!(
            "value {} of a page: empty (null); every row needs a value",
            k + 1
        )),
        None => Ok(()),
    }
}

/// `count` PLAIN values laid out as `plain` says, each given to `f`.
fn plain_values(
    buf: &[u8],
    count: usize,
    plain: Plain,
    mut f: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(), String> {
    let mut at = 0;
    for _ in 0..count {
        let (start, len) = match plain {
            Plain::Fixed(width) => (at, width),
            Plain::Text => {
                let len = buf.get(at..at + 4).ok_or("a value past the page's end")?;
                (
                    at + 4,
                    u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize,
                )
            }
        };
        let bytes = buf
            .get(start..start + len)
            .ok_or("a value past the page's end")?;
        f(bytes)?;
        at = start + len;
    }
    Ok(())
}

/// Decodes `count` values of `width` bits from the RLE/bit-packed hybrid, appended to `out`.
fn hybrid(buf: &[u8], width: u8, count: usize, out: &mut Vec<u32>) -> Result<(), String> {
    if width > 32 {
        return Err(format!("a dictionary index of {width} bits"));
    }
    let width = width as usize;
    let mask: u64 = if width == 0 { 0 } else { (1u64 << width) - 1 };
    let mut at = 0;
    let target = out.len() + count;
    while out.len() < target {
        // The run's header, an unsigned LEB128.
        let mut header: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *buf.get(at).ok_or("a run header past the page's end")?;
            at += 1;
            header |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err("a run header too long".into());
            }
        }
        if header & 1 == 0 {
            // A run of one value repeated.
            let run = (header >> 1) as usize;
            let bytes = width.div_ceil(8);
            let raw = buf
                .get(at..at + bytes)
                .ok_or("a run value past the page's end")?;
            at += bytes;
            let value = raw.iter().rev().fold(0u64, |v, b| (v << 8) | u64::from(*b));
            let take = run.min(target - out.len());
            out.extend(std::iter::repeat_n(value as u32, take));
        } else {
            // Groups of 8 values bit-packed, least significant bit first.
            let groups = (header >> 1) as usize;
            let bytes = groups * width;
            let packed = buf
                .get(at..at + bytes)
                .ok_or("bit-packed values past the page's end")?;
            at += bytes;
            let take = (groups * 8).min(target - out.len());
            let start = out.len();
            out.resize(start + take, 0);
            if width <= 8 {
                // A group of 8 values is `width` bytes: one 8-byte read, 8 shifts.
                for (g, values) in out[start..].chunks_mut(8).enumerate() {
                    let bytes = &packed[g * width..];
                    let mut word = [0u8; 8];
                    let n = bytes.len().min(8);
                    word[..n].copy_from_slice(&bytes[..n]);
                    let word = u64::from_le_bytes(word);
                    for (j, slot) in values.iter_mut().enumerate() {
                        *slot = ((word >> (j * width)) & mask) as u32;
                    }
                }
                continue;
            }
            // A value starts at most 7 bits into its first byte and spans at most 32 bits,
            // so one 8-byte little-endian read holds it; the last few values, whose 8 bytes
            // would pass the end, are read from a zero-padded copy.
            let direct = packed.len().saturating_sub(7);
            for (i, slot) in out[start..].iter_mut().enumerate() {
                let bit = i * width;
                let (byte, offset) = (bit / 8, bit % 8);
                let word = if byte < direct {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(&packed[byte..byte + 8]);
                    u64::from_le_bytes(word)
                } else {
                    let mut word = [0u8; 8];
                    word[..packed.len() - byte].copy_from_slice(&packed[byte..]);
                    u64::from_le_bytes(word)
                };
                *slot = ((word >> offset) & mask) as u32;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_bit_packed_groups_decode() {
        // Width 3: a run of 5 × value 6 (header 5 << 1 = 10, value byte 6), then one group of
        // 8 bit-packed values 0..7 (header 1 << 1 | 1 = 3, 3 bytes: 0b10001000, 0b11000110,
        // 0b11111010).
        let buf = [10u8, 6, 3, 0b1000_1000, 0b1100_0110, 0b1111_1010];
        let mut out = Vec::new();
        hybrid(&buf, 3, 13, &mut out).unwrap();
        assert_eq!(out, vec![6, 6, 6, 6, 6, 0, 1, 2, 3, 4, 5, 6, 7]);
        // Fewer values asked than the group holds: the padding is not read as values.
        let mut out = Vec::new();
        hybrid(&buf, 3, 7, &mut out).unwrap();
        assert_eq!(out, vec![6, 6, 6, 6, 6, 0, 1]);
        // A truncated page is an error, not a panic.
        assert!(hybrid(&buf[..4], 3, 13, &mut Vec::new()).is_err());
    }

    #[test]
    fn every_width_unpacks_as_packed() {
        // 21 values bit-packed at each width (3 groups, the last one partly padding), read
        // back whole and as a prefix that ends inside a group.
        for width in 0..=32usize {
            let values: Vec<u32> = (0..21u64)
                .map(|i| ((i * 2_654_435_761) & ((1u64 << width) - 1)) as u32)
                .collect();
            let mut packed = vec![0u8; 3 * width];
            for (i, &v) in values.iter().enumerate() {
                for bit in 0..width {
                    if v >> bit & 1 == 1 {
                        let at = i * width + bit;
                        packed[at / 8] |= 1 << (at % 8);
                    }
                }
            }
            let mut buf = vec![(3 << 1) | 1];
            buf.extend_from_slice(&packed);
            for count in [21, 13] {
                let mut out = Vec::new();
                hybrid(&buf, width as u8, count, &mut out).unwrap();
                assert_eq!(out, values[..count], "width {width}, {count} values");
            }
        }
    }
}
