//! `regis clusters`: clusters of related industries from co-location, silhouettes and
//! European Cluster Observatory star ratings.

use regis_data::export::measure_json;
use regis_data::DataError;
use serde_json::{json, Value};

use crate::analyse::f;
use crate::args::Lang;
use crate::strategy::read_io;
use crate::structure::{
    arg_err, choose_industries, digits, emit, industry_name, matrix, name, regions_at, with_default,
};
use regis_app::resolve::{one_period, panel_at_level};
use regis_app::source::{load, parse_level};

/// Reads cluster definitions: industry code -> cluster name.
fn definitions(spec: &str) -> anyhow::Result<Vec<(String, String)>> {
    let (file, table) = if spec == "us" {
        let (path, text) = regis_data::korea::NAICS_CLUSTERS_CSV;
        (
            path.to_string(),
            regis_data::table::Table::from_csv_text(text, path, None)?,
        )
    } else {
        (
            spec.to_string(),
            regis_data::table::Table::read(std::path::Path::new(spec), &Default::default())?,
        )
    };
    let ic = table
        .column("industry")
        .or_else(|| table.column("naics"))
        .or_else(|| table.column("code"))
        .ok_or_else(|| {
            DataError::file(
                regis_data::ErrorKind::MissingColumn,
                &file,
                format!(
                    "expected an `industry` column; columns are: {}",
                    table.header.join(", ")
                ),
            )
        })?;
    let cc = table.column("cluster").ok_or_else(|| {
        DataError::file(
            regis_data::ErrorKind::MissingColumn,
            &file,
            format!(
                "expected a `cluster` column; columns are: {}",
                table.header.join(", ")
            ),
        )
    })?;
    Ok(table
        .rows
        .iter()
        .map(|r| {
            (
                r.cells[ic].trim().to_string(),
                r.cells[cc].trim().to_string(),
            )
        })
        .collect())
}

