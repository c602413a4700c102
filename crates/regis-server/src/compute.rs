//! The numbers behind pages and API responses, computed with `regis-methods` on the data of
//! `regis-data`. Pages and API call the same functions, so a page shows exactly what its API
//! call returns.

use regis_core::{Level, Panel, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::{korea, korea_history, topojson};
use regis_methods::shift_share::{shift_share, Components, ShiftShareMethod};
use regis_methods::specialisation::{location_quotients, RegionIndustry};

use crate::error::AppError;

pub use regis_app::source::{Loaded, Sources};

/// The panel of a measure at a level: its own table, or finer data summed up (additive only).
pub fn panel_at(l: &Loaded, level: Level) -> Result<Panel, AppError> {
    if let Some(lp) = l.dataset.panel_at(level) {
        return Ok(lp.panel.clone());
    }
    if let Some(lp) = l
        .dataset
        .panels
        .iter()
        .find(|lp| lp.levels.iter().any(|x| *x > level))
    {
        return lp
            .panel
            .aggregate_to(&l.catalog, level)
            .map_err(|e| AppError::bad("not-additive", e.to_string()));
    }
    Err(AppError::bad(
        "no-data-at-level",
        format!("`{}` has no data at level {level}", l.dataset.measure.id),
    ))
}

/// Checks a period against a panel.
pub fn check_period(panel: &Panel, period: Option<i32>, measure: &str) -> Result<Period, AppError> {
    let ps = panel.periods();
    let (first, last) = match (ps.first(), ps.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => {
            return Err(AppError::bad(
                "no-period",
                format!("`{measure}` has no period"),
            ))
        }
    };
    match period {
        None => Ok(Period(last)),
        Some(p) if ps.contains(&Period(p)) => Ok(Period(p)),
        Some(p) => Err(AppError::bad("period-out-of-range", format!("period {p} is not covered: `{measure}` at this level has {first}-{last} ({} periods)", ps.len()))),
    }
}

/// What the map colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// The value itself.
    Level,
    /// Divided by population.
    PerCapita,
    /// Share of the national total (sum over the level).
    Share,
    /// Location quotient of the chosen industry.
    Lq,
    /// Growth since the previous period, percent.
    Growth,
}

impl Index {
    /// Parses `level`, `per_capita`, `share`, `lq`, `growth`.
    pub fn parse(s: &str) -> Result<Index, AppError> {
        Ok(match s {
            "level" => Index::Level,
            "per_capita" | "per-capita" => Index::PerCapita,
            "share" => Index::Share,
            "lq" => Index::Lq,
            "growth" => Index::Growth,
            other => {
                return Err(AppError::bad(
                    "bad-parameter",
                    format!(
                        "unknown index `{}`; expected level, per_capita, share, lq or growth",
                        crate::error::shown(other)
                    ),
                ))
            }
        })
    }

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Index::Level => "level",
            Index::PerCapita => "per_capita",
            Index::Share => "share",
            Index::Lq => "lq",
            Index::Growth => "growth",
        }
    }
}

/// Total used for location quotients: gross value added when the classification has it.
fn lq_total(panel: &Panel) -> &'static str {
    if panel.industries().iter().any(|i| i == "GVA") {
        "GVA"
    } else {
        TOTAL_INDUSTRY
    }
}

/// One region's value on the map.
#[derive(Debug, Clone)]
pub struct MapValue {
    /// Region.
    pub region: RegionId,
    /// Index value.
    pub value: Option<f64>,
}

/// Values of an index for every region of a level in a period.
pub fn map_values(
    sources: &Sources,
    l: &Loaded,
    level: Level,
    period: Option<i32>,
    industry: &str,
    index: Index,
) -> Result<(Period, Vec<MapValue>), AppError> {
    let panel = panel_at(l, level)?;
    let period = check_period(&panel, period, &l.dataset.measure.id)?;
    if !panel.industries().iter().any(|i| i == industry) {
        return Err(AppError::bad(
            "unknown-industry",
            format!(
                "industry `{}` is not in `{}`; it has: {}",
                crate::error::shown(industry),
                l.dataset.measure.id,
                panel.industries().join(", ")
            ),
        ));
    }
    let cat = &l.catalog;
    let regions: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| {
            cat.region(*r).level == level
                || (level == Level::DISTRICT && cat.region(*r).level == Level::SUBDISTRICT)
        })
        .collect();
    let own: Vec<RegionId> = regions
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    let population = if index == Index::PerCapita {
        let p = sources.measure("population")?;
        Some(panel_at(&p, level)?)
    } else {
        None
    };
    let total: f64 = own
        .iter()
        .filter_map(|r| panel.get(*r, industry, period))
        .sum();
    let lq_t = lq_total(&panel);
    let ind_total: f64 = own
        .iter()
        .filter_map(|r| panel.get(*r, industry, period))
        .sum();
    let all_total: f64 = own.iter().filter_map(|r| panel.get(*r, lq_t, period)).sum();
    let prev = panel.periods().iter().rev().find(|p| **p < period).copied();
    if index == Index::Lq && (industry == TOTAL_INDUSTRY || industry == lq_t) {
        return Err(AppError::bad("bad-parameter", "a location quotient needs an industry, not the total: add &industry=C (manufacturing), for example"));
    }
    if index == Index::Growth && prev.is_none() {
        return Err(AppError::bad(
            "bad-parameter",
            format!("growth needs a period before {period}"),
        ));
    }
    let values = regions
        .iter()
        .map(|&r| {
            let x = panel.get(r, industry, period);
            let value = match index {
                Index::Level => x,
                Index::PerCapita => x.and_then(|x| {
                    population
                        .as_ref()?
                        .get(r, TOTAL_INDUSTRY, period)
                        .filter(|p| *p > 0.0)
                        .map(|p| x / p)
                }),
                Index::Share => x.filter(|_| total != 0.0).map(|x| x / total),
                Index::Lq => x.and_then(|x| {
                    let rt = panel.get(r, lq_t, period)?;
                    (rt > 0.0 && ind_total > 0.0 && all_total > 0.0)
                        .then(|| (x / rt) / (ind_total / all_total))
                }),
                Index::Growth => x.and_then(|x| {
                    let p = panel.get(r, industry, prev?)?;
                    (p != 0.0).then(|| (x / p - 1.0) * 100.0)
                }),
            };
            MapValue { region: r, value }
        })
        .collect();
    Ok((period, values))
}

