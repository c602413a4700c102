//! The embedded store: SQLite in WAL mode (one file), versioned migrations, one transaction per
//! write with its audit entry, parameterised SQL only.

use crate::sql::{SqlError, SqlValue, Tx};
use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, Transaction};

use crate::auth::{admin, hash_password};
use crate::migrations::{migration, Dialect, MIGRATIONS};
use crate::model::*;
use crate::{MonitorError, Result, Store};

/// SQLite-backed store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

fn storage(e: rusqlite::Error) -> MonitorError {
    MonitorError::Storage(e.to_string())
}

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
