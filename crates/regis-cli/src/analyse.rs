//! The analytic commands: they load a measure (or `--input` file), choose regions and periods,
//! call `regis-methods`, and print the result.

use regis_core::{RegionGroup, RegionId};
use regis_data::export::measure_json;
use regis_data::{korea, DataError};
use regis_methods::imbalance::{imbalance, ImbalanceInput, ImbalanceRow};
use serde_json::json;

use crate::args::{DiagnoseArgs, Format, Lang};
use crate::output::print_rows;
use regis_app::resolve::{choose_periods, group_of_members, in_group, panel_at_level, to_vintage};
use regis_app::source::{load, parse_level};

pub fn f(v: Option<f64>, digits: usize) -> String {
    v.map(|x| format!("{x:.digits$}")).unwrap_or_default()
}

/// `regis diagnose`
pub fn diagnose(store: &std::path::Path, a: DiagnoseArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &a.source.measure,
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    let cat = &loaded.catalog;
    let mut panel = panel_at_level(&loaded, level)?;
    if let Some(v) = a.vintage {
        panel = to_vintage(&panel, level, v, cat)?;
    }
    // Korea's groups (SMA...) apply to Korean regions only: on another country's regions the
    // report has a group part only when the user names one.
    let builtin_regions = korea::catalog().regions().len();
    let foreign = panel
        .regions()
        .iter()
        .filter(|r| cat.region(**r).level == level)
        .all(|r| r.0 as usize >= builtin_regions);
    let group: Option<RegionGroup> = match (&a.group_members, &a.group) {
        (Some(spec), _) => {
            let candidates: Vec<RegionId> = panel
                .regions()
                .iter()
                .copied()
                .filter(|r| cat.region(*r).level == level)
                .collect();
            Some(group_of_members(cat, spec, &candidates)?)
        }
        (None, Some(id)) => {
            let g = cat.group(id).ok_or_else(|| {
                DataError::argument(format!(
                    "unknown group `{id}`; groups: {} (or name your own with --group-members NAME=code,code)",
                    cat.groups()
                        .iter()
                        .map(|g| g.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            if foreign {
                return Err(DataError::argument(format!(
                    "group `{}` is a group of Korean regions and none of this data's regions is Korean; name your own with --group-members NAME=code,code",
                    g.id
                ))
                .into());
            }
            Some(g.clone())
        }
        (None, None) if foreign => None,
        (None, None) => cat.group("SMA").cloned(),
    };
    if !panel.industries().contains(&a.industry) {
        return Err(DataError::argument(format!(
            "industry `{}` is not in `{}`; it has: {}",
            a.industry,
            loaded.dataset.measure.id,
            panel.industries().join(", ")
        ))
        .into());
    }
    let periods = choose_periods(
        panel.periods(),
        &a.period,
        a.from,
        a.to,
        &loaded.dataset.measure.id,
    )?;
    let denominator = match &a.per {
        Some(id) => {
            let d = load(&Some(id.clone()), &None, &Default::default(), None, store)?;
            let mut q = panel_at_level(&d, level)?;
            if let Some(v) = a.vintage {
                q = to_vintage(&q, level, v, cat)?;
            }
            Some(q)
        }
        None => None,
    };
    let mut regions: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    regions.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
    let names: Vec<String> = regions
        .iter()
        .map(|r| {
            cat.region(*r)
                .name(if lang == Lang::Ko { "ko" } else { "en" })
                .to_string()
        })
        .collect();
    let membership: Vec<bool> = regions
        .iter()
        .map(|r| {
            group
                .as_ref()
                .is_some_and(|g| in_group(cat, *r, &g.members))
        })
        .collect();
    if let Some(g) = group.as_ref().filter(|_| !membership.iter().any(|b| *b)) {
        eprintln!("warning: no region of this level belongs to group {}", g.id);
    }
    // A region that did not exist in a period (Sejong before 2012) is not "missing" there.
    let mut rows: Vec<ImbalanceRow> = periods
        .iter()
        .flat_map(|&p| {
            let idx: Vec<usize> = (0..regions.len())
                .filter(|&k| {
                    cat.region(regions[k]).valid_in(p.0)
                        || panel.get(regions[k], &a.industry, p).is_some()
                })
                .collect();
            let rs: Vec<RegionId> = idx.iter().map(|&k| regions[k]).collect();
            let ns: Vec<String> = idx.iter().map(|&k| names[k].clone()).collect();
            let gs: Vec<bool> = idx.iter().map(|&k| membership[k]).collect();
            imbalance(&ImbalanceInput {
                panel: &panel,
                industry: &a.industry,
                regions: &rs,
                region_names: &ns,
                in_group: &gs,
                periods: &[p],
                per: denominator.as_ref(),
            })
        })
        .collect();
    // A denominator region without a numerator (Sejong has population but KOSIS puts its
    // GRDP inside Chungnam/Chungbuk) biases its neighbours' per-head values: say so.
    if let Some(q) = &denominator {
        for row in rows.iter_mut() {
            let orphans: Vec<String> = q
                .regions()
                .iter()
                .filter(|r| {
                    cat.region(**r).level == level
                        && q.get(**r, regis_core::TOTAL_INDUSTRY, row.period).is_some()
                        && panel.get(**r, &a.industry, row.period).is_none()
                })
                .map(|r| {
                    cat.region(*r)
                        .name(if lang == Lang::Ko { "ko" } else { "en" })
                        .to_string()
                })
                .collect();
            if !orphans.is_empty() {
                row.diagnostics.push(regis_core::Diagnostic::warning(
                    "denominator-without-numerator",
                    format!("{} has {} but no {}: its numerator is counted elsewhere (KOSIS GRDP puts Sejong in Chungnam/Chungbuk); consider --vintage 2011", orphans.join(", "), a.per.as_deref().unwrap_or(""), loaded.dataset.measure.id),
                ));
            }
        }
    }
    if group.is_none() {
        // No group: no group share and no between/within split (not zeros).
        for r in rows.iter_mut() {
            r.group_share = None;
            r.group_denominator_share = None;
            r.theil_between = None;
            r.theil_within = None;
        }
    }
    let m = &loaded.dataset.measure;
    match a.format {
        Format::Json => {
            let v = json!({
                "measure": measure_json(m),
                "industry": a.industry,
                "level": level.name(),
                "group": group.as_ref().map(|g| json!({"id": g.id, "name_ko": g.name_ko, "name_en": g.name_en})),
                "per": a.per,
                "weighted": a.per.is_some(),
                "attribution": loaded.attribution,
                "rows": rows.iter().map(|r| json!({
                    "period": r.period.0,
                    "regions": r.regions,
                    "total": r.total,
                    "group_total": group.as_ref().map(|_| r.group_total),
                    "group_share": r.group_share,
                    "group_denominator_share": r.group_denominator_share,
                    "gini": r.gini,
                    "theil": r.theil,
                    "theil_between": r.theil_between,
                    "theil_within": r.theil_within,
                    "theil_l": r.theil_l,
                    "atkinson_0.5": r.atkinson_05,
                    "cv": r.cv,
                    "hoover": r.hoover,
                    "diagnostics": r.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        fmt => {
            let full = fmt != Format::Table;
            let d = if full { 17 } else { 4 };
            let header = [
                "period",
                "regions",
                "group_share",
                "gini",
                "theil",
                "theil_between",
                "theil_within",
                "theil_l",
                "atkinson_0.5",
                "cv",
                "hoover",
                "diagnostics",
            ];
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.period.to_string(),
                        r.regions.to_string(),
                        f(r.group_share, d),
                        f(r.gini, d),
                        f(r.theil, d),
                        f(r.theil_between, d),
                        f(r.theil_within, d),
                        f(r.theil_l, d),
                        f(r.atkinson_05, d),
                        f(r.cv, d),
                        f(r.hoover, d),
                        r.diagnostics
                            .iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]
                })
                .collect();
            print_rows(fmt, &header, &body)?;
            if fmt == Format::Table {
                let per = a
                    .per
                    .as_deref()
                    .map(|p| format!(" per head of {p}, weighted by it"))
                    .unwrap_or_default();
                let group_text = group
                    .as_ref()
                    .map(|g| format!("group {} = {}", g.id, g.name_en))
                    .unwrap_or_else(|| {
                        "no region group (--group-members NAME=code,code names one)".into()
                    });
                eprintln!(
                    "{} ({}){per}; {group_text}; level {level}. {}",
                    m.name_en, m.unit, loaded.attribution
                );
            }
        }
    }
    Ok(())
}
