//! The Streamable HTTP wire, request by request, over real loopback sockets: raw requests
//! (reqwest) and SSE read event by event, for what rmcp's client never sends or never shows:
//! malformed bodies and batches, protocol versions, ping, cancellation, resumed streams and their
//! event ids.

use std::time::Duration;

use mcp_runtime::{http::HttpConfig, prelude::*, testing::TestClient};
use reqwest::{StatusCode, header};
use rmcp::model::ProtocolVersion;
use serde_json::{Value, json};

mod support;

const PATIENCE: Duration = Duration::from_secs(10);

/// Reports two steps of progress, then waits to be cancelled.
#[mcp_tool]
async fn two_steps(ctx: Context) -> &'static str {
    ctx.progress(1, 3, "one").await;
    ctx.progress(2, 3, "two").await;
    ctx.cancelled().await;
    "cancelled"
}

/// Signalled when `count_until_cancelled` stops: the runtime drops a cancelled call.
static STOPPED: tokio::sync::Notify = tokio::sync::Notify::const_new();

struct SignalOnDrop;

impl Drop for SignalOnDrop {
    fn drop(&mut self) {
        STOPPED.notify_one();
    }
}

/// Counts, reporting each step, until it is stopped.
#[mcp_tool]
async fn count_until_cancelled(ctx: Context) {
    let _stopped = SignalOnDrop;
    for step in 1_u32.. {
        ctx.progress_unbounded(step, "counting").await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Logs two messages: not tied to a request's stream, rmcp sends them on the session's GET stream.
#[mcp_tool]
async fn announce(ctx: Context) -> &'static str {
    ctx.log(LogLevel::Info, "one").await;
    ctx.log(LogLevel::Info, "two").await;
    "announced"
}

fn server() -> Server {
    Server::new("wire", "1.0.0").register(handlers![two_steps, announce, count_until_cancelled])
}

/// A server on a free loopback port, serving until the test ends; its endpoint's URL.
async fn serve(config: HttpConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(server().http_config(config).serve_http_on(listener, std::future::pending()));
    url
}

/// The one JSON-RPC message a POST is answered with, as JSON or as the last event of a stream.
async fn answer(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    if response.headers()[header::CONTENT_TYPE] == "application/json" {
        response.json().await.unwrap()
    } else {
        Sse::new(response).rest().await.last().expect("an answer on the stream").json()
    }
}

/// Per-request metadata of a 2026-07-28 client.
fn meta_2026() -> Value {
    json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
           "io.modelcontextprotocol/clientCapabilities": {},
           "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}})
}

fn post_2026(url: &str, method: &str) -> reqwest::RequestBuilder {
    post(url).header("mcp-protocol-version", "2026-07-28").header("mcp-method", method)
}

fn post(url: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(url)
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(header::CONTENT_TYPE, "application/json")
}

/// A 2025-11-25 session, initialized; its id.
async fn open_session(url: &str) -> String {
    let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let response = post(url).json(&initialize).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let session = response.headers()["mcp-session-id"].to_str().unwrap().to_owned();
    Sse::new(response).rest().await;
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let accepted = in_session(url, &session).json(&initialized).send().await.unwrap();
    assert_eq!(accepted.status(), StatusCode::ACCEPTED);
    session
}

fn in_session(url: &str, session: &str) -> reqwest::RequestBuilder {
    post(url).header("mcp-session-id", session).header("mcp-protocol-version", "2025-11-25")
}

/// `GET` of the session's stream, resuming after `last_event_id` when given.
async fn get_stream(url: &str, session: &str, last_event_id: Option<&str>) -> Sse {
    let mut request = reqwest::Client::new()
        .get(url)
        .header(header::ACCEPT, "text/event-stream")
        .header("mcp-session-id", session)
        .header("mcp-protocol-version", "2025-11-25");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    Sse::new(response)
}

async fn call_tool(url: &str, session: &str, id: u64, name: &str) -> Sse {
    let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                      "params": {"name": name, "arguments": {}, "_meta": {"progressToken": name}}});
    let response = in_session(url, session).json(&call).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    Sse::new(response)
}

/// One server-sent event: its id, and its data (empty for a priming event).
#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: Option<String>,
    data: String,
}

impl Event {
    fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|error| panic!("{error}: {}", self.data))
    }
}

/// An SSE response body, read one event at a time.
struct Sse {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl Sse {
    fn new(response: reqwest::Response) -> Self {
        Self { response, buffer: Vec::new() }
    }

