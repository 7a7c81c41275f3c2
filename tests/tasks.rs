//! Tools as tasks (the `io.modelcontextprotocol/tasks` extension) end to end through rmcp's
//! client: in process over both protocol eras, and over loopback HTTP with two principals.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use mcp_runtime::{
    auth::ApiKeys,
    model::{ElicitResult, ElicitationAction, ElicitationSchema, ErrorCode, ProtocolVersion, TaskPayload, TaskStatus},
    prelude::*,
    task::TaskSettings,
    testing::{Answers, Started, TestClient, TestError},
};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

/// Works for `millis`, reporting progress halfway.
#[mcp_tool(task = "optional")]
async fn build(ctx: Context, millis: u64) -> String {
    tokio::time::sleep(Duration::from_millis(millis / 2)).await;
    ctx.progress(1, 2, "compiled").await;
    tokio::time::sleep(Duration::from_millis(millis / 2)).await;
    format!("built in {millis} ms")
}

/// Runs only as a task.
#[mcp_tool(task = "required")]
async fn deploy() -> &'static str {
    tokio::time::sleep(Duration::from_millis(20)).await;
    "deployed"
}

/// How many times `confirm_wipe` has started: a task's question must not run it again.
static WIPE_STARTS: AtomicUsize = AtomicUsize::new(0);

/// Asks the user, through the task, before wiping.
#[mcp_tool(task = "optional", destructive)]
async fn confirm_wipe(ctx: Context, target: String) -> Result<String, ToolError> {
    WIPE_STARTS.fetch_add(1, Ordering::SeqCst);
    ctx.start_task().await;
    let schema = ElicitationSchema::builder().required_bool("ok").build().map_err(ToolError::new)?;
    let answer = ctx.elicit("confirm", format!("Wipe {target}?"), schema).await?;
    let confirmed = answer.content.as_ref().is_some_and(|content| content["ok"] == true);
    Ok(if confirmed { format!("wiped {target}") } else { format!("kept {target}") })
}

/// The `forever` futures dropped, by tag (each test uses its own).
static DROPPED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn dropped(tag: &str) -> usize {
    DROPPED.lock().unwrap().iter().filter(|dropped| *dropped == tag).count()
}

/// Records its tag when the task's future is dropped.
struct Dropped(String);

impl Drop for Dropped {
    fn drop(&mut self) {
        DROPPED.lock().unwrap().push(std::mem::take(&mut self.0));
    }
}

/// Never ends on its own.
#[mcp_tool(task = "optional")]
async fn forever(tag: String) -> &'static str {
    let _guard = Dropped(tag);
    std::future::pending::<()>().await;
    "unreachable"
}

/// Fails as a tool would.
#[mcp_tool(task = "optional")]
async fn flaky() -> Result<String, ToolError> {
    tokio::time::sleep(Duration::from_millis(10)).await;
    Err(ToolError::new("the disk is full"))
}

/// Panics mid-task.
#[mcp_tool(task = "optional")]
async fn broken() -> String {
    tokio::time::sleep(Duration::from_millis(10)).await;
    panic!("broken on purpose")
}

/// Answers without waiting: never becomes a task.
#[mcp_tool(task = "optional")]
async fn instant() -> &'static str {
    "at once"
}

fn server() -> Server {
    Server::new("tasks", "1.0.0").register(handlers![build, deploy, confirm_wipe, forever, flaky, broken, instant])
}

fn yes() -> ElicitResult {
    ElicitResult::new(ElicitationAction::Accept).with_content(json!({"ok": true}))
}

async fn client(version: ProtocolVersion, answers: Answers) -> TestClient {
    TestClient::connect_answering(server(), version, answers).await.unwrap()
}

async fn started(client: &TestClient, tool: &str, arguments: serde_json::Value) -> String {
    match client.start_task(tool, arguments).await.unwrap() {
        Started::Task(task) => {
            assert_eq!(task.status, TaskStatus::Working);
            assert!(task.ttl_ms.is_some_and(|ttl| ttl > 0) && task.poll_interval_ms.is_some());
            assert_eq!(task.task_id.len(), 32, "an unguessable id: {}", task.task_id);
            task.task_id
        }
        other => panic!("`{tool}` did not become a task: {other:?}"),
    }
}

fn terminal(task: &mcp_runtime::model::DetailedTask) -> bool {
    task.status().is_terminal()
}

#[tokio::test]
async fn the_extension_is_advertised_when_a_tool_runs_as_a_task() {
    let service = server().build().unwrap();
    assert!(mcp_runtime::rmcp::ServerHandler::get_info(&service).capabilities.supports_tasks());
    let plain = Server::new("plain", "1.0.0").build().unwrap();
    assert!(!mcp_runtime::rmcp::ServerHandler::get_info(&plain).capabilities.supports_tasks());
    let configured = Server::new("configured", "1.0.0").tasks(TaskSettings::default()).build().unwrap();
    assert!(mcp_runtime::rmcp::ServerHandler::get_info(&configured).capabilities.supports_tasks());
}

