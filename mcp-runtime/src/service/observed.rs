//! Every request the server answers, observed in one place: a span carrying the method, the
//! handler (tool, prompt or resource), the request id, the caller, the protocol version and the transport; one log line with
//! the outcome and duration; the metrics; and, at TRACE, the messages themselves.
//!
//! rmcp's HTTP service wants a `ServerHandler`, so the observation wraps each handler method
//! and hands the request on to [`Handling`], which answers it.

#![allow(deprecated)] // `set_level` belongs to client logging, deprecated by SEP-2577 but still used.

use std::{future::Future, sync::Arc, time::Instant};

use futures::future::BoxFuture;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, DiscoverResult,
        GetPromptRequestParams, GetPromptResponse, InitializeRequestParams, InitializeResult, JsonObject,
        ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
        ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, Reference, ServerConfig,
        SetLevelRequestParams, SubscribeRequestParams, SubscriptionFilter, Tool, UnsubscribeRequestParams,
    },
    service::{RequestContext, SubscriptionContext},
};
use serde::Serialize;
use serde_json::Value;
use tracing::{Instrument, Span};

use super::{Handling, McpService, unknown_tool};

// rmcp's bound on a handler's futures: `Send` unless rmcp is built for local executors.
use crate::{
    middleware::{self, Request},
    observe::{
        metrics::Series,
        redact::traced,
        request::{Answer, UNKNOWN},
    },
};
use rmcp::service::MaybeSendFuture as Answering;

/// Whether the protocol trace is on; checked before any message is serialized for it.
fn tracing_protocol() -> bool {
    tracing::enabled!(target: "mcp_runtime::protocol", tracing::Level::TRACE)
}

/// One request being answered.
struct Observation {
    span: Span,
    started: Instant,
    method: &'static str,
    label: &'static str,
    /// Over the caller's rate limit: answered with this error, the handler never runs.
    refused: Option<McpError>,
    /// What middleware is shown; `None` when the server has no middleware.
    request: Option<Request>,
    /// The item's own counters, when it has them (tools do); else counted by label.
    series: Option<Arc<Series>>,
}

impl McpService {
    /// Opens the request's span (and traces the request); `label` is the registered name the
    /// metrics count it under.
    fn observe(
        &self,
        method: &'static str,
        target: &str,
        label: &'static str,
        params: &impl Serialize,
        context: &RequestContext<RoleServer>,
    ) -> Observation {
        let over_http = context.extensions.get::<axum::http::request::Parts>().is_some();
        let transport = if over_http { "http" } else { "stdio" };
        let principal = self.principal_of(context);
        // HTTP requests were limited before they reached rmcp (with a 429); `initialize` is
        // never refused, so a client limited on stdio can still connect and see why.
        let refused = match &self.shared.rate_limiter {
            Some(limiter) if !over_http && method != "initialize" => {
                limiter.check(principal.subject()).err().map(|wait| limiter.error(wait))
            }
            _ => None,
        };
        let span = tracing::info_span!(
            target: "mcp_runtime::request",
            "mcp_request",
            method,
            handler = target,
            id = %context.id,
            principal = principal.subject(),
            protocol = context.protocol_version().as_ref().map_or("", ProtocolVersion::as_str),
            transport,
        );
        if tracing_protocol() {
            let message = serde_json::to_value(params).unwrap_or_default();
            span.in_scope(
                || tracing::trace!(target: "mcp_runtime::protocol", message = traced(message), "<- {method}"),
            );
        }
        let request = (!self.shared.middleware.is_empty()).then(|| {
            let name = (!target.is_empty()).then(|| target.to_owned());
            Request::new(method, name, None, principal, transport)
        });
        Observation { span, started: Instant::now(), method, label, refused, request, series: None }
    }

