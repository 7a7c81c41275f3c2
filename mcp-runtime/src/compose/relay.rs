//! The hub's side of its connection to a proxied server (rmcp's `ClientHandler`): what the
//! downstream sends while serving a call (progress, log messages, questions for the user, the
//! client's model or its roots) reaches the caller the call belongs to, and list changes reach
//! every client, at most one per kind every `LIST_CHANGE_QUIET`.
//!
//! Which call a message belongs to: over Streamable HTTP the stream it arrived on says (rmcp's
//! `InboundStreamOrigin`); over stdio and the legacy transport nothing on the wire does, so a
//! message goes to the only call in flight, and with several in flight a question is refused
//! and a log message goes to this server's own log instead of to a caller it may not be for.

#![allow(deprecated)] // sampling, roots and client logging (SEP-2577) are deprecated but still relayed.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rmcp::{
    ClientHandler, ErrorData as McpError, RoleClient, RoleServer, ServiceError, ServiceExt,
    model::{
        CallToolRequest, CallToolRequestParams, CallToolResponse, CancelledNotificationParam, ClientCapabilities,
        ClientConfig, ClientRequest, CreateMessageRequest, CreateMessageRequestParams, CreateMessageResult,
        ElicitRequest, ElicitRequestParams, ElicitResult, Extensions, GetExtensions, Implementation, InputRequest,
        ListRootsResult, LoggingMessageNotificationParam, ProgressNotificationParam, ProgressToken, ProtocolVersion,
        RequestId, RequestNoParam, ResourceUpdatedNotificationParam, ResultType, ServerRequest, ServerResult,
    },
    service::{
        ClientInitializeError, InboundStreamOrigin, NotificationContext, OriginatingRequestId, Peer,
        PeerRequestOptions, RequestContext, RunningService,
    },
    transport::IntoTransport,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Prefix, cache::Lists, in_order::Inbound};
use crate::{
    logging::{ConnectionLogLevel, LogLevel},
    notify::Notifier,
};

/// How long list changes from one downstream are gathered into one announcement, so that a
/// downstream that floods them cannot flood every client.
const LIST_CHANGE_QUIET: Duration = Duration::from_millis(100);

/// The connection's handler; cheap to clone (rmcp keeps one per connection).
#[derive(Clone)]
pub(super) struct Relay {
    prefix: Prefix,
    notifier: Notifier,
    lists: Arc<Mutex<Lists>>,
    version: ProtocolVersion,
    calls: Arc<Calls>,
    announcing: Arc<[AtomicBool; 3]>,
    inbound: Arc<Inbound>,
}

/// A question from the downstream for a 2026-07-28 caller, which cannot be asked mid-call: the
/// call answers `input_required` with it, and the answer comes with the caller's retry.
pub(super) struct Question {
    pub(super) request: InputRequest,
    pub(super) answer: tokio::sync::oneshot::Sender<Value>,
}

/// Who made a call in flight to the downstream.
pub(super) struct Origin {
    /// The caller's request at this server: rmcp's Streamable HTTP server sends a question
    /// tagged with it on that request's stream.
    request: RequestId,
    peer: Peer<RoleServer>,
    progress: Option<ProgressToken>,
    /// The least severe log level the caller wants; `None`: no log messages.
    log_level: Option<ConnectionLogLevel>,
    capabilities: ClientCapabilities,
    modern: bool,
    /// Set for a 2026-07-28 caller: where its questions go.
    questions: Option<tokio::sync::mpsc::Sender<Question>>,
}

impl Origin {
    /// The caller of `context` (a request this server is serving).
    pub(super) fn of(context: &RequestContext<RoleServer>) -> Self {
        let modern = context.protocol_version().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        let log_level = if modern {
            // A 2026-07-28 client names the level per request, or wants none.
            context.meta.log_level().map(|level| {
                let wanted = ConnectionLogLevel::default();
                wanted.set(LogLevel::from_rmcp(level));
                wanted
            })
        } else {
            Some(
                context
                    .extensions
                    .get::<crate::compose::Caller>()
                    .map(|caller| caller.log_level.clone())
                    .unwrap_or_default(),
            )
        };
        Self {
            request: context.id.clone(),
            peer: context.peer.clone(),
            progress: context.meta.get_progress_token(),
            log_level,
            capabilities: context.client_capabilities().unwrap_or_default(),
            modern,
            questions: None,
        }
    }

