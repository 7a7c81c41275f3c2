//! What an HTTP deployment can tune, with defaults that are safe on a developer's machine.

use std::time::Duration;

/// Options of the Streamable HTTP transport.
///
/// The defaults suit a server on a developer's machine: loopback `Host` names only (DNS-rebinding
/// protection), browser `Origin`s only from localhost, 4 MiB request bodies, two minutes per
/// request, and sessions for 2025 clients (2026-07-28 clients are always served statelessly).
///
/// ```
/// use std::time::Duration;
/// use mcp_runtime::HttpConfig;
///
/// let config = HttpConfig {
///     allowed_hosts: vec!["mcp.example.com".into()],
///     allowed_origins: vec!["https://app.example.com".into()],
///     request_timeout: Duration::from_secs(30),
///     ..HttpConfig::default()
/// };
/// assert_eq!(config.path, "/mcp");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Where the MCP endpoint is mounted (default `/mcp`).
    pub path: String,
    /// Serve every request statelessly, with JSON responses where the call emits nothing else
    /// first; for load-balanced deployments. By default 2025 clients get sessions
    /// (`Mcp-Session-Id`, a GET stream for server messages, DELETE to end).
    pub stateless: bool,
    /// `Host` header values accepted (with or without port); `"*"` accepts any. Requests naming
    /// another host get 403, which stops DNS-rebinding attacks on local servers.
    pub allowed_hosts: Vec<String>,
    /// Browser origins accepted, e.g. `https://app.example.com` or `http://localhost:*`; `"*"`
    /// accepts any. Requests without an `Origin` header (non-browser clients) always pass.
    pub allowed_origins: Vec<String>,
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// How long a request may take before its response starts; then it gets 504.
    pub request_timeout: Duration,
    /// On shutdown, how long in-flight calls may take to finish before they are cut off.
    pub shutdown_grace: Duration,
    /// Serve the metrics at `GET /metrics` (Prometheus text format), beside `/health`. Like
    /// `/health` it needs no token: turn it off, or restrict it at the proxy, when the listener
    /// is reachable by people who should not see tool names and call counts.
    pub metrics: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            path: "/mcp".into(),
            stateless: false,
            allowed_hosts: vec!["localhost".into(), "127.0.0.1".into(), "::1".into()],
            allowed_origins: vec![
                "http://localhost:*".into(),
                "http://127.0.0.1:*".into(),
                "https://localhost:*".into(),
                "https://127.0.0.1:*".into(),
            ],
            max_body_bytes: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(120),
            shutdown_grace: Duration::from_secs(30),
            metrics: true,
        }
    }
}
