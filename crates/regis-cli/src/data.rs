//! `regis data list|show|export`: the measures, one measure's description, and exports as a
//! table, CSV, JSON, XLSX, Parquet or GeoJSON.

use std::io::Write;

use regis_app::export::{ExportFormat, ExportRequest};
use regis_app::Sources;
use regis_data::export::measure_json;
use regis_data::DataError;

use crate::args::{ExportArgs, Format, Lang};
use crate::output::print_rows;
use regis_app::source::{load, parse_level};

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

pub(crate) fn data_show(store: &std::path::Path, id: &str, format: Format) -> anyhow::Result<()> {
    let loaded = load(
        &Some(id.to_string()),
        &None,
        &Default::default(),
        None,
        store,
    )?;
    let d = &loaded.dataset;
    let mut tables = Vec::new();
    for lp in &d.panels {
        let p = &lp.panel;
        tables.push(serde_json::json!({
            "levels": lp.levels.iter().map(|l| l.name()).collect::<Vec<_>>(),
            "source": lp.source,
            "classification": p.classification,
            "regions": p.regions().len(),
            "industries": p.industries(),
            "periods": p.periods().iter().map(|x| x.0).collect::<Vec<_>>(),
            "cells_present": p.count_present(),
            "cells_missing": p.regions().len() * p.industries().len() * p.periods().len() - p.count_present(),
        }));
    }
    if let Some(f) = &d.flows {
        tables.push(serde_json::json!({
            "levels": ["province"],
            "source": "KOSIS internal migration by origin and destination province (via migest)",
            "regions": f.regions().len(),
            "periods": f.periods().iter().map(|x| x.0).collect::<Vec<_>>(),
            "cells_present": f.count_present(),
        }));
    }
    let v = serde_json::json!({"measure": measure_json(&d.measure), "tables": tables, "attribution": loaded.attribution});
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&v)?),
        _ => {
            let m = &d.measure;
            let mut rows = vec![
                vec!["id".into(), m.id.clone()],
                vec!["name".into(), format!("{} / {}", m.name_en, m.name_ko)],
                vec!["unit".into(), m.unit.clone()],
                vec!["price basis".into(), format!("{:?}", m.price_basis)],
                vec!["additive".into(), m.additive.to_string()],
            ];
            for t in &tables {
                let periods = t["periods"].as_array().cloned().unwrap_or_default();
                rows.push(vec![
                    format!(
                        "table ({})",
                        t["levels"]
                            .as_array()
                            .map(|l| l
                                .iter()
                                .filter_map(|x| x.as_str())
                                .collect::<Vec<_>>()
                                .join(", "))
                            .unwrap_or_default()
                    ),
                    format!(
                        "{} regions, {} periods ({}-{}), {} cells; {}",
                        t["regions"],
                        periods.len(),
                        periods.first().cloned().unwrap_or_default(),
                        periods.last().cloned().unwrap_or_default(),
                        t["cells_present"],
                        t["source"].as_str().unwrap_or_default()
                    ),
                ]);
            }
            rows.push(vec!["attribution".into(), loaded.attribution.clone()]);
            print_rows(format, &["item", "value"], &rows)?;
        }
    }
    Ok(())
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
    let request = export_request(&a)?;
    let binary = matches!(a.format, Format::Xlsx | Format::Parquet);
    if binary && a.out.is_none() {
        let (what, ext) = if a.format == Format::Xlsx {
            ("a binary workbook", "xlsx")
        } else {
            ("a binary file", "parquet")
        };
        return Err(DataError::argument(format!(
            "--format {ext} writes {what}: give --out FILE.{ext}"
        ))
        .into());
    }
    let export = regis_app::export::export(&Sources::with_store(store), &request)?;
    crate::output::warn(&export.warnings);
    if a.format == Format::Table {
        if a.out.is_some() {
            return Err(DataError::argument(
                "--format table is for the terminal; use csv, json, xlsx or geojson with --out",
            )
            .into());
        }
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
        Some(path) => {
            regis_data::atomic::write_atomic(path, &bytes)?;
            eprintln!("wrote {} ({} rows)", path.display(), export.rows.len());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}
