//! The arguments of `#[mcp_tool(...)]`, parsed once into a typed struct.

use proc_macro2::{Span, TokenStream};
use syn::{Expr, ExprArray, ExprLit, Lit, LitBool, LitStr, Path, meta::ParseNestedMeta};

use crate::errors::Errors;

/// `#[mcp_tool(name = "...", title = "...", description = "...", read_only, destructive,
/// idempotent, open_world, scopes = ["..."], timeout = "30s", max_concurrency = 4, crate = path)]`
#[derive(Default)]
pub(crate) struct ToolAttr {
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) read_only: Option<LitBool>,
    pub(crate) destructive: Option<LitBool>,
    pub(crate) idempotent: Option<LitBool>,
    pub(crate) open_world: Option<LitBool>,
    pub(crate) scopes: Option<Vec<ScopeExpr>>,
    pub(crate) krate: Option<Path>,
    pub(crate) uri: Option<LitStr>,
    pub(crate) mime_type: Option<LitStr>,
    pub(crate) audience: Option<Vec<ScopeExpr>>,
    pub(crate) priority: Option<syn::LitFloat>,
    pub(crate) size: Option<syn::LitInt>,
    pub(crate) list: Option<Path>,
    /// `timeout = "30s"`, checked when parsed.
    pub(crate) timeout: Option<LitStr>,
    /// `max_concurrency = 4`, checked when parsed.
    pub(crate) max_concurrency: Option<syn::LitInt>,
    /// The arguments the macro takes, for "unknown argument" messages.
    kind_keys: &'static str,
}

/// One entry of `scopes = [...]`: a string, or a variant of a `#[derive(Scopes)]` enum.
pub(crate) enum ScopeExpr {
    Literal(LitStr),
    Typed(Expr),
}

/// Which macro the arguments belong to: prompts take no tool annotations.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tool,
    Prompt,
    Resource,
}

impl Kind {
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            Kind::Tool => "#[mcp_tool]",
            Kind::Prompt => "#[mcp_prompt]",
            Kind::Resource => "#[mcp_resource]",
        }
    }

    fn keys(self) -> &'static str {
        match self {
            Kind::Tool => TOOL_KEYS,
            Kind::Prompt => PROMPT_KEYS,
            Kind::Resource => RESOURCE_KEYS,
        }
    }

    /// Whether `key` is an argument of this macro (unknown keys are reported elsewhere).
    fn accepts(self, key: &str) -> bool {
        const ANNOTATIONS: [&str; 4] = ["read_only", "destructive", "idempotent", "open_world"];
        const RESOURCE_ONLY: [&str; 6] = ["uri", "mime_type", "audience", "priority", "size", "list"];
        const TOOL_ONLY: [&str; 2] = ["timeout", "max_concurrency"];
        match self {
            Kind::Tool => !RESOURCE_ONLY.contains(&key),
            Kind::Prompt => !ANNOTATIONS.contains(&key) && !RESOURCE_ONLY.contains(&key) && !TOOL_ONLY.contains(&key),
            Kind::Resource => !ANNOTATIONS.contains(&key) && !TOOL_ONLY.contains(&key),
        }
    }
}

const RESOURCE_KEYS: &str =
    "`uri`, `name`, `title`, `description`, `mime_type`, `audience`, `priority`, `size`, `list`, `scopes`, `crate`";

const PROMPT_KEYS: &str = "`name`, `title`, `description`, `scopes`, `crate`";

const TOOL_KEYS: &str = "`name`, `title`, `description`, `read_only`, `destructive`, `idempotent`, `open_world`, \
                         `scopes`, `timeout`, `max_concurrency`, `crate`";

impl ToolAttr {
    #[cfg(test)]
    pub(crate) fn parse(args: TokenStream, errors: &mut Errors) -> Self {
        Self::parse_for(Kind::Tool, args, errors)
    }

