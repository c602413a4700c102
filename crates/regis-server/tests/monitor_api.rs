//! The monitoring API in-process against a real SQLite file: login, permissions (403 across
//! regions, for unassigned evaluators; the public sees no draft), 401, malformed bodies, and 50
//! concurrent KPI updates: one accepted, 49 refused with 409, one audit entry per accepted write.
//! The same test runs against a real PostgreSQL server when `REGIS_PG_URL` is set (required
//! when `REGIS_REQUIRE_PG=1`, as in `.ci/run`).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use regis_monitor::sqlite::SqliteStore;
use regis_monitor::{Role, Store};
use regis_server::{app, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let req = b
        .body(
            body.map(|v| Body::from(v.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let resp = app(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn sqlite_store() -> Arc<dyn Store> {
    let dir = std::env::temp_dir().join(format!(
        "regis-monitor-api-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    Arc::new(SqliteStore::open(&dir.join("monitor.sqlite")).unwrap())
}

/// A store on a fresh PostgreSQL database, or None (skip) without a server.
fn pg_store() -> Option<Arc<dyn Store>> {
    pg_store_named("regis_test_monitor_api")
}

/// A store on a fresh PostgreSQL database `db`, or None (skip) without a server.
fn pg_store_named(db: &str) -> Option<Arc<dyn Store>> {
    let Ok(url) = std::env::var("REGIS_PG_URL") else {
        assert!(
            std::env::var("REGIS_REQUIRE_PG").is_err(),
            "REGIS_REQUIRE_PG is set but REGIS_PG_URL is not"
        );
        eprintln!("REGIS_PG_URL not set: PostgreSQL variant skipped");
        return None;
    };
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let base = &url[..url.rfind('/').unwrap()];
    Some(Arc::new(
        regis_monitor::postgres::PgStore::open(&format!("{base}/{db}")).unwrap(),
    ))
}

fn populate(store: &dyn Store) {
    store.bootstrap_admin("admin", "admin-password").unwrap();
    let admin = store.authenticate("admin", "admin-password").unwrap();
    regis_monitor::demo::load_demo(store, &admin).unwrap();
    store
        .create_user(&admin, "seoul", "seoul-password", Role::Council, Some("11"))
        .unwrap();
    store
        .create_user(&admin, "ulsan", "ulsan-password", Role::Council, Some("26"))
        .unwrap();
    store
        .create_user(&admin, "eva", "evaluator-password", Role::Evaluator, None)
        .unwrap();
}

/// Store calls block (file or network I/O), so the test sets up on the blocking pool, as the
/// server does.
async fn setup(open: fn() -> Option<Arc<dyn Store>>) -> Option<(AppState, Vec<(String, String)>)> {
    let store = tokio::task::spawn_blocking(move || {
        let s = open()?;
        populate(&*s);
        Some(s)
    })
    .await
    .unwrap()?;
    let state = AppState {
        monitor: Some(store),
        ..AppState::default()
    };
    let creds = vec![
        ("admin".into(), "admin-password".into()),
        ("seoul".into(), "seoul-password".into()),
        ("ulsan".into(), "ulsan-password".into()),
        ("eva".into(), "evaluator-password".into()),
    ];
    Some((state, creds))
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

async fn login(state: &AppState, user: &str, password: &str) -> String {
    let (s, v) = call(
        state,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"username": user, "password": password})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_conflicts_and_audit_through_the_api_sqlite() {
    let (state, c) = setup(|| Some(sqlite_store())).await.unwrap();
    permissions_conflicts_and_audit_through_the_api(state, c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_conflicts_and_audit_through_the_api_postgres() {
    if let Some((state, c)) = setup(pg_store).await {
        permissions_conflicts_and_audit_through_the_api(state, c).await;
    }
}

async fn permissions_conflicts_and_audit_through_the_api(
    state: AppState,
    c: Vec<(String, String)>,
) {
    let admin = login(&state, &c[0].0, &c[0].1).await;
    let seoul = login(&state, &c[1].0, &c[1].1).await;
    let ulsan = login(&state, &c[2].0, &c[2].1).await;
    let eva = login(&state, &c[3].0, &c[3].1).await;
    let (s, _) = call(
        &state,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "seoul", "password": "wrong"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&state, "GET", "/api/v1/projects", Some("not-a-token"), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Projects: Ulsan's hydrogen project (id 7 in the demo), Seoul's AI project (id 1).
    let (_, all) = call(&state, "GET", "/api/v1/projects", Some(&admin), None).await;
    let projects = all["projects"].as_array().unwrap();
    let ulsan_p = projects
        .iter()
        .find(|p| p["region"] == "26")
        .unwrap()
        .clone();
    // A council member of Seoul gets 403 editing Ulsan's project; Ulsan's own member succeeds.
    let mut body = ulsan_p.clone();
    body["title"] = json!("울산 수소 연료전지 실증 지원 (수정)");
    let (s, v) = call(
        &state,
        "PUT",
        &format!("/api/v1/projects/{}", ulsan_p["id"]),
        Some(&seoul),
        Some(body.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = call(
        &state,
        "PUT",
        &format!("/api/v1/projects/{}", ulsan_p["id"]),
        Some(&ulsan),
        Some(body.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Editing again with the old version is a 409, not a silent overwrite.
    let (s, v) = call(
        &state,
        "PUT",
        &format!("/api/v1/projects/{}", ulsan_p["id"]),
        Some(&ulsan),
        Some(body),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // An evaluator cannot score an unassigned project.
    let (s, _) = call(
        &state,
        "POST",
        &format!("/api/v1/projects/{}/evaluations", ulsan_p["id"]),
        Some(&eva),
        Some(json!({"kind": "interim", "scores": [["relevance", 80.0, 1.0]]})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The public sees no draft.
    let (_, public) = call(&state, "GET", "/api/v1/projects", None, None).await;
    assert!(public["projects"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "published"));
    let draft = projects.iter().find(|p| p["status"] == "draft").unwrap();
    let (s, _) = call(
        &state,
        "GET",
        &format!("/api/v1/projects/{}", draft["id"]),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Malformed bodies and invalid fields are 400 with a message.
    let (s, v) = call(
        &state,
        "POST",
        "/api/v1/indicators/1/values",
        Some(&admin),
        Some(json!({"period": "soon"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "malformed-body");
    // Overlaps: the two planted pairs.
    let (_, o) = call(&state, "GET", "/api/v1/overlaps", Some(&admin), None).await;
    assert_eq!(o["pairs"].as_array().unwrap().len(), 2);
    // Audit log: admin only.
    let (s, _) = call(&state, "GET", "/api/v1/audit", Some(&seoul), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // 50 concurrent KPI updates of the same record read at the same version.
    let ind = projects.iter().position(|p| p["region"] == "26").unwrap() + 1; // demo: one indicator per project, same order
    let (_, vals) = call(
        &state,
        "GET",
        &format!("/api/v1/indicators/{ind}/values"),
        Some(&ulsan),
        None,
    )
    .await;
    let v2024 = vals["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["period"] == 2024)
        .unwrap()
        .clone();
    let (_, audit_before) = call(&state, "GET", "/api/v1/audit", Some(&admin), None).await;
    let n_before = audit_before["entries"].as_array().unwrap().len();
    let mut tasks = Vec::new();
    for k in 0..50 {
        let (state, token) = (state.clone(), ulsan.clone());
        let version = v2024["version"].as_i64().unwrap();
        tasks.push(tokio::spawn(async move {
            call(&state, "POST", &format!("/api/v1/indicators/{ind}/values"), Some(&token), Some(json!({"period": 2024, "target": 100.0, "actual": k as f64, "version": version}))).await.0
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    assert_eq!(codes.iter().filter(|c| **c == StatusCode::OK).count(), 1);
    assert_eq!(
        codes.iter().filter(|c| **c == StatusCode::CONFLICT).count(),
        49
    );
    let (_, audit_after) = call(&state, "GET", "/api/v1/audit", Some(&admin), None).await;
    assert_eq!(
        audit_after["entries"].as_array().unwrap().len(),
        n_before + 1
    );
    // Imports through the API: malformed rows are listed by row and field (400), another
    // region's row makes the whole batch 403, and nothing is stored either way.
    let count = |v: &Value| v["projects"].as_array().unwrap().len();
    let (_, all) = call(&state, "GET", "/api/v1/projects", Some(&admin), None).await;
    let before = count(&all);
    let row = |region: &str, year: Value| {
        json!({"programme_id": 1, "title": "울산 이차전지 (API)", "objective": "배터리 소재",
               "region": region, "industry": "C", "organisation": "울산TP",
               "start_year": year, "end_year": 2027, "status": "draft"})
    };
    let (s, v) = call(
        &state,
        "POST",
        "/api/v1/imports/projects",
        Some(&ulsan),
        Some(json!([row("26", json!(2025)), row("26", json!("20x5"))])),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "invalid-rows");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains("row 2, field `start_year`"), "{msg}");
    let (s, _) = call(
        &state,
        "POST",
        "/api/v1/imports/projects",
        Some(&ulsan),
        Some(json!([row("26", json!(2025)), row("11", json!(2025))])),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, all) = call(&state, "GET", "/api/v1/projects", Some(&admin), None).await;
    assert_eq!(count(&all), before, "nothing stored");
    let (s, v) = call(
        &state,
        "POST",
        "/api/v1/imports/projects",
        Some(&ulsan),
        Some(json!([row("26", json!(2025)), row("26", json!(2026))])),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stored"], 2);
    let (_, all) = call(&state, "GET", "/api/v1/projects", Some(&admin), None).await;
    assert_eq!(count(&all), before + 2);
    // Plan review through the API.
    let plan = json!({"region": "26", "title": "울산 시행계획", "start_year": 2025, "end_year": 2027, "body": "수소, 이차전지"});
    let (s, _) = call(
        &state,
        "POST",
        "/api/v1/plans",
        Some(&seoul),
        Some(plan.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, p) = call(&state, "POST", "/api/v1/plans", Some(&ulsan), Some(plan)).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let steps = format!("/api/v1/plans/{}/steps", p["id"]);
    let (s, p) = call(
        &state,
        "POST",
        &steps,
        Some(&ulsan),
        Some(json!({"action": "submit", "version": 1})),
    )
    .await;
    assert_eq!(
        (s, p["status"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{p}"
    );
    let (s, _) = call(
        &state,
        "POST",
        &steps,
        Some(&ulsan),
        Some(json!({"action": "start_review", "version": 2})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = call(
        &state,
        "POST",
        &steps,
        Some(&admin),
        Some(json!({"action": "start_review", "version": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "a step on an old version");
    let (s, _) = call(
        &state,
        "POST",
        &steps,
        Some(&admin),
        Some(json!({"action": "start_review", "version": 2})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = call(
        &state,
        "POST",
        &steps,
        Some(&admin),
        Some(json!({"action": "return", "comments": "예산 근거 보완", "version": 3})),
    )
    .await;
    assert_eq!(
        (s, p["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{p}"
    );
    let (_, v) = call(&state, "GET", "/api/v1/plans", None, None).await;
    assert_eq!(
        v["plans"].as_array().unwrap().len(),
        0,
        "the public sees approved plans only"
    );
    let (s, k) = call(
        &state,
        "POST",
        "/api/v1/conflicts",
        Some(&ulsan),
        Some(json!({"plan_id": p["id"], "other_region": "21", "subject": "수소 실증 부지"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{k}");
    let (s, _) = call(&state, "GET", "/api/v1/conflicts", None, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, k) = call(
        &state,
        "POST",
        &format!("/api/v1/conflicts/{}/resolution", k["id"]),
        Some(&ulsan),
        Some(json!({"resolution": "역할 분담 합의", "version": 1})),
    )
    .await;
    assert_eq!(
        (s, k["resolved"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{k}"
    );
    let st = state.monitor.clone().unwrap();
    tokio::task::spawn_blocking(move || st.integrity_check())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_framework_through_the_api_sqlite() {
    let (state, c) = setup(|| Some(sqlite_store())).await.unwrap();
    results_framework_through_the_api(state, c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_framework_through_the_api_postgres() {
    if let Some((state, c)) = setup(|| pg_store_named("regis_test_monitor_results")).await {
        results_framework_through_the_api(state, c).await;
    }
}

/// Results, milestones and values by region through the API: the region's council writes, the
/// other region's gets 403, stale versions 409, bad input 400 naming the field, the public reads.
async fn results_framework_through_the_api(state: AppState, c: Vec<(String, String)>) {
    let seoul = login(&state, &c[1].0, &c[1].1).await;
    let ulsan = login(&state, &c[2].0, &c[2].1).await;
    let (_, v) = call(&state, "GET", "/api/v1/projects", None, None).await;
    let project = v["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["region"] == "26")
        .expect("a published Ulsan project in the demo")["id"]
        .as_i64()
        .unwrap();
    let base = format!("/api/v1/projects/{project}");
    let (s, v) = call(&state, "GET", &format!("{base}/indicators"), None, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let indicator = v["indicators"][0]["indicator"]["id"].as_i64().unwrap();

    let result =
        json!({"level": "outcome", "title": "수소 실증 기업 매출", "description": "참여기업"});
    let (s, _) = call(
        &state,
        "POST",
        &format!("{base}/results"),
        Some(&seoul),
        Some(result.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = call(
        &state,
        "POST",
        &format!("{base}/results"),
        Some(&ulsan),
        Some(json!({"level": "goal", "title": "x"})),
    )
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid-level")),
        "{v}"
    );
    let (s, v) = call(
        &state,
        "POST",
        &format!("{base}/results"),
        Some(&ulsan),
        Some(result),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let result_id = v["id"].as_i64().unwrap();
    let (s, v) = call(
        &state,
        "POST",
        &format!("/api/v1/results/{result_id}/indicators"),
        Some(&ulsan),
        Some(json!({"indicator_id": indicator})),
    )
    .await;
    assert_eq!(
        (s, v["indicator_ids"].clone()),
        (StatusCode::OK, json!([indicator])),
        "{v}"
    );
    let (_, v) = call(&state, "GET", &format!("{base}/results"), None, None).await;
    let mine = |list: &Value, id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(mine(&v["results"], result_id)["level"], "outcome");

    let (s, v) = call(
        &state,
        "POST",
        &format!("{base}/milestones"),
        Some(&ulsan),
        Some(json!({"title": "실증 설비 준공", "due_on": "2025-13-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("due_on"),
        "{v}"
    );
    let (s, v) = call(
        &state,
        "POST",
        &format!("{base}/milestones"),
        Some(&ulsan),
        Some(json!({"title": "실증 설비 준공", "due_on": "2025-06-30"})),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("overdue")),
        "{v}"
    );
    let milestone = v["id"].as_i64().unwrap();
    let done = json!({"completed_on": "2025-06-20", "version": 1});
    let (s, v) = call(
        &state,
        "POST",
        &format!("/api/v1/milestones/{milestone}/completion"),
        Some(&ulsan),
        Some(done.clone()),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("done")),
        "{v}"
    );
    let (s, _) = call(
        &state,
        "POST",
        &format!("/api/v1/milestones/{milestone}/completion"),
        Some(&ulsan),
        Some(done),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, v) = call(&state, "GET", &format!("{base}/milestones"), None, None).await;
    assert_eq!(mine(&v["milestones"], milestone)["status"], "done");

    let regions = format!("/api/v1/indicators/{indicator}/regions");
    let report = |region: &str, version: Option<i64>| json!({"period": 2025, "region": region, "target": 10.0, "actual": 7.5, "version": version});
    // Ulsan's district: stored, then refused as a second creation; Seoul's district is not in
    // the project's regions; Seoul's council may not report on Ulsan's project.
    for (who, region, expected) in [
        (&ulsan, "26010", StatusCode::OK),
        (&ulsan, "26010", StatusCode::CONFLICT),
        (&ulsan, "11010", StatusCode::BAD_REQUEST),
        (&seoul, "26020", StatusCode::FORBIDDEN),
    ] {
        let (s, v) = call(
            &state,
            "POST",
            &regions,
            Some(who),
            Some(report(region, None)),
        )
        .await;
        assert_eq!(s, expected, "{region}: {v}");
    }
    let (_, v) = call(&state, "GET", &regions, None, None).await;
    // The demo reported 2024 for two districts; this test 2025 for one.
    let reported: Vec<&Value> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["period"] == 2025)
        .collect();
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0]["region"], "26010");
}

/// An empty monitoring store's project page says how to fill it, in both languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_store_page_says_how_to_load_the_demo() {
    let state = AppState {
        monitor: Some(sqlite_store()),
        ..AppState::default()
    };
    for (lang, words) in [("ko", "regis monitor demo"), ("en", "No projects yet")] {
        let req = Request::builder()
            .uri(format!("/monitor?lang={lang}"))
            .body(Body::empty())
            .unwrap();
        let resp = app(state.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("id=empty") && text.contains(words),
            "{lang}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_profiles_list_the_monitored_projects_the_visitor_may_see_sqlite() {
    let (state, c) = setup(|| Some(sqlite_store())).await.unwrap();
    region_profiles_list_the_monitored_projects_the_visitor_may_see(state, c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_profiles_list_the_monitored_projects_the_visitor_may_see_postgres() {
    if let Some((state, c)) = setup(|| pg_store_named("regis_test_profile_projects")).await {
        region_profiles_list_the_monitored_projects_the_visitor_may_see(state, c).await;
    }
}

/// The profile page is cached for the built-in data, but its projects section is the
/// visitor's: the public sees Gyeongnam's published projects (led or joined as a partner) and
/// no draft, a district (Yangsan) shows its province's, another province none of them.
async fn region_profiles_list_the_monitored_projects_the_visitor_may_see(
    state: AppState,
    c: Vec<(String, String)>,
) {
    let admin = login(&state, &c[0].0, &c[0].1).await;
    let (_, all) = call(&state, "GET", "/api/v1/projects", Some(&admin), None).await;
    let of_38 = |p: &&Value| {
        p["region"] == "38"
            || p["partner_regions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "38")
    };
    let projects: Vec<&Value> = all["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(of_38)
        .collect();
    let title = |p: &&Value| p["title"].as_str().unwrap().to_string();
    let published: Vec<String> = projects
        .iter()
        .filter(|p| p["status"] == "published")
        .map(title)
        .collect();
    let drafts: Vec<String> = projects
        .iter()
        .filter(|p| p["status"] != "published")
        .map(title)
        .collect();
    let partner = projects
        .iter()
        .any(|p| p["region"] != "38" && p["status"] == "published");
    assert!(
        !published.is_empty() && !drafts.is_empty() && partner,
        "{all}"
    );
    let html = |uri: &'static str| {
        let state = state.clone();
        async move {
            let resp = app(state)
                .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{uri}");
            let b = resp.into_body().collect().await.unwrap().to_bytes();
            String::from_utf8(b.to_vec()).unwrap()
        }
    };
    // Twice: the second page comes from the cache and still carries the projects.
    for uri in [
        "/region/38?lang=en",
        "/region/38?lang=en",
        "/region/38100?lang=ko",
    ] {
        let b = html(uri).await;
        let at = b.find("id=\"monitored-projects\"").expect(uri);
        let section = &b[at..at + b[at..].find("</section>").unwrap()];
        for t in &published {
            assert!(
                section.contains(t.as_str()),
                "{uri}: {t} missing: {section}"
            );
        }
        for t in &drafts {
            assert!(!section.contains(t.as_str()), "{uri}: draft {t} shown");
        }
    }
    let b = html("/region/11?lang=en").await;
    for t in &published {
        assert!(
            !b.contains(t.as_str()),
            "Gyeongnam's {t} on Seoul's profile"
        );
    }
}
