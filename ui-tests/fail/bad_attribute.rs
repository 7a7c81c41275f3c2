use mcp_runtime::prelude::*;

/// Read a value.
#[mcp_tool(readonly, idempotent, idempotent, scope = "kv:read", title = 3)]
async fn read_value(key: String) -> String {
    key
}

fn main() {}
