use mcp_runtime::prelude::*;

#[derive(Debug)]
struct Failure;

/// Try something.
#[mcp_tool]
async fn attempt() -> Result<String, Failure> {
    Err(Failure)
}

fn main() {}
