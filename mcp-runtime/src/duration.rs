//! Durations as people write them in limits and messages.

use std::time::Duration;

/// `30 s`, `1.5 s`, `250 ms`: a limit as a person writes it.
pub(crate) struct DisplayDuration(pub(crate) Duration);

impl std::fmt::Display for DisplayDuration {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let millis = self.0.as_millis();
        if millis < 1_000 {
            write!(formatter, "{millis} ms")
        } else if millis.is_multiple_of(1_000) {
            write!(formatter, "{} s", millis / 1_000)
        } else {
            write!(formatter, "{} s", self.0.as_secs_f64())
        }
    }
}
