//! The monitoring pages of the dashboard: log in, projects (edit, KPI reporting, scoring),
//! plans and their review steps, and the overlap report. Sessions live in an `HttpOnly`,
//! `SameSite=Strict` cookie that expires with the login; every form carries the session's
//! CSRF token (login: a double-submit cookie), checked before anything else. The same store
//! calls as the API decide what each user may do; a refused write shows its reason with the
//! HTTP status (403, 409, 400).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use regis_monitor::{Actor, PlanAction, ProjectInput, Role, Status};
use std::collections::HashMap;

use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::Lang;
use crate::monitor_api::{blocking, random_token, TOKEN_LIFETIME};
use crate::AppState;

const SESSION_COOKIE: &str = "regis_session";
const LOGIN_CSRF_COOKIE: &str = "regis_login_csrf";

pub(crate) fn k(lang: Lang, ko: &str, en: &str) -> String {
    if lang == Lang::Ko { ko } else { en }.to_string()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The visitor: a live session's actor and CSRF token, else the public (no token).
pub(crate) fn visitor(s: &AppState, headers: &HeaderMap) -> (Actor, Option<String>) {
    cookie(headers, SESSION_COOKIE)
        .and_then(|t| s.sessions.session(&t))
        .map(|(a, c)| (a, Some(c)))
        .unwrap_or((Actor::public(), None))
}

/// Compares two secrets in time that depends on their length only, not on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A logged-in visitor of the monitoring pages, extracted from the session cookie alone, so
/// a form post is refused (401 page) before its body is read. The handler still checks the
/// CSRF token and the store checks role and region.
pub struct StaffSession;

impl axum::extract::FromRequestParts<AppState> for StaffSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &AppState,
    ) -> Result<Self, Response> {
        match visitor(s, &parts.headers).0.role {
            Role::Public => Err(message_page(
                Lang::Ko,
                StatusCode::UNAUTHORIZED,
                "로그인 필요 / Log in first",
                "이 양식은 로그인한 담당자만 보낼 수 있습니다. / Only logged-in staff may send this form.",
            )),
            _ => Ok(StaffSession),
        }
    }
}

/// The CSRF check of a form post: the form's token must be the session's; the refusal page
/// when it is not.
pub(crate) fn csrf_refusal(
    expected: &Option<String>,
    form: &HashMap<String, String>,
) -> Option<Response> {
    match (expected, form.get("csrf")) {
        (Some(e), Some(f)) if same_secret(e, f) => None,
        _ => Some(message_page(
            Lang::Ko,
            StatusCode::FORBIDDEN,
            "CSRF",
            "the form's security token is missing or stale; reload the page and try again / 보안 토큰이 없거나 만료되었습니다",
        )),
    }
}

/// After a form post: back to `path` (in the page's language) when the store accepted the
/// change, else the refusal page.
fn back_to<T>(lang: Lang, path: &str, outcome: Result<T, AppError>) -> Response {
    match outcome {
        Ok(_) => Redirect::to(&format!("{path}?lang={}", lang.code())).into_response(),
        Err(e) => refused(lang, e),
    }
}

/// The prelude of every form post: the page language, the visitor, and the CSRF check (the
/// refusal page when the form's token is not the session's).
pub(crate) fn form_visitor(
    s: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Lang, Actor), Box<Response>> {
    let (actor, csrf) = visitor(s, headers);
    match csrf_refusal(&csrf, form) {
        Some(refusal) => Err(Box::new(refusal)),
        None => Ok((lang_of(form), actor)),
    }
}

/// [`form_visitor`] for a form that edits a versioned record: also its `version` field, or the
/// refusal page naming it.
fn versioned_form(
    s: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Lang, Actor, i64), Box<Response>> {
    let (lang, actor) = form_visitor(s, headers, form)?;
    match integer(form, "version") {
        Ok(version) => Ok((lang, actor, version)),
        Err(e) => Err(Box::new(refused(lang, e))),
    }
}

pub(crate) fn lang_of(q: &HashMap<String, String>) -> Lang {
    Lang::parse(q.get("lang").map(|s| s.as_str()))
}

/// The monitoring pages' navigation, with the visitor's name and logout form or a login link.
#[derive(askama::Template)]
#[template(path = "monitor/nav.html")]
struct Nav<'a> {
    t: Tr,
    l: &'static str,
    actor: &'a Actor,
    csrf: &'a Option<String>,
}

