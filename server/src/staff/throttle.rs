//! The login throttle and the bound on password hashing.
//!
//! **Attempts are reserved before any password is checked.** Each login first takes one
//! attempt for its e-mail and one for its client address with a single atomic upsert per key
//! (`INSERT … ON CONFLICT DO UPDATE … RETURNING attempts`, the same SQL on SQLite and
//! PostgreSQL; the row is locked by the statement, so concurrent logins for one key get
//! consecutive counts). Only a login whose reservations are within the limits goes on to the
//! hash. So 40 simultaneous logins for one e-mail check at most [`EMAIL_LIMIT`] passwords;
//! the rest are refused (429) without hashing. A window starts with its first attempt and
//! lasts [`WINDOW`]; a successful login clears its e-mail's count and gives back its address
//! attempt (the address count is failures, so an office behind one address is not locked out
//! by its own successful logins). The counts live in the database (`staff_login_attempts`),
//! so every instance sees the same ones.
//!
//! **Hashing is bounded.** An argon2id check takes ~19 MiB and tens of milliseconds of one
//! core. [`Hashing`] runs at most `permits` at once (the machine's cores, fewer when memory is
//! short) on the blocking pool, with at most `queue` logins waiting; past that, or after
//! waiting [`MAX_WAIT`], the login is answered 503 with `Retry-After`. Memory for hashing is
//! thus bounded by `permits × 19 MiB`, however many logins arrive.

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Semaphore;

use super::auth;
use super::db::{Db, ts, write};
use crate::config::Settings;

/// Attempts per e-mail within a window (a reservation counts until a success clears it).
pub const EMAIL_LIMIT: i64 = 5;
/// Failed attempts per client address within a window, across accounts.
pub const ADDRESS_LIMIT: i64 = 20;
/// The window.
pub const WINDOW: time::Duration = time::Duration::minutes(15);
/// Longest wait for a hashing slot before answering 503.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// Memory one argon2 check takes (the OWASP minimum parameters of [`auth`]).
const HASH_MIB: u64 = 19;

/// Why a login may not check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Too many attempts for this e-mail or from this address (429).
    Locked,
    /// No hashing slot free soon enough (503, retry in a few seconds).
    Busy,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::Locked => "too many login attempts",
            Refused::Busy => "every password-hashing slot is busy",
        })
    }
}

impl std::error::Error for Refused {}

fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

