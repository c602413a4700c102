//! `regis io regionalise`: a region's input-output multipliers from a national table scaled by
//! location quotients (SLQ, CILQ, Flegg's FLQ and AFLQ; `regis_methods::io_regional`), and
//! `--calibrate`: how far FLQ can be trusted, by regionalising the Bank of Korea's 2020
//! national table to each province and comparing the in-region output multipliers with BoK's
//! survey-based ones (the in-region column sums of its multiregional inverse).
//!
//! On the built-in table the regionalisation works at BoK's 83 regional sectors. A region's
//! size in a sector is the nation's output of the sector times the region's share of the
//! nation's value added in the sector's KOSIS GRDP activity (2017, the last year of the built-in
//! GRDP; concordance `data/korea/io/concordance_io83.csv`). **Simplification, named here and
//! in docs/IO.md:** the 83 sectors of one activity (e.g. the 7 of C6, electronics) share one
//! regional share, so the quotients separate activities, not the sectors within them; and the
//! sizes are of 2017 while the table is of 2020.
//!
//! Error of a regionalisation: the mean absolute percentage error (MAPE) of its in-region
//! output multipliers against BoK's, over the sectors with regional output (Flegg & Tohmo
//! 2013, *Regional Studies* 47(5), doi:10.1080/00343404.2011.592138, use the same measure).

use regis_core::{Level, Period};
use regis_data::io_system::IoSystem;
use regis_data::korea::io::{korean_io_table, regional_multipliers, IoLevel, IO_ATTRIBUTION};
use regis_methods::input_output::{
    leontief_inverse, output_multipliers, satellite_multipliers, technical_coefficients,
};
use regis_methods::io_regional::regional_coefficients;
pub use regis_methods::io_regional::Quotient;
use serde::Serialize;

use crate::table::{Cell, Column, Table, Tabular};
use crate::Result;

/// The δ values of the calibration and of the sensitivity report.
pub const DELTAS: [f64; 19] = [
    0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8,
    0.85, 0.9,
];

/// The year of the regional sizes of the built-in table.
pub const SIZE_YEAR: i32 = 2017;

/// Which table a regionalisation scales.
#[derive(Debug, Clone)]
pub enum IoSource {
    /// The built-in Bank of Korea table (83 sectors), sized by the built-in GRDP.
    Builtin,
    /// A table given as files; the sectors file's `regional` field holds the region's sizes
    /// (in the unit of `output`, or of `employment` with `by_employment`).
    Files {
        /// The files (or a stored table).
        request: Box<crate::io::MultipliersRequest>,
        /// Sizes are employment, not output.
        by_employment: bool,
    },
}

/// What `regis io regionalise` asks.
#[derive(Debug, Clone)]
pub struct RegionaliseRequest {
    /// The table.
    pub source: IoSource,
    /// The region (a province name or code on the built-in table; a label for files).
    pub region: String,
    /// The quotient and its δ.
    pub quotient: Quotient,
    /// Balance the regional flows by GRAS to the region's known intermediate sales and
    /// purchases (the sectors file's `intermediate_sales` and `intermediate_inputs`; files
    /// sized by output only).
    pub balance: bool,
}

/// One sector of a regionalised table.
#[derive(Debug, Clone, Serialize)]
pub struct RegionalSector {
    /// Sector code.
    pub sector: String,
    /// Sector name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The region's simple location quotient of the sector.
    pub location_quotient: f64,
    /// Output multiplier of the national table.
    pub national_output_multiplier: f64,
    /// In-region output multiplier of the regionalised table.
    pub output_multiplier: f64,
    /// In-region value added per unit of final demand (national value-added coefficients).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gva_effect: Option<f64>,
    /// In-region employment per unit of final demand (built-in table: persons per billion
    /// KRW; files: the sectors file's employment per unit of output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_effect: Option<f64>,
    /// BoK's survey-based in-region output multiplier (built-in table; none where the
    /// province has no output of the sector).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survey_output_multiplier: Option<f64>,
}

