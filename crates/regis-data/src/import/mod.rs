//! Importing a user's table (long or wide layout) into a panel or a flow matrix, with every
//! cell validated against the measure and every region resolved against the code systems.
//!
//! Layouts:
//! * **long**: one row per observation; `--period-col` and `--value-col` name the columns.
//! * **wide**: periods as column headers (`2015`, `2015 년`), as KOSIS exports them; the value
//!   is the cell under the period header.
//!
//! Columns a measure does not need may be left out: without an industry column the panel has
//! the single industry `_T` (total); without a period column, `--period` gives a constant.
//! An unmapped column with several values (KOSIS's `항목` with nominal and real prices) must be
//! fixed with `--filter column=value`, otherwise rows would silently collide.
//!
//! `columns.rs` finds the columns of each role; `duplicates.rs` reports a key met twice.

use std::collections::{HashMap, HashSet};

use regis_core::{
    Classification, FlowMatrix, Level, Measure, MeasureKind, Panel, Period, Region, RegionCatalog,
    RegionId, ResolveError, TOTAL_INDUSTRY,
};

use crate::error::{DataError, ErrorKind, Result};
use crate::table::{is_missing_marker, parse_number_in, Row, Rows, Table};

mod columns;
mod duplicates;

pub use columns::ITEM;
use columns::{find_col, industry_hint, period_expected, role, sublabel, REGION_GUESSES};
use duplicates::{duplicate_error, Observation};

/// Which column plays which role. Names are matched exactly, then ignoring case and spaces.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// Region code or name column.
    pub region: Option<String>,
    /// Industry code or name column.
    pub industry: Option<String>,
    /// Period (year) column; None for a wide layout or a constant `period`.
    pub period: Option<String>,
    /// Value column (long layout).
    pub value: Option<String>,
    /// Origin column (flows).
    pub origin: Option<String>,
    /// Destination column (flows).
    pub dest: Option<String>,
    /// Unit column; detected (`unit`, `단위`) when not given.
    pub unit: Option<String>,
}

/// Everything the importer needs besides the table.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Column roles.
    pub columns: ColumnMap,
    /// The measure the values are (its additivity and sign rules are enforced).
    pub measure: Measure,
    /// Code system of region codes (`sgis`, `mois`); None accepts any when unambiguous.
    pub region_system: Option<String>,
    /// Level of the regions, if known (helps names such as 세종특별자치시, both a province and
    /// a district).
    pub level: Option<Level>,
    /// Keep only rows where column == value.
    pub filters: Vec<(String, String)>,
    /// Period for every row when the file has no period column.
    pub period: Option<Period>,
    /// Industry classification the industry column must belong to; None accepts any codes.
    pub classification: Option<&'static Classification>,
    /// Regions unknown to the catalog are added as new regions instead of rejected (for
    /// countries other than Korea).
    pub allow_new_regions: bool,
}

/// What an import produced.
#[derive(Debug, Clone)]
pub enum Imported {
    /// Regional values.
    Panel(Panel),
    /// Origin-destination flows.
    Flows(FlowMatrix),
}

/// Summary of an import.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The data.
    pub data: Imported,
    /// The catalog the region ids refer to (the input catalog, plus new regions if allowed).
    pub catalog: RegionCatalog,
    /// Data rows read.
    pub rows: usize,
    /// Rows dropped by filters.
    pub filtered_out: usize,
    /// Cells stored.
    pub cells: usize,
    /// Cells that are missing (empty, `-`, `NA`...).
    pub missing: usize,
    /// `long` or `wide`.
    pub layout: &'static str,
    /// Unit found in the file, if any.
    pub unit: Option<String>,
    /// Notes for the user (regions added, markers read as missing).
    pub notes: Vec<String>,
    /// The file's title line, if any (a KOSIS download names its table and unit there).
    pub title: Option<String>,
}

