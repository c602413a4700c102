//! `regis zones ...`: functional zones from a flow file.

use std::collections::HashMap;

use regis_data::table::Table;
use regis_data::{DataError, ErrorKind};
use regis_methods::zones::{labour_market_areas, labour_market_areas_single_pass, LmaParameters};
use serde_json::json;

use crate::args::{Format, LmaArgs};
use crate::output::print_rows;

/// Reads `(origin, destination, amount)` rows: unit codes in order of first appearance.
/// Unit codes and `(origin, destination, amount)` flows between their positions.
type Flows = (Vec<String>, Vec<(usize, usize, f64)>);

/// Flows of a built-in flow measure in one year, units named by SGIS code.
fn builtin_flows(id: &str, period: Option<i32>) -> anyhow::Result<Flows> {
    let ds = regis_data::korea::dataset(id)?;
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
            DataError::argument(format!(
                "--period {year}: `{id}` has {}-{}",
                fm.periods().first().map(|p| p.0).unwrap_or_default(),
                fm.periods().last().map(|p| p.0).unwrap_or_default()
            ))
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

fn read_source(a: &crate::args::FlowSource) -> anyhow::Result<Flows> {
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

/// Prints the province boundaries as GeoJSON, each feature given properties by `tag` from
/// the position of its code among `codes` (built-in flows only: files have no boundaries).
fn provinces_geojson(
    source: &crate::args::FlowSource,
    codes: &[String],
    head: serde_json::Value,
    tag: impl Fn(Option<usize>, &mut serde_json::Map<String, serde_json::Value>),
) -> anyhow::Result<()> {
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
    println!("{}", serde_json::to_string(&fc)?);
    Ok(())
}

/// Which units share a boundary (queen contiguity): the built-in province boundaries for
/// built-in measures, else `--boundaries`. Units without a boundary have no neighbours.
fn unit_contiguity(
    source: &crate::args::FlowSource,
    boundaries: &Option<std::path::PathBuf>,
    code_field: &str,
    codes: &[String],
) -> anyhow::Result<regis_methods::spatial::Weights> {
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
            "no unit code matches a boundary's `{code_field}` property"
        ))
        .into());
    }
    if missing > 0 {
        eprintln!("regis: {missing} unit(s) have no boundary and count as islands");
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

/// `regis zones lma`
pub fn lma(a: LmaArgs) -> anyhow::Result<()> {
    let (codes, flows) = read_source(&a.source)?;
    let (codes, flows) = in_code_order(codes, flows);
    let p = LmaParameters {
        min_size: a.min_size,
        target_size: a.target_size,
        min_self_containment: a.min_self_containment,
        target_self_containment: a.target_self_containment,
    };
    let mut z = if a.single_pass {
        labour_market_areas_single_pass(codes.len(), &flows, &p)
    } else {
        labour_market_areas(codes.len(), &flows, &p)
    }
    .map_err(|e| DataError::argument(e.to_string()))?;
    if z.min_validity < 1.0 {
        eprintln!(
            "regis: the lowest zone validity is {:.4} (below 1){}",
            z.min_validity,
            if a.single_pass {
                ": the reserve list's final assignment left zones invalid, as in Istat's package; drop --single-pass to run further passes"
            } else {
                ": the passes did not converge"
            }
        );
    }
    let mut contiguity_json = serde_json::Value::Null;
    if a.contiguity {
        let w = unit_contiguity(&a.source, &a.boundaries, &a.boundary_code_field, &codes)?;
        let t = regis_methods::zones::contiguity_fine_tuning(&z, codes.len(), &flows, &p, &w);
        eprintln!(
            "contiguity fine-tuning: {} unit(s) moved{}; lowest validity now {:.4}",
            t.moved.len(),
            if t.isolated.is_empty() {
                String::new()
            } else {
                format!(", {} island unit(s) left in place", t.isolated.len())
            },
            t.zones.min_validity
        );
        contiguity_json = json!({
            "moved": t.moved.iter().map(|u| &codes[*u]).collect::<Vec<_>>(),
            "isolated": t.isolated.iter().map(|u| &codes[*u]).collect::<Vec<_>>(),
        });
        z = t.zones;
    }
    let comparison = match a.admin_prefix {
        None => None,
        Some(k) => {
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
            Some(regis_methods::zones::compare_with_regions(
                &z.zone_of, &region_of, &flows,
            ))
        }
    };
    let comparison_json = comparison.as_ref().map(|c| {
        json!({"zones": c.zones, "regions": c.regions, "zones_crossing": c.zones_crossing,
            "adjusted_rand_index": c.adjusted_rand_index,
            "share_inside_zones": c.share_inside_zones,
            "share_inside_regions": c.share_inside_regions})
    });
    // A zone is named after its unit with the most jobs (its centre).
    let jobs = {
        let mut w = vec![0.0; codes.len()];
        for f in &flows {
            w[f.1] += f.2;
        }
        w
    };
    let centre = |units: &[usize]| {
        units
            .iter()
            .copied()
            .max_by(|x, y| jobs[*x].total_cmp(&jobs[*y]).then(y.cmp(x)))
            .map(|u| codes[u].clone())
            .unwrap_or_default()
    };
    match a.format {
        Format::Json => {
            let zones: Vec<_> = z
                .zones
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    json!({
                        "zone": k + 1,
                        "centre": centre(&s.units),
                        "units": s.units.iter().map(|u| &codes[*u]).collect::<Vec<_>>(),
                        "residents": s.residents,
                        "workers": s.workers,
                        "internal": s.internal,
                        "supply_self_containment": s.supply_self_containment,
                        "demand_self_containment": s.demand_self_containment,
                        "validity": s.validity,
                    })
                })
                .collect();
            let out = json!({
                "method": "labour_market_areas",
                "parameters": {"min_size": p.min_size, "target_size": p.target_size,
                    "min_self_containment": p.min_self_containment,
                    "target_self_containment": p.target_self_containment},
                "partition": {"units": codes.len(), "zones": z.zones.len(),
                    "share_internal": z.share_internal, "min_validity": z.min_validity,
                    "reserve": z.reserve.iter().map(|u| &codes[*u]).collect::<Vec<_>>(),
                    "rounds": z.rounds, "passes": z.passes},
                "zones": zones,
                "comparison": comparison_json,
                "contiguity": contiguity_json,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        Format::Geojson => {
            let centres: Vec<String> = z.zones.iter().map(|s| centre(&s.units)).collect();
            let head = json!({"method": "labour_market_areas", "zones": z.zones.len()});
            provinces_geojson(&a.source, &codes, head, |u, props| {
                let k = u.map(|u| z.zone_of[u] + 1);
                props.insert("zone".into(), json!(k));
                props.insert("zone_centre".into(), json!(k.map(|k| &centres[k - 1])));
            })
        }
        Format::Csv => {
            let rows: Vec<Vec<String>> = codes
                .iter()
                .enumerate()
                .map(|(u, c)| vec![c.clone(), (z.zone_of[u] + 1).to_string()])
                .collect();
            print_rows(Format::Csv, &["unit", "zone"], &rows)
        }
        _ => {
            let rows: Vec<Vec<String>> = z
                .zones
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    vec![
                        (k + 1).to_string(),
                        centre(&s.units),
                        s.units.len().to_string(),
                        format!("{:.0}", s.residents),
                        format!("{:.0}", s.workers),
                        format!("{:.3}", s.supply_self_containment),
                        format!("{:.3}", s.demand_self_containment),
                        format!("{:.3}", s.validity),
                    ]
                })
                .collect();
            print_rows(
                Format::Table,
                &[
                    "zone",
                    "centre",
                    "units",
                    "residents",
                    "workers",
                    "supply_sc",
                    "demand_sc",
                    "validity",
                ],
                &rows,
            )?;
            eprintln!(
                "{} zones of {} units; {:.2}% of flows inside a zone; lowest validity {:.4}",
                z.zones.len(),
                codes.len(),
                100.0 * z.share_internal,
                z.min_validity
            );
            if let Some(c) = comparison {
                eprintln!(
                    "against {} administrative regions: {} zones cross a border; adjusted Rand index {:.4}; flows inside regions {:.2}%",
                    c.regions,
                    c.zones_crossing,
                    c.adjusted_rand_index,
                    100.0 * c.share_inside_regions
                );
            }
            Ok(())
        }
    }
}

