use mcp_runtime::prelude::*;

#[derive(serde::Deserialize)]
struct Point {
    x: f64,
}

/// Move to a point.
#[mcp_tool]
async fn move_to(point: Point) -> String {
    point.x.to_string()
}

/// Move to a point given as the whole argument object.
#[mcp_tool]
async fn move_whole(Args(point): Args<Point>) -> String {
    point.x.to_string()
}

fn main() {}
