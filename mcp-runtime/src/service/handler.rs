//! The rmcp `ServerHandler`: each method observes its request (`pipeline::observe`) and hands
//! it to the method that answers it (`lists`, `session`, `complete`, `pipeline`).

#![allow(deprecated)] // `set_level` belongs to client logging, deprecated by SEP-2577 but still used.

use std::future::Future;

use futures::future::{BoxFuture, Either, ready};
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CancelTaskParams, CompleteRequestParams, CompleteResult,
        DiscoverResult, GetPromptRequestParams, GetPromptResponse, GetTaskParams, GetTaskResult,
        InitializeRequestParams, InitializeResult, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
        ListToolsResult, PaginatedRequestParams, ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse,
        Reference, ServerConfig, SetLevelRequestParams, SubscribeRequestParams, SubscriptionFilter, Tool,
        UnsubscribeRequestParams, UpdateTaskParams,
    },
    service::{MaybeSendFuture as Answering, RequestContext, SubscriptionContext},
};
use serde_json::Value;

use super::pipeline::unknown_tool;
use super::{McpService, versions};
use crate::observe::request::UNKNOWN;

// Each method returns the box `answer_with` makes, not an `async fn`'s state machine: rmcp
// moves the future it is handed several times before polling it, and ours is large.
impl ServerHandler for McpService {
    fn get_info(&self) -> ServerConfig {
        self.shared().info.clone()
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [ProtocolVersion]> {
        std::borrow::Cow::Borrowed(versions::SUPPORTED)
    }

    fn ping(&self, context: RequestContext<RoleServer>) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("ping", "", "", &Value::Null, &context);
        self.answer(observation, std::future::ready(Ok(())))
    }

    fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<InitializeResult, McpError>> + Answering + '_ {
        let observation = self.observe("initialize", "", "", &request, &context);
        self.answer(observation, self.handle_initialize(request, context))
    }

    fn on_initialized(
        &self,
        _context: rmcp::service::NotificationContext<RoleServer>,
    ) -> impl Future<Output = ()> + Send + '_ {
        self.shared().registry.warm_validators();
        std::future::ready(())
    }

    fn discover(
        &self,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<DiscoverResult, McpError>> + Answering + '_ {
        let observation = self.observe("server/discover", "", "", &Value::Null, &context);
        let discovered = DiscoverResult::from_server_info(versions::SUPPORTED.to_vec(), self.shared().info.clone());
        self.answer(observation, std::future::ready(Ok(discovered)))
    }

    fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListToolsResult, McpError>> + Answering + '_ {
        let observation = self.observe("tools/list", "", "", &request, &context);
        self.answer(observation, self.handle_list_tools(request, context))
    }

    fn call_tool(
        &self,
        mut request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<CallToolResponse, McpError>> + Answering + '_ {
        let entry = self.shared().registry.tool(&request.name);
        let mounted = if entry.is_none() { self.shared().mounts.named(&request.name) } else { None };
        let label = match (&entry, &mounted) {
            (Some(entry), _) => entry.definition.name,
            (None, Some((mount, _))) => mount.label,
            (None, None) => UNKNOWN,
        };
        let mounted = mounted.map(|(mount, name)| (mount, name.to_owned()));
        let mut observation = self.observe("tools/call", &request.name, label, &request, &context);
        observation.series = entry.as_ref().map(|entry| entry.series.clone());
        let arguments = request.arguments.take();
        self.answer_with(observation, arguments, move |arguments| {
            request.arguments = arguments;
            // A registered tool's call inline; a mounted one's boxed, as its future is large and
            // its round trip to the mounted server costs far more than the allocation.
            match (entry, mounted) {
                (Some(entry), _) => Either::Left(self.call_registered_tool(entry, request, context)),
                (None, Some((mount, name))) => {
                    Either::Right(Box::pin(self.call_mounted_tool(mount, name, request, context)) as BoxFuture<'_, _>)
                }
                (None, None) => {
                    let unknown = unknown_tool(&request.name, &self.shared().registry.catalog());
                    Either::Right(Box::pin(ready(Err(unknown))) as BoxFuture<'_, _>)
                }
            }
        })
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.shared().registry.catalog().tool(name).map(|entry| entry.tool.clone())
    }

    fn list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListPromptsResult, McpError>> + Answering + '_ {
        let observation = self.observe("prompts/list", "", "", &request, &context);
        self.answer(observation, self.handle_list_prompts(request, context))
    }

    fn get_prompt(
        &self,
        mut request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<GetPromptResponse, McpError>> + Answering + '_ {
        // One snapshot for the label and the call: the prompt is looked up once.
        let catalog = self.shared().registry.catalog();
        let own = catalog.prompt(&request.name).map(|entry| entry.definition.name);
        let mounted = if own.is_none() { self.shared().mounts.named(&request.name) } else { None };
        let label = own.or(mounted.as_ref().map(|(mount, _)| mount.label)).unwrap_or(UNKNOWN);
        let mounted = mounted.map(|(mount, name)| (mount, name.to_owned()));
        let observation = self.observe("prompts/get", &request.name, label, &request, &context);
        let arguments = request.arguments.take();
        self.answer_with(observation, arguments, move |arguments| async move {
            request.arguments = arguments;
            match mounted {
                Some((mount, name)) => self.get_mounted_prompt(mount, name, request, context).await,
                None => self.get_registered_prompt(&catalog, request, context).await,
            }
        })
    }

    fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListResourcesResult, McpError>> + Answering + '_ {
        let observation = self.observe("resources/list", "", "", &request, &context);
        self.answer(observation, self.handle_list_resources(request, context))
    }

    fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ListResourceTemplatesResult, McpError>> + Answering + '_ {
        let observation = self.observe("resources/templates/list", "", "", &request, &context);
        self.answer(observation, self.handle_list_resource_templates(request, context))
    }

    fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ReadResourceResponse, McpError>> + Answering + '_ {
        // Matched once against the templates, for the label and the read.
        let found = self.find_resource(&request.uri);
        let mounted = if found.is_err() { self.shared().mounts.of_uri(&request.uri) } else { None };
        let label = match (&found, &mounted) {
            (Ok((resource, _)), _) => resource.uri,
            (Err(_), Some((mount, _))) => mount.label,
            (Err(_), None) => UNKNOWN,
        };
        let observation = self.observe("resources/read", &request.uri, label, &request, &context);
        self.answer(
            observation,
            match mounted {
                Some((mount, uri)) => Either::Left(self.read_mounted_resource(mount, uri, request, context)),
                None => Either::Right(self.read_registered_resource(found, request, context)),
            },
        )
    }

    fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let label = self.resource_label(&request.uri);
        let observation = self.observe("resources/subscribe", &request.uri, label, &request, &context);
        self.answer(observation, self.handle_subscribe(request, context))
    }

    fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let label = self.resource_label(&request.uri);
        let observation = self.observe("resources/unsubscribe", &request.uri, label, &request, &context);
        self.answer(observation, self.handle_unsubscribe(request, context))
    }

    fn accepted_subscription_filter(&self, requested: &SubscriptionFilter) -> Option<SubscriptionFilter> {
        // rmcp intersects this with what we advertise; scopes are checked per notification.
        Some(requested.clone())
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        self.listen_until_cancelled(context).await
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
        self.answer(observation, self.handle_complete(request, context))
    }

    fn get_task(
        &self,
        request: GetTaskParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<GetTaskResult, McpError>> + Answering + '_ {
        let observation = self.observe("tasks/get", &request.task_id, "", &request, &context);
        self.answer(observation, async move { self.handle_get_task(&request.task_id, context).await })
    }

    fn update_task(
        &self,
        request: UpdateTaskParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("tasks/update", &request.task_id, "", &request, &context);
        self.answer(observation, async move {
            self.handle_update_task(&request.task_id, request.input_responses, context).await
        })
    }

    fn cancel_task(
        &self,
        request: CancelTaskParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("tasks/cancel", &request.task_id, "", &request, &context);
        self.answer(observation, async move { self.handle_cancel_task(&request.task_id, context).await })
    }

    fn set_level(
        &self,
        request: SetLevelRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<(), McpError>> + Answering + '_ {
        let observation = self.observe("logging/setLevel", "", "", &request, &context);
        self.answer(observation, self.handle_set_level(request, context))
    }
}
