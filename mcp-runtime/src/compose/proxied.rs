//! A server reached through rmcp's client: one connection, opened on first use and kept; lists
//! cached until the downstream says they changed; a downstream that cannot be reached has no
//! items, and a call of one of its tools gets a tool error naming it, while everything else is
//! served as usual.

use std::{
    sync::{
        Arc, Mutex, PoisonError, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rmcp::{
    ClientHandler, ErrorData as McpError, RoleClient, RoleServer, ServiceError, ServiceExt,
    model::{
        CallToolRequest, CallToolRequestParams, CallToolResponse, CallToolResult, CancelledNotificationParam,
        ClientConfig, ClientRequest, ContentBlock, GetPromptRequestParams, GetPromptResponse, Implementation,
        ProgressNotificationParam, ProgressToken, Prompt, ProtocolVersion, ReadResourceRequestParams,
        ReadResourceResponse, Resource, ResourceTemplate, ServerResult, Tool,
    },
    service::{MergedList, NotificationContext, Peer, PeerRequestOptions, RequestContext, RunningService},
};

use super::{
    DownstreamState, DownstreamStatus, Prefix,
    downstream::{Downstream, Target},
    upstream::{Answer, Upstream},
};
use crate::{notify::Notifier, observe::metrics::Metrics};

/// The first wait before reconnecting to a downstream that went down; it doubles up to
/// `MAX_RETRY_DELAY` while the downstream stays down.
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);
/// How often the supervisor looks whether an open connection has closed.
const WATCH_INTERVAL: Duration = Duration::from_millis(250);

/// The downstream's lists, as last fetched; `None` until fetched or after it said one changed.
#[derive(Default)]
struct Lists {
    tools: Option<Cached<Tool>>,
    prompts: Option<Cached<Prompt>>,
    resources: Option<Cached<Resource>>,
    templates: Option<Cached<ResourceTemplate>>,
}

/// A list as fetched, and until when the downstream said it may be reused (`ttlMs`); without a
/// hint it is kept until the downstream says the list changed.
struct Cached<T> {
    items: Vec<T>,
    expires: Option<tokio::time::Instant>,
}

impl<T: Clone> Cached<T> {
    fn fresh(&self) -> Option<Vec<T>> {
        self.expires.is_none_or(|expires| tokio::time::Instant::now() < expires).then(|| self.items.clone())
    }
}

pub(crate) struct Proxied {
    prefix: Prefix,
    downstream: Downstream,
    relay: Relay,
    connection: tokio::sync::Mutex<Option<RunningService<RoleClient, Relay>>>,
    /// Itself, for the supervisor it starts on first use.
    me: Weak<Proxied>,
    supervised: AtomicBool,
    state: Mutex<DownstreamState>,
    /// `Downstream::max_concurrency`.
    slots: Option<Arc<tokio::sync::Semaphore>>,
    metrics: Metrics,
    /// Its prefix, kept for the life of the process as a metric label.
    label: &'static str,
}

/// The client's side of the connection: passes the downstream's list changes on to this
/// server's clients (after forgetting the cached list), and its progress on a call to the
/// client that made the call.
#[derive(Clone)]
struct Relay {
    notifier: Notifier,
    lists: Arc<Mutex<Lists>>,
    version: ProtocolVersion,
    progress: Arc<Mutex<ProgressRoutes>>,
}

/// Calls in flight that asked for progress, by the token the downstream sees (rmcp's client
/// picks one per request): the caller's own token and connection.
#[derive(Default)]
struct ProgressRoutes {
    routes: std::collections::HashMap<String, (ProgressToken, Peer<RoleServer>)>,
}

fn route_key(token: &ProgressToken) -> String {
    serde_json::to_string(token).unwrap_or_default()
}

/// A progress route, removed when the call it belongs to ends.
struct ProgressRoute {
    routes: Arc<Mutex<ProgressRoutes>>,
    key: String,
}

impl Drop for ProgressRoute {
    fn drop(&mut self) {
        self.routes.lock().unwrap_or_else(PoisonError::into_inner).routes.remove(&self.key);
    }
}

impl Relay {
    fn lists(&self) -> std::sync::MutexGuard<'_, Lists> {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Relay {
    /// `tools/call` on the downstream; its progress goes to `caller` under the caller's token,
    /// and dropping the call (the caller cancelled) cancels it downstream.
    async fn call(
        &self,
        peer: Peer<RoleClient>,
        params: CallToolRequestParams,
        caller: Option<(ProgressToken, Peer<RoleServer>)>,
    ) -> Result<CallToolResponse, ServiceError> {
        let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
        let handle = peer.send_request_with_option(request, PeerRequestOptions::no_options()).await?;
        // rmcp gives every request a progress token of its own: route that one.
        let _route = caller.map(|caller| {
            let key = route_key(&handle.progress_token);
            self.progress.lock().unwrap_or_else(PoisonError::into_inner).routes.insert(key.clone(), caller);
            ProgressRoute { routes: self.progress.clone(), key }
        });
        let mut abandoned = CancelOnDrop { peer: Some(peer), id: handle.id.clone() };
        let answer = handle.await_response().await;
        abandoned.peer = None;
        match answer? {
            ServerResult::CallToolResult(result) => Ok(CallToolResponse::Complete(result)),
            ServerResult::InputRequiredResult(result) => Ok(CallToolResponse::InputRequired(result)),
            ServerResult::CreateTaskResult(result) => Ok(CallToolResponse::Task(result)),
            _ => Err(ServiceError::UnexpectedResponse),
        }
    }
}

/// Cancels the downstream's request when dropped while still armed.
struct CancelOnDrop {
    peer: Option<Peer<RoleClient>>,
    id: rmcp::model::RequestId,
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

impl ClientHandler for Relay {
    async fn on_progress(&self, mut params: ProgressNotificationParam, _context: NotificationContext<RoleClient>) {
        let route = {
            let routes = self.progress.lock().unwrap_or_else(PoisonError::into_inner);
            routes.routes.get(&route_key(&params.progress_token)).cloned()
        };
        let Some((token, peer)) = route else { return };
        params.progress_token = token;
        if let Err(error) = peer.notify_progress(params).await {
            tracing::debug!(%error, "relayed progress not delivered");
        }
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.lists().tools = None;
        self.notifier.tool_list_changed().await;
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.lists().prompts = None;
        self.notifier.prompt_list_changed().await;
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        {
            let mut lists = self.lists();
            (lists.resources, lists.templates) = (None, None);
        }
        self.notifier.resource_list_changed().await;
    }

    fn get_info(&self) -> ClientConfig {
        let mut config = ClientConfig::default();
        config.protocol_version = self.version.clone();
        config.client_info = Implementation::new("mcp-runtime-proxy", env!("CARGO_PKG_VERSION"));
        config
    }
}

impl Proxied {
    pub(crate) fn new(prefix: Prefix, downstream: Downstream, notifier: Notifier, metrics: Metrics) -> Arc<Self> {
        // The legacy transport's clients speak its revision; servers of it may know no other.
        let version = match downstream.target {
            Target::Sse(_) => ProtocolVersion::V_2024_11_05,
            _ => ProtocolVersion::V_2025_11_25,
        };
        let relay = Relay { notifier, lists: Arc::default(), version, progress: Arc::default() };
        let state = DownstreamState {
            prefix: prefix.to_string(),
            target: downstream.describe(),
            status: DownstreamStatus::Starting,
            error: None,
            last_error: None,
            connections: 0,
        };
        let slots = downstream.max_concurrency.map(|slots| Arc::new(tokio::sync::Semaphore::new(slots)));
        let label = crate::intern::name(&prefix.to_string());
        let proxied = Arc::new_cyclic(|me| Self {
            prefix,
            downstream,
            relay,
            connection: tokio::sync::Mutex::new(None),
            me: me.clone(),
            supervised: AtomicBool::new(false),
            state: Mutex::new(state),
            slots,
            metrics,
            label,
        });
        proxied.supervise();
        proxied
    }

    /// Starts the task that keeps the connection open, once there is a runtime to run it on.
    fn supervise(&self) {
        if self.supervised.swap(true, Ordering::AcqRel) {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(supervise(self.me.clone()))),
            Err(_) => self.supervised.store(false, Ordering::Release),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, DownstreamState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn became(&self, status: DownstreamStatus, error: Option<String>) {
        let mut state = self.state();
        if status == DownstreamStatus::Up {
            state.connections += 1;
        }
        if let Some(error) = &error {
            state.last_error = Some(error.clone());
        }
        (state.status, state.error) = (status, error);
        drop(state);
        self.metrics.downstream_up(self.label, status == DownstreamStatus::Up);
    }

    /// Tells clients every list may have changed: the downstream's items came or went.
    async fn announce(&self) {
        *self.relay.lists() = Lists::default();
        self.relay.notifier.tool_list_changed().await;
        self.relay.notifier.prompt_list_changed().await;
        self.relay.notifier.resource_list_changed().await;
    }

    async fn closed(&self) -> bool {
        self.connection.lock().await.as_ref().is_none_or(ended)
    }

    /// The open connection's peer, opening one if there is none (or the last one closed).
    async fn peer(&self) -> Result<Peer<RoleClient>, String> {
        let mut connection = self.connection.lock().await;
        if let Some(running) = connection.as_ref().filter(|running| !ended(running)) {
            return Ok(running.peer().clone());
        }
        *self.relay.lists() = Lists::default();
        let opened = tokio::time::timeout(self.downstream.timeout, self.connect())
            .await
            .map_err(|_| format!("no answer within {:?}", self.downstream.timeout))??;
        tracing::info!(downstream = %self.prefix, target = self.downstream.describe(), "connected to a downstream server");
        let peer = opened.peer().clone();
        *connection = Some(opened);
        Ok(peer)
    }

    async fn connect(&self) -> Result<RunningService<RoleClient, Relay>, String> {
        let relay = self.relay.clone();
        let failed = |error: &dyn std::fmt::Display| error.to_string();
        match &self.downstream.target {
            Target::Stdio { program, args, env, directory } => {
                let mut command = tokio::process::Command::new(program);
                command.args(args).envs(env.iter().map(|(name, value)| (name, value)));
                if let Some(directory) = directory {
                    command.current_dir(directory);
                }
                let transport = rmcp::transport::TokioChildProcess::new(command).map_err(|error| failed(&error))?;
                relay.serve(transport).await.map_err(|error| failed(&error))
            }
            #[cfg(feature = "http-client")]
            Target::Http(url) => {
                use rmcp::transport::{
                    StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
                };
                let mut config = StreamableHttpClientTransportConfig::with_uri(url.clone());
                if let Some(token) = &self.downstream.bearer {
                    config = config.auth_header(token.clone());
                }
                relay.serve(StreamableHttpClientTransport::from_config(config)).await.map_err(|error| failed(&error))
            }
            #[cfg(feature = "http-client")]
            Target::Sse(url) => {
                let transport = crate::legacy_sse::SseClientTransport::connect(url, self.downstream.bearer.as_deref())
                    .await
                    .map_err(|error| failed(&error))?;
                relay.serve(transport).await.map_err(|error| failed(&error))
            }
            #[cfg(not(feature = "http-client"))]
            Target::Http(_) | Target::Sse(_) => {
                Err("proxying a server over HTTP needs the `http-client` feature of mcp-runtime, which this program \
                     was built without"
                    .to_owned())
            }
        }
    }

    /// One request to the downstream, within its timeout; a connection that failed is dropped,
    /// so the next request opens a new one.
    async fn request<T>(
        &self,
        send: impl AsyncFnOnce(Peer<RoleClient>) -> Result<T, ServiceError>,
    ) -> Result<T, Failed> {
        self.supervise();
        let down = {
            let state = self.state();
            (state.status == DownstreamStatus::Down).then(|| state.error.clone().unwrap_or_default())
        };
        if let Some(reason) = down {
            return Err(Failed::Unreachable(format!("it is down ({reason}); reconnecting")));
        }
        let _slot = match &self.slots {
            Some(slots) => match tokio::time::timeout(self.downstream.timeout, slots.clone().acquire_owned()).await {
                Ok(Ok(slot)) => Some(slot),
                _ => {
                    return Err(Failed::Unreachable(format!(
                        "too busy: no free slot within {:?}",
                        self.downstream.timeout
                    )));
                }
            },
            None => None,
        };
        let peer = self.peer().await.map_err(Failed::Unreachable)?;
        match tokio::time::timeout(self.downstream.timeout, send(peer)).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(ServiceError::McpError(error))) => Err(Failed::Refused(error)),
            Ok(Err(error)) => {
                self.connection.lock().await.take();
                Err(Failed::Unreachable(error.to_string()))
            }
            Err(_) => Err(Failed::Unreachable(format!("no answer within {:?}", self.downstream.timeout))),
        }
    }

    /// A list from the cache, or fetched and cached; empty while the downstream is unreachable.
    async fn list<T: Clone>(
        &self,
        cached: fn(&mut Lists) -> &mut Option<Cached<T>>,
        fetch: impl AsyncFnOnce(Peer<RoleClient>) -> Result<MergedList<T>, ServiceError>,
    ) -> Result<Vec<T>, McpError> {
        if let Some(items) = cached(&mut self.relay.lists()).as_ref().and_then(Cached::fresh) {
            return Ok(items);
        }
        match self.request(fetch).await {
            Ok(merged) => {
                let expires = merged.ttl_ms.map(|ttl| tokio::time::Instant::now() + Duration::from_millis(ttl));
                let items = merged.items;
                *cached(&mut self.relay.lists()) = Some(Cached { items: items.clone(), expires });
                Ok(items)
            }
            Err(failed) => {
                tracing::warn!(downstream = %self.prefix, problem = %failed, "a downstream's items are left out");
                Ok(Vec::new())
            }
        }
    }

    fn error(&self, failed: Failed) -> McpError {
        match failed {
            Failed::Refused(error) => error,
            Failed::Unreachable(problem) => McpError::internal_error(
                format!("downstream `{}` ({}) is unavailable: {problem}", self.prefix, self.downstream.describe()),
                None,
            ),
        }
    }
}

/// Whether a connection has ended: cancelled, or its loop stopped because the transport closed
/// (a child that exited, a dropped stream), which `is_closed` alone does not tell.
fn ended(running: &RunningService<RoleClient, Relay>) -> bool {
    running.is_closed() || running.peer().is_transport_closed()
}

/// Why a request to the downstream failed.
enum Failed {
    /// It answered with a JSON-RPC error, passed on as it is.
    Refused(McpError),
    /// It could not be reached, or did not answer in time.
    Unreachable(String),
}

impl std::fmt::Display for Failed {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Refused(error) => write!(formatter, "{}", error.message),
            Failed::Unreachable(problem) => formatter.write_str(problem),
        }
    }
}

