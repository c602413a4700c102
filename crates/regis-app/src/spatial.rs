//! "Do high values cluster on the map?": values joined to boundaries, spatial weights built
//! from them, and global (Moran's I, Geary's C, Getis-Ord G, spatial Gini) or local (LISA,
//! G_i*) statistics. Behind `regis spatial` and `GET /api/v1/spatial`.

use std::path::PathBuf;

use regis_core::{Level, RegionId};
use regis_data::export::measure_json;
use regis_data::{korea, topojson, DataError};
use regis_methods::spatial::{
    centroid, geary, getis_ord_g, local_g, local_moran, moran, spatial_gini, Contiguity, Weights,
};
use serde::Serialize;

use crate::matrix::{per_head, region_name, value_per_head};
use crate::resolve::one_period;
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// What to compute.
#[derive(Debug, Clone)]
pub struct SpatialRequest {
    /// The measure or file.
    pub source: Source,
    /// Level of the regions.
    pub level: Level,
    /// The period (none: the latest).
    pub period: Option<i32>,
    /// Industry of the values (`_T`: totals).
    pub industry: String,
    /// Denominator measure (per head).
    pub per: Option<String>,
    /// `queen`, `rook`, `knn:K` or `band:KM`.
    pub weights: String,
    /// Permutations of the conditional randomisation tests.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
    /// Local statistics (LISA, G_i*) per unit instead of global ones.
    pub local: bool,
    /// Significance level of the LISA classes.
    pub alpha: f64,
    /// A user's TopoJSON/GeoJSON boundaries (the CLI only; none: the built-in Korean ones).
    pub boundaries: Option<PathBuf>,
    /// Property of a boundary feature holding the region code.
    pub boundary_code_field: String,
    /// Language of names.
    pub lang: Lang,
}

/// Moran's I with its three inferences.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MoranReport {
    /// I.
    pub i: f64,
    /// Its expectation under no autocorrelation, -1/(n-1).
    pub expected: f64,
    /// z under normality.
    pub z_normal: f64,
    /// p under normality.
    pub p_normal: f64,
    /// z under randomisation.
    pub z_random: f64,
    /// p under randomisation.
    pub p_random: f64,
    /// Pseudo p of the permutation test.
    pub p_sim: Option<f64>,
}

/// Getis-Ord G and its expectation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GetisOrd {
    /// G.
    pub g: f64,
    /// Its expectation under no autocorrelation.
    pub expected: f64,
}

/// The spatial Gini decomposition.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SpatialGiniReport {
    /// Gini.
    pub gini: f64,
    /// Share of the Gini from non-neighbour pairs.
    pub non_neighbour_share: f64,
    /// The rest: from neighbour pairs.
    pub neighbour_share: f64,
    /// Pseudo p.
    pub p_sim: Option<f64>,
}

/// The spatial report: global statistics, or local ones as rows.
#[derive(Debug, Clone, Serialize)]
pub struct SpatialReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Industry.
    pub industry: String,
    /// Denominator.
    pub per: Option<String>,
    /// Level.
    pub level: String,
    /// Period.
    pub period: i32,
    /// The weights asked for.
    pub weights: String,
    /// Units with a value.
    pub units: usize,
    /// Units without neighbours.
    pub islands: Vec<String>,
    /// Permutations.
    pub permutations: usize,
    /// Seed.
    pub seed: u64,
    /// Units left out, merged, islands.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    /// Moran's I (global).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moran: Option<MoranReport>,
    /// Geary's C (global).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geary_c: Option<Option<f64>>,
    /// Getis-Ord G (global).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub getis_ord_g: Option<Option<GetisOrd>>,
    /// Spatial Gini (global).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spatial_gini: Option<Option<SpatialGiniReport>>,
    /// LISA and G_i* per unit (local).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Table>,
    #[serde(skip)]
    note: String,
}

