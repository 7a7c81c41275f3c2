use mcp_runtime::prelude::*;

/// Add two numbers.
///
/// # Arguments
///
/// * `a` - The first addend.
/// * `c` - A parameter that was renamed.
#[mcp_tool]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {}
