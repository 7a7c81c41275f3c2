//! The block every kind registers its handler with: inside an anonymous `const`, so nothing it
//! declares can clash with the user's names, an `impl Handler` for the function's hidden type that
//! pushes the kind's definition, and an `inventory` entry so the start-up check can tell which
//! annotated functions were left out of every `handlers![...]`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Handler;

/// What a kind puts into the block.
pub(super) struct Registration {
    /// The autoref-specialisation traits the definition's calls need in scope.
    pub(super) traits: TokenStream,
    /// Items the definition refers to (argument structs, constraints, helper functions).
    pub(super) items: TokenStream,
    /// The `Handlers` method that takes the definition: `push_tool`, ...
    pub(super) push: TokenStream,
    /// The definition, with its chained settings.
    pub(super) definition: TokenStream,
}

pub(super) fn block(handler: &Handler, registration: Registration) -> TokenStream {
    let Registration { traits, items, push, definition } = registration;
    let ident = &handler.signature.ident;
    let krate = &handler.common.krate;
    quote! {
        const _: () = {
            use #krate::__private as __mcp;
            use __mcp::{#traits};

            #items

            impl __mcp::Handler for #ident {
                fn add_to(__handlers: &mut __mcp::Handlers) {
                    __handlers.#push(#definition);
                }
            }

            __mcp::inventory::submit! { __mcp::Discovered(<#ident as __mcp::Handler>::add_to) }
        };
    }
}
