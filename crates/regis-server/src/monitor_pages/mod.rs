//! The monitoring pages of the dashboard: log in, projects (edit, KPI reporting, scoring),
//! plans and their review steps, and the overlap report. Sessions live in an `HttpOnly`,
//! `SameSite=Strict` cookie that expires with the login; every form carries the session's
//! CSRF token (login: a double-submit cookie), checked before anything else. The same store
//! calls as the API decide what each user may do; a refused write shows its reason with the
//! HTTP status (403, 409, 400).
//!
//! `mod.rs`: sessions, CSRF, login and logout, the navigation and message pages; `views.rs`:
//! the pages that show records; `forms.rs`: the form posts that change them.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use regis_monitor::{Actor, Role};
use std::collections::HashMap;

use crate::error::AppError;
use crate::html::Markup;
use crate::i18n::Lang;
use crate::sessions::{random_token, TOKEN_LIFETIME};
use crate::AppState;

mod forms;
mod views;

use forms::integer;

pub use forms::{
    add_milestone, complete_milestone, plan_step, report_kpi, resolve_conflict, save_project, score,
};
pub(crate) use views::estimate_summary;
pub use views::{conflicts, evaluations, overlaps, plans, programmes, project, projects};

const SESSION_COOKIE: &str = "regis_session";
const LOGIN_CSRF_COOKIE: &str = "regis_login_csrf";

pub(crate) fn k(lang: Lang, ko: &str, en: &str) -> String {
    if lang == Lang::Ko { ko } else { en }.to_string()
}

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookies(headers, name).into_iter().next()
}

/// Every value of the cookie `name` the request carries (a browser sends one per path).
pub(super) fn cookies(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .collect()
}

/// The visitor: a live session's actor and CSRF token, else the public (no token).
pub(crate) async fn visitor(s: &AppState, headers: &HeaderMap) -> (Actor, Option<String>) {
    match cookie(headers, SESSION_COOKIE) {
        Some(t) => match s.sessions.session(s, &t).await {
            Some((a, c)) => (a, Some(c)),
            None => (Actor::public(), None),
        },
        None => (Actor::public(), None),
    }
}

/// Compares two secrets in time that depends on their length only, not on where they differ.
pub(super) fn same_secret(a: &str, b: &str) -> bool {
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
        match visitor(s, &parts.headers).await.0.role {
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
pub(super) fn back_to<T>(lang: Lang, path: &str, outcome: Result<T, AppError>) -> Response {
    match outcome {
        Ok(_) => Redirect::to(&format!("{path}?lang={}", lang.code())).into_response(),
        Err(e) => refused(lang, e),
    }
}

/// The prelude of every form post: the page language, the visitor, and the CSRF check (the
/// refusal page when the form's token is not the session's).
pub(crate) async fn form_visitor(
    s: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Lang, Actor), Box<Response>> {
    let (actor, csrf) = visitor(s, headers).await;
    match csrf_refusal(&csrf, form) {
        Some(refusal) => Err(Box::new(refusal)),
        None => Ok((lang_of(form), actor)),
    }
}

/// [`form_visitor`] for a form that edits a versioned record: also its `version` field, or the
/// refusal page naming it.
pub(super) async fn versioned_form(
    s: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Lang, Actor, i64), Box<Response>> {
    let (lang, actor) = form_visitor(s, headers, form).await?;
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
pub(super) fn refused(lang: Lang, e: AppError) -> Response {
    let title = match e.status.as_u16() {
        403 => k(lang, "권한 없음", "Not permitted"),
        409 => k(lang, "편집 충돌", "Edit conflict"),
        404 => k(lang, "없음", "Not found"),
        _ => k(lang, "입력 오류", "Invalid input"),
    };
    // Korean pages say it in Korean, with the store's own words after it for reference.
    let message = match lang {
        Lang::Ko if e.code == "no-monitor" => {
            "이 서버는 사업 모니터링 저장소 없이 실행 중입니다 (저장소를 만들려면 관리자가 CLI로 초기화합니다)."
                .to_string()
        }
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

/// The attributes of the session and login cookies: HttpOnly, SameSite=Strict, the whole
/// site's path (the region profiles and the network page show a logged-in member of staff the
/// draft projects too; the API reads bearer tokens, never this cookie), and Secure when the
/// site is served over HTTPS.
fn cookie_attributes(s: &AppState) -> &'static str {
    if s.secure_cookies {
        "; HttpOnly; SameSite=Strict; Path=/; Secure"
    } else {
        "; HttpOnly; SameSite=Strict; Path=/"
    }
}

/// POST /monitor/logout
pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let (_, csrf) = visitor(&s, &headers).await;
    if let Some(r) = csrf_refusal(&csrf, &f) {
        return r;
    }
    // Every session cookie the browser sent: one set before the cookie's path became `/`
    // (`Path=/monitor`) may come with the current one.
    for t in cookies(&headers, SESSION_COOKIE) {
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
    r.headers_mut().append(
        header::SET_COOKIE,
        format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/monitor; Max-Age=0")
            .parse()
            .expect("cookie header"),
    );
    r
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
