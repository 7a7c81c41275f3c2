//! Constraints on arguments that arrive as strings (prompt arguments, URI variables), declared
//! with schemars attributes (`#[schemars(range(max = 10))]`, `length`, `regex`, `email`, ...):
//! a hidden struct of just the constrained parameters derives their schema, which the runtime
//! compiles into a validator once and checks every call against.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, LitStr};

use crate::{
    parameter_attrs::is_constraint,
    signature::{Signature, Source},
};

/// `.constraints(...)` for the definition, with the struct it describes; nothing when no
/// parameter declares a constraint. `kept` are the attributes to copy beside the constraints
/// (a prompt argument's `#[serde(rename)]`, which names the property as clients send it).
pub(super) fn constraints_tokens(
    signature: &Signature,
    kept: impl Fn(&Attribute) -> bool,
    schemars_crate: &LitStr,
) -> Option<(TokenStream, TokenStream)> {
    let fields: Vec<TokenStream> = signature
        .params
        .iter()
        .filter_map(|param| match &param.source {
            Source::Argument { name, attrs, .. } if attrs.iter().any(is_constraint) => {
                let ty = &param.ty;
                let attrs = attrs.iter().filter(|attr| is_constraint(attr) || kept(attr));
                Some(quote!(#(#attrs)* #name: #ty))
            }
            _ => None,
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let declaration = quote! {
        #[derive(__mcp::schemars::JsonSchema)]
        #[schemars(crate = #schemars_crate)]
        #[allow(dead_code)]
        struct __Constraints { #(#fields,)* }
    };
    Some((declaration, quote!(.constraints(__mcp::constraint_schema::<__Constraints>))))
}
