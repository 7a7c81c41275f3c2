use mcp_runtime::prelude::*;

struct Point {
    x: f64,
}

/// Move to a point.
#[mcp_tool]
async fn move_to(point: Point) -> String {
    point.x.to_string()
}

fn main() {}
