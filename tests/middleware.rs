//! Middleware end to end: order, argument rewriting, answering early, replacing outcomes,
//! refusing; over the in-process transport and over HTTP with an authenticated caller.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use mcp_runtime::{
    auth::ApiKeys,
    middleware::{Middleware, Next, Request, Response},
    prelude::*,
    testing::{TestClient, text_of},
};
use rmcp::{
    ErrorData as McpError,
    model::{CallToolResponse, CallToolResult, ContentBlock as Content, ListToolsResult, ProtocolVersion},
};
use serde_json::json;

/// Echo a message back, `times` times.
#[mcp_tool]
async fn echo(calls: State<Arc<Mutex<Vec<String>>>>, message: String, times: Option<usize>) -> String {
    calls.lock().unwrap().push(format!("echo {message}"));
    message.repeat(times.unwrap_or(1))
}

/// Tell a secret.
#[mcp_tool]
async fn secret() -> &'static str {
    "the password is hunter2"
}

type Log = Arc<Mutex<Vec<String>>>;

/// Records its hooks in the shared log.
struct Recorder {
    name: &'static str,
    log: Log,
}

impl Middleware for Recorder {
    async fn before(&self, request: &mut Request) -> Option<Result<Response, McpError>> {
        self.log.lock().unwrap().push(format!("{} before {}", self.name, request.method()));
        None
    }

    async fn after(&self, request: &Request, outcome: &mut Result<Response, McpError>, elapsed: Duration) {
        assert!(elapsed < Duration::from_secs(10));
        let ok = matches!(outcome, Ok(response) if !response.is_tool_error());
        self.log.lock().unwrap().push(format!("{} after {} ok={ok}", self.name, request.method()));
    }
}

/// Answers `echo` of "cached" itself, fills in `times`, redacts secrets, refuses `forbidden`.
struct Policy;

impl Middleware for Policy {
    async fn before(&self, request: &mut Request) -> Option<Result<Response, McpError>> {
        if request.name() == Some("forbidden") {
            return Some(Err(McpError::invalid_request("`forbidden` is refused by policy", None)));
        }
        if request.name() != Some("echo") {
            return None;
        }
        let arguments = request.arguments_mut()?;
        if arguments.get("message") == Some(&json!("cached")) {
            let cached = CallToolResult::success(vec![Content::text("from the cache")]);
            return Some(Ok(Response::Tool(cached.into())));
        }
        arguments.entry("times").or_insert(json!(2));
        None
    }

    async fn after(&self, _request: &Request, outcome: &mut Result<Response, McpError>, _elapsed: Duration) {
        if let Ok(Response::Tool(rmcp::model::CallToolResponse::Complete(result))) = outcome {
            for block in &mut result.content {
                if let Some(text) = block.as_text().map(|text| text.text.replace("hunter2", "[redacted]")) {
                    *block = Content::text(text);
                }
            }
        }
    }
}

fn server(log: &Log, calls: &Log) -> Server {
    Server::new("middleware", "1.0.0")
        .register(handlers![echo, secret])
        .state(calls.clone())
        .middleware(Recorder { name: "outer", log: log.clone() })
        .middleware(Policy)
        .middleware(Recorder { name: "inner", log: log.clone() })
}

async fn assert_behaviour(client: &TestClient, log: &Log, calls: &Log) {
    log.lock().unwrap().clear();
    // Rewritten arguments reach the tool: `times` filled in.
    assert_eq!(client.call_text("echo", json!({"message": "hi"})).await.unwrap(), "hihi");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "outer before tools/call",
            "inner before tools/call",
            "inner after tools/call ok=true",
            "outer after tools/call ok=true"
        ]
    );

    // Answered early: neither the tool nor the inner middleware runs; the outer one sees it.
    log.lock().unwrap().clear();
    calls.lock().unwrap().clear();
    assert_eq!(client.call_text("echo", json!({"message": "cached"})).await.unwrap(), "from the cache");
    assert!(calls.lock().unwrap().is_empty());
    assert_eq!(*log.lock().unwrap(), ["outer before tools/call", "outer after tools/call ok=true"]);

    // The outcome replaced on the way out.
    let told = client.call_tool("secret", json!({})).await.unwrap();
    assert_eq!(text_of(&told), "the password is [redacted]");

    // Refused: a JSON-RPC error, before anything looks the tool up.
    let refused = client.peer().call_tool(rmcp::model::CallToolRequestParams::new("forbidden")).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = refused else { panic!("expected an MCP error: {refused:?}") };
    assert_eq!(error.message, "`forbidden` is refused by policy");

    // Every request goes through, lists too.
    log.lock().unwrap().clear();
    client.list_tools().await.unwrap();
    assert_eq!(log.lock().unwrap()[0], "outer before tools/list");
}

