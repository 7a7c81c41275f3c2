//! Every parameter and return form `#[mcp_tool]` supports: the generated `tools/list` is
//! snapshotted, and each tool is called through the in-process rmcp client.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still part of the protocol.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use mcp_runtime::{
    prelude::*,
    testing::{TestClient, TestError, text_of},
};
use rmcp::model::{ErrorCode, LoggingLevel, SetLevelRequestParams};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

// ---- parameters ----------------------------------------------------------------------------

/// How results are ordered.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Order {
    /// Best match first.
    Relevance,
    /// Newest first.
    Newest,
}

/// A date range.
#[derive(Debug, Deserialize, JsonSchema)]
struct Range {
    /// First day, `YYYY-MM-DD`.
    from: String,
    /// Last day, `YYYY-MM-DD`.
    to: String,
}

/// Search the archive.
///
/// Results are paged; ask again with a higher `page` for more.
#[mcp_tool(read_only, open_world = false)]
async fn search(
    /// Words to look for.
    query: String,
    /// Page size, 1 to 50.
    #[schemars(range(min = 1, max = 50))]
    #[serde(default = "default_limit")]
    limit: u32,
    /// Zero-based page number; the first page when absent.
    page: Option<u32>,
    /// How to order the results.
    order: Order,
    /// Only results within these dates.
    within: Option<Range>,
    /// Only results carrying every one of these tags.
    #[serde(default)]
    tags: Vec<String>,
    /// The kind of document, named with a raw identifier.
    r#type: Option<String>,
    /// Case-sensitive matching.
    #[serde(rename = "caseSensitive", default)]
    case_sensitive: bool,
) -> String {
    format!(
        "{query}|{limit}|{page:?}|{order:?}|{}|{tags:?}|{type:?}|{case_sensitive}",
        within.map(|range| format!("{}..{}", range.from, range.to)).unwrap_or_default(),
        r#type = r#type
    )
}

fn default_limit() -> u32 {
    10
}

/// A page of a listing, shared by several tools.
#[derive(Debug, Deserialize, JsonSchema)]
struct Page {
    /// Zero-based page number.
    page: u32,
    /// Items per page.
    #[serde(default = "default_limit")]
    size: u32,
}

/// List users, a page at a time.
#[mcp_tool(read_only)]
async fn list_users(Args(page): Args<Page>) -> String {
    format!("page {} of size {}", page.page, page.size)
}

/// Rename a file.
///
/// # Arguments
///
/// * `from` - The current name.
/// * `to` - The new name; must not exist yet.
#[mcp_tool(destructive = false, idempotent = false)]
async fn rename(from: String, to: String) -> String {
    format!("{from} -> {to}")
}

/// A counter shared by every call.
#[derive(Default)]
struct Counter {
    calls: AtomicU64,
}

/// Count calls, using shared state and the request context.
#[mcp_tool(name = "count.calls", title = "Call counter", scopes = ["stats:read", "stats:write"])]
async fn count_calls(counter: State<Counter>, ctx: Context, by: Option<u64>) -> String {
    let total = counter.calls.fetch_add(by.unwrap_or(1), Ordering::SeqCst) + by.unwrap_or(1);
    ctx.log(LogLevel::Debug, "a debug line").await;
    ctx.log(LogLevel::Warning, format!("total is now {total}")).await;
    format!("{total} (request {})", ctx.request_id())
}

/// Uppercase a word, synchronously.
#[mcp_tool]
fn shout(word: String) -> String {
    word.to_uppercase()
}

// ---- returns --------------------------------------------------------------------------------

/// Say nothing, successfully.
#[mcp_tool]
async fn nothing() {}

/// A fixed greeting.
#[mcp_tool]
async fn greeting() -> &'static str {
    "hello"
}

/// The answer, as a bare number.
#[mcp_tool]
async fn answer() -> u8 {
    42
}

/// A point on the plane.
#[derive(Debug, Serialize, JsonSchema)]
struct Point {
    /// Horizontal.
    x: f64,
    /// Vertical.
    y: f64,
}

/// The origin, as structured content.
#[mcp_tool]
async fn origin() -> Point {
    Point { x: 0.0, y: 0.0 }
}

/// A point, wrapped explicitly in `Json`.
#[mcp_tool]
async fn unit_point() -> Json<Point> {
    Json(Point { x: 1.0, y: 1.0 })
}

