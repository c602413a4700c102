//! The embedded store: SQLite in WAL mode (one file), versioned migrations, one transaction per
//! write with its audit entry, parameterised SQL only.

use crate::sql::{SqlError, SqlValue, Tx};
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;

use crate::auth::{admin, edit_region, hash_password, verify_password};
use crate::migrations::{migration, Dialect, MIGRATIONS};
use crate::model::*;
use crate::rules::{check_project, status_from, status_id};
use crate::{MonitorError, Result, Store};

/// SQLite-backed store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn storage(e: rusqlite::Error) -> MonitorError {
    MonitorError::Storage(e.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn audit(
    tx: &Transaction,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at_ms, username, action, entity, entity_id, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![now_ms(), actor.username, action, entity, id, before.to_string(), after.to_string()],
    )
    .map_err(storage)?;
    Ok(())
}

fn project_from(row: &rusqlite::Row) -> rusqlite::Result<Project> {
    let status: String = row.get(9)?;
    Ok(Project {
        id: row.get(0)?,
        programme_id: row.get(1)?,
        title: row.get(2)?,
        objective: row.get(3)?,
        region: row.get(4)?,
        industry: row.get(5)?,
        organisation: row.get(6)?,
        start_year: row.get(7)?,
        end_year: row.get(8)?,
        status: status_from(&status),
        version: row.get(10)?,
    })
}

const PROJECT_COLS: &str = "id, programme_id, title, objective, region, industry, organisation, start_year, end_year, status, version";

impl SqliteStore {
    /// Opens (creating and migrating if needed) a store file.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(path).map_err(storage)?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;").map_err(storage)?;
        let store = SqliteStore {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&self) -> Result<()> {
        let mut c = self.lock()?;
        let done: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(storage)?;
        for k in (done as usize)..MIGRATIONS.len() {
            let tx = c.transaction().map_err(storage)?;
            tx.execute_batch(&migration(k, Dialect::Sqlite))
                .map_err(storage)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", k + 1))
                .map_err(storage)?;
            tx.commit().map_err(storage)?;
        }
        Ok(())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| MonitorError::Storage("connection lock poisoned".into()))
    }

    fn create_project_tx(tx: &Transaction, actor: &Actor, input: &ProjectInput) -> Result<Project> {
        edit_region(actor, &input.region, "create projects")?;
        check_project(input)?;

        tx.execute(
            "INSERT INTO projects (programme_id, title, objective, region, industry, organisation, start_year, end_year, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![input.programme_id, input.title, input.objective, input.region, input.industry, input.organisation, input.start_year, input.end_year, status_id(input.status)],
        )
        .map_err(|e| if e.to_string().contains("FOREIGN KEY") { MonitorError::Invalid { field: "programme_id", message: format!("no programme {}", input.programme_id) } } else { storage(e) })?;
        let p = Self::project_tx(tx, tx.last_insert_rowid())?;
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

    fn project_tx(tx: &Transaction, id: i64) -> Result<Project> {
        tx.query_row(
            &format!("SELECT {PROJECT_COLS} FROM projects WHERE id = ?1"),
            params![id],
            project_from,
        )
        .optional()
        .map_err(storage)?
        .ok_or_else(|| MonitorError::NotFound(format!("project {id}")))
    }
}

impl Store for SqliteStore {
    fn bootstrap_admin(&self, username: &str, password: &str) -> Result<i64> {
        let hash = hash_password(password)?;
        let c = self.lock()?;
        let n: i64 = c
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
            .map_err(storage)?;
        if n > 0 {
            return Err(MonitorError::Forbidden(
                "the store already has users".into(),
            ));
        }
        c.execute("INSERT INTO users (username, password_hash, role, region) VALUES (?1, ?2, 'admin', NULL)", params![username, hash]).map_err(storage)?;
        Ok(c.last_insert_rowid())
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
        let mut c = self.lock()?;
        let tx = c.transaction().map_err(storage)?;
        tx.execute(
            "INSERT INTO users (username, password_hash, role, region) VALUES (?1, ?2, ?3, ?4)",
            params![username, hash, role.id(), region],
        )
        .map_err(|e| {
            if e.to_string().contains("UNIQUE") {
                MonitorError::Invalid {
                    field: "username",
                    message: format!("`{username}` exists"),
                }
            } else {
                storage(e)
            }
        })?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
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
        let c = self.lock()?;
        c.query_row(
            "SELECT id FROM users WHERE username = ?1",
            params![username],
            |r| r.get(0),
        )
        .optional()
        .map_err(storage)
    }

