//! The server's [`Limits`], set whole or one bound at a time.

use std::time::Duration;

use super::Server;
use crate::{limit::Limits, rate_limit::RateLimit};

impl Server {
    /// Every bound the server holds callers to at once, replacing those set before; see
    /// [`Limits`] for each bound and its default. The shorthands below edit the same value, so
    /// one called after this changes one bound and keeps the rest.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mcp_runtime::{Server, limit::Limits};
    ///
    /// let server = Server::new("demo", "1.0.0")
    ///     .limits(Limits { max_concurrency: Some(8), page_size: Some(50), ..Limits::default() })
    ///     .tool_timeout(Duration::from_secs(30));
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// How long a tool call may run before it is stopped, for tools without their own
    /// `#[mcp_tool(timeout = "..")]`. The call's future is dropped (the tool stops at its next
    /// `.await`) and the caller gets a tool error saying so. No limit by default; over HTTP the
    /// request timeout ([`HttpConfig::request_timeout`](crate::http::HttpConfig::request_timeout))
    /// still applies.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").tool_timeout(std::time::Duration::from_secs(30));
    /// ```
    pub fn tool_timeout(mut self, timeout: Duration) -> Self {
        self.limits.tool_timeout = Some(timeout);
        self
    }

    /// How many tool calls may run at once, across every session. A call beyond the limit
    /// waits for a free slot (up to [`busy_wait`](Self::busy_wait), behind at most as many
    /// others as the limit), then gets a tool error saying the server is busy. Per tool:
    /// `#[mcp_tool(max_concurrency = N)]`. No limit by default.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_concurrency(64);
    /// ```
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.limits.max_concurrency = Some(calls);
        self
    }

    /// How long a tool call beyond a concurrency limit waits for a free slot before it is
    /// refused as busy; 5 s by default.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .max_concurrency(8)
    ///     .busy_wait(std::time::Duration::from_millis(500));
    /// ```
    pub fn busy_wait(mut self, wait: Duration) -> Self {
        self.limits.busy_wait = wait;
        self
    }

    /// Limits how many requests each caller may make: per authenticated principal, or per
    /// client IP over HTTP without an authenticator (on stdio, the one local caller). Over HTTP
    /// a request over quota is answered 429 with `Retry-After`; elsewhere with the JSON-RPC
    /// error [`RATE_LIMITED`](crate::limit::RATE_LIMITED) and `data.retryAfterSeconds`. `initialize`
    /// on stdio is never refused. A quota of zero is a start-up error.
    ///
    /// ```
    /// use mcp_runtime::{Server, limit::RateLimit};
    ///
    /// let server = Server::new("demo", "1.0.0").rate_limit(RateLimit::per_minute(600).burst(60));
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.limits.rate_limit = Some(limit);
        self
    }

    /// Splits `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list` into
    /// pages of `size` items, linked by opaque cursors (default: one page with everything).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("big", "1.0.0").page_size(50);
    /// ```
    pub fn page_size(mut self, size: usize) -> Self {
        self.limits.page_size = Some(size.max(1));
        self
    }

    /// The largest resource read the server sends (default 16 MiB, counting base64 for blobs);
    /// a larger one is an error naming both sizes, never a truncated body.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_resource_bytes(1024 * 1024);
    /// ```
    pub fn max_resource_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_resource_bytes = bytes;
        self
    }

    /// The largest tool result the server sends, as JSON (default 16 MiB); a larger one is
    /// replaced by a tool error naming the limit, so the model can ask for less instead of the
    /// client choking on it.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_result_bytes(1024 * 1024);
    /// ```
    pub fn max_result_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_result_bytes = bytes;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shorthands_edit_the_limits_set_whole() {
        let server = Server::new("t", "1")
            .limits(Limits { max_concurrency: Some(8), page_size: Some(50), ..Limits::default() })
            .tool_timeout(Duration::from_secs(30));
        let expected = Limits {
            max_concurrency: Some(8),
            page_size: Some(50),
            tool_timeout: Some(Duration::from_secs(30)),
            ..Limits::default()
        };
        assert_eq!(server.limits, expected);
    }

    #[test]
    fn a_concurrency_limit_of_zero_is_refused_however_it_is_set() {
        let zero = Limits { max_concurrency: Some(0), ..Limits::default() };
        for server in [Server::new("t", "1").max_concurrency(0), Server::new("t", "1").limits(zero)] {
            let error = server.build().expect_err("a limit of zero must not start");
            assert_eq!(
                error.problems(),
                ["`Server::max_concurrency(0)` would refuse every tool call; the limit must be at least 1"]
            );
        }
    }

    #[test]
    fn a_page_size_of_zero_counts_as_one_however_it_is_set() {
        assert_eq!(Server::new("t", "1").page_size(0).limits.page_size, Some(1));
        let service = Server::new("t", "1").limits(Limits { page_size: Some(0), ..Limits::default() }).build().unwrap();
        assert_eq!(service.shared().limits.page_size, Some(1));
    }
}