    pub(crate) fn parse_for(kind: Kind, args: TokenStream, errors: &mut Errors) -> Self {
        let mut attr = ToolAttr { kind_keys: kind.keys(), ..ToolAttr::default() };
        let parser = syn::meta::parser(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if !kind.accepts(&key) {
                errors.at(
                    &meta.path,
                    format!("`{key}` does not apply to `{}`, which takes {}", kind.attribute(), kind.keys()),
                );
                if meta.input.peek(syn::Token![=]) {
                    let _ = meta.value().and_then(|value| value.parse::<Expr>());
                }
                return Ok(());
            }
            attr.parse_one(&meta, errors);
            Ok(())
        });
        if let Err(error) = syn::parse::Parser::parse2(parser, args) {
            errors.push(error);
        }
        attr.check(errors);
        attr
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
        let Some(key) = meta.path.get_ident().map(ToString::to_string) else {
            errors.at(&meta.path, format!("unknown argument; expected one of {}", self.kind_keys));
            return;
        };
        let result = match key.as_str() {
            "name" => string(meta).map(|v| set(&mut self.name, v, meta, errors)),
            "title" => string(meta).map(|v| set(&mut self.title, v, meta, errors)),
            "description" => string(meta).map(|v| set(&mut self.description, v, meta, errors)),
            "read_only" => flag(meta).map(|v| set(&mut self.read_only, v, meta, errors)),
            "destructive" => flag(meta).map(|v| set(&mut self.destructive, v, meta, errors)),
            "idempotent" => flag(meta).map(|v| set(&mut self.idempotent, v, meta, errors)),
            "open_world" => flag(meta).map(|v| set(&mut self.open_world, v, meta, errors)),
            "uri" => string(meta).map(|v| set(&mut self.uri, v, meta, errors)),
            "mime_type" => string(meta).map(|v| set(&mut self.mime_type, v, meta, errors)),
            "audience" => scope_list(meta).map(|v| set(&mut self.audience, v, meta, errors)),
            "priority" => {
                meta.value().and_then(|value| value.parse()).map(|v| set(&mut self.priority, v, meta, errors))
            }
            "size" => meta.value().and_then(|value| value.parse()).map(|v| set(&mut self.size, v, meta, errors)),
            "list" => meta.value().and_then(|value| value.parse()).map(|v| set(&mut self.list, v, meta, errors)),
            "scopes" => scope_list(meta).map(|v| set(&mut self.scopes, v, meta, errors)),
            "timeout" => duration(meta).map(|v| set(&mut self.timeout, v, meta, errors)),
            "max_concurrency" => call_count(meta).map(|v| set(&mut self.max_concurrency, v, meta, errors)),
            "crate" => meta.value().and_then(|value| value.parse()).map(|v| set(&mut self.krate, v, meta, errors)),
            "readonly" | "read_only_hint" | "readOnlyHint" => {
                Err(meta.error(format!("unknown argument `{key}`; did you mean `read_only`?")))
            }
            "scope" => Err(meta.error("unknown argument `scope`; did you mean `scopes = [\"...\"]`?")),
            "mime" | "mimetype" | "mimeType" => {
                Err(meta.error(format!("unknown argument `{key}`; did you mean `mime_type`?")))
            }
            _ => Err(meta.error(format!("unknown argument `{key}`; expected one of {}", self.kind_keys))),
        };
        if let Err(error) = result {
            errors.push(error);
            // Skip whatever value followed, so one mistake reports one error.
            while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                if meta.input.parse::<proc_macro2::TokenTree>().is_err() {
                    break;
                }
            }
        }
    }

    fn check(&self, errors: &mut Errors) {
        if let (Some(read_only), Some(destructive)) = (&self.read_only, &self.destructive)
            && read_only.value
            && destructive.value
        {
            errors.at(
                destructive,
                "a `read_only` tool cannot also be `destructive`: destructive means it modifies its environment",
            );
        }
        if let Some(name) = &self.name
            && let Err(problem) = check_tool_name(&name.value())
        {
            errors.at(name, problem);
        }
        for scope in self.scopes.iter().flatten() {
            if let ScopeExpr::Literal(scope) = scope
                && let Err(problem) = check_scope(&scope.value())
            {
                errors.at(scope, problem);
            }
        }
        for role in self.audience.iter().flatten() {
            match role {
                ScopeExpr::Literal(text) if matches!(text.value().as_str(), "user" | "assistant") => {}
                ScopeExpr::Literal(text) => errors.at(text, "an audience is `\"user\"` or `\"assistant\"`"),
                ScopeExpr::Typed(other) => errors.at(other, "an audience is `\"user\"` or `\"assistant\"`"),
            }
        }
        if let Some(priority) = &self.priority
            && !priority.base10_parse::<f32>().is_ok_and(|value| (0.0..=1.0).contains(&value))
        {
            errors.at(priority, "a priority is a number from 0.0 (least important) to 1.0 (most important)");
        }
        if let Some(size) = &self.size
            && size.base10_parse::<u64>().is_err()
        {
            errors.at(size, "a size is a number of bytes");
        }
        if let Some(mime_type) = &self.mime_type
            && let Err(problem) = crate::mime::check(&mime_type.value())
        {
            errors.at(mime_type, problem);
        }
        if let Some(description) = &self.description
            && description.value().trim().is_empty()
        {
            errors.at(description, "the description is empty; say what the tool does, for the model to read");
        }
    }
}

