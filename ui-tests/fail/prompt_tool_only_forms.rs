use mcp_runtime::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Options {
    depth: u8,
}

/// Review with options.
#[mcp_prompt(read_only)]
async fn review(Args(options): Args<Options>) -> String {
    options.depth.to_string()
}

fn main() {}