/// The regional multipliers at one δ (the sensitivity report).
#[derive(Debug, Clone, Serialize)]
pub struct DeltaSensitivity {
    /// δ.
    pub delta: f64,
    /// Mean in-region output multiplier over the sectors.
    pub mean_output_multiplier: f64,
    /// MAPE against BoK's survey multipliers, percent (built-in table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mape_percent: Option<f64>,
}

/// A regionalised table's multipliers.
#[derive(Debug, Clone, Serialize)]
pub struct RegionaliseReport {
    /// The region as resolved (`울산광역시 (26)`), or as given for files.
    pub region: String,
    /// `slq`, `cilq`, `flq` or `aflq`.
    pub quotient: &'static str,
    /// δ (FLQ and AFLQ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// One object per sector.
    pub sectors: Vec<RegionalSector>,
    /// FLQ (or AFLQ) at each δ of [`DELTAS`].
    pub sensitivity: Vec<DeltaSensitivity>,
    /// Caveats and sources.
    pub notes: Vec<String>,
}

/// Name of a quotient.
pub fn quotient_name(q: Quotient) -> &'static str {
    match q {
        Quotient::Slq => "slq",
        Quotient::Cilq => "cilq",
        Quotient::Flq(_) => "flq",
        Quotient::Aflq(_) => "aflq",
    }
}

/// The quotient a user names (`flq`, `aflq`, `cilq`, `slq`) with its δ.
pub fn quotient(name: &str, delta: f64) -> Result<Quotient> {
    if !(0.0..1.0).contains(&delta) {
        return Err(crate::Error::invalid(
            "bad-parameter",
            format!("--delta must lie in [0, 1), not {delta} (Flegg & Webber's δ; 0.3 is usual)"),
        )
        .with_fix("delta", "0.3"));
    }
    match name.trim().to_ascii_lowercase().as_str() {
        "flq" => Ok(Quotient::Flq(delta)),
        "aflq" => Ok(Quotient::Aflq(delta)),
        "cilq" => Ok(Quotient::Cilq),
        "slq" => Ok(Quotient::Slq),
        _ => Err(crate::Error::invalid(
            "bad-parameter",
            "unknown --quotient: expected flq, aflq, cilq or slq",
        )
        .with_fix("quotient", "flq")),
    }
}

/// Whether `--size` names employment (`output` or `employment`).
pub fn by_employment(size: &str) -> Result<bool> {
    match size.trim().to_ascii_lowercase().as_str() {
        "output" => Ok(false),
        "employment" => Ok(true),
        _ => Err(crate::Error::invalid(
            "bad-parameter",
            "unknown --size: expected output or employment",
        )
        .with_fix("size", "output")),
    }
}

fn delta_of(q: Quotient) -> Option<f64> {
    match q {
        Quotient::Flq(d) | Quotient::Aflq(d) => Some(d),
        _ => None,
    }
}

fn with_delta(q: Quotient, d: f64) -> Quotient {
    match q {
        Quotient::Aflq(_) => Quotient::Aflq(d),
        _ => Quotient::Flq(d),
    }
}

/// The in-region Leontief inverse of `io` for a region of sizes `regional` (national sizes
/// `national`).
fn regional_inverse(
    io: &IoSystem,
    regional: &[f64],
    national: &[f64],
    q: Quotient,
) -> Result<Vec<f64>> {
    let a = technical_coefficients(&io.flows, &io.output).map_err(io_error)?;
    let r = regional_coefficients(&a, regional, national, q)
        .map_err(|e| crate::Error::invalid("bad-parameter", e.to_string()))?;
    leontief_inverse(&r).map_err(io_error)
}

fn io_error(e: regis_methods::input_output::IoError) -> crate::Error {
    crate::Error::invalid("io-table", e.to_string())
}

