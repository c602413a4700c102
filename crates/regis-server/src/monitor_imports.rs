//! Importing projects and KPI reports from the dashboard: a staff page with an upload form (an
//! XLSX, CSV or JSON file in the template's columns; the templates download from the same
//! page) and its handler. The file is read with the same readers as the CLI (`regis-data`
//! tables, the JSON layout of `exchange::json_table`), checked row by row (every problem is
//! listed by row and field) and stored in one transaction, or not at all.
//!
//! The reading and storing is `regis_monitor::files`, which `regis monitor import` calls too, so
//! the CLI and the dashboard accept and refuse the same files.

use std::collections::HashMap;

use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use regis_data::budget::Budgets;
use regis_monitor::exchange::RowError;
use regis_monitor::files::{import_upload, ImportKind, UploadError};
use regis_monitor::Role;

use crate::html::Markup;
use crate::i18n::Lang;
use crate::monitor_api::blocking_raw;
use crate::monitor_pages::{csrf_refusal, k, lang_of, message_page, nav, page_markup, visitor, Tr};
use crate::AppState;

/// GET /monitor/imports — the upload form (staff).
pub async fn form(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let (actor, csrf) = visitor(&s, &headers).await;
    if actor.role == Role::Public {
        return message_page(
            lang,
            StatusCode::UNAUTHORIZED,
            &k(lang, "로그인 필요", "Log in first"),
            &k(
                lang,
                "가져오기는 로그인한 담당자만 할 수 있습니다.",
                "Only logged-in staff may import.",
            ),
        );
    }
    let body = ImportForm {
        t: Tr::of(lang),
        l: lang.code(),
        csrf: csrf.clone().unwrap_or_default(),
        nav: nav(lang, &actor, &csrf),
    };
    match Markup::render(&body) {
        Ok(body) => page_markup(
            lang,
            &k(lang, "파일 가져오기", "Import a file"),
            "/monitor/imports",
            body,
        ),
        Err(e) => message_page(lang, e.status, "import", &e.message),
    }
}

/// GET /monitor/imports: the upload form.
#[derive(askama::Template)]
#[template(path = "monitor/import_form.html")]
struct ImportForm {
    t: Tr,
    l: &'static str,
    csrf: String,
    nav: Markup,
}

/// An upload refused: every problem by row and field.
#[derive(askama::Template)]
#[template(path = "monitor/import_refused.html")]
struct ImportRefused<'a> {
    t: Tr,
    l: &'static str,
    file: &'a str,
    problems: &'a [RowError],
}

/// GET /monitor/imports/template?kind=projects|kpi — an empty XLSX template.
pub async fn template(Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(kind) = q.get("kind").and_then(|k| ImportKind::parse(k)) else {
        return message_page(
            Lang::Ko,
            StatusCode::BAD_REQUEST,
            "kind",
            "kind: expected projects or kpi",
        );
    };
    let name = kind.name();
    match regis_monitor::files::template_file(kind, "xlsx", &[]) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => message_page(
            Lang::Ko,
            StatusCode::INTERNAL_SERVER_ERROR,
            "template",
            &e.to_string(),
        ),
    }
}

/// POST /monitor/imports — a multipart upload: csrf, lang, kind, file.
pub async fn upload(
    State(s): State<AppState>,
    headers: HeaderMap,
    _staff: crate::monitor_pages::StaffSession,
    mut multipart: Multipart,
) -> Response {
    let (actor, csrf) = visitor(&s, &headers).await;
    // Who may import is settled before a byte of the upload is read.
    match actor.role {
        Role::Public => {
            return message_page(
                Lang::Ko,
                StatusCode::UNAUTHORIZED,
                "로그인 필요 / Log in first",
                "가져오기는 로그인한 담당자만 할 수 있습니다. / Only logged-in staff may import.",
            )
        }
        Role::Evaluator => {
            return message_page(
                Lang::Ko,
                StatusCode::FORBIDDEN,
                "권한 없음 / Not permitted",
                "평가위원은 사업이나 성과지표를 가져올 수 없습니다. / Evaluators may not import projects or KPI reports.",
            )
        }
        Role::Admin | Role::Council => {}
    }
    let mut fields = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    let file_name = field.file_name().unwrap_or("upload").to_string();
                    match field.bytes().await {
                        Ok(b) => file = Some((file_name, b.to_vec())),
                        Err(e) => {
                            return message_page(
                                Lang::Ko,
                                e.status(),
                                "upload",
                                &format!(
                                    "the file could not be read (at most 4 MiB): {}",
                                    e.body_text()
                                ),
                            )
                        }
                    }
                } else if let Ok(text) = field.text().await {
                    fields.insert(name, text);
                }
            }
            Ok(None) => break,
            Err(e) => {
                return message_page(
                    Lang::Ko,
                    e.status(),
                    "upload",
                    &format!(
                        "malformed or oversized upload (at most 4 MiB): {}",
                        e.body_text()
                    ),
                )
            }
        }
    }
    if let Some(r) = csrf_refusal(&csrf, &fields) {
        return r;
    }
    let lang = lang_of(&fields);
    let Some(kind) = fields.get("kind").and_then(|k| ImportKind::parse(k)) else {
        return message_page(
            lang,
            StatusCode::BAD_REQUEST,
            &k(lang, "입력 오류", "Invalid input"),
            "kind: expected projects or kpi",
        );
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return message_page(
            lang,
            StatusCode::BAD_REQUEST,
            &k(lang, "입력 오류", "Invalid input"),
            &k(lang, "파일을 선택하세요.", "Choose a file."),
        );
    };
    let shown_name = name.clone();
    let result = blocking_raw(&s, move |st| {
        Ok(import_upload(
            st,
            &actor,
            kind,
            &bytes,
            &name,
            &Budgets::upload(),
        ))
    })
    .await;
    let outcome = match result {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(UploadError::Refused {
            row: None,
            error: e,
        }),
        Err(e) => return message_page(lang, e.status, "import", &e.message),
    };
    match outcome {
        Ok(n) => message_page(
            lang,
            StatusCode::OK,
            &k(lang, "가져오기 완료", "Imported"),
            &format!(
                "{}: {n} {}",
                shown_name,
                k(lang, "건을 저장했습니다", "records stored")
            ),
        ),
        Err(UploadError::Rows(errors)) => {
            let body = Markup::render(&ImportRefused {
                t: Tr::of(lang),
                l: lang.code(),
                file: &shown_name,
                problems: &errors,
            })
            .unwrap_or_default();
            (
                StatusCode::BAD_REQUEST,
                page_markup(
                    lang,
                    &k(lang, "가져오기 거부", "Import refused"),
                    "/monitor/imports",
                    body,
                ),
            )
                .into_response()
        }
        Err(UploadError::Refused { row, error }) => {
            let err = crate::error::AppError::from(error);
            let msg = k(lang, "아무것도 저장하지 않았습니다", "nothing was stored");
            let reason = match lang {
                Lang::Ko => regis_monitor::messages::korean(&err.message),
                _ => err.message.clone(),
            };
            let at = row
                .map(|r| format!("{} {r}: ", k(lang, "행", "row")))
                .unwrap_or_default();
            message_page(
                lang,
                err.status,
                &k(lang, "가져오기 거부", "Import refused"),
                &format!("{at}{reason}; {msg}"),
            )
        }
    }
}
