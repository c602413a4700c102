//! `regis complexity`: ECI/PCI, proximity, density, COI and COG of regions and industries.

use regis_data::export::measure_json;
use regis_methods::complexity::{complexity as compute_complexity, Presence};
use regis_methods::specialisation::specialisation_matrix;
use serde_json::json;

use crate::analyse::f;
use crate::args::{ComplexityArgs, Lang};
use crate::structure::{
    arg_err, choose_industries, digits, emit, industry_name, matrix, name, regions_at, with_default,
};
use regis_app::resolve::{one_period, panel_at_level};
use regis_app::source::{load, parse_level};

/// `regis complexity`
pub fn complexity(store: &std::path::Path, a: ComplexityArgs, lang: Lang) -> anyhow::Result<()> {
    let level = parse_level(&a.level)?;
    let loaded = load(
        &with_default(&a.source),
        &a.source.input,
        &a.source.mapping.mapping(),
        None,
        store,
    )?;
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
    let p = Presence::new(specialisation_matrix(&m, 1.0), kept.len(), industries.len());
    let c = compute_complexity(&p);
    let d = digits(a.format);
    let mut notes: Vec<String> = diags
        .iter()
        .chain(&c.diagnostics)
        .map(|x| x.to_string())
        .collect();
    notes.push("ECI sign fixed so that ECI correlates positively with diversity; PCI standardised with ECI's mean and sd (py-ecomplexity conventions)".into());
    let meta = json!({"measure": measure_json(&loaded.dataset.measure), "level": level.name(), "period": period.0, "industries": industries, "eigenvalue": c.eigenvalue, "diagnostics": notes, "attribution": loaded.attribution});
    let ni = industries.len();
    match a.view.as_str() {
        "regions" => {
            let div = p.diversity();
            let rows = kept
                .iter()
                .enumerate()
                .map(|(r, &id)| {
                    vec![
                        cat.region(id).code.clone(),
                        name(cat, id, lang),
                        div[r].to_string(),
                        f(c.eci[r], d),
                        f(c.coi[r], d),
                    ]
                })
                .collect();
            emit(
                a.format,
                &["region_code", "region", "diversity", "eci", "coi"],
                rows,
                &["diversity", "eci", "coi"],
                meta,
                &notes.join(" "),
            )
        }
        "industries" => {
            let ub = p.ubiquity();
            let rows = industries
                .iter()
                .enumerate()
                .map(|(i, code)| {
                    vec![
                        code.clone(),
                        industry_name(&panel, code, lang),
                        ub[i].to_string(),
                        f(c.pci[i], d),
                    ]
                })
                .collect();
            emit(
                a.format,
                &["industry", "industry_name", "ubiquity", "pci"],
                rows,
                &["ubiquity", "pci"],
                meta,
                &notes.join(" "),
            )
        }
        "density" => {
            let mut rows = Vec::new();
            for (r, &id) in kept.iter().enumerate() {
                for (i, code) in industries.iter().enumerate() {
                    rows.push(vec![
                        cat.region(id).code.clone(),
                        name(cat, id, lang),
                        code.clone(),
                        industry_name(&panel, code, lang),
                        u8::from(p.get(r, i)).to_string(),
                        f(Some(c.density[r * ni + i]), d),
                        f(Some(c.cog[r * ni + i]), d),
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
                    "mcp",
                    "density",
                    "cog",
                ],
                rows,
                &["mcp", "density", "cog"],
                meta,
                &notes.join(" "),
            )
        }
        other => Err(arg_err(format!(
            "unknown --view `{other}`; expected regions, industries or density"
        ))),
    }
}
