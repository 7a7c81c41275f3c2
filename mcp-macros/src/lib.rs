//! Attribute macros that turn ordinary functions into MCP handlers. Use them through
//! `mcp_runtime`, which re-exports them and documents them in full.
//!
//! Each handler macro runs the same phases (see `pipeline`): `attr` parses the attribute's keys
//! (from one table), `signature` reads the function, `model` puts them together into a
//! `Handler`, `check` holds every rule, and `expand` writes the code (a shared part, then one
//! file per kind), or `fallback` reports the errors without adding others.

mod attr;
mod check;
mod docs;
// The grammar of durations the runtime's `HumanDuration` reads, compiled here from the same
// file so that `timeout = ".."` is checked by the very rules the runtime applies (a proc-macro
// crate cannot depend on the runtime). The macros only parse, so its display goes unused.
#[allow(dead_code)]
#[path = "../../mcp-runtime/src/duration/grammar.rs"]
mod duration_grammar;
mod errors;
mod expand;
mod fallback;
mod mime;
mod model;
mod parameter_attrs;
mod pipeline;
mod scopes;
mod signature;
mod uri;

use proc_macro::TokenStream;

use self::attr::Macro;

/// Turns a function into an MCP tool; see `mcp_runtime::mcp_tool`.
#[proc_macro_attribute]
pub fn mcp_tool(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::expand(Macro::Tool, args.into(), input.into()).into()
}

/// Turns a function into an MCP prompt; see `mcp_runtime::mcp_prompt`.
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::expand(Macro::Prompt, args.into(), input.into()).into()
}

/// Turns a function into an MCP resource; see `mcp_runtime::mcp_resource`.
#[proc_macro_attribute]
pub fn mcp_resource(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::expand(Macro::Resource, args.into(), input.into()).into()
}

/// Declares an enum of OAuth scopes; see `mcp_runtime::auth::Scopes`.
#[proc_macro_derive(Scopes, attributes(scope, scopes))]
pub fn derive_scopes(input: TokenStream) -> TokenStream {
    scopes::expand(input.into()).into()
}
