//! `regis monitor ...`: the monitoring store from the command line.

use regis_monitor::analytics::{allocation, kpi_report};
use regis_monitor::exchange;
use regis_monitor::overlap::find_overlaps;
use regis_monitor::sqlite::SqliteStore;
use regis_monitor::{Actor, Store};
use std::sync::Arc;

use crate::args::{ExchangeKind, Format, MonitorCommand};
use crate::output::print_rows;

/// The monitoring store: the PostgreSQL database named by `$REGIS_MONITOR_URL`
/// (`postgres://user:password@host:port/database`; an environment variable so the password
/// stays out of the process list), else the embedded SQLite file `<store>/monitor.sqlite`.
/// Returns the store and a description for messages (no password).
pub fn open_store(store: &std::path::Path) -> anyhow::Result<(Arc<dyn Store>, String)> {
    if let Ok(url) = std::env::var("REGIS_MONITOR_URL") {
        #[cfg(feature = "postgres")]
        {
            let shown = match (url.find("://"), url.rfind('@')) {
                (Some(a), Some(b)) if b > a => format!("{}://…@{}", &url[..a], &url[b + 1..]),
                _ => url.clone(),
            };
            let s = regis_monitor::postgres::PgStore::open(&url)
                .map_err(|e| anyhow::anyhow!("REGIS_MONITOR_URL ({shown}): {e}"))?;
            return Ok((Arc::new(s), format!("PostgreSQL {shown}")));
        }
        #[cfg(not(feature = "postgres"))]
        {
            let _ = url;
            return Err(regis_data::DataError::argument(
                "REGIS_MONITOR_URL is set but this build has no PostgreSQL support (feature `postgres`)",
            )
            .into());
        }
    }
    std::fs::create_dir_all(store)?;
    let file = store.join("monitor.sqlite");
    let s = SqliteStore::open(&file)?;
    Ok((Arc::new(s), file.display().to_string()))
}

fn open(store: &std::path::Path) -> anyhow::Result<Arc<dyn Store>> {
    Ok(open_store(store)?.0)
}

/// The monitoring store and who is acting (REGIS_USER and REGIS_PASSWORD, else the public).
pub fn store_and_actor(store: &std::path::Path) -> anyhow::Result<(Arc<dyn Store>, Actor)> {
    let s = open(store)?;
    let a = actor(&s)?;
    Ok((s, a))
}

/// `regis network … --from-monitoring`: the projects' cooperation network, as the actor sees it.
pub fn network(store: &std::path::Path) -> anyhow::Result<regis_app::network::ActorNetwork> {
    let (s, a) = store_and_actor(store)?;
    Ok(regis_app::network_monitoring::from_store(&*s, &a)?)
}

fn actor(s: &Arc<dyn Store>) -> anyhow::Result<Actor> {
    match (std::env::var("REGIS_USER"), std::env::var("REGIS_PASSWORD")) {
        (Ok(u), Ok(p)) => Ok(s.authenticate(&u, &p)?),
        _ => Ok(Actor::public()),
    }
}

fn import_kind(kind: ExchangeKind) -> regis_monitor::files::ImportKind {
    match kind {
        ExchangeKind::Projects => regis_monitor::files::ImportKind::Projects,
        ExchangeKind::Kpi => regis_monitor::files::ImportKind::Kpi,
    }
}

/// Writes template rows as XLSX, CSV or JSON (by extension), atomically, never over a file.
fn write_table(
    kind: ExchangeKind,
    file: &std::path::Path,
    rows: &[Vec<String>],
) -> anyhow::Result<()> {
    if file.exists() {
        let shown = file.display();
        return Err(
            regis_data::DataError::argument(format!("{shown} exists; choose a new file")).into(),
        );
    }
    let format = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let bytes =
        regis_monitor::files::template_file(import_kind(kind), &format.to_ascii_lowercase(), rows)
            .map_err(|e| anyhow::Error::new(e).context(file.display().to_string()))?;
    regis_data::atomic::write_atomic(file, &bytes)?;
    Ok(())
}

