//! The monitoring pages that show records: projects, a project with its forms, plans,
//! overlaps, programmes, the conflict log, evaluations and incentives.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use regis_monitor::Status;
use std::collections::HashMap;

use crate::html::Markup;
use crate::monitor_api::blocking;
use crate::AppState;

use super::*;

/// GET /monitor — projects visible to the visitor.
pub async fn projects(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let list = match blocking(&s, move |st| st.projects(&a)).await {
        Ok(l) => l,
        Err(e) => return refused(lang, e),
    };
    let body = ProjectsPage {
        t: Tr::of(lang),
        l: lang.code(),
        nav: nav(lang, &actor, &csrf),
        projects: &list,
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "사업 모니터링", "Programme monitoring"),
            "/monitor",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor: the projects the visitor may see.
#[derive(askama::Template)]
#[template(path = "monitor/projects.html")]
struct ProjectsPage<'a> {
    t: Tr,
    l: &'static str,
    nav: Markup,
    projects: &'a [regis_monitor::Project],
}

/// GET /monitor/projects/{id} — a project with its forms.
pub async fn project(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let got = blocking(&s, move |st| {
        let p = st.project(&a, id)?;
        let inds: Vec<_> = st
            .indicators(&a)?
            .into_iter()
            .filter(|(pp, _, _)| pp.id == id)
            .map(|(_, i, v)| (i, v))
            .collect();
        let results = st.results(&a, id)?;
        let milestones = st.milestones(&a, id)?;
        let mut by_region = Vec::new();
        for (i, _) in &inds {
            by_region.push(st.region_values(&a, i.id)?);
        }
        Ok((p, inds, results, milestones, by_region))
    })
    .await;
    let (p, inds, results, milestones, by_region) = match got {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    let t = Tr::of(lang);
    let level_label = |l: regis_monitor::ResultLevel| match l {
        regis_monitor::ResultLevel::Output => t.k("산출", "Output"),
        regis_monitor::ResultLevel::Outcome => t.k("성과", "Outcome"),
        regis_monitor::ResultLevel::Impact => t.k("영향", "Impact"),
    };
    let indicator_name = |iid: i64| {
        inds.iter()
            .find(|(i, _)| i.id == iid)
            .map(|(i, _)| i.name.clone())
            .unwrap_or_else(|| iid.to_string())
    };
    let results = results
        .iter()
        .map(|r| ResultRow {
            level: level_label(r.level),
            title: r.title.clone(),
            description: r.description.clone(),
            indicators: r
                .indicator_ids
                .iter()
                .map(|&i| indicator_name(i))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let today = regis_monitor::rules::today();
    let milestones = milestones
        .iter()
        .map(|m| MilestoneRow {
            id: m.id,
            version: m.version,
            title: m.title.clone(),
            due_on: m.due_on.clone(),
            completed_on: m.completed_on.clone().unwrap_or_default(),
            status: match m.status(&today) {
                regis_monitor::MilestoneStatus::Planned => t.k("예정", "planned"),
                regis_monitor::MilestoneStatus::Overdue => t.k("지연", "overdue"),
                regis_monitor::MilestoneStatus::Done => t.k("완료", "done"),
                regis_monitor::MilestoneStatus::DoneLate => t.k("지연 완료", "done late"),
            },
        })
        .collect();
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let kpis = inds
        .iter()
        .zip(&by_region)
        .map(|((i, vals), regional)| {
            let last = vals.last();
            KpiBlock {
                id: i.id,
                name: i.name.clone(),
                unit: i.unit.clone(),
                baseline: i.baseline,
                baseline_year: i.baseline_year,
                values: vals
                    .iter()
                    .map(|v| ValueRow {
                        period: v.period,
                        region: String::new(),
                        target: number(v.target),
                        actual: number(v.actual),
                        version: v.version,
                    })
                    .collect(),
                next_period: last.map(|v| v.period).unwrap_or(i.baseline_year + 1),
                next_target: number(last.and_then(|v| v.target)),
                next_version: last.map(|v| v.version.to_string()).unwrap_or_default(),
                regional: regional
                    .iter()
                    .map(|r| ValueRow {
                        period: r.period,
                        region: r.region.clone(),
                        target: number(r.target),
                        actual: number(r.actual),
                        version: 0,
                    })
                    .collect(),
            }
        })
        .collect();
    let body = ProjectPage {
        t,
        l: lang.code(),
        csrf: csrf.clone().unwrap_or_default(),
        nav: nav(lang, &actor, &csrf),
        published: p.status == Status::Published,
        staff: csrf.is_some(),
        results,
        milestones,
        kpis,
        p: &p,
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(lang, &p.title, &format!("/monitor/projects/{id}"), body),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/plans: plans with their review steps.
#[derive(askama::Template)]
#[template(path = "monitor/plans.html")]
struct PlansPage<'a> {
    t: Tr,
    l: &'static str,
    csrf: String,
    nav: Markup,
    plans: &'a [regis_monitor::Plan],
    steps: [(&'static str, &'static str); 4],
}

struct OverlapRow {
    a: String,
    b: String,
    from: i32,
    to: i32,
    title_similarity: String,
    objective_similarity: String,
}

/// GET /monitor/overlaps: pairs of similar projects.
#[derive(askama::Template)]
#[template(path = "monitor/overlaps.html")]
struct OverlapsPage {
    t: Tr,
    nav: Markup,
    pairs: Vec<OverlapRow>,
}

/// GET /monitor/programmes: programmes and their number of projects.
#[derive(askama::Template)]
#[template(path = "monitor/programmes.html")]
struct ProgrammesPage<'a> {
    t: Tr,
    nav: Markup,
    programmes: Vec<(&'a regis_monitor::Programme, usize)>,
}

/// GET /monitor/conflicts: the conflict log with its settle forms.
#[derive(askama::Template)]
#[template(path = "monitor/conflicts.html")]
struct ConflictsPage<'a> {
    t: Tr,
    l: &'static str,
    csrf: String,
    nav: Markup,
    conflicts: Vec<(&'a regis_monitor::PlanConflict, String)>,
}

struct EvaluationRow<'a> {
    project: Option<&'a regis_monitor::Project>,
    project_id: i64,
    kind: &'static str,
    criteria: String,
    total: String,
    grade: &'a str,
    estimates: Vec<EstimateCell>,
}

/// An impact estimate beside a grade: its reading and the evaluation page that reproduces it.
struct EstimateCell {
    text: String,
    href: String,
}

fn estimate_cells(
    estimates: &[regis_monitor::ImpactEstimate],
    evaluation: i64,
) -> Vec<EstimateCell> {
    estimates
        .iter()
        .filter(|e| e.evaluation_id == evaluation)
        .map(|e| EstimateCell {
            text: estimate_summary(e),
            href: e.query.clone(),
        })
        .collect()
}

/// An impact estimate in one line: method, effect, standard error, outcome (the monitoring
/// views and the region report show it so).
pub(crate) fn estimate_summary(e: &regis_monitor::ImpactEstimate) -> String {
    format!(
        "{} {}{} ({})",
        e.method.to_uppercase(),
        regis_viz::svg::label(e.att),
        e.std_error
            .map(|s| format!(" (s.e. {})", regis_viz::svg::label(s)))
            .unwrap_or_default(),
        e.outcome
    )
}

struct IncentiveRow<'a> {
    project: Option<&'a regis_monitor::Project>,
    project_id: i64,
    grade: &'a str,
    estimates: Vec<EstimateCell>,
    adjustment: String,
    base: String,
    adjusted: String,
}

/// GET /monitor/evaluations: grades and the budget adjustments they bring.
#[derive(askama::Template)]
#[template(path = "monitor/evaluations.html")]
struct EvaluationsPage<'a> {
    t: Tr,
    l: &'static str,
    nav: Markup,
    year: i32,
    evaluations: Vec<EvaluationRow<'a>>,
    incentives: Vec<IncentiveRow<'a>>,
}

struct ResultRow {
    level: &'static str,
    title: String,
    description: String,
    indicators: String,
}

struct MilestoneRow {
    id: i64,
    version: i64,
    title: String,
    due_on: String,
    completed_on: String,
    status: &'static str,
}

struct ValueRow {
    period: i32,
    region: String,
    target: String,
    actual: String,
    version: i64,
}

struct KpiBlock {
    id: i64,
    name: String,
    unit: String,
    baseline: f64,
    baseline_year: i32,
    values: Vec<ValueRow>,
    next_period: i32,
    next_target: String,
    next_version: String,
    regional: Vec<ValueRow>,
}

/// GET /monitor/projects/{id}: the project, its edit form, results framework, milestones,
/// KPIs by period and region, and the scoring form.
#[derive(askama::Template)]
#[template(path = "monitor/project.html")]
struct ProjectPage<'a> {
    t: Tr,
    l: &'static str,
    csrf: String,
    nav: Markup,
    p: &'a regis_monitor::Project,
    published: bool,
    staff: bool,
    results: Vec<ResultRow>,
    milestones: Vec<MilestoneRow>,
    kpis: Vec<KpiBlock>,
}

