//! Our rmcp `ServerHandler`: one registry lookup per call, everything else prepared at start-up.

#![allow(deprecated)] // `set_level` belongs to client logging, deprecated by SEP-2577 but still used.

use std::{any::Any, collections::HashMap, panic::AssertUnwindSafe, sync::Arc, time::Duration};

use futures::FutureExt;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CacheScope, CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, CompletionInfo,
        ErrorCode, GetPromptRequestParams, GetPromptResponse, InitializeRequestParams, InitializeResult,
        InputRequiredResult, InputResponses, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
        ListToolsResult, PaginatedRequestParams, Prompt, ReadResourceRequestParams, ReadResourceResponse,
        ReadResourceResult, Reference, RequestStateCodec, Resource, ResourceContents, ResourceTemplate, SealOptions,
        ServerConfig, SetLevelRequestParams, SubscribeRequestParams, SubscriptionFilter, Tool,
        UnsubscribeRequestParams,
    },
    service::{RequestContext, SubscriptionContext},
};
use tokio::sync::OwnedSemaphorePermit;

use crate::{
    auth::{AuthSettings, ListPolicy, Principal, ScopeHierarchy},
    context::{CallEnv, Context},
    input::{CallInputs, Escalation},
    limit::{Limiter, result_exceeds},
    logging::{ConnectionLogLevel, LogLevel},
    notify::ConnectionId,
    observe::{
        metrics::{GaugeGuard, Metrics},
        readiness::ReadinessChecks,
    },
    pagination::page,
    prompt::{PromptArguments, PromptError},
    rate_limit::RateLimiter,
    registry::{Registry, ToolEntry},
    resource::{ResourceDefinition, ResourceError, UriVariables},
    result::error_result,
    schema::wrap_result,
};

/// What every connection of one server shares.
pub(crate) struct Shared {
    pub(crate) registry: Registry,
    /// What calls reach of the server: notifier, metrics, visibility, state.
    pub(crate) env: Arc<CallEnv>,
    pub(crate) info: ServerConfig,
    pub(crate) list_ttl: Duration,
    pub(crate) auth: Arc<AuthSettings>,
    /// `auth.local_principal` with the hierarchy applied, shared by every local call.
    pub(crate) local_principal: Arc<Principal>,
    pub(crate) max_resource_bytes: usize,
    /// The largest tool result sent, as JSON.
    pub(crate) max_result_bytes: usize,
    /// Items per list page; `None` sends every item at once.
    pub(crate) page_size: Option<usize>,
    /// HTTP is served without sessions, so 2025 clients have no stream for notifications.
    pub(crate) stateless_http: bool,
    /// Seals the answers a 2026-07-28 client gave in earlier rounds into `requestState`.
    pub(crate) request_state: RequestStateCodec,
    pub(crate) readiness: ReadinessChecks,
    /// The longest a tool without a timeout of its own may run.
    pub(crate) tool_timeout: Option<Duration>,
    /// `Server::max_concurrency`: slots shared by every tool call.
    pub(crate) call_limiter: Option<Limiter>,
    /// How long a call beyond a limit waits for a slot.
    pub(crate) busy_wait: Duration,
    /// `Server::rate_limit`, per principal (HTTP also keys by client IP).
    pub(crate) rate_limiter: Option<Arc<RateLimiter>>,
    /// `Server::middleware`, outermost first.
    pub(crate) middleware: crate::middleware::Chain,
}

mod observed;
mod versions;

/// How long a client may take to answer an `input_required` result.
const REQUEST_STATE_TTL: Duration = Duration::from_secs(15 * 60);

/// A built server, ready to be served on any rmcp transport. Cheap to clone.
///
/// Obtain it with [`Server::build`](crate::Server::build); most programs never name it and call
/// `serve_stdio` or `run` instead.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::rmcp::Service;
///
/// /// Say hello.
/// #[mcp_tool]
/// async fn hello() -> &'static str { "hello" }
///
/// let service = Server::new("demo", "1.0.0").register(handlers![hello]).build().unwrap();
/// assert_eq!(service.get_info().server_info.name, "demo");
/// ```
#[derive(Clone)]
pub struct McpService {
    shared: Arc<Shared>,
    log_level: ConnectionLogLevel,
    connection: ConnectionId,
    /// Holds the sessions gauge one higher while this connection's service lives.
    _session: Option<Arc<GaugeGuard>>,
}

