//! The structural commands: `specialise`, `shift-share`, `convergence`.

use regis_core::{Diagnostic, Level, Panel, Period, RegionCatalog, RegionId, TOTAL_INDUSTRY};
use regis_data::export::measure_json;
use regis_data::{korea, DataError};
use regis_methods::convergence::{beta_convergence, sigma};
use regis_methods::shift_share::{shift_share as decompose, Components, ShiftShareMethod};
use regis_methods::specialisation::{
    diversity, ellison_glaeser, entropy_regions, herfindahl_industries, herfindahl_regions,
    krugman_concentration, krugman_specialisation, location_quotients, locational_gini, ubiquity,
    RegionIndustry,
};
use serde_json::json;

use crate::analyse::f;
use crate::args::{
    ConvergenceArgs, Format, IndustryChoice, Lang, ShiftShareArgs, SpecialiseArgs, SpecialiseView,
};
use regis_app::resolve::{choose_periods, in_group, one_period, panel_at_level, to_vintage};
use regis_app::source::{load, parse_level, Loaded};

use crate::output::print_rows;

/// The measure of a structural command: the one given, else `grdp_nominal` (when no --input).
pub fn with_default(src: &crate::args::SourceArgs) -> Option<String> {
    match (&src.measure, &src.input) {
        (Some(m), _) => Some(m.clone()),
        (None, None) => Some("grdp_nominal".into()),
        (None, Some(_)) => None,
    }
}

pub fn arg_err(msg: String) -> anyhow::Error {
    DataError::argument(msg).into()
}

/// The industries to analyse: those named, those at a depth, or the finest partition.
pub fn choose_industries(panel: &Panel, choice: &IndustryChoice) -> anyhow::Result<Vec<String>> {
    let cl = panel
        .classification
        .as_deref()
        .and_then(korea::classification);
    let present = panel.industries();
    if !choice.industries.is_empty() {
        return choice
            .industries
            .iter()
            .map(|i| {
                let code = cl
                    .and_then(|c| c.find(i))
                    .map(|x| x.code.clone())
                    .unwrap_or_else(|| i.clone());
                if present.contains(&code) {
                    Ok(code)
                } else {
                    Err(arg_err(format!(
                        "industry `{i}` is not in the data; it has: {}",
                        present.join(", ")
                    )))
                }
            })
            .collect();
    }
    let chosen: Vec<String> = match (cl, choice.industry_depth) {
        (Some(c), Some(d)) => present
            .iter()
            .filter(|i| c.get(i).is_some_and(|x| x.level == d))
            .cloned()
            .collect(),
        (Some(c), None) => present
            .iter()
            .filter(|i| {
                let Some(x) = c.get(i) else { return false };
                let has_children = c.children(i).iter().any(|k| present.contains(&k.code));
                // A leaf inside a hierarchy (not a stand-alone total such as taxes).
                !has_children && x.parent.is_some()
            })
            .cloned()
            .collect(),
        (None, _) => present
            .iter()
            .filter(|i| *i != TOTAL_INDUSTRY)
            .cloned()
            .collect(),
    };
    if chosen.len() < 2 {
        return Err(arg_err(format!("fewer than two industries to compare (have: {}); the measure needs an industry breakdown", present.join(", "))));
    }
    Ok(chosen)
}

pub fn regions_at(panel: &Panel, cat: &RegionCatalog, level: Level) -> Vec<RegionId> {
    let mut rs: Vec<RegionId> = panel
        .regions()
        .iter()
        .copied()
        .filter(|r| cat.region(*r).level == level)
        .collect();
    rs.sort_by(|x, y| cat.region(*x).code.cmp(&cat.region(*y).code).then(x.cmp(y)));
    rs
}