fn address_key(ip: IpAddr) -> String {
    // One key per IPv6 /64: a host has a whole /64 to rotate through.
    match ip {
        IpAddr::V4(v4) => format!("addr:{v4}"),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return format!("addr:{v4}");
            }
            let s = v6.segments();
            format!("addr:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// Takes one attempt for `key` and returns the attempts in its window, this one included.
async fn take(db: &Db, key: &str, now: OffsetDateTime) -> anyhow::Result<i64> {
    let sql = format!(
        "INSERT INTO staff_login_attempts (key, window_start, attempts) VALUES ($1, {now}, 1)
         ON CONFLICT (key) DO UPDATE SET
           attempts = CASE WHEN staff_login_attempts.window_start < {since} THEN 1
                           ELSE staff_login_attempts.attempts + 1 END,
           window_start = CASE WHEN staff_login_attempts.window_start < {since} THEN excluded.window_start
                               ELSE staff_login_attempts.window_start END
         RETURNING attempts",
        now = db.time_param(2),
        since = db.time_param(3),
    );
    let n = write!(db, pool => {
        sqlx::query_scalar::<_, i64>(&sql).bind(key).bind(ts(now)).bind(ts(now - WINDOW)).fetch_one(pool).await?
    });
    Ok(n)
}

/// Reserves an attempt for `email` and for `address` (atomically per key, before any hash).
/// `Err(Refused::Locked)` when either is over its limit.
pub async fn reserve(db: &Db, email: &str, address: Option<IpAddr>) -> anyhow::Result<Result<(), Refused>> {
    let now = OffsetDateTime::now_utc();
    let by_email = take(db, &email_key(email), now).await?;
    let by_address = match address {
        Some(ip) => take(db, &address_key(ip), now).await?,
        None => 0,
    };
    if by_email > EMAIL_LIMIT || by_address > ADDRESS_LIMIT {
        tracing::info!(by_email, by_address, "login refused: too many attempts");
        return Ok(Err(Refused::Locked));
    }
    Ok(Ok(()))
}

/// After a successful login: the e-mail's count starts again, the address's attempt is given
/// back. Expired windows of every key are purged now and then.
pub async fn succeeded(db: &Db, email: &str, address: Option<IpAddr>) -> anyhow::Result<()> {
    let since = OffsetDateTime::now_utc() - WINDOW;
    let purge = format!("DELETE FROM staff_login_attempts WHERE key = $1 OR window_start < {}", db.time_param(2));
    write!(db, pool => {
        sqlx::query(&purge).bind(email_key(email)).bind(ts(since)).execute(pool).await?;
        if let Some(ip) = address {
            sqlx::query("UPDATE staff_login_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
                .bind(address_key(ip))
                .execute(pool)
                .await?;
        }
    });
    Ok(())
}

/// Gives back a reservation whose password was never checked (the hashing bound was full).
pub async fn give_back(db: &Db, email: &str, address: Option<IpAddr>) -> anyhow::Result<()> {
    let keys = [Some(email_key(email)), address.map(address_key)];
    for key in keys.into_iter().flatten() {
        write!(db, pool => {
            sqlx::query("UPDATE staff_login_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
                .bind(key)
                .execute(pool)
                .await?;
        });
    }
    Ok(())
}

/// Adds `Retry-After` to a 503 page (the hashing bound was full).
pub fn busy(mut page: axum::response::Response) -> axum::response::Response {
    page.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_UNAVAILABLE),
    );
    page
}

/// The bound on concurrent password checks.
#[derive(Debug)]
pub struct Hashing {
    permits: Semaphore,
    size: usize,
    waiting: AtomicUsize,
    queue: usize,
    checked: AtomicUsize,
}

impl Hashing {
    /// `concurrency` checks at once (0: sized to the machine), `queue` waiting.
    pub fn new(concurrency: usize, queue: usize) -> Hashing {
        let size = if concurrency == 0 { machine_size() } else { concurrency };
        Hashing {
            permits: Semaphore::new(size),
            size,
            waiting: AtomicUsize::new(0),
            queue,
            checked: AtomicUsize::new(0),
        }
    }

    /// From the settings (`hash_concurrency`, `hash_queue`).
    pub fn from_settings(s: &Settings) -> Hashing {
        Hashing::new(s.hash_concurrency, s.hash_queue)
    }

    /// Checks run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Passwords checked since start (for tests and the benchmark).
    pub fn checked(&self) -> usize {
        self.checked.load(Ordering::Relaxed)
    }

    /// Checks `password` against `phc` (or against a dummy hash when the account does not
    /// exist, so both cost the same) on the blocking pool, under the bound.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, Refused> {
        self.bounded(move || {
            let hash = phc.as_deref().unwrap_or_else(|| auth::dummy_hash());
            auth::verify_password(&password, hash)
        })
        .await
    }

    /// Hashes a new password (account creation, reset, change) under the same bound as the
    /// checks: 19 MiB each, so they share one budget. A full bound is the error [`Refused::Busy`].
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.bounded(move || auth::hash_password(&password)).await?
    }

    /// Runs one password computation on the blocking pool once a slot is free.
    async fn bounded<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Refused> {
        let permit = match self.permits.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(Refused::Busy);
                }
                let got = tokio::time::timeout(MAX_WAIT, self.permits.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                match got {
                    Ok(Ok(p)) => p,
                    _ => return Err(Refused::Busy),
                }
            }
        };
        self.checked.fetch_add(1, Ordering::Relaxed);
        let result = tokio::task::spawn_blocking(work).await;
        drop(permit);
        result.map_err(|_| Refused::Busy)
    }
}

/// Cores, but no more checks than a quarter of the available memory holds.
fn machine_size() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let by_memory = available_mib().map_or(cores, |mib| usize::try_from(mib / 4 / HASH_MIB).unwrap_or(cores));
    cores.min(by_memory).max(1)
}

/// `MemAvailable` in MiB (Linux), else `None`.
fn available_mib() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_key_by_host_and_ipv6_by_64() {
        assert_eq!(address_key("192.0.2.7".parse().unwrap()), "addr:192.0.2.7");
        assert_eq!(address_key("::ffff:192.0.2.7".parse().unwrap()), "addr:192.0.2.7");
        assert_eq!(
            address_key("2001:db8:1:2:3:4:5:6".parse().unwrap()),
            address_key("2001:db8:1:2::9".parse().unwrap())
        );
        assert_eq!(email_key(" A@B.vn "), "email:a@b.vn");
    }

    #[tokio::test]
    async fn a_full_queue_is_busy_at_once() {
        let h = std::sync::Arc::new(Hashing::new(1, 0));
        let phc = auth::hash_password("x").unwrap();
        let _held = h.permits.acquire().await.unwrap();
        assert_eq!(h.verify("x".into(), Some(phc.clone())).await, Err(Refused::Busy));
        drop(_held);
        assert_eq!(h.verify("x".into(), Some(phc)).await, Ok(true));
        assert_eq!(h.checked(), 1);
    }
}
