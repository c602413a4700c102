//! `regis diagnose`: the flags become a [`DiagnoseRequest`], the report is printed.

use regis_app::diagnose::{diagnose as answer, DiagnoseRequest};
use regis_app::source::parse_level;
use regis_app::Sources;

use crate::args::{DiagnoseArgs, Format, Lang};
use crate::output::{print_json, print_table};

/// `regis diagnose`
pub fn diagnose(store: &std::path::Path, a: DiagnoseArgs, lang: Lang) -> anyhow::Result<()> {
    let request = DiagnoseRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry,
        group: a.group,
        group_members: a.group_members,
        periods: a.period,
        from: a.from,
        to: a.to,
        per: a.per,
        vintage: a.vintage,
        lang: lang.into(),
    };
    let report = answer(&Sources::with_store(store), &request)?;
    crate::output::warn(&report.warnings);
    if a.format == Format::Json {
        return print_json(&report);
    }
    print_table(a.format, &report.table())?;
    if a.format == Format::Table {
        let m = &report.measure;
        let per = report
            .per
            .as_deref()
            .map(|p| format!(" per head of {p}, weighted by it"))
            .unwrap_or_default();
        let group_text = report
            .group
            .as_ref()
            .map(|g| format!("group {} = {}", g.id, g.name_en))
            .unwrap_or_else(|| "no region group (--group-members NAME=code,code names one)".into());
        eprintln!(
            "{} ({}){per}; {group_text}; level {}. {}",
            m["name_en"].as_str().unwrap_or(""),
            m["unit"].as_str().unwrap_or(""),
            report.level,
            report.attribution
        );
    }
    Ok(())
}
