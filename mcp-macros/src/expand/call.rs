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
/// checked at start-up), `unwrap` making the `Result` of its extraction the value or the
/// return of the error; any other is `pass`ed, with the name to bind its value to. Values are
/// named `{prefix}{index}`.
pub(super) fn call_arguments(
    signature: &Signature,
    prefix: &str,
    unwrap: impl Fn(TokenStream) -> TokenStream,
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
                let injected = unwrap(quote_spanned!(span=> __mcp::inject::<#ty>(&__context)));
                Passed::Bound(quote_spanned!(span=> let #value = #injected;))
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

/// The call of the user's function, awaited; an async one's future with its `Send` check.
pub(super) fn call(signature: &Signature, arguments: &[TokenStream]) -> TokenStream {
    let future = future(signature, arguments);
    if signature.is_async {
        quote_spanned!(signature.ident.span()=> __mcp::tool_future_must_be_send(#future).await)
    } else {
        quote_spanned!(signature.ident.span()=> #future.await)
    }
}

/// The future of the user's function: its own when async; on the blocking pool when not, since
/// a synchronous body may block and would stall an async worker.
pub(super) fn future(signature: &Signature, arguments: &[TokenStream]) -> TokenStream {
    let ident = &signature.ident;
    if signature.is_async {
        quote_spanned!(ident.span()=> #ident(#(#arguments),*))
    } else if arguments.is_empty() {
        // The function itself, not `|| f()`, which clippy calls a redundant closure.
        quote_spanned!(ident.span()=> __mcp::run_blocking(#ident))
    } else {
        quote_spanned!(ident.span()=> __mcp::run_blocking(move || #ident(#(#arguments),*)))
    }
}

/// Makes an extraction's `Result` its value inside an `async` block that returns a `Result`.
pub(super) fn question_mark(result: TokenStream) -> TokenStream {
    quote!(#result?)
}

/// Where the function is, for messages that name both sides of a conflict.
pub(super) fn location(ident: &Ident) -> TokenStream {
    let function_name = unraw(ident);
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote!(__mcp::Location { file: ::core::file!(), line: #line, module: ::core::module_path!(), function: #function_name })
}
