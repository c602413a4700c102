//! `regis spatial`: values joined to boundaries, weights built from them, global or local
//! spatial statistics.

use regis_core::{Level, RegionId, TOTAL_INDUSTRY};
use regis_data::export::measure_json;
use regis_data::{korea, korea_history, topojson, DataError};
use regis_methods::spatial::{
    centroid, geary, getis_ord_g, local_g, local_moran, moran, spatial_gini, Contiguity, Weights,
};
use serde_json::json;

use crate::analyse::f;
use crate::args::{Format, Lang, SpatialArgs};
use crate::output::print_rows;
use crate::structure::{arg_err, digits, per_head};
use regis_app::resolve::one_period;
use regis_app::source::{load, parse_level};

fn build_weights(spec: &str, units: &[Vec<Vec<[f64; 2]>>]) -> anyhow::Result<Weights> {
    let s = spec.trim().to_ascii_lowercase();
    if s == "queen" {
        return Ok(Weights::contiguity(units, Contiguity::Queen));
    }
    if s == "rook" {
        return Ok(Weights::contiguity(units, Contiguity::Rook));
    }
    let centroids: Vec<[f64; 2]> = units.iter().map(centroid).collect();
    if let Some(k) = s.strip_prefix("knn:") {
        let k: usize = k.parse().map_err(|_| {
            arg_err(format!(
                "--weights {spec}: expected knn:K with K a whole number"
            ))
        })?;
        if k == 0 || k >= units.len() {
            return Err(arg_err(format!(
                "--weights {spec}: K must be between 1 and {}",
                units.len().saturating_sub(1)
            )));
        }
        return Ok(Weights::knn(&centroids, k, true));
    }
    if let Some(d) = s.strip_prefix("band:") {
        let d: f64 = d.parse().map_err(|_| {
            arg_err(format!(
                "--weights {spec}: expected band:KM with KM a distance in kilometres"
            ))
        })?;
        return Ok(Weights::distance_band(&centroids, d, true));
    }
    Err(arg_err(format!(
        "unknown --weights `{spec}`; expected queen, rook, knn:K or band:KM"
    )))
}

