//! Rules on the function's shape, checked on the function as written: what a handler cannot be
//! (generic, unsafe, a method), and the parameters and return types the macros cannot serve.

use syn::{
    Attribute, FnArg, Generics, ItemFn, Pat, PatType, Receiver, ReturnType, Signature as FnSignature, Type,
    TypeImplTrait, visit::Visit,
};

use crate::{
    errors::Errors,
    parameter_attrs::ParamAttr,
    signature::{is_injected, plain_name, whole_args_inner},
};

/// Every rule on the function, in the order its parts are written.
pub(super) fn all(function: &ItemFn, errors: &mut Errors) {
    let sig = &function.sig;
    not_generic(&sig.generics, errors);
    not_unsafe_extern_const_or_variadic(sig, errors);
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => not_a_method(receiver, errors),
            FnArg::Typed(param) => parameter(param, errors),
        }
    }
    headers_differ(sig, errors);
    one_args_at_most(sig, errors);
    args_alone(sig, errors);
    returns_a_concrete_type(&sig.output, errors);
}

fn parameter(param: &PatType, errors: &mut Errors) {
    for attr in &param.attrs {
        match ParamAttr::of(attr) {
            ParamAttr::Complete => complete_names_a_function(attr, errors),
            ParamAttr::Inject => inject_takes_no_arguments(attr, errors),
            ParamAttr::Header => header_is_a_token(attr, errors),
            _ => {}
        }
    }
    let header = param.attrs.iter().find(|attr| ParamAttr::of(attr) == ParamAttr::Header);
    let copied: Vec<&Attribute> =
        param.attrs.iter().filter(|attr| ParamAttr::of(attr) == ParamAttr::SerdeOrSchemars).collect();
    if whole_args_inner(&param.ty).is_some() {
        args_takes_no_attributes(&copied, errors);
        header.inspect(|attr| errors.at(attr, HEADER_ON_AN_ARGUMENT));
    } else if is_injected(&param.attrs, &param.ty) {
        injected_takes_no_attributes(&copied, errors);
        header.inspect(|attr| errors.at(attr, HEADER_ON_AN_ARGUMENT));
    } else {
        argument_is_owned_and_concrete(&param.ty, errors);
        argument_has_a_plain_name(&param.pat, errors);
    }
}

/// The server builds the schema from concrete types.
fn not_generic(generics: &Generics, errors: &mut Errors) {
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        errors.at(
            generics,
            "an MCP handler cannot be generic: the server builds its schema from concrete types; \
             write a non-generic function that calls the generic one",
        );
    }
}

/// Qualifiers that make no sense for a function a client calls.
fn not_unsafe_extern_const_or_variadic(sig: &FnSignature, errors: &mut Errors) {
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
}

/// The runtime has no `self` to call a method on.
fn not_a_method(receiver: &Receiver, errors: &mut Errors) {
    errors.at(
        receiver,
        "an MCP handler must be a free function, not a method; call the method from a free \
         function and put the shared value in `State<T>`",
    );
}

fn complete_names_a_function(attr: &Attribute, errors: &mut Errors) {
    if attr.parse_args::<syn::Path>().is_err() {
        errors.at(attr, "name the completion function: `#[complete(function_name)]`");
    }
}

const HEADER_ON_AN_ARGUMENT: &str = "`#[header(\"Name\")]` mirrors one argument into an `Mcp-Param-Name` header; \
     put it on a parameter that is an argument (for `Args<T>`, write the field's schema with \
     `#[schemars(extend(\"x-mcp-header\" = \"Name\"))]`)";

/// A header name is an HTTP token: SEP-2243 has clients refuse a tool whose name is empty, or
/// holds a space, a colon, a control character or anything beyond ASCII.
fn header_is_a_token(attr: &Attribute, errors: &mut Errors) {
    let Ok(name) = attr.parse_args::<syn::LitStr>() else {
        errors.at(attr, "name the header: `#[header(\"Region\")]` sends the argument as `Mcp-Param-Region`");
        return;
    };
    let value = name.value();
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if value.is_empty() || !value.chars().all(is_token_char) {
        errors.at(
            &name,
            format!(
                "`{}` cannot name a header: use letters, digits and `-` (an HTTP token: no spaces, colons, control \
                 characters or non-ASCII), e.g. `#[header(\"Region\")]`",
                value.escape_default()
            ),
        );
    }
}

