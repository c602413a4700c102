//! `regis strategy`: scored candidate industries of a region ("select and focus"), the
//! sensitivity to the weights, overlap and differentiation across regions, input-output
//! linkages as a criterion.

use regis_core::{Level, Period, RegionId};
use regis_data::export::measure_json;
use regis_data::DataError;
use regis_methods::strategy::{
    candidate_criteria, differentiate, overlap, score, sensitivity, Weights, CRITERIA,
    CRITERIA_MEANING, DEFAULT_WEIGHTS,
};
use serde_json::{json, Value};

use crate::analyse::f;
use crate::args::{Format, Lang, StrategyArgs};
use crate::output::print_rows;
use crate::structure::{
    arg_err, choose_industries, digits, industry_name, matrix, name, regions_at, with_default,
};
use regis_app::resolve::{one_period, panel_at_level};
use regis_app::source::{load, parse_level};

/// The input-output table of `--io` over the measure's industries (read and checked by
/// `regis_data::io_table`): flows, outputs, and which industries have an output.
pub(crate) fn read_io(
    path: &std::path::Path,
    industries: &[String],
) -> anyhow::Result<(Vec<f64>, Vec<f64>, Vec<bool>)> {
    let t = regis_data::io_table::read_io_table(path, industries)?;
    Ok((t.flows, t.output, t.has_output))
}

/// Linkages (mean of normalised backward and forward linkages) of each industry from an IO file.
fn io_linkages(path: &std::path::Path, industries: &[String]) -> anyhow::Result<Vec<Option<f64>>> {
    use regis_methods::input_output::{
        backward_linkages, forward_linkages, ghosh_inverse, leontief_inverse,
        technical_coefficients,
    };
    let (z, x, seen) = read_io(path, industries)?;
    let err = |e: regis_methods::input_output::IoError| {
        anyhow::Error::new(DataError::file(
            regis_data::ErrorKind::NotNumeric,
            path,
            e.to_string(),
        ))
    };
    let l = leontief_inverse(&technical_coefficients(&z, &x).map_err(err)?).map_err(err)?;
    let g = ghosh_inverse(&z, &x).map_err(err)?;
    let (bl, fl) = (backward_linkages(&l), forward_linkages(&g));
    Ok((0..industries.len())
        .map(|i| seen[i].then(|| (bl[i] + fl[i]) / 2.0))
        .collect())
}

fn parse_weights(spec: &Option<String>) -> anyhow::Result<Weights> {
    let mut w = DEFAULT_WEIGHTS;
    if let Some(s) = spec {
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| arg_err(format!("--weights `{part}`: expected criterion=number")))?;
            let idx = CRITERIA
                .iter()
                .position(|c| *c == k.trim())
                .ok_or_else(|| {
                    arg_err(format!(
                        "--weights: unknown criterion `{k}`; criteria: {}",
                        CRITERIA.join(", ")
                    ))
                })?;
            w[idx] = v
                .trim()
                .parse()
                .map_err(|_| arg_err(format!("--weights: `{v}` is not a number")))?;
        }
    }
    Weights::new(w).map_err(|e| DataError::argument(format!("--weights: {e}")).into())
}

struct Setup {
    regions: Vec<RegionId>,
    industries: Vec<String>,
    from: Period,
    to: Period,
    criteria: Vec<regis_methods::strategy::CriteriaValues>,
    proximity: Vec<f64>,
    notes: Vec<String>,
}