/// A region x industry matrix for one period; regions with a missing cell are left out (or
/// read as zero when asked), with a diagnostic either way.
pub fn matrix(
    panel: &Panel,
    cat: &RegionCatalog,
    regions: &[RegionId],
    industries: &[String],
    period: Period,
    missing_as_zero: bool,
) -> (RegionIndustry, Vec<RegionId>, Vec<Diagnostic>) {
    let mut values = Vec::new();
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    let mut zeroed = 0;
    for &r in regions {
        let row: Vec<Option<f64>> = industries.iter().map(|i| panel.get(r, i, period)).collect();
        if row.iter().all(|v| v.is_none()) {
            continue; // the region has no data this period at all
        }
        if row.iter().any(|v| v.is_none()) && !missing_as_zero {
            left_out.push(cat.region(r).name_en.clone());
            continue;
        }
        zeroed += row.iter().filter(|v| v.is_none()).count();
        values.extend(row.iter().map(|v| v.unwrap_or(0.0).max(0.0)));
        kept.push(r);
    }
    let mut d = Vec::new();
    if !left_out.is_empty() {
        d.push(Diagnostic::info(
            "regions-with-missing-cells",
            format!(
                "left out (a missing industry value; --missing-as-zero keeps them): {}",
                left_out.join(", ")
            ),
        ));
    }
    if zeroed > 0 {
        d.push(Diagnostic::warning(
            "missing-read-as-zero",
            format!("{zeroed} missing cell(s) read as zero"),
        ));
    }
    let n = kept.len();
    (
        RegionIndustry::new(values, n, industries.len())
            .expect("checked shape and non-negative values"),
        kept,
        d,
    )
}

pub fn name(cat: &RegionCatalog, r: RegionId, lang: Lang) -> String {
    cat.region(r)
        .name(if lang == Lang::Ko { "ko" } else { "en" })
        .to_string()
}

