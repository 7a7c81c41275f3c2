use mcp_runtime::prelude::*;

/// A count.
#[mcp_resource(uri = "stats://count")]
async fn count() -> u64 {
    3
}

fn main() {}
