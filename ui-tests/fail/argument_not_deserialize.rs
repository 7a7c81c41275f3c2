use mcp_runtime::prelude::*;

#[derive(schemars::JsonSchema)]
struct Point {
    x: f64,
}

/// Move to a point.
#[mcp_tool]
async fn move_to(point: Point) -> String {
    point.x.to_string()
}

/// Follow a path: the derive goes on the type inside the `Vec`.
#[mcp_tool]
async fn follow(path: Vec<Point>, start: Option<Point>) -> String {
    format!("{} {}", path.len(), start.is_some())
}

fn main() {}