/// The in-region Leontief inverse after GRAS balancing of the regional flows
/// (`r_ij · x^r_j`, the location-quotient prior) to the region's known intermediate sales
/// (rows) and purchases (columns).
fn balanced_inverse(
    io: &IoSystem,
    regional: &[f64],
    national: &[f64],
    q: &RegionaliseRequest,
    notes: &mut Vec<String>,
) -> Result<Vec<f64>> {
    let by_output = matches!(
        &q.source,
        IoSource::Files {
            by_employment: false,
            ..
        }
    );
    let margins = (
        io.field("intermediate_sales"),
        io.field("intermediate_inputs"),
    );
    let (Some(rows), Some(cols), true) = (margins.0, margins.1, by_output) else {
        return Err(crate::Error::invalid(
            "missing-column",
            "--balance needs the region's margins in the sectors file (`intermediate_sales` and `intermediate_inputs`) and sizes by output (--size output)",
        ));
    };
    let n = io.sectors.len();
    let a = technical_coefficients(&io.flows, &io.output).map_err(io_error)?;
    let r = regional_coefficients(&a, regional, national, q.quotient)
        .map_err(|e| crate::Error::invalid("bad-parameter", e.to_string()))?;
    let prior: Vec<f64> = (0..n * n).map(|k| r[k] * regional[k % n]).collect();
    let b = regis_methods::io_balance::gras(&prior, n, n, rows, cols, 1e-10, 10_000)
        .map_err(|e| crate::Error::invalid("unbalanceable", format!("GRAS: {e}")))?;
    notes.push(format!(
        "regional flows balanced by GRAS to the region's intermediate sales and purchases ({} iterations; Junius & Oosterhaven 2003)",
        b.iterations
    ));
    let coefficients = technical_coefficients(&b.matrix, regional).map_err(io_error)?;
    leontief_inverse(&coefficients).map_err(io_error)
}

/// Mean absolute percentage error of `model` against `truth`, over the pairs with a truth.
fn mape(model: &[f64], truth: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = model
        .iter()
        .zip(truth)
        .filter_map(|(m, t)| t.map(|t| (*m, t)))
        .collect();
    (!pairs.is_empty()).then(|| {
        100.0 * pairs.iter().map(|(m, t)| ((m - t) / t).abs()).sum::<f64>() / pairs.len() as f64
    })
}

/// A province of the built-in data sized for the 83-sector table.
#[derive(Debug, Clone)]
pub struct ProvinceSizes {
    /// SGIS code.
    pub code: String,
    /// `울산광역시 (26)`.
    pub label: String,
    /// Its size in each of the 83 sectors (million KRW of output).
    pub sizes: Vec<f64>,
}

/// [`ProvinceSizes`] of every province with GRDP by activity in [`SIZE_YEAR`] (computed once:
/// the built-in data never change).
pub fn province_sizes() -> Result<&'static [ProvinceSizes]> {
    static SIZES: std::sync::OnceLock<std::result::Result<Vec<ProvinceSizes>, String>> =
        std::sync::OnceLock::new();
    SIZES
        .get_or_init(|| {
            let t = korean_io_table(IoLevel::Sectors83).map_err(|e| e.to_string())?;
            provinces(&t.system, &t.grdp_activity).map_err(|e| e.to_string())
        })
        .as_deref()
        .map_err(|e| crate::Error::invalid("no-data", e.clone()))
}

