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
/// use mcp_runtime::http::HttpConfig;
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
    ///
    /// Without a session (here, and for every 2026-07-28 request) a call is cancelled by closing
    /// its response stream. `notifications/cancelled` is refused with 400 and -32600: request
    /// ids are unique only per client, and the instance a notification reaches need not be the
    /// one running the call.
    pub stateless: bool,
    /// `Host` header values accepted (with or without port); `"*"` accepts any. Requests naming
    /// another host get 403, which stops DNS-rebinding attacks on local servers.
    pub allowed_hosts: Vec<String>,
    /// Browser origins accepted, e.g. `https://app.example.com` or `http://localhost:*`; `"*"`
    /// accepts any. Requests without an `Origin` header (non-browser clients) always pass.
    pub allowed_origins: Vec<String>,
    /// The largest request body accepted; larger ones get 413.
    pub max_body_bytes: usize,
    /// How long a request may take before its response starts; then it gets 504. Checked by
    /// one ticker for all requests, every eighth of this (10 ms to 1 s), so the 504 comes up
    /// to a tick after the limit.
    pub request_timeout: Duration,
    /// On shutdown, how long in-flight calls may take to finish before they are cut off.
    pub shutdown_grace: Duration,
    /// Serve the metrics at `GET /metrics` (Prometheus text format), beside `/health`. Like
    /// `/health` it needs no token: turn it off, or restrict it at the proxy, when the listener
    /// is reachable by people who should not see tool names and call counts.
    #[cfg(feature = "metrics")]
    pub metrics: bool,
    /// Serve on an address other machines can reach (anything but loopback) without an
    /// authenticator. Off by default, and such a server refuses to start: anyone who reached it
    /// could call every tool as the all-powerful local principal. Turn it on when something in
    /// front (a proxy, a service mesh, a private network's gateway) authenticates callers.
    pub allow_unauthenticated: bool,
    /// The 2024-11-05 HTTP+SSE transport (`GET /sse`, `POST /messages`), for clients that
    /// predate Streamable HTTP: off (the default), beside Streamable HTTP, or instead of it
    /// (`--transport sse`).
    pub legacy_sse: LegacySse,
}

/// Whether the legacy HTTP+SSE endpoints are served ([`HttpConfig::legacy_sse`]).
///
/// ```
/// use mcp_runtime::http::{HttpConfig, LegacySse};
///
/// // Streamable HTTP at /mcp, and /sse + /messages for older clients.
/// let config = HttpConfig { legacy_sse: LegacySse::Alongside, ..HttpConfig::default() };
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LegacySse {
    /// Streamable HTTP only.
    #[default]
    Off,
    /// Both: Streamable HTTP at [`HttpConfig::path`], and `/sse` + `/messages`.
    Alongside,
    /// Only `/sse` + `/messages` (with `/health` and `/metrics`).
    Only,
}

impl LegacySse {
    pub(crate) fn serves_streamable(self) -> bool {
        self != LegacySse::Only
    }

    pub(crate) fn serves_legacy(self) -> bool {
        self != LegacySse::Off
    }
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
            #[cfg(feature = "metrics")]
            metrics: true,
            allow_unauthenticated: false,
            legacy_sse: LegacySse::Off,
        }
    }
}

impl HttpConfig {
    /// Why serving at `address` would be unsafe: reachable from other machines, nobody
    /// authenticated, and nothing said to allow it.
    pub(crate) fn exposure_problem(&self, address: std::net::SocketAddr, authenticated: bool) -> Option<String> {
        if address.ip().is_loopback() || authenticated || self.allow_unauthenticated {
            return None;
        }
        Some(format!(
            "refusing to serve {address} without authentication: other machines can reach it, and every caller \
             would hold every scope. Configure --auth-jwt-secret, --auth-public-key, --auth-jwks or --auth-api-keys \
             (Server::authenticator in code), bind 127.0.0.1, or pass --allow-unauthenticated \
             (HttpConfig::allow_unauthenticated) if a proxy in front authenticates"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unauthenticated_server_reachable_from_other_machines_is_refused() {
        let config = HttpConfig::default();
        let open: std::net::SocketAddr = "0.0.0.0:8000".parse().unwrap();
        let problem = config.exposure_problem(open, false).unwrap();
        assert!(problem.starts_with("refusing to serve 0.0.0.0:8000 without authentication"), "{problem}");
        assert!(config.exposure_problem("[::]:8000".parse().unwrap(), false).is_some());
        assert!(config.exposure_problem("192.168.1.5:8000".parse().unwrap(), false).is_some());
        for loopback in ["127.0.0.1:8000", "127.0.0.2:8000", "[::1]:8000"] {
            assert_eq!(config.exposure_problem(loopback.parse().unwrap(), false), None, "{loopback}");
        }
        assert_eq!(config.exposure_problem(open, true), None);
        let proxied = HttpConfig { allow_unauthenticated: true, ..HttpConfig::default() };
        assert_eq!(proxied.exposure_problem(open, false), None);
    }
}
