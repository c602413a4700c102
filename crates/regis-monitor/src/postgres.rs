//! The PostgreSQL store (feature `postgres`): the same schema, rules and audit as the embedded
//! SQLite store, for deployments where several servers share one database. Writes run in one
//! transaction each, lock the row they change (`SELECT … FOR UPDATE`) and check its version, so
//! concurrent writers through any number of connections never overwrite each other.

use crate::sql::{postgres_placeholders, SqlError, SqlValue, Tx};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use postgres::{Client, GenericClient, NoTls, Row, Transaction};
use serde_json::json;

use crate::auth::{admin, edit_region, hash_password, verify_password};
use crate::migrations::{migration, Dialect, MIGRATIONS};
use crate::model::*;
use crate::rules::{check_project, status_from, status_id};
use crate::{MonitorError, Result, Store};

/// Connections kept open per store.
const POOL: usize = 4;

/// PostgreSQL-backed store: a small pool of connections to one database.
pub struct PgStore {
    pool: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

fn storage(e: postgres::Error) -> MonitorError {
    // The server's own message says what failed; `Error`'s Display is only "db error".
    MonitorError::Storage(match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    })
}

fn unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn audit(
    tx: &mut Transaction,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at_ms, username, action, entity, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&now_ms(), &actor.username, &action, &entity, &id, &before.to_string(), &after.to_string()],
    )
    .map_err(storage)?;
    Ok(())
}

const PROJECT_COLS: &str = "id, programme_id, title, objective, region, industry, organisation, start_year, end_year, status, version";

fn project_from(r: &Row) -> Project {
    let status: String = r.get(9);
    Project {
        id: r.get(0),
        programme_id: r.get(1),
        title: r.get(2),
        objective: r.get(3),
        region: r.get(4),
        industry: r.get(5),
        organisation: r.get(6),
        start_year: r.get(7),
        end_year: r.get(8),
        status: status_from(&status),
        version: r.get(10),
    }
}