/// Reads, checks and stores a file; on any problem nothing is stored and every problem is
/// listed by row and field. The same function as the dashboard's upload
/// (`regis_monitor::files::import_upload`) does the work.
fn import(
    s: &dyn Store,
    a: &Actor,
    kind: ExchangeKind,
    file: &std::path::Path,
) -> anyhow::Result<usize> {
    use regis_monitor::files::{import_upload, UploadError};
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        regis_data::DataError::file(
            regis_data::ErrorKind::Io,
            &name,
            format!("cannot read the file: {e}"),
        )
    })?;
    match import_upload(
        s,
        a,
        import_kind(kind),
        &bytes,
        &name,
        &regis_data::budget::Budgets::default(),
    ) {
        Ok(n) => Ok(n),
        Err(UploadError::Rows(errors)) => Err(refuse(&name, errors)),
        Err(UploadError::Refused {
            row: Some(row),
            error,
        }) => Err(anyhow::Error::new(error).context(format!("{name}: row {row}"))),
        Err(UploadError::Refused { row: None, error }) => Err(anyhow::Error::new(error)),
    }
}

fn refuse(name: &str, errors: Vec<exchange::RowError>) -> anyhow::Error {
    let list: Vec<String> = errors.iter().map(|e| format!("  {name}: {e}")).collect();
    regis_monitor::MonitorError::Invalid {
        field: "file",
        message: format!(
            "{} problem(s); nothing was imported:\n{}",
            errors.len(),
            list.join("\n")
        ),
    }
    .into()
}

