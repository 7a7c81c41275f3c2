//! Limits and containment that keep one slow, crowded or buggy call from taking the server down
//! with it: timeouts, concurrency limits, panics; end to end over the in-process transport and
//! over HTTP.

use std::{sync::Arc, time::Duration};

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

/// A gate the test opens: calls wait at it, counted as they arrive.
struct Gate {
    open: tokio::sync::Semaphore,
    arrived: std::sync::atomic::AtomicUsize,
}

impl Default for Gate {
    fn default() -> Self {
        Self { open: tokio::sync::Semaphore::new(0), arrived: Default::default() }
    }
}

impl Gate {
    async fn pass(&self) {
        self.arrived.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // Never closed, so acquiring only waits.
        let _ = self.open.acquire().await.map(tokio::sync::SemaphorePermit::forget);
    }

    async fn wait_for_arrivals(&self, count: usize) {
        while self.arrived.load(std::sync::atomic::Ordering::SeqCst) < count {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Wait at the gate; one call at a time.
#[mcp_tool(max_concurrency = 1)]
async fn exclusive(gate: State<Arc<Gate>>) -> &'static str {
    gate.pass().await;
    "passed"
}

/// Wait at the gate, as many at a time as the server allows.
#[mcp_tool]
async fn shared(gate: State<Arc<Gate>>) -> &'static str {
    gate.pass().await;
    "passed"
}

fn server() -> Server {
    Server::new("limits", "1.0.0").register(handlers![nap, doze, echo]).tool_timeout(Duration::from_millis(400))
}

/// A server whose gate the test holds.
fn gated(build: impl FnOnce(Server) -> Server) -> (Server, Arc<Gate>) {
    let gate = Arc::new(Gate::default());
    let server = Server::new("limits", "1.0.0")
        .register(handlers![echo, exclusive, shared])
        .busy_wait(Duration::from_millis(200))
        .state(gate.clone());
    (build(server), gate)
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

const TOOL_BUSY_NOW: &str = "tool `exclusive` is busy: it runs at most 1 call(s) at once and as many are already \
                             waiting; try again shortly";
const TOOL_BUSY_LATER: &str = "tool `exclusive` is busy: it runs at most 1 call(s) at once and none finished \
                               within 200 ms; try again shortly";

/// Waits until `count` requests are being answered: on the test's single-threaded runtime, a
/// counted call has also gone as far as it can, into a limit's queue if it waits there.
async fn wait_in_flight(metrics: &mcp_runtime::observe::Metrics, count: usize) {
    let series = format!("mcp_requests_in_flight {count}");
    while !metrics.render().lines().any(|line| line == series) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn assert_tool_limit(client: &TestClient, gate: &Gate, metrics: &mcp_runtime::observe::Metrics) {
    let text = |result: rmcp::model::CallToolResult| mcp_runtime::testing::text_of(&result);
    let running = client.call_tool("exclusive", json!({}));
    let queued = client.call_tool("exclusive", json!({}));
    let late = async {
        gate.wait_for_arrivals(1).await;
        wait_in_flight(metrics, 2).await;
        let refused = client.call_tool("exclusive", json!({})).await.unwrap();
        assert_eq!(refused.is_error, Some(true));
        assert_eq!(text(refused), TOOL_BUSY_NOW);
        // Other tools are not held up by this one's limit.
        assert_eq!(client.call_text("echo", json!({"message": "free"})).await.unwrap(), "free");
        // The queued call gives up after the busy wait; then the gate opens for the first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        gate.open.add_permits(100);
    };
    let (running, queued, ()) = tokio::join!(running, queued, late);
    assert_eq!(text(running.unwrap()), "passed");
    assert_eq!(text(queued.unwrap()), TOOL_BUSY_LATER);
    // A slot is free again.
    assert_eq!(client.call_text("exclusive", json!({})).await.unwrap(), "passed");
}

#[tokio::test]
async fn a_tool_limit_queues_briefly_then_refuses() {
    let (server, gate) = gated(|server| server);
    let metrics = server.metrics();
    let client = TestClient::connect(server).await.unwrap();
    let scenario = assert_tool_limit(&client, &gate, &metrics);
    tokio::time::timeout(PATIENCE, scenario).await.expect("the limit answers in time");
}

#[tokio::test]
async fn a_tool_limit_over_http() {
    let (server, gate) = gated(|server| server);
    let metrics = server.metrics();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.serve_http_on(listener, async {
        let _ = stopped.await;
    }));
    let client = TestClient::connect_http(&url).await.unwrap();
    let scenario = assert_tool_limit(&client, &gate, &metrics);
    tokio::time::timeout(PATIENCE, scenario).await.expect("the limit answers in time");
    drop(client);
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}

#[tokio::test]
async fn the_server_limit_counts_every_tool() {
    let (server, gate) = gated(|server| server.max_concurrency(2));
    let client = TestClient::connect(server).await.unwrap();
    let scenario = async {
        let first = client.call_tool("shared", json!({}));
        let second = client.call_tool("shared", json!({}));
        let refused = async {
            gate.wait_for_arrivals(2).await;
            let refused = client.call_tool("echo", json!({"message": "hi"})).await.unwrap();
            assert_eq!(
                mcp_runtime::testing::text_of(&refused),
                "the server is busy: it runs at most 2 call(s) at once and none finished within 200 ms; \
                 try again shortly"
            );
            gate.open.add_permits(100);
        };
        let (first, second, ()) = tokio::join!(first, second, refused);
        assert_eq!(mcp_runtime::testing::text_of(&first.unwrap()), "passed");
        assert_eq!(mcp_runtime::testing::text_of(&second.unwrap()), "passed");
        assert_eq!(client.call_text("echo", json!({"message": "hi"})).await.unwrap(), "hi");
    };
    tokio::time::timeout(PATIENCE, scenario).await.expect("the limit answers in time");
}

#[test]
fn a_zero_limit_is_refused_at_start_up() {
    let Err(error) = Server::new("limits", "1.0.0").max_concurrency(0).build() else {
        panic!("a zero limit was accepted");
    };
    assert!(error.to_string().contains("`Server::max_concurrency(0)` would refuse every tool call"), "{error}");
}

/// Panics.
#[mcp_tool]
async fn buggy_tool() -> String {
    panic!("a bug in the tool")
}

/// Panics.
#[mcp_prompt]
async fn buggy_prompt(
    /// Completed by a function that panics.
    #[complete(buggy_completion)]
    topic: String,
) -> String {
    panic!("a bug in the prompt about {topic}")
}

async fn buggy_completion(prefix: String) -> Vec<String> {
    panic!("a bug in completing {prefix}")
}

/// Panics.
#[mcp_resource(uri = "bug://resource")]
async fn buggy_resource() -> String {
    panic!("a bug in the resource")
}

async fn assert_panics_contained(client: &TestClient) {
    let result = client.call_tool("buggy_tool", json!({})).await.unwrap();
    assert_eq!(
        mcp_runtime::testing::text_of(&result),
        "tool `buggy_tool` failed with an internal error; the server logged the details"
    );
    assert!(client.get_prompt("buggy_prompt", &[("topic", "x")]).await.is_err());
    assert!(client.read_resource("bug://resource").await.is_err());
    let completion = client.peer().complete_prompt_argument("buggy_prompt", "topic", "r", None).await;
    let rmcp::ServiceError::McpError(error) = completion.unwrap_err() else { panic!("expected an MCP error") };
    assert_eq!(error.code, rmcp::model::ErrorCode::INTERNAL_ERROR);
    assert_eq!(error.message, "completing `buggy_prompt` failed with an internal error; the server logged the details");
    // Every other call still works.
    assert_eq!(client.call_text("echo", json!({"message": "still here"})).await.unwrap(), "still here");
}

fn buggy_server() -> Server {
    Server::new("buggy", "1.0.0").register(handlers![buggy_tool, buggy_prompt, buggy_resource, echo])
}

fn assert_panics_counted(text: &str) {
    for kind in ["tool", "prompt", "resource", "completion"] {
        let series = format!(r#"mcp_handler_panics_total{{kind="{kind}"}} 1"#);
        assert!(text.lines().any(|line| line == series), "no `{series}` in\n{text}");
    }
}

#[tokio::test]
async fn a_panic_in_any_handler_is_contained_and_counted() {
    let server = buggy_server();
    let metrics = server.metrics();
    let client = TestClient::connect(server).await.unwrap();
    assert_panics_contained(&client).await;
    assert_panics_counted(&metrics.render());
}

#[tokio::test]
async fn panics_over_http_leave_other_sessions_serving() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let url = format!("http://{address}/mcp");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(buggy_server().serve_http_on(listener, async {
        let _ = stopped.await;
    }));
    let bystander = TestClient::connect_http(&url).await.unwrap();
    let client = TestClient::connect_http(&url).await.unwrap();
    assert_panics_contained(&client).await;
    assert_eq!(bystander.call_text("echo", json!({"message": "unaffected"})).await.unwrap(), "unaffected");
    let metrics = reqwest::get(format!("http://{address}/metrics")).await.unwrap().text().await.unwrap();
    assert_panics_counted(&metrics);
    drop((client, bystander));
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}

/// A text of `bytes` bytes.
#[mcp_tool]
async fn big(bytes: usize) -> String {
    "x".repeat(bytes)
}

#[tokio::test]
async fn a_result_over_the_size_limit_becomes_an_error_the_model_can_act_on() {
    let server = Server::new("limits", "1.0.0").register(handlers![big]).max_result_bytes(1_000);
    let client = TestClient::connect(server).await.unwrap();
    assert_eq!(client.call_text("big", json!({"bytes": 100})).await.unwrap().len(), 100);
    let refused = client.call_tool("big", json!({"bytes": 5_000})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    assert_eq!(
        mcp_runtime::testing::text_of(&refused),
        "tool `big` returned more than 1000 bytes, over this server's limit; ask for less, e.g. a page, a filter \
         or a summary"
    );
}
