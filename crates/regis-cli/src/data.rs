//! `regis data list|show|export`: the measures, one measure's description, and exports as a
//! table, CSV, JSON, XLSX, Parquet or GeoJSON.

use std::io::Write;

use regis_app::export::{ExportFormat, ExportRequest};
use regis_app::Sources;

use crate::args::{ExportArgs, Format, Lang};
use crate::output::print_rows;
use regis_app::source::parse_level;

pub(crate) fn data_list(store: &std::path::Path, format: Format) -> anyhow::Result<()> {
    let rows: Vec<Vec<String>> = regis_app::coverage::measures(store)?
        .into_iter()
        .map(|m| {
            vec![
                m.id,
                m.origin.into(),
                m.name_en,
                m.name_ko,
                m.unit,
                m.additive.to_string(),
                m.levels.join(" "),
                m.periods,
                m.coverage,
                m.cells.map(|c| c.to_string()).unwrap_or_default(),
                m.source_file.unwrap_or_default(),
            ]
        })
        .collect();
    print_rows(
        format,
        &[
            "id",
            "origin",
            "name_en",
            "name_ko",
            "unit",
            "additive",
            "levels",
            "periods",
            "coverage",
            "cells",
            "source_file",
        ],
        &rows,
    )
}

/// `regis data show`: a measure's metadata and true coverage.
pub(crate) fn data_show(store: &std::path::Path, id: &str, format: Format) -> anyhow::Result<()> {
    let show = regis_app::coverage::measure_show(&Sources::with_store(store), id)?;
    crate::output::render(format, &show)
}

/// The request of `regis data export`'s flags.
pub(crate) fn export_request(a: &ExportArgs) -> anyhow::Result<ExportRequest> {
    Ok(ExportRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        periods: a.period.clone(),
        industries: a.industry.clone(),
        regions: a.region.clone(),
        group: a.group.clone(),
        codes: a.codes.clone(),
        vintage: a.vintage,
        format: match a.format {
            Format::Csv => ExportFormat::Csv,
            Format::Json => ExportFormat::Json,
            Format::Xlsx => ExportFormat::Xlsx,
            Format::Parquet => ExportFormat::Parquet,
            Format::Geojson => ExportFormat::Geojson,
            Format::Table => ExportFormat::Table,
        },
    })
}

/// `regis data export`
pub(crate) fn export(store: &std::path::Path, a: ExportArgs, lang: Lang) -> anyhow::Result<()> {
    a.check_out()?;
    let request = export_request(&a)?;
    let export = regis_app::export::export(&Sources::with_store(store), &request)?;
    crate::output::warn(&export.warnings);
    if a.format == Format::Table {
        let table = export.table();
        let header = table.header();
        let keep: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| match lang {
                Lang::En => !h.ends_with("_ko"),
                Lang::Ko => !h.ends_with("_en"),
            })
            .map(|(i, _)| i)
            .collect();
        let h: Vec<&str> = keep.iter().map(|&i| header[i]).collect();
        let r: Vec<Vec<String>> = table
            .records()
            .into_iter()
            .map(|rec| keep.iter().map(|&i| rec[i].clone()).collect())
            .collect();
        print_rows(Format::Table, &h, &r)?;
        eprintln!("{}", export.loaded.attribution);
        return Ok(());
    }
    let bytes = export.bytes(request.format)?;
    match &a.out {
        Some(path) => crate::output::write_file(path, &bytes, export.rows.len())?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
