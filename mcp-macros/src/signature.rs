//! The annotated function's shape: which parameters are arguments (in the schema) and which are
//! injected by the runtime, their docs and attributes, and the return type.

use proc_macro2::Span;
use syn::{Attribute, FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType, Type, TypePath};

use crate::{docs, errors::Errors};

/// How one parameter of the function gets its value.
pub(crate) enum Source {
    /// A property of the argument object; `attrs` are the serde/schemars attributes to copy;
    /// `complete` names a function that completes the argument (prompts, resource templates).
    Argument { name: Ident, doc: Option<String>, attrs: Vec<Attribute>, complete: Option<syn::Path> },
    /// Extracted from the request by the runtime (`Context`, `State<T>`, `#[inject]`).
    Injected,
    /// `Args<T>`: the whole argument object is a `T`.
    WholeArgs { inner: Type },
}

pub(crate) struct Param {
    pub(crate) ty: Type,
    pub(crate) source: Source,
    /// The parameter's name in the function, when its pattern is a plain name.
    binding: Option<String>,
}

pub(crate) struct Signature {
    pub(crate) ident: Ident,
    pub(crate) is_async: bool,
    pub(crate) params: Vec<Param>,
    /// The declared return type; `()` when there is none.
    pub(crate) output: Type,
    /// Whether any argument is `#[serde(flatten)]`, which rules out `deny_unknown_fields`.
    pub(crate) has_flatten: bool,
}

impl Signature {
    /// Reads the function and strips the parameter attributes only the macro understands, so the
    /// function can be emitted again as ordinary Rust.
    pub(crate) fn read(function: &mut ItemFn, errors: &mut Errors) -> Self {
        let sig = &mut function.sig;
        if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
            errors.at(
                &sig.generics,
                "an MCP handler cannot be generic: the server builds its schema from concrete types; \
                 write a non-generic function that calls the generic one",
            );
        }
        if let Some(unsafety) = &sig.unsafety {
            errors.at(unsafety, "an MCP handler cannot be `unsafe`: it is called with whatever a client sends");
        }
        if let Some(abi) = &sig.abi {
            errors.at(abi, "an MCP handler cannot have an `extern` ABI; remove it");
        }
        if let Some(constness) = &sig.constness {
            errors.at(constness, "an MCP handler cannot be a `const fn`; remove `const`");
        }
        if let Some(variadic) = &sig.variadic {
            errors.at(variadic, "an MCP handler cannot be variadic");
        }
        let mut params = Vec::new();
        for input in &mut sig.inputs {
            match input {
                FnArg::Receiver(receiver) => errors.at(
                    &*receiver,
                    "an MCP handler must be a free function, not a method; call the method from a free \
                     function and put the shared value in `State<T>`",
                ),
                FnArg::Typed(typed) => {
                    if let Some(param) = read_param(&mut typed.attrs, &typed.pat, &typed.ty, errors) {
                        params.push(param);
                    }
                }
            }
        }
        check_whole_args(&params, errors);
        let output = match &sig.output {
            ReturnType::Default => syn::parse_quote!(()),
            ReturnType::Type(_, ty) => {
                if contains_impl_trait(ty) {
                    errors.at(ty, "an MCP handler must return a concrete type, not `impl Trait`");
                }
                (**ty).clone()
            }
        };
        let has_flatten = params.iter().any(|param| match &param.source {
            Source::Argument { attrs, .. } => attrs.iter().any(is_flatten),
            _ => false,
        });
        Signature { ident: sig.ident.clone(), is_async: sig.asyncness.is_some(), params, output, has_flatten }
    }

    /// Fills in argument descriptions from the function's `# Arguments` section where a parameter
    /// has no `///` comment of its own; reports entries that name no parameter.
    pub(crate) fn describe_from_section(&mut self, section: Vec<(String, String)>, span: Span, errors: &mut Errors) {
        for (name, text) in section {
            let known = self.params.iter().any(|param| param.binding.as_deref() == Some(name.as_str()));
            let param = self.params.iter_mut().find(|param| match &param.source {
                Source::Argument { name: ident, .. } => unraw(ident) == name,
                _ => false,
            });
            match param {
                Some(Param { source: Source::Argument { doc, .. }, .. }) => {
                    doc.get_or_insert(text);
                }
                // Injected parameters may be documented too; they simply stay out of the schema.
                _ if known => {}
                _ => errors.at_span(
                    span,
                    format!("the `# Arguments` section describes `{name}`, which is not an argument of this function"),
                ),
            }
        }
    }
}