impl Upstream for Proxied {
    fn state(&self) -> Option<DownstreamState> {
        Some(self.state().clone())
    }

    fn fallback(&self, tool: &str) -> Option<&str> {
        if self.state().status == DownstreamStatus::Up {
            return None;
        }
        self.downstream.fallbacks.iter().find(|(own, _)| own == tool).map(|(_, instead)| instead.as_str())
    }

    fn tools(&self, _context: RequestContext<RoleServer>) -> Answer<'_, Vec<Tool>> {
        Box::pin(self.list(|lists| &mut lists.tools, async |peer| peer.list_all_tools_with_cache_hint().await))
    }

    fn call_tool(
        &self,
        mut params: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, CallToolResponse> {
        Box::pin(async move {
            // The caller's `_meta` describes its connection to this server, not this server's to
            // the downstream; a progress request is kept by routing the downstream's progress
            // back to the caller.
            params.meta = None;
            let wants_progress = context.meta.get_progress_token().map(|token| (token, context.peer.clone()));
            let relay = &self.relay;
            match self.request(async |peer| relay.call(peer, params, wants_progress).await).await {
                Ok(answer) => Ok(answer),
                Err(Failed::Refused(error)) => Err(error),
                // The model reads a tool error; the call of a down downstream's tool is one.
                Err(failed @ Failed::Unreachable(_)) => {
                    let message = self.error(failed).message.into_owned();
                    Ok(CallToolResult::error(vec![ContentBlock::text(message)]).into())
                }
            }
        })
    }

    fn prompts(&self, _context: RequestContext<RoleServer>) -> Answer<'_, Vec<Prompt>> {
        Box::pin(self.list(|lists| &mut lists.prompts, async |peer| peer.list_all_prompts_with_cache_hint().await))
    }

    fn get_prompt(
        &self,
        mut params: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Answer<'_, GetPromptResponse> {
        params.meta = None;
        Box::pin(async move {
            let got = self.request(async |peer| peer.get_prompt_once(params).await).await;
            got.map_err(|failed| self.error(failed))
        })
    }

    fn resources(&self, _context: RequestContext<RoleServer>) -> Answer<'_, Vec<Resource>> {
        Box::pin(self.list(|lists| &mut lists.resources, async |peer| peer.list_all_resources_with_cache_hint().await))
    }

    fn templates(&self, _context: RequestContext<RoleServer>) -> Answer<'_, Vec<ResourceTemplate>> {
        Box::pin(
            self.list(
                |lists| &mut lists.templates,
                async |peer| peer.list_all_resource_templates_with_cache_hint().await,
            ),
        )
    }

    fn read_resource(
        &self,
        mut params: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Answer<'_, ReadResourceResponse> {
        params.meta = None;
        Box::pin(async move {
            let read = self.request(async |peer| peer.read_resource_once(params).await).await;
            read.map_err(|failed| self.error(failed))
        })
    }
}