/// Runs a monitor command.
pub fn run(store: &std::path::Path, cmd: MonitorCommand) -> anyhow::Result<()> {
    match cmd {
        MonitorCommand::Init { admin } => {
            let pw = std::env::var("REGIS_ADMIN_PASSWORD").map_err(|_| {
                regis_data::DataError::argument(
                    "set REGIS_ADMIN_PASSWORD (at least 8 characters) for the first administrator",
                )
            })?;
            let (s, shown) = open_store(store)?;
            s.bootstrap_admin(&admin, &pw)?;
            eprintln!("created {shown} with administrator `{admin}`");
            Ok(())
        }
        MonitorCommand::User {
            username,
            role,
            region,
        } => {
            let role = regis_monitor::Role::parse(&role).ok_or_else(|| {
                regis_data::DataError::argument(format!(
                    "--role {role}: expected admin, council, evaluator or public"
                ))
            })?;
            let pw = std::env::var("REGIS_NEW_PASSWORD").map_err(|_| {
                regis_data::DataError::argument(
                    "set REGIS_NEW_PASSWORD (at least 8 characters) for the new user",
                )
            })?;
            let s = open(store)?;
            let id = s.create_user(&actor(&s)?, &username, &pw, role, region.as_deref())?;
            eprintln!("created user {id} `{username}` ({})", role.id());
            Ok(())
        }
        MonitorCommand::Assign { evaluator, project } => {
            let s = open(store)?;
            let a = actor(&s)?;
            let id = s.user_id(&a, &evaluator)?.ok_or_else(|| {
                regis_monitor::MonitorError::NotFound(format!("user {evaluator}"))
            })?;
            s.assign(&a, id, project)?;
            eprintln!("assigned {evaluator} to project {project}");
            Ok(())
        }
        MonitorCommand::Demo => {
            let s = open(store)?;
            let a = actor(&s)?;
            let n = regis_monitor::demo::load_demo(&*s, &a)?;
            let sources = regis_app::Sources::with_store(store);
            for e in regis_app::programme::pilot_estimates(&sources, &*s, &a)? {
                s.attach_estimate(&a, &e)?;
            }
            eprintln!(
                "loaded {n} illustrative projects (marked {})",
                regis_monitor::demo::ILLUSTRATIVE
            );
            Ok(())
        }
        MonitorCommand::Projects(f) => {
            let s = open(store)?;
            let rows: Vec<Vec<String>> = s
                .projects(&actor(&s)?)?
                .into_iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.region,
                        p.industry,
                        p.title,
                        format!("{}-{}", p.start_year, p.end_year),
                        format!("{:?}", p.status).to_lowercase(),
                        p.version.to_string(),
                    ]
                })
                .collect();
            print_rows(
                f.format,
                &[
                    "id", "region", "industry", "title", "years", "status", "version",
                ],
                &rows,
            )
        }
        MonitorCommand::Results { project, format } => {
            let s = open(store)?;
            let a = actor(&s)?;
            let results = s.results(&a, project)?;
            let milestones = s.milestones(&a, project)?;
            let today = regis_monitor::rules::today();
            let mut rows: Vec<Vec<String>> = results
                .iter()
                .map(|r| {
                    vec![
                        "result".into(),
                        r.level.id().into(),
                        r.title.clone(),
                        r.indicator_ids
                            .iter()
                            .map(|i| format!("indicator {i}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        String::new(),
                    ]
                })
                .collect();
            rows.extend(milestones.iter().map(|m| {
                vec![
                    "milestone".into(),
                    serde_json::to_value(m.status(&today))
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    m.title.clone(),
                    format!("due {}", m.due_on),
                    m.completed_on.clone().unwrap_or_default(),
                ]
            }));
            print_rows(
                format,
                &["kind", "level_or_status", "title", "detail", "completed_on"],
                &rows,
            )
        }
        MonitorCommand::Overlap { threshold, format } => {
            let s = open(store)?;
            let ps = s.projects(&actor(&s)?)?;
            let title = |id: i64| {
                ps.iter()
                    .find(|p| p.id == id)
                    .map(|p| p.title.clone())
                    .unwrap_or_default()
            };
            let rows: Vec<Vec<String>> = find_overlaps(&ps, threshold)
                .into_iter()
                .map(|o| {
                    vec![
                        o.a.to_string(),
                        title(o.a),
                        o.b.to_string(),
                        title(o.b),
                        format!("{}-{}", o.shared_years.0, o.shared_years.1),
                        format!("{:.2}", o.title_similarity),
                        format!("{:.2}", o.objective_similarity),
                    ]
                })
                .collect();
            print_rows(
                format,
                &[
                    "project_a",
                    "title_a",
                    "project_b",
                    "title_b",
                    "shared_years",
                    "title_similarity",
                    "objective_similarity",
                ],
                &rows,
            )
        }
        MonitorCommand::Kpi(f) => {
            let s = open(store)?;
            let rows: Vec<Vec<String>> = kpi_report(&s.indicators(&actor(&s)?)?)
                .into_iter()
                .map(|(id, t, ind, p, a)| {
                    vec![
                        id.to_string(),
                        t,
                        ind,
                        p.to_string(),
                        a.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_default(),
                    ]
                })
                .collect();
            print_rows(
                f.format,
                &["project", "title", "indicator", "period", "achievement"],
                &rows,
            )
        }
        MonitorCommand::Allocation {
            source,
            target,
            by,
            year,
        } => {
            let s = open(store)?;
            let lines: Vec<_> = s
                .budgets(&actor(&s)?)?
                .into_iter()
                .filter(|(_, b)| year.is_none_or(|y| b.year == y))
                .collect();
            if let Some(by) = by {
                let programmes = s.programmes()?;
                let ministry = |p: &regis_monitor::Project| {
                    programmes
                        .iter()
                        .find(|g| g.id == p.programme_id)
                        .map(|g| g.ministry.clone())
                        .unwrap_or_default()
                };
                let rows = match by.as_str() {
                    "region" => {
                        regis_monitor::analytics::allocation_by(&lines, source.as_deref(), |p| {
                            p.region.clone()
                        })
                    }
                    "ministry" => {
                        regis_monitor::analytics::allocation_by(&lines, source.as_deref(), ministry)
                    }
                    other => {
                        return Err(regis_data::DataError::argument(format!(
                            "--by {other}: expected region or ministry"
                        ))
                        .into())
                    }
                };
                let pct = |v: f64| format!("{:.1}%", v * 100.0);
                let table: Vec<Vec<String>> = rows
                    .into_iter()
                    .map(|(g, pl, ex, rate, share)| {
                        vec![
                            g,
                            format!("{pl:.0}"),
                            format!("{ex:.0}"),
                            rate.map(pct).unwrap_or_default(),
                            pct(share),
                        ]
                    })
                    .collect();
                print_rows(
                    Format::Table,
                    &[
                        by.as_str(),
                        "planned",
                        "executed",
                        "execution_rate",
                        "share_of_executed",
                    ],
                    &table,
                )?;
                println!();
            }
            let a = allocation(&lines, source.as_deref(), target);
            let f = |v: Option<f64>| v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_default();
            print_rows(
                Format::Table,
                &[
                    "planned",
                    "executed",
                    "execution_rate",
                    "non_sma_share",
                    "target",
                    "gap",
                ],
                &[vec![
                    format!("{:.0}", a.planned),
                    format!("{:.0}", a.executed),
                    f(a.execution_rate),
                    f(a.non_sma_share),
                    format!("{:.0}%", target * 100.0),
                    f(a.gap_to_target),
                ]],
            )
        }
        MonitorCommand::Incentives {
            year,
            source,
            rules,
            format,
        } => {
            let rules = match rules {
                None => regis_monitor::analytics::illustrative_incentive_rules(),
                Some(text) => regis_monitor::analytics::parse_incentive_rules(&text)
                    .map_err(|e| regis_data::DataError::argument(format!("--rules: {e}")))?,
            };
            let s = open(store)?;
            let a = actor(&s)?;
            let projects = s.projects(&a)?;
            let budgets: Vec<_> = s.budgets(&a)?.into_iter().map(|(_, b)| b).collect();
            let out = regis_monitor::analytics::incentives(
                &s.evaluations(&a)?,
                &budgets,
                &rules,
                year,
                &source,
            )?;
            let rows: Vec<Vec<String>> = out
                .into_iter()
                .map(|i| {
                    vec![
                        i.project_id.to_string(),
                        projects
                            .iter()
                            .find(|p| p.id == i.project_id)
                            .map(|p| p.title.clone())
                            .unwrap_or_default(),
                        i.kind,
                        i.grade,
                        format!("{:.0}", i.base),
                        format!("{:+.0}%", i.adjustment * 100.0),
                        format!("{:.0}", i.adjusted),
                    ]
                })
                .collect();
            print_rows(
                format,
                &[
                    "project",
                    "title",
                    "evaluation",
                    "grade",
                    "base",
                    "adjustment",
                    "adjusted",
                ],
                &rows,
            )
        }
        MonitorCommand::Backup { file } => {
            let s = open(store)?;
            s.backup(&actor(&s)?, &file)?;
            eprintln!("wrote {}", file.display());
            Ok(())
        }
        MonitorCommand::Import { kind, file } => {
            let s = open(store)?;
            let a = actor(&s)?;
            let n = import(&*s, &a, kind, &file)?;
            eprintln!("imported {n} rows from {}", file.display());
            Ok(())
        }
        MonitorCommand::Export { kind, file } => {
            let s = open(store)?;
            let a = actor(&s)?;
            let rows = match kind {
                ExchangeKind::Projects => exchange::project_rows(&s.projects(&a)?),
                ExchangeKind::Kpi => {
                    let values: Vec<_> = s
                        .indicators(&a)?
                        .into_iter()
                        .flat_map(|(_, _, v)| v)
                        .collect();
                    exchange::kpi_rows(&values)
                }
            };
            write_table(kind, &file, &rows)?;
            eprintln!("wrote {} rows to {}", rows.len(), file.display());
            Ok(())
        }
        MonitorCommand::Template { kind, file } => {
            let example = regis_monitor::files::example_row(import_kind(kind));
            write_table(kind, &file, &[example])?;
            eprintln!("wrote {}", file.display());
            Ok(())
        }
        MonitorCommand::Restore { file } => {
            if std::env::var("REGIS_MONITOR_URL").is_ok() {
                return Err(regis_data::DataError::argument(
                    "REGIS_MONITOR_URL is set: a PostgreSQL store is restored with pg_restore, not by Regis",
                )
                .into());
            }
            let backup = SqliteStore::open(&file)?;
            backup.integrity_check()?;
            drop(backup);
            let target = store.join("monitor.sqlite");
            if target.exists() {
                std::fs::rename(&target, store.join("monitor.sqlite.before-restore"))?;
            }
            let tmp = store.join(".monitor.sqlite.restore.tmp");
            std::fs::copy(&file, &tmp)?;
            std::fs::rename(&tmp, &target)?;
            eprintln!(
                "restored {} from {} (previous store kept as monitor.sqlite.before-restore)",
                target.display(),
                file.display()
            );
            Ok(())
        }
    }
}