/// One project, locked for the rest of the transaction when `lock` is set.
fn project_in(c: &mut impl GenericClient, id: i64, lock: bool) -> Result<Project> {
    let sql = format!(
        "SELECT {PROJECT_COLS} FROM projects WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    c.query_opt(&sql, &[&id])
        .map_err(storage)?
        .map(|r| project_from(&r))
        .ok_or_else(|| MonitorError::NotFound(format!("project {id}")))
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`), creating and
    /// migrating the schema if needed.
    pub fn open(url: &str) -> Result<PgStore> {
        let mut pool = Vec::with_capacity(POOL);
        for _ in 0..POOL {
            pool.push(Mutex::new(Client::connect(url, NoTls).map_err(storage)?));
        }
        let store = PgStore {
            pool,
            next: AtomicUsize::new(0),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        // Serialises concurrent first starts of several servers on one database.
        tx.execute("SELECT pg_advisory_xact_lock(7305112)", &[])
            .map_err(storage)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS regis_schema (version INTEGER NOT NULL)")
            .map_err(storage)?;
        let done: i32 = tx
            .query_opt("SELECT version FROM regis_schema", &[])
            .map_err(storage)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        for k in (done as usize)..MIGRATIONS.len() {
            tx.batch_execute(&migration(k, Dialect::Postgres))
                .map_err(storage)?;
        }
        tx.execute("DELETE FROM regis_schema", &[])
            .map_err(storage)?;
        tx.execute(
            "INSERT INTO regis_schema (version) VALUES ($1)",
            &[&(MIGRATIONS.len().max(done as usize) as i32)],
        )
        .map_err(storage)?;
        tx.commit().map_err(storage)
    }

    /// A free connection (or the next one in turn, waiting for it).
    fn conn(&self) -> Result<MutexGuard<'_, Client>> {
        for m in &self.pool {
            if let Ok(g) = m.try_lock() {
                return Ok(g);
            }
        }
        let k = self.next.fetch_add(1, Ordering::Relaxed) % self.pool.len();
        self.pool[k]
            .lock()
            .map_err(|_| MonitorError::Storage("connection lock poisoned".into()))
    }
}

impl PgStore {
    fn create_project_tx(
        tx: &mut Transaction,
        actor: &Actor,
        input: &ProjectInput,
    ) -> Result<Project> {
        edit_region(actor, &input.region, "create projects")?;
        check_project(input)?;

        let programme = tx
            .query_opt(
                "SELECT id FROM programmes WHERE id = $1",
                &[&input.programme_id],
            )
            .map_err(storage)?;
        if programme.is_none() {
            return Err(MonitorError::Invalid {
                field: "programme_id",
                message: format!("no programme {}", input.programme_id),
            });
        }
        let row = tx
            .query_one(
                &format!("INSERT INTO projects (programme_id, title, objective, region, industry, organisation, start_year, end_year, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {PROJECT_COLS}"),
                &[&input.programme_id, &input.title, &input.objective, &input.region, &input.industry, &input.organisation, &input.start_year, &input.end_year, &status_id(input.status)],
            )
            .map_err(storage)?;
        let p = project_from(&row);
        audit(
            tx,
            actor,
            "create",
            "project",
            p.id,
            serde_json::Value::Null,
            json!(p),
        )?;
        Ok(p)
    }
}

impl Drop for PgStore {
    /// Closes the connections on a plain thread: the synchronous client blocks on its own event
    /// loop when dropped, which is not allowed on an async runtime's thread (a server shutting
    /// down drops its store there).
    fn drop(&mut self) {
        let pool = std::mem::take(&mut self.pool);
        let _ = std::thread::spawn(move || drop(pool)).join();
    }
}

impl Store for PgStore {
    fn bootstrap_admin(&self, username: &str, password: &str) -> Result<i64> {
        let hash = hash_password(password)?;
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        tx.execute("LOCK TABLE users IN EXCLUSIVE MODE", &[])
            .map_err(storage)?;
        let n: i64 = tx
            .query_one("SELECT COUNT(*) FROM users", &[])
            .map_err(storage)?
            .get(0);
        if n > 0 {
            return Err(MonitorError::Forbidden(
                "the store already has users".into(),
            ));
        }
        let id: i64 = tx
            .query_one("INSERT INTO users (username, password_hash, role, region) VALUES ($1, $2, 'admin', NULL) RETURNING id", &[&username, &hash])
            .map_err(storage)?
            .get(0);
        tx.commit().map_err(storage)?;
        Ok(id)
    }

    fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
        role: Role,
        region: Option<&str>,
    ) -> Result<i64> {
        admin(actor, "create users")?;
        if role == Role::Council && region.is_none() {
            return Err(MonitorError::Invalid {
                field: "region",
                message: "a council member needs a region".into(),
            });
        }
        let hash = hash_password(password)?;
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO users (username, password_hash, role, region) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&username, &hash, &role.id(), &region],
            )
            .map_err(|e| {
                if unique_violation(&e) {
                    MonitorError::Invalid {
                        field: "username",
                        message: format!("`{username}` exists"),
                    }
                } else {
                    storage(e)
                }
            })?
            .get(0);
        audit(
            &mut tx,
            actor,
            "create",
            "user",
            id,
            serde_json::Value::Null,
            json!({"username": username, "role": role, "region": region}),
        )?;
        tx.commit().map_err(storage)?;
        Ok(id)
    }

    fn user_id(&self, actor: &Actor, username: &str) -> Result<Option<i64>> {
        admin(actor, "look up users")?;
        Ok(self
            .conn()?
            .query_opt("SELECT id FROM users WHERE username = $1", &[&username])
            .map_err(storage)?
            .map(|r| r.get(0)))
    }

    fn authenticate(&self, username: &str, password: &str) -> Result<Actor> {
        let row = self
            .conn()?
            .query_opt(
                "SELECT id, password_hash, role, region FROM users WHERE username = $1",
                &[&username],
            )
            .map_err(storage)?;
        match row {
            Some(r) if verify_password(password, r.get::<_, &str>(1)) => Ok(Actor {
                user_id: r.get(0),
                username: username.into(),
                role: Role::parse(r.get(2)).unwrap_or(Role::Public),
                region: r.get(3),
            }),
            _ => Err(MonitorError::Forbidden(
                "unknown user or wrong password".into(),
            )),
        }
    }

    fn create_project(&self, actor: &Actor, input: &ProjectInput) -> Result<Project> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        let p = Self::create_project_tx(&mut tx, actor, input)?;
        tx.commit().map_err(storage)?;
        Ok(p)
    }

    fn import_projects(&self, actor: &Actor, rows: &[ProjectInput]) -> Result<Vec<Project>> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        let mut out = Vec::with_capacity(rows.len());
        for (index, input) in rows.iter().enumerate() {
            out.push(Self::create_project_tx(&mut tx, actor, input).map_err(|e| {
                MonitorError::AtRow {
                    index,
                    error: Box::new(e),
                }
            })?);
        }
        tx.commit().map_err(storage)?;
        Ok(out)
    }

    fn update_project(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        input: &ProjectInput,
    ) -> Result<Project> {
        check_project(input)?;
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        let before = project_in(&mut tx, id, true)?;
        edit_region(actor, &before.region, "edit projects")?;
        edit_region(actor, &input.region, "move projects")?;
        if before.version != expected_version {
            return Err(MonitorError::Conflict {
                entity: "project",
                id,
                expected: expected_version,
                current: before.version,
            });
        }
        let row = tx
            .query_one(
                &format!("UPDATE projects SET programme_id = $1, title = $2, objective = $3, region = $4, industry = $5, organisation = $6, start_year = $7, end_year = $8, status = $9, version = version + 1 WHERE id = $10 AND version = $11 RETURNING {PROJECT_COLS}"),
                &[&input.programme_id, &input.title, &input.objective, &input.region, &input.industry, &input.organisation, &input.start_year, &input.end_year, &status_id(input.status), &id, &expected_version],
            )
            .map_err(storage)?;
        let after = project_from(&row);
        audit(
            &mut tx,
            actor,
            "update",
            "project",
            id,
            json!(before),
            json!(after),
        )?;
        tx.commit().map_err(storage)?;
        Ok(after)
    }

    fn project(&self, actor: &Actor, id: i64) -> Result<Project> {
        let p = project_in(&mut *self.conn()?, id, false)?;
        if p.status == Status::Published || actor.role != Role::Public {
            Ok(p)
        } else {
            Err(MonitorError::NotFound(format!("project {id}")))
        }
    }

    fn projects(&self, actor: &Actor) -> Result<Vec<Project>> {
        let sql = if actor.role == Role::Public {
            format!("SELECT {PROJECT_COLS} FROM projects WHERE status = 'published' ORDER BY id")
        } else {
            format!("SELECT {PROJECT_COLS} FROM projects ORDER BY id")
        };
        Ok(self
            .conn()?
            .query(&sql, &[])
            .map_err(storage)?
            .iter()
            .map(project_from)
            .collect())
    }

    fn backup(&self, actor: &Actor, to: &Path) -> Result<()> {
        admin(actor, "back up the store")?;
        Err(MonitorError::Invalid {
            field: "file",
            message: format!(
                "a PostgreSQL store is backed up with pg_dump (e.g. `pg_dump -Fc -f {} <database>`), not by Regis",
                to.display()
            ),
        })
    }

    /// Checks that the server answers, the schema is at the current migration and no
    /// indicator value or budget line points at a missing parent.
    fn transact(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut c = self.conn()?;
        let mut tx = c.transaction().map_err(storage)?;
        work(&mut PgTx(&mut tx))?;
        tx.commit().map_err(storage)
    }

    fn integrity_check(&self) -> Result<()> {
        let mut c = self.conn()?;
        let v: i32 = c
            .query_one("SELECT version FROM regis_schema", &[])
            .map_err(storage)?
            .get(0);
        if v as usize != MIGRATIONS.len() {
            return Err(MonitorError::Storage(format!(
                "schema at migration {v}, this build expects {}",
                MIGRATIONS.len()
            )));
        }
        let orphans: i64 = c
            .query_one("SELECT (SELECT COUNT(*) FROM indicator_values v LEFT JOIN indicators i ON i.id = v.indicator_id WHERE i.id IS NULL) + (SELECT COUNT(*) FROM budget_lines b LEFT JOIN projects p ON p.id = b.project_id WHERE p.id IS NULL)", &[])
            .map_err(storage)?
            .get(0);
        if orphans > 0 {
            return Err(MonitorError::Storage(format!(
                "{orphans} rows point at missing parents"
            )));
        }
        Ok(())
    }
}

/// A NULL parameter of whatever type the statement expects (the column types differ).
#[derive(Debug)]
struct AnyNull;

impl postgres::types::ToSql for AnyNull {
    fn to_sql(
        &self,
        _: &postgres::types::Type,
        _: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        Ok(postgres::types::IsNull::Yes)
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// [`Tx`] over a PostgreSQL transaction.
struct PgTx<'a, 'c>(&'a mut Transaction<'c>);

fn sql_error(e: postgres::Error) -> SqlError {
    let message = match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    };
    match e.code() {
        Some(c) if *c == postgres::error::SqlState::UNIQUE_VIOLATION => SqlError::Unique(message),
        Some(c) if *c == postgres::error::SqlState::FOREIGN_KEY_VIOLATION => {
            SqlError::ForeignKey(message)
        }
        _ => SqlError::Other(message),
    }
}

fn pg_params(params: &[SqlValue]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
            match p {
                SqlValue::Null => Box::new(AnyNull),
                SqlValue::Int(v) => Box::new(*v),
                SqlValue::Int32(v) => Box::new(*v),
                SqlValue::Float(v) => Box::new(*v),
                SqlValue::Text(v) => Box::new(v.clone()),
            }
        })
        .collect()
}

fn pg_value(row: &Row, i: usize) -> Result<SqlValue, SqlError> {
    use postgres::types::Type;
    let ty = row.columns()[i].type_().clone();
    let got = |e: postgres::Error| SqlError::Other(format!("column {i}: {e}"));
    Ok(if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)
            .map_err(got)?
            .map_or(SqlValue::Null, SqlValue::Int)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)
            .map_err(got)?
            .map_or(SqlValue::Null, SqlValue::Int32)
    } else if ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(i)
            .map_err(got)?
            .map_or(SqlValue::Null, SqlValue::Float)
    } else {
        row.try_get::<_, Option<String>>(i)
            .map_err(got)?
            .map_or(SqlValue::Null, SqlValue::Text)
    })
}

impl Tx for PgTx<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, SqlError> {
        let owned = pg_params(params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            owned.iter().map(|b| b.as_ref()).collect();
        self.0
            .execute(postgres_placeholders(sql).as_str(), &refs)
            .map_err(sql_error)
    }

    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, SqlError> {
        let owned = pg_params(params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            owned.iter().map(|b| b.as_ref()).collect();
        let rows = self
            .0
            .query(postgres_placeholders(sql).as_str(), &refs)
            .map_err(sql_error)?;
        rows.iter()
            .map(|r| (0..r.len()).map(|i| pg_value(r, i)).collect())
            .collect()
    }

    fn insert(&mut self, sql: &str, params: &[SqlValue]) -> Result<i64, SqlError> {
        let owned = pg_params(params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            owned.iter().map(|b| b.as_ref()).collect();
        let sql = format!("{} RETURNING id", postgres_placeholders(sql));
        self.0
            .query_one(sql.as_str(), &refs)
            .map(|r| r.get(0))
            .map_err(sql_error)
    }

    fn for_update(&self) -> &'static str {
        " FOR UPDATE"
    }
}