/// Keeps a downstream connected: connects, watches the connection, and when it closes or
/// cannot be opened, marks the downstream down, tells clients its items left, and tries again
/// after a delay that doubles up to 30 s. Ends with the server (the last `Arc` of the proxy).
async fn supervise(me: Weak<Proxied>) {
    let mut delay = FIRST_RETRY_DELAY;
    loop {
        let Some(proxied) = me.upgrade() else { return };
        proxied.became(DownstreamStatus::Starting, None);
        match proxied.peer().await {
            Ok(_) => {
                proxied.became(DownstreamStatus::Up, None);
                proxied.announce().await;
                delay = FIRST_RETRY_DELAY;
                drop(proxied);
                loop {
                    tokio::time::sleep(WATCH_INTERVAL).await;
                    let Some(proxied) = me.upgrade() else { return };
                    if proxied.closed().await {
                        let reason = "the connection closed (the server exited or dropped it)".to_owned();
                        tracing::warn!(downstream = %proxied.prefix, "downstream went down: {reason}");
                        proxied.became(DownstreamStatus::Down, Some(reason));
                        proxied.announce().await;
                        break;
                    }
                }
            }
            Err(problem) => {
                tracing::warn!(downstream = %proxied.prefix, %problem, retry_in = ?delay, "downstream unreachable");
                proxied.became(DownstreamStatus::Down, Some(problem));
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(MAX_RETRY_DELAY);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Cached;

    #[tokio::test]
    async fn a_list_is_reused_until_its_hint_expires() {
        let hinted = Cached { items: vec![1], expires: Some(tokio::time::Instant::now() + Duration::from_millis(100)) };
        let unhinted = Cached { items: vec![2], expires: None };
        assert_eq!(hinted.fresh(), Some(vec![1]));
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(hinted.fresh(), None);
        assert_eq!(unhinted.fresh(), Some(vec![2]), "without a hint a list waits for list_changed");
    }
}
