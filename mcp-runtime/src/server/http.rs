//! Serving Streamable HTTP: its options, on an address, on a listener, or as a router to
//! mount; and the key that lets instances behind one load balancer read each other's
//! `requestState`.

use super::Server;
use crate::{
    error::{ServeError, StartupError},
    transport::{self, http::HttpConfig},
};

impl Server {
    /// Options of the Streamable HTTP transport (allowed hosts and origins, limits, sessions);
    /// see [`HttpConfig`] for the defaults.
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

    /// The key that seals the answers a 2026-07-28 client gave in earlier rounds of a call
    /// (see [`Context::request_input`](crate::Context::request_input)) into its `requestState`.
    /// Every instance behind one load balancer needs the same key; by default each process
    /// draws its own at random, which is right for a single instance. At least 32 bytes of
    /// high-entropy material.
    ///
    /// ```
    /// let key = std::env::var("MCP_STATE_KEY").unwrap_or_else(|_| "0123456789abcdef0123456789abcdef".into());
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").request_state_key(key.into_bytes());
    /// ```
    pub fn request_state_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.request_state_key = Some(key.into());
        self
    }

    /// Serves Streamable HTTP at `http://{address}/mcp` (and `GET /health`) until SIGINT or
    /// SIGTERM; then finishes the calls in progress and returns.
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

    /// Serves Streamable HTTP on a listener you bound, until `shutdown` resolves; for tests
    /// (bind port 0) and programs with their own shutdown logic.
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
    /// router, to mount in an existing application next to its own routes and middleware.
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
