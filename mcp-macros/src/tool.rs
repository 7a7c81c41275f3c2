//! `#[mcp_tool]`: the function, re-emitted as written, plus a hidden argument struct and one
//! `Handler` impl that hands the runtime the tool's metadata and a call shim.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{ItemFn, LitStr, Path};

use crate::{
    attr::{Kind, ScopeExpr, ToolAttr, check_tool_name},
    docs,
    errors::Errors,
    signature::{Signature, Source, unraw},
};

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    expand_kind(Kind::Tool, args, input)
}

/// Shared by `#[mcp_tool]` and `#[mcp_prompt]`: everything but the registration itself.
pub(crate) fn expand_kind(kind: Kind, args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let attr = ToolAttr::parse_for(kind, args, &mut errors);
    let mut function: ItemFn = match syn::parse2(input.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.at_span(
                Span::call_site(),
                format!("`{}` goes on a function: `async fn name(...) -> ... {{ ... }}`", kind.attribute()),
            );
            let compile_errors = errors.into_compile_errors();
            return quote!(#compile_errors #input);
        }
    };
    let krate: Path = attr.krate.clone().unwrap_or_else(|| syn::parse_quote!(::mcp_runtime));
    let mut signature = Signature::read(&mut function, &mut errors);
    // A tool's parameters are its schema; many of them is normal, and `Args<T>` is there for
    // those who prefer a struct.
    function.attrs.push(syn::parse_quote!(#[allow(clippy::too_many_arguments)]));

    let described = docs::doc_text(&function.attrs).map(|text| docs::split_arguments(&text));
    let ident_span = function.sig.ident.span();
    let description = match (&attr.description, described) {
        (Some(description), described) => {
            if let Some(described) = described {
                signature.describe_from_section(described.arguments, ident_span, &mut errors);
            }
            description.value()
        }
        (None, Some(described)) if !described.description.is_empty() => {
            signature.describe_from_section(described.arguments, ident_span, &mut errors);
            described.description
        }
        (None, _) => {
            errors.at_span(
                ident_span,
                match kind {
                    Kind::Tool => format!(
                        "tool `{}` has no description, and a model cannot use a tool it does not understand; \
                         add a doc comment above the function (`/// What it does.`) or `#[mcp_tool(description = \"...\")]`",
                        signature.ident
                    ),
                    Kind::Prompt => format!(
                        "prompt `{}` has no description, and a person choosing prompts needs one; \
                         add a doc comment above the function (`/// What it does.`) or `#[mcp_prompt(description = \"...\")]`",
                        signature.ident
                    ),
                    Kind::Resource => format!(
                        "resource `{}` has no description, and a model deciding what to read needs one; \
                         add a doc comment above the function (`/// What it holds.`) or `#[mcp_resource(description = \"...\")]`",
                        signature.ident
                    ),
                },
            );
            String::new()
        }
    };
    let name = match &attr.name {
        Some(name) => name.value(),
        None => {
            let name = unraw(&signature.ident);
            if kind == Kind::Tool
                && let Err(problem) = check_tool_name(&name)
            {
                errors.at_span(ident_span, format!("{problem}; choose another with `name = \"...\"`"));
            }
            name
        }
    };

    if kind == Kind::Prompt {
        crate::prompt::validate(&signature, &mut errors);
    }
    if kind == Kind::Tool {
        for param in &signature.params {
            if let Source::Argument { complete: Some(path), .. } = &param.source {
                errors.at(
                    path,
                    "completions are for prompt arguments and resource template variables, not tool arguments",
                );
            }
        }
    }
    let resource_parts =
        if kind == Kind::Resource { crate::resource::validate(&attr, &signature, &mut errors) } else { None };
    let marker = marker_type(&function);
    if !errors.is_empty() {
        let compile_errors = errors.into_compile_errors();
        if function.sig.receiver().is_some() {
            // A method sits in an `impl` block, where the marker type could not go.
            return quote!(#compile_errors #function);
        }
        let ident = &function.sig.ident;
        // Keep the function and a do-nothing handler, so the only errors are the ones above.
        return quote! {
            #compile_errors
            #function
            #marker
            impl #krate::__private::Handler for #ident {
                fn add_to(_: &mut #krate::Handlers) {}
            }
        };
    }
    let registration = match kind {
        Kind::Tool => registration(&attr, &signature, &name, &description, &krate),
        Kind::Prompt => crate::prompt::registration(&attr, &signature, &name, &description, &krate),
        Kind::Resource => crate::resource::registration(
            &attr,
            &signature,
            resource_parts.as_deref().unwrap_or_default(),
            &name,
            &description,
            &krate,
        ),
    };
    quote! {
        #function
        #marker
        #registration
    }
}

/// A unit struct named like the function, in the type namespace, that `handlers![f]` resolves.
fn marker_type(function: &ItemFn) -> TokenStream {
    let vis = &function.vis;
    let ident = &function.sig.ident;
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}
    }
}

fn registration(attr: &ToolAttr, signature: &Signature, name: &str, description: &str, krate: &Path) -> TokenStream {
    let ident = &signature.ident;
    let fields: Vec<crate::arguments::Field<'_>> = signature
        .params
        .iter()
        .filter_map(|param| match &param.source {
            Source::Argument { name, doc, attrs, .. } => {
                Some(crate::arguments::Field { name, ty: &param.ty, doc: doc.as_deref(), attrs })
            }
            _ => None,
        })
        .collect();
    let whole = signature.params.iter().find_map(|param| match &param.source {
        Source::WholeArgs { inner } => Some(inner),
        _ => None,
    });
    let (arguments_struct, arguments_type) = match whole {
        Some(inner) => (crate::arguments::whole(inner), quote!(__mcp::Whole<__WholeArguments>)),
        None => {
            let private = format!("{}::__private", path_text(krate));
            let serde_crate = LitStr::new(&format!("{private}::serde"), Span::call_site());
            let schemars_crate = LitStr::new(&format!("{private}::schemars"), Span::call_site());
            let structs = crate::arguments::structs(&fields, !signature.has_flatten, &serde_crate, &schemars_crate);
            (structs, quote!(__Arguments))
        }
    };

    let mut injections = Vec::new();
    let mut checks = Vec::new();
    let call_arguments: Vec<TokenStream> = signature
        .params
        .iter()
        .enumerate()
        .map(|(index, param)| match &param.source {
            Source::Argument { name, .. } => quote!(__arguments.#name),
            Source::WholeArgs { .. } => quote!(__mcp::Args(__arguments.0)),
            Source::Injected => {
                let ty = &param.ty;
                let value = format_ident!("__injected_{}", index);
                let span = syn::spanned::Spanned::span(ty);
                injections.push(quote_spanned!(span=> let #value = __mcp::inject::<#ty>(&__context)?;));
                checks.push(quote_spanned!(span=> .check(__mcp::check_injected::<#ty>())));
                quote!(#value)
            }
        })
        .collect();

    let output = &signature.output;
    let output_span = syn::spanned::Spanned::span(output);
    let call = call_tokens(signature, &call_arguments);
    let convert = quote_spanned!(output_span=> (&&&__mcp::Returns::<#output>::new()).convert(__output));
    let output_schema = quote_spanned!(output_span=> (&&&__mcp::Returns::<#output>::new()).output_schema(__options));

    let title = option_str(attr.title.as_ref().map(LitStr::value));
    let hint = |value: &Option<syn::LitBool>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let (read_only, destructive, idempotent, open_world) =
        (hint(&attr.read_only), hint(&attr.destructive), hint(&attr.idempotent), hint(&attr.open_world));
    let scopes = scopes_tokens(attr);
    let location = location_tokens(ident);
    // Checked when the attribute was parsed; an invalid one has already been reported.
    let max_concurrency = attr
        .max_concurrency
        .as_ref()
        .and_then(|count| count.base10_parse::<usize>().ok())
        .map(|count| quote!(.max_concurrency(#count)));
    let timeout = attr
        .timeout
        .as_ref()
        .and_then(|text| crate::attr::duration_millis(&text.value()).ok())
        .map(|millis| quote!(.timeout(::core::time::Duration::from_millis(#millis))));

    quote! {
        const _: () = {
            use #krate::__private as __mcp;
            use __mcp::{ViaIntoToolResult as _, ViaStructured as _, ViaStructuredResult as _, ViaUnsupported as _};

            #arguments_struct

            impl __mcp::Handler for #ident {
                fn add_to(__handlers: &mut #krate::Handlers) {
                    __handlers.push_tool(
                        __mcp::ToolDefinition::new::<#arguments_type, _, _>(
                            #name,
                            #title,
                            #description,
                            __mcp::Hints { read_only: #read_only, destructive: #destructive, idempotent: #idempotent, open_world: #open_world },
                            #scopes,
                            #location,
                            |__options| #output_schema,
                            |__arguments: #arguments_type, __context: #krate::Context| async move {
                                // Either may go unused, by a tool without arguments or injections.
                                let _ = (&__arguments, &__context);
                                #(#injections)*
                                let __output = #call;
                                ::core::result::Result::Ok(#convert)
                            },
                        )
                        #timeout
                        #max_concurrency
                        #(#checks)*
                    );
                }
            }

            __mcp::inventory::submit! { __mcp::Discovered(<#ident as __mcp::Handler>::add_to) }
        };
    }
}

/// The call of the user's function: awaited when async, with its `Send` check; on the blocking
/// pool when not, since a synchronous body may block and would stall an async worker.
pub(crate) fn call_tokens(signature: &Signature, arguments: &[TokenStream]) -> TokenStream {
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
pub(crate) fn location_tokens(ident: &syn::Ident) -> TokenStream {
    let function_name = unraw(ident);
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote!(__mcp::Location { file: ::core::file!(), line: #line, module: ::core::module_path!(), function: #function_name })
}

/// `.complete("name", ...)`: the named function, else the type's own values (string enums).
pub(crate) fn completion_tokens(name: &LitStr, ty: &syn::Type, function: Option<&Path>) -> TokenStream {
    match function {
        Some(function) => quote!(.complete(#name, ::core::option::Option::Some(__mcp::Completer::custom(#function)))),
        None => quote!(.complete(#name, (&&__mcp::AutoComplete::<#ty>::new()).completer())),
    }
}

pub(crate) fn scopes_tokens(attr: &ToolAttr) -> TokenStream {
    let scope_items: Vec<TokenStream> = attr
        .scopes
        .iter()
        .flatten()
        .map(|scope| match scope {
            ScopeExpr::Literal(text) => quote!(#text),
            ScopeExpr::Typed(variant) => quote!((#variant).as_str()),
        })
        .collect();
    // A const item, because `Scope::X.as_str()` is not promoted to a `'static` borrow on its own.
    quote!({ const SCOPES: &[&str] = &[#(#scope_items),*]; SCOPES })
}

pub(crate) fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// `::mcp_runtime` as serde's and schemars' `crate = "..."` strings want it.
fn path_text(path: &Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_text(args: TokenStream, input: TokenStream) -> String {
        expand(args, input).to_string()
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
        // Decoded by serde, each type through `DeserializeArgument`.
        assert!(
            text.contains(
                "struct __Decoded { # [serde (default , deserialize_with = \"__decode_argument0\")] \
                 a : :: core :: option :: Option < i64 > , \
                 # [serde (default)] # [serde (deserialize_with = \"__decode_argument1\")] b : i64 , }"
            ),
            "{text}"
        );
        assert!(text.contains("< i64 as __mcp :: DeserializeArgument < i64 >> :: __missing (\"a\") ?"), "{text}");
        assert!(text.contains("deny_unknown_fields"), "{text}");
        assert!(text.contains("impl __mcp :: Handler for add"), "{text}");
        assert!(text.contains("__mcp :: inject :: < Context > (& __context) ?"), "{text}");
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
            text.contains("__mcp :: run_blocking (move || shout (__arguments . word , __injected_1)) . await"),
            "{text}"
        );
        let text = expand_text(
            quote!(),
            quote! { /// Reset.
            fn reset() {} },
        );
        assert!(text.contains("__mcp :: run_blocking (reset) . await"), "{text}");
        let text = expand_text(
            quote!(),
            quote! { /// Wait.
            async fn wait() {} },
        );
        assert!(!text.contains("run_blocking"), "{text}");
    }

    #[test]
    fn errors_keep_the_function_and_a_do_nothing_handler() {
        let text = expand_text(
            quote!(nme = "x"),
            quote!(
                async fn f() {}
            ),
        );
        assert!(text.contains("compile_error"), "{text}");
        assert!(text.contains("async fn f () { }"), "{text}");
        assert!(text.contains("fn add_to (_ : & mut :: mcp_runtime :: Handlers) { }"), "{text}");
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
