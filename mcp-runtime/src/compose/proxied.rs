//! A server reached through rmcp's client: one connection, opened on first use and kept; lists
//! cached until the downstream says they changed; a downstream that cannot be reached has no
//! items, and a call of one of its tools gets a tool error naming it, while everything else is
//! served as usual.
//!
//! The downstream speaks 2025-11-25, whose results carry no `resultType`; rmcp's server removes
//! the field for callers of older versions, so each result passed on is stamped `complete`, as a
//! 2026-07-28 caller needs it.

// The relay speaks 2025-11-25 to its downstreams, whose resource subscriptions are
// `resources/subscribe` (deprecated for 2026-07-28 in favour of `subscriptions/listen`).
#![allow(deprecated)]

use std::{
    collections::BTreeSet,
    sync::{
        Arc, Mutex, PoisonError, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rmcp::{
    ErrorData as McpError, RoleClient, RoleServer, ServiceError,
    model::{
        CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams, CompleteResult, CompletionInfo,
        ContentBlock, ErrorCode, GetPromptRequestParams, GetPromptResponse, Prompt, ProtocolVersion,
        ReadResourceRequestParams, ReadResourceResponse, Resource, ResourceTemplate, ResultType,
        SubscribeRequestParams, Tool,
    },
    service::{MergedList, Peer, RequestContext, RunningService},
};

use super::{
    DownstreamState, DownstreamStatus, Prefix,
    cache::{Cached, Lists},
    downstream::{Downstream, Target},
    held::{Held, Running},
    relay::{Origin, Relay},
    upstream::{Answer, Caller, Upstream},
};
use crate::{notify::Notifier, observe::metrics::Metrics};

/// The first wait before reconnecting to a downstream that went down; it doubles up to
/// `MAX_RETRY_DELAY` while the downstream stays down.
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);
/// How often the supervisor looks whether an open connection has closed.
const WATCH_INTERVAL: Duration = Duration::from_millis(250);

pub(crate) struct Proxied {
    prefix: Prefix,
    downstream: Downstream,
    relay: Relay,
    connection: tokio::sync::Mutex<Option<RunningService<RoleClient, Relay>>>,
    /// Calls of 2026-07-28 callers waiting for their answers to the downstream's questions.
    held: Held,
    /// The resources a caller subscribed to, by the downstream's URI: subscribed again on
    /// every new connection (never unsubscribed: updates nobody listens to are dropped here).
    subscribed: Mutex<BTreeSet<String>>,
    /// Itself, for the supervisor it starts on first use and for held calls.
    me: Weak<Proxied>,
    supervised: AtomicBool,
    state: Mutex<DownstreamState>,
    /// `Downstream::max_concurrency`.
    slots: Option<Arc<tokio::sync::Semaphore>>,
    metrics: Metrics,
    /// Its prefix, kept for the life of the process as a metric label.
    label: &'static str,
}

impl Proxied {
    pub(crate) fn new(prefix: Prefix, downstream: Downstream, notifier: Notifier, metrics: Metrics) -> Arc<Self> {
        // The legacy transport's clients speak its revision; servers of it may know no other.
        let version = match downstream.target {
            Target::Sse(_) => ProtocolVersion::V_2024_11_05,
            _ => ProtocolVersion::V_2025_11_25,
        };
        let label = crate::intern::name(&prefix.to_string());
        let relay = Relay::new(prefix.clone(), notifier, version);
        let state = DownstreamState {
            prefix: prefix.to_string(),
            target: downstream.describe(),
            status: DownstreamStatus::Starting,
            error: None,
            last_error: None,
            connections: 0,
        };
        let slots = downstream.max_concurrency.map(|slots| Arc::new(tokio::sync::Semaphore::new(slots)));
        let held = Held::new(downstream.timeout);
        let proxied = Arc::new_cyclic(|me| Self {
            prefix,
            downstream,
            relay,
            connection: tokio::sync::Mutex::new(None),
            held,
            subscribed: Mutex::default(),
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

    fn subscribed(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.subscribed.lock().unwrap_or_else(PoisonError::into_inner)
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
        let subscribed: Vec<String> = self.subscribed().iter().cloned().collect();
        for uri in subscribed {
            let again =
                tokio::time::timeout(self.downstream.timeout, peer.subscribe(SubscribeRequestParams::new(&uri)));
            if !matches!(again.await, Ok(Ok(()))) {
                tracing::warn!(downstream = %self.prefix, %uri, "could not subscribe again to a resource");
            }
        }
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
                relay.serve_over(transport).await.map_err(|error| failed(&error))
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
                let transport = StreamableHttpClientTransport::with_client(pooled_http_client()?, config);
                relay.serve_over(transport).await.map_err(|error| failed(&error))
            }
            #[cfg(feature = "http-client")]
            Target::Sse(url) => {
                let transport = crate::legacy_sse::SseClientTransport::connect(url, self.downstream.bearer.as_deref())
                    .await
                    .map_err(|error| failed(&error))?;
                relay.serve_over(transport).await.map_err(|error| failed(&error))
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

    /// A tool call on the downstream for `origin`; a downstream that cannot be reached makes it
    /// a tool error naming it, which the model reads.
    async fn call(&self, params: CallToolRequestParams, origin: Origin) -> Result<CallToolResponse, McpError> {
        let relay = &self.relay;
        match self.request(async |peer| relay.call(peer, params, origin).await).await {
            Ok(answer) => Ok(answer),
            Err(Failed::Refused(error)) => Err(error),
            Err(failed @ Failed::Unreachable(_)) => {
                let message = self.error(failed).message.into_owned();
                Ok(CallToolResult::error(vec![ContentBlock::text(message)]).into())
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

/// The HTTP client for a Streamable HTTP downstream. rmcp's default client keeps no idle
/// connection (`pool_max_idle_per_host(0)`, against delayed-ACK stalls when a response body is
/// left unread), so every call would open a TCP connection: a third of a millisecond per call on
/// loopback, most of what a hop cost. rmcp reads each response to its end, so connections are
/// kept here; with `TCP_NODELAY`, as rmcp's own. Redirects as rmcp's: same origin, 307 and 308
/// only (those keep the method and body; another origin must not get the credential).
#[cfg(feature = "http-client")]
fn pooled_http_client() -> Result<reqwest::Client, String> {
    const MAX_REDIRECTS: usize = 10;
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        let keeps_body = matches!(attempt.status().as_u16(), 307 | 308);
        if same_origin && keeps_body && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .redirect(redirects)
        .build()
        .map_err(|error| format!("cannot build an HTTP client: {error}"))
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
        let cancelled = context.ct.clone();
        let call = async move {
            // The caller's `_meta` describes its connection to this server, not this server's to
            // the downstream; what it asked for there (progress, logs) is relayed instead.
            params.meta = None;
            let (answers, state) = (params.input_responses.take(), params.request_state.take());
            let origin = Origin::of(&context);
            if !origin.is_modern() {
                return self.call(params, origin).await;
            }
            let principal = context
                .extensions
                .get::<Caller>()
                .map(|caller| caller.principal.subject().to_owned())
                .unwrap_or_default();
            let tool = params.name.to_string();
            if let Some(state) = state.filter(|state| Held::is_ours(state)) {
                return self.held.resume(&state, &principal, &tool, answers.unwrap_or_default()).await;
            }
            let me = self.me.upgrade().ok_or_else(|| McpError::internal_error("the server is shutting down", None))?;
            let running =
                Running::start(|questions| async move { me.call(params, origin.with_questions(questions)).await });
            self.held.wait(running, principal, tool).await
        };
        // A caller that cancels drops the call, which cancels the downstream's request.
        Box::pin(async move {
            tokio::select! {
                biased;
                () = cancelled.cancelled() => Err(McpError::internal_error("the caller cancelled the call", None)),
                answer = call => answer,
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
            let mut got = self.request(async |peer| peer.get_prompt_once(params).await).await;
            if let Ok(GetPromptResponse::Complete(result)) = &mut got {
                result.result_type.get_or_insert(ResultType::COMPLETE);
            }
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
            let mut read = self.request(async |peer| peer.read_resource_once(params).await).await;
            if let Ok(ReadResourceResponse::Complete(result)) = &mut read {
                result.result_type.get_or_insert(ResultType::COMPLETE);
            }
            read.map_err(|failed| self.error(failed))
        })
    }

    fn complete(
        &self,
        mut params: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Answer<'_, CompleteResult> {
        params.meta = None;
        Box::pin(async move {
            match self.request(async |peer| peer.complete(params).await).await {
                Ok(mut result) => {
                    result.result_type.get_or_insert(ResultType::COMPLETE);
                    Ok(result)
                }
                // A server that offers no completions has no suggestions, as an argument
                // without a completion source here has none.
                Err(Failed::Refused(error)) if error.code == ErrorCode::METHOD_NOT_FOUND => {
                    Ok(CompleteResult::new(CompletionInfo::default()))
                }
                Err(failed) => Err(self.error(failed)),
            }
        })
    }

    fn subscribe(&self, uri: String, _context: RequestContext<RoleServer>) -> Answer<'_, ()> {
        Box::pin(async move {
            if self.subscribed().contains(&uri) {
                return Ok(());
            }
            let prefix = &self.prefix;
            let asked = self
                .request(async |peer| {
                    let offered = peer.peer_info().is_some_and(|info| {
                        info.capabilities.resources.as_ref().and_then(|resources| resources.subscribe) == Some(true)
                    });
                    if !offered {
                        let message = format!("downstream `{prefix}` does not offer resource subscriptions");
                        return Err(ServiceError::McpError(McpError::invalid_params(message, None)));
                    }
                    peer.subscribe(SubscribeRequestParams::new(&uri)).await
                })
                .await;
            asked.map_err(|failed| self.error(failed))?;
            self.subscribed().insert(uri);
            Ok(())
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
                proxied.relay.everything_changed().await;
                delay = FIRST_RETRY_DELAY;
                drop(proxied);
                loop {
                    tokio::time::sleep(WATCH_INTERVAL).await;
                    let Some(proxied) = me.upgrade() else { return };
                    if proxied.closed().await {
                        let reason = "the connection closed (the server exited or dropped it)".to_owned();
                        tracing::warn!(downstream = %proxied.prefix, "downstream went down: {reason}");
                        proxied.became(DownstreamStatus::Down, Some(reason));
                        proxied.relay.everything_changed().await;
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
