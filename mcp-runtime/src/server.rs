//! The `Server` builder: what a program configures before serving.

use std::{sync::Arc, time::Duration};

use rmcp::model::{
    Implementation, PromptsCapability, RequestStateCodec, ResourcesCapability, ServerCapabilities, ServerConfig,
    ToolsCapability,
};

use crate::{
    auth::{AuthSettings, Authenticator, ListPolicy, Principal, ScopeHierarchy},
    cli::{RuntimeArgs, Transport},
    context::CallEnv,
    error::{ServeError, StartupError},
    handlers::Handlers,
    notify::Notifier,
    observe::{metrics::Metrics, readiness::ReadinessChecks},
    registry::{Registry, Settings},
    schema::SchemaOptions,
    service::{McpService, Shared},
    state::StateMap,
    transport::{self, http::HttpConfig},
    visibility::Visibility,
};

/// An MCP server under construction: its identity, its handlers and its shared state.
///
/// ```no_run
/// use mcp_runtime::prelude::*;
///
/// /// Add two integers and return their sum.
/// #[mcp_tool(read_only, idempotent)]
/// async fn add(
///     /// The first addend.
///     a: i64,
///     /// The second addend.
///     b: i64,
/// ) -> i64 {
///     a + b
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), ServeError> {
///     Server::new("demo", env!("CARGO_PKG_VERSION"))
///         .instructions("Arithmetic for the model.")
///         .register(handlers![add])
///         .run() // stdio by default; `--transport` on the command line
///         .await
/// }
/// ```
pub struct Server {
    name: String,
    version: String,
    title: Option<String>,
    instructions: Option<String>,
    handlers: Handlers,
    discover: bool,
    allow_unregistered: bool,
    /// Annotated handlers this server does not serve on purpose (`Server::leave_out`).
    left_out: Handlers,
    states: StateMap,
    schema: SchemaOptions,
    validate_arguments: bool,
    list_ttl: Duration,
    http: HttpConfig,
    auth: AuthSettings,
    max_resource_bytes: usize,
    max_result_bytes: usize,
    page_size: Option<usize>,
    notifier: Notifier,
    visibility: Visibility,
    registry: Registry,
    request_state_key: Option<Vec<u8>>,
    metrics: Metrics,
    readiness: ReadinessChecks,
    tool_timeout: Option<Duration>,
    max_concurrency: Option<usize>,
    busy_wait: Duration,
    rate_limit: Option<crate::RateLimit>,
    metrics_resource: bool,
    middleware: Vec<Arc<dyn crate::middleware::DynMiddleware>>,
}

impl Server {
    /// A server with the given name and version (shown to clients as `serverInfo`).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// ```
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        let notifier = Notifier::default();
        let visibility = Visibility::new(notifier.clone());
        Self {
            name: name.into(),
            version: version.into(),
            title: None,
            instructions: None,
            handlers: Handlers::new(),
            discover: false,
            allow_unregistered: false,
            left_out: Handlers::new(),
            states: StateMap::default(),
            schema: SchemaOptions::default(),
            validate_arguments: true,
            list_ttl: Duration::from_secs(300),
            http: HttpConfig::default(),
            auth: AuthSettings::default(),
            max_resource_bytes: 16 * 1024 * 1024,
            max_result_bytes: 16 * 1024 * 1024,
            page_size: None,
            notifier: notifier.clone(),
            registry: Registry::new(notifier.clone(), visibility.clone()),
            visibility,
            request_state_key: None,
            metrics: Metrics::default(),
            readiness: ReadinessChecks::default(),
            tool_timeout: None,
            max_concurrency: None,
            busy_wait: crate::limit::DEFAULT_BUSY_WAIT,
            rate_limit: None,
            metrics_resource: false,
            middleware: Vec::new(),
        }
    }

    /// A human-readable title for the server.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").title("Demo Server");
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Instructions for the model on how to use this server, sent at connection.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .instructions("Use `add` for arithmetic; never guess sums.");
    /// ```
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// Shares `value` with every handler that takes a `State<T>` (one value per type).
    ///
    /// ```
    /// struct Config { greeting: String }
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .state(Config { greeting: "hello".into() });
    /// ```
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.states.insert(value);
        self
    }

    /// Registers the handlers named with [`handlers!`](crate::handlers).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    /// let server = Server::new("demo", "1.0.0").register(handlers![hello]);
    /// ```
    pub fn register(mut self, handlers: Handlers) -> Self {
        self.handlers.extend(handlers);
        self
    }

    /// Registers every annotated handler linked into the binary, wherever it is defined
    /// (dependencies included). Combined with [`register`](Self::register), a function named
    /// in both is registered once.
    ///
    /// ```standalone_crate
    /// use mcp_runtime::prelude::*;
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    /// mod more {
    ///     use mcp_runtime::prelude::*;
    ///     /// Say goodbye.
    ///     #[mcp_tool]
    ///     async fn goodbye() -> &'static str { "goodbye" }
    /// }
    /// let service = Server::new("demo", "1.0.0").discover().register(handlers![hello]).build().unwrap();
    /// assert_eq!(service.tool_count(), 2);
    /// ```
    pub fn discover(mut self) -> Self {
        self.discover = true;
        self
    }

    /// Keeps quiet about annotated functions linked into the binary that this server does not
    /// register. Without it, a server that does not [`discover`](Self::discover) logs one
    /// warning per such function at start-up, naming it and its file and line, since a function
    /// forgotten in [`handlers!`](crate::handlers) is otherwise silently absent. Use it when the
    /// binary deliberately holds handlers for several servers, or links a library's handlers it
    /// does not offer.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    ///
    /// /// Delete every record; offered only by the admin server, built elsewhere in this binary.
    /// #[mcp_tool(destructive)]
    /// async fn purge() -> &'static str { "purged" }
    ///
    /// let public = Server::new("public", "1.0.0").register(handlers![hello]).allow_unregistered().build().unwrap();
    /// assert_eq!(public.tool_count(), 1);
    /// ```
    pub fn allow_unregistered(mut self) -> Self {
        self.allow_unregistered = true;
        self
    }

    /// Names annotated functions this server does not serve on purpose (a read-only mode's
    /// write tools, say), so that the start-up check does not warn about them, while it still
    /// warns about any other function left out; see [`allow_unregistered`](Self::allow_unregistered)
    /// to silence the check altogether.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Read the notes.
    /// #[mcp_tool(read_only)]
    /// async fn read_notes() -> &'static str { "notes" }
    ///
    /// /// Replace the notes.
    /// #[mcp_tool(destructive)]
    /// async fn write_notes(text: String) -> String { text }
    ///
    /// fn writes() -> Handlers { handlers![write_notes] }
    ///
    /// let read_only = true;
    /// let server = Server::new("notes", "1.0.0").register(handlers![read_notes]);
    /// let server = if read_only { server.leave_out(writes()) } else { server.register(writes()) };
    /// assert_eq!(server.build().unwrap().tool_count(), 1);
    /// ```
    pub fn leave_out(mut self, handlers: Handlers) -> Self {
        self.left_out.extend(handlers);
        self
    }

    /// How schemas are rendered (inlined by default; see [`SchemaOptions`]).
    ///
    /// ```
    /// use mcp_runtime::{Server, SchemaOptions};
    /// let options = SchemaOptions { keep_refs: true, ..SchemaOptions::default() };
    /// let server = Server::new("demo", "1.0.0").schema_options(options);
    /// ```
    pub fn schema_options(mut self, options: SchemaOptions) -> Self {
        self.schema = options;
        self
    }

    /// Whether a tool's arguments are checked against its input schema before it runs (on by
    /// default). Serde refuses wrong types and missing arguments either way; the check adds what
    /// the schema promises beyond types: `#[schemars(range(..))]`, `length(..)`, `regex(..)`,
    /// formats (`email`, `uri`, `date-time`, ...). A violation is a tool error naming the
    /// argument and the constraint: ``invalid arguments for tool `search`: `limit`: 500 is greater
    /// than the maximum of 100``. Turn it off only for a tool set whose schemas a validator
    /// cannot compile, or to save its cost (see BENCHMARKS.md) where every caller is trusted.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").validate_arguments(false);
    /// ```
    pub fn validate_arguments(mut self, validate: bool) -> Self {
        self.validate_arguments = validate;
        self
    }

    /// How long clients may cache list responses (`ttlMs` for 2026-07-28 clients; default 5 min).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .list_ttl(std::time::Duration::from_secs(60));
    /// ```
    pub fn list_ttl(mut self, ttl: Duration) -> Self {
        self.list_ttl = ttl;
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
        let mut handlers = self.handlers;
        if !self.discover && !self.allow_unregistered {
            crate::handlers::warn_unregistered(&handlers, &self.left_out);
        }
        if self.metrics_resource {
            handlers.extend(crate::metrics_resource::handlers(&[]));
        }
        if self.discover {
            handlers.extend(Handlers::discovered());
        }
        let key = match self.request_state_key {
            Some(key) => key,
            None => random_key()?,
        };
        let request_state =
            RequestStateCodec::try_new(key).map_err(|error| StartupError::new(vec![error.to_string()]))?;
        if self.max_concurrency == Some(0) {
            return Err(StartupError::new(vec![
                "`Server::max_concurrency(0)` would refuse every tool call; the limit must be at least 1".to_owned(),
            ]));
        }
        let rate_limiter = match self.rate_limit {
            Some(limit) => Some(Arc::new(
                crate::rate_limit::RateLimiter::new(limit).map_err(|problem| StartupError::new(vec![problem]))?,
            )),
            None => None,
        };
        let states = Arc::new(self.states);
        let settings = Settings {
            schema: self.schema,
            validate_arguments: self.validate_arguments,
            states: states.clone(),
            metrics: self.metrics.clone(),
        };
        let catalog = self.registry.start(handlers, settings)?;
        let may_change = self.registry.may_change();
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
        let mut implementation = Implementation::new(self.name, self.version);
        implementation.title = self.title;
        let mut info = ServerConfig::new(capabilities).with_server_info(implementation);
        info.instructions = self.instructions;
        let local_principal = Arc::new(self.auth.hierarchy.apply(self.auth.local_principal.clone()));
        let env =
            Arc::new(CallEnv { notifier: self.notifier, metrics: self.metrics, visibility: self.visibility, states });
        Ok(McpService::new(Shared {
            registry: self.registry,
            env,
            info,
            list_ttl: self.list_ttl,
            auth: Arc::new(self.auth),
            local_principal,
            max_resource_bytes: self.max_resource_bytes,
            max_result_bytes: self.max_result_bytes,
            page_size: self.page_size,
            stateless_http: self.http.stateless,
            request_state,
            readiness: self.readiness,
            tool_timeout: self.tool_timeout,
            call_limiter: self.max_concurrency.map(crate::limit::Limiter::new),
            busy_wait: self.busy_wait,
            rate_limiter,
            middleware: self.middleware.into(),
        }))
    }

    /// Serves over stdin/stdout until the client disconnects.
    ///
    /// While serving, anything the program prints to stdout (a stray `println!`) is sent to
    /// stderr instead, so it cannot corrupt the protocol stream.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").serve_stdio().await
    /// # }
    /// ```
    pub async fn serve_stdio(self) -> Result<(), ServeError> {
        transport::stdio::serve(self.build()?).await
    }

    /// Serves on the transport chosen on the command line (`--transport`, default `stdio`), or by
    /// the `MCP_TRANSPORT` environment variable. `--help` names the server (its name, version and
    /// title, then its instructions) and lists the options; `--version` prints its version.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").run().await
    /// # }
    /// ```
    pub async fn run(self) -> Result<(), ServeError> {
        let identity = crate::cli::Identity {
            name: &self.name,
            version: &self.version,
            title: self.title.as_deref(),
            instructions: self.instructions.as_deref(),
        };
        let args = RuntimeArgs::parse_process_args(&identity);
        self.run_with(args).await
    }

    /// Like [`Server::run`], with options already parsed, for programs that flatten
    /// [`RuntimeArgs`] into their own command line.
    ///
    /// ```no_run
    /// use clap::Parser;
    ///
    /// #[derive(Parser)]
    /// struct Cli {
    ///     /// The directory to serve.
    ///     #[arg(long)]
    ///     root: std::path::PathBuf,
    ///     #[command(flatten)]
    ///     runtime: mcp_runtime::RuntimeArgs,
    /// }
    ///
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// let cli = Cli::parse();
    /// mcp_runtime::Server::new("files", "1.0.0").run_with(cli.runtime).await
    /// # }
    /// ```
    pub async fn run_with(mut self, args: RuntimeArgs) -> Result<(), ServeError> {
        crate::init_logging(args.log_format);
        let served = match args.transport {
            Transport::Stdio => self.serve_stdio().await,
            Transport::Http => {
                args.apply_to(&mut self.http);
                self = args.auth.apply(self).await.map_err(|problem| StartupError::new(vec![problem]))?;
                self.serve_http((args.host.as_str(), args.port)).await
            }
        };
        #[cfg(feature = "otel")]
        if tokio::task::spawn_blocking(crate::shutdown_telemetry).await.is_err() {
            tracing::warn!("flushing OpenTelemetry spans did not finish");
        }
        served
    }

    /// A handle to announce changes (a resource updated, a list changed) to connected clients,
    /// for code outside the handlers: a file watcher, a database listener, a timer.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let notifier = server.notifier(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn notifier(&self) -> Notifier {
        self.notifier.clone()
    }

    /// The server's metrics: requests by method, name and status, their durations, requests in
    /// progress, open sessions, refused credentials. HTTP serves them at `GET /metrics`; keep
    /// the handle to read them otherwise (it counts what the server counts once served).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let metrics = server.metrics();
    /// assert!(metrics.render().contains("mcp_sessions 0"));
    /// ```
    pub fn metrics(&self) -> Metrics {
        self.metrics.clone()
    }

    /// How long a tool call may run before it is stopped, for tools without their own
    /// `#[mcp_tool(timeout = "..")]`. The call's future is dropped (the tool stops at its next
    /// `.await`) and the caller gets a tool error saying so. No limit by default; over HTTP the
    /// request timeout ([`HttpConfig::request_timeout`]) still applies.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").tool_timeout(std::time::Duration::from_secs(30));
    /// ```
    pub fn tool_timeout(mut self, timeout: Duration) -> Self {
        self.tool_timeout = Some(timeout);
        self
    }

    /// How many tool calls may run at once, across every session. A call beyond the limit
    /// waits for a free slot (up to [`busy_wait`](Self::busy_wait), behind at most as many
    /// others as the limit), then gets a tool error saying the server is busy. Per tool:
    /// `#[mcp_tool(max_concurrency = N)]`. No limit by default.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_concurrency(64);
    /// ```
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.max_concurrency = Some(calls);
        self
    }

    /// How long a tool call beyond a concurrency limit waits for a free slot before it is
    /// refused as busy; 5 s by default.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .max_concurrency(8)
    ///     .busy_wait(std::time::Duration::from_millis(500));
    /// ```
    pub fn busy_wait(mut self, wait: Duration) -> Self {
        self.busy_wait = wait;
        self
    }

    /// Adds a [`Middleware`](crate::middleware::Middleware) around every request; the first
    /// added is outermost (its `before` runs first, its `after` last).
    ///
    /// ```
    /// use mcp_runtime::{middleware::{Middleware, Request, Response}, prelude::*};
    ///
    /// /// Refuses every call to `drop_table` outside business hours (here: always).
    /// struct ChangeFreeze;
    ///
    /// impl Middleware for ChangeFreeze {
    ///     async fn before(&self, request: &mut Request) -> Option<Result<Response, mcp_runtime::model::ErrorData>> {
    ///         (request.name() == Some("drop_table"))
    ///             .then(|| Err(mcp_runtime::model::ErrorData::invalid_request("changes are frozen", None)))
    ///     }
    /// }
    ///
    /// let server = Server::new("demo", "1.0.0").middleware(ChangeFreeze);
    /// ```
    pub fn middleware(mut self, middleware: impl crate::middleware::Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Offers the metrics as the resource `metrics://server` (Prometheus text), for servers on
    /// stdio, where there is no `GET /metrics` to scrape. Off by default: any caller that can
    /// read resources sees every tool's call counts.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").metrics_resource();
    /// let client = mcp_runtime::testing::TestClient::connect(server).await.unwrap();
    /// let read = client.read_resource("metrics://server").await.unwrap();
    /// let mcp_runtime::model::ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else { panic!() };
    /// assert!(text.contains("mcp_sessions 1"));
    /// # }
    /// ```
    pub fn metrics_resource(mut self) -> Self {
        self.metrics_resource = true;
        self
    }

    /// Limits how many requests each caller may make: per authenticated principal, or per
    /// client IP over HTTP without an authenticator (on stdio, the one local caller). Over HTTP
    /// a request over quota is answered 429 with `Retry-After`; elsewhere with the JSON-RPC
    /// error [`RATE_LIMITED`](crate::RATE_LIMITED) and `data.retryAfterSeconds`. `initialize`
    /// on stdio is never refused. A quota of zero is a start-up error.
    ///
    /// ```
    /// use mcp_runtime::{RateLimit, Server};
    ///
    /// let server = Server::new("demo", "1.0.0").rate_limit(RateLimit::per_minute(600).burst(60));
    /// ```
    pub fn rate_limit(mut self, limit: crate::RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Adds a readiness check to `GET /health`: while it fails (an `Err`, a panic, or no answer
    /// within 2 s), the endpoint answers 503 and names the failing check, so a load balancer
    /// or orchestrator holds traffic back. Checks run at once, on every probe; keep them cheap
    /// (a `SELECT 1`, not a migration).
    ///
    /// ```
    /// use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    ///
    /// let connected = Arc::new(AtomicBool::new(true));
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").readiness_check("database", move || {
    ///     let connected = connected.clone();
    ///     async move { if connected.load(Ordering::Relaxed) { Ok(()) } else { Err("not connected") } }
    /// });
    /// ```
    pub fn readiness_check<F, Fut, E>(mut self, name: impl Into<String>, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        self.readiness.add(name.into(), check);
        self
    }

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

    /// A handle to disable and re-enable tools, prompts and resources while the server runs;
    /// connected clients are told their lists changed.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let visibility = server.visibility(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn visibility(&self) -> Visibility {
        self.visibility.clone()
    }

    /// The server's registry, to add, replace and remove tools, prompts and resources while it
    /// serves; what is added before the server is built is checked with the rest at start-up.
    /// Taking it also makes the server advertise prompts and resources even if it starts with
    /// none, so that clients look for the ones added later.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let registry = server.registry(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn registry(&self) -> Registry {
        self.registry.taken_early()
    }

    /// Splits `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list` into
    /// pages of `size` items, linked by opaque cursors (default: one page with everything).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("big", "1.0.0").page_size(50);
    /// ```
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// The largest resource read the server sends (default 16 MiB, counting base64 for blobs);
    /// a larger one is an error naming both sizes, never a truncated body.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_resource_bytes(1024 * 1024);
    /// ```
    pub fn max_resource_bytes(mut self, bytes: usize) -> Self {
        self.max_resource_bytes = bytes;
        self
    }

    /// The largest tool result the server sends, as JSON (default 16 MiB); a larger one is
    /// replaced by a tool error naming the limit, so the model can ask for less instead of the
    /// client choking on it.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").max_result_bytes(1024 * 1024);
    /// ```
    pub fn max_result_bytes(mut self, bytes: usize) -> Self {
        self.max_result_bytes = bytes;
        self
    }

    /// Verifies bearer tokens on the HTTP transport; without one, HTTP callers get the local
    /// principal (fine on loopback, which is the default bind). Calling it again combines the
    /// authenticators: a token is accepted by the first that accepts it.
    ///
    /// ```
    /// use mcp_runtime::{ApiKeys, Server};
    /// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
    /// let server = Server::new("demo", "1.0.0").authenticator(keys);
    /// ```
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        let added: Arc<dyn Authenticator> = Arc::new(authenticator);
        self.auth.authenticator = Some(match self.auth.authenticator.take() {
            None => added,
            Some(existing) => Arc::new(crate::auth::AnyOf::new(vec![existing, added])),
        });
        self
    }

    /// Scopes that imply others (`files:admin` grants `files:read`), applied to every caller.
    ///
    /// ```
    /// use mcp_runtime::{ScopeHierarchy, Server};
    /// let server = Server::new("files", "1.0.0").scope_hierarchy(
    ///     ScopeHierarchy::new().implies("files:admin", ["files:read", "files:write"]).superuser("admin"),
    /// );
    /// ```
    pub fn scope_hierarchy(mut self, hierarchy: ScopeHierarchy) -> Self {
        self.auth.hierarchy = hierarchy;
        self
    }

    /// Uses an application's declared scopes (`#[derive(Scopes)]`): their hierarchy, and all of
    /// them in `scopes_supported`. Replaces any [`scope_hierarchy`](Self::scope_hierarchy).
    ///
    /// ```
    /// use mcp_runtime::{Scopes, Server};
    ///
    /// #[derive(Scopes)]
    /// enum Scope {
    ///     #[scope("notes:read")]
    ///     Read,
    ///     #[scope("notes:admin", implies = [Read])]
    ///     Admin,
    /// }
    ///
    /// let server = Server::new("notes", "1.0.0").scopes::<Scope>();
    /// ```
    pub fn scopes<S: crate::Scopes>(mut self) -> Self {
        self.auth.hierarchy = S::hierarchy();
        self.auth.declared.extend(S::ALL);
        self
    }

    /// The principal of stdio callers, and of HTTP callers when no authenticator is set
    /// (default: [`Principal::local`], which holds every scope).
    ///
    /// ```
    /// use mcp_runtime::{Principal, Server};
    /// let read_only_locally = Server::new("files", "1.0.0").local_principal(Principal::new("local", ["files:read"]));
    /// ```
    pub fn local_principal(mut self, principal: Principal) -> Self {
        self.auth.local_principal = principal;
        self
    }

    /// An OAuth authorization server that issues tokens for this server, advertised in the
    /// protected-resource metadata (RFC 9728) so clients know where to get a token. Without
    /// one, no metadata document is served and 401 challenges are a plain `Bearer`: clients are
    /// given their token (an API key, say) instead of running an OAuth flow.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").authorization_server("https://idp.example.com");
    /// ```
    pub fn authorization_server(mut self, url: impl Into<String>) -> Self {
        self.auth.authorization_servers.push(url.into());
        self
    }

    /// The public URL of the MCP endpoint (e.g. `https://mcp.example.com/mcp`), named in the
    /// metadata and challenges; by default it is derived from the request's `Host`.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").resource_url("https://mcp.example.com/mcp");
    /// ```
    pub fn resource_url(mut self, url: impl Into<String>) -> Self {
        self.auth.resource_url = Some(url.into());
        self
    }

    /// Whether lists hide what the caller lacks scopes for (default) or show everything.
    ///
    /// ```
    /// use mcp_runtime::{ListPolicy, Server};
    /// let server = Server::new("demo", "1.0.0").list_policy(ListPolicy::ShowAll);
    /// ```
    pub fn list_policy(mut self, policy: ListPolicy) -> Self {
        self.auth.list_policy = policy;
        self
    }

    /// Options of the Streamable HTTP transport (allowed hosts and origins, limits, sessions);
    /// see [`HttpConfig`] for the defaults.
    ///
    /// ```
    /// use mcp_runtime::{HttpConfig, Server};
    ///
    /// let server = Server::new("demo", "1.0.0")
    ///     .http_config(HttpConfig { allowed_hosts: vec!["mcp.example.com".into()], ..HttpConfig::default() });
    /// ```
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// Serves Streamable HTTP at `http://{address}/mcp` (and `GET /health`) until SIGINT or
    /// SIGTERM; then finishes the calls in progress and returns.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").serve_http("127.0.0.1:8000").await
    /// # }
    /// ```
    pub async fn serve_http(self, address: impl tokio::net::ToSocketAddrs) -> Result<(), ServeError> {
        let listener = tokio::net::TcpListener::bind(address).await?;
        self.serve_http_on(listener, transport::http::termination_signal()).await
    }

    /// Serves Streamable HTTP on a listener you bound, until `shutdown` resolves; for tests
    /// (bind port 0) and programs with their own shutdown logic.
    ///
    /// ```
    /// use mcp_runtime::Server;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let server = Server::new("demo", "1.0.0").serve_http_on(listener, async {});
    /// server.await // `shutdown` resolved at once: the server stops immediately
    /// # }
    /// ```
    pub async fn serve_http_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let config = self.http.clone();
        if let Some(problem) = listener
            .local_addr()
            .ok()
            .and_then(|address| config.exposure_problem(address, self.auth.authenticator.is_some()))
        {
            return Err(StartupError::new(vec![problem]).into());
        }
        let service = self.build()?;
        transport::http::announce(&service, &listener, &config);
        transport::http::serve(service, config, listener, shutdown).await
    }

    /// The MCP endpoint (at `/mcp`, or [`HttpConfig::path`]) and `GET /health` as an axum
    /// router, to mount in an existing application next to its own routes and middleware.
    ///
    /// ```
    /// use mcp_runtime::Server;
    ///
    /// let app = axum::Router::new()
    ///     .route("/", axum::routing::get(|| async { "my app" }))
    ///     .merge(Server::new("demo", "1.0.0").into_router().unwrap());
    /// ```
    pub fn into_router(self) -> Result<axum::Router, StartupError> {
        let config = self.http.clone();
        let service = self.build()?;
        Ok(transport::http::router(service, &config, tokio_util::sync::CancellationToken::new()))
    }
}

/// A fresh key for sealing request state, from the operating system's random source.
fn random_key() -> Result<Vec<u8>, StartupError> {
    let mut key = vec![0; RequestStateCodec::MIN_KEY_LENGTH];
    getrandom::fill(&mut key)
        .map_err(|error| StartupError::new(vec![format!("cannot draw a random request-state key: {error}")]))?;
    Ok(key)
}
