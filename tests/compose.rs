//! Several servers as one, through rmcp's client: a `Server` mounted in another (names, scopes,
//! state, live changes, clashes refused), and servers proxied over stdio, Streamable HTTP and
//! the legacy SSE transport (one connection kept, progress, log messages and questions relayed
//! to the caller, a dead or flooding downstream leaving the rest served).

#![allow(deprecated)] // sampling, roots and client logging (SEP-2577) are deprecated but still relayed.

use std::time::Duration;

use mcp_runtime::{
    State,
    auth::{FORBIDDEN, Principal},
    compose::Downstream,
    model::{
        CallToolResult, ContentBlock, CreateMessageResult, ElicitResult, ElicitationAction, ErrorCode, LoggingLevel,
        ProtocolVersion, Root, SamplingMessage, SetLevelRequestParams,
    },
    prelude::*,
    testing::{Answers, TestClient, TestError, text_of},
    tool::ToolDefinition,
};
use serde_json::json;

mod support;

/// A counter the math server keeps.
#[derive(Default)]
struct Calls(std::sync::atomic::AtomicUsize);

/// Add two integers, counting the calls; the latest result changes.
#[mcp_tool]
async fn add(calls: State<Calls>, ctx: Context, a: i64, b: i64) -> i64 {
    calls.0.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    ctx.notifier().resource_updated("results://latest").await;
    a + b
}

/// Reset the math server; only for admins.
#[mcp_tool(scopes = ["math:admin"])]
async fn reset() -> &'static str {
    "reset"
}

/// Explain an operation.
#[mcp_prompt]
async fn explain(operation: String) -> String {
    format!("Explain {operation}.")
}

/// The latest result.
#[mcp_resource(uri = "results://latest")]
async fn latest() -> &'static str {
    "42"
}

/// One result by number.
#[mcp_resource(uri = "results://{n}")]
async fn result(n: u32) -> String {
    format!("result {n}")
}

/// Answers pong; the hub's own.
#[mcp_tool]
async fn ping() -> &'static str {
    "pong"
}

fn math() -> Server {
    Server::new("math", "1.0.0").register(handlers![add, reset, explain, latest, result]).state(Calls::default())
}

fn hub() -> Server {
    Server::new("hub", "1.0.0").register(handlers![ping])
}

async fn names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into_owned()).collect()
}

#[tokio::test]
async fn a_mounted_server_is_served_under_its_prefix() {
    let client = TestClient::connect(hub().mount("math", math())).await.unwrap();
    assert_eq!(names(&client).await, ["math_add", "math_reset", "ping"]);
    assert_eq!(client.call_text("math_add", json!({"a": 2, "b": 3})).await.unwrap(), "5");
    assert_eq!(client.call_text("ping", json!({})).await.unwrap(), "pong");
    let prompts = client.peer().list_all_prompts().await.unwrap();
    assert_eq!(prompts.iter().map(|prompt| prompt.name.as_str()).collect::<Vec<_>>(), ["math_explain"]);
    let prompt = client.get_prompt("math_explain", &[("operation", "addition")]).await.unwrap();
    assert_eq!(prompt.messages.len(), 1);
    let resources = client.peer().list_all_resources().await.unwrap();
    assert_eq!(resources.iter().map(|resource| resource.uri.as_str()).collect::<Vec<_>>(), ["results://math/latest"]);
    let templates = client.peer().list_all_resource_templates().await.unwrap();
    assert_eq!(templates[0].uri_template, "results://math/{n}");
    let read = client.read_resource("results://math/latest").await.unwrap();
    assert_eq!(serde_json::to_value(&read.contents[0]).unwrap()["uri"], "results://math/latest");
    let read = client.read_resource("results://math/7").await.unwrap();
    assert_eq!(serde_json::to_value(&read.contents[0]).unwrap()["text"], "result 7");
    // Unknown names say so, mounted or not.
    let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) =
        client.call_tool("math_nothing", json!({})).await
    else {
        panic!("an unknown mounted tool was called")
    };
    assert!(error.message.contains("unknown tool `nothing`"), "{}", error.message);
}

