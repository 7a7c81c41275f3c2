//! `#[mcp_tool]`: the argument structs (or `Args<T>`'s stand-in) that decode and describe the
//! arguments, and a `ToolDefinition` with the tool's hints, limits and call shim.

use quote::{quote, quote_spanned};
use syn::{LitBool, spanned::Spanned};

use super::{
    arguments,
    call::{self, Passed},
    registration::Registration,
    tokens,
};
use crate::{
    attr::{ToolAttr, value::duration_nanos},
    model::Handler,
    signature::Source,
};

pub(super) fn registration(handler: &Handler, tool: &ToolAttr) -> Registration {
    let signature = &handler.signature;
    let krate = &handler.common.krate;
    let fields: Vec<arguments::Field<'_>> = signature
        .params
        .iter()
        .filter_map(|param| match &param.source {
            Source::Argument { name, doc, attrs, .. } => {
                Some(arguments::Field { name, ty: &param.ty, doc: doc.as_deref(), attrs })
            }
            _ => None,
        })
        .collect();
    let whole = signature.params.iter().find_map(|param| match &param.source {
        Source::WholeArgs { inner } => Some(inner),
        _ => None,
    });
    let (arguments_struct, arguments_type, aliases) = match whole {
        Some(inner) => (arguments::whole(inner), quote!(__mcp::Whole<__WholeArguments>), None),
        None => {
            let (serde_crate, schemars_crate) = (tokens::serde_crate(krate), tokens::schemars_crate(krate));
            let structs = arguments::structs(&fields, !signature.has_flatten, &serde_crate, &schemars_crate);
            (structs, quote!(__Arguments), arguments::aliases(&fields))
        }
    };

    // The callback is no `async` block (see the runtime's `ToolCall`): an injection that fails
    // returns the refused call.
    let refuse = |result| {
        quote!(match #result {
            ::core::result::Result::Ok(__value) => __value,
            ::core::result::Result::Err(__error) => return __mcp::refused_call(__error),
        })
    };
    let call_arguments = call::call_arguments(signature, "__injected_", refuse, |param, _| match &param.source {
        Source::Argument { name, .. } => Passed::Inline(quote!(__arguments.#name)),
        Source::WholeArgs { .. } => Passed::Inline(quote!(__mcp::Args(__arguments.0))),
        Source::Injected => Passed::Skipped,
    });
    let injections = &call_arguments.bindings;
    let checks = &call_arguments.checks;
    let future = call::future(signature, &call_arguments.values);
    let output = &signature.output;
    let output_span = output.span();
    let convert = quote_spanned!(output_span=> (&&&__mcp::Returns::<#output>::new()).convert(__output));
    let output_schema = quote_spanned!(output_span=> (&&&__mcp::Returns::<#output>::new()).output_schema(__options));

    let name = handler.common.name.value();
    let title = tokens::option_str(handler.common.title.as_ref().map(syn::LitStr::value));
    let description = handler.common.description.as_deref().unwrap_or_default();
    let hint = |value: &Option<LitBool>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let (read_only, destructive, idempotent, open_world) =
        (hint(&tool.read_only), hint(&tool.destructive), hint(&tool.idempotent), hint(&tool.open_world));
    let scopes = tokens::scopes(&handler.common.scopes);
    let location = call::location(&signature.ident);
    // Both were checked when the attribute was parsed; an invalid one has already been reported.
    let max_concurrency = tool
        .max_concurrency
        .as_ref()
        .and_then(|count| count.base10_parse::<usize>().ok())
        .map(|count| quote!(.max_concurrency(#count)));
    let timeout = tool
        .timeout
        .as_ref()
        .and_then(|text| duration_nanos(&text.value()).ok())
        .map(|nanos| quote!(.timeout(::core::time::Duration::from_nanos(#nanos))));
    let task = tool.task.as_ref().map(|support| match support.value().as_str() {
        "required" => quote!(.task(__mcp::TaskSupport::Required)),
        _ => quote!(.task(__mcp::TaskSupport::Optional)),
    });

    Registration {
        traits: quote!(ViaIntoToolResult as _, ViaStructured as _, ViaStructuredResult as _, ViaUnsupported as _),
        items: arguments_struct,
        push: quote!(push_tool),
        definition: quote! {
            __mcp::ToolDefinition::new::<#arguments_type, _>(
                #name,
                #title,
                #description,
                __mcp::Hints { read_only: #read_only, destructive: #destructive, idempotent: #idempotent, open_world: #open_world },
                #scopes,
                #location,
                |__options| #output_schema,
                |__arguments: #arguments_type, __context: #krate::Context| {
                    #(#injections)*
                    __mcp::ToolCall::boxed(#future, |__output: #output| #convert)
                },
            )
            #aliases
            #timeout
            #max_concurrency
            #task
            #(#checks)*
        },
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use crate::attr::Macro;

    fn expand_text(args: TokenStream, input: TokenStream) -> String {
        crate::pipeline::expand(Macro::Tool, args, input).to_string()
    }

    #[test]
    fn expansion_keeps_the_function_and_adds_the_argument_structs_and_one_impl() {
        let text = expand_text(
            quote!(read_only),
            quote! {
                /// Add two integers.
                pub async fn add(
                    /// The first addend.
                    a: i64,
                    #[serde(default)]
                    b: i64,
                    ctx: Context,
                ) -> i64 { a + b }
            },
        );
        // The function is re-emitted without the parameter attributes only the macro understands.
        assert!(text.contains("pub async fn add (a : i64 , b : i64 , ctx : Context ,) -> i64 { a + b }"), "{text}");
        assert!(text.contains("pub struct add { }"), "{text}");
        // Described by schemars with the docs and attributes, each type through `Forward`.
        assert!(
            text.contains(
                "struct __Arguments { # [doc = \"The first addend.\"] \
                 # [schemars (with = \"__mcp::Forward<__ArgumentSchema0>\")] a : i64 , \
                 # [serde (default)] # [schemars (with = \"__mcp::Forward<__ArgumentSchema1>\")] b : i64 , }"
            ),
            "{text}"
        );
        // Decoded one argument at a time by the runtime's shared code, no serde derive: unknown
        // keys refused, an absent `b` defaulted.
        assert!(!text.contains("__Decoded"), "{text}");
        assert!(text.contains("__mcp :: ArgumentObject :: new (__arguments , & [\"a\" , \"b\"]) ?"), "{text}");
        let a = "a : < i64 as __mcp :: DeserializeArgument < i64 >> :: __argument (& __object , & [\"a\"]) ?";
        assert!(text.contains(a), "{text}");
        let b = "b : < i64 as __mcp :: DeserializeArgument < i64 >> :: __argument_or (& __object , & [\"b\"] , :: core :: default :: Default :: default) ?";
        assert!(text.contains(b), "{text}");
        assert!(text.contains("deny_unknown_fields"), "{text}");
        assert!(text.contains("impl __mcp :: Handler for add"), "{text}");
        // No `async` block of ours: the function's future, converted by the runtime's `ToolCall`.
        assert!(!text.contains("async move"), "{text}");
        assert!(text.contains("__mcp :: inject :: < Context > (& __context) { :: core :: result :: Result :: Ok (__value) => __value , :: core :: result :: Result :: Err (__error) => return __mcp :: refused_call (__error) , }"), "{text}");
        assert!(
            text.contains("__mcp :: ToolCall :: boxed (add (__arguments . a , __arguments . b , __injected_2) , | __output : i64 | (&& & __mcp :: Returns :: < i64 > :: new ()) . convert (__output))"),
            "{text}"
        );
        assert!(text.contains("read_only : :: core :: option :: Option :: Some (true)"), "{text}");
        assert!(text.contains("inventory :: submit !"), "{text}");
        assert!(!text.contains("compile_error"), "{text}");
    }

    #[test]
    fn a_sync_function_is_called_on_the_blocking_pool() {
        let text = expand_text(
            quote!(),
            quote! { /// Shout.
            fn shout(word: String, ctx: Context) -> String { word } },
        );
        assert!(
            text.contains(
                "ToolCall :: boxed (__mcp :: run_blocking (move || shout (__arguments . word , __injected_1)) ,"
            ),
            "{text}"
        );
        let text = expand_text(
            quote!(),
            quote! { /// Reset.
            fn reset() {} },
        );
        assert!(text.contains("ToolCall :: boxed (__mcp :: run_blocking (reset) ,"), "{text}");
        let text = expand_text(
            quote!(),
            quote! { /// Wait.
            async fn wait() {} },
        );
        assert!(!text.contains("run_blocking"), "{text}");
    }

    #[test]
    fn the_hidden_type_carries_the_name() {
        let text = expand_text(
            quote!(name = "sum"),
            quote! { /// Add.
            pub(crate) async fn add() {} },
        );
        assert!(text.contains("pub (crate) struct add { }"), "{text}");
        assert!(text.contains("impl add { # [doc = \"The tool's name, as clients call it: `sum`.\"] pub (crate) const NAME : & 'static str = \"sum\" ; }"), "{text}");
    }

    #[test]
    fn flatten_turns_off_deny_unknown_fields_and_crate_moves_every_path() {
        let text = expand_text(
            quote!(crate = my::rt),
            quote! {
                /// Flattened.
                async fn f(#[serde(flatten)] extra: Extra) {}
            },
        );
        assert!(!text.contains("deny_unknown_fields"), "{text}");
        assert!(text.contains("use my :: rt :: __private as __mcp"), "{text}");
        assert!(text.contains("crate = \"my::rt::__private::serde\""), "{text}");
        assert!(!text.contains("mcp_runtime"), "{text}");
    }
}
