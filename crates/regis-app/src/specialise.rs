//! "What is each region specialised in, and where does each industry concentrate?": location
//! quotients, Krugman, Herfindahl, entropy, diversity and ubiquity, locational Gini and
//! Ellison-Glaeser, behind `regis specialise` and `GET /api/v1/specialise`.

use regis_data::export::measure_json;
use regis_methods::specialisation::{
    diversity, ellison_glaeser, entropy_regions, herfindahl_industries, herfindahl_regions,
    krugman_concentration, krugman_specialisation, location_quotients, locational_gini, ubiquity,
};
use serde::Serialize;

use crate::matrix::{
    choose_industries, industry_name, matrix, region_name, regions_at, require_additive,
    with_default_measure, IndustryChoice,
};
use crate::resolve::{one_period, panel_at_level};
use crate::source::{Source, Sources};
use crate::table::{Cell, Column, Table, Tabular};
use crate::{Lang, Result};

/// Which table of the specialisation report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecialiseView {
    /// One row per region: Krugman specialisation, Herfindahl, entropy, diversity, top LQs.
    #[default]
    Regions,
    /// One row per industry: Krugman concentration, Herfindahl, locational Gini, ubiquity,
    /// Ellison-Glaeser.
    Industries,
    /// One row per region and industry: value, LQ, specialised or not.
    Lq,
}