    fn authenticate(&self, username: &str, password: &str) -> Result<Actor> {
        let c = self.lock()?;
        let row: Option<(i64, String, String, Option<String>)> = c
            .query_row(
                "SELECT id, password_hash, role, region FROM users WHERE username = ?1",
                params![username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(storage)?;
        match row {
            Some((id, hash, role, region)) if verify_password(password, &hash) => Ok(Actor {
                user_id: id,
                username: username.into(),
                role: Role::parse(&role).unwrap_or(Role::Public),
                region,
            }),
            _ => Err(MonitorError::Forbidden(
                "unknown user or wrong password".into(),
            )),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn create_project(&self, actor: &Actor, input: &ProjectInput) -> Result<Project> {
        let mut c = self.lock()?;
        let tx = c.transaction().map_err(storage)?;
        let p = Self::create_project_tx(&tx, actor, input)?;
        tx.commit().map_err(storage)?;
        Ok(p)
    }

    fn import_projects(&self, actor: &Actor, rows: &[ProjectInput]) -> Result<Vec<Project>> {
        let mut c = self.lock()?;
        let tx = c.transaction().map_err(storage)?;
        let mut out = Vec::with_capacity(rows.len());
        for (index, input) in rows.iter().enumerate() {
            out.push(Self::create_project_tx(&tx, actor, input).map_err(|e| {
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
        let mut c = self.lock()?;
        let tx = c.transaction().map_err(storage)?;
        let before = Self::project_tx(&tx, id)?;
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
        tx.execute(
            "UPDATE projects SET programme_id = ?1, title = ?2, objective = ?3, region = ?4, industry = ?5, organisation = ?6, start_year = ?7, end_year = ?8, status = ?9, version = version + 1 WHERE id = ?10 AND version = ?11",
            params![input.programme_id, input.title, input.objective, input.region, input.industry, input.organisation, input.start_year, input.end_year, status_id(input.status), id, expected_version],
        )
        .map_err(storage)?;
        let after = Self::project_tx(&tx, id)?;
        audit(
            &tx,
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
        let c = self.lock()?;
        let p = c
            .query_row(
                &format!("SELECT {PROJECT_COLS} FROM projects WHERE id = ?1"),
                params![id],
                project_from,
            )
            .optional()
            .map_err(storage)?;
        match p {
            Some(p) if p.status == Status::Published || actor.role != Role::Public => Ok(p),
            _ => Err(MonitorError::NotFound(format!("project {id}"))),
        }
    }

    fn projects(&self, actor: &Actor) -> Result<Vec<Project>> {
        let c = self.lock()?;
        let sql = if actor.role == Role::Public {
            format!("SELECT {PROJECT_COLS} FROM projects WHERE status = 'published' ORDER BY id")
        } else {
            format!("SELECT {PROJECT_COLS} FROM projects ORDER BY id")
        };
        let mut st = c.prepare(&sql).map_err(storage)?;
        let rows = st.query_map([], project_from).map_err(storage)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(storage)
    }

    fn backup(&self, actor: &Actor, to: &Path) -> Result<()> {
        admin(actor, "back up the store")?;
        if to.exists() {
            return Err(MonitorError::Invalid {
                field: "file",
                message: format!("{} exists; choose a new file", to.display()),
            });
        }
        let c = self.lock()?;
        // VACUUM INTO writes a consistent, compacted copy in one statement.
        c.execute("VACUUM INTO ?1", params![to.display().to_string()])
            .map_err(storage)?;
        Ok(())
    }

    fn transact(&self, work: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut c = self.lock()?;
        let tx = c.transaction().map_err(storage)?;
        work(&mut SqliteTx(&tx))?;
        tx.commit().map_err(storage)
    }

    fn integrity_check(&self) -> Result<()> {
        let c = self.lock()?;
        let r: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(storage)?;
        if r == "ok" {
            Ok(())
        } else {
            Err(MonitorError::Storage(format!("integrity check: {r}")))
        }
    }
}

/// [`Tx`] over a rusqlite transaction.
struct SqliteTx<'a, 'c>(&'a Transaction<'c>);

fn sql_error(e: rusqlite::Error) -> SqlError {
    use rusqlite::ffi::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == ErrorCode::ConstraintViolation
                && f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            SqlError::Unique(e.to_string())
        }
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            SqlError::ForeignKey(e.to_string())
        }
        _ => SqlError::Other(e.to_string()),
    }
}

fn sqlite_params(params: &[SqlValue]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p {
            SqlValue::Null => rusqlite::types::Value::Null,
            SqlValue::Int(v) => rusqlite::types::Value::Integer(*v),
            SqlValue::Int32(v) => rusqlite::types::Value::Integer(i64::from(*v)),
            SqlValue::Float(v) => rusqlite::types::Value::Real(*v),
            SqlValue::Text(v) => rusqlite::types::Value::Text(v.clone()),
        })
        .collect()
}

impl Tx for SqliteTx<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[SqlValue]) -> Result<u64, SqlError> {
        self.0
            .execute(sql, rusqlite::params_from_iter(sqlite_params(params)))
            .map(|n| n as u64)
            .map_err(sql_error)
    }

    fn query(&mut self, sql: &str, params: &[SqlValue]) -> Result<Vec<Vec<SqlValue>>, SqlError> {
        let mut st = self.0.prepare_cached(sql).map_err(sql_error)?;
        let columns = st.column_count();
        let rows = st
            .query_map(rusqlite::params_from_iter(sqlite_params(params)), |r| {
                (0..columns)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => SqlValue::Null,
                            rusqlite::types::ValueRef::Integer(v) => SqlValue::Int(v),
                            rusqlite::types::ValueRef::Real(v) => SqlValue::Float(v),
                            rusqlite::types::ValueRef::Text(t) => {
                                SqlValue::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            rusqlite::types::ValueRef::Blob(_) => SqlValue::Null,
                        })
                    })
                    .collect::<rusqlite::Result<Vec<SqlValue>>>()
            })
            .map_err(sql_error)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql_error)
    }

    fn insert(&mut self, sql: &str, params: &[SqlValue]) -> Result<i64, SqlError> {
        self.execute(sql, params)?;
        Ok(self.0.last_insert_rowid())
    }

    fn for_update(&self) -> &'static str {
        ""
    }
}