/// A tool pack is an ordinary crate exporting a `Server`: mounted like any other.
#[tokio::test]
async fn a_tool_pack_crate_is_mounted() {
    let client = TestClient::connect(hub().mount("units", units_pack::server())).await.unwrap();
    assert_eq!(names(&client).await, ["ping", "units_celsius_to_fahrenheit", "units_km_to_miles"]);
    assert_eq!(client.call_text("units_celsius_to_fahrenheit", json!({"celsius": 100.0})).await.unwrap(), "212.0");
    // Its own argument constraints apply.
    let refused = client.call_tool("units_km_to_miles", json!({"km": -1.0})).await.unwrap();
    assert_eq!(refused.is_error, Some(true), "{}", text_of(&refused));
}

#[tokio::test]
async fn the_mounted_servers_scopes_apply_to_the_callers_principal() {
    let reader = hub().local_principal(Principal::new("reader", ["math:read"])).mount("math", math());
    let client = TestClient::connect(reader).await.unwrap();
    assert_eq!(names(&client).await, ["math_add", "ping"], "a tool the caller may not use is listed");
    let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) =
        client.call_tool("math_reset", json!({})).await
    else {
        panic!("the mounted server's scope was not enforced")
    };
    assert_eq!(error.code, ErrorCode(FORBIDDEN));
    assert!(error.message.contains("`reader` lacks"), "{}", error.message);
    let admin = hub().local_principal(Principal::new("admin", ["math:admin"])).mount("math", math());
    let client = TestClient::connect(admin).await.unwrap();
    assert_eq!(client.call_text("math_reset", json!({})).await.unwrap(), "reset");
}

#[tokio::test]
async fn changes_to_a_mounted_server_show_through_live() {
    let math = math();
    let registry = math.registry();
    let client = TestClient::connect(hub().mount("math", math)).await.unwrap();
    let twice = ToolDefinition::from_fn("twice", "Double it.", json!({"type": "object"}), |_, _| async {
        Ok(CallToolResult::success(vec![ContentBlock::text("doubled")]))
    });
    registry.add_tool(twice).await.unwrap();
    client.wait_for(|recorded| recorded.list_changes.contains(&"tools"), Duration::from_secs(5)).await.unwrap();
    assert!(names(&client).await.contains(&"math_twice".to_owned()));
    assert_eq!(client.call_text("math_twice", json!({})).await.unwrap(), "doubled");
}

#[tokio::test]
async fn clashing_names_and_bad_prefixes_are_refused_at_start_up() {
    let clash = ToolDefinition::from_fn("math_add", "Shadows the mount.", json!({"type": "object"}), |_, _| async {
        Ok(CallToolResult::success(vec![]))
    });
    let problems = |server: Server| server.build().unwrap_err().problems().to_vec();
    let found = problems(hub().register(Handlers::from(clash)).mount("math", math()));
    assert!(
        found.iter().any(|p| p.contains("tool `math_add` of this server") && p.contains("the server `math`")),
        "{found:?}"
    );
    let found = problems(hub().mount("math", math()).mount("math", Server::new("other", "1.0.0")));
    assert!(found.iter().any(|p| p.contains("`math` is given twice")), "{found:?}");
    let found = problems(hub().mount("my_math", math()));
    assert!(found.iter().any(|p| p.contains("mount prefix `my_math`")), "{found:?}");
    let found = problems(hub().mount("math", Server::new("broken", "1.0.0").register(handlers![add])));
    assert!(found.iter().any(|p| p.starts_with("mounted `math`:") && p.contains("Calls")), "{found:?}");
}

fn quickstart_stdio() -> Downstream {
    let command = support::quickstart();
    Downstream::stdio(command.as_std().get_program()).env("RUST_LOG", "warn")
}