fn setup(
    loaded: &regis_app::source::Loaded,
    a: &StrategyArgs,
    level: Level,
) -> anyhow::Result<(regis_core::Panel, Setup)> {
    if !loaded.dataset.measure.additive {
        return Err(DataError::file(
            regis_data::ErrorKind::NotAdditive,
            "<arguments>",
            format!(
                "`{}` is not additive: shares, LQs and shift-share need values that add up",
                loaded.dataset.measure.id
            ),
        )
        .into());
    }
    let cat = &loaded.catalog;
    let panel = panel_at_level(loaded, level)?;
    let industries = choose_industries(&panel, &a.choice)?;
    let to = one_period(panel.periods(), a.period, &loaded.dataset.measure.id)?;
    let from = panel
        .periods()
        .iter()
        .copied()
        .filter(|p| p.0 >= to.0 - a.window && *p < to)
        .min()
        .ok_or_else(|| arg_err(format!("no period within {} years before {to}", a.window)))?;
    let all = regions_at(&panel, cat, level);
    let (_, k0, d0) = matrix(
        &panel,
        cat,
        &all,
        &industries,
        from,
        a.choice.missing_as_zero,
    );
    let (_, k1, d1) = matrix(&panel, cat, &all, &industries, to, a.choice.missing_as_zero);
    let regions: Vec<RegionId> = k1.into_iter().filter(|r| k0.contains(r)).collect();
    let (m0, _, _) = matrix(
        &panel,
        cat,
        &regions,
        &industries,
        from,
        a.choice.missing_as_zero,
    );
    let (m1, _, _) = matrix(
        &panel,
        cat,
        &regions,
        &industries,
        to,
        a.choice.missing_as_zero,
    );
    let linkages = match &a.io {
        Some(p) => Some(io_linkages(p, &industries)?),
        None => None,
    };
    let (criteria, cx) =
        candidate_criteria(&m0, &m1, f64::from(to.0 - from.0), linkages.as_deref());
    let mut notes: Vec<String> = d0
        .iter()
        .chain(&d1)
        .chain(&cx.diagnostics)
        .map(|x| x.to_string())
        .collect();
    notes.dedup();
    if a.io.is_none() {
        notes.push("no input-output table given (--io): the linkages criterion is not used".into());
    }
    Ok((
        panel,
        Setup {
            regions,
            industries,
            from,
            to,
            criteria,
            proximity: cx.proximity,
            notes,
        },
    ))
}