    /// The next event with an id or data (keep-alive comments are skipped); `None` at the end.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|pair| pair == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let mut event = Event { id: None, data: String::new() };
                let mut meaningful = false;
                for line in String::from_utf8(block).unwrap().lines() {
                    if let Some(id) = line.strip_prefix("id:") {
                        event.id = Some(id.trim_start().to_owned());
                        meaningful = true;
                    } else if let Some(data) = line.strip_prefix("data:") {
                        event.data.push_str(data.trim_start());
                        meaningful = true;
                    }
                }
                if meaningful {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout(PATIENCE, self.response.chunk()).await.expect("the stream moves");
            self.buffer.extend_from_slice(&chunk.unwrap()?);
        }
    }

    /// Every event until the stream ends.
    async fn rest(mut self) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(event) = self.next().await {
            events.push(event);
        }
        events
    }
}

/// A call's stream resumed after event N delivers exactly the events after N, never N itself:
/// the TypeScript SDK resumes a cancelled call's stream, and a progress notification sent again
/// there is one for a token it already forgot.
#[tokio::test]
async fn resuming_a_calls_stream_delivers_exactly_the_events_after_the_last_one_seen() {
    let url = serve(HttpConfig::default()).await;
    let session = open_session(&url).await;
    let mut stream = call_tool(&url, &session, 7, "two_steps").await;
    let priming = stream.next().await.unwrap();
    assert_eq!(priming.data, "", "the stream opens with a priming event");
    let first = stream.next().await.unwrap();
    let second = stream.next().await.unwrap();
    assert_eq!(first.json()["params"]["progress"], 1.0);
    assert_eq!(second.json()["params"]["progress"], 2.0);
    let ids = [&priming.id, &first.id, &second.id];
    assert!(ids.iter().all(|id| id.is_some()), "{ids:?}");
    assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");

    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 7}});
    assert_eq!(in_session(&url, &session).json(&cancel).send().await.unwrap().status(), StatusCode::ACCEPTED);
    stream.rest().await; // the cancelled call's stream ends

    for (last_seen, after) in [(&priming, vec![&first, &second]), (&first, vec![&second]), (&second, vec![])] {
        let resumed = get_stream(&url, &session, last_seen.id.as_deref()).await.rest().await;
        assert_eq!(resumed.iter().collect::<Vec<_>>(), after, "after {:?}", last_seen.id);
    }
}

/// The session's own GET stream: its priming event's id is not a message's, and resuming after a
/// message delivers the messages after it.
#[tokio::test]
async fn the_standalone_stream_numbers_its_priming_event_apart_and_resumes_after_the_last_one_seen() {
    let url = serve(HttpConfig::default()).await;
    // Each session logs twice before its GET stream opens; rmcp keeps the messages for it.
    let announced = || async {
        let session = open_session(&url).await;
        let result = call_tool(&url, &session, 1, "announce").await.rest().await;
        assert_eq!(result.last().unwrap().json()["result"]["content"][0]["text"], "announced");
        session
    };

    let mut fresh = get_stream(&url, &announced().await, None).await;
    let priming = fresh.next().await.unwrap();
    let one = fresh.next().await.unwrap();
    let two = fresh.next().await.unwrap();
    assert_eq!(priming.data, "");
    assert_eq!(one.json()["params"]["data"], "one");
    assert_eq!(two.json()["params"]["data"], "two");
    assert_ne!(priming.id, one.id, "a client that saw only the priming event must not skip the first message");

    // The same events in other sessions (event ids are per session), resumed after each of them.
    let mut after_priming = get_stream(&url, &announced().await, priming.id.as_deref()).await;
    assert_eq!(after_priming.next().await.unwrap(), one);
    assert_eq!(after_priming.next().await.unwrap(), two);
    let mut after_one = get_stream(&url, &announced().await, one.id.as_deref()).await;
    assert_eq!(after_one.next().await.unwrap(), two);
}

