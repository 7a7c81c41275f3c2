//! Streamable HTTP over real loopback sockets: rmcp's HTTP client for the protocol, raw
//! requests (reqwest) for headers and status codes.

use std::{net::SocketAddr, time::Duration};

use mcp_runtime::{http::HttpConfig, prelude::*, testing::TestClient};
use reqwest::{StatusCode, header};
use rmcp::model::ProtocolVersion;
use serde_json::{Value, json};
use tokio::sync::oneshot;

mod support;

const PATIENCE: Duration = Duration::from_secs(10);

/// Echo a message back.
#[mcp_tool(read_only)]
async fn echo(
    /// What to say.
    message: String,
) -> String {
    message
}

/// Wait `ms` milliseconds, reporting progress halfway.
#[mcp_tool(read_only)]
async fn wait(ctx: Context, ms: u64) -> String {
    tokio::time::sleep(Duration::from_millis(ms / 2)).await;
    ctx.progress(1, 2, "halfway").await;
    tokio::time::sleep(Duration::from_millis(ms / 2)).await;
    format!("waited {ms} ms")
}

/// A server on a free loopback port; dropping the returned sender shuts it down.
struct Running {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    async fn start(config: HttpConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = Server::new("http-fixture", "1.0.0").register(handlers![echo, wait]).http_config(config);
        let task = tokio::spawn(server.serve_http_on(listener, async {
            let _ = stopped.await;
        }));
        Self { address, stop: Some(stop), task }
    }

    fn url(&self) -> String {
        format!("http://{}/mcp", self.address)
    }

    async fn shut_down(mut self) -> Result<(), ServeError> {
        drop(self.stop.take());
        tokio::time::timeout(PATIENCE, &mut self.task).await.expect("the server stops in time").unwrap()
    }
}

fn initialize_body() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})
}

fn raw_post(url: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(url)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(header::CONTENT_TYPE, "application/json")
}

#[tokio::test]
async fn every_protocol_version_in_both_modes() {
    for stateless in [false, true] {
        let server = Running::start(HttpConfig { stateless, ..HttpConfig::default() }).await;
        for version in [ProtocolVersion::V_2025_06_18, ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
            let context = format!("stateless={stateless} {version}");
            let client = TestClient::connect_http_with(&server.url(), version.clone(), None).await.expect(&context);
            assert_eq!(client.protocol_version(), Some(version.clone()), "{context}");
            let names: Vec<String> = client.list_tools().await.unwrap().into_iter().map(|t| t.name.into()).collect();
            assert_eq!(names, ["echo", "wait"], "{context}");
            if version == ProtocolVersion::V_2026_07_28 {
                // No tool here needs a scope, so every caller sees the same list: shareable.
                let list = client.peer().list_tools(None).await.unwrap();
                assert_eq!(list.cache_scope, Some(rmcp::model::CacheScope::Public), "{context}");
            }
            assert_eq!(client.call_text("echo", json!({"message": "hi"})).await.unwrap(), "hi", "{context}");
            // Progress travels on the call's SSE stream.
            assert_eq!(client.call_text("wait", json!({"ms": 20})).await.unwrap(), "waited 20 ms", "{context}");
            client.wait_for(|recorded| !recorded.progress.is_empty(), PATIENCE).await.expect(&context);
        }
        server.shut_down().await.unwrap();
    }
}

#[tokio::test]
async fn sessions_have_ids_and_end_with_delete() {
    let server = Running::start(HttpConfig::default()).await;
    let response = raw_post(&server.url()).json(&initialize_body()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let session = response.headers().get("mcp-session-id").expect("a session id").to_str().unwrap().to_owned();
    let deleted = reqwest::Client::new().delete(server.url()).header("mcp-session-id", &session).send().await.unwrap();
    // 204, not rmcp's 202: clients (the Python SDK) treat anything else as a failed termination.
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    // The session is gone: using it again is a 404, as the spec asks.
    let reused = raw_post(&server.url())
        .header("mcp-session-id", &session)
        .json(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), StatusCode::NOT_FOUND);
    // Ending it again, or ending one never issued, is a 404 too: nothing was ended.
    for id in [session.as_str(), "never-issued"] {
        let again = reqwest::Client::new().delete(server.url()).header("mcp-session-id", id).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "DELETE of {id}");
    }
    server.shut_down().await.unwrap();
}

