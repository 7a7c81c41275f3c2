//! What a server serves on behalf of another: a mounted server of this process, or a proxied one.

use std::{future::Future, pin::Pin, sync::Arc};

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{
        CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, GetPromptRequestParams,
        GetPromptResponse, Prompt, ReadResourceRequestParams, ReadResourceResponse, Resource, ResourceTemplate, Tool,
    },
    service::RequestContext,
};

use crate::auth::Principal;

pub(crate) type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, McpError>> + Send + 'a>>;

/// The items of another server, under their own names, and calls of them. The caller's request
/// context travels along: a mounted server sees the same caller ([`Caller`]).
pub(crate) trait Upstream: Send + Sync {
    fn tools(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Tool>>;
    fn call_tool(
        &self,
        params: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, CallToolResponse>;
    fn prompts(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Prompt>>;
    fn get_prompt(
        &self,
        params: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, GetPromptResponse>;
    fn resources(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Resource>>;
    fn templates(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<ResourceTemplate>>;
    fn read_resource(
        &self,
        params: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, ReadResourceResponse>;

    /// Suggestions for an argument of one of its prompts or resource templates.
    fn complete(
        &self,
        params: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, CompleteResult>;

    /// Makes sure updates of the resource `uri` (its own URI) reach this server's notifier,
    /// which passes them to the subscribers of the URI it serves.
    fn subscribe(&self, uri: String, context: RequestContext<RoleServer>) -> Answer<'_, ()>;

    /// Whether `principal` may read the resource `uri` (its own URI): who hears of its updates.
    fn may_read(&self, principal: &Principal, uri: &str) -> bool {
        let _ = (principal, uri);
        true
    }

    /// How a proxied server is doing; `None` for a server of this process, always there.
    fn state(&self) -> Option<super::DownstreamState> {
        None
    }

    /// The served name of the tool to call instead of `tool` while this one is down.
    fn fallback(&self, tool: &str) -> Option<&str> {
        let _ = tool;
        None
    }
}

/// Who made a request handed to a mounted or proxied server: the parent's caller, whatever the
/// mounted server's own local principal is, and the log level its connection asked for.
#[derive(Clone)]
pub(crate) struct Caller {
    pub(crate) principal: Arc<Principal>,
    pub(crate) log_level: crate::logging::ConnectionLogLevel,
}
