//! "Give me the data": a measure's values for chosen regions, industries and periods, at a level
//! or carried to a boundary vintage, as CSV, JSON, XLSX, Parquet or GeoJSON joined to the
//! built-in boundaries. Behind `regis data export` (the server's downloads share the writers).

use regis_core::{Level, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::export::{ExportTable, Row};
use regis_data::{korea, DataError};

use crate::resolve::{panel_at_level, to_vintage};
use crate::source::{Loaded, Source, Sources};
use crate::Result;

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV (UTF-8).
    Csv,
    /// JSON.
    Json,
    /// An Excel workbook.
    Xlsx,
    /// Apache Parquet.
    Parquet,
    /// GeoJSON: the built-in boundaries with one value each.
    Geojson,
    /// A table for people (the rows, no file).
    Table,
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The measure or file.
    pub source: Source,
    /// Level of the regions.
    pub level: Level,
    /// Periods (empty: all).
    pub periods: Vec<i32>,
    /// Industries (empty: the total when there is one; `all`: every industry).
    pub industries: Vec<String>,
    /// Regions (codes or names; empty: all).
    pub regions: Vec<String>,
    /// Only the regions of this group.
    pub group: Option<String>,
    /// Code system of the region codes written (`sgis`, `mois`; none: each region's own).
    pub codes: Option<String>,
    /// Carry the data to the boundaries of this year.
    pub vintage: Option<i32>,
    /// The format the rows are for (GeoJSON also takes a district's gu).
    pub format: ExportFormat,
}

/// The rows of an export, with what the writers need.
pub struct Export {
    /// The data the rows come from.
    pub loaded: Loaded,
    /// The rows.
    pub rows: Vec<Row>,
    /// Level of the regions.
    pub level: Level,
    /// Code system of the codes written.
    pub code_system: Option<usize>,
    /// Flows rather than regional values.
    pub is_flow: bool,
    /// Regions not carried to a vintage.
    pub warnings: Vec<String>,
}

impl Export {
    /// The table the writers read.
    pub fn table(&self) -> ExportTable<'_> {
        let d = &self.loaded.dataset;
        ExportTable {
            measure: &d.measure,
            rows: self.rows.clone(),
            catalog: &self.loaded.catalog,
            code_system: self.code_system,
            classification: d
                .panels
                .iter()
                .find_map(|lp| lp.panel.classification.as_deref())
                .and_then(korea::classification),
            attribution: &self.loaded.attribution,
            is_flow: self.is_flow,
        }
    }

    /// The export written in `format` (not [`ExportFormat::Table`], which is for people).
    pub fn bytes(&self, format: ExportFormat) -> Result<Vec<u8>> {
        let table = self.table();
        Ok(match format {
            ExportFormat::Csv => table.to_csv().into_bytes(),
            ExportFormat::Json => {
                let mut v = table.to_json();
                v["level"] = serde_json::json!(self.level.name());
                (serde_json::to_string_pretty(&v)
                    .map_err(|e| DataError::argument(e.to_string()))?
                    + "\n")
                    .into_bytes()
            }
            ExportFormat::Xlsx => table.to_xlsx()?,
            ExportFormat::Parquet => table.to_parquet()?,
            ExportFormat::Geojson => {
                geojson(&table, self.level, &self.loaded.catalog)?.into_bytes()
            }
            ExportFormat::Table => {
                return Err(DataError::argument(
                    "--format table is for the terminal; use csv, json, xlsx or geojson with --out",
                )
                .into())
            }
        })
    }
}

