//! Every rule a handler must follow, one function each, grouped by what they look at. The
//! functions here run them in the order their errors are reported, which is the order of the
//! source: the attribute, then the function, then what the two say together.
//!
//! A rule reports and carries on, so the user sees every mistake at once; the pipeline expands
//! only a handler that broke none.

mod attribute;
mod common;
mod function;
pub(crate) mod names;
mod prompt;
mod resource;
mod tool;

use syn::ItemFn;

use crate::{
    attr::{Attr, KindAttr},
    errors::Errors,
    model::{Handler, Kind},
};

/// The rules on the attribute's values, checked as soon as it is parsed.
pub(crate) fn attribute(attr: &Attr, errors: &mut Errors) {
    if let KindAttr::Tool(tool) = &attr.kind {
        attribute::read_only_is_not_destructive(tool, errors);
    }
    attribute::name_is_valid(&attr.common, errors);
    attribute::scopes_are_tokens(&attr.common, errors);
    if let KindAttr::Resource(resource) = &attr.kind {
        attribute::audience_is_a_role(resource, errors);
        attribute::priority_is_a_fraction(resource, errors);
        attribute::size_is_a_byte_count(resource, errors);
        attribute::mime_type_is_a_media_type(resource, errors);
    }
    attribute::description_is_not_empty(&attr.common, errors);
}

/// The rules on the function as written, before the macros take their attributes off it.
pub(crate) fn function(function: &ItemFn, errors: &mut Errors) {
    function::all(function, errors);
}

/// The rules on the handler as a whole, then those of its kind.
pub(crate) fn handler(handler: &Handler, errors: &mut Errors) {
    common::arguments_section_names_parameters(handler, errors);
    common::has_a_description(handler, errors);
    common::tool_name_of_function_is_valid(handler, errors);
    let params = &handler.signature.params;
    match &handler.kind {
        Kind::Tool(_) => params.iter().for_each(|param| tool::no_completions(param, errors)),
        Kind::Prompt(_) => {
            for param in params {
                common::headers_only_on_tools(param, "a prompt argument", errors);
                prompt::no_whole_args(param, errors);
                prompt::only_rename_and_constraints(param, errors);
            }
        }
        Kind::Resource(resource) => {
            params.iter().for_each(|param| common::headers_only_on_tools(param, "a resource's variable", errors));
            resource::all(resource, &handler.signature, errors);
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::{attr::Macro, pipeline::expand};

    /// The messages of the errors the macro reports, in order.
    fn errors(which: Macro, args: TokenStream, function: TokenStream) -> Vec<String> {
        let file: syn::File = syn::parse2(expand(which, args, function)).unwrap();
        file.items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Macro(call)
                    if call.mac.path.segments.last().is_some_and(|last| last.ident == "compile_error") =>
                {
                    Some(syn::parse2::<syn::LitStr>(call.mac.tokens.clone()).unwrap().value())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_arguments_section_may_name_only_parameters() {
        let errors = errors(
            Macro::Tool,
            quote!(),
            quote! {
                /// Sum.
                ///
                /// # Arguments
                ///
                /// * `a` - ignored
                /// * `b` - From the section.
                /// * `ctx` - injected, and documented all the same
                /// * `c` - ?
                async fn f(/// Own doc.
                a: i64, b: i64, ctx: Context) {}
            },
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("describes `c`"), "{errors:?}");
    }

    #[test]
    fn every_kind_needs_a_description() {
        let function = quote!(
            async fn undocumented() {}
        );
        let tool = errors(Macro::Tool, quote!(), function.clone());
        assert!(tool[0].starts_with("tool `undocumented` has no description"), "{tool:?}");
        let prompt = errors(Macro::Prompt, quote!(), function.clone());
        assert!(prompt[0].starts_with("prompt `undocumented` has no description"), "{prompt:?}");
        let resource = errors(Macro::Resource, quote!(uri = "a://b"), function);
        assert!(resource[0].starts_with("resource `undocumented` has no description"), "{resource:?}");
        // A doc comment that is only an `# Arguments` section describes nothing.
        let section_only = errors(
            Macro::Tool,
            quote!(),
            quote! {
                /// # Arguments
                /// * `a` - a number
                async fn f(a: i64) {}
            },
        );
        assert_eq!(section_only.len(), 1, "{section_only:?}");
        assert!(section_only[0].contains("has no description"), "{section_only:?}");
    }

    #[test]
    fn a_tool_named_after_its_function_needs_a_valid_name() {
        let derived = errors(
            Macro::Tool,
            quote!(),
            quote!(
                /// Naïve.
                async fn naïve() {}
            ),
        );
        assert_eq!(derived.len(), 1, "{derived:?}");
        assert!(derived[0].ends_with("; choose another with `name = \"...\"`"), "{derived:?}");
        let renamed = errors(
            Macro::Tool,
            quote!(name = "naive"),
            quote!(
                /// Naïve.
                async fn naïve() {}
            ),
        );
        assert!(renamed.is_empty(), "{renamed:?}");
    }

    #[test]
    fn errors_come_in_source_order_attribute_then_function_then_handler() {
        let errors = errors(
            Macro::Prompt,
            quote!(read_only, name = "a b"),
            quote! {
                async fn f<T>(Args(a): Args<A>) -> String { String::new() }
            },
        );
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors[0].starts_with("`read_only` does not apply"), "{errors:?}");
        assert!(errors[1].starts_with("a tool name may use only"), "{errors:?}");
        assert!(errors[2].starts_with("an MCP handler cannot be generic"), "{errors:?}");
        assert!(errors[3].starts_with("prompt `f` has no description"), "{errors:?}");
        assert!(errors[4].contains("`Args<T>` is for tools"), "{errors:?}");
    }
}
