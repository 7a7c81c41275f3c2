//! The client side of the 2024-11-05 HTTP+SSE transport: an rmcp client [`Transport`] for
//! servers that only speak it (older servers, FastMCP's `transport="sse"`), used by the test
//! client (`TestClient::connect_sse`) and usable with any rmcp client.
//!
//! Needs the `http-client` feature (plain `http://`, as the test client; `https://` needs a TLS
//! backend in the program's reqwest, e.g. the `https-jwks` feature).
//!
//! ```no_run
//! use mcp_runtime::{legacy_sse::SseClientTransport, rmcp::ServiceExt};
//! # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let transport = SseClientTransport::connect("http://127.0.0.1:8000/sse", None).await?;
//! let client = ().serve(transport).await?;
//! let tools = client.list_all_tools().await?;
//! # Ok(()) }
//! ```

use std::{pin::Pin, time::Duration};

use futures::{Stream, StreamExt};
use reqwest::{Url, header};
use rmcp::{
    RoleClient,
    model::{ClientJsonRpcMessage, ServerJsonRpcMessage},
    transport::Transport,
};
use sse_stream::{Sse, SseStream};

type Events = Pin<Box<dyn Stream<Item = Result<Sse, sse_stream::Error>> + Send>>;

/// How long the server has to send the `endpoint` event once the stream is open.
const ENDPOINT_WAIT: Duration = Duration::from_secs(30);

/// A connection to a legacy SSE server: the open event stream, and the URL its `endpoint`
/// event named for POSTs.
pub struct SseClientTransport {
    http: reqwest::Client,
    endpoint: Url,
    bearer: Option<String>,
    events: Events,
}

/// Why a legacy SSE connection failed.
///
/// ```
/// let error = mcp_runtime::legacy_sse::SseClientError::Refused { status: 401, body: "no token".into() };
/// assert_eq!(error.to_string(), "the server answered 401: no token");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SseClientError {
    /// The URL is not one.
    #[error("`{0}` is not a URL")]
    Url(String),
    /// The request did not reach the server, or its answer broke off.
    #[error("HTTP request failed: {0}")]
    Http(#[from] reqwest::Error),
    /// The server answered with an error status.
    #[error("the server answered {status}: {body}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// What the server said, as text.
        body: String,
    },
    /// The stream ended or said something else before naming where to POST.
    #[error("the server sent no `endpoint` event: {0}")]
    NoEndpoint(String),
    /// The `endpoint` event named another origin than the stream's, which a client must refuse.
    #[error("the server's endpoint `{0}` is on another origin than its stream")]
    ForeignEndpoint(String),
    /// A message could not be written as JSON.
    #[error("a message could not be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl SseClientTransport {
    /// Opens the event stream at `url` (e.g. `http://127.0.0.1:8000/sse`), sending `bearer` as
    /// `Authorization: Bearer ..` when given, and waits for the `endpoint` event.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), mcp_runtime::legacy_sse::SseClientError> {
    /// let transport = mcp_runtime::legacy_sse::SseClientTransport::connect("http://127.0.0.1:8000/sse", Some("token")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(url: &str, bearer: Option<&str>) -> Result<Self, SseClientError> {
        let base = Url::parse(url).map_err(|_| SseClientError::Url(url.to_owned()))?;
        let http = reqwest::Client::new();
        let mut request = http.get(base.clone()).header(header::ACCEPT, "text/event-stream");
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await?;
        if !response.status().is_success() {
            let status = response.status().as_u16();
            return Err(SseClientError::Refused { status, body: response.text().await.unwrap_or_default() });
        }
        let mut events: Events = Box::pin(SseStream::from_bytes_stream(response.bytes_stream()));
        let endpoint = tokio::time::timeout(ENDPOINT_WAIT, first_endpoint(&mut events))
            .await
            .map_err(|_| SseClientError::NoEndpoint(format!("none within {ENDPOINT_WAIT:?}")))??;
        let endpoint = base.join(&endpoint).map_err(|_| SseClientError::Url(endpoint.clone()))?;
        if endpoint.origin() != base.origin() {
            return Err(SseClientError::ForeignEndpoint(endpoint.to_string()));
        }
        Ok(Self { http, endpoint, bearer: bearer.map(str::to_owned), events })
    }

    /// Where messages are POSTed, as the server's `endpoint` event named it.
    ///
    /// ```no_run
    /// # async fn demo(transport: mcp_runtime::legacy_sse::SseClientTransport) {
    /// println!("posting to {}", transport.endpoint());
    /// # }
    /// ```
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }
}

/// The data of the first `endpoint` event; other events before it are skipped.
async fn first_endpoint(events: &mut Events) -> Result<String, SseClientError> {
    while let Some(event) = events.next().await {
        let event = event.map_err(|error| SseClientError::NoEndpoint(error.to_string()))?;
        if event.event.as_deref() == Some("endpoint") {
            return event.data.ok_or_else(|| SseClientError::NoEndpoint("the `endpoint` event is empty".into()));
        }
    }
    Err(SseClientError::NoEndpoint("the stream ended".into()))
}

impl Transport<RoleClient> for SseClientTransport {
    type Error = SseClientError;

    fn send(
        &mut self,
        message: ClientJsonRpcMessage,
    ) -> impl std::future::Future<Output = Result<(), SseClientError>> + Send + 'static {
        let mut request = self.http.post(self.endpoint.clone()).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        let body = serde_json::to_vec(&message);
        async move {
            let response = request.body(body?).send().await?;
            if response.status().is_success() {
                return Ok(());
            }
            let status = response.status().as_u16();
            Err(SseClientError::Refused { status, body: response.text().await.unwrap_or_default() })
        }
    }

    /// The next `message` event's message. Keep-alive comments, empty events and events of
    /// other kinds are skipped; a message that does not parse is logged and skipped; a broken
    /// stream ends the connection.
    async fn receive(&mut self) -> Option<ServerJsonRpcMessage> {
        loop {
            let event = match self.events.next().await? {
                Ok(event) => event,
                Err(error) => {
                    tracing::warn!(%error, "legacy SSE stream broke off");
                    return None;
                }
            };
            if !matches!(event.event.as_deref(), None | Some("message")) {
                continue;
            }
            let Some(data) = event.data.filter(|data| !data.trim().is_empty()) else { continue };
            match serde_json::from_str(&data) {
                Ok(message) => return Some(message),
                Err(error) => tracing::warn!(%error, "skipped a legacy SSE event that is not an MCP message"),
            }
        }
    }

    fn close(&mut self) -> impl std::future::Future<Output = Result<(), SseClientError>> + Send {
        // Dropping the stream closes the connection, which ends the session on the server.
        self.events = Box::pin(futures::stream::empty());
        std::future::ready(Ok(()))
    }
}
