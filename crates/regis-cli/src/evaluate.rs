//! `regis evaluate cs|did|sc|sdid`: flags to a request, the report rendered.

use regis_app::evaluate::{parse_base_period, parse_control, parse_treated, CsRequest, Treatment};
use regis_app::source::parse_level;
use regis_app::Sources;
use regis_data::DataError;

use crate::args::{CsArgs, Lang, ScArgs};
use crate::output::render;

/// The request of `regis evaluate cs|did`'s flags.
fn cs_request(a: CsArgs, lang: Lang) -> anyhow::Result<CsRequest> {
    let treatment = match (&a.first_treated_col, &a.treated_col, a.treated.is_empty()) {
        (Some(c), None, true) => Treatment::FirstTreatedColumn(c.clone()),
        (None, Some(c), true) => Treatment::TreatedColumn(c.clone()),
        (None, None, false) => Treatment::Regions(parse_treated(&a.treated)?),
        _ => {
            return Err(DataError::argument(
                "give one treatment: --first-treated-col COL, --treated-col COL or --treated CODE=YEAR,...",
            )
            .into())
        }
    };
    let request = CsRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry,
        per: a.per,
        treatment,
        control: parse_control(&a.control)?,
        base: parse_base_period(&a.base_period)?,
        anticipation: a.anticipation,
        covariates: regis_app::evaluate::parse_covariates(&a.covariates)?,
        estimator: regis_app::evaluate::parse_estimator(&a.estimator)?,
        bootstrap: a.bootstrap,
        seed: a.seed,
        lang: lang.into(),
    };
    Ok(request)
}

/// `regis evaluate cs` (`did`: the static TWFE estimate and the event study)
pub fn cs(store: &std::path::Path, a: CsArgs, lang: Lang, twfe: bool) -> anyhow::Result<()> {
    let format = a.format;
    let request = cs_request(a, lang)?;
    let sources = Sources::with_store(store);
    if twfe {
        return render(
            format,
            &regis_app::evaluate::did_report(&sources, &request)?,
        );
    }
    render(
        format,
        &regis_app::evaluate::callaway_santanna_report(&sources, &request)?,
    )
}

/// `regis evaluate sc`
pub fn sc(store: &std::path::Path, a: ScArgs, lang: Lang) -> anyhow::Result<()> {
    if a.treated.len() != 1 {
        return Err(
            DataError::argument("--treated: a synthetic control has one treated unit").into(),
        );
    }
    let treated = parse_treated(&a.treated)?.remove(0);
    let fit = match a.fit.as_deref().map(|f| f.split_once('-')) {
        None => None,
        Some(Some((x, y))) => Some((x.trim().parse()?, y.trim().parse()?)),
        Some(None) => return Err(DataError::argument("--fit: expected FROM-TO").into()),
    };
    let request = regis_app::synth::ScRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry,
        per: a.per,
        treated,
        predictors: a.predictors,
        fit,
        placebos: !a.no_placebos,
        seed: a.seed,
        lang: lang.into(),
    };
    let sources = Sources::with_store(store);
    render(
        a.format,
        &regis_app::synth::synthetic_control_report(&sources, &request)?,
    )
}

/// `regis evaluate sdid`
pub fn sdid(store: &std::path::Path, a: ScArgs, lang: Lang) -> anyhow::Result<()> {
    if !a.predictors.is_empty() || a.fit.is_some() {
        return Err(DataError::argument("--predictors and --fit are for `evaluate sc`").into());
    }
    let request = regis_app::sdid::SdidRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry,
        per: a.per,
        treated: parse_treated(&a.treated)?,
        replications: if a.no_placebos { 0 } else { 200 },
        seed: a.seed,
        lang: lang.into(),
    };
    let sources = Sources::with_store(store);
    render(a.format, &regis_app::sdid::sdid_report(&sources, &request)?)
}
