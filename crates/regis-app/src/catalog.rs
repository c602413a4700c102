//! "What can I ask about?": the regions, the industries of a classification and the region
//! groups, as tables (behind `regis regions`, `regis industries` and `regis groups`).

use regis_core::{Level, RegionId};
use regis_data::{korea, DataError};

use crate::table::{Cell, Column, Table};
use crate::{Lang, Result};

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

/// What a code or name means in each code system (SGIS, MOIS) and as a name, in `year`.
pub fn find_region(text: &str, year: Option<i32>) -> Table {
    let cat = korea::catalog();
    let mut t = Table::new(
        ["as", "sgis_code", "name_ko", "name_en", "level", "note"]
            .map(Column::text)
            .to_vec(),
    );
    for (system, as_) in [
        (cat.system_index(korea::SGIS), "sgis"),
        (cat.system_index(korea::MOIS), "mois"),
        (None, "name"),
    ] {
        let row = match cat.resolve(text, system, year, None) {
            Ok(r) => {
                let reg = cat.region(r);
                [
                    as_,
                    &reg.code,
                    &reg.name_ko,
                    &reg.name_en,
                    &reg.level.name(),
                    "",
                ]
                .map(Cell::text)
            }
            Err(e) => {
                let note = match e {
                    regis_core::region::ResolveError::Ambiguous { candidates, .. } => format!(
                        "ambiguous: {} regions (the rows above); --region-codes sgis|mois says which",
                        candidates.len()
                    ),
                    regis_core::region::ResolveError::Unknown { suggestions, .. }
                        if !suggestions.is_empty() =>
                    {
                        format!("not found; did you mean {}?", suggestions.join(", "))
                    }
                    _ => "not found".to_string(),
                };
                [as_, "", "", "", "", &note].map(Cell::text)
            }
        };
        t.push(row.to_vec());
    }
    t
}

/// A year span written `from-to` (empty ends for "since the start" and "still valid").
fn span(from: i32, to: i32) -> (String, String) {
    let to = if to == i32::MAX {
        String::new()
    } else {
        to.to_string()
    };
    let from = if from <= korea::FIRST_YEAR {
        String::new()
    } else {
        from.to_string()
    };
    (from, to)
}

/// The regions of a level (in `year`, of a group): codes, names, parent, validity and every
/// SGIS and MOIS code each had.
pub fn regions(level: Level, year: Option<i32>, group: Option<&str>, lang: Lang) -> Result<Table> {
    let cat = korea::catalog();
    let mut ids = cat.at_level(level, year);
    if let Some(g) = group {
        let grp = cat.group(g).ok_or_else(|| {
            DataError::argument(format!("unknown group `{}`", crate::error::shown(g)))
        })?;
        ids.retain(|r| grp.members.contains(r));
    }
    let codes = |r: RegionId, system: Option<usize>| {
        let mut v: Vec<String> = cat
            .codes_of(r)
            .filter(|c| Some(c.system) == system)
            .map(|c| match span(c.from, c.to) {
                (f, t) if f.is_empty() && t.is_empty() => c.code.clone(),
                (f, t) => format!("{}({f}-{t})", c.code),
            })
            .collect();
        v.dedup();
        v.join(" ")
    };
    let (sgis, mois) = (cat.system_index(korea::SGIS), cat.system_index(korea::MOIS));
    let mut t = Table::new(
        [
            "code",
            "name_ko",
            "name_en",
            "parent",
            "valid",
            "sgis_codes",
            "mois_codes",
        ]
        .map(Column::text)
        .to_vec(),
    );
    for r in ids {
        let reg = cat.region(r);
        let parent = reg
            .parent
            .map(|p| cat.region(p).name(lang.code()).to_string())
            .unwrap_or_default();
        let (from, to) = span(reg.valid_from, reg.valid_to);
        t.push(vec![
            Cell::text(&reg.code),
            Cell::text(&reg.name_ko),
            Cell::text(&reg.name_en),
            Cell::text(parent),
            Cell::text(format!("{from}-{to}")),
            Cell::text(codes(r, sgis)),
            Cell::text(codes(r, mois)),
        ]);
    }
    Ok(t)
}
