//! Input-output tables kept in the store: several tables (years, regions, product-by-product
//! or industry-by-industry) under ids, each one JSON file `io/{id}.json` in the store
//! directory holding the table as `regis io` read it (every check of
//! [`crate::io_system::read_io_system`] passed) and its description. Writes are atomic, so a
//! failed import leaves what was stored before untouched; only ids spelled like measure ids
//! (`[a-z][a-z0-9_]{0,63}`) reach the disk.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{DataError, ErrorKind, Result};
use crate::io_system::IoSystem;
use crate::store::is_measure_id;

/// What a stored table is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IoTableInfo {
    /// Its id.
    pub id: String,
    /// Year of the table, when given.
    pub year: Option<i32>,
    /// Region (or country) of the table, when given.
    pub region: Option<String>,
    /// `product-by-product` or `industry-by-industry`.
    pub kind: String,
    /// Sectors.
    pub sectors: usize,
    /// The files it was imported from (names only, for the record).
    pub source: String,
}

impl IoTableInfo {
    /// A description to store: sectors and source are filled in by the import.
    pub fn new(id: String, year: Option<i32>, region: Option<String>, kind: String) -> Self {
        IoTableInfo {
            id,
            year,
            region,
            kind,
            sectors: 0,
            source: String::new(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    info: IoTableInfo,
    sectors: Vec<String>,
    flows: Vec<f64>,
    output: Vec<f64>,
    fields: Vec<(String, Vec<f64>)>,
    regions: Vec<String>,
}

/// The kinds of table a user may declare.
pub const KINDS: [&str; 2] = ["product-by-product", "industry-by-industry"];

fn path_of(store: &Path, id: &str) -> Result<PathBuf> {
    if !is_measure_id(id) {
        return Err(DataError::argument(format!(
            "invalid table id `{}`: expected lowercase letters, digits and _, starting with a letter (e.g. kr2020)",
            id.chars().take(40).collect::<String>()
        )));
    }
    Ok(store.join("io").join(format!("{id}.json")))
}

/// Stores `table` under `info.id`, replacing a previous version atomically.
pub fn put(store: &Path, table: &IoSystem, info: &IoTableInfo) -> Result<()> {
    let path = path_of(store, &info.id)?;
    if !KINDS.contains(&info.kind.as_str()) {
        return Err(DataError::argument(format!(
            "unknown table kind `{}`: expected {}",
            info.kind.chars().take(40).collect::<String>(),
            KINDS.join(" or ")
        )));
    }
    let stored = Stored {
        info: info.clone(),
        sectors: table.sectors.clone(),
        flows: table.flows.clone(),
        output: table.output.clone(),
        fields: table
            .fields
            .iter()
            .map(|(f, v)| (f.to_string(), v.clone()))
            .collect(),
        regions: table.regions.clone(),
    };
    let bytes = serde_json::to_vec(&stored)
        .map_err(|e| DataError::file(ErrorKind::Io, &path, e.to_string()))?;
    crate::atomic::write_atomic(&path, &bytes)
}

/// The table stored under `id`, with its description.
pub fn get(store: &Path, id: &str) -> Result<(IoSystem, IoTableInfo)> {
    let path = path_of(store, id)?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            DataError::argument(format!(
                "no input-output table `{id}` in the store (regis io tables lists them; regis io import adds one)"
            ))
        } else {
            DataError::file(ErrorKind::Io, &path, e.to_string())
        }
    })?;
    let s: Stored = serde_json::from_str(&text).map_err(|e| {
        DataError::file(
            ErrorKind::UnsupportedFormat,
            &path,
            format!("damaged stored table: {e}"),
        )
    })?;
    let known = crate::io_system::SECTOR_FIELDS;
    let fields = s
        .fields
        .into_iter()
        .filter_map(|(f, v)| known.iter().find(|k| **k == f).map(|k| (*k, v)))
        .collect();
    let n = s.sectors.len();
    if s.flows.len() != n * n || s.output.len() != n {
        return Err(DataError::file(
            ErrorKind::UnsupportedFormat,
            &path,
            "damaged stored table: sizes do not agree",
        ));
    }
    Ok((
        IoSystem {
            sectors: s.sectors,
            flows: s.flows,
            output: s.output,
            fields,
            regions: s.regions,
        },
        s.info,
    ))
}

/// The stored tables, by id.
pub fn list(store: &Path) -> Result<Vec<IoTableInfo>> {
    let dir = store.join("io");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(id) = name.strip_suffix(".json").filter(|id| is_measure_id(id)) {
            out.push(get(store, id)?.1);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
