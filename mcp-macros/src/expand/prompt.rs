//! `#[mcp_prompt]`: each non-injected parameter is a prompt argument (a string on the wire,
//! parsed with `FromStr`); `Option<T>` makes it optional.

use quote::{quote, quote_spanned};
use syn::{LitStr, spanned::Spanned};

use super::{
    call::{self, Passed},
    constraints::constraints_tokens,
    registration::Registration,
    tokens,
};
use crate::{
    model::Handler,
    parameter_attrs::serde_rename,
    signature::{Source, optional_inner, unraw},
};

pub(super) fn registration(handler: &Handler) -> Registration {
    let signature = &handler.signature;
    let krate = &handler.common.krate;
    let mut declared = Vec::new();
    let mut completions = Vec::new();
    let call_arguments = call::call_arguments(signature, "__argument_", call::question_mark, |param, value| {
        let Source::Argument { name: param_name, doc, complete, attrs, .. } = &param.source else {
            // `Args<T>` was refused by `check`.
            return Passed::Skipped;
        };
        let wire_name =
            attrs.iter().find_map(serde_rename).unwrap_or_else(|| LitStr::new(&unraw(param_name), param_name.span()));
        let description = tokens::option_str(doc.clone());
        let (required, ty) = match optional_inner(&param.ty) {
            Some(inner) => (false, inner),
            None => (true, &param.ty),
        };
        declared.push(quote!(__mcp::PromptArg { name: #wire_name, description: #description, required: #required }));
        completions.push(tokens::completion(&wire_name, ty, complete.as_ref()));
        let span = ty.span();
        Passed::Bound(if required {
            quote_spanned!(span=> let #value = __arguments.required::<#ty>(#wire_name)?;)
        } else {
            quote_spanned!(span=> let #value = __arguments.optional::<#ty>(#wire_name)?;)
        })
    });
    let extractions = &call_arguments.bindings;
    let checks = &call_arguments.checks;
    let call = call::call(signature, &call_arguments.values);
    let convert = quote_spanned!(signature.output.span()=> __mcp::prompt_result(__output));
    let name = handler.common.name.value();
    let title = tokens::option_str(handler.common.title.as_ref().map(LitStr::value));
    let description = handler.common.description.as_deref().unwrap_or_default();
    let scopes = tokens::scopes(&handler.common.scopes);
    let location = call::location(&signature.ident);
    let (constraints_struct, constraints) =
        constraints_tokens(signature, |attr| serde_rename(attr).is_some(), &tokens::schemars_crate(krate)).unzip();

    Registration {
        traits: quote!(ViaNoValues as _, ViaSchemaValues as _),
        items: quote!(#constraints_struct),
        push: quote!(push_prompt),
        definition: quote! {
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
        },
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use crate::{attr::Macro, pipeline::expand};

    #[test]
    fn arguments_are_required_or_optional_and_parsed() {
        let text = expand(
            Macro::Prompt,
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
        assert!(text.contains("const NAME : & 'static str = \"review\""), "{text}");
    }

    #[test]
    fn tool_only_forms_are_refused() {
        let text = expand(
            Macro::Prompt,
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