/// A boundary feature joined to a region (gu polygons merged into their city when the value
/// belongs to the city).
pub struct Joined {
    /// The region.
    pub region: RegionId,
    /// Rings (lon/lat), for drawing and contiguity.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Polygons of the original geometries (GeoJSON coordinates of each polygon).
    pub polygons: Vec<serde_json::Value>,
    /// Value.
    pub value: Option<f64>,
}

/// The built-in boundaries of a level, decoded once and shared.
pub fn boundaries(level: Level) -> Result<&'static [topojson::Feature], AppError> {
    static PROVINCES: std::sync::OnceLock<Vec<topojson::Feature>> = std::sync::OnceLock::new();
    static DISTRICTS: std::sync::OnceLock<Vec<topojson::Feature>> = std::sync::OnceLock::new();
    let (cell, (path, text)) = match level {
        Level::PROVINCE => (&PROVINCES, korea::PROVINCES_TOPOJSON),
        Level::DISTRICT => (&DISTRICTS, korea::DISTRICTS_TOPOJSON),
        _ => {
            return Err(AppError::bad(
                "bad-parameter",
                "maps exist for levels province and district",
            ))
        }
    };
    if let Some(f) = cell.get() {
        return Ok(f);
    }
    let decoded = topojson::decode(text, path)?;
    Ok(cell.get_or_init(|| decoded))
}

