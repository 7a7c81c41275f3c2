//! The registry changed while the server serves: tools defined at run time and annotated
//! handlers added, replaced and removed, every client told, each change checked as start-up
//! checks, in process and over Streamable HTTP sessions.

use std::{sync::Arc, time::Duration};

use mcp_runtime::{
    model::{CallToolResult, ContentBlock},
    prelude::*,
    registry::Registry,
    testing::TestClient,
    tool::ToolDefinition,
};
use serde_json::{Value, json};
use tokio::sync::Notify;

const PATIENCE: Duration = Duration::from_secs(10);

/// Echo a message back.
#[mcp_tool(read_only)]
async fn echo(message: String) -> String {
    message
}

/// Greet someone.
#[mcp_prompt]
async fn greet(name: String) -> String {
    format!("Say hello to {name}.")
}

/// The current status.
#[mcp_resource(uri = "status://now")]
async fn status() -> &'static str {
    "green"
}

/// Waits until told to finish.
#[mcp_tool]
async fn slow(release: State<Arc<Notify>>) -> &'static str {
    release.notified().await;
    "finished"
}

/// A tool whose whole behaviour is data: it answers `text` prefixed by `prefix`.
fn prefixer(name: &str, prefix: &'static str) -> ToolDefinition {
    let schema = json!({
        "type": "object",
        "properties": {"text": {"type": "string", "maxLength": 10}},
        "required": ["text"],
    });
    ToolDefinition::from_fn(
        name,
        format!("Prefix the text with `{prefix}`."),
        schema,
        move |arguments, _ctx| async move {
            let text = arguments.get("text").and_then(Value::as_str).unwrap_or_default();
            Ok(CallToolResult::success(vec![ContentBlock::text(format!("{prefix}{text}"))]))
        },
    )
    .read_only()
}

async fn tool_names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.to_string()).collect()
}

