//! The one tabular representation of a report: typed columns that carry their unit. Every
//! format writer (the CLI's aligned table and CSV, the server's HTML tables and downloads) reads
//! a [`Table`]; none is built by hand per command.

/// The cells of one column, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// Text (codes, names, labels).
    Text(Vec<String>),
    /// Whole numbers (periods, counts, ranks); `None` is an empty cell.
    Integer(Vec<Option<i64>>),
    /// Real numbers; `None` is an empty cell (missing or undefined, never zero). `digits` is
    /// how many decimals a table for people shows; machine formats write every digit.
    Number {
        /// The values.
        values: Vec<Option<f64>>,
        /// Decimals shown to people.
        digits: usize,
    },
}

impl Cells {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match self {
            Cells::Text(v) => v.len(),
            Cells::Integer(v) => v.len(),
            Cells::Number { values, .. } => values.len(),
        }
    }

    /// Whether the column has no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One column: a stable name (the JSON field and CSV header), its unit, and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable name (`gini`, `lq`, `period`).
    pub name: String,
    /// Unit of the values (`백만원`, `index`, `share`); empty for codes, names and counts.
    pub unit: String,
    /// The cells.
    pub cells: Cells,
}

impl Column {
    /// A text column.
    pub fn text(name: &str, cells: Vec<String>) -> Column {
        Column {
            name: name.into(),
            unit: String::new(),
            cells: Cells::Text(cells),
        }
    }

    /// A whole-number column.
    pub fn integer(name: &str, cells: Vec<Option<i64>>) -> Column {
        Column {
            name: name.into(),
            unit: String::new(),
            cells: Cells::Integer(cells),
        }
    }

    /// A real-number column in `unit`, shown to people with `digits` decimals.
    pub fn number(name: &str, unit: &str, digits: usize, values: Vec<Option<f64>>) -> Column {
        Column {
            name: name.into(),
            unit: unit.into(),
            cells: Cells::Number { values, digits },
        }
    }

    /// Cell `row` as text: numbers with `digits` decimals when given, else the column's own.
    pub fn cell_text(&self, row: usize, digits: Option<usize>) -> String {
        match &self.cells {
            Cells::Text(v) => v[row].clone(),
            Cells::Integer(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Cells::Number { values, digits: d } => {
                let d = digits.unwrap_or(*d);
                values[row].map(|x| format!("{x:.d$}")).unwrap_or_default()
            }
        }
    }
}

/// A table: columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns, in display order.
    pub columns: Vec<Column>,
}

impl Table {
    /// A table of `columns`; panics in debug builds when their lengths differ (a bug of the
    /// report that built it, not of the data).
    pub fn new(columns: Vec<Column>) -> Table {
        debug_assert!(columns
            .windows(2)
            .all(|w| w[0].cells.len() == w[1].cells.len()));
        Table { columns }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map(|c| c.cells.len()).unwrap_or(0)
    }

    /// Column names.
    pub fn header(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Every row as text cells, numbers with `digits` decimals when given, else each column's
    /// own (people's) precision.
    ///
    /// ```
    /// use regis_app::table::{Column, Table};
    /// let t = Table::new(vec![
    ///     Column::integer("period", vec![Some(2020)]),
    ///     Column::number("gini", "index", 4, vec![Some(0.123456)]),
    /// ]);
    /// assert_eq!(t.text_rows(None), vec![vec!["2020".to_string(), "0.1235".into()]]);
    /// ```
    pub fn text_rows(&self, digits: Option<usize>) -> Vec<Vec<String>> {
        (0..self.rows())
            .map(|r| {
                self.columns
                    .iter()
                    .map(|c| c.cell_text(r, digits))
                    .collect()
            })
            .collect()
    }
}
