//! `regis evaluate cs|did|sc|sdid`: flags to a request, the report rendered.

use regis_app::evaluate::{parse_base_period, parse_control, parse_treated, CsRequest, Treatment};
use regis_app::source::parse_level;
use regis_app::Sources;
use std::path::Path;

use regis_data::DataError;

use crate::args::{CsArgs, Format, Lang, LinkArgs, ScArgs};
use crate::output::render;

/// `--treated`, or the regions of `--programme`.
fn treated_of(
    store: &Path,
    treated: &[String],
    link: &LinkArgs,
) -> anyhow::Result<Vec<(String, i32)>> {
    match (&link.programme, treated.is_empty()) {
        (None, _) => Ok(parse_treated(treated)?),
        (Some(_), false) => {
            Err(DataError::argument("give --treated or --programme, not both").into())
        }
        (Some(p), true) => {
            let (s, actor) = crate::monitor::store_and_actor(store)?;
            Ok(regis_app::programme::programme_treatment(&*s, &actor, p)?.treated)
        }
    }
}

/// Renders the report, then attaches its estimate to `--attach`'s evaluation.
fn answer<R: regis_app::table::Tabular>(
    store: &Path,
    format: Format,
    method: &str,
    report: &R,
    link: &LinkArgs,
    dashboard: Option<&[(String, i32)]>,
) -> anyhow::Result<()> {
    render(format, report)?;
    if let Some(id) = link.attach {
        let (s, actor) = crate::monitor::store_and_actor(store)?;
        let e = s.attach_estimate(
            &actor,
            &regis_app::programme::estimate_of(id, method, report, dashboard)?,
        )?;
        eprintln!(
            "attached estimate {} ({method}, ATT {:.4}) to evaluation {id}",
            e.id, e.att
        );
    }
    Ok(())
}

/// The request of `regis evaluate cs|did`'s flags.
fn cs_request(store: &Path, a: &CsArgs, lang: Lang) -> anyhow::Result<CsRequest> {
    let regions = !a.treated.is_empty() || a.link.programme.is_some();
    let treatment = match (&a.first_treated_col, &a.treated_col, regions) {
        (Some(c), None, false) => Treatment::FirstTreatedColumn(c.clone()),
        (None, Some(c), false) => Treatment::TreatedColumn(c.clone()),
        (None, None, true) => Treatment::Regions(treated_of(store, &a.treated, &a.link)?),
        _ => {
            return Err(DataError::argument(
                "give one treatment: --first-treated-col COL, --treated-col COL, --treated CODE=YEAR,... or --programme ID",
            )
            .into())
        }
    };
    Ok(CsRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry.clone(),
        per: a.per.clone(),
        treatment,
        control: parse_control(&a.control)?,
        base: parse_base_period(&a.base_period)?,
        anticipation: a.anticipation,
        covariates: regis_app::evaluate::parse_covariates(&a.covariates)?,
        estimator: regis_app::evaluate::parse_estimator(&a.estimator)?,
        bootstrap: a.bootstrap,
        seed: a.seed,
        lang: lang.into(),
    })
}

/// `regis evaluate cs` (`did`: the static TWFE estimate and the event study)
pub fn cs(store: &Path, a: CsArgs, lang: Lang, twfe: bool) -> anyhow::Result<()> {
    let request = cs_request(store, &a, lang)?;
    let sources = Sources::with_store(store);
    let dashboard = match (&request.treatment, &a.source.input) {
        (Treatment::Regions(list), None) => Some(list.as_slice()),
        _ => None,
    };
    if twfe {
        let report = regis_app::evaluate::did_report(&sources, &request)?;
        return answer(store, a.format, "did", &report, &a.link, dashboard);
    }
    let report = regis_app::evaluate::callaway_santanna_report(&sources, &request)?;
    answer(store, a.format, "cs", &report, &a.link, dashboard)
}

/// `regis evaluate sc`
pub fn sc(store: &Path, a: ScArgs, lang: Lang) -> anyhow::Result<()> {
    let list = treated_of(store, &a.treated, &a.link)?;
    if list.len() != 1 {
        return Err(DataError::argument(
            "--treated: a synthetic control has one treated unit (several: evaluate sdid or cs)",
        )
        .into());
    }
    let treated = list[0].clone();
    let fit = match a.fit.as_deref().map(|f| f.split_once('-')) {
        None => None,
        Some(Some((x, y))) => Some((x.trim().parse()?, y.trim().parse()?)),
        Some(None) => return Err(DataError::argument("--fit: expected FROM-TO").into()),
    };
    let request = regis_app::synth::ScRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry.clone(),
        per: a.per.clone(),
        treated,
        predictors: a.predictors.clone(),
        fit,
        placebos: !a.no_placebos,
        seed: a.seed,
        lang: lang.into(),
    };
    let report = regis_app::synth::synthetic_control_report(&Sources::with_store(store), &request)?;
    let dashboard = a.source.input.is_none().then_some(list.as_slice());
    answer(store, a.format, "sc", &report, &a.link, dashboard)
}

/// `regis evaluate sdid`
pub fn sdid(store: &Path, a: ScArgs, lang: Lang) -> anyhow::Result<()> {
    if !a.predictors.is_empty() || a.fit.is_some() {
        return Err(DataError::argument("--predictors and --fit are for `evaluate sc`").into());
    }
    let request = regis_app::sdid::SdidRequest {
        source: a.source.source(),
        level: parse_level(&a.level)?,
        industry: a.industry.clone(),
        per: a.per.clone(),
        treated: treated_of(store, &a.treated, &a.link)?,
        replications: if a.no_placebos { 0 } else { 200 },
        seed: a.seed,
        lang: lang.into(),
    };
    let report = regis_app::sdid::sdid_report(&Sources::with_store(store), &request)?;
    let dashboard = a
        .source
        .input
        .is_none()
        .then_some(request.treated.as_slice());
    answer(store, a.format, "sdid", &report, &a.link, dashboard)
}
