//! "Which places form one economy?": functional zones drawn from flows (commuting, migration)
//! instead of administrative borders. Labour-market areas (Istat/Coombes) and Leiden
//! communities, optionally kept contiguous, compared with the administrative regions. Behind
//! `regis zones lma|leiden` and `GET /api/v1/zones/lma|leiden`.

use std::collections::HashMap;
use std::path::PathBuf;

use regis_data::table::Table;
use regis_data::{DataError, ErrorKind};
use regis_methods::zones::{labour_market_areas, labour_market_areas_single_pass};

/// The thresholds of the labour-market-area algorithm (size and self-containment).
pub use regis_methods::zones::LmaParameters;
use serde::Serialize;
use serde_json::json;

use crate::table::{Cell, Column, Tabular};
use crate::Result;

mod leiden;
pub use leiden::{leiden, Community, LeidenReport, LeidenRequest};

/// Where the flows come from: a built-in flow measure in one year, or a user's file (the CLI
/// only) with its origin, destination and amount columns.
#[derive(Debug, Clone, Default)]
pub struct FlowSource {
    /// A flow file.
    pub input: Option<PathBuf>,
    /// A built-in flow measure (`migration`).
    pub measure: Option<String>,
    /// Year of a built-in measure (none: the latest).
    pub period: Option<i32>,
    /// Origin column of the file.
    pub origin_col: String,
    /// Destination column.
    pub dest_col: String,
    /// Amount column.
    pub value_col: String,
}

/// Reads `(origin, destination, amount)` rows: unit codes in order of first appearance.
/// Unit codes and `(origin, destination, amount)` flows between their positions.
type Flows = (Vec<String>, Vec<(usize, usize, f64)>);

/// Flows of a built-in flow measure in one year, units named by SGIS code.
fn builtin_flows(id: &str, period: Option<i32>) -> Result<Flows> {
    let ds = builtin_flow_measure(id)?;
    let fm = ds.flows.as_ref().ok_or_else(|| {
        DataError::argument(format!(
            "`{id}` is not a flow measure; try --measure migration"
        ))
    })?;
    let year = match period {
        Some(y) => y,
        None => fm.periods().last().map(|p| p.0).unwrap_or_default(),
    };
    let p = fm
        .periods()
        .iter()
        .copied()
        .find(|p| p.0 == year)
        .ok_or_else(|| {
            crate::Error::not_found(
                "unknown-period",
                format!(
                    "--period {year}: `{id}` has {}-{}",
                    fm.periods().first().map(|p| p.0).unwrap_or_default(),
                    fm.periods().last().map(|p| p.0).unwrap_or_default()
                ),
            )
        })?;
    let cat = regis_data::korea::catalog();
    let codes: Vec<String> = fm
        .regions()
        .iter()
        .map(|r| cat.region(*r).code.clone())
        .collect();
    let mut flows = Vec::new();
    for (i, o) in fm.regions().iter().enumerate() {
        for (j, d) in fm.regions().iter().enumerate() {
            if let Some(v) = fm.get(*o, *d, p) {
                flows.push((i, j, v));
            }
        }
    }
    Ok((codes, flows))
}

/// A built-in measure by id; another id is refused without being echoed unless it looks like
/// an id.
fn builtin_flow_measure(id: &str) -> Result<&'static regis_data::Dataset> {
    if !regis_data::korea::MEASURE_IDS.contains(&id) {
        return Err(crate::Error::not_found(
            "unknown-measure",
            format!(
                "unknown flow measure `{}`; the built-in flow measure is migration",
                crate::error::shown(id)
            ),
        ));
    }
    Ok(regis_data::korea::dataset(id)?)
}

/// The year of a built-in flow measure's flows (none for a file).
fn flow_year(source: &FlowSource) -> Result<Option<i32>> {
    let (Some(id), None) = (&source.measure, &source.input) else {
        return Ok(None);
    };
    let ds = builtin_flow_measure(id)?;
    Ok(source.period.or_else(|| {
        ds.flows
            .as_ref()
            .and_then(|f| f.periods().last().map(|p| p.0))
    }))
}

