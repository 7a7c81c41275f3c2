use mcp_runtime::prelude::*;

/// Application settings.
#[mcp_resource(uri = "just some text")]
async fn settings() -> String {
    String::new()
}

/// One user's profile: a template's literal text still starts with a scheme.
#[mcp_resource(uri = "users/{id}")]
async fn profile(id: u64) -> String {
    id.to_string()
}

/// A scheme may not contain `_`.
#[mcp_resource(uri = "my_app://state")]
async fn state() -> String {
    String::new()
}

fn main() {}