/// `regis strategy`
pub fn strategy(store: &std::path::Path, a: StrategyArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let mut weights = parse_weights(&a.weights)?;
    if a.io.is_some() && !a.weights.as_deref().unwrap_or("").contains("linkages") {
        let mut w = weights.0;
        w[6] = 0.15;
        weights = Weights::new(w).map_err(|e| DataError::argument(e.to_string()))?;
    }
    let loaded = load(
        &with_default(&a.source),
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    let cat = &loaded.catalog;
    let (panel, s) = setup(&loaded, &a, level)?;
    let ni = s.industries.len();
    if a.top == 0 || a.top >= ni {
        return Err(arg_err(format!("--top must be between 1 and {}", ni - 1)));
    }
    let region_criteria = |r: usize| -> Vec<regis_methods::strategy::CriteriaValues> {
        s.criteria[r * ni..(r + 1) * ni].to_vec()
    };
    let weights_json = json!(CRITERIA
        .iter()
        .zip(weights.0)
        .map(|(c, w)| (c.to_string(), json!(w)))
        .collect::<serde_json::Map<String, Value>>());
    if a.overlap {
        let mut tops = Vec::new();
        let mut scores_by_region = Vec::new();
        for r in 0..s.regions.len() {
            let sc = score(&region_criteria(r), &weights);
            let mut by_ind = vec![0.0; ni];
            for x in &sc {
                by_ind[x.candidate] = x.score;
            }
            tops.push(
                sc.iter()
                    .take(a.top)
                    .map(|x| x.candidate)
                    .collect::<Vec<_>>(),
            );
            scores_by_region.push(by_ind);
        }
        let o = overlap(&tops, ni);
        let counts: Vec<usize> = o.chosen_by.iter().map(|v| v.len()).collect();
        let contested: Vec<usize> = (0..ni).filter(|&i| counts[i] >= a.contested).collect();
        let rname = |k: usize| name(cat, s.regions[k], lang);
        let iname = |i: usize| industry_name(&panel, &s.industries[i], lang);
        let mut suggestions = Vec::new();
        // Suggestions are allocated greedily: an industry suggested to one region counts as
        // chosen, so that the suggestions do not create a new crowd.
        let mut load = counts.clone();
        // Finer sub-industries: when a contested industry has sub-industries in the data (C with
        // C1..C7 at --industry-depth 2), each region that chose it is pointed to the
        // sub-industry where its location quotient is highest.
        let cl = panel
            .classification
            .as_deref()
            .and_then(regis_data::korea::classification);
        let mut finer = Vec::new();
        for &i in &contested {
            let children: Vec<String> = cl
                .map(|c| {
                    c.children(&s.industries[i])
                        .iter()
                        .map(|x| x.code.clone())
                        .filter(|k| panel.industries().contains(k))
                        .collect()
                })
                .unwrap_or_default();
            if children.is_empty() {
                continue;
            }
            for &r in &o.chosen_by[i] {
                let rid = s.regions[r];
                let parent_total: f64 = s
                    .regions
                    .iter()
                    .filter_map(|x| panel.get(*x, &s.industries[i], s.to))
                    .sum();
                let best = children
                    .iter()
                    .filter_map(|ch| {
                        let (v, tot) = (
                            panel.get(rid, ch, s.to)?,
                            s.regions
                                .iter()
                                .filter_map(|x| panel.get(*x, ch, s.to))
                                .sum::<f64>(),
                        );
                        let own = panel.get(rid, &s.industries[i], s.to)?;
                        // LQ of the sub-industry within the contested industry.
                        (own > 0.0 && tot > 0.0 && parent_total > 0.0)
                            .then(|| (ch.clone(), (v / own) / (tot / parent_total)))
                    })
                    .max_by(|x, y| x.1.total_cmp(&y.1));
                if let Some((ch, lq)) = best {
                    finer.push(json!({"region": rname(r), "region_code": cat.region(rid).code, "contested": iname(i), "contested_code": s.industries[i], "sub_industry": industry_name(&panel, &ch, lang), "sub_industry_code": ch, "lq_within": lq}));
                }
            }
        }
        for &i in &contested {
            for &r in &o.chosen_by[i] {
                if let Some(j) = differentiate(
                    i,
                    &scores_by_region[r],
                    &tops[r],
                    &load,
                    &s.proximity,
                    ni,
                    a.contested.saturating_sub(2),
                ) {
                    load[j] += 1;
                    suggestions.push(json!({"region": rname(r), "region_code": cat.region(s.regions[r]).code, "contested": iname(i), "contested_code": s.industries[i], "suggestion": iname(j), "suggestion_code": s.industries[j], "proximity": s.proximity[i * ni + j], "score": scores_by_region[r][j]}));
                }
            }
        }
        if a.format == Format::Json {
            let v = json!({
                "measure": measure_json(&loaded.dataset.measure), "level": level.name(), "from": s.from.0, "to": s.to.0, "top": a.top, "weights": weights_json,
                "choices": s.regions.iter().enumerate().map(|(r, id)| json!({"region_code": cat.region(*id).code, "region": rname(r), "industries": tops[r].iter().map(|i| json!({"code": s.industries[*i], "name": iname(*i)})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
                "industries": (0..ni).filter(|i| counts[*i] > 0).map(|i| json!({"code": s.industries[i], "name": iname(i), "chosen_by": o.chosen_by[i].iter().map(|r| rname(*r)).collect::<Vec<_>>(), "regions": counts[i], "contested": counts[i] >= a.contested})).collect::<Vec<_>>(),
                "overlap_matrix": {"regions": (0..s.regions.len()).map(rname).collect::<Vec<_>>(), "shared": o.matrix},
                "differentiation": suggestions, "finer_sub_industries": finer, "diagnostics": s.notes, "attribution": loaded.attribution,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
            return Ok(());
        }
        let rows: Vec<Vec<String>> = s
            .regions
            .iter()
            .enumerate()
            .map(|(r, id)| {
                vec![
                    cat.region(*id).code.clone(),
                    rname(r),
                    tops[r]
                        .iter()
                        .map(|i| iname(*i))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect();
        print_rows(
            a.format,
            &["region_code", "region", "strategic_industries"],
            &rows,
        )?;
        println!();
        let mut by_count: Vec<usize> = (0..ni).filter(|i| counts[*i] > 0).collect();
        by_count.sort_by(|x, y| counts[*y].cmp(&counts[*x]));
        let rows: Vec<Vec<String>> = by_count
            .iter()
            .map(|&i| {
                vec![
                    s.industries[i].clone(),
                    iname(i),
                    counts[i].to_string(),
                    if counts[i] >= a.contested {
                        "contested".into()
                    } else {
                        String::new()
                    },
                    o.chosen_by[i]
                        .iter()
                        .map(|r| rname(*r))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            })
            .collect();
        print_rows(
            a.format,
            &["industry", "industry_name", "regions", "flag", "chosen_by"],
            &rows,
        )?;
        if !suggestions.is_empty() {
            println!();
            let rows: Vec<Vec<String>> = suggestions
                .iter()
                .map(|x| {
                    vec![
                        x["region"].as_str().unwrap_or_default().into(),
                        x["contested"].as_str().unwrap_or_default().into(),
                        x["suggestion"].as_str().unwrap_or_default().into(),
                        format!("{:.2}", x["proximity"].as_f64().unwrap_or(0.0)),
                    ]
                })
                .collect();
            print_rows(
                a.format,
                &[
                    "region",
                    "contested_industry",
                    "differentiate_towards",
                    "proximity",
                ],
                &rows,
            )?;
        }
        if !finer.is_empty() {
            println!();
            let rows: Vec<Vec<String>> = finer
                .iter()
                .map(|x| {
                    vec![
                        x["region"].as_str().unwrap_or_default().into(),
                        x["contested"].as_str().unwrap_or_default().into(),
                        x["sub_industry"].as_str().unwrap_or_default().into(),
                        format!("{:.2}", x["lq_within"].as_f64().unwrap_or(0.0)),
                    ]
                })
                .collect();
            print_rows(
                a.format,
                &[
                    "region",
                    "contested_industry",
                    "strongest_sub_industry",
                    "lq_within",
                ],
                &rows,
            )?;
        }
        eprintln!(
            "{} {}-{}, top {} per region; contested = chosen by ≥ {} regions. {}",
            loaded.dataset.measure.name_en,
            s.from,
            s.to,
            a.top,
            a.contested,
            s.notes.join(" ")
        );
        return Ok(());
    }
    let region_text = a
        .region
        .as_deref()
        .ok_or_else(|| arg_err("give --region (a code or name) or --overlap".into()))?;
    let rid = cat
        .resolve(region_text, None, None, Some(level))
        .map_err(|e| arg_err(format!("--region: {e}")))?;
    let r = s.regions.iter().position(|x| *x == rid).ok_or_else(|| {
        arg_err(format!(
            "{} has no complete data for {}-{}",
            cat.region(rid).name_en,
            s.from,
            s.to
        ))
    })?;
    let crit = region_criteria(r);
    let scored = score(&crit, &weights);
    let sens = sensitivity(&crit, &weights, a.top, a.draws, a.sigma, a.seed);
    let cand = |x: &regis_methods::strategy::Scored| -> Value {
        let i = x.candidate;
        json!({
            "industry": s.industries[i], "name": industry_name(&panel, &s.industries[i], lang), "rank": x.rank, "score": x.score,
            "criteria": CRITERIA.iter().enumerate().map(|(k, c)| (c.to_string(), json!(crit[i][k]))).collect::<serde_json::Map<String, Value>>(),
            "rescaled": CRITERIA.iter().enumerate().map(|(k, c)| (c.to_string(), json!(x.rescaled[k]))).collect::<serde_json::Map<String, Value>>(),
            "sensitivity": {"in_top_k": sens[i].in_top_k, "best_rank": sens[i].best_rank, "worst_rank": sens[i].worst_rank},
        })
    };
    if a.format == Format::Json {
        let v = json!({
            "region": {"code": cat.region(rid).code, "name": name(cat, rid, lang)}, "measure": measure_json(&loaded.dataset.measure), "level": level.name(),
            "from": s.from.0, "to": s.to.0, "top": a.top, "weights": weights_json,
            "criteria_meaning": CRITERIA.iter().zip(CRITERIA_MEANING).map(|(c, m)| (c.to_string(), json!(m))).collect::<serde_json::Map<String, Value>>(),
            "selected": scored.iter().take(a.top).map(cand).collect::<Vec<_>>(),
            "candidates": scored.iter().map(cand).collect::<Vec<_>>(),
            "sensitivity": {"draws": a.draws, "sigma": a.sigma, "seed": a.seed, "table": scored.iter().map(|x| json!({"industry": s.industries[x.candidate], "rank": x.rank, "in_top_k": sens[x.candidate].in_top_k, "best_rank": sens[x.candidate].best_rank, "worst_rank": sens[x.candidate].worst_rank})).collect::<Vec<_>>()},
            "diagnostics": s.notes, "attribution": loaded.attribution,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let d = digits(a.format);
    let rows: Vec<Vec<String>> = scored
        .iter()
        .map(|x| {
            let i = x.candidate;
            let mut row = vec![
                x.rank.to_string(),
                s.industries[i].clone(),
                industry_name(&panel, &s.industries[i], lang),
            ];
            row.extend((0..7).map(|k| f(crit[i][k], d.min(3))));
            row.push(f(Some(x.score), d));
            row.push(format!("{:.0}%", sens[i].in_top_k * 100.0));
            row.push(format!("{}-{}", sens[i].best_rank, sens[i].worst_rank));
            row
        })
        .collect();
    let mut header = vec!["rank", "industry", "industry_name"];
    header.extend(CRITERIA);
    header.extend(["score", "in_top_k", "rank_range"]);
    print_rows(a.format, &header, &rows)?;
    eprintln!("{} {}: {}-{}, weights {}; in_top_k and rank_range over {} perturbed weightings (σ = {}). {}", name(cat, rid, lang), loaded.dataset.measure.name_en, s.from, s.to, CRITERIA.iter().zip(weights.0).map(|(c, w)| format!("{c}={w:.2}")).collect::<Vec<_>>().join(","), a.draws, a.sigma, s.notes.join(" "));
    Ok(())
}
