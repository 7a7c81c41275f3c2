//! What the macros read from a parameter's attributes: which of them are theirs to take off
//! the function, a prompt argument's wire name, and which declare constraints.

use syn::{Attribute, LitStr};

/// What one attribute of a parameter is to the macros.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamAttr {
    /// `///`: the argument's description.
    Doc,
    /// `#[serde(...)]` or `#[schemars(...)]`: copied onto the generated argument types.
    SerdeOrSchemars,
    /// `#[complete(function)]`: completes the argument's value.
    Complete,
    /// `#[inject]`: the runtime provides the value.
    Inject,
    /// `#[header("Name")]`: a tool argument clients also send as the `Mcp-Param-Name` header.
    Header,
    /// Anything else, which stays on the function.
    Other,
}

impl ParamAttr {
    pub(crate) fn of(attr: &Attribute) -> Self {
        let path = attr.path();
        if crate::docs::is_doc(attr) {
            ParamAttr::Doc
        } else if path.is_ident("serde") || path.is_ident("schemars") {
            ParamAttr::SerdeOrSchemars
        } else if path.is_ident("complete") {
            ParamAttr::Complete
        } else if path.is_ident("inject") {
            ParamAttr::Inject
        } else if path.is_ident("header") {
            ParamAttr::Header
        } else {
            ParamAttr::Other
        }
    }
}

/// Whether an attribute is one of schemars', the only kind that declares a constraint.
pub(crate) fn is_constraint(attr: &Attribute) -> bool {
    attr.path().is_ident("schemars")
}

/// The wire name from `#[serde(rename = "...")]`, the one serde attribute a prompt argument
/// takes: MCP clients often expect camelCase names that a Rust parameter cannot carry.
pub(crate) fn serde_rename(attr: &Attribute) -> Option<LitStr> {
    if !attr.path().is_ident("serde") {
        return None;
    }
    let name_value: syn::MetaNameValue = attr.parse_args().ok()?;
    if !name_value.path.is_ident("rename") {
        return None;
    }
    match name_value.value {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. }) => Some(name),
        _ => None,
    }
}
