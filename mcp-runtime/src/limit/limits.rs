//! The `Limits` value: every bound the server enforces on a call or a response, whatever the
//! transport, in one place.

use std::time::Duration;

use crate::rate_limit::RateLimit;

/// The bounds a server holds every caller to, on every transport: how long a tool may run, how
/// many tool calls run at once and how long one waits for a slot, how many requests a caller
/// may make, and how large a result, a resource read or a list page may be. A request beyond
/// one is refused or answered with an error that says which bound it met; nothing queues or
/// grows without bound.
///
/// Set them all at once with [`Server::limits`](crate::Server::limits), or one at a time with
/// its shorthands ([`Server::tool_timeout`](crate::Server::tool_timeout),
/// [`Server::max_concurrency`](crate::Server::max_concurrency), ...), which edit the same value.
/// What only HTTP bounds (body size, request timeout) is in [`HttpConfig`](crate::http::HttpConfig).
///
/// ```
/// use std::time::Duration;
/// use mcp_runtime::{Server, limit::{Limits, RateLimit}};
///
/// let limits = Limits {
///     tool_timeout: Some(Duration::from_secs(60)),
///     max_concurrency: Some(64),
///     rate_limit: Some(RateLimit::per_minute(600).burst(60)),
///     ..Limits::default()
/// };
/// assert_eq!(limits.busy_wait, Duration::from_secs(5));
/// assert_eq!(limits.max_result_bytes, 16 * 1024 * 1024);
/// let server = Server::new("demo", "1.0.0").limits(limits);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a tool call may run before it is stopped, for tools without their own
    /// `#[mcp_tool(timeout = "..")]`. The call's future is dropped (the tool stops at its next
    /// `.await`) and the caller gets a tool error saying so. `None` (the default): no limit; over
    /// HTTP the request timeout ([`HttpConfig::request_timeout`](crate::http::HttpConfig::request_timeout))
    /// still applies.
    pub tool_timeout: Option<Duration>,
    /// How many tool calls may run at once, across every session. A call beyond it waits for a
    /// free slot (up to [`busy_wait`](Self::busy_wait), behind at most as many others as the
    /// limit), then gets a tool error saying the server is busy. Per tool:
    /// `#[mcp_tool(max_concurrency = N)]`. `None` (the default): no limit. `Some(0)` would
    /// refuse every call, so the server refuses to start with it.
    pub max_concurrency: Option<usize>,
    /// How long a tool call beyond a concurrency limit (the server's or the tool's own) waits
    /// for a free slot before it is refused as busy; 5 s by default.
    pub busy_wait: Duration,
    /// How many requests each caller may make: per authenticated principal, or per client IP
    /// over HTTP without an authenticator (on stdio, the one local caller). Over HTTP a request
    /// over quota is answered 429 with `Retry-After`; elsewhere with the JSON-RPC error
    /// [`RATE_LIMITED`](super::RATE_LIMITED). `None` (the default): no limit. A quota of zero
    /// is a start-up error.
    pub rate_limit: Option<RateLimit>,
    /// The largest tool result the server sends, as JSON (default 16 MiB); a larger one is
    /// replaced by a tool error naming the limit, so the model can ask for less instead of the
    /// client choking on it.
    pub max_result_bytes: usize,
    /// The largest resource read the server sends (default 16 MiB, counting base64 for blobs);
    /// a larger one is an error naming both sizes, never a truncated body.
    pub max_resource_bytes: usize,
    /// How many items one page of `tools/list`, `resources/list`, `resources/templates/list`
    /// and `prompts/list` holds; further pages are linked by opaque cursors. `None` (the
    /// default): one page with everything. A size of 0 counts as 1.
    pub page_size: Option<usize>,
}

impl Default for Limits {
    /// No timeout, concurrency limit, rate limit or paging; 5 s of waiting for a busy slot;
    /// results and resource reads up to 16 MiB.
    ///
    /// ```
    /// let limits = mcp_runtime::limit::Limits::default();
    /// assert_eq!(limits.max_concurrency, None);
    /// assert_eq!(limits.page_size, None);
    /// ```
    fn default() -> Self {
        Self {
            tool_timeout: None,
            max_concurrency: None,
            busy_wait: Duration::from_secs(5),
            rate_limit: None,
            max_result_bytes: 16 * 1024 * 1024,
            max_resource_bytes: 16 * 1024 * 1024,
            page_size: None,
        }
    }
}
