//! Middleware: code of yours around every request the server answers, for what cuts across
//! handlers (audit logs, argument checks or redaction, caching, refusals by policy).
//!
//! A [`Middleware`] sees a request [`before`](Middleware::before) its handler runs, and may
//! rewrite its arguments or answer it itself; then [`after`](Middleware::after), it sees the
//! outcome and how long it took, and may replace it. Middleware added first is outermost: its
//! `before` runs first and its `after` last. A request one middleware answers goes no further
//! in, but every middleware it passed on the way sees its `after`.
//!
//! The server's own logging, metrics and rate limits run outside all middleware, so a request
//! a middleware refuses is still logged and counted; authentication and scope checks happen
//! before a request is handed to it, and the [`Request::principal`] is the checked caller.

use std::{future::Future, sync::Arc, time::Duration};

use futures::future::BoxFuture;
use rmcp::{
    ErrorData as McpError,
    model::{CallToolResponse, GetPromptResponse, JsonObject, ReadResourceResponse},
};

use crate::auth::Principal;

/// Code around every request; see the [module documentation](self).
///
/// ```
/// use std::time::Duration;
/// use mcp_runtime::{middleware::{Middleware, Request, Response}, prelude::*};
///
/// /// Writes one audit line for each tool call, with who called and how it went.
/// struct Audit;
///
/// impl Middleware for Audit {
///     async fn after(&self, request: &Request, outcome: &mut Result<Response, mcp_runtime::model::ErrorData>, elapsed: Duration) {
///         if request.method() == "tools/call" {
///             let ok = matches!(outcome, Ok(response) if !response.is_tool_error());
///             eprintln!("audit: {} called {:?}: ok={ok} in {elapsed:?}", request.principal().subject(), request.name());
///         }
///     }
/// }
///
/// let server = Server::new("demo", "1.0.0").middleware(Audit);
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Before the handler: inspect the request, rewrite its arguments, or answer it (`Some`)
    /// so that neither the handler nor the middleware inside this one runs.
    fn before(&self, request: &mut Request) -> impl Future<Output = Option<Result<Response, McpError>>> + Send {
        let _ = request;
        async { None }
    }

    /// After the handler (or the middleware that answered): the outcome, which may be
    /// replaced, and the time since this middleware's `before` ran.
    fn after(
        &self,
        request: &Request,
        outcome: &mut Result<Response, McpError>,
        elapsed: Duration,
    ) -> impl Future<Output = ()> + Send {
        let _ = (request, outcome, elapsed);
        async {}
    }
}

/// What a middleware sees of a request.
#[derive(Debug)]
pub struct Request {
    method: &'static str,
    name: Option<String>,
    arguments: Option<JsonObject>,
    principal: Arc<Principal>,
    transport: &'static str,
}

impl Request {
    pub(crate) fn new(
        method: &'static str,
        name: Option<String>,
        arguments: Option<JsonObject>,
        principal: Arc<Principal>,
        transport: &'static str,
    ) -> Self {
        Self { method, name, arguments, principal, transport }
    }

    /// The JSON-RPC method: `tools/call`, `prompts/get`, `resources/read`, `tools/list`, ...
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn is_call(request: &Request) -> bool { request.method() == "tools/call" }
    /// ```
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The tool or prompt name, or the resource URI, for requests about one item.
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn is_delete(request: &Request) -> bool { request.name() == Some("delete_file") }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The arguments of a `tools/call` or `prompts/get`, as the client sent them.
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn path(request: &Request) -> Option<&str> { request.arguments()?.get("path")?.as_str() }
    /// ```
    pub fn arguments(&self) -> Option<&JsonObject> {
        self.arguments.as_ref()
    }

