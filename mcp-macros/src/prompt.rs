//! `#[mcp_prompt]`: each non-injected parameter is a prompt argument (a string on the wire,
//! parsed with `FromStr`); `Option<T>` makes it optional.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{LitStr, Path, spanned::Spanned};

use crate::{
    attr::ToolAttr,
    constraints::{constraints_tokens, is_constraint, schemars_crate},
    errors::Errors,
    signature::{Signature, Source, optional_inner, unraw},
    tool::{call_tokens, location_tokens, option_str, scopes_tokens},
};

/// The wire name from `#[serde(rename = "...")]`, the one serde attribute a prompt argument
/// takes: MCP clients often expect camelCase names that a Rust parameter cannot carry.
fn renamed(attr: &syn::Attribute) -> Option<LitStr> {
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

/// What a prompt cannot take that a tool can.
pub(crate) fn validate(signature: &Signature, errors: &mut Errors) {
    for param in &signature.params {
        match &param.source {
            Source::WholeArgs { .. } => errors.at(
                &param.ty,
                "a prompt takes its arguments one per parameter (each is a string); `Args<T>` is for tools",
            ),
            Source::Argument { attrs, .. } => {
                for attr in attrs.iter().filter(|attr| renamed(attr).is_none() && !is_constraint(attr)) {
                    errors.at(
                        attr,
                        "prompt arguments arrive as strings and are parsed with `FromStr`, so the only serde attribute they take is `#[serde(rename = \"wireName\")]` (schemars attributes declare constraints: `#[schemars(range(max = 10))]`)",
                    );
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn registration(
    attr: &ToolAttr,
    signature: &Signature,
    name: &str,
    description: &str,
    krate: &Path,
) -> TokenStream {
    let ident = &signature.ident;
    let mut declared = Vec::new();
    let mut extractions = Vec::new();
    let mut checks = Vec::new();
    let mut call_arguments = Vec::new();
    let mut completions = Vec::new();
    for (index, param) in signature.params.iter().enumerate() {
        let value = format_ident!("__argument_{}", index);
        match &param.source {
            Source::Argument { name: param_name, doc, complete, attrs } => {
                let wire_name = attrs
                    .iter()
                    .find_map(renamed)
                    .unwrap_or_else(|| LitStr::new(&unraw(param_name), param_name.span()));
                let description = option_str(doc.clone());
                let (required, ty) = match optional_inner(&param.ty) {
                    Some(inner) => (false, inner),
                    None => (true, &param.ty),
                };
                declared.push(
                    quote!(__mcp::PromptArg { name: #wire_name, description: #description, required: #required }),
                );
                completions.push(crate::tool::completion_tokens(&wire_name, ty, complete.as_ref()));
                let span = ty.span();
                extractions.push(if required {
                    quote_spanned!(span=> let #value = __arguments.required::<#ty>(#wire_name)?;)
                } else {
                    quote_spanned!(span=> let #value = __arguments.optional::<#ty>(#wire_name)?;)
                });
            }
            Source::Injected => {
                let ty = &param.ty;
                let span = ty.span();
                extractions.push(quote_spanned!(span=> let #value = __mcp::inject::<#ty>(&__context)?;));
                checks.push(quote_spanned!(span=> .check(__mcp::check_injected::<#ty>())));
            }
            // Refused by `validate` before registration is generated.
            Source::WholeArgs { .. } => continue,
        }
        call_arguments.push(quote!(#value));
    }
    let output_span = signature.output.span();
    let call = call_tokens(signature, &call_arguments);
    let convert = quote_spanned!(output_span=> __mcp::prompt_result(__output));
    let title = option_str(attr.title.as_ref().map(LitStr::value));
    let scopes = scopes_tokens(attr);
    let location = location_tokens(ident);
    let (constraints_struct, constraints) =
        constraints_tokens(signature, |attr| renamed(attr).is_some(), &schemars_crate(krate)).unzip();
    quote! {
        const _: () = {
            use #krate::__private as __mcp;
            use __mcp::{ViaNoValues as _, ViaSchemaValues as _};

            #constraints_struct

            impl __mcp::Handler for #ident {
                fn add_to(__handlers: &mut #krate::Handlers) {
                    __handlers.push_prompt(
                        __mcp::PromptDefinition::new(
                            #name,
                            #title,
                            #description,
                            &[#(#declared),*],
                            #scopes,
                            #location,
                            |__arguments: __mcp::PromptArguments, __context: #krate::Context| async move {
                                // Either may go unused, by a prompt without arguments or injections.
                                let _ = (&__arguments, &__context);
                                #(#extractions)*
                                let __output = #call;
                                #convert
                            },
                        )
                        #(#checks)*
                        #(#completions)*
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

    #[test]
    fn arguments_are_required_or_optional_and_parsed() {
        let text = expand_kind(
            Kind::Prompt,
            quote!(title = "Review"),
            quote! {
                /// Review code.
                async fn review(
                    /// The language.
                    language: String,
                    depth: Option<u8>,
                    ctx: Context,
                    #[serde(rename = "resourceUri")] resource_uri: Option<String>,
                ) -> String { language }
            },
        )
        .to_string();
        assert!(text.contains("__mcp :: PromptArg { name : \"language\" , description : :: core :: option :: Option :: Some (\"The language.\") , required : true }"), "{text}");
        assert!(text.contains("__mcp :: PromptArg { name : \"depth\" , description : :: core :: option :: Option :: None , required : false }"), "{text}");
        assert!(text.contains("__arguments . required :: < String > (\"language\") ?"), "{text}");
        assert!(text.contains("__arguments . optional :: < u8 > (\"depth\") ?"), "{text}");
        assert!(text.contains("__arguments . optional :: < String > (\"resourceUri\") ?"), "{text}");
        assert!(text.contains("push_prompt"), "{text}");
        assert!(!text.contains("compile_error"), "{text}");
    }

    #[test]
    fn tool_only_forms_are_refused() {
        let text = expand_kind(
            Kind::Prompt,
            quote!(read_only),
            quote! {
                /// Bad.
                async fn bad(Args(a): Args<A>, #[serde(default)] b: String) -> String { b }
            },
        )
        .to_string();
        assert!(text.contains("`read_only` does not apply to `#[mcp_prompt]`"), "{text}");
        assert!(text.contains("`Args<T>` is for tools"), "{text}");
        assert!(text.contains("the only serde attribute they take"), "{text}");
    }
}
