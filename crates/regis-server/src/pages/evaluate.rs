//! The evaluation page: did a programme work? `/evaluate?method=sc|sdid|cs|did` with the
//! parameters of `/api/v1/evaluate/{method}` (default: the synthetic DiD of the 2005
//! innovation-cluster pilot): the estimate with its interval, a plain-language reading in
//! Korean or English with the caveats, and the method's figures — actual against synthetic,
//! the placebo gaps with the treated unit highlighted and the donor weights (sc), the unit
//! weights and the three estimators side by side (sdid), the event study with its uniform band
//! (cs) or pointwise intervals (did). Impact estimates attached to monitored evaluations link
//! here.

use axum::extract::{RawQuery, State};
use regis_app::table::Table;
use regis_viz::chart::{bar_chart, line_chart_scaled, Series};
use regis_viz::effects::{interval_chart, paths_chart, Estimate};

use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::Lang;
use crate::AppState;

use super::*;

/// The evaluation page's form.
#[derive(askama::Template)]
#[template(path = "pages/evaluate_form.html")]
struct EvaluateForm<'a> {
    methods: &'a [(&'a str, &'a str, bool)],
    method_label: &'a str,
    treated_label: &'a str,
    treated: &'a str,
    measure: &'a str,
    industry: &'a str,
    per: &'a str,
    measure_label: &'a str,
    industry_label: &'a str,
    per_label: &'a str,
    l: &'a str,
    show: &'a str,
}

/// Korean or English.
fn k(lang: Lang, ko: &str, en: &str) -> String {
    if lang == Lang::Ko { ko } else { en }.to_string()
}

/// The plain-language reading of an estimate and its 95% interval, with the caveats.
fn reading(lang: Lang, att: f64, interval: Option<(f64, f64)>, unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    match interval {
        Some((lo, hi)) if lo <= 0.0 && hi >= 0.0 => out.push(k(
            lang,
            &format!("추정 효과는 {} {unit}이고 95% 신뢰구간은 {}~{}입니다. 구간이 0을 포함하므로 이 자료로는 효과를 확인할 수 없습니다. 효과가 없다는 뜻은 아니며, 이 자료의 해상도로는 구별되지 않는다는 뜻입니다.", label(att), label(lo), label(hi)),
            &format!("The estimated effect is {} {unit}, with a 95% interval from {} to {}. The interval includes zero, so these data do not show an effect: not that there was none, but that it cannot be told apart at this resolution.", label(att), label(lo), label(hi)),
        )),
        Some((lo, hi)) => out.push(k(
            lang,
            &format!("추정 효과는 {} {unit}이고 95% 신뢰구간은 {}~{}입니다. 구간이 0을 포함하지 않으므로 이 방법의 가정이 맞는다면 {} 효과가 있었다고 읽을 수 있습니다.", label(att), label(lo), label(hi), if att > 0.0 { "양(+)의" } else { "음(−)의" }),
            &format!("The estimated effect is {} {unit}, with a 95% interval from {} to {}. The interval excludes zero: if the method's assumptions hold, the programme had a {} effect.", label(att), label(lo), label(hi), if att > 0.0 { "positive" } else { "negative" }),
        )),
        None => out.push(k(
            lang,
            &format!("추정 효과는 {} {unit}입니다 (표준오차 없음).", label(att)),
            &format!("The estimated effect is {} {unit} (no standard error).", label(att)),
        )),
    }
    out.push(k(
        lang,
        "유의점: 비교 지역이 적고, 사업 대상(산업단지)은 시도보다 훨씬 작으며, 같은 시기의 다른 정책(국가균형발전, 공공기관 이전)이 같은 지역에 영향을 주었습니다. 추정치는 방법의 가정 아래에서의 비교이지 인과의 증명이 아닙니다.",
        "Caveats: few comparison regions; the treated sites (industrial complexes) are much smaller than provinces; other policies of the same years (balanced development, public-agency relocation) touched the same regions. The estimate is a comparison under the method's assumptions, not a proof of cause.",
    ));
    out
}

