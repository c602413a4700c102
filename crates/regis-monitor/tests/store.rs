//! The SQLite store, tested on real database files: permissions by role and region, optimistic
//! concurrency under 50 concurrent writers with one audit entry per accepted write, and a crash
//! (SIGKILL in the middle of a burst of writes) after which the file passes its integrity check
//! with every acknowledged write present. The permission, concurrency and demo tests run twice:
//! on SQLite and on a real PostgreSQL server (`REGIS_PG_URL`, e.g.
//! `postgres://postgres:pw@127.0.0.1:5432/postgres`; each test creates its own database).
//! Without `REGIS_PG_URL` the PostgreSQL variants say so and skip, unless `REGIS_REQUIRE_PG=1`
//! (set by `.ci/run`), which makes a missing server a failure.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use regis_monitor::sqlite::SqliteStore;
use regis_monitor::{Actor, MonitorError, ProjectInput, Role, Status, Store};

/// A store on a fresh PostgreSQL database named after the test, or None (skip) without a server.
#[cfg(feature = "postgres")]
fn pg_store(name: &str) -> Option<Arc<dyn Store>> {
    let Ok(url) = std::env::var("REGIS_PG_URL") else {
        assert!(
            std::env::var("REGIS_REQUIRE_PG").is_err(),
            "REGIS_REQUIRE_PG is set but REGIS_PG_URL is not"
        );
        eprintln!("REGIS_PG_URL not set: PostgreSQL variant of `{name}` skipped");
        return None;
    };
    let db = format!("regis_test_{name}");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect to REGIS_PG_URL");
    // One statement each: CREATE DATABASE cannot run inside an (implicit) transaction.
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let base = &url[..url.rfind('/').expect("REGIS_PG_URL ends with /database")];
    Some(Arc::new(
        regis_monitor::postgres::PgStore::open(&format!("{base}/{db}")).unwrap(),
    ))
}

fn temp_db(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regis-monitor-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d.join("monitor.sqlite")
}

struct World {
    store: Arc<dyn Store>,
    admin: Actor,
    seoul_council: Actor,
    busan_council: Actor,
    evaluator: Actor,
    other_evaluator: Actor,
    seoul_project: i64,
    busan_project: i64,
}

fn project(programme: i64, region: &str, title: &str, status: Status) -> ProjectInput {
    ProjectInput {
        partner_regions: Vec::new(),
        programme_id: programme,
        title: title.into(),
        objective: "지역 전략산업 육성".into(),
        region: region.into(),
        industry: "C6".into(),
        organisation: "테크노파크".into(),
        organisation_type: Default::default(),
        partners: Vec::new(),
        start_year: 2024,
        end_year: 2026,
        status,
    }
}

fn sqlite_store(name: &str) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(&temp_db(name)).unwrap())
}

/// The two tests of a scenario: on a SQLite file (`$sqlite`) and on the PostgreSQL server
/// (`$postgres`, when REGIS_PG_URL names one), each on a fresh store called `$name`.
macro_rules! on_both_stores {
    ($scenario:ident, $sqlite:ident, $postgres:ident, $name:literal) => {
        #[test]
        fn $sqlite() {
            $scenario(world(sqlite_store($name)));
        }

        #[cfg(feature = "postgres")]
        #[test]
        fn $postgres() {
            if let Some(s) = pg_store($name) {
                $scenario(world(s));
            }
        }
    };
}

fn world(store: Arc<dyn Store>) -> World {
    store
        .bootstrap_admin("admin", "correct horse battery")
        .unwrap();
    let admin = store
        .authenticate("admin", "correct horse battery")
        .unwrap();
    store
        .create_user(&admin, "seoul", "seoul-password", Role::Council, Some("11"))
        .unwrap();
    store
        .create_user(&admin, "busan", "busan-password", Role::Council, Some("21"))
        .unwrap();
    store
        .create_user(&admin, "eva", "evaluator-pw", Role::Evaluator, None)
        .unwrap();
    store
        .create_user(&admin, "eve", "evaluator-pw2", Role::Evaluator, None)
        .unwrap();
    let prog = store
        .create_programme(
            &admin,
            "RIP",
            "지역산업진흥사업 (illustrative)",
            "MOTIE",
            "regional industry",
            2024,
            2026,
        )
        .unwrap();
    let seoul_project = store
        .create_project(
            &admin,
            &project(prog.id, "11", "Seoul AI cluster", Status::Draft),
        )
        .unwrap()
        .id;
    let busan_project = store
        .create_project(
            &admin,
            &project(prog.id, "21", "Busan marine cluster", Status::Published),
        )
        .unwrap()
        .id;
    World {
        seoul_council: store.authenticate("seoul", "seoul-password").unwrap(),
        busan_council: store.authenticate("busan", "busan-password").unwrap(),
        evaluator: store.authenticate("eva", "evaluator-pw").unwrap(),
        other_evaluator: store.authenticate("eve", "evaluator-pw2").unwrap(),
        store,
        admin,
        seoul_project,
        busan_project,
    }
}

on_both_stores!(
    roles_and_regions_are_enforced,
    roles_and_regions_are_enforced_sqlite,
    roles_and_regions_are_enforced_postgres,
    "roles"
);

