use mcp_runtime::prelude::*;

#[mcp_tool]
async fn undocumented(a: i64) -> i64 {
    a
}

fn main() {}
