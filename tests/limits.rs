//! Limits that keep one slow or runaway call from taking the server down with it, end to end
//! over the in-process transport and over HTTP.

use std::time::Duration;

use mcp_runtime::{prelude::*, testing::TestClient};
use serde_json::json;
use tokio::sync::oneshot;

const PATIENCE: Duration = Duration::from_secs(10);

/// Sleep for `ms` milliseconds; allowed a quarter of a second.
#[mcp_tool(timeout = "250ms")]
async fn nap(ms: u64) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("slept {ms} ms")
}

/// Sleep for `ms` milliseconds under the server's default limit.
#[mcp_tool]
async fn doze(ms: u64) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("dozed {ms} ms")
}

/// Echo a message back.
#[mcp_tool]
async fn echo(message: String) -> String {
    message
}

fn server() -> Server {
    Server::new("limits", "1.0.0").register(handlers![nap, doze, echo]).tool_timeout(Duration::from_millis(400))
}

async fn assert_timeouts(client: &TestClient) {
    // Within its limit, a call finishes as usual.
    assert_eq!(client.call_text("nap", json!({"ms": 10})).await.unwrap(), "slept 10 ms");
    // Past it, the call is stopped and the caller told so, while other calls go on meanwhile.
    let (late, meanwhile) = tokio::join!(
        client.call_tool("nap", json!({"ms": 60_000})),
        client.call_text("echo", json!({"message": "hi"}))
    );
    assert_eq!(meanwhile.unwrap(), "hi");
    let late = late.unwrap();
    assert_eq!(late.is_error, Some(true));
    assert_eq!(
        mcp_runtime::testing::text_of(&late),
        "tool `nap` did not finish within 250 ms and was stopped; try again, or with less work"
    );
    // The server's default applies to tools without a limit of their own.
    let late = client.call_tool("doze", json!({"ms": 60_000})).await.unwrap();
    assert_eq!(
        mcp_runtime::testing::text_of(&late),
        "tool `doze` did not finish within 400 ms and was stopped; try again, or with less work"
    );
    assert_eq!(client.call_text("doze", json!({"ms": 1})).await.unwrap(), "dozed 1 ms");
}

#[tokio::test]
async fn a_call_past_its_timeout_is_stopped_with_a_clear_error() {
    let server = server();
    let metrics = server.metrics();
    let client = TestClient::connect(server).await.unwrap();
    tokio::time::timeout(PATIENCE, assert_timeouts(&client)).await.expect("timeouts fire in time");
    let text = metrics.render();
    assert!(text.contains(r#"mcp_requests_total{method="tools/call",name="nap",status="tool_error"} 1"#), "{text}");
}

#[tokio::test]
async fn timeouts_over_http() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server().serve_http_on(listener, async {
        let _ = stopped.await;
    }));
    let client = TestClient::connect_http(&url).await.unwrap();
    tokio::time::timeout(PATIENCE, assert_timeouts(&client)).await.expect("timeouts fire in time");
    drop(client);
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}
