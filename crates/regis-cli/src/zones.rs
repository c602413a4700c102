//! `regis zones lma|leiden`: flags to a request; the report as a table, CSV, JSON or GeoJSON.

use regis_app::table::Tabular;
use regis_app::zones::LmaParameters;
use regis_app::zones::{FlowSource, LeidenRequest, LmaRequest};

use crate::args::{Format, LeidenArgs, LmaArgs};
use crate::output::{print_json, print_table, render};

fn flow_source(a: &crate::args::FlowSource) -> FlowSource {
    FlowSource {
        input: a.input.clone(),
        measure: a.measure.clone(),
        period: a.period,
        origin_col: a.origin_col.clone(),
        dest_col: a.dest_col.clone(),
        value_col: a.value_col.clone(),
    }
}

/// Prints a GeoJSON layer on one line.
fn print_geojson(v: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(v)?);
    Ok(())
}

/// `regis zones lma`
pub fn lma(a: LmaArgs) -> anyhow::Result<()> {
    let report = regis_app::zones::lma(&LmaRequest {
        source: flow_source(&a.source),
        parameters: LmaParameters {
            min_size: a.min_size,
            target_size: a.target_size,
            min_self_containment: a.min_self_containment,
            target_self_containment: a.target_self_containment,
        },
        single_pass: a.single_pass,
        admin_prefix: a.admin_prefix,
        contiguity: a.contiguity,
        boundaries: a.boundaries,
        boundary_code_field: a.boundary_code_field,
    })?;
    match a.format {
        Format::Geojson => {
            crate::output::warn(report.warnings());
            print_geojson(&report.geojson()?)
        }
        Format::Csv => {
            crate::output::warn(report.warnings());
            print_table(Format::Csv, &report.units_table())
        }
        Format::Json => render(Format::Json, &report),
        _ => render(Format::Table, &report),
    }
}

/// `regis zones leiden`
pub fn leiden(a: LeidenArgs) -> anyhow::Result<()> {
    let report = regis_app::zones::leiden(&LeidenRequest {
        source: flow_source(&a.source),
        quality: a.quality,
        resolution: a.resolution,
        seed: a.seed,
        contiguity: a.contiguity,
        boundaries: a.boundaries,
        boundary_code_field: a.boundary_code_field,
    })?;
    match a.format {
        Format::Geojson => {
            crate::output::warn(report.warnings());
            print_geojson(&report.geojson()?)
        }
        Format::Json => print_json(&report),
        Format::Csv => render(Format::Csv, &report),
        _ => render(Format::Table, &report),
    }
}
