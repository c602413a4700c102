//! Evaluations tied to the monitored programmes: a programme of the monitoring store as the
//! treatment of `regis evaluate … --programme ID` (its projects' lead and partner regions,
//! each from the first year a project started there; the donors are the regions it never
//! touched), and an evaluation question's report as the impact estimate attached to an
//! evaluation record (`--attach EVALUATION_ID`), with the dashboard query that reproduces it.

use regis_data::DataError;
use regis_monitor::{Actor, EstimateInput, Store};
use serde::Serialize;

use crate::Result;

/// A programme read as a treatment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeTreatment {
    /// Programme id.
    pub id: i64,
    /// Programme code.
    pub code: String,
    /// Programme name.
    pub name: String,
    /// Treated regions (SGIS codes) with the first year a project of the programme started
    /// there, by code.
    pub treated: Vec<(String, i32)>,
    /// Projects read (those the actor may see).
    pub projects: usize,
}

fn monitor_error(e: regis_monitor::MonitorError) -> crate::Error {
    DataError::argument(format!("--programme: {e}")).into()
}

/// The treatment of programme `programme` (its id or code): every region its projects visible
/// to `actor` touch, as lead or partner, from the first year a project started there.
pub fn programme_treatment(
    store: &dyn Store,
    actor: &Actor,
    programme: &str,
) -> Result<ProgrammeTreatment> {
    let programmes = store.programmes().map_err(monitor_error)?;
    let p = programmes
        .iter()
        .find(|p| p.code == programme || p.id.to_string() == programme)
        .ok_or_else(|| {
            crate::Error::not_found(
                "unknown-programme",
                format!(
                    "no programme `{}` in the monitoring store; it has: {}",
                    crate::error::shown(programme),
                    programmes
                        .iter()
                        .map(|p| format!("{} ({})", p.code, p.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    let projects: Vec<_> = store
        .projects(actor)
        .map_err(monitor_error)?
        .into_iter()
        .filter(|q| q.programme_id == p.id)
        .collect();
    let mut treated: Vec<(String, i32)> = Vec::new();
    for q in &projects {
        for region in q.regions() {
            match treated.iter_mut().find(|(r, _)| r == region) {
                Some(t) => t.1 = t.1.min(q.start_year),
                None => treated.push((region.to_string(), q.start_year)),
            }
        }
    }
    if treated.is_empty() {
        return Err(DataError::argument(format!(
            "--programme {}: no project of it is visible to you, so no region is treated",
            p.code
        ))
        .into());
    }
    treated.sort();
    Ok(ProgrammeTreatment {
        id: p.id,
        code: p.code.clone(),
        name: p.name.clone(),
        treated,
        projects: projects.len(),
    })
}

/// The impact estimate of an evaluation question's report (`method` the `regis evaluate`
/// subcommand), to attach to evaluation `evaluation_id`: the overall `att`, its
/// `std_error` and 95% interval (the report's, or `att ± 1.96 s.e.`), the pre-treatment fit
/// (`pre_rmspe`) when the method has one, the outcome and data version from the report's
/// measure, and the dashboard query that reproduces it when `dashboard` gives the treated
/// regions of a built-in or stored measure (none for a file's outcome).
pub fn estimate_of(
    evaluation_id: i64,
    method: &str,
    report: &impl Serialize,
    dashboard: Option<&[(String, i32)]>,
) -> Result<EstimateInput> {
    let v = serde_json::to_value(report)
        .map_err(|e| DataError::argument(format!("the report cannot be read: {e}")))?;
    let number = |k: &str| v[k].as_f64().filter(|x| x.is_finite());
    let att = number("att")
        .ok_or_else(|| DataError::argument("the report has no finite estimate to attach"))?;
    let std_error = number("std_error");
    let (ci_low, ci_high) = match (
        v["overall"]["ci_low"].as_f64(),
        v["overall"]["ci_high"].as_f64(),
    ) {
        (Some(lo), Some(hi)) => (Some(lo), Some(hi)),
        _ => match std_error {
            Some(se) => (Some(att - 1.959_964 * se), Some(att + 1.959_964 * se)),
            None => (None, None),
        },
    };
    let measure = v["measure"]["id"].as_str().unwrap_or("");
    let industry = v["industry"].as_str().unwrap_or("_T");
    let per = v["per"].as_str();
    let mut outcome = format!("{measure} {industry}");
    if let Some(per) = per {
        outcome.push_str(&format!(" per {per}"));
    }
    let attribution = v["attribution"].as_str().unwrap_or("");
    let data_version: String = format!("{measure}: {attribution}")
        .chars()
        .take(200)
        .collect();
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let query = match dashboard {
        None => String::new(),
        Some(treated) => {
            let treated: Vec<String> = treated.iter().map(|(r, y)| format!("{r}={y}")).collect();
            let mut q = format!(
                "/evaluate?method={method}&measure={}&industry={}&treated={}",
                enc(measure),
                enc(industry),
                enc(&treated.join(","))
            );
            if let Some(per) = per {
                q.push_str(&format!("&per={}", enc(per)));
            }
            if let Some(level) = v["level"].as_str() {
                q.push_str(&format!("&level={}", enc(level)));
            }
            q
        }
    };
    Ok(EstimateInput {
        evaluation_id,
        method: method.to_string(),
        outcome: outcome.chars().take(200).collect(),
        att,
        std_error,
        ci_low,
        ci_high,
        pre_fit: number("pre_rmspe"),
        data_version,
        query,
    })
}

/// The demo's impact estimates of the 2005 innovation-cluster pilot on the built-in data
/// (manufacturing GRDP per head, provinces): the synthetic DiD of every pilot province, and
/// the synthetic control of Gyeongnam (Changwon), both for the final evaluation of the
/// Changwon project — ready to attach. None when the pilot programme or that evaluation is
/// not in the store.
pub fn pilot_estimates(
    sources: &crate::Sources,
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<EstimateInput>> {
    use regis_monitor::demo::PILOT_CODE;
    let Ok(pilot) = programme_treatment(store, actor, PILOT_CODE) else {
        return Ok(Vec::new());
    };
    let projects = store.projects(actor).map_err(monitor_error)?;
    let evaluations = store.evaluations(actor).map_err(monitor_error)?;
    let Some(evaluation) = evaluations.iter().find(|e| {
        e.kind == "final"
            && projects
                .iter()
                .any(|p| p.id == e.project_id && p.programme_id == pilot.id && p.region == "38")
    }) else {
        return Ok(Vec::new());
    };
    let outcome = |treated: Vec<(String, i32)>| crate::sdid::SdidRequest {
        source: crate::source::Source::measure("grdp_nominal"),
        level: regis_core::Level::PROVINCE,
        industry: "C".into(),
        per: Some("population".into()),
        treated,
        replications: 200,
        seed: 12345,
        lang: crate::Lang::Ko,
    };
    let sdid = crate::sdid::sdid_report(sources, &outcome(pilot.treated.clone()))?;
    let changwon = vec![("38".to_string(), 2005)];
    let r = outcome(changwon.clone());
    let sc = crate::synth::synthetic_control_report(
        sources,
        &crate::synth::ScRequest {
            source: r.source,
            level: r.level,
            industry: r.industry,
            per: r.per,
            treated: changwon[0].clone(),
            predictors: Vec::new(),
            fit: None,
            placebos: true,
            seed: 12345,
            lang: crate::Lang::Ko,
        },
    )?;
    Ok(vec![
        estimate_of(evaluation.id, "sdid", &sdid, Some(&pilot.treated))?,
        estimate_of(evaluation.id, "sc", &sc, Some(&changwon))?,
    ])
}
