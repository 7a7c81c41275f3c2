//! The size of a tool result, measured against the server's `max_result_bytes` without
//! serializing the usual small result at all.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

/// Whether a tool result is more than `limit` bytes of JSON. A cheap upper bound settles the
/// usual small result without serializing it; only a result that might be too large is
/// measured exactly.
pub(crate) fn result_exceeds(result: &CallToolResult, limit: usize) -> bool {
    match result_upper_bound(result) {
        Some(bound) if bound <= limit => false,
        _ => exceeds_json_size(result, limit),
    }
}

/// Room for the fixed keys, punctuation and small fields of one content block or result.
const OVERHEAD: usize = 128;

/// At most how many bytes `result` serializes to, or `None` where bounding is not worth it
/// (metadata, annotations, embedded resources: rare, and measured exactly instead).
fn result_upper_bound(result: &CallToolResult) -> Option<usize> {
    if result.meta.is_some() {
        return None;
    }
    let mut bound = OVERHEAD + result.structured_content.as_ref().map_or(0, json_upper_bound);
    for block in &result.content {
        bound += OVERHEAD
            + match block {
                ContentBlock::Text(text) if text.meta.is_none() && text.annotations.is_none() => {
                    escaped_upper_bound(&text.text)
                }
                ContentBlock::Image(image) if image.meta.is_none() && image.annotations.is_none() => {
                    escaped_upper_bound(&image.data) + escaped_upper_bound(&image.mime_type)
                }
                ContentBlock::Audio(audio) if audio.meta.is_none() && audio.annotations.is_none() => {
                    escaped_upper_bound(&audio.data) + escaped_upper_bound(&audio.mime_type)
                }
                _ => return None,
            };
    }
    Some(bound)
}

/// A JSON string is at most six bytes a byte (`\u00XX`) plus its quotes.
fn escaped_upper_bound(text: &str) -> usize {
    text.len() * 6 + 2
}

fn json_upper_bound(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(_) => 5,
        // The longest number serde_json writes: a negative f64 in exponent form.
        Value::Number(_) => 24,
        Value::String(text) => escaped_upper_bound(text),
        Value::Array(items) => 2 + items.iter().map(|item| json_upper_bound(item) + 1).sum::<usize>(),
        Value::Object(entries) => {
            2 + entries.iter().map(|(key, item)| escaped_upper_bound(key) + 2 + json_upper_bound(item)).sum::<usize>()
        }
    }
}

/// Whether `value` serializes to more than `limit` bytes of JSON; the serialization stops as
/// soon as it passes the limit, so a huge value costs no more than a small one.
fn exceeds_json_size(value: &impl serde::Serialize, limit: usize) -> bool {
    struct Counter {
        written: usize,
        limit: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.written += bytes.len();
            if self.written > self.limit { Err(std::io::Error::other("over the limit")) } else { Ok(bytes.len()) }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { written: 0, limit };
    // Serializing rmcp's result types fails only through the writer, which means too large.
    serde_json::to_writer(&mut counter, value).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upper_bound_is_never_below_the_real_size() {
        let tricky = "\u{1}\"\\é\n".repeat(50);
        let structured = serde_json::json!({"a": [1, -1.5e300, null, true, tricky], "é\u{2}": {"k": "v"}});
        let mut result = CallToolResult::structured(structured.clone());
        result.content.push(ContentBlock::image("aGVsbG8=", "image/png"));
        let real = serde_json::to_vec(&result).unwrap().len();
        let bound = result_upper_bound(&result).unwrap();
        assert!(bound >= real, "{bound} < {real}");
        assert!(!result_exceeds(&result, real) && result_exceeds(&result, real - 1));
    }

    #[test]
    fn sizes_are_counted_up_to_the_limit() {
        let text = "x".repeat(100);
        assert!(!exceeds_json_size(&text, 102)); // the quotes count
        assert!(exceeds_json_size(&text, 101));
    }
}
