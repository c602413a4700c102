//! The columns of an import: each role (region, industry, period, value, unit) found by the
//! name given or by the usual names, with suggestions when a name is not in the header; what a
//! period cell should have been.

use std::collections::HashSet;

use regis_core::{suggest, Classification, Period};

use crate::error::{DataError, ErrorKind, Result};
use crate::table::Rows;

pub(super) fn role(
    t: &dyn Rows,
    used: &mut HashSet<usize>,
    role_name: &str,
    name: &Option<String>,
    guesses: &[&str],
) -> Result<Option<usize>> {
    let c = match name {
        Some(n) => Some(find_col(t, role_name, n)?),
        None => guesses
            .iter()
            .find_map(|g| t.column(g))
            .filter(|c| !used.contains(c)),
    };
    if let Some(c) = c {
        used.insert(c);
    }
    Ok(c)
}

pub(super) fn find_col(t: &dyn Rows, role: &str, name: &str) -> Result<usize> {
    t.column(name).ok_or_else(|| {
        let near = suggest::closest(name, t.header().iter().map(|s| s.as_str()), 3);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", near.join(", "))
        };
        DataError::file(
            ErrorKind::MissingColumn,
            t.file(),
            format!(
                "the {role} column `{name}` is not in the header{hint}; columns are: {}",
                t.header().join(", ")
            ),
        )
        .in_column(name)
    })
}

pub(super) const REGION_GUESSES: &[&str] = &[
    "region",
    "region_code",
    "region_name",
    "sido",
    "sido_name",
    "sido_code",
    "sigungu",
    "adm2_code",
    "adm1_code",
    "행정구역(시도)별",
    "행정구역별",
    "시도별",
    "시군구별",
    "지역",
    "지역별",
    "시도",
    "code",
];

/// Name of the virtual column holding the second header row of a wide KOSIS table.
pub const ITEM: &str = "item";

/// What a period cell should have been; for a month, quarter or day, how to get there.
pub(super) fn period_expected(cell: &str) -> String {
    match Period::sub_annual(cell) {
        Some(kind) => format!(
            "`{}` is a {kind}, but Regis panels are annual: aggregate to years before importing (sum flows such as output, sales or migration over the year; for stocks such as population or firms take the year-end or the annual average), then import a table with one row or column per year",
            cell.trim()
        ),
        None => "expected a year such as 2015".into(),
    }
}

pub(super) fn sublabel(header: &str) -> Option<&str> {
    header.split_once(" / ").map(|(_, l)| l.trim())
}

/// "; did you mean …?" with the codes or Korean names of `classification` nearest to `raw`,
/// or nothing when none is near.
pub(super) fn industry_hint(classification: &Classification, raw: &str) -> String {
    let near = suggest::closest(
        raw,
        classification
            .industries()
            .iter()
            .map(|i| i.code.as_str())
            .chain(
                classification
                    .industries()
                    .iter()
                    .map(|i| i.name_ko.as_str()),
            ),
        3,
    );
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}
