//! Disabling and enabling items on a running server, and change notifications reaching the
//! right sessions, in process and over Streamable HTTP sessions.

use std::time::Duration;

use mcp_runtime::{prelude::*, registry::Item, testing::TestClient};
use rmcp::model::{
    ErrorCode, GetPromptRequestParams, ReadResourceRequestParams, SubscribeRequestParams, UnsubscribeRequestParams,
};
use serde_json::json;

const PATIENCE: Duration = Duration::from_secs(10);

/// Echo a message back.
#[mcp_tool(read_only)]
async fn echo(message: String) -> String {
    message
}

/// Delete everything.
#[mcp_tool(destructive)]
async fn wipe() -> &'static str {
    "wiped"
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

/// One user's page.
#[mcp_resource(uri = "users://{id}")]
async fn user(id: u32) -> String {
    format!("user {id}")
}

fn server() -> Server {
    Server::new("visibility", "1.0.0").register(handlers![echo, wipe, greet, status, user])
}

async fn tool_names(client: &TestClient) -> Vec<String> {
    client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.to_string()).collect()
}

#[tokio::test]
async fn a_disabled_tool_disappears_and_answers_as_unknown_until_enabled() {
    let server = server();
    let visibility = server.visibility();
    let client = TestClient::connect(server).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "wipe"]);

    visibility.disable(Item::Tool("wipe")).await.unwrap();
    client.wait_for(|r| r.list_changes == ["tools"], PATIENCE).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo"]);
    let refused = client.call_tool("wipe", json!({})).await.unwrap_err().to_string();
    assert!(refused.contains("unknown tool `wipe`; available tools: echo"), "{refused}");

    // Disabling twice changes nothing and announces nothing.
    visibility.disable(Item::Tool("wipe")).await.unwrap();
    visibility.enable(Item::Tool("wipe")).await.unwrap();
    client.wait_for(|r| r.list_changes == ["tools", "tools"], PATIENCE).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo", "wipe"]);
    assert_eq!(client.call_text("wipe", json!({})).await.unwrap(), "wiped");
}

#[tokio::test]
async fn disabled_prompts_and_resources_are_unknown_too() {
    let server = server();
    let visibility = server.visibility();
    let client = TestClient::connect(server).await.unwrap();

    visibility.disable(Item::Prompt("greet")).await.unwrap();
    visibility.disable(Item::Resource("status://now")).await.unwrap();
    visibility.disable(Item::Resource("users://{id}")).await.unwrap();
    // The client handles notifications concurrently, so their order is not kept.
    let mut changes = client.wait_for(|r| r.list_changes.len() == 3, PATIENCE).await.unwrap().list_changes;
    changes.sort_unstable();
    assert_eq!(changes, ["prompts", "resources", "resources"]);

    let peer = client.peer();
    assert!(peer.list_all_prompts().await.unwrap().is_empty());
    assert!(peer.list_all_resources().await.unwrap().is_empty());
    assert!(peer.list_all_resource_templates().await.unwrap().is_empty());
    let prompt = peer.get_prompt(GetPromptRequestParams::new("greet")).await.unwrap_err().to_string();
    assert!(prompt.contains("unknown prompt `greet`; available prompts: none"), "{prompt}");
    for uri in ["status://now", "users://7"] {
        let read = peer.read_resource(ReadResourceRequestParams::new(uri)).await.unwrap_err();
        match read {
            rmcp::ServiceError::McpError(error) => assert_eq!(error.code, ErrorCode::RESOURCE_NOT_FOUND, "{uri}"),
            other => panic!("{uri}: {other:?}"),
        }
    }

    visibility.enable(Item::Resource("users://{id}")).await.unwrap();
    let read = peer.read_resource(ReadResourceRequestParams::new("users://7")).await.unwrap();
    assert!(format!("{read:?}").contains("user 7"), "{read:?}");
}

