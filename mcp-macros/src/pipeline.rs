//! The phases every handler macro runs through, in order: parse the attribute and the
//! function, check them, put them together into a `Handler`, check that, then expand it; or, if
//! any check failed, fall back to code that reports every error and disturbs nothing else.

use proc_macro2::TokenStream;
use syn::ItemFn;

use crate::{
    attr::{self, Macro},
    check, docs,
    errors::Errors,
    expand, fallback,
    model::Handler,
    signature::Signature,
};

/// Expands `#[mcp_tool(args)]` (or the prompt or resource macro) on `input`.
pub(crate) fn expand(which: Macro, args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let attr = attr::parse(which, args, &mut errors);
    check::attribute(&attr, &mut errors);
    let Ok(mut function) = syn::parse2::<ItemFn>(input.clone()) else {
        return fallback::not_a_function(which, errors, input);
    };
    check::function(&function, &mut errors);
    let signature = Signature::read(&mut function);
    // A tool's parameters are its schema; many of them is normal, and `Args<T>` is there for
    // those who prefer a struct.
    function.attrs.push(syn::parse_quote!(#[allow(clippy::too_many_arguments)]));
    let handler = Handler::new(attr, signature, docs::doc_text(&function.attrs));
    check::handler(&handler, &mut errors);
    if errors.is_empty() {
        expand::handler(&handler, &function)
    } else {
        fallback::handler(errors, &handler, &function)
    }
}
