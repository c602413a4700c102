//! The data layer's error: always names the file, and where known the line, column and value,
//! and says what was expected.

use std::fmt;
use std::path::Path;

/// What went wrong, for programs (tests, exit codes) to tell failures apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// Bytes are not text in the declared or detected encoding.
    Encoding,
    /// The file is empty or has a header and no data.
    Empty,
    /// The file ends in the middle of a record (a quote never closed, a short last row).
    Truncated,
    /// A row has a different number of fields than the header.
    RaggedRow,
    /// A mapped column is not in the header.
    MissingColumn,
    /// A cell that must be a number is not.
    NotNumeric,
    /// A cell that must be a period (year) is not.
    BadPeriod,
    /// A negative value for a measure that cannot be negative (counts, people).
    Negative,
    /// The same region x industry x period (or origin x destination x period) twice.
    Duplicate,
    /// A region code or name that no code system knows.
    UnknownRegion,
    /// A code that names different regions in different code systems.
    AmbiguousRegion,
    /// An industry code unknown in the classification.
    UnknownIndustry,
    /// A tie names an actor the actors file does not list.
    UnknownActor,
    /// A tie from an actor to itself.
    SelfTie,
    /// More than one unit in one file (e.g. 백만원 and 천원).
    MixedUnits,
    /// An unmapped column has several values, so rows would collide.
    UnresolvedDimension,
    /// A flag or argument is invalid (unknown measure, unknown encoding, bad layout).
    InvalidArgument,
    /// The file format is not one Regis reads (or the extension does not match the content).
    UnsupportedFormat,
    /// A measure that does not add up was asked to be summed.
    NotAdditive,
    /// The file goes past a reading budget (decompressed size, sheet area, cell length, rows,
    /// columns, nesting); see [`crate::budget::Budgets`].
    OverBudget,
    /// Two columns of the header have the same name.
    DuplicateColumn,
    /// A matrix that must be square (input-output flows) is not.
    NotSquare,
    /// An input-output table whose rows or columns do not add up to output.
    Unbalanced,
}

impl ErrorKind {
    /// A stable short name, printed in messages and usable by scripts.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Empty => "empty",
            ErrorKind::Truncated => "truncated",
            ErrorKind::RaggedRow => "ragged-row",
            ErrorKind::MissingColumn => "missing-column",
            ErrorKind::NotNumeric => "not-numeric",
            ErrorKind::BadPeriod => "bad-period",
            ErrorKind::Negative => "negative",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::UnknownRegion => "unknown-region",
            ErrorKind::AmbiguousRegion => "ambiguous-region",
            ErrorKind::UnknownIndustry => "unknown-industry",
            ErrorKind::UnknownActor => "unknown-actor",
            ErrorKind::SelfTie => "self-tie",
            ErrorKind::MixedUnits => "mixed-units",
            ErrorKind::UnresolvedDimension => "unresolved-dimension",
            ErrorKind::InvalidArgument => "invalid-argument",
            ErrorKind::UnsupportedFormat => "unsupported-format",
            ErrorKind::NotAdditive => "not-additive",
            ErrorKind::OverBudget => "over-budget",
            ErrorKind::DuplicateColumn => "duplicate-column",
            ErrorKind::NotSquare => "not-square",
            ErrorKind::Unbalanced => "unbalanced",
        }
    }
}

/// An error located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// Kind of failure.
    pub kind: ErrorKind,
    /// File name as given by the user (or `<built-in>/...`).
    pub file: String,
    /// 1-based line (CSV) or row (spreadsheet), when known.
    pub line: Option<usize>,
    /// Column name (or letter), when known.
    pub column: Option<Box<str>>,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// What was expected, or what to do.
    pub expected: String,
    /// Flags whose addition would get further (`("filter", "연령별=계")`: a repeatable flag
    /// added once more); the CLI prints the whole command with them. Boxed: errors stay small.
    pub add_flags: Option<Box<AddFlags>>,
}

/// The flags an error proposes to add, as (flag without `--`, value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddFlags(pub Vec<(String, String)>);

impl DataError {
    /// An error about a whole file.
    pub fn file(kind: ErrorKind, file: impl AsRef<Path>, expected: impl Into<String>) -> Self {
        DataError {
            kind,
            file: file.as_ref().display().to_string(),
            line: None,
            column: None,
            value: None,
            expected: expected.into(),
            add_flags: None,
        }
    }

    /// Sets the line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the column.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into().into_boxed_str());
        self
    }

    /// Sets the value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Proposes adding `--flag value` to the command.
    pub fn adding(mut self, flag: &str, value: impl Into<String>) -> Self {
        self.add_flags
            .get_or_insert_with(Default::default)
            .0
            .push((flag.to_string(), value.into()));
        self
    }

    /// An error not tied to a file (bad flag).
    pub fn argument(expected: impl Into<String>) -> Self {
        DataError::file(ErrorKind::InvalidArgument, "<arguments>", expected)
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ": column `{c}`")?;
        }
        if let Some(v) = &self.value {
            write!(f, ": value `{v}`")?;
        }
        write!(f, ": [{}] {}", self.kind.name(), self.expected)
    }
}

impl std::error::Error for DataError {}

/// Result alias of the data layer.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
