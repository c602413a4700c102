//! `regis data list|show|export`: the measures, one measure's description, and exports as a
//! table, CSV, JSON, XLSX, Parquet or GeoJSON (also used by `zones maxp|skater` to join values
//! to boundaries).

use std::io::Write;

use anyhow::bail;
use regis_core::{Level, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::export::{measure_json, ExportTable};
use regis_data::store::Store;
use regis_data::{korea, korea_history, DataError};

use crate::args::{ExportArgs, Format, Lang};
use crate::output::print_rows;
use regis_app::source::{load, parse_level};

pub(crate) fn data_list(store: &std::path::Path, format: Format) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for id in korea::MEASURE_IDS {
        let m = korea::measure(id).expect("built-in");
        let d = korea::dataset(id)?;
        let p = d.periods();
        let levels: Vec<String> = if d.flows.is_some() {
            vec!["province (flows)".into()]
        } else {
            d.panels
                .iter()
                .flat_map(|lp| lp.levels.iter().map(|l| l.name()))
                .collect()
        };
        rows.push(vec![
            id.to_string(),
            "built-in".into(),
            m.name_en.clone(),
            m.name_ko.clone(),
            m.unit.clone(),
            m.additive.to_string(),
            levels.join(" "),
            format!(
                "{}-{}",
                p.first().map(|x| x.0).unwrap_or(0),
                p.last().map(|x| x.0).unwrap_or(0)
            ),
        ]);
    }
    if store.join("datasets").exists() {
        for m in Store::open(store)?.list()? {
            rows.push(vec![
                m.id.clone(),
                "stored".into(),
                m.name_en.clone(),
                m.name_ko.clone(),
                m.unit.clone(),
                m.additive.to_string(),
                String::new(),
                format!("{} cells from {}", m.cells, m.source_file),
            ]);
        }
    }
    print_rows(
        format,
        &[
            "id", "origin", "name_en", "name_ko", "unit", "additive", "levels", "periods",
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

fn resolve_regions(
    cat: &RegionCatalog,
    names: &[String],
    level: Level,
) -> anyhow::Result<Vec<RegionId>> {
    names
        .iter()
        .map(|n| {
            cat.resolve(n, None, None, Some(level))
                .map_err(|e| anyhow::Error::new(DataError::argument(format!("--region: {e}"))))
        })
        .collect()
}

pub(crate) fn export(store: &std::path::Path, a: ExportArgs, lang: Lang) -> anyhow::Result<()> {
    let out = a.out.clone();
    let Some((bytes, rows)) = export_bytes(store, a, lang)? else {
        return Ok(()); // printed as a table
    };
    match &out {
        Some(path) => {
            regis_data::atomic::write_atomic(path, &bytes)?;
            eprintln!("wrote {} ({rows} rows)", path.display());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

/// What `regis data export` writes, and its row count; None when it printed a table.
pub(crate) fn export_bytes(
    store: &std::path::Path,
    a: ExportArgs,
    lang: Lang,
) -> anyhow::Result<Option<(Vec<u8>, usize)>> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &a.source.measure,
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    let cat = &loaded.catalog;
    let d = &loaded.dataset;
    let code_system = match &a.codes {
        Some(s) => Some(
            cat.system_index(s)
                .ok_or_else(|| {
                    DataError::argument(format!("unknown code system `{s}`; expected sgis or mois"))
                })
                .map_err(anyhow::Error::new)?,
        ),
        None => None,
    };
    let all_periods = d.periods();
    for p in &a.period {
        if !all_periods.contains(&Period(*p)) {
            let range = format!(
                "{}-{}",
                all_periods.first().map(|x| x.0).unwrap_or(0),
                all_periods.last().map(|x| x.0).unwrap_or(0)
            );
            return Err(DataError::argument(format!(
                "period {p} is not covered: `{}` has {} ({} periods)",
                d.measure.id,
                range,
                all_periods.len()
            ))
            .into());
        }
    }
    let periods: Option<Vec<Period>> =
        (!a.period.is_empty()).then(|| a.period.iter().map(|p| Period(*p)).collect());
    let mut region_filter: Option<Vec<RegionId>> = None;
    if !a.region.is_empty() {
        region_filter = Some(resolve_regions(cat, &a.region, level)?);
    }
    if let Some(g) = &a.group {
        let grp = cat.group(g).ok_or_else(|| {
            DataError::argument(format!(
                "unknown group `{g}`; groups: {}",
                cat.groups()
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let members = grp.members.clone();
        region_filter = Some(match region_filter {
            Some(r) => r.into_iter().filter(|x| members.contains(x)).collect(),
            None => members,
        });
    }
    let classification = d
        .panels
        .iter()
        .find_map(|lp| lp.panel.classification.as_deref())
        .and_then(korea::classification);
    let (rows, is_flow) = if let Some(f) = &d.flows {
        if a.format == Format::Geojson {
            return Err(DataError::argument(
                "GeoJSON export is for regional measures; flows export as csv, json or xlsx",
            )
            .into());
        }
        (ExportTable::flow_rows(f, periods.as_deref()), true)
    } else {
        let mut panel = match d.panel_at(level) {
            Some(lp) => lp.panel.clone(),
            None => {
                // Finer data (districts) summed up to the level asked for, when it adds up.
                let finer = d
                    .panels
                    .iter()
                    .find(|lp| lp.levels.iter().any(|l| *l > level));
                match finer {
                    Some(lp) => lp.panel.aggregate_to(cat, level).map_err(|e| {
                        DataError::file(
                            regis_data::ErrorKind::NotAdditive,
                            "<arguments>",
                            format!("--level {level}: {e}"),
                        )
                    })?,
                    None => {
                        let have: Vec<String> = d
                            .panels
                            .iter()
                            .flat_map(|p| p.levels.iter().map(|l| l.name()))
                            .collect();
                        return Err(DataError::argument(format!(
                            "`{}` has no data at level {}; levels: {}",
                            d.measure.id,
                            level,
                            have.join(", ")
                        ))
                        .into());
                    }
                }
            }
        };
        if let Some(v) = a.vintage {
            let (p, unmapped) = korea_history::to_vintage(&panel, level, v).map_err(|e| {
                DataError::file(
                    regis_data::ErrorKind::NotAdditive,
                    "<arguments>",
                    format!("--vintage {v}: {e}"),
                )
            })?;
            for u in unmapped {
                eprintln!(
                    "warning: {} ({}) could not be carried to {v} boundaries and is left as it was",
                    cat.region(u).name_en,
                    cat.region(u).code
                );
            }
            panel = p;
        }
        // A district map shows the non-autonomous gu of large cities (Suwon's four gu) as
        // polygons of their own: GeoJSON at district level carries their rows too.
        let map_level = |l: Level| {
            l == level
                || (a.format == Format::Geojson
                    && level == Level::DISTRICT
                    && l == Level::SUBDISTRICT)
        };
        let mut regions: Vec<RegionId> = panel
            .regions()
            .iter()
            .copied()
            .filter(|r| map_level(cat.region(*r).level))
            .collect();
        regions.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
        if let Some(f) = &region_filter {
            regions.retain(|r| f.contains(r));
        }
        // Default: the total when the panel has one (so rows add up to the national figure);
        // `--industry all` keeps every industry.
        let all = a.industry.iter().any(|i| i.eq_ignore_ascii_case("all"));
        let industries: Option<Vec<String>> = if all {
            None
        } else if a.industry.is_empty() {
            panel
                .industries()
                .iter()
                .any(|i| i == TOTAL_INDUSTRY)
                .then(|| vec![TOTAL_INDUSTRY.to_string()])
        } else {
            Some(
                a.industry
                    .iter()
                    .map(|i| {
                        classification
                            .and_then(|c| c.find(i))
                            .map(|x| x.code.clone())
                            .unwrap_or_else(|| i.clone())
                    })
                    .collect(),
            )
        };
        if let Some(is) = &industries {
            for i in is {
                if !panel.industries().contains(i) {
                    return Err(DataError::argument(format!(
                        "industry `{i}` is not in `{}`; it has: {}",
                        d.measure.id,
                        panel.industries().join(", ")
                    ))
                    .into());
                }
            }
        }
        let mut rows =
            ExportTable::panel_rows(&panel, &regions, industries.as_deref(), periods.as_deref());
        // Regions that did not exist in a period (Sejong before 2012) have no row for it.
        rows.retain(|r| r.value.is_some() || cat.region(r.region).valid_in(r.period.0));
        (rows, false)
    };
    let table = ExportTable {
        measure: &d.measure,
        rows,
        catalog: cat,
        code_system,
        classification,
        attribution: &loaded.attribution,
        is_flow,
    };
    let bytes: Vec<u8> = match a.format {
        Format::Csv => table.to_csv().into_bytes(),
        Format::Json => {
            let mut v = table.to_json();
            v["level"] = serde_json::json!(level.name());
            (serde_json::to_string_pretty(&v)? + "\n").into_bytes()
        }
        Format::Xlsx => {
            if a.out.is_none() {
                bail!(DataError::argument(
                    "--format xlsx writes a binary workbook: give --out FILE.xlsx"
                ));
            }
            table.to_xlsx()?
        }
        Format::Geojson => geojson(&table, level, cat)?.into_bytes(),
        Format::Parquet => {
            if a.out.is_none() {
                bail!(DataError::argument(
                    "--format parquet writes a binary file: give --out FILE.parquet"
                ));
            }
            table.to_parquet()?
        }
        Format::Table => {
            if a.out.is_some() {
                bail!(DataError::argument(
                    "--format table is for the terminal; use csv, json, xlsx or geojson with --out"
                ));
            }
            let header = table.header();
            let recs = table.records();
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
            let r: Vec<Vec<String>> = recs
                .into_iter()
                .map(|rec| keep.iter().map(|&i| rec[i].clone()).collect())
                .collect();
            print_rows(Format::Table, &h, &r)?;
            eprintln!("{}", loaded.attribution);
            return Ok(None);
        }
    };
    Ok(Some((bytes, table.rows.len())))
}

fn geojson(table: &ExportTable, level: Level, cat: &RegionCatalog) -> anyhow::Result<String> {
    let (path, text) = match level {
        Level::PROVINCE => korea::PROVINCES_TOPOJSON,
        Level::DISTRICT | Level::SUBDISTRICT => korea::DISTRICTS_TOPOJSON,
        _ => bail!(DataError::argument(
            "GeoJSON boundaries exist for province and district levels"
        )),
    };
    let mut periods: Vec<Period> = table.rows.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let mut inds: Vec<&str> = table.rows.iter().map(|r| r.industry.as_str()).collect();
    inds.sort();
    inds.dedup();
    if periods.len() != 1 || inds.len() != 1 {
        bail!(DataError::argument(format!(
            "GeoJSON joins one value per region: choose one --period (have {}) and one --industry (have {})",
            periods.len(),
            inds.len()
        )));
    }
    let features = regis_data::topojson::decode(text, path)?;
    let sgis = cat.system_index(korea::SGIS);
    let mut out = Vec::new();
    for f in features {
        let code = f
            .properties
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or_default()
            .to_string();
        let mut region = cat.resolve(&code, sgis, Some(2018), None).ok();
        // A 2018 boundary whose unit has since changed (Incheon Nam-gu, renamed Michuhol-gu
        // in 2018) takes its successor's value.
        if let Some(r) = region {
            let reg = cat.region(r);
            if !reg.valid_in(periods[0].0) && reg.valid_to < periods[0].0 {
                let (cw, _) = korea_history::crosswalk(
                    reg.level.min(Level::DISTRICT),
                    reg.valid_to.clamp(1998, 2024),
                    periods[0].0.clamp(1998, 2024),
                );
                if let Some(l) = cw.links.iter().find(|l| l.from == r && l.weight > 0.999) {
                    region = Some(l.to);
                }
            }
        }
        // Boundaries are 2018 units; a 2018 district may be a non-autonomous gu whose value
        // sits on its city: take the unit's own value, else nothing.
        let value = region.and_then(|r| {
            table
                .rows
                .iter()
                .find(|row| row.region == r)
                .and_then(|row| row.value)
        });
        let mut props = f.properties.clone();
        props.insert(
            "value".into(),
            value
                .map(|v| serde_json::json!(v))
                .unwrap_or(serde_json::Value::Null),
        );
        props.insert("period".into(), serde_json::json!(periods[0].0));
        props.insert("industry".into(), serde_json::json!(inds[0]));
        props.insert("measure".into(), serde_json::json!(table.measure.id));
        props.insert("unit".into(), serde_json::json!(table.measure.unit));
        out.push(
            serde_json::json!({"type": "Feature", "properties": props, "geometry": f.geometry}),
        );
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "attribution": table.attribution, "features": out});
    Ok(serde_json::to_string(&fc)? + "\n")
}
