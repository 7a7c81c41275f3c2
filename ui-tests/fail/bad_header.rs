use mcp_runtime::prelude::*;

/// Lists the instances of a region.
#[mcp_tool]
async fn instances(
    /// The region.
    #[header("Cloud Region")]
    region: String,
    /// The zone.
    #[header("Zone")]
    zone: String,
    /// The zone again, by another name.
    #[header("zone")]
    availability_zone: String,
    #[header("Caller")] ctx: Context,
) -> String {
    let _ = ctx;
    format!("{region} {zone} {availability_zone}")
}

/// Greets someone.
#[mcp_prompt]
async fn greeting(
    /// Who to greet.
    #[header("Name")]
    name: String,
) -> String {
    format!("Hello, {name}")
}

fn main() {}