pub(crate) fn nav(lang: Lang, actor: &Actor, csrf: &Option<String>) -> Markup {
    Markup::render(&Nav {
        t: Tr::of(lang),
        l: lang.code(),
        actor,
        csrf,
    })
    .unwrap_or_default()
}

/// A monitoring page whose body was rendered by a template.
pub(crate) fn page_markup(lang: Lang, title: &str, path: &str, body: Markup) -> Response {
    crate::pages::layout_markup(lang, title, path, body).into_response()
}

/// A message (a refusal, a confirmation) with its status.
#[derive(askama::Template)]
#[template(path = "monitor/message.html")]
struct Message<'a> {
    t: Tr,
    status: u16,
    message: &'a str,
}

pub(crate) fn message_page(lang: Lang, status: StatusCode, title: &str, message: &str) -> Response {
    let body = Markup::render(&Message {
        t: Tr::of(lang),
        status: status.as_u16(),
        message,
    })
    .unwrap_or_default();
    (
        status,
        crate::pages::layout_markup(lang, title, "/monitor", body),
    )
        .into_response()
}

/// A refused store call as a page with its status.
fn refused(lang: Lang, e: AppError) -> Response {
    let title = match e.status.as_u16() {
        403 => k(lang, "권한 없음", "Not permitted"),
        409 => k(lang, "편집 충돌", "Edit conflict"),
        404 => k(lang, "없음", "Not found"),
        _ => k(lang, "입력 오류", "Invalid input"),
    };
    // Korean pages say it in Korean, with the store's own words after it for reference.
    let message = match lang {
        Lang::Ko => {
            let ko = regis_monitor::messages::korean(&e.message);
            if ko == e.message {
                ko
            } else {
                format!("{ko} ({})", e.message)
            }
        }
        _ => e.message.clone(),
    };
    message_page(lang, e.status, &title, &message)
}

/// GET /monitor — projects visible to the visitor.
pub async fn projects(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers);
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

/// GET /monitor/login
pub async fn login_form(
    State(s): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let Some(token) = random_token() else {
        return message_page(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            "random",
            "the operating system's random generator failed; no login form can be issued",
        );
    };
    let body = Markup::render(&LoginForm {
        t: Tr::of(lang),
        l: lang.code(),
        token: &token,
    })
    .unwrap_or_default();
    let mut r = page_markup(lang, &k(lang, "로그인", "Log in"), "/monitor/login", body);
    r.headers_mut().insert(
        header::SET_COOKIE,
        format!("{LOGIN_CSRF_COOKIE}={token}{}", cookie_attributes(&s))
            .parse()
            .expect("cookie header"),
    );
    r
}

/// The login form (its CSRF token doubles as a cookie).
#[derive(askama::Template)]
#[template(path = "monitor/login.html")]
struct LoginForm<'a> {
    t: Tr,
    l: &'static str,
    token: &'a str,
}

/// POST /monitor/login (throttled as the API's login: 429 with Retry-After).
pub async fn login(
    State(s): State<AppState>,
    crate::guard::ClientAddr(client): crate::guard::ClientAddr,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&f);
    if let Some(r) = csrf_refusal(&cookie(&headers, LOGIN_CSRF_COOKIE), &f) {
        return r;
    }
    let (u, p) = (
        f.get("username").cloned().unwrap_or_default(),
        f.get("password").cloned().unwrap_or_default(),
    );
    let refusal = match crate::guard::log_in(&s, u, p, client).await {
        Ok(actor) => match s.sessions.issue(&s, actor).await {
            Ok(token) => {
                let mut r = Redirect::to(&format!("/monitor?lang={}", lang.code())).into_response();
                r.headers_mut().insert(
                    header::SET_COOKIE,
                    format!(
                        "{SESSION_COOKIE}={token}{}; Max-Age={}",
                        cookie_attributes(&s),
                        TOKEN_LIFETIME.as_secs()
                    )
                    .parse()
                    .expect("cookie header"),
                );
                return r;
            }
            Err(e) => crate::guard::LoginRefusal::Error(e),
        },
        Err(refusal) => refusal,
    };
    let (e, retry) = refusal.error();
    let mut r = refused(lang, e);
    if let Some(secs) = retry {
        r.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    r
}