    /// The arguments, to rewrite before the handler decodes them (a default filled in, a
    /// path normalised).
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn default_limit(request: &mut Request) {
    ///     if let Some(arguments) = request.arguments_mut() {
    ///         arguments.entry("limit").or_insert(serde_json::json!(10));
    ///     }
    /// }
    /// ```
    pub fn arguments_mut(&mut self) -> Option<&mut JsonObject> {
        self.arguments.as_mut()
    }

    /// Who is calling: the authenticated principal over HTTP, else the local one.
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn caller(request: &Request) -> &str { request.principal().subject() }
    /// ```
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub(crate) fn set_arguments(&mut self, arguments: Option<JsonObject>) {
        self.arguments = arguments;
    }

    /// `stdio` (or any stream transport) or `http`.
    ///
    /// ```
    /// # use mcp_runtime::middleware::Request;
    /// fn remote(request: &Request) -> bool { request.transport() == "http" }
    /// ```
    pub fn transport(&self) -> &'static str {
        self.transport
    }
}

/// A request's answer, as a middleware sees it: a tool's, a prompt's or a resource's in full,
/// the rest (lists, completions, the handshake) passed through unopened.
#[derive(Debug)]
#[non_exhaustive]
pub enum Response {
    /// The answer to `tools/call`.
    Tool(CallToolResponse),
    /// The answer to `prompts/get`.
    Prompt(GetPromptResponse),
    /// The answer to `resources/read`.
    Resource(ReadResourceResponse),
    /// Any other answer.
    Other(OtherResponse),
}

impl Response {
    /// Whether this is a tool result flagged `isError` (the tool failed in a way the model
    /// can read).
    ///
    /// ```
    /// use mcp_runtime::middleware::Response;
    /// use mcp_runtime::model::{CallToolResult, ContentBlock};
    ///
    /// let failed = Response::Tool(CallToolResult::error(vec![ContentBlock::text("no such file")]).into());
    /// assert!(failed.is_tool_error());
    /// ```
    pub fn is_tool_error(&self) -> bool {
        matches!(self, Response::Tool(CallToolResponse::Complete(result)) if result.is_error == Some(true))
    }
}

/// An answer other than a tool's, prompt's or resource's; middleware passes it on as it is.
#[derive(Debug)]
pub struct OtherResponse(pub(crate) Box<dyn std::any::Any + Send>);

/// The object-safe form of [`Middleware`] the server keeps.
pub(crate) trait DynMiddleware: Send + Sync {
    fn before<'a>(&'a self, request: &'a mut Request) -> BoxFuture<'a, Option<Result<Response, McpError>>>;
    fn after<'a>(
        &'a self,
        request: &'a Request,
        outcome: &'a mut Result<Response, McpError>,
        elapsed: Duration,
    ) -> BoxFuture<'a, ()>;
}

impl<M: Middleware> DynMiddleware for M {
    fn before<'a>(&'a self, request: &'a mut Request) -> BoxFuture<'a, Option<Result<Response, McpError>>> {
        Box::pin(Middleware::before(self, request))
    }

    fn after<'a>(
        &'a self,
        request: &'a Request,
        outcome: &'a mut Result<Response, McpError>,
        elapsed: Duration,
    ) -> BoxFuture<'a, ()> {
        Box::pin(Middleware::after(self, request, outcome, elapsed))
    }
}

/// The middleware of one server, outermost first.
pub(crate) type Chain = Arc<[Arc<dyn DynMiddleware>]>;

/// Runs `request` through `chain` around `handle`, which receives the (possibly rewritten)
/// arguments.
pub(crate) async fn run<F, Fut>(
    chain: &[Arc<dyn DynMiddleware>],
    mut request: Request,
    handle: F,
) -> Result<Response, McpError>
where
    F: FnOnce(Option<JsonObject>) -> Fut,
    Fut: Future<Output = Result<Response, McpError>>,
{
    let mut entered = Vec::with_capacity(chain.len());
    let mut answered = None;
    for middleware in chain {
        entered.push((middleware, tokio::time::Instant::now()));
        if let Some(outcome) = middleware.before(&mut request).await {
            answered = Some(outcome);
            break;
        }
    }
    let mut outcome = match answered {
        Some(outcome) => outcome,
        // The `after` hooks still see the arguments the handler was given.
        None => handle(request.arguments.clone()).await,
    };
    for (middleware, started) in entered.into_iter().rev() {
        middleware.after(&request, &mut outcome, started.elapsed()).await;
    }
    outcome
}
