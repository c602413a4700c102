//! What stands between the network and the handlers: security headers and panic containment on
//! every response, the bounded pool that runs CPU-heavy requests off the async workers, login
//! throttling with a bound on concurrent password checks, and the [`Writer`] extractor that
//! authenticates a write before its body is read.
//!
//! Invariants: every response carries the security headers; a panicking handler answers 500,
//! never a dropped connection; heavy work never runs on an async worker and never queues
//! without bound (503 + Retry-After); a write route answers 401 to the anonymous and 403 to a
//! role that may never use it before a byte of its body is read.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use regis_monitor::{Actor, Role};

use crate::error::AppError;
use crate::AppState;

/// The Content-Security-Policy of every response: the site's own scripts, styles, images and
/// form targets only (inline styles allowed: the SVG figures carry style attributes; no
/// inline script), no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response and turns a panic in a handler into a 500
/// answer (logged), so a connection is never dropped without a status.
pub async fn harden(request: Request, next: Next) -> Response {
    let mut response = match (CatchUnwind {
        inner: Box::pin(next.run(request)),
    })
    .await
    {
        Ok(r) => r,
        Err(message) => {
            AppError::internal(format!("a handler panicked: {message}")).into_response()
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// A future whose panics become `Err(message)`.
struct CatchUnwind<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(p) => Poll::Ready(Err(p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into()))),
        }
    }
}

/// The bounded pool for CPU-heavy requests (max-p regions, labour-market areas, strategy,
/// clusters, maps, downloads): at most `workers` run at once on blocking threads, at most
/// `queue` wait, each has `time_limit` to answer, and the methods of each use at most
/// `threads_per_request` threads (the cores divided among the workers).
pub struct HeavyPool {
    permits: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
    /// Threads each request's methods may use: the cores shared among the workers.
    pub threads_per_request: usize,
    /// Requests that may wait for a worker.
    pub queue: usize,
    /// Time a request may take, waiting included.
    pub time_limit: Duration,
}

impl Default for HeavyPool {
    /// One worker fewer than the cores (at least one), so cheap requests keep a core; 32
    /// waiting; 60 seconds.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HeavyPool::new(cores.saturating_sub(1).max(1), 32, Duration::from_secs(60))
    }
}

impl HeavyPool {
    /// A pool of `workers`, `queue` waiting places and a per-request time limit.
    pub fn new(workers: usize, queue: usize, time_limit: Duration) -> HeavyPool {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        HeavyPool {
            permits: Arc::new(tokio::sync::Semaphore::new(workers.max(1))),
            waiting: AtomicUsize::new(0),
            threads_per_request: (cores / workers.max(1)).max(1),
            queue,
            time_limit,
        }
    }
}

fn busy(message: &str, retry_after: u64) -> Response {
    let mut r = AppError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: "busy",
        message: message.into(),
    }
    .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    r
}

/// Runs the rest of the request (the heavy handler) on a blocking thread of the bounded pool:
/// 503 + Retry-After when the queue is full or the time limit passes.
pub async fn heavy(State(s): State<AppState>, request: Request, next: Next) -> Response {
    let handle = tokio::runtime::Handle::current();
    let future = next.run(request);
    in_pool(&s.heavy, move || handle.block_on(future))
        .await
        .unwrap_or_else(|busy| busy)
}

/// Runs `work` on a blocking thread of the bounded pool with the request's thread budget, or
/// answers 503 + Retry-After when the queue is full or the time limit passes. For handlers
/// that read their body first (an upload) and hold a worker only for the computation.
pub(crate) async fn in_pool<T: Send + 'static>(
    pool: &Arc<HeavyPool>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    let pool = pool.clone();
    // The place in the queue is given back when this future ends in any way, a client that
    // disconnects while waiting included (the future is then dropped).
    let place = Waiting::enter(&pool);
    if place.ahead >= pool.queue + pool.permits.available_permits() {
        return Err(busy(
            "the server is busy with heavy requests; retry shortly",
            5,
        ));
    }
    let deadline = tokio::time::Instant::now() + pool.time_limit;
    let permit = tokio::time::timeout_at(deadline, pool.permits.clone().acquire_owned()).await;
    drop(place);
    let permit = match permit {
        Ok(Ok(p)) => p,
        _ => {
            return Err(busy(
                "the server is busy with heavy requests; retry shortly",
                10,
            ))
        }
    };
    let threads = pool.threads_per_request;
    let task = tokio::task::spawn_blocking(move || {
        // The methods this request calls share the cores with the other workers' requests.
        let r = regis_app::with_thread_budget(threads, work);
        drop(permit);
        r
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(AppError::internal(format!("a heavy handler failed: {e}")).into_response()),
        Err(_) => Err(busy(
            "the request took longer than the server allows; narrow it (fewer periods, a higher threshold) or retry later",
            30,
        )),
    }
}

