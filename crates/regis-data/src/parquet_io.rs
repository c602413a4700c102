//! Parquet input and export (feature `parquet`, on by default), via the `parquet` crate's
//! record API without Arrow. Input: every column is read as text cells (numbers formatted,
//! nulls empty) so that the same mapping and validation apply as for CSV; a row's "line" is its
//! 1-based row number plus one (the header counts as line 1, as in a CSV of the same table).
//! Codecs: uncompressed and snappy (pandas/pyarrow's default); others are refused clearly.

use std::sync::Arc;

use parquet::basic::{Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;

use crate::budget::Budgets;
use crate::error::{DataError, ErrorKind, Result};
use crate::table::{Row, Table};

fn field_text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Bool(b) => b.to_string(),
        Field::Byte(v) => v.to_string(),
        Field::Short(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Long(v) => v.to_string(),
        Field::UByte(v) => v.to_string(),
        Field::UShort(v) => v.to_string(),
        Field::UInt(v) => v.to_string(),
        Field::ULong(v) => v.to_string(),
        Field::Float(v) => crate::export::format_value(f64::from(*v)),
        Field::Double(v) => crate::export::format_value(*v),
        Field::Str(s) => s.trim().to_string(),
        other => other.to_string().trim_matches('"').to_string(),
    }
}

/// Reads a Parquet file into a [`Table`], refusing past the budgets on columns, rows (the
/// declared count, checked before any row is read) and cell length.
pub fn read(bytes: &[u8], name: &str, budgets: &Budgets) -> Result<Table> {
    let bad = |e: parquet::errors::ParquetError| {
        DataError::file(ErrorKind::UnsupportedFormat, name, format!("cannot read the Parquet file ({e}); it may be truncated or use a codec other than snappy"))
    };
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes.to_vec())).map_err(bad)?;
    let header: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    if header.len() > budgets.max_columns {
        return Err(Budgets::refuse(
            name,
            "the number of columns",
            header.len(),
            budgets.max_columns,
            "--max-columns",
        ));
    }
    let declared = reader.metadata().file_metadata().num_rows().max(0) as u64;
    if declared > budgets.max_rows as u64 {
        return Err(Budgets::refuse(
            name,
            "the declared number of rows",
            declared,
            budgets.max_rows,
            "--max-rows",
        ));
    }
    let cells = declared.saturating_mul(header.len() as u64);
    if cells > budgets.max_cells {
        return Err(Budgets::refuse(
            name,
            "the declared number of cells (rows x columns)",
            cells,
            budgets.max_cells,
            "--max-cells",
        ));
    }
    let mut rows = Vec::new();
    for (i, row) in reader.get_row_iter(None).map_err(bad)?.enumerate() {
        let row = row.map_err(bad)?;
        let cells: Vec<String> = row.get_column_iter().map(|(_, f)| field_text(f)).collect();
        budgets.check_record(
            name,
            i + 2,
            rows.len(),
            cells.len(),
            cells.iter().map(String::len),
        )?;
        rows.push(Row { line: i + 2, cells });
    }
    if rows.is_empty() {
        return Err(DataError::file(
            ErrorKind::Empty,
            name,
            "the Parquet file has no rows",
        ));
    }
    Ok(Table {
        file: name.into(),
        header,
        rows,
        encoding: None,
        decimal_comma: false,
        notes: Vec::new(),
        title: None,
    })
}

/// The values of one column to write, in row order (`None` is a null).
#[derive(Debug, Clone, PartialEq)]
pub enum ParquetValues {
    /// UTF-8 text (BYTE_ARRAY with the String logical type).
    Text(Vec<Option<String>>),
    /// 32-bit integers.
    Int32(Vec<Option<i32>>),
    /// 64-bit integers.
    Int64(Vec<Option<i64>>),
    /// IEEE doubles.
    Double(Vec<Option<f64>>),
}

