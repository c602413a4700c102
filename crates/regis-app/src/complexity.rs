//! "How complex is each region's economy, and which industries are within reach?": ECI/PCI,
//! relatedness density, complexity outlook (COI) and gain (COG), behind `regis complexity` and
//! `GET /api/v1/complexity`.

use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::complexity::{complexity as compute, Presence};
use regis_methods::specialisation::specialisation_matrix;
use serde::Serialize;

use crate::matrix::{
    choose_industries, industry_name, matrix, region_name, regions_at, with_default_measure,
    IndustryChoice,
};
use crate::resolve::{one_period, panel_at_level};
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// What to compute.
#[derive(Debug, Clone)]
pub struct ComplexityRequest {
    /// The measure (default `grdp_nominal`) or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// The period (none: the latest).
    pub period: Option<i32>,
    /// The industries.
    pub choice: IndustryChoice,
    /// `regions` (ECI, COI), `industries` (PCI) or `density` (density and COG per pair).
    pub view: String,
    /// Language of names.
    pub lang: Lang,
}

/// The complexity report (indices are standardised, unitless).
#[derive(Debug, Clone, Serialize)]
pub struct ComplexityReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Level.
    pub level: String,
    /// Period.
    pub period: i32,
    /// The industries.
    pub industries: Vec<String>,
    /// Second eigenvalue of the region-region matrix.
    pub eigenvalue: f64,
    /// Regions left out, sign convention, reliability.
    pub diagnostics: Vec<String>,
    /// Why ECI and PCI are unreliable on this matrix (too few industries or regions), if so.
    pub reliability_warning: Option<String>,
    /// Where the data come from.
    pub attribution: String,
    /// The view's rows.
    pub rows: Table,
}

/// Fewest industries for complexity indices worth ranking on.
pub const RELIABLE_INDUSTRIES: usize = 50;
/// Fewest regions likewise.
pub const RELIABLE_REGIONS: usize = 20;

/// A warning, in `lang`, when ECI and PCI rest on fewer than about 50 industries or 20 regions:
/// the method of reflections (Hidalgo & Hausmann 2009, doi:10.1073/pnas.0900943106) needs many
/// products and places for its eigenvectors to separate capabilities from noise, and on a
/// coarse matrix a sector's rank can turn on one region's specialisation.
pub fn reliability_warning(industries: usize, regions: usize, lang: Lang) -> Option<String> {
    if industries >= RELIABLE_INDUSTRIES && regions >= RELIABLE_REGIONS {
        return None;
    }
    Some(match lang {
        Lang::Ko => format!(
            "신뢰도 경고: 경제복잡도(ECI·PCI)를 {industries}개 산업 × {regions}개 지역으로 계산했습니다. 산업 약 {RELIABLE_INDUSTRIES}개, 지역 약 {RELIABLE_REGIONS}개 미만에서는 순위가 한두 지역의 특화에 좌우되므로 대략적인 순서로만 읽으십시오."
        ),
        Lang::En => format!(
            "Reliability warning: ECI and PCI are computed on {industries} industries x {regions} regions. Below about {RELIABLE_INDUSTRIES} industries or {RELIABLE_REGIONS} regions a rank can turn on one or two regions' specialisation; read them as rough orderings only."
        ),
    })
}

impl Tabular for ComplexityReport {
    fn table(&self) -> Table {
        self.rows.clone()
    }
    fn note(&self) -> String {
        self.diagnostics.join(" ")
    }
}

/// Answers a [`ComplexityRequest`] on the presence matrix (RCA ≥ 1) of one period.
pub fn complexity(sources: &Sources, q: &ComplexityRequest) -> Result<ComplexityReport> {
    let (level, lang) = (q.level, q.lang);
    let loaded = sources.load(&with_default_measure(&q.source), None)?;
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let industries = choose_industries(&panel, &q.choice)?;
    let period = one_period(panel.periods(), q.period, &loaded.dataset.measure.id)?;
    let regions = regions_at(&panel, cat, level);
    let (m, kept, diags) = matrix(
        &panel,
        cat,
        &regions,
        &industries,
        period,
        q.choice.missing_as_zero,
    );
    let p = Presence::new(specialisation_matrix(&m, 1.0), kept.len(), industries.len());
    let c = compute(&p);
    let mut diagnostics: Vec<String> = diags
        .iter()
        .chain(&c.diagnostics)
        .map(|x| x.to_string())
        .collect();
    diagnostics.push("ECI sign fixed so that ECI correlates positively with diversity; PCI standardised with ECI's mean and sd (py-ecomplexity conventions)".into());
    let ni = industries.len();
    let reliability = reliability_warning(ni, kept.len(), lang);
    diagnostics.extend(reliability.clone());
    let index = |n: &str| Column::rounded(n, "index", 4);
    let rows = match q.view.as_str() {
        "regions" => {
            let div = p.diversity();
            let mut t = Table::new(vec![
                Column::text("region_code"),
                Column::text("region"),
                Column::integer("diversity"),
                index("eci"),
                index("coi"),
            ]);
            for (r, &id) in kept.iter().enumerate() {
                t.push(vec![
                    Cell::text(&cat.region(id).code),
                    Cell::text(region_name(cat, id, lang)),
                    Cell::Integer(div[r] as i64),
                    Cell::num(c.eci[r]),
                    Cell::num(c.coi[r]),
                ]);
            }
            t
        }
        "industries" => {
            let ub = p.ubiquity();
            let mut t = Table::new(vec![
                Column::text("industry"),
                Column::text("industry_name"),
                Column::integer("ubiquity"),
                index("pci"),
            ]);
            for (i, code) in industries.iter().enumerate() {
                t.push(vec![
                    Cell::text(code),
                    Cell::text(industry_name(&panel, code, lang)),
                    Cell::Integer(ub[i] as i64),
                    Cell::num(c.pci[i]),
                ]);
            }
            t
        }
        "density" => {
            let mut t = Table::new(vec![
                Column::text("region_code"),
                Column::text("region"),
                Column::text("industry"),
                Column::text("industry_name"),
                Column::integer("mcp"),
                Column::rounded("density", "share", 4),
                index("cog"),
            ]);
            for (r, &id) in kept.iter().enumerate() {
                for (i, code) in industries.iter().enumerate() {
                    t.push(vec![
                        Cell::text(&cat.region(id).code),
                        Cell::text(region_name(cat, id, lang)),
                        Cell::text(code),
                        Cell::text(industry_name(&panel, code, lang)),
                        Cell::Integer(i64::from(p.get(r, i))),
                        Cell::Number(c.density[r * ni + i]),
                        Cell::Number(c.cog[r * ni + i]),
                    ]);
                }
            }
            t
        }
        other => {
            return Err(DataError::argument(format!(
                "unknown --view `{}`; expected regions, industries or density",
                crate::error::shown(other)
            ))
            .into())
        }
    };
    Ok(ComplexityReport {
        measure: measure_json(&loaded.dataset.measure),
        level: level.name(),
        period: period.0,
        industries,
        eigenvalue: c.eigenvalue,
        diagnostics,
        reliability_warning: reliability,
        attribution: loaded.attribution.clone(),
        rows,
    })
}