#[tokio::test]
async fn a_server_over_stdio_is_proxied() {
    let client = TestClient::connect(hub().proxy("qs", quickstart_stdio())).await.unwrap();
    let tools = names(&client).await;
    assert!(tools.contains(&"qs_add".to_owned()) && tools.contains(&"ping".to_owned()), "{tools:?}");
    assert_eq!(client.call_text("qs_add", json!({"a": 2, "b": 3})).await.unwrap(), "5");
    // The downstream's progress on a call reaches the client that made it.
    let counted = client.call_text("qs_count_slowly", json!({"to": 3, "interval_ms": 1})).await.unwrap();
    assert_eq!(counted, "counted to 3");
    let recorded = client.wait_for(|recorded| recorded.progress.len() >= 3, Duration::from_secs(5)).await.unwrap();
    assert_eq!(recorded.progress[2].message.as_deref(), Some("counted 3 of 3"));
    let divided = client.call_tool("qs_divide", json!({"dividend": 1.0, "divisor": 0.0})).await.unwrap();
    assert_eq!(divided.is_error, Some(true), "the downstream's tool error passes through");
    let prompts = client.peer().list_all_prompts().await.unwrap();
    assert!(prompts.iter().any(|prompt| prompt.name.starts_with("qs_")), "{prompts:?}");
    let resources = client.peer().list_all_resources().await.unwrap();
    let config = resources.iter().find(|resource| resource.uri.contains("://qs/")).expect("a proxied resource");
    let read = client.read_resource(&config.uri).await.unwrap();
    assert_eq!(serde_json::to_value(&read.contents[0]).unwrap()["uri"], config.uri.as_str());
}

#[tokio::test]
async fn a_downstreams_scopes_are_required_at_the_hub() {
    let guarded = || quickstart_stdio().scopes(["qs:use"]);
    let outsider = hub().local_principal(Principal::new("outsider", ["notes:read"])).proxy("qs", guarded());
    let client = TestClient::connect(outsider).await.unwrap();
    assert_eq!(names(&client).await, ["ping"], "a downstream the caller may not use is listed");
    let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) =
        client.call_tool("qs_add", json!({"a": 1, "b": 2})).await
    else {
        panic!("the downstream's scope was not enforced at the hub")
    };
    assert_eq!(error.code, ErrorCode(FORBIDDEN));
    assert!(error.message.contains("qs:use"), "{}", error.message);
    let member = hub().local_principal(Principal::new("member", ["qs:use"])).proxy("qs", guarded());
    let client = TestClient::connect(member).await.unwrap();
    assert!(names(&client).await.contains(&"qs_add".to_owned()));
    assert_eq!(client.call_text("qs_add", json!({"a": 1, "b": 2})).await.unwrap(), "3");
}