#[tokio::test]
async fn naming_an_item_the_server_lacks_is_an_error() {
    let early = server();
    let visibility = early.visibility();
    visibility.disable(Item::Tool("wipe")).await.unwrap();
    visibility.disable(Item::Prompt("nope")).await.unwrap();
    let problems = early.build().unwrap_err().to_string();
    assert!(problems.contains("cannot disable prompt `nope`: the server has no such item"), "{problems}");

    let built = server();
    let visibility = built.visibility();
    let _service = built.build().unwrap();
    let unknown = visibility.disable(Item::Resource("status://later")).await.unwrap_err();
    assert_eq!(unknown.to_string(), "the server has no resource `status://later`");
}

#[tokio::test]
async fn items_disabled_before_serving_start_hidden() {
    let server = server();
    server.visibility().disable(Item::Tool("wipe")).await.unwrap();
    let client = TestClient::connect(server).await.unwrap();
    assert_eq!(tool_names(&client).await, ["echo"]);
}

// `resources/subscribe` is how 2025 clients subscribe; rmcp marks it deprecated for 2026 ones.
#[allow(deprecated)]
#[tokio::test]
async fn http_sessions_hear_their_own_subscriptions_and_every_list_change() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let server = server();
    let (notifier, visibility) = (server.notifier(), server.visibility());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_http_on(listener, async {
        let _ = stopped.await;
    }));

    let subscribed = TestClient::connect_http(&url).await.unwrap();
    let bystander = TestClient::connect_http(&url).await.unwrap();
    subscribed.peer().subscribe(SubscribeRequestParams::new("status://now")).await.unwrap();
    notifier.resource_updated("status://now").await;
    subscribed.wait_for(|r| r.resource_updates == ["status://now"], PATIENCE).await.unwrap();

    visibility.disable(Item::Tool("wipe")).await.unwrap();
    for client in [&subscribed, &bystander] {
        client.wait_for(|r| r.list_changes == ["tools"], PATIENCE).await.unwrap();
    }
    assert!(bystander.recorded().resource_updates.is_empty(), "{:?}", bystander.recorded());

    subscribed.peer().unsubscribe(UnsubscribeRequestParams::new("status://now")).await.unwrap();
    notifier.resource_updated("status://now").await;
    // The list change below travels the same stream, after any update; once it has arrived,
    // an update sent before it would have too.
    visibility.enable(Item::Tool("wipe")).await.unwrap();
    subscribed.wait_for(|r| r.list_changes.len() == 2, PATIENCE).await.unwrap();
    assert_eq!(subscribed.recorded().resource_updates, ["status://now"]);

    drop((subscribed, bystander, stop));
    tokio::time::timeout(PATIENCE, serving).await.unwrap().unwrap().unwrap();
}

#[allow(deprecated)] // `resources/subscribe`: the 2025 way, which this test is about.
#[tokio::test]
async fn stateless_http_promises_2025_clients_no_notifications() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let stateless = server().http_config(mcp_runtime::http::HttpConfig { stateless: true, ..Default::default() });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(stateless.serve_http_on(listener, async {
        let _ = stopped.await;
    }));

    let client = TestClient::connect_http(&url).await.unwrap();
    let capabilities = &client.peer().peer_info().unwrap().capabilities;
    let resources = capabilities.resources.as_ref().unwrap();
    assert_eq!((resources.subscribe, resources.list_changed), (None, None));
    assert_eq!(capabilities.tools.as_ref().unwrap().list_changed, None);
    let refused = client.peer().subscribe(SubscribeRequestParams::new("status://now")).await.unwrap_err();
    assert!(refused.to_string().contains("has no stream to send resource updates on"), "{refused}");

    // Over stdio the same server keeps its promises.
    let stdio_like = TestClient::connect(server()).await.unwrap();
    let resources = stdio_like.peer().peer_info().unwrap().capabilities.resources.clone().unwrap();
    assert_eq!((resources.subscribe, resources.list_changed), (Some(true), Some(true)));

    drop((client, stop));
    tokio::time::timeout(PATIENCE, serving).await.unwrap().unwrap().unwrap();
}
