use mcp_runtime::prelude::*;

/// Greet someone.
#[mcp_tool]
async fn greet(name: &str, tags: &[String]) -> String {
    format!("hello, {name} {tags:?}")
}

fn main() {}