impl ParquetValues {
    fn len(&self) -> usize {
        match self {
            ParquetValues::Text(v) => v.len(),
            ParquetValues::Int32(v) => v.len(),
            ParquetValues::Int64(v) => v.len(),
            ParquetValues::Double(v) => v.len(),
        }
    }
}

/// One typed column of a Parquet file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetColumn {
    /// The column's name.
    pub name: String,
    /// Whether the column may hold nulls (OPTIONAL); a REQUIRED column refuses a `None`.
    pub nullable: bool,
    /// Its values.
    pub values: ParquetValues,
}

/// Writes one column's values: the present ones, with definition levels (1 present, 0 null)
/// when the column is nullable; a null in a required column is refused.
fn put<T: parquet::data_type::DataType>(
    cw: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    c: &ParquetColumn,
    v: &[Option<T::T>],
) -> Result<()> {
    let fail = |m: String| {
        DataError::file(
            ErrorKind::Io,
            "<parquet>",
            format!("column {}: {m}", c.name),
        )
    };
    if !c.nullable && v.iter().any(Option::is_none) {
        return Err(fail("a null in a required column".into()));
    }
    let present: Vec<T::T> = v.iter().flatten().cloned().collect();
    let levels: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
    cw.typed::<T>()
        .write_batch(&present, c.nullable.then_some(levels.as_slice()), None)
        .map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// A Parquet file's key-value metadata (units, attribution), in the file's order.
pub fn key_value_metadata(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let reader = open(bytes)?;
    let kv = reader.metadata().file_metadata().key_value_metadata();
    Ok(kv
        .map(|kv| {
            kv.iter()
                .map(|e| (e.key.clone(), e.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default())
}

/// A Parquet file's columns: name, physical type (`INT64`, `DOUBLE`, `BYTE_ARRAY`...) and
/// whether it may hold nulls.
pub fn column_types(bytes: &[u8]) -> Result<Vec<(String, String, bool)>> {
    let reader = open(bytes)?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    Ok(schema
        .columns()
        .iter()
        .map(|c| {
            let optional = c.self_type().get_basic_info().repetition() == Repetition::OPTIONAL;
            (
                c.name().to_string(),
                c.physical_type().to_string(),
                optional,
            )
        })
        .collect())
}

fn open(bytes: &[u8]) -> Result<SerializedFileReader<bytes::Bytes>> {
    SerializedFileReader::new(bytes::Bytes::from(bytes.to_vec()))
        .map_err(|e| DataError::file(ErrorKind::UnsupportedFormat, "<parquet>", e.to_string()))
}

/// Writes typed columns of equal length as the bytes of a Parquet file (one row group,
/// uncompressed), with `metadata` as the file's key-value metadata (units, attribution).
///
/// ```
/// use regis_data::parquet_io::{write_columns, ParquetColumn, ParquetValues};
/// let bytes = write_columns(
///     &[
///         ParquetColumn { name: "region".into(), nullable: false,
///             values: ParquetValues::Text(vec![Some("11".into()), Some("21".into())]) },
///         ParquetColumn { name: "sales".into(), nullable: true,
///             values: ParquetValues::Double(vec![Some(1.5), None]) },
///     ],
///     &[("regis.unit.sales".into(), "million KRW".into())],
/// )
/// .unwrap();
/// let back = regis_data::parquet_io::read(&bytes, "t.parquet", &Default::default()).unwrap();
/// assert_eq!(back.header, ["region", "sales"]);
/// assert_eq!(back.rows[0].cells, ["11", "1.5"]);
/// assert_eq!(back.rows[1].cells, ["21", ""]);
/// let types = regis_data::parquet_io::column_types(&bytes).unwrap();
/// assert_eq!(types[0], ("region".into(), "BYTE_ARRAY".into(), false));
/// assert_eq!(types[1], ("sales".into(), "DOUBLE".into(), true));
/// let about = regis_data::parquet_io::key_value_metadata(&bytes).unwrap();
/// assert_eq!(about, [("regis.unit.sales".to_string(), "million KRW".to_string())]);
/// ```
pub fn write_columns(columns: &[ParquetColumn], metadata: &[(String, String)]) -> Result<Vec<u8>> {
    let err = |e: parquet::errors::ParquetError| {
        DataError::file(ErrorKind::Io, "<parquet>", e.to_string())
    };
    let rows = columns.first().map_or(0, |c| c.values.len());
    if let Some(c) = columns.iter().find(|c| c.values.len() != rows) {
        return Err(DataError::file(
            ErrorKind::Io,
            "<parquet>",
            format!(
                "column {}: {} values, expected {rows}",
                c.name,
                c.values.len()
            ),
        ));
    }
    let fields: Vec<Arc<Type>> = columns
        .iter()
        .map(|c| {
            let t = match c.values {
                ParquetValues::Text(_) => PhysicalType::BYTE_ARRAY,
                ParquetValues::Int32(_) => PhysicalType::INT32,
                ParquetValues::Int64(_) => PhysicalType::INT64,
                ParquetValues::Double(_) => PhysicalType::DOUBLE,
            };
            let rep = if c.nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            let mut b = Type::primitive_type_builder(&c.name, t).with_repetition(rep);
            if t == PhysicalType::BYTE_ARRAY {
                b = b.with_logical_type(Some(parquet::basic::LogicalType::String));
            }
            b.build().map(Arc::new)
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(err)?;
    let schema = Arc::new(
        Type::group_type_builder("regis")
            .with_fields(fields)
            .build()
            .map_err(err)?,
    );
    let kv: Vec<parquet::file::metadata::KeyValue> = metadata
        .iter()
        .map(|(k, v)| parquet::file::metadata::KeyValue::new(k.clone(), v.clone()))
        .collect();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_key_value_metadata((!kv.is_empty()).then_some(kv))
        .build();
    let mut buf = Vec::new();
    {
        let mut w = SerializedFileWriter::new(&mut buf, schema, Arc::new(props)).map_err(err)?;
        let mut rg = w.next_row_group().map_err(err)?;
        let mut col = 0;
        while let Some(mut cw) = rg.next_column().map_err(err)? {
            let c = &columns[col];
            match &c.values {
                ParquetValues::Text(v) => {
                    let v: Vec<Option<ByteArray>> = v
                        .iter()
                        .map(|x| x.as_deref().map(ByteArray::from))
                        .collect();
                    put::<ByteArrayType>(&mut cw, c, &v)?
                }
                ParquetValues::Int32(v) => put::<Int32Type>(&mut cw, c, v)?,
                ParquetValues::Int64(v) => put::<Int64Type>(&mut cw, c, v)?,
                ParquetValues::Double(v) => put::<DoubleType>(&mut cw, c, v)?,
            }
            cw.close().map_err(err)?;
            col += 1;
        }
        rg.close().map_err(err)?;
        w.close().map_err(err)?;
    }
    Ok(buf)
}

/// Writes text columns (numbers where the column is `period` or `value`) as Parquet bytes.
pub fn write(header: &[&str], records: &[Vec<String>]) -> Result<Vec<u8>> {
    let columns: Vec<ParquetColumn> = header
        .iter()
        .enumerate()
        .map(|(col, h)| {
            let cells = records.iter().map(|r| r[col].as_str());
            let (nullable, values) = match *h {
                "period" => (
                    false,
                    ParquetValues::Int32(cells.map(|c| Some(c.parse().unwrap_or(0))).collect()),
                ),
                "value" => (
                    true,
                    ParquetValues::Double(cells.map(|c| c.parse().ok()).collect()),
                ),
                _ => (
                    false,
                    ParquetValues::Text(cells.map(|c| Some(c.to_string())).collect()),
                ),
            };
            ParquetColumn {
                name: h.to_string(),
                nullable,
                values,
            }
        })
        .collect();
    write_columns(&columns, &[])
}
