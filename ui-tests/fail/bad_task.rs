use mcp_runtime::prelude::*;

/// Build the project; may take minutes.
#[mcp_tool(task = "always")]
async fn build() -> String {
    "built".to_owned()
}

/// Build the project, never as a task.
#[mcp_tool(task = "forbidden")]
async fn build_now() -> String {
    "built".to_owned()
}

/// Build the project.
#[mcp_tool(task = true)]
async fn build_flag() -> String {
    "built".to_owned()
}

/// Summarise the build log.
#[mcp_prompt(task = "optional")]
async fn summarise(log: String) -> String {
    log
}

fn main() {}
