//! A per-IP token bucket for submissions.
//!
//! Per instance, in memory: with N instances behind a balancer a client gets at most N times
//! the rate, which is acceptable for its purpose (stopping a runaway script, not an
//! attacker with many addresses); the balancer or a shared store can do better later.
//! Keeping it in memory holds no state the other instances need, so any instance can serve
//! any request. Integer arithmetic only (micro-tokens).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MICRO: u64 = 1_000_000;
/// Buckets untouched this long are full again and can be forgotten.
const IDLE: Duration = Duration::from_secs(600);

/// The limiter; `per_minute = 0` turns it off.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u64,
    burst: u64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    micro_tokens: u64,
    last: Instant,
}

impl RateLimiter {
    /// `per_minute` tokens refill each minute, up to `burst` (at least 1).
    pub fn new(per_minute: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            per_minute: u64::from(per_minute),
            burst: u64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; false when its bucket is empty.
    pub fn check(&self, ip: IpAddr, now: Instant) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let full = self.burst * MICRO;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            buckets.retain(|_, b| now.duration_since(b.last) < IDLE);
        }
        let bucket = buckets.entry(ip).or_insert(Bucket { micro_tokens: full, last: now });
        let elapsed_ms = u64::try_from(now.duration_since(bucket.last).as_millis()).unwrap_or(u64::MAX);
        let refill = elapsed_ms.saturating_mul(self.per_minute).saturating_mul(MICRO) / 60_000;
        bucket.micro_tokens = bucket.micro_tokens.saturating_add(refill).min(full);
        bucket.last = now;
        if bucket.micro_tokens >= MICRO {
            bucket.micro_tokens -= MICRO;
            true
        } else {
            false
        }
    }
}

/// The client's address: the left-most `X-Forwarded-For` entry when `trust_forwarded_for` is
/// set (only behind a proxy you run), else the peer address of the connection.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    trust_forwarded_for: bool,
) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

/// Extractor: the client's address as [`client_ip`] sees it (`None` when unknown).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<crate::state::AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_ip(&parts.headers, &parts.extensions, state.settings.trust_forwarded_for)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refilled_at_the_rate() {
        let limiter = RateLimiter::new(60, 3);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t = Instant::now();
        assert!((0..3).all(|_| limiter.check(ip, t)));
        assert!(!limiter.check(ip, t));
        assert!(limiter.check(ip, t + Duration::from_secs(1)));
        assert!(!limiter.check(ip, t + Duration::from_secs(1)));
        assert!(limiter.check([127, 0, 0, 2].into(), t));
    }

    #[test]
    fn zero_rate_turns_it_off() {
        let limiter = RateLimiter::new(0, 0);
        assert!((0..1000).all(|_| limiter.check([127, 0, 0, 1].into(), Instant::now())));
    }
}
