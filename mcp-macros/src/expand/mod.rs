//! Code for a handler that passed every check: the function as written (less the attributes the
//! macros took off it), its hidden type with the typed handles, and the registration block of
//! its kind. Each kind's file says only what differs: its definition and the items it needs.

mod arguments;
mod call;
mod constraints;
pub(crate) mod handle;
mod prompt;
mod registration;
mod resource;
mod tokens;
mod tool;

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::model::{Handler, Kind};

/// The function, its hidden type and its registration.
pub(crate) fn handler(handler: &Handler, function: &ItemFn) -> TokenStream {
    let declaration = handle::declaration(handler, &function.vis);
    let registration = match &handler.kind {
        Kind::Tool(tool) => tool::registration(handler, tool),
        Kind::Prompt(_) => prompt::registration(handler),
        Kind::Resource(resource) => resource::registration(handler, resource),
    };
    let registration = registration::block(handler, registration);
    quote! {
        #function
        #declaration
        #registration
    }
}
