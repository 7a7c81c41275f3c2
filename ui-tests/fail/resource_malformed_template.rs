use mcp_runtime::prelude::*;

/// A user's profile.
#[mcp_resource(uri = "users://{id/profile")]
async fn profile(id: u64) -> String {
    id.to_string()
}

/// The same variable twice.
#[mcp_resource(uri = "pairs://{id}/{id}")]
async fn pair(id: u64) -> String {
    id.to_string()
}

fn main() {}