/// The outcome's unit in the page's language, per head of `per` when the outcome is divided
/// by it.
fn unit_of(lang: Lang, measure: &serde_json::Value, per: Option<&str>) -> String {
    let unit = crate::i18n::unit_label(measure["unit"].as_str().unwrap_or(""), lang);
    match (per, lang) {
        (Some("population"), Lang::Ko) => format!("{unit}/인"),
        (Some(per), Lang::Ko) => format!("{unit}/{per}"),
        (Some(per), Lang::En) => format!("{unit} per {per}"),
        (None, _) => unit,
    }
}

/// The assumptions and diagnostics of a report, a paragraph each: the method's own words,
/// which are English (marked so on Korean pages, under a Korean heading).
fn notes<'a>(
    lang: Lang,
    assumptions: &'a [String],
    diagnostics: &'a [String],
) -> impl Iterator<Item = Block> + 'a {
    let heading = (lang == Lang::Ko && !(assumptions.is_empty() && diagnostics.is_empty()))
        .then(|| Block::Heading("방법의 가정과 진단 (영문 원문)".into()));
    heading.into_iter().chain(
        assumptions
            .iter()
            .chain(diagnostics)
            .cloned()
            .map(move |text| match lang {
                Lang::Ko => Block::Foreign("en", text),
                Lang::En => Block::Para(text),
            }),
    )
}

/// An event study: effects by years since treatment with their intervals.
fn event_study(lang: Lang, estimates: &[Estimate], title: &str, desc: &str) -> Block {
    let chart = interval_chart(
        estimates,
        title,
        desc,
        &k(lang, "처치 후 경과 연수", "years since treatment"),
        Some(-0.5),
        640.0,
        340.0,
    );
    Block::Row(vec![(Some("event-study"), Markup::figure(chart))])
}

/// (label, value) bars of a weights table, largest first, weights above 0.001.
fn weight_bars(t: &Table) -> Vec<(String, f64)> {
    let mut bars: Vec<(String, f64)> = (0..t.len())
        .filter_map(|i| {
            let w = t.number(i, "weight")?;
            let name = t.text(i, "name").or_else(|| t.text(i, "region"))?;
            (w > 0.001).then(|| (name.to_string(), w))
        })
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    bars
}

/// GET /evaluate — the evaluation page.
pub async fn evaluate(State(s): State<AppState>, RawQuery(q): RawQuery) -> Page {
    // On built-in measures the page is deterministic (seeded placebos and bootstrap): it is
    // rendered once per address and then served from the figure cache.
    let q = canonical_query(&q);
    cached_page(&s, builtin_page_key("evaluate", &q), || render(&s, &q))
}

