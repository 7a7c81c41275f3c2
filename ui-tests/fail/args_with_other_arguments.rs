use mcp_runtime::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Page {
    page: u32,
}

/// List items.
#[mcp_tool]
async fn list(Args(page): Args<Page>, filter: String) -> String {
    format!("{} {filter}", page.page)
}

fn main() {}
