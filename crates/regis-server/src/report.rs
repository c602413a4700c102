//! Self-contained region reports: one HTML file with the figures inline (prints to PDF from
//! any browser), and the tables behind it for a workbook. Same numbers as the profile page and
//! `/api/v1/regions/{code}/profile`.

use regis_data::korea;
use regis_viz::svg::{label, FONT_STACK};
use serde_json::Value;

use crate::api::{lq_svg, profile_json};
use crate::error::AppError;
use crate::html::Markup;
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

/// A table of the report (numbers from column `numeric_from` on printed as labels).
#[derive(askama::Template)]
#[template(path = "parts/report_table.html")]
struct ReportTable<'a> {
    head: &'a [String],
    rows: Vec<Vec<String>>,
}

fn html_table(header: &[String], rows: &[Vec<String>], numeric_from: usize) -> Markup {
    let rows = rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| {
                    if i >= numeric_from {
                        c.parse::<f64>().map(label).unwrap_or_else(|_| c.clone())
                    } else {
                        c.clone()
                    }
                })
                .collect()
        })
        .collect();
    Markup::render(&ReportTable { head: header, rows }).unwrap_or_default()
}

/// The evaluations of monitored projects that touch the region (as lead or partner; a
/// district's report shows its province's), as the public sees them, with the impact
/// estimates attached to them. None without a monitoring store or such an evaluation.
fn evaluations_section(
    s: &AppState,
    code: &str,
    lang: Lang,
) -> Option<(String, Option<Markup>, Markup)> {
    let store = s.monitor.as_ref()?;
    let public = regis_monitor::Actor::public();
    let projects = store.projects(&public).ok()?;
    let evaluations = store.evaluations(&public).ok()?;
    let estimates = store.estimates(&public).ok()?;
    let province = code.get(..2).unwrap_or(code);
    let rows: Vec<Vec<String>> = evaluations
        .iter()
        .filter_map(|e| {
            let p = projects.iter().find(|p| p.id == e.project_id)?;
            p.regions().any(|r| r == code || r == province).then(|| {
                let attached: Vec<String> = estimates
                    .iter()
                    .filter(|x| x.evaluation_id == e.id)
                    .map(crate::monitor_pages::estimate_summary)
                    .collect();
                vec![
                    p.title.clone(),
                    format!("{}-{}", p.start_year, p.end_year),
                    e.kind.clone(),
                    e.grade.clone(),
                    attached.join("; "),
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let ko = lang == Lang::Ko;
    let header: Vec<String> = if ko {
        ["사업", "기간", "평가", "등급", "효과 추정"]
    } else {
        ["Project", "Years", "Evaluation", "Grade", "Impact estimate"]
    }
    .map(String::from)
    .to_vec();
    Some((
        if ko {
            "이 지역의 사업 평가"
        } else {
            "Evaluations of programmes in the region"
        }
        .to_string(),
        None,
        html_table(&header, &rows, 5),
    ))
}

/// The self-contained report document.
#[derive(askama::Template)]
#[template(path = "report.html")]
struct Report<'a> {
    l: &'a str,
    title: &'a str,
    font: Markup,
    mname: &'a str,
    period: String,
    sections: Vec<(String, Option<Markup>, Markup)>,
    attribution: &'a str,
    version: &'a str,
    generated: &'a str,
}

/// `2026-11-30 21:05 UTC` for seconds since 1970 (the proleptic Gregorian calendar; days to a
/// civil date by the era arithmetic of Hinnant's `civil_from_days`, written out here).
///
/// ```
/// assert_eq!(regis_server::report::utc_minutes(0), "1970-01-01 00:00 UTC");
/// assert_eq!(regis_server::report::utc_minutes(1_796_072_700), "2026-11-30 21:05 UTC");
/// ```
pub fn utc_minutes(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    // Days since 0000-03-01, in 400-year eras of 146,097 days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        in_day / 3_600,
        in_day % 3_600 / 60
    )
}

/// The report's "generated" line for now, in `lang`.
pub fn generated_now(lang: Lang) -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    match lang {
        Lang::Ko => format!("작성 {}", utc_minutes(seconds)),
        Lang::En => format!("generated {}", utc_minutes(seconds)),
    }
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
    let trend = crate::pages::trend_chart(&v, &name, &format!("{name} — {mname}"), lang);
    let tabs = tables(&v, lang);
    let mut sections = vec![(
        t(lang, "structure").to_string(),
        Some(Markup::figure(lq)),
        html_table(&tabs[0].1, &tabs[0].2, 2),
    )];
    if let Some(ss) = v["shift_share"].as_object() {
        sections.push((
            format!("{} {}–{}", t(lang, "shift_share"), ss["from"], ss["to"]),
            None,
            html_table(&tabs[1].1, &tabs[1].2, 2),
        ));
    }
    sections.push((
        t(lang, "trend").to_string(),
        Some(Markup::figure(trend)),
        html_table(&tabs[2].1, &tabs[2].2, 1),
    ));
    if let Some(section) = evaluations_section(s, code, lang) {
        sections.push(section);
    }
    let html = Markup::render(&Report {
        l: lang.code(),
        title: &name,
        font: Markup::constant(FONT_STACK),
        mname: &mname,
        period: v["period"].to_string(),
        sections,
        attribution: korea::ATTRIBUTION,
        version: env!("CARGO_PKG_VERSION"),
        generated,
    })?
    .into_string();
    Ok((html, v))
}
