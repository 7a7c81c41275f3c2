use mcp_runtime::prelude::*;

/// Several users.
#[mcp_resource(uri = "users://{ids}")]
async fn users(ids: Vec<u64>) -> String {
    format!("{ids:?}")
}

fn main() {}
