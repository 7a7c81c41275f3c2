use mcp_runtime::prelude::*;

/// A prompt that returns a number.
#[mcp_prompt]
async fn count() -> u32 {
    3
}

fn main() {}
