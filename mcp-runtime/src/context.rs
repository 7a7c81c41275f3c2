//! The per-call [`Context`] a tool can ask for, and the [`FromContext`] extractor trait.

mod env;
mod inject;
mod input;
mod report;
mod task;

use std::sync::Arc;

use rmcp::{
    RoleServer,
    model::{ClientCapabilities, Implementation, ProtocolVersion, RequestId},
    service::{Peer, RequestContext},
};
use tokio_util::sync::CancellationToken;

pub(crate) use env::CallEnv;
pub use inject::FromContext;
pub use report::ProgressAmount;

use crate::{
    auth::Principal, connection::Connection, input::CallInputs, logging::ConnectionLogLevel, notify::Notifier,
    visibility::Visibility,
};

/// Everything a tool may want to know or do besides computing its result: report progress, log
/// to the client, notice cancellation, read shared state, see who is calling.
///
/// Take it as a parameter of any `#[mcp_tool]` function; it is injected, not part of the schema.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Count to `n`, reporting progress on the way.
/// #[mcp_tool]
/// async fn count(ctx: Context, n: u32) -> Result<String, ToolError> {
///     for i in 1..=n {
///         if ctx.is_cancelled() {
///             return Err(ToolError::new("cancelled"));
///         }
///         ctx.progress(i, n, format!("{i} of {n}")).await;
///     }
///     ctx.log(LogLevel::Info, "counted").await;
///     Ok(n.to_string())
/// }
/// ```
#[derive(Clone)]
pub struct Context {
    request: RequestContext<RoleServer>,
    env: Arc<CallEnv>,
    log_level: ConnectionLogLevel,
    connection: Connection,
    logger: &'static str,
    principal: Arc<Principal>,
    inputs: Arc<CallInputs>,
}

impl Context {
    pub(crate) fn new(
        request: RequestContext<RoleServer>,
        env: Arc<CallEnv>,
        log_level: ConnectionLogLevel,
        connection: Connection,
        logger: &'static str,
        principal: Arc<Principal>,
        inputs: Arc<CallInputs>,
    ) -> Self {
        Self { request, env, log_level, connection, logger, principal, inputs }
    }

    /// Runs `send` (a notification or a request to the client) unless the connection has
    /// ended: then nothing could be delivered, and rmcp would never confirm it.
    pub(crate) async fn unless_stopped<T>(&self, send: impl std::future::Future<Output = T>) -> Option<T> {
        if self.connection.is_stopped() {
            return None;
        }
        tokio::select! {
            biased;
            () = self.connection.stopped() => None,
            sent = send => Some(sent),
        }
    }

    /// What the client said it supports: from this request's `_meta` (2026-07-28) or from
    /// `initialize`.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Says whether the client can answer questions.
    /// #[mcp_tool]
    /// async fn can_ask(ctx: Context) -> bool {
    ///     ctx.client_capabilities().elicitation.is_some()
    /// }
    /// ```
    pub fn client_capabilities(&self) -> ClientCapabilities {
        self.request.client_capabilities().unwrap_or_default()
    }

    /// Sends change notifications (a resource updated, a list changed) to the clients that
    /// should hear about them.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Append a line to the journal, telling subscribers of `journal://today`.
    /// #[mcp_tool]
    /// async fn journal(ctx: Context, line: String) -> &'static str {
    ///     ctx.notifier().resource_updated("journal://today").await;
    ///     "noted"
    /// }
    /// ```
    pub fn notifier(&self) -> &Notifier {
        &self.env.notifier
    }

    /// The server's metrics, for the built-in `metrics://server` resource.
    #[cfg(feature = "metrics")]
    pub(crate) fn metrics(&self) -> &crate::observe::metrics::Metrics {
        &self.env.metrics
    }

    /// Disables and re-enables tools, prompts and resources of this server, telling every
    /// client its lists changed.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::registry::Item;
    ///
    /// /// Unlock the maintenance tools for everyone.
    /// #[mcp_tool(scopes = ["admin"])]
    /// async fn unlock_maintenance(ctx: Context) -> Result<&'static str, ToolError> {
    ///     ctx.visibility().enable(Item::Tool("vacuum")).await.map_err(|e| ToolError::new(e.to_string()))?;
    ///     Ok("unlocked")
    /// }
    /// ```
    pub fn visibility(&self) -> &Visibility {
        &self.env.visibility
    }