/// The attributes of the session and login cookies: HttpOnly, SameSite=Strict, the
/// monitoring path, and Secure when the site is served over HTTPS.
fn cookie_attributes(s: &AppState) -> &'static str {
    if s.secure_cookies {
        "; HttpOnly; SameSite=Strict; Path=/monitor; Secure"
    } else {
        "; HttpOnly; SameSite=Strict; Path=/monitor"
    }
}

/// POST /monitor/logout
pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (_, csrf) = visitor(&s, &headers);
    if let Some(r) = csrf_refusal(&csrf, &f) {
        return r;
    }
    if let Some(t) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = s.sessions.end(&s, &t).await {
            return refused(Lang::Ko, e);
        }
    }
    let mut r = Redirect::to("/monitor").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attributes(&s))
            .parse()
            .expect("cookie header"),
    );
    r
}

/// GET /monitor/projects/{id} — a project with its forms.
pub async fn project(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers);
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
}

struct IncentiveRow<'a> {
    project: Option<&'a regis_monitor::Project>,
    project_id: i64,
    grade: &'a str,
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

/// Labels in the page's language, for templates: `{{ t.k("사업", "Project") }}`.
#[derive(Clone, Copy)]
pub(crate) struct Tr {
    ko: bool,
}

impl Tr {
    pub(crate) fn of(lang: Lang) -> Tr {
        Tr {
            ko: lang == Lang::Ko,
        }
    }

    /// Whether the page is in Korean.
    pub(crate) fn ko(&self) -> bool {
        self.ko
    }

    /// The Korean or the English label.
    pub(crate) fn k(&self, ko: &'static str, en: &'static str) -> &'static str {
        if self.ko {
            ko
        } else {
            en
        }
    }
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

fn number(f: &HashMap<String, String>, key: &'static str) -> Result<Option<f64>, AppError> {
    match f.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => {
            t.replace(',', "").parse::<f64>().map(Some).map_err(|_| {
                AppError::bad("invalid", format!("invalid {key}: `{t}` is not a number"))
            })
        }
    }
}

fn integer(f: &HashMap<String, String>, key: &'static str) -> Result<i64, AppError> {
    f.get(key)
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| AppError::bad("invalid", format!("invalid {key}: expected a whole number")))
}

/// POST /monitor/projects/{id} — saves the edit form.
pub async fn save_project(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let res = blocking(&s, move |st| {
        let p = st.project(&actor, id)?;
        let input = ProjectInput {
            programme_id: p.programme_id,
            title: f.get("title").cloned().unwrap_or(p.title),
            objective: f.get("objective").cloned().unwrap_or(p.objective),
            region: p.region,
            partner_regions: p.partner_regions,
            industry: p.industry,
            organisation: p.organisation,
            start_year: p.start_year,
            end_year: p.end_year,
            status: if f.get("status").map(|s| s.as_str()) == Some("published") {
                Status::Published
            } else {
                Status::Draft
            },
        };
        st.update_project(&actor, id, version, &input)
    })
    .await;
    back_to(lang, &format!("/monitor/projects/{id}"), res)
}

/// POST /monitor/indicators/{id}/values — reports a KPI.
pub async fn report_kpi(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let parsed = (|| {
        Ok::<_, AppError>((
            integer(&f, "period")? as i32,
            number(&f, "target")?,
            number(&f, "actual")?,
            f.get("version").and_then(|v| v.trim().parse::<i64>().ok()),
            integer(&f, "project")?,
        ))
    })();
    let (period, target, actual, version, project) = match parsed {
        Ok(x) => x,
        Err(e) => return refused(lang, e),
    };
    // The version shown is the latest period's; another period is a new record.
    let res = blocking(&s, move |st| {
        let current = st
            .values(&actor, id)?
            .into_iter()
            .find(|v| v.period == period);
        let expected = current.as_ref().and(version);
        st.record_value(&actor, id, period, expected, target, actual)
    })
    .await;
    back_to(lang, &format!("/monitor/projects/{project}"), res)
}