    /// Whether the caller speaks 2026-07-28 and so must be asked through `input_required`
    /// results ([`Origin::with_questions`]).
    pub(super) fn is_modern(&self) -> bool {
        self.modern
    }

    /// Sends this caller's questions to `questions` instead of asking it directly.
    pub(super) fn with_questions(mut self, questions: tokio::sync::mpsc::Sender<Question>) -> Self {
        self.questions = Some(questions);
        self
    }
}

/// The calls in flight, by the id rmcp's client gave each request and by its progress token.
#[derive(Default)]
struct Calls {
    table: Mutex<CallTable>,
    /// Held while a request is sent and registered, so that a message about it that arrives
    /// first waits for its registration.
    sending: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct CallTable {
    by_id: HashMap<RequestId, Arc<Origin>>,
    by_progress: HashMap<String, RequestId>,
}

fn progress_key(token: &ProgressToken) -> String {
    serde_json::to_string(token).unwrap_or_default()
}

impl Calls {
    fn table(&self) -> std::sync::MutexGuard<'_, CallTable> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The call a message from the downstream belongs to, or why it cannot be told.
    async fn origin_of(&self, extensions: &Extensions) -> Result<Arc<Origin>, String> {
        let stream = match extensions.get::<InboundStreamOrigin>() {
            Some(InboundStreamOrigin::OutboundRequest(id)) => Some(id),
            _ => None,
        };
        let find = |table: &CallTable| match stream {
            Some(id) => table.by_id.get(id).cloned().ok_or_else(|| format!("request {id} is no longer in flight")),
            None => match table.by_id.len() {
                1 => Ok(table.by_id.values().next().cloned().unwrap_or_else(|| unreachable!())),
                0 => Err("no call is in flight".to_owned()),
                calls => {
                    Err(format!("{calls} calls are in flight, and this transport does not say which one it is about"))
                }
            },
        };
        if let Ok(origin) = find(&self.table()) {
            return Ok(origin);
        }
        // A call being sent right now may be the one.
        drop(self.sending.lock().await);
        find(&self.table())
    }
}

/// Removes a call from the table when it ends.
struct Registered {
    calls: Arc<Calls>,
    id: RequestId,
    progress: String,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut table = self.calls.table();
        table.by_id.remove(&self.id);
        table.by_progress.remove(&self.progress);
    }
}

/// Cancels the downstream's request when dropped while still armed.
struct CancelOnDrop {
    peer: Option<Peer<RoleClient>>,
    id: RequestId,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let Some(peer) = self.peer.take() else { return };
        let cancelled = CancelledNotificationParam::new(Some(self.id.clone()), Some("the caller cancelled".into()));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { drop(peer.notify_cancelled(cancelled).await) });
        }
    }
}

impl Relay {
    pub(super) fn new(prefix: Prefix, notifier: Notifier, version: ProtocolVersion) -> Self {
        let (lists, calls, announcing, inbound) = Default::default();
        Self { prefix, notifier, lists, version, calls, announcing, inbound }
    }

