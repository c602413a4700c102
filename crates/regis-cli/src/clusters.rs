//! `regis clusters`: flags to a [`ClustersRequest`], the report rendered.

use regis_app::clusters::{clusters as answer, ClustersRequest, Definitions};
use regis_app::source::parse_level;
use regis_app::Sources;

use crate::args::{ClustersArgs, Lang};
use crate::output::render;

/// `regis clusters`
pub fn clusters(store: &std::path::Path, a: ClustersArgs, lang: Lang) -> anyhow::Result<()> {
    let request = ClustersRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        period: a.period,
        choice: a.choice.choice(),
        definitions: match a.definitions.as_deref() {
            None => Definitions::Derived { k: a.k },
            Some("us") => Definitions::Us,
            Some(file) => Definitions::File(file.into()),
        },
        io: a.io,
        io_links: a.io_links,
        view: a.view,
        include_local: a.include_local,
        lang: lang.into(),
    };
    render(a.format, &answer(&Sources::with_store(store), &request)?)
}