fn set<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
    if slot.is_some() {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        errors.at(&meta.path, format!("duplicate argument `{key}`"));
    } else {
        *slot = Some(value);
    }
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?
        .parse::<LitStr>()
        .map_err(|error| syn::Error::new(error.span(), "expected a string literal, e.g. `name = \"search\"`"))
}

/// A limit on calls at once: a whole number, at least 1.
fn call_count(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::LitInt> {
    const FORM: &str = "expected how many calls may run at once, e.g. `max_concurrency = 4`";
    let count: syn::LitInt = meta.value()?.parse().map_err(|error| syn::Error::new(error.span(), FORM))?;
    match count.base10_parse::<usize>() {
        Ok(0) => Err(syn::Error::new(
            count.span(),
            "`max_concurrency = 0` would refuse every call; the limit must be at least 1",
        )),
        Ok(_) => Ok(count),
        Err(_) => Err(syn::Error::new(count.span(), FORM)),
    }
}

/// A duration literal such as `"30s"`, checked now so a typo is a compile error.
fn duration(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let text: LitStr = meta.value()?.parse().map_err(|error| syn::Error::new(error.span(), DURATION_FORMS))?;
    duration_millis(&text.value()).map_err(|problem| syn::Error::new(text.span(), problem))?;
    Ok(text)
}

const DURATION_FORMS: &str = "expected a duration string such as `\"500ms\"`, `\"30s\"`, `\"5m\"` or `\"1h\"`";

/// `"500ms"`, `"30s"`, `"5m"`, `"1h"` in milliseconds; zero is refused, as it would fail every call.
pub(crate) fn duration_millis(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        _ => return Err(format!("`{text}` has no known unit; {DURATION_FORMS}")),
    };
    let millis = number.parse::<u64>().ok().and_then(|number| number.checked_mul(scale));
    match millis {
        Some(0) => Err("a timeout of zero would stop every call before it starts".to_owned()),
        Some(millis) => Ok(millis),
        None => Err(format!("`{text}` is not a whole number of a unit; {DURATION_FORMS}")),
    }
}

/// `read_only` alone means true; `read_only = false` states the opposite explicitly.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<LitBool> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<LitBool>().map_err(|error| syn::Error::new(error.span(), "expected `true` or `false`"))
    } else {
        Ok(LitBool::new(true, meta.path.get_ident().map_or_else(Span::call_site, syn::Ident::span)))
    }
}

fn scope_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<ScopeExpr>> {
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

/// The MCP specification's rule for tool names (2025-11-25): 1 to 128 of `A-Za-z0-9_-.`.
pub(crate) fn check_tool_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 128 {
        return Err(format!("a tool name must be 1 to 128 characters long; `{name}` has {}", name.len()));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))) {
        return Err(format!(
            "a tool name may use only ASCII letters, digits, `_`, `-` and `.`; `{name}` contains {bad:?}"
        ));
    }
    Ok(())
}