/// Connection ids are unique in the process, across servers.
fn next_connection() -> ConnectionId {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::fmt::Debug for McpService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpService")
            .field("name", &self.shared.info.server_info.name)
            .field("tools", &self.tool_count())
            .finish_non_exhaustive()
    }
}

impl McpService {
    /// The caller of a request: the principal the HTTP layer authenticated, else the local one.
    pub(crate) fn principal_of(&self, context: &RequestContext<RoleServer>) -> Arc<Principal> {
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Arc<Principal>>())
            .cloned()
            .unwrap_or_else(|| self.shared.local_principal.clone())
    }

    /// The caller, if it holds every scope in `scopes`; otherwise the FORBIDDEN error naming
    /// what it lacks.
    fn authorize(
        &self,
        context: &RequestContext<RoleServer>,
        kind: &str,
        name: &str,
        scopes: &[&str],
    ) -> Result<Arc<Principal>, McpError> {
        let principal = self.principal_of(context);
        let missing = principal.missing_scopes(scopes);
        if missing.is_empty() { Ok(principal) } else { Err(forbidden(kind, name, scopes, &missing, &principal)) }
    }

    /// The answers a call arrives with: those sealed in `requestState` by earlier rounds, plus
    /// the new `inputResponses`. A state this server did not issue for this item is refused.
    fn call_inputs(
        &self,
        item: Item<'_>,
        responses: Option<InputResponses>,
        state: Option<&str>,
    ) -> Result<Arc<CallInputs>, McpError> {
        let mut answers: std::collections::BTreeMap<String, serde_json::Value> = match state {
            None => Default::default(),
            Some(sealed) => {
                self.shared.request_state.open_json_with(sealed, item.to_string().as_bytes()).map_err(|error| {
                    tracing::debug!(%item, %error, "refused a requestState");
                    McpError::invalid_params(
                        format!("`requestState` was not issued by this server for {item}, was altered, or has expired"),
                        None,
                    )
                })?
            }
        };
        answers.extend(responses.unwrap_or_default());
        Ok(Arc::new(CallInputs::new(answers)))
    }

    /// What a call that stopped for input (or on a protocol error) answers instead of a result.
    fn escalated(
        &self,
        item: Item<'_>,
        inputs: &CallInputs,
        escalation: Escalation,
    ) -> Result<InputRequiredResult, McpError> {
        match escalation {
            Escalation::Protocol(error) => Err(error),
            Escalation::InputRequired(requests) => {
                let bound_to = item.to_string();
                let options = SealOptions::new().associated_data(bound_to.as_bytes()).ttl(REQUEST_STATE_TTL);
                let state = self.shared.request_state.seal_json_with(inputs.answers(), &options).map_err(|error| {
                    McpError::internal_error(format!("cannot seal the request state: {error}"), None)
                })?;
                Ok(InputRequiredResult::new(Some(requests), Some(state)))
            }
        }
    }

    /// A 2025 request over stateless HTTP: the connection ends with the response.
    fn sessionless(&self, context: &RequestContext<RoleServer>) -> bool {
        self.shared.stateless_http && context.extensions.get::<axum::http::request::Parts>().is_some()
    }

    /// The resource serving `uri` and its variables, or the spec's resource-not-found error.
    fn find_resource(&self, uri: &str) -> Result<(&ResourceDefinition, HashMap<&'static str, String>), McpError> {
        self.shared.registry.resource(uri).ok_or_else(|| {
            McpError::resource_not_found(
                format!("no resource has the URI `{uri}`"),
                Some(serde_json::json!({"uri": uri})),
            )
        })
    }

    /// The scopes a `tools/call` or `prompts/get` of `name` requires; `None` for an unknown
    /// name, another method, or an item anyone may use.
    pub(crate) fn required_scopes(&self, method: &str, name: &str) -> Option<&'static [&'static str]> {
        let registry = &self.shared.registry;
        let scopes = match method {
            "tools/call" => registry.tool(name).map(|entry| entry.definition.scopes),
            "prompts/get" => registry.prompt(name).map(|entry| entry.definition.scopes),
            "resources/read" => registry.resource(name).map(|(definition, _)| definition.scopes),
            _ => None,
        };
        scopes.filter(|scopes| !scopes.is_empty())
    }

    /// Whether any tool, prompt or resource requires a scope.
    pub(crate) fn has_scoped_items(&self) -> bool {
        self.shared.registry.all_scopes().next().is_some()
    }

    /// Every scope the server's handlers and hierarchy mention, sorted.
    pub(crate) fn scopes_supported(&self, hierarchy: &ScopeHierarchy) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .shared
            .registry
            .all_scopes()
            .map(str::to_owned)
            .chain(hierarchy.named_scopes().map(str::to_owned))
            .chain(self.shared.auth.declared.iter().map(|scope| (*scope).to_owned()))
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    fn ttl_ms(&self) -> u64 {
        u64::try_from(self.shared.list_ttl.as_millis()).unwrap_or(u64::MAX)
    }

    /// One page of a list, showing the caller only what it may use (unless the policy shows
    /// everything), with the cache scope that fits: private once the list depends on the caller.
    /// `scopes_of` is `None` for a disabled item, which nobody sees.
    fn visible_page<T: Clone>(
        &self,
        items: &[T],
        scopes_of: impl Fn(&T) -> Option<&'static [&'static str]>,
        context: &RequestContext<RoleServer>,
        request: Option<&PaginatedRequestParams>,
        list: &str,
    ) -> Result<(Vec<T>, Option<String>, CacheScope), McpError> {
        let filtered = self.shared.auth.list_policy == ListPolicy::Hide
            && items.iter().any(|item| scopes_of(item).is_some_and(|scopes| !scopes.is_empty()));
        let principal = filtered.then(|| self.principal_of(context));
        let visible = items
            .iter()
            .filter(|item| {
                scopes_of(item).is_some_and(|scopes| {
                    principal.as_ref().is_none_or(|principal| principal.missing_scopes(scopes).is_empty())
                })
            })
            .cloned()
            .collect();
        let (page, next_cursor) = page(visible, request, list, self.shared.page_size)?;
        let scope = if filtered { CacheScope::Private } else { CacheScope::Public };
        Ok((page, next_cursor, scope))
    }

    /// How many resources and resource templates the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.resource_count(), 0);
    /// ```
    pub fn resource_count(&self) -> usize {
        self.shared.registry.resource_list().len() + self.shared.registry.template_list().len()
    }

    /// What every connection of this server shares.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub(crate) fn name(&self) -> &str {
        &self.shared.info.server_info.name
    }

    pub(crate) fn auth(&self) -> &Arc<AuthSettings> {
        &self.shared.auth
    }

    pub(crate) fn new(shared: Shared) -> Self {
        let shared = Arc::new(shared);
        let weak = Arc::downgrade(&shared);
        // Scopes of a resource decide which 2026 listeners hear about it. Weak: the notifier
        // lives inside `Shared` and must not keep it alive.
        shared.env.notifier.set_read_check(Box::new(move |principal, uri| {
            weak.upgrade().is_some_and(|shared| {
                shared
                    .registry
                    .resource(uri)
                    .is_some_and(|(definition, _)| principal.missing_scopes(definition.scopes).is_empty())
            })
        }));
        Self { shared, log_level: ConnectionLogLevel::default(), connection: next_connection(), _session: None }
    }

    /// The same server for another connection: shared registry, its own client log level.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// # let service = Server::new("demo", "1.0.0").build().unwrap();
    /// let per_connection = service.for_new_connection();
    /// ```
    pub fn for_new_connection(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            log_level: ConnectionLogLevel::default(),
            connection: next_connection(),
            _session: None,
        }
    }

    /// The same, counted in the `mcp_sessions` gauge for as long as it lives.
    pub(crate) fn for_new_session(&self) -> Self {
        self.for_new_connection().counted_as_session()
    }

    /// This connection, counted in the `mcp_sessions` gauge for as long as it lives.
    pub(crate) fn counted_as_session(self) -> Self {
        Self { _session: Some(Arc::new(self.shared.env.metrics.session())), ..self }
    }

    /// The rate limiter, if the server has one.
    pub(crate) fn rate_limiter(&self) -> Option<&Arc<RateLimiter>> {
        self.shared.rate_limiter.as_ref()
    }

    /// The readiness checks `GET /health` runs.
    pub(crate) fn readiness_checks(&self) -> &ReadinessChecks {
        &self.shared.readiness
    }

    /// The server's metrics.
    ///
    /// ```
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert!(service.metrics().render().contains("mcp_requests"));
    /// ```
    pub fn metrics(&self) -> &Metrics {
        &self.shared.env.metrics
    }

    /// How many tools the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.tool_count(), 0);
    /// ```
    pub fn tool_count(&self) -> usize {
        self.shared.registry.tool_list().len()
    }

    /// How many prompts the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.prompt_count(), 0);
    /// ```
    pub fn prompt_count(&self) -> usize {
        self.shared.registry.prompt_list().len()
    }
}