/// [`heavy`] for requests that read a stored measure (loaded from disk on each request),
/// inline for the built-in ones (in memory, cheap): `/api/v1/values` keeps its latency for the
/// built-in data while an imported measure cannot stall the async workers.
pub async fn heavy_unless_builtin(s: State<AppState>, request: Request, next: Next) -> Response {
    let stored = request.uri().query().is_some_and(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map(|pairs| {
                pairs.iter().any(|(k, v)| {
                    k == "measure" && !regis_data::korea::MEASURE_IDS.contains(&v.as_str())
                })
            })
            .unwrap_or(false)
    });
    if stored {
        heavy(s, request, next).await
    } else {
        next.run(request).await
    }
}

/// A place in the heavy pool's queue, given back on drop.
struct Waiting {
    pool: Arc<HeavyPool>,
    /// Requests that were waiting before this one.
    ahead: usize,
}

impl Waiting {
    fn enter(pool: &Arc<HeavyPool>) -> Waiting {
        let ahead = pool.waiting.fetch_add(1, Ordering::SeqCst);
        Waiting {
            pool: pool.clone(),
            ahead,
        }
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.pool.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Failed logins, counted per (account, client address), per address and per account, each
/// with its own allowance before an exponential wait; and a bound on concurrent password checks
/// (each Argon2id check holds about 19 MiB).
///
/// An attempt counts as a failure when its check *starts*, and is taken back when it succeeds,
/// so a client that disconnects during the check cannot escape the count. The permit for the
/// check travels with the check onto its blocking thread.
pub struct LoginGuard {
    failures: Mutex<HashMap<String, Failures>>,
    checks: Arc<tokio::sync::Semaphore>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Default for LoginGuard {
    fn default() -> Self {
        LoginGuard {
            failures: Mutex::new(HashMap::new()),
            checks: Arc::new(tokio::sync::Semaphore::new(LoginGuard::CONCURRENT_CHECKS)),
        }
    }
}

/// What the guard says of a login attempt.
pub enum Attempt {
    /// Go ahead; keep the permit while the password is checked.
    Go(tokio::sync::OwnedSemaphorePermit),
    /// Refused for this long (429).
    Wait(Duration),
    /// Too many checks running (503).
    Busy,
}

impl LoginGuard {
    /// Failures of one account from one address that cost nothing; each one after doubles the
    /// wait (1 s, 2 s, 4 s ... 15 min).
    pub const FREE_FAILURES: u32 = 5;
    /// Failures from one client address, all accounts together (an address may be a whole
    /// office behind one proxy).
    pub const FREE_FAILURES_PER_ADDRESS: u32 = 20;
    /// Failures of one account from all addresses together: high, so that a stranger cannot
    /// easily lock a user out, yet a spread-out guessing campaign is slowed.
    pub const FREE_FAILURES_PER_ACCOUNT: u32 = 50;
    /// Failures are forgotten after this long without another (longer than the longest wait).
    pub const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
    /// Password checks at once.
    pub const CONCURRENT_CHECKS: usize = 4;
    /// Most remembered keys; past it the expired and then the oldest are dropped.
    const MAX_KEYS: usize = 100_000;

    fn keys(username: &str, client: Option<IpAddr>) -> Vec<(String, u32)> {
        // User names are cut to 64 characters for the key: a long one costs no more memory.
        let user: String = username.trim().to_lowercase().chars().take(64).collect();
        let addr = client.map_or_else(|| "-".to_string(), |ip| ip.to_string());
        let mut k = vec![
            (format!("pair:{user}@{addr}"), Self::FREE_FAILURES),
            (format!("user:{user}"), Self::FREE_FAILURES_PER_ACCOUNT),
        ];
        if client.is_some() {
            k.push((format!("addr:{addr}"), Self::FREE_FAILURES_PER_ADDRESS));
        }
        k
    }

    fn wait_for(free: u32, f: &Failures, now: Instant) -> Duration {
        if f.count < free || now.duration_since(f.last) >= Self::FORGET_AFTER {
            return Duration::ZERO;
        }
        let backoff =
            Duration::from_secs(1u64 << (f.count - free).min(10)).min(Duration::from_secs(15 * 60));
        (f.last + backoff).saturating_duration_since(now)
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        // A poisoned table is still a table: the throttle never turns itself off.
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether an attempt for `username` from `client` may check a password now; when it may,
    /// the attempt is counted as a failure until [`LoginGuard::succeeded`] takes it back.
    pub fn begin(&self, username: &str, client: Option<IpAddr>) -> Attempt {
        let now = Instant::now();
        let keys = Self::keys(username, client);
        let mut map = self.table();
        let wait = keys
            .iter()
            .filter_map(|(k, free)| map.get(k).map(|f| Self::wait_for(*free, f, now)))
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            return Attempt::Wait(wait);
        }
        let permit = match self.checks.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => return Attempt::Busy,
        };
        for (k, _) in keys {
            let f = map.entry(k).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(f.last) >= Self::FORGET_AFTER {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
        }
        if map.len() > Self::MAX_KEYS {
            map.retain(|_, f| now.duration_since(f.last) < Self::FORGET_AFTER);
            if map.len() > Self::MAX_KEYS {
                let mut ages: Vec<Instant> = map.values().map(|f| f.last).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 2];
                map.retain(|_, f| f.last > cut);
            }
        }
        Attempt::Go(permit)
    }

    /// A checked attempt succeeded: the account's counts are cleared and the address's count
    /// is given back the attempt.
    pub fn succeeded(&self, username: &str, client: Option<IpAddr>) {
        let mut map = self.table();
        for (k, _) in Self::keys(username, client) {
            if k.starts_with("addr:") {
                if let Some(f) = map.get_mut(&k) {
                    f.count = f.count.saturating_sub(1);
                }
            } else {
                map.remove(&k);
            }
        }
    }
}

/// Why a login did not succeed.
pub enum LoginRefusal {
    /// Too many failures for the account or the address: wait this long (429).
    Throttled(Duration),
    /// Too many password checks at once (503).
    Busy,
    /// Wrong credentials (401) or another error.
    Error(AppError),
}

impl LoginRefusal {
    /// The refusal as an error, and the Retry-After seconds it calls for.
    pub fn error(self) -> (AppError, Option<u64>) {
        match self {
            LoginRefusal::Throttled(wait) => (
                AppError {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    code: "too-many-attempts",
                    message: format!(
                        "too many failed logins for this account or address; wait {} s before trying again",
                        wait.as_secs().max(1)
                    ),
                },
                Some(wait.as_secs().max(1)),
            ),
            LoginRefusal::Busy => (
                AppError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    code: "busy",
                    message: "too many logins at once; retry in a second".into(),
                },
                Some(1),
            ),
            LoginRefusal::Error(e) => (e, None),
        }
    }
}

/// Checks a user name and password under the guard: throttled accounts and addresses are
/// refused without a password check, checks run on the blocking pool within the bound, and
/// the outcome is recorded. Both the API and the login page call this.
pub async fn log_in(
    s: &AppState,
    username: String,
    password: String,
    client: Option<IpAddr>,
) -> Result<Actor, LoginRefusal> {
    let permit = match s.login.begin(&username, client) {
        Attempt::Go(p) => p,
        Attempt::Wait(w) => return Err(LoginRefusal::Throttled(w)),
        Attempt::Busy => return Err(LoginRefusal::Busy),
    };
    let user = username.clone();
    let outcome = crate::monitor_api::blocking_raw(s, move |st| {
        // The permit is held by the check itself, on its thread, until it ends.
        let _permit = permit;
        st.authenticate(&user, &password)
    })
    .await
    .map_err(LoginRefusal::Error)?;
    if outcome.is_ok() {
        s.login.succeeded(&username, client);
    }
    outcome.map_err(|e| LoginRefusal::Error(e.into()))
}

/// The client's address (the connection's peer when the server runs with connect info; None
/// in in-process tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Roles, as bits of [`Writer`]'s parameter.
pub const ADMIN: u8 = 1;
/// A regional council member.
pub const COUNCIL: u8 = 2;
/// An evaluator.
pub const EVALUATOR: u8 = 4;

/// The role names of a role mask, for the OpenAPI document (`x-regis-roles`) and messages.
pub fn role_names(mask: u8) -> Vec<&'static str> {
    [
        (ADMIN, "admin"),
        (COUNCIL, "council"),
        (EVALUATOR, "evaluator"),
    ]
    .into_iter()
    .filter(|(bit, _)| mask & bit != 0)
    .map(|(_, n)| n)
    .collect()
}

