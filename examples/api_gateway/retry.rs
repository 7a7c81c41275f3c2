//! When and how long to wait before sending an idempotent request again.

use std::time::Duration;

use crate::dates;

/// The retry settings from the command line.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 sends every request once.
    pub max_retries: u32,
    /// The backoff before the first retry; each further retry doubles it.
    pub base_delay: Duration,
    /// The longest the gateway waits before one retry, backoff or `Retry-After` alike: an
    /// upstream asking for longer gets its error passed on instead of a tool call that hangs.
    pub max_wait: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1 for the first): exponential, capped at
    /// `max_wait`, with "equal jitter" (half fixed, half random) so that many gateways failing
    /// together do not retry in lockstep, yet each still waits at least half the backoff.
    pub fn backoff(&self, retry: u32) -> Duration {
        let doubling = 2u32.saturating_pow(retry.saturating_sub(1));
        let full = self.base_delay.saturating_mul(doubling).min(self.max_wait);
        let half = full / 2;
        let jitter_nanos = fastrand::u64(0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX));
        half + Duration::from_nanos(jitter_nanos)
    }
}

/// An upstream's `Retry-After`, in either of its two forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 120`.
    Seconds(u64),
    /// `Retry-After: Fri, 31 Dec 2100 23:59:59 GMT`, with how far ahead that was when read.
    Date { text: String, wait: Duration },
}

impl RetryAfter {
    /// Reads the header's value; `None` when it is neither form (then the backoff applies).
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Self::Seconds(seconds));
        }
        let wait = dates::until_http_date(value)?;
        Some(Self::Date { text: value.to_owned(), wait })
    }

    /// How long the upstream asked to wait.
    pub fn wait(&self) -> Duration {
        match self {
            Self::Seconds(seconds) => Duration::from_secs(*seconds),
            Self::Date { wait, .. } => *wait,
        }
    }
}

impl std::fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Seconds(seconds) => write!(f, "{seconds} s"),
            Self::Date { text, wait } => write!(f, "{text} (in {} s)", wait.as_secs()),
        }
    }
}
