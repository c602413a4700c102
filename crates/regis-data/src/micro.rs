//! Establishment micro data in Parquet (feature `parquet`): one row per establishment and
//! period with the columns [`COLUMNS`]. Read a row group at a time, column by column with the
//! `parquet` crate's typed column readers (no Arrow), so memory holds one row group per
//! thread whatever the file's size; the region and industry columns come back as indices
//! into the row group's distinct codes, so a caller resolves each distinct code once.
//! Written one row group per [`Block`], dictionary-encoded and snappy-compressed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::error::{DataError, ErrorKind, Result};
pub use crate::micro_csv::is_csv;
pub use crate::micro_input::{among_input, input_files};
use crate::micro_pages::{DictColumn, Plain};
use crate::micro_values::{codes, integers, numbers, Buffers, Paged};
pub(crate) use crate::micro_values::{Codes, Periods};

/// The columns of establishment micro data, in the order the writer puts them.
pub const COLUMNS: [&str; 6] = [
    "establishment_id",
    "period",
    "region",
    "industry",
    "employees",
    "sales",
];

/// The optional column of sampling weights (a survey's establishments each stand for
/// `weight` establishments of the population): when present, every row needs a number ≥ 0.
pub const WEIGHT: &str = "weight";

/// A block of establishment rows (a row group), column by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// Establishment id (the same establishment keeps it across periods); empty when the
    /// reader was told the ids are not needed.
    pub id: Vec<i64>,
    /// Period (year).
    pub period: Vec<i32>,
    /// Period of each row: an index into `periods`.
    pub period_index: Vec<u32>,
    /// The row group's distinct periods, in the order they appear; an index keeps its period
    /// for the whole row group. An entry no row uses may be 0 (a dictionary's value that is
    /// not a year).
    pub periods: Vec<i32>,
    /// Region of each row: an index into `regions`.
    pub region: Vec<u32>,
    /// The block's distinct region codes.
    pub regions: Vec<String>,
    /// Industry of each row: an index into `industries`.
    pub industry: Vec<u32>,
    /// The block's distinct industry codes.
    pub industries: Vec<String>,
    /// Employees.
    pub employees: Vec<i64>,
    /// Sales (million KRW).
    pub sales: Vec<f64>,
    /// Sampling weights ([`WEIGHT`]); empty when the input has no such column.
    pub weight: Vec<f64>,
    /// The row (0-based) of the block's first row within its row group (a streamed chunk's
    /// place; 0 for a whole row group).
    pub offset: usize,
}

impl Block {
    /// Rows in the block.
    pub fn len(&self) -> usize {
        self.period.len()
    }

    /// Whether the block has no row.
    pub fn is_empty(&self) -> bool {
        self.period.is_empty()
    }
}

fn parquet_error(file: &Path, e: parquet::errors::ParquetError) -> DataError {
    DataError::file(ErrorKind::Io, file.display().to_string(), e.to_string())
}

/// Writes establishment rows as Parquet, one row group per [`Block`].
pub struct Writer {
    file: PathBuf,
    inner: SerializedFileWriter<std::io::BufWriter<std::fs::File>>,
}

impl Writer {
    /// Creates `file` (refused when it exists: nothing is overwritten).
    pub fn create(file: &Path) -> Result<Writer> {
        Writer::new(file, false)
    }

    /// Creates `file` with a seventh column, [`WEIGHT`], written from [`Block::weight`].
    pub fn with_weights(file: &Path) -> Result<Writer> {
        Writer::new(file, true)
    }

