//! The value types of the keys, each parsed by one function that says, in its error, what a
//! well-formed value looks like. A value that can be checked on its own (a duration, a call
//! limit) is checked here, so a typo is reported at the value.

use proc_macro2::Span;
use syn::{Expr, ExprArray, ExprLit, Lit, LitBool, LitInt, LitStr, meta::ParseNestedMeta, parse::Parse};

use crate::errors::Errors;

/// One entry of `scopes = [...]` (or `audience = [...]`): a string, or a variant of a
/// `#[derive(Scopes)]` enum.
pub(crate) enum ScopeExpr {
    Literal(LitStr),
    Typed(Expr),
}

/// Stores a key's value, or reports the key as given twice (the first value stays).
pub(crate) fn set<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
    if slot.is_some() {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        errors.at(&meta.path, format!("duplicate argument `{key}`"));
    } else {
        *slot = Some(value);
    }
}

/// `key = "text"`.
pub(crate) fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?
        .parse::<LitStr>()
        .map_err(|error| syn::Error::new(error.span(), "expected a string literal, e.g. `name = \"search\"`"))
}

/// `read_only` alone means true; `read_only = false` states the opposite explicitly.
pub(crate) fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<LitBool> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<LitBool>().map_err(|error| syn::Error::new(error.span(), "expected `true` or `false`"))
    } else {
        Ok(LitBool::new(true, meta.path.get_ident().map_or_else(Span::call_site, syn::Ident::span)))
    }
}

/// `key = value` for a value with its own syntax (a number, a path), in syn's words on error.
pub(crate) fn parsed<T: Parse>(meta: &ParseNestedMeta<'_>) -> syn::Result<T> {
    meta.value().and_then(|value| value.parse())
}

/// `scopes = ["files:read", Scope::FilesWrite]`.
pub(crate) fn scope_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<ScopeExpr>> {
    let array: ExprArray = meta.value()?.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            "expected a list of scopes, e.g. `scopes = [\"files:read\"]` or `[Scope::FilesRead]`",
        )
    })?;
    array
        .elems
        .iter()
        .map(|element| match element {
            Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => Ok(ScopeExpr::Literal(text.clone())),
            Expr::Path(_) => Ok(ScopeExpr::Typed(element.clone())),
            other => Err(syn::Error::new_spanned(
                other,
                "expected a scope: a string literal such as \"files:read\", or a variant of a `#[derive(Scopes)]` enum",
            )),
        })
        .collect()
}

/// A limit on calls at once: a whole number, at least 1.
pub(crate) fn call_count(meta: &ParseNestedMeta<'_>) -> syn::Result<LitInt> {
    const FORM: &str = "expected how many calls may run at once, e.g. `max_concurrency = 4`";
    let count: LitInt = meta.value()?.parse().map_err(|error| syn::Error::new(error.span(), FORM))?;
    match count.base10_parse::<usize>() {
        Ok(0) => Err(syn::Error::new(
            count.span(),
            "`max_concurrency = 0` would refuse every call; the limit must be at least 1",
        )),
        Ok(_) => Ok(count),
        Err(_) => Err(syn::Error::new(count.span(), FORM)),
    }
}

/// How a tool runs as a task (the tasks extension): `"optional"` or `"required"`.
pub(crate) fn task_support(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    const FORM: &str = "expected `task = \"optional\"` (a client that supports tasks gets one) or \
                        `task = \"required\"` (only clients that support tasks may call the tool)";
    let text: LitStr = meta.value()?.parse().map_err(|error| syn::Error::new(error.span(), FORM))?;
    match text.value().as_str() {
        "optional" | "required" => Ok(text),
        "forbidden" => Err(syn::Error::new(
            text.span(),
            "`task = \"forbidden\"` is the default: leave `task` out for a tool that never runs as a task",
        )),
        _ => Err(syn::Error::new(text.span(), FORM)),
    }
}

/// A duration literal such as `"30s"`, checked now so a typo is a compile error.
pub(crate) fn duration(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let text: LitStr = meta.value()?.parse().map_err(|error| syn::Error::new(error.span(), DURATION_FORMS))?;
    duration_nanos(&text.value()).map_err(|problem| syn::Error::new(text.span(), problem))?;
    Ok(text)
}

const DURATION_FORMS: &str =
    "expected a duration string such as `\"500ms\"`, `\"30s\"`, `\"1.5s\"`, `\"5m\"` or `\"1h\"`";

/// `"500ms"`, `"30s"`, `"1.5s"`, `"5m"`, `"1h"` (the runtime's `HumanDuration` grammar) in
/// nanoseconds; zero is refused, as it would fail every call.
pub(crate) fn duration_nanos(text: &str) -> Result<u64, String> {
    let duration = crate::duration_grammar::parse(text)?;
    if duration.is_zero() {
        return Err("a timeout of zero would stop every call before it starts".to_owned());
    }
    u64::try_from(duration.as_nanos()).map_err(|_| format!("`{}` is longer than a timeout can be", text.trim()))
}
