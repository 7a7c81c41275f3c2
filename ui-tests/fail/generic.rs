use mcp_runtime::prelude::*;

/// Echo any value.
#[mcp_tool]
async fn echo<T: serde::de::DeserializeOwned>(value: T) -> String {
    let _ = value;
    String::new()
}

fn main() {}