/// POST /monitor/projects/{id}/evaluations — scores a project.
pub async fn score(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let mut scores = Vec::new();
    for (c, w) in [
        ("relevance", 0.3),
        ("performance", 0.5),
        ("management", 0.2),
    ] {
        match number(&f, c) {
            Ok(Some(v)) => scores.push((c.to_string(), v, w)),
            Ok(None) => {
                return refused(
                    lang,
                    AppError::bad("invalid", format!("invalid {c}: required")),
                )
            }
            Err(e) => return refused(lang, e),
        }
    }
    let kind = f.get("kind").cloned().unwrap_or_default();
    match blocking(&s, move |st| st.evaluate(&actor, id, &kind, &scores)).await {
        Ok(e) => message_page(
            lang,
            StatusCode::OK,
            &k(lang, "평가 저장", "Evaluation saved"),
            &format!("{:.1} → {}", e.total, e.grade),
        ),
        Err(e) => refused(lang, e),
    }
}

/// GET /monitor/plans — regional plans with their review steps.
pub async fn plans(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers);
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

/// POST /monitor/plans/{id}/steps
pub async fn plan_step(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let action = match f.get("action").map(|s| s.as_str()) {
        Some("submit") => PlanAction::Submit,
        Some("start_review") => PlanAction::StartReview,
        Some("approve") => PlanAction::Approve,
        Some("return") => PlanAction::Return {
            comments: f.get("comments").cloned().unwrap_or_default(),
        },
        _ => return refused(lang, AppError::bad("invalid", "invalid action")),
    };
    back_to(
        lang,
        "/monitor/plans",
        blocking(&s, move |st| st.plan_step(&actor, id, version, &action)).await,
    )
}

/// GET /monitor/overlaps — the overlap report with its evidence.
pub async fn overlaps(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers);
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
    let (actor, csrf) = visitor(&s, &headers);
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
    let (actor, csrf) = visitor(&s, &headers);
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

/// POST /monitor/conflicts/{id}/resolution
pub async fn resolve_conflict(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor, version) = match versioned_form(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let text = f.get("resolution").cloned().unwrap_or_default();
    back_to(
        lang,
        "/monitor/conflicts",
        blocking(&s, move |st| {
            st.resolve_conflict(&actor, id, version, &text)
        })
        .await,
    )
}

/// POST /monitor/projects/{id}/milestones — adds a milestone.
pub async fn add_milestone(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let title = f.get("title").cloned().unwrap_or_default();
    let due_on = f.get("due_on").cloned().unwrap_or_default();
    back_to(
        lang,
        &format!("/monitor/projects/{id}"),
        blocking(&s, move |st| st.add_milestone(&actor, id, &title, &due_on)).await,
    )
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
    let (actor, csrf) = visitor(&s, &headers);
    let a = actor.clone();
    let year: i32 = q.get("year").and_then(|y| y.parse().ok()).unwrap_or(2025);
    let got = blocking(&s, move |st| {
        let evaluations = st.evaluations(&a)?;
        let projects = st.projects(&a)?;
        let budgets: Vec<_> = st.budgets(&a)?.into_iter().map(|(_, b)| b).collect();
        let rules = regis_monitor::analytics::illustrative_incentive_rules();
        let incentives =
            regis_monitor::analytics::incentives(&evaluations, &budgets, &rules, year, "central")?;
        Ok((evaluations, projects, incentives))
    })
    .await;
    let (evaluations, projects, incentives) = match got {
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
            })
            .collect(),
        incentives: incentives
            .iter()
            .map(|i| IncentiveRow {
                project: project(i.project_id),
                project_id: i.project_id,
                grade: &i.grade,
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

/// POST /monitor/milestones/{id}/completion — records a milestone's completion date (an empty
/// date re-opens it) on the version read.
pub async fn complete_milestone(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    _staff: StaffSession,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (lang, actor) = match form_visitor(&s, &headers, &f) {
        Ok(v) => v,
        Err(refusal) => return *refusal,
    };
    let (version, project) = match (integer(&f, "version"), integer(&f, "project")) {
        (Ok(v), Ok(p)) => (v, p),
        (Err(e), _) | (_, Err(e)) => return refused(lang, e),
    };
    let date = f
        .get("completed_on")
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    back_to(
        lang,
        &format!("/monitor/projects/{project}"),
        blocking(&s, move |st| {
            st.complete_milestone(&actor, id, version, date.as_deref())
        })
        .await,
    )
}
