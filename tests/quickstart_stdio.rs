//! The quickstart binary, spawned as a child process and driven over stdio by rmcp's client,
//! speaking each protocol version rmcp supports.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still part of the protocol.

use std::time::Duration;

use mcp_runtime::testing::{TestClient, TestError, text_of};
use rmcp::{
    model::{CacheScope, CallToolRequest, CallToolRequestParams, ClientRequest, ErrorCode, ProtocolVersion},
    service::PeerRequestOptions,
};
use serde_json::json;

mod support;

use support::quickstart;

const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(version: ProtocolVersion) -> TestClient {
    TestClient::spawn_speaking(quickstart(), version).await.expect("the quickstart server starts and connects")
}

#[tokio::test]
async fn lists_every_tool_with_its_schema() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;
    let tools = client.list_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    assert_eq!(names, ["add", "add_note", "clear_notes", "count_slowly", "divide", "list_notes", "text_stats"]);
    let tool = |name: &str| tools.iter().find(|tool| tool.name == name).unwrap();

    let add = tool("add");
    assert_eq!(add.description.as_deref(), Some("Add two integers and return their sum."));
    assert_eq!(
        serde_json::Value::Object((*add.input_schema).clone()),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "a": {"description": "The first addend.", "type": "integer"},
                "b": {"description": "The second addend.", "type": "integer"},
            },
            "required": ["a", "b"],
        })
    );
    let annotations = add.annotations.as_ref().unwrap();
    assert_eq!((annotations.read_only_hint, annotations.idempotent_hint), (Some(true), Some(true)));

    // Descriptions from a rustdoc `# Arguments` section, which leaves the tool description.
    let divide = tool("divide");
    assert_eq!(divide.description.as_deref(), Some("Divide one number by another."));
    assert_eq!(
        divide.input_schema["properties"]["divisor"]["description"],
        "The number to divide by; must not be zero."
    );
    assert_eq!(tool("text_stats").title.as_deref(), Some("Text statistics"));
    // Scopes are advertised in `_meta`.
    assert_eq!(tool("clear_notes").meta.as_ref().unwrap()["mcp-runtime/scopes"], json!(["notes:admin"]));
}

#[tokio::test]
async fn calls_every_tool() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;

    let sum = client.call_tool("add", json!({"a": 2, "b": 40})).await.unwrap();
    assert_eq!(sum.structured_content, Some(json!({"result": 42})));
    assert_eq!(text_of(&sum), "42");

    let quotient = client.call_tool("divide", json!({"dividend": 5, "divisor": 2})).await.unwrap();
    assert_eq!(quotient.structured_content, Some(json!({"result": 2.5})));

    let stats = client.call_tool("text_stats", json!({"text": "the cat\nand the hat"})).await.unwrap();
    assert_eq!(
        stats.structured_content,
        Some(json!({"words": 5, "lines": 2, "characters": 19, "most_common_word": "the"}))
    );
    // The text copy is the same JSON, for clients that ignore structured content.
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text_of(&stats)).unwrap(), stats.structured_content.unwrap());

    let counted = client.call_text("count_slowly", json!({"to": 3, "interval_ms": 1})).await.unwrap();
    assert_eq!(counted, "counted to 3");
    let recorded = client.wait_for(|recorded| recorded.progress.len() >= 3, PATIENCE).await.unwrap();
    let steps: Vec<(f64, Option<f64>)> = recorded.progress.iter().map(|p| (p.progress, p.total)).collect();
    assert_eq!(steps, [(1.0, Some(3.0)), (2.0, Some(3.0)), (3.0, Some(3.0))]);
    assert_eq!(recorded.progress[2].message.as_deref(), Some("counted 3 of 3"));
    let logged = client.wait_for(|recorded| !recorded.logs.is_empty(), PATIENCE).await.unwrap();
    assert_eq!(logged.logs[0].data, json!("counting to 3"));
}

