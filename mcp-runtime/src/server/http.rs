//! Serving Streamable HTTP: its options, on an address, on a listener, or as a router to
//! mount.

use super::Server;
use crate::{
    error::{ServeError, StartupError},
    transport::{self, http::HttpConfig},
};

impl Server {
    /// Options of the Streamable HTTP transport (allowed hosts and origins, limits, sessions);
    /// see [`HttpConfig`] for the defaults.
    ///
    /// Needs the `http` feature.
    ///
    /// ```
    /// use mcp_runtime::{Server, http::HttpConfig};
    ///
    /// let server = Server::new("demo", "1.0.0")
    ///     .http_config(HttpConfig { allowed_hosts: vec!["mcp.example.com".into()], ..HttpConfig::default() });
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// Serves Streamable HTTP at `http://{address}/mcp` (and `GET /health`) until SIGINT or
    /// SIGTERM; then finishes the calls in progress and returns.
    ///
    /// Needs the `http` feature.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").serve_http("127.0.0.1:8000").await
    /// # }
    /// ```
    pub async fn serve_http(self, address: impl tokio::net::ToSocketAddrs) -> Result<(), ServeError> {
        let listener = tokio::net::TcpListener::bind(address).await?;
        self.serve_http_on(listener, transport::http::termination_signal()).await
    }

    /// Serves the 2024-11-05 HTTP+SSE transport at `http://{address}/sse` (the stream) and
    /// `/messages` (where clients POST), with `GET /health`, until SIGINT or SIGTERM: for
    /// clients that predate Streamable HTTP. To serve both, set
    /// [`HttpConfig::legacy_sse`](crate::http::HttpConfig::legacy_sse) to `Alongside` and call
    /// [`serve_http`](Self::serve_http).
    ///
    /// Needs the `http` feature.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").serve_sse("127.0.0.1:8000").await
    /// # }
    /// ```
    pub async fn serve_sse(mut self, address: impl tokio::net::ToSocketAddrs) -> Result<(), ServeError> {
        self.http.legacy_sse = crate::http::LegacySse::Only;
        self.serve_http(address).await
    }

    /// Serves Streamable HTTP on a listener you bound, until `shutdown` resolves; for tests
    /// (bind port 0) and programs with their own shutdown logic.
    ///
    /// Needs the `http` feature.
    ///
    /// ```
    /// use mcp_runtime::Server;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let server = Server::new("demo", "1.0.0").serve_http_on(listener, async {});
    /// server.await // `shutdown` resolved at once: the server stops immediately
    /// # }
    /// ```
    pub async fn serve_http_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let config = self.http.clone();
        if let Some(problem) = listener
            .local_addr()
            .ok()
            .and_then(|address| config.exposure_problem(address, self.auth.authenticator.is_some()))
        {
            return Err(StartupError::new(vec![problem]).into());
        }
        let service = self.build()?;
        transport::http::announce(&service, &listener, &config);
        transport::http::serve(service, config, listener, shutdown).await
    }

    /// The MCP endpoint (at `/mcp`, or [`HttpConfig::path`]) and `GET /health` as an axum
    /// router, to mount in an existing application next to its own routes and middleware; with
    /// [`HttpConfig::legacy_sse`](crate::http::HttpConfig::legacy_sse), also (or only) the
    /// legacy `/sse` and `/messages`, which find their prefix when nested.
    ///
    /// Needs the `http` feature.
    ///
    /// ```
    /// use mcp_runtime::Server;
    ///
    /// let app = axum::Router::new()
    ///     .route("/", axum::routing::get(|| async { "my app" }))
    ///     .merge(Server::new("demo", "1.0.0").into_router().unwrap());
    /// ```
    pub fn into_router(self) -> Result<axum::Router, StartupError> {
        let config = self.http.clone();
        let service = self.build()?;
        Ok(transport::http::router(service, &config, tokio_util::sync::CancellationToken::new()))
    }
}
