//! "How unequal are the regions, and how much does a group (the capital region) hold?": the
//! imbalance report behind `regis diagnose`, `GET /api/v1/diagnose` and `/api/v1/imbalance`.

use regis_core::{Diagnostic, Level, RegionGroup, RegionId};
use regis_data::export::measure_json;
use regis_data::{korea, DataError};
use regis_methods::imbalance::{imbalance, ImbalanceInput};
use serde::Serialize;

use crate::resolve::{choose_periods, group_of_members, in_group, panel_at_level, to_vintage};
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table};
use crate::{Lang, Result};

/// What to diagnose.
#[derive(Debug, Clone)]
pub struct DiagnoseRequest {
    /// The measure (or file).
    pub source: Source,
    /// Level of the regions compared.
    pub level: Level,
    /// Industry of the values (`_T` for totals).
    pub industry: String,
    /// A catalog group (`SMA`); none: the capital region for Korean data, no group otherwise.
    pub group: Option<String>,
    /// A group of the user's own, `NAME=code,code`; wins over `group`.
    pub group_members: Option<String>,
    /// Periods listed (empty: all).
    pub periods: Vec<i32>,
    /// First period.
    pub from: Option<i32>,
    /// Last period.
    pub to: Option<i32>,
    /// A denominator measure: values per head of it, weighted by it.
    pub per: Option<String>,
    /// Carry the data to the boundaries of this year.
    pub vintage: Option<i32>,
    /// Language of region names in messages.
    pub lang: Lang,
}

/// The group a report compares with the rest.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupRef {
    /// Id (`SMA`, or the name given).
    pub id: String,
    /// Korean name.
    pub name_ko: String,
    /// English name.
    pub name_en: String,
}

/// One period of the imbalance report. Shares and indices are unitless (shares are fractions
/// of 1); totals are in the measure's unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DiagnoseRow {
    /// Period (year).
    pub period: i32,
    /// Regions with a value.
    pub regions: usize,
    /// Sum over those regions (measure's unit).
    pub total: f64,
    /// Sum over the group's regions (none without a group).
    pub group_total: Option<f64>,
    /// The group's share of the total.
    pub group_share: Option<f64>,
    /// The group's share of the denominator, when per head.
    pub group_denominator_share: Option<f64>,
    /// Gini.
    pub gini: Option<f64>,
    /// Theil T.
    pub theil: Option<f64>,
    /// Between-group part of Theil T.
    pub theil_between: Option<f64>,
    /// Within-group part of Theil T.
    pub theil_within: Option<f64>,
    /// Theil L (mean log deviation).
    pub theil_l: Option<f64>,
    /// Atkinson, ε = 0.5.
    #[serde(rename = "atkinson_0.5")]
    pub atkinson_05: Option<f64>,
    /// Coefficient of variation (Williamson when weighted).
    pub cv: Option<f64>,
    /// Hoover index.
    pub hoover: Option<f64>,
    /// Notes on the data of this period.
    pub diagnostics: Vec<String>,
}

/// The imbalance report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DiagnoseReport {
    /// The measure (id, names, unit, price basis, additivity).
    pub measure: serde_json::Value,
    /// Industry of the values.
    pub industry: String,
    /// Level of the regions.
    pub level: String,
    /// The group compared with the rest (none: no group share, no between/within split).
    pub group: Option<GroupRef>,
    /// Denominator measure.
    pub per: Option<String>,
    /// Whether indices are weighted (per head).
    pub weighted: bool,
    /// Where the data come from.
    pub attribution: String,
    /// One row per period.
    pub rows: Vec<DiagnoseRow>,
    /// Notes on the whole request (regions not carried to a vintage, an empty group).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl DiagnoseReport {
    /// The rows as a table (the columns people read; JSON has every field).
    pub fn table(&self) -> Table {
        let index = |n: &str| Column::rounded(n, "index", 4);
        let mut t = Table::new(vec![
            Column::integer("period"),
            Column::integer("regions"),
            Column::rounded("group_share", "share", 4),
            index("gini"),
            index("theil"),
            index("theil_between"),
            index("theil_within"),
            index("theil_l"),
            index("atkinson_0.5"),
            index("cv"),
            index("hoover"),
            Column::text("diagnostics"),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::int(r.period),
                Cell::Integer(r.regions as i64),
                Cell::num(r.group_share),
                Cell::num(r.gini),
                Cell::num(r.theil),
                Cell::num(r.theil_between),
                Cell::num(r.theil_within),
                Cell::num(r.theil_l),
                Cell::num(r.atkinson_05),
                Cell::num(r.cv),
                Cell::num(r.hoover),
                Cell::text(r.diagnostics.join("; ")),
            ]);
        }
        t
    }
}

