//! `specialise`, `shift-share`, `convergence`: flags to a request, the report rendered.

use regis_app::convergence::{convergence as answer_convergence, ConvergenceRequest};
use regis_app::shift_share::{parse_method, shift_share as answer_shift_share, ShiftShareRequest};
use regis_app::source::parse_level;
use regis_app::specialise::{specialise as answer_specialise, SpecialiseRequest};
use regis_app::Sources;

use crate::args::{ConvergenceArgs, Lang, ShiftShareArgs, SpecialiseArgs, SpecialiseView};
use crate::output::render;

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
