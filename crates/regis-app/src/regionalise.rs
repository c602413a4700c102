//! "Which contiguous regions would group similar areas?": max-p regions (each above a
//! threshold) and SKATER (k regions with a floor), on areas that are built-in measures joined
//! to the built-in boundaries exactly as the GeoJSON export joins them, or a user's table and
//! boundaries. Queen contiguity of the boundaries. Behind `regis zones maxp|skater` and the
//! dashboard's regions page.

use std::collections::HashMap;
use std::path::PathBuf;

use regis_core::Level;
use regis_data::table::{parse_number, Table};
use regis_data::{korea, topojson, DataError};
use regis_methods::regionalisation::{max_p, skater, MaxPOptions, Regions, SkaterOptions};
use regis_methods::spatial::{Contiguity, Weights};
use serde::Serialize;
use serde_json::json;

use crate::export::{ExportFormat, ExportRequest};
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table as ReportTable, Tabular};
use crate::Result;

/// The areas of a regionalisation and their attributes.
#[derive(Debug, Clone)]
pub struct AreaSource {
    /// Attributes compared (measures, or columns of `table`).
    pub attributes: Vec<String>,
    /// Divide the attributes by this measure (built-in areas).
    pub per: Option<String>,
    /// Year of the built-in measures.
    pub period: i32,
    /// Level of the built-in areas.
    pub level: Level,
    /// A user's table of areas (the CLI only).
    pub table: Option<PathBuf>,
    /// Its column of area codes.
    pub code_col: String,
    /// A user's boundaries (the CLI only).
    pub boundaries: Option<PathBuf>,
    /// Property of a boundary feature holding the area code.
    pub boundary_code_field: String,
    /// Standardise each attribute (z-scores) before comparing.
    pub standardise: bool,
}

/// Areas ready for regionalisation.
#[derive(Debug, Clone)]
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
    sources: &Sources,
    measure: &str,
    level: Level,
    period: i32,
) -> Result<(Values, Values)> {
    let by_region = export_rows(sources, measure, level, period, ExportFormat::Csv)?;
    let by_feature = export_rows(sources, measure, level, period, ExportFormat::Geojson)?;
    Ok((by_feature, by_region))
}

/// Code → (value, name).
type Values = HashMap<String, (f64, String)>;

fn export_rows(
    sources: &Sources,
    measure: &str,
    level: Level,
    period: i32,
    format: ExportFormat,
) -> Result<Values> {
    let request = ExportRequest {
        source: Source::measure(measure),
        level,
        periods: vec![period],
        industries: Vec::new(),
        regions: Vec::new(),
        group: None,
        codes: None,
        vintage: None,
        format,
    };
    let export = crate::export::export(sources, &request)?;
    if format == ExportFormat::Geojson {
        let bytes = export.bytes(format)?;
        let fc: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| DataError::argument(format!("export of `{measure}`: {e}")))?;
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
    // The rows as the CSV export writes them (values in their shortest exact form).
    let table = export.table();
    let header = table.header();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (code, name, value) = (
        col("region_code").unwrap_or(0),
        col("region_name_ko").unwrap_or(1),
        col("value").unwrap_or(header.len().saturating_sub(2)),
    );
    let mut out = HashMap::new();
    for rec in table.records() {
        if let Some(v) = rec.get(value).and_then(|v| v.parse::<f64>().ok()) {
            out.insert(
                rec.get(code).cloned().unwrap_or_default(),
                (v, rec.get(name).cloned().unwrap_or_default()),
            );
        }
    }
    Ok(out)
}

