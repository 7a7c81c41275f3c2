//! What a macro emits when the input has errors: the errors, and as much of the expansion as
//! keeps the rest of the user's crate compiling, so the errors shown are the ones to fix (after
//! thiserror's `fallback`). The function stays, so its callers compile; its hidden type stays,
//! with its handles and a `Handler` impl that registers nothing, so `handlers![f]` and `f::NAME`
//! elsewhere add no errors of their own.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ItemFn;

use crate::{attr::Macro, errors::Errors, expand::handle, model::Handler};

/// The input is not a function: the errors, and the input as it was.
pub(crate) fn not_a_function(which: Macro, mut errors: Errors, input: TokenStream) -> TokenStream {
    errors.at_span(
        Span::call_site(),
        format!("`{}` goes on a function: `async fn name(...) -> ... {{ ... }}`", which.attribute()),
    );
    let compile_errors = errors.into_compile_errors();
    quote!(#compile_errors #input)
}

/// A function with errors: the errors, the function, and a hidden type that does nothing.
pub(crate) fn handler(errors: Errors, handler: &Handler, function: &ItemFn) -> TokenStream {
    let compile_errors = errors.into_compile_errors();
    if function.sig.receiver().is_some() {
        // A method sits in an `impl` block, where the hidden type could not go.
        return quote!(#compile_errors #function);
    }
    let declaration = handle::declaration(handler, &function.vis);
    let ident = &function.sig.ident;
    let krate = &handler.common.krate;
    quote! {
        #compile_errors
        #function
        #declaration
        impl #krate::__private::Handler for #ident {
            fn add_to(_: &mut #krate::__private::Handlers) {}
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use crate::{attr::Macro, pipeline::expand};

    #[test]
    fn errors_keep_the_function_and_a_do_nothing_handler() {
        let text = expand(
            Macro::Tool,
            quote!(nme = "x"),
            quote!(
                async fn f() {}
            ),
        )
        .to_string();
        assert!(text.contains("compile_error"), "{text}");
        assert!(text.contains("async fn f () { }"), "{text}");
        assert!(text.contains("fn add_to (_ : & mut :: mcp_runtime :: __private :: Handlers) { }"), "{text}");
        // The handles stay too, so code naming them adds no errors.
        assert!(text.contains("const NAME : & 'static str = \"f\""), "{text}");
    }

    #[test]
    fn a_resource_with_errors_keeps_its_uri_handle() {
        let text = expand(
            Macro::Resource,
            quote!(uri = "notes://latest"),
            quote!(
                async fn undocumented() {}
            ),
        )
        .to_string();
        assert!(text.contains("has no description"), "{text}");
        assert!(text.contains("const URI : & 'static str = \"notes://latest\""), "{text}");
        let text = expand(
            Macro::Resource,
            quote!(uri = "notes://{id"),
            quote!(
                /// Doc.
                async fn note(id: u8) {}
            ),
        )
        .to_string();
        assert!(text.contains("without a matching"), "{text}");
        assert!(text.contains("const URI_TEMPLATE : & 'static str = \"notes://{id\""), "{text}");
    }

    #[test]
    fn a_method_with_errors_gets_no_hidden_type() {
        let text = expand(
            Macro::Tool,
            quote!(),
            quote!(
                /// Add.
                async fn add(&self) {}
            ),
        )
        .to_string();
        assert!(text.contains("must be a free function"), "{text}");
        assert!(!text.contains("struct add"), "{text}");
    }

    #[test]
    fn not_a_function_keeps_the_input() {
        let text = expand(
            Macro::Prompt,
            quote!(),
            quote!(
                struct Settings;
            ),
        )
        .to_string();
        assert!(text.contains("`#[mcp_prompt]` goes on a function"), "{text}");
        assert!(text.ends_with("struct Settings ;"), "{text}");
    }
}
