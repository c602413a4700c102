//! `regis strategy`: flags to a [`StrategyRequest`]; one region's report, or with --overlap
//! every region's.

use regis_app::source::parse_level;
use regis_app::strategy::StrategyRequest;
use regis_app::Sources;

use crate::args::{Lang, StrategyArgs};
use crate::output::render;

/// `regis strategy`
pub fn strategy(store: &std::path::Path, a: StrategyArgs, lang: Lang) -> anyhow::Result<()> {
    let request = StrategyRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        period: a.period,
        window: a.window,
        choice: a.choice.choice(),
        weights: a.weights,
        io: a.io,
        io_stored: a.io_stored,
        top: a.top,
        draws: a.draws,
        sigma: a.sigma,
        seed: a.seed,
        contested: a.contested,
        include_local: a.include_local,
        lang: lang.into(),
    };
    let sources = Sources::with_store(store);
    if a.overlap {
        return render(a.format, &regis_app::overlap::overlap(&sources, &request)?);
    }
    let region = a.region.as_deref().ok_or_else(|| {
        regis_data::DataError::argument("give --region (a code or name) or --overlap")
    })?;
    render(
        a.format,
        &regis_app::strategy::strategy(&sources, &request, region)?,
    )
}
