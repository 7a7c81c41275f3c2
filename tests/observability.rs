//! What an operator sees: the metrics, at `GET /metrics` and in process, and the JSON log lines,
//! checked after calls whose outcomes are known.

use std::time::Duration;

use mcp_runtime::{http::HttpConfig, prelude::*, testing::TestClient};
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

/// Divide `a` by `b`.
#[mcp_tool(read_only)]
async fn divide(a: f64, b: f64) -> Result<f64, String> {
    if b == 0.0 { Err("cannot divide by zero".into()) } else { Ok(a / b) }
}

fn server() -> Server {
    Server::new("observed", "1.0.0").register(handlers![echo, divide])
}

/// The value of one sample line of the Prometheus text, e.g. `mcp_sessions`, or `None` when the
/// series does not exist yet.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// One call of each outcome, so each counter has a known value.
async fn call_each_outcome(client: &TestClient) {
    client.list_tools().await.unwrap();
    for message in ["one", "two"] {
        assert_eq!(client.call_text("echo", json!({"message": message})).await.unwrap(), message);
    }
    let refused = client.call_tool("divide", json!({"a": 1, "b": 0})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    // Not a registered name: a protocol error, counted under `unknown`, not under what was sent.
    assert!(client.call_tool("no_such_tool", json!({})).await.is_err());
}

fn assert_counts(text: &str) {
    let count = |series: &str| sample(text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"));
    assert_eq!(count(r#"mcp_requests_total{method="tools/call",name="echo",status="ok"}"#), 2.0);
    assert_eq!(count(r#"mcp_requests_total{method="tools/call",name="divide",status="tool_error"}"#), 1.0);
    assert_eq!(count(r#"mcp_requests_total{method="tools/call",name="unknown",status="error"}"#), 1.0);
    assert_eq!(count(r#"mcp_requests_total{method="tools/list",name="",status="ok"}"#), 1.0);
    assert_eq!(count(r#"mcp_request_duration_seconds_count{method="tools/call",name="echo"}"#), 2.0);
    assert!(!text.contains("no_such_tool"), "a client-chosen name became a label:\n{text}");
}

#[tokio::test]
async fn in_process_metrics_count_every_outcome() {
    let server = server();
    let metrics = server.metrics();
    let client = TestClient::connect(server).await.unwrap();
    call_each_outcome(&client).await;
    let text = metrics.render();
    assert_counts(&text);
    assert_eq!(sample(&text, "mcp_requests_in_flight"), Some(0.0), "{text}");
    assert_eq!(sample(&text, "mcp_sessions"), Some(1.0), "{text}");
    drop(client);
    // The session ends when the client goes; the gauge follows once the server notices.
    let closed = tokio::time::timeout(PATIENCE, async {
        while sample(&metrics.render(), "mcp_sessions") != Some(0.0) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    closed.await.expect("the session gauge drops when the client leaves");
}

#[tokio::test]
async fn http_serves_metrics_and_counts_sessions() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server().serve_http_on(listener, async {
        let _ = stopped.await;
    }));
    let url = format!("http://{address}/mcp");
    let client = TestClient::connect_http(&url).await.unwrap();
    call_each_outcome(&client).await;

    let response = reqwest::get(format!("http://{address}/metrics")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();
    assert_counts(&text);
    assert_eq!(sample(&text, "mcp_requests_in_flight"), Some(0.0), "{text}");
    assert_eq!(sample(&text, "mcp_sessions"), Some(1.0), "{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
    drop(client);
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}

#[tokio::test]
async fn metrics_endpoint_can_be_turned_off() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let config = HttpConfig { metrics: false, ..HttpConfig::default() };
    let task = tokio::spawn(server().http_config(config).serve_http_on(listener, async {
        let _ = stopped.await;
    }));
    let response = reqwest::get(format!("http://{address}/metrics")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}

/// The quickstart binary with `--log-format json` and the default filter: one JSON object per
/// stderr line, the request's fields in its span, and nothing on stdout but JSON-RPC.
#[tokio::test]
async fn json_logs_carry_one_line_per_request_with_its_fields() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let mut child = support::quickstart()
        .args(["--log-format", "json"])
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "add", "arguments": {"a": 2, "b": 3}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "add", "arguments": {"a": "two"}}}),
    ];
    for message in &messages {
        stdin.write_all(format!("{message}\n").as_bytes()).await.unwrap();
    }
    // Both calls answered on stdout first, so their log lines have been written.
    let mut answered = 0;
    while answered < 2 {
        let line = tokio::time::timeout(PATIENCE, stdout.next_line()).await.unwrap().unwrap().expect("an answer");
        let message: Value = serde_json::from_str(&line).expect("stdout carries only JSON-RPC");
        if message["id"] == 2 || message["id"] == 3 {
            answered += 1;
        }
    }
    drop(stdin); // the server exits at the end of its input, closing stderr

    let mut requests = Vec::new();
    while let Ok(Some(line)) = tokio::time::timeout(PATIENCE, stderr.next_line()).await.unwrap() {
        let event: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON line: {line}"));
        if event["fields"]["message"] == "answered" {
            requests.push(event);
        }
    }
    // The two calls run concurrently, so their lines may come in either order.
    requests.sort_by_key(|event| event["span"]["id"].as_str().map(str::to_owned));
    let methods: Vec<&str> = requests.iter().map(|event| event["span"]["method"].as_str().unwrap()).collect();
    assert_eq!(methods, ["initialize", "tools/call", "tools/call"], "{requests:#?}");
    let (good, bad) = (&requests[1], &requests[2]);
    assert_eq!(good["level"], "INFO");
    assert_eq!(good["span"]["handler"], "add");
    assert_eq!(good["span"]["id"], "2");
    assert_eq!(good["span"]["transport"], "stdio");
    assert_eq!(good["span"]["protocol"], "2025-11-25");
    assert_eq!(good["fields"]["status"], "ok");
    assert!(good["fields"]["duration_ms"].as_f64().is_some(), "{good}");
    // Bad arguments are a tool error the model can read, and the log says so.
    assert_eq!(bad["fields"]["status"], "tool_error", "{bad}");
}

#[tokio::test]
async fn health_answers_503_while_a_readiness_check_fails() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };

    let database_up = Arc::new(AtomicBool::new(true));
    let up = database_up.clone();
    let server = server()
        .readiness_check("database", move || {
            let up = up.clone();
            async move { if up.load(Ordering::SeqCst) { Ok(()) } else { Err("connection refused") } }
        })
        .readiness_check("cache", || async { Ok::<(), String>(()) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let health = format!("http://{}/health", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.serve_http_on(listener, async {
        let _ = stopped.await;
    }));

    let probe = || async {
        let response = reqwest::get(&health).await.unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    let (status, body) = probe().await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["database"]["status"], "ok");

    database_up.store(false, Ordering::SeqCst);
    let (status, body) = probe().await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"]["database"]["status"], "failed");
    assert_eq!(body["checks"]["database"]["error"], "connection refused");
    assert_eq!(body["checks"]["cache"]["status"], "ok");

    // It recovers as soon as the check passes again.
    database_up.store(true, Ordering::SeqCst);
    assert_eq!(probe().await.0, reqwest::StatusCode::OK);
    drop(stop);
    tokio::time::timeout(PATIENCE, task).await.expect("the server stops in time").unwrap().unwrap();
}

/// On stdio there is no `/metrics`; the opt-in resource shows the same text.
#[tokio::test]
async fn the_metrics_resource_shows_the_counts_without_http() {
    let client = TestClient::connect(server().metrics_resource()).await.unwrap();
    call_each_outcome(&client).await;
    let resources = client.peer().list_all_resources().await.unwrap();
    let names: Vec<&str> = resources.iter().map(|resource| resource.uri.as_str()).collect();
    assert_eq!(names, ["metrics://server"]);
    let read = client.read_resource("metrics://server").await.unwrap();
    let rmcp::model::ResourceContents::TextResourceContents { text, mime_type, .. } = &read.contents[0] else {
        panic!("expected text: {read:?}")
    };
    assert_eq!(mime_type.as_deref(), Some("text/plain; version=0.0.4"));
    assert_counts(text);
    // The read itself is in progress while it renders.
    assert_eq!(sample(text, "mcp_requests_in_flight"), Some(1.0), "{text}");
    // Without the opt-in, no such resource.
    let plain = TestClient::connect(server()).await.unwrap();
    assert!(plain.read_resource("metrics://server").await.is_err());
}

/// Over HTTP with the default filter and `--log-format json`: every stderr line is JSON (the
/// start-up line too), a client's mistake is logged once (the request's own line), and a
/// client that hangs up is not an error.
#[tokio::test]
async fn http_logs_are_json_with_one_line_per_request_and_no_error_for_a_hang_up() {
    let mut command = support::quickstart();
    command.args(["--log-format", "json"]).env_remove("RUST_LOG");
    let mut server = support::serve_http(command).await;
    let mut lines = server.startup_lines.clone();
    let http = reqwest::Client::new();
    let post = |session: Option<&str>, body: Value| {
        let mut request = http
            .post(&server.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .json(&body);
        if let Some(session) = session {
            request = request.header("mcp-session-id", session).header("mcp-protocol-version", "2025-11-25");
        }
        request.send()
    };
    let initialized = post(
        None,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}),
    )
    .await
    .unwrap();
    let session = initialized.headers()["mcp-session-id"].to_str().unwrap().to_owned();
    initialized.text().await.unwrap();
    post(Some(&session), json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await.unwrap();
    let unknown = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "no_such_tool"}});
    assert!(post(Some(&session), unknown).await.unwrap().text().await.unwrap().contains("unknown tool"));
    // Start a call, hang up on its stream, and end the session while it still runs: its answer
    // then has nowhere to go, which is the client's business, not the server's.
    let counting = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                          "params": {"name": "count_slowly", "arguments": {"to": 3}}});
    drop(post(Some(&session), counting).await.unwrap());
    let deleted =
        http.delete(&server.url).header("mcp-session-id", &session).header("mcp-protocol-version", "2025-11-25");
    deleted.send().await.unwrap();
    lines.extend(after_count_slowly_then_stopped(&mut server).await);

    let events: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}\n{lines:#?}")))
        .collect();
    let started = events[0]["fields"]["message"].as_str().unwrap();
    assert!(started.contains("MCP over Streamable HTTP at http://127.0.0.1:"), "{started}");
    let loud: Vec<&Value> =
        events.iter().filter(|event| event["level"] == "ERROR" || event["level"] == "WARN").collect();
    assert!(loud.is_empty(), "{loud:#?}");
    let answered: Vec<&str> = events
        .iter()
        .filter(|event| event["fields"]["message"] == "answered")
        .map(|event| event["span"]["method"].as_str().unwrap())
        .collect();
    assert_eq!(answered, ["initialize", "tools/call", "tools/call"], "{events:#?}");
}

/// A call still sending progress after its client deleted the session: rmcp stops confirming
/// anything for the session, so a send that waited would hold the call until rmcp gave up on
/// it ("timed out draining in-flight responses"). The call must finish on its own instead.
#[tokio::test]
async fn a_call_outliving_its_deleted_session_finishes_without_waiting_on_it() {
    let mut command = support::quickstart();
    command.args(["--log-format", "json"]).env_remove("RUST_LOG");
    let mut server = support::serve_http(command).await;
    let http = reqwest::Client::new();
    let headers = |request: reqwest::RequestBuilder| {
        request.header("content-type", "application/json").header("accept", "application/json, text/event-stream")
    };
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let initialized = headers(http.post(&server.url)).json(&initialize).send().await.unwrap();
    let session = initialized.headers()["mcp-session-id"].to_str().unwrap().to_owned();
    initialized.text().await.unwrap();
    let in_session = |request: reqwest::RequestBuilder| {
        headers(request).header("mcp-session-id", &session).header("mcp-protocol-version", "2025-11-25")
    };
    in_session(http.post(&server.url))
        .json(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        .send()
        .await
        .unwrap();
    // Every step reports progress, the first well after the session is gone.
    let counting = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
        "name": "count_slowly", "arguments": {"to": 3, "interval_ms": 300}, "_meta": {"progressToken": "p"}}});
    drop(in_session(http.post(&server.url)).json(&counting).send().await.unwrap());
    let deleted = in_session(http.delete(&server.url)).send().await.unwrap();
    assert_eq!(deleted.status(), reqwest::StatusCode::NO_CONTENT);

    let lines = after_count_slowly_then_stopped(&mut server).await;
    let events: Vec<Value> = lines.iter().filter_map(|line| serde_json::from_str(line).ok()).collect();
    let finished = events.iter().find(|event| event["span"]["handler"] == "count_slowly").expect("the call's line");
    assert_eq!(finished["fields"]["status"], "ok", "{finished:#}");
    let loud: Vec<&Value> =
        events.iter().filter(|event| event["level"] == "ERROR" || event["level"] == "WARN").collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

/// What the server writes until `count_slowly` has answered (its own log line), and then,
/// once it is stopped with SIGTERM, the rest of what it writes.
async fn after_count_slowly_then_stopped(server: &mut support::HttpExample) -> Vec<String> {
    let mut lines = Vec::new();
    while let Some(line) = tokio::time::timeout(PATIENCE, server.stderr.next_line()).await.unwrap().unwrap() {
        let finished = line.contains(r#""handler":"count_slowly""#);
        lines.push(line);
        if finished {
            break;
        }
    }
    let pid = server.child.id().expect("the server runs");
    std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    while let Ok(Some(line)) = tokio::time::timeout(PATIENCE, server.stderr.next_line()).await.unwrap() {
        lines.push(line);
    }
    lines
}
