use mcp_runtime::prelude::*;

/// Add two numbers.
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {
    let _ = Server::new("demo", "1.0.0").register(handlers![add]);
}
