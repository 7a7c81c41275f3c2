use mcp_runtime::prelude::*;

/// Delete everything.
#[mcp_tool(read_only, destructive)]
async fn wipe() {}

fn main() {}
