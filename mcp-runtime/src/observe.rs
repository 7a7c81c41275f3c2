//! Observability: one span and one log line per request, Prometheus metrics, and a protocol
//! trace for debugging, all of it written to stderr or served over HTTP, never to stdout.

pub(crate) mod logging;
pub(crate) mod metrics;
#[cfg(feature = "otel")]
pub(crate) mod otel;
pub(crate) mod readiness;
pub(crate) mod redact;
pub(crate) mod request;
mod rmcp_noise;
