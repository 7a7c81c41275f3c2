//! Rate limits per caller, end to end: a JSON-RPC error on the in-process (stdio) transport,
//! 429 with `Retry-After` over HTTP, keyed by client IP without authentication and by principal
//! with it; other callers, `/health` and `/metrics` are unaffected.

use std::net::SocketAddr;

use mcp_runtime::{
    auth::ApiKeys,
    http::HttpConfig,
    limit::{RATE_LIMITED, RateLimit},
    prelude::*,
    testing::TestClient,
};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

/// Echo a message back.
#[mcp_tool]
async fn echo(message: String) -> String {
    message
}

fn server(limit: RateLimit) -> Server {
    Server::new("limited", "1.0.0").register(handlers![echo]).rate_limit(limit)
}

async fn serve(server: Server) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(server.serve_http_on(listener, std::future::pending()));
    address
}

/// One stateless `tools/list` POST, as `key` if given.
async fn list(address: SocketAddr, key: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("http://{address}/mcp"))
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    request.send().await.unwrap()
}

async fn assert_too_many(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "Retry-After: {retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], RATE_LIMITED);
    assert_eq!(body["error"]["data"]["retryAfterSeconds"], retry_after);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("rate limit exceeded (2 requests a minute); retry after"), "{message}");
}

#[tokio::test]
async fn stdio_callers_get_a_json_rpc_error_with_the_wait() {
    let server = server(RateLimit::per_minute(3));
    let metrics = server.metrics();
    // `initialize` is never refused, so the handshake costs nothing.
    let client = TestClient::connect(server).await.unwrap();
    for message in ["one", "two", "three"] {
        assert_eq!(client.call_text("echo", json!({"message": message})).await.unwrap(), message);
    }
    let refused = client.peer().list_tools(None).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = refused else { panic!("expected an MCP error: {refused:?}") };
    assert_eq!(error.code.0, RATE_LIMITED);
    let wait = error.data.as_ref().and_then(|data| data["retryAfterSeconds"].as_u64()).unwrap();
    assert!((1..=20).contains(&wait), "{error:?}");
    assert!(error.message.contains("3 requests a minute"), "{}", error.message);
    let text = metrics.render();
    assert!(text.contains(r#"mcp_requests_total{method="tools/list",name="",status="rate_limited"} 1"#), "{text}");
}

#[tokio::test]
async fn http_without_authentication_limits_each_client_ip() {
    let server = server(RateLimit::per_minute(2)).http_config(HttpConfig { stateless: true, ..HttpConfig::default() });
    let address = serve(server).await;
    for _ in 0..2 {
        assert_eq!(list(address, None).await.status(), StatusCode::OK);
    }
    assert_too_many(list(address, None).await).await;
    // Probes and scrapes are not requests to the server's tools.
    assert_eq!(reqwest::get(format!("http://{address}/health")).await.unwrap().status(), StatusCode::OK);
    let metrics = reqwest::get(format!("http://{address}/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|line| line == "mcp_rate_limited_total 1"), "{metrics}");
}

#[tokio::test]
async fn http_with_authentication_limits_each_principal() {
    let keys = ApiKeys::from_json(
        r#"{"keys": [{"name": "alice", "key": "alice-key-1234", "scopes": []},
                     {"name": "bob", "key": "bob-key-12345", "scopes": []}]}"#,
    )
    .unwrap();
    let server = server(RateLimit::per_minute(2))
        .authenticator(keys)
        .http_config(HttpConfig { stateless: true, ..HttpConfig::default() });
    let address = serve(server).await;
    for _ in 0..2 {
        assert_eq!(list(address, Some("alice-key-1234")).await.status(), StatusCode::OK);
    }
    assert_too_many(list(address, Some("alice-key-1234")).await).await;
    // Same IP, another principal: its own allowance.
    assert_eq!(list(address, Some("bob-key-12345")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_zero_quota_is_refused_at_start_up() {
    let Err(error) = server(RateLimit::per_second(0)).build() else { panic!("a zero quota was accepted") };
    assert!(error.to_string().contains("the rate limit `0 requests a second` allows nothing"), "{error}");
}