#[tokio::test]
async fn the_notepad_is_shared_state_and_the_local_user_holds_every_scope() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;
    assert_eq!(client.call_text("add_note", json!({"text": "buy milk"})).await.unwrap(), "1 note(s)");
    assert_eq!(client.call_text("add_note", json!({"text": "call mum"})).await.unwrap(), "2 note(s)");
    let notes = client.call_tool("list_notes", json!({})).await.unwrap();
    assert_eq!(notes.structured_content, Some(json!({"result": ["buy milk (by local)", "call mum (by local)"]})));
    let empty = client.call_tool("add_note", json!({"text": ""})).await.unwrap();
    assert_eq!(text_of(&empty), "invalid argument `text`: must be 1 to 500 characters, got 0");
    let second = client.peer().read_resource(rmcp::model::ReadResourceRequestParams::new("notes://2")).await.unwrap();
    assert!(
        matches!(&second.contents[0], mcp_runtime::resource::ResourceContents::TextResourceContents { text, .. } if text == "call mum (by local)")
    );
    let resources = client.peer().list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|resource| resource.uri.as_str()).collect();
    assert_eq!(uris, ["config://quickstart", "images://pixel.png", "notes://latest"]);
    let templates = client.peer().list_all_resource_templates().await.unwrap();
    assert_eq!(templates[0].uri_template, "notes://{number}");
    assert_eq!(client.call_text("clear_notes", json!({})).await.unwrap(), "removed 2 note(s)");
    let gone = client.peer().read_resource(rmcp::model::ReadResourceRequestParams::new("notes://1")).await;
    assert!(format!("{gone:?}").contains("there is no note 1; the notepad holds 0 note(s)"), "{gone:?}");
}

#[tokio::test]
#[allow(deprecated)] // `resources/subscribe` is the 2025 way; rmcp marks it deprecated for 2026.
async fn a_subscriber_hears_when_the_latest_note_changes() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;
    client.peer().subscribe(rmcp::model::SubscribeRequestParams::new("notes://latest")).await.unwrap();
    client.call_text("add_note", json!({"text": "subscribed"})).await.unwrap();
    let recorded = client.wait_for(|recorded| !recorded.resource_updates.is_empty(), PATIENCE).await.unwrap();
    assert_eq!(recorded.resource_updates, ["notes://latest"]);
    let latest =
        client.peer().read_resource(rmcp::model::ReadResourceRequestParams::new("notes://latest")).await.unwrap();
    assert!(
        matches!(&latest.contents[0], mcp_runtime::resource::ResourceContents::TextResourceContents { text, .. } if text == "subscribed (by local)")
    );
}

#[tokio::test]
async fn both_prompts_are_listed_and_rendered() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;
    let prompts = client.peer().list_all_prompts().await.unwrap();
    let names: Vec<&str> = prompts.iter().map(|prompt| prompt.name.as_str()).collect();
    assert_eq!(names, ["code_review", "summarize"]);
    let arguments = json!({"language": "Rust", "diff": "- a\n+ b"}).as_object().unwrap().clone();
    let review = client
        .peer()
        .get_prompt(rmcp::model::GetPromptRequestParams::new("code_review").with_arguments(arguments))
        .await
        .unwrap();
    assert_eq!(review.messages.len(), 2);
    assert_eq!(review.messages[1].content.as_text().unwrap().text, "Please review this diff:\n\n- a\n+ b");
    let completions = client.peer().complete_prompt_argument("code_review", "language", "Ru", None).await.unwrap();
    assert_eq!(completions.values, ["ruby", "rust"]);
}