/// The built-in 83-sector table's sizes for every province with GRDP in [`SIZE_YEAR`]:
/// national output times the province's share of the activity's value added.
fn provinces(table: &IoSystem, activity: &[Option<String>]) -> Result<Vec<ProvinceSizes>> {
    let ds = regis_data::korea::dataset("grdp_nominal")?;
    let panel = &ds
        .panel_at(Level::PROVINCE)
        .ok_or_else(|| crate::Error::invalid("no-data", "the built-in GRDP has no provinces"))?
        .panel;
    let cat = regis_data::korea::catalog();
    let year = Period(SIZE_YEAR);
    let sgis = cat.system_index(regis_data::korea::SGIS);
    let regions: Vec<_> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == Level::PROVINCE)
        .filter(|r| panel.get(*r, "GVA", year).is_some())
        .collect();
    let total = |ind: &str| -> f64 {
        regions
            .iter()
            .filter_map(|r| panel.get(*r, ind, year))
            .sum()
    };
    let mut out = Vec::new();
    for &r in &regions {
        let share = |ind: &str| -> f64 {
            let t = total(ind);
            if t > 0.0 {
                panel.get(r, ind, year).unwrap_or(0.0) / t
            } else {
                0.0
            }
        };
        let whole = share("GVA");
        let sizes = table
            .output
            .iter()
            .zip(activity)
            .map(|(x, a)| x * a.as_deref().map_or(whole, share))
            .collect();
        let region = cat.region(r);
        let code = sgis
            .and_then(|s| cat.code_in(r, s, Some(SIZE_YEAR)))
            .unwrap_or_default()
            .to_string();
        out.push(ProvinceSizes {
            label: format!("{} ({code})", region.name("ko")),
            code,
            sizes,
        });
    }
    Ok(out)
}

/// BoK's in-region output multipliers of a province, by the table's sector order.
fn survey_multipliers(province: &str, sectors: &[String]) -> Result<Vec<Option<f64>>> {
    let rows = regional_multipliers()?;
    Ok(sectors
        .iter()
        .map(|s| {
            rows.iter()
                .find(|m| m.province == province && &m.sector == s && m.has_regional_output)
                .map(|m| m.production_in_region)
        })
        .collect())
}

/// A table ready to regionalise.
struct Prepared<'a> {
    io: &'a IoSystem,
    names: Option<&'a [String]>,
    regional: Vec<f64>,
    national: Vec<f64>,
    survey: Vec<Option<f64>>,
    label: String,
}