/// The flows a [`FlowSource`] names, units in order of first appearance.
pub fn read_flows(a: &FlowSource) -> Result<Flows> {
    let input =
        match (&a.input, &a.measure) {
            (Some(f), None) => f,
            (None, Some(m)) => return builtin_flows(m, a.period),
            _ => return Err(DataError::argument(
                "give a flow file (--input FILE) or a built-in flow measure (--measure migration)",
            )
            .into()),
        };
    let t = Table::read(input, &Default::default())?;
    let col = |name: &str| {
        t.column(name).ok_or_else(|| {
            DataError::file(
                ErrorKind::MissingColumn,
                &t.file,
                format!(
                    "no column `{name}`; the columns are {}",
                    t.header.join(", ")
                ),
            )
        })
    };
    let (o, d, v) = (col(&a.origin_col)?, col(&a.dest_col)?, col(&a.value_col)?);
    let mut codes: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut flows = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut id = |c: &str| {
            *index.entry(c.to_string()).or_insert_with(|| {
                codes.push(c.to_string());
                codes.len() - 1
            })
        };
        let (i, j) = (id(row.cells[o].trim()), id(row.cells[d].trim()));
        let cell = row.cells[v].trim();
        let amount = regis_data::table::parse_number(cell)
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| {
                DataError::file(
                    ErrorKind::NotNumeric,
                    &t.file,
                    format!(
                        "line {}, field `{}`: `{cell}` is not an amount ≥ 0",
                        row.line, a.value_col
                    ),
                )
            })?;
        flows.push((i, j, amount));
    }
    Ok((codes, flows))
}

/// The province boundaries as GeoJSON, each feature given properties by `tag` from the
/// position of its code among `codes` (built-in flows only: files have no boundaries).
/// A unit's name beside its code: the province's English name for built-in flows (SGIS
/// codes), nothing for a file's own units.
fn unit_name(source: &FlowSource, code: &str) -> String {
    let cat = regis_data::korea::catalog();
    source
        .measure
        .as_ref()
        .and_then(|_| {
            cat.resolve(
                code,
                cat.system_index(regis_data::korea::SGIS),
                None,
                Some(regis_core::Level::PROVINCE),
            )
            .ok()
        })
        .map(|r| cat.region(r).name_en.clone())
        .unwrap_or_default()
}

/// Each unit's code, name and group (`zone`, `community`): the table of lma and leiden.
fn units_with_names(
    source: &FlowSource,
    unit_group: &[(String, usize)],
    group: &str,
) -> crate::table::Table {
    let mut t = crate::table::Table::new(vec![
        Column::text("unit"),
        Column::text("name"),
        Column::integer(group),
    ]);
    for (u, g) in unit_group {
        t.push(vec![
            Cell::text(u),
            Cell::text(unit_name(source, u)),
            Cell::Integer(*g as i64),
        ]);
    }
    t
}

fn provinces_geojson(
    source: &FlowSource,
    codes: &[String],
    head: serde_json::Value,
    tag: impl Fn(Option<usize>, &mut serde_json::Map<String, serde_json::Value>),
) -> Result<serde_json::Value> {
    if source.measure.is_none() {
        return Err(DataError::argument(
            "GeoJSON needs boundaries: it is available for built-in measures (--measure migration)",
        )
        .into());
    }
    let (path, text) = regis_data::korea::PROVINCES_TOPOJSON;
    let features: Vec<_> = regis_data::topojson::decode(text, path)?
        .into_iter()
        .map(|f| {
            let code = f
                .properties
                .get("code")
                .and_then(|c| c.as_str())
                .unwrap_or_default();
            let mut props = f.properties.clone();
            tag(codes.iter().position(|c| c == code), &mut props);
            json!({"type": "Feature", "properties": props, "geometry": f.geometry})
        })
        .collect();
    let mut fc = json!({"type": "FeatureCollection", "attribution": regis_data::korea::ATTRIBUTION,
        "features": features});
    if let (Some(fc), Some(head)) = (fc.as_object_mut(), head.as_object()) {
        fc.extend(head.clone());
    }
    Ok(fc)
}

