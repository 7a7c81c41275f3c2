use mcp_runtime::prelude::*;

async fn names(prefix: String) -> Vec<String> {
    vec![prefix]
}

/// Greet someone.
#[mcp_tool]
async fn greet(#[complete(names)] name: String) -> String {
    format!("hello, {name}")
}

fn main() {}
