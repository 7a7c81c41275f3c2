use mcp_runtime::prelude::*;

struct Point {
    x: f64,
}

/// Move to a point: one error for each missing derive.
#[mcp_tool]
async fn move_to(point: Point) -> String {
    point.x.to_string()
}

fn main() {}