/// Answers an [`ExportRequest`]. Regions that did not exist in a period (Sejong before 2012)
/// have no row for it; a panel at a finer level is summed up when it adds up.
pub fn export(sources: &Sources, q: &ExportRequest) -> Result<Export> {
    let level = q.level;
    let loaded = sources.load(&q.source, None)?;
    let cat = &loaded.catalog;
    let d = &loaded.dataset;
    let code_system = match &q.codes {
        Some(s) => Some(cat.system_index(s).ok_or_else(|| {
            DataError::argument(format!(
                "unknown code system `{}`; expected sgis or mois",
                crate::error::shown(s)
            ))
        })?),
        None => None,
    };
    let all_periods = d.periods();
    for p in &q.periods {
        if !all_periods.contains(&Period(*p)) {
            let e = crate::Error::invalid(
                "period-out-of-range",
                format!(
                    "period {p} is not covered: `{}` has {}",
                    d.measure.id,
                    period_list(&all_periods)
                ),
            );
            let nearest = all_periods.iter().min_by_key(|x| (x.0 - p).abs());
            return Err(match (nearest, q.periods.len()) {
                (Some(n), 1) => e.with_fix("period", n.0.to_string()),
                _ => e,
            });
        }
    }
    let periods: Option<Vec<Period>> =
        (!q.periods.is_empty()).then(|| q.periods.iter().map(|p| Period(*p)).collect());
    let mut region_filter: Option<Vec<RegionId>> = None;
    if !q.regions.is_empty() {
        region_filter = Some(
            q.regions
                .iter()
                .map(|n| {
                    // The codes a user gives are read in the system they named: --region-codes,
                    // else the output's --codes.
                    let system = q
                        .source
                        .mapping
                        .region_codes
                        .as_deref()
                        .or(q.codes.as_deref());
                    crate::resolve::region_named_in(cat, n, level, system)
                })
                .collect::<Result<_>>()?,
        );
    }
    if let Some(g) = &q.group {
        let grp = cat
            .group(g)
            .ok_or_else(|| crate::resolve::unknown_group(cat, g, "group"))?;
        let members = grp.members.clone();
        region_filter = Some(match region_filter {
            Some(r) => r.into_iter().filter(|x| members.contains(x)).collect(),
            None => members,
        });
    }
    let classification = d
        .panels
        .iter()
        .find_map(|lp| lp.panel.classification.as_deref())
        .and_then(korea::classification);
    let mut warnings = Vec::new();
    let (rows, is_flow) = if let Some(f) = &d.flows {
        if q.format == ExportFormat::Geojson {
            return Err(DataError::argument(
                "GeoJSON export is for regional measures; flows export as csv, json or xlsx",
            )
            .into());
        }
        (ExportTable::flow_rows(f, periods.as_deref()), true)
    } else {
        let mut panel = panel_at_level(&loaded, level)?;
        if let Some(v) = q.vintage {
            panel = to_vintage(&panel, level, v, cat, &mut warnings)?;
        }
        // A district map shows the non-autonomous gu of large cities (Suwon's four gu) as
        // polygons of their own: GeoJSON at district level carries their rows too.
        let map_level = |l: Level| {
            l == level
                || (q.format == ExportFormat::Geojson
                    && level == Level::DISTRICT
                    && l == Level::SUBDISTRICT)
        };
        let mut regions: Vec<RegionId> = panel
            .regions()
            .iter()
            .copied()
            .filter(|r| map_level(cat.region(*r).level))
            .collect();
        regions.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
        if let Some(f) = &region_filter {
            regions.retain(|r| f.contains(r));
        }
        // Default: the total when the panel has one (so rows add up to the national figure);
        // `all` keeps every industry.
        let all = q.industries.iter().any(|i| i.eq_ignore_ascii_case("all"));
        let industries: Option<Vec<String>> = if all {
            None
        } else if q.industries.is_empty() {
            panel
                .industries()
                .iter()
                .any(|i| i == TOTAL_INDUSTRY)
                .then(|| vec![TOTAL_INDUSTRY.to_string()])
        } else {
            Some(
                q.industries
                    .iter()
                    .map(|i| {
                        classification
                            .and_then(|c| c.find(i))
                            .map(|x| x.code.clone())
                            .unwrap_or_else(|| i.clone())
                    })
                    .collect(),
            )
        };
        if let Some(is) = &industries {
            for i in is {
                if !panel.industries().contains(i) {
                    return Err(crate::matrix::unknown_industry(&panel, i, &d.measure.id));
                }
            }
        }
        // A period the data have at another level only is refused, never an empty table.
        if let Some(ps) = &periods {
            let covered: Vec<Period> = panel
                .periods()
                .iter()
                .copied()
                .filter(|p| {
                    regions.iter().any(|r| {
                        panel
                            .industries()
                            .iter()
                            .any(|i| panel.get(*r, i, *p).is_some())
                    })
                })
                .collect();
            if let Some(p) = ps.iter().find(|p| !covered.contains(p)) {
                let nearest = covered.iter().min_by_key(|c| (c.0 - p.0).abs());
                let e = crate::Error::invalid(
                    "period-not-at-level",
                    format!(
                        "`{}` has no {level} value in {}; at this level it covers {}",
                        d.measure.id,
                        p.0,
                        period_list(&covered)
                    ),
                );
                return Err(match nearest {
                    Some(n) => e.with_fix("period", n.0.to_string()),
                    None => e,
                });
            }
        }
        let mut rows =
            ExportTable::panel_rows(&panel, &regions, industries.as_deref(), periods.as_deref());
        rows.retain(|r| r.value.is_some() || cat.region(r.region).valid_in(r.period.0));
        if rows.is_empty() {
            return Err(crate::Error::invalid(
                "nothing-selected",
                format!(
                    "no {level} row of `{}` matches the regions, industries and periods asked for",
                    d.measure.id
                ),
            ));
        }
        (rows, false)
    };
    Ok(Export {
        loaded,
        rows,
        level,
        code_system,
        is_flow,
        warnings,
    })
}

