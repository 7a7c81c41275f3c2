use mcp_runtime::prelude::*;

/// Application settings.
#[mcp_resource(uri = "config://app", mime_type = "not a mime")]
async fn settings() -> String {
    String::new()
}

/// A parameter needs a value.
#[mcp_resource(uri = "notes://latest", mime_type = "text/plain; charset")]
async fn latest() -> String {
    String::new()
}

fn main() {}
