//! The middleware of one server as an onion: each middleware's `on_request`, then its typed
//! hook for the request's kind, then the next middleware, and the handler at the centre.

use std::{future::Future, marker::PhantomData, sync::Arc};

use futures::future::BoxFuture;
use rmcp::{
    ErrorData as McpError,
    model::{
        CallToolResponse, GetPromptResponse, JsonObject, ListPromptsResult, ListResourceTemplatesResult,
        ListResourcesResult, ListToolsResult, ReadResourceResponse,
    },
};

use super::{
    Middleware,
    message::{AsResponse, Request, Response},
};

/// What runs inside: the rest of the chain, then the handler.
type Rest<'a> = Box<dyn FnOnce(Request) -> BoxFuture<'a, Result<Response, McpError>> + Send + 'a>;

/// The rest of the chain (the middleware inside this one, then the handler), answering with
/// `T`, the answer of the hook's kind of request. Run it at most once.
pub struct Next<'a, T> {
    rest: Rest<'a>,
    answer: PhantomData<fn() -> T>,
}

impl<'a, T> Next<'a, T> {
    fn new(rest: Rest<'a>) -> Self {
        Self { rest, answer: PhantomData }
    }
}

impl<T: AsResponse> Next<'_, T> {
    /// Runs the rest with `request` (as this middleware may have changed it).
    ///
    /// ```
    /// use mcp_runtime::{middleware::{Middleware, Next, Request}, model::{ErrorData, ListToolsResult}};
    ///
    /// /// Hides the tools whose names start with `_` from every list.
    /// struct HideInternal;
    ///
    /// impl Middleware for HideInternal {
    ///     async fn on_list_tools(&self, request: Request, next: Next<'_, ListToolsResult>) -> Result<ListToolsResult, ErrorData> {
    ///         let mut listed = next.run(request).await?;
    ///         listed.tools.retain(|tool| !tool.name.starts_with('_'));
    ///         Ok(listed)
    ///     }
    /// }
    /// ```
    pub async fn run(self, request: Request) -> Result<T, McpError> {
        let method = request.method();
        let response = (self.rest)(request).await?;
        answer_as(response, method)
    }
}

/// `response` as the kind of answer `method` asks for; a middleware that answered another kind
/// is the server's bug, reported as an internal error rather than sent on.
pub(crate) fn answer_as<T: AsResponse>(response: Response, method: &str) -> Result<T, McpError> {
    T::from_response(response).ok_or_else(|| {
        McpError::internal_error(
            format!("a middleware answered `{method}` with the answer to another kind of request"),
            None,
        )
    })
}

/// The object-safe form of [`Middleware`] the server keeps.
pub(crate) trait DynMiddleware: Send + Sync {
    fn on_request<'a>(
        &'a self,
        request: Request,
        next: Next<'a, Response>,
    ) -> BoxFuture<'a, Result<Response, McpError>>;
    /// The typed hook for `request`'s method, answering as a [`Response`].
    fn on_kind<'a>(&'a self, request: Request, rest: Rest<'a>) -> BoxFuture<'a, Result<Response, McpError>>;
}

impl<M: Middleware> DynMiddleware for M {
    fn on_request<'a>(
        &'a self,
        request: Request,
        next: Next<'a, Response>,
    ) -> BoxFuture<'a, Result<Response, McpError>> {
        Box::pin(Middleware::on_request(self, request, next))
    }

    fn on_kind<'a>(&'a self, request: Request, rest: Rest<'a>) -> BoxFuture<'a, Result<Response, McpError>> {
        fn typed<'a, T: AsResponse, Fut>(hook: Fut) -> BoxFuture<'a, Result<Response, McpError>>
        where
            Fut: Future<Output = Result<T, McpError>> + Send + 'a,
        {
            Box::pin(async move { hook.await.map(T::into_response) })
        }
        match request.method() {
            "tools/call" => typed::<CallToolResponse, _>(self.on_call_tool(request, Next::new(rest))),
            "prompts/get" => typed::<GetPromptResponse, _>(self.on_get_prompt(request, Next::new(rest))),
            "resources/read" => typed::<ReadResourceResponse, _>(self.on_read_resource(request, Next::new(rest))),
            "tools/list" => typed::<ListToolsResult, _>(self.on_list_tools(request, Next::new(rest))),
            "prompts/list" => typed::<ListPromptsResult, _>(self.on_list_prompts(request, Next::new(rest))),
            "resources/list" => typed::<ListResourcesResult, _>(self.on_list_resources(request, Next::new(rest))),
            "resources/templates/list" => {
                typed::<ListResourceTemplatesResult, _>(self.on_list_resource_templates(request, Next::new(rest)))
            }
            _ => rest(request),
        }
    }
}

/// The middleware of one server, outermost first.
pub(crate) type Chain = Arc<[Arc<dyn DynMiddleware>]>;

/// The handler at the centre of the chain: it receives the (possibly rewritten) arguments.
pub(crate) type Handle<'a> =
    Box<dyn FnOnce(Option<JsonObject>) -> BoxFuture<'a, Result<Response, McpError>> + Send + 'a>;

/// Runs `request` through `chain` around `handle`. Boxed rather than generic over the handler,
/// so the chain is compiled once instead of once per kind of request.
pub(crate) fn run<'a>(
    chain: &'a [Arc<dyn DynMiddleware>],
    request: Request,
    handle: Handle<'a>,
) -> BoxFuture<'a, Result<Response, McpError>> {
    let centre: Rest<'a> = Box::new(move |request: Request| handle(request.into_arguments()));
    enter(chain, request, centre)
}

/// The middleware at the head of `chain`, around the rest of it and the centre.
fn enter<'a>(
    chain: &'a [Arc<dyn DynMiddleware>],
    request: Request,
    centre: Rest<'a>,
) -> BoxFuture<'a, Result<Response, McpError>> {
    let Some((outermost, inner)) = chain.split_first() else {
        return centre(request);
    };
    let typed: Rest<'a> = Box::new(move |request: Request| {
        let rest: Rest<'a> = Box::new(move |request: Request| enter(inner, request, centre));
        outermost.on_kind(request, rest)
    });
    outermost.on_request(request, Next::new(typed))
}