/// `Option<T>` -> `Some(T)`.
pub(crate) fn optional_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(TypePath { qself: None, path }) = ty else { return None };
    let segment = path.segments.last()?;
    if segment.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else { return None };
    match arguments.args.first() {
        Some(GenericArgument::Type(inner)) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// A parameter's name as the client sees it (`r#type` is `type`).
pub(crate) fn unraw(ident: &Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

fn read_param(attrs: &mut Vec<Attribute>, pat: &Pat, ty: &Type, errors: &mut Errors) -> Option<Param> {
    let mut doc_attrs = Vec::new();
    let mut copied = Vec::new();
    let mut injected = false;
    let mut complete = None;
    attrs.retain(|attr| {
        if docs::is_doc(attr) {
            doc_attrs.push(attr.clone());
        } else if attr.path().is_ident("serde") || attr.path().is_ident("schemars") {
            copied.push(attr.clone());
        } else if attr.path().is_ident("complete") {
            match attr.parse_args::<syn::Path>() {
                Ok(path) => complete = Some(path),
                Err(_) => errors.at(attr, "name the completion function: `#[complete(function_name)]`"),
            }
        } else if attr.path().is_ident("inject") {
            if !matches!(attr.meta, syn::Meta::Path(_)) {
                errors.at(attr, "`#[inject]` takes no arguments");
            }
            injected = true;
        } else {
            return true;
        }
        false
    });
    let doc = docs::doc_text(&doc_attrs);
    let binding = match pat {
        Pat::Ident(pat) => Some(unraw(&pat.ident)),
        _ => None,
    };

    if let Some(inner) = whole_args_inner(ty) {
        if !copied.is_empty() {
            errors.at(&copied[0], "put serde and schemars attributes on the fields of the `Args<T>` struct instead");
        }
        return Some(Param { ty: ty.clone(), source: Source::WholeArgs { inner }, binding });
    }
    if injected || is_injected_type(ty) {
        if !copied.is_empty() {
            errors.at(
                &copied[0],
                "an injected parameter is not part of the arguments; serde and schemars attributes do not apply to it",
            );
        }
        return Some(Param { ty: ty.clone(), source: Source::Injected, binding });
    }
    check_argument_type(ty, errors);
    let name = match pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
        other => {
            errors.at(
                other,
                "an MCP argument needs a plain name (it becomes the property name in the schema); \
                 destructure inside the function instead",
            );
            return None;
        }
    };
    Some(Param { ty: ty.clone(), source: Source::Argument { name, doc, attrs: copied, complete }, binding })
}

fn check_argument_type(ty: &Type, errors: &mut Errors) {
    match ty {
        Type::Reference(reference) => {
            let suggestion = match &*reference.elem {
                Type::Path(path) if path.path.is_ident("str") => "`String`".to_owned(),
                Type::Slice(slice) => {
                    let elem = &slice.elem;
                    format!("`Vec<{}>`", quote::quote!(#elem))
                }
                other => format!("`{}`", quote::quote!(#other)),
            };
            errors.at(
                ty,
                format!("an MCP argument is decoded from the request and must be owned; use {suggestion} instead"),
            );
        }
        Type::ImplTrait(_) => errors.at(ty, "an MCP argument needs a concrete type, not `impl Trait`"),
        _ if contains_impl_trait(ty) => errors.at(ty, "an MCP argument needs a concrete type, not `impl Trait`"),
        _ => {}
    }
}

/// `Context`, `State<..>`, by their last path segment (so `mcp_runtime::Context` works too).
fn is_injected_type(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|segment| {
        (segment.ident == "Context" && segment.arguments.is_none())
            || (segment.ident == "State" && matches!(segment.arguments, PathArguments::AngleBracketed(_)))
    })
}

fn whole_args_inner(ty: &Type) -> Option<Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Args" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else { return None };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner.clone()),
        _ => None,
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(TypePath { qself: None, path }) => path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn check_whole_args(params: &[Param], errors: &mut Errors) {
    let whole: Vec<&Param> = params.iter().filter(|param| matches!(param.source, Source::WholeArgs { .. })).collect();
    let named: Vec<&Param> = params.iter().filter(|param| matches!(param.source, Source::Argument { .. })).collect();
    if whole.len() > 1 {
        errors.at(&whole[1].ty, "only one `Args<T>` parameter is allowed: it describes the whole argument object");
    }
    if let (Some(args), Some(other)) = (whole.first(), named.first()) {
        let Source::Argument { name, .. } = &other.source else { return };
        errors.at(
            &args.ty,
            format!(
                "`Args<T>` describes the whole argument object, so `{name}` cannot be a separate argument; \
                 move it into the struct, or replace `Args<T>` with one parameter per argument"
            ),
        );
    }
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}

fn is_flatten(attr: &Attribute) -> bool {
    let mut flatten = false;
    if attr.path().is_ident("serde") {
        let _ = attr.parse_nested_meta(|meta| {
            flatten |= meta.path.is_ident("flatten");
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _group: proc_macro2::TokenTree = meta.input.parse()?;
            }
            Ok(())
        });
    }
    flatten
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn read(mut function: ItemFn) -> (Signature, ItemFn, Vec<String>) {
        let mut errors = Errors::default();
        let signature = Signature::read(&mut function, &mut errors);
        (signature, function, errors.messages())
    }

    #[test]
    fn sorts_arguments_from_injected_parameters() {
        let (signature, function, errors) = read(parse_quote! {
            async fn f(
                /// The query.
                #[serde(default)]
                query: String,
                ctx: Context,
                db: State<Db>,
                #[inject] principal: Principal,
                r#type: Option<u8>,
            ) -> String { query }
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert!(signature.is_async);
        let kinds: Vec<&str> = signature
            .params
            .iter()
            .map(|param| match param.source {
                Source::Argument { .. } => "argument",
                Source::Injected => "injected",
                Source::WholeArgs { .. } => "whole",
            })
            .collect();
        assert_eq!(kinds, ["argument", "injected", "injected", "injected", "argument"]);
        let Source::Argument { name, doc, attrs, .. } = &signature.params[0].source else { unreachable!() };
        assert_eq!(name, "query");
        assert_eq!(doc.as_deref(), Some("The query."));
        assert_eq!(attrs.len(), 1);
        let Source::Argument { name, .. } = &signature.params[4].source else { unreachable!() };
        assert_eq!(unraw(name), "type");
        // Everything the macro consumed is gone from the re-emitted function.
        let FnArg::Typed(first) = &function.sig.inputs[0] else { unreachable!() };
        assert!(first.attrs.is_empty());
    }

    #[test]
    fn other_parameter_attributes_stay_on_the_function() {
        let (_, function, errors) = read(parse_quote! { async fn f(#[allow(unused)] a: i64) {} });
        assert!(errors.is_empty(), "{errors:?}");
        let FnArg::Typed(first) = &function.sig.inputs[0] else { unreachable!() };
        assert_eq!(first.attrs.len(), 1);
    }

    #[test]
    fn whole_args_and_flatten_are_recognised() {
        let (signature, _, errors) = read(parse_quote! { async fn f(Args(page): Args<Page>, ctx: Context) {} });
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(signature.params[0].source, Source::WholeArgs { .. }));
        let (signature, _, _) = read(parse_quote! { fn f(#[serde(flatten)] rest: Extra) {} });
        assert!(signature.has_flatten);
        assert!(!signature.is_async);
    }

    #[test]
    fn reports_every_unsupported_form() {
        let (_, _, errors) = read(parse_quote! {
            async unsafe fn f<T>(&self, name: &str, (a, b): (i64, i64), x: impl Into<String>) -> impl Sized {}
        });
        assert_eq!(errors.len(), 7, "{errors:?}");
        assert!(errors[0].contains("cannot be generic"));
        assert!(errors[1].contains("cannot be `unsafe`"));
        assert!(errors[2].contains("must be a free function"));
        assert!(errors[3].contains("use `String` instead"));
        assert!(errors[4].contains("needs a plain name"));
        assert!(errors[5].contains("concrete type, not `impl Trait`"));
        assert!(errors[6].contains("must return a concrete type"));
    }

    #[test]
    fn args_cannot_be_mixed_with_named_arguments() {
        let (_, _, errors) = read(parse_quote! { async fn f(args: Args<Page>, extra: u8) {} });
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("`extra` cannot be a separate argument"));
    }

    #[test]
    fn arguments_section_fills_missing_docs_and_rejects_strangers() {
        let (mut signature, _, _) = read(parse_quote! { async fn f(/// Own doc.
        a: i64, b: i64) {} });
        let mut errors = Errors::default();
        signature.describe_from_section(
            vec![("a".into(), "ignored".into()), ("b".into(), "From the section.".into()), ("c".into(), "?".into())],
            Span::call_site(),
            &mut errors,
        );
        let docs: Vec<Option<&str>> = signature
            .params
            .iter()
            .map(|param| match &param.source {
                Source::Argument { doc, .. } => doc.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(docs, [Some("Own doc."), Some("From the section.")]);
        assert_eq!(errors.messages().len(), 1);
        assert!(errors.messages()[0].contains("describes `c`"));
    }
}
