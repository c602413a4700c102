//! The one tabular representation of a report: typed columns that carry their unit, and rows
//! of typed cells. Every format writer (the CLI's aligned table and CSV, the JSON of a report,
//! the server's HTML tables and downloads) reads a [`Table`]; none is built by hand per command.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;

/// What a column holds, and how people see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (codes, names, labels).
    Text,
    /// Whole numbers (periods, counts, ranks).
    Integer,
    /// Real numbers shown to people with this many decimals (machines get 17).
    Rounded(usize),
    /// Real numbers shown as they are (observed values: shortest exact form everywhere).
    Exact,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value: missing or undefined, never zero (JSON `null`, an empty field elsewhere).
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A real number.
    Number(f64),
}

impl Cell {
    /// A real number, or empty.
    pub fn num(v: Option<f64>) -> Cell {
        v.map(Cell::Number).unwrap_or(Cell::Empty)
    }

    /// A whole number.
    pub fn int(v: impl Into<i64>) -> Cell {
        Cell::Integer(v.into())
    }

    /// Text.
    pub fn text(v: impl Into<String>) -> Cell {
        Cell::Text(v.into())
    }
}

/// One column: a stable name (the JSON field and CSV header), its unit, and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable name (`gini`, `lq`, `period`).
    pub name: String,
    /// Unit of the values (`백만원`, `index`, `share`); empty for codes, names and counts.
    pub unit: String,
    /// What it holds.
    pub kind: Kind,
}

impl Column {
    /// A text column.
    pub fn text(name: &str) -> Column {
        Column::new(name, "", Kind::Text)
    }

    /// A whole-number column.
    pub fn integer(name: &str) -> Column {
        Column::new(name, "", Kind::Integer)
    }

    /// A real-number column in `unit`, shown to people with `digits` decimals.
    pub fn rounded(name: &str, unit: &str, digits: usize) -> Column {
        Column::new(name, unit, Kind::Rounded(digits))
    }

    /// A column of observed values in `unit`, shown as they are.
    pub fn exact(name: &str, unit: &str) -> Column {
        Column::new(name, unit, Kind::Exact)
    }

    /// A column.
    pub fn new(name: &str, unit: &str, kind: Kind) -> Column {
        Column {
            name: name.into(),
            unit: unit.into(),
            kind,
        }
    }
}