/// Which units share a boundary (queen contiguity): the built-in province boundaries for
/// built-in measures, else `--boundaries`. Units without a boundary have no neighbours.
fn unit_contiguity(
    source: &FlowSource,
    boundaries: &Option<std::path::PathBuf>,
    code_field: &str,
    codes: &[String],
    warnings: &mut Vec<String>,
) -> Result<regis_methods::spatial::Weights> {
    let features = match (boundaries, &source.measure) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::file(ErrorKind::Io, path, e.to_string()))?;
            regis_data::topojson::read_boundaries(&text, &path.display().to_string())?
        }
        (None, Some(_)) => {
            let (path, text) = regis_data::korea::PROVINCES_TOPOJSON;
            regis_data::topojson::decode(text, path)?
        }
        (None, None) => {
            return Err(DataError::argument(
                "--contiguity needs boundaries: give --boundaries FILE (TopoJSON or GeoJSON) with the units' codes in --boundary-code-field",
            )
            .into())
        }
    };
    let mut rings = vec![Vec::new(); codes.len()];
    for f in &features {
        let code = match f.properties.get(code_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        if let Some(u) = codes.iter().position(|c| *c == code) {
            rings[u].extend(regis_data::topojson::rings(f));
        }
    }
    let missing = rings.iter().filter(|r| r.is_empty()).count();
    if missing == codes.len() {
        return Err(DataError::argument(format!(
            "no unit code matches a boundary's `{}` property",
            crate::error::shown(code_field)
        ))
        .into());
    }
    if missing > 0 {
        warnings.push(format!(
            "{missing} unit(s) have no boundary and count as islands"
        ));
    }
    Ok(regis_methods::spatial::Weights::contiguity(
        &rings,
        regis_methods::spatial::Contiguity::Queen,
    ))
}

/// Units renumbered in the order of their codes (numeric when every code is a whole number):
/// the labour-market-area algorithm breaks ties by unit order, as Istat's package does by
/// municipality code, so the zones do not depend on the order of the input's rows.
fn in_code_order(
    codes: Vec<String>,
    flows: Vec<(usize, usize, f64)>,
) -> (Vec<String>, Vec<(usize, usize, f64)>) {
    let mut order: Vec<usize> = (0..codes.len()).collect();
    let numbers: Option<Vec<i128>> = codes.iter().map(|c| c.parse().ok()).collect();
    match &numbers {
        Some(v) => order.sort_by_key(|&u| v[u]),
        None => order.sort_by(|&a, &b| codes[a].cmp(&codes[b])),
    }
    let mut new_index = vec![0; codes.len()];
    for (k, &u) in order.iter().enumerate() {
        new_index[u] = k;
    }
    let sorted = order.iter().map(|&u| codes[u].clone()).collect();
    let flows = flows
        .into_iter()
        .map(|(i, j, v)| (new_index[i], new_index[j], v))
        .collect();
    (sorted, flows)
}

/// What a labour-market-area question asks.
#[derive(Debug, Clone)]
pub struct LmaRequest {
    /// The flows.
    pub source: FlowSource,
    /// The algorithm's size and self-containment thresholds.
    pub parameters: LmaParameters,
    /// One pass with the reserve list's final assignment, as Istat's package (else further
    /// passes until every zone is valid).
    pub single_pass: bool,
    /// Compare with administrative regions given by the first N characters of unit codes.
    pub admin_prefix: Option<usize>,
    /// Move units so that every zone is contiguous (queen, on the boundaries).
    pub contiguity: bool,
    /// Boundaries of a flow file's units (the CLI only).
    pub boundaries: Option<PathBuf>,
    /// Property of a boundary feature holding the unit code.
    pub boundary_code_field: String,
}

/// One zone.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Zone {
    /// Number, from 1.
    pub zone: usize,
    /// Code of its unit with the most jobs.
    pub centre: String,
    /// Unit codes.
    pub units: Vec<String>,
    /// Residents (flows out of the zone's units, people).
    pub residents: f64,
    /// Workers (flows into them).
    pub workers: f64,
    /// Flows inside the zone.
    pub internal: f64,
    /// Internal over residents.
    pub supply_self_containment: f64,
    /// Internal over workers.
    pub demand_self_containment: f64,
    /// Validity (≥ 1: meets the size and self-containment trade-off).
    pub validity: f64,
}

/// The partition as a whole.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Partition {
    /// Units.
    pub units: usize,
    /// Zones.
    pub zones: usize,
    /// Share of flows inside a zone.
    pub share_internal: f64,
    /// Lowest zone validity.
    pub min_validity: f64,
    /// Units left in the reserve list.
    pub reserve: Vec<String>,
    /// Rounds of the algorithm.
    pub rounds: usize,
    /// Passes.
    pub passes: usize,
}

