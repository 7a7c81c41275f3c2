//! Connecting the test client: in process, to a child process over stdio, or over HTTP, in
//! any protocol version.

use rmcp::{
    RoleClient, ServiceExt,
    model::ProtocolVersion,
    service::{ClientLifecycleMode, ClientServiceExt, RunningService},
};

use super::{Answers, TestError, recorder::Recorder};
use crate::Server;

/// A connected in-process client. Dropping it closes the connection.
pub struct TestClient {
    pub(super) service: RunningService<RoleClient, Recorder>,
    pub(super) recorder: Recorder,
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
        Self::spawn_answering(command, version, Answers::new()).await
    }

    /// Like [`spawn_speaking`](Self::spawn_speaking), answering the server's questions with
    /// `answers` and declaring what they cover (tasks included, with [`Answers::tasks`]).
    ///
    /// ```no_run
    /// use mcp_runtime::testing::{Answers, TestClient};
    /// use mcp_runtime::model::ProtocolVersion;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let command = tokio::process::Command::new("target/debug/examples/dev_assistant");
    /// let client = TestClient::spawn_answering(command, ProtocolVersion::V_2025_11_25, Answers::new().tasks()).await.unwrap();
    /// # }
    /// ```
    pub async fn spawn_answering(
        command: tokio::process::Command,
        version: ProtocolVersion,
        answers: Answers,
    ) -> Result<Self, TestError> {
        let transport = rmcp::transport::TokioChildProcess::new(command)
            .map_err(|error| TestError::Connect(format!("could not start the server: {error}")))?;
        Self::connect_over(transport, version, answers).await
    }

    /// Connects to a server's Streamable HTTP endpoint (protocol 2025-11-25).
    ///
    /// Needs the `http-client` feature.
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
    #[cfg(feature = "http-client")]
    pub async fn connect_http(url: &str) -> Result<Self, TestError> {
        Self::connect_http_with(url, ProtocolVersion::V_2025_11_25, None).await
    }

    /// Connects over Streamable HTTP speaking `version`, sending `bearer` (a token, without the
    /// `Bearer ` prefix) as the `Authorization` header when given.
    ///
    /// Needs the `http-client` feature.
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
    #[cfg(feature = "http-client")]
    pub async fn connect_http_with(
        url: &str,
        version: ProtocolVersion,
        bearer: Option<&str>,
    ) -> Result<Self, TestError> {
        Self::connect_http_answering(url, version, bearer, Answers::new()).await
    }

    /// Like [`connect_http_with`](Self::connect_http_with), answering the server's questions
    /// with `answers` and declaring what they cover (tasks included, with [`Answers::tasks`]).
    ///
    /// Needs the `http-client` feature.
    ///
    /// ```no_run
    /// use mcp_runtime::testing::{Answers, TestClient};
    /// use mcp_runtime::model::ProtocolVersion;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let answers = Answers::new().tasks();
    /// let client = TestClient::connect_http_answering("http://127.0.0.1:8000/mcp", ProtocolVersion::V_2026_07_28, None, answers)
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    #[cfg(feature = "http-client")]
    pub async fn connect_http_answering(
        url: &str,
        version: ProtocolVersion,
        bearer: Option<&str>,
        answers: Answers,
    ) -> Result<Self, TestError> {
        use rmcp::transport::{
            StreamableHttpClientTransport, streamable_http_client::StreamableHttpClientTransportConfig,
        };
        let mut config = StreamableHttpClientTransportConfig::with_uri(url.to_owned());
        if let Some(token) = bearer {
            config = config.auth_header(token.to_owned());
        }
        Self::connect_over(StreamableHttpClientTransport::from_config(config), version, answers).await
    }

    /// Connects to a server's legacy HTTP+SSE endpoint (e.g. `http://127.0.0.1:8000/sse`),
    /// speaking protocol 2024-11-05 as the clients of that transport do.
    ///
    /// Needs the `http-client` feature.
    ///
    /// ```
    /// use mcp_runtime::{Server, http::{HttpConfig, LegacySse}, testing::TestClient};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// let url = format!("http://{}/sse", listener.local_addr().unwrap());
    /// let server = Server::new("demo", "1.0.0").http_config(HttpConfig { legacy_sse: LegacySse::Only, ..HttpConfig::default() });
    /// tokio::spawn(server.serve_http_on(listener, std::future::pending()));
    /// let client = TestClient::connect_sse(&url, None, mcp_runtime::testing::Answers::new()).await.unwrap();
    /// assert!(client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    #[cfg(feature = "http-client")]
    pub async fn connect_sse(url: &str, bearer: Option<&str>, answers: Answers) -> Result<Self, TestError> {
        let transport = crate::legacy_sse::SseClientTransport::connect(url, bearer)
            .await
            .map_err(|error| TestError::Connect(error.to_string()))?;
        Self::connect_over(transport, ProtocolVersion::V_2024_11_05, answers).await
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
}
