//! The data of an evaluation question: the outcome panel of a measure at a level (per head
//! when asked, the industry checked), each unit's first treated period from the treatment spec
//! (a file's first-treated or 0/1 column, or a list of regions), the covariates (file columns
//! or measures), and the units left out for a missing period. Shared by `evaluate cs|did|sc|
//! sdid`.

use std::collections::HashMap;

use regis_core::{Level, Period, RegionId};
use regis_data::DataError;

use crate::evaluate::{CsRequest, Treatment};
use crate::matrix::{per_head, regions_at, value_per_head};
use crate::source::{open_mapped, Source, Sources};
use crate::Result;

/// Each region's first treated period from the treatment spec.
fn first_treated(
    q: &CsRequest,
    cat: &regis_core::RegionCatalog,
    units: &[RegionId],
) -> Result<Vec<Option<i32>>> {
    let by_code = |code: &str| -> Option<RegionId> {
        units
            .iter()
            .copied()
            .find(|r| cat.region(*r).code == code)
            .or_else(|| crate::resolve::region_named(cat, code, q.level).ok())
            .filter(|r| units.contains(r))
    };
    let mut first: HashMap<RegionId, Option<i32>> = units.iter().map(|r| (*r, None)).collect();
    match &q.treatment {
        Treatment::Regions(list) => {
            for (code, year) in list {
                let r = crate::resolve::region_named(cat, code, q.level)
                    .map_err(crate::Error::without_fix)?;
                if !units.contains(&r) {
                    return Err(DataError::argument(format!(
                        "treated region `{}` has no outcome at this level",
                        crate::error::shown(code)
                    ))
                    .into());
                }
                first.insert(r, Some(*year));
            }
        }
        Treatment::FirstTreatedColumn(col) | Treatment::TreatedColumn(col) => {
            let path = q.source.input.as_ref().ok_or_else(|| {
                DataError::argument("a treatment column needs --input FILE (the panel with it)")
            })?;
            let m = &q.source.mapping;
            let rows = open_mapped(path, m)?;
            let find = |name: &str| crate::source::named_column(rows.as_ref(), name);
            let region_col = m.region_col.as_deref().ok_or_else(|| {
                DataError::argument("give --region-col (the unit) with a treatment column")
            })?;
            let (rc, tc) = (find(region_col)?, find(col)?);
            let pc = match (&q.treatment, m.period_col.as_deref()) {
                (Treatment::TreatedColumn(_), Some(p)) => Some(find(p)?),
                (Treatment::TreatedColumn(_), None) => {
                    return Err(DataError::argument(
                        "--treated-col needs --period-col (0/1 by unit and period)",
                    )
                    .into())
                }
                _ => None,
            };
            let file = rows.file().to_string();
            let mut seen: HashMap<RegionId, (Option<i32>, usize)> = HashMap::new();
            let mut flags: HashMap<RegionId, Vec<(i32, bool, usize)>> = HashMap::new();
            rows.scan(&mut |_, row| {
                let code = row.cells[rc].trim();
                let Some(r) = by_code(code) else {
                    return Ok(true); // a unit without outcome: not compared
                };
                let cell = row.cells[tc].trim();
                let bad = |what: &str| {
                    DataError::file(
                        regis_data::ErrorKind::NotNumeric,
                        &file,
                        format!(
                            "line {}, field `{col}`: `{}` is not {what}",
                            row.line,
                            crate::error::shown(cell)
                        ),
                    )
                };
                match pc {
                    None => {
                        let g = match cell {
                            "" | "0" => None,
                            v => Some(v.parse::<i32>().map_err(|_| {
                                bad("a period (a year, or 0 or empty for never treated)")
                            })?),
                        };
                        if let Some((before, line)) = seen.get(&r) {
                            if *before != g {
                                return Err(DataError::file(
                                    regis_data::ErrorKind::Duplicate,
                                    &file,
                                    format!("line {}, field `{col}`: unit `{}` has another first treated period on line {line}", row.line, crate::error::shown(code)),
                                ));
                            }
                        }
                        seen.insert(r, (g, row.line));
                    }
                    Some(pc) => {
                        let on = match cell {
                            "1" | "1.0" | "true" => true,
                            "0" | "0.0" | "false" | "" => false,
                            _ => return Err(bad("0 or 1")),
                        };
                        let period: i32 = row.cells[pc].trim().parse().map_err(|_| {
                            DataError::file(
                                regis_data::ErrorKind::BadPeriod,
                                &file,
                                format!("line {}: the period is not a year", row.line),
                            )
                        })?;
                        flags.entry(r).or_default().push((period, on, row.line));
                    }
                }
                Ok(true)
            })?;
            for (r, (g, _)) in seen {
                first.insert(r, g);
            }
            for (r, mut f) in flags {
                f.sort_by_key(|x| x.0);
                let start = f.iter().find(|x| x.1).map(|x| x.0);
                if let (Some(s), Some(off)) =
                    (start, f.iter().find(|x| x.0 > start.unwrap_or(0) && !x.1))
                {
                    return Err(DataError::file(
                        regis_data::ErrorKind::NotNumeric,
                        &file,
                        format!("line {}, field `{col}`: unit `{}` is treated from {s} and untreated again in {}; the estimator needs a treatment that stays on", off.2, cat.region(r).code, off.0),
                    )
                    .into());
                }
                first.insert(r, start);
            }
        }
    }
    Ok(units.iter().map(|r| first[r]).collect())
}

