//! The scopes the tools and prompts require, declared once: a misspelt scope does not compile,
//! and the server takes the hierarchy (`files:write` implies `files:read`) from here.

use mcp_runtime::auth::Scopes;

#[derive(Scopes)]
pub enum Scope {
    /// Read, list and search the project's files.
    #[scope("files:read")]
    FilesRead,
    /// Write and edit files, and read them.
    #[scope("files:write", implies = [FilesRead])]
    FilesWrite,
    /// List and run the allow-listed tasks.
    #[scope("tasks:run")]
    TasksRun,
}