    fn new(file: &Path, weights: bool) -> Result<Writer> {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
            .map_err(|e| {
                DataError::file(ErrorKind::Io, file.display().to_string(), e.to_string())
            })?;
        let err = |e| parquet_error(file, e);
        let column = |name: &str, t: PhysicalType| {
            let mut b = Type::primitive_type_builder(name, t).with_repetition(Repetition::REQUIRED);
            if t == PhysicalType::BYTE_ARRAY {
                b = b.with_logical_type(Some(LogicalType::String));
            }
            b.build().map(Arc::new)
        };
        let mut fields = vec![
            column(COLUMNS[0], PhysicalType::INT64).map_err(err)?,
            column(COLUMNS[1], PhysicalType::INT32).map_err(err)?,
            column(COLUMNS[2], PhysicalType::BYTE_ARRAY).map_err(err)?,
            column(COLUMNS[3], PhysicalType::BYTE_ARRAY).map_err(err)?,
            column(COLUMNS[4], PhysicalType::INT64).map_err(err)?,
            column(COLUMNS[5], PhysicalType::DOUBLE).map_err(err)?,
        ];
        if weights {
            fields.push(column(WEIGHT, PhysicalType::DOUBLE).map_err(err)?);
        }
        let schema = Arc::new(
            Type::group_type_builder("establishments")
                .with_fields(fields)
                .build()
                .map_err(err)?,
        );
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(true)
            .build();
        let inner = SerializedFileWriter::new(std::io::BufWriter::new(f), schema, Arc::new(props))
            .map_err(err)?;
        Ok(Writer {
            file: file.to_path_buf(),
            inner,
        })
    }

    /// Writes one row group.
    pub fn write(&mut self, b: &Block) -> Result<()> {
        let file = self.file.clone();
        let err = |e| parquet_error(&file, e);
        let strings = |codes: &[String], index: &[u32]| -> Vec<ByteArray> {
            let dict: Vec<ByteArray> = codes.iter().map(|c| ByteArray::from(c.as_str())).collect();
            index.iter().map(|&k| dict[k as usize].clone()).collect()
        };
        let mut rg = self.inner.next_row_group().map_err(err)?;
        let mut col = 0;
        while let Some(mut cw) = rg.next_column().map_err(err)? {
            match col {
                0 => cw.typed::<Int64Type>().write_batch(&b.id, None, None),
                1 => cw.typed::<Int32Type>().write_batch(&b.period, None, None),
                2 => cw.typed::<ByteArrayType>().write_batch(
                    &strings(&b.regions, &b.region),
                    None,
                    None,
                ),
                3 => cw.typed::<ByteArrayType>().write_batch(
                    &strings(&b.industries, &b.industry),
                    None,
                    None,
                ),
                4 => cw
                    .typed::<Int64Type>()
                    .write_batch(&b.employees, None, None),
                5 => cw.typed::<DoubleType>().write_batch(&b.sales, None, None),
                _ => cw.typed::<DoubleType>().write_batch(&b.weight, None, None),
            }
            .map_err(err)?;
            cw.close().map_err(err)?;
            col += 1;
        }
        rg.close().map_err(err)?;
        Ok(())
    }

    /// Writes the footer and closes the file.
    pub fn finish(self) -> Result<()> {
        let file = self.file.clone();
        self.inner.close().map_err(|e| parquet_error(&file, e))?;
        Ok(())
    }
}

/// Every row group of the files: (file, row group, rows). A file that is not Parquet, or is
/// truncated (its footer unreadable), is refused with its name.
pub fn row_groups(files: &[PathBuf]) -> Result<Vec<(PathBuf, usize, usize)>> {
    let mut out = Vec::new();
    for f in files {
        // A CSV file is one unit (its rows are not counted ahead).
        if crate::micro_csv::is_csv(f) {
            out.push((f.clone(), 0, 0));
            continue;
        }
        let r = open(f)?;
        let columns = column_indices(f, &r)?;
        let _ = columns;
        for k in 0..r.num_row_groups() {
            out.push((
                f.clone(),
                k,
                r.metadata().row_group(k).num_rows().max(0) as usize,
            ));
        }
    }
    Ok(out)
}