/// Answers a [`RegionaliseRequest`].
pub fn regionalise(q: &RegionaliseRequest) -> Result<RegionaliseReport> {
    let builtin;
    let files;
    let mut notes = Vec::new();
    let Prepared {
        io,
        names,
        regional,
        national,
        survey,
        label,
    } = match &q.source {
        IoSource::Builtin => {
            builtin = korean_io_table(IoLevel::Sectors83)?;
            let cat = regis_data::korea::catalog();
            let id = crate::resolve::region_named(cat, &q.region, Level::PROVINCE)?;
            let code = cat
                .system_index(regis_data::korea::SGIS)
                .and_then(|s| cat.code_in(id, s, None))
                .unwrap_or_default()
                .to_string();
            let p = province_sizes()?
                .iter()
                .find(|p| p.code == code)
                .ok_or_else(|| {
                    crate::Error::invalid(
                        "no-data",
                        format!(
                            "{} has no GRDP by activity in {SIZE_YEAR} in the built-in data, so its sectors cannot be sized",
                            cat.region(id).name("ko")
                        ),
                    )
                })?;
            notes.push(format!(
                "83-sector Bank of Korea table, 2020; regional sizes from GRDP by activity, {SIZE_YEAR} (sectors of one activity share its regional share). {IO_ATTRIBUTION}"
            ));
            Prepared {
                io: &builtin.system,
                names: Some(builtin.names_ko.as_slice()),
                regional: p.sizes.clone(),
                national: builtin.system.output.clone(),
                survey: survey_multipliers(&code, &builtin.system.sectors)?,
                label: p.label.clone(),
            }
        }
        IoSource::Files {
            request,
            by_employment,
        } => {
            files = crate::io::load(request)?;
            let national = if *by_employment {
                files.field("employment").ok_or_else(|| {
                    crate::Error::invalid(
                        "missing-column",
                        "sizes by employment need the sectors file's `employment` column",
                    )
                    .with_fix("size", "output")
                })?
            } else {
                &files.output
            }
            .to_vec();
            let regional = files
                .field("regional")
                .ok_or_else(|| {
                    crate::Error::invalid(
                        "missing-column",
                        "the sectors file needs a `regional` column with the region's sizes (map another header with --col regional=HEADER)",
                    )
                })?
                .to_vec();
            Prepared {
                io: &files,
                names: None,
                regional,
                national,
                survey: vec![None; files.sectors.len()],
                label: q.region.clone(),
            }
        }
    };
    let l_nat = leontief_inverse(&technical_coefficients(&io.flows, &io.output).map_err(io_error)?)
        .map_err(io_error)?;
    let national_m = output_multipliers(&l_nat);
    let l = if q.balance {
        balanced_inverse(io, &regional, &national, q, &mut notes)?
    } else {
        regional_inverse(io, &regional, &national, q.quotient)?
    };
    let m = output_multipliers(&l);
    let effect =
        |field: Option<Vec<f64>>| field.map(|v| satellite_multipliers(&l, &v, &io.output).effects);
    let gva: Option<Vec<f64>> = io.value_added().map(|(v, _)| v);
    let gva = effect(gva);
    // The built-in table is in million KRW: employment per billion KRW, as BoK gives it.
    let per_unit = if matches!(q.source, IoSource::Builtin) {
        1000.0
    } else {
        1.0
    };
    let jobs = effect(io.field("employment").map(<[f64]>::to_vec))
        .map(|v| v.into_iter().map(|e| e * per_unit).collect::<Vec<f64>>());
    let (tr, tn): (f64, f64) = (regional.iter().sum(), national.iter().sum());
    let sectors = (0..io.sectors.len())
        .map(|j| RegionalSector {
            sector: io.sectors[j].clone(),
            name: names.map(|n| n[j].clone()),
            location_quotient: if national[j] > 0.0 && tr > 0.0 {
                (regional[j] / tr) / (national[j] / tn)
            } else {
                0.0
            },
            national_output_multiplier: national_m[j],
            output_multiplier: m[j],
            gva_effect: gva.as_ref().map(|v| v[j]),
            employment_effect: jobs.as_ref().map(|v| v[j]),
            survey_output_multiplier: survey[j],
        })
        .collect();
    let sensitivity = DELTAS
        .iter()
        .map(|&d| {
            let l = regional_inverse(io, &regional, &national, with_delta(q.quotient, d))?;
            let m = output_multipliers(&l);
            Ok(DeltaSensitivity {
                delta: d,
                mean_output_multiplier: m.iter().sum::<f64>() / m.len() as f64,
                mape_percent: mape(&m, &survey),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(e) = mape(&m, &survey) {
        notes.push(format!(
            "against the Bank of Korea's survey-based in-region output multipliers: MAPE {e:.1}% over {} sectors",
            survey.iter().flatten().count()
        ));
    }
    Ok(RegionaliseReport {
        region: label,
        quotient: quotient_name(q.quotient),
        delta: delta_of(q.quotient),
        sectors,
        sensitivity,
        notes,
    })
}

/// One province of the calibration.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceCalibration {
    /// `울산광역시 (26)`.
    pub region: String,
    /// Sectors compared (those with output in the province).
    pub sectors: usize,
    /// MAPE (percent) of the SLQ-regionalised multipliers.
    pub mape_slq: f64,
    /// MAPE (percent) at each δ of [`DELTAS`] (FLQ; δ = 0 is CILQ).
    pub mape_by_delta: Vec<f64>,
    /// The δ of least error.
    pub best_delta: f64,
    /// The error at the best δ.
    pub mape_at_best: f64,
}

/// The FLQ calibration against BoK's regional multipliers.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationReport {
    /// The δ values tried.
    pub deltas: Vec<f64>,
    /// One object per province.
    pub provinces: Vec<ProvinceCalibration>,
    /// The δ of least mean error over the provinces.
    pub pooled_best_delta: f64,
    /// The mean MAPE at the pooled δ.
    pub pooled_mape: f64,
    /// Median, least and greatest of the provinces' best δ.
    pub best_delta_median: f64,
    /// Least best δ.
    pub best_delta_min: f64,
    /// Greatest best δ.
    pub best_delta_max: f64,
    /// Caveats and sources.
    pub notes: Vec<String>,
}

/// Regionalises the built-in table to every province with GRDP and reports the error of the
/// in-region output multipliers against BoK's survey-based ones, by δ.
pub fn calibrate() -> Result<CalibrationReport> {
    // The built-in data never change: computed once per process.
    static REPORT: std::sync::OnceLock<std::result::Result<CalibrationReport, String>> =
        std::sync::OnceLock::new();
    REPORT
        .get_or_init(|| compute_calibration().map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| crate::Error::invalid("io-table", e))
}

fn compute_calibration() -> Result<CalibrationReport> {
    let t = korean_io_table(IoLevel::Sectors83)?;
    let io = &t.system;
    let mut calibrated = Vec::new();
    for p in province_sizes()? {
        let survey = survey_multipliers(&p.code, &io.sectors)?;
        let err = |q: Quotient| -> Result<f64> {
            let m = output_multipliers(&regional_inverse(io, &p.sizes, &io.output, q)?);
            Ok(mape(&m, &survey).unwrap_or(f64::NAN))
        };
        let by_delta = DELTAS
            .iter()
            .map(|&d| err(Quotient::Flq(d)))
            .collect::<Result<Vec<_>>>()?;
        let best = (0..DELTAS.len())
            .min_by(|&a, &b| by_delta[a].total_cmp(&by_delta[b]))
            .unwrap_or(0);
        calibrated.push(ProvinceCalibration {
            region: p.label.clone(),
            sectors: survey.iter().flatten().count(),
            mape_slq: err(Quotient::Slq)?,
            best_delta: DELTAS[best],
            mape_at_best: by_delta[best],
            mape_by_delta: by_delta,
        });
    }
    let mean_at = |k: usize| {
        calibrated.iter().map(|p| p.mape_by_delta[k]).sum::<f64>() / calibrated.len().max(1) as f64
    };
    let pooled = (0..DELTAS.len())
        .min_by(|&a, &b| mean_at(a).total_cmp(&mean_at(b)))
        .unwrap_or(0);
    let mut best: Vec<f64> = calibrated.iter().map(|p| p.best_delta).collect();
    best.sort_by(f64::total_cmp);
    let median = match best.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => best[n / 2],
        n => (best[n / 2 - 1] + best[n / 2]) / 2.0,
    };
    Ok(CalibrationReport {
        deltas: DELTAS.to_vec(),
        pooled_best_delta: DELTAS[pooled],
        pooled_mape: mean_at(pooled),
        best_delta_median: median,
        best_delta_min: best.first().copied().unwrap_or(f64::NAN),
        best_delta_max: best.last().copied().unwrap_or(f64::NAN),
        provinces: calibrated,
        notes: vec![
            format!("FLQ on the Bank of Korea's 2020 national table at 83 sectors, sized by GRDP by activity in {SIZE_YEAR}; error: MAPE of in-region output multipliers against BoK's survey-based regional table (sectors with regional output). Sejong has no GRDP by activity in the built-in data and is not calibrated."),
            IO_ATTRIBUTION.to_string(),
        ],
    })
}

/// One province's in-region output multiplier of a sector.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceMultiplier {
    /// SGIS code.
    pub province: String,
    /// The regionalised (FLQ) in-region output multiplier.
    pub output_multiplier: f64,
    /// BoK's survey-based one, where the province has output of the sector.
    pub survey_output_multiplier: Option<f64>,
}

