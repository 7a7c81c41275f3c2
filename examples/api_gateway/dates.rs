//! The two date forms the gateway meets: RFC 3339 timestamps on the demo's items (chrono, already
//! in the tree through rmcp and schemars) and HTTP dates in `Retry-After` (httpdate, hyper's own
//! parser, which reads all three forms RFC 9110 §5.6.7 has a recipient accept).

use std::time::{Duration, SystemTime};

/// `2026-11-27T06:57:02Z` for a time given in seconds since the Unix epoch.
pub fn rfc3339(unix_seconds: u64) -> String {
    let seconds = i64::try_from(unix_seconds).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or(chrono::DateTime::UNIX_EPOCH)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How long from now until an HTTP date such as `Sun, 06 Nov 1994 08:49:37 GMT`; zero for a
/// date in the past, `None` if it is not an HTTP date.
pub fn until_http_date(text: &str) -> Option<Duration> {
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}
