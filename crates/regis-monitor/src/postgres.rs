//! The PostgreSQL store (feature `postgres`): the same schema, rules and audit as the embedded
//! SQLite store, for deployments where several servers share one database. Writes run in one
//! transaction each, lock the row they change (`SELECT … FOR UPDATE`) and check its version, so
//! concurrent writers through any number of connections never overwrite each other.
//!
//! TLS follows the URL's `sslmode`, as libpq does: `disable` plain; `prefer` (the default) TLS
//! when the server and the handshake allow it, plain otherwise; `require` TLS or no connection.
//! Like libpq's `require`, the server's certificate is not checked unless a CA is given:
//! `REGIS_PG_CA=/path/ca.pem` (or [`PgStore::open_with_ca`]) checks the chain and the host name,
//! as libpq's `verify-full`, and then TLS is required whatever the URL says (`disable` with a CA
//! is refused).

use crate::sql::{postgres_placeholders, SqlError, SqlValue, Tx};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls, Row, Transaction};

use crate::auth::{admin, hash_password};
use crate::migrations::{migration, Dialect, MIGRATIONS};
use crate::model::*;
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
        None => {
            // The causes say what failed (a TLS handshake: which certificate check).
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(&format!(": {s}"));
                source = s.source();
            }
            text
        }
    })
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`), creating and
    /// migrating the schema if needed.
    pub fn open(url: &str) -> Result<PgStore> {
        let ca = std::env::var_os("REGIS_PG_CA").map(std::path::PathBuf::from);
        PgStore::open_with_ca(url, ca.as_deref())
    }

    /// [`PgStore::open`] checking the server's certificate against the CA certificates of a
    /// PEM file (chain and host name), or not checking it (`None`).
    pub fn open_with_ca(url: &str, ca: Option<&Path>) -> Result<PgStore> {
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| MonitorError::Storage(format!("database URL: {e}")))?;
        let mode = config.get_ssl_mode();
        if ca.is_some() {
            // A CA asks for a checked, encrypted connection: never fall back to plain text.
            if mode == SslMode::Disable {
                return Err(MonitorError::Storage(
                    "REGIS_PG_CA is set but the database URL says sslmode=disable; remove one"
                        .into(),
                ));
            }
            config.ssl_mode(SslMode::Require);
        }
        let tls = match mode {
            SslMode::Disable => None,
            _ => Some(tls::connector(ca)?),
        };
        let mut pool = Vec::with_capacity(POOL);
        for _ in 0..POOL {
            let client = match &tls {
                None => config.connect(NoTls),
                // `prefer` without a CA, as libpq: TLS when the handshake works, otherwise plain.
                Some(t) if ca.is_none() && mode == SslMode::Prefer => {
                    config.connect(t.clone()).or_else(|_| config.connect(NoTls))
                }
                Some(t) => config.connect(t.clone()),
            };
            pool.push(Mutex::new(client.map_err(storage)?));
        }
        let store = PgStore {
            pool,
            next: AtomicUsize::new(0),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Whether this store's connection is encrypted (PostgreSQL's own view, `pg_stat_ssl`).
    pub fn encrypted(&self) -> Result<bool> {
        let mut c = self.conn()?;
        c.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .map(|r| r.get(0))
        .map_err(storage)
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

impl PgStore {}

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

/// The TLS connector of the PostgreSQL client (rustls with ring).
mod tls {
    use std::path::Path;
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
    use tokio_postgres_rustls::MakeRustlsConnect;

    use crate::{MonitorError, Result};

    fn tls_error(e: impl std::fmt::Display) -> MonitorError {
        MonitorError::Storage(format!("TLS to PostgreSQL: {e}"))
    }

    /// A connector that checks the server against `ca` (chain and name), or only encrypts.
    pub(super) fn connector(ca: Option<&Path>) -> Result<MakeRustlsConnect> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?;
        let config = match ca {
            Some(path) => {
                let mut roots = RootCertStore::empty();
                for cert in CertificateDer::pem_file_iter(path)
                    .map_err(|e| tls_error(format!("{}: {e}", path.display())))?
                {
                    roots
                        .add(cert.map_err(|e| tls_error(format!("{}: {e}", path.display())))?)
                        .map_err(tls_error)?;
                }
                if roots.is_empty() {
                    return Err(tls_error(format!(
                        "{}: no certificate found; expected PEM `CERTIFICATE` blocks",
                        path.display()
                    )));
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            None => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                .with_no_client_auth(),
        };
        Ok(MakeRustlsConnect::new(config))
    }

    /// libpq's `sslmode=require`: the handshake's signatures are verified (the channel is
    /// encrypted to whoever holds the certificate's key), the certificate itself is not.
    #[derive(Debug)]
    struct EncryptOnly(Arc<CryptoProvider>);

    impl ServerCertVerifier for EncryptOnly {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> std::result::Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }
}