/// The in-region output multiplier of the built-in 83-sector table's `sector` in every
/// province with GRDP by activity, regionalised by `quotient`, beside BoK's survey-based one.
pub fn province_multipliers(sector: &str, quotient: Quotient) -> Result<Vec<ProvinceMultiplier>> {
    let t = korean_io_table(IoLevel::Sectors83)?;
    let io = &t.system;
    let j = io.sectors.iter().position(|s| s == sector).ok_or_else(|| {
        crate::Error::not_found(
            "unknown-sector",
            format!(
                "no sector `{}` among the 83 regional sectors",
                crate::error::shown(sector)
            ),
        )
    })?;
    province_sizes()?
        .iter()
        .map(|p| {
            let m = output_multipliers(&regional_inverse(io, &p.sizes, &io.output, quotient)?);
            Ok(ProvinceMultiplier {
                survey_output_multiplier: survey_multipliers(&p.code, &io.sectors)?[j],
                province: p.code.clone(),
                output_multiplier: m[j],
            })
        })
        .collect()
}

impl Tabular for RegionaliseReport {
    fn table(&self) -> Table {
        let mut t = Table::new(vec![
            Column::text("sector"),
            Column::text("name"),
            Column::rounded("location_quotient", "", 3),
            Column::rounded("national_output_multiplier", "", 4),
            Column::rounded("output_multiplier", "", 4),
            Column::rounded("gva_effect", "", 4),
            Column::rounded("employment_effect", "", 2),
            Column::rounded("survey_output_multiplier", "", 4),
        ]);
        for s in &self.sectors {
            t.push(vec![
                Cell::text(&s.sector),
                s.name.as_deref().map_or(Cell::Empty, Cell::text),
                Cell::Number(s.location_quotient),
                Cell::Number(s.national_output_multiplier),
                Cell::Number(s.output_multiplier),
                Cell::num(s.gva_effect),
                Cell::num(s.employment_effect),
                Cell::num(s.survey_output_multiplier),
            ]);
        }
        t
    }
    fn note(&self) -> String {
        let d = self.delta.map(|d| format!(" δ={d}")).unwrap_or_default();
        let sens = self
            .sensitivity
            .iter()
            .map(|s| format!("{:.2}: {:.3}", s.delta, s.mean_output_multiplier))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{} regionalised by {}{d}: in-region output multipliers; mean multiplier by δ (sensitivity) {sens}",
            self.region,
            self.quotient.to_uppercase()
        )
    }
    fn warnings(&self) -> &[String] {
        &self.notes
    }
}

