//! `POST /api/v1/network/{question}`: `regis network` on uploaded files. The network comes in
//! a multipart body (the files `edges` or `participation`, optionally `actors`, and the CLI's
//! options as text fields); an uploaded file's name only says its format and names it in
//! messages, it never becomes a path. The body is bounded (4 MiB), and a question whose work
//! on the uploaded network would hold a worker too long is refused (413) before it starts.
//! The JSON is the CLI's. `GET /api/v1/network/{question}`: the same questions on the
//! monitoring store's cooperation network, as the caller may see it (`regis network …
//! --from-monitoring`).

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::Json;
use regis_app::network::{read_network, ActorNetwork, Input, NetworkSource};
use regis_app::network_groups::{answer, Question};
use serde_json::Value;
use std::collections::HashMap;

use crate::error::{shown, AppError};
use crate::questions::json_of;
use crate::AppState;

/// The work (elementary steps, [`Question::work`]) one request may ask for: a few seconds.
pub const WORK_LIMIT: f64 = 4e9;

/// The most actor pairs an upload's projects may tie (a project of n actors ties
/// n(n − 1)/2): the network is built before the work is weighed.
pub const MAX_PROJECT_TIES: usize = 2_000_000;

/// The text fields the route reads (the CLI's options, `_` for `-`).
pub const TEXT_FIELDS: &[&str] = &[
    "source_col",
    "target_col",
    "weight_col",
    "actor_col",
    "type_col",
    "region_col",
    "project_col",
    "participant_col",
    "by",
    "per",
    "draws",
    "seed",
    "starts",
    "university",
    "industry",
    "government",
];

/// The file fields.
pub const FILE_FIELDS: &[&str] = &["edges", "participation", "actors"];

fn bad(message: String) -> AppError {
    AppError::bad("bad-parameter", message)
}

/// Reads the multipart body: files by field, text fields; unknown fields refused.
async fn fields(
    mut multipart: Multipart,
) -> Result<(HashMap<String, Input>, HashMap<String, String>), AppError> {
    let (mut files, mut texts) = (HashMap::new(), HashMap::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return Err(AppError {
                    status: e.status(),
                    code: "bad-body",
                    message: format!(
                        "malformed or oversized multipart body (at most 4 MiB): {}",
                        e.body_text()
                    ),
                })
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if FILE_FIELDS.contains(&name.as_str()) {
            // The upload's own name, reduced to its last component: a format and a label.
            let file_name = field
                .file_name()
                .and_then(|n| n.rsplit(['/', '\\']).next())
                .filter(|n| !n.is_empty())
                .unwrap_or("upload.csv")
                .to_string();
            let bytes = field.bytes().await.map_err(|e| AppError {
                status: e.status(),
                code: "bad-body",
                message: format!("the file `{name}` could not be read (at most 4 MiB)"),
            })?;
            files.insert(
                name,
                Input::Upload {
                    name: file_name,
                    bytes: bytes.to_vec(),
                },
            );
        } else if TEXT_FIELDS.contains(&name.as_str()) {
            let text = field
                .text()
                .await
                .map_err(|_| bad(format!("field `{name}` is not text")))?;
            texts.insert(name, text.trim().to_string());
        } else {
            return Err(bad(format!(
                "unknown field `{}`; the fields are the files {} and the options {}",
                shown(&name),
                FILE_FIELDS.join(", "),
                TEXT_FIELDS.join(", ")
            )));
        }
    }
    Ok((files, texts))
}

fn number<T>(
    texts: &HashMap<String, String>,
    key: &str,
    range: std::ops::RangeInclusive<T>,
) -> Result<Option<T>, AppError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let Some(v) = texts.get(key) else {
        return Ok(None);
    };
    let x: T = v.parse().map_err(|_| {
        bad(format!(
            "field `{key}` must be a whole number, not `{}`",
            shown(v)
        ))
    })?;
    if !range.contains(&x) {
        return Err(bad(format!(
            "field `{key}` must lie in {}..={}",
            range.start(),
            range.end()
        )));
    }
    Ok(Some(x))
}

/// The question `name` with the request's options.
fn question(name: &str, t: &HashMap<String, String>) -> Result<Question, AppError> {
    let mut q = Question::named(name).ok_or_else(|| {
        AppError::not_found(
            "unknown-question",
            format!(
                "no network question `{}`; ask summary, centrality, brokerage, core, triple-helix, regions or weak",
                shown(name)
            ),
        )
    })?;
    let list = |k: &str| -> Option<Vec<String>> {
        t.get(k)
            .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
    };
    match &mut q {
        Question::Brokerage { by } => {
            *by = t
                .get("by")
                .cloned()
                .ok_or_else(|| bad("brokerage needs the field `by`: an actors column".into()))?;
        }
        Question::Weak(w) => {
            w.by = t.get("by").cloned();
            w.per = t.get("per").cloned();
            if let Some(d) = number(t, "draws", 2..=1000)? {
                w.draws = d;
            }
            if let Some(s) = number(t, "seed", 0..=u64::MAX)? {
                w.seed = s;
            }
        }
        Question::Core {
            random_starts,
            seed,
        } => {
            if let Some(s) = number(t, "starts", 0..=100)? {
                *random_starts = s;
            }
            if let Some(s) = number(t, "seed", 0..=u64::MAX)? {
                *seed = s;
            }
        }
        Question::TripleHelix {
            university,
            industry,
            government,
        } => {
            for (key, slot) in [
                ("university", university),
                ("industry", industry),
                ("government", government),
            ] {
                if let Some(v) = list(key) {
                    *slot = v;
                }
            }
        }
        Question::Summary | Question::Centrality | Question::Regions => {}
    }
    Ok(q)
}

