//! Every request the server answers, observed in one place: a span carrying the method, the
//! handler (tool, prompt or resource), the request id, the caller, the protocol version and the
//! transport; one log line with the outcome and duration; the metrics; and, at TRACE, the
//! messages themselves. User middleware runs inside, so what it refuses is still observed.

use std::{future::Future, sync::Arc, time::Instant};

use futures::future::BoxFuture;
use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{JsonObject, ProtocolVersion},
    service::RequestContext,
};
use serde::Serialize;
use tracing::{Instrument, Span};

use crate::{
    middleware::{self, Request},
    observe::{
        metrics::Series,
        redact::traced,
        request::{Answer, UNKNOWN},
    },
    service::McpService,
};

/// Whether the protocol trace is on; checked before any message is serialized for it.
#[inline]
fn tracing_protocol() -> bool {
    tracing::enabled!(target: "mcp_runtime::protocol", tracing::Level::TRACE)
}

/// One request being answered.
pub(crate) struct Observation {
    span: Span,
    started: Instant,
    method: &'static str,
    label: &'static str,
    /// Over the caller's rate limit: answered with this error, the handler never runs.
    refused: Option<McpError>,
    /// What middleware is shown; `None` when the server has no middleware.
    request: Option<Request>,
    /// The item's own counters, when it has them (tools do); else counted by label.
    pub(crate) series: Option<Arc<Series>>,
}

impl McpService {
    /// Opens the request's span (and traces the request); `label` is the registered name the
    /// metrics count it under.
    pub(crate) fn observe(
        &self,
        method: &'static str,
        target: &str,
        label: &'static str,
        params: &impl Serialize,
        context: &RequestContext<RoleServer>,
    ) -> Observation {
        let over_http = super::super::over_http::over_http(context);
        let transport = if over_http { "http" } else { "stdio" };
        let principal = self.principal_of(context);
        let refused = self.rate_limited(method, over_http, &principal);
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
        let request = (!self.shared().middleware.is_empty()).then(|| {
            let name = (!target.is_empty()).then(|| target.to_owned());
            Request::new(method, name, None, principal, transport)
        });
        Observation { span, started: Instant::now(), method, label, refused, request, series: None }
    }

    /// Answers a request that carries no arguments; see [`answer_with`](Self::answer_with).
    pub(crate) fn answer<'a, T: Answer + Send + 'a>(
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
    pub(crate) fn answer_with<'a, T: Answer + Send + 'a, Fut: Future<Output = Result<T, McpError>> + Send + 'a>(
        &'a self,
        observation: Observation,
        arguments: Option<JsonObject>,
        call: impl FnOnce(Option<JsonObject>) -> Fut + Send + 'a,
    ) -> BoxFuture<'a, Result<T, McpError>> {
        Box::pin(self.answer_unboxed(observation, arguments, call))
    }

    async fn answer_unboxed<T: Answer + Send, Fut: Future<Output = Result<T, McpError>> + Send>(
        &self,
        observation: Observation,
        arguments: Option<JsonObject>,
        call: impl FnOnce(Option<JsonObject>) -> Fut + Send,
    ) -> Result<T, McpError> {
        let _in_flight = self.shared().env.metrics.in_flight();
        let Observation { span, started, method, label, refused, request, series } = observation;
        let (outcome, status) = match refused {
            Some(error) => (Err(error), "rate_limited"),
            None => {
                let handled = async {
                    let Some(mut request) = request else { return call(arguments).await };
                    request.set_arguments(arguments);
                    let handle = |arguments| async { call(arguments).await.map(T::into_response) };
                    // Boxed so that servers without middleware do not carry its state's size.
                    let response = Box::pin(middleware::run(&self.shared().middleware, request, handle)).await?;
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
            None => self.shared().env.metrics.record(method, label, status, seconds),
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
}

impl McpService {
    /// The registered URI (or URI template) serving `uri`, for the metrics.
    pub(crate) fn resource_label(&self, uri: &str) -> &'static str {
        self.shared().registry.catalog().resource(uri).map_or(UNKNOWN, |(resource, _)| resource.uri)
    }
}