#[tokio::test]
async fn bad_input_is_a_tool_error_the_model_can_read() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;

    let wrong_type = client.call_tool("add", json!({"a": 1, "b": "two"})).await.unwrap();
    assert_eq!(wrong_type.is_error, Some(true));
    assert_eq!(
        text_of(&wrong_type),
        "invalid arguments for tool `add`: `b`: invalid type: string \"two\", expected i64"
    );

    let missing = client.call_tool("add", json!({"a": 1})).await.unwrap();
    assert_eq!(missing.is_error, Some(true));
    assert_eq!(text_of(&missing), "invalid arguments for tool `add`: missing field `b`");

    let unknown_argument = client.call_tool("add", json!({"a": 1, "b": 2, "c": 3})).await.unwrap();
    assert_eq!(unknown_argument.is_error, Some(true));
    assert!(text_of(&unknown_argument).contains("unknown field `c`, expected `a` or `b`"), "{unknown_argument:?}");

    let by_zero = client.call_tool("divide", json!({"dividend": 1, "divisor": 0})).await.unwrap();
    assert_eq!(by_zero.is_error, Some(true));
    assert_eq!(text_of(&by_zero), "invalid argument `divisor`: must not be zero");

    let overflow = client.call_tool("add", json!({"a": i64::MAX, "b": 1})).await.unwrap();
    assert!(text_of(&overflow).contains("overflows"), "{overflow:?}");

    // An unknown tool is a protocol error, not a tool error.
    match client.call_tool("subtract", json!({})).await {
        Err(TestError::Service(rmcp::ServiceError::McpError(error))) => {
            assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
            assert!(
                error.message.contains("unknown tool `subtract`; available tools: add, add_note, clear_notes"),
                "{error:?}"
            );
        }
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }

    // None of that disturbed the server.
    assert_eq!(client.call_text("add", json!({"a": 1, "b": 1})).await.unwrap(), "2");
}

#[tokio::test]
async fn a_cancelled_call_stops_and_the_server_keeps_serving() {
    let client = connect(ProtocolVersion::V_2025_11_25).await;
    let request = ClientRequest::CallToolRequest(CallToolRequest::new(
        CallToolRequestParams::new("count_slowly")
            .with_arguments(json!({"to": 1000, "interval_ms": 20}).as_object().unwrap().clone()),
    ));
    let handle = client.peer().send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
    client.wait_for(|recorded| recorded.progress.len() >= 2, PATIENCE).await.unwrap();
    handle.cancel(Some("the user changed their mind".into())).await.unwrap();

    // The tool's future was dropped: progress stops well short of 1000.
    let settle = |recorded: &mcp_runtime::testing::Recorded| recorded.progress.len();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after_cancel = settle(&client.recorded());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(settle(&client.recorded()), after_cancel, "progress kept coming after the cancellation");
    assert!(after_cancel < 100, "{after_cancel} steps");

    assert_eq!(client.call_text("add", json!({"a": 2, "b": 2})).await.unwrap(), "4");
}

#[tokio::test]
async fn every_protocol_version_works_end_to_end() {
    for version in [ProtocolVersion::V_2025_06_18, ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
        let client = connect(version.clone()).await;
        assert_eq!(client.protocol_version(), Some(version.clone()), "negotiated version");
        assert_eq!(client.list_tools().await.unwrap().len(), 7, "{version}");
        assert_eq!(client.call_text("add", json!({"a": 20, "b": 22})).await.unwrap(), "42", "{version}");
        let stats = client.call_tool("text_stats", json!({"text": "a b"})).await.unwrap();
        assert_eq!(stats.structured_content.unwrap()["words"], 2, "{version}");
    }
}

#[tokio::test]
async fn tool_lists_carry_cache_hints_for_2026_clients() {
    let client = connect(ProtocolVersion::V_2026_07_28).await;
    let list = client.peer().list_tools(None).await.unwrap();
    assert_eq!(list.ttl_ms, Some(300_000));
    // The notepad tools carry scopes, so what a caller sees depends on who it is: private.
    assert_eq!(list.cache_scope, Some(CacheScope::Private));
    assert_eq!(list.tools.len(), 7);
    // Progress still reaches a 2026 client, through the request's own `_meta`.
    client.call_text("count_slowly", json!({"to": 2, "interval_ms": 1})).await.unwrap();
    client.wait_for(|recorded| recorded.progress.len() >= 2, PATIENCE).await.unwrap();
}

