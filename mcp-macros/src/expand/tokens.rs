//! Small pieces of generated code the kinds share: optional strings, scopes, completions, and
//! the runtime's path as serde's and schemars' `crate = "..."` want it.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{LitStr, Path, Type};

use crate::attr::ScopeExpr;

/// `Some("text")` or `None`.
pub(super) fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// The scopes as a `&'static [&'static str]`.
pub(super) fn scopes(scopes: &[ScopeExpr]) -> TokenStream {
    let scope_items = scopes.iter().map(|scope| match scope {
        ScopeExpr::Literal(text) => quote!(#text),
        ScopeExpr::Typed(variant) => quote!((#variant).as_str()),
    });
    // A const item, because `Scope::X.as_str()` is not promoted to a `'static` borrow on its own.
    quote!({ const SCOPES: &[&str] = &[#(#scope_items),*]; SCOPES })
}

/// `.complete("name", ...)`: the named function, else the type's own values (string enums).
pub(super) fn completion(name: &LitStr, ty: &Type, function: Option<&Path>) -> TokenStream {
    match function {
        Some(function) => quote!(.complete(#name, ::core::option::Option::Some(__mcp::Completer::custom(#function)))),
        None => quote!(.complete(#name, (&&__mcp::AutoComplete::<#ty>::new()).completer())),
    }
}

/// `"::mcp_runtime::__private::serde"`, for serde's `crate = "..."`.
pub(super) fn serde_crate(krate: &Path) -> LitStr {
    private_crate(krate, "serde")
}

/// `"::mcp_runtime::__private::schemars"`, for schemars' `crate = "..."`.
pub(super) fn schemars_crate(krate: &Path) -> LitStr {
    private_crate(krate, "schemars")
}

fn private_crate(krate: &Path, name: &str) -> LitStr {
    let text = quote!(#krate).to_string().replace(' ', "");
    LitStr::new(&format!("{text}::__private::{name}"), Span::call_site())
}