/// POST /api/v1/network/{question}: the body is read on the async workers (bounded to 4 MiB),
/// then the network is built and answered in the bounded pool of heavy requests, so a slow
/// upload holds no worker.
pub async fn network(
    State(s): State<AppState>,
    Path(name): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    // A body that is not multipart/form-data gets the API's JSON error, not plain text.
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => {
            return AppError {
                status: e.status(),
                code: "bad-body",
                message: format!(
                    "send the files as multipart/form-data (fields edges or participation, \
                     actors, and the options): {}",
                    e.body_text()
                ),
            }
            .into_response()
        }
    };
    let (files, texts) = match fields(multipart).await {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let work = move || compute(&name, files, &texts);
    match crate::guard::in_pool(&s.heavy, work).await {
        Ok(Ok(json)) => json.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(busy) => busy,
    }
}

/// Builds the network and answers the question.
fn compute(
    name: &str,
    mut files: HashMap<String, Input>,
    texts: &HashMap<String, String>,
) -> Result<Json<Value>, AppError> {
    let q = question(name, texts)?;
    let text = |k: &str, default: &str| texts.get(k).cloned().unwrap_or_else(|| default.into());
    let source = NetworkSource {
        edges: files.remove("edges"),
        participation: files.remove("participation"),
        project_col: text("project_col", "project"),
        participant_col: text("participant_col", "actor"),
        max_project_ties: MAX_PROJECT_TIES,
        source_col: text("source_col", "source"),
        target_col: text("target_col", "target"),
        weight_col: texts.get("weight_col").cloned(),
        actors: files.remove("actors"),
        actor_col: text("actor_col", "actor"),
        type_col: texts.get("type_col").cloned(),
        region_col: texts.get("region_col").cloned(),
    };
    if source.edges.is_some() && source.participation.is_some() {
        return Err(bad(
            "give the file `edges` or the file `participation`, not both".into(),
        ));
    }
    let n = read_network(&source)?;
    let work = q.work(&n);
    if work > WORK_LIMIT {
        return Err(too_much_work(name, &n, "actors", ""));
    }
    json_of(&answer(&n, &q)?)
}

/// The 413 of a question whose work on the network is past [`WORK_LIMIT`]; `flags` are the
/// CLI's flags that ask the same on the user's machine.
fn too_much_work(name: &str, n: &ActorNetwork, actors: &str, flags: &str) -> AppError {
    AppError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "too-much-work",
        message: format!(
            "`{name}` on {} {actors} and {} ties is more work than one request may ask here; \
             run `regis network {name}{flags}` on your machine",
            n.network.nodes(),
            n.network.ties()
        ),
    }
}

/// The query parameters of the GET route: the questions' options (the text fields after the
/// files' column names).
pub const QUERY_FIELDS: &[&str] = TEXT_FIELDS.split_at(8).1;
const _: () = assert!(QUERY_FIELDS.len() == 8);

/// GET /api/v1/network/{question}: the question on the cooperation network of the monitored
/// projects the caller may see (a bearer token's user, else the public: published projects
/// only); the options as query parameters. The store is read on the blocking pool, the answer
/// computed in the bounded pool of heavy requests.
pub async fn monitoring_network(
    State(s): State<AppState>,
    Path(name): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let prepared = async {
        let p = crate::params::Params::parse(q.as_deref(), QUERY_FIELDS)?;
        let texts: HashMap<String, String> = QUERY_FIELDS
            .iter()
            .filter_map(|k| p.get(k).map(|v| (k.to_string(), v.to_string())))
            .collect();
        let question = question(&name, &texts)?;
        let actor = crate::monitor_api::caller(&s, &headers).await?;
        let projects = crate::monitor_api::blocking(&s, move |st| st.projects(&actor)).await?;
        Ok::<_, AppError>((question, projects))
    };
    let (question, projects) = match prepared.await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let work = move || -> Result<Json<Value>, AppError> {
        let n = regis_app::network_monitoring::from_projects(&projects, MAX_PROJECT_TIES)?;
        if question.work(&n) > WORK_LIMIT {
            return Err(too_much_work(
                &name,
                &n,
                "organisations",
                " --from-monitoring",
            ));
        }
        json_of(&answer(&n, &question)?)
    };
    let private = [(axum::http::header::CACHE_CONTROL, "private, no-store")];
    match crate::guard::in_pool(&s.heavy, work).await {
        Ok(Ok(json)) => (private, json).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(busy) => busy,
    }
}
