use mcp_runtime::prelude::*;

/// A user's profile.
#[mcp_resource(uri = "users://{id}/profile")]
async fn profile(id: u64, verbose: bool) -> String {
    format!("{id} {verbose}")
}

fn main() {}
