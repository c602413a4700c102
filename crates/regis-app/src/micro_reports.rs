//! The establishment-level reports of micro data (`regis micro ellison-glaeser`,
//! `coagglomeration`, `sizes`): pure functions of the sufficient statistics, so every engine
//! gives the same numbers.

use crate::micro::MicroRequest;
use crate::micro_stats::{MicroStats, PeriodStats, Wanted, SIZE_CLASSES, SIZE_CLASS_LABELS};
use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;
use regis_data::DataError;
use regis_methods::specialisation::{
    ellison_glaeser as ellison_glaeser_index, ellison_glaeser_coagglomeration,
};
use serde::Serialize;

/// One industry in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EllisonGlaeserRow {
    /// Industry code.
    pub industry: String,
    /// Period.
    pub period: i32,
    /// Establishments of the industry.
    pub establishments: u64,
    /// Employees of the industry.
    pub employees: i64,
    /// Plant Herfindahl `H = Σ_k (e_k / E)²` over the industry's establishments.
    pub plant_herfindahl: Option<f64>,
    /// Raw geographic concentration `G = Σ_r (s_r − x_r)²`.
    pub raw_concentration: Option<f64>,
    /// Ellison-Glaeser γ with the plant Herfindahl.
    pub ellison_glaeser: Option<f64>,
    /// γ with H = 0: the regional-panel version (`regis specialise --view industries`).
    pub ellison_glaeser_h0: Option<f64>,
}

/// `regis micro ellison-glaeser`.
#[derive(Debug, Clone, Serialize)]
pub struct EllisonGlaeser {
    /// Rows read.
    pub rows_read: u64,
    /// The engine that computed the statistics.
    pub engine: String,
    /// By industry and period.
    pub rows: Vec<EllisonGlaeserRow>,
}

/// The activity shares `x_r` of a period (each region's share of all employees) and each
/// industry's regional employees `E_ri`.
fn shares(s: &MicroStats, p: &PeriodStats) -> (Vec<f64>, Vec<Vec<f64>>) {
    let (nr, ni) = (s.regions.len(), s.industries.len());
    let mut by_industry = vec![vec![0.0; nr]; ni];
    let mut region_total = vec![0.0; nr];
    for r in 0..nr {
        for (i, column) in by_industry.iter_mut().enumerate() {
            let e = p.cells[s.cell(r, i)].employees as f64;
            column[r] = e;
            region_total[r] += e;
        }
    }
    let total: f64 = region_total.iter().sum();
    let x = region_total
        .iter()
        .map(|v| if total > 0.0 { v / total } else { 0.0 })
        .collect();
    (x, by_industry)
}

/// The plant Herfindahl of industry `i` in a period: `Σ e_k² / (Σ e_k)²`.
fn plant_herfindahl(s: &MicroStats, p: &PeriodStats, i: usize) -> Option<f64> {
    let (mut e, mut e2) = (0i128, 0i128);
    for r in 0..s.regions.len() {
        let c = p.cells[s.cell(r, i)];
        e += i128::from(c.employees);
        e2 += c.employees_squared;
    }
    (e > 0).then(|| e2 as f64 / (e as f64 * e as f64))
}

/// Ellison-Glaeser per industry and period from micro data, with the plant Herfindahl of
/// each industry's own establishments (Ellison & Glaeser 1997, doi:10.1086/262098).
/// Employment is the activity; regions are the panel's level.
pub fn ellison_glaeser(
    q: &MicroRequest,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<EllisonGlaeser> {
    let s = crate::micro::stats(
        q,
        Wanted {
            squares: true,
            sizes: false,
            dynamics: false,
        },
        progress,
    )?;
    Ok(EllisonGlaeser {
        rows: ellison_glaeser_rows(&s),
        rows_read: s.rows_read,
        engine: s.engine,
    })
}

pub(crate) fn ellison_glaeser_rows(s: &MicroStats) -> Vec<EllisonGlaeserRow> {
    let mut rows = Vec::new();
    let of_period: Vec<_> = s.periods.iter().map(|p| shares(s, p)).collect();
    for (i, industry) in s.industries.iter().enumerate() {
        for (p, (x, by_industry)) in s.periods.iter().zip(&of_period) {
            let employees: i64 = (0..s.regions.len())
                .map(|r| p.cells[s.cell(r, i)].employees)
                .sum();
            let establishments: u64 = (0..s.regions.len())
                .map(|r| p.cells[s.cell(r, i)].establishments)
                .sum();
            if establishments == 0 {
                continue;
            }
            let h = plant_herfindahl(s, p, i);
            let share: Option<Vec<f64>> = (employees > 0).then(|| {
                by_industry[i]
                    .iter()
                    .map(|e| e / employees as f64)
                    .collect()
            });
            let g = share
                .as_ref()
                .map(|c| c.iter().zip(x).map(|(c, x)| (c - x).powi(2)).sum::<f64>());
            rows.push(EllisonGlaeserRow {
                industry: industry.clone(),
                period: p.period,
                establishments,
                employees,
                plant_herfindahl: h,
                raw_concentration: g,
                ellison_glaeser: share
                    .as_ref()
                    .zip(h)
                    .and_then(|(c, h)| ellison_glaeser_index(c, x, h)),
                ellison_glaeser_h0: share
                    .as_ref()
                    .and_then(|c| ellison_glaeser_index(c, x, 0.0)),
            });
        }
    }
    rows
}

impl Tabular for EllisonGlaeser {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("industry"),
            Column::integer("period"),
            Column::integer("establishments"),
            Column::integer("employees"),
            Column::rounded("plant_herfindahl", "", 6),
            Column::rounded("raw_concentration", "", 6),
            Column::rounded("ellison_glaeser", "", 6),
            Column::rounded("ellison_glaeser_h0", "", 6),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::text(&r.industry),
                Cell::int(r.period),
                Cell::int(r.establishments as i64),
                Cell::int(r.employees),
                Cell::num(r.plant_herfindahl),
                Cell::num(r.raw_concentration),
                Cell::num(r.ellison_glaeser),
                Cell::num(r.ellison_glaeser_h0),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "Ellison-Glaeser (1997) from {} establishment rows ({} engine): employment is the \
             activity, H each industry's plant Herfindahl; ellison_glaeser_h0 is the \
             regional-panel version (H = 0). γ > 0.05 is usually read as highly agglomerated.",
            self.rows_read, self.engine
        )
    }
}

