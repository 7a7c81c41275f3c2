//! `#[mcp_resource(uri = "...")]`: a fixed URI, or a URI template whose variables are the
//! function's (non-injected) parameters, checked both ways at compile time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{LitStr, Path, spanned::Spanned};

use crate::{
    attr::ToolAttr,
    constraints::{constraints_tokens, is_constraint, schemars_crate},
    errors::Errors,
    signature::{Signature, Source, optional_inner, unraw},
    tool::{call_tokens, location_tokens, option_str, scopes_tokens},
    uri::{self, Part},
};

/// The template's parts, when `uri` is present and well formed; every problem reported.
pub(crate) fn validate(attr: &ToolAttr, signature: &Signature, errors: &mut Errors) -> Option<Vec<Part>> {
    let Some(uri_literal) = &attr.uri else {
        errors.at_span(
            signature.ident.span(),
            "a resource needs its URI: `#[mcp_resource(uri = \"config://app\")]`, or a template such as `\"users://{id}/profile\"`",
        );
        return None;
    };
    if let Err(problem) = uri::check_scheme(&uri_literal.value()) {
        errors.at(uri_literal, problem);
    }
    let parts = match uri::parse(&uri_literal.value()) {
        Ok(parts) => parts,
        Err(problem) => {
            errors.at(uri_literal, problem);
            return None;
        }
    };
    let variables: Vec<&str> = parts.iter().flat_map(Part::variables).collect();
    if let Some(size) = &attr.size
        && !variables.is_empty()
    {
        errors.at(size, "`size` is for a fixed resource; a template's resources each have their own");
    }
    if let Some(list) = &attr.list
        && variables.is_empty()
    {
        errors.at(list, "`list` is for a template, naming a function that lists its concrete resources");
    }
    for param in &signature.params {
        match &param.source {
            Source::WholeArgs { .. } => {
                errors.at(&param.ty, "a resource takes its URI variables one per parameter; `Args<T>` is for tools")
            }
            Source::Argument { name, attrs, .. } => {
                if let Some(attr) = attrs.iter().find(|attr| !is_constraint(attr)) {
                    errors.at(
                        attr,
                        "serde attributes do not apply to URI variables, which are parsed with `FromStr` \
                         (schemars attributes declare constraints: `#[schemars(range(min = 1))]`)",
                    );
                }
                let name = unraw(name);
                if !variables.contains(&name.as_str()) {
                    errors.at(
                        &param.ty,
                        format!(
                            "the parameter `{name}` is not a variable of the URI template `{}`; add `{{{name}}}` to the URI, or make it injected (`#[inject]`)",
                            uri_literal.value()
                        ),
                    );
                }
            }
            Source::Injected => {}
        }
    }
    for variable in &variables {
        let has_parameter = signature
            .params
            .iter()
            .any(|param| matches!(&param.source, Source::Argument { name, .. } if unraw(name) == *variable));
        if !has_parameter {
            errors.at(
                uri_literal,
                format!("the URI variable `{variable}` has no parameter; add `{variable}: String` (or any `FromStr` type) to the function"),
            );
        }
    }
    Some(parts)
}

