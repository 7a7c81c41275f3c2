//! The benchmark server written with this framework: the two tools every comparator serves (see
//! BENCHMARKS.md and `scripts/bench/`), and nothing else, so the numbers measure the framework and
//! not the tools.
//!
//! ```text
//! cargo build --release --features bench --example bench_ours
//! target/release/examples/bench_ours --transport http --port 0 [--stateless]
//! ```

use mcp_runtime::prelude::*;

/// Add two integers.
#[mcp_tool(read_only, idempotent)]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> i64 {
    // Wrapping rather than checked: the comparators do not check either, and the load never overflows.
    a.wrapping_add(b)
}

/// Echo a text back.
#[mcp_tool(read_only, idempotent)]
async fn echo(
    /// The text to echo.
    text: String,
) -> String {
    text
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    Server::new("bench-ours", env!("CARGO_PKG_VERSION")).register(handlers![add, echo]).run().await
}