impl Tabular for SpatialReport {
    fn table(&self) -> Table {
        if let Some(rows) = &self.rows {
            return rows.clone();
        }
        let r = |n: &str| Column::rounded(n, "", 4);
        let mut t = Table::new(vec![
            Column::text("statistic"),
            r("value"),
            r("expected"),
            r("z"),
            r("p"),
        ]);
        if let Some(m) = &self.moran {
            let n = Cell::Empty;
            t.push(vec![
                Cell::text("Moran's I (normality)"),
                Cell::Number(m.i),
                Cell::Number(m.expected),
                Cell::Number(m.z_normal),
                Cell::Number(m.p_normal),
            ]);
            t.push(vec![
                Cell::text("Moran's I (randomisation)"),
                Cell::Number(m.i),
                Cell::Number(m.expected),
                Cell::Number(m.z_random),
                Cell::Number(m.p_random),
            ]);
            t.push(vec![
                Cell::text(format!("Moran's I ({} permutations)", self.permutations)),
                Cell::Number(m.i),
                Cell::Number(m.expected),
                n.clone(),
                Cell::num(m.p_sim),
            ]);
        }
        if let Some(c) = &self.geary_c {
            t.push(vec![
                Cell::text("Geary's C"),
                Cell::num(*c),
                Cell::Number(1.0),
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        if let Some(Some(g)) = &self.getis_ord_g {
            t.push(vec![
                Cell::text("Getis-Ord G"),
                Cell::Number(g.g),
                Cell::Number(g.expected),
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        if let Some(Some(s)) = &self.spatial_gini {
            t.push(vec![
                Cell::text("spatial Gini"),
                Cell::Number(s.gini),
                Cell::Empty,
                Cell::Empty,
                Cell::num(s.p_sim),
            ]);
            t.push(vec![
                Cell::text("  non-neighbour share"),
                Cell::Number(s.non_neighbour_share),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        t
    }
    fn note(&self) -> String {
        self.note.clone()
    }
}

fn build_weights(spec: &str, units: &[Vec<Vec<[f64; 2]>>]) -> Result<Weights> {
    let s = spec.trim().to_ascii_lowercase();
    let shown = crate::error::shown(spec);
    if s == "queen" {
        return Ok(Weights::contiguity(units, Contiguity::Queen));
    }
    if s == "rook" {
        return Ok(Weights::contiguity(units, Contiguity::Rook));
    }
    let centroids: Vec<[f64; 2]> = units.iter().map(centroid).collect();
    if let Some(k) = s.strip_prefix("knn:") {
        let k: usize = k.parse().map_err(|_| {
            DataError::argument(format!(
                "--weights {shown}: expected knn:K with K a whole number"
            ))
        })?;
        if k == 0 || k >= units.len() {
            return Err(DataError::argument(format!(
                "--weights {shown}: K must be between 1 and {}",
                units.len().saturating_sub(1)
            ))
            .into());
        }
        return Ok(Weights::knn(&centroids, k, true));
    }
    if let Some(d) = s.strip_prefix("band:") {
        let d: f64 = d
            .parse()
            .ok()
            .filter(|d: &f64| d.is_finite() && *d > 0.0)
            .ok_or_else(|| {
                DataError::argument(format!(
                    "--weights {shown}: expected band:KM with KM a distance in kilometres"
                ))
            })?;
        return Ok(Weights::distance_band(&centroids, d, true));
    }
    Err(DataError::argument(format!(
        "unknown --weights `{shown}`; expected queen, rook, knn:K or band:KM"
    ))
    .into())
}

/// Answers a [`SpatialRequest`]. Each boundary unit is joined to a region with a value in the
/// period; a non-autonomous gu without its own value is dissolved into its city when the city
/// has one (district GRDP is compiled for Suwon-si, not for its four gu); units without a
/// value are left out and named.
pub fn spatial(sources: &Sources, q: &SpatialRequest) -> Result<SpatialReport> {
    let (level, lang) = (q.level, q.lang);
    let loaded = sources.load(&q.source, None)?;
    let cat = &loaded.catalog;
    let mut warnings = Vec::new();
    let (panel, den) = per_head(
        sources,
        &loaded,
        level,
        q.per.as_deref(),
        None,
        &mut warnings,
    )?;
    let period = one_period(panel.periods(), q.period, &loaded.dataset.measure.id)?;
    let features = match &q.boundaries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::file(regis_data::ErrorKind::Io, path, e.to_string()))?;
            topojson::read_boundaries(&text, &path.display().to_string())?
        }
        None => {
            let (path, text) = match level {
                Level::PROVINCE => korea::PROVINCES_TOPOJSON,
                Level::DISTRICT | Level::SUBDISTRICT => korea::DISTRICTS_TOPOJSON,
                _ => {
                    return Err(DataError::argument(
                        "built-in boundaries exist for province and district levels",
                    )
                    .into())
                }
            };
            topojson::decode(text, path)?
        }
    };
    let sgis = cat.system_index(korea::SGIS);
    let value_of = |r: RegionId| {
        value_per_head(&panel, den.as_ref(), r, &q.industry, period).filter(|v| v.is_finite())
    };
    let mut units: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut ids: Vec<RegionId> = Vec::new();
    let mut values = Vec::new();
    let mut missing = Vec::new();
    let mut dissolved = 0;
    for ft in &features {
        let code = match &ft.properties.get(&q.boundary_code_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(DataError::argument(format!("a boundary feature has no `{}` property; name the code field with --boundary-code-field", crate::error::shown(&q.boundary_code_field))).into()),
        };
        let own = q.boundaries.is_some();
        let year = if own { period.0 } else { 2018 };
        let region = cat
            .resolve(&code, if own { None } else { sgis }, Some(year), None)
            .ok();
        let region = region.map(|r| crate::resolve::successor_in(cat, r, period.0));
        let target = region.and_then(|r| match value_of(r) {
            Some(v) => Some((r, v)),
            None => {
                let reg = cat.region(r);
                let parent = reg.parent.filter(|_| reg.level == Level::SUBDISTRICT)?;
                value_of(parent).map(|v| (parent, v))
            }
        });
        match target {
            Some((r, v)) => {
                if region != Some(r) {
                    dissolved += 1;
                }
                match ids.iter().position(|x| *x == r) {
                    Some(k) => units[k].extend(topojson::rings(ft)),
                    None => {
                        units.push(topojson::rings(ft));
                        ids.push(r);
                        values.push(v);
                    }
                }
            }
            None => missing.push(code),
        }
    }
    if values.len() < 4 {
        return Err(DataError::argument(format!("only {} boundary units have a value for {} in {period}: spatial statistics need at least 4", values.len(), loaded.dataset.measure.id)).into());
    }
    let w = build_weights(&q.weights, &units)?;
    let islands: Vec<String> = w
        .islands()
        .iter()
        .map(|&i| region_name(cat, ids[i], lang))
        .collect();
    let mut diagnostics = Vec::new();
    if !missing.is_empty() {
        diagnostics.push(format!(
            "[units-without-value] {} boundary unit(s) have no value and are left out: {}",
            missing.len(),
            missing.join(" ")
        ));
    }
    if dissolved > 0 {
        diagnostics.push(format!("[dissolved] {dissolved} non-autonomous gu polygon(s) merged into their city, which holds the value"));
    }
    if !islands.is_empty() {
        diagnostics.push(format!(
            "[islands] without neighbours under {} weights (zero spatial lag): {}",
            q.weights,
            islands.join(", ")
        ));
    }
    let wr = w.row_standardised();
    let mut report = SpatialReport {
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        per: q.per.clone(),
        level: level.name(),
        period: period.0,
        weights: q.weights.clone(),
        units: values.len(),
        islands,
        permutations: q.permutations,
        seed: q.seed,
        diagnostics: Vec::new(),
        attribution: loaded.attribution.clone(),
        moran: None,
        geary_c: None,
        getis_ord_g: None,
        spatial_gini: None,
        rows: None,
        note: String::new(),
    };
    if q.local {
        let lm = local_moran(&values, &wr, q.permutations, q.seed);
        let gs = local_g(
            &values,
            &w.with_self().row_standardised(),
            true,
            q.permutations,
            q.seed,
        );
        let unit = loaded.dataset.measure.unit.clone();
        let r4 = |n: &str| Column::rounded(n, "", 4);
        let mut t = Table::new(vec![
            Column::text("region_code"),
            Column::text("region"),
            Column::rounded("value", &unit, 4),
            r4("lisa_i"),
            Column::text("quadrant"),
            r4("lisa_p_sim"),
            Column::text("lisa_class"),
            r4("gi_star_z"),
            r4("gi_star_p_norm"),
            r4("gi_star_p_sim"),
        ]);
        for (k, &r) in ids.iter().enumerate() {
            let p = lm.p_sim.as_ref().map(|v| v[k]);
            let class = match p {
                Some(p) if p <= q.alpha && !w.row(k).is_empty() => lm.quadrant[k].label(),
                Some(_) => "ns",
                None => lm.quadrant[k].label(),
            };
            t.push(vec![
                Cell::text(&cat.region(r).code),
                Cell::text(region_name(cat, r, lang)),
                Cell::Number(values[k]),
                Cell::Number(lm.i[k]),
                Cell::text(lm.quadrant[k].label()),
                Cell::num(p),
                Cell::text(class),
                Cell::Number(gs.z[k]),
                Cell::Number(gs.p_normal[k]),
                Cell::num(gs.p_sim.as_ref().map(|v| v[k])),
            ]);
        }
        report.note = format!("Local Moran (LISA, row-standardised {} weights) and G_i*; lisa_class is the quadrant where the permutation p ≤ {} (HH hot spot, LL cold spot, HL/LH outliers), else ns. {}", q.weights, q.alpha, diagnostics.join(" "));
        report.rows = Some(t);
    } else {
        let m = moran(&values, &wr, q.permutations, q.seed);
        report.moran = Some(MoranReport {
            i: m.i,
            expected: m.expected,
            z_normal: m.z_normal,
            p_normal: m.p_normal,
            z_random: m.z_random,
            p_random: m.p_random,
            p_sim: m.p_sim,
        });
        report.geary_c = Some(geary(&values, &wr));
        report.getis_ord_g =
            Some(getis_ord_g(&values, &w.binary()).map(|(g, e)| GetisOrd { g, expected: e }));
        report.spatial_gini =
            Some(
                spatial_gini(&values, &w, q.permutations, q.seed).map(|s| SpatialGiniReport {
                    gini: s.gini,
                    non_neighbour_share: s.non_neighbour_share,
                    neighbour_share: s.gini - s.non_neighbour_share,
                    p_sim: s.p_sim,
                }),
            );
        report.note = format!(
            "{} {period}, {} weights. {}",
            loaded.dataset.measure.name_en,
            q.weights,
            diagnostics.join(" ")
        );
    }
    report.diagnostics = diagnostics;
    Ok(report)
}