/// Zones against administrative regions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    /// Zones.
    pub zones: usize,
    /// Administrative regions.
    pub regions: usize,
    /// Zones whose units lie in more than one region.
    pub zones_crossing: usize,
    /// Adjusted Rand index of the two partitions.
    pub adjusted_rand_index: f64,
    /// Share of flows inside a zone.
    pub share_inside_zones: f64,
    /// Share of flows inside a region.
    pub share_inside_regions: f64,
}

/// What contiguity fine-tuning changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContiguityChanges {
    /// Units moved to a neighbouring zone.
    pub moved: Vec<String>,
    /// Island units left in place.
    pub isolated: Vec<String>,
}

/// The labour-market-area report.
#[derive(Debug, Clone, Serialize)]
pub struct LmaReport {
    /// `labour_market_areas`.
    pub method: &'static str,
    /// Year of a built-in flow measure (none for a file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i32>,
    /// The thresholds.
    pub parameters: serde_json::Value,
    /// The partition.
    pub partition: Partition,
    /// The zones.
    pub zones: Vec<Zone>,
    /// Against administrative regions, when asked.
    pub comparison: Option<Comparison>,
    /// Contiguity fine-tuning, when asked.
    pub contiguity: Option<ContiguityChanges>,
    /// Zone of each unit (code, zone number).
    #[serde(skip)]
    pub unit_zone: Vec<(String, usize)>,
    /// Notes (invalid zones, units without boundaries).
    #[serde(skip)]
    pub warnings: Vec<String>,
    #[serde(skip)]
    source: FlowSource,
}

impl LmaReport {
    /// Each unit's zone, the table a spreadsheet joins on.
    pub fn units_table(&self) -> crate::table::Table {
        units_with_names(&self.source, &self.unit_zone, "zone")
    }

    /// The province boundaries with each province's zone (built-in flows only).
    pub fn geojson(&self) -> Result<serde_json::Value> {
        let codes: Vec<String> = self.unit_zone.iter().map(|(c, _)| c.clone()).collect();
        let head = json!({"method": "labour_market_areas", "zones": self.zones.len()});
        provinces_geojson(&self.source, &codes, head, |u, props| {
            let k = u.map(|u| self.unit_zone[u].1);
            props.insert("zone".into(), json!(k));
            props.insert(
                "zone_centre".into(),
                json!(k.map(|k| &self.zones[k - 1].centre)),
            );
        })
    }
}