/// GET /monitor/plans — regional plans with their review steps.
pub async fn plans(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let list = match blocking(&s, move |st| st.plans(&a)).await {
        Ok(l) => l,
        Err(e) => return refused(lang, e),
    };
    let t = Tr::of(lang);
    let body = PlansPage {
        t,
        l: lang.code(),
        csrf: csrf.clone().unwrap_or_default(),
        nav: nav(lang, &actor, &csrf),
        plans: &list,
        steps: [
            ("submit", t.k("제출", "Submit")),
            ("start_review", t.k("심의 개시", "Start review")),
            ("approve", t.k("승인", "Approve")),
            ("return", t.k("반려", "Return")),
        ],
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "지역발전계획", "Regional development plans"),
            "/monitor/plans",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/overlaps — the overlap report with its evidence.
pub async fn overlaps(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let list = match blocking(&s, move |st| st.projects(&a)).await {
        Ok(l) => l,
        Err(e) => return refused(lang, e),
    };
    let title = |id: i64| {
        list.iter()
            .find(|p| p.id == id)
            .map(|p| p.title.clone())
            .unwrap_or_default()
    };
    let pairs = regis_monitor::overlap::find_overlaps(&list, 0.5)
        .iter()
        .map(|o| OverlapRow {
            a: title(o.a),
            b: title(o.b),
            from: o.shared_years.0,
            to: o.shared_years.1,
            title_similarity: format!("{:.2}", o.title_similarity),
            objective_similarity: format!("{:.2}", o.objective_similarity),
        })
        .collect();
    let body = OverlapsPage {
        t: Tr::of(lang),
        nav: nav(lang, &actor, &csrf),
        pairs,
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "중복 사업 점검", "Overlapping projects"),
            "/monitor/overlaps",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/programmes — programmes with their projects' count.
pub async fn programmes(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let got = blocking(&s, move |st| Ok((st.programmes()?, st.projects(&a)?))).await;
    let (programmes, projects) = match got {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    let body = ProgrammesPage {
        t: Tr::of(lang),
        nav: nav(lang, &actor, &csrf),
        programmes: programmes
            .iter()
            .map(|g| {
                (
                    g,
                    projects.iter().filter(|p| p.programme_id == g.id).count(),
                )
            })
            .collect(),
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "프로그램", "Programmes"),
            "/monitor/programmes",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/conflicts — the conflict log (staff), with a form to settle open entries.
pub async fn conflicts(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let got = blocking(&s, move |st| Ok((st.conflicts(&a)?, st.plans(&a)?))).await;
    let (list, plans) = match got {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    let body = ConflictsPage {
        t: Tr::of(lang),
        l: lang.code(),
        csrf: csrf.clone().unwrap_or_default(),
        nav: nav(lang, &actor, &csrf),
        conflicts: list
            .iter()
            .map(|c| {
                let plan = plans
                    .iter()
                    .find(|p| p.id == c.plan_id)
                    .map(|p| format!("{} ({})", p.title, p.region))
                    .unwrap_or_default();
                (c, plan)
            })
            .collect(),
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "갈등 조정 기록", "Conflict log"),
            "/monitor/conflicts",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/evaluations — evaluations visible to the visitor (the public: those of
/// published projects) and the budget adjustments their grades imply under the illustrative
/// incentive rules.
pub async fn evaluations(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    let a = actor.clone();
    let year: i32 = q.get("year").and_then(|y| y.parse().ok()).unwrap_or(2025);
    let got = blocking(&s, move |st| {
        let evaluations = st.evaluations(&a)?;
        let estimates = st.estimates(&a)?;
        let projects = st.projects(&a)?;
        let budgets: Vec<_> = st.budgets(&a)?.into_iter().map(|(_, b)| b).collect();
        let rules = regis_monitor::analytics::illustrative_incentive_rules();
        let incentives =
            regis_monitor::analytics::incentives(&evaluations, &budgets, &rules, year, "central")?;
        Ok((evaluations, estimates, projects, incentives))
    })
    .await;
    let (evaluations, estimates, projects, incentives) = match got {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    let t = Tr::of(lang);
    let project = |id: i64| projects.iter().find(|p| p.id == id);
    let body = EvaluationsPage {
        t,
        l: lang.code(),
        nav: nav(lang, &actor, &csrf),
        year,
        evaluations: evaluations
            .iter()
            .map(|e| EvaluationRow {
                project: project(e.project_id),
                project_id: e.project_id,
                kind: match e.kind.as_str() {
                    "final" => t.k("최종평가", "final"),
                    _ => t.k("중간평가", "interim"),
                },
                criteria: e
                    .scores
                    .iter()
                    .map(|(c, score, w)| format!("{c} {score:.0} (×{w})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                total: format!("{:.1}", e.total),
                grade: &e.grade,
                estimates: estimate_cells(&estimates, e.id),
            })
            .collect(),
        incentives: incentives
            .iter()
            .map(|i| IncentiveRow {
                project: project(i.project_id),
                project_id: i.project_id,
                grade: &i.grade,
                // The evaluation the incentive rests on: the final one, else the latest.
                estimates: {
                    let of_project: Vec<_> = evaluations
                        .iter()
                        .filter(|e| e.project_id == i.project_id)
                        .collect();
                    of_project
                        .iter()
                        .rev()
                        .find(|e| e.kind == "final")
                        .or(of_project.last())
                        .map(|e| estimate_cells(&estimates, e.id))
                        .unwrap_or_default()
                },
                adjustment: format!("{:+.0}%", i.adjustment * 100.0),
                base: format!("{:.0}", i.base),
                adjusted: format!("{:.0}", i.adjusted),
            })
            .collect(),
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "평가와 인센티브", "Evaluations and incentives"),
            "/monitor/evaluations",
            body,
        ),
        Err(e) => refused(lang, e),
    }
}
