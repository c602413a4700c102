//! `regis zones maxp` and `regis zones skater`: areas (built-in measures joined to the built-in
//! boundaries exactly as `regis data export --format geojson` joins them, or the user's table
//! and boundaries), queen contiguity of their boundaries, and the regions.

use std::collections::HashMap;

use regis_data::table::{parse_number, Table};
use regis_data::{korea, topojson, DataError};
use regis_methods::regionalisation::{max_p, skater, MaxPOptions, Regions, SkaterOptions};
use regis_methods::spatial::{Contiguity, Weights};
use serde_json::json;

use crate::args::{AreaSource, Format, MaxPArgs, SkaterArgs};
use crate::output::print_rows;

/// Areas ready for regionalisation.
struct Areas {
    /// Boundary features and the area each belongs to (a city's gu share the city's area).
    features: Vec<(topojson::Feature, usize)>,
    codes: Vec<String>,
    names: Vec<String>,
    /// n × k, row-major.
    attributes: Vec<f64>,
    k: usize,
    /// The threshold or floor variable, when one was asked for.
    extra: Option<Vec<f64>>,
    weights: Weights,
    left_out: Vec<String>,
}

fn feature_code(f: &topojson::Feature, field: &str) -> Option<String> {
    match f.properties.get(field) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Values of a built-in measure at the level and period, by code: `.0` by boundary feature
/// (2018 SGIS codes, joined as `regis data export --format geojson` joins them, through the
/// code history), `.1` by region of the period (`--format csv` rows: a city whose gu have no
/// values of their own appears under the city's code). Each with the region's name.
fn builtin_values(
    store: &std::path::Path,
    measure: &str,
    level: &str,
    period: i32,
) -> anyhow::Result<(Values, Values)> {
    let by_region = export_rows(store, measure, level, period, Format::Csv)?;
    let by_feature = export_rows(store, measure, level, period, Format::Geojson)?;
    Ok((by_feature, by_region))
}

/// Code → (value, name).
type Values = HashMap<String, (f64, String)>;

fn export_rows(
    store: &std::path::Path,
    measure: &str,
    level: &str,
    period: i32,
    format: Format,
) -> anyhow::Result<Values> {
    let args = crate::args::ExportArgs {
        source: crate::args::SourceArgs {
            measure: Some(measure.to_string()),
            input: None,
            mapping: Default::default(),
        },
        level: level.to_string(),
        period: vec![period],
        industry: Vec::new(),
        region: Vec::new(),
        group: None,
        codes: None,
        vintage: None,
        format,
        out: None,
    };
    let (bytes, _) = crate::data::export_bytes(store, args, crate::args::Lang::Ko)?
        .ok_or_else(|| DataError::argument("no export"))?;
    if format == Format::Geojson {
        let fc: serde_json::Value = serde_json::from_slice(&bytes)?;
        return Ok(fc["features"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .filter_map(|f| {
                        let p = &f["properties"];
                        Some((
                            p["code"].as_str()?.to_string(),
                            (
                                p["value"].as_f64()?,
                                p["name"].as_str().unwrap_or("").to_string(),
                            ),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default());
    }
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers()?.clone();
    let col = |n: &str| header.iter().position(|h| h == n);
    let (code, name, value) = (
        col("region_code").unwrap_or(0),
        col("region_name_ko").unwrap_or(1),
        col("value").unwrap_or(header.len().saturating_sub(2)),
    );
    let mut out = HashMap::new();
    for rec in reader.records() {
        let rec = rec?;
        if let Some(v) = rec.get(value).and_then(|v| v.parse::<f64>().ok()) {
            out.insert(
                rec.get(code).unwrap_or_default().to_string(),
                (v, rec.get(name).unwrap_or_default().to_string()),
            );
        }
    }
    Ok(out)
}

fn load_areas(
    store: &std::path::Path,
    a: &AreaSource,
    extra: Option<&str>,
) -> anyhow::Result<Areas> {
    let all_features = match &a.boundaries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::file(regis_data::ErrorKind::Io, path, e.to_string()))?;
            topojson::read_boundaries(&text, &path.display().to_string())?
        }
        None => {
            let (path, text) = match a.level.as_str() {
                "province" => korea::PROVINCES_TOPOJSON,
                "district" => korea::DISTRICTS_TOPOJSON,
                other => {
                    return Err(DataError::argument(format!(
                        "--level {other}: built-in boundaries exist for province and district"
                    ))
                    .into())
                }
            };
            topojson::decode(text, path)?
        }
    };
    // Columns (attributes, then the extra variable) as code → value maps.
    let mut wanted: Vec<String> = a.attributes.clone();
    if let Some(x) = extra {
        wanted.push(x.to_string());
    }
    let columns: Vec<(Values, Values)> = match &a.table {
        Some(path) => {
            let t = Table::read(path, &Default::default())?;
            let name = path.display().to_string();
            let col = |c: &str| {
                t.column(c).ok_or_else(|| {
                    DataError::file(
                        regis_data::ErrorKind::MissingColumn,
                        &name,
                        format!("no column `{c}`; the table has: {}", t.header.join(", ")),
                    )
                })
            };
            let code = col(&a.code_col)?;
            let mut out = Vec::new();
            for w in &wanted {
                let c = col(w)?;
                let mut m = HashMap::new();
                for row in &t.rows {
                    let cell = row.cells.get(c).map(|s| s.trim()).unwrap_or("");
                    let v = parse_number(cell).ok_or_else(|| {
                        DataError::file(
                            regis_data::ErrorKind::NotNumeric,
                            &name,
                            format!("line {}, field `{w}`: `{cell}` is not a number", row.line),
                        )
                    })?;
                    let key = row.cells.get(code).cloned().unwrap_or_default();
                    m.insert(key.clone(), (v, key));
                }
                out.push((m.clone(), m));
            }
            out
        }
        None => {
            // Each measure is exported once, however often it is named (population is often
            // both the divisor and the threshold).
            let mut exported: HashMap<String, (Values, Values)> = HashMap::new();
            let mut fetch = |id: &str| -> anyhow::Result<(Values, Values)> {
                if !exported.contains_key(id) {
                    let v = builtin_values(store, id, &a.level, a.period)?;
                    exported.insert(id.to_string(), v);
                }
                Ok(exported[id].clone())
            };
            let den = match &a.per {
                Some(p) => Some(fetch(p)?),
                None => None,
            };
            let mut out = Vec::new();
            for (i, w) in wanted.iter().enumerate() {
                let (mut f, mut r) = fetch(w)?;
                // Attributes are divided by --per; the threshold or floor variable is not.
                if let (Some((df, dr)), true) = (&den, i < a.attributes.len()) {
                    let per = |m: Values, d: &Values| -> Values {
                        m.into_iter()
                            .filter_map(|(c, (v, n))| {
                                d.get(&c).filter(|x| x.0 > 0.0).map(|x| (c, (v / x.0, n)))
                            })
                            .collect()
                    };
                    f = per(f, df);
                    r = per(r, dr);
                }
                out.push((f, r));
            }
            out
        }
    };
    let k = a.attributes.len();
    // `city`: look the code up among the regions of the period (a gu's city), else among the
    // boundary features.
    let row_of = |code: &str, city: bool| -> Option<(Vec<f64>, String)> {
        let mut values = Vec::with_capacity(columns.len());
        let mut name = String::new();
        for (by_feature, by_region) in &columns {
            let (v, n) = if city { by_region } else { by_feature }.get(code)?;
            if !v.is_finite() {
                return None;
            }
            values.push(*v);
            name = n.clone();
        }
        Some((values, name))
    };
    // Each boundary feature joins its own code's row; a gu of a city without values of its
    // own joins its city's row (SGIS: the city's code ends in 0), so the city is one area.
    let mut features = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut attributes = Vec::new();
    let mut extra_values = Vec::new();
    let mut rings: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut left_out = Vec::new();
    for f in all_features {
        let Some(code) = feature_code(&f, &a.boundary_code_field) else {
            return Err(DataError::argument(format!(
                "a boundary feature has no `{}` property; name the code field with --boundary-code-field",
                a.boundary_code_field
            ))
            .into());
        };
        let city = (code.len() > 1).then(|| format!("{}0", &code[..code.len() - 1]));
        let found = row_of(&code, false)
            .map(|r| (code.clone(), r))
            .or_else(|| city.and_then(|c| row_of(&c, true).map(|r| (c, r))));
        let Some((area_code, (values, name))) = found else {
            left_out.push(code);
            continue;
        };
        let index = match codes.iter().position(|c| *c == area_code) {
            Some(i) => {
                rings[i].extend(topojson::rings(&f));
                i
            }
            None => {
                attributes.extend_from_slice(&values[..k]);
                if extra.is_some() {
                    extra_values.push(values[k]);
                }
                let feature_name = f
                    .properties
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or(&area_code)
                    .to_string();
                names.push(if name.is_empty() || a.table.is_some() {
                    feature_name
                } else {
                    name
                });
                codes.push(area_code);
                rings.push(topojson::rings(&f));
                codes.len() - 1
            }
        };
        features.push((f, index));
    }
    let n = codes.len();
    if n < 2 {
        return Err(DataError::argument(format!(
            "only {n} area(s) have every value; check --attributes and the codes"
        ))
        .into());
    }
    if a.standardise {
        for j in 0..k {
            let col: Vec<f64> = (0..n).map(|i| attributes[i * k + j]).collect();
            let mean = col.iter().sum::<f64>() / col.len() as f64;
            let sd =
                (col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / col.len() as f64).sqrt();
            for i in 0..n {
                attributes[i * k + j] = if sd > 0.0 {
                    (attributes[i * k + j] - mean) / sd
                } else {
                    0.0
                };
            }
        }
    }
    let weights = Weights::contiguity(&rings, Contiguity::Queen);
    Ok(Areas {
        features,
        codes,
        names,
        attributes,
        k,
        extra: extra.map(|_| extra_values),
        weights,
        left_out,
    })
}

fn report(
    areas: &Areas,
    r: &Regions,
    format: Format,
    method: &str,
    head: serde_json::Value,
) -> anyhow::Result<()> {
    for d in &r.diagnostics {
        eprintln!("regis: {}: {}", d.code, d.message);
    }
    if !areas.left_out.is_empty() {
        eprintln!(
            "regis: {} area(s) without every value were left out: {}",
            areas.left_out.len(),
            areas.left_out.join(", ")
        );
    }
    let members = |reg: usize| -> Vec<usize> {
        (0..areas.codes.len())
            .filter(|&i| r.labels[i] == Some(reg))
            .collect()
    };
    match format {
        Format::Csv => {
            let rows: Vec<Vec<String>> = areas
                .codes
                .iter()
                .zip(&r.labels)
                .map(|(c, l)| vec![c.clone(), l.map(|x| x.to_string()).unwrap_or_default()])
                .collect();
            print_rows(Format::Csv, &["code", "region"], &rows)
        }
        Format::Json => {
            let regions: Vec<_> = (0..r.regions)
                .map(|reg| {
                    let m = members(reg);
                    json!({"region": reg, "areas": m.iter().map(|&i| &areas.codes[i]).collect::<Vec<_>>(),
                        "names": m.iter().map(|&i| &areas.names[i]).collect::<Vec<_>>(), "total": r.totals[reg]})
                })
                .collect();
            let unplaced: Vec<_> = (0..areas.codes.len())
                .filter(|&i| r.labels[i].is_none())
                .map(|i| &areas.codes[i])
                .collect();
            let mut out = json!({"method": method, "regions": r.regions, "objective": r.objective,
                "zones": regions, "unplaced": unplaced, "left_out": areas.left_out,
                "diagnostics": r.diagnostics.iter().map(|d| json!({"code": d.code, "message": d.message})).collect::<Vec<_>>()});
            if let (Some(o), Some(h)) = (out.as_object_mut(), head.as_object()) {
                o.extend(h.clone());
            }
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        Format::Geojson => {
            let features: Vec<_> = areas
                .features
                .iter()
                .map(|(f, area)| {
                    let mut props = f.properties.clone();
                    props.insert("area".into(), json!(areas.codes[*area]));
                    props.insert("region".into(), json!(r.labels[*area]));
                    json!({"type": "Feature", "properties": props, "geometry": f.geometry})
                })
                .collect();
            let mut fc = json!({"type": "FeatureCollection", "method": method, "regions": r.regions,
                "attribution": korea::ATTRIBUTION, "features": features});
            if let (Some(o), Some(h)) = (fc.as_object_mut(), head.as_object()) {
                o.extend(h.clone());
            }
            println!("{}", serde_json::to_string(&fc)?);
            Ok(())
        }
        _ => {
            let rows: Vec<Vec<String>> = (0..r.regions)
                .map(|reg| {
                    let m = members(reg);
                    let mut names: Vec<&str> = m.iter().map(|&i| areas.names[i].as_str()).collect();
                    let more = names.len().saturating_sub(6);
                    names.truncate(6);
                    let mut list = names.join(", ");
                    if more > 0 {
                        list.push_str(&format!(" … (+{more})"));
                    }
                    vec![
                        reg.to_string(),
                        m.len().to_string(),
                        format!("{:.0}", r.totals[reg]),
                        list,
                    ]
                })
                .collect();
            print_rows(
                Format::Table,
                &["region", "areas", "total", "members"],
                &rows,
            )?;
            eprintln!(
                "{method}: {} regions, within-region dissimilarity {:.4}",
                r.regions, r.objective
            );
            Ok(())
        }
    }
}

fn method_error(e: regis_methods::regionalisation::RegionalisationError) -> anyhow::Error {
    DataError::argument(e.to_string()).into()
}

/// `regis zones maxp`
pub fn maxp(store: &std::path::Path, a: MaxPArgs) -> anyhow::Result<()> {
    let areas = load_areas(store, &a.areas, Some(&a.threshold_by))?;
    let options = MaxPOptions {
        construction_iterations: a.iterations,
        annealing_runs: a.annealing_runs,
        seed: a.seed,
        ..MaxPOptions::default()
    };
    let threshold_values = areas.extra.as_deref().unwrap_or_default();
    let r = max_p(
        &areas.weights,
        &areas.attributes,
        areas.k,
        threshold_values,
        a.threshold,
        &options,
    )
    .map_err(method_error)?;
    report(
        &areas,
        &r,
        a.format,
        "max-p",
        json!({"threshold": a.threshold, "threshold_by": a.threshold_by, "seed": a.seed}),
    )
}

/// `regis zones skater`
pub fn skater_regions(store: &std::path::Path, a: SkaterArgs) -> anyhow::Result<()> {
    let areas = load_areas(store, &a.areas, a.floor_by.as_deref())?;
    let options = SkaterOptions {
        regions: a.regions,
        floor: a.floor,
        islands_count: false,
    };
    let r = skater(
        &areas.weights,
        &areas.attributes,
        areas.k,
        areas.extra.as_deref(),
        &options,
    )
    .map_err(method_error)?;
    report(
        &areas,
        &r,
        a.format,
        "skater",
        json!({"floor": a.floor, "floor_by": a.floor_by}),
    )
}
