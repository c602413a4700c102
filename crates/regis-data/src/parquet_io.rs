//! Parquet input and export (feature `parquet`, on by default), via the `parquet` crate's
//! record API without Arrow. Input: every column is read as text cells (numbers formatted,
//! nulls empty) so that the same mapping and validation apply as for CSV; a row's "line" is its
//! 1-based row number plus one (the header counts as line 1, as in a CSV of the same table).
//! Codecs: uncompressed and snappy (pandas/pyarrow's default); others are refused clearly.

use std::sync::Arc;

use parquet::basic::{Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
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

/// Writes text columns (numbers where the column is `period` or `value`) as Parquet bytes.
pub fn write(header: &[&str], records: &[Vec<String>]) -> Result<Vec<u8>> {
    let err = |e: parquet::errors::ParquetError| {
        DataError::file(ErrorKind::Io, "<parquet>", e.to_string())
    };
    let fields: Vec<Arc<Type>> = header
        .iter()
        .map(|h| {
            let (t, rep) = match *h {
                "period" => (PhysicalType::INT32, Repetition::REQUIRED),
                "value" => (PhysicalType::DOUBLE, Repetition::OPTIONAL),
                _ => (PhysicalType::BYTE_ARRAY, Repetition::REQUIRED),
            };
            let mut b = Type::primitive_type_builder(h, t).with_repetition(rep);
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
    let mut buf = Vec::new();
    {
        let mut w = SerializedFileWriter::new(&mut buf, schema, Default::default()).map_err(err)?;
        let mut rg = w.next_row_group().map_err(err)?;
        let mut col = 0;
        while let Some(mut cw) = rg.next_column().map_err(err)? {
            match header[col] {
                "period" => {
                    let v: Vec<i32> = records
                        .iter()
                        .map(|r| r[col].parse().unwrap_or(0))
                        .collect();
                    cw.typed::<Int32Type>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
                "value" => {
                    let present: Vec<f64> =
                        records.iter().filter_map(|r| r[col].parse().ok()).collect();
                    let def: Vec<i16> = records
                        .iter()
                        .map(|r| i16::from(r[col].parse::<f64>().is_ok()))
                        .collect();
                    cw.typed::<DoubleType>()
                        .write_batch(&present, Some(&def), None)
                        .map_err(err)?;
                }
                _ => {
                    let v: Vec<ByteArray> = records
                        .iter()
                        .map(|r| ByteArray::from(r[col].as_str()))
                        .collect();
                    cw.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .map_err(err)?;
                }
            }
            cw.close().map_err(err)?;
            col += 1;
        }
        rg.close().map_err(err)?;
        w.close().map_err(err)?;
    }
    Ok(buf)
}