/// One pair of industries in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoagglomerationRow {
    /// First industry (the smaller code).
    pub industry_a: String,
    /// Second industry.
    pub industry_b: String,
    /// Period.
    pub period: i32,
    /// Ellison-Glaeser coagglomeration γᶜ of the pair.
    pub coagglomeration: Option<f64>,
}

/// `regis micro coagglomeration`.
#[derive(Debug, Clone, Serialize)]
pub struct Coagglomeration {
    /// Rows read.
    pub rows_read: u64,
    /// The engine that computed the statistics.
    pub engine: String,
    /// By pair and period (pairs with an industry absent in the period left out).
    pub rows: Vec<CoagglomerationRow>,
}

/// Pairs of industries at most (per period) before the request must name its industries.
pub const MAX_PAIRS: usize = 200_000;

/// Ellison-Glaeser coagglomeration (EG 1997, eq. 14) of every pair of the panel's industries
/// (or of `among`, when given) per period, with each industry's plant Herfindahl.
pub fn coagglomeration(
    q: &MicroRequest,
    among: &[String],
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Coagglomeration> {
    let s = crate::micro::stats(
        q,
        Wanted {
            squares: true,
            sizes: false,
            dynamics: false,
        },
        progress,
    )?;
    let chosen: Vec<usize> = if among.is_empty() {
        (0..s.industries.len()).collect()
    } else {
        among
            .iter()
            .map(|code| {
                s.industries.iter().position(|c| c == code).ok_or_else(|| {
                    DataError::argument(format!(
                        "--industries: {} is not an industry of the panel at depth {}",
                        crate::error::shown(code),
                        q.industry_depth
                    ))
                })
            })
            .collect::<std::result::Result<_, _>>()?
    };
    let pairs = chosen.len() * chosen.len().saturating_sub(1) / 2;
    if pairs > MAX_PAIRS {
        return Err(DataError::argument(format!(
            "{pairs} pairs of industries per period: more than {MAX_PAIRS}; name the industries \
             with --industries or choose a smaller --industry-depth"
        ))
        .into());
    }
    Ok(Coagglomeration {
        rows: coagglomeration_rows(&s, &chosen),
        rows_read: s.rows_read,
        engine: s.engine,
    })
}

pub(crate) fn coagglomeration_rows(s: &MicroStats, chosen: &[usize]) -> Vec<CoagglomerationRow> {
    let mut rows = Vec::new();
    // Per period: the activity shares, each industry's regional employees and its plant
    // Herfindahl, computed once (not once per pair).
    let of_period: Vec<_> = s
        .periods
        .iter()
        .map(|p| {
            let (x, by_industry) = shares(s, p);
            let h: Vec<Option<f64>> = (0..s.industries.len())
                .map(|i| plant_herfindahl(s, p, i))
                .collect();
            (x, by_industry, h)
        })
        .collect();
    for (k, &a) in chosen.iter().enumerate() {
        for &b in &chosen[k + 1..] {
            let (a, b) = if s.industries[a] <= s.industries[b] {
                (a, b)
            } else {
                (b, a)
            };
            for (p, (x, by_industry, h)) in s.periods.iter().zip(&of_period) {
                let h = [h[a], h[b]];
                // A pair with an industry absent in the period has no index: no row.
                let [Some(ha), Some(hb)] = h else { continue };
                let h = [ha, hb];
                rows.push(CoagglomerationRow {
                    industry_a: s.industries[a].clone(),
                    industry_b: s.industries[b].clone(),
                    period: p.period,
                    coagglomeration: ellison_glaeser_coagglomeration(
                        &[by_industry[a].clone(), by_industry[b].clone()],
                        x,
                        &h,
                    ),
                });
            }
        }
    }
    rows
}

impl Tabular for Coagglomeration {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("industry_a"),
            Column::text("industry_b"),
            Column::integer("period"),
            Column::rounded("coagglomeration", "", 6),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::text(&r.industry_a),
                Cell::text(&r.industry_b),
                Cell::int(r.period),
                Cell::num(r.coagglomeration),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "Ellison-Glaeser (1997) coagglomeration of each pair from {} establishment rows ({} \
             engine); for a pair the plant Herfindahls cancel, so it equals the regional-panel \
             version.",
            self.rows_read, self.engine
        )
    }
}

