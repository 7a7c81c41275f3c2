// The runtime under another name: `crate = path` tells the macro where to find it.
use mcp_runtime as rt;

/// Add two numbers.
#[rt::mcp_tool(crate = rt)]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {
    let _server = rt::Server::new("demo", "1.0.0").register(rt::handlers![add]);
}