pub fn industry_name(panel: &Panel, code: &str, lang: Lang) -> String {
    panel
        .classification
        .as_deref()
        .and_then(korea::classification)
        .and_then(|c| c.get(code))
        .map(|i| {
            if lang == Lang::Ko || i.name_en.is_empty() {
                i.name_ko.clone()
            } else {
                i.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub fn emit(
    format: Format,
    header: &[&str],
    rows: Vec<Vec<String>>,
    json_numbers: &[&str],
    meta: serde_json::Value,
    note: &str,
) -> anyhow::Result<()> {
    if format == Format::Json {
        let out: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    header
                        .iter()
                        .zip(r)
                        .map(|(h, c)| {
                            let v = if json_numbers.contains(h) {
                                c.parse::<f64>()
                                    .map(|x| json!(x))
                                    .unwrap_or(serde_json::Value::Null)
                            } else {
                                json!(c)
                            };
                            ((*h).to_string(), v)
                        })
                        .collect(),
                )
            })
            .collect();
        let mut m = meta;
        m["rows"] = json!(out);
        println!("{}", serde_json::to_string_pretty(&m)?);
        return Ok(());
    }
    print_rows(format, header, &rows)?;
    if format == Format::Table && !note.is_empty() {
        eprintln!("{note}");
    }
    Ok(())
}

pub fn digits(format: Format) -> usize {
    if format == Format::Table {
        4
    } else {
        17
    }
}

/// `regis specialise`
pub fn specialise(store: &std::path::Path, a: SpecialiseArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &with_default(&a.source),
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    if !loaded.dataset.measure.additive {
        return Err(DataError::file(regis_data::ErrorKind::NotAdditive, "<arguments>", format!("`{}` is not additive: shares and location quotients need values that add up (use grdp_nominal, not chained real GRDP)", loaded.dataset.measure.id)).into());
    }
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let industries = choose_industries(&panel, &a.choice)?;
    let period = one_period(panel.periods(), a.period, &loaded.dataset.measure.id)?;
    let regions = regions_at(&panel, cat, level);
    let (m, kept, diags) = matrix(
        &panel,
        cat,
        &regions,
        &industries,
        period,
        a.choice.missing_as_zero,
    );
    if kept.len() < 2 {
        return Err(arg_err(format!(
            "fewer than two regions with complete data in {period}"
        )));
    }
    let d = digits(a.format);
    let note_diags: Vec<String> = diags.iter().map(|x| x.to_string()).collect();
    let meta = json!({
        "measure": measure_json(&loaded.dataset.measure), "level": level.name(), "period": period.0,
        "industries": industries, "threshold": a.threshold, "diagnostics": note_diags, "attribution": loaded.attribution,
    });
    let note = format!(
        "{} {period}, {} regions x {} industries. {}{}",
        loaded.dataset.measure.name_en,
        kept.len(),
        industries.len(),
        note_diags.join(" "),
        if note_diags.is_empty() { "" } else { " " }
    );
    match a.view {
        SpecialiseView::Regions => {
            let (k, h, e, dv, lq) = (
                krugman_specialisation(&m),
                herfindahl_regions(&m),
                entropy_regions(&m),
                diversity(&m, a.threshold),
                location_quotients(&m),
            );
            let ni = industries.len();
            let rows = kept
                .iter()
                .enumerate()
                .map(|(r, &id)| {
                    let mut top: Vec<(usize, f64)> = (0..ni)
                        .filter_map(|i| lq[r * ni + i].map(|v| (i, v)))
                        .collect();
                    top.sort_by(|x, y| y.1.total_cmp(&x.1));
                    let top: Vec<String> = top
                        .iter()
                        .take(3)
                        .map(|(i, v)| {
                            format!("{} ({v:.2})", industry_name(&panel, &industries[*i], lang))
                        })
                        .collect();
                    vec![
                        cat.region(id).code.clone(),
                        name(cat, id, lang),
                        f(k[r], d),
                        f(h[r], d),
                        f(e[r], d),
                        dv[r].to_string(),
                        top.join("; "),
                    ]
                })
                .collect();
            emit(
                a.format,
                &[
                    "region_code",
                    "region",
                    "krugman_specialisation",
                    "herfindahl",
                    "entropy",
                    "diversity",
                    "top_lq",
                ],
                rows,
                &[
                    "krugman_specialisation",
                    "herfindahl",
                    "entropy",
                    "diversity",
                ],
                meta,
                &note,
            )
        }
        SpecialiseView::Industries => {
            let (k, h, lg, u) = (
                krugman_concentration(&m),
                herfindahl_industries(&m),
                locational_gini(&m),
                ubiquity(&m, a.threshold),
            );
            let rt = m.region_totals();
            let t = m.total();
            let x: Vec<f64> = rt.iter().map(|v| v / t).collect();
            let it = m.industry_totals();
            let rows = industries
                .iter()
                .enumerate()
                .map(|(i, code)| {
                    let c: Vec<f64> = (0..kept.len())
                        .map(|r| {
                            if it[i] > 0.0 {
                                m.get(r, i) / it[i]
                            } else {
                                0.0
                            }
                        })
                        .collect();
                    let eg = if it[i] > 0.0 {
                        ellison_glaeser(&c, &x, 0.0)
                    } else {
                        None
                    };
                    vec![
                        code.clone(),
                        industry_name(&panel, code, lang),
                        f(k[i], d),
                        f(h[i], d),
                        f(lg[i], d),
                        u[i].to_string(),
                        f(eg, d),
                    ]
                })
                .collect();
            let note = format!("{note}Ellison-Glaeser is computed without plant data (plant Herfindahl H = 0), so it is the raw-concentration form; it overstates agglomeration in industries of few large plants.");
            emit(
                a.format,
                &[
                    "industry",
                    "industry_name",
                    "krugman_concentration",
                    "herfindahl",
                    "locational_gini",
                    "ubiquity",
                    "ellison_glaeser_h0",
                ],
                rows,
                &[
                    "krugman_concentration",
                    "herfindahl",
                    "locational_gini",
                    "ubiquity",
                    "ellison_glaeser_h0",
                ],
                meta,
                &note,
            )
        }
        SpecialiseView::Lq => {
            let lq = location_quotients(&m);
            let ni = industries.len();
            let mut rows = Vec::new();
            for (r, &id) in kept.iter().enumerate() {
                for (i, code) in industries.iter().enumerate() {
                    rows.push(vec![
                        cat.region(id).code.clone(),
                        name(cat, id, lang),
                        code.clone(),
                        industry_name(&panel, code, lang),
                        format!("{}", m.get(r, i)),
                        f(lq[r * ni + i], d),
                        (lq[r * ni + i].unwrap_or(0.0) >= a.threshold).to_string(),
                    ]);
                }
            }
            emit(
                a.format,
                &[
                    "region_code",
                    "region",
                    "industry",
                    "industry_name",
                    "value",
                    "lq",
                    "specialised",
                ],
                rows,
                &["value", "lq"],
                meta,
                &note,
            )
        }
    }
}

fn method(s: &str) -> anyhow::Result<ShiftShareMethod> {
    match s.to_ascii_lowercase().replace('_', "-").as_str() {
        "classic" | "dunn" => Ok(ShiftShareMethod::Classic),
        "esteban-marquillas" | "em" => Ok(ShiftShareMethod::EstebanMarquillas),
        "dynamic" | "barff-knight" => Ok(ShiftShareMethod::Dynamic),
        other => Err(arg_err(format!(
            "unknown shift-share method `{other}`; expected classic, esteban-marquillas or dynamic"
        ))),
    }
}

/// `regis shift-share`
pub fn shift_share(store: &std::path::Path, a: ShiftShareArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let m = method(&a.method)?;
    let loaded = load(
        &with_default(&a.source),
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    if !loaded.dataset.measure.additive {
        return Err(DataError::file(regis_data::ErrorKind::NotAdditive, "<arguments>", format!("`{}` is not additive: shift-share needs values that add up across regions and industries", loaded.dataset.measure.id)).into());
    }
    let cat = &loaded.catalog;
    let panel = panel_at_level(&loaded, level)?;
    let industries = choose_industries(&panel, &a.choice)?;
    let periods = choose_periods(
        panel.periods(),
        &[],
        Some(a.from),
        Some(a.to),
        &loaded.dataset.measure.id,
    )?;
    for p in [a.from, a.to] {
        if !panel.periods().contains(&Period(p)) {
            return Err(arg_err(format!(
                "period {p} is not covered by `{}`",
                loaded.dataset.measure.id
            )));
        }
    }
    if a.from >= a.to {
        return Err(arg_err("--from must be before --to".into()));
    }
    let periods: Vec<Period> = if m == ShiftShareMethod::Dynamic {
        periods
    } else {
        vec![Period(a.from), Period(a.to)]
    };
    // Regions with complete data in every period used.
    let all = regions_at(&panel, cat, level);
    let mut diags = Vec::new();
    let mut regions = all.clone();
    for &p in &periods {
        let (_, kept, d) = matrix(
            &panel,
            cat,
            &regions,
            &industries,
            p,
            a.choice.missing_as_zero,
        );
        regions = kept;
        for x in d {
            if !diags.contains(&x) {
                diags.push(x);
            }
        }
    }
    let dropped: Vec<String> = all
        .iter()
        .filter(|r| !regions.contains(r) && cat.region(**r).valid_in(a.from))
        .map(|r| name(cat, *r, lang))
        .collect();
    if !dropped.is_empty() {
        diags.push(Diagnostic::info(
            "regions-left-out",
            format!(
                "without complete data in every period, left out: {}",
                dropped.join(", ")
            ),
        ));
    }
    let mats: Vec<RegionIndustry> = periods
        .iter()
        .map(|&p| {
            matrix(
                &panel,
                cat,
                &regions,
                &industries,
                p,
                a.choice.missing_as_zero,
            )
            .0
        })
        .collect();
    let slices: Vec<Vec<f64>> = mats
        .iter()
        .map(|mm| {
            (0..regions.len())
                .flat_map(|r| (0..industries.len()).map(move |i| (r, i)))
                .map(|(r, i)| mm.get(r, i))
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = slices.iter().map(|v| v.as_slice()).collect();
    let s = decompose(&refs, regions.len(), industries.len(), m);
    let only: Vec<RegionId> = a
        .region
        .iter()
        .map(|t| {
            cat.resolve(t, None, None, Some(level))
                .map_err(|e| arg_err(format!("--region: {e}")))
        })
        .collect::<anyhow::Result<_>>()?;
    let d = digits(a.format);
    let row = |c: &Components| {
        vec![
            f(Some(c.start), d),
            f(Some(c.end), d),
            f(Some(c.change()), d),
            f(Some(c.national), d),
            f(Some(c.industry_mix), d),
            f(Some(c.competitive), d),
            f(Some(c.allocation), d),
        ]
    };
    let mut rows = Vec::new();
    for (r, &id) in regions.iter().enumerate() {
        if !only.is_empty() && !only.contains(&id) {
            continue;
        }
        if a.cells {
            for (i, code) in industries.iter().enumerate() {
                let mut v = vec![
                    cat.region(id).code.clone(),
                    name(cat, id, lang),
                    code.clone(),
                    industry_name(&panel, code, lang),
                ];
                v.extend(row(&s.cells[r * industries.len() + i]));
                rows.push(v);
            }
        } else {
            let mut v = vec![cat.region(id).code.clone(), name(cat, id, lang)];
            v.extend(row(&s.regions[r]));
            rows.push(v);
        }
    }
    let nums = [
        "start",
        "end",
        "change",
        "national",
        "industry_mix",
        "competitive",
        "allocation",
    ];
    let mut header: Vec<&str> = if a.cells {
        vec!["region_code", "region", "industry", "industry_name"]
    } else {
        vec!["region_code", "region"]
    };
    header.extend(nums);
    let dstr: Vec<String> = diags.iter().map(|x| x.to_string()).collect();
    let meta = json!({"measure": measure_json(&loaded.dataset.measure), "level": level.name(), "from": a.from, "to": a.to, "method": m.id(), "industries": industries, "diagnostics": dstr, "attribution": loaded.attribution});
    let note = format!(
        "{} ({}), {} {}-{}, {} industries; components add up to the change. {}",
        loaded.dataset.measure.name_en,
        loaded.dataset.measure.unit,
        m.id(),
        a.from,
        a.to,
        industries.len(),
        dstr.join(" ")
    );
    emit(a.format, &header, rows, &nums, meta, &note)
}

pub fn per_head(
    loaded: &Loaded,
    store: &std::path::Path,
    level: Level,
    per: &Option<String>,
    vintage: Option<i32>,
) -> anyhow::Result<(Panel, Option<Panel>)> {
    let mut panel = panel_at_level(loaded, level)?;
    if let Some(v) = vintage {
        let mut w = Vec::new();
        panel = to_vintage(&panel, level, v, &loaded.catalog, &mut w)?;
        crate::output::warn(&w);
    }
    let den = match per {
        Some(id) => {
            let d = load(&Some(id.clone()), &None, &Default::default(), None, store)?;
            let mut q = panel_at_level(&d, level)?;
            if let Some(v) = vintage {
                let mut w = Vec::new();
                q = to_vintage(&q, level, v, &loaded.catalog, &mut w)?;
                crate::output::warn(&w);
            }
            Some(q)
        }
        None => None,
    };
    Ok((panel, den))
}

/// `regis convergence`
pub fn convergence(store: &std::path::Path, a: ConvergenceArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &a.source.measure,
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    let cat = &loaded.catalog;
    let (panel, den) = per_head(&loaded, store, level, &a.per, a.vintage)?;
    if a.from >= a.to {
        return Err(arg_err("--from must be before --to".into()));
    }
    let periods = choose_periods(
        panel.periods(),
        &[],
        Some(a.from),
        Some(a.to),
        &loaded.dataset.measure.id,
    )?;
    for p in [a.from, a.to] {
        if !panel.periods().contains(&Period(p)) {
            return Err(arg_err(format!(
                "period {p} is not covered by `{}`",
                loaded.dataset.measure.id
            )));
        }
    }
    let regions = regions_at(&panel, cat, level);
    let value = |r: RegionId, p: Period| -> Option<f64> {
        let x = panel.get(r, &a.industry, p)?;
        match &den {
            Some(q) => q
                .get(r, TOTAL_INDUSTRY, p)
                .filter(|d| *d > 0.0)
                .map(|d| x / d),
            None => Some(x),
        }
    };
    let both: Vec<RegionId> = regions
        .iter()
        .copied()
        .filter(|r| value(*r, Period(a.from)).is_some() && value(*r, Period(a.to)).is_some())
        .collect();
    let y0: Vec<f64> = both
        .iter()
        .map(|r| value(*r, Period(a.from)).unwrap_or(f64::NAN))
        .collect();
    let y1: Vec<f64> = both
        .iter()
        .map(|r| value(*r, Period(a.to)).unwrap_or(f64::NAN))
        .collect();
    let groups: Option<Vec<usize>> = match &a.conditional_on {
        Some(g) => {
            let grp = cat
                .group(g)
                .ok_or_else(|| arg_err(format!("unknown group `{g}`")))?;
            Some(
                both.iter()
                    .map(|r| usize::from(in_group(cat, *r, &grp.members)))
                    .collect(),
            )
        }
        None => None,
    };
    let years = f64::from(a.to - a.from);
    let b = beta_convergence(&y0, &y1, years, groups.as_deref())
        .map_err(|e| arg_err(format!("β-convergence: {e}")))?;
    let sig: Vec<(Period, regis_methods::convergence::Sigma)> = periods
        .iter()
        .map(|&p| {
            let v: Vec<f64> = regions.iter().filter_map(|r| value(*r, p)).collect();
            (p, sigma(&v))
        })
        .collect();
    let left_out: Vec<String> = regions
        .iter()
        .filter(|r| !both.contains(r) && cat.region(**r).valid_in(a.from))
        .map(|r| name(cat, *r, lang))
        .collect();
    let mut diags: Vec<String> = b.diagnostics.iter().map(|d| d.to_string()).collect();
    if !left_out.is_empty() {
        diags.push(format!(
            "[regions-left-out] no value in {} or {}: {}",
            a.from,
            a.to,
            left_out.join(", ")
        ));
    }
    let dummy_names: Vec<String> = match &a.conditional_on {
        Some(g) => vec![format!("in_{g}")],
        None => vec![],
    };
    if a.format == Format::Json {
        let mut coef = vec![json!({"term": "constant"}), json!({"term": "ln_y0"})];
        coef.extend(dummy_names.iter().map(|d| json!({"term": d})));
        for (k, c) in coef.iter_mut().enumerate() {
            if k < b.fit.k {
                c["estimate"] = json!(b.fit.coefficients[k]);
                c["std_error"] = json!(b.fit.std_errors[k]);
                c["t"] = json!(b.fit.t_values[k]);
                c["p"] = json!(b.fit.p_values[k]);
            }
        }
        let v = json!({
            "measure": measure_json(&loaded.dataset.measure), "industry": a.industry, "per": a.per, "level": level.name(),
            "from": a.from, "to": a.to, "conditional_on": a.conditional_on,
            "beta": {"beta": b.beta, "std_error": b.beta_se, "p": b.beta_p, "speed": b.speed, "half_life": b.half_life, "r_squared": b.fit.r_squared, "n": b.fit.n, "coefficients": coef},
            "sigma": sig.iter().map(|(p, s)| json!({"period": p.0, "sd_log": s.sd_log, "cv": s.cv, "regions": s.n})).collect::<Vec<_>>(),
            "diagnostics": diags, "attribution": loaded.attribution,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let d = digits(a.format);
    let mut rows = vec![
        vec!["beta".into(), f(Some(b.beta), d)],
        vec!["beta std. error".into(), f(Some(b.beta_se), d)],
        vec!["beta p-value".into(), f(Some(b.beta_p), d)],
        vec!["speed (per year)".into(), f(b.speed, d)],
        vec!["half-life (years)".into(), f(b.half_life, 2)],
        vec!["R²".into(), f(Some(b.fit.r_squared), d)],
        vec!["regions".into(), b.fit.n.to_string()],
    ];
    for (k, dn) in dummy_names.iter().enumerate() {
        rows.push(vec![
            format!("{dn} (dummy)"),
            format!(
                "{} (se {}, p {})",
                f(Some(b.fit.coefficients[2 + k]), d),
                f(Some(b.fit.std_errors[2 + k]), d),
                f(Some(b.fit.p_values[2 + k]), d)
            ),
        ]);
    }
    for (p, s) in &sig {
        rows.push(vec![
            format!("sigma {p}"),
            format!("sd(ln y) {}  cv {}  n {}", f(s.sd_log, d), f(s.cv, d), s.n),
        ]);
    }
    print_rows(a.format, &["statistic", "value"], &rows)?;
    if a.format == Format::Table {
        eprintln!(
            "{} {}-{}; growth = α + β ln y0{}. {}",
            loaded.dataset.measure.name_en,
            a.from,
            a.to,
            if a.conditional_on.is_some() {
                " + group dummy"
            } else {
                ""
            },
            diags.join(" ")
        );
    }
    Ok(())
}