/// OAuth 2.0 scope tokens (RFC 6749 §3.3): printable ASCII without space, `"` or `\`.
pub(crate) fn check_scope(scope: &str) -> Result<(), String> {
    if scope.is_empty() {
        return Err("a scope cannot be empty".into());
    }
    if let Some(bad) = scope.chars().find(|c| !matches!(c, '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e')) {
        return Err(format!(
            "a scope is one OAuth token without spaces, quotes or backslashes; `{scope}` contains {bad:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (ToolAttr, Vec<String>) {
        let mut errors = Errors::default();
        let attr = ToolAttr::parse(tokens, &mut errors);
        (attr, errors.messages())
    }

    #[test]
    fn durations_have_a_unit_and_are_not_zero() {
        assert_eq!(duration_millis("500ms"), Ok(500));
        assert_eq!(duration_millis("30s"), Ok(30_000));
        assert_eq!(duration_millis("5m"), Ok(300_000));
        assert_eq!(duration_millis("1h"), Ok(3_600_000));
        assert!(duration_millis("30").unwrap_err().contains("no known unit"));
        assert!(duration_millis("1.5s").unwrap_err().contains("no known unit"));
        assert!(duration_millis("0s").unwrap_err().contains("zero"));
        assert!(duration_millis("s").unwrap_err().contains("not a whole number"));
        let (_, errors) = parse(quote!(timeout = "thirty seconds"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (attr, errors) = parse(quote!(timeout = "2s"));
        assert!(errors.is_empty() && attr.timeout.is_some(), "{errors:?}");
    }

    #[test]
    fn parses_every_argument() {
        let (attr, errors) = parse(quote!(
            name = "add",
            title = "Add",
            description = "Adds.",
            read_only,
            destructive = false,
            idempotent,
            open_world = false,
            scopes = ["math:use", "admin"],
            crate = my_rt
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(attr.name.unwrap().value(), "add");
        assert_eq!(attr.title.unwrap().value(), "Add");
        assert_eq!(attr.description.unwrap().value(), "Adds.");
        assert!(attr.read_only.unwrap().value);
        assert!(!attr.destructive.unwrap().value);
        assert!(attr.idempotent.unwrap().value);
        assert!(!attr.open_world.unwrap().value);
        let scopes: Vec<String> = attr
            .scopes
            .unwrap()
            .iter()
            .map(|scope| match scope {
                ScopeExpr::Literal(text) => text.value(),
                ScopeExpr::Typed(_) => "typed".into(),
            })
            .collect();
        assert_eq!(scopes, ["math:use", "admin"]);
        assert!(attr.krate.unwrap().is_ident("my_rt"));
        let (typed, errors) = parse(quote!(scopes = ["files:read", Scope::FilesWrite]));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(typed.scopes.unwrap()[1], ScopeExpr::Typed(_)));
    }

    #[test]
    fn reports_every_mistake() {
        let (_, errors) = parse(quote!(name = "a b", nme = "x", read_only, read_only, scopes = ["bad scope"]));
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("unknown argument `nme`"), "{errors:?}");
        assert!(errors[1].contains("duplicate argument `read_only`"), "{errors:?}");
        assert!(errors[2].contains("may use only ASCII letters"), "{errors:?}");
        assert!(errors[3].contains("without spaces"), "{errors:?}");
    }

    #[test]
    fn suggests_near_misses() {
        let (_, errors) = parse(quote!(readonly));
        assert!(errors[0].contains("did you mean `read_only`"), "{errors:?}");
        let (_, errors) = parse(quote!(scope = "a"));
        assert!(errors[0].contains("did you mean `scopes"), "{errors:?}");
    }

    #[test]
    fn wrong_value_types_are_explained() {
        let (_, errors) = parse(quote!(name = add, read_only = "yes", scopes = "a"));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("expected a string literal"));
        assert!(errors[1].contains("expected `true` or `false`"));
        assert!(errors[2].contains("expected a list of scopes"));
    }

    #[test]
    fn contradictions_are_refused() {
        let (_, errors) = parse(quote!(read_only, destructive));
        assert!(errors[0].contains("cannot also be `destructive`"), "{errors:?}");
    }

    #[test]
    fn tool_name_rule() {
        assert!(check_tool_name("get_user.v2-beta").is_ok());
        assert!(check_tool_name("").is_err());
        assert!(check_tool_name(&"x".repeat(129)).is_err());
        assert!(check_tool_name("naïve").is_err());
    }
}
