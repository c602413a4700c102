//! The dashboard's questions: a measure's values on the map (level, per head, share, LQ,
//! growth), the boundaries joined to them, and a region's profile (structure, LQs, shift-share,
//! trend and rank). Pages and API call the same functions, so a page shows exactly what its API
//! call returns.

use regis_core::{Level, Panel, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::{korea, topojson};
use regis_methods::shift_share::{shift_share, Components, ShiftShareMethod};
use regis_methods::specialisation::{location_quotient, location_quotients};

use crate::error::shown;
use crate::source::{Loaded, Sources};
use crate::Error;

/// The panel of a measure at a level: its own table, or finer data summed up (additive only).
pub fn panel_at(l: &Loaded, level: Level) -> Result<Panel, Error> {
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
            .map_err(|e| Error::invalid("not-additive", e.to_string()));
    }
    Err(Error::invalid(
        "no-data-at-level",
        format!("`{}` has no data at level {level}", l.dataset.measure.id),
    ))
}

/// Checks a period against a panel.
pub fn check_period(panel: &Panel, period: Option<i32>, measure: &str) -> Result<Period, Error> {
    let ps = panel.periods();
    let (first, last) = match (ps.first(), ps.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => {
            return Err(Error::invalid(
                "no-period",
                format!("`{measure}` has no period"),
            ))
        }
    };
    match period {
        None => Ok(Period(last)),
        Some(p) if ps.contains(&Period(p)) => Ok(Period(p)),
        Some(p) => Err(Error::invalid("period-out-of-range", format!("period {p} is not covered: `{measure}` at this level has {first}-{last} ({} periods)", ps.len()))),
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
    pub fn parse(s: &str) -> Result<Index, Error> {
        Ok(match s {
            "level" => Index::Level,
            "per_capita" | "per-capita" => Index::PerCapita,
            "share" => Index::Share,
            "lq" => Index::Lq,
            "growth" => Index::Growth,
            other => {
                return Err(Error::invalid(
                    "bad-parameter",
                    format!(
                        "unknown index `{}`; expected level, per_capita, share, lq or growth",
                        shown(other)
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
) -> Result<(Period, Vec<MapValue>), Error> {
    let panel = panel_at(l, level)?;
    let period = check_period(&panel, period, &l.dataset.measure.id)?;
    if !panel.industries().iter().any(|i| i == industry) {
        // A bad parameter of a map (400), as this question has always answered.
        return Err(
            match crate::matrix::unknown_industry(&panel, industry, &l.dataset.measure.id) {
                Error::NotFound { code, message, fix } => Error::Invalid { code, message, fix },
                other => other,
            },
        );
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
        return Err(Error::invalid("bad-parameter", "a location quotient needs an industry, not the total: add &industry=C (manufacturing), for example"));
    }
    if index == Index::Growth && prev.is_none() {
        return Err(Error::invalid(
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
                    location_quotient(x, panel.get(r, lq_t, period)?, ind_total, all_total)
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
pub fn boundaries(level: Level) -> Result<&'static [topojson::Feature], Error> {
    static PROVINCES: std::sync::OnceLock<Vec<topojson::Feature>> = std::sync::OnceLock::new();
    static DISTRICTS: std::sync::OnceLock<Vec<topojson::Feature>> = std::sync::OnceLock::new();
    let (cell, (path, text)) = match level {
        Level::PROVINCE => (&PROVINCES, korea::PROVINCES_TOPOJSON),
        Level::DISTRICT => (&DISTRICTS, korea::DISTRICTS_TOPOJSON),
        _ => {
            return Err(Error::invalid(
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
) -> Result<Vec<Joined>, Error> {
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
        r = crate::resolve::successor_in(cat, r, period.0);
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
    /// Beside each industry of `structure`: the region's rank by LQ among the regions of its
    /// level with an LQ in that industry (1 = most specialised), and how many those are.
    pub lq_rank: Vec<Option<(usize, usize)>>,
    /// Shift-share of the region over (from, to), by industry and total.
    pub shift_share: Option<RegionShiftShare>,
    /// Total per period with the region's rank among regions of its level (1 = largest).
    pub trend: Vec<(Period, Option<f64>, Option<usize>, usize)>,
}

/// Builds a region's profile (industry structure, LQs, shift-share, trend and rank).
pub fn profile(l: &Loaded, region: RegionId) -> Result<Profile, Error> {
    let cat = &l.catalog;
    let level = cat.region(region).level;
    let panel = panel_at(l, level)?;
    if !panel.has_region(region) {
        return Err(Error::not_found(
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
        .ok_or_else(|| Error::not_found("no-data-for-region", "no value in any period"))?;
    let leaves = leaf_industries(&panel);
    let complete = |p: Period| -> Vec<RegionId> {
        peers
            .iter()
            .copied()
            .filter(|r| leaves.iter().all(|i| panel.get(*r, i, p).is_some()))
            .collect()
    };
    let mut structure = Vec::new();
    let mut lq_rank = Vec::new();
    if leaves.len() > 1 {
        // A region with a negative industry value is left out of the LQs (and has none).
        let (m, kept, _) =
            crate::matrix::matrix(&panel, cat, &complete(period), &leaves, period, false);
        if let Some(pos) = kept.iter().position(|r| *r == region) {
            let lq = location_quotients(&m);
            let total: f64 = (0..leaves.len()).map(|i| m.get(pos, i)).sum();
            for (i, code) in leaves.iter().enumerate() {
                let v = m.get(pos, i);
                let column: Vec<f64> = (0..kept.len())
                    .filter_map(|r| lq[r * leaves.len() + i])
                    .collect();
                lq_rank.push(lq[pos * leaves.len() + i].map(|own| {
                    (
                        1 + column.iter().filter(|x| **x > own).count(),
                        column.len(),
                    )
                }));
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
        lq_rank,
        shift_share: shift,
        trend,
    })
}

/// Where one industry concentrates: its regions ranked by value, with shares and LQs, and the
/// industry's concentration indices, within the partition of industries it belongs to.
#[derive(Debug, Clone)]
pub struct IndustryProfile {
    /// The industry's code (a name given is resolved to it).
    pub code: String,
    /// Classification of the panel.
    pub classification: Option<String>,
    /// The period.
    pub period: Period,
    /// Locational Gini.
    pub locational_gini: Option<f64>,
    /// Herfindahl across regions.
    pub herfindahl: Option<f64>,
    /// Krugman concentration.
    pub krugman_concentration: Option<f64>,
    /// Ellison-Glaeser without plant data (H = 0).
    pub ellison_glaeser_h0: Option<f64>,
    /// Regions by value, largest first: (region, value, share of the industry, LQ).
    pub regions: Vec<(RegionId, f64, f64, Option<f64>)>,
    /// Regions left out (a missing or negative value in the partition).
    pub diagnostics: Vec<String>,
}

/// Answers "where does industry `code` concentrate?" on a measure at a level and period. The
/// partition the industry belongs to is the industries at its depth plus finer leaves above it
/// (C at depth 2 sits among the sections; C1 among the finest activities).
pub fn industry_profile(
    l: &Loaded,
    code: &str,
    level: Level,
    period: Option<i32>,
) -> Result<IndustryProfile, Error> {
    use regis_methods::specialisation::{
        ellison_glaeser, herfindahl_industries, krugman_concentration, locational_gini,
    };
    let measure = &l.dataset.measure.id;
    let panel = panel_at(l, level)?;
    let cl = panel.classification.clone();
    let code = cl
        .as_deref()
        .and_then(korea::classification)
        .and_then(|c| c.find(code))
        .map(|i| i.code.clone())
        .unwrap_or_else(|| code.to_string());
    let leaves: Vec<String> = match cl.as_deref().and_then(korea::classification) {
        Some(c) if c.get(&code).is_some_and(|i| i.parent.is_some()) => {
            let d = c.get(&code).map(|i| i.level).unwrap_or(0);
            let leafs = leaf_industries(&panel);
            panel
                .industries()
                .iter()
                .filter(|i| {
                    c.get(i).is_some_and(|x| {
                        x.parent.is_some() && (x.level == d || (x.level < d && leafs.contains(*i)))
                    })
                })
                .cloned()
                .collect()
        }
        _ => leaf_industries(&panel),
    };
    if !leaves.contains(&code) {
        return Err(Error::not_found(
            "unknown-industry",
            format!(
                "industry `{}` is not an industry of `{measure}` at level {level}; industries: {}",
                shown(&code),
                leaves.join(", ")
            ),
        ));
    }
    let period = check_period(&panel, period, measure)?;
    let cat = &l.catalog;
    let candidates = crate::matrix::regions_at(&panel, cat, level);
    let (m, rs, diags) = crate::matrix::matrix(&panel, cat, &candidates, &leaves, period, false);
    let k = leaves.iter().position(|x| *x == code).unwrap_or(0);
    let lq = location_quotients(&m);
    let rt = m.region_totals();
    let tot = m.total();
    let it = m.industry_totals();
    let x: Vec<f64> = rt.iter().map(|v| v / tot).collect();
    let c: Vec<f64> = (0..rs.len())
        .map(|r| {
            if it[k] > 0.0 {
                m.get(r, k) / it[k]
            } else {
                0.0
            }
        })
        .collect();
    let mut regions: Vec<(RegionId, f64, f64, Option<f64>)> = rs
        .iter()
        .enumerate()
        .map(|(r, id)| (*id, m.get(r, k), c[r], lq[r * leaves.len() + k]))
        .collect();
    regions.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(IndustryProfile {
        code,
        classification: cl,
        period,
        locational_gini: locational_gini(&m)[k],
        herfindahl: herfindahl_industries(&m)[k],
        krugman_concentration: krugman_concentration(&m)[k],
        ellison_glaeser_h0: ellison_glaeser(&c, &x, 0.0),
        regions,
        diagnostics: diags.iter().map(|d| d.to_string()).collect(),
    })
}

/// The Lorenz curve of a measure's totals across the regions of a level in a period: the
/// period and the curve's points (cumulative share of regions, cumulative share of the total).
pub fn lorenz(
    sources: &Sources,
    l: &Loaded,
    level: Level,
    period: Option<i32>,
) -> Result<(Period, Vec<(f64, f64)>), Error> {
    use regis_methods::inequality::{lorenz_curve, Sample};
    let (period, vals) = map_values(sources, l, level, period, TOTAL_INDUSTRY, Index::Level)?;
    let v: Vec<f64> = vals
        .iter()
        .filter(|x| l.catalog.region(x.region).level == level)
        .filter_map(|x| x.value)
        .collect();
    Ok((period, lorenz_curve(&Sample::new(&v))))
}

/// The methods Regis implements, with their references (the methods page).
pub use regis_methods::catalog::METHODS;
