//! `#[mcp_resource(uri = "...")]`: a fixed URI, or a URI template whose variables are the
//! function's (non-injected) parameters, handed to the runtime already split into segments.

use quote::{quote, quote_spanned};
use syn::{LitStr, spanned::Spanned};

use super::{
    call::{self, Passed},
    constraints::constraints_tokens,
    registration::Registration,
    tokens,
};
use crate::{
    attr::ScopeExpr,
    model::{Handler, Resource, Template},
    signature::{Source, optional_inner, unraw},
    uri::Part,
};

pub(super) fn registration(handler: &Handler, resource: &Resource) -> Registration {
    let signature = &handler.signature;
    let krate = &handler.common.krate;
    let keys = &resource.keys;
    let uri = keys.uri.as_ref().map(LitStr::value).unwrap_or_default();
    // `check` let through only a template that parsed.
    let parts: &[Part] = match &resource.template {
        Template::Parsed(parts) => parts,
        Template::Missing | Template::Malformed(_) => &[],
    };
    let segments = parts.iter().map(|part| match part {
        Part::Literal(text) => quote!(__mcp::Segment::Literal(#text)),
        Part::Simple(name) => quote!(__mcp::Segment::Simple(#name)),
        Part::Reserved(name) => quote!(__mcp::Segment::Reserved(#name)),
        Part::Query(names) => quote!(__mcp::Segment::Query(&[#(#names),*])),
    });
    let mut completions = Vec::new();
    let call_arguments = call::call_arguments(signature, "__argument_", call::question_mark, |param, value| {
        let Source::Argument { name: param_name, complete, .. } = &param.source else {
            // `Args<T>` was refused by `check`.
            return Passed::Skipped;
        };
        let wire_name = unraw(param_name);
        let (extract, ty) = match optional_inner(&param.ty) {
            Some(inner) => (quote!(optional), inner),
            None => (quote!(required), &param.ty),
        };
        let literal = LitStr::new(&wire_name, param_name.span());
        completions.push(tokens::completion(&literal, ty, complete.as_ref()));
        let span = ty.span();
        Passed::Bound(quote_spanned!(span=> let #value = __variables.#extract::<#ty>(#wire_name)?;))
    });
    let extractions = &call_arguments.bindings;
    let checks = &call_arguments.checks;
    let call = call::call(signature, &call_arguments.values);
    let output = &signature.output;
    let output_span = output.span();
    let mime_type = match &keys.mime_type {
        Some(mime_type) => quote!(::core::option::Option::Some(#mime_type)),
        // Autoref: an unconvertible return type gets no MIME type here, so the one error the user
        // sees is from converting the value.
        None => quote_spanned!(output_span=> (&&__mcp::MimeTypeOf::<#output>::new()).default_mime_type()),
    };
    let convert = quote_spanned!(output_span=> __mcp::resource_contents(__output, __variables.uri(), __mime_type()));
    let name = handler.common.name.value();
    let title = tokens::option_str(handler.common.title.as_ref().map(LitStr::value));
    let description = handler.common.description.as_deref().unwrap_or_default();
    let scopes = tokens::scopes(&handler.common.scopes);
    let location = call::location(&signature.ident);
    let annotate = (keys.audience.is_some() || keys.priority.is_some()).then(|| {
        // Only roles written as strings pass `check`.
        let audience = keys.audience.iter().flatten().filter_map(|role| match role {
            ScopeExpr::Literal(text) => Some(text),
            ScopeExpr::Typed(_) => None,
        });
        let priority = match &keys.priority {
            Some(priority) => quote!(::core::option::Option::Some(#priority as f32)),
            None => quote!(::core::option::Option::None),
        };
        quote!(.annotate(&[#(#audience),*], #priority))
    });
    let size = keys.size.as_ref().map(|size| quote!(.size(#size)));
    let list = keys.list.as_ref().map(|list| quote!(.list(__mcp::Lister::new(#list))));
    let (constraints_struct, constraints) =
        constraints_tokens(signature, |_| false, &tokens::schemars_crate(krate)).unzip();

    Registration {
        traits: quote!(ViaNoValues as _, ViaSchemaValues as _),
        items: quote! {
            #constraints_struct
            fn __mime_type() -> ::core::option::Option<&'static str> {
                use __mcp::{ViaResourceContents as _, ViaUnconvertible as _};
                #mime_type
            }
        },
        push: quote!(push_resource),
        definition: quote! {
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
        },
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use crate::attr::Macro;

    fn expand(args: proc_macro2::TokenStream, function: proc_macro2::TokenStream) -> String {
        crate::pipeline::expand(Macro::Resource, args, function).to_string()
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
        assert!(text.contains("const URI_TEMPLATE : & 'static str = \"users://{id}/posts{?limit}\""), "{text}");
        assert!(!text.contains("const URI :"), "{text}");
    }

    #[test]
    fn a_fixed_resource_has_a_uri_handle() {
        let text = expand(
            quote!(uri = "notes://latest", name = "latest"),
            quote! { /// The latest note.
            pub async fn latest_note() -> String { String::new() } },
        );
        assert!(!text.contains("compile_error"), "{text}");
        assert!(text.contains("pub const NAME : & 'static str = \"latest\""), "{text}");
        assert!(text.contains("pub const URI : & 'static str = \"notes://latest\""), "{text}");
        assert!(!text.contains("URI_TEMPLATE"), "{text}");
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
