//! The per-call [`Context`] a tool can ask for, and the [`FromContext`] extractor trait.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still used by 2025 clients.

use std::{collections::BTreeMap, sync::Arc};

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{
        ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitResult, ElicitationSchema,
        Implementation, InputRequest, ListRootsResult, LoggingMessageNotificationParam, ProgressNotificationParam,
        ProtocolVersion, RequestId,
    },
    service::{Peer, RequestContext},
};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::{
    auth::Principal,
    error::ToolError,
    input::{self, CallInputs, Escalation, InputRequests, InputResponses},
    logging::{ConnectionLogLevel, LogLevel},
    notify::Notifier,
    service::Shared,
    state::StateMapView,
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
    shared: Arc<Shared>,
    log_level: ConnectionLogLevel,
    logger: &'static str,
    principal: Arc<Principal>,
    inputs: Arc<CallInputs>,
}

impl Context {
    pub(crate) fn new(
        request: RequestContext<RoleServer>,
        shared: Arc<Shared>,
        log_level: ConnectionLogLevel,
        logger: &'static str,
        principal: Arc<Principal>,
        inputs: Arc<CallInputs>,
    ) -> Self {
        Self { request, shared, log_level, logger, principal, inputs }
    }

    /// Asks the client for input: a form for the user, a completion from its model, its roots.
    ///
    /// A 2025 client is asked now, one question after another. A 2026-07-28 client cannot be
    /// asked mid-call: this returns an error that ends the call (propagate it with `?`), the
    /// client receives an `input_required` result, answers, and calls again; the handler then
    /// runs from the start and this returns the answers. So the code before it may run more
    /// than once: keep side effects after the questions. Answers from earlier rounds are carried
    /// in a sealed `requestState` the server verifies.
    ///
    /// A client that lacks a capability the questions need gets the protocol's
    /// missing-capability error (2026-07-28) or a tool error saying so.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::InputRequests;
    /// use mcp_runtime::model::{CreateMessageRequestParams, ElicitationSchema, SamplingMessage};
    ///
    /// /// Write a greeting for the user, asking their name and drafting with the client's model.
    /// #[mcp_tool]
    /// async fn welcome(ctx: Context) -> Result<String, ToolError> {
    ///     let schema = ElicitationSchema::builder().required_string("name").build().map_err(ToolError::new)?;
    ///     let draft = CreateMessageRequestParams::new(vec![SamplingMessage::user_text("Write a greeting")], 50);
    ///     let answers = ctx
    ///         .request_input(InputRequests::new().elicit("name", "What is your name?", schema).sample("draft", draft))
    ///         .await?;
    ///     let name = answers.elicitation("name")?.content.unwrap_or_default();
    ///     let draft = answers.sampling("draft")?;
    ///     Ok(format!("{name}: {:?}", draft.message.content))
    /// }
    /// ```
    pub async fn request_input(&self, questions: InputRequests) -> Result<InputResponses, ToolError> {
        let latest = self.protocol_version().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        let available = self.request.client_capabilities().unwrap_or_default();
        let missing = input::missing_capabilities(&questions.required_capabilities(), &available);
        if !input::is_empty(&missing) {
            let message = format!("the client does not offer {}, which this call needs", describe(&missing));
            if latest {
                self.inputs.escalate(Escalation::Protocol(McpError::missing_required_client_capability(missing)));
            }
            return Err(ToolError::new(message));
        }
        let requests = questions.into_requests();
        if latest { self.answers_from_retry(requests) } else { self.ask_now(requests).await }
    }

    /// 2026-07-28: the answers the client sent with this round, or the questions for the next.
    fn answers_from_retry(&self, requests: BTreeMap<String, InputRequest>) -> Result<InputResponses, ToolError> {
        if let Some(answers) = self.inputs.answered(requests.keys()) {
            for (key, request) in &requests {
                if let Err(problem) = input::check_answer(request, &answers[key]) {
                    let message = format!("`inputResponses.{key}`: {problem}");
                    self.inputs.escalate(Escalation::Protocol(McpError::invalid_params(message.clone(), None)));
                    return Err(ToolError::new(message));
                }
            }
            return Ok(InputResponses::new(answers));
        }
        let pending: BTreeMap<String, InputRequest> =
            requests.into_iter().filter(|(key, _)| !self.inputs.answers().contains_key(key)).collect();
        let keys = pending.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
        self.inputs.escalate(Escalation::InputRequired(pending));
        Err(ToolError::new(format!("waiting for the client to answer {keys}")))
    }