    /// Connects to the downstream over `transport`, this relay handling what it sends.
    pub(super) async fn serve_over<E, A>(
        self,
        transport: impl IntoTransport<RoleClient, E, A>,
    ) -> Result<RunningService<RoleClient, Self>, ClientInitializeError>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let numbered = self.inbound.numbering(transport.into_transport());
        self.serve(numbered).await
    }

    /// Forgets every cached list and tells clients each may have changed: the downstream's
    /// items came or went.
    pub(super) async fn everything_changed(&self) {
        *self.lists() = Lists::default();
        self.notifier.tool_list_changed().await;
        self.notifier.prompt_list_changed().await;
        self.notifier.resource_list_changed().await;
    }

    pub(super) fn lists(&self) -> std::sync::MutexGuard<'_, Lists> {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `tools/call` on the downstream for `origin`; what the downstream sends about it goes to
    /// `origin`, and dropping the call (the caller cancelled) cancels it downstream.
    pub(super) async fn call(
        &self,
        peer: Peer<RoleClient>,
        params: CallToolRequestParams,
        origin: Origin,
    ) -> Result<CallToolResponse, ServiceError> {
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
        let sending = self.calls.sending.lock().await;
        let handle = peer.send_request_with_option(request, PeerRequestOptions::no_options()).await?;
        // rmcp gives every request a progress token of its own: the caller's replaces it.
        let progress = progress_key(&handle.progress_token);
        {
            let mut table = self.calls.table();
            table.by_id.insert(handle.id.clone(), Arc::new(origin));
            table.by_progress.insert(progress.clone(), handle.id.clone());
        }
        let _registered = Registered { calls: self.calls.clone(), id: handle.id.clone(), progress };
        drop(sending);
        let mut abandoned = CancelOnDrop { peer: Some(peer), id: handle.id.clone() };
        let answer = handle.await_response().await;
        abandoned.peer = None;
        // What the downstream sent before answering reaches the caller before the answer.
        self.inbound.handled_so_far().await;
        match answer? {
            ServerResult::CallToolResult(mut result) => {
                // A 2025 downstream's result has no `resultType`; a 2026-07-28 caller needs it.
                result.result_type.get_or_insert(ResultType::COMPLETE);
                Ok(CallToolResponse::Complete(result))
            }
            ServerResult::InputRequiredResult(result) => Ok(CallToolResponse::InputRequired(result)),
            ServerResult::CreateTaskResult(result) => Ok(CallToolResponse::Task(result)),
            _ => Err(ServiceError::UnexpectedResponse),
        }
    }

    /// Invalidation is immediate; the announcement waits `LIST_CHANGE_QUIET`, gathering every
    /// change of that kind meanwhile into one.
    fn list_changed(&self, kind: ListKind) {
        if self.announcing[kind as usize].swap(true, Ordering::AcqRel) {
            return;
        }
        let (notifier, announcing) = (self.notifier.clone(), self.announcing.clone());
        tokio::spawn(async move {
            tokio::time::sleep(LIST_CHANGE_QUIET).await;
            announcing[kind as usize].store(false, Ordering::Release);
            match kind {
                ListKind::Tools => notifier.tool_list_changed().await,
                ListKind::Prompts => notifier.prompt_list_changed().await,
                ListKind::Resources => notifier.resource_list_changed().await,
            }
        });
    }

    /// Puts a question from the downstream to the caller it is for, and returns the answer.
    async fn ask<T: DeserializeOwned>(
        &self,
        request: InputRequest,
        context: &RequestContext<RoleClient>,
    ) -> Result<T, McpError> {
        let kind = input_kind(&request);
        let unanswerable =
            |why: String| McpError::internal_error(format!("the hub cannot relay this {kind} request: {why}"), None);
        let origin = self.calls.origin_of(&context.extensions).await.map_err(unanswerable)?;
        if !offers(&origin.capabilities, &request) {
            return Err(unanswerable(format!("the client calling through the hub does not offer {kind}")));
        }
        let answer = match &origin.questions {
            Some(questions) => {
                let (answer, answered) = tokio::sync::oneshot::channel();
                questions
                    .send(Question { request, answer })
                    .await
                    .map_err(|_| unanswerable("the call has ended".to_owned()))?;
                tokio::select! {
                    answer = answered => answer.map_err(|_| unanswerable("the call ended before the client answered".to_owned()))?,
                    () = context.ct.cancelled() => return Err(unanswerable("the downstream withdrew it".to_owned())),
                }
            }
            None => {
                let mut request = server_request(request);
                // On the stream of the caller's request (Streamable HTTP), as the spec requires.
                request.extensions_mut().insert(OriginatingRequestId(origin.request.clone()));
                let asked = origin.peer.send_request(request);
                let answer = tokio::select! {
                    answer = asked => answer.map_err(|error| unanswerable(format!("the client did not answer: {error}")))?,
                    () = context.ct.cancelled() => return Err(unanswerable("the downstream withdrew it".to_owned())),
                };
                serde_json::to_value(answer)
                    .map_err(|error| unanswerable(format!("its answer cannot be read: {error}")))?
            }
        };
        serde_json::from_value(answer).map_err(|error| {
            McpError::invalid_params(format!("the client's {kind} answer is unreadable: {error}"), None)
        })
    }
}

#[derive(Clone, Copy)]
enum ListKind {
    Tools = 0,
    Prompts = 1,
    Resources = 2,
}

