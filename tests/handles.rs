//! The typed handles on each annotated function's hidden type: `f::NAME` for every kind, and a
//! resource's `f::URI` (fixed) or `f::URI_TEMPLATE`, equal to what the server registers, so code
//! that names a handler (a notification, a test, `Visibility`) need not repeat a literal.

use std::time::Duration;

use mcp_runtime::{prelude::*, registry::Item, testing::TestClient};
use serde_json::json;

/// Add two integers.
#[mcp_tool(read_only)]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Search, under another name than the function's.
#[mcp_tool(name = "search.v2")]
async fn search(query: String) -> String {
    query
}

/// A tool whose name is a Rust keyword.
#[mcp_tool]
async fn r#match() -> &'static str {
    "matched"
}

/// Summarise a text.
#[mcp_prompt(name = "summarise")]
async fn summarize(text: String) -> String {
    format!("Summarise: {text}")
}

/// The most recent note.
#[mcp_resource(uri = "notes://latest")]
async fn latest_note() -> &'static str {
    "milk"
}

/// One note, by number.
#[mcp_resource(uri = "notes://{number}", name = "note_by_number")]
async fn note(number: u32) -> String {
    format!("note {number}")
}

mod nested {
    use mcp_runtime::prelude::*;

    /// The handles have the function's visibility.
    #[mcp_tool]
    pub(crate) async fn visible_in_the_crate() {}
}

/// Usable wherever a constant is.
const LATEST: &str = latest_note::URI;

fn server() -> Server {
    Server::new("handles", "1.0.0")
        .register(handlers![add, search, r#match, nested::visible_in_the_crate])
        .register(handlers![summarize])
        .register(handlers![latest_note, note])
}

#[test]
fn the_handles_hold_the_registered_names_and_uris() {
    assert_eq!(add::NAME, "add");
    assert_eq!(search::NAME, "search.v2");
    assert_eq!(r#match::NAME, "match");
    assert_eq!(nested::visible_in_the_crate::NAME, "visible_in_the_crate");
    assert_eq!(summarize::NAME, "summarise");
    assert_eq!(latest_note::NAME, "latest_note");
    assert_eq!(latest_note::URI, "notes://latest");
    assert_eq!(LATEST, "notes://latest");
    assert_eq!(note::NAME, "note_by_number");
    assert_eq!(note::URI_TEMPLATE, "notes://{number}");
}

#[tokio::test]
async fn clients_see_what_the_handles_say() {
    let client = TestClient::connect(server()).await.unwrap();
    let tools: Vec<String> = client.list_tools().await.unwrap().into_iter().map(|tool| tool.name.into()).collect();
    for name in [add::NAME, search::NAME, r#match::NAME, nested::visible_in_the_crate::NAME] {
        assert!(tools.iter().any(|tool| tool == name), "{name} in {tools:?}");
    }
    assert_eq!(client.call_text(add::NAME, json!({"a": 2, "b": 3})).await.unwrap(), "5");
    let prompt = client.get_prompt(summarize::NAME, &[("text", "a long text")]).await.unwrap();
    assert_eq!(prompt.messages.len(), 1);

    let resources = client.peer().list_all_resources().await.unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!((resources[0].uri.as_str(), resources[0].name.as_str()), (latest_note::URI, latest_note::NAME));
    let templates = client.peer().list_all_resource_templates().await.unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!((templates[0].uri_template.as_str(), templates[0].name.as_str()), (note::URI_TEMPLATE, note::NAME));
    assert!(client.read_resource(latest_note::URI).await.is_ok());
}

// `resources/subscribe` is how 2025 clients subscribe; rmcp marks it deprecated for 2026 ones.
#[allow(deprecated)]
#[tokio::test]
async fn a_notification_names_the_resource_by_its_handle() {
    use rmcp::model::SubscribeRequestParams;

    let server = server();
    let notifier = server.notifier();
    let client = TestClient::connect(server).await.unwrap();
    client.peer().subscribe(SubscribeRequestParams::new(latest_note::URI)).await.unwrap();

    notifier.resource_updated(latest_note::URI).await;
    let recorded = client.wait_for(|r| !r.resource_updates.is_empty(), Duration::from_secs(5)).await.unwrap();
    assert_eq!(recorded.resource_updates, [latest_note::URI]);
}

#[tokio::test]
async fn visibility_names_items_by_their_handles() {
    let server = server();
    let visibility = server.visibility();
    let client = TestClient::connect(server).await.unwrap();
    visibility.disable(Item::Tool(add::NAME)).await.unwrap();
    visibility.disable(Item::Resource(note::URI_TEMPLATE)).await.unwrap();
    let tools = client.list_tools().await.unwrap();
    assert!(tools.iter().all(|tool| tool.name != add::NAME), "{tools:?}");
    assert!(client.peer().list_all_resource_templates().await.unwrap().is_empty());
}
