use mcp_runtime::prelude::*;

/// Add a pair.
#[mcp_tool]
async fn add_pair((a, b): (i64, i64)) -> i64 {
    a + b
}

fn main() {}