#[tokio::test]
async fn stateless_mode_answers_simple_calls_with_json() {
    let server = Running::start(HttpConfig { stateless: true, ..HttpConfig::default() }).await;
    let response = raw_post(&server.url()).json(&initialize_body()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("mcp-session-id").is_none());
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["result"]["serverInfo"]["name"], "http-fixture");
    server.shut_down().await.unwrap();
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let server = Running::start(HttpConfig::default()).await;
    let rebinding = raw_post(&server.url()).header(header::HOST, "evil.example").json(&initialize_body()).send().await;
    assert_eq!(rebinding.unwrap().status(), StatusCode::FORBIDDEN);
    let foreign_origin =
        raw_post(&server.url()).header(header::ORIGIN, "https://evil.example").json(&initialize_body()).send().await;
    assert_eq!(foreign_origin.unwrap().status(), StatusCode::FORBIDDEN);
    let local_origin = raw_post(&server.url())
        .header(header::ORIGIN, format!("http://localhost:{}", server.address.port()))
        .json(&initialize_body())
        .send()
        .await;
    assert_eq!(local_origin.unwrap().status(), StatusCode::OK);
    server.shut_down().await.unwrap();

    let configured = Running::start(HttpConfig {
        allowed_hosts: vec!["mcp.example.com".into()],
        allowed_origins: vec!["https://app.example.com".into()],
        ..HttpConfig::default()
    })
    .await;
    let allowed = raw_post(&configured.url())
        .header(header::HOST, "mcp.example.com")
        .header(header::ORIGIN, "https://app.example.com")
        .json(&initialize_body())
        .send()
        .await;
    assert_eq!(allowed.unwrap().status(), StatusCode::OK);
    configured.shut_down().await.unwrap();
}

#[tokio::test]
async fn oversized_bodies_get_413_and_the_server_keeps_serving() {
    let server = Running::start(HttpConfig { max_body_bytes: 1024, ..HttpConfig::default() }).await;
    let mut body = initialize_body();
    body["params"]["clientInfo"]["name"] = json!("x".repeat(4096));
    let response = raw_post(&server.url()).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let garbage = raw_post(&server.url()).body("{not json").send().await.unwrap();
    assert!(garbage.status().is_client_error(), "{}", garbage.status());
    let client = TestClient::connect_http(&server.url()).await.unwrap();
    assert_eq!(client.call_text("echo", json!({"message": "still here"})).await.unwrap(), "still here");
    server.shut_down().await.unwrap();
}

#[tokio::test]
async fn slow_requests_get_504() {
    let server = Running::start(HttpConfig {
        stateless: true,
        request_timeout: Duration::from_millis(200),
        ..HttpConfig::default()
    })
    .await;
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                      "params": {"name": "echo", "arguments": {"message": "quick"}}});
    let quick = raw_post(&server.url()).header("mcp-protocol-version", "2025-11-25").json(&call).send().await.unwrap();
    assert_eq!(quick.status(), StatusCode::OK);
    // `wait` without a progress token emits nothing before its result, so the answer is held
    // back as one JSON body and the limit applies.
    let slow = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                      "params": {"name": "wait", "arguments": {"ms": 2000}}});
    let response =
        raw_post(&server.url()).header("mcp-protocol-version", "2025-11-25").json(&slow).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(response.text().await.unwrap(), "the request did not complete within 0.2 s");
    server.shut_down().await.unwrap();
}

#[tokio::test]
async fn health_reports_name_version_and_uptime() {
    let server = Running::start(HttpConfig::default()).await;
    let health: Value = reqwest::get(format!("http://{}/health", server.address)).await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["name"], "http-fixture");
    assert_eq!(health["version"], "1.0.0");
    assert!(health["uptime_seconds"].is_u64());
    server.shut_down().await.unwrap();
}