/// The JSON-RPC error of a 400 (or 413) answer: its id, code and message.
async fn json_rpc_error(response: reqwest::Response, status: StatusCode) -> (Value, i64, String) {
    assert_eq!(response.status(), status);
    let json = response.headers().get(header::CONTENT_TYPE).is_some_and(|value| value == "application/json");
    let text = response.text().await.unwrap();
    assert!(json, "not JSON: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["jsonrpc"], "2.0", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_else(|| panic!("no error message: {body}"));
    (body["id"].clone(), body["error"]["code"].as_i64().unwrap(), message.to_owned())
}

/// Anything but one JSON-RPC message gets 400 and a JSON-RPC error saying what is wrong (rmcp
/// alone answers 415 and plain text): -32700 for invalid JSON, -32600 for a batch or a
/// non-message, -32602 for params that do not fit the method; the request's id when it has one.
#[tokio::test]
async fn bodies_that_are_not_one_message_get_400_with_a_json_rpc_error() {
    for stateless in [false, true] {
        let url = serve(HttpConfig { stateless, max_body_bytes: 4096, ..HttpConfig::default() }).await;
        let cases = [
            ("{not json", Value::Null, -32700, "the request body is not valid JSON ("),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
                Value::Null,
                -32600,
                "JSON-RPC batches are not supported: send each message in a POST of its own",
            ),
            ("42", Value::Null, -32600, "the request body is the number 42, not a JSON-RPC message"),
            (r#"{"jsonrpc":"2.0","id":5}"#, json!(5), -32600, "the message has no `method`"),
            (r#"{"id":"a","method":"tools/list"}"#, json!("a"), -32600, "the message has no `jsonrpc`"),
            (
                r#"{"jsonrpc":"2.0","id":true,"method":"tools/list"}"#,
                Value::Null,
                -32600,
                "`id` must be a string or an integer, got a JSON boolean",
            ),
            (
                r#"{"jsonrpc":"2.0","id":8,"method":"tools/list","params":[1]}"#,
                json!(8),
                -32602,
                "the `params` of `tools/list` are not what the method takes",
            ),
            (
                r#"{"jsonrpc":"2.0","result":{}}"#,
                Value::Null,
                -32600,
                "the answer is not a JSON-RPC response: it needs the `id`",
            ),
        ];
        for (body, id, code, start) in cases {
            let context = format!("stateless={stateless} {body}");
            let response = post(&url).header("mcp-protocol-version", "2025-11-25").body(body).send().await.unwrap();
            let (answered_id, answered_code, message) = json_rpc_error(response, StatusCode::BAD_REQUEST).await;
            assert_eq!((answered_id, answered_code), (id, code), "{context}: {message}");
            assert!(message.starts_with(start), "{context}: {message}");
        }
        let large =
            format!(r#"{{"jsonrpc":"2.0","id":9,"method":"tools/list","params":{{"pad":"{}"}}}}"#, "x".repeat(5000));
        let response = post(&url).body(large).send().await.unwrap();
        let (id, code, message) = json_rpc_error(response, StatusCode::PAYLOAD_TOO_LARGE).await;
        assert_eq!((id, code), (Value::Null, -32600));
        assert_eq!(
            message,
            "the request body is larger than this server's limit of 4096 bytes; send a smaller message"
        );
        // A body that does not say it is JSON is still rmcp's 415.
        let text = reqwest::Client::new()
            .post(&url)
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header(header::CONTENT_TYPE, "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}

/// 2025-03-26 is the one revision with JSON-RPC batches, which are not served: a client asking
/// for it is answered 2024-11-05, which it also speaks, and discovery does not list it.
#[tokio::test]
async fn a_client_asking_for_2025_03_26_is_answered_2024_11_05() {
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let discover = json!({"jsonrpc": "2.0", "id": 2, "method": "server/discover", "params": {"_meta": meta_2026()}});
    for stateless in [false, true] {
        let url = serve(HttpConfig { stateless, ..HttpConfig::default() }).await;
        let answered = answer(post(&url).json(&initialize).send().await.unwrap()).await;
        assert_eq!(answered["result"]["protocolVersion"], "2024-11-05", "stateless={stateless}: {answered}");
        let discovered = answer(post_2026(&url, "server/discover").json(&discover).send().await.unwrap()).await;
        assert_eq!(
            discovered["result"]["supportedVersions"],
            json!(["2024-11-05", "2025-06-18", "2025-11-25", "2026-07-28"]),
            "stateless={stateless}: {discovered}"
        );
    }
    // The same without HTTP (stdio's path).
    let client = TestClient::connect_speaking(server(), ProtocolVersion::V_2025_03_26).await.unwrap();
    assert_eq!(client.protocol_version(), Some(ProtocolVersion::V_2024_11_05));
}

/// `ping` is answered on every transport, in a session or not, except an HTTP ping that declares
/// itself a 2026-07-28 request in its `_meta`: that revision removed ping and requires 404 and
/// -32601 of an HTTP server for it, which the official conformance suite checks. Before, a ping
/// without that declaration got 404 / -32601 over HTTP, and -32601 over stdio once a 2026
/// lifecycle began.
#[tokio::test]
async fn ping_is_answered_unless_it_declares_2026_07_28() {
    let declared = json!({"jsonrpc": "2.0", "id": 3, "method": "ping", "params": {"_meta": meta_2026()}});
    let bare = json!({"jsonrpc": "2.0", "id": "p", "method": "ping"});
    for stateless in [false, true] {
        let url = serve(HttpConfig { stateless, ..HttpConfig::default() }).await;
        let response = post_2026(&url, "ping").json(&bare).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "stateless={stateless}");
        let answered: Value = response.json().await.unwrap();
        assert_eq!(answered, json!({"jsonrpc": "2.0", "id": "p", "result": {}}), "stateless={stateless}");

        let response = post_2026(&url, "ping").json(&declared).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "stateless={stateless}");
        let refused: Value = response.json().await.unwrap();
        assert_eq!(refused["id"], 3, "stateless={stateless}: {refused}");
        assert_eq!(refused["error"]["code"], -32601, "stateless={stateless}: {refused}");

        // A 2025 client's ping in its session is rmcp's to answer, as before.
        if !stateless {
            let session = open_session(&url).await;
            let ping = json!({"jsonrpc": "2.0", "id": 4, "method": "ping"});
            let answered = answer(in_session(&url, &session).json(&ping).send().await.unwrap()).await;
            assert_eq!(answered, json!({"jsonrpc": "2.0", "id": 4, "result": {}}));
        }
    }

    // Without HTTP (stdio's path): a 2025 client's ping once it has initialized.
    let client = TestClient::connect_speaking(server(), ProtocolVersion::V_2025_11_25).await.unwrap();
    client.list_tools().await.unwrap();
    let answered = client.peer().send_request(rmcp::model::ClientRequest::PingRequest(Default::default())).await;
    assert!(matches!(answered, Ok(rmcp::model::ServerResult::EmptyResult(_))), "{answered:?}");

    // Over a real stdio pipe, after `server/discover` began a 2026-07-28 lifecycle.
    let answers = stdio_exchange(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": meta_2026()}}),
        bare.clone(),
        declared.clone(),
    ])
    .await;
    // rmcp drops a ping's `_meta` when it decodes one, so on stdio both are simply pings.
    assert_eq!(answers["p"], json!({"jsonrpc": "2.0", "id": "p", "result": {}}));
    assert_eq!(answers["3"], json!({"jsonrpc": "2.0", "id": 3, "result": {}}));
}

/// Writes `messages` to a spawned quickstart's stdin, one a line, and collects the answers by id.
async fn stdio_exchange(messages: &[Value]) -> std::collections::HashMap<String, Value> {
    use tokio::io::AsyncWriteExt;

    let support::RawStdio { child: _child, mut stdin, mut stdout } = support::raw_stdio(support::quickstart());
    let mut answers = std::collections::HashMap::new();
    for message in messages {
        stdin.write_all(format!("{message}\n").as_bytes()).await.unwrap();
        let line = tokio::time::timeout(PATIENCE, stdout.next_line()).await.unwrap().unwrap().unwrap();
        let answer: Value = serde_json::from_str(&line).unwrap();
        let id = match &answer["id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        };
        answers.insert(id, answer);
    }
    answers
}

/// A ping is answered only after authentication: it tells an unauthenticated caller nothing.
#[tokio::test]
async fn an_unauthenticated_ping_gets_401() {
    let keys =
        mcp_runtime::auth::ApiKeys::from_json(r#"{"keys": [{"name": "k", "key": "k-123", "scopes": []}]}"#).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(server().authenticator(keys).serve_http_on(listener, std::future::pending()));
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"});
    let refused = post_2026(&url, "ping").json(&ping).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let answered = post_2026(&url, "ping").bearer_auth("k-123").json(&ping).send().await.unwrap();
    assert_eq!(answered.json::<Value>().await.unwrap(), json!({"jsonrpc": "2.0", "id": 1, "result": {}}));
}

/// Without a session, request ids are not unique across callers, so `notifications/cancelled`
/// cannot say whose request it means: it is refused, with the way that works instead. Closing
/// the call's response stream cancels it.
#[tokio::test]
async fn without_a_session_a_call_is_cancelled_by_closing_its_stream_not_by_notification() {
    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}});
    let stateless = serve(HttpConfig { stateless: true, ..HttpConfig::default() }).await;
    let with_sessions = serve(HttpConfig::default()).await;
    for (url, request) in [
        (&stateless, post(&stateless).header("mcp-protocol-version", "2025-11-25")),
        (&with_sessions, post_2026(&with_sessions, "notifications/cancelled")),
    ] {
        let (id, code, message) =
            json_rpc_error(request.json(&cancel).send().await.unwrap(), StatusCode::BAD_REQUEST).await;
        assert_eq!((id, code), (Value::Null, -32600), "{url}");
        assert_eq!(
            message,
            "without a session a request is cancelled by closing its response stream, not by `notifications/cancelled`",
        );
    }

    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "count_until_cancelled", "arguments": {}, "_meta": {"progressToken": "w"}}});
    let response = post(&stateless).header("mcp-protocol-version", "2025-11-25").json(&call).send().await.unwrap();
    let mut stream = Sse::new(response);
    let progress = stream.next().await.unwrap();
    assert_eq!(progress.json()["method"], "notifications/progress", "{progress:?}");
    // The server notices the closed connection at its next write, the next step's progress.
    drop(stream);
    tokio::time::timeout(PATIENCE, STOPPED.notified()).await.expect("closing the stream cancels the call");
}
