//! "What can I ask about?": the industries of a classification and the region groups, as
//! tables (behind `regis industries` and `regis groups`).

use regis_data::{korea, DataError};

use crate::table::{Cell, Column, Table};
use crate::Result;

/// The industries of a classification (by id), at one depth or all: code, depth, parent,
/// Korean and English names.
pub fn industries(classification: &str, depth: Option<u8>) -> Result<Table> {
    let c = korea::classification(classification).ok_or_else(|| {
        DataError::argument(format!(
            "unknown classification `{}`; known: {}",
            crate::error::shown(classification),
            korea::classifications()
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let mut t = Table::new(vec![
        Column::text("code"),
        Column::integer("depth"),
        Column::text("parent"),
        Column::text("name_ko"),
        Column::text("name_en"),
    ]);
    for i in c
        .industries()
        .iter()
        .filter(|i| depth.is_none_or(|d| i.level == d))
    {
        t.push(vec![
            Cell::text(&i.code),
            Cell::int(i.level),
            Cell::text(i.parent.clone().unwrap_or_default()),
            Cell::text(&i.name_ko),
            Cell::text(&i.name_en),
        ]);
    }
    Ok(t)
}

/// The region groups of the built-in catalog: id, names and the SGIS codes of the members.
pub fn groups() -> Table {
    let cat = korea::catalog();
    let mut t = Table::new(vec![
        Column::text("id"),
        Column::text("name_ko"),
        Column::text("name_en"),
        Column::text("members"),
    ]);
    for g in cat.groups() {
        let members: Vec<&str> = g
            .members
            .iter()
            .map(|m| cat.region(*m).code.as_str())
            .collect();
        t.push(vec![
            Cell::text(&g.id),
            Cell::text(&g.name_ko),
            Cell::text(&g.name_en),
            Cell::text(members.join(" ")),
        ]);
    }
    t
}
