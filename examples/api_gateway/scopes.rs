//! The scopes the tools require, declared once: a misspelt scope does not compile, and the
//! server takes the hierarchy (`items:write` implies `items:read`) and `scopes_supported` from here.

use mcp_runtime::auth::Scopes;

#[derive(Scopes)]
pub enum Scope {
    /// List and read items.
    #[scope("items:read")]
    Read,
    /// Create items, and read them.
    #[scope("items:write", implies = [Read])]
    Write,
}