/// Parse a point from `x,y`.
#[mcp_tool]
async fn parse_point(text: String) -> Result<Point, String> {
    let (x, y) = text.split_once(',').ok_or_else(|| format!("expected `x,y`, got `{text}`"))?;
    let parse = |part: &str| part.trim().parse::<f64>().map_err(|error| format!("`{part}`: {error}"));
    Ok(Point { x: parse(x)?, y: parse(y)? })
}

/// A red pixel and its caption.
#[mcp_tool]
async fn pixel() -> Vec<Content> {
    vec![Content::image("iVBORw0KGgo=", "image/png"), Content::text("a red pixel")]
}

/// One text block.
#[mcp_tool]
async fn block() -> Content {
    Content::text("just a block")
}

/// A hand-built result.
#[mcp_tool]
async fn custom() -> CallToolResult {
    CallToolResult::error(vec![Content::text("built by hand")])
}

/// Check a name.
#[mcp_tool]
async fn check_name(name: String) -> Result<String, ToolError> {
    if name.is_empty() {
        return Err(ToolError::invalid_argument("name", "must not be empty"));
    }
    Ok(format!("`{name}` is fine"))
}

/// Always panics.
#[mcp_tool]
async fn explode() -> String {
    panic!("the tool's own bug")
}

fn count_calls_total(counter: State<Counter>) -> u64 {
    counter.calls.load(Ordering::SeqCst)
}

fn server() -> Server {
    Server::new("fixtures", "1.0.0").state(Counter::default()).register(handlers![
        search,
        list_users,
        rename,
        count_calls,
        shout,
        nothing,
        greeting,
        answer,
        origin,
        unit_point,
        parse_point,
        pixel,
        block,
        custom,
        check_name,
        explode,
    ])
}

async fn client() -> TestClient {
    TestClient::connect(server()).await.expect("the fixture server starts")
}

#[tokio::test]
async fn tools_list_snapshot() {
    let tools = client().await.list_tools().await.unwrap();
    insta::assert_json_snapshot!("tools_list", tools);
}

#[tokio::test]
async fn schemas_are_what_every_client_accepts() {
    let tools = client().await.list_tools().await.unwrap();
    for tool in &tools {
        let input = serde_json::to_string(&tool.input_schema).unwrap();
        assert_eq!(tool.input_schema.get("type"), Some(&json!("object")), "{}", tool.name);
        for forbidden in ["$ref", "$defs", "$schema", "\"title\""] {
            assert!(!input.contains(forbidden), "{} has {forbidden}: {input}", tool.name);
        }
        if let Some(output) = &tool.output_schema {
            assert_eq!(output.get("type"), Some(&json!("object")), "{}", tool.name);
        }
    }
}

#[tokio::test]
async fn arguments_reach_the_function() {
    let client = client().await;
    let text = client
        .call_text(
            "search",
            json!({"query": "rust", "order": "newest", "within": {"from": "2026-01-01", "to": "2026-02-01"},
                   "type": "pdf", "caseSensitive": true, "tags": ["a", "b"]}),
        )
        .await
        .unwrap();
    assert_eq!(text, "rust|10|None|Newest|2026-01-01..2026-02-01|[\"a\", \"b\"]|Some(\"pdf\")|true");
    let defaults = client.call_text("search", json!({"query": "q", "order": "relevance", "page": 2})).await.unwrap();
    assert_eq!(defaults, "q|10|Some(2)|Relevance||[]|None|false");

    assert_eq!(client.call_text("list_users", json!({"page": 3})).await.unwrap(), "page 3 of size 10");
    assert_eq!(client.call_text("rename", json!({"from": "a", "to": "b"})).await.unwrap(), "a -> b");
    assert_eq!(client.call_text("shout", json!({"word": "hey"})).await.unwrap(), "HEY");
}

#[tokio::test]
async fn decoding_errors_name_the_argument_and_the_expectation() {
    let client = client().await;
    let cases = [
        (
            "search",
            json!({"query": "q", "order": "oldest"}),
            "`order`: unknown variant `oldest`, expected `relevance` or `newest`",
        ),
        ("search", json!({"query": "q", "order": "newest", "within": {"from": "x"}}), "`within`: missing field `to`"),
        (
            "search",
            json!({"query": "q", "order": "newest", "tags": [1]}),
            "`tags[0]`: invalid type: integer `1`, expected a string",
        ),
        (
            "search",
            json!({"query": "q", "order": "newest", "limit": -1}),
            "`limit`: invalid value: integer `-1`, expected u32",
        ),
        ("list_users", json!({"size": 5}), "missing field `page`"),
        ("rename", json!({"from": "a", "to": "b", "force": true}), "unknown field `force`, expected `from` or `to`"),
    ];
    for (tool, arguments, expected) in cases {
        let result = client.call_tool(tool, arguments).await.unwrap();
        assert_eq!(result.is_error, Some(true), "{tool}");
        let text = text_of(&result);
        assert!(text.starts_with(&format!("invalid arguments for tool `{tool}`")), "{text}");
        assert!(text.ends_with(expected), "{text}");
    }
}