    /// 2025: server-to-client requests, in key order.
    async fn ask_now(&self, requests: BTreeMap<String, InputRequest>) -> Result<InputResponses, ToolError> {
        let peer = self.peer();
        let mut answers = BTreeMap::new();
        for (key, request) in requests {
            let answer = match request {
                InputRequest::Elicitation(request) => {
                    peer.create_elicitation(request.params).await.map(serde_json::to_value)
                }
                InputRequest::CreateMessage(request) => {
                    peer.create_message(request.params).await.map(serde_json::to_value)
                }
                InputRequest::ListRoots(_) => peer.list_roots().await.map(serde_json::to_value),
                _ => return Err(ToolError::new(format!("`{key}` asks for input this server cannot request"))),
            };
            let answer = answer
                .map_err(|error| ToolError::new(format!("the client did not answer `{key}`: {error}")))?
                .map_err(|error| ToolError::new(format!("the client's answer to `{key}` is unreadable: {error}")))?;
            answers.insert(key, answer);
        }
        Ok(InputResponses::new(answers))
    }

    /// Asks the user to fill in a form; see [`Context::request_input`] for how this works on
    /// each protocol version.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::model::{ElicitationAction, ElicitationSchema};
    ///
    /// /// Delete every draft, after the user confirms.
    /// #[mcp_tool(destructive)]
    /// async fn delete_drafts(ctx: Context) -> Result<&'static str, ToolError> {
    ///     let schema = ElicitationSchema::builder().required_bool("ok").build().map_err(ToolError::new)?;
    ///     let answer = ctx.elicit("confirm", "Delete every draft?", schema).await?;
    ///     let confirmed = answer.action == ElicitationAction::Accept
    ///         && answer.content.as_ref().is_some_and(|content| content["ok"] == true);
    ///     Ok(if confirmed { "deleted" } else { "kept" })
    /// }
    /// ```
    pub async fn elicit(
        &self,
        key: &str,
        message: impl Into<String>,
        schema: ElicitationSchema,
    ) -> Result<ElicitResult, ToolError> {
        self.request_input(InputRequests::new().elicit(key, message, schema)).await?.elicitation(key)
    }

    /// Asks the client's model for a completion; see [`Context::request_input`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::model::{CreateMessageRequestParams, SamplingMessage};
    ///
    /// /// Summarise a text with the client's model.
    /// #[mcp_tool]
    /// async fn summarise(ctx: Context, text: String) -> Result<String, ToolError> {
    ///     let request = CreateMessageRequestParams::new(vec![SamplingMessage::user_text(text)], 200);
    ///     let answer = ctx.sample("summary", request).await?;
    ///     Ok(answer.message.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone()).unwrap_or_default())
    /// }
    /// ```
    pub async fn sample(
        &self,
        key: &str,
        request: CreateMessageRequestParams,
    ) -> Result<CreateMessageResult, ToolError> {
        self.request_input(InputRequests::new().sample(key, request)).await?.sampling(key)
    }

    /// Asks for the client's roots; see [`Context::request_input`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// How many roots the client works in.
    /// #[mcp_tool]
    /// async fn count_roots(ctx: Context) -> Result<usize, ToolError> {
    ///     Ok(ctx.list_roots("roots").await?.roots.len())
    /// }
    /// ```
    pub async fn list_roots(&self, key: &str) -> Result<ListRootsResult, ToolError> {
        self.request_input(InputRequests::new().list_roots(key)).await?.roots(key)
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
        &self.shared.notifier
    }

    /// The server's metrics, for the built-in `metrics://server` resource.
    pub(crate) fn metrics(&self) -> &crate::Metrics {
        &self.shared.metrics
    }