/// Answers a [`DiagnoseRequest`]: one imbalance row per period. Regions that did not exist in a
/// period (Sejong before 2012) are not counted as missing there; a denominator region without
/// a numerator is named in the period's diagnostics.
pub fn diagnose(sources: &Sources, q: &DiagnoseRequest) -> Result<DiagnoseReport> {
    let level = q.level;
    let loaded = sources.load(&q.source, None)?;
    let cat = &loaded.catalog;
    let mut warnings = Vec::new();
    let mut panel = panel_at_level(&loaded, level)?;
    if let Some(v) = q.vintage {
        panel = to_vintage(&panel, level, v, cat, &mut warnings)?;
    }
    // Korea's groups (SMA...) apply to Korean regions only: on another country's regions the
    // report has a group part only when the user names one.
    let builtin_regions = korea::catalog().regions().len();
    let foreign = panel
        .regions()
        .iter()
        .filter(|r| cat.region(**r).level == level)
        .all(|r| r.0 as usize >= builtin_regions);
    let group: Option<RegionGroup> = match (&q.group_members, &q.group) {
        (Some(spec), _) => {
            let candidates: Vec<RegionId> = panel
                .regions()
                .iter()
                .copied()
                .filter(|r| cat.region(*r).level == level)
                .collect();
            Some(group_of_members(cat, spec, &candidates)?)
        }
        (None, Some(id)) => {
            let g = cat
                .group(id)
                .ok_or_else(|| crate::resolve::unknown_group(cat, id, "group"))?;
            if foreign {
                return Err(DataError::argument(format!(
                    "group `{}` is a group of Korean regions and none of this data's regions is Korean; name your own with --group-members NAME=code,code",
                    g.id
                ))
                .into());
            }
            Some(g.clone())
        }
        (None, None) if foreign => None,
        (None, None) => cat.group("SMA").cloned(),
    };
    if !panel.industries().contains(&q.industry) {
        return Err(crate::matrix::unknown_industry(
            &panel,
            &q.industry,
            &loaded.dataset.measure.id,
        ));
    }
    let periods = choose_periods(
        panel.periods(),
        &q.periods,
        q.from,
        q.to,
        &loaded.dataset.measure.id,
    )?;
    let denominator = match &q.per {
        Some(id) => {
            let d = sources.measure(id)?;
            let mut p = panel_at_level(&d, level)?;
            if let Some(v) = q.vintage {
                p = to_vintage(&p, level, v, cat, &mut warnings)?;
            }
            Some(p)
        }
        None => None,
    };
    let mut regions: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    regions.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
    let names: Vec<String> = regions
        .iter()
        .map(|r| cat.region(*r).name(q.lang.code()).to_string())
        .collect();
    let membership: Vec<bool> = regions
        .iter()
        .map(|r| {
            group
                .as_ref()
                .is_some_and(|g| in_group(cat, *r, &g.members))
        })
        .collect();
    if let Some(g) = group.as_ref().filter(|_| !membership.iter().any(|b| *b)) {
        warnings.push(format!("no region of this level belongs to group {}", g.id));
    }
    let mut rows: Vec<_> = periods
        .iter()
        .flat_map(|&p| {
            let idx: Vec<usize> = (0..regions.len())
                .filter(|&k| {
                    cat.region(regions[k]).valid_in(p.0)
                        || panel.get(regions[k], &q.industry, p).is_some()
                })
                .collect();
            let rs: Vec<RegionId> = idx.iter().map(|&k| regions[k]).collect();
            let ns: Vec<String> = idx.iter().map(|&k| names[k].clone()).collect();
            let gs: Vec<bool> = idx.iter().map(|&k| membership[k]).collect();
            imbalance(&ImbalanceInput {
                panel: &panel,
                industry: &q.industry,
                regions: &rs,
                region_names: &ns,
                in_group: &gs,
                periods: &[p],
                per: denominator.as_ref(),
            })
        })
        .collect();
    // A denominator region without a numerator (Sejong has population but KOSIS puts its
    // GRDP inside Chungnam/Chungbuk) biases its neighbours' per-head values: say so.
    if let Some(d) = &denominator {
        for row in rows.iter_mut() {
            let orphans: Vec<RegionId> = d
                .regions()
                .iter()
                .copied()
                .filter(|r| {
                    cat.region(*r).level == level
                        && d.get(*r, regis_core::TOTAL_INDUSTRY, row.period).is_some()
                        && panel.get(*r, &q.industry, row.period).is_none()
                })
                .collect();
            // Sejong (from 2012) is inside Chungnam/Chungbuk in the GRDP table: carrying the
            // data to 2011's boundaries folds its people back in. The metropolitan cities
            // compiled late (Gwangju to 1986, Daejeon to 1988, Ulsan to 1997) are inside
            // their provinces in those years: no vintage changes that.
            let sejong = |r: &RegionId| cat.region(*r).name_en.starts_with("Sejong");
            let names = |rs: Vec<&RegionId>| -> String {
                rs.iter()
                    .map(|r| cat.region(**r).name(q.lang.code()).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (folded, late): (Vec<&RegionId>, Vec<&RegionId>) =
                orphans.iter().partition(|r| sejong(r));
            let (per, id) = (q.per.as_deref().unwrap_or(""), &loaded.dataset.measure.id);
            if !folded.is_empty() {
                row.diagnostics.push(Diagnostic::warning(
                    "denominator-without-numerator",
                    format!(
                        "{} has {per} but no {id}: KOSIS GRDP counts it inside Chungnam/Chungbuk{}",
                        names(folded),
                        if q.vintage.is_some() {
                            ""
                        } else {
                            "; --vintage 2011 folds it back"
                        }
                    ),
                ));
            }
            if !late.is_empty() {
                row.diagnostics.push(Diagnostic::warning(
                    "denominator-without-numerator",
                    format!(
                        "{} has {per} but no {id} in {}: not compiled separately that year (its output is inside the surrounding province), so it is left out of this year's comparison",
                        names(late),
                        row.period.0
                    ),
                ));
            }
        }
    }
    let has_group = group.is_some();
    Ok(DiagnoseReport {
        measure: measure_json(&loaded.dataset.measure),
        industry: q.industry.clone(),
        level: level.name(),
        group: group.map(|g| GroupRef {
            id: g.id,
            name_ko: g.name_ko,
            name_en: g.name_en,
        }),
        per: q.per.clone(),
        weighted: q.per.is_some(),
        attribution: loaded.attribution.clone(),
        rows: rows
            .into_iter()
            .map(|r| DiagnoseRow {
                period: r.period.0,
                regions: r.regions,
                total: r.total,
                // No group: no group share and no between/within split (not zeros).
                group_total: has_group.then_some(r.group_total),
                group_share: r.group_share.filter(|_| has_group),
                group_denominator_share: r.group_denominator_share.filter(|_| has_group),
                gini: r.gini,
                theil: r.theil,
                theil_between: r.theil_between.filter(|_| has_group),
                theil_within: r.theil_within.filter(|_| has_group),
                theil_l: r.theil_l,
                atkinson_05: r.atkinson_05,
                cv: r.cv,
                hoover: r.hoover,
                diagnostics: r.diagnostics.iter().map(|d| d.to_string()).collect(),
            })
            .collect(),
        warnings,
    })
}