#[tokio::test]
async fn a_tool_defined_at_run_time_is_listed_called_and_checked_like_a_macro_tool() {
    let server = Server::new("registry", "1.0.0").register(handlers![echo]);
    let registry = server.registry();
    let client = TestClient::connect(server).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo"]);

    registry.add_tool(prefixer("shout", ">> ")).await.unwrap();
    client.wait_for(|r| r.list_changes == ["tools"], PATIENCE).await.unwrap();
    let tools = client.list_tools().await.unwrap();
    let shout = tools.iter().find(|tool| tool.name == "shout").expect("listed");
    assert_eq!(shout.description.as_deref(), Some("Prefix the text with `>> `."));
    assert_eq!(shout.annotations.as_ref().and_then(|hints| hints.read_only_hint), Some(true));
    assert_eq!(shout.input_schema["required"], json!(["text"]));

    assert_eq!(client.call_text("shout", json!({"text": "hi"})).await.unwrap(), ">> hi");
    // The given schema is enforced before the function runs.
    let refused = client.call_tool("shout", json!({"text": "far too long a text"})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    let message = format!("{:?}", refused.content);
    assert!(message.contains("invalid arguments for tool `shout`") && message.contains("text"), "{message}");
    let missing = client.call_tool("shout", json!({})).await.unwrap();
    assert_eq!(missing.is_error, Some(true), "{missing:?}");
}

#[tokio::test]
async fn replacing_and_removing_change_what_clients_see_and_tell_them() {
    let server = Server::new("registry", "1.0.0");
    let registry = server.registry();
    let client = TestClient::connect(server).await.unwrap();

    registry.add_tool(prefixer("tag", "v1:")).await.unwrap();
    registry.replace(Handlers::from(prefixer("tag", "v2:"))).await.unwrap();
    client.wait_for(|r| r.list_changes == ["tools", "tools"], PATIENCE).await.unwrap();
    assert_eq!(client.call_text("tag", json!({"text": "x"})).await.unwrap(), "v2:x");

    assert!(registry.remove_tool("tag").await);
    client.wait_for(|r| r.list_changes.len() == 3, PATIENCE).await.unwrap();
    assert!(tool_names(&client).await.is_empty());
    let unknown = client.call_tool("tag", json!({"text": "x"})).await.unwrap_err().to_string();
    assert!(unknown.contains("unknown tool `tag`; available tools: none"), "{unknown}");
    // Removing what is not there changes nothing and tells nobody.
    assert!(!registry.remove_tool("tag").await);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(client.recorded().list_changes.len(), 3);
}

#[tokio::test]
async fn annotated_prompts_and_resources_come_and_go_on_a_server_that_started_without_them() {
    let server = Server::new("registry", "1.0.0");
    let registry = server.registry();
    let client = TestClient::connect(server).await.unwrap();
    // Taking the registry early made the server promise prompts and resources.
    let capabilities = client.peer().peer_info().unwrap().capabilities.clone();
    assert!(capabilities.prompts.is_some_and(|prompts| prompts.list_changed == Some(true)));
    assert!(capabilities.resources.is_some_and(|resources| resources.list_changed == Some(true)));

    registry.add(handlers![greet, status]).await.unwrap();
    client.wait_for(|r| r.list_changes == ["prompts", "resources"], PATIENCE).await.unwrap();
    let greeting = client.get_prompt("greet", &[("name", "Ada")]).await.unwrap();
    assert!(format!("{:?}", greeting.messages).contains("Say hello to Ada."));
    let read = client.read_resource("status://now").await.unwrap();
    assert!(format!("{:?}", read.contents).contains("green"));

    assert!(registry.remove_resource("status://now").await);
    assert!(registry.remove_prompt("greet").await);
    client.wait_for(|r| r.list_changes.len() == 4, PATIENCE).await.unwrap();
    let gone = client.read_resource("status://now").await.unwrap_err().to_string();
    assert!(gone.contains("no resource has the URI `status://now`"), "{gone}");
    assert!(client.get_prompt("greet", &[("name", "Ada")]).await.is_err());
}

#[tokio::test]
async fn a_change_with_a_problem_is_refused_whole_and_names_both_sources() {
    let server = Server::new("registry", "1.0.0").register(handlers![echo]);
    let registry = server.registry();
    let client = TestClient::connect(server).await.unwrap();

    let clash = prefixer("echo", "!");
    let mut change = Handlers::from(prefixer("fresh", "+"));
    change.extend(Handlers::from(clash));
    let error = registry.add(change).await.unwrap_err().to_string();
    assert!(error.contains("duplicate tool name `echo`"), "{error}");
    assert!(error.contains("tests/registry.rs") && error.contains("`registry::echo`"), "{error}");
    // Nothing of the refused change was served, and nobody was told of a change.
    assert_eq!(tool_names(&client).await, ["echo"]);
    assert!(client.recorded().list_changes.is_empty());

    // A schema that is not an object schema is refused with the tool's name.
    let unusable = ToolDefinition::from_fn("bad", "Takes a number.", json!({"type": "number"}), |_, _| async {
        Ok(CallToolResult::success(vec![]))
    });
    let error = registry.add_tool(unusable).await.unwrap_err().to_string();
    assert!(error.contains("tool `bad`") && error.contains("must be a struct with named fields"), "{error}");
}

#[tokio::test]
async fn additions_before_start_up_are_checked_with_the_rest() {
    let server = Server::new("registry", "1.0.0").register(handlers![echo]);
    server.registry().add_tool(prefixer("echo", "?")).await.unwrap();
    let error = server.build().unwrap_err().to_string();
    assert!(error.contains("duplicate tool name `echo`"), "{error}");

    let server = Server::new("registry", "1.0.0").register(handlers![echo]);
    let registry = server.registry();
    registry.add_tool(prefixer("early", "=")).await.unwrap();
    assert!(registry.remove_tool("early").await);
    registry.add_tool(prefixer("kept", "=")).await.unwrap();
    let service = server.build().unwrap();
    assert_eq!(service.tool_count(), 2);
}

#[tokio::test]
async fn a_call_in_flight_finishes_with_the_tool_it_started_with() {
    let release = Arc::new(Notify::new());
    let server = Server::new("registry", "1.0.0").state(release.clone()).register(handlers![slow]);
    let registry = server.registry();
    let client = Arc::new(TestClient::connect(server).await.unwrap());
    let calling = tokio::spawn({
        let client = client.clone();
        async move { client.call_text("slow", json!({})).await }
    });
    // The tool is running once its call is counted in flight; remove it under the call.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(registry.remove_tool("slow").await);
    release.notify_one();
    assert_eq!(tokio::time::timeout(PATIENCE, calling).await.unwrap().unwrap().unwrap(), "finished");
    assert!(tool_names(&client).await.is_empty());
}

#[tokio::test]
async fn http_sessions_hear_of_tools_added_while_serving() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let server = Server::new("registry", "1.0.0");
    let registry: Registry = server.registry();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_http_on(listener, async {
        let _ = stopped.await;
    }));

    let client = TestClient::connect_http(&url).await.unwrap();
    registry.add_tool(prefixer("late", "late:")).await.unwrap();
    client.wait_for(|r| r.list_changes == ["tools"], PATIENCE).await.unwrap();
    assert_eq!(client.call_text("late", json!({"text": "yes"})).await.unwrap(), "late:yes");

    drop((client, stop));
    tokio::time::timeout(PATIENCE, serving).await.unwrap().unwrap().unwrap();
}