/// `regis zones leiden`
pub fn leiden(a: crate::args::LeidenArgs) -> anyhow::Result<()> {
    use regis_methods::community::{leiden, leiden_contiguous, symmetrise, Quality};
    let (codes, flows) = read_source(&a.source)?;
    let quality = match a.quality.as_str() {
        "modularity" => Quality::Modularity {
            resolution: a.resolution,
        },
        "cpm" => Quality::Cpm {
            resolution: a.resolution,
        },
        other => {
            return Err(DataError::argument(format!(
                "--quality {other}: expected modularity or cpm"
            ))
            .into())
        }
    };
    let edges = symmetrise(&flows);
    let c = if a.contiguity {
        let w = unit_contiguity(&a.source, &a.boundaries, &a.boundary_code_field, &codes)?;
        let lists: Vec<Vec<usize>> = (0..codes.len()).map(|u| w.neighbours_of(u)).collect();
        leiden_contiguous(codes.len(), &edges, quality, a.seed, &lists)
    } else {
        leiden(codes.len(), &edges, quality, a.seed)
    }
    .map_err(|e| DataError::argument(e.to_string()))?;
    match a.format {
        Format::Json => {
            let mut groups: Vec<Vec<&String>> = vec![Vec::new(); c.count];
            for (u, &k) in c.membership.iter().enumerate() {
                groups[k].push(&codes[u]);
            }
            let out = json!({"method": "leiden", "quality": a.quality, "resolution": a.resolution,
                "seed": a.seed, "contiguity": a.contiguity, "modularity": c.modularity, "quality_value": c.quality,
                "communities": groups.iter().enumerate().map(|(k, g)| json!({"community": k + 1, "units": g})).collect::<Vec<_>>()});
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        Format::Geojson => provinces_geojson(
            &a.source,
            &codes,
            json!({"method": "leiden"}),
            |u, props| {
                props.insert("community".into(), json!(u.map(|u| c.membership[u] + 1)));
            },
        ),
        _ => {
            let rows: Vec<Vec<String>> = codes
                .iter()
                .enumerate()
                .map(|(u, code)| vec![code.clone(), (c.membership[u] + 1).to_string()])
                .collect();
            print_rows(
                if a.format == Format::Csv {
                    Format::Csv
                } else {
                    Format::Table
                },
                &["unit", "community"],
                &rows,
            )?;
            eprintln!("{} communities; modularity {:.6}", c.count, c.modularity);
            Ok(())
        }
    }
}