/// Whether `file` has a [`WEIGHT`] column (a Parquet file's schema, a CSV file's header).
pub fn has_weights(file: &Path) -> Result<bool> {
    if crate::micro_csv::is_csv(file) {
        return crate::micro_csv::has_weights(file);
    }
    let r = open(file)?;
    Ok(weight_index(&r).is_some())
}

/// The position of the [`WEIGHT`] column in the file's schema.
fn weight_index(r: &SerializedFileReader<std::fs::File>) -> Option<usize> {
    let schema = r.metadata().file_metadata().schema_descr();
    (0..schema.num_columns()).find(|&i| schema.column(i).name() == WEIGHT)
}

fn open(file: &Path) -> Result<SerializedFileReader<std::fs::File>> {
    let shown = file.display().to_string();
    let f = std::fs::File::open(file)
        .map_err(|e| DataError::file(ErrorKind::Io, &shown, e.to_string()))?;
    SerializedFileReader::new(f).map_err(|e| {
        DataError::file(
            ErrorKind::Io,
            &shown,
            format!("not a readable Parquet file (truncated or another format?): {e}"),
        )
    })
}

/// The position of each of [`COLUMNS`] in the file's schema.
fn column_indices(file: &Path, r: &SerializedFileReader<std::fs::File>) -> Result<[usize; 6]> {
    let schema = r.metadata().file_metadata().schema_descr();
    let names: Vec<String> = (0..schema.num_columns())
        .map(|i| schema.column(i).name().to_string())
        .collect();
    let mut out = [0; 6];
    for (k, want) in COLUMNS.iter().enumerate() {
        out[k] = names.iter().position(|n| n == want).ok_or_else(|| {
            DataError::file(
                ErrorKind::MissingColumn,
                file.display().to_string(),
                format!(
                    "no column `{want}`; establishment data needs {} (it has {})",
                    COLUMNS.join(", "),
                    names.join(", ")
                ),
            )
        })?;
    }
    Ok(out)
}

/// Reads row group `k` of `file` whole (tests and small files; the engines stream it with
/// [`for_each_chunk`]).
pub fn read_row_group(file: &Path, k: usize) -> Result<Block> {
    let mut whole = Block::default();
    for_each_chunk(file, k, usize::MAX, true, |b| {
        whole.id.extend_from_slice(&b.id);
        whole.period.extend_from_slice(&b.period);
        whole.period_index.extend_from_slice(&b.period_index);
        whole.periods = b.periods.clone();
        whole.region.extend_from_slice(&b.region);
        whole.industry.extend_from_slice(&b.industry);
        whole.employees.extend_from_slice(&b.employees);
        whole.sales.extend_from_slice(&b.sales);
        whole.weight.extend_from_slice(&b.weight);
        whole.regions = b.regions.clone();
        whole.industries = b.industries.clone();
        Ok(())
    })?;
    Ok(whole)
}