#[tokio::test]
async fn servers_over_http_and_sse_are_proxied_over_one_connection_each() {
    let modern = support::serve_http(support::quickstart()).await;
    let legacy = support::serve_sse(support::quickstart()).await;
    let hub = hub()
        .proxy("modern", Downstream::http(modern.url.clone()))
        .proxy("legacy", Downstream::sse(legacy.url.clone()));
    let client = TestClient::connect(hub).await.unwrap();
    for round in 0..3 {
        assert_eq!(client.call_text("modern_add", json!({"a": round, "b": 1})).await.unwrap(), (round + 1).to_string());
        assert_eq!(client.call_text("legacy_add", json!({"a": round, "b": 2})).await.unwrap(), (round + 2).to_string());
    }
    // One session each: the downstreams counted one initialize.
    for server in [&modern.url, &legacy.url.replace("/sse", "/mcp")] {
        let base = server.trim_end_matches("/mcp");
        let metrics = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
        let initialized = metrics
            .lines()
            .find(|line| {
                line.starts_with(r#"mcp_requests_total{method="initialize""#) && line.contains(r#"status="ok""#)
            })
            .unwrap_or_default()
            .to_owned();
        assert!(initialized.ends_with(" 1"), "{base}: {initialized}");
    }
}

#[tokio::test]
async fn a_dead_downstream_leaves_the_rest_served() {
    let dead = Downstream::http("http://127.0.0.1:9/mcp").timeout(Duration::from_secs(2));
    let client = TestClient::connect(hub().mount("math", math()).proxy("gone", dead)).await.unwrap();
    assert_eq!(names(&client).await, ["math_add", "math_reset", "ping"]);
    let failed = client.call_tool("gone_anything", json!({})).await.unwrap();
    assert_eq!(failed.is_error, Some(true));
    let text = text_of(&failed);
    assert!(text.contains("downstream `gone`") && text.contains("unavailable"), "{text}");
    assert_eq!(client.call_text("ping", json!({})).await.unwrap(), "pong");
    assert_eq!(client.call_text("math_add", json!({"a": 1, "b": 1})).await.unwrap(), "2");
}

fn conformance_stdio() -> Downstream {
    let command = support::example("conformance");
    Downstream::stdio(command.as_std().get_program()).env("RUST_LOG", "warn")
}

fn answering_client(name: &'static str) -> Answers {
    Answers::new()
        .elicit(move |_| {
            ElicitResult::new(ElicitationAction::Accept).with_content(json!({"username": name, "email": "a@b.c"}))
        })
        .sample(|request| {
            let asked =
                request.messages[0].content.first().and_then(|content| content.as_text()).map(|text| text.text.clone());
            CreateMessageResult::new(
                SamplingMessage::assistant_text(format!("model saw {asked:?}")),
                "test-model".into(),
            )
        })
        .roots(vec![Root::new("file:///workspace")])
}

/// Questions a downstream asks mid-call reach the caller, in both protocol eras: a 2025 caller is
/// asked on the spot, a 2026-07-28 one gets `input_required` while the downstream's call waits.
#[tokio::test]
async fn a_downstreams_questions_reach_the_caller_in_either_era() {
    for version in [ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
        let hub = hub().proxy("conf", conformance_stdio());
        let client = TestClient::connect_answering(hub, version.clone(), answering_client("ada")).await.unwrap();
        let answered = client.call_text("conf_test_elicitation", json!({"message": "Who are you?"})).await.unwrap();
        assert!(
            answered.contains("action=Accept") && answered.contains(r#""username":"ada""#),
            "{version}: {answered}"
        );
        let sampled = client.call_text("conf_test_sampling", json!({"prompt": "Capital of France?"})).await.unwrap();
        assert!(sampled.contains("model saw Some(\"Capital of France?\")"), "{version}: {sampled}");
        let roots = client.call_text("conf_test_input_required_result_list_roots", json!({})).await.unwrap();
        assert_eq!(roots, "The client has 1 root(s)", "{version}");
        let recorded = client.recorded();
        assert_eq!(recorded.elicitations.len(), 1, "{version}");
        let asked = serde_json::to_value(&recorded.elicitations[0]).unwrap();
        assert_eq!(asked["message"], "Who are you?", "{version}");
        assert_eq!((recorded.sampling_requests.len(), recorded.roots_requests), (1, 1), "{version}");
    }
}

/// A caller that cannot answer gets a tool error saying so, from the downstream's own tool.
#[tokio::test]
async fn a_question_the_caller_cannot_answer_is_refused_clearly() {
    let client = TestClient::connect(hub().proxy("conf", conformance_stdio())).await.unwrap();
    let refused = client.call_tool("conf_test_elicitation", json!({"message": "Who?"})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    let text = text_of(&refused);
    assert!(text.contains("the client calling through the hub does not offer elicitation"), "{text}");
    // The connection is fine afterwards.
    assert_eq!(
        client.call_text("conf_test_simple_text", json!({})).await.unwrap(),
        "This is a simple text response for testing."
    );
}

/// The downstream's log messages on a call reach its caller, under the downstream's name and at
/// or above the level the caller set.
#[tokio::test]
async fn a_downstreams_log_messages_reach_the_caller() {
    let client = TestClient::connect(hub().proxy("conf", conformance_stdio())).await.unwrap();
    client.call_text("conf_test_tool_with_logging", json!({})).await.unwrap();
    let recorded = client.wait_for(|recorded| recorded.logs.len() >= 3, Duration::from_secs(5)).await.unwrap();
    assert_eq!(recorded.logs[0].logger.as_deref(), Some("conf/test_tool_with_logging"));
    assert_eq!(recorded.logs[0].data, json!("Tool execution started"));
    client.peer().set_level(SetLevelRequestParams::new(LoggingLevel::Warning)).await.unwrap();
    client.call_text("conf_test_tool_with_logging", json!({})).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(client.recorded().logs.len(), 3, "info messages went to a caller that asked for warnings");
}

/// Over Streamable HTTP each question names the call it belongs to: two callers asked at once
/// each get their own question, and the downstream each caller's answer.
#[tokio::test]
async fn concurrent_callers_get_their_own_questions_over_http() {
    let downstream = support::serve_http(support::example("conformance")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(
        hub().proxy("conf", Downstream::http(downstream.url.clone())).serve_http_on(listener, std::future::pending()),
    );
    let connect =
        |name| TestClient::connect_http_answering(&url, ProtocolVersion::V_2025_11_25, None, answering_client(name));
    let (ada, bob) = (connect("ada").await.unwrap(), connect("bob").await.unwrap());
    let (for_ada, for_bob) = tokio::join!(
        ada.call_text("conf_test_elicitation", json!({"message": "Who?"})),
        bob.call_text("conf_test_elicitation", json!({"message": "Who?"})),
    );
    assert!(for_ada.unwrap().contains(r#""username":"ada""#));
    assert!(for_bob.unwrap().contains(r#""username":"bob""#));
    assert_eq!((ada.recorded().elicitations.len(), bob.recorded().elicitations.len()), (1, 1));
}

/// Floods list changes, log messages and progress.
#[mcp_tool]
async fn flood(ctx: Context, times: u32) -> &'static str {
    for done in 0..times {
        ctx.notifier().tool_list_changed().await;
        ctx.log(LogLevel::Debug, "flooding").await;
        ctx.progress(done, times, "flooding").await;
    }
    "flooded"
}

/// A downstream flooding notifications neither starves calls to the others nor floods the
/// hub's clients: its list changes reach them gathered.
#[tokio::test]
async fn a_flooding_downstream_does_not_starve_the_rest() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(
        Server::new("flood", "1.0.0").register(handlers![flood]).serve_http_on(listener, std::future::pending()),
    );
    let client = TestClient::connect(hub().mount("math", math()).proxy("loud", Downstream::http(url))).await.unwrap();
    let flooding = client.call_text("loud_flood", json!({"times": 3000}));
    let others = async {
        for n in 0..50 {
            assert_eq!(client.call_text("math_add", json!({"a": n, "b": 1})).await.unwrap(), (n + 1).to_string());
        }
    };
    let (flooded, ()) = tokio::join!(flooding, others);
    assert_eq!(flooded.unwrap(), "flooded");
    let recorded =
        client.wait_for(|recorded| recorded.list_changes.contains(&"tools"), Duration::from_secs(5)).await.unwrap();
    let changes = recorded.list_changes.iter().filter(|kind| **kind == "tools").count();
    assert!(changes < 100, "3000 list changes reached the client as {changes}");
    assert!(recorded.logs.is_empty(), "debug messages went to a caller at the default level");
}

/// A 2026-07-28 caller's retry is matched to its held call by `requestState`: a made-up one is
/// refused, an answer that misses the question asks it again, and the right one finishes the call.
#[tokio::test]
async fn a_held_call_resumes_only_with_its_own_state_and_answers() {
    use mcp_runtime::model::{CallToolRequestParams, CallToolResponse};
    let hub = hub().proxy("conf", conformance_stdio());
    let client =
        TestClient::connect_answering(hub, ProtocolVersion::V_2026_07_28, answering_client("ada")).await.unwrap();
    let call = CallToolRequestParams::new("conf_test_elicitation")
        .with_arguments(json!({"message": "Who?"}).as_object().unwrap().clone());
    let CallToolResponse::InputRequired(asked) = client.peer().call_tool_once(call.clone()).await.unwrap() else {
        panic!("the downstream's question did not come back as input_required")
    };
    let key = asked.input_requests.as_ref().unwrap().keys().next().unwrap().clone();
    let mut retry = call.clone();
    retry.request_state = Some("hub-held:made-up".into());
    retry.input_responses = Some([(key.clone(), json!({"action": "decline"}))].into());
    let Err(mcp_runtime::rmcp::ServiceError::McpError(error)) = client.peer().call_tool_once(retry.clone()).await
    else {
        panic!("a made-up request state was accepted")
    };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(error.message.contains("names no held call"), "{}", error.message);
    retry.request_state = asked.request_state.clone();
    retry.input_responses = Some([("other".to_owned(), json!({"action": "decline"}))].into());
    let CallToolResponse::InputRequired(again) = client.peer().call_tool_once(retry.clone()).await.unwrap() else {
        panic!("an answer missing the question ended the call")
    };
    assert!(again.input_requests.as_ref().unwrap().contains_key(&key));
    retry.request_state = again.request_state;
    retry.input_responses = Some([(key, json!({"action": "decline"}))].into());
    let CallToolResponse::Complete(done) = client.peer().call_tool_once(retry).await.unwrap() else {
        panic!("the answered call did not finish")
    };
    assert!(text_of(&done).contains("action=Decline"), "{}", text_of(&done));
}

/// Argument completions of a proxied prompt come from the downstream, under the served name.
#[tokio::test]
async fn completions_of_proxied_prompts_come_from_the_downstream() {
    use mcp_runtime::model::{ArgumentInfo, CompleteRequestParams, Reference};
    let client = TestClient::connect(hub().proxy("qs", quickstart_stdio())).await.unwrap();
    let asked =
        |name: &str| CompleteRequestParams::new(Reference::for_prompt(name), ArgumentInfo::new("language", "r"));
    let completion = client.peer().complete(asked("qs_code_review")).await.unwrap().completion;
    assert_eq!(completion.values, ["ruby", "rust"]);
    let Err(mcp_runtime::rmcp::ServiceError::McpError(error)) = client.peer().complete(asked("qs_nothing")).await
    else {
        panic!("an unknown proxied prompt was completed")
    };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
}

/// A client subscribed to a mounted or proxied resource hears of its updates, under the URI the
/// hub serves it as.
#[tokio::test]
async fn updates_of_mounted_and_proxied_resources_reach_subscribers() {
    use mcp_runtime::model::SubscribeRequestParams;
    let client = TestClient::connect(hub().mount("math", math()).proxy("qs", quickstart_stdio())).await.unwrap();
    client.peer().subscribe(SubscribeRequestParams::new("results://math/latest")).await.unwrap();
    client.call_text("math_add", json!({"a": 1, "b": 2})).await.unwrap();
    client
        .wait_for(
            |recorded| recorded.resource_updates.contains(&"results://math/latest".to_owned()),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    client.peer().subscribe(SubscribeRequestParams::new("notes://qs/latest")).await.unwrap();
    client.call_text("qs_add_note", json!({"text": "relayed"})).await.unwrap();
    client
        .wait_for(
            |recorded| recorded.resource_updates.contains(&"notes://qs/latest".to_owned()),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let Err(mcp_runtime::rmcp::ServiceError::McpError(error)) =
        client.peer().subscribe(SubscribeRequestParams::new("results://math/nothing/at/all")).await
    else {
        panic!("a resource the mounted server lacks was subscribed to")
    };
    assert_eq!(error.code, ErrorCode::RESOURCE_NOT_FOUND, "{}", error.message);
}

/// Tells the test when `patient` started, and when its call was dropped.
#[derive(Clone, Default)]
struct Patience {
    started: std::sync::Arc<tokio::sync::Notify>,
    dropped: std::sync::Arc<tokio::sync::Notify>,
}

struct NotifyOnDrop(std::sync::Arc<tokio::sync::Notify>);

impl Drop for NotifyOnDrop {
    fn drop(&mut self) {
        self.0.notify_one();
    }
}

/// Waits a minute.
#[mcp_tool]
async fn patient(patience: State<Patience>) -> &'static str {
    let _dropped = NotifyOnDrop(patience.0.dropped.clone());
    patience.0.started.notify_one();
    tokio::time::sleep(Duration::from_secs(60)).await;
    "waited"
}

/// A caller that cancels its call through the hub cancels the downstream's call too.
#[tokio::test]
async fn a_callers_cancellation_reaches_the_downstream() {
    use mcp_runtime::{
        model::{CallToolRequest, CallToolRequestParams, ClientRequest},
        rmcp::service::PeerRequestOptions,
    };
    let patience = Patience::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let slow = Server::new("slow", "1.0.0").register(handlers![patient]).state(patience.clone());
    tokio::spawn(slow.serve_http_on(listener, std::future::pending()));
    let client = TestClient::connect(hub().proxy("slow", Downstream::http(url))).await.unwrap();
    let request = ClientRequest::CallToolRequest(CallToolRequest::new(CallToolRequestParams::new("slow_patient")));
    let handle = client.peer().send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), patience.started.notified())
        .await
        .expect("the call reached the downstream");
    handle.cancel(Some("changed my mind".into())).await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), patience.dropped.notified())
        .await
        .expect("the downstream's call was not cancelled");
}