fn input_kind(request: &InputRequest) -> &'static str {
    match request {
        InputRequest::Elicitation(_) => "elicitation",
        InputRequest::CreateMessage(_) => "sampling",
        InputRequest::ListRoots(_) => "roots",
        #[allow(unreachable_patterns)]
        _ => "input",
    }
}

fn offers(capabilities: &ClientCapabilities, request: &InputRequest) -> bool {
    match request {
        InputRequest::Elicitation(_) => capabilities.elicitation.is_some(),
        InputRequest::CreateMessage(_) => capabilities.sampling.is_some(),
        InputRequest::ListRoots(_) => capabilities.roots.is_some(),
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

fn server_request(request: InputRequest) -> ServerRequest {
    match request {
        InputRequest::Elicitation(request) => ServerRequest::ElicitRequest(request),
        InputRequest::CreateMessage(request) => ServerRequest::CreateMessageRequest(request),
        InputRequest::ListRoots(request) => ServerRequest::ListRootsRequest(request),
        #[allow(unreachable_patterns)]
        _ => unreachable!("the relay builds only these three"),
    }
}

impl ClientHandler for Relay {
    async fn on_progress(&self, mut params: ProgressNotificationParam, _context: NotificationContext<RoleClient>) {
        let origin = {
            let table = self.calls.table();
            let id = table.by_progress.get(&progress_key(&params.progress_token));
            id.and_then(|id| table.by_id.get(id)).cloned()
        };
        let Some((token, peer)) = origin.and_then(|origin| Some((origin.progress.clone()?, origin.peer.clone())))
        else {
            return;
        };
        params.progress_token = token;
        if let Err(error) = peer.notify_progress(params).await {
            tracing::debug!(%error, "relayed progress not delivered");
        }
    }

    async fn on_logging_message(
        &self,
        mut params: LoggingMessageNotificationParam,
        context: NotificationContext<RoleClient>,
    ) {
        let level = LogLevel::from_rmcp(params.level);
        // The caller sees which downstream spoke: `files`, or `files/{its logger}`.
        let logger = match params.logger.take() {
            Some(logger) => format!("{}/{logger}", self.prefix),
            None => self.prefix.to_string(),
        };
        match self.calls.origin_of(&context.extensions).await {
            Ok(origin) => {
                if origin.log_level.as_ref().is_some_and(|wanted| level >= wanted.get()) {
                    params.logger = Some(logger);
                    if let Err(error) = origin.peer.notify_logging_message(params).await {
                        tracing::debug!(%error, "relayed log message not delivered");
                    }
                }
            }
            Err(why) => {
                tracing::info!(downstream = %self.prefix, %logger, ?level, data = %params.data, %why, "a downstream's log message, kept here")
            }
        }
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, McpError> {
        self.ask(InputRequest::Elicitation(ElicitRequest::new(request)), &context).await
    }

    async fn create_message(
        &self,
        params: CreateMessageRequestParams,
        context: RequestContext<RoleClient>,
    ) -> Result<CreateMessageResult, McpError> {
        self.ask(InputRequest::CreateMessage(CreateMessageRequest::new(params)), &context).await
    }

    async fn list_roots(&self, context: RequestContext<RoleClient>) -> Result<ListRootsResult, McpError> {
        let request = RequestNoParam { method: Default::default(), extensions: Default::default() };
        self.ask(InputRequest::ListRoots(request), &context).await
    }

    async fn on_resource_updated(
        &self,
        params: ResourceUpdatedNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.notifier.resource_updated(&self.prefix.uri(&params.uri)).await;
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.lists().tools = None;
        self.list_changed(ListKind::Tools);
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.lists().prompts = None;
        self.list_changed(ListKind::Prompts);
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        {
            let mut lists = self.lists();
            (lists.resources, lists.templates) = (None, None);
        }
        self.list_changed(ListKind::Resources);
    }

    fn get_info(&self) -> ClientConfig {
        let mut config = ClientConfig::default();
        config.protocol_version = self.version.clone();
        config.client_info = Implementation::new("mcp-runtime-proxy", env!("CARGO_PKG_VERSION"));
        // Offered on behalf of the callers; a caller without one gets the request refused.
        config.capabilities.elicitation = Some(Default::default());
        config.capabilities.sampling = Some(Default::default());
        config.capabilities.roots = Some(Default::default());
        config
    }
}
