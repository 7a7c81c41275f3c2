//! rmcp's log events that say nothing an operator should act on, kept out of the runtime's log:
//! every JSON-RPC error answer as a WARN (the request's own line already says it, once), and
//! an ERROR each time a response cannot be sent because the client hung up, which is what
//! clients do. `RUST_LOG` naming `rmcp` shows them again, for whoever debugs rmcp itself.

use std::fmt::{self, Write};

use tracing::{
    Event, Metadata,
    field::{Field, Visit},
};
use tracing_subscriber::layer::{Context, Filter};

/// Events rmcp logs for a client's error answer, already on the request's line.
const ANSWERED_WITH_AN_ERROR: &str = "response error";

/// Events rmcp logs when a response or error cannot be written, harmless when the transport is
/// closed (the client went away first); other causes are kept.
const UNSENDABLE: [&str; 3] =
    ["failed to send pending response during drain", "fail to response message", "fail to send rejection error"];

/// Drops the events above. Applied to the log lines only (exporters still see everything).
pub(crate) struct RmcpNoise;

impl RmcpNoise {
    /// The filter, unless `rust_log` (the `RUST_LOG` variable's value) asks about rmcp.
    pub(crate) fn unless_asked(rust_log: Option<&str>) -> Option<Self> {
        (!rust_log.is_some_and(|directives| directives.contains("rmcp"))).then_some(Self)
    }
}

impl<S> Filter<S> for RmcpNoise {
    fn enabled(&self, _metadata: &Metadata<'_>, _cx: &Context<'_, S>) -> bool {
        true
    }

    fn event_enabled(&self, event: &Event<'_>, _cx: &Context<'_, S>) -> bool {
        if !event.metadata().target().starts_with("rmcp::service") {
            return true;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let noise = fields.message == ANSWERED_WITH_AN_ERROR
            || (UNSENDABLE.contains(&fields.message.as_str()) && fields.error.contains("closed"));
        !noise
    }
}

/// The `message` and `error` fields of one event.
#[derive(Default)]
struct Fields {
    message: String,
    error: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let slot = match field.name() {
            "message" => &mut self.message,
            "error" => &mut self.error,
            _ => return,
        };
        let _ = write!(slot, "{value:?}");
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message.push_str(value),
            "error" => self.error.push_str(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::{Layer, layer::SubscriberExt};

    use super::*;

    /// The events a subscriber with the filter writes, as `level message`.
    fn kept(rust_log: Option<&str>, emit: impl FnOnce()) -> Vec<String> {
        #[derive(Clone, Default)]
        struct Lines(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Lines {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let lines = Lines::default();
        let writer = lines.clone();
        let layer = tracing_subscriber::fmt::layer()
            .without_time()
            .with_target(false)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .with_filter(RmcpNoise::unless_asked(rust_log));
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), emit);
        let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|line| line.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
    }

    fn rmcp_events() {
        tracing::warn!(target: "rmcp::service", id = 2, error = "ErrorData { .. }", "response error");
        tracing::error!(target: "rmcp::service", error = "Transport closed", "failed to send pending response during drain");
        tracing::error!(target: "rmcp::service", error = "Transport closed", "fail to response message");
        tracing::error!(target: "rmcp::service", error = "serialization failed", "fail to response message");
        tracing::warn!(target: "rmcp::service", "timed out draining in-flight responses");
        tracing::warn!(target: "mcp_runtime::request", "response error");
    }

    #[test]
    fn a_hang_up_and_an_error_answer_are_not_logged_by_rmcp() {
        assert_eq!(
            kept(None, rmcp_events),
            [
                r#"ERROR fail to response message error="serialization failed""#,
                "WARN timed out draining in-flight responses",
                "WARN response error",
            ]
        );
    }

    #[test]
    fn rust_log_naming_rmcp_shows_everything() {
        assert_eq!(kept(Some("warn,rmcp=debug"), rmcp_events).len(), 6);
        assert_eq!(kept(Some("debug"), rmcp_events).len(), 3);
    }
}
