//! `specialise`, `shift-share`, `convergence`: flags to a request, the report rendered. The
//! adapters below serve the commands not yet answered by `regis-app`.

use regis_app::convergence::{convergence as answer_convergence, ConvergenceRequest};
use regis_app::shift_share::{parse_method, shift_share as answer_shift_share, ShiftShareRequest};
use regis_app::source::parse_level;
use regis_app::specialise::{specialise as answer_specialise, SpecialiseRequest};
use regis_app::Sources;
use regis_core::{Level, Panel};
use serde_json::json;

use crate::args::{ConvergenceArgs, Format, Lang, ShiftShareArgs, SpecialiseArgs, SpecialiseView};
use crate::output::{print_rows, render};

pub fn arg_err(msg: String) -> anyhow::Error {
    regis_data::DataError::argument(msg).into()
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
    let request = SpecialiseRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        period: a.period,
        choice: a.choice.choice(),
        threshold: a.threshold,
        view: match a.view {
            SpecialiseView::Regions => regis_app::specialise::SpecialiseView::Regions,
            SpecialiseView::Industries => regis_app::specialise::SpecialiseView::Industries,
            SpecialiseView::Lq => regis_app::specialise::SpecialiseView::Lq,
        },
        lang: lang.into(),
    };
    render(
        a.format,
        &answer_specialise(&Sources::with_store(store), &request)?,
    )
}

/// `regis shift-share`
pub fn shift_share(store: &std::path::Path, a: ShiftShareArgs, lang: Lang) -> anyhow::Result<()> {
    let request = ShiftShareRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        from: Some(a.from),
        to: Some(a.to),
        method: parse_method(&a.method)?,
        choice: a.choice.choice(),
        regions: a.region,
        cells: a.cells,
        lang: lang.into(),
    };
    render(
        a.format,
        &answer_shift_share(&Sources::with_store(store), &request)?,
    )
}

/// `regis convergence`
pub fn convergence(store: &std::path::Path, a: ConvergenceArgs, lang: Lang) -> anyhow::Result<()> {
    let request = ConvergenceRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry,
        per: a.per,
        vintage: a.vintage,
        from: Some(a.from),
        to: Some(a.to),
        conditional_on: a.conditional_on,
        lang: lang.into(),
    };
    render(
        a.format,
        &answer_convergence(&Sources::with_store(store), &request)?,
    )
}

pub fn per_head(
    loaded: &regis_app::Loaded,
    store: &std::path::Path,
    level: Level,
    per: &Option<String>,
    vintage: Option<i32>,
) -> anyhow::Result<(Panel, Option<Panel>)> {
    let mut w = Vec::new();
    let r = regis_app::matrix::per_head(
        &Sources::with_store(store),
        loaded,
        level,
        per.as_deref(),
        vintage,
        &mut w,
    )?;
    crate::output::warn(&w);
    Ok(r)
}
