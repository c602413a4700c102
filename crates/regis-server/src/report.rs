//! Self-contained region reports: one HTML file with the figures inline (prints to PDF from
//! any browser), and the tables behind it for a workbook. Same numbers as the profile page and
//! `/api/v1/regions/{code}/profile`.

use regis_data::korea;
use regis_viz::chart::{line_chart, Series};
use regis_viz::svg::{escape, label, FONT_STACK};
use serde_json::Value;

use crate::api::{lq_svg, profile_json};
use crate::error::AppError;
use crate::i18n::{t, Lang};
use crate::AppState;

/// A plain table: (name, header, rows).
pub type Table = regis_data::export::SheetTable;

/// The tables of a region's report.
pub fn tables(v: &Value, lang: Lang) -> Vec<Table> {
    let s = |x: &Value| x.as_f64().map(|f| f.to_string()).unwrap_or_default();
    let structure = v["structure"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["industry"].as_str().unwrap_or_default().into(),
                x["name"].as_str().unwrap_or_default().into(),
                s(&x["value"]),
                s(&x["share"]),
                s(&x["lq"]),
            ]
        })
        .collect();
    let shift = v["shift_share"]["industries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["industry"].as_str().unwrap_or_default().into(),
                x["name"].as_str().unwrap_or_default().into(),
                s(&x["change"]),
                s(&x["national"]),
                s(&x["industry_mix"]),
                s(&x["competitive"]),
            ]
        })
        .collect();
    let trend = v["trend"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            vec![
                x["period"].to_string(),
                s(&x["value"]),
                x["rank"]
                    .as_u64()
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
                x["of"].to_string(),
            ]
        })
        .collect();
    let h = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            t(lang, "structure").to_string(),
            h(&["industry", "name", "value", "share", "lq"]),
            structure,
        ),
        (
            t(lang, "shift_share").to_string(),
            h(&[
                "industry",
                "name",
                "change",
                "national",
                "industry_mix",
                "competitive",
            ]),
            shift,
        ),
        (
            t(lang, "trend").to_string(),
            h(&["period", "value", "rank", "of"]),
            trend,
        ),
    ]
}

fn html_table(header: &[String], rows: &[Vec<String>], numeric_from: usize) -> String {
    let h: String = header
        .iter()
        .map(|x| format!("<th>{}</th>", escape(x)))
        .collect();
    let b: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr>{}</tr>",
                r.iter()
                    .enumerate()
                    .map(|(i, c)| format!(
                        "<td>{}</td>",
                        escape(&if i >= numeric_from {
                            c.parse::<f64>().map(label).unwrap_or_else(|_| c.clone())
                        } else {
                            c.clone()
                        })
                    ))
                    .collect::<String>()
            )
        })
        .collect();
    format!("<table><tr>{h}</tr>{b}</table>")
}

/// The report of a region as one self-contained HTML document, and its profile JSON.
pub fn region_report(
    s: &AppState,
    code: &str,
    measure: &str,
    lang: Lang,
    generated: &str,
) -> Result<(String, Value), AppError> {
    let v = profile_json(s, code, measure, lang)?;
    let name = v["region"]["name"].as_str().unwrap_or_default().to_string();
    let mname = v["measure"][if lang == Lang::Ko {
        "name_ko"
    } else {
        "name_en"
    }]
    .as_str()
    .unwrap_or_default()
    .to_string();
    let lq = if v["structure"].as_array().is_some_and(|a| !a.is_empty()) {
        lq_svg(s, code, measure, lang)?
    } else {
        String::new()
    };
    let series = Series {
        name: name.clone(),
        points: v["trend"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| (x["period"].as_f64().unwrap_or(0.0), x["value"].as_f64()))
            .collect(),
    };
    let trend = line_chart(
        &[series],
        &format!("{name} — {mname}"),
        t(lang, "trend"),
        640.0,
        280.0,
    );
    let tabs = tables(&v, lang);
    let mut sections = String::new();
    sections.push_str(&format!(
        "<h2>{}</h2><div class=\"fig\">{lq}</div>{}",
        t(lang, "structure"),
        html_table(&tabs[0].1, &tabs[0].2, 2)
    ));
    if let Some(ss) = v["shift_share"].as_object() {
        sections.push_str(&format!(
            "<h2>{} {}–{}</h2>{}",
            t(lang, "shift_share"),
            ss["from"],
            ss["to"],
            html_table(&tabs[1].1, &tabs[1].2, 2)
        ));
    }
    sections.push_str(&format!(
        "<h2>{}</h2><div class=\"fig\">{trend}</div>{}",
        t(lang, "trend"),
        html_table(&tabs[2].1, &tabs[2].2, 1)
    ));
    let html = format!(
        r#"<!doctype html><html lang="{l}"><head><meta charset="utf-8"><title>{title}</title><style>body{{font-family:{font};margin:2em;color:#222}}table{{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}}td,th{{border-bottom:1px solid #ddd;padding:.15em .5em;text-align:right}}td:nth-child(-n+2),th:nth-child(-n+2){{text-align:left}}.fig{{page-break-inside:avoid}}h2{{page-break-after:avoid}}footer{{font-size:.75em;color:#666;margin-top:2em}}@page{{size:A4;margin:15mm}}</style></head><body><h1>{title}</h1><p>{mname} · {period}</p>{sections}<footer>{attribution}<br>Regis {version}, {generated}</footer></body></html>"#,
        l = lang.code(),
        title = escape(&name),
        font = FONT_STACK,
        mname = escape(&mname),
        period = v["period"],
        attribution = escape(korea::ATTRIBUTION),
        version = env!("CARGO_PKG_VERSION"),
        generated = escape(generated),
    );
    Ok((html, v))
}
