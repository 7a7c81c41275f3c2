//! The scopes the tools and resources require, declared once: a misspelt scope does not compile,
//! and the server takes the hierarchy (`database:mutate` implies `database:read`) and
//! `scopes_supported` from here.

use mcp_runtime::auth::Scopes;

#[derive(Scopes)]
pub enum Scope {
    /// Read the schema and the data.
    #[scope("database:read")]
    Read,
    /// Change data or schema with `execute`, and read.
    #[scope("database:mutate", implies = [Read])]
    Mutate,
}
