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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(784_111_777), "1994-11-06T08:49:37Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn reads_http_dates() {
        // IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must still accept.
        for past in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(until_http_date(past), Some(Duration::ZERO), "{past}");
        }
        assert!(until_http_date("Fri, 31 Dec 2100 23:59:59 GMT").unwrap() > Duration::from_secs(86_400 * 365));
        for bad in ["", "120", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun 06 Nov 1994 08:49 GMT"] {
            assert_eq!(until_http_date(bad), None, "{bad}");
        }
    }
}
