//! `regis spatial`: flags to a [`SpatialRequest`], the report rendered.

use regis_app::source::parse_level;
use regis_app::spatial::{spatial as answer, SpatialRequest};
use regis_app::Sources;

use crate::args::{Lang, SpatialArgs};
use crate::output::render;

/// `regis spatial`
pub fn spatial(store: &std::path::Path, a: SpatialArgs, lang: Lang) -> anyhow::Result<()> {
    let request = SpatialRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        period: a.period,
        industry: a.industry,
        per: a.per,
        weights: a.weights,
        permutations: a.permutations,
        seed: a.seed,
        local: a.local,
        alpha: a.alpha,
        boundaries: a.boundaries,
        boundary_code_field: a.boundary_code_field,
        lang: lang.into(),
    };
    render(a.format, &answer(&Sources::with_store(store), &request)?)
}
