//! Concurrency limits on tool calls, server-wide and per tool: a call beyond the limit waits
//! for a free slot, but only so long and only behind so many others, then is told the server
//! is busy. Nothing queues without bound.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a call waits for a free slot unless the server says otherwise.
pub(crate) const DEFAULT_BUSY_WAIT: Duration = Duration::from_secs(5);

/// At most `limit` calls at once; at most `limit` more waiting.
pub(crate) struct Limiter {
    slots: Arc<Semaphore>,
    limit: usize,
    waiting: AtomicUsize,
}

/// Why a call was turned away.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Busy {
    /// As many calls as the limit were already waiting.
    QueueFull { limit: usize },
    /// No slot came free in time.
    Waited { limit: usize, waited: Duration },
}

impl Busy {
    /// The tool error's text, for `what` ("tool `search`" or "the server").
    pub(crate) fn explain(&self, what: &str) -> String {
        match self {
            Busy::QueueFull { limit } => format!(
                "{what} is busy: it runs at most {limit} call(s) at once and as many are already waiting; \
                 try again shortly"
            ),
            Busy::Waited { limit, waited } => format!(
                "{what} is busy: it runs at most {limit} call(s) at once and none finished within {} ms; \
                 try again shortly",
                waited.as_millis()
            ),
        }
    }
}

impl Limiter {
    pub(crate) fn new(limit: usize) -> Self {
        Self { slots: Arc::new(Semaphore::new(limit)), limit, waiting: AtomicUsize::new(0) }
    }

    /// A slot, held until the permit is dropped.
    pub(crate) async fn enter(&self, wait: Duration) -> Result<OwnedSemaphorePermit, Busy> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limit {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy::QueueFull { limit: self.limit });
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed, so only the wait can end this way.
            Ok(Err(_)) | Err(_) => Err(Busy::Waited { limit: self.limit, waited: wait }),
        }
    }
}

/// Counts one waiting call for as long as it waits, however the wait ends (a cancelled call's
/// future is dropped mid-wait).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

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
pub(crate) fn exceeds_json_size(value: &impl serde::Serialize, limit: usize) -> bool {
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

    #[tokio::test]
    async fn waits_within_bounds_then_refuses() {
        let limiter = Arc::new(Limiter::new(1));
        let running = limiter.enter(Duration::from_secs(1)).await.unwrap();
        // One may wait; it gets the slot once the running call ends.
        let waiter = tokio::spawn({
            let limiter = limiter.clone();
            async move { limiter.enter(Duration::from_secs(1)).await.map(drop) }
        });
        tokio::task::yield_now().await;
        // A second waiter would exceed the queue.
        assert_eq!(limiter.enter(Duration::from_secs(1)).await.unwrap_err(), Busy::QueueFull { limit: 1 });
        drop(running);
        assert_eq!(waiter.await.unwrap(), Ok(()));
        // Held too long, a waiter gives up after its wait.
        let _held = limiter.enter(Duration::from_secs(1)).await.unwrap();
        let refused = limiter.enter(Duration::from_millis(50)).await.unwrap_err();
        assert_eq!(refused, Busy::Waited { limit: 1, waited: Duration::from_millis(50) });
        assert_eq!(limiter.waiting.load(Ordering::Acquire), 0);
    }
}