fn roles_and_regions_are_enforced(w: World) {
    // Wrong password, hashed storage.
    assert!(matches!(
        w.store.authenticate("seoul", "nope"),
        Err(MonitorError::Unauthenticated(_))
    ));
    assert!(matches!(
        w.store.authenticate("nobody-of-that-name", "nope"),
        Err(MonitorError::Unauthenticated(_))
    ));
    // A council member of Busan cannot edit Seoul's project; Seoul's can.
    let p = w.store.project(&w.admin, w.seoul_project).unwrap();
    let mut input = project(
        p.programme_id,
        "11",
        "Seoul AI cluster (revised)",
        Status::Draft,
    );
    assert!(matches!(
        w.store
            .update_project(&w.busan_council, p.id, p.version, &input),
        Err(MonitorError::Forbidden(_))
    ));
    let p2 = w
        .store
        .update_project(&w.seoul_council, p.id, p.version, &input)
        .unwrap();
    assert_eq!(p2.version, p.version + 1);
    // Nor move it into another region.
    input.region = "21".into();
    assert!(matches!(
        w.store
            .update_project(&w.seoul_council, p.id, p2.version, &input),
        Err(MonitorError::Forbidden(_))
    ));
    // The public sees published projects only.
    let public = Actor::public();
    assert!(matches!(
        w.store.project(&public, w.seoul_project),
        Err(MonitorError::NotFound(_))
    ));
    assert_eq!(w.store.projects(&public).unwrap().len(), 1);
    assert_eq!(w.store.projects(&w.admin).unwrap().len(), 2);
    // An evaluator scores only assigned projects.
    w.store
        .assign(&w.admin, w.evaluator.user_id, w.busan_project)
        .unwrap();
    let scores = vec![
        ("relevance".to_string(), 85.0, 0.4),
        ("performance".to_string(), 72.0, 0.6),
    ];
    let e = w
        .store
        .evaluate(&w.evaluator, w.busan_project, "interim", &scores)
        .unwrap();
    assert!((e.total - 77.2).abs() < 1e-9 && e.grade == "B");
    assert!(matches!(
        w.store
            .evaluate(&w.other_evaluator, w.busan_project, "interim", &scores),
        Err(MonitorError::Forbidden(_))
    ));
    // Who sees the evaluation: admin, its evaluator, Busan's council, the public (published
    // project); not another evaluator nor Seoul's council.
    let seen = |a: &Actor| w.store.evaluations(a).unwrap().len();
    assert_eq!(
        [
            seen(&w.admin),
            seen(&w.evaluator),
            seen(&w.other_evaluator),
            seen(&w.busan_council),
            seen(&w.seoul_council),
            seen(&Actor::public()),
        ],
        [1, 1, 0, 1, 0, 1]
    );
    assert!(matches!(
        w.store
            .evaluate(&w.evaluator, w.seoul_project, "final", &scores),
        Err(MonitorError::Forbidden(_))
    ));
    assert!(matches!(
        w.store
            .evaluate(&w.busan_council, w.busan_project, "final", &scores),
        Err(MonitorError::Forbidden(_))
    ));
    // Only admins read the audit log; it holds every change with before and after.
    assert!(matches!(
        w.store.audit(&w.seoul_council),
        Err(MonitorError::Forbidden(_))
    ));
    let log = w.store.audit(&w.admin).unwrap();
    let upd = log
        .iter()
        .find(|a| a.action == "update" && a.entity == "project")
        .unwrap();
    assert_eq!(upd.username, "seoul");
    assert_eq!(upd.before["title"], "Seoul AI cluster");
    assert_eq!(upd.after["title"], "Seoul AI cluster (revised)");
    // Bad input names its field and stores nothing.
    let before = w.store.audit(&w.admin).unwrap().len();
    let mut bad = project(1, "11", "", Status::Draft);
    assert!(matches!(
        w.store.create_project(&w.admin, &bad),
        Err(MonitorError::Invalid { field: "title", .. })
    ));
    bad.title = "x".into();
    bad.end_year = 2000;
    assert!(matches!(
        w.store.create_project(&w.admin, &bad),
        Err(MonitorError::Invalid {
            field: "end_year",
            ..
        })
    ));
    assert_eq!(w.store.audit(&w.admin).unwrap().len(), before);
    w.store.integrity_check().unwrap();
}

on_both_stores!(
    fifty_concurrent_kpi_writers_never_overwrite_each_other,
    fifty_concurrent_kpi_writers_never_overwrite_each_other_sqlite,
    fifty_concurrent_kpi_writers_never_overwrite_each_other_postgres,
    "concurrency"
);

