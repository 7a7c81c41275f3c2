//! Durations as people write them in attributes, flags and configuration, and read them in
//! messages: `#[mcp_tool(timeout = "30s")]` reads the same grammar as [`HumanDuration`].
//!
//! ```
//! use std::time::Duration;
//! use mcp_runtime::duration::HumanDuration;
//!
//! let wait: HumanDuration = "5m".parse().unwrap();
//! assert_eq!(Duration::from(wait), Duration::from_secs(300));
//! assert_eq!(HumanDuration(Duration::from_millis(500)).to_string(), "500 ms");
//! ```

// One grammar (`grammar.rs`) for the macros, the runtime and the examples.

mod grammar;

use std::{fmt, str::FromStr, time::Duration};

/// A [`Duration`] written and shown as people do: parsed from `500ms`, `30s`, `1.5s`, `5m`,
/// `1h` or a bare number of seconds, and displayed as `500 ms`, `30 s` or `1.5 s`. Use it for
/// command-line flags (`value_parser = HumanDuration::from_str` or as the field's type, since
/// it implements `FromStr`) and configuration files (it deserializes from such a string).
///
/// ```
/// use mcp_runtime::duration::HumanDuration;
/// use std::time::Duration;
///
/// let timeout: HumanDuration = "1.5s".parse().unwrap();
/// assert_eq!(Duration::from(timeout), Duration::from_millis(1500));
/// assert_eq!(timeout.to_string(), "1.5 s");
/// assert_eq!("250ms".parse::<HumanDuration>().unwrap().to_string(), "250 ms");
/// assert!("5 days".parse::<HumanDuration>().unwrap_err().to_string().contains("unknown unit `days`"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct HumanDuration(pub Duration);

/// Why a text is not a duration; says what the forms are.
///
/// ```
/// let error = "soon".parse::<mcp_runtime::duration::HumanDuration>().unwrap_err();
/// assert!(error.to_string().contains("`soon` has an unknown unit"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(String);

impl FromStr for HumanDuration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        grammar::parse(text).map(HumanDuration).map_err(DurationError)
    }
}

impl fmt::Display for HumanDuration {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        grammar::show(self.0, formatter)
    }
}

impl From<HumanDuration> for Duration {
    fn from(duration: HumanDuration) -> Self {
        duration.0
    }
}

impl From<Duration> for HumanDuration {
    fn from(duration: Duration) -> Self {
        Self(duration)
    }
}

impl<'de> serde::Deserialize<'de> for HumanDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for HumanDuration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Duration, String> {
        text.parse::<HumanDuration>().map(Duration::from).map_err(|error| error.to_string())
    }

    #[test]
    fn every_unit_and_a_bare_number_of_seconds() {
        assert_eq!(parsed("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parsed("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parsed(" 30 s "), Ok(Duration::from_secs(30)));
        assert_eq!(parsed("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parsed("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parsed("2min"), Ok(Duration::from_secs(120)));
        assert_eq!(parsed("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parsed("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parsed("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn what_is_not_a_duration_says_why() {
        assert!(parsed("30 days").unwrap_err().starts_with("`30 days` has an unknown unit `days`"));
        assert!(parsed("ms").unwrap_err().starts_with("`ms` does not start with a number"));
        assert!(parsed("1.2.3s").unwrap_err().starts_with("`1.2.3s` does not start with a number"));
        assert!(parsed("-5s").unwrap_err().contains("unknown unit"));
        assert!(parsed("99999999999999999999999h").unwrap_err().contains("too long"));
    }

    #[test]
    fn shown_as_a_person_writes_it() {
        let shown = |millis| HumanDuration(Duration::from_millis(millis)).to_string();
        assert_eq!(shown(250), "250 ms");
        assert_eq!(shown(30_000), "30 s");
        assert_eq!(shown(1_500), "1.5 s");
    }
}