/// Raw JSON-RPC lines, as a client that is not rmcp would send them.
#[tokio::test]
async fn raw_json_rpc_progress_only_when_asked_and_garbage_is_survived() {
    use tokio::io::AsyncWriteExt;

    let support::RawStdio { child: _child, mut stdin, stdout: mut lines } = support::raw_stdio(quickstart());
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "count_slowly", "arguments": {"to": 2, "interval_ms": 1}}}),
    ];
    for message in &messages[..2] {
        stdin.write_all(format!("{message}\n").as_bytes()).await.unwrap();
    }
    stdin.write_all(b"this is not JSON\n{\"jsonrpc\": \"2.0\", \"id\": \n").await.unwrap();
    stdin.write_all(format!("{}\n", messages[2]).as_bytes()).await.unwrap();

    let mut seen = Vec::new();
    while let Ok(Some(line)) = tokio::time::timeout(PATIENCE, lines.next_line()).await.unwrap() {
        let message: serde_json::Value = serde_json::from_str(&line).expect("stdout carries only JSON-RPC");
        let done = message["id"] == 2;
        seen.push(message);
        if done {
            break;
        }
    }
    let last = seen.last().unwrap();
    assert_eq!(last["result"]["content"][0]["text"], "counted to 2", "{seen:?}");
    // No progressToken in the request, so no progress notifications; the log line still comes.
    assert!(seen.iter().all(|message| message["method"] != "notifications/progress"), "{seen:?}");
    assert!(seen.iter().any(|message| message["method"] == "notifications/message"), "{seen:?}");
}

/// Node.js (so Claude Code) spawns servers with a socketpair for stdio, not pipes; the server
/// reads and writes it non-blocking, and exits when the client shuts its side.
#[cfg(unix)]
#[tokio::test]
async fn a_client_on_a_socketpair_is_served_and_its_hangup_ends_the_server() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    let theirs_out = theirs.try_clone().unwrap();
    let mut child = quickstart()
        .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .stdout(std::process::Stdio::from(std::os::fd::OwnedFd::from(theirs_out)))
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    ours.set_nonblocking(true).unwrap();
    let (reading, mut writing) = tokio::net::UnixStream::from_std(ours).unwrap().into_split();
    let mut lines = BufReader::new(reading).lines();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "add", "arguments": {"a": 40, "b": 2}}}),
    ];
    for message in &messages {
        writing.write_all(format!("{message}\n").as_bytes()).await.unwrap();
    }
    loop {
        let line = tokio::time::timeout(PATIENCE, lines.next_line()).await.unwrap().unwrap().expect("an answer");
        let message: serde_json::Value = serde_json::from_str(&line).unwrap();
        if message["id"] == 2 {
            assert_eq!(message["result"]["structuredContent"]["result"], 42, "{message}");
            break;
        }
    }
    writing.shutdown().await.unwrap();
    let status = tokio::time::timeout(PATIENCE, child.wait()).await.expect("the server exits").unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn help_names_the_server_and_its_instructions() {
    let output = quickstart().arg("--help").output().await.unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    let first = help.lines().next().unwrap_or_default();
    let version = env!("CARGO_PKG_VERSION");
    assert!(first.starts_with(&format!("quickstart {version}: Quickstart: an MCP server.")), "{help}");
    assert!(help.contains("A shared notepad: `list_notes` (notes:read)"), "{help}");
    assert!(help.contains("--transport <TRANSPORT>"), "{help}");
    assert!(!help.contains("mcp-runtime"), "{help}");
    let printed = quickstart().arg("--version").output().await.unwrap();
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), format!("quickstart {version}\n"));
}

#[tokio::test]
async fn stdin_closing_with_a_listen_stream_open_ends_the_server_without_waiting_on_it() {
    use rmcp::{
        model::SubscriptionFilter,
        service::{ClientLifecycleMode, ClientServiceExt},
    };
    use std::process::Stdio;
    use tokio::io::AsyncReadExt;

    let mut child = quickstart()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let lifecycle = ClientLifecycleMode::Discover { preferred_versions: vec![ProtocolVersion::V_2026_07_28] };
    let client = ().serve_with_lifecycle(transport, lifecycle).await.unwrap();
    let _listening = client.peer().listen(SubscriptionFilter::builder().tools_list_changed().build()).await.unwrap();
    // Closing the client closes the server's stdin, the way a client ends a stdio server.
    client.cancel().await.unwrap();
    // A guard against hanging, not a timing assertion: the log below tells how it ended.
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).await.unwrap();
    // rmcp says this when it gave up waiting (5 s) for requests in flight, as it did for a
    // listen stream before the server ended those streams on its own.
    assert!(!stderr.contains("timed out draining in-flight responses"), "{stderr}");
}
