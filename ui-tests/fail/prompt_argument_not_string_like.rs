use mcp_runtime::prelude::*;

/// Review several files.
#[mcp_prompt]
async fn review(files: Vec<String>) -> String {
    files.join(", ")
}

fn main() {}
