//! Boundary-vintage crosswalks for Korea, built from the neighbourhood (eup-myeon-dong) rows
//! of the administrative code history 1998-2024.
//!
//! Method. Each neighbourhood row carries its SGIS code for every year it existed; the first
//! five digits name its si-gun-gu. A unit that changed its MOIS code (a merger, Sejong's
//! creation) appears as a row that ends in year y and a new row that starts in y+1: the two are
//! linked when their Korean names match (조치원읍 in Yeongi-gun 2011 -> 조치원읍 in Sejong 2012).
//! A region of the source year is then allocated to target-year regions in proportion to the
//! number of its neighbourhoods that end up in each.
//!
//! Simplification (documented for users): split weights are shares of neighbourhoods, not of
//! population or area, because the code history has no population; totals are preserved exactly
//! whatever the weights. Neighbourhoods that cannot be followed are left out of the weights of
//! their district; a district none of whose neighbourhoods can be followed maps to itself when
//! it still exists, and is reported otherwise.

use std::collections::{BTreeMap, HashMap};

use regis_core::{Crosswalk, CrosswalkLink, Level, RegionCatalog, RegionId};

use crate::error::Result;
use crate::korea::{catalog, CODE_HISTORY_CSV, SGIS};
use crate::table::Table;

struct Neighbourhood {
    name: String,
    codes: BTreeMap<i32, String>,
}

impl Neighbourhood {
    fn first(&self) -> i32 {
        *self.codes.keys().next().unwrap_or(&0)
    }
    fn last(&self) -> i32 {
        *self.codes.keys().next_back().unwrap_or(&0)
    }
}

struct History {
    rows: Vec<Neighbourhood>,
    succ: HashMap<usize, Vec<usize>>,
    pred: HashMap<usize, Vec<usize>>,
}

fn history() -> &'static History {
    static H: std::sync::OnceLock<History> = std::sync::OnceLock::new();
    H.get_or_init(|| build_history().expect("built-in code history parses"))
}

fn build_history() -> Result<History> {
    let (path, text) = CODE_HISTORY_CSV;
    let t = Table::from_csv_text(text, path, None)?;
    let c_name = t.column("name").unwrap_or(6);
    let c_level = t.column("level").unwrap_or(9);
    let year_cols: Vec<(i32, usize)> = t
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            h.strip_prefix("sgis_")
                .and_then(|y| y.parse().ok())
                .map(|y| (y, i))
        })
        .collect();
    let mut rows = Vec::new();
    for r in &t.rows {
        if r.cells[c_level] != "Neighborhood" {
            continue;
        }
        let codes: BTreeMap<i32, String> = year_cols
            .iter()
            .filter_map(|&(y, c)| {
                let v = r.cells[c].trim();
                (v.len() >= 5).then(|| (y, v[..5].to_string()))
            })
            .collect();
        if !codes.is_empty() {
            rows.push(Neighbourhood {
                name: r.cells[c_name].trim().to_string(),
                codes,
            });
        }
    }
    // Link rows that end in y to rows that start in y+1 with the same name, when the name is
    // unique among the rows starting that year.
    let mut starting: HashMap<(i32, &str), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        starting
            .entry((r.first(), r.name.as_str()))
            .or_default()
            .push(i);
    }
    let mut succ: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut pred: HashMap<usize, Vec<usize>> = HashMap::new();
    let last_year = rows.iter().map(|r| r.last()).max().unwrap_or(0);
    for (i, r) in rows.iter().enumerate() {
        if r.last() >= last_year {
            continue;
        }
        if let Some(next) = starting.get(&(r.last() + 1, r.name.as_str())) {
            if next.len() == 1 {
                succ.entry(i).or_default().push(next[0]);
                pred.entry(next[0]).or_default().push(i);
            }
        }
    }
    Ok(History { rows, succ, pred })
}

/// Rows (with weights) that neighbourhood `i` becomes in `year`.
fn follow(
    h: &History,
    i: usize,
    year: i32,
    weight: f64,
    out: &mut Vec<(usize, f64)>,
    depth: usize,
) {
    let r = &h.rows[i];
    if r.codes.contains_key(&year) {
        out.push((i, weight));
        return;
    }
    if depth > 30 {
        return;
    }
    let next = if year > r.last() {
        h.succ.get(&i)
    } else if year < r.first() {
        h.pred.get(&i)
    } else {
        None
    };
    if let Some(next) = next {
        let w = weight / next.len() as f64;
        for &n in next {
            follow(h, n, year, w, out, depth + 1);
        }
    }
}