/// Imports a table.
pub fn import(
    table: &Table,
    catalog: &RegionCatalog,
    opts: &ImportOptions,
) -> Result<ImportReport> {
    import_rows(table, catalog, opts)
}

/// [`import`] over any [`Rows`]: a table in memory or a CSV file streamed from disk (scanned
/// once to detect the industry classification when none is named, once to read the values,
/// and once more only to quote the rows of a duplicate).
pub fn import_rows(
    table: &dyn Rows,
    catalog: &RegionCatalog,
    opts: &ImportOptions,
) -> Result<ImportReport> {
    let t = table;
    let file = t.file().to_string();
    let header: Vec<String> = t.header().to_vec();
    let flows = opts.measure.kind == MeasureKind::Flow
        || opts.columns.origin.is_some()
        || opts.columns.dest.is_some();
    let mut used: HashSet<usize> = HashSet::new();
    let (region_col, origin_col, dest_col) = if flows {
        let o = role(
            t,
            &mut used,
            "origin",
            &opts.columns.origin,
            &["origin", "orig", "from", "출발지"],
        )?;
        let d = role(
            t,
            &mut used,
            "destination",
            &opts.columns.dest,
            &["destination", "dest", "to", "도착지"],
        )?;
        let (Some(o), Some(d)) = (o, d) else {
            return Err(DataError::file(ErrorKind::MissingColumn, &file, "a flow measure needs an origin and a destination column: give --origin-col and --dest-col"));
        };
        (None, Some(o), Some(d))
    } else {
        let r = role(t, &mut used, "region", &opts.columns.region, REGION_GUESSES)?;
        let Some(r) = r else {
            return Err(DataError::file(
                ErrorKind::MissingColumn,
                &file,
                format!(
                    "no region column found: give --region-col (columns are: {})",
                    header.join(", ")
                ),
            ));
        };
        (Some(r), None, None)
    };
    let industry_col = role(t, &mut used, "industry", &opts.columns.industry, &[])?;
    let period_col = if opts.period.is_some() && opts.columns.period.is_none() {
        None
    } else {
        role(
            t,
            &mut used,
            "period",
            &opts.columns.period,
            &["year", "period", "연도", "년도", "시점", "기간"],
        )?
    };
    let unit_col = role(
        t,
        &mut used,
        "unit",
        &opts.columns.unit,
        &["unit", "단위", "units"],
    )?;
    // A filter on `item` (or 항목) that is not a column selects among wide columns whose
    // header has a second row (KOSIS: `2015 년 / 당해년가격`).
    let has_sublabels = header
        .iter()
        .any(|h| Period::parse(h).is_some() && h.contains(" / "));
    let is_item_filter =
        |c: &str| has_sublabels && t.column(c).is_none() && (c == ITEM || c == "항목");
    let item_filter: Option<String> = opts
        .filters
        .iter()
        .find(|(c, _)| is_item_filter(c))
        .map(|(_, v)| v.clone());
    let filter_cols: Vec<(usize, String)> = opts
        .filters
        .iter()
        .filter(|(c, _)| !is_item_filter(c))
        .map(|(c, v)| Ok((find_col(t, "filter", c)?, v.clone())))
        .collect::<Result<_>>()?;
    for (c, _) in &filter_cols {
        used.insert(*c);
    }
    // Layout.
    let wide_cols: Vec<(usize, Period)> = if period_col.is_none() && opts.columns.value.is_none() {
        header
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .filter_map(|(i, h)| Period::parse(h).map(|p| (i, p)))
            .filter(|(i, _)| match &item_filter {
                Some(v) => sublabel(&header[*i]) == Some(v.trim()),
                None => true,
            })
            .collect()
    } else {
        Vec::new()
    };
    if period_col.is_none() && opts.columns.value.is_none() {
        if let Some((i, h)) = header
            .iter()
            .enumerate()
            .find(|(i, h)| !used.contains(i) && Period::sub_annual(h).is_some())
        {
            return Err(
                DataError::file(ErrorKind::BadPeriod, &file, period_expected(h))
                    .in_column(&header[i])
                    .with_value(h),
            );
        }
    }
    let wide = !wide_cols.is_empty();
    let value_col = if wide {
        None
    } else {
        let v = role(
            t,
            &mut used,
            "value",
            &opts.columns.value,
            &["value", "values", "값", "flow", "데이터"],
        )?;
        if v.is_none() {
            return Err(DataError::file(
                ErrorKind::MissingColumn,
                &file,
                format!("no value column: give --value-col, or use a wide layout with years as column headers (columns are: {})", header.join(", ")),
            ));
        }
        v
    };
    if !wide && period_col.is_none() && opts.period.is_none() {
        return Err(DataError::file(
            ErrorKind::MissingColumn,
            &file,
            format!("no period: give --period-col, --input-period YEAR for a single-period file, or years as column headers (columns are: {})", header.join(", ")),
        ));
    }
    for (i, _) in &wide_cols {
        used.insert(*i);
    }
    let extra_cols: Vec<usize> = (0..header.len()).filter(|i| !used.contains(i)).collect();

    let system = match &opts.region_system {
        Some(s) => Some(catalog.system_index(s).ok_or_else(|| {
            DataError::argument(format!(
                "unknown code system `{s}`; known: {}",
                catalog
                    .systems()
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };

    // Industry codes: validated against the classification named, or else against the one
    // known classification that holds every code of the file.
    let mut classification = opts.classification;
    let mut notes = t.notes();
    if let (Some(c), None) = (industry_col, classification) {
        let mut distinct: Vec<String> = Vec::new();
        let mut seen_codes: HashSet<String> = HashSet::new();
        t.scan(&mut |_, row| {
            let code = row.cells[c].trim();
            if filter_cols
                .iter()
                .all(|(fc, v)| row.cells[*fc].trim() == v.trim())
                && !seen_codes.contains(code)
            {
                seen_codes.insert(code.to_string());
                distinct.push(code.to_string());
            }
            Ok(true)
        })?;
        let scored: Vec<(&'static Classification, usize)> = crate::korea::classifications()
            .iter()
            .map(|cl| (cl, distinct.iter().filter(|d| cl.find(d).is_some()).count()))
            .collect();
        let full: Vec<&'static Classification> = scored
            .iter()
            .filter(|(_, n)| *n == distinct.len())
            .map(|(c, _)| *c)
            .collect();
        if full.len() == 1 {
            classification = Some(full[0]);
            notes.push(format!(
                "industry codes matched classification `{}`",
                full[0].id
            ));
        } else if full.len() > 1 {
            notes.push(format!(
                "industry codes fit several classifications ({}); name one with --classification to validate them",
                full.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
            ));
        } else if let Some((best, n)) = scored.iter().max_by_key(|(_, n)| *n) {
            if *n >= 2 && *n * 2 >= distinct.len() {
                let mut unmatched: Option<Row> = None;
                t.scan(&mut |_, r| {
                    if filter_cols
                        .iter()
                        .all(|(fc, v)| r.cells[*fc].trim() == v.trim())
                        && best.find(r.cells[c].trim()).is_none()
                    {
                        unmatched = Some(r.clone());
                        return Ok(false);
                    }
                    Ok(true)
                })?;
                let row = unmatched.expect("an unmatched code exists");
                let raw = row.cells[c].trim();
                let hint = industry_hint(best, raw);
                return Err(DataError::file(
                    ErrorKind::UnknownIndustry,
                    &file,
                    format!(
                        "not in classification `{}`, which holds {n} of the {} industry codes of this file{hint} (use --classification to name another, or fix the code)",
                        best.id,
                        distinct.len()
                    ),
                )
                .at_line(row.line)
                .in_column(&header[c])
                .with_value(raw));
            }
        }
    }
    let mut cat = catalog.clone();
    let mut new_regions: HashMap<String, RegionId> = HashMap::new();
    let mut resolve_cache: HashMap<(String, Option<i32>), RegionId> = HashMap::new();
    let mut unit: Option<(String, usize)> = None;
    let mut rows = 0;
    let mut filtered_out = 0;
    let mut missing = 0;
    let mut markers: HashSet<String> = HashSet::new();
    // Industries interned in order of first appearance; regions in order of first appearance.
    let mut industry_ids: HashMap<String, u32> = HashMap::new();
    let mut industries: Vec<String> = Vec::new();
    let mut region_order: Vec<RegionId> = Vec::new();
    let mut region_seen: HashSet<RegionId> = HashSet::new();
    let mut observations: Vec<Observation> = Vec::new();

    t.scan(&mut |ri, row| {
        rows += 1;
        if filter_cols
            .iter()
            .any(|(c, v)| row.cells[*c].trim() != v.trim())
        {
            filtered_out += 1;
            return Ok(true);
        }
        if let Some(uc) = unit_col {
            let u = row.cells[uc].trim();
            if !u.is_empty() {
                match &unit {
                    None => unit = Some((u.to_string(), row.line)),
                    Some((first, first_line)) if first != u => {
                        return Err(DataError::file(
                            ErrorKind::MixedUnits,
                            &file,
                            format!("mixed units: line {first_line} is in `{first}`, this row in `{u}`; split the file by unit or convert first"),
                        )
                        .at_line(row.line)
                        .in_column(&header[uc])
                        .with_value(u));
                    }
                    _ => {}
                }
            }
        }
        let industry_code = match industry_col {
            Some(c) => {
                let raw = row.cells[c].trim();
                match classification {
                    Some(cl) => match cl.find(raw) {
                        Some(i) => i.code.clone(),
                        None => {
                            let hint = industry_hint(cl, raw);
                            return Err(DataError::file(
                                ErrorKind::UnknownIndustry,
                                &file,
                                format!("not a code or name of classification `{}`{hint}", cl.id),
                            )
                            .at_line(row.line)
                            .in_column(&header[c])
                            .with_value(raw));
                        }
                    },
                    None => {
                        if raw.is_empty() {
                            return Err(DataError::file(
                                ErrorKind::UnknownIndustry,
                                &file,
                                "empty industry code",
                            )
                            .at_line(row.line)
                            .in_column(&header[c]));
                        }
                        raw.to_string()
                    }
                }
            }
            None => TOTAL_INDUSTRY.to_string(),
        };
        let industry = match industry_ids.get(&industry_code) {
            Some(&i) => i,
            None => {
                let i = industries.len() as u32;
                industry_ids.insert(industry_code.clone(), i);
                industries.push(industry_code);
                i
            }
        };
        let fixed_period = match period_col {
            Some(c) => Some(Period::parse(&row.cells[c]).ok_or_else(|| {
                DataError::file(ErrorKind::BadPeriod, &file, period_expected(&row.cells[c]))
                    .at_line(row.line)
                    .in_column(&header[c])
                    .with_value(&row.cells[c])
            })?),
            None => opts.period,
        };
        let mut resolve = |c: usize, year: Option<i32>| -> Result<RegionId> {
            let text = row.cells[c].trim().to_string();
            if let Some(id) = resolve_cache.get(&(text.clone(), year)) {
                return Ok(*id);
            }
            // The nation row (전국, Korea) sits beside provinces in most tables: accept it
            // whatever level was named.
            // Another country's regions (or any regions of the user's own): every code is a new
            // region of the file's own code system, never matched to a Korean code (German
            // Land 11 is Berlin, not Seoul).
            let found = if opts.allow_new_regions {
                Err(ResolveError::Unknown {
                    text: text.clone(),
                    suggestions: Vec::new(),
                })
            } else {
                cat.resolve(&text, system, year, opts.level)
                    .or_else(|e| match opts.level {
                        Some(l) if l > Level::NATION => cat
                            .resolve(&text, system, year, Some(Level::NATION))
                            .map_err(|_| e),
                        _ => Err(e),
                    })
            };
            // A name several levels share (세종특별자치시 is a province and a district) is read
            // at the one level every region read so far is at.
            let found = match found {
                Err(ResolveError::Ambiguous { .. }) if opts.level.is_none() => {
                    let mut levels: Vec<Level> = resolve_cache
                        .values()
                        .map(|id| cat.region(*id).level)
                        .filter(|l| *l > Level::NATION)
                        .collect();
                    levels.sort();
                    levels.dedup();
                    match levels.as_slice() {
                        [only] => cat.resolve(&text, system, year, Some(*only)),
                        _ => found,
                    }
                }
                other => other,
            };
            let id = match found {
                Ok(id) => id,
                Err(ResolveError::Unknown { .. }) if opts.allow_new_regions && !text.is_empty() => {
                    *new_regions.entry(text.clone()).or_insert_with(|| {
                        let id = cat.add_region(Region {
                            id: RegionId(0),
                            code: text.clone(),
                            level: opts.level.unwrap_or(Level::PROVINCE),
                            name_ko: text.clone(),
                            name_en: text.clone(),
                            parent: None,
                            valid_from: i32::MIN,
                            valid_to: i32::MAX,
                            aliases: Vec::new(),
                        });
                        let sys = cat.add_system("file", "codes of imported files");
                        cat.add_code(id, sys, &text, i32::MIN, i32::MAX);
                        id
                    })
                }
                Err(e) => {
                    let kind = match e {
                        ResolveError::Ambiguous { .. } => ErrorKind::AmbiguousRegion,
                        ResolveError::Unknown { .. } => ErrorKind::UnknownRegion,
                    };
                    let mut msg = e.to_string();
                    if kind == ErrorKind::UnknownRegion {
                        msg.push_str(" (codes are matched against SGIS census and MOIS administrative codes and Korean/English names; for another country use --new-regions)");
                    }
                    let mut err = DataError::file(kind, &file, msg)
                        .at_line(row.line)
                        .in_column(&header[c])
                        .with_value(&text);
                    // A code two systems give to different regions: the system says which;
                    // a name two levels share: the level.
                    if kind == ErrorKind::AmbiguousRegion {
                        if text.chars().all(|c| c.is_ascii_digit()) {
                            err = err.adding("region-codes", "sgis");
                        } else if opts.level.is_none()
                            && cat
                                .resolve(&text, system, year, Some(Level::PROVINCE))
                                .is_ok()
                        {
                            // Only where the province reading is one region (Sejong), not
                            // for a name several districts share (중구).
                            err = err.adding("level", "province");
                        }
                    }
                    return Err(err);
                }
            };
            resolve_cache.insert((text, year), id);
            Ok(id)
        };
        let values: Vec<(Period, usize)> = if wide {
            wide_cols.iter().map(|(c, p)| (*p, *c)).collect()
        } else {
            vec![(
                fixed_period.expect("checked above"),
                value_col.expect("long layout has a value column"),
            )]
        };
        for (period, vc) in values {
            let y = Some(period.0);
            let (a, b) = if flows {
                (
                    resolve(origin_col.expect("flow"), y)?,
                    resolve(dest_col.expect("flow"), y)?,
                )
            } else {
                let r = resolve(region_col.expect("regional"), y)?;
                (r, r)
            };
            let raw = row.cells[vc].trim();
            let v = if is_missing_marker(raw) {
                missing += 1;
                if !raw.is_empty() {
                    markers.insert(raw.to_string());
                }
                None
            } else {
                let v = parse_number_in(raw, t.decimal_comma()).ok_or_else(|| {
                    DataError::file(ErrorKind::NotNumeric, &file, if t.decimal_comma() {
                        "expected a number with a decimal comma (e.g. 1234, 1.234,5, -12; the file is `;`-separated or --decimal , was given); empty, `-` and `NA` mean missing"
                    } else {
                        "expected a number (e.g. 1234, 1,234.5, -12); empty, `-` and `NA` mean missing"
                    })
                        .at_line(row.line)
                        .in_column(&header[vc])
                        .with_value(raw)
                })?;
                if v < 0.0 && !opts.measure.allows_negative {
                    return Err(DataError::file(
                        ErrorKind::Negative,
                        &file,
                        format!(
                            "negative value for `{}` ({}), which cannot be negative",
                            opts.measure.id, opts.measure.unit
                        ),
                    )
                    .at_line(row.line)
                    .in_column(&header[vc])
                    .with_value(raw));
                }
                Some(v)
            };
            for r in [a, b] {
                if region_seen.insert(r) {
                    region_order.push(r);
                }
            }
            observations.push(Observation {
                a: a.0,
                b: b.0,
                industry,
                period: period.0,
                value: v.unwrap_or(f64::NAN),
                row: ri as u32,
                column: vc as u32,
            });
        }
        Ok(true)
    })?;
    // Duplicates: the same key twice. Sorted by key, then by position in the file, so that
    // the pair reported is the one a reader meets first (the smallest second position).
    let position = |o: &Observation| (o.row, o.column);
    observations.sort_unstable_by_key(|o| (o.a, o.b, o.industry, o.period, o.row, o.column));
    let duplicate = observations
        .windows(2)
        .filter(|w| {
            (w[0].a, w[0].b, w[0].industry, w[0].period)
                == (w[1].a, w[1].b, w[1].industry, w[1].period)
        })
        .map(|w| (w[0], w[1]))
        .min_by_key(|(_, second)| position(second));
    if let Some((first, second)) = duplicate {
        return Err(duplicate_error(
            t,
            &header,
            &extra_cols,
            wide,
            first,
            second,
        ));
    }
    if rows == filtered_out {
        return Err(DataError::file(
            ErrorKind::Empty,
            &file,
            format!("no row is left after the filters {:?}", opts.filters),
        ));
    }
    if !new_regions.is_empty() {
        notes.push(format!(
            "{} regions unknown to the catalog were added as new regions",
            new_regions.len()
        ));
    }
    if !markers.is_empty() {
        let mut m: Vec<_> = markers.into_iter().collect();
        m.sort();
        notes.push(format!(
            "cells marked {} were read as missing",
            m.join(", ")
        ));
    }
    let mut measure = opts.measure.clone();
    if let Some((u, _)) = &unit {
        if measure.unit.is_empty() {
            measure.unit = u.clone();
        }
    }
    let ncells = observations.len();
    let value = |o: &Observation| (!o.value.is_nan()).then_some(o.value);
    let mut periods: Vec<Period> = observations.iter().map(|o| Period(o.period)).collect();
    periods.sort();
    periods.dedup();
    let data = if flows {
        let mut regions = region_order;
        regions.sort();
        let mut fm = FlowMatrix::new(measure, regions, periods);
        for o in &observations {
            fm.set(RegionId(o.a), RegionId(o.b), Period(o.period), value(o));
        }
        Imported::Flows(fm)
    } else {
        let classification = classification.map(|c| c.id.clone());
        let mut panel = Panel::new(measure, classification, region_order, industries, periods);
        // Panel::new keeps the industries in the order given: the interned id is the position.
        for o in observations.drain(..) {
            panel.set_at(
                RegionId(o.a),
                o.industry as usize,
                Period(o.period),
                value(&o),
            );
        }
        Imported::Panel(panel)
    };
    Ok(ImportReport {
        data,
        catalog: cat,
        rows,
        filtered_out,
        cells: ncells,
        missing,
        layout: if wide { "wide" } else { "long" },
        unit: unit.map(|u| u.0),
        notes,
        title: t.title(),
    })
}