impl SpecialiseView {
    /// Parses `regions`, `industries`, `lq`.
    pub fn parse(s: &str) -> Option<SpecialiseView> {
        match s {
            "regions" => Some(SpecialiseView::Regions),
            "industries" => Some(SpecialiseView::Industries),
            "lq" => Some(SpecialiseView::Lq),
            _ => None,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct SpecialiseRequest {
    /// The measure (default `grdp_nominal`) or file.
    pub source: Source,
    /// Level of the regions.
    pub level: regis_core::Level,
    /// The period (none: the latest).
    pub period: Option<i32>,
    /// The industries compared.
    pub choice: IndustryChoice,
    /// LQ at or above which a region counts as specialised (diversity, ubiquity).
    pub threshold: f64,
    /// Which table.
    pub view: SpecialiseView,
    /// Language of names.
    pub lang: Lang,
}

/// The specialisation report.
#[derive(Debug, Clone, Serialize)]
pub struct SpecialiseReport {
    /// The measure.
    pub measure: serde_json::Value,
    /// Level of the regions.
    pub level: String,
    /// The period.
    pub period: i32,
    /// The industries compared.
    pub industries: Vec<String>,
    /// The LQ threshold.
    pub threshold: f64,
    /// Regions left out and why.
    pub diagnostics: Vec<String>,
    /// Where the data come from.
    pub attribution: String,
    /// The table of the view asked for.
    pub rows: Table,
    #[serde(skip)]
    note: String,
}

impl Tabular for SpecialiseReport {
    fn table(&self) -> Table {
        self.rows.clone()
    }
    fn note(&self) -> String {
        self.note.clone()
    }
}

/// Answers a [`SpecialiseRequest`] on one period's region x industry matrix.
pub fn specialise(sources: &Sources, q: &SpecialiseRequest) -> Result<SpecialiseReport> {
    let loaded = sources.load(&with_default_measure(&q.source), None)?;
    require_additive(
        &loaded,
        "shares and location quotients need values that add up (use grdp_nominal, not chained real GRDP)",
    )?;
    let (level, lang) = (q.level, q.lang);
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
    if kept.len() < 2 {
        return Err(regis_data::DataError::argument(format!(
            "fewer than two regions with complete data in {period}"
        ))
        .into());
    }
    let diagnostics: Vec<String> = diags.iter().map(|x| x.to_string()).collect();
    let mut note = format!(
        "{} {period}, {} regions x {} industries. {}{}",
        loaded.dataset.measure.name_en,
        kept.len(),
        industries.len(),
        diagnostics.join(" "),
        if diagnostics.is_empty() { "" } else { " " }
    );
    let index = |n: &str| Column::rounded(n, "index", 4);
    let rows = match q.view {
        SpecialiseView::Regions => {
            let (k, h, e, dv, lq) = (
                krugman_specialisation(&m),
                herfindahl_regions(&m),
                entropy_regions(&m),
                diversity(&m, q.threshold),
                location_quotients(&m),
            );
            let mut t = Table::new(vec![
                Column::text("region_code"),
                Column::text("region"),
                index("krugman_specialisation"),
                index("herfindahl"),
                index("entropy"),
                Column::integer("diversity"),
                Column::text("top_lq"),
            ]);
            let ni = industries.len();
            for (r, &id) in kept.iter().enumerate() {
                let mut top: Vec<(usize, f64)> = (0..ni)
                    .filter_map(|i| lq[r * ni + i].map(|v| (i, v)))
                    .collect();
                top.sort_by(|x, y| y.1.total_cmp(&x.1));
                let top: Vec<String> = top
                    .iter()
                    .take(3)
                    .map(|(i, v)| {
                        format!("{} ({v:.2})", industry_name(&panel, &industries[*i], lang))
                    })
                    .collect();
                t.push(vec![
                    Cell::text(&cat.region(id).code),
                    Cell::text(region_name(cat, id, lang)),
                    Cell::num(k[r]),
                    Cell::num(h[r]),
                    Cell::num(e[r]),
                    Cell::Integer(dv[r] as i64),
                    Cell::text(top.join("; ")),
                ]);
            }
            t
        }
        SpecialiseView::Industries => {
            let (k, h, lg, u) = (
                krugman_concentration(&m),
                herfindahl_industries(&m),
                locational_gini(&m),
                ubiquity(&m, q.threshold),
            );
            let rt = m.region_totals();
            let total = m.total();
            let x: Vec<f64> = rt.iter().map(|v| v / total).collect();
            let it = m.industry_totals();
            let mut t = Table::new(vec![
                Column::text("industry"),
                Column::text("industry_name"),
                index("krugman_concentration"),
                index("herfindahl"),
                index("locational_gini"),
                Column::integer("ubiquity"),
                index("ellison_glaeser_h0"),
            ]);
            for (i, code) in industries.iter().enumerate() {
                let eg = if it[i] > 0.0 {
                    let c: Vec<f64> = (0..kept.len()).map(|r| m.get(r, i) / it[i]).collect();
                    ellison_glaeser(&c, &x, 0.0)
                } else {
                    None
                };
                t.push(vec![
                    Cell::text(code),
                    Cell::text(industry_name(&panel, code, lang)),
                    Cell::num(k[i]),
                    Cell::num(h[i]),
                    Cell::num(lg[i]),
                    Cell::Integer(u[i] as i64),
                    Cell::num(eg),
                ]);
            }
            note.push_str("Ellison-Glaeser is computed without plant data (plant Herfindahl H = 0), so it is the raw-concentration form; it overstates agglomeration in industries of few large plants.");
            t
        }
        SpecialiseView::Lq => {
            let lq = location_quotients(&m);
            let ni = industries.len();
            let mut t = Table::new(vec![
                Column::text("region_code"),
                Column::text("region"),
                Column::text("industry"),
                Column::text("industry_name"),
                Column::exact("value", &loaded.dataset.measure.unit),
                Column::rounded("lq", "ratio", 4),
                Column::text("specialised"),
            ]);
            for (r, &id) in kept.iter().enumerate() {
                for (i, code) in industries.iter().enumerate() {
                    t.push(vec![
                        Cell::text(&cat.region(id).code),
                        Cell::text(region_name(cat, id, lang)),
                        Cell::text(code),
                        Cell::text(industry_name(&panel, code, lang)),
                        Cell::Number(m.get(r, i)),
                        Cell::num(lq[r * ni + i]),
                        Cell::text((lq[r * ni + i].unwrap_or(0.0) >= q.threshold).to_string()),
                    ]);
                }
            }
            t
        }
    };
    Ok(SpecialiseReport {
        measure: measure_json(&loaded.dataset.measure),
        level: level.name(),
        period: period.0,
        industries,
        threshold: q.threshold,
        diagnostics,
        attribution: loaded.attribution.clone(),
        rows,
        note,
    })
}