fn region_of(cat: &RegionCatalog, code5: &str, year: i32, level: Level) -> Option<RegionId> {
    let sgis = cat.system_index(SGIS);
    let r = cat.resolve(code5, sgis, Some(year), None).ok()?;
    cat.ancestor_at(r, level)
}

/// The crosswalk that carries regions at `level` (province or district) from the boundaries of
/// `from` to those of `to`, plus the source regions that could not be mapped.
pub fn crosswalk(level: Level, from: i32, to: i32) -> (Crosswalk, Vec<RegionId>) {
    let cat = catalog();
    let h = history();
    let mut counts: HashMap<RegionId, HashMap<RegionId, f64>> = HashMap::new();
    for (i, r) in h.rows.iter().enumerate() {
        let Some(code) = r.codes.get(&from) else {
            continue;
        };
        let Some(src) = region_of(cat, code, from, level) else {
            continue;
        };
        let mut dest = Vec::new();
        follow(h, i, to, 1.0, &mut dest, 0);
        for (j, w) in dest {
            if let Some(t) = region_of(cat, &h.rows[j].codes[&to], to, level) {
                *counts.entry(src).or_default().entry(t).or_default() += w;
            }
        }
    }
    let mut links = Vec::new();
    let mut unmapped = Vec::new();
    for src in cat.at_level(level, Some(from)) {
        match counts.get(&src) {
            Some(m) if !m.is_empty() => {
                let total: f64 = m.values().sum();
                let mut targets: Vec<_> = m.iter().collect();
                targets.sort_by_key(|(t, _)| **t);
                for (t, w) in targets {
                    links.push(CrosswalkLink {
                        from: src,
                        to: *t,
                        weight: w / total,
                    });
                }
            }
            _ if cat.region(src).valid_in(to) => links.push(CrosswalkLink {
                from: src,
                to: src,
                weight: 1.0,
            }),
            _ => unmapped.push(src),
        }
    }
    (
        Crosswalk {
            name: format!("{} boundaries {from} -> {to}", level.name()),
            links,
            weight_basis: "share of neighbourhoods (eup-myeon-dong) of the source region that lie in the target region".into(),
        },
        unmapped,
    )
}

/// Re-expresses a panel of regions at `level` in the boundaries of `vintage`, period by
/// period (each period's regions are carried from that year's boundaries). Refuses
/// non-additive measures. Returns the panel and the regions that could not be mapped.
pub fn to_vintage(
    panel: &regis_core::Panel,
    level: Level,
    vintage: i32,
) -> std::result::Result<(regis_core::Panel, Vec<RegionId>), regis_core::HarmoniseError> {
    let cat = catalog();
    if !panel.measure.additive {
        return Err(regis_core::PanelError::NotAdditive(panel.measure.id.clone()).into());
    }
    let at_level: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    let mut parts = Vec::new();
    let mut unmapped = Vec::new();
    for &p in panel.periods() {
        // Only the units that existed that year (or hold a value for it) take part.
        let present: Vec<RegionId> = at_level
            .iter()
            .copied()
            .filter(|r| {
                cat.region(*r).valid_in(p.0)
                    || panel
                        .industries()
                        .iter()
                        .any(|i| panel.get(*r, i, p).is_some())
            })
            .collect();
        let slice = panel.select(Some(&present), None, Some(&[p]));
        // Years outside the code history (before 1998) use its first year's boundaries.
        let from = p.0.clamp(1998, 2024);
        let (cw, un) = crosswalk(level, from, vintage.clamp(1998, 2024));
        unmapped.extend(un.into_iter().filter(|r| {
            slice.get(*r, regis_core::TOTAL_INDUSTRY, p).is_some()
                || slice
                    .industries()
                    .iter()
                    .any(|i| slice.get(*r, i, p).is_some())
        }));
        parts.push(cw.apply(&slice, cat)?);
    }
    let mut regions: Vec<RegionId> = parts
        .iter()
        .flat_map(|q| q.regions().iter().copied())
        .collect();
    regions.sort();
    regions.dedup();
    let mut out = regis_core::Panel::new(
        panel.measure.clone(),
        panel.classification.clone(),
        regions,
        panel.industries().to_vec(),
        panel.periods().to_vec(),
    );
    for q in &parts {
        for c in q.cells() {
            out.set(c.region, &c.industry, c.period, c.value);
        }
    }
    unmapped.sort();
    unmapped.dedup();
    Ok((out, unmapped))
}