impl Tabular for LmaReport {
    fn table(&self) -> crate::table::Table {
        let mut t = crate::table::Table::new(vec![
            Column::integer("zone"),
            Column::text("centre"),
            Column::integer("units"),
            Column::rounded("residents", "people", 0),
            Column::rounded("workers", "people", 0),
            Column::rounded("supply_sc", "share", 3),
            Column::rounded("demand_sc", "share", 3),
            Column::rounded("validity", "", 3),
        ]);
        for z in &self.zones {
            t.push(vec![
                Cell::Integer(z.zone as i64),
                Cell::text(&z.centre),
                Cell::Integer(z.units.len() as i64),
                Cell::Number(z.residents),
                Cell::Number(z.workers),
                Cell::Number(z.supply_self_containment),
                Cell::Number(z.demand_self_containment),
                Cell::Number(z.validity),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        let p = &self.partition;
        let mut s = format!(
            "{} zones of {} units; {:.2}% of flows inside a zone; lowest validity {:.4}",
            p.zones,
            p.units,
            100.0 * p.share_internal,
            p.min_validity
        );
        if let Some(c) = &self.comparison {
            s.push_str(&format!(
                "\nagainst {} administrative regions: {} zones cross a border; adjusted Rand index {:.4}; flows inside regions {:.2}%",
                c.regions,
                c.zones_crossing,
                c.adjusted_rand_index,
                100.0 * c.share_inside_regions
            ));
        }
        s
    }
    fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Answers an [`LmaRequest`]. Units are taken in the order of their codes, so the zones do not
/// depend on the order of the input's rows; a zone is named after its unit with the most jobs.
pub fn lma(q: &LmaRequest) -> Result<LmaReport> {
    let (codes, flows) = read_flows(&q.source)?;
    let (codes, flows) = in_code_order(codes, flows);
    let p = &q.parameters;
    let mut warnings = Vec::new();
    let mut z = if q.single_pass {
        labour_market_areas_single_pass(codes.len(), &flows, p)
    } else {
        labour_market_areas(codes.len(), &flows, p)
    }
    .map_err(|e| DataError::argument(e.to_string()))?;
    if z.min_validity < 1.0 {
        warnings.push(format!(
            "the lowest zone validity is {:.4} (below 1){}",
            z.min_validity,
            if q.single_pass {
                ": the reserve list's final assignment left zones invalid, as in Istat's package; drop --single-pass to run further passes"
            } else {
                ": the passes did not converge"
            }
        ));
    }
    let mut contiguity = None;
    if q.contiguity {
        let w = unit_contiguity(
            &q.source,
            &q.boundaries,
            &q.boundary_code_field,
            &codes,
            &mut warnings,
        )?;
        let t = regis_methods::zones::contiguity_fine_tuning(&z, codes.len(), &flows, p, &w);
        warnings.push(format!(
            "contiguity fine-tuning: {} unit(s) moved{}; lowest validity now {:.4}",
            t.moved.len(),
            if t.isolated.is_empty() {
                String::new()
            } else {
                format!(", {} island unit(s) left in place", t.isolated.len())
            },
            t.zones.min_validity
        ));
        contiguity = Some(ContiguityChanges {
            moved: t.moved.iter().map(|u| codes[*u].clone()).collect(),
            isolated: t.isolated.iter().map(|u| codes[*u].clone()).collect(),
        });
        z = t.zones;
    }
    let comparison = q.admin_prefix.map(|k| {
        let mut names: Vec<String> = Vec::new();
        let region_of: Vec<usize> = codes
            .iter()
            .map(|c| {
                let key: String = c.chars().take(k).collect();
                match names.iter().position(|n| *n == key) {
                    Some(i) => i,
                    None => {
                        names.push(key);
                        names.len() - 1
                    }
                }
            })
            .collect();
        let c = regis_methods::zones::compare_with_regions(&z.zone_of, &region_of, &flows);
        Comparison {
            zones: c.zones,
            regions: c.regions,
            zones_crossing: c.zones_crossing,
            adjusted_rand_index: c.adjusted_rand_index,
            share_inside_zones: c.share_inside_zones,
            share_inside_regions: c.share_inside_regions,
        }
    });
    let mut jobs = vec![0.0; codes.len()];
    for f in &flows {
        jobs[f.1] += f.2;
    }
    let centre = |units: &[usize]| {
        units
            .iter()
            .copied()
            .max_by(|x, y| jobs[*x].total_cmp(&jobs[*y]).then(y.cmp(x)))
            .map(|u| codes[u].clone())
            .unwrap_or_default()
    };
    Ok(LmaReport {
        method: "labour_market_areas",
        period: flow_year(&q.source)?,
        parameters: json!({"min_size": p.min_size, "target_size": p.target_size,
            "min_self_containment": p.min_self_containment,
            "target_self_containment": p.target_self_containment}),
        partition: Partition {
            units: codes.len(),
            zones: z.zones.len(),
            share_internal: z.share_internal,
            min_validity: z.min_validity,
            reserve: z.reserve.iter().map(|u| codes[*u].clone()).collect(),
            rounds: z.rounds,
            passes: z.passes,
        },
        zones: z
            .zones
            .iter()
            .enumerate()
            .map(|(k, s)| Zone {
                zone: k + 1,
                centre: centre(&s.units),
                units: s.units.iter().map(|u| codes[*u].clone()).collect(),
                residents: s.residents,
                workers: s.workers,
                internal: s.internal,
                supply_self_containment: s.supply_self_containment,
                demand_self_containment: s.demand_self_containment,
                validity: s.validity,
            })
            .collect(),
        comparison,
        contiguity,
        unit_zone: codes
            .iter()
            .enumerate()
            .map(|(u, c)| (c.clone(), z.zone_of[u] + 1))
            .collect(),
        warnings,
        source: q.source.clone(),
    })
}