    /// Disables and re-enables tools, prompts and resources of this server, telling every
    /// client its lists changed.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::Item;
    ///
    /// /// Unlock the maintenance tools for everyone.
    /// #[mcp_tool(scopes = ["admin"])]
    /// async fn unlock_maintenance(ctx: Context) -> Result<&'static str, ToolError> {
    ///     ctx.visibility().enable(Item::Tool("vacuum")).await.map_err(|e| ToolError::new(e.to_string()))?;
    ///     Ok("unlocked")
    /// }
    /// ```
    pub fn visibility(&self) -> &Visibility {
        self.shared.registry.visibility()
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

    /// Reports progress to the client, if it asked for progress on this request (it sent a
    /// `progressToken`); otherwise does nothing. `done` should grow with every call.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Two-step work.
    /// #[mcp_tool]
    /// async fn work(ctx: Context) {
    ///     ctx.progress(1, 2, "first half").await;
    ///     ctx.progress(2, 2, "second half").await;
    /// }
    /// ```
    pub async fn progress(&self, done: impl ProgressAmount, total: impl ProgressAmount, message: impl Into<String>) {
        self.send_progress(done.as_f64(), Some(total.as_f64()), message.into()).await;
    }

    /// Reports progress when the total is not known in advance.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Reads until the end.
    /// #[mcp_tool]
    /// async fn drain(ctx: Context) {
    ///     ctx.progress_unbounded(1024, "read 1 KiB").await;
    /// }
    /// ```
    pub async fn progress_unbounded(&self, done: impl ProgressAmount, message: impl Into<String>) {
        self.send_progress(done.as_f64(), None, message.into()).await;
    }

    async fn send_progress(&self, done: f64, total: Option<f64>, message: String) {
        let Some(token) = self.request.meta.get_progress_token() else { return };
        let mut param = ProgressNotificationParam::new(token, done);
        if let Some(total) = total {
            param = param.with_total(total);
        }
        if !message.is_empty() {
            param = param.with_message(message);
        }
        if let Err(error) = self.request.peer.notify_progress(param).await {
            tracing::debug!(%error, "progress notification not delivered");
        }
    }

    /// Sends a log message to the client (`notifications/message`) if `level` is at or above the
    /// level the client asked for (`logging/setLevel`, or per request on 2026-07-28; `info` when
    /// it never said). Server-side diagnostics belong in `tracing`, which goes to stderr.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Warns, then answers.
    /// #[mcp_tool]
    /// async fn careful(ctx: Context) -> &'static str {
    ///     ctx.log(LogLevel::Warning, "the cache was cold").await;
    ///     "ok"
    /// }
    /// ```
    pub async fn log(&self, level: LogLevel, message: impl Into<String>) {
        self.log_data(level, Value::String(message.into())).await;
    }

    /// Like [`Context::log`], with structured data instead of a message.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Logs a structured record.
    /// #[mcp_tool]
    /// async fn audited(ctx: Context) {
    ///     ctx.log_data(LogLevel::Notice, serde_json::json!({"event": "audit", "ok": true})).await;
    /// }
    /// ```
    pub async fn log_data(&self, level: LogLevel, data: Value) {
        // A 2026-07-28 client that names no `logLevel` in the request's `_meta` wants no logs.
        let unrequested = self.request.meta.log_level().is_none()
            && self.protocol_version().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        if unrequested || level < self.client_log_level() {
            return;
        }
        let param = LoggingMessageNotificationParam::new(level.to_rmcp(), data).with_logger(self.logger);
        if let Err(error) = self.request.peer.notify_logging_message(param).await {
            tracing::debug!(%error, "log notification not delivered");
        }
    }

    /// The least severe level the client wants to receive on this request.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Only builds the expensive message when it will be sent.
    /// #[mcp_tool]
    /// async fn chatty(ctx: Context) {
    ///     if ctx.client_log_level() <= LogLevel::Debug {
    ///         ctx.log(LogLevel::Debug, format!("{:?}", std::env::args())).await;
    ///     }
    /// }
    /// ```
    pub fn client_log_level(&self) -> LogLevel {
        match self.request.meta.log_level() {
            Some(level) => LogLevel::from_rmcp(level),
            None => self.log_level.get(),
        }
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
        self.shared.states.get::<T>()
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

/// A value a tool can take as a parameter that comes from the call's context rather than from the
/// client's arguments, like axum's `FromRequestParts`.
///
/// `Context` and `State<T>` are recognised by the macro; mark a parameter of your own extractor
/// type with `#[inject]`.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// The calling client's name.
/// struct ClientName(String);
///
/// impl FromContext for ClientName {
///     fn from_context(ctx: &Context) -> Result<Self, ToolError> {
///         let info = ctx.client_info().ok_or_else(|| ToolError::new("the client did not introduce itself"))?;
///         Ok(ClientName(info.name))
///     }
/// }
///
/// /// Say hello to the client.
/// #[mcp_tool]
/// async fn hello(#[inject] client: ClientName) -> String {
///     format!("hello, {}", client.0)
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be injected into an MCP handler",
    label = "this parameter is injected, not read from the client's arguments",
    note = "injected parameters implement `mcp_runtime::FromContext` (`Context` and `State<T>` do); remove `#[inject]` to make it an ordinary argument"
)]
pub trait FromContext: Sized {
    /// Extracts the value for one call. An `Err` becomes the tool's error result.
    fn from_context(ctx: &Context) -> Result<Self, ToolError>;

    /// Checks at start-up that extraction can succeed (e.g. that the state exists).
    fn check(_states: &StateMapView<'_>) -> Result<(), String> {
        Ok(())
    }
}

impl FromContext for Context {
    fn from_context(ctx: &Context) -> Result<Self, ToolError> {
        Ok(ctx.clone())
    }
}

/// A number [`Context::progress`] accepts: any primitive integer or float, so counters from
/// `enumerate()` (`usize`) or byte counts (`u64`) work without conversion. Progress is a
/// floating-point number on the wire; integers above 2^53 lose precision.
///
/// ```
/// use mcp_runtime::ProgressAmount;
/// assert_eq!(3usize.as_f64(), 3.0);
/// assert_eq!(0.5f32.as_f64(), 0.5);
/// ```
pub trait ProgressAmount: Copy {
    /// The amount as the wire's floating-point number.
    fn as_f64(self) -> f64;
}

macro_rules! progress_amount {
    ($($number:ty),*) => {$(
        impl ProgressAmount for $number {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn as_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}

progress_amount!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);

fn describe(capabilities: &ClientCapabilities) -> String {
    let names: Vec<&str> = [
        capabilities.sampling.is_some().then_some("sampling"),
        capabilities.elicitation.is_some().then_some("elicitation"),
        capabilities.roots.is_some().then_some("roots"),
    ]
    .into_iter()
    .flatten()
    .collect();
    names.join(" and ")
}
