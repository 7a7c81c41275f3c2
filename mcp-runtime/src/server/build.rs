//! `Server::build`: the configuration checked and turned into the service every connection
//! shares.

use std::sync::Arc;

use rmcp::model::{
    Implementation, PromptsCapability, RequestStateCodec, ResourcesCapability, ServerCapabilities, ServerConfig,
    ToolsCapability,
};

use super::{Server, identity::Identity};
use crate::{
    context::CallEnv,
    error::StartupError,
    limit::{Limiter, Limits},
    rate_limit::RateLimiter,
    registry::{Catalog, Settings},
    service::{McpService, Shared},
};

impl Server {
    /// The key that seals the answers a 2026-07-28 client gave in earlier rounds of a call
    /// (see [`Context::request_input`](crate::Context::request_input)) into its `requestState`.
    /// Every instance behind one load balancer needs the same key; by default each process
    /// draws its own at random, which is right for a single instance. At least 32 bytes of
    /// high-entropy material.
    ///
    /// ```
    /// let key = std::env::var("MCP_STATE_KEY").unwrap_or_else(|_| "0123456789abcdef0123456789abcdef".into());
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").request_state_key(key.into_bytes());
    /// ```
    pub fn request_state_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.request_state_key = Some(key.into());
        self
    }

    /// How tasks are kept (see the [`task`](crate::task) module): their store, TTL, poll
    /// interval and the most one principal may have unfinished. A server with a tool declared
    /// `#[mcp_tool(task = "..")]` serves tasks with the defaults without this; with it, a
    /// server advertises tasks even before it registers such a tool at run time.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mcp_runtime::task::TaskSettings;
    ///
    /// let server = mcp_runtime::Server::new("builds", "1.0.0")
    ///     .tasks(TaskSettings::default().ttl(Duration::from_secs(2 * 3600)).max_per_principal(4));
    /// ```
    pub fn tasks(mut self, settings: crate::task::TaskSettings) -> Self {
        self.tasks = Some(settings);
        self
    }

    /// Validates the registrations (duplicate names, missing state, unusable schemas) and renders
    /// every schema once. All problems are reported together.
    ///
    /// ```
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.tool_count(), 0);
    /// ```
    pub fn build(self) -> Result<McpService, StartupError> {
        #[cfg(feature = "http")]
        let stateless_http = self.http.stateless;
        #[cfg(not(feature = "http"))]
        let stateless_http = false;
        let Self {
            identity,
            mut handlers,
            live,
            list_ttl,
            limits,
            auth,
            observability,
            request_state_key,
            tasks,
            mounts,
            ..
        } = self;
        let served = handlers.take_served(observability.metrics_resource);
        let request_state = request_state_codec(request_state_key)?;
        let limits = checked(limits)?;
        let rate_limiter = rate_limiter(&limits)?;
        let states = Arc::new(handlers.states);
        let settings = Settings {
            schema: handlers.schema,
            validate_arguments: handlers.validate_arguments,
            states: states.clone(),
            metrics: observability.metrics.clone(),
        };
        let catalog = live.registry.start(served, settings)?;
        let mounted = !mounts.is_empty();
        let mounts = mounts.build(&live.notifier, &catalog, &observability.metrics)?;
        let tasks = tasks.or_else(|| catalog.has_task_tools().then(Default::default));
        // A mounted server's prompts and resources may come and go with it.
        let mut capabilities = capabilities(&catalog, live.registry.may_change() || mounted);
        if mounted {
            // A mounted server's prompts and templates may offer completions; they are asked.
            capabilities.completions = Some(Default::default());
        }
        if tasks.is_some() {
            let extensions = capabilities.extensions.get_or_insert_with(Default::default);
            extensions.insert(rmcp::model::TASKS_EXTENSION_ID.to_owned(), Default::default());
        }
        let info = server_config(identity, capabilities);
        let local_principal = Arc::new(auth.scope_hierarchy.apply(auth.local_principal.clone()));
        let env = Arc::new(CallEnv {
            notifier: live.notifier,
            metrics: observability.metrics,
            visibility: live.visibility,
            states,
        });
        Ok(McpService::new(Shared {
            registry: live.registry,
            env,
            info,
            list_ttl,
            auth: Arc::new(auth),
            local_principal,
            call_limiter: limits.max_concurrency.map(Limiter::new),
            rate_limiter,
            limits,
            stateless_http,
            request_state,
            #[cfg(feature = "http")]
            readiness: observability.readiness,
            middleware: handlers.middleware.into(),
            sessions: Default::default(),
            tasks,
            mounts,
        }))
    }
}