    /// Answers a request that carries no arguments; see [`answer_with`](Self::answer_with).
    fn answer<'a, T: Answer + Send + 'a>(
        &'a self,
        observation: Observation,
        call: impl Future<Output = Result<T, McpError>> + Send + 'a,
    ) -> BoxFuture<'a, Result<T, McpError>> {
        self.answer_with(observation, None, |_| call)
    }

    /// Answers within the request's span, through the middleware, then logs, counts and traces
    /// the outcome. `call` receives the arguments, as middleware may have rewritten them.
    ///
    /// Boxed: the answering future is large (the handler's, the limits', the observation's
    /// state), and rmcp's request loop moves the future it is given several times; a box makes
    /// each of those moves a pointer's copy instead of a few kilobytes'.
    fn answer_with<'a, T: Answer + Send + 'a, Fut: Future<Output = Result<T, McpError>> + Send + 'a>(
        &'a self,
        observation: Observation,
        arguments: Option<JsonObject>,
        call: impl FnOnce(Option<JsonObject>) -> Fut + Send + 'a,
    ) -> BoxFuture<'a, Result<T, McpError>> {
        Box::pin(self.answer_unboxed(observation, arguments, call))
    }

    async fn answer_unboxed<T: Answer, Fut: Future<Output = Result<T, McpError>>>(
        &self,
        observation: Observation,
        arguments: Option<JsonObject>,
        call: impl FnOnce(Option<JsonObject>) -> Fut,
    ) -> Result<T, McpError> {
        let _in_flight = self.shared.env.metrics.in_flight();
        let Observation { span, started, method, label, refused, request, series } = observation;
        let (outcome, status) = match refused {
            Some(error) => (Err(error), "rate_limited"),
            None => {
                let handled = async {
                    let Some(mut request) = request else { return call(arguments).await };
                    request.set_arguments(arguments);
                    let handle = |arguments| async { call(arguments).await.map(Answer::into_response) };
                    // Boxed so that servers without middleware do not carry its state's size.
                    let response = Box::pin(middleware::run(&self.shared.middleware, request, handle)).await?;
                    T::from_response(response).ok_or_else(|| {
                        McpError::internal_error(
                            format!("a middleware answered `{method}` with the answer to another kind of request"),
                            None,
                        )
                    })
                };
                let outcome = handled.instrument(span.clone()).await;
                let status = outcome.as_ref().map_or("error", Answer::status);
                (outcome, status)
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        match series {
            Some(series) => series.record(status, seconds),
            None => self.shared.env.metrics.record(method, label, status, seconds),
        }
        let _entered = span.enter();
        // Microseconds are plenty, and spare log readers `0.0012619999999999999`.
        let duration_ms = (seconds * 1_000_000.0).round() / 1000.0;
        match &outcome {
            Ok(_) => tracing::info!(target: "mcp_runtime::request", status, duration_ms, "answered"),
            Err(error) => tracing::info!(
                target: "mcp_runtime::request",
                status,
                duration_ms,
                code = error.code.0,
                error = %error.message,
                "answered"
            ),
        }
        if tracing_protocol() {
            let message = match &outcome {
                Ok(answer) => answer.to_json(),
                Err(error) => serde_json::to_value(error).unwrap_or_default(),
            };
            tracing::trace!(target: "mcp_runtime::protocol", message = traced(message), "-> {method}");
        }
        outcome
    }

    fn handling(&self) -> Handling {
        Handling(self.clone())
    }
}

// Each method returns the box `answer_with` makes, not an `async fn`'s state machine: rmcp
// moves the future it is handed several times before polling it, and ours is large.
impl ServerHandler for McpService {
    fn get_info(&self) -> ServerConfig {
        self.shared.info.clone()
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [ProtocolVersion]> {
        self.handling().supported_protocol_versions()
    }

    fn ping(&self, context: RequestContext<RoleServer>) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("ping", "", "", &Value::Null, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.ping(context).await })
    }

    fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<InitializeResult, McpError>> + Answering + '_ {
        let observation = self.observe("initialize", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.initialize(request, context).await })
    }

    fn discover(
        &self,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<DiscoverResult, McpError>> + Answering + '_ {
        let observation = self.observe("server/discover", "", "", &Value::Null, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.discover(context).await })
    }

    fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListToolsResult, McpError>> + Answering + '_ {
        let observation = self.observe("tools/list", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.list_tools(request, context).await })
    }

    fn call_tool(
        &self,
        mut request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<CallToolResponse, McpError>> + Answering + '_ {
        let entry = self.shared.registry.tool(&request.name);
        let label = entry.map_or(UNKNOWN, |entry| entry.definition.name);
        let mut observation = self.observe("tools/call", &request.name, label, &request, &context);
        observation.series = entry.map(|entry| entry.series.clone());
        let arguments = request.arguments.take();
        self.answer_with(observation, arguments, move |arguments| async move {
            request.arguments = arguments;
            match entry {
                Some(entry) => self.call_registered_tool(entry, request, context).await,
                None => Err(unknown_tool(&request.name, &self.shared.registry)),
            }
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.handling().get_tool(name)
    }

    fn list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListPromptsResult, McpError>> + Answering + '_ {
        let observation = self.observe("prompts/list", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.list_prompts(request, context).await })
    }

    fn get_prompt(
        &self,
        mut request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<GetPromptResponse, McpError>> + Answering + '_ {
        let label = self.shared.registry.prompt(&request.name).map_or(UNKNOWN, |entry| entry.definition.name);
        let observation = self.observe("prompts/get", &request.name, label, &request, &context);
        let arguments = request.arguments.take();
        let handling = self.handling();
        self.answer_with(observation, arguments, move |arguments| async move {
            request.arguments = arguments;
            handling.get_prompt(request, context).await
        })
    }

    fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListResourcesResult, McpError>> + Answering + '_ {
        let observation = self.observe("resources/list", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.list_resources(request, context).await })
    }

    fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListResourceTemplatesResult, McpError>> + Answering + '_ {
        let observation = self.observe("resources/templates/list", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.list_resource_templates(request, context).await })
    }

    fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ReadResourceResponse, McpError>> + Answering + '_ {
        let label = self.resource_label(&request.uri);
        let observation = self.observe("resources/read", &request.uri, label, &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.read_resource(request, context).await })
    }

    fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let label = self.resource_label(&request.uri);
        let observation = self.observe("resources/subscribe", &request.uri, label, &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.subscribe(request, context).await })
    }

    fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let label = self.resource_label(&request.uri);
        let observation = self.observe("resources/unsubscribe", &request.uri, label, &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.unsubscribe(request, context).await })
    }

    fn accepted_subscription_filter(&self, requested: &SubscriptionFilter) -> Option<SubscriptionFilter> {
        self.handling().accepted_subscription_filter(requested)
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        self.handling().listen(context).await
    }

    fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<CompleteResult, McpError>> + Answering + '_ {
        let target = match &request.r#ref {
            Reference::Prompt(prompt) => prompt.name.clone(),
            Reference::Resource(resource) => resource.uri.clone(),
            _ => String::new(),
        };
        let observation = self.observe("completion/complete", &target, "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.complete(request, context).await })
    }

    fn set_level(
        &self,
        request: SetLevelRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("logging/setLevel", "", "", &request, &context);
        let handling = self.handling();
        self.answer(observation, async move { handling.set_level(request, context).await })
    }
}

impl McpService {
    /// The registered URI (or URI template) serving `uri`, for the metrics.
    fn resource_label(&self, uri: &str) -> &'static str {
        self.shared.registry.resource(uri).map_or(UNKNOWN, |(resource, _)| resource.uri)
    }
}