#[tokio::test]
async fn shutdown_lets_a_call_in_flight_finish() {
    let server = Running::start(HttpConfig::default()).await;
    let client = TestClient::connect_http(&server.url()).await.unwrap();
    let call = tokio::spawn(async move { client.call_text("wait", json!({"ms": 600})).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let stopped = tokio::spawn(server.shut_down());
    assert_eq!(call.await.unwrap().unwrap(), "waited 600 ms");
    stopped.await.unwrap().unwrap();
}

#[tokio::test]
async fn the_router_mounts_in_an_existing_app() {
    let mcp = Server::new("mounted", "1.0.0").register(handlers![echo]).into_router().unwrap();
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "the app" })).merge(mcp);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    assert_eq!(reqwest::get(format!("http://{address}/")).await.unwrap().text().await.unwrap(), "the app");
    let client = TestClient::connect_http(&format!("http://{address}/mcp")).await.unwrap();
    assert_eq!(client.call_text("echo", json!({"message": "mounted"})).await.unwrap(), "mounted");
}

/// The quickstart, unchanged, served with `--transport http`; SIGTERM with a call in flight lets
/// the call finish and the process exit cleanly.
#[cfg(unix)]
#[tokio::test]
async fn the_quickstart_serves_http_from_the_command_line_and_stops_gracefully() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let mut child = support::quickstart()
        .args(["--transport", "http", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let banner = tokio::time::timeout(PATIENCE, stderr.next_line()).await.unwrap().unwrap().unwrap();
    let url = banner.split_whitespace().find(|word| word.starts_with("http://")).expect(&banner).to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"), "{banner}");

    let client = TestClient::connect_http(&url).await.unwrap();
    assert_eq!(client.list_tools().await.unwrap().len(), 7);
    let call =
        tokio::spawn(async move { client.call_text("count_slowly", json!({"to": 5, "interval_ms": 100})).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());

    assert_eq!(call.await.unwrap().unwrap(), "counted to 5");
    let status = tokio::time::timeout(PATIENCE, child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status}");
}

/// Authentication configured from the command line alone: an API key file.
#[tokio::test]
async fn the_quickstart_takes_api_keys_from_the_command_line() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let keys = std::env::temp_dir().join(format!("mcp-runtime-test-keys-{}.json", std::process::id()));
    std::fs::write(
        &keys,
        r#"{"keys": [{"name": "reader", "key": "reader-key", "scopes": ["notes:read"]},
                     {"name": "editor", "key": "editor-key", "scopes": ["notes:write"]}]}"#,
    )
    .unwrap();
    let mut child = support::quickstart()
        .args(["--transport", "http", "--port", "0"])
        .env("MCP_AUTH_API_KEYS", &keys)
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let banner = tokio::time::timeout(PATIENCE, stderr.next_line()).await.unwrap().unwrap().unwrap();
    let url = banner.split_whitespace().find(|word| word.starts_with("http://")).expect(&banner).to_owned();

    let names = |tools: Vec<rmcp::model::Tool>| tools.into_iter().map(|tool| tool.name.to_string()).collect::<Vec<_>>();
    let reader = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("reader-key")).await.unwrap();
    assert_eq!(
        names(reader.list_tools().await.unwrap()),
        ["add", "count_slowly", "divide", "list_notes", "text_stats"]
    );
    // The hierarchy from the code applies to keys from the command line: notes:write implies notes:read.
    let editor = TestClient::connect_http_with(&url, ProtocolVersion::V_2025_11_25, Some("editor-key")).await.unwrap();
    assert_eq!(editor.call_text("add_note", json!({"text": "hello"})).await.unwrap(), "1 note(s)");
    let notes = editor.call_tool("list_notes", json!({})).await.unwrap();
    assert_eq!(notes.structured_content, Some(json!({"result": ["hello (by editor)"]})));

    let anonymous = raw_post(&url).json(&initialize_body()).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    std::fs::remove_file(&keys).unwrap();
}