/// The codec sealing `requestState`, with the configured key or a fresh random one.
fn request_state_codec(key: Option<Vec<u8>>) -> Result<RequestStateCodec, StartupError> {
    let key = match key {
        Some(key) => key,
        None => random_key()?,
    };
    RequestStateCodec::try_new(key).map_err(|error| StartupError::new(vec![error.to_string()]))
}

/// A fresh key for sealing request state, from the operating system's random source.
fn random_key() -> Result<Vec<u8>, StartupError> {
    let mut key = vec![0; RequestStateCodec::MIN_KEY_LENGTH];
    getrandom::fill(&mut key)
        .map_err(|error| StartupError::new(vec![format!("cannot draw a random request-state key: {error}")]))?;
    Ok(key)
}

/// The limits as served: a concurrency limit of zero refused (it would refuse every call), a
/// page size of zero read as one, as `Server::page_size` does.
fn checked(mut limits: Limits) -> Result<Limits, StartupError> {
    if limits.max_concurrency == Some(0) {
        return Err(StartupError::new(vec![
            "`Server::max_concurrency(0)` would refuse every tool call; the limit must be at least 1".to_owned(),
        ]));
    }
    limits.page_size = limits.page_size.map(|size| size.max(1));
    Ok(limits)
}

/// The rate limiter `limits.rate_limit` asks for; a quota it cannot keep (zero) is refused.
fn rate_limiter(limits: &Limits) -> Result<Option<Arc<RateLimiter>>, StartupError> {
    let Some(limit) = limits.rate_limit else { return Ok(None) };
    let limiter = RateLimiter::new(limit).map_err(|problem| StartupError::new(vec![problem]))?;
    Ok(Some(Arc::new(limiter)))
}

/// What the server offers: logging and tools always, prompts, resources and completions when
/// it has some or its registry may add them later.
fn capabilities(catalog: &Catalog, may_change: bool) -> ServerCapabilities {
    let mut capabilities = ServerCapabilities::default();
    capabilities.logging = Some(Default::default());
    // `Server::notifier` can announce list changes at any time, so say so.
    let mut tools = ToolsCapability::default();
    tools.list_changed = Some(true);
    capabilities.tools = Some(tools);
    if may_change || !catalog.prompt_list().is_empty() {
        let mut prompts = PromptsCapability::default();
        prompts.list_changed = Some(true);
        capabilities.prompts = Some(prompts);
    }
    if catalog.has_completions() {
        capabilities.completions = Some(Default::default());
    }
    if may_change || catalog.has_resources() {
        let mut resources = ResourcesCapability::default();
        resources.subscribe = Some(true);
        resources.list_changed = Some(true);
        capabilities.resources = Some(resources);
    }
    capabilities
}

/// What the server answers to `initialize` and `server/discover`: who it is and what it offers.
fn server_config(identity: Identity, capabilities: ServerCapabilities) -> ServerConfig {
    let Identity { name, version, title, instructions } = identity;
    let mut implementation = Implementation::new(name, version);
    implementation.title = title;
    let mut info = ServerConfig::new(capabilities).with_server_info(implementation);
    info.instructions = instructions;
    info
}
