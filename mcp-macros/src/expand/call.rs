//! The call of the user's function inside the generated callback: each parameter's value (an
//! argument as the kind decodes it, or injected by the runtime), the call itself, and where the
//! function is, for messages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, spanned::Spanned};

use crate::signature::{Param, Signature, Source, unraw};

/// How a kind hands one non-injected parameter to the function.
pub(super) enum Passed {
    /// An expression written straight into the call (a tool's decoded argument).
    Inline(TokenStream),
    /// A statement binding the value's name before the call (a prompt's or resource's).
    Bound(TokenStream),
    /// Not passed (a form the kind refuses, already reported).
    Skipped,
}

/// The statements before the call, the start-up checks of injected types, and the call's
/// arguments.
pub(super) struct CallArguments {
    pub(super) bindings: Vec<TokenStream>,
    pub(super) checks: Vec<TokenStream>,
    pub(super) values: Vec<TokenStream>,
}

/// Goes through the parameters in order: an injected one is extracted from the context (and
/// checked at start-up); any other is `pass`ed, with the name to bind its value to. Values are
/// named `{prefix}{index}`.
pub(super) fn call_arguments(
    signature: &Signature,
    prefix: &str,
    mut pass: impl FnMut(&Param, &Ident) -> Passed,
) -> CallArguments {
    let mut call = CallArguments { bindings: Vec::new(), checks: Vec::new(), values: Vec::new() };
    for (index, param) in signature.params.iter().enumerate() {
        let value = format_ident!("{}{}", prefix, index);
        let passed = match &param.source {
            Source::Injected => {
                let ty = &param.ty;
                let span = ty.span();
                call.checks.push(quote_spanned!(span=> .check(__mcp::check_injected::<#ty>())));
                Passed::Bound(quote_spanned!(span=> let #value = __mcp::inject::<#ty>(&__context)?;))
            }
            Source::Argument { .. } | Source::WholeArgs { .. } => pass(param, &value),
        };
        match passed {
            Passed::Inline(expression) => call.values.push(expression),
            Passed::Bound(statement) => {
                call.bindings.push(statement);
                call.values.push(quote!(#value));
            }
            Passed::Skipped => {}
        }
    }
    call
}

/// The call of the user's function: awaited when async, with its `Send` check; on the blocking
/// pool when not, since a synchronous body may block and would stall an async worker.
pub(super) fn call(signature: &Signature, arguments: &[TokenStream]) -> TokenStream {
    let ident = &signature.ident;
    if signature.is_async {
        quote_spanned!(ident.span()=> __mcp::tool_future_must_be_send(#ident(#(#arguments),*)).await)
    } else if arguments.is_empty() {
        // The function itself, not `|| f()`, which clippy calls a redundant closure.
        quote_spanned!(ident.span()=> __mcp::run_blocking(#ident).await)
    } else {
        quote_spanned!(ident.span()=> __mcp::run_blocking(move || #ident(#(#arguments),*)).await)
    }
}

/// Where the function is, for messages that name both sides of a conflict.
pub(super) fn location(ident: &Ident) -> TokenStream {
    let function_name = unraw(ident);
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote!(__mcp::Location { file: ::core::file!(), line: #line, module: ::core::module_path!(), function: #function_name })
}
