//! `regis complexity`: flags to a [`ComplexityRequest`], the report rendered.

use regis_app::complexity::{complexity as answer, ComplexityRequest};
use regis_app::source::parse_level;
use regis_app::Sources;

use crate::args::{ComplexityArgs, Lang};
use crate::output::render;

/// `regis complexity`
pub fn complexity(store: &std::path::Path, a: ComplexityArgs, lang: Lang) -> anyhow::Result<()> {
    let request = ComplexityRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        period: a.period,
        choice: a.choice.choice(),
        view: a.view,
        lang: lang.into(),
    };
    render(a.format, &answer(&Sources::with_store(store), &request)?)
}