/// Header names are case-insensitive: two arguments in `Mcp-Param-Region` and
/// `Mcp-Param-region` would be one header.
fn headers_differ(sig: &FnSignature, errors: &mut Errors) {
    let mut seen: Vec<String> = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(param) = input else { continue };
        for attr in param.attrs.iter().filter(|attr| ParamAttr::of(attr) == ParamAttr::Header) {
            let Ok(name) = attr.parse_args::<syn::LitStr>() else { continue };
            let name_value = name.value();
            match seen.iter().find(|earlier| earlier.eq_ignore_ascii_case(&name_value)) {
                Some(earlier) => errors.at(
                    &name,
                    format!(
                        "`Mcp-Param-{name_value}` is the header of another argument already (`Mcp-Param-{earlier}`: \
                         header names ignore case); give each argument a header of its own"
                    ),
                ),
                None => seen.push(name_value),
            }
        }
    }
}

fn inject_takes_no_arguments(attr: &Attribute, errors: &mut Errors) {
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        errors.at(attr, "`#[inject]` takes no arguments");
    }
}

/// `Args<T>` is described by `T`'s own derives.
fn args_takes_no_attributes(copied: &[&Attribute], errors: &mut Errors) {
    if let Some(first) = copied.first() {
        errors.at(first, "put serde and schemars attributes on the fields of the `Args<T>` struct instead");
    }
}

fn injected_takes_no_attributes(copied: &[&Attribute], errors: &mut Errors) {
    if let Some(first) = copied.first() {
        errors.at(
            first,
            "an injected parameter is not part of the arguments; serde and schemars attributes do not apply to it",
        );
    }
}

/// An argument is decoded from the request, so it owns its data and has a known type.
fn argument_is_owned_and_concrete(ty: &Type, errors: &mut Errors) {
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

/// The name becomes the property's name in the schema.
fn argument_has_a_plain_name(pat: &Pat, errors: &mut Errors) {
    if plain_name(pat).is_none() {
        errors.at(
            pat,
            "an MCP argument needs a plain name (it becomes the property name in the schema); \
             destructure inside the function instead",
        );
    }
}

/// The `Args<T>` parameters, and the arguments with a plain name (those that reach the schema).
fn args_and_named(sig: &FnSignature) -> (Vec<&PatType>, Vec<&syn::Ident>) {
    let mut whole = Vec::new();
    let mut named = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(param) = input else { continue };
        if whole_args_inner(&param.ty).is_some() {
            whole.push(param);
        } else if !is_injected(&param.attrs, &param.ty)
            && let Some(name) = plain_name(&param.pat)
        {
            named.push(name);
        }
    }
    (whole, named)
}

fn one_args_at_most(sig: &FnSignature, errors: &mut Errors) {
    let (whole, _) = args_and_named(sig);
    if let Some(second) = whole.get(1) {
        errors.at(&second.ty, "only one `Args<T>` parameter is allowed: it describes the whole argument object");
    }
}

fn args_alone(sig: &FnSignature, errors: &mut Errors) {
    let (whole, named) = args_and_named(sig);
    if let (Some(args), Some(name)) = (whole.first(), named.first()) {
        errors.at(
            &args.ty,
            format!(
                "`Args<T>` describes the whole argument object, so `{name}` cannot be a separate argument; \
                 move it into the struct, or replace `Args<T>` with one parameter per argument"
            ),
        );
    }
}

/// The output schema and the conversion of the result need the type itself.
fn returns_a_concrete_type(output: &ReturnType, errors: &mut Errors) {
    if let ReturnType::Type(_, ty) = output
        && contains_impl_trait(ty)
    {
        errors.at(ty, "an MCP handler must return a concrete type, not `impl Trait`");
    }
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}
