//! A [`Context`] for calling an annotated function directly in a unit test, recording what the
//! function reports to the client.
//!
//! The context is a real one: its peer is an rmcp server peer (started with rmcp's
//! `serve_directly`, no handshake), whose outgoing messages land in a channel the
//! [`ContextRecord`] reads. So `ctx.progress(..)` and `ctx.log(..)` go through exactly the code
//! they take in a served call, and once they have returned, what they sent is in the record.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still part of the protocol.

use std::sync::{Arc, Mutex, PoisonError};

use futures::channel::mpsc::{UnboundedReceiver, unbounded};
use rmcp::{
    RoleServer,
    model::{
        ClientJsonRpcMessage, Implementation, InitializeRequestParams, JsonRpcMessage, LoggingMessageNotificationParam,
        NumberOrString, ProgressNotificationParam, ProgressToken, ProtocolVersion, RequestId, ServerJsonRpcMessage,
        ServerNotification,
    },
    service::{RequestContext, RunningService, serve_directly},
};
use tokio_util::sync::CancellationToken;

use crate::{
    Context, Server,
    auth::Principal,
    error::StartupError,
    input::CallInputs,
    logging::{ConnectionLogLevel, LogLevel},
    service::McpService,
};

/// The progress token of a test context's request: progress is reported, as when a client asks.
const PROGRESS_TOKEN: i64 = 1;

/// Builds a [`Context`] for a unit test: the server's state and scope hierarchy, a caller, the
/// client's log level and protocol version. [`testing::context()`](crate::testing::context) is
/// the shortcut with every default.
///
/// ```
/// use mcp_runtime::{prelude::*, testing::TestContext};
///
/// struct Greeting(&'static str);
///
/// /// Greet the caller, telling the client's log.
/// #[mcp_tool]
/// async fn greet(ctx: Context) -> String {
///     let greeting = ctx.state::<Greeting>().map_or("hello", |g| g.0);
///     ctx.log(LogLevel::Debug, "greeting").await;
///     format!("{greeting}, {}", ctx.principal().subject())
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let (ctx, record) = TestContext::new()
///     .state(Greeting("hi"))
///     .principal(Principal::new("alice", ["notes:read"]))
///     .log_level(LogLevel::Debug)
///     .build()
///     .unwrap();
/// assert_eq!(greet(ctx).await, "hi, alice");
/// assert_eq!(record.logs().len(), 1);
/// # }
/// ```
pub struct TestContext {
    server: Server,
    principal: Option<Principal>,
    log_level: Option<LogLevel>,
    protocol_version: ProtocolVersion,
    name: &'static str,
}

impl Default for TestContext {
    fn default() -> Self {
        Self::new()
    }
}

impl TestContext {
    /// A context with no state, the local principal (every scope), the client's default log
    /// level (`info`) and protocol 2025-11-25.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (ctx, _record) = mcp_runtime::testing::TestContext::new().build().unwrap();
    /// assert!(!ctx.is_cancelled());
    /// # }
    /// ```
    pub fn new() -> Self {
        Self::for_server(Server::new("test", "0.0.0"))
    }

    /// A context of `server`: its state, its scope hierarchy, its local principal. Its handlers
    /// are not needed (nor started).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = mcp_runtime::Server::new("notes", "1.0.0").state(42u32);
    /// let (ctx, _record) = mcp_runtime::testing::TestContext::for_server(server).build().unwrap();
    /// assert_eq!(ctx.state::<u32>().as_deref(), Some(&42));
    /// # }
    /// ```
    pub fn for_server(server: Server) -> Self {
        Self { server, principal: None, log_level: None, protocol_version: ProtocolVersion::V_2025_11_25, name: "test" }
    }

    /// Shares `value` with the handler, as [`Server::state`] does.
    ///
    /// ```
    /// let builder = mcp_runtime::testing::TestContext::new().state(String::from("configuration"));
    /// ```
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.server = self.server.state(value);
        self
    }

    /// The caller (default: the server's local principal); the server's scope hierarchy applies.
    ///
    /// ```
    /// use mcp_runtime::{auth::Principal, testing::TestContext};
    /// let builder = TestContext::new().principal(Principal::new("bob", ["files:read"]));
    /// ```
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = Some(principal);
        self
    }

    /// The least severe level the client wants in its log (`logging/setLevel`); `info` if unset.
    ///
    /// ```
    /// use mcp_runtime::{observe::LogLevel, testing::TestContext};
    /// let builder = TestContext::new().log_level(LogLevel::Debug);
    /// ```
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// The protocol version the client speaks (default 2025-11-25).
    ///
    /// ```
    /// use mcp_runtime::{model::ProtocolVersion, testing::TestContext};
    /// let builder = TestContext::new().protocol_version(ProtocolVersion::V_2025_06_18);
    /// ```
    pub fn protocol_version(mut self, version: ProtocolVersion) -> Self {
        self.protocol_version = version;
        self
    }

    /// The logger name the handler's client log messages carry (default `test`; a served call
    /// uses the handler's name).
    ///
    /// ```
    /// let builder = mcp_runtime::testing::TestContext::new().logger("search");
    /// ```
    pub fn logger(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// The context and the record of what the handler sends through it. Must be called inside a
    /// tokio runtime (`#[tokio::test]`): the context's peer runs on it. A client that answers
    /// questions (`ctx.elicit`, `ctx.sample`) is [`TestClient`](crate::testing::TestClient)'s
    /// job: this one offers no such capability, so they fail at once with an error saying so.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (ctx, record) = mcp_runtime::testing::TestContext::new().build().unwrap();
    /// ctx.progress(1, 2, "half way").await;
    /// assert_eq!(record.progress()[0].progress, 1.0);
    /// # }
    /// ```
    pub fn build(self) -> Result<(Context, ContextRecord), StartupError> {
        let service: McpService = self.server.build()?;
        let (sink, sent) = unbounded::<ServerJsonRpcMessage>();
        let mut client = InitializeRequestParams::default();
        client.protocol_version = self.protocol_version;
        client.client_info = Implementation::new("mcp-runtime-test-context", env!("CARGO_PKG_VERSION"));
        // Nothing ever arrives from this client: the context only sends.
        let incoming = futures::stream::pending::<ClientJsonRpcMessage>();
        let running = serve_directly(service.for_new_connection(), (sink, incoming), Some(client));
        let mut request = RequestContext::<RoleServer>::new(RequestId::Number(1), running.peer().clone());
        request.meta.set_progress_token(ProgressToken(NumberOrString::Number(PROGRESS_TOKEN)));
        let cancellation = request.ct.clone();
        let log_level = ConnectionLogLevel::default();
        if let Some(level) = self.log_level {
            log_level.set(level);
        }
        let shared = service.shared().clone();
        let principal = match self.principal {
            Some(principal) => Arc::new(shared.auth.scope_hierarchy.apply(principal)),
            None => shared.local_principal.clone(),
        };
        let inputs = Arc::new(CallInputs::new(Default::default()));
        let connection = crate::connection::Connection::default();
        let context = Context::new(request, shared.env.clone(), log_level, connection, self.name, principal, inputs);
        let record =
            ContextRecord { sent: Mutex::new(sent), seen: Mutex::default(), cancellation, _running: Arc::new(running) };
        Ok((context, record))
    }
}