/// The evaluation page for the query `q`.
fn render(s: &AppState, q: &Option<String>) -> Page {
    let raw = q.as_deref().unwrap_or("");
    let mut method = "sdid".to_string();
    let mut value_of = std::collections::HashMap::new();
    let rest: Vec<&str> = raw
        .split('&')
        // Empty fields of the page's own form mean "the default".
        .filter(|kv| !kv.is_empty() && !kv.ends_with('='))
        .filter(|kv| match kv.strip_prefix("method=") {
            Some(m) => {
                method = m.to_string();
                false
            }
            None => {
                if let Some((key, v)) = kv.split_once('=') {
                    let v = v.replace("%3D", "=").replace("%2C", ",");
                    value_of.insert(key.to_string(), regis_app::error::shown(&v).into_owned());
                }
                true
            }
        })
        .collect();
    let rest = rest.join("&");
    let rq = (!rest.is_empty()).then_some(rest.as_str());
    let lang = match value_of.get("lang").map(String::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Ko,
    };
    let given = |key: &str| value_of.get(key).cloned().unwrap_or_default();
    let mut blocks = Vec::new();
    let ko = lang == Lang::Ko;
    let methods = [
        (
            "sdid",
            if ko {
                "합성 이중차분 (SDID)"
            } else {
                "synthetic DiD"
            },
            method == "sdid",
        ),
        (
            "sc",
            if ko {
                "합성 대조군"
            } else {
                "synthetic control"
            },
            method == "sc",
        ),
        (
            "cs",
            if ko {
                "시차 도입 이중차분 (Callaway & Sant'Anna)"
            } else {
                "staggered DiD (Callaway & Sant'Anna)"
            },
            method == "cs",
        ),
        (
            "did",
            if ko {
                "이원 고정효과"
            } else {
                "two-way fixed effects"
            },
            method == "did",
        ),
    ];
    blocks.push(Block::Html(Markup::render(&EvaluateForm {
        methods: &methods,
        method_label: if lang == Lang::Ko { "방법" } else { "Method" },
        treated_label: if lang == Lang::Ko {
            "처치 지역=연도"
        } else {
            "Treated=year"
        },
        treated: &given("treated"),
        measure: &given("measure"),
        industry: &given("industry"),
        per: &given("per"),
        measure_label: t(lang, "measure"),
        industry_label: t(lang, "industry"),
        per_label: if ko {
            "1인당 (분모 지표)"
        } else {
            "per (denominator)"
        },
        l: lang.code(),
        show: t(lang, "show"),
    })?));
    let api = format!(
        "/api/v1/evaluate/{method}{}",
        query_string(&rq.map(String::from))
    );
    let title = match method.as_str() {
        "sc" => {
            let r = regis_app::synth::synthetic_control_report(
                &s.sources,
                &crate::questions::sc_request_of(rq)?,
            )?;
            let unit = unit_of(lang, &r.measure, r.per.as_deref());
            let interval = r.std_error.map(|se| (r.att - 1.96 * se, r.att + 1.96 * se));
            for p in reading(lang, r.att, interval, &unit) {
                blocks.push(Block::Para(p));
            }
            if let Some(p) = r.p_value {
                blocks.push(Block::Para(k(
                    lang,
                    &format!("위약(placebo) 검정 p값 {}: 비교 지역 각각을 처치된 것처럼 추정했을 때 사후/사전 RMSPE 비가 {} 이상인 비율. 사전 적합 RMSPE {}.", label(p), r.treated_name, label(r.pre_rmspe)),
                    &format!("Placebo p-value {}: the share of units, each treated in turn, whose post/pre RMSPE ratio is at least {}'s. Pre-treatment RMSPE {}.", label(p), r.treated_name, label(r.pre_rmspe)),
                )));
            }
            if let Some(a) = &r.augmented {
                let (att, lambda) = (
                    a["att"].as_f64().unwrap_or(f64::NAN),
                    a["lambda"].as_f64().unwrap_or(f64::NAN),
                );
                blocks.push(Block::Para(k(
                    lang,
                    &format!("증강 합성 대조군(릿지, λ {} 교차검증): 효과 {} {unit}. 합성 대조군의 사전 불균형을 보정한 추정으로, 두 값이 크게 다르면 합성 대조군의 적합이 충분하지 않다는 뜻입니다.", label(lambda), label(att)),
                    &format!("Augmented synthetic control (ridge, λ {} by cross-validation): effect {} {unit}. It corrects the synthetic control for its pre-treatment imbalance; a large difference between the two says the synthetic control's fit is not enough.", label(lambda), label(att)),
                )));
            }
            let at = |name: &str| -> Vec<(f64, Option<f64>)> {
                (0..r.gaps.len())
                    .filter_map(|i| Some((r.gaps.number(i, "period")?, r.gaps.number(i, name))))
                    .collect()
            };
            let both = [
                Series {
                    name: r.treated_name.clone(),
                    points: at("actual"),
                },
                Series {
                    name: k(lang, "합성 대조군", "synthetic control"),
                    points: at("synthetic"),
                },
            ];
            // A per-head outcome keeps its own unit; a total is scaled (조원, million persons).
            let axis_unit = match r.per {
                Some(_) => unit.clone(),
                None => r.measure["unit"].as_str().unwrap_or("").to_string(),
            };
            let actual = line_chart_scaled(
                &both,
                &k(lang, "실제와 합성 대조군", "Actual and synthetic"),
                &k(
                    lang,
                    "실제와 합성 대조군의 연도별 값",
                    "actual and synthetic control by period",
                ),
                640.0,
                340.0,
                &axis_for(&both, &axis_unit, lang),
            );
            let gap: Vec<(f64, f64)> = at("gap")
                .into_iter()
                .filter_map(|(x, y)| Some((x, y?)))
                .collect();
            let mut placebos: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
            for i in 0..r.placebo_gaps.len() {
                let (Some(region), Some(p), Some(g)) = (
                    r.placebo_gaps.text(i, "region"),
                    r.placebo_gaps.number(i, "period"),
                    r.placebo_gaps.number(i, "gap"),
                ) else {
                    continue;
                };
                match placebos.iter_mut().find(|(n, _)| n == region) {
                    Some((_, v)) => v.push((p, g)),
                    None => placebos.push((region.to_string(), vec![(p, g)])),
                }
            }
            let gaps = paths_chart(
                (&r.treated_name, &gap),
                &placebos,
                &k(
                    lang,
                    "격차: 처치 지역과 위약 지역",
                    "Gaps: the treated unit and the placebos",
                ),
                &k(
                    lang,
                    "실제와 합성의 차이, 처치 지역 강조, 위약(placebo)은 회색",
                    "gap between actual and synthetic, treated unit highlighted, placebos in grey",
                ),
                &k(lang, "연도", "year"),
                Some(r.treatment_period as f64 - 0.5),
                640.0,
                340.0,
            );
            let weights = bar_chart(
                &weight_bars(&r.weights),
                &k(lang, "기증 지역 가중치", "Donor weights"),
                &k(
                    lang,
                    "합성 대조군을 이루는 기증 지역의 가중치",
                    "weights of the donors in the synthetic control",
                ),
                None,
                560.0,
            );
            blocks.push(Block::Row(vec![
                (Some("actual-synthetic"), Markup::figure(actual)),
                (Some("placebo-gaps"), Markup::figure(gaps)),
            ]));
            blocks.push(Block::Row(vec![(
                Some("donor-weights"),
                Markup::figure(weights),
            )]));
            blocks.extend(notes(lang, &r.assumptions, &r.diagnostics));
            format!(
                "{} — {}",
                r.treated_name,
                k(lang, "합성 대조군", "synthetic control")
            )
        }
        "sdid" => {
            let r =
                regis_app::sdid::sdid_report(&s.sources, &crate::questions::sdid_request_of(rq)?)?;
            let unit = unit_of(lang, &r.measure, r.per.as_deref());
            let interval = r.std_error.map(|se| (r.att - 1.96 * se, r.att + 1.96 * se));
            for p in reading(lang, r.att, interval, &unit) {
                blocks.push(Block::Para(p));
            }
            let rows: Vec<Vec<String>> = [
                ("SDID", r.att, r.std_error),
                ("SC", r.sc_att, r.sc_std_error),
                ("DiD", r.did_att, r.did_std_error),
            ]
            .iter()
            .map(|(n, a, se)| vec![n.to_string(), label(*a), se.map(label).unwrap_or_default()])
            .collect();
            let weights = bar_chart(
                &weight_bars(&r.weights),
                &k(lang, "비교 지역 가중치 (SDID)", "Unit weights (SDID)"),
                &k(
                    lang,
                    "SDID의 비교 지역 가중치",
                    "SDID weights of the control units",
                ),
                None,
                560.0,
            );
            blocks.push(Block::Row(vec![
                (
                    Some("estimators"),
                    table(
                        &[
                            &k(lang, "방법", "method"),
                            "ATT",
                            &k(lang, "위약 표준오차", "placebo s.e."),
                        ],
                        &rows,
                        "estimators",
                    ),
                ),
                (Some("unit-weights"), Markup::figure(weights)),
            ]));
            blocks.extend(notes(lang, &r.assumptions, &r.diagnostics));
            format!(
                "{} — {}",
                r.treated.join(", "),
                k(lang, "합성 이중차분", "synthetic DiD")
            )
        }
        "cs" => {
            let r = regis_app::evaluate::callaway_santanna_report(
                &s.sources,
                &crate::questions::cs_request_of(rq)?,
            )?;
            let unit = unit_of(lang, &r.measure, r.per.as_deref());
            for p in reading(
                lang,
                r.att,
                Some((r.overall.ci_low, r.overall.ci_high)),
                &unit,
            ) {
                blocks.push(Block::Para(p));
            }
            let d = &r.aggregations.dynamic;
            let estimates: Vec<Estimate> =
                d.by.iter()
                    .map(|e| Estimate {
                        x: e.key as f64,
                        value: e.att,
                        low: e.band_low.or(Some(e.att - 1.96 * e.std_error)),
                        high: e.band_high.or(Some(e.att + 1.96 * e.std_error)),
                    })
                    .collect();
            blocks.push(event_study(
                lang,
                &estimates,
                &k(
                    lang,
                    "사건연구: 처치 후 경과 연수별 효과 (균일 95% 밴드)",
                    "Event study: effect by years since treatment (uniform 95% band)",
                ),
                &k(
                    lang,
                    "처치 후 경과 연수별 효과와 균일 신뢰대",
                    "effects by event time with their uniform band",
                ),
            ));
            blocks.extend(notes(lang, &r.assumptions, &r.diagnostics));
            k(
                lang,
                "시차 도입 이중차분 (Callaway & Sant'Anna)",
                "Staggered DiD (Callaway & Sant'Anna)",
            )
        }
        "did" => {
            let r =
                regis_app::evaluate::did_report(&s.sources, &crate::questions::cs_request_of(rq)?)?;
            let unit = unit_of(lang, &r.measure, r.per.as_deref());
            let z = 1.959_964;
            for p in reading(
                lang,
                r.att,
                Some((r.att - z * r.std_error, r.att + z * r.std_error)),
                &unit,
            ) {
                blocks.push(Block::Para(p));
            }
            let es = &r.event_study;
            let estimates: Vec<Estimate> = (0..es.len())
                .filter_map(|i| {
                    let (x, v, se) = (
                        es.number(i, "event")?,
                        es.number(i, "estimate")?,
                        es.number(i, "std_error")?,
                    );
                    Some(Estimate {
                        x,
                        value: v,
                        low: Some(v - z * se),
                        high: Some(v + z * se),
                    })
                })
                .collect();
            blocks.push(event_study(
                lang,
                &estimates,
                &k(
                    lang,
                    "사건연구 (이원고정효과, 95% 구간)",
                    "Event study (two-way fixed effects, 95% intervals)",
                ),
                &k(
                    lang,
                    "사건연구 계수와 개별 신뢰구간",
                    "event-study coefficients with pointwise intervals",
                ),
            ));
            blocks.extend(notes(lang, &r.assumptions, &r.diagnostics));
            k(lang, "이원고정효과 이중차분", "Two-way fixed-effects DiD")
        }
        _ => {
            return Err(AppError::bad(
                "bad-parameter",
                "method: expected sdid, sc, cs or did",
            ))
        }
    };
    blocks.push(Block::Html(api_link(lang, &api)));
    let body = article(blocks)?;
    Ok(layout_markup(
        lang,
        &format!("{} — {title}", k(lang, "사업 효과 평가", "Did it work?")),
        &format!("/evaluate{}", query_string(q)),
        body,
    ))
}