#[tokio::test]
async fn a_task_reports_progress_and_inlines_its_result() {
    for version in [ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
        let client = client(version.clone(), Answers::new().tasks()).await;
        let id = started(&client, "build", json!({"millis": 400})).await;
        let halfway =
            client.wait_for_task(&id, |task| task.task.status_message.is_some() || terminal(task), WAIT).await.unwrap();
        assert_eq!(halfway.task.status_message.as_deref(), Some("compiled"), "{version}");
        let done = client.wait_for_task(&id, terminal, WAIT).await.unwrap();
        let TaskPayload::Completed { result } = done.payload else { panic!("{version}: {:?}", done.payload) };
        assert_eq!(result["content"][0]["text"], "built in 400 ms", "{version}");
        // Kept until its TTL: asking again answers the same.
        assert_eq!(client.get_task(&id).await.unwrap().status(), TaskStatus::Completed);
    }
}

#[tokio::test]
async fn call_tool_polls_a_task_to_its_end() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks().elicit(|_| yes())).await;
    assert_eq!(client.call_text("build", json!({"millis": 20})).await.unwrap(), "built in 20 ms");
    assert_eq!(client.call_text("confirm_wipe", json!({"target": "/tmp/x"})).await.unwrap(), "wiped /tmp/x");
    assert_eq!(client.recorded().elicitations.len(), 1);
}

#[tokio::test]
async fn a_call_that_never_waits_answers_at_once() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await;
    let Started::Done(result) = client.start_task("instant", json!({})).await.unwrap() else { panic!() };
    assert_eq!(mcp_runtime::testing::text_of(&result), "at once");
}

#[tokio::test]
async fn without_the_extension_a_task_tool_runs_as_a_call_or_is_refused() {
    for version in [ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28] {
        let client = client(version.clone(), Answers::new()).await;
        let Started::Done(result) = client.start_task("build", json!({"millis": 10})).await.unwrap() else {
            panic!("{version}: a client without tasks got one")
        };
        assert_eq!(mcp_runtime::testing::text_of(&result), "built in 10 ms");
        let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) =
            client.call_tool("deploy", json!({})).await
        else {
            panic!("{version}: a task-only tool ran for a client without tasks")
        };
        assert_eq!(error.code, ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY, "{version}");
        let data = error.data.unwrap();
        assert!(data["requiredCapabilities"]["extensions"]["io.modelcontextprotocol/tasks"].is_object(), "{data}");
        // tasks/* are refused to such a client (rmcp's gate).
        let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) = client.get_task("x").await
        else {
            panic!()
        };
        assert_eq!(error.code, ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY);
    }
}

#[tokio::test]
async fn a_question_waits_in_the_task_and_the_handler_does_not_run_again() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks().elicit(|_| yes())).await;
    let before = WIPE_STARTS.load(Ordering::SeqCst);
    let id = started(&client, "confirm_wipe", json!({"target": "cache"})).await;
    let asking = client.wait_for_task(&id, |task| task.status() == TaskStatus::InputRequired, WAIT).await.unwrap();
    let TaskPayload::InputRequired { input_requests } = asking.payload else { panic!() };
    assert_eq!(input_requests.keys().collect::<Vec<_>>(), ["confirm"]);
    // An answer of the wrong kind is refused, naming the key; an unknown key is ignored.
    let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) =
        client.answer_task(&id, [("confirm", json!({"model": "x"}))]).await
    else {
        panic!("a malformed answer was accepted")
    };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(error.message.contains("inputResponses.confirm"), "{}", error.message);
    client.answer_task(&id, [("unknown", json!({}))]).await.unwrap();
    assert_eq!(client.get_task(&id).await.unwrap().status(), TaskStatus::InputRequired);
    client.answer_task(&id, [("confirm", serde_json::to_value(yes()).unwrap())]).await.unwrap();
    let done = client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    let TaskPayload::Completed { result } = done.payload else { panic!("{:?}", done.payload) };
    assert_eq!(result["content"][0]["text"], "wiped cache");
    assert_eq!(WIPE_STARTS.load(Ordering::SeqCst), before + 1, "the handler ran again");
}

#[tokio::test]
async fn cancel_drops_the_running_future() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await;
    let id = started(&client, "forever", json!({"tag": "cancel"})).await;
    assert_eq!(dropped("cancel"), 0);
    client.cancel_task(&id).await.unwrap();
    let done = client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    assert_eq!(done.status(), TaskStatus::Cancelled);
    assert_eq!(dropped("cancel"), 1);
    // Cancelling a finished task changes nothing and says so the same way.
    client.cancel_task(&id).await.unwrap();
    assert_eq!(client.get_task(&id).await.unwrap().status(), TaskStatus::Cancelled);
}

