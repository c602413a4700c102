//! TopoJSON decoding to GeoJSON (the topojson crate is stale; this is a small, complete decoder
//! of the subset used by boundary files: quantized or plain arcs, Polygon and MultiPolygon).
//!
//! Reference: Bostock, M. (2013) TopoJSON Format Specification,
//! <https://github.com/topojson/topojson-specification>. Arcs are delta-encoded when a
//! `transform` is present: position_k = translate + scale * sum_{j<=k} delta_j. A negative arc
//! index `~i` (= -i-1) means arc i reversed.

use serde_json::{json, Value};

use crate::error::{DataError, ErrorKind, Result};

/// A decoded feature: its properties and its GeoJSON geometry.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Properties as in the file (`code`, `name`, `name_eng`...).
    pub properties: serde_json::Map<String, Value>,
    /// GeoJSON geometry object.
    pub geometry: Value,
}

/// Decodes the first object of a TopoJSON topology.
pub fn decode(text: &str, file: &str) -> Result<Vec<Feature>> {
    let bad = |m: &str| {
        DataError::file(
            ErrorKind::UnsupportedFormat,
            file,
            format!("not a TopoJSON topology: {m}"),
        )
    };
    let topo: Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
    let (scale, translate) = match topo.get("transform") {
        Some(t) => (
            [num(&t["scale"][0]), num(&t["scale"][1])],
            [num(&t["translate"][0]), num(&t["translate"][1])],
        ),
        None => ([1.0, 1.0], [0.0, 0.0]),
    };
    let quantized = topo.get("transform").is_some();
    let arcs: Vec<Vec<[f64; 2]>> = topo["arcs"]
        .as_array()
        .ok_or_else(|| bad("no arcs"))?
        .iter()
        .map(|arc| {
            let mut x = 0.0;
            let mut y = 0.0;
            arc.as_array()
                .map(|pts| {
                    pts.iter()
                        .map(|p| {
                            let (dx, dy) = (num(&p[0]), num(&p[1]));
                            if quantized {
                                x += dx;
                                y += dy;
                                [translate[0] + scale[0] * x, translate[1] + scale[1] * y]
                            } else {
                                [dx, dy]
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let objects = topo["objects"]
        .as_object()
        .ok_or_else(|| bad("no objects"))?;
    let obj = objects.values().next().ok_or_else(|| bad("no object"))?;
    let geoms = obj["geometries"]
        .as_array()
        .ok_or_else(|| bad("no geometries"))?;
    let ring = |idx: &Value| -> Vec<[f64; 2]> {
        let mut out: Vec<[f64; 2]> = Vec::new();
        for a in idx.as_array().into_iter().flatten() {
            let i = a.as_i64().unwrap_or(0);
            let (k, rev) = if i < 0 {
                ((!i) as usize, true)
            } else {
                (i as usize, false)
            };
            let Some(arc) = arcs.get(k) else { continue };
            let pts: Vec<[f64; 2]> = if rev {
                arc.iter().rev().copied().collect()
            } else {
                arc.clone()
            };
            let skip = usize::from(!out.is_empty());
            out.extend(pts.into_iter().skip(skip));
        }
        out
    };
    // Simplified files collapse tiny islets into rings of fewer than 4 positions (zero area):
    // such rings are dropped, and a polygon whose outer ring is dropped goes with it.
    let polygon = |rings: &[Value]| -> Vec<Vec<[f64; 2]>> {
        let decoded: Vec<Vec<[f64; 2]>> = rings.iter().map(&ring).collect();
        if decoded.first().is_none_or(|r| r.len() < 4) {
            return Vec::new();
        }
        decoded.into_iter().filter(|r| r.len() >= 4).collect()
    };
    let mut features = Vec::new();
    for g in geoms {
        let props = g["properties"].as_object().cloned().unwrap_or_default();
        let geometry = match g["type"].as_str() {
            Some("Polygon") => {
                let rings = polygon(g["arcs"].as_array().map(|v| v.as_slice()).unwrap_or(&[]));
                if rings.is_empty() {
                    Value::Null
                } else {
                    json!({"type": "Polygon", "coordinates": rings})
                }
            }
            Some("MultiPolygon") => {
                let polys: Vec<Vec<Vec<[f64; 2]>>> = g["arcs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| polygon(p.as_array().map(|v| v.as_slice()).unwrap_or(&[])))
                    .filter(|p| !p.is_empty())
                    .collect();
                json!({"type": "MultiPolygon", "coordinates": polys})
            }
            _ => Value::Null,
        };
        features.push(Feature {
            properties: props,
            geometry,
        });
    }
    Ok(features)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Rings of each feature's geometry (Polygon or MultiPolygon; all rings of all parts), for
/// contiguity and centroids.
pub fn rings(feature: &Feature) -> Vec<Vec<[f64; 2]>> {
    let mut out = Vec::new();
    let coords = &feature.geometry["coordinates"];
    let push_poly = |p: &Value, out: &mut Vec<Vec<[f64; 2]>>| {
        for r in p.as_array().into_iter().flatten() {
            let ring: Vec<[f64; 2]> = r
                .as_array()
                .into_iter()
                .flatten()
                .map(|pt| [num(&pt[0]), num(&pt[1])])
                .collect();
            out.push(ring);
        }
    };
    match feature.geometry["type"].as_str() {
        Some("Polygon") => push_poly(coords, &mut out),
        Some("MultiPolygon") => {
            for p in coords.as_array().into_iter().flatten() {
                push_poly(p, &mut out);
            }
        }
        _ => {}
    }
    out
}

/// Reads boundaries from TopoJSON (a `Topology`) or GeoJSON (a `FeatureCollection`).
pub fn read_boundaries(text: &str, file: &str) -> Result<Vec<Feature>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        DataError::file(ErrorKind::UnsupportedFormat, file, format!("not JSON: {e}"))
    })?;
    match v["type"].as_str() {
        Some("Topology") => decode(text, file),
        Some("FeatureCollection") => Ok(v["features"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| Feature {
                properties: f["properties"].as_object().cloned().unwrap_or_default(),
                geometry: f["geometry"].clone(),
            })
            .collect()),
        other => Err(DataError::file(
            ErrorKind::UnsupportedFormat,
            file,
            format!(
                "expected a TopoJSON Topology or a GeoJSON FeatureCollection, found type {other:?}"
            ),
        )),
    }
}