    /// Who is calling: the principal of the bearer token over HTTP, the server's local principal
    /// over stdio. Scopes declared on the tool were checked before it ran; use this for checks
    /// that depend on the data, such as "users may only read their own records".
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Read one user's notes.
    /// #[mcp_tool(scopes = ["notes:read"])]
    /// async fn notes(ctx: Context, user: String) -> Result<String, ToolError> {
    ///     if ctx.principal().subject() != user && !ctx.principal().has_scope("notes:admin") {
    ///         return Err(ToolError::new("you may only read your own notes"));
    ///     }
    ///     Ok(format!("notes of {user}"))
    /// }
    /// ```
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Whether the client cancelled this request (`notifications/cancelled`, or over HTTP
    /// without a session, by closing the call's stream). The runtime then drops the tool's
    /// future, so an async tool stops at its next `.await` without asking; this is for work the
    /// runtime cannot stop: a blocking loop, a synchronous tool (which runs on the blocking
    /// pool), or a task the tool spawned.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Stops when asked.
    /// #[mcp_tool]
    /// async fn polite(ctx: Context) -> &'static str {
    ///     if ctx.is_cancelled() { "stopped" } else { "finished" }
    /// }
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.request.ct.is_cancelled()
    }

    /// Completes when the client cancels this request. The tool's own future is dropped at that
    /// moment (see [`Context::is_cancelled`]), so code after this `.await` in the tool itself does
    /// not run: it is for tasks the tool spawned, or the other branch of a `select!` that must
    /// not be cut short halfway (hand it the [`cancellation_token`](Context::cancellation_token)).
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Waits for a tick or for cancellation, whichever comes first.
    /// #[mcp_tool]
    /// async fn wait(ctx: Context) -> &'static str {
    ///     tokio::select! {
    ///         _ = ctx.cancelled() => "cancelled",
    ///         _ = tokio::time::sleep(std::time::Duration::from_millis(1)) => "ticked",
    ///     }
    /// }
    /// ```
    pub async fn cancelled(&self) {
        self.request.ct.cancelled().await;
    }

    /// The token behind [`Context::cancelled`], to hand to code that takes one.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Passes cancellation on to a spawned task.
    /// #[mcp_tool]
    /// async fn spawner(ctx: Context) {
    ///     let token = ctx.cancellation_token();
    ///     tokio::spawn(async move { token.cancelled().await });
    /// }
    /// ```
    pub fn cancellation_token(&self) -> CancellationToken {
        self.request.ct.clone()
    }

    /// The JSON-RPC id of the request being served.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Echoes the request id.
    /// #[mcp_tool]
    /// async fn whoami(ctx: Context) -> String { ctx.request_id().to_string() }
    /// ```
    pub fn request_id(&self) -> &RequestId {
        &self.request.id
    }

    /// The protocol version of this request (per request on 2026-07-28, else from `initialize`).
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Reports the protocol version.
    /// #[mcp_tool]
    /// async fn version(ctx: Context) -> String {
    ///     ctx.protocol_version().map(|v| v.to_string()).unwrap_or_default()
    /// }
    /// ```
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.request.protocol_version()
    }

    /// The client's name and version, as it introduced itself.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Greets the client by name.
    /// #[mcp_tool]
    /// async fn hello(ctx: Context) -> String {
    ///     let name = ctx.client_info().map(|c| c.name).unwrap_or_else(|| "stranger".into());
    ///     format!("hello, {name}")
    /// }
    /// ```
    pub fn client_info(&self) -> Option<Implementation> {
        self.request.client_info()
    }

    /// Shared state of type `T` given to `Server::state`, if any. Prefer a [`State<T>`](crate::State)
    /// parameter, which is checked at start-up.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// struct Greeting(String);
    ///
    /// /// Greets with the configured greeting.
    /// #[mcp_tool]
    /// async fn greet(ctx: Context) -> String {
    ///     ctx.state::<Greeting>().map(|g| g.0.clone()).unwrap_or_default()
    /// }
    /// ```
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.env.states.get::<T>()
    }

    /// The rmcp peer, for anything this API does not cover yet.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Reads the client's declared capabilities.
    /// #[mcp_tool]
    /// async fn caps(ctx: Context) -> String {
    ///     format!("{:?}", ctx.peer().peer_info().map(|info| info.capabilities.clone()))
    /// }
    /// ```
    pub fn peer(&self) -> &Peer<RoleServer> {
        &self.request.peer
    }

    /// The underlying rmcp request context (metadata, extensions such as HTTP request parts).
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Reports whether the request carried `_meta`.
    /// #[mcp_tool]
    /// async fn has_meta(ctx: Context) -> String { (!ctx.request_context().meta.is_empty()).to_string() }
    /// ```
    pub fn request_context(&self) -> &RequestContext<RoleServer> {
        &self.request
    }
}
