//! What middleware sees of a request and of its answer.

use std::sync::Arc;

use rmcp::model::{
    CallToolResponse, CompleteResult, DiscoverResult, GetPromptResponse, GetTaskResult, InitializeResult, JsonObject,
    ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, ReadResourceResponse,
};

use crate::auth::Principal;

/// What a middleware sees of a request.
#[derive(Debug, Clone)]
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

    /// The arguments, as the handler receives them.
    pub(crate) fn into_arguments(self) -> Option<JsonObject> {
        self.arguments
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

/// An answer that travels through middleware as a [`Response`], and back: one for each kind of
/// request a hook sees. Implemented by the runtime only.
pub trait AsResponse: Sized + sealed::Sealed {
    /// The answer as middleware sees it.
    fn into_response(self) -> Response;

    /// Back from what middleware returned; `None` if it answers another kind of request.
    fn from_response(response: Response) -> Option<Self>;
}

mod sealed {
    /// Keeps [`AsResponse`](super::AsResponse) to the runtime's answers.
    pub trait Sealed {}
}

impl sealed::Sealed for Response {}

impl AsResponse for Response {
    fn into_response(self) -> Response {
        self
    }

    fn from_response(response: Response) -> Option<Self> {
        Some(response)
    }
}

/// The answers middleware may build: each has its own variant.
macro_rules! typed_responses {
    ($($ty:ty => $variant:ident),*) => {$(
        impl sealed::Sealed for $ty {}

        impl AsResponse for $ty {
            fn into_response(self) -> Response {
                Response::$variant(self)
            }

            fn from_response(response: Response) -> Option<Self> {
                match response {
                    Response::$variant(answer) => Some(answer),
                    _ => None,
                }
            }
        }
    )*};
}

typed_responses!(CallToolResponse => Tool, GetPromptResponse => Prompt, ReadResourceResponse => Resource);

/// The answers middleware passes on unopened (or builds, for the list hooks).
macro_rules! other_responses {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}

        impl AsResponse for $ty {
            fn into_response(self) -> Response {
                Response::Other(OtherResponse(Box::new(self)))
            }

            fn from_response(response: Response) -> Option<Self> {
                match response {
                    Response::Other(OtherResponse(inner)) => inner.downcast::<Self>().ok().map(|answer| *answer),
                    _ => None,
                }
            }
        }
    )*};
}

other_responses!(
    (),
    GetTaskResult,
    InitializeResult,
    DiscoverResult,
    CompleteResult,
    ListToolsResult,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult
);