#[tokio::test]
async fn every_return_form_becomes_the_right_result() {
    let client = client().await;

    let nothing = client.call_tool("nothing", json!({})).await.unwrap();
    assert!(nothing.content.is_empty() && nothing.is_error == Some(false));
    assert_eq!(client.call_text("greeting", json!({})).await.unwrap(), "hello");

    let answer = client.call_tool("answer", json!({})).await.unwrap();
    assert_eq!(answer.structured_content, Some(json!({"result": 42})));
    assert_eq!(text_of(&answer), "42");

    let origin = client.call_tool("origin", json!({})).await.unwrap();
    assert_eq!(origin.structured_content, Some(json!({"x": 0.0, "y": 0.0})));
    let unit = client.call_tool("unit_point", json!({})).await.unwrap();
    assert_eq!(unit.structured_content, Some(json!({"x": 1.0, "y": 1.0})));

    let parsed = client.call_tool("parse_point", json!({"text": "1, 2.5"})).await.unwrap();
    assert_eq!(parsed.structured_content, Some(json!({"x": 1.0, "y": 2.5})));
    let unparsed = client.call_tool("parse_point", json!({"text": "1;2"})).await.unwrap();
    assert_eq!((unparsed.is_error, text_of(&unparsed)), (Some(true), "expected `x,y`, got `1;2`".to_owned()));
    assert_eq!(unparsed.structured_content, None);

    let pixel = client.call_tool("pixel", json!({})).await.unwrap();
    assert_eq!(pixel.content[0].as_image().unwrap().mime_type, "image/png");
    assert_eq!(pixel.content[1].as_text().unwrap().text, "a red pixel");
    assert_eq!(client.call_text("block", json!({})).await.unwrap(), "just a block");

    let custom = client.call_tool("custom", json!({})).await.unwrap();
    assert_eq!((custom.is_error, text_of(&custom)), (Some(true), "built by hand".to_owned()));

    assert_eq!(client.call_text("check_name", json!({"name": "ok"})).await.unwrap(), "`ok` is fine");
    match client.call_text("check_name", json!({"name": ""})).await {
        Err(TestError::ToolFailed(text)) => assert_eq!(text, "invalid argument `name`: must not be empty"),
        other => panic!("expected a tool error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_panicking_tool_is_an_error_result_and_the_server_keeps_serving() {
    let client = client().await;
    let result = client.call_tool("explode", json!({})).await.unwrap();
    assert_eq!(result.is_error, Some(true));
    // The panic message stays in the server's log; the client learns only that it failed.
    assert_eq!(text_of(&result), "tool `explode` failed with an internal error; the server logged the details");
    assert_eq!(client.call_text("greeting", json!({})).await.unwrap(), "hello");
}

#[tokio::test]
async fn state_and_context_are_injected() {
    let client = client().await;
    let first = client.call_text("count.calls", json!({})).await.unwrap();
    assert!(first.starts_with("1 (request "), "{first}");
    let second = client.call_text("count.calls", json!({"by": 5})).await.unwrap();
    assert!(second.starts_with("6 (request "), "{second}");
    assert_ne!(first, second, "each call has its own request id");

    // The default client log level is `info`: the debug line is filtered out, the warnings not.
    let recorded =
        client.wait_for(|recorded| recorded.logs.len() >= 2, std::time::Duration::from_secs(5)).await.unwrap();
    assert!(recorded.logs.iter().all(|log| log.level == LoggingLevel::Warning), "{:?}", recorded.logs);

    // After `logging/setLevel debug` the debug line arrives too.
    client.peer().set_level(SetLevelRequestParams::new(LoggingLevel::Debug)).await.unwrap();
    client.call_text("count.calls", json!({})).await.unwrap();
    let recorded = client
        .wait_for(
            |recorded| recorded.logs.iter().any(|log| log.level == LoggingLevel::Debug),
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(recorded.logs.iter().filter(|log| log.level == LoggingLevel::Debug).count(), 1);
}

#[tokio::test]
async fn functions_stay_callable() {
    assert_eq!(shout("a".into()), "A");
    assert_eq!(greeting().await, "hello");
    assert_eq!(rename("a".into(), "b".into()).await, "a -> b");
    assert_eq!(parse_point("3,4".into()).await.unwrap().y, 4.0);
    let counter = State(Arc::new(Counter::default()));
    assert!(count_calls_total(counter.clone()) == 0);
}

#[tokio::test]
async fn functions_that_take_a_context_stay_callable_with_a_test_context() {
    let counter = State(Arc::new(Counter::default()));
    let (ctx, record) = mcp_runtime::testing::context();
    assert_eq!(count_calls(counter.clone(), ctx, Some(2)).await, "2 (request 1)");
    // The client's default level is `info`: the debug line is not sent, the warning is.
    let logs = record.logs();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].level, LoggingLevel::Warning);
    assert_eq!(logs[0].data, json!("total is now 2"));
    assert_eq!(logs[0].logger.as_deref(), Some("test"));

    let (ctx, record) = mcp_runtime::testing::TestContext::new().log_level(LogLevel::Debug).build().unwrap();
    count_calls(counter, ctx, None).await;
    let levels: Vec<LoggingLevel> = record.logs().iter().map(|log| log.level).collect();
    assert_eq!(levels, [LoggingLevel::Debug, LoggingLevel::Warning]);
}

#[tokio::test]
async fn unknown_tools_are_protocol_errors() {
    match client().await.call_tool("missing", json!({})).await {
        Err(TestError::Service(rmcp::ServiceError::McpError(error))) => {
            assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
            assert!(error.message.starts_with("unknown tool `missing`; available tools: answer, block, check_name"));
        }
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

mod first {
    use mcp_runtime::prelude::*;
    /// One definition.
    #[mcp_tool(name = "same")]
    pub async fn one() {}
}

mod second {
    use mcp_runtime::prelude::*;
    /// Another definition with the same name.
    #[mcp_tool(name = "same")]
    pub async fn two() {}
}

#[test]
fn duplicate_names_are_refused_naming_both_definitions() {
    let error = Server::new("dup", "1").register(handlers![first::one, second::two]).build().err().unwrap();
    assert_eq!(error.problems().len(), 1);
    let problem = &error.problems()[0];
    assert!(
        problem.starts_with("duplicate tool name `same`: defined by `tool_forms::first::one` at tests/tool_forms.rs:"),
        "{problem}"
    );
    assert!(problem.contains("and by `tool_forms::second::two` at tests/tool_forms.rs:"), "{problem}");
    // The same function registered twice is not a conflict.
    assert!(Server::new("once", "1").register(handlers![first::one, first::one]).build().is_ok());
}

#[test]
fn missing_state_is_refused_at_start_up() {
    let error = Server::new("no-state", "1").register(handlers![count_calls]).build().err().unwrap();
    assert_eq!(
        error.problems(),
        [format!(
            "tool `count.calls` (`tool_forms::count_calls` at tests/tool_forms.rs:{}): no state of type `tool_forms::Counter` was given: call `Server::state(..)` with one",
            line_of("async fn count_calls")
        )]
    );
}

fn line_of(needle: &str) -> usize {
    include_str!("tool_forms.rs").lines().position(|line| line.contains(needle)).unwrap() + 1
}

#[tokio::test]
async fn lists_are_paginated_with_opaque_cursors() {
    let client = TestClient::connect(server().page_size(5)).await.unwrap();
    let first = client.peer().list_tools(None).await.unwrap();
    assert_eq!(first.tools.len(), 5);
    let cursor = first.next_cursor.clone().expect("a next page");
    let second = client
        .peer()
        .list_tools(Some(rmcp::model::PaginatedRequestParams::default().with_cursor(Some(cursor))))
        .await
        .unwrap();
    assert_eq!(second.tools[0].name, "explode", "the page after `custom`, the fifth tool by name");
    // rmcp's `list_all_tools` follows the cursors: every tool arrives exactly once.
    let all = client.list_tools().await.unwrap();
    let mut names: Vec<String> = all.iter().map(|tool| tool.name.to_string()).collect();
    names.dedup();
    assert_eq!(names.len(), 16);

    let forged = client
        .peer()
        .list_tools(Some(rmcp::model::PaginatedRequestParams::default().with_cursor(Some("bm9wZQ".into()))))
        .await;
    match forged {
        Err(rmcp::ServiceError::McpError(error)) => {
            assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
            assert!(error.message.starts_with("invalid cursor `bm9wZQ` for tools"), "{error:?}");
        }
        other => panic!("expected -32602, got {other:?}"),
    }
}
