//! How a proxied server is doing, as `/health` and the metrics show it.

use serde::Serialize;

/// One downstream's state: `starting` (connecting), `up`, or `down` with the reason.
///
/// ```
/// use mcp_runtime::compose::{DownstreamState, DownstreamStatus};
///
/// # async fn demo(service: mcp_runtime::McpService) {
/// for state in service.downstreams() {
///     if state.status == DownstreamStatus::Down {
///         eprintln!("{} is down: {:?}", state.prefix, state.error);
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DownstreamState {
    /// The prefix its items are served under.
    pub prefix: String,
    /// The program or URL.
    pub target: String,
    /// `starting`, `up` or `down`.
    pub status: DownstreamStatus,
    /// Why it is down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The last error it had, even once back up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// How many times its connection was opened.
    pub connections: u64,
}

/// Whether a downstream is reachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DownstreamStatus {
    /// Its connection is being opened.
    Starting,
    /// Connected.
    Up,
    /// Not reachable; it is retried with a growing delay (up to 30 s).
    Down,
}
