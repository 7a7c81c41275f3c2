use mcp_runtime::prelude::*;

struct Report {
    lines: usize,
}

/// Make a report.
#[mcp_tool]
async fn report() -> Report {
    Report { lines: 0 }
}

fn main() {}
