//! What the server tells about itself: its metrics, offered as a resource on request, and the
//! readiness checks behind `GET /health`.

use super::Server;
use crate::observe::metrics::Metrics;

/// The server's metrics and health checks.
#[derive(Default)]
pub(super) struct Observability {
    pub(super) metrics: Metrics,
    #[cfg(feature = "http")]
    pub(super) readiness: crate::observe::readiness::ReadinessChecks,
    /// Serve the metrics as the resource `metrics://server`.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(super) metrics_resource: bool,
}

impl Server {
    /// The server's metrics: requests by method, name and status, their durations, requests in
    /// progress, open sessions, refused credentials. HTTP serves them at `GET /metrics`; keep
    /// the handle to read them otherwise (it counts what the server counts once served).
    ///
    /// Needs the `metrics` feature.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let metrics = server.metrics();
    /// assert!(metrics.render().contains("mcp_sessions 0"));
    /// ```
    #[cfg(feature = "metrics")]
    pub fn metrics(&self) -> Metrics {
        self.observability.metrics.clone()
    }

    /// Offers the metrics as the resource `metrics://server` (Prometheus text), for servers on
    /// stdio, where there is no `GET /metrics` to scrape. Off by default: any caller that can
    /// read resources sees every tool's call counts.
    ///
    /// Needs the `metrics` feature.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").metrics_resource();
    /// let client = mcp_runtime::testing::TestClient::connect(server).await.unwrap();
    /// let read = client.read_resource("metrics://server").await.unwrap();
    /// let mcp_runtime::model::ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else { panic!() };
    /// assert!(text.contains("mcp_sessions 1"));
    /// # }
    /// ```
    #[cfg(feature = "metrics")]
    pub fn metrics_resource(mut self) -> Self {
        self.observability.metrics_resource = true;
        self
    }

    /// Adds a readiness check to `GET /health`: while it fails (an `Err`, a panic, or no answer
    /// within 2 s), the endpoint answers 503 and names the failing check, so a load balancer
    /// or orchestrator holds traffic back. Checks run at once, on every probe; keep them cheap
    /// (a `SELECT 1`, not a migration).
    ///
    /// Needs the `http` feature.
    ///
    /// ```
    /// use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    ///
    /// let connected = Arc::new(AtomicBool::new(true));
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").readiness_check("database", move || {
    ///     let connected = connected.clone();
    ///     async move { if connected.load(Ordering::Relaxed) { Ok(()) } else { Err("not connected") } }
    /// });
    /// ```
    #[cfg(feature = "http")]
    pub fn readiness_check<F, Fut, E>(mut self, name: impl Into<String>, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        self.observability.readiness.add(name.into(), check);
        self
    }
}
