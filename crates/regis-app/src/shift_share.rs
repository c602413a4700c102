//! "Did a region grow because of its industries or despite them?": shift-share decomposition
//! (classic, Esteban-Marquillas, dynamic) behind `regis shift-share` and
//! `GET /api/v1/shift-share`.

use regis_core::{Diagnostic, Period, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::shift_share::{shift_share as decompose, Components, ShiftShareMethod};
use regis_methods::specialisation::RegionIndustry;
use serde::Serialize;

use crate::matrix::{
    choose_industries, industry_name, matrix, region_name, regions_at, require_additive,
    with_default_measure, IndustryChoice,
};
use crate::resolve::panel_at_level;
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// Parses a shift-share method: `classic` (`dunn`), `esteban-marquillas` (`em`), `dynamic`
/// (`barff-knight`).
pub fn parse_method(s: &str) -> Result<ShiftShareMethod> {
    match s.to_ascii_lowercase().replace('_', "-").as_str() {
        "classic" | "dunn" => Ok(ShiftShareMethod::Classic),
        "esteban-marquillas" | "em" => Ok(ShiftShareMethod::EstebanMarquillas),
        "dynamic" | "barff-knight" => Ok(ShiftShareMethod::Dynamic),
        other => Err(DataError::argument(format!(
            "unknown shift-share method `{}`; expected classic, esteban-marquillas or dynamic",
            crate::error::shown(other)
        ))
        .into()),
    }
}

/// What to decompose.
#[derive(Debug, Clone)]
pub struct ShiftShareRequest {
    /// The measure (default `grdp_nominal`) or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// Start period (none: the measure's first).
    pub from: Option<i32>,
    /// End period (none: its last).
    pub to: Option<i32>,
    /// The method.
    pub method: ShiftShareMethod,
    /// The industries.
    pub choice: IndustryChoice,
    /// Only these regions (codes or names; empty: all).
    pub regions: Vec<String>,
    /// One row per region and industry instead of per region.
    pub cells: bool,
    /// Language of names.
    pub lang: Lang,
}

/// The shift-share report: components in the measure's unit, adding up to the change.
#[derive(Debug, Clone, Serialize)]
pub struct ShiftShareReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Level of the regions.
    pub level: String,
    /// Start period.
    pub from: i32,
    /// End period.
    pub to: i32,
    /// Method id.
    pub method: &'static str,
    /// The industries.
    pub industries: Vec<String>,
    /// Regions left out and why.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    /// Start, end, change and components per region (or region and industry).
    pub rows: Table,
    #[serde(skip)]
    note: String,
}

impl Tabular for ShiftShareReport {
    fn table(&self) -> Table {
        self.rows.clone()
    }
    fn note(&self) -> String {
        self.note.clone()
    }
}

/// Answers a [`ShiftShareRequest`]: regions with complete data in every period used.
pub fn shift_share(sources: &Sources, q: &ShiftShareRequest) -> Result<ShiftShareReport> {
    let loaded = sources.load(&with_default_measure(&q.source), None)?;
    require_additive(
        &loaded,
        "shift-share needs values that add up across regions and industries",
    )?;
    let (level, lang, m) = (q.level, q.lang, q.method);
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let industries = choose_industries(&panel, &q.choice)?;
    let (from, to, periods) =
        crate::resolve::window(panel.periods(), q.from, q.to, &loaded.dataset.measure.id)?;
    let periods: Vec<Period> = if m == ShiftShareMethod::Dynamic {
        periods
    } else {
        vec![Period(from), Period(to)]
    };
    // Regions with complete data in every period used.
    let all = regions_at(&panel, cat, level);
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut regions = all.clone();
    for &p in &periods {
        let (_, kept, d) = matrix(
            &panel,
            cat,
            &regions,
            &industries,
            p,
            q.choice.missing_as_zero,
        );
        regions = kept;
        for x in d {
            if !diags.contains(&x) {
                diags.push(x);
            }
        }
    }
    let dropped: Vec<String> = all
        .iter()
        .filter(|r| !regions.contains(r) && cat.region(**r).valid_in(from))
        .map(|r| region_name(cat, *r, lang))
        .collect();
    if !dropped.is_empty() {
        diags.push(Diagnostic::info(
            "regions-left-out",
            format!(
                "without complete data in every period, left out: {}",
                dropped.join(", ")
            ),
        ));
    }
    let mats: Vec<RegionIndustry> = periods
        .iter()
        .map(|&p| {
            matrix(
                &panel,
                cat,
                &regions,
                &industries,
                p,
                q.choice.missing_as_zero,
            )
            .0
        })
        .collect();
    let slices: Vec<Vec<f64>> = mats
        .iter()
        .map(|mm| {
            (0..regions.len())
                .flat_map(|r| (0..industries.len()).map(move |i| (r, i)))
                .map(|(r, i)| mm.get(r, i))
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = slices.iter().map(|v| v.as_slice()).collect();
    let s = decompose(&refs, regions.len(), industries.len(), m);
    let only: Vec<RegionId> = q
        .regions
        .iter()
        .map(|t| crate::resolve::region_named(cat, t, level).map_err(crate::Error::without_fix))
        .collect::<Result<_>>()?;
    let unit = loaded.dataset.measure.unit.clone();
    let mut columns = vec![Column::text("region_code"), Column::text("region")];
    if q.cells {
        columns.extend([Column::text("industry"), Column::text("industry_name")]);
    }
    for n in [
        "start",
        "end",
        "change",
        "national",
        "industry_mix",
        "competitive",
        "allocation",
    ] {
        columns.push(Column::rounded(n, &unit, 4));
    }
    let components = |c: &Components| {
        [
            c.start,
            c.end,
            c.change(),
            c.national,
            c.industry_mix,
            c.competitive,
            c.allocation,
        ]
        .map(Cell::Number)
    };
    let mut rows = Table::new(columns);
    for (r, &id) in regions.iter().enumerate() {
        if !only.is_empty() && !only.contains(&id) {
            continue;
        }
        let head = [
            Cell::text(&cat.region(id).code),
            Cell::text(region_name(cat, id, lang)),
        ];
        if q.cells {
            for (i, code) in industries.iter().enumerate() {
                let mut v = head.to_vec();
                v.extend([
                    Cell::text(code),
                    Cell::text(industry_name(&panel, code, lang)),
                ]);
                v.extend(components(&s.cells[r * industries.len() + i]));
                rows.push(v);
            }
        } else {
            let mut v = head.to_vec();
            v.extend(components(&s.regions[r]));
            rows.push(v);
        }
    }
    let diagnostics: Vec<String> = diags.iter().map(|x| x.to_string()).collect();
    let note = format!(
        "{} ({}), {} {}-{}, {} industries; components add up to the change. {}",
        loaded.dataset.measure.name_en,
        loaded.dataset.measure.unit,
        m.id(),
        from,
        to,
        industries.len(),
        diagnostics.join(" ")
    );
    Ok(ShiftShareReport {
        measure: measure_json(&loaded.dataset.measure),
        level: level.name(),
        from,
        to,
        method: m.id(),
        industries,
        diagnostics,
        attribution: loaded.attribution.clone(),
        rows,
        note,
    })
}
