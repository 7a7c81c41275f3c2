//! Handlers written as plain (non-async) functions run on tokio's blocking pool: a body that
//! blocks its thread does not stall the server's other requests, even on a single-threaded
//! runtime, and a panic in it is still contained. Each test asserts the order in which calls
//! finish, never how long they took.

use std::sync::{Arc, Mutex, mpsc};

use mcp_runtime::{
    prelude::*,
    testing::{TestClient, text_of},
};
use rmcp::model::ResourceContents;
use serde_json::json;

/// A gate the blocking handlers wait at until the test opens it.
struct Gate {
    /// Tells the test that a handler is now blocked.
    waiting: tokio::sync::mpsc::UnboundedSender<()>,
    /// One message opens the gate for one handler.
    open: Mutex<mpsc::Receiver<()>>,
}

/// Only bounds the wait if the handler ever stalls the runtime again, so that such a regression
/// fails (with the calls finishing in the wrong order) instead of hanging; no assertion depends
/// on it.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(60);

impl Gate {
    /// Blocks the calling thread, as a synchronous database driver or file read would.
    fn pass(&self) -> &'static str {
        let _ = self.waiting.send(());
        let open = self.open.lock().expect("no handler panics while holding the gate");
        match open.recv_timeout(HANG_GUARD) {
            Ok(()) => "released",
            Err(_) => "gave up",
        }
    }
}

/// Wait at the gate, blocking the thread.
#[mcp_tool]
fn blocking_tool(gate: State<Gate>) -> String {
    gate.pass().to_owned()
}

/// Wait at the gate, blocking the thread.
#[mcp_prompt]
fn blocking_prompt(gate: State<Gate>) -> String {
    gate.pass().to_owned()
}

/// Wait at the gate, blocking the thread.
#[mcp_resource(uri = "gate://blocking")]
fn blocking_resource(gate: State<Gate>) -> String {
    gate.pass().to_owned()
}

/// Answer at once.
#[mcp_tool]
async fn ping() -> &'static str {
    "pong"
}

/// Panic in a synchronous body.
#[mcp_tool]
fn sync_explode() -> String {
    panic!("the sync tool's own bug")
}

/// Parse a number, synchronously, from a template variable.
#[mcp_resource(uri = "numbers://{n}/double")]
fn double(n: i64) -> String {
    (n * 2).to_string()
}

/// The server, the receiver that says a handler is blocked, and the sender that opens the gate.
async fn connect() -> (TestClient, tokio::sync::mpsc::UnboundedReceiver<()>, mpsc::Sender<()>) {
    let (waiting, blocked) = tokio::sync::mpsc::unbounded_channel();
    let (open, gate) = mpsc::channel();
    let server = Server::new("sync", "1.0.0").state(Gate { waiting, open: Mutex::new(gate) }).register(handlers![
        blocking_tool,
        blocking_prompt,
        blocking_resource,
        ping,
        sync_explode,
        double,
    ]);
    (TestClient::connect(server).await.expect("the server starts"), blocked, open)
}

/// Runs `blocked` (a call to a handler that blocks at the gate) next to a `ping` sent once the
/// handler is blocked; opens the gate when the ping has been answered. Returns the blocked call's
/// text and the order in which the two calls finished.
async fn ping_while_blocked<F>(
    client: &TestClient,
    mut handler_blocked: tokio::sync::mpsc::UnboundedReceiver<()>,
    open: mpsc::Sender<()>,
    blocked: F,
) -> (String, Vec<&'static str>)
where
    F: std::future::Future<Output = String>,
{
    let finished = Arc::new(Mutex::new(Vec::new()));
    let blocked = async {
        let text = blocked.await;
        finished.lock().unwrap().push("blocked handler");
        text
    };
    let ping = async {
        handler_blocked.recv().await.expect("the handler reaches the gate");
        assert_eq!(client.call_text("ping", json!({})).await.unwrap(), "pong");
        finished.lock().unwrap().push("ping");
        open.send(()).expect("the handler still waits");
    };
    let (text, ()) = tokio::join!(blocked, ping);
    let order = finished.lock().unwrap().clone();
    (text, order)
}

#[tokio::test(flavor = "current_thread")]
async fn a_blocking_sync_tool_does_not_stall_other_calls() {
    let (client, handler_blocked, open) = connect().await;
    let call = async { client.call_text("blocking_tool", json!({})).await.unwrap() };
    let (text, order) = ping_while_blocked(&client, handler_blocked, open, call).await;
    assert_eq!(order, ["ping", "blocked handler"]);
    assert_eq!(text, "released");
}

#[tokio::test(flavor = "current_thread")]
async fn a_blocking_sync_prompt_does_not_stall_other_calls() {
    let (client, handler_blocked, open) = connect().await;
    let call = async {
        let prompt = client.get_prompt("blocking_prompt", &[]).await.unwrap();
        prompt.messages[0].content.as_text().map(|content| content.text.clone()).expect("a text message")
    };
    let (text, order) = ping_while_blocked(&client, handler_blocked, open, call).await;
    assert_eq!(order, ["ping", "blocked handler"]);
    assert_eq!(text, "released");
}

#[tokio::test(flavor = "current_thread")]
async fn a_blocking_sync_resource_does_not_stall_other_calls() {
    let (client, handler_blocked, open) = connect().await;
    let call = async {
        let read = client.read_resource("gate://blocking").await.unwrap();
        match &read.contents[0] {
            ResourceContents::TextResourceContents { text, .. } => text.clone(),
            other => panic!("expected text, got {other:?}"),
        }
    };
    let (text, order) = ping_while_blocked(&client, handler_blocked, open, call).await;
    assert_eq!(order, ["ping", "blocked handler"]);
    assert_eq!(text, "released");
}

#[tokio::test(flavor = "current_thread")]
async fn a_panic_in_a_sync_tool_is_an_error_result_and_the_server_keeps_serving() {
    let (client, _, _) = connect().await;
    let result = client.call_tool("sync_explode", json!({})).await.unwrap();
    assert_eq!(result.is_error, Some(true));
    assert_eq!(text_of(&result), "tool `sync_explode` failed with an internal error; the server logged the details");
    assert_eq!(client.call_text("ping", json!({})).await.unwrap(), "pong");
}

#[tokio::test(flavor = "current_thread")]
async fn sync_handlers_receive_their_arguments() {
    let (client, _, _) = connect().await;
    let read = client.read_resource("numbers://21/double").await.unwrap();
    let ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else { panic!("{read:?}") };
    assert_eq!(text, "42");
    // Still an ordinary function.
    assert_eq!(double(4), "8");
}