/// Streams row group `k` of `file` in chunks of at most `chunk` rows, calling `f` with each:
/// the same [`Block`] reused (its buffers stay allocated and warm), its code lists growing
/// as new codes appear (an index keeps its code for the whole row group), and
/// [`Block::offset`] the row group's row of the chunk's first row. Without `ids`, a Parquet
/// file's `establishment_id` column is not read and [`Block::id`] stays empty.
pub fn for_each_chunk(
    file: &Path,
    k: usize,
    chunk: usize,
    ids: bool,
    mut f: impl FnMut(&Block) -> Result<()>,
) -> Result<()> {
    if crate::micro_csv::is_csv(file) {
        return crate::micro_csv::for_each_chunk(file, chunk, f);
    }
    let r = open(file)?;
    let columns = column_indices(file, &r)?;
    let shown = file.display().to_string();
    let rg = r.get_row_group(k).map_err(|e| parquet_error(file, e))?;
    let rows = rg.metadata().num_rows().max(0) as usize;
    let fail = |c: usize, what: String| {
        DataError::file(
            ErrorKind::NotNumeric,
            &shown,
            format!("row group {}, column `{}`: {what}", k + 1, COLUMNS[c]),
        )
    };
    let schema = r.metadata().file_metadata().schema_descr();
    let optional: Vec<bool> = columns
        .iter()
        .map(|&c| schema.column(c).max_def_level() > 0)
        .collect();
    // Numbers are read as plain integers and doubles: a date, a time or a scaled decimal
    // would be misread, so they are refused.
    for (c, &at) in columns.iter().enumerate() {
        use parquet::basic::ConvertedType as Ct;
        let column = schema.column(at);
        let refused = matches!(
            column.logical_type_ref(),
            Some(
                LogicalType::Decimal { .. }
                    | LogicalType::Date
                    | LogicalType::Time { .. }
                    | LogicalType::Timestamp { .. }
            )
        ) || matches!(
            column.converted_type(),
            Ct::DECIMAL
                | Ct::DATE
                | Ct::TIME_MILLIS
                | Ct::TIME_MICROS
                | Ct::TIMESTAMP_MILLIS
                | Ct::TIMESTAMP_MICROS
        );
        if refused && c != 2 && c != 3 {
            return Err(fail(
                c,
                "a date, time or decimal column; expected plain whole numbers (ids, years, \
                 employees) or numbers (sales)"
                    .into(),
            ));
        }
    }
    let reader = |c: usize| {
        rg.get_column_reader(columns[c])
            .map_err(|e| fail(c, e.to_string()))
    };
    // The establishment id is read only when asked for (the duplicate check, the dynamics).
    let mut id_reader = if ids { Some(reader(0)?) } else { None };
    let (mut employees_reader, mut sales_reader) = (reader(4)?, reader(5)?);
    let weight_at = weight_index(&r);
    let mut weight_reader = match weight_at {
        Some(at) => Some(rg.get_column_reader(at).map_err(|e| {
            DataError::file(
                ErrorKind::NotNumeric,
                &shown,
                format!("row group {}, column `{WEIGHT}`: {e}", k + 1),
            )
        })?),
        None => None,
    };
    let weight_optional = weight_at.is_some_and(|at| schema.column(at).max_def_level() > 0);
    // Flat columns (no repetition) are read page by page through their dictionary: the text
    // codes, and the period when it is a whole number; anything else by the typed reader.
    let paged = |c: usize| -> Result<Paged> {
        let column = schema.column(columns[c]);
        let plain = match column.physical_type() {
            PhysicalType::BYTE_ARRAY if c != 1 => Some(Plain::Text),
            PhysicalType::INT32 if c == 1 => Some(Plain::Fixed(4)),
            PhysicalType::INT64 if c == 1 => Some(Plain::Fixed(8)),
            _ => None,
        };
        Ok(match plain {
            Some(plain) if column.max_rep_level() == 0 && column.max_def_level() <= 1 => {
                Paged::Pages(DictColumn::new(
                    rg.get_column_page_reader(columns[c])
                        .map_err(|e| fail(c, e.to_string()))?,
                    optional[c],
                    plain,
                ))
            }
            _ => Paged::Typed(Box::new(reader(c)?)),
        })
    };
    let (mut period_source, mut region_text, mut industry_text) = (paged(1)?, paged(2)?, paged(3)?);
    let chunk = chunk.clamp(1, rows.max(1));
    let mut block = Block::default();
    let mut buffers = Buffers::default();
    let (mut region_codes, mut industry_codes) = (Codes::default(), Codes::default());
    let mut periods = Periods::default();
    let mut period_values: Vec<i64> = Vec::new();
    let mut done = 0;
    while done < rows {
        let n = chunk.min(rows - done);
        let row0 = done;
        let at =
            |c: usize| move |e: String| fail(c, format!("{e} (rows {}-{})", row0 + 1, row0 + n));
        block.offset = done;
        match id_reader.as_mut() {
            Some(r) => integers(r, n, optional[0], &mut buffers, &mut block.id).map_err(at(0))?,
            None => block.id.clear(),
        }
        match &mut period_source {
            Paged::Pages(p) => {
                let mut value = |bytes: &[u8]| periods.index_of_bytes(bytes);
                p.next(n, &mut value, &mut block.period_index)
                    .map_err(at(1))?;
            }
            Paged::Typed(r) => {
                integers(r, n, optional[1], &mut buffers, &mut period_values).map_err(at(1))?;
                block.period_index.clear();
                block
                    .period_index
                    .extend(period_values.iter().map(|&p| periods.index_of(p)));
            }
        }
        block.period.clear();
        block.period.extend(
            block
                .period_index
                .iter()
                .map(|&k| periods.years[k as usize]),
        );
        if let Some(r) = block.period.iter().position(|&y| y == 0) {
            let p = periods.values[block.period_index[r] as usize];
            return Err(fail(
                1,
                format!("row {}: {p} is not a year (1000-9999)", row0 + r + 1),
            ));
        }
        if block.periods.len() != periods.years.len() {
            block.periods.clone_from(&periods.years);
        }
        for (source, list, out, c) in [
            (&mut region_text, &mut region_codes, &mut block.region, 2),
            (
                &mut industry_text,
                &mut industry_codes,
                &mut block.industry,
                3,
            ),
        ] {
            match source {
                Paged::Pages(p) => p.next(n, &mut |bytes| list.index_of(bytes), out),
                Paged::Typed(r) => codes(r, n, optional[c], &mut buffers, list, out),
            }
            .map_err(at(c))?;
        }
        integers(
            &mut employees_reader,
            n,
            optional[4],
            &mut buffers,
            &mut block.employees,
        )
        .map_err(at(4))?;
        numbers(
            &mut sales_reader,
            n,
            optional[5],
            &mut buffers,
            &mut block.sales,
        )
        .map_err(at(5))?;
        match weight_reader.as_mut() {
            Some(r) => {
                numbers(r, n, weight_optional, &mut buffers, &mut block.weight).map_err(|e| {
                    DataError::file(
                        ErrorKind::NotNumeric,
                        &shown,
                        format!(
                            "row group {}, column `{WEIGHT}`: {e} (rows {}-{})",
                            k + 1,
                            row0 + 1,
                            row0 + n
                        ),
                    )
                })?
            }
            None => block.weight.clear(),
        }
        if block.regions.len() != region_codes.list.len() {
            block.regions.clone_from(&region_codes.list);
        }
        if block.industries.len() != industry_codes.list.len() {
            block.industries.clone_from(&industry_codes.list);
        }
        f(&block)?;
        done += n;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file as other writers make it: every column OPTIONAL (pandas, DuckDB), text
    /// dictionary-encoded across two data pages; `null_at` puts a null in `region`.
    fn optional_file(file: &Path, null_at: Option<usize>) {
        use parquet::data_type::{ByteArrayType, DoubleType, Int32Type, Int64Type};
        let field = |name: &str, t: PhysicalType| {
            let mut b = Type::primitive_type_builder(name, t).with_repetition(Repetition::OPTIONAL);
            if t == PhysicalType::BYTE_ARRAY {
                b = b.with_logical_type(Some(LogicalType::String));
            }
            Arc::new(b.build().unwrap())
        };
        let schema = Arc::new(
            Type::group_type_builder("e")
                .with_fields(vec![
                    field("establishment_id", PhysicalType::INT64),
                    field("period", PhysicalType::INT32),
                    field("region", PhysicalType::BYTE_ARRAY),
                    field("industry", PhysicalType::BYTE_ARRAY),
                    field("employees", PhysicalType::INT64),
                    field("sales", PhysicalType::DOUBLE),
                ])
                .build()
                .unwrap(),
        );
        let props = WriterProperties::builder()
            .set_data_page_row_count_limit(2)
            .set_write_batch_size(2)
            .build();
        let f = std::fs::File::create(file).unwrap();
        let mut w = SerializedFileWriter::new(f, schema, Arc::new(props)).unwrap();
        let mut rg = w.next_row_group().unwrap();
        let n = 5;
        let all = vec![1i16; n];
        let mut c = 0;
        while let Some(mut cw) = rg.next_column().unwrap() {
            match c {
                0 => cw
                    .typed::<Int64Type>()
                    .write_batch(&[1, 2, 3, 4, 5], Some(&all), None),
                1 => cw
                    .typed::<Int32Type>()
                    .write_batch(&[2020; 5], Some(&all), None),
                2 => {
                    let codes = ["11010", "26020", "11010", "26020", "11010"];
                    let def: Vec<i16> = (0..n).map(|r| i16::from(Some(r) != null_at)).collect();
                    let values: Vec<ByteArray> = (0..n)
                        .filter(|r| Some(*r) != null_at)
                        .map(|r| ByteArray::from(codes[r]))
                        .collect();
                    cw.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&def), None)
                }
                3 => {
                    let values: Vec<ByteArray> = ["C1", "J", "J", "C1", "J"]
                        .iter()
                        .map(|c| ByteArray::from(*c))
                        .collect();
                    cw.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&all), None)
                }
                4 => cw
                    .typed::<Int64Type>()
                    .write_batch(&[1, 2, 3, 4, 5], Some(&all), None),
                _ => cw
                    .typed::<DoubleType>()
                    .write_batch(&[1.0; 5], Some(&all), None),
            }
            .unwrap();
            cw.close().unwrap();
            c += 1;
        }
        rg.close().unwrap();
        w.close().unwrap();
    }

    #[test]
    fn optional_columns_read_page_by_page_and_a_null_is_refused() {
        let dir = std::env::temp_dir().join(format!("regis-micro-opt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("optional.parquet");
        optional_file(&file, None);
        // Chunks of 2 rows cross the pages (2 rows each) at every step.
        let mut seen: Vec<(String, String)> = Vec::new();
        for_each_chunk(&file, 0, 2, true, |b| {
            for r in 0..b.len() {
                seen.push((
                    b.regions[b.region[r] as usize].clone(),
                    b.industries[b.industry[r] as usize].clone(),
                ));
            }
            Ok(())
        })
        .unwrap();
        let want: Vec<(String, String)> = [
            ("11010", "C1"),
            ("26020", "J"),
            ("11010", "J"),
            ("26020", "C1"),
            ("11010", "J"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(seen, want);
        let with_null = dir.join("null.parquet");
        optional_file(&with_null, Some(3));
        let e = for_each_chunk(&with_null, 0, 64, true, |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("column `region`") && e.contains("null"), "{e}");
    }

    #[test]
    fn blocks_read_back_as_written_and_truncated_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("regis-micro-io-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("e.parquet");
        let b = Block {
            id: vec![1, 2, 3],
            period: vec![2020, 2020, 2021],
            period_index: vec![0, 0, 1],
            periods: vec![2020, 2021],
            region: vec![0, 1, 0],
            regions: vec!["11010".into(), "26020".into()],
            industry: vec![0, 0, 1],
            industries: vec!["C1".into(), "J".into()],
            employees: vec![5, 12, 7],
            sales: vec![1.5, 20.25, 3.0],
            weight: Vec::new(),
            offset: 0,
        };
        let mut w = Writer::create(&file).unwrap();
        w.write(&b).unwrap();
        w.write(&b).unwrap();
        w.finish().unwrap();
        assert!(Writer::create(&file).is_err(), "never overwrites");
        let groups = row_groups(&input_files(&dir).unwrap()).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].2, 3);
        assert_eq!(read_row_group(&file, 1).unwrap(), b);
        // Truncated: the footer is gone.
        let bytes = std::fs::read(&file).unwrap();
        let cut = dir.join("cut.parquet");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let e = row_groups(&[cut]).unwrap_err().to_string();
        assert!(e.contains("cut.parquet") && e.contains("truncated"), "{e}");
    }
}