fn geojson(table: &ExportTable, level: Level, cat: &RegionCatalog) -> Result<String> {
    let (path, text) = match level {
        Level::PROVINCE => korea::PROVINCES_TOPOJSON,
        Level::DISTRICT | Level::SUBDISTRICT => korea::DISTRICTS_TOPOJSON,
        _ => {
            return Err(DataError::argument(
                "GeoJSON boundaries exist for province and district levels",
            )
            .into())
        }
    };
    let mut periods: Vec<Period> = table.rows.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let mut inds: Vec<&str> = table.rows.iter().map(|r| r.industry.as_str()).collect();
    inds.sort();
    inds.dedup();
    if periods.len() != 1 || inds.len() != 1 {
        return Err(DataError::argument(format!(
            "GeoJSON joins one value per region: choose one --period (have {}) and one --industry (have {})",
            periods.len(),
            inds.len()
        ))
        .into());
    }
    let features = regis_data::topojson::decode(text, path)?;
    let sgis = cat.system_index(korea::SGIS);
    let mut out = Vec::new();
    for f in features {
        let code = f
            .properties
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or_default()
            .to_string();
        let region = cat.resolve(&code, sgis, Some(2018), None).ok();
        // A 2018 boundary whose unit has since changed (Incheon Nam-gu, renamed Michuhol-gu
        // in 2018) takes its successor's value.
        let region = region.map(|r| crate::resolve::successor_in(cat, r, periods[0].0));
        // Boundaries are 2018 units; a 2018 district may be a non-autonomous gu whose value
        // sits on its city: take the unit's own value, else nothing.
        let value = region.and_then(|r| {
            table
                .rows
                .iter()
                .find(|row| row.region == r)
                .and_then(|row| row.value)
        });
        let mut props = f.properties.clone();
        props.insert(
            "value".into(),
            value
                .map(|v| serde_json::json!(v))
                .unwrap_or(serde_json::Value::Null),
        );
        props.insert("period".into(), serde_json::json!(periods[0].0));
        props.insert("industry".into(), serde_json::json!(inds[0]));
        props.insert("measure".into(), serde_json::json!(table.measure.id));
        props.insert("unit".into(), serde_json::json!(table.measure.unit));
        out.push(
            serde_json::json!({"type": "Feature", "properties": props, "geometry": f.geometry}),
        );
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "attribution": table.attribution, "features": out});
    Ok(serde_json::to_string(&fc).map_err(|e| DataError::argument(e.to_string()))? + "\n")
}

/// Periods as people read them: runs of consecutive years joined (`1985-2017`, `2010, 2015,
/// 2020`).
///
/// ```
/// use regis_core::Period;
/// let ps: Vec<Period> = [1985, 1986, 1987, 2010, 2015].into_iter().map(Period).collect();
/// assert_eq!(regis_app::export::period_list(&ps), "1985-1987, 2010, 2015");
/// ```
pub fn period_list(periods: &[Period]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for p in periods {
        match runs.last_mut() {
            Some(r) if r.1 + 1 == p.0 => r.1 = p.0,
            _ => runs.push((p.0, p.0)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
