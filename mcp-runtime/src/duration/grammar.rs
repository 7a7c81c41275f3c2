//! How durations are written, read and shown: `500ms`, `30s`, `1.5s`, `5m`, `1h` (a bare number
//! is seconds), shown back as `500 ms`, `30 s`, `1.5 s`.
//!
//! Written once for both crates: the runtime compiles it as `duration::grammar`, and the macro
//! crate includes this same file (`#[path]`) to check `timeout = "..."` at compile time, since
//! a proc-macro crate cannot depend on the runtime. So it uses nothing but `std`.

use std::time::Duration;

/// The forms a duration takes, for messages.
pub(crate) const DURATION_FORMS: &str = "expected a duration such as `500ms`, `30s`, `1.5s`, `5m` or `1h`";

/// Reads `text` as a duration.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds_per_unit = match unit.trim() {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3_600.0,
        other => return Err(format!("`{text}` has an unknown unit `{other}`; {DURATION_FORMS}")),
    };
    // Only digits and dots reach the number, so no sign, `inf` or `NaN`.
    let number: f64 = number.parse().map_err(|_| format!("`{text}` does not start with a number; {DURATION_FORMS}"))?;
    Duration::try_from_secs_f64(number * seconds_per_unit)
        .map_err(|_| format!("`{text}` is too long a duration; {DURATION_FORMS}"))
}

/// Writes `duration` as a person would: `250 ms` below a second, else `30 s` or `1.5 s`.
pub(crate) fn show(duration: Duration, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    let millis = duration.as_millis();
    if millis < 1_000 {
        write!(formatter, "{millis} ms")
    } else if millis.is_multiple_of(1_000) {
        write!(formatter, "{} s", millis / 1_000)
    } else {
        write!(formatter, "{} s", duration.as_secs_f64())
    }
}
