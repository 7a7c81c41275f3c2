use mcp_runtime::{auth::Scopes, prelude::*};

#[derive(Scopes)]
enum Scope {
    #[scope("files:write")]
    FilesWrite,
}

/// Write a file.
#[mcp_tool(scopes = [Scope::FilesWrit])]
async fn write_file() {}

fn main() {}
