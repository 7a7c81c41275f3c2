//! The legacy HTTP+SSE transport (protocol 2024-11-05) end to end: the quickstart example served
//! with `--transport sse` (and beside Streamable HTTP) to our SSE client, and the transport's
//! edges spoken to in raw HTTP: unknown sessions, bad bodies, bad `Host` and `Origin`, tokens,
//! another principal's session, a client that closes its stream, one that stops reading it, and
//! shutdown.

use std::time::Duration;

use mcp_runtime::{
    auth::ApiKeys,
    http::{HttpConfig, LegacySse},
    model::ProtocolVersion,
    prelude::*,
    testing::{Answers, TestClient},
};
use reqwest::StatusCode;
use serde_json::json;

mod support;

#[tokio::test]
async fn the_quickstart_serves_an_sse_client() {
    let server = support::serve_sse(support::quickstart()).await;
    let client = TestClient::connect_sse(&server.url, None, Answers::new()).await.unwrap();
    assert_eq!(client.protocol_version(), Some(ProtocolVersion::V_2024_11_05));
    let tools: Vec<String> = client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into()).collect();
    assert!(tools.contains(&"add".to_owned()) && tools.contains(&"count_slowly".to_owned()), "{tools:?}");
    assert_eq!(client.call_text("add", json!({"a": 2, "b": 3})).await.unwrap(), "5");
    let error = client.call_tool("divide", json!({"dividend": 1.0, "divisor": 0.0})).await.unwrap();
    assert_eq!(error.is_error, Some(true));
    // Notifications come back on the stream too.
    client.call_text("count_slowly", json!({"to": 2, "interval_ms": 1})).await.unwrap();
    client.wait_for(|recorded| !recorded.logs.is_empty(), Duration::from_secs(5)).await.unwrap();
    let resources = client.peer().list_all_resources().await.unwrap();
    assert!(!resources.is_empty());
    let first = client.read_resource(&resources[0].uri).await.unwrap();
    assert!(!first.contents.is_empty());
    let prompts = client.peer().list_all_prompts().await.unwrap();
    assert!(!prompts.is_empty());
}

#[tokio::test]
async fn http_serves_both_transports_when_asked() {
    let mut command = support::quickstart();
    command.arg("--legacy-sse");
    let server = support::serve_http(command).await;
    let announced = server.startup_lines.join("\n");
    assert!(announced.contains("/sse (POST to /messages)"), "{announced}");
    let modern = TestClient::connect_http(&server.url).await.unwrap();
    let legacy = TestClient::connect_sse(&server.url.replace("/mcp", "/sse"), None, Answers::new()).await.unwrap();
    assert_eq!(modern.call_text("add", json!({"a": 1, "b": 1})).await.unwrap(), "2");
    assert_eq!(legacy.call_text("add", json!({"a": 2, "b": 2})).await.unwrap(), "4");
}

/// Adds two integers.
#[mcp_tool]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Answers with `kib` KiB of text.
#[mcp_tool]
async fn bulky(kib: usize) -> String {
    "x".repeat(kib * 1024)
}

