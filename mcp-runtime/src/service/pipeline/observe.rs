//! Every request the server answers, observed in one place: a span carrying the method, the
//! handler (tool, prompt or resource), the request id, the caller, the protocol version and the
//! transport; one log line with the outcome and duration; the metrics; and, at TRACE, the
//! messages themselves. User middleware runs inside, so what it refuses is still observed.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context as TaskContext, Poll, ready},
    time::Instant,
};

use futures::{FutureExt, future::BoxFuture};
use pin_project_lite::pin_project;
use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{JsonObject, ProtocolVersion},
    service::RequestContext,
};
use serde::Serialize;
use tracing::{Instrument, Span, instrument::Instrumented};

use crate::{
    middleware::{self, Request, Response},
    observe::{
        metrics::{InFlight, Series},
        redact::traced,
        request::{Answer, Outcome, UNKNOWN},
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
    /// Without middleware, `call` is called here, in the request's span, and its future is
    /// wrapped as it is by [`Observed`], a future written by hand: an `async` block would keep
    /// a second copy of everything it awaits, and this future is boxed and moved with every
    /// request. Boxed: rmcp's request loop moves the future it is given several times; a box
    /// makes each of those moves a pointer's copy.
    pub(crate) fn answer_with<'a, T: Answer + Send + 'a, Fut: Future<Output = Result<T, McpError>> + Send + 'a>(
        &'a self,
        observation: Observation,
        arguments: Option<JsonObject>,
        call: impl FnOnce(Option<JsonObject>) -> Fut + Send + 'a,
    ) -> BoxFuture<'a, Result<T, McpError>> {
        let in_flight = self.shared().env.metrics.in_flight();
        let Observation { span, started, method, label, refused, request, series } = observation;
        let answering = match (refused, request) {
            (Some(error), _) => Answering::Refused { error: Some(error) },
            (None, None) => {
                let calling = span.in_scope(|| call(arguments));
                Answering::Called { calling: calling.instrument(span.clone()) }
            }
            (None, Some(mut request)) => {
                request.set_arguments(arguments);
                let handle: middleware::Handle<'a> = Box::new(move |arguments| responding(Box::pin(call(arguments))));
                let answering = middleware::run(&self.shared().middleware, request, handle);
                Answering::Middleware { answering: answering.instrument(span.clone()) }
            }
        };
        let record = Record { span, started, method, label, series };
        Box::pin(Observed { answering, service: self, _in_flight: in_flight, record })
    }

    /// What an answered request leaves behind: its log line, its metrics, its protocol trace.
    /// Not generic over the kind of answer (`outcome` is its status, or the error), so it is
    /// compiled once rather than once per kind of request.
    fn answered(&self, record: &Record, outcome: Result<&dyn Outcome, &McpError>, refused: bool) {
        let Record { span, started, method, label, series } = record;
        let status = match outcome {
            Ok(answer) => answer.status(),
            Err(_) if refused => "rate_limited",
            Err(_) => "error",
        };
        let seconds = started.elapsed().as_secs_f64();
        match series {
            Some(series) => series.record(status, seconds),
            None => self.shared().env.metrics.record(method, label, status, seconds),
        }
        let _entered = span.enter();
        // Microseconds are plenty, and spare log readers `0.0012619999999999999`.
        let duration_ms = (seconds * 1_000_000.0).round() / 1000.0;
        match outcome {
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
            let message = match outcome {
                Ok(answer) => answer.to_json(),
                Err(error) => serde_json::to_value(error).unwrap_or_default(),
            };
            tracing::trace!(target: "mcp_runtime::protocol", message = traced(message), "-> {method}");
        }
    }
}

impl McpService {
    /// The registered URI (or URI template) serving `uri`, for the metrics.
    pub(crate) fn resource_label(&self, uri: &str) -> &'static str {
        self.shared().registry.catalog().resource(uri).map_or(UNKNOWN, |(resource, _)| resource.uri)
    }
}

pin_project! {
    /// A request being answered, and what its observation records once it is: see
    /// [`McpService::answer_with`].
    struct Observed<'a, Fut> {
        #[pin]
        answering: Answering<'a, Fut>,
        service: &'a McpService,
        _in_flight: InFlight<'a>,
        record: Record,
    }
}

pin_project! {
    /// How the request is being answered.
    #[project = AnsweringProjection]
    enum Answering<'a, Fut> {
        /// Over the caller's rate limit: this error, once.
        Refused { error: Option<McpError> },
        /// The handler, called directly: most servers have no middleware.
        Called { #[pin] calling: Instrumented<Fut> },
        /// Through the middleware, boxed, so that servers without it do not carry its size;
        /// it answers with a [`Response`], turned back into the kind of answer once done.
        Middleware { #[pin] answering: Instrumented<BoxFuture<'a, Result<Response, McpError>>> },
    }
}

/// What the observation records once the request is answered.
struct Record {
    span: Span,
    started: Instant,
    method: &'static str,
    label: &'static str,
    /// The item's own counters, when it has them; else counted by `method` and `label`.
    series: Option<Arc<Series>>,
}

impl<T, Fut> Future for Observed<'_, Fut>
where
    T: Answer,
    Fut: Future<Output = Result<T, McpError>>,
{
    type Output = Result<T, McpError>;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (outcome, refused) = match this.answering.project() {
            AnsweringProjection::Refused { error } => {
                (Err(error.take().unwrap_or_else(|| McpError::internal_error("polled after completion", None))), true)
            }
            AnsweringProjection::Called { calling } => (ready!(calling.poll(cx)), false),
            AnsweringProjection::Middleware { answering } => (
                ready!(answering.poll(cx)).and_then(|response| middleware::answer_as(response, this.record.method)),
                false,
            ),
        };
        this.service.answered(this.record, outcome.as_ref().map(|answer| answer as &dyn Outcome), refused);
        Poll::Ready(outcome)
    }
}

/// The handler's answer as middleware sees it. Generic over the kind of answer only: the call
/// is boxed first, so each kind of request does not get a copy of its handler's code inlined in
/// a future of its own, as an `async` block awaiting the call would.
fn responding<'a, T: Answer + Send + 'a>(
    call: BoxFuture<'a, Result<T, McpError>>,
) -> BoxFuture<'a, Result<Response, McpError>> {
    Box::pin(call.map(|answered| answered.map(T::into_response)))
}