#[tokio::test]
async fn middleware_runs_in_order_and_can_rewrite_answer_replace_and_refuse() {
    let (log, calls) = (Log::default(), Log::default());
    let server = server(&log, &calls);
    let metrics = server.metrics();
    let client = TestClient::connect(server).await.unwrap();
    assert_behaviour(&client, &log, &calls).await;
    // The built-in metrics sit outside the middleware: the refusal is counted.
    let text = metrics.render();
    assert!(text.contains(r#"mcp_requests_total{method="tools/call",name="unknown",status="error"} 1"#), "{text}");
}

/// Sees who is calling.
struct Caller(Log);

impl Middleware for Caller {
    async fn before(&self, request: &mut Request) -> Option<Result<Response, McpError>> {
        let line = format!("{} via {}", request.principal().subject(), request.transport());
        self.0.lock().unwrap().push(line);
        None
    }
}

#[tokio::test]
async fn over_http_middleware_sees_the_authenticated_caller() {
    let (log, calls, callers) = (Log::default(), Log::default(), Log::default());
    let keys = ApiKeys::from_json(r#"{"keys": [{"name": "alice", "key": "alice-key-1234", "scopes": []}]}"#).unwrap();
    let server = server(&log, &calls).middleware(Caller(callers.clone())).authenticator(keys);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(server.serve_http_on(listener, std::future::pending()));
    let client =
        TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("alice-key-1234")).await.unwrap();
    assert_behaviour(&client, &log, &calls).await;
    assert!(callers.lock().unwrap().iter().all(|line| line == "alice via http"), "{callers:?}");
}

/// Answers every request with a tool result, whatever was asked.
struct Confused;

impl Middleware for Confused {
    async fn before(&self, request: &mut Request) -> Option<Result<Response, McpError>> {
        (request.method() != "initialize")
            .then(|| Ok(Response::Tool(CallToolResult::success(vec![Content::text("?")]).into())))
    }
}

#[tokio::test]
async fn an_answer_of_the_wrong_kind_is_an_internal_error_not_a_crash() {
    let server = Server::new("middleware", "1.0.0").register(handlers![secret]).middleware(Confused);
    let client = TestClient::connect(server).await.unwrap();
    let listed = client.peer().list_tools(None).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = listed else { panic!("expected an MCP error: {listed:?}") };
    assert_eq!(error.message, "a middleware answered `tools/list` with the answer to another kind of request");
    // The kind it does fit goes through.
    assert_eq!(client.call_text("secret", json!({})).await.unwrap(), "?");
}

/// Typed hooks: logs the onion's order, hides `secret` from lists, appends to tool results,
/// and answers `echo` of "short" without calling further in.
struct Typed {
    name: &'static str,
    log: Log,
}

impl Middleware for Typed {
    async fn on_request(&self, request: Request, next: Next<'_, Response>) -> Result<Response, McpError> {
        self.log.lock().unwrap().push(format!("{} request {}", self.name, request.method()));
        next.run(request).await
    }

    async fn on_call_tool(
        &self,
        call: Request,
        next: Next<'_, CallToolResponse>,
    ) -> Result<CallToolResponse, McpError> {
        self.log.lock().unwrap().push(format!("{} call {}", self.name, call.name().unwrap_or_default()));
        if call.arguments().and_then(|arguments| arguments.get("message")) == Some(&json!("short")) {
            return Ok(CallToolResult::success(vec![Content::text(format!("answered by {}", self.name))]).into());
        }
        let mut answered = next.run(call).await?;
        if let CallToolResponse::Complete(result) = &mut answered {
            result.content.push(Content::text(format!("seen by {}", self.name)));
        }
        Ok(answered)
    }

    async fn on_list_tools(
        &self,
        request: Request,
        next: Next<'_, ListToolsResult>,
    ) -> Result<ListToolsResult, McpError> {
        let mut listed = next.run(request).await?;
        listed.tools.retain(|tool| tool.name != "secret");
        Ok(listed)
    }
}

#[tokio::test]
async fn typed_hooks_wrap_their_kind_of_request_inside_on_request_outermost_first() {
    let (log, calls) = (Log::default(), Log::default());
    let server = Server::new("middleware", "1.0.0")
        .register(handlers![echo, secret])
        .state(calls.clone())
        .middleware(Typed { name: "outer", log: log.clone() })
        .middleware(Typed { name: "inner", log: log.clone() });
    let client = TestClient::connect(server).await.unwrap();

    log.lock().unwrap().clear();
    let answered = client.call_tool("echo", json!({"message": "hi"})).await.unwrap();
    let texts: Vec<&str> =
        answered.content.iter().filter_map(|block| block.as_text()).map(|t| t.text.as_str()).collect();
    // The innermost hook sees the answer first on its way out.
    assert_eq!(texts, ["hi", "seen by inner", "seen by outer"]);
    assert_eq!(
        *log.lock().unwrap(),
        ["outer request tools/call", "outer call echo", "inner request tools/call", "inner call echo"]
    );
    assert_eq!(*calls.lock().unwrap(), ["echo hi"]);

    // Answered by the outer hook: the inner middleware and the tool never run.
    log.lock().unwrap().clear();
    calls.lock().unwrap().clear();
    let short = client.call_tool("echo", json!({"message": "short"})).await.unwrap();
    assert_eq!(text_of(&short), "answered by outer");
    assert_eq!(*log.lock().unwrap(), ["outer request tools/call", "outer call echo"]);
    assert!(calls.lock().unwrap().is_empty());

    // A list hook sees only its list; other requests pass its typed hooks by.
    let names: Vec<String> = client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.to_string()).collect();
    assert_eq!(names, ["echo"]);
    assert!(client.get_prompt("none", &[]).await.is_err());
}