/// `regis clusters`
pub fn clusters(
    store: &std::path::Path,
    a: crate::args::ClustersArgs,
    lang: Lang,
) -> anyhow::Result<()> {
    use regis_methods::clusters::{
        aggregate, average_linkage, colocation_similarity, silhouette, star_ratings,
        within_between_ratio,
    };
    let level = parse_level(&a.level)?;
    let loaded = load(
        &with_default(&a.source),
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    if !loaded.dataset.measure.additive {
        return Err(DataError::file(
            regis_data::ErrorKind::NotAdditive,
            "<arguments>",
            format!("`{}` is not additive", loaded.dataset.measure.id),
        )
        .into());
    }
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let period = one_period(panel.periods(), a.period, &loaded.dataset.measure.id)?;
    let regions = regions_at(&panel, cat, level);
    let mut notes: Vec<String> = Vec::new();
    let (industries, labels, names, validation): (
        Vec<String>,
        Vec<Option<usize>>,
        Vec<String>,
        Value,
    ) = match &a.definitions {
        Some(spec) => {
            let defs = definitions(spec)?;
            let present = panel.industries().to_vec();
            let mut names: Vec<String> = Vec::new();
            let mut inds = Vec::new();
            let mut labels = Vec::new();
            for i in present.iter().filter(|i| *i != regis_core::TOTAL_INDUSTRY) {
                let cl = defs
                    .iter()
                    .find(|(code, _)| code == i)
                    .map(|(_, c)| c.clone());
                let label = cl.map(|c| match names.iter().position(|n| *n == c) {
                    Some(k) => k,
                    None => {
                        names.push(c);
                        names.len() - 1
                    }
                });
                inds.push(i.clone());
                labels.push(label);
            }
            let matched = labels.iter().filter(|l| l.is_some()).count();
            if matched == 0 {
                return Err(arg_err(format!("no industry of `{}` is in the cluster definitions ({} codes); the definitions must use the data's industry codes (the `us` table uses 6-digit NAICS 2012)", loaded.dataset.measure.id, defs.len())));
            }
            notes.push(format!(
                "{matched} of {} industries mapped to {} given clusters",
                inds.len(),
                names.len()
            ));
            (inds, labels, names, json!({"source": spec}))
        }
        None => {
            let inds = choose_industries(&panel, &a.choice)?;
            let (m, _, d) = matrix(
                &panel,
                cat,
                &regions,
                &inds,
                period,
                a.choice.missing_as_zero,
            );
            notes.extend(d.iter().map(|x| x.to_string()));
            if a.k < 2 || a.k >= inds.len() {
                return Err(arg_err(format!(
                    "--k must be between 2 and {}",
                    inds.len() - 1
                )));
            }
            let mut sim = colocation_similarity(&m);
            if let Some(p) = &a.io {
                let (z, x, _) = read_io(p, &inds)?;
                let io = regis_methods::input_output::io_similarity(&z, &x).map_err(|e| {
                    DataError::file(regis_data::ErrorKind::NotNumeric, p, e.to_string())
                })?;
                for (s, v) in sim.iter_mut().zip(&io) {
                    *s = (*s + v) / 2.0;
                }
                notes.push(
                    "similarity = mean of co-location correlation and input-output links".into(),
                );
            }
            let dist: Vec<f64> = sim.iter().map(|x| 1.0 - x).collect();
            let lab = average_linkage(&dist, inds.len(), a.k);
            let sil = silhouette(&dist, &lab);
            let ratio = within_between_ratio(&sim, &lab);
            let names = (0..a.k).map(|c| format!("cluster {}", c + 1)).collect();
            notes.push("clusters derived from co-location only (correlation of regional shares, average linkage): a simplification of Delgado, Porter & Stern (2016), which also uses input-output and occupation links".into());
            (
                inds,
                lab.into_iter().map(Some).collect(),
                names,
                json!({"method": "co-location similarity, average linkage", "k": a.k, "silhouette": sil, "within_between_similarity_ratio": ratio}),
            )
        }
    };
    let nc = names.len();
    let d = digits(a.format);
    let members: Vec<Vec<String>> = (0..nc)
        .map(|c| {
            industries
                .iter()
                .zip(&labels)
                .filter(|(_, l)| **l == Some(c))
                .map(|(i, _)| industry_name(&panel, i, lang))
                .collect()
        })
        .collect();
    let meta = json!({"measure": measure_json(&loaded.dataset.measure), "level": level.name(), "period": period.0, "validation": validation, "diagnostics": notes, "attribution": loaded.attribution});
    match a.view.as_str() {
        "clusters" => {
            let rows = (0..nc)
                .map(|c| {
                    vec![
                        (c + 1).to_string(),
                        names[c].clone(),
                        members[c].len().to_string(),
                        members[c].join("; "),
                    ]
                })
                .collect();
            emit(
                a.format,
                &["cluster", "name", "industries", "members"],
                rows,
                &["industries"],
                meta,
                &format!("{} {}", validation, notes.join(" ")),
            )
        }
        "stars" => {
            let (m, kept, dd) = matrix(&panel, cat, &regions, &industries, period, true);
            let totals: Vec<f64> = kept
                .iter()
                .map(|r| {
                    panel
                        .get(*r, regis_core::TOTAL_INDUSTRY, period)
                        .unwrap_or_else(|| {
                            industries
                                .iter()
                                .filter_map(|i| panel.get(*r, i, period))
                                .sum()
                        })
                })
                .collect();
            let agg = aggregate(&m, &labels, nc);
            let stars = star_ratings(&agg, &totals);
            let ct = agg.industry_totals();
            let grand: f64 = totals.iter().sum();
            let mut rows = Vec::new();
            for (r, id) in kept.iter().enumerate() {
                for c in 0..nc {
                    let s = stars[r * nc + c];
                    let v = agg.get(r, c);
                    let lq = if totals[r] > 0.0 && ct[c] > 0.0 {
                        (v / totals[r]) / (ct[c] / grand)
                    } else {
                        0.0
                    };
                    rows.push(vec![
                        cat.region(*id).code.clone(),
                        name(cat, *id, lang),
                        names[c].clone(),
                        f(Some(v), d),
                        f(Some(lq), d),
                        s.count().to_string(),
                        "★".repeat(s.count()),
                        u8::from(s.size).to_string(),
                        u8::from(s.specialisation).to_string(),
                        u8::from(s.focus).to_string(),
                    ]);
                }
            }
            rows.sort_by(|x, y| y[5].cmp(&x[5]).then(x[0].cmp(&y[0])));
            let note = format!("Stars: size (top 10% of region-cluster values), specialisation (LQ ≥ 2), focus (top 10% of shares of the region's total). {} {}", notes.join(" "), dd.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" "));
            emit(
                a.format,
                &[
                    "region_code",
                    "region",
                    "cluster",
                    "value",
                    "lq",
                    "stars",
                    "rating",
                    "size_star",
                    "specialisation_star",
                    "focus_star",
                ],
                rows,
                &[
                    "value",
                    "lq",
                    "stars",
                    "size_star",
                    "specialisation_star",
                    "focus_star",
                ],
                meta,
                &note,
            )
        }
        other => Err(arg_err(format!(
            "unknown --view `{other}`; expected clusters or stars"
        ))),
    }
}
