use mcp_runtime::prelude::*;

/// Fetch a page.
#[mcp_tool(timeout = "30 days")]
async fn fetch(url: String) -> String {
    url
}

/// Fetch a page, but never.
#[mcp_tool(timeout = "0s")]
async fn fetch_never(url: String) -> String {
    url
}

/// Fetch a page.
#[mcp_tool(timeout = 30)]
async fn fetch_number(url: String) -> String {
    url
}

/// Summarise a page.
#[mcp_prompt(timeout = "30s")]
async fn summarise(url: String) -> String {
    url
}

fn main() {}

/// Search, never.
#[mcp_tool(max_concurrency = 0)]
async fn search(query: String) -> String {
    query
}

/// Search, a few at a time.
#[mcp_tool(max_concurrency = "4")]
async fn search_quoted(query: String) -> String {
    query
}
