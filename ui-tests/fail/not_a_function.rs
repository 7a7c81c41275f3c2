use mcp_runtime::prelude::*;

/// Not a function.
#[mcp_tool]
struct Settings {
    verbose: bool,
}

fn main() {}