fn load_areas(sources: &Sources, a: &AreaSource, extra: Option<&str>) -> Result<Areas> {
    let all_features = match &a.boundaries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::file(regis_data::ErrorKind::Io, path, e.to_string()))?;
            topojson::read_boundaries(&text, &path.display().to_string())?
        }
        None => {
            let (path, text) = match a.level {
                Level::PROVINCE => korea::PROVINCES_TOPOJSON,
                Level::DISTRICT => korea::DISTRICTS_TOPOJSON,
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
                            format!(
                                "line {}, field `{w}`: `{}` is not a number",
                                row.line,
                                crate::error::shown(cell)
                            ),
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
            let mut fetch = |id: &str| -> Result<(Values, Values)> {
                if !exported.contains_key(id) {
                    let v = builtin_values(sources, id, a.level, a.period)?;
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

/// One region of a regionalisation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionOfAreas {
    /// Number, from 0 as the method numbers them.
    pub region: usize,
    /// Area codes.
    pub areas: Vec<String>,
    /// Area names.
    pub names: Vec<String>,
    /// Sum of the threshold (or floor) variable.
    pub total: f64,
}

/// A note of the method.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Note {
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

/// A regionalisation report (max-p or SKATER).
#[derive(Debug, Clone, Serialize)]
pub struct RegionalisationReport {
    /// `max-p` or `skater`.
    pub method: &'static str,
    /// Number of regions.
    pub regions: usize,
    /// Within-region dissimilarity.
    pub objective: f64,
    /// The regions.
    pub zones: Vec<RegionOfAreas>,
    /// Areas in no region.
    pub unplaced: Vec<String>,
    /// Boundary units without every value.
    pub left_out: Vec<String>,
    /// The method's notes.
    pub diagnostics: Vec<Note>,
    /// The parameters (threshold or floor).
    #[serde(flatten)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    areas: Areas,
    #[serde(skip)]
    labels: Vec<Option<usize>>,
    #[serde(skip)]
    warnings: Vec<String>,
}

/// One boundary feature of a regionalisation, for a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapUnit {
    /// Code of the area it belongs to (a city's gu share the city's area).
    pub code: String,
    /// Name of the area.
    pub name: String,
    /// Its rings.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Its region (none: not placed, e.g. an island).
    pub region: Option<usize>,
}

impl RegionalisationReport {
    /// Every boundary feature with its area and region, for a map.
    pub fn map_units(&self) -> Vec<MapUnit> {
        self.areas
            .features
            .iter()
            .map(|(f, area)| MapUnit {
                code: self.areas.codes[*area].clone(),
                name: self.areas.names[*area].clone(),
                rings: topojson::rings(f),
                region: self.labels[*area],
            })
            .collect()
    }

    /// For each region, the regions it touches (queen contiguity of their areas): what a map
    /// needs to colour neighbours differently.
    pub fn region_adjacency(&self) -> Vec<std::collections::BTreeSet<usize>> {
        let mut touching = vec![std::collections::BTreeSet::new(); self.regions];
        for (i, li) in self.labels.iter().enumerate() {
            for j in self.areas.weights.neighbours_of(i) {
                if let (Some(a), Some(b)) = (li, self.labels[j]) {
                    if *a != b {
                        touching[*a].insert(b);
                    }
                }
            }
        }
        touching
    }

    /// Each area's region, the table a spreadsheet joins on.
    pub fn areas_table(&self) -> ReportTable {
        let mut t = ReportTable::new(vec![Column::text("code"), Column::integer("region")]);
        for (c, l) in self.areas.codes.iter().zip(&self.labels) {
            t.push(vec![
                Cell::text(c),
                l.map(|x| Cell::Integer(x as i64)).unwrap_or(Cell::Empty),
            ]);
        }
        t
    }

    /// The boundaries with each feature's area and region.
    pub fn geojson(&self) -> serde_json::Value {
        let features: Vec<_> = self
            .areas
            .features
            .iter()
            .map(|(f, area)| {
                let mut props = f.properties.clone();
                props.insert("area".into(), json!(self.areas.codes[*area]));
                props.insert("region".into(), json!(self.labels[*area]));
                json!({"type": "Feature", "properties": props, "geometry": f.geometry})
            })
            .collect();
        let mut fc = json!({"type": "FeatureCollection", "method": self.method, "regions": self.regions,
            "attribution": korea::ATTRIBUTION, "features": features});
        if let Some(o) = fc.as_object_mut() {
            o.extend(self.parameters.clone());
        }
        fc
    }
}

impl Tabular for RegionalisationReport {
    fn table(&self) -> ReportTable {
        let mut t = ReportTable::new(vec![
            Column::integer("region"),
            Column::integer("areas"),
            Column::rounded("total", "", 0),
            Column::text("members"),
        ]);
        for z in &self.zones {
            let more = z.names.len().saturating_sub(6);
            let mut list = z.names[..z.names.len().min(6)].join(", ");
            if more > 0 {
                list.push_str(&format!(" … (+{more})"));
            }
            t.push(vec![
                Cell::Integer(z.region as i64),
                Cell::Integer(z.areas.len() as i64),
                Cell::Number(z.total),
                Cell::text(list),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        format!(
            "{}: {} regions, within-region dissimilarity {:.4}",
            self.method, self.regions, self.objective
        )
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

fn report(
    areas: Areas,
    r: Regions,
    method: &'static str,
    parameters: serde_json::Value,
) -> RegionalisationReport {
    let mut warnings: Vec<String> = r
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    if !areas.left_out.is_empty() {
        warnings.push(format!(
            "{} area(s) without every value were left out: {}",
            areas.left_out.len(),
            areas.left_out.join(", ")
        ));
    }
    let zones = (0..r.regions)
        .map(|reg| {
            let m: Vec<usize> = (0..areas.codes.len())
                .filter(|&i| r.labels[i] == Some(reg))
                .collect();
            RegionOfAreas {
                region: reg,
                areas: m.iter().map(|&i| areas.codes[i].clone()).collect(),
                names: m.iter().map(|&i| areas.names[i].clone()).collect(),
                total: r.totals[reg],
            }
        })
        .collect();
    RegionalisationReport {
        method,
        regions: r.regions,
        objective: r.objective,
        zones,
        unplaced: (0..areas.codes.len())
            .filter(|&i| r.labels[i].is_none())
            .map(|i| areas.codes[i].clone())
            .collect(),
        left_out: areas.left_out.clone(),
        diagnostics: r
            .diagnostics
            .iter()
            .map(|d| Note {
                code: d.code.to_string(),
                message: d.message.clone(),
            })
            .collect(),
        parameters: parameters.as_object().cloned().unwrap_or_default(),
        labels: r.labels,
        areas,
        warnings,
    }
}

fn method_error(e: regis_methods::regionalisation::RegionalisationError) -> crate::Error {
    DataError::argument(e.to_string()).into()
}

/// A max-p question.
#[derive(Debug, Clone)]
pub struct MaxPRequest {
    /// The areas.
    pub areas: AreaSource,
    /// Least total of `threshold_by` per region.
    pub threshold: f64,
    /// The measure (or column) summed against the threshold.
    pub threshold_by: String,
    /// Construction iterations.
    pub iterations: usize,
    /// Simulated-annealing runs.
    pub annealing_runs: usize,
    /// Seed.
    pub seed: u64,
}

/// Answers a [`MaxPRequest`]: the most regions that each reach the threshold.
pub fn maxp(sources: &Sources, q: &MaxPRequest) -> Result<RegionalisationReport> {
    let areas = load_areas(sources, &q.areas, Some(&q.threshold_by))?;
    let options = MaxPOptions {
        construction_iterations: q.iterations,
        annealing_runs: q.annealing_runs,
        seed: q.seed,
        ..MaxPOptions::default()
    };
    let threshold_values = areas.extra.clone().unwrap_or_default();
    let r = max_p(
        &areas.weights,
        &areas.attributes,
        areas.k,
        &threshold_values,
        q.threshold,
        &options,
    )
    .map_err(method_error)?;
    Ok(report(
        areas,
        r,
        "max-p",
        json!({"threshold": q.threshold, "threshold_by": q.threshold_by, "seed": q.seed}),
    ))
}

/// A SKATER question.
#[derive(Debug, Clone)]
pub struct SkaterRequest {
    /// The areas.
    pub areas: AreaSource,
    /// Number of regions.
    pub regions: usize,
    /// Least total of `floor_by` per region.
    pub floor: f64,
    /// The measure (or column) summed against the floor (none: areas are counted).
    pub floor_by: Option<String>,
}

/// Answers a [`SkaterRequest`]: k regions cut from the minimum spanning tree.
pub fn skater_regions(sources: &Sources, q: &SkaterRequest) -> Result<RegionalisationReport> {
    let areas = load_areas(sources, &q.areas, q.floor_by.as_deref())?;
    let options = SkaterOptions {
        regions: q.regions,
        floor: q.floor,
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
    let made = r.regions;
    let mut out = report(
        areas,
        r,
        "skater",
        json!({"floor": q.floor, "floor_by": q.floor_by}),
    );
    // A result other than what was asked says so first, with the reason from the method.
    if made != q.regions {
        let why: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
        let message = format!(
            "{} regions were asked for and {made} were made: {}",
            q.regions,
            if why.is_empty() {
                "the floor leaves no other cut".to_string()
            } else {
                why.join("; ")
            }
        );
        out.warnings.insert(0, message.clone());
        out.diagnostics.insert(
            0,
            Note {
                code: "regions-differ".into(),
                message,
            },
        );
    }
    Ok(out)
}