pub(crate) fn registration(
    attr: &ToolAttr,
    signature: &Signature,
    parts: &[Part],
    name: &str,
    description: &str,
    krate: &Path,
) -> TokenStream {
    let ident = &signature.ident;
    let uri = attr.uri.as_ref().map(LitStr::value).unwrap_or_default();
    let segments = parts.iter().map(|part| match part {
        Part::Literal(text) => quote!(__mcp::Segment::Literal(#text)),
        Part::Simple(name) => quote!(__mcp::Segment::Simple(#name)),
        Part::Reserved(name) => quote!(__mcp::Segment::Reserved(#name)),
        Part::Query(names) => quote!(__mcp::Segment::Query(&[#(#names),*])),
    });
    let mut extractions = Vec::new();
    let mut checks = Vec::new();
    let mut call_arguments = Vec::new();
    let mut completions = Vec::new();
    for (index, param) in signature.params.iter().enumerate() {
        let value = format_ident!("__argument_{}", index);
        match &param.source {
            Source::Argument { name: param_name, complete, .. } => {
                let wire_name = unraw(param_name);
                let (extract, ty) = match optional_inner(&param.ty) {
                    Some(inner) => (quote!(optional), inner),
                    None => (quote!(required), &param.ty),
                };
                let literal = LitStr::new(&wire_name, param_name.span());
                completions.push(crate::tool::completion_tokens(&literal, ty, complete.as_ref()));
                let span = ty.span();
                extractions.push(quote_spanned!(span=> let #value = __variables.#extract::<#ty>(#wire_name)?;));
            }
            Source::Injected => {
                let ty = &param.ty;
                let span = ty.span();
                extractions.push(quote_spanned!(span=> let #value = __mcp::inject::<#ty>(&__context)?;));
                checks.push(quote_spanned!(span=> .check(__mcp::check_injected::<#ty>())));
            }
            Source::WholeArgs { .. } => continue,
        }
        call_arguments.push(quote!(#value));
    }
    let output = &signature.output;
    let output_span = output.span();
    let call = call_tokens(signature, &call_arguments);
    let mime_type = match &attr.mime_type {
        Some(mime_type) => quote!(::core::option::Option::Some(#mime_type)),
        // Autoref: an unconvertible return type gets no MIME type here, so the one error the user
        // sees is from converting the value.
        None => quote_spanned!(output_span=> (&&__mcp::MimeTypeOf::<#output>::new()).default_mime_type()),
    };
    let convert = quote_spanned!(output_span=> __mcp::resource_contents(__output, __variables.uri(), __mime_type()));
    let title = option_str(attr.title.as_ref().map(LitStr::value));
    let scopes = scopes_tokens(attr);
    let location = location_tokens(ident);
    let annotate = (attr.audience.is_some() || attr.priority.is_some()).then(|| {
        let audience = attr.audience.iter().flatten().filter_map(|role| match role {
            crate::attr::ScopeExpr::Literal(text) => Some(text),
            crate::attr::ScopeExpr::Typed(_) => None,
        });
        let priority = match &attr.priority {
            Some(priority) => quote!(::core::option::Option::Some(#priority as f32)),
            None => quote!(::core::option::Option::None),
        };
        quote!(.annotate(&[#(#audience),*], #priority))
    });
    let size = attr.size.as_ref().map(|size| quote!(.size(#size)));
    let list = attr.list.as_ref().map(|list| quote!(.list(__mcp::Lister::new(#list))));
    let (constraints_struct, constraints) = constraints_tokens(signature, |_| false, &schemars_crate(krate)).unzip();
    quote! {
        const _: () = {
            use #krate::__private as __mcp;
            use __mcp::{ViaNoValues as _, ViaSchemaValues as _};

            #constraints_struct
            fn __mime_type() -> ::core::option::Option<&'static str> {
                use __mcp::{ViaResourceContents as _, ViaUnconvertible as _};
                #mime_type
            }

            impl __mcp::Handler for #ident {
                fn add_to(__handlers: &mut #krate::Handlers) {
                    __handlers.push_resource(
                        __mcp::ResourceDefinition::new(
                            #uri,
                            &[#(#segments),*],
                            #name,
                            #title,
                            #description,
                            __mime_type(),
                            #scopes,
                            #location,
                            |__variables: __mcp::UriVariables, __context: #krate::Context| async move {
                                let _ = &__context;
                                #(#extractions)*
                                let __output = #call;
                                #convert
                            },
                        )
                        #(#checks)*
                        #(#completions)*
                        #annotate
                        #size
                        #list
                        #constraints
                    );
                }
            }

            __mcp::inventory::submit! { __mcp::Discovered(<#ident as __mcp::Handler>::add_to) }
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::{attr::Kind, tool::expand_kind};
    use quote::quote;

    fn expand(args: proc_macro2::TokenStream, function: proc_macro2::TokenStream) -> String {
        expand_kind(Kind::Resource, args, function).to_string()
    }

    #[test]
    fn a_template_maps_variables_to_parameters() {
        let text = expand(
            quote!(uri = "users://{id}/posts{?limit}"),
            quote! {
                /// A user's posts.
                async fn posts(id: u64, limit: Option<u32>, ctx: Context) -> String { String::new() }
            },
        );
        assert!(!text.contains("compile_error"), "{text}");
        assert!(text.contains("__mcp :: Segment :: Simple (\"id\")"), "{text}");
        assert!(text.contains("__mcp :: Segment :: Query (& [\"limit\"])"), "{text}");
        assert!(text.contains("__variables . required :: < u64 > (\"id\") ?"), "{text}");
        assert!(text.contains("__variables . optional :: < u32 > (\"limit\") ?"), "{text}");
        assert!(text.contains("__mcp :: MimeTypeOf :: < String > :: new ()"), "{text}");
    }

    #[test]
    fn variables_and_parameters_must_pair_up() {
        let text = expand(
            quote!(uri = "users://{id}/{section}"),
            quote! {
                /// Mismatched.
                async fn profile(id: u64, verbose: bool) -> String { String::new() }
            },
        );
        assert!(text.contains("the parameter `verbose` is not a variable of the URI template"), "{text}");
        assert!(text.contains("the URI variable `section` has no parameter"), "{text}");
    }

    #[test]
    fn the_uri_is_required_and_checked() {
        let missing = expand(
            quote!(),
            quote! { /// Doc.
            async fn f() -> String { String::new() } },
        );
        assert!(missing.contains("a resource needs its URI"), "{missing}");
        let malformed = expand(
            quote!(uri = "a://{id"),
            quote! { /// Doc.
            async fn f(id: u8) -> String { String::new() } },
        );
        assert!(malformed.contains("without a matching"), "{malformed}");
        let annotation = expand(
            quote!(uri = "a://b", read_only),
            quote! { /// Doc.
            async fn f() -> String { String::new() } },
        );
        assert!(annotation.contains("`read_only` does not apply to `#[mcp_resource]`"), "{annotation}");
    }
}