/// What a size distribution is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeBy {
    /// Per industry (all regions).
    Industry,
    /// Per region (all industries).
    Region,
}

/// One size class of one industry or region in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeRow {
    /// The industry (with `--by industry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// The region (with `--by region`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Period.
    pub period: i32,
    /// The size class (employees): 0, 1-4, 5-9, 10-19, 20-49, 50-99, 100-299, 300-499,
    /// 500-999, 1000+.
    pub size_class: String,
    /// Establishments in the class.
    pub establishments: u64,
    /// Their employees.
    pub employees: i64,
    /// The class's share of the group's establishments.
    pub establishment_share: f64,
    /// The class's share of the group's employees (None when the group has none).
    pub employee_share: Option<f64>,
}

/// `regis micro sizes`.
#[derive(Debug, Clone, Serialize)]
pub struct Sizes {
    /// Rows read.
    pub rows_read: u64,
    /// The engine that computed the statistics.
    pub engine: String,
    /// By group, period and size class (classes of a group with no establishment omitted).
    pub rows: Vec<SizeRow>,
}

/// The plant-size distribution per industry or per region and period.
pub fn sizes(q: &MicroRequest, by: SizeBy, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Sizes> {
    let s = crate::micro::stats(
        q,
        Wanted {
            squares: false,
            sizes: true,
            dynamics: false,
        },
        progress,
    )?;
    Ok(Sizes {
        rows: size_rows(&s, by),
        rows_read: s.rows_read,
        engine: s.engine,
    })
}

pub(crate) fn size_rows(s: &MicroStats, by: SizeBy) -> Vec<SizeRow> {
    let groups = match by {
        SizeBy::Industry => &s.industries,
        SizeBy::Region => &s.regions,
    };
    let mut rows = Vec::new();
    for (g, code) in groups.iter().enumerate() {
        for p in &s.periods {
            let table = match by {
                SizeBy::Industry => &p.sizes_by_industry,
                SizeBy::Region => &p.sizes_by_region,
            };
            let classes = &table[g * SIZE_CLASSES..(g + 1) * SIZE_CLASSES];
            let n: u64 = classes.iter().map(|c| c.establishments).sum();
            let e: i64 = classes.iter().map(|c| c.employees).sum();
            if n == 0 {
                continue;
            }
            for (k, c) in classes.iter().enumerate() {
                rows.push(SizeRow {
                    industry: (by == SizeBy::Industry).then(|| code.clone()),
                    region: (by == SizeBy::Region).then(|| code.clone()),
                    period: p.period,
                    size_class: SIZE_CLASS_LABELS[k].to_string(),
                    establishments: c.establishments,
                    employees: c.employees,
                    establishment_share: c.establishments as f64 / n as f64,
                    employee_share: (e > 0).then(|| c.employees as f64 / e as f64),
                });
            }
        }
    }
    rows
}

impl Tabular for Sizes {
    fn table(&self) -> Table {
        let by_region = self.rows.first().is_some_and(|r| r.region.is_some());
        let mut t = Table::new(vec![
            Column::text(if by_region { "region" } else { "industry" }),
            Column::integer("period"),
            Column::text("size_class"),
            Column::integer("establishments"),
            Column::integer("employees"),
            Column::rounded("establishment_share", "", 4),
            Column::rounded("employee_share", "", 4),
        ]);
        for r in &self.rows {
            t.push(vec![
                Cell::text(
                    r.region
                        .as_ref()
                        .or(r.industry.as_ref())
                        .cloned()
                        .unwrap_or_default(),
                ),
                Cell::int(r.period),
                Cell::text(&r.size_class),
                Cell::int(r.establishments as i64),
                Cell::int(r.employees),
                Cell::num(Some(r.establishment_share)),
                Cell::num(r.employee_share),
            ]);
        }
        t
    }

    fn note(&self) -> String {
        format!(
            "Plant-size distribution (employee classes of the Census on Establishments) from {} \
             establishment rows ({} engine)",
            self.rows_read, self.engine
        )
    }
}
