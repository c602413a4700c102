//! Login sessions kept in the store, so that a restart does not log everybody out and a
//! revoked token stays revoked. Only a hash of each token is stored (the server hashes it;
//! a copy of the database gives no usable token). These functions trust their caller (the
//! server's session table): they check no actor, as the login itself was checked.

use crate::sql::Tx;
use crate::{Actor, Result, Role};

/// A live session: the token's hash, its user, the CSRF token of its forms and its expiry
/// (seconds since 1970).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// Hash of the bearer or cookie token (hex).
    pub token_hash: String,
    /// Who it belongs to (role and region as they are now in the users table).
    pub actor: Actor,
    /// The CSRF token of the session's forms.
    pub csrf: String,
    /// Expiry, seconds since 1970-01-01 UTC.
    pub expires_at: i64,
}

/// Records a session; expired ones are dropped in the same transaction.
pub fn save(
    tx: &mut dyn Tx,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    expires_at: i64,
    now: i64,
) -> Result<()> {
    tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", &[now.into()])?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
        &[
            token_hash.into(),
            user_id.into(),
            csrf.into(),
            expires_at.into(),
        ],
    )?;
    Ok(())
}

/// Sessions that have not expired at `now`, with their users' current role and region.
pub fn live(tx: &mut dyn Tx, now: i64) -> Result<Vec<StoredSession>> {
    live_where(tx, "1 = 1", &[now.into()])
}

/// The session of a token hash, if it is alive at `now`, with its user's current role and
/// region (a change of role takes effect at the next request).
pub fn find(tx: &mut dyn Tx, token_hash: &str, now: i64) -> Result<Option<StoredSession>> {
    Ok(
        live_where(tx, "s.token_hash = ?2", &[now.into(), token_hash.into()])?
            .into_iter()
            .next(),
    )
}

fn live_where(
    tx: &mut dyn Tx,
    condition: &str,
    params: &[crate::sql::SqlValue],
) -> Result<Vec<StoredSession>> {
    tx.query(
        &format!(
            "SELECT s.token_hash, s.csrf, s.expires_at, u.id, u.username, u.role, u.region
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > ?1 AND {condition}"
        ),
        params,
    )?
    .iter()
    .map(|r| {
        Ok(StoredSession {
            token_hash: r[0].text()?,
            csrf: r[1].text()?,
            expires_at: r[2].int()?,
            actor: Actor {
                user_id: r[3].int()?,
                username: r[4].text()?,
                role: Role::parse(&r[5].text()?).unwrap_or(Role::Public),
                region: r[6].text_opt()?,
            },
        })
    })
    .collect()
}

/// Ends a session (logout or revocation).
pub fn end(tx: &mut dyn Tx, token_hash: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        &[token_hash.into()],
    )?;
    Ok(())
}
