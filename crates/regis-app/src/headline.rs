//! A region's headline figures, the first questions about a place: how many people, how much
//! output, how much per head — each with its year, unit, rank among the regions of its level
//! and share of the nation (the region profile's cards).

use regis_core::{Level, Period, RegionId, TOTAL_INDUSTRY};
use serde::Serialize;

use crate::explore::panel_at;
use crate::source::Sources;
use crate::Lang;

/// One headline figure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    /// `population`, `grdp_nominal` or `grdp_per_head`.
    pub id: &'static str,
    /// Its label in the request's language.
    pub label: String,
    /// The value.
    pub value: f64,
    /// Its unit in the request's language.
    pub unit: String,
    /// The year of the value (the latest the region has).
    pub year: i32,
    /// Rank among the regions of its level that year (1 = largest).
    pub rank: usize,
    /// How many regions of its level have a value that year.
    pub of: usize,
    /// Share of the nation's value that year (none for a per-head figure).
    pub share_of_nation: Option<f64>,
}

/// The latest value of `region` in the total of a built-in or stored measure, with its rank
/// and the nation's value that year.
fn latest(
    sources: &Sources,
    measure: &str,
    region: RegionId,
    year: Option<i32>,
) -> Option<(Period, f64, usize, usize, Option<f64>)> {
    let l = sources.measure(measure).ok()?;
    let cat = &l.catalog;
    let level = cat.region(region).level;
    let panel = panel_at(&l, level).ok()?;
    let period = match year {
        Some(y) => Period(y),
        None => *panel
            .periods()
            .iter()
            .rev()
            .find(|p| panel.get(region, TOTAL_INDUSTRY, **p).is_some())?,
    };
    let value = panel.get(region, TOTAL_INDUSTRY, period)?;
    let peers: Vec<f64> = panel
        .regions()
        .iter()
        .filter(|r| cat.region(**r).level == level)
        .filter_map(|r| panel.get(*r, TOTAL_INDUSTRY, period))
        .collect();
    let rank = 1 + peers.iter().filter(|v| **v > value).count();
    let nation = cat.at_level(Level::NATION, None).first().and_then(|n| {
        l.dataset
            .panel_at(Level::NATION)
            .and_then(|lp| lp.panel.get(*n, TOTAL_INDUSTRY, period))
    });
    Some((period, value, rank, peers.len(), nation))
}

/// The headline figures of `region`: population, GRDP and GRDP per head (the latest year with
/// both), each with year, unit, rank and share of the nation. Figures the data do not have are
/// left out.
///
/// ```
/// use regis_app::headline::headline;
/// let sources = regis_app::Sources::default();
/// let cat = regis_data::korea::catalog();
/// let sgis = cat.system_index(regis_data::korea::SGIS);
/// let seoul = cat.resolve("11", sgis, None, Some(regis_core::Level::PROVINCE)).unwrap();
/// let h = headline(&sources, seoul, regis_app::Lang::En);
/// let pop = h.iter().find(|x| x.id == "population").unwrap();
/// assert_eq!((pop.year, pop.value), (2020, 9_635_114.0));
/// ```
pub fn headline(sources: &Sources, region: RegionId, lang: Lang) -> Vec<Headline> {
    let ko = lang == Lang::Ko;
    let mut out = Vec::new();
    let pop = latest(sources, "population", region, None);
    if let Some((p, v, rank, of, nation)) = pop {
        out.push(Headline {
            id: "population",
            label: if ko { "인구" } else { "Population" }.into(),
            value: v,
            unit: if ko { "명" } else { "persons" }.into(),
            year: p.0,
            rank,
            of,
            share_of_nation: nation.map(|n| v / n),
        });
    }
    let grdp = latest(sources, "grdp_nominal", region, None);
    if let Some((p, v, rank, of, nation)) = grdp {
        out.push(Headline {
            id: "grdp_nominal",
            label: if ko {
                "지역내총생산(명목)"
            } else {
                "GRDP (nominal)"
            }
            .into(),
            value: v,
            unit: if ko { "백만원" } else { "million KRW" }.into(),
            year: p.0,
            rank,
            of,
            share_of_nation: nation.map(|n| v / n),
        });
        // Per head in GRDP's year, ranked among the regions that have both.
        if let (Some(people), Ok(g), Ok(pl)) = (
            latest(sources, "population", region, Some(p.0)).map(|x| x.1),
            sources.measure("grdp_nominal"),
            sources.measure("population"),
        ) {
            let cat = &g.catalog;
            let level = cat.region(region).level;
            if let (Ok(gp), Ok(pp)) = (panel_at(&g, level), panel_at(&pl, level)) {
                let per_head = |r: RegionId| -> Option<f64> {
                    let (a, b) = (gp.get(r, TOTAL_INDUSTRY, p)?, pp.get(r, TOTAL_INDUSTRY, p)?);
                    (b > 0.0).then(|| a / b)
                };
                let value = v / people;
                let peers: Vec<f64> = gp
                    .regions()
                    .iter()
                    .filter(|r| cat.region(**r).level == level)
                    .filter_map(|r| per_head(*r))
                    .collect();
                out.push(Headline {
                    id: "grdp_per_head",
                    label: if ko {
                        "1인당 지역내총생산"
                    } else {
                        "GRDP per head"
                    }
                    .into(),
                    value,
                    unit: if ko {
                        "백만원/인"
                    } else {
                        "million KRW per person"
                    }
                    .into(),
                    year: p.0,
                    rank: 1 + peers.iter().filter(|x| **x > value).count(),
                    of: peers.len(),
                    share_of_nation: None,
                });
            }
        }
    }
    out
}