#[tokio::test]
async fn a_tool_error_completes_and_a_panic_fails() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await;
    let id = started(&client, "flaky", json!({})).await;
    let done = client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    let TaskPayload::Completed { result } = done.payload else { panic!("{:?}", done.payload) };
    assert_eq!(result["isError"], true);
    assert!(result["content"][0]["text"].as_str().unwrap().contains("the disk is full"));

    let id = started(&client, "broken", json!({})).await;
    let done = client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    let TaskPayload::Failed { error } = done.payload else { panic!("{:?}", done.payload) };
    assert_eq!(error["code"], ErrorCode::INTERNAL_ERROR.0);
    assert!(!error["message"].as_str().unwrap().contains("on purpose"), "the panic message leaked: {error:?}");
    // The server still serves.
    assert_eq!(client.call_text("instant", json!({})).await.unwrap(), "at once");
}

#[tokio::test]
async fn unknown_task_ids_are_invalid_params() {
    let client = client(ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await;
    for outcome in [
        client.get_task("no-such-task").await.map(drop),
        client.cancel_task("no-such-task").await,
        client.answer_task("no-such-task", [("k", json!({}))]).await,
    ] {
        let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) = outcome else { panic!() };
        assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
        assert!(error.message.contains("no-such-task"), "{}", error.message);
    }
}

#[tokio::test]
async fn each_principal_has_a_bound_on_unfinished_tasks() {
    let server = server().tasks(TaskSettings::default().max_per_principal(1));
    let client =
        TestClient::connect_answering(server, ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await.unwrap();
    let first = started(&client, "forever", json!({"tag": "bound"})).await;
    let refused = client.call_tool("forever", json!({"tag": "bound"})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    let text = mcp_runtime::testing::text_of(&refused);
    assert!(text.contains("already has 1 unfinished tasks"), "{text}");
    client.cancel_task(&first).await.unwrap();
    client.wait_for_task(&first, terminal, WAIT).await.unwrap();
    started(&client, "forever", json!({"tag": "bound"})).await;
}

#[tokio::test]
async fn a_task_past_its_ttl_is_stopped_and_forgotten() {
    let server = server().tasks(TaskSettings::default().ttl(Duration::from_millis(300)));
    let client =
        TestClient::connect_answering(server, ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await.unwrap();
    let id = started(&client, "forever", json!({"tag": "ttl"})).await;
    assert_eq!(client.get_task(&id).await.unwrap().task.ttl_ms, Some(300));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) = client.get_task(&id).await else {
        panic!("an expired task is still served")
    };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert_eq!(dropped("ttl"), 1, "the expired task still runs");
}

#[tokio::test]
async fn tasks_are_counted_by_how_they_end() {
    let server = server();
    let metrics = server.metrics();
    let client =
        TestClient::connect_answering(server, ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await.unwrap();
    let id = started(&client, "build", json!({"millis": 10})).await;
    client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    let id = started(&client, "forever", json!({"tag": "metrics"})).await;
    client.cancel_task(&id).await.unwrap();
    client.wait_for_task(&id, terminal, WAIT).await.unwrap();
    let text = metrics.render();
    assert!(text.contains(r#"mcp_tasks_finished_total{tool="build",status="completed"} 1"#), "{text}");
    assert!(text.contains(r#"mcp_tasks_finished_total{tool="forever",status="cancelled"} 1"#), "{text}");
    assert!(text.contains("mcp_tasks_running 0"), "{text}");
}

/// Over HTTP, where a task outlives the POST that started it: another principal cannot see,
/// answer or cancel it, and is told exactly what it would be told of a task that does not exist.
#[tokio::test]
async fn another_principal_cannot_learn_a_task_exists() {
    let keys = ApiKeys::from_json(
        r#"{"keys": [{"name": "alice", "key": "alice-key-1234", "scopes": []}, {"name": "bob", "key": "bob-key-12345", "scopes": []}]}"#,
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(server().authenticator(keys).serve_http_on(listener, std::future::pending()));
    let connect = |key: &'static str| {
        let url = url.clone();
        async move {
            TestClient::connect_http_answering(&url, ProtocolVersion::V_2026_07_28, Some(key), Answers::new().tasks())
                .await
                .unwrap()
        }
    };
    let (alice, bob) = (connect("alice-key-1234").await, connect("bob-key-12345").await);
    let id = started(&alice, "build", json!({"millis": 300})).await;
    let refusal = |outcome: Result<(), TestError>| match outcome {
        Err(TestError::Service(mcp_runtime::rmcp::ServiceError::McpError(error))) => (error.code, error.message),
        other => panic!("bob reached alice's task: {other:?}"),
    };
    let seen = refusal(bob.get_task(&id).await.map(drop));
    assert_eq!(seen.0, ErrorCode::INVALID_PARAMS);
    assert_eq!(seen.1.replace(&id, "ID"), refusal(bob.get_task("nope").await.map(drop)).1.replace("nope", "ID"));
    refusal(bob.cancel_task(&id).await);
    refusal(bob.answer_task(&id, [("k", json!({}))]).await);
    // Alice's task went on regardless, after its POST was answered.
    let done = alice.wait_for_task(&id, terminal, WAIT).await.unwrap();
    assert_eq!(done.status(), TaskStatus::Completed);
}