/// A table: columns and rows of as many cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns, in display order.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Who reads a rendered cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// People: rounded columns with their own decimals.
    People,
    /// Machines (CSV): rounded columns with 17 decimals.
    Machines,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row; panics when its length is not the number of columns (a bug of the report
    /// that built it, not of the data).
    pub fn push(&mut self, row: Vec<Cell>) {
        assert_eq!(row.len(), self.columns.len(), "row length");
        self.rows.push(row);
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The number in column `name` of row `row` (a whole number too); none when the cell is
    /// empty, not a number, or there is no such column or row.
    pub fn number(&self, row: usize, name: &str) -> Option<f64> {
        let col = self.columns.iter().position(|c| c.name == name)?;
        match self.rows.get(row)?.get(col)? {
            Cell::Number(v) => Some(*v),
            Cell::Integer(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// The text in column `name` of row `row`; none when the cell is not text.
    pub fn text(&self, row: usize, name: &str) -> Option<&str> {
        let col = self.columns.iter().position(|c| c.name == name)?;
        match self.rows.get(row)?.get(col)? {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Column names.
    pub fn header(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// One cell as text for `reader`.
    pub fn cell_text(&self, row: usize, col: usize, reader: Reader) -> String {
        match (&self.rows[row][col], self.columns[col].kind) {
            (Cell::Empty, _) => String::new(),
            (Cell::Text(t), _) => t.clone(),
            (Cell::Integer(i), _) => i.to_string(),
            (Cell::Number(x), Kind::Rounded(d)) => {
                if reader == Reader::Machines {
                    return format!("{x:.17}");
                }
                // Large values with thousands separators and fewer decimals (a won figure
                // has no use for four), small ones with the column's own.
                let d = if x.abs() >= 1e4 {
                    0
                } else if x.abs() >= 1e3 {
                    d.min(1)
                } else {
                    d
                };
                grouped(&format!("{x:.d$}"))
            }
            (Cell::Number(x), _) if reader == Reader::People => grouped(&x.to_string()),
            (Cell::Number(x), _) => x.to_string(),
        }
    }

    /// The table as CSV for machines: a header of column names, then every row with every
    /// digit (RFC 4180 quoting; lines end in CRLF).
    ///
    /// ```
    /// use regis_app::table::{Cell, Column, Table};
    /// let mut t = Table::new(vec![Column::text("name"), Column::rounded("lq", "index", 2)]);
    /// t.push(vec![Cell::text("Seoul, \"capital\""), Cell::Number(0.5)]);
    /// assert_eq!(t.to_csv(), "name,lq\r\n\"Seoul, \"\"capital\"\"\",0.50000000000000000\r\n");
    /// t.push(vec![Cell::text("=HYPERLINK(1)"), Cell::Number(-1.0)]);
    /// assert!(t.to_csv().ends_with("'=HYPERLINK(1),-1.00000000000000000\r\n"));
    /// ```
    pub fn to_csv(&self) -> String {
        fn field(out: &mut String, f: &str) {
            if f.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&f.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(f);
            }
        }
        let mut out = String::new();
        for (i, h) in self.header().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, h);
        }
        out.push_str("\r\n");
        for (r, row) in self.text_rows(Reader::Machines).iter().enumerate() {
            for (i, c) in row.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // A text cell a spreadsheet would run as a formula (names from imported
                // files) is written with a leading apostrophe; numbers are left as they are.
                let formula = matches!(self.rows[r][i], Cell::Text(_))
                    && c.starts_with(['=', '+', '-', '@', '\t', '\r']);
                if formula {
                    field(&mut out, &format!("'{c}"));
                } else {
                    field(&mut out, c);
                }
            }
            out.push_str("\r\n");
        }
        out
    }

    /// The table's columns as Parquet columns, typed by their kind alone (so that every file
    /// of a report has one schema): text as UTF-8, whole numbers as INT64, real numbers as
    /// DOUBLE with every digit; empty and non-finite cells are nulls, as in JSON. A cell its
    /// column's kind cannot hold (text in a number column, a fraction in a whole-number one)
    /// is refused: the report that built it has a bug.
    ///
    /// ```
    /// use regis_app::table::{Cell, Column, Table};
    /// use regis_data::parquet_io::ParquetValues;
    /// let mut t = Table::new(vec![Column::text("region"), Column::integer("period"),
    ///     Column::rounded("sales", "million KRW", 2)]);
    /// t.push(vec![Cell::text("11"), Cell::int(2020), Cell::Number(0.1 + 0.2)]);
    /// t.push(vec![Cell::text("21"), Cell::Empty, Cell::Number(f64::NAN)]);
    /// let c = t.parquet_columns().unwrap();
    /// assert_eq!(c[0].values, ParquetValues::Text(vec![Some("11".into()), Some("21".into())]));
    /// assert_eq!(c[1].values, ParquetValues::Int64(vec![Some(2020), None]));
    /// assert_eq!(c[2].values, ParquetValues::Double(vec![Some(0.30000000000000004), None]));
    /// t.push(vec![Cell::text("22"), Cell::Number(2020.5), Cell::Empty]);
    /// assert!(t.parquet_columns().unwrap_err().to_string().contains("period"));
    /// ```
    pub fn parquet_columns(
        &self,
    ) -> Result<Vec<regis_data::parquet_io::ParquetColumn>, regis_data::DataError> {
        use regis_data::parquet_io::{ParquetColumn, ParquetValues};
        let mut out = Vec::with_capacity(self.columns.len());
        for (c, column) in self.columns.iter().enumerate() {
            let bad = |r: usize| {
                regis_data::DataError::argument(format!(
                    "column {}, row {}: {:?} does not fit a {:?} column",
                    column.name,
                    r + 1,
                    self.rows[r][c],
                    column.kind
                ))
            };
            let cells = self.rows.iter().map(|row| &row[c]).enumerate();
            let values = match column.kind {
                Kind::Text => ParquetValues::Text(
                    cells
                        .map(|(r, x)| match x {
                            Cell::Empty => None,
                            _ => Some(self.cell_text(r, c, Reader::Machines)),
                        })
                        .collect(),
                ),
                Kind::Integer => ParquetValues::Int64(
                    cells
                        .map(|(r, x)| match x {
                            Cell::Empty => Ok(None),
                            Cell::Integer(i) => Ok(Some(*i)),
                            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 9e15 => {
                                Ok(Some(*v as i64))
                            }
                            _ => Err(bad(r)),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                Kind::Rounded(_) | Kind::Exact => ParquetValues::Double(
                    cells
                        .map(|(r, x)| match x {
                            Cell::Empty => Ok(None),
                            Cell::Integer(i) => Ok(Some(*i as f64)),
                            Cell::Number(v) => Ok(v.is_finite().then_some(*v)),
                            Cell::Text(_) => Err(bad(r)),
                        })
                        .collect::<Result<_, _>>()?,
                ),
            };
            out.push(ParquetColumn {
                name: column.name.clone(),
                nullable: true,
                values,
            });
        }
        Ok(out)
    }

    /// The table as the bytes of a Parquet file ([`Table::parquet_columns`]), each column's
    /// unit in the file's metadata (`regis.unit.<column>`), with `about` under `regis.about`.
    ///
    /// ```
    /// use regis_app::table::{Cell, Column, Table};
    /// let mut t = Table::new(vec![Column::text("region"), Column::rounded("sales", "million KRW", 2)]);
    /// t.push(vec![Cell::text("11"), Cell::Number(0.1 + 0.2)]);
    /// t.push(vec![Cell::text("21"), Cell::Empty]);
    /// let bytes = t.to_parquet("synthetic").unwrap();
    /// let back = regis_data::parquet_io::read(&bytes, "t.parquet", &Default::default()).unwrap();
    /// assert_eq!(back.rows[0].cells, ["11", "0.30000000000000004"]);
    /// assert_eq!(back.rows[1].cells, ["21", ""]);
    /// let about = regis_data::parquet_io::key_value_metadata(&bytes).unwrap();
    /// assert!(about.contains(&("regis.unit.sales".into(), "million KRW".into())));
    /// assert!(about.contains(&("regis.about".into(), "synthetic".into())));
    /// ```
    pub fn to_parquet(&self, about: &str) -> Result<Vec<u8>, regis_data::DataError> {
        let mut metadata: Vec<(String, String)> = self
            .columns
            .iter()
            .filter(|c| !c.unit.is_empty())
            .map(|c| (format!("regis.unit.{}", c.name), c.unit.clone()))
            .collect();
        if !about.is_empty() {
            metadata.push(("regis.about".into(), about.into()));
        }
        regis_data::parquet_io::write_columns(&self.parquet_columns()?, &metadata)
    }

    /// Every row as text cells for `reader`.
    ///
    /// ```
    /// use regis_app::table::{Cell, Column, Reader, Table};
    /// let mut t = Table::new(vec![Column::integer("period"), Column::rounded("gini", "index", 4)]);
    /// t.push(vec![Cell::int(2020), Cell::Number(0.123456)]);
    /// assert_eq!(t.text_rows(Reader::People), vec![vec!["2020".to_string(), "0.1235".into()]]);
    /// ```
    pub fn text_rows(&self, reader: Reader) -> Vec<Vec<String>> {
        (0..self.rows.len())
            .map(|r| {
                (0..self.columns.len())
                    .map(|c| self.cell_text(r, c, reader))
                    .collect()
            })
            .collect()
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Empty => s.serialize_none(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Integer(i) => s.serialize_i64(*i),
            Cell::Number(x) if x.is_finite() => s.serialize_f64(*x),
            Cell::Number(_) => s.serialize_none(),
        }
    }
}

/// A table is written as an array of objects, one per row, keyed by column name.
impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Row<'a>(&'a [Column], &'a [Cell]);
        impl Serialize for Row<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (c, v) in self.0.iter().zip(self.1) {
                    m.serialize_entry(&c.name, v)?;
                }
                m.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for r in &self.rows {
            seq.serialize_element(&Row(&self.columns, r))?;
        }
        seq.end()
    }
}

/// A report that reads as one table: every format writer renders it through this.
pub trait Tabular: Serialize {
    /// The table people and spreadsheets read.
    fn table(&self) -> Table;
    /// Further tables printed after the first (a report with several parts).
    fn more_tables(&self) -> Vec<Table> {
        Vec::new()
    }
    /// A line for people under the table (measure, period, method, caveats).
    fn note(&self) -> String {
        String::new()
    }
    /// Notes on the request as a whole (regions not carried to a vintage...).
    fn warnings(&self) -> &[String] {
        &[]
    }
}

/// A number written with thousands separators in its whole part (`-1234567.5` is
/// `-1,234,567.5`); anything else (`NaN`, `1e300`) as it is.
///
/// ```
/// assert_eq!(regis_app::table::grouped("-1234567.5"), "-1,234,567.5");
/// assert_eq!(regis_app::table::grouped("999.25"), "999.25");
/// ```
pub fn grouped(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", number),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.len() <= 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}
