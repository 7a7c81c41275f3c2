//! An in-process MCP client for tests: the real rmcp client talking to your server through a
//! pipe, with every notification recorded.
//!
//! ```
//! use mcp_runtime::{prelude::*, testing::TestClient};
//!
//! /// Add two integers.
//! #[mcp_tool]
//! async fn add(a: i64, b: i64) -> i64 { a + b }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let client = TestClient::connect(Server::new("demo", "1.0.0").register(handlers![add])).await.unwrap();
//! assert_eq!(client.list_tools().await.unwrap()[0].name, "add");
//! let sum = client.call_tool("add", serde_json::json!({"a": 2, "b": 3})).await.unwrap();
//! // A structured result that is not an object travels as `{"result": ...}`.
//! assert_eq!(sum.structured_content, Some(serde_json::json!({"result": 5})));
//! # }
//! ```

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still part of the protocol.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use rmcp::{
    ClientHandler, RoleClient, ServiceError, ServiceExt,
    model::{
        CallToolRequestParams, CallToolResult, ClientConfig, CreateMessageRequestParams, CreateMessageResult,
        ElicitRequestParams, ElicitResult, ErrorData, GetPromptRequestParams, GetPromptResult, ListRootsResult,
        LoggingMessageNotificationParam, ProgressNotificationParam, ProtocolVersion, ReadResourceRequestParams,
        ReadResourceResult, ResourceUpdatedNotificationParam, Tool,
    },
    service::{ClientLifecycleMode, ClientServiceExt, NotificationContext, Peer, RequestContext, RunningService},
};
use serde_json::Value;

use crate::{Server, error::StartupError};

mod answers;
mod context;

pub use answers::Answers;
pub use context::{ContextRecord, TestContext, context};

/// Why a test interaction failed.
///
/// ```
/// use mcp_runtime::testing::TestError;
/// let error = TestError::ToolFailed("bad input".into());
/// assert_eq!(error.to_string(), "the tool returned an error: bad input");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum TestError {
    /// The server refused to start.
    #[error(transparent)]
    Startup(#[from] StartupError),
    /// The client could not connect.
    #[error("the client could not connect: {0}")]
    Connect(String),
    /// A request failed at the protocol level (JSON-RPC error, closed connection).
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The tool ran and reported an error (`isError: true`); the text is its message.
    #[error("the tool returned an error: {0}")]
    ToolFailed(String),
    /// Waiting for a notification timed out.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
}

/// Notifications the client received, in arrival order.
#[derive(Debug, Default, Clone)]
pub struct Recorded {
    /// `notifications/progress`.
    pub progress: Vec<ProgressNotificationParam>,
    /// `notifications/message`.
    pub logs: Vec<LoggingMessageNotificationParam>,
    /// URIs of `notifications/resources/updated`.
    pub resource_updates: Vec<String>,
    /// `tools`, `resources` or `prompts`, for each `notifications/*/list_changed`.
    pub list_changes: Vec<&'static str>,
    /// The elicitations the server asked for, answered or not.
    pub elicitations: Vec<ElicitRequestParams>,
    /// The sampling requests the server made, answered or not.
    pub sampling_requests: Vec<CreateMessageRequestParams>,
    /// How many times the server asked for the client's roots.
    pub roots_requests: usize,
}

#[derive(Clone)]
struct Recorder {
    recorded: Arc<Mutex<Recorded>>,
    version: ProtocolVersion,
    answers: Answers,
}

impl Recorder {
    fn new(version: ProtocolVersion, answers: Answers) -> Self {
        Self { recorded: Arc::default(), version, answers }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Recorded) -> R) -> R {
        f(&mut self.recorded.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl ClientHandler for Recorder {
    async fn on_progress(&self, params: ProgressNotificationParam, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.progress.push(params));
    }

    async fn on_logging_message(
        &self,
        params: LoggingMessageNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.with(|recorded| recorded.logs.push(params));
    }

    async fn on_resource_updated(
        &self,
        params: ResourceUpdatedNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.with(|recorded| recorded.resource_updates.push(params.uri));
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("resources"));
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("tools"));
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("prompts"));
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        let answer = self.answers.answer_elicitation(&request);
        self.with(|recorded| recorded.elicitations.push(request));
        answer.ok_or_else(ErrorData::method_not_found::<rmcp::model::ElicitationCreateRequestMethod>)
    }

    async fn create_message(
        &self,
        request: CreateMessageRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<CreateMessageResult, ErrorData> {
        let answer = self.answers.answer_sampling(&request);
        self.with(|recorded| recorded.sampling_requests.push(request));
        answer.ok_or_else(ErrorData::method_not_found::<rmcp::model::CreateMessageRequestMethod>)
    }

    async fn list_roots(&self, _context: RequestContext<RoleClient>) -> Result<ListRootsResult, ErrorData> {
        self.with(|recorded| recorded.roots_requests += 1);
        self.answers.answer_roots().ok_or_else(ErrorData::method_not_found::<rmcp::model::ListRootsRequestMethod>)
    }

    fn get_info(&self) -> ClientConfig {
        let mut config = ClientConfig::default();
        config.capabilities = self.answers.capabilities();
        config.protocol_version = self.version.clone();
        config.client_info = rmcp::model::Implementation::new("mcp-runtime-test-client", env!("CARGO_PKG_VERSION"));
        config
    }
}