/// `regis spatial`
pub fn spatial(store: &std::path::Path, a: SpatialArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &a.source.measure,
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
    let cat = &loaded.catalog;
    let (panel, den) = per_head(&loaded, store, level, &a.per, None)?;
    let period = one_period(panel.periods(), a.period, &loaded.dataset.measure.id)?;
    let features = match &a.boundaries {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DataError::file(regis_data::ErrorKind::Io, path, e.to_string()))?;
            topojson::read_boundaries(&text, &path.display().to_string())?
        }
        None => {
            let (path, text) = match level {
                Level::PROVINCE => korea::PROVINCES_TOPOJSON,
                Level::DISTRICT | Level::SUBDISTRICT => korea::DISTRICTS_TOPOJSON,
                _ => {
                    return Err(arg_err(
                        "built-in boundaries exist for province and district levels".into(),
                    ))
                }
            };
            topojson::decode(text, path)?
        }
    };
    let sgis = cat.system_index(korea::SGIS);
    // Join: each boundary feature to a region with a value in the period. A non-autonomous
    // gu without its own value is dissolved into its city when the city has one (district
    // GRDP is compiled for Suwon-si, not for its four gu).
    let value_of = |r: RegionId| -> Option<f64> {
        let x = panel.get(r, &a.industry, period)?;
        match &den {
            Some(q) => q
                .get(r, TOTAL_INDUSTRY, period)
                .filter(|d| *d > 0.0)
                .map(|d| x / d),
            None => Some(x),
        }
        .filter(|v| v.is_finite())
    };
    let mut units: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
    let mut ids: Vec<RegionId> = Vec::new();
    let mut values = Vec::new();
    let mut missing = Vec::new();
    let mut dissolved = 0;
    for ft in &features {
        let code = match &ft.properties.get(&a.boundary_code_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(arg_err(format!("a boundary feature has no `{}` property; name the code field with --boundary-code-field", a.boundary_code_field))),
        };
        let year = if a.boundaries.is_some() {
            period.0
        } else {
            2018
        };
        let mut region = cat
            .resolve(
                &code,
                if a.boundaries.is_some() { None } else { sgis },
                Some(year),
                None,
            )
            .ok();
        if let Some(r) = region {
            let reg = cat.region(r);
            if !reg.valid_in(period.0) && reg.valid_to < period.0 {
                let (cw, _) = korea_history::crosswalk(
                    reg.level.min(Level::DISTRICT),
                    reg.valid_to.clamp(1998, 2024),
                    period.0.clamp(1998, 2024),
                );
                if let Some(l) = cw.links.iter().find(|l| l.from == r && l.weight > 0.999) {
                    region = Some(l.to);
                }
            }
        }
        let target = region.and_then(|r| match value_of(r) {
            Some(v) => Some((r, v)),
            None => {
                let reg = cat.region(r);
                let parent = reg.parent.filter(|_| reg.level == Level::SUBDISTRICT)?;
                value_of(parent).map(|v| (parent, v))
            }
        });
        match target {
            Some((r, v)) => {
                if region != Some(r) {
                    dissolved += 1;
                }
                match ids.iter().position(|x| *x == r) {
                    Some(k) => units[k].extend(topojson::rings(ft)),
                    None => {
                        units.push(topojson::rings(ft));
                        ids.push(r);
                        values.push(v);
                    }
                }
            }
            None => missing.push(code),
        }
    }
    if values.len() < 4 {
        return Err(arg_err(format!("only {} boundary units have a value for {} in {period}: spatial statistics need at least 4", values.len(), loaded.dataset.measure.id)));
    }
    let w = build_weights(&a.weights, &units)?;
    let islands: Vec<String> = w
        .islands()
        .iter()
        .map(|&i| {
            cat.region(ids[i])
                .name(if lang == Lang::Ko { "ko" } else { "en" })
                .to_string()
        })
        .collect();
    let mut diagnostics = Vec::new();
    if !missing.is_empty() {
        diagnostics.push(format!(
            "[units-without-value] {} boundary unit(s) have no value and are left out: {}",
            missing.len(),
            missing.join(" ")
        ));
    }
    if dissolved > 0 {
        diagnostics.push(format!("[dissolved] {dissolved} non-autonomous gu polygon(s) merged into their city, which holds the value"));
    }
    if !islands.is_empty() {
        diagnostics.push(format!(
            "[islands] without neighbours under {} weights (zero spatial lag): {}",
            a.weights,
            islands.join(", ")
        ));
    }
    let wr = w.row_standardised();
    let d = digits(a.format);
    let name = |r: RegionId| {
        cat.region(r)
            .name(if lang == Lang::Ko { "ko" } else { "en" })
            .to_string()
    };
    let meta = json!({
        "measure": measure_json(&loaded.dataset.measure), "industry": a.industry, "per": a.per, "level": level.name(), "period": period.0,
        "weights": a.weights, "units": values.len(), "islands": islands, "permutations": a.permutations, "seed": a.seed,
        "diagnostics": diagnostics, "attribution": loaded.attribution,
    });
    if a.local {
        let lm = local_moran(&values, &wr, a.permutations, a.seed);
        let gs = local_g(
            &values,
            &w.with_self().row_standardised(),
            true,
            a.permutations,
            a.seed,
        );
        let mut rows = Vec::new();
        for (k, &r) in ids.iter().enumerate() {
            let p = lm.p_sim.as_ref().map(|v| v[k]);
            let class = match p {
                Some(p) if p <= a.alpha && !w.row(k).is_empty() => {
                    lm.quadrant[k].label().to_string()
                }
                Some(_) => "ns".into(),
                None => lm.quadrant[k].label().to_string(),
            };
            rows.push(vec![
                cat.region(r).code.clone(),
                name(r),
                f(Some(values[k]), d),
                f(Some(lm.i[k]), d),
                lm.quadrant[k].label().into(),
                f(p, d),
                class,
                f(Some(gs.z[k]), d),
                f(Some(gs.p_normal[k]), d),
                f(gs.p_sim.as_ref().map(|v| v[k]), d),
            ]);
        }
        let header = [
            "region_code",
            "region",
            "value",
            "lisa_i",
            "quadrant",
            "lisa_p_sim",
            "lisa_class",
            "gi_star_z",
            "gi_star_p_norm",
            "gi_star_p_sim",
        ];
        let nums = [
            "value",
            "lisa_i",
            "lisa_p_sim",
            "gi_star_z",
            "gi_star_p_norm",
            "gi_star_p_sim",
        ];
        let note = format!("Local Moran (LISA, row-standardised {} weights) and G_i*; lisa_class is the quadrant where the permutation p ≤ {} (HH hot spot, LL cold spot, HL/LH outliers), else ns. {}", a.weights, a.alpha, diagnostics.join(" "));
        return crate::structure::emit(a.format, &header, rows, &nums, meta, &note);
    }
    let m = moran(&values, &wr, a.permutations, a.seed);
    let c = geary(&values, &wr);
    let g = getis_ord_g(&values, &w.binary());
    let sg = spatial_gini(&values, &w, a.permutations, a.seed);
    if a.format == Format::Json {
        let mut v = meta;
        v["moran"] = json!({"i": m.i, "expected": m.expected, "z_normal": m.z_normal, "p_normal": m.p_normal, "z_random": m.z_random, "p_random": m.p_random, "p_sim": m.p_sim});
        v["geary_c"] = json!(c);
        v["getis_ord_g"] = json!(g.map(|(g, e)| json!({"g": g, "expected": e})));
        v["spatial_gini"] = json!(sg.map(|s| json!({"gini": s.gini, "non_neighbour_share": s.non_neighbour_share, "neighbour_share": s.gini - s.non_neighbour_share, "p_sim": s.p_sim})));
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let rows = vec![
        vec!["units".into(), values.len().to_string()],
        vec!["Moran's I".into(), f(Some(m.i), d)],
        vec!["  E[I]".into(), f(Some(m.expected), d)],
        vec![
            "  z (normality), p".into(),
            format!("{}, {}", f(Some(m.z_normal), d), f(Some(m.p_normal), d)),
        ],
        vec![
            "  z (randomisation), p".into(),
            format!("{}, {}", f(Some(m.z_random), d), f(Some(m.p_random), d)),
        ],
        vec![
            format!("  p ({} permutations)", a.permutations),
            f(m.p_sim, d),
        ],
        vec!["Geary's C".into(), f(c, d)],
        vec![
            "Getis-Ord G (E[G])".into(),
            g.map(|(g, e)| format!("{} ({})", f(Some(g), d), f(Some(e), d)))
                .unwrap_or_default(),
        ],
        vec![
            "Gini, non-neighbour share, p".into(),
            sg.map(|s| {
                format!(
                    "{}, {}, {}",
                    f(Some(s.gini), d),
                    f(Some(s.non_neighbour_share), d),
                    f(s.p_sim, d)
                )
            })
            .unwrap_or_default(),
        ],
    ];
    print_rows(a.format, &["statistic", "value"], &rows)?;
    if a.format == Format::Table {
        eprintln!(
            "{} {period}, {} weights. {}",
            loaded.dataset.measure.name_en,
            a.weights,
            diagnostics.join(" ")
        );
    }
    Ok(())
}