/// The handler rmcp dispatches to. `McpService` wraps every request it answers in
/// observation (see `observed.rs`) and hands it to rmcp's dispatch through this.
pub(crate) struct Handling(pub(crate) McpService);

impl std::ops::Deref for Handling {
    type Target = McpService;

    fn deref(&self) -> &McpService {
        &self.0
    }
}

impl ServerHandler for Handling {
    fn get_info(&self) -> ServerConfig {
        self.shared.info.clone()
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [rmcp::model::ProtocolVersion]> {
        std::borrow::Cow::Borrowed(versions::SUPPORTED)
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let registry = &self.shared.registry;
        let scopes_of = |tool: &Tool| registry.tool(&tool.name).map(|entry| entry.definition.scopes);
        let (tools, next_cursor, scope) =
            self.visible_page(registry.tool_list(), scopes_of, &context, request.as_ref(), "tools")?;
        let mut result = ListToolsResult::with_all_items(tools).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    async fn list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        let registry = &self.shared.registry;
        let scopes_of = |prompt: &Prompt| registry.prompt(&prompt.name).map(|entry| entry.definition.scopes);
        let (prompts, next_cursor, scope) =
            self.visible_page(registry.prompt_list(), scopes_of, &context, request.as_ref(), "prompts")?;
        let mut result = ListPromptsResult::with_all_items(prompts).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let registry = &self.shared.registry;
        let Some(entry) = registry.prompt(&request.name) else {
            let known: Vec<&str> = registry
                .prompt_list()
                .iter()
                .map(|prompt| prompt.name.as_str())
                .filter(|name| registry.prompt(name).is_some())
                .collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(McpError::invalid_params(
                format!("unknown prompt `{}`; available prompts: {known}", request.name),
                None,
            ));
        };
        let definition = &entry.definition;
        let principal = self.authorize(&context, "prompt", definition.name, definition.scopes)?;
        let arguments = PromptArguments::new(request.arguments.unwrap_or_default(), definition.arguments)
            .map_err(|problem| McpError::invalid_params(format!("prompt `{}`: {problem}", definition.name), None))?;
        if let Some(constraints) = &entry.constraints {
            constraints.check(|name| arguments.text(name)).map_err(|violations| {
                McpError::invalid_params(format!("prompt `{}`: invalid arguments: {violations}", definition.name), None)
            })?;
        }
        let item = Item { kind: "prompt", name: definition.name };
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let ctx = Context::new(
            context,
            self.shared.env.clone(),
            self.log_level.clone(),
            definition.name,
            principal,
            inputs.clone(),
        );
        let outcome = AssertUnwindSafe((definition.call)(arguments, ctx)).catch_unwind().await;
        if let Some(escalation) = inputs.take_escalation() {
            return self.escalated(item, &inputs, escalation).map(Into::into);
        }
        match outcome {
            Ok(Ok(result)) => Ok(result.into()),
            Ok(Err(PromptError::Missing(argument))) => Err(McpError::invalid_params(
                format!("prompt `{}`: missing required argument `{argument}`", definition.name),
                Some(serde_json::json!({"argument": argument})),
            )),
            Ok(Err(PromptError::Invalid { name, expected, problem })) => Err(McpError::invalid_params(
                format!("prompt `{}`: invalid argument `{name}`: expected {expected}: {problem}", definition.name),
                Some(serde_json::json!({"argument": name})),
            )),
            Ok(Err(PromptError::Failed(message))) => {
                Err(McpError::internal_error(format!("prompt `{}` failed: {message}", definition.name), None))
            }
            Err(panic) => {
                self.shared.env.metrics.panicked("prompt");
                tracing::error!(prompt = definition.name, panic = panic_message(&*panic), "prompt panicked");
                Err(McpError::internal_error(
                    format!(
                        "prompt `{}` failed with an internal error; the server logged the details",
                        definition.name
                    ),
                    None,
                ))
            }
        }
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let registry = &self.shared.registry;
        let mut all = registry.resource_list().to_vec();
        let principal = self.principal_of(&context);
        for template in registry.listing_templates() {
            if let Some(lister) = &template.lister {
                let ctx = Context::new(
                    context.clone(),
                    self.shared.env.clone(),
                    self.log_level.clone(),
                    template.name,
                    principal.clone(),
                    Arc::new(CallInputs::new(Default::default())),
                );
                all.extend(lister.list(ctx).await.into_iter().map(|resource| template.complete_listed(resource)));
            }
        }
        // A listed resource has the scopes of the template its URI matches; one no enabled
        // template reads could not be read, so it is not listed.
        let scopes_of = |resource: &Resource| registry.resource(&resource.uri).map(|(found, _)| found.scopes);
        let (resources, next_cursor, scope) =
            self.visible_page(&all, scopes_of, &context, request.as_ref(), "resources")?;
        let mut result =
            ListResourcesResult::with_all_items(resources).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    async fn list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        let registry = &self.shared.registry;
        let scopes_of =
            |template: &ResourceTemplate| registry.template(&template.uri_template).map(|template| template.scopes);
        let (templates, next_cursor, scope) =
            self.visible_page(registry.template_list(), scopes_of, &context, request.as_ref(), "resource templates")?;
        let mut result =
            ListResourceTemplatesResult::with_all_items(templates).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri.clone();
        let (definition, values) = self.find_resource(&uri)?;
        let principal = self.authorize(&context, "resource", &uri, definition.scopes)?;
        if let Some(constraints) = &definition.validator {
            constraints.check(|name| values.get(name).cloned()).map_err(|violations| {
                McpError::invalid_params(
                    format!("resource `{uri}`: invalid variables: {violations}"),
                    Some(serde_json::json!({"uri": uri})),
                )
            })?;
        }
        let item = Item { kind: "resource", name: &uri };
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let ctx = Context::new(
            context,
            self.shared.env.clone(),
            self.log_level.clone(),
            definition.name,
            principal,
            inputs.clone(),
        );
        let variables = UriVariables { uri: uri.clone(), values };
        let outcome = AssertUnwindSafe((definition.call)(variables, ctx)).catch_unwind().await;
        if let Some(escalation) = inputs.take_escalation() {
            return self.escalated(item, &inputs, escalation).map(Into::into);
        }
        let contents = match outcome {
            Ok(Ok(contents)) => contents,
            Ok(Err(ResourceError::Invalid { name, problem })) => {
                return Err(McpError::invalid_params(
                    format!("resource `{uri}`: invalid variable `{name}`: {problem}"),
                    Some(serde_json::json!({"uri": uri, "variable": name})),
                ));
            }
            Ok(Err(ResourceError::InvalidArgument(message))) => {
                return Err(McpError::invalid_params(
                    format!("resource `{uri}`: {message}"),
                    Some(serde_json::json!({"uri": uri})),
                ));
            }
            Ok(Err(ResourceError::NotFound(message))) => {
                return Err(McpError::resource_not_found(
                    format!("no resource at `{uri}`: {message}"),
                    Some(serde_json::json!({"uri": uri})),
                ));
            }
            Ok(Err(ResourceError::Failed(message))) => {
                return Err(McpError::internal_error(format!("reading `{uri}` failed: {message}"), None));
            }
            Err(panic) => {
                self.shared.env.metrics.panicked("resource");
                tracing::error!(%uri, panic = panic_message(&*panic), "resource panicked");
                return Err(McpError::internal_error(
                    format!("reading `{uri}` failed with an internal error; the server logged the details"),
                    None,
                ));
            }
        };
        let size: usize = contents.iter().map(contents_size).sum();
        if size > self.shared.max_resource_bytes {
            return Err(McpError::internal_error(
                format!(
                    "the resource `{uri}` is {size} bytes, more than this server sends at once ({} bytes)",
                    self.shared.max_resource_bytes
                ),
                None,
            ));
        }
        let scope = if definition.scopes.is_empty() { CacheScope::Public } else { CacheScope::Private };
        // Resource contents may change at any time; clients should not reuse a read.
        Ok(ReadResourceResult::new(contents).with_ttl_ms(0).with_cache_scope(scope).into())
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        // Registered here rather than on `notifications/initialized`: rmcp handles notifications
        // on their own tasks, so the client's first request could otherwise overtake it and a
        // list change announced just then would miss the client.
        context.peer.set_peer_info(request.clone());
        let sessionless = self.sessionless(&context);
        self.shared.env.notifier.connected(self.connection, context.peer);
        let mut result = self.get_info();
        result.protocol_version = versions::negotiate(&request.protocol_version);
        if sessionless {
            // Nothing could carry a notification to this client: promise none.
            let capabilities = &mut result.capabilities;
            capabilities.tools.iter_mut().for_each(|tools| tools.list_changed = None);
            capabilities.prompts.iter_mut().for_each(|prompts| prompts.list_changed = None);
            capabilities.resources.iter_mut().for_each(|resources| {
                resources.list_changed = None;
                resources.subscribe = None;
            });
        }
        Ok(result)
    }

    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        let uri = request.uri;
        if self.sessionless(&context) {
            return Err(McpError::invalid_request(
                "this server serves HTTP without sessions, so it has no stream to send resource updates on; \
                 subscribe with `subscriptions/listen` (protocol 2026-07-28) or use a server with sessions",
                None,
            ));
        }
        let (definition, _) = self.find_resource(&uri)?;
        self.authorize(&context, "resource", &uri, definition.scopes)?;
        self.shared.env.notifier.subscribe(self.connection, context.peer, uri);
        Ok(())
    }

    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.shared.env.notifier.unsubscribe(self.connection, &request.uri);
        Ok(())
    }

    fn accepted_subscription_filter(&self, requested: &SubscriptionFilter) -> Option<SubscriptionFilter> {
        // rmcp intersects this with what we advertise; scopes are checked per notification.
        Some(requested.clone())
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), McpError> {
        let principal = self.principal_of(context.request_context());
        // Removed when this future ends or is dropped (stdio drops it when its input ends).
        let _listening = self.shared.env.notifier.add_listener(context.sink().clone(), principal);
        context.cancelled().await;
        Ok(())
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        let registry = &self.shared.registry;
        let (kind, name, scopes, completions) = match &request.r#ref {
            Reference::Prompt(prompt) => {
                let entry = registry
                    .prompt(&prompt.name)
                    .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{}`", prompt.name), None))?;
                ("prompt", prompt.name.as_str(), entry.definition.scopes, &entry.definition.completions)
            }
            Reference::Resource(template) => {
                let definition = registry.template(&template.uri).ok_or_else(|| {
                    McpError::invalid_params(format!("no resource template is `{}`", template.uri), None)
                })?;
                ("resource template", template.uri.as_str(), definition.scopes, &definition.completions)
            }
            _ => {
                return Err(McpError::invalid_params(
                    "completions are offered for prompts and resource templates",
                    None,
                ));
            }
        };
        self.authorize(&context, kind, name, scopes)?;
        let completer = completions.iter().find(|(argument, _)| *argument == request.argument.name);
        let completion = match completer {
            Some((_, completer)) => {
                match AssertUnwindSafe(completer.complete(request.argument.value)).catch_unwind().await {
                    Ok(completion) => completion,
                    Err(panic) => {
                        self.shared.env.metrics.panicked("completion");
                        tracing::error!(%kind, name, panic = panic_message(&*panic), "completion panicked");
                        return Err(McpError::internal_error(
                            format!("completing `{name}` failed with an internal error; the server logged the details"),
                            None,
                        ));
                    }
                }
            }
            // Arguments without a completion source simply have no suggestions.
            None => CompletionInfo::default(),
        };
        Ok(CompleteResult::new(completion))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.shared.registry.tool(name).map(|entry| entry.tool.clone())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        match self.shared.registry.tool(&request.name) {
            Some(entry) => self.call_registered_tool(entry, request, context).await,
            None => Err(unknown_tool(&request.name, &self.shared.registry)),
        }
    }

    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.log_level.set(LogLevel::from_rmcp(request.level));
        Ok(())
    }
}

/// JSON-RPC error code for a call the caller lacks the scopes for (over HTTP, the transport
/// answers 403 before the request gets this far).
pub const FORBIDDEN: i32 = -32003;

fn forbidden(kind: &str, name: &str, required: &[&str], missing: &[&str], principal: &Principal) -> McpError {
    McpError::new(
        ErrorCode(FORBIDDEN),
        format!("{kind} `{name}` requires the scopes {required:?}; `{}` lacks {missing:?}", principal.subject()),
        Some(serde_json::json!({"requiredScopes": required, "missingScopes": missing})),
    )
}

pub(crate) fn unknown_tool(name: &str, registry: &Registry) -> McpError {
    const SHOWN: usize = 20;
    let mut enabled =
        registry.tool_list().iter().map(|tool| tool.name.as_ref()).filter(|name| registry.tool(name).is_some());
    let mut known: Vec<&str> = enabled.by_ref().take(SHOWN).collect();
    if enabled.next().is_some() {
        known.push("...");
    }
    let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
    McpError::invalid_params(format!("unknown tool `{name}`; available tools: {known}"), None)
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}

/// The bytes a content block puts on the wire (base64 for blobs).
fn contents_size(contents: &ResourceContents) -> usize {
    match contents {
        ResourceContents::TextResourceContents { text, .. } => text.len(),
        ResourceContents::BlobResourceContents { blob, .. } => blob.len(),
        _ => 0,
    }
}

/// The item a call is about, as messages name it (``tool `search` ``) and as a `requestState`
/// is bound to it; written out only when needed, not on every call.
#[derive(Clone, Copy)]
struct Item<'a> {
    kind: &'static str,
    name: &'a str,
}

impl std::fmt::Display for Item<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} `{}`", self.kind, self.name)
    }
}

/// Why a tool call ended before its tool did.
enum Stopped {
    /// A concurrency limit turned it away, with the text that says which.
    Busy(String),
    TimedOut(Duration),
}

impl McpService {
    /// A `tools/call` for a tool the registry has: the lookup is the caller's, done once.
    pub(crate) async fn call_registered_tool(
        &self,
        entry: &ToolEntry,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let name = entry.definition.name;
        let principal = self.authorize(&context, "tool", name, entry.definition.scopes)?;
        let item = Item { kind: "tool", name };
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let cancelled = context.ct.clone();
        let ctx =
            Context::new(context, self.shared.env.clone(), self.log_level.clone(), name, principal, inputs.clone());
        let call = AssertUnwindSafe((entry.definition.call)(
            request.arguments.unwrap_or_default(),
            entry.validator.as_ref(),
            ctx,
        ))
        .catch_unwind();
        let limit = entry.definition.timeout.or(self.shared.tool_timeout);
        let bounded = async {
            let _slots = self.enter_limits(&entry.limiter, name).await?;
            match limit {
                Some(limit) => tokio::time::timeout(limit, call).await.map_err(|_| Stopped::TimedOut(limit)),
                None => Ok(call.await),
            }
        };
        // Dropping the call on cancellation or timeout stops the tool at its next `.await`.
        tokio::select! {
            biased;
            _ = cancelled.cancelled() => {
                tracing::debug!(tool = name, "call cancelled by the client");
                // rmcp drops the response to a cancelled request, as the spec asks; an `Ok` keeps
                // its error log quiet about what is not an error.
                Ok(error_result(format_args!("the call to `{name}` was cancelled")).into())
            }
            outcome = bounded => match outcome {
                _ if let Some(escalation) = inputs.take_escalation() => {
                    self.escalated(item, &inputs, escalation).map(Into::into)
                }
                Err(Stopped::Busy(message)) => Ok(error_result(message).into()),
                Err(Stopped::TimedOut(limit)) => {
                    tracing::warn!(tool = name, timeout_ms = limit.as_millis(), "tool call timed out");
                    Ok(error_result(format_args!(
                        "tool `{name}` did not finish within {} and was stopped; try again, or with less work",
                        DisplayDuration(limit)
                    ))
                    .into())
                }
                Ok(Ok(mut result)) => {
                    if entry.wraps_result {
                        wrap_result(&mut result);
                    }
                    let limit = self.shared.max_result_bytes;
                    if result_exceeds(&result, limit) {
                        tracing::warn!(tool = name, limit, "tool result over the size limit; replaced by an error");
                        return Ok(error_result(format_args!(
                            "tool `{name}` returned more than {limit} bytes, over this server's limit; \
                             ask for less, e.g. a page, a filter or a summary"
                        ))
                        .into());
                    }
                    Ok(result.into())
                }
                Ok(Err(panic)) => {
                    self.shared.env.metrics.panicked("tool");
                    tracing::error!(tool = name, panic = panic_message(&*panic), "tool panicked");
                    Ok(error_result(format_args!(
                        "tool `{name}` failed with an internal error; the server logged the details"
                    ))
                    .into())
                }
            },
        }
    }

    /// Slots under the tool's own limit and the server's, held while the call runs.
    async fn enter_limits(
        &self,
        tool_limiter: &Option<Limiter>,
        name: &str,
    ) -> Result<(Option<OwnedSemaphorePermit>, Option<OwnedSemaphorePermit>), Stopped> {
        let wait = self.shared.busy_wait;
        let tool_slot = match tool_limiter {
            Some(limiter) => Some(limiter.enter(wait).await.map_err(|busy| {
                tracing::warn!(tool = name, ?busy, "tool call refused: the tool is busy");
                Stopped::Busy(busy.explain(&format!("tool `{name}`")))
            })?),
            None => None,
        };
        let server_slot = match &self.shared.call_limiter {
            Some(limiter) => Some(limiter.enter(wait).await.map_err(|busy| {
                tracing::warn!(tool = name, ?busy, "tool call refused: the server is busy");
                Stopped::Busy(busy.explain("the server"))
            })?),
            None => None,
        };
        Ok((tool_slot, server_slot))
    }
}

/// `30 s`, `1.5 s`, `250 ms`: a limit as a person writes it.
struct DisplayDuration(Duration);

impl std::fmt::Display for DisplayDuration {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let millis = self.0.as_millis();
        if millis < 1_000 {
            write!(formatter, "{millis} ms")
        } else if millis.is_multiple_of(1_000) {
            write!(formatter, "{} s", millis / 1_000)
        } else {
            write!(formatter, "{} s", self.0.as_secs_f64())
        }
    }
}