/// The built-in boundaries of a level joined with values.
pub fn join_boundaries(
    cat: &RegionCatalog,
    level: Level,
    period: Period,
    values: &[MapValue],
) -> Result<Vec<Joined>, AppError> {
    let features = boundaries(level)?;
    let sgis = cat.system_index(korea::SGIS);
    let value_of = |r: RegionId| values.iter().find(|v| v.region == r).and_then(|v| v.value);
    let has = |r: RegionId| values.iter().any(|v| v.region == r && v.value.is_some());
    let mut out: Vec<Joined> = Vec::new();
    for f in features {
        let code = f
            .properties
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or_default();
        let Ok(mut r) = cat.resolve(code, sgis, Some(2018), None) else {
            continue;
        };
        let reg = cat.region(r);
        if !reg.valid_in(period.0) && reg.valid_to < period.0 {
            let (cw, _) = korea_history::crosswalk(
                reg.level.min(Level::DISTRICT),
                reg.valid_to.clamp(1998, 2024),
                period.0.clamp(1998, 2024),
            );
            if let Some(l) = cw.links.iter().find(|l| l.from == r && l.weight > 0.999) {
                r = l.to;
            }
        }
        let reg = cat.region(r);
        if reg.level == Level::SUBDISTRICT && !has(r) {
            if let Some(p) = reg.parent.filter(|p| has(*p)) {
                r = p;
            }
        }
        let rings = topojson::rings(f);
        let polygons: Vec<serde_json::Value> = match f.geometry["type"].as_str() {
            Some("Polygon") => vec![f.geometry["coordinates"].clone()],
            Some("MultiPolygon") => f.geometry["coordinates"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        match out.iter_mut().find(|j| j.region == r) {
            Some(j) => {
                j.rings.extend(rings);
                j.polygons.extend(polygons);
            }
            None => out.push(Joined {
                region: r,
                rings,
                polygons,
                value: value_of(r),
            }),
        }
    }
    Ok(out)
}

/// Finest industries of a panel's classification (a partition of value added).
pub fn leaf_industries(panel: &Panel) -> Vec<String> {
    let cl = panel
        .classification
        .as_deref()
        .and_then(korea::classification);
    let present = panel.industries();
    match cl {
        Some(c) => present
            .iter()
            .filter(|i| {
                c.get(i).is_some_and(|x| x.parent.is_some())
                    && !c.children(i).iter().any(|k| present.contains(&k.code))
            })
            .cloned()
            .collect(),
        None => present
            .iter()
            .filter(|i| *i != TOTAL_INDUSTRY)
            .cloned()
            .collect(),
    }
}

/// A region's shift-share over (from, to): per industry and in total.
pub type RegionShiftShare = (Period, Period, Vec<(String, Components)>, Components);

/// A region's profile on one measure.
pub struct Profile {
    /// The region.
    pub region: RegionId,
    /// Latest period.
    pub period: Period,
    /// Industry, value, share of the region's total, LQ.
    pub structure: Vec<(String, f64, f64, Option<f64>)>,
    /// Shift-share of the region over (from, to), by industry and total.
    pub shift_share: Option<RegionShiftShare>,
    /// Total per period with the region's rank among regions of its level (1 = largest).
    pub trend: Vec<(Period, Option<f64>, Option<usize>, usize)>,
}

/// Builds a region's profile (industry structure, LQs, shift-share, trend and rank).
pub fn profile(l: &Loaded, region: RegionId) -> Result<Profile, AppError> {
    let cat = &l.catalog;
    let level = cat.region(region).level;
    let panel = panel_at(l, level)?;
    if !panel.has_region(region) {
        return Err(AppError::not_found(
            "no-data-for-region",
            format!(
                "`{}` has no data for {}",
                l.dataset.measure.id,
                cat.region(region).name_en
            ),
        ));
    }
    let peers: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    let period = *panel
        .periods()
        .iter()
        .rev()
        .find(|p| panel.get(region, TOTAL_INDUSTRY, **p).is_some())
        .ok_or_else(|| AppError::not_found("no-data-for-region", "no value in any period"))?;
    let leaves = leaf_industries(&panel);
    let complete = |p: Period| -> Vec<RegionId> {
        peers
            .iter()
            .copied()
            .filter(|r| leaves.iter().all(|i| panel.get(*r, i, p).is_some()))
            .collect()
    };
    let mut structure = Vec::new();
    if leaves.len() > 1 {
        let rs = complete(period);
        if let Some(pos) = rs.iter().position(|r| *r == region) {
            let values: Vec<f64> = rs
                .iter()
                .flat_map(|r| {
                    leaves
                        .iter()
                        .map(|i| panel.get(*r, i, period).unwrap_or(0.0).max(0.0))
                        .collect::<Vec<_>>()
                })
                .collect();
            let m = RegionIndustry::new(values, rs.len(), leaves.len())
                .map_err(|e| AppError::internal(e.to_string()))?;
            let lq = location_quotients(&m);
            let total: f64 = (0..leaves.len()).map(|i| m.get(pos, i)).sum();
            for (i, code) in leaves.iter().enumerate() {
                let v = m.get(pos, i);
                structure.push((
                    code.clone(),
                    v,
                    if total > 0.0 { v / total } else { 0.0 },
                    lq[pos * leaves.len() + i],
                ));
            }
        }
    }
    let mut shift = None;
    if leaves.len() > 1 && l.dataset.measure.additive {
        let from = panel
            .periods()
            .iter()
            .copied()
            .filter(|p| p.0 >= period.0 - 10 && *p < period)
            .find(|p| complete(*p).contains(&region));
        if let Some(from) = from {
            let rs: Vec<RegionId> = complete(from)
                .into_iter()
                .filter(|r| complete(period).contains(r))
                .collect();
            if let Some(pos) = rs.iter().position(|r| *r == region) {
                let pr = &panel;
                let mat = |p: Period| -> Vec<f64> {
                    rs.iter()
                        .flat_map(|r| leaves.iter().map(move |i| pr.get(*r, i, p).unwrap_or(0.0)))
                        .collect()
                };
                let (a, b) = (mat(from), mat(period));
                let s = shift_share(&[&a, &b], rs.len(), leaves.len(), ShiftShareMethod::Classic);
                let cells = leaves
                    .iter()
                    .enumerate()
                    .map(|(i, code)| (code.clone(), s.cells[pos * leaves.len() + i]))
                    .collect();
                shift = Some((from, period, cells, s.regions[pos]));
            }
        }
    }
    let trend = panel
        .periods()
        .iter()
        .map(|&p| {
            let v = panel.get(region, TOTAL_INDUSTRY, p);
            let mut vals: Vec<f64> = peers
                .iter()
                .filter_map(|r| panel.get(*r, TOTAL_INDUSTRY, p))
                .collect();
            vals.sort_by(|a, b| b.total_cmp(a));
            let rank = v.and_then(|x| vals.iter().position(|y| *y == x).map(|k| k + 1));
            (p, v, rank, vals.len())
        })
        .collect();
    Ok(Profile {
        region,
        period,
        structure,
        shift_share: shift,
        trend,
    })
}
