use mcp_runtime::Scopes;

#[derive(Scopes)]
enum Scope {
    #[scope("files read")]
    FilesRead,
    #[scope("files:write", implies = [FileRead])]
    FilesWrite,
    Admin,
}

fn main() {}
