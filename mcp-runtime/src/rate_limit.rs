//! Rate limits per caller: per principal, or per client IP over HTTP without authentication.
//! Over HTTP a request over quota gets 429 with `Retry-After`; elsewhere a JSON-RPC error
//! ([`RATE_LIMITED`]) carrying the same wait.

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use governor::{
    DefaultKeyedRateLimiter, Quota,
    clock::{Clock, DefaultClock},
};
use rmcp::{ErrorData as McpError, model::ErrorCode};

/// JSON-RPC error code for a request over its caller's rate limit (HTTP answers 429 instead).
/// `data.retryAfterSeconds` says when to try again.
///
/// ```
/// assert_eq!(mcp_runtime::limit::RATE_LIMITED, -32029);
/// ```
pub const RATE_LIMITED: i32 = -32029;

/// How many requests a caller may make: a steady rate with a burst allowance, enforced per
/// principal (or per client IP on HTTP without authentication). Pass it to
/// [`Server::rate_limit`](crate::Server::rate_limit).
///
/// ```
/// use mcp_runtime::limit::RateLimit;
///
/// // 120 a minute on average, up to 20 at once.
/// let limit = RateLimit::per_minute(120).burst(20);
/// assert_eq!(limit.to_string(), "120 requests a minute, bursts of 20");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    count: u32,
    period: Period,
    burst: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Second,
    Minute,
    Hour,
}

impl RateLimit {
    /// `count` requests a second, in bursts of up to `count`.
    ///
    /// ```
    /// let limit = mcp_runtime::limit::RateLimit::per_second(10);
    /// ```
    pub fn per_second(count: u32) -> Self {
        Self { count, period: Period::Second, burst: None }
    }

    /// `count` requests a minute, in bursts of up to `count`.
    ///
    /// ```
    /// let limit = mcp_runtime::limit::RateLimit::per_minute(600);
    /// ```
    pub fn per_minute(count: u32) -> Self {
        Self { count, period: Period::Minute, burst: None }
    }

    /// `count` requests an hour, in bursts of up to `count`.
    ///
    /// ```
    /// let limit = mcp_runtime::limit::RateLimit::per_hour(10_000);
    /// ```
    pub fn per_hour(count: u32) -> Self {
        Self { count, period: Period::Hour, burst: None }
    }

    /// How many requests may come at once before the steady rate applies.
    ///
    /// ```
    /// let limit = mcp_runtime::limit::RateLimit::per_second(5).burst(50);
    /// ```
    pub fn burst(self, burst: u32) -> Self {
        Self { burst: Some(burst), ..self }
    }

    /// The governor quota, or why there is none.
    pub(crate) fn quota(&self) -> Result<Quota, String> {
        let count = NonZeroU32::new(self.count).ok_or_else(|| format!("the rate limit `{self}` allows nothing"))?;
        let quota = match self.period {
            Period::Second => Quota::per_second(count),
            Period::Minute => Quota::per_minute(count),
            Period::Hour => Quota::per_hour(count),
        };
        match self.burst {
            None => Ok(quota),
            Some(burst) => NonZeroU32::new(burst)
                .map(|burst| quota.allow_burst(burst))
                .ok_or_else(|| format!("the rate limit `{self}` allows no request at all")),
        }
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let period = match self.period {
            Period::Second => "second",
            Period::Minute => "minute",
            Period::Hour => "hour",
        };
        write!(formatter, "{} requests a {period}", self.count)?;
        match self.burst {
            Some(burst) => write!(formatter, ", bursts of {burst}"),
            None => Ok(()),
        }
    }
}

/// The running limiter: one GCRA state per caller key.
pub(crate) struct RateLimiter {
    limit: RateLimit,
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

/// Callers' states are dropped once they are back to a full allowance, this often, so the map
/// holds only recent callers.
const FORGET_EVERY: u64 = 4096;

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Result<Self, String> {
        Ok(Self { limiter: DefaultKeyedRateLimiter::keyed(limit.quota()?), limit, checks: AtomicU64::new(0) })
    }

    /// `Ok` if `key` may make a request now; else how long until it may.
    pub(crate) fn check(&self, key: &str) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&key.to_owned()).map_err(|not_until| {
            let now = DefaultClock::default().now();
            not_until.wait_time_from(now)
        })
    }

    /// The JSON-RPC error for a request refused for `wait`.
    pub(crate) fn error(&self, wait: Duration) -> McpError {
        let seconds = retry_after_seconds(wait);
        McpError::new(
            ErrorCode(RATE_LIMITED),
            format!("rate limit exceeded ({}); retry after {seconds} s", self.limit),
            Some(serde_json::json!({ "retryAfterSeconds": seconds })),
        )
    }
}

/// Whole seconds, rounded up: `Retry-After` takes no fractions, and 0 would invite a retry that
/// fails again.
pub(crate) fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_allowance() {
        let limiter = RateLimiter::new(RateLimit::per_minute(2)).unwrap();
        assert_eq!(limiter.check("alice"), Ok(()));
        assert_eq!(limiter.check("alice"), Ok(()));
        let wait = limiter.check("alice").unwrap_err();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30), "{wait:?}");
        assert_eq!(limiter.check("bob"), Ok(()));
        let error = limiter.error(wait);
        assert_eq!(error.code.0, RATE_LIMITED);
        assert!(
            error.message.starts_with("rate limit exceeded (2 requests a minute); retry after"),
            "{}",
            error.message
        );
    }

    #[test]
    fn zero_is_refused_and_waits_round_up() {
        assert!(RateLimit::per_second(0).quota().unwrap_err().contains("allows nothing"));
        assert!(RateLimit::per_second(1).burst(0).quota().is_err());
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(2)), 2);
    }
}