/// The caller of a write route whose role is one of `ROLES` (a mask of [`ADMIN`],
/// [`COUNCIL`], [`EVALUATOR`]). Extracted from the headers alone, so it runs before the body
/// is read: no or a bad token 401, a role outside `ROLES` 403. The store still checks the
/// region and the record.
pub struct Writer<const ROLES: u8>(pub Actor);

impl<const ROLES: u8> FromRequestParts<AppState> for Writer<ROLES> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, AppError> {
        let actor = crate::monitor_api::caller(s, &parts.headers).await?;
        let bit = match actor.role {
            Role::Admin => ADMIN,
            Role::Council => COUNCIL,
            Role::Evaluator => EVALUATOR,
            Role::Public => 0,
        };
        if bit == 0 {
            return Err(AppError {
                status: StatusCode::UNAUTHORIZED,
                code: "unauthorized",
                message: "log in first: writes need `Authorization: Bearer <token>` from POST /api/v1/auth/login".into(),
            });
        }
        if ROLES & bit == 0 {
            return Err(AppError {
                status: StatusCode::FORBIDDEN,
                code: "forbidden",
                message: format!(
                    "role {} may not do this; it is for: {}",
                    actor.role.id(),
                    role_names(ROLES).join(", ")
                ),
            });
        }
        Ok(Writer(actor))
    }
}
