use mcp_runtime::prelude::*;

async fn users() -> Vec<mcp_runtime::resource::Resource> {
    Vec::new()
}

/// Settings.
#[mcp_resource(uri = "config://app", audience = ["robots"], priority = 2.0, list = users)]
async fn settings() -> String {
    String::new()
}

/// A profile.
#[mcp_resource(uri = "users://{id}", size = 10)]
async fn profile(id: u64) -> String {
    id.to_string()
}

fn main() {}