/// A [`Context`] with every default, and the record of what a handler sends through it; see
/// [`TestContext`] to set state, the caller or the log level. Call it inside a tokio runtime.
///
/// ```
/// use mcp_runtime::{prelude::*, testing};
///
/// /// Count to `to`, reporting progress.
/// #[mcp_tool]
/// async fn count(ctx: Context, to: u32) -> String {
///     for step in 1..=to {
///         ctx.progress(step, to, format!("{step} of {to}")).await;
///     }
///     format!("counted to {to}")
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let (ctx, record) = testing::context();
/// assert_eq!(count(ctx, 3).await, "counted to 3");
/// let steps: Vec<f64> = record.progress().iter().map(|p| p.progress).collect();
/// assert_eq!(steps, [1.0, 2.0, 3.0]);
/// assert_eq!(record.progress()[2].message.as_deref(), Some("3 of 3"));
/// # }
/// ```
pub fn context() -> (Context, ContextRecord) {
    match TestContext::new().build() {
        Ok(built) => built,
        // An empty server has nothing that could fail its start-up checks.
        Err(error) => unreachable!("an empty server starts: {error}"),
    }
}

/// What a handler sent through a test [`Context`]: progress and client log messages, in order.
/// It also keeps the context's peer running, so keep it as long as the context.
pub struct ContextRecord {
    sent: Mutex<UnboundedReceiver<ServerJsonRpcMessage>>,
    seen: Mutex<Seen>,
    cancellation: CancellationToken,
    _running: Arc<RunningService<RoleServer, McpService>>,
}

#[derive(Default)]
struct Seen {
    progress: Vec<ProgressNotificationParam>,
    logs: Vec<LoggingMessageNotificationParam>,
}

impl ContextRecord {
    /// Every progress notification sent so far (`ctx.progress`, `ctx.progress_unbounded`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (ctx, record) = mcp_runtime::testing::context();
    /// ctx.progress_unbounded(512, "read 512 bytes").await;
    /// assert_eq!(record.progress()[0].total, None);
    /// # }
    /// ```
    pub fn progress(&self) -> Vec<ProgressNotificationParam> {
        self.with_seen(|seen| seen.progress.clone())
    }

    /// Every client log message sent so far (`ctx.log`, `ctx.log_data`) at or above the
    /// client's level.
    ///
    /// ```
    /// use mcp_runtime::{model::LoggingLevel, observe::LogLevel};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (ctx, record) = mcp_runtime::testing::context();
    /// ctx.log(LogLevel::Debug, "below the default level: not sent").await;
    /// ctx.log(LogLevel::Warning, "the cache was cold").await;
    /// let logs = record.logs();
    /// assert_eq!(logs.len(), 1);
    /// assert_eq!(logs[0].level, LoggingLevel::Warning);
    /// assert_eq!(logs[0].data, "the cache was cold");
    /// # }
    /// ```
    pub fn logs(&self) -> Vec<LoggingMessageNotificationParam> {
        self.with_seen(|seen| seen.logs.clone())
    }

    /// Cancels the call, as a client's `notifications/cancelled` does: `ctx.is_cancelled()`
    /// turns true and `ctx.cancelled()` completes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let (ctx, record) = mcp_runtime::testing::context();
    /// record.cancel();
    /// assert!(ctx.is_cancelled());
    /// # }
    /// ```
    pub fn cancel(&self) {
        self.cancellation.cancel();
    }

    /// Moves what was sent since the last look into `seen`, then reads it. Sending completes
    /// only once the message is in the channel, so nothing a finished `.await` sent is missed.
    fn with_seen<R>(&self, read: impl FnOnce(&Seen) -> R) -> R {
        let mut sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        while let Ok(message) = sent.try_recv() {
            if let JsonRpcMessage::Notification(notification) = message {
                match notification.notification {
                    ServerNotification::ProgressNotification(progress) => seen.progress.push(progress.params),
                    ServerNotification::LoggingMessageNotification(log) => seen.logs.push(log.params),
                    _ => {}
                }
            }
        }
        read(&seen)
    }
}