impl Tabular for CalibrationReport {
    fn table(&self) -> Table {
        let mut columns = vec![
            Column::text("region"),
            Column::integer("sectors"),
            Column::rounded("mape_slq", "%", 2),
        ];
        // Every other δ: the table stays readable; JSON and CSV of the report keep them all.
        let shown: Vec<usize> = (0..self.deltas.len()).step_by(2).collect();
        for &k in &shown {
            columns.push(Column::rounded(
                &format!("mape_delta_{:.1}", self.deltas[k]),
                "%",
                2,
            ));
        }
        columns.push(Column::rounded("best_delta", "", 2));
        columns.push(Column::rounded("mape_at_best", "%", 2));
        let mut t = Table::new(columns);
        for p in &self.provinces {
            let mut row = vec![
                Cell::text(&p.region),
                Cell::int(p.sectors as i64),
                Cell::Number(p.mape_slq),
            ];
            row.extend(shown.iter().map(|&k| Cell::Number(p.mape_by_delta[k])));
            row.push(Cell::Number(p.best_delta));
            row.push(Cell::Number(p.mape_at_best));
            t.push(row);
        }
        t
    }
    fn note(&self) -> String {
        format!(
            "FLQ calibration: best δ by province median {:.2} (range {:.2}-{:.2}); pooled best δ {:.2} with mean MAPE {:.2}%",
            self.best_delta_median,
            self.best_delta_min,
            self.best_delta_max,
            self.pooled_best_delta,
            self.pooled_mape
        )
    }
    fn warnings(&self) -> &[String] {
        &self.notes
    }
}
