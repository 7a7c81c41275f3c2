use mcp_runtime::auth::Scopes;

#[derive(Scopes)]
enum Scope {
    #[scope("files read")]
    FilesRead,
    #[scope("files:write", implies = [FileRead])]
    FilesWrite,
    Admin,
}

fn main() {}
