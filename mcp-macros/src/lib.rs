//! Attribute macros that turn ordinary functions into MCP handlers. Use them through
//! `mcp_runtime`, which re-exports them and documents them in full.

mod arguments;
mod attr;
mod constraints;
mod docs;
mod errors;
mod mime;
mod prompt;
mod resource;
mod scopes;
mod signature;
mod tool;
mod uri;

use proc_macro::TokenStream;

/// Turns a function into an MCP tool; see `mcp_runtime::mcp_tool`.
#[proc_macro_attribute]
pub fn mcp_tool(args: TokenStream, input: TokenStream) -> TokenStream {
    tool::expand(args.into(), input.into()).into()
}

/// Turns a function into an MCP prompt; see `mcp_runtime::mcp_prompt`.
#[proc_macro_attribute]
pub fn mcp_prompt(args: TokenStream, input: TokenStream) -> TokenStream {
    tool::expand_kind(attr::Kind::Prompt, args.into(), input.into()).into()
}

/// Turns a function into an MCP resource; see `mcp_runtime::mcp_resource`.
#[proc_macro_attribute]
pub fn mcp_resource(args: TokenStream, input: TokenStream) -> TokenStream {
    tool::expand_kind(attr::Kind::Resource, args.into(), input.into()).into()
}

/// Declares an enum of OAuth scopes; see `mcp_runtime::Scopes`.
#[proc_macro_derive(Scopes, attributes(scope, scopes))]
pub fn derive_scopes(input: TokenStream) -> TokenStream {
    scopes::expand(input.into()).into()
}
