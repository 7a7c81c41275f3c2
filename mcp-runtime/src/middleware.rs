//! Middleware: code of yours around the requests the server answers, for what cuts across
//! handlers (audit logs, argument checks or redaction, caching, refusals by policy).
//!
//! A [`Middleware`] wraps requests as an onion: each hook receives the request and a [`Next`]
//! that runs the rest (the middleware inside it, then the handler), and may change the
//! request first, change the answer after, or answer itself without calling `next`. The
//! typed hooks, [`on_call_tool`](Middleware::on_call_tool), [`on_get_prompt`](Middleware::on_get_prompt),
//! [`on_read_resource`](Middleware::on_read_resource) and the `on_list_*` ones, see only
//! their kind of request and answer with its own type; [`on_request`](Middleware::on_request)
//! sees every request, outside the typed hook. For the simple cases, [`before`](Middleware::before)
//! and [`after`](Middleware::after) are what the default `on_request` runs around the rest.
//! Middleware added first is outermost.
//!
//! The server's own logging, metrics and rate limits run outside all middleware, so a request
//! a middleware refuses is still logged and counted; authentication happens before a request is
//! handed to it, and the [`Request::principal`] is the checked caller.

mod chain;
mod message;

use std::{future::Future, time::Duration};

use rmcp::{
    ErrorData as McpError,
    model::{
        CallToolResponse, GetPromptResponse, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
        ListToolsResult, ReadResourceResponse,
    },
};

pub use chain::Next;
pub(crate) use chain::{Chain, DynMiddleware, Handle, answer_as, run};
pub use message::{AsResponse, OtherResponse, Request, Response};

/// Code around requests; see the [module documentation](self).
///
/// ```
/// use std::time::Instant;
/// use mcp_runtime::{middleware::{Middleware, Next, Request}, model::{CallToolResponse, ErrorData}, prelude::*};
///
/// /// Writes one audit line for each tool call, with who called and how it went.
/// struct Audit;
///
/// impl Middleware for Audit {
///     async fn on_call_tool(&self, call: Request, next: Next<'_, CallToolResponse>) -> Result<CallToolResponse, ErrorData> {
///         let (who, tool, started) = (call.principal().subject().to_owned(), call.name().map(str::to_owned), Instant::now());
///         let outcome = next.run(call).await;
///         eprintln!("audit: {who} called {tool:?}: ok={} in {:?}", outcome.is_ok(), started.elapsed());
///         outcome
///     }
/// }
///
/// let server = Server::new("demo", "1.0.0").middleware(Audit);
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Around every request, outside the typed hook of its kind. The default runs
    /// [`before`](Self::before), then the rest unless `before` answered, then
    /// [`after`](Self::after).
    fn on_request<'a>(
        &'a self,
        request: Request,
        next: Next<'a, Response>,
    ) -> impl Future<Output = Result<Response, McpError>> + Send + 'a {
        async move {
            let started = tokio::time::Instant::now();
            let mut request = request;
            let mut outcome = match self.before(&mut request).await {
                Some(answer) => answer,
                // `after` sees the request as this middleware passed it on.
                None => next.run(request.clone()).await,
            };
            self.after(&request, &mut outcome, started.elapsed()).await;
            outcome
        }
    }

    /// Around `tools/call`: the request names the tool and carries its arguments.
    fn on_call_tool<'a>(
        &'a self,
        call: Request,
        next: Next<'a, CallToolResponse>,
    ) -> impl Future<Output = Result<CallToolResponse, McpError>> + Send + 'a {
        next.run(call)
    }

    /// Around `prompts/get`: the request names the prompt and carries its arguments.
    fn on_get_prompt<'a>(
        &'a self,
        request: Request,
        next: Next<'a, GetPromptResponse>,
    ) -> impl Future<Output = Result<GetPromptResponse, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Around `resources/read`: the request's name is the URI.
    fn on_read_resource<'a>(
        &'a self,
        request: Request,
        next: Next<'a, ReadResourceResponse>,
    ) -> impl Future<Output = Result<ReadResourceResponse, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Around `tools/list`.
    fn on_list_tools<'a>(
        &'a self,
        request: Request,
        next: Next<'a, ListToolsResult>,
    ) -> impl Future<Output = Result<ListToolsResult, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Around `prompts/list`.
    fn on_list_prompts<'a>(
        &'a self,
        request: Request,
        next: Next<'a, ListPromptsResult>,
    ) -> impl Future<Output = Result<ListPromptsResult, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Around `resources/list`.
    fn on_list_resources<'a>(
        &'a self,
        request: Request,
        next: Next<'a, ListResourcesResult>,
    ) -> impl Future<Output = Result<ListResourcesResult, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Around `resources/templates/list`.
    fn on_list_resource_templates<'a>(
        &'a self,
        request: Request,
        next: Next<'a, ListResourceTemplatesResult>,
    ) -> impl Future<Output = Result<ListResourceTemplatesResult, McpError>> + Send + 'a {
        next.run(request)
    }

    /// Before the rest (run by the default [`on_request`](Self::on_request)): inspect the
    /// request, rewrite its arguments, or answer it (`Some`) so that neither the handler nor
    /// the middleware inside this one runs.
    fn before(&self, request: &mut Request) -> impl Future<Output = Option<Result<Response, McpError>>> + Send {
        let _ = request;
        async { None }
    }

    /// After the rest (or this middleware's own answer; run by the default
    /// [`on_request`](Self::on_request)): the outcome, which may be replaced, and the time
    /// since this middleware's `before` ran.
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