/// An in-process server on a free port, alice and bob holding API keys; the answer's `url` is
/// its base, `http://127.0.0.1:PORT`.
async fn serve(config: HttpConfig) -> (String, tokio::sync::oneshot::Sender<()>) {
    let keys = ApiKeys::from_json(
        r#"{"keys": [{"name": "alice", "key": "alice-key-1234", "scopes": []}, {"name": "bob", "key": "bob-key-12345", "scopes": []}]}"#,
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = Server::new("legacy", "1.0.0").register(handlers![add, bulky]).authenticator(keys).http_config(config);
    tokio::spawn(server.serve_http_on(listener, async move { drop(stopped.await) }));
    (base, stop)
}

fn legacy_only() -> HttpConfig {
    HttpConfig { legacy_sse: LegacySse::Only, ..HttpConfig::default() }
}

/// A raw stream: the response being read, and the `endpoint` its first event named.
struct RawStream {
    response: reqwest::Response,
    endpoint: String,
    seen: String,
}

async fn open(base: &str, key: &str) -> RawStream {
    let response = reqwest::Client::new()
        .get(format!("{base}/sse"))
        .bearer_auth(key)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = RawStream { response, endpoint: String::new(), seen: String::new() };
    let event = stream.next_event().await.expect("an endpoint event");
    let endpoint = event.strip_prefix("event: endpoint\ndata: ").expect("the endpoint event comes first");
    assert!(endpoint.starts_with("/messages?sessionId="), "{endpoint}");
    stream.endpoint = format!("{base}{endpoint}");
    stream
}

impl RawStream {
    /// The next event's text, keep-alive comments skipped; `None` when the stream ends.
    async fn next_event(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.seen.find("\n\n") {
                let event = self.seen[..end].to_owned();
                self.seen.drain(..end + 2);
                if event.starts_with(':') {
                    continue;
                }
                return Some(event);
            }
            let chunk = self.response.chunk().await.ok()??;
            self.seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    async fn post(&self, key: &str, body: serde_json::Value) -> reqwest::Response {
        reqwest::Client::new().post(&self.endpoint).bearer_auth(key).json(&body).send().await.unwrap()
    }

    async fn initialize(&mut self, key: &str) {
        let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
        assert_eq!(self.post(key, initialize).await.status(), StatusCode::ACCEPTED);
        let answer = self.next_event().await.unwrap();
        assert!(answer.contains(r#""protocolVersion":"2024-11-05""#), "{answer}");
        let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        assert_eq!(self.post(key, initialized).await.status(), StatusCode::ACCEPTED);
    }
}

#[tokio::test]
async fn bad_requests_get_precise_answers_and_the_session_goes_on() {
    let (base, _stop) = serve(legacy_only()).await;
    let client = reqwest::Client::new();
    // No token: the same 401 as Streamable HTTP's.
    let refused = client.get(format!("{base}/sse")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    // A host or origin that is not allowed.
    let rebound = client.get(format!("{base}/sse")).bearer_auth("alice-key-1234").header("host", "evil.example").send();
    assert_eq!(rebound.await.unwrap().status(), StatusCode::FORBIDDEN);
    let foreign =
        client.get(format!("{base}/sse")).bearer_auth("alice-key-1234").header("origin", "https://evil.example");
    assert_eq!(foreign.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    // Streamable HTTP is not served alongside unless asked.
    let modern =
        client.post(format!("{base}/mcp")).bearer_auth("alice-key-1234").json(&json!({})).send().await.unwrap();
    assert_eq!(modern.status(), StatusCode::NOT_FOUND);

    let mut stream = open(&base, "alice-key-1234").await;
    stream.initialize("alice-key-1234").await;
    // Unknown and missing sessions.
    let ping = json!({"jsonrpc": "2.0", "id": 9, "method": "ping"});
    let unknown = client.post(format!("{base}/messages?sessionId=nope")).bearer_auth("alice-key-1234").json(&ping);
    let unknown = unknown.send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.text().await.unwrap().contains("no such session"));
    let nameless = client.post(format!("{base}/messages")).bearer_auth("alice-key-1234").json(&ping).send();
    assert_eq!(nameless.await.unwrap().status(), StatusCode::BAD_REQUEST);
    // Bob cannot post into alice's session: to him it does not exist.
    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "add", "arguments": {"a": 1, "b": 2}}});
    assert_eq!(stream.post("bob-key-12345", call.clone()).await.status(), StatusCode::NOT_FOUND);
    // A body that is not a message, and one that is not JSON.
    let garbage =
        client.post(&stream.endpoint).bearer_auth("alice-key-1234").header("content-type", "application/json");
    let garbage = garbage.body("{not json").send().await.unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let error: serde_json::Value = garbage.json().await.unwrap();
    assert_eq!(error["error"]["code"], -32700, "{error}");
    let plain = client.post(&stream.endpoint).bearer_auth("alice-key-1234").body("hello").send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // The session still serves, its answers on the stream.
    assert_eq!(stream.post("alice-key-1234", call).await.status(), StatusCode::ACCEPTED);
    let answer = stream.next_event().await.unwrap();
    assert!(answer.starts_with("event: message\ndata: ") && answer.contains(r#""text":"3""#), "{answer}");
}

#[tokio::test]
async fn a_closed_stream_ends_its_session() {
    let (base, _stop) = serve(legacy_only()).await;
    let mut stream = open(&base, "alice-key-1234").await;
    stream.initialize("alice-key-1234").await;
    let endpoint = stream.endpoint.clone();
    drop(stream);
    let client = reqwest::Client::new();
    let ping = json!({"jsonrpc": "2.0", "id": 7, "method": "ping"});
    let mut status = StatusCode::ACCEPTED;
    for _ in 0..50 {
        status = client.post(&endpoint).bearer_auth("alice-key-1234").json(&ping).send().await.unwrap().status();
        if status == StatusCode::NOT_FOUND {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, StatusCode::NOT_FOUND, "the session outlived its stream");
}

/// A client that stops reading its stream is dropped once a message has waited for it longer
/// than the request timeout; what waits meanwhile is bounded, and other sessions are served.
#[tokio::test]
async fn a_client_that_stops_reading_is_dropped() {
    let config = HttpConfig { request_timeout: Duration::from_secs(1), ..legacy_only() };
    let (base, _stop) = serve(config).await;
    let mut stalled = open(&base, "alice-key-1234").await;
    stalled.initialize("alice-key-1234").await;
    let big = |id: u32| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "bulky", "arguments": {"kib": 512}}});
    let mut refused = None;
    for id in 1..=400 {
        let status = stalled.post("alice-key-1234", big(id)).await.status();
        if status != StatusCode::ACCEPTED {
            refused = Some((id, status));
            break;
        }
    }
    let (after, status) = refused.expect("a client that reads nothing was never dropped");
    assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::SERVICE_UNAVAILABLE), "{status} after {after}");
    // Another session is served meanwhile.
    let mut other = open(&base, "bob-key-12345").await;
    other.initialize("bob-key-12345").await;
}

#[tokio::test]
async fn shutdown_closes_every_stream() {
    let (base, stop) = serve(legacy_only()).await;
    let mut stream = open(&base, "alice-key-1234").await;
    stream.initialize("alice-key-1234").await;
    stop.send(()).unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), async { while stream.next_event().await.is_some() {} });
    ended.await.expect("the stream stayed open after shutdown");
}

#[tokio::test]
async fn mounted_under_a_prefix_the_endpoint_names_it() {
    let config = legacy_only();
    let app =
        axum::Router::new().nest("/tools", Server::new("nested", "1.0.0").http_config(config).into_router().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = TestClient::connect_sse(&format!("{base}/tools/sse"), None, Answers::new()).await.unwrap();
    assert!(client.list_tools().await.unwrap().is_empty());
}
