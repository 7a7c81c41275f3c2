//! The `Server` builder: what a program configures before serving. The configuration is kept as
//! a few values, each set in the file of its concern: who the server is (`identity.rs`), what it
//! serves (`handlers.rs`), the handles that change it while it runs (`live.rs`), its [`Limits`]
//! (`limits.rs`), its [`AuthConfig`] (`auth.rs`), its metrics and health (`observability.rs`);
//! `build.rs` turns them into a service, `serve.rs` and `http.rs` serve it.

mod auth;
mod build;
mod compose;
mod handlers;
#[cfg(feature = "http")]
mod http;
mod identity;
mod limits;
mod live;
mod observability;
mod serve;

use std::time::Duration;

use self::{handlers::HandlerConfig, identity::Identity, live::LiveHandles, observability::Observability};
use crate::{auth::AuthConfig, limit::Limits};

/// An MCP server under construction: its identity, its handlers and its shared state.
///
/// ```no_run
/// use mcp_runtime::prelude::*;
///
/// /// Add two integers and return their sum.
/// #[mcp_tool(read_only, idempotent)]
/// async fn add(
///     /// The first addend.
///     a: i64,
///     /// The second addend.
///     b: i64,
/// ) -> i64 {
///     a + b
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), ServeError> {
///     Server::new("demo", env!("CARGO_PKG_VERSION"))
///         .instructions("Arithmetic for the model.")
///         .register(handlers![add])
///         .run() // stdio by default; `--transport` on the command line
///         .await
/// }
/// ```
pub struct Server {
    /// Name, version, title and instructions, as clients see them.
    identity: Identity,
    /// The handlers to serve, their state, and how their calls are checked and wrapped.
    handlers: HandlerConfig,
    /// Notifier, visibility and registry: kept by the program to change what is served.
    live: LiveHandles,
    /// How long clients may cache list responses.
    list_ttl: Duration,
    limits: Limits,
    auth: AuthConfig,
    #[cfg(feature = "http")]
    http: crate::http::HttpConfig,
    observability: Observability,
    /// Seals `requestState`; drawn at random when the server is built unless set.
    request_state_key: Option<Vec<u8>>,
    /// `Server::tasks`; the defaults when a tool may run as a task and this is unset.
    tasks: Option<crate::task::TaskSettings>,
    /// `Server::mount` and `Server::proxy`, built with the server.
    mounts: compose::Pending,
}

impl Server {
    /// A server with the given name and version (shown to clients as `serverInfo`).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// ```
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            identity: Identity::new(name.into(), version.into()),
            handlers: HandlerConfig::default(),
            live: LiveHandles::default(),
            list_ttl: Duration::from_secs(300),
            limits: Limits::default(),
            auth: AuthConfig::default(),
            #[cfg(feature = "http")]
            http: Default::default(),
            observability: Observability::default(),
            request_state_key: None,
            tasks: None,
            mounts: Default::default(),
        }
    }
}
