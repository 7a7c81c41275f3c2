use mcp_runtime::prelude::*;

/// Look something up.
#[mcp_tool(name = "look up")]
async fn lookup(key: String) -> String {
    key
}

fn main() {}
