use std::rc::Rc;

use mcp_runtime::prelude::*;

/// Count something slowly.
#[mcp_tool]
async fn count() -> String {
    let shared = Rc::new(1);
    tokio::task::yield_now().await;
    shared.to_string()
}

fn main() {}
