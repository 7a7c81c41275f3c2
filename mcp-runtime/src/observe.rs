//! Observability: one span and one log line per request, Prometheus metrics, and a protocol
//! trace for debugging, all of it written to stderr or served over HTTP, never to stdout; and
//! the [`LogLevel`] of the messages a handler logs to the client.
//!
//! [`Server::run`](crate::Server::run) installs logging ([`init_logging`]); a program that
//! serves otherwise calls it itself.
//!
//! ```
//! use mcp_runtime::observe::{DEFAULT_LOG_FILTER, LogFormat, Metrics, announce, init_logging};
//!
//! init_logging(LogFormat::Json);
//! announce("ready"); // one line on stderr, whatever the filter
//! assert!(DEFAULT_LOG_FILTER.starts_with("warn"));
//! assert!(Metrics::default().render().contains("# TYPE mcp_requests_in_flight gauge"));
//! ```

pub(crate) mod logging;
#[cfg(feature = "metrics")]
pub(crate) mod metrics;
#[cfg(not(feature = "metrics"))]
#[path = "observe/metrics_off.rs"]
pub(crate) mod metrics;
#[cfg(feature = "otel")]
pub(crate) mod otel;
#[cfg(feature = "http")]
pub(crate) mod readiness;
pub(crate) mod redact;
pub(crate) mod request;
mod rmcp_noise;

pub use logging::{DEFAULT_LOG_FILTER, LogFormat, announce, init_logging};
#[cfg(feature = "metrics")]
pub use metrics::Metrics;
#[cfg(feature = "otel")]
pub use otel::shutdown_telemetry;

pub use crate::logging::LogLevel;
