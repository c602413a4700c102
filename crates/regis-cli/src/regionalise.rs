//! `regis zones maxp|skater`: flags to a request; the regions as a table, CSV, JSON or
//! GeoJSON.

use regis_app::regionalise::{AreaSource, MaxPRequest, RegionalisationReport, SkaterRequest};
use regis_app::source::parse_level;
use regis_app::table::Tabular;
use regis_app::Sources;

use crate::args::{Format, MaxPArgs, SkaterArgs};
use crate::output::{print_json, print_table, render, warn};

fn areas(a: crate::args::AreaSource) -> anyhow::Result<AreaSource> {
    Ok(AreaSource {
        attributes: a.attributes,
        per: a.per,
        period: a.period,
        level: parse_level(&a.level)?,
        table: a.table,
        code_col: a.code_col,
        boundaries: a.boundaries,
        boundary_code_field: a.boundary_code_field,
        standardise: a.standardise,
    })
}

fn show(report: &RegionalisationReport, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Csv => {
            warn(report.warnings());
            print_table(Format::Csv, &report.areas_table())
        }
        Format::Json => {
            warn(report.warnings());
            print_json(report)
        }
        Format::Geojson => {
            warn(report.warnings());
            println!("{}", serde_json::to_string(&report.geojson())?);
            Ok(())
        }
        _ => render(Format::Table, report),
    }
}

/// `regis zones maxp`
pub fn maxp(store: &std::path::Path, a: MaxPArgs) -> anyhow::Result<()> {
    let report = regis_app::regionalise::maxp(
        &Sources::with_store(store),
        &MaxPRequest {
            areas: areas(a.areas)?,
            threshold: a.threshold,
            threshold_by: a.threshold_by,
            iterations: a.iterations,
            annealing_runs: a.annealing_runs,
            seed: a.seed,
        },
    )?;
    show(&report, a.format)
}

/// `regis zones skater`
pub fn skater_regions(store: &std::path::Path, a: SkaterArgs) -> anyhow::Result<()> {
    let report = regis_app::regionalise::skater_regions(
        &Sources::with_store(store),
        &SkaterRequest {
            areas: areas(a.areas)?,
            regions: a.regions,
            floor: a.floor,
            floor_by: a.floor_by,
        },
    )?;
    show(&report, a.format)
}
