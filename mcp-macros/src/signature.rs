//! The annotated function's shape: which parameters are arguments (in the schema) and which are
//! injected by the runtime, their docs and attributes, and the return type. Reading never fails:
//! what the macros cannot support is `check`'s to report, before the model is built.

use syn::{Attribute, FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType, Type, TypePath};

use crate::{docs, parameter_attrs::ParamAttr};

/// How one parameter of the function gets its value.
pub(crate) enum Source {
    /// A property of the argument object; `attrs` are the serde/schemars attributes to copy;
    /// `complete` names a function that completes the argument (prompts, resource templates);
    /// `header` is the `#[header("Name")]` a tool argument is mirrored into (SEP-2243), already
    /// among `attrs` as the schema's `x-mcp-header`.
    Argument {
        name: Ident,
        doc: Option<String>,
        attrs: Vec<Attribute>,
        complete: Option<syn::Path>,
        header: Option<syn::LitStr>,
    },
    /// Extracted from the request by the runtime (`Context`, `State<T>`, `#[inject]`).
    Injected,
    /// `Args<T>`: the whole argument object is a `T`.
    WholeArgs { inner: Type },
}

/// One parameter of the function (a method's receiver is none).
pub(crate) struct Param {
    pub(crate) ty: Type,
    pub(crate) source: Source,
    /// The parameter's name in the function, when its pattern is a name.
    pub(crate) binding: Option<String>,
}

/// What the macros need of the function's signature.
pub(crate) struct Signature {
    pub(crate) ident: Ident,
    pub(crate) is_async: bool,
    /// The parameters, in order; an argument without a plain name (a pattern) is left out.
    pub(crate) params: Vec<Param>,
    /// The declared return type; `()` when there is none.
    pub(crate) output: Type,
    /// Whether any argument is `#[serde(flatten)]`, which rules out `deny_unknown_fields`.
    pub(crate) has_flatten: bool,
}

impl Signature {
    /// Reads the function and strips the parameter attributes only the macro understands, so the
    /// function can be emitted again as ordinary Rust.
    pub(crate) fn read(function: &mut ItemFn) -> Self {
        let sig = &mut function.sig;
        let params: Vec<Param> = sig
            .inputs
            .iter_mut()
            .filter_map(|input| match input {
                FnArg::Receiver(_) => None,
                FnArg::Typed(typed) => read_param(&mut typed.attrs, &typed.pat, &typed.ty),
            })
            .collect();
        let output = match &sig.output {
            ReturnType::Default => syn::parse_quote!(()),
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
        let has_flatten = params.iter().any(|param| match &param.source {
            Source::Argument { attrs, .. } => attrs.iter().any(is_flatten),
            _ => false,
        });
        Signature { ident: sig.ident.clone(), is_async: sig.asyncness.is_some(), params, output, has_flatten }
    }

    /// Fills in argument descriptions from the function's `# Arguments` section where a parameter
    /// has no `///` comment of its own. Entries naming no parameter are `check`'s to report.
    pub(crate) fn describe_from_section(&mut self, section: Vec<(String, String)>) {
        for (name, text) in section {
            for param in &mut self.params {
                if let Source::Argument { name: ident, doc, .. } = &mut param.source
                    && unraw(ident) == name
                {
                    doc.get_or_insert(text);
                    break;
                }
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

/// The name of an argument, when its pattern is a plain one (`name`, not `ref name` or a tuple).
pub(crate) fn plain_name(pat: &Pat) -> Option<&Ident> {
    match pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => Some(&pat.ident),
        _ => None,
    }
}

/// The `T` of `Args<T>`, the parameter that describes the whole argument object.
pub(crate) fn whole_args_inner(ty: &Type) -> Option<Type> {
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

/// Whether the runtime provides the parameter: marked `#[inject]`, or `Context` or `State<..>`.
pub(crate) fn is_injected(attrs: &[Attribute], ty: &Type) -> bool {
    attrs.iter().any(|attr| ParamAttr::of(attr) == ParamAttr::Inject) || is_injected_type(ty)
}

fn read_param(attrs: &mut Vec<Attribute>, pat: &Pat, ty: &Type) -> Option<Param> {
    let injected = is_injected(attrs, ty);
    let mut doc_attrs = Vec::new();
    let mut copied = Vec::new();
    let mut complete = None;
    let mut header: Option<syn::LitStr> = None;
    attrs.retain(|attr| {
        match ParamAttr::of(attr) {
            ParamAttr::Doc => doc_attrs.push(attr.clone()),
            ParamAttr::SerdeOrSchemars => copied.push(attr.clone()),
            // A malformed one is reported by `check`.
            ParamAttr::Complete => complete = attr.parse_args::<syn::Path>().ok().or(complete.take()),
            ParamAttr::Inject => {}
            ParamAttr::Header => {
                if let Ok(name) = attr.parse_args::<syn::LitStr>() {
                    copied.push(syn::parse_quote_spanned!(name.span()=> #[schemars(extend("x-mcp-header" = #name))]));
                    header = Some(name);
                }
            }
            ParamAttr::Other => return true,
        }
        false
    });
    let doc = docs::doc_text(&doc_attrs);
    let binding = match pat {
        Pat::Ident(pat) => Some(unraw(&pat.ident)),
        _ => None,
    };
    let ty = ty.clone();
    if let Some(inner) = whole_args_inner(&ty) {
        return Some(Param { ty, source: Source::WholeArgs { inner }, binding });
    }
    if injected {
        return Some(Param { ty, source: Source::Injected, binding });
    }
    let name = plain_name(pat)?.clone();
    Some(Param { ty, source: Source::Argument { name, doc, attrs: copied, complete, header }, binding })
}

/// `Context`, `State<..>`, by their last path segment (so `mcp_runtime::Context` works too).
fn is_injected_type(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|segment| {
        (segment.ident == "Context" && segment.arguments.is_none())
            || (segment.ident == "State" && matches!(segment.arguments, PathArguments::AngleBracketed(_)))
    })
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(TypePath { qself: None, path }) => path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
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
    use crate::errors::Errors;
    use syn::parse_quote;

    /// Checks the function's shape, as the macros do first, then reads it.
    fn read(mut function: ItemFn) -> (Signature, ItemFn, Vec<String>) {
        let mut errors = Errors::default();
        crate::check::function(&function, &mut errors);
        let signature = Signature::read(&mut function);
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
    fn arguments_section_fills_missing_docs() {
        let (mut signature, _, _) = read(parse_quote! { async fn f(/// Own doc.
        a: i64, b: i64) {} });
        signature.describe_from_section(vec![
            ("a".into(), "ignored".into()),
            ("b".into(), "From the section.".into()),
            ("c".into(), "?".into()),
        ]);
        let docs: Vec<Option<&str>> = signature
            .params
            .iter()
            .map(|param| match &param.source {
                Source::Argument { doc, .. } => doc.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(docs, [Some("Own doc."), Some("From the section.")]);
    }
}
