//! Login sessions: random tokens from the operating system, kept in the monitoring store by
//! their hash (looked up there on every request), or in this process when the server runs
//! without a store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::http::StatusCode;
use regis_monitor::{Actor, Store};

use crate::error::AppError;
use crate::monitor_api::blocking;
use crate::AppState;

/// How long a login token lives.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(8 * 3600);

/// Live sessions by the hash of their token: (actor, expiry in seconds since 1970, the CSRF
/// token of the web pages' forms), for a server without a monitoring store. With a store the
/// store holds them (hashed) and decides every lookup, so a restart keeps everybody logged in,
/// servers sharing the store agree, and a logout is final; this table then stays empty.
#[derive(Default)]
pub struct Sessions {
    tokens: Mutex<HashMap<String, (Actor, i64, String)>>,
}

/// 32 random bytes from the operating system's generator, as hex; None when the generator
/// fails (the caller refuses rather than fall back to anything guessable).
pub(crate) fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    regis_monitor::auth::os_random(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The stored form of a token: BLAKE2s-256 (Aumasson et al. 2013), hex. Tokens are 256
/// random bits, so a fast hash is enough to make a copy of the store useless for logging in.
fn token_hash(token: &str) -> String {
    use blake2::Digest;
    blake2::Blake2s256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Sessions {
    /// A new session's token; 503 when the OS generator cannot give one, 500 when the store
    /// cannot record it (then no session exists).
    pub(crate) async fn issue(&self, s: &AppState, actor: Actor) -> Result<String, AppError> {
        let unavailable = || AppError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "no-randomness",
            message: "the operating system's random generator failed; no session can be issued"
                .into(),
        };
        let token = random_token().ok_or_else(unavailable)?;
        let csrf = random_token().ok_or_else(unavailable)?;
        let hash = token_hash(&token);
        let now = unix_now();
        let expires = now + TOKEN_LIFETIME.as_secs() as i64;
        if s.monitor.is_some() {
            // The store is the record; nothing is kept here.
            let user = actor.user_id;
            blocking(s, move |st| {
                st.save_session(&hash, user, &csrf, expires, now)
            })
            .await?;
            return Ok(token);
        }
        let mut t = self
            .tokens
            .lock()
            .map_err(|_| AppError::internal("session table poisoned"))?;
        t.retain(|_, (_, exp, _)| *exp > now);
        t.insert(hash, (actor, expires, csrf));
        Ok(token)
    }

    /// The sessions alive in the store at start-up (it answers every lookup, so nothing needs
    /// loading); how many.
    pub fn restore(&self, store: &dyn Store) -> regis_monitor::Result<usize> {
        Ok(store.live_sessions(unix_now())?.len())
    }

    /// The actor of a live session.
    pub(crate) async fn actor(&self, s: &AppState, token: &str) -> Option<Actor> {
        self.session(s, token).await.map(|x| x.0)
    }

    /// The actor and CSRF token of a live session. With a store the store decides (so that
    /// servers sharing one database agree on logins and logouts, and a user's current role
    /// and region apply); a store that cannot answer means no session (fail closed). Without
    /// a store, the sessions of this process.
    pub(crate) async fn session(&self, s: &AppState, token: &str) -> Option<(Actor, String)> {
        let hash = token_hash(token);
        if s.monitor.is_some() {
            let h = hash.clone();
            return blocking(s, move |st| st.find_session(&h, unix_now()))
                .await
                .ok()
                .flatten()
                .map(|f| (f.actor, f.csrf));
        }
        let t = self.tokens.lock().ok()?;
        t.get(&hash)
            .filter(|(_, exp, _)| *exp > unix_now())
            .map(|(a, _, c)| (a.clone(), c.clone()))
    }

    /// Ends a session: in the store when there is one (a failed delete leaves it live, so the
    /// user can retry), else in this process.
    pub(crate) async fn end(&self, s: &AppState, token: &str) -> Result<(), AppError> {
        let hash = token_hash(token);
        if s.monitor.is_some() {
            blocking(s, move |st| st.end_session(&hash)).await?;
            return Ok(());
        }
        if let Ok(mut t) = self.tokens.lock() {
            t.remove(&hash);
        }
        Ok(())
    }
}
