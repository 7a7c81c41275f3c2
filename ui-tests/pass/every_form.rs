// Every supported parameter and return form compiles, and the functions stay callable.
use mcp_runtime::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Filter {
    /// Text to match.
    text: String,
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Found {
    count: usize,
}

struct Db;

/// Plain and optional arguments, with serde and schemars attributes.
#[mcp_tool(name = "find", title = "Find", read_only, idempotent, open_world = false, scopes = ["db:read"])]
async fn find(
    /// What to find.
    query: String,
    /// At most this many.
    #[serde(default)]
    #[schemars(range(max = 100))]
    limit: Option<u32>,
    _db: State<Db>,
    _ctx: Context,
) -> Result<Found, ToolError> {
    Ok(Found { count: query.len() + limit.unwrap_or(0) as usize })
}

/// A whole argument struct.
#[mcp_tool]
async fn filtered(Args(filter): Args<Filter>) -> Json<Found> {
    Json(Found { count: filter.text.len() })
}

/// A synchronous tool.
#[mcp_tool(destructive)]
fn reset() {}

/// Content blocks.
#[mcp_tool]
async fn picture() -> Vec<Content> {
    vec![Content::text("a picture")]
}

/// A full result.
#[mcp_tool]
async fn full() -> CallToolResult {
    CallToolResult::success(vec![])
}

/// Text that may fail.
#[mcp_tool]
async fn maybe(fail: bool) -> Result<&'static str, String> {
    if fail { Err("failed".into()) } else { Ok("fine") }
}

#[tokio::main]
async fn main() {
    assert_eq!(maybe(false).await, Ok("fine"));
    reset();
    let server = Server::new("forms", "1.0.0")
        .state(Db)
        .register(handlers![find, filtered, reset, picture, full, maybe])
        .build()
        .unwrap();
    assert_eq!(server.tool_count(), 6);
}