/// A connected in-process client. Dropping it closes the connection.
pub struct TestClient {
    service: RunningService<RoleClient, Recorder>,
    recorder: Recorder,
}

impl TestClient {
    /// Builds `server` and connects with the `initialize` handshake (protocol 2025-11-25).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert!(client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    pub async fn connect(server: Server) -> Result<Self, TestError> {
        Self::connect_speaking(server, ProtocolVersion::V_2025_11_25).await
    }

    /// Connects speaking the given protocol version: `initialize` for 2025 versions,
    /// `server/discover` and per-request metadata for 2026-07-28.
    ///
    /// ```
    /// use mcp_runtime::model::ProtocolVersion;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let client = mcp_runtime::testing::TestClient::connect_speaking(server, ProtocolVersion::V_2026_07_28)
    ///     .await
    ///     .unwrap();
    /// assert_eq!(client.protocol_version(), Some(ProtocolVersion::V_2026_07_28));
    /// # }
    /// ```
    pub async fn connect_speaking(server: Server, version: ProtocolVersion) -> Result<Self, TestError> {
        Self::connect_answering(server, version, Answers::new()).await
    }

    /// Connects speaking `version`, answering the server's elicitations, sampling requests and
    /// roots requests with `answers` (and declaring those capabilities). On 2026-07-28 the
    /// helpers below drive `input_required` results: they answer and retry, as a client must.
    ///
    /// ```
    /// use mcp_runtime::{prelude::*, testing::{Answers, TestClient}};
    /// use mcp_runtime::model::{ElicitResult, ElicitationAction, ProtocolVersion};
    ///
    /// /// Greets whoever the user says they are.
    /// #[mcp_tool]
    /// async fn greet(ctx: Context) -> Result<String, ToolError> {
    ///     let schema = serde_json::from_value(serde_json::json!({
    ///         "type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]
    ///     }))?;
    ///     let answer = ctx.elicit("who", "Who are you?", schema).await?;
    ///     let name = answer.content.as_ref().and_then(|content| content["name"].as_str()).unwrap_or("stranger");
    ///     Ok(format!("hello, {name}"))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let answers = Answers::new()
    ///     .elicit(|_| ElicitResult::new(ElicitationAction::Accept).with_content(serde_json::json!({"name": "Ada"})));
    /// for version in [ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
    ///     let server = Server::new("demo", "1.0.0").register(handlers![greet]);
    ///     let client = TestClient::connect_answering(server, version, answers.clone()).await.unwrap();
    ///     assert_eq!(client.call_text("greet", serde_json::json!({})).await.unwrap(), "hello, Ada");
    ///     assert_eq!(client.recorded().elicitations.len(), 1);
    /// }
    /// # }
    /// ```
    pub async fn connect_answering(
        server: Server,
        version: ProtocolVersion,
        answers: Answers,
    ) -> Result<Self, TestError> {
        Self::connect_service_answering(server.build()?, version, answers).await
    }

    /// Connects to a built server (protocol 2025-11-25). Build once and connect several clients
    /// with [`McpService::for_new_connection`](crate::McpService::for_new_connection) to test
    /// what one session does to another (subscriptions, shared state).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// let alice = mcp_runtime::testing::TestClient::connect_service(service.for_new_connection()).await.unwrap();
    /// let bob = mcp_runtime::testing::TestClient::connect_service(service.for_new_connection()).await.unwrap();
    /// # }
    /// ```
    pub async fn connect_service(service: crate::McpService) -> Result<Self, TestError> {
        Self::connect_service_answering(service, ProtocolVersion::V_2025_11_25, Answers::new()).await
    }

    async fn connect_service_answering(
        service: crate::McpService,
        version: ProtocolVersion,
        answers: Answers,
    ) -> Result<Self, TestError> {
        let (server_end, client_end) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            match crate::transport::ping::AnswersPing(service.counted_as_session()).serve(server_end).await {
                Ok(running) => {
                    let _ = running.waiting().await;
                }
                Err(error) => tracing::warn!(%error, "in-process server did not start"),
            }
        });
        Self::connect_over(client_end, version, answers).await
    }

    /// Starts a server binary and talks to it over its stdin and stdout (protocol 2025-11-25);
    /// its stderr is inherited. The process is stopped when the client is dropped.
    ///
    /// ```no_run
    /// use mcp_runtime::testing::TestClient;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = TestClient::spawn(tokio::process::Command::new("target/debug/examples/quickstart")).await.unwrap();
    /// assert!(!client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    pub async fn spawn(command: tokio::process::Command) -> Result<Self, TestError> {
        Self::spawn_speaking(command, ProtocolVersion::V_2025_11_25).await
    }

    /// Like [`spawn`](Self::spawn), speaking the given protocol version.
    ///
    /// ```no_run
    /// use mcp_runtime::testing::TestClient;
    /// use mcp_runtime::model::ProtocolVersion;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let command = tokio::process::Command::new("target/debug/examples/quickstart");
    /// let client = TestClient::spawn_speaking(command, ProtocolVersion::V_2025_06_18).await.unwrap();
    /// # }
    /// ```
    pub async fn spawn_speaking(command: tokio::process::Command, version: ProtocolVersion) -> Result<Self, TestError> {
        let transport = rmcp::transport::TokioChildProcess::new(command)
            .map_err(|error| TestError::Connect(format!("could not start the server: {error}")))?;
        Self::connect_over(transport, version, Answers::new()).await
    }

    /// Connects to a server's Streamable HTTP endpoint (protocol 2025-11-25).
    ///
    /// ```
    /// use mcp_runtime::{Server, testing::TestClient};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    /// tokio::spawn(Server::new("demo", "1.0.0").serve_http_on(listener, std::future::pending()));
    /// let client = TestClient::connect_http(&url).await.unwrap();
    /// assert!(client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    pub async fn connect_http(url: &str) -> Result<Self, TestError> {
        Self::connect_http_with(url, ProtocolVersion::V_2025_11_25, None).await
    }

    /// Connects over Streamable HTTP speaking `version`, sending `bearer` (a token, without the
    /// `Bearer ` prefix) as the `Authorization` header when given.
    ///
    /// ```no_run
    /// use mcp_runtime::testing::TestClient;
    /// use mcp_runtime::model::ProtocolVersion;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = TestClient::connect_http_with("http://127.0.0.1:8000/mcp", ProtocolVersion::V_2026_07_28, Some("token"))
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub async fn connect_http_with(
        url: &str,
        version: ProtocolVersion,
        bearer: Option<&str>,
    ) -> Result<Self, TestError> {
        use rmcp::transport::{
            StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
        };
        let mut config = StreamableHttpClientTransportConfig::with_uri(url.to_owned());
        if let Some(token) = bearer {
            config = config.auth_header(token.to_owned());
        }
        Self::connect_over(StreamableHttpClientTransport::from_config(config), version, Answers::new()).await
    }

    async fn connect_over<T, E, A>(transport: T, version: ProtocolVersion, answers: Answers) -> Result<Self, TestError>
    where
        T: rmcp::transport::IntoTransport<RoleClient, E, A> + Send + 'static,
        E: std::error::Error + Send + Sync + 'static,
    {
        let lifecycle = if version.has_initialize() {
            ClientLifecycleMode::Initialize
        } else {
            ClientLifecycleMode::Discover { preferred_versions: vec![version.clone()] }
        };
        let recorder = Recorder::new(version, answers);
        let service = recorder
            .clone()
            .serve_with_lifecycle(transport, lifecycle)
            .await
            .map_err(|error| TestError::Connect(error.to_string()))?;
        Ok(Self { service, recorder })
    }

    /// The protocol version in use.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert_eq!(client.protocol_version(), Some(mcp_runtime::model::ProtocolVersion::V_2025_11_25));
    /// # }
    /// ```
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.service.peer().peer_info().map(|info| info.protocol_version.clone())
    }

    /// Every tool the server lists.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert!(client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    pub async fn list_tools(&self) -> Result<Vec<Tool>, TestError> {
        Ok(self.service.peer().list_all_tools().await?)
    }

    /// Calls a tool with a JSON object of arguments and returns the raw result, error or not.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Fails on purpose.
    /// #[mcp_tool]
    /// async fn fail() -> Result<String, ToolError> { Err(ToolError::new("nope")) }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![fail])).await.unwrap();
    /// let result = client.call_tool("fail", serde_json::json!({})).await.unwrap();
    /// assert_eq!(result.is_error, Some(true));
    /// # }
    /// ```
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Result<CallToolResult, TestError> {
        let mut params = CallToolRequestParams::new(name.to_owned());
        match arguments {
            Value::Object(arguments) => params = params.with_arguments(arguments),
            Value::Null => {}
            other => {
                return Err(TestError::Connect(format!("tool arguments must be a JSON object, not {other}")));
            }
        }
        // Through the running service, not the bare peer: it answers `input_required` and retries.
        Ok(self.service.call_tool(params).await?)
    }

    /// Gets a prompt with string arguments, answering `input_required` rounds on 2026-07-28.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Reviews code.
    /// #[mcp_prompt]
    /// async fn review(language: String) -> String { format!("Review this {language}.") }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![review])).await.unwrap();
    /// let prompt = client.get_prompt("review", &[("language", "Rust")]).await.unwrap();
    /// assert_eq!(prompt.messages.len(), 1);
    /// # }
    /// ```
    pub async fn get_prompt(&self, name: &str, arguments: &[(&str, &str)]) -> Result<GetPromptResult, TestError> {
        let arguments =
            arguments.iter().map(|(name, value)| ((*name).to_owned(), Value::String((*value).to_owned()))).collect();
        let params = GetPromptRequestParams::new(name.to_owned()).with_arguments(arguments);
        Ok(self.service.get_prompt(params).await?)
    }

    /// Reads a resource, answering `input_required` rounds on 2026-07-28.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// The motto.
    /// #[mcp_resource(uri = "text://motto")]
    /// async fn motto() -> &'static str { "ship it" }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![motto])).await.unwrap();
    /// let read = client.read_resource("text://motto").await.unwrap();
    /// assert_eq!(read.contents.len(), 1);
    /// # }
    /// ```
    pub async fn read_resource(&self, uri: &str) -> Result<ReadResourceResult, TestError> {
        Ok(self.service.read_resource(ReadResourceRequestParams::new(uri.to_owned())).await?)
    }

    /// Calls a tool and returns its text; an `isError` result becomes [`TestError::ToolFailed`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Greets.
    /// #[mcp_tool]
    /// async fn greet(name: String) -> String { format!("hello, {name}") }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![greet])).await.unwrap();
    /// assert_eq!(client.call_text("greet", serde_json::json!({"name": "Ada"})).await.unwrap(), "hello, Ada");
    /// # }
    /// ```
    pub async fn call_text(&self, name: &str, arguments: Value) -> Result<String, TestError> {
        let result = self.call_tool(name, arguments).await?;
        let text = text_of(&result);
        if result.is_error == Some(true) { Err(TestError::ToolFailed(text)) } else { Ok(text) }
    }

    /// The notifications received so far.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert!(client.recorded().progress.is_empty());
    /// # }
    /// ```
    pub fn recorded(&self) -> Recorded {
        self.recorder.with(|recorded| recorded.clone())
    }

    /// Waits until the recorded notifications satisfy `done` (they are delivered concurrently
    /// with responses), or fails after `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// let recorded = client.wait_for(|r| r.logs.is_empty(), Duration::from_secs(1)).await.unwrap();
    /// assert!(recorded.logs.is_empty());
    /// # }
    /// ```
    pub async fn wait_for(&self, done: impl Fn(&Recorded) -> bool, timeout: Duration) -> Result<Recorded, TestError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let recorded = self.recorded();
            if done(&recorded) {
                return Ok(recorded);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(TestError::Timeout("the expected notifications"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The rmcp peer, for requests these helpers do not cover.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// let info = client.peer().peer_info().unwrap();
    /// assert_eq!(info.server_info.as_ref().unwrap().name, "demo");
    /// # }
    /// ```
    pub fn peer(&self) -> &Peer<RoleClient> {
        self.service.peer()
    }
}

/// The text blocks of a result, joined by newlines.
///
/// ```
/// use mcp_runtime::model::{CallToolResult, ContentBlock};
/// let result = CallToolResult::success(vec![ContentBlock::text("a"), ContentBlock::text("b")]);
/// assert_eq!(mcp_runtime::testing::text_of(&result), "a\nb");
/// ```
pub fn text_of(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text())
        .map(|text| text.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