/// The outcome panel (unit-major) and each unit's first treated period of a request.
pub(crate) struct EvaluationPanel {
    pub(crate) loaded: crate::source::Loaded,
    pub(crate) periods: Vec<i32>,
    pub(crate) outcome: Vec<f64>,
    pub(crate) first: Vec<Option<i32>>,
    pub(crate) covariates: Vec<f64>,
    /// Units without an outcome in every period, with the periods they lack.
    pub(crate) gaps: Vec<(String, Vec<i32>)>,
    pub(crate) warnings: Vec<String>,
}

/// The outcome of an evaluation: the measure at the level, per head when asked, the industry
/// checked; the regions of the level. Shared by every evaluation question.
pub(crate) struct Outcome {
    pub loaded: crate::source::Loaded,
    pub panel: regis_core::Panel,
    pub den: Option<regis_core::Panel>,
    pub units: Vec<RegionId>,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub(crate) fn load(
        sources: &Sources,
        source: &Source,
        level: Level,
        per: Option<&str>,
        industry: &str,
    ) -> Result<Outcome> {
        let loaded = sources.load(source, None)?;
        let mut warnings = Vec::new();
        let (panel, den) = per_head(sources, &loaded, level, per, None, &mut warnings)?;
        if !panel.industries().iter().any(|i| i == industry) {
            return Err(crate::matrix::unknown_industry(
                &panel,
                industry,
                &loaded.dataset.measure.id,
            ));
        }
        let units = regions_at(&panel, &loaded.catalog, level);
        Ok(Outcome {
            loaded,
            panel,
            den,
            units,
            warnings,
        })
    }

    /// A unit's outcome in period `p` (per head when asked; none when missing or not finite).
    pub(crate) fn value(&self, r: RegionId, industry: &str, p: i32) -> Option<f64> {
        value_per_head(&self.panel, self.den.as_ref(), r, industry, Period(p))
            .filter(|v| v.is_finite())
    }

    /// The unit a user names: a code of the data's units first (a file's own codes), then a
    /// region by code or name at `level`.
    pub(crate) fn unit(&self, text: &str, level: Level) -> Result<RegionId> {
        let cat = &self.loaded.catalog;
        match self
            .units
            .iter()
            .copied()
            .find(|r| cat.region(*r).code == text)
        {
            Some(r) => Ok(r),
            None => {
                crate::resolve::region_named(cat, text, level).map_err(crate::Error::without_fix)
            }
        }
    }
}

pub(crate) fn evaluation_panel(sources: &Sources, q: &CsRequest) -> Result<EvaluationPanel> {
    let Outcome {
        loaded,
        panel,
        den,
        units,
        warnings,
    } = Outcome::load(sources, &q.source, q.level, q.per.as_deref(), &q.industry)?;
    let cat = &loaded.catalog;
    let periods: Vec<i32> = panel.periods().iter().map(|p| p.0).collect();
    let first = first_treated(q, cat, &units)?;
    let mut outcome = Vec::with_capacity(units.len() * periods.len());
    for r in &units {
        for p in &periods {
            outcome.push(
                value_per_head(&panel, den.as_ref(), *r, &q.industry, Period(*p))
                    .unwrap_or(f64::NAN),
            );
        }
    }
    let covariates = covariate_values(sources, q, cat, &units, &periods)?;
    let gaps = units
        .iter()
        .enumerate()
        .filter_map(|(u, r)| {
            let missing: Vec<i32> = periods
                .iter()
                .enumerate()
                .filter(|(p, _)| !outcome[u * periods.len() + p].is_finite())
                .map(|(_, y)| *y)
                .collect();
            (!missing.is_empty()).then(|| (crate::matrix::region_name(cat, *r, q.lang), missing))
        })
        .collect();
    Ok(EvaluationPanel {
        loaded,
        periods,
        outcome,
        first,
        covariates,
        gaps,
        warnings,
    })
}

/// The covariates by unit, period and covariate (`NaN`: missing), matched to the outcome's
/// units by code.
fn covariate_values(
    sources: &Sources,
    q: &CsRequest,
    cat: &regis_core::RegionCatalog,
    units: &[RegionId],
    periods: &[i32],
) -> Result<Vec<f64>> {
    let k = q.covariates.len();
    let mut values = vec![f64::NAN; units.len() * periods.len() * k];
    for (j, name) in q.covariates.iter().enumerate() {
        let source = match &q.source.input {
            Some(_) => Source {
                measure: Some(name.clone()),
                input: q.source.input.clone(),
                mapping: crate::source::Mapping {
                    value_col: Some(name.clone()),
                    ..q.source.mapping.clone()
                },
            },
            None => Source::measure(name),
        };
        let loaded = sources.load(&source, None)?;
        let panel = crate::resolve::panel_at_level(&loaded, q.level)?;
        let industry = if panel.industries().contains(&q.industry) {
            q.industry.clone()
        } else {
            regis_core::panel::TOTAL_INDUSTRY.to_string()
        };
        let codes: HashMap<&str, RegionId> = panel
            .regions()
            .iter()
            .map(|r| (loaded.catalog.region(*r).code.as_str(), *r))
            .collect();
        for (u, r) in units.iter().enumerate() {
            let Some(cr) = codes.get(cat.region(*r).code.as_str()) else {
                continue;
            };
            for (pi, p) in periods.iter().enumerate() {
                if let Some(v) = value_per_head(&panel, None, *cr, &industry, Period(*p)) {
                    values[(u * periods.len() + pi) * k + j] = v;
                }
            }
        }
    }
    Ok(values)
}