fn fifty_concurrent_kpi_writers_never_overwrite_each_other(w: World) {
    let ind = w
        .store
        .create_indicator(
            &w.admin,
            w.busan_project,
            "고용 창출",
            "persons",
            120.0,
            2023,
        )
        .unwrap();
    let first = w
        .store
        .record_value(&w.busan_council, ind.id, 2024, None, Some(200.0), Some(0.0))
        .unwrap();
    let store = w.store.clone();
    let before = store.audit(&w.admin).unwrap().len();
    let mut handles = Vec::new();
    for k in 0..50 {
        let store = store.clone();
        let actor = w.busan_council.clone();
        handles.push(std::thread::spawn(move || {
            // Every client read version 1 and writes its own actual.
            store.record_value(
                &actor,
                ind.id,
                2024,
                Some(first.version),
                Some(200.0),
                Some(k as f64),
            )
        }));
    }
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let accepted: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(MonitorError::Conflict { .. })))
        .count();
    assert_eq!(accepted.len(), 1, "exactly one writer of version 1 wins");
    assert_eq!(
        conflicts, 49,
        "every other one is refused, none silently lost"
    );
    let now = store.values(&w.admin, ind.id).unwrap();
    assert_eq!(now[0].actual, accepted[0].actual);
    assert_eq!(
        store.audit(&w.admin).unwrap().len(),
        before + 1,
        "one audit entry per accepted write"
    );
    // Writers that reload and retry all get through, one version at a time.
    let mut handles = Vec::new();
    for k in 0..50 {
        let store = store.clone();
        let actor = w.busan_council.clone();
        handles.push(std::thread::spawn(move || loop {
            let v = store.values(&actor, ind.id).unwrap()[0].version;
            match store.record_value(
                &actor,
                ind.id,
                2024,
                Some(v),
                Some(200.0),
                Some(100.0 + k as f64),
            ) {
                Ok(_) => return,
                Err(MonitorError::Conflict { .. }) => continue,
                Err(e) => panic!("{e}"),
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    let v = &store.values(&w.admin, ind.id).unwrap()[0];
    assert_eq!(v.version, 2 + 50);
    assert_eq!(store.audit(&w.admin).unwrap().len(), before + 1 + 50);
    store.integrity_check().unwrap();
}

/// The writer side of the crash test: runs in a child process (this test binary re-executed).
#[test]
fn crash_writer() {
    let Ok(path) = std::env::var("REGIS_CRASH_WRITER_DB") else {
        return;
    };
    let store = SqliteStore::open(std::path::Path::new(&path)).unwrap();
    let admin = store
        .authenticate("admin", "correct horse battery")
        .unwrap();
    let ind: i64 = std::env::var("REGIS_CRASH_WRITER_INDICATOR")
        .unwrap()
        .parse()
        .unwrap();
    let mut out = std::io::stdout().lock();
    for period in 3000.. {
        store
            .record_value(&admin, ind, period, None, Some(1.0), Some(period as f64))
            .unwrap();
        // Acknowledged only after the commit returned.
        writeln!(out, "{period}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_write() {
    let w = world(sqlite_store("crash"));
    let ind = w
        .store
        .create_indicator(&w.admin, w.busan_project, "매출", "million KRW", 10.0, 2023)
        .unwrap();
    let path = std::env::temp_dir()
        .join(format!("regis-monitor-{}-crash", std::process::id()))
        .join("monitor.sqlite");
    drop(w.store);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_writer", "--exact", "--nocapture"])
        .env("REGIS_CRASH_WRITER_DB", &path)
        .env("REGIS_CRASH_WRITER_INDICATOR", ind.id.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acked.len() < 200 {
        match lines.next() {
            Some(Ok(l)) => {
                if let Ok(p) = l.trim().parse::<i32>() {
                    acked.push(p);
                }
            }
            _ => break,
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        acked.len() >= 200,
        "the writer acknowledged {} writes",
        acked.len()
    );
    let store = SqliteStore::open(&path).unwrap();
    store.integrity_check().unwrap();
    let admin = store
        .authenticate("admin", "correct horse battery")
        .unwrap();
    let stored: std::collections::HashSet<i32> = store
        .values(&admin, ind.id)
        .unwrap()
        .into_iter()
        .map(|v| v.period)
        .collect();
    for p in &acked {
        assert!(stored.contains(p), "acknowledged write {p} lost");
    }
    // And the audit log agrees with the data.
    let audited = store
        .audit(&admin)
        .unwrap()
        .into_iter()
        .filter(|a| a.entity == "indicator_value")
        .count();
    assert_eq!(audited, stored.len());
}

#[test]
fn demo_overlaps_budgets_kpis_and_backup_sqlite() {
    let store = sqlite_store("demo");
    let admin = demo_overlaps_budgets_kpis(&*store);
    // Backup: a consistent copy that opens and holds the same data.
    let copy = temp_db("demo-backup");
    std::fs::remove_file(&copy).ok();
    store.backup(&admin, &copy).unwrap();
    let restored = SqliteStore::open(&copy).unwrap();
    restored.integrity_check().unwrap();
    assert_eq!(restored.projects(&admin).unwrap().len(), 25);
    assert!(store.backup(&admin, &copy).is_err(), "never overwrites");
}

#[cfg(feature = "postgres")]
#[test]
fn demo_overlaps_budgets_kpis_postgres() {
    if let Some(store) = pg_store("demo") {
        let admin = demo_overlaps_budgets_kpis(&*store);
        // A PostgreSQL store refuses a file backup (pg_dump's job) with a clear message.
        let e = store
            .backup(&admin, std::path::Path::new("/tmp/x.sqlite"))
            .unwrap_err();
        assert!(e.to_string().contains("pg_dump"), "{e}");
        store.integrity_check().unwrap();
    }
}

fn demo_overlaps_budgets_kpis(store: &dyn Store) -> Actor {
    use regis_monitor::analytics::{allocation, kpi_report};
    use regis_monitor::overlap::find_overlaps;
    store
        .bootstrap_admin("admin", "correct horse battery")
        .unwrap();
    let admin = store
        .authenticate("admin", "correct horse battery")
        .unwrap();
    assert_eq!(regis_monitor::demo::load_demo(store, &admin).unwrap(), 25);
    let projects = store.projects(&admin).unwrap();
    // The overlap report finds the two planted pairs and nothing else.
    let pairs = find_overlaps(&projects, 0.5);
    let titles: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            (
                projects.iter().find(|x| x.id == p.a).unwrap().title.clone(),
                projects.iter().find(|x| x.id == p.b).unwrap().title.clone(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 2, "{titles:?}");
    assert!(titles
        .iter()
        .any(|(a, b)| a.contains("울산") && b.contains("울산")));
    assert!(titles
        .iter()
        .any(|(a, b)| a.contains("반도체") && b.contains("반도체")));
    // Clearly distinct projects in the same region and industry are not flagged.
    assert!(find_overlaps(
        &projects
            .iter()
            .filter(|p| p.region == "22" || p.region == "24")
            .cloned()
            .collect::<Vec<_>>(),
        0.5
    )
    .is_empty());
    // Allocation: the non-SMA share of central spending against the 40% target.
    let a = allocation(&store.budgets(&admin).unwrap(), Some("central"), 0.40);
    assert!(a.non_sma_share.unwrap() > 0.5 && a.execution_rate.unwrap() < 1.0);
    // KPI achievement of every indicator.
    let k = kpi_report(&store.indicators(&admin).unwrap());
    assert_eq!(k.len(), 18);
    assert!(k.iter().all(|x| x.4.is_some_and(|v| v > 0.0 && v < 1.0)));
    // The public sees no draft, nor the KPIs of one.
    let public = Actor::public();
    assert!(store
        .projects(&public)
        .unwrap()
        .iter()
        .all(|p| p.status == Status::Published));
    assert!(store
        .indicators(&public)
        .unwrap()
        .iter()
        .all(|(p, _, _)| p.status == Status::Published));
    admin
}

on_both_stores!(
    imports_are_all_or_nothing,
    imports_are_all_or_nothing_sqlite,
    imports_are_all_or_nothing_postgres,
    "import"
);

/// A batch whose last item is refused (another region's project; a stale KPI version) stores
/// none of its items and adds no audit entry; a clean batch stores all.
fn imports_are_all_or_nothing(w: World) {
    use regis_monitor::exchange::KpiRow;
    let programme = w
        .store
        .project(&w.admin, w.busan_project)
        .unwrap()
        .programme_id;
    let before = (
        w.store.projects(&w.admin).unwrap().len(),
        w.store.audit(&w.admin).unwrap().len(),
    );
    let rows = vec![
        project(programme, "21", "부산 해양 로봇", Status::Draft),
        project(programme, "11", "서울 바이오", Status::Draft),
    ];
    match w.store.import_projects(&w.busan_council, &rows) {
        Err(MonitorError::AtRow { index: 1, error }) => {
            assert!(matches!(*error, MonitorError::Forbidden(_)))
        }
        other => panic!("{other:?}"),
    }
    let ind = w
        .store
        .create_indicator(&w.admin, w.busan_project, "매출", "억원", 10.0, 2023)
        .unwrap();
    let after_indicator = w.store.audit(&w.admin).unwrap().len();
    let kpis = vec![
        KpiRow {
            indicator_id: ind.id,
            period: 2024,
            target: Some(20.0),
            actual: Some(12.0),
            version: None,
        },
        KpiRow {
            indicator_id: ind.id,
            period: 2025,
            target: Some(30.0),
            actual: None,
            version: Some(4),
        },
    ];
    match w.store.import_values(&w.busan_council, &kpis) {
        Err(MonitorError::AtRow { index: 1, error }) => {
            assert!(matches!(*error, MonitorError::Conflict { .. }))
        }
        other => panic!("{other:?}"),
    }
    assert!(w.store.values(&w.admin, ind.id).unwrap().is_empty());
    assert_eq!(w.store.projects(&w.admin).unwrap().len(), before.0);
    assert_eq!(w.store.audit(&w.admin).unwrap().len(), after_indicator);
    assert_eq!(after_indicator, before.1 + 1);
    // Clean batches go in whole, one audit entry per item.
    let ok = w
        .store
        .import_projects(&w.busan_council, &rows[..1])
        .unwrap();
    assert_eq!(ok.len(), 1);
    let mut kpis = kpis;
    kpis[1].version = None;
    assert_eq!(
        w.store
            .import_values(&w.busan_council, &kpis)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(w.store.audit(&w.admin).unwrap().len(), after_indicator + 3);
}

on_both_stores!(
    plan_review_workflow_and_conflict_log,
    plan_review_workflow_and_conflict_log_sqlite,
    plan_review_workflow_and_conflict_log_postgres,
    "plans"
);

/// draft -> submitted -> in review -> returned with comments -> revised -> resubmitted ->
/// approved; each step by its role, on the version read; conflicts logged and settled.
fn plan_review_workflow_and_conflict_log(w: World) {
    use regis_monitor::{PlanAction, PlanInput, PlanStatus};
    let input = PlanInput {
        region: "21".into(),
        title: "부산 지역균형발전 시행계획 2025-2027".into(),
        start_year: 2025,
        end_year: 2027,
        body: "전략산업: 해양, 물류, 핀테크".into(),
    };
    // Only Busan's council (or admins) write Busan's plan.
    assert!(matches!(
        w.store.save_plan(&w.seoul_council, None, 0, &input),
        Err(MonitorError::Forbidden(_))
    ));
    let p = w
        .store
        .save_plan(&w.busan_council, None, 0, &input)
        .unwrap();
    assert_eq!((p.status, p.version), (PlanStatus::Draft, 1));
    let p = w
        .store
        .plan_step(&w.busan_council, p.id, 1, &PlanAction::Submit)
        .unwrap();
    assert_eq!(p.status, PlanStatus::Submitted);
    // A submitted plan is frozen; the council cannot approve its own plan.
    assert!(matches!(
        w.store
            .save_plan(&w.busan_council, Some(p.id), p.version, &input),
        Err(MonitorError::Invalid {
            field: "status",
            ..
        })
    ));
    assert!(matches!(
        w.store
            .plan_step(&w.busan_council, p.id, p.version, &PlanAction::StartReview),
        Err(MonitorError::Forbidden(_))
    ));
    let p = w
        .store
        .plan_step(&w.admin, p.id, p.version, &PlanAction::StartReview)
        .unwrap();
    // Returning needs comments; a step on an old version is a conflict.
    assert!(matches!(
        w.store.plan_step(
            &w.admin,
            p.id,
            p.version,
            &PlanAction::Return {
                comments: " ".into()
            }
        ),
        Err(MonitorError::Invalid {
            field: "comments",
            ..
        })
    ));
    assert!(matches!(
        w.store
            .plan_step(&w.admin, p.id, p.version - 1, &PlanAction::Approve),
        Err(MonitorError::Conflict { .. })
    ));
    let p = w
        .store
        .plan_step(
            &w.admin,
            p.id,
            p.version,
            &PlanAction::Return {
                comments: "울산과 겹치는 수소 사업을 조정할 것".into(),
            },
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Returned);
    assert!(p.comments.contains("수소"));
    // The public sees no plan until it is approved.
    assert!(w.store.plans(&Actor::public()).unwrap().is_empty());
    // Conflict log: Busan's plan against Ulsan (26), logged by Busan, settled by Busan.
    let k = w
        .store
        .log_conflict(&w.busan_council, p.id, "26", "수소 실증 부지 중복")
        .unwrap();
    assert!(matches!(
        w.store.conflicts(&Actor::public()),
        Err(MonitorError::Forbidden(_))
    ));
    assert!(matches!(
        w.store
            .resolve_conflict(&w.seoul_council, k.id, k.version, "x"),
        Err(MonitorError::Forbidden(_))
    ));
    let k = w
        .store
        .resolve_conflict(
            &w.busan_council,
            k.id,
            k.version,
            "부산은 물류로, 울산은 수소로 역할 분담",
        )
        .unwrap();
    assert!(k.resolved && k.version == 2);
    assert_eq!(w.store.conflicts(&w.seoul_council).unwrap().len(), 1);
    // Revise, resubmit, review, approve.
    let mut revised = input.clone();
    revised.body = "전략산업: 해양, 물류 (수소는 울산과 협력)".into();
    let p = w
        .store
        .save_plan(&w.busan_council, Some(p.id), p.version, &revised)
        .unwrap();
    let p = w
        .store
        .plan_step(&w.busan_council, p.id, p.version, &PlanAction::Submit)
        .unwrap();
    let p = w
        .store
        .plan_step(&w.admin, p.id, p.version, &PlanAction::StartReview)
        .unwrap();
    let p = w
        .store
        .plan_step(&w.admin, p.id, p.version, &PlanAction::Approve)
        .unwrap();
    assert_eq!((p.status, p.comments.as_str()), (PlanStatus::Approved, ""));
    assert_eq!(w.store.plans(&Actor::public()).unwrap().len(), 1);
    // Every step is in the audit log with before and after.
    let log: Vec<_> = w
        .store
        .audit(&w.admin)
        .unwrap()
        .into_iter()
        .filter(|a| a.entity == "plan")
        .map(|a| a.action)
        .collect();
    assert_eq!(
        log,
        [
            "create",
            "submitted",
            "in_review",
            "returned",
            "update",
            "submitted",
            "in_review",
            "approved"
        ]
    );
    w.store.integrity_check().unwrap();
}

on_both_stores!(
    results_milestones_and_region_values,
    results_milestones_and_region_values_sqlite,
    results_milestones_and_region_values_postgres,
    "results"
);

/// The results framework: results above indicators, milestones with their status, values
/// disaggregated by district; roles, versions, audit and visibility as everywhere else.
fn results_milestones_and_region_values(w: World) {
    use regis_monitor::{MilestoneStatus, RegionValueInput, ResultLevel};
    let s = &w.store;
    let public = Actor::public();
    let audit0 = s.audit(&w.admin).unwrap().len();
    // Results: Busan's council adds an outcome to Busan's project, not to Seoul's.
    let outcome = s
        .add_result(
            &w.busan_council,
            w.busan_project,
            ResultLevel::Outcome,
            "해양 기업 매출 증가",
            "참여기업 매출",
        )
        .unwrap();
    assert_eq!((outcome.level, outcome.version), (ResultLevel::Outcome, 1));
    assert!(matches!(
        s.add_result(
            &w.busan_council,
            w.seoul_project,
            ResultLevel::Output,
            "x",
            ""
        ),
        Err(MonitorError::Forbidden(_))
    ));
    assert!(matches!(
        s.add_result(&w.admin, w.busan_project, ResultLevel::Output, "  ", ""),
        Err(MonitorError::Invalid { field: "title", .. })
    ));
    let sales = s
        .create_indicator(
            &w.busan_council,
            w.busan_project,
            "매출",
            "억원",
            100.0,
            2023,
        )
        .unwrap();
    let seoul_kpi = s
        .create_indicator(&w.admin, w.seoul_project, "patents", "count", 1.0, 2023)
        .unwrap();
    let linked = s
        .link_indicator(&w.busan_council, outcome.id, sales.id)
        .unwrap();
    assert_eq!(
        (linked.indicator_ids.clone(), linked.version),
        (vec![sales.id], 2)
    );
    assert!(matches!(
        s.link_indicator(&w.admin, outcome.id, seoul_kpi.id),
        Err(MonitorError::Invalid {
            field: "indicator_id",
            ..
        })
    ));
    // The public sees the published project's results, not the draft's.
    assert_eq!(s.results(&public, w.busan_project).unwrap(), vec![linked]);
    s.add_result(&w.admin, w.seoul_project, ResultLevel::Impact, "impact", "")
        .unwrap();
    assert!(matches!(
        s.results(&public, w.seoul_project),
        Err(MonitorError::NotFound(_))
    ));
    assert_eq!(
        s.results(&w.seoul_council, w.seoul_project).unwrap().len(),
        1
    );

    // Milestones: dated, completed on the version read; status against a given day.
    let m = s
        .add_milestone(
            &w.busan_council,
            w.busan_project,
            "시험 설비 구축",
            "2025-06-30",
        )
        .unwrap();
    assert_eq!(m.status("2025-01-01"), MilestoneStatus::Planned);
    assert_eq!(m.status("2025-07-01"), MilestoneStatus::Overdue);
    assert!(matches!(
        s.add_milestone(&w.admin, w.busan_project, "bad date", "2025-02-30"),
        Err(MonitorError::Invalid {
            field: "due_on",
            ..
        })
    ));
    assert!(matches!(
        s.complete_milestone(&w.seoul_council, m.id, 1, Some("2025-06-01")),
        Err(MonitorError::Forbidden(_))
    ));
    let done = s
        .complete_milestone(&w.busan_council, m.id, 1, Some("2025-07-15"))
        .unwrap();
    assert_eq!(
        (done.version, done.status("2026-01-01")),
        (2, MilestoneStatus::DoneLate)
    );
    assert!(matches!(
        s.complete_milestone(&w.admin, m.id, 1, Some("2025-06-01")),
        Err(MonitorError::Conflict {
            current: 2,
            expected: 1,
            ..
        })
    ));
    assert_eq!(s.milestones(&public, w.busan_project).unwrap(), vec![done]);

    // Values by district inside the project's province (Busan 21: districts 21xxx).
    let v = |region: &str, actual: f64, version: Option<i64>| RegionValueInput {
        indicator_id: sales.id,
        period: 2025,
        region: region.into(),
        target: Some(50.0),
        actual: Some(actual),
        version,
    };
    let haeundae = s
        .record_region_value(&w.busan_council, &v("21090", 30.0, None))
        .unwrap();
    s.record_region_value(&w.busan_council, &v("21100", 25.0, None))
        .unwrap();
    assert!(matches!(
        s.record_region_value(&w.busan_council, &v("11010", 1.0, None)),
        Err(MonitorError::Invalid {
            field: "region",
            ..
        })
    ));
    assert!(matches!(
        s.record_region_value(&w.seoul_council, &v("21090", 1.0, Some(1))),
        Err(MonitorError::Forbidden(_))
    ));
    // A second creator of the same record, and a writer on an old version, are refused.
    assert!(matches!(
        s.record_region_value(&w.admin, &v("21090", 31.0, None)),
        Err(MonitorError::Conflict { .. })
    ));
    let updated = s
        .record_region_value(&w.admin, &v("21090", 31.0, Some(haeundae.version)))
        .unwrap();
    assert_eq!((updated.actual, updated.version), (Some(31.0), 2));
    assert!(matches!(
        s.record_region_value(&w.admin, &v("21090", 32.0, Some(1))),
        Err(MonitorError::Conflict { current: 2, .. })
    ));
    let by_region = s.region_values(&public, sales.id).unwrap();
    assert_eq!(
        by_region
            .iter()
            .map(|r| (r.region.as_str(), r.actual))
            .collect::<Vec<_>>(),
        vec![("21090", Some(31.0)), ("21100", Some(25.0))]
    );
    assert!(matches!(
        s.region_values(&public, seoul_kpi.id),
        Err(MonitorError::NotFound(_))
    ));
    // One audit entry per accepted write: 2 results, 2 indicators, 1 link, 1 milestone,
    // 1 completion, 3 region values.
    assert_eq!(s.audit(&w.admin).unwrap().len(), audit0 + 10);
}

on_both_stores!(
    cooperation_projects_with_partner_regions,
    cooperation_projects_with_partner_regions_sqlite,
    cooperation_projects_with_partner_regions_postgres,
    "partners"
);

/// A project led by Busan (21) with Ulsan (26) and Gyeongnam (38) as partners: the partners are
/// stored and read back (one project, the list), kept by an edit that names them, refused when
/// malformed or repeating the lead; values by district are accepted in a partner region and
/// refused outside all three; overlaps are found through a shared partner region.
fn cooperation_projects_with_partner_regions(w: World) {
    use regis_monitor::RegionValueInput;
    let s = &w.store;
    let busan = s.project(&w.admin, w.busan_project).unwrap();
    let mut input = ProjectInput {
        programme_id: busan.programme_id,
        title: "동남권 수소 협력 (예시)".into(),
        objective: "부산·울산·경남 수소 공급망".into(),
        region: "21".into(),
        partner_regions: vec!["26".into(), "38".into()],
        industry: "C4".into(),
        organisation: "동남권 협의체".into(),
        organisation_type: regis_monitor::OrganisationType::SupportOrganisation,
        partners: Vec::new(),
        start_year: 2024,
        end_year: 2026,
        status: Status::Published,
    };
    let p = s.create_project(&w.busan_council, &input).unwrap();
    assert_eq!(p.partner_regions, vec!["26".to_string(), "38".to_string()]);
    assert_eq!(
        s.project(&Actor::public(), p.id).unwrap().partner_regions,
        p.partner_regions
    );
    let listed = s.projects(&w.admin).unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|x| x.id == p.id)
            .unwrap()
            .partner_regions,
        p.partner_regions
    );
    for bad in [
        vec!["2x".to_string()],
        vec!["21".to_string()],
        vec!["26".to_string(), "26".to_string()],
    ] {
        let e = s
            .create_project(
                &w.busan_council,
                &ProjectInput {
                    partner_regions: bad,
                    ..input.clone()
                },
            )
            .unwrap_err();
        assert!(
            matches!(
                e,
                MonitorError::Invalid {
                    field: "partner_regions",
                    ..
                }
            ),
            "{e:?}"
        );
    }
    input.partner_regions = vec!["26".into()];
    input.title = "동남권 수소 협력 (수정)".into();
    let edited = s
        .update_project(&w.busan_council, p.id, p.version, &input)
        .unwrap();
    assert_eq!(edited.partner_regions, vec!["26".to_string()]);
    // Values by district: Ulsan's Nam-gu (26020) is inside a partner region; Seoul's is not.
    let ind = s
        .create_indicator(&w.busan_council, p.id, "수소 충전소", "개소", 0.0, 2023)
        .unwrap();
    let value = |region: &str| RegionValueInput {
        indicator_id: ind.id,
        period: 2025,
        region: region.into(),
        target: Some(3.0),
        actual: Some(2.0),
        version: None,
    };
    s.record_region_value(&w.busan_council, &value("26020"))
        .unwrap();
    assert!(matches!(
        s.record_region_value(&w.busan_council, &value("11010")),
        Err(MonitorError::Invalid {
            field: "region",
            ..
        })
    ));
    // An Ulsan-led project on the same subject overlaps through the shared region 26.
    let ulsan = ProjectInput {
        title: "울산 수소 협력 사업 (예시)".into(),
        objective: "부산·울산·경남 수소 공급망".into(),
        region: "26".into(),
        partner_regions: Vec::new(),
        ..input.clone()
    };
    let u = s.create_project(&w.admin, &ulsan).unwrap();
    let pairs = regis_monitor::overlap::find_overlaps(&s.projects(&w.admin).unwrap(), 0.5);
    assert!(
        pairs
            .iter()
            .any(|o| (o.a, o.b) == (edited.id.min(u.id), edited.id.max(u.id))),
        "{pairs:?}"
    );
}

/// TLS to PostgreSQL follows the URL's `sslmode` (the server of `.ci/run` is Debian's, with
/// TLS on and its self-signed "snakeoil" certificate).
#[test]
fn postgres_connections_are_encrypted_when_the_url_asks() {
    let Ok(url) = std::env::var("REGIS_PG_URL") else {
        assert!(std::env::var("REGIS_REQUIRE_PG").is_err());
        eprintln!("REGIS_PG_URL not set: PostgreSQL TLS test skipped");
        return;
    };
    let db = "regis_test_tls";
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let server_tls: String = c.query_one("SHOW ssl", &[]).unwrap().get(0);
    if server_tls != "on" {
        assert!(
            std::env::var("REGIS_REQUIRE_PG").is_err(),
            "the PostgreSQL server of REGIS_PG_URL has TLS off"
        );
        eprintln!("PostgreSQL server without TLS: TLS test skipped");
        return;
    }
    let base = format!("{}/{db}", &url[..url.rfind('/').unwrap()]);
    let with = |mode: &str| format!("{base}?sslmode={mode}");
    let require = regis_monitor::postgres::PgStore::open(&with("require")).unwrap();
    assert!(require.encrypted().unwrap(), "sslmode=require");
    let plain = regis_monitor::postgres::PgStore::open(&with("disable")).unwrap();
    assert!(!plain.encrypted().unwrap(), "sslmode=disable");
    // With a CA the certificate is checked: the self-signed snakeoil certificate names the
    // machine, not 127.0.0.1, so the check fails, with a message that says so.
    // A CA file without a certificate, and a CA with sslmode=disable, are refused by name.
    let empty = std::env::temp_dir().join(format!("regis-empty-ca-{}.pem", std::process::id()));
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let e = regis_monitor::postgres::PgStore::open_with_ca(&with("require"), Some(&empty))
        .err()
        .expect("an empty CA file is refused")
        .to_string();
    assert!(e.contains("no certificate found"), "{e}");
    let e = regis_monitor::postgres::PgStore::open_with_ca(&with("disable"), Some(&empty))
        .err()
        .expect("a CA with sslmode=disable is refused")
        .to_string();
    assert!(e.contains("sslmode=disable"), "{e}");
    let snakeoil = std::path::Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem");
    if snakeoil.exists() {
        let refused =
            regis_monitor::postgres::PgStore::open_with_ca(&with("require"), Some(snakeoil));
        let message = refused
            .err()
            .expect("a certificate for another name is refused")
            .to_string();
        assert!(message.to_lowercase().contains("certificate"), "{message}");
    }
}

on_both_stores!(
    impact_estimates_beside_the_grade,
    impact_estimates_beside_the_grade_sqlite,
    impact_estimates_beside_the_grade_postgres,
    "estimates"
);

/// Impact estimates: the admin and the evaluator assigned to the project attach, others are
/// refused and nothing is stored; bad fields are refused by name; the estimate is seen by
/// whoever sees the evaluation (the region's council, the public for a published project).
fn impact_estimates_beside_the_grade(w: World) {
    use regis_monitor::EstimateInput;
    let s = &w.store;
    s.assign(&w.admin, w.evaluator.user_id, w.busan_project)
        .unwrap();
    let scores = vec![("performance".to_string(), 80.0, 1.0)];
    let busan_eval = s
        .evaluate(&w.evaluator, w.busan_project, "final", &scores)
        .unwrap();
    let seoul_eval = s
        .evaluate(&w.admin, w.seoul_project, "final", &scores)
        .unwrap();
    let input = |evaluation_id: i64| EstimateInput {
        evaluation_id,
        method: "sdid".into(),
        outcome: "grdp_nominal C per population".into(),
        att: -0.68,
        std_error: Some(1.5),
        ci_low: Some(-3.62),
        ci_high: Some(2.26),
        pre_fit: None,
        data_version: "grdp_nominal (KOSIS 2024 vintage)".into(),
        query: "/evaluate?method=sdid&treated=21%3D2024".into(),
    };
    let e = s
        .attach_estimate(&w.evaluator, &input(busan_eval.id))
        .unwrap();
    assert_eq!(e.attached_by, "eva");
    assert_eq!(e.std_error, Some(1.5));
    s.attach_estimate(&w.admin, &input(seoul_eval.id)).unwrap();
    // Refused: an evaluator not assigned, a council member, the public, an unknown evaluation.
    for actor in [&w.other_evaluator, &w.busan_council, &Actor::public()] {
        let err = s.attach_estimate(actor, &input(busan_eval.id)).unwrap_err();
        assert!(
            matches!(err.innermost(), MonitorError::Forbidden(_)),
            "{err}"
        );
    }
    assert!(matches!(
        s.attach_estimate(&w.admin, &input(99_999))
            .unwrap_err()
            .innermost(),
        MonitorError::NotFound(_)
    ));
    // An evaluator assigned to the project attaches only to their own evaluations.
    s.assign(&w.admin, w.other_evaluator.user_id, w.busan_project)
        .unwrap();
    assert!(matches!(
        s.attach_estimate(&w.other_evaluator, &input(busan_eval.id))
            .unwrap_err()
            .innermost(),
        MonitorError::Forbidden(_)
    ));
    // Bad fields, by name.
    for (field, bad) in [
        (
            "method",
            EstimateInput {
                method: "ols".into(),
                ..input(busan_eval.id)
            },
        ),
        (
            "att",
            EstimateInput {
                att: f64::NAN,
                ..input(busan_eval.id)
            },
        ),
        (
            "ci_low",
            EstimateInput {
                ci_low: Some(0.5),
                ..input(busan_eval.id)
            },
        ),
        (
            "outcome",
            EstimateInput {
                outcome: " ".into(),
                ..input(busan_eval.id)
            },
        ),
        (
            "query",
            EstimateInput {
                query: "https://evil.example/".into(),
                ..input(busan_eval.id)
            },
        ),
        (
            "query",
            EstimateInput {
                query: "/\\evil.example".into(),
                ..input(busan_eval.id)
            },
        ),
        (
            "query",
            EstimateInput {
                query: "/evaluate?x=\"><script>".into(),
                ..input(busan_eval.id)
            },
        ),
    ] {
        let err = s.attach_estimate(&w.admin, &bad).unwrap_err();
        match err.innermost() {
            MonitorError::Invalid { field: f, .. } => assert_eq!(*f, field, "{err}"),
            other => panic!("{field}: {other}"),
        }
    }
    // Two stored, whatever was refused.
    assert_eq!(s.estimates(&w.admin).unwrap().len(), 2);
    // Visibility follows the evaluation's.
    let ids = |a: &Actor| -> Vec<i64> {
        s.estimates(a)
            .unwrap()
            .iter()
            .map(|e| e.evaluation_id)
            .collect()
    };
    assert_eq!(ids(&w.busan_council), vec![busan_eval.id]);
    assert_eq!(ids(&w.seoul_council), vec![seoul_eval.id]);
    assert_eq!(ids(&Actor::public()), vec![busan_eval.id], "published only");
    assert_eq!(ids(&w.evaluator), vec![busan_eval.id]);
    assert!(s
        .audit(&w.admin)
        .unwrap()
        .iter()
        .any(|a| a.entity == "impact_estimate" && a.action == "attach"));
}

on_both_stores!(
    partner_organisations,
    partner_organisations_sqlite,
    partner_organisations_postgres,
    "partner_orgs"
);

/// A project's partner organisations and the executing organisation's type are stored and
/// read back (one project, the list, the template's rows and back), replaced by an edit,
/// refused when malformed (each with the field `partners`), and a draft's partners are not
/// shown to the public.
fn partner_organisations(w: World) {
    use regis_monitor::exchange::{parse_projects, project_rows, PROJECT_COLUMNS};
    use regis_monitor::{OrganisationType, Partner};
    let s = &w.store;
    let busan = s.project(&w.admin, w.busan_project).unwrap();
    let partner = |name: &str, kind: OrganisationType, region: &str| Partner {
        organisation: name.into(),
        organisation_type: kind,
        region: region.into(),
    };
    let mut input = ProjectInput {
        organisation: "부산테크노파크".into(),
        organisation_type: OrganisationType::SupportOrganisation,
        partners: vec![
            partner("부산 소재 대학", OrganisationType::University, "21"),
            partner("울산 수소 기업", OrganisationType::Firm, "26"),
        ],
        ..project(busan.programme_id, "21", "수소 공급망 협력", Status::Draft)
    };
    let p = s.create_project(&w.busan_council, &input).unwrap();
    assert_eq!(p.organisation_type, OrganisationType::SupportOrganisation);
    // Stored in name order.
    assert_eq!(
        p.partners,
        vec![
            partner("부산 소재 대학", OrganisationType::University, "21"),
            partner("울산 수소 기업", OrganisationType::Firm, "26"),
        ]
    );
    let listed = s.projects(&w.admin).unwrap();
    assert_eq!(
        listed.iter().find(|x| x.id == p.id).unwrap().partners,
        p.partners
    );
    // A draft: the public sees neither the project nor its partners.
    assert!(s.project(&Actor::public(), p.id).is_err());
    assert!(s.projects(&Actor::public()).unwrap().iter().all(|x| x
        .partners
        .iter()
        .all(|q| q.organisation != "울산 수소 기업")));
    // The template's rows read back to the same input.
    let header: Vec<String> = PROJECT_COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows = project_rows(std::slice::from_ref(&p));
    let parsed = parse_projects(&header, &[(2, rows[0].clone())], 1).unwrap();
    assert_eq!(parsed[0].1.partners, p.partners);
    assert_eq!(parsed[0].1.organisation_type, p.organisation_type);
    // An edit replaces the list.
    input.partners = vec![partner(
        "대전 연구원",
        OrganisationType::ResearchInstitute,
        "25",
    )];
    let edited = s
        .update_project(&w.busan_council, p.id, p.version, &input)
        .unwrap();
    assert_eq!(edited.partners, input.partners);
    for (bad, why) in [
        (vec![partner("", OrganisationType::Firm, "21")], "no name"),
        (
            vec![partner("부산테크노파크", OrganisationType::Firm, "21")],
            "the lead",
        ),
        (
            vec![partner("가;나", OrganisationType::Firm, "21")],
            "a separator",
        ),
        (
            vec![partner("기업\u{202e}가", OrganisationType::Firm, "21")],
            "a direction override",
        ),
        (
            vec![partner("기업\n가", OrganisationType::Firm, "21")],
            "a line break",
        ),
        (
            vec![partner("기업", OrganisationType::Firm, "부산")],
            "a region name",
        ),
        (
            vec![
                partner("기업", OrganisationType::Firm, "21"),
                partner("기업", OrganisationType::University, "26"),
            ],
            "twice",
        ),
    ] {
        let e = s
            .create_project(
                &w.busan_council,
                &ProjectInput {
                    partners: bad,
                    ..input.clone()
                },
            )
            .unwrap_err();
        assert!(
            matches!(
                e,
                MonitorError::Invalid {
                    field: "partners",
                    ..
                }
            ),
            "{why}: {e:?}"
        );
    }
    // A template cell with an unknown type names the row and column.
    let mut row = project_rows(std::slice::from_ref(&edited))[0].clone();
    row[11] = "대전 연구원|institute|25".into();
    let errors = parse_projects(&header, &[(7, row)], 1).unwrap_err();
    assert_eq!((errors[0].row, errors[0].field.as_str()), (7, "partners"));
    assert!(
        errors[0].message.contains("research_institute"),
        "{}",
        errors[0].message
    );
}
