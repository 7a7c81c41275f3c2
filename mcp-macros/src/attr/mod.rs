//! The arguments of `#[mcp_tool(...)]`, `#[mcp_prompt(...)]` and `#[mcp_resource(...)]`, parsed
//! once into typed structs: the keys every macro takes, and the macro's own. Syntax errors
//! (an unknown, misplaced or repeated key, a value of the wrong form) are reported here; rules
//! between values are `check`'s.

#[macro_use]
mod table;
mod keys;
pub(crate) mod value;

use proc_macro2::TokenStream;
use syn::{Expr, meta::ParseNestedMeta};

use self::keys::KEYS;
pub(crate) use self::keys::{CommonAttr, PromptAttr, ResourceAttr, ToolAttr};
pub(crate) use self::value::ScopeExpr;
use crate::errors::Errors;

/// Which attribute macro is expanding, hence which kind of handler it makes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Macro {
    Tool,
    Prompt,
    Resource,
}

impl Macro {
    /// The attribute as the user writes it, for messages.
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            Macro::Tool => "#[mcp_tool]",
            Macro::Prompt => "#[mcp_prompt]",
            Macro::Resource => "#[mcp_resource]",
        }
    }

    /// The keys this macro takes, as messages list them: "`name`, `title`, ...".
    fn keys(self) -> String {
        KEYS.iter()
            .filter(|key| key.applies_to(self))
            .map(|key| format!("`{}`", key.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One row of the table in `keys.rs`, as the parser needs it.
struct Key {
    name: &'static str,
    /// The one macro that takes the key; `None` when every macro does.
    only: Option<Macro>,
}

impl Key {
    fn applies_to(&self, which: Macro) -> bool {
        self.only.is_none_or(|only| only == which)
    }
}

/// Keys people write for a key that exists, with the key they meant.
const NEAR_MISSES: &[(&str, &str)] = &[
    ("readonly", "read_only"),
    ("read_only_hint", "read_only"),
    ("readOnlyHint", "read_only"),
    ("scope", "scopes = [\"...\"]"),
    ("mime", "mime_type"),
    ("mimetype", "mime_type"),
    ("mimeType", "mime_type"),
];

/// A macro's arguments.
pub(crate) struct Attr {
    pub(crate) common: CommonAttr,
    pub(crate) kind: KindAttr,
}

/// The keys of one macro only.
pub(crate) enum KindAttr {
    Tool(ToolAttr),
    Prompt(PromptAttr),
    Resource(ResourceAttr),
}

impl KindAttr {
    fn new(which: Macro) -> Self {
        match which {
            Macro::Tool => KindAttr::Tool(ToolAttr::default()),
            Macro::Prompt => KindAttr::Prompt(PromptAttr::default()),
            Macro::Resource => KindAttr::Resource(ResourceAttr::default()),
        }
    }

    fn parse_key(&mut self, key: &str, meta: &ParseNestedMeta<'_>, errors: &mut Errors) -> Option<syn::Result<()>> {
        match self {
            KindAttr::Tool(attr) => attr.parse_key(key, meta, errors),
            KindAttr::Prompt(attr) => attr.parse_key(key, meta, errors),
            KindAttr::Resource(attr) => attr.parse_key(key, meta, errors),
        }
    }
}

/// Parses the arguments of `which`, reporting every mistake and keeping what is well formed.
pub(crate) fn parse(which: Macro, args: TokenStream, errors: &mut Errors) -> Attr {
    let mut attr = Attr { common: CommonAttr::default(), kind: KindAttr::new(which) };
    let parser = syn::meta::parser(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        if KEYS.iter().any(|known| known.name == key && !known.applies_to(which)) {
            errors.at(
                &meta.path,
                format!("`{key}` does not apply to `{}`, which takes {}", which.attribute(), which.keys()),
            );
            if meta.input.peek(syn::Token![=]) {
                let _ = meta.value().and_then(|value| value.parse::<Expr>());
            }
            return Ok(());
        }
        attr.parse_one(which, &meta, errors);
        Ok(())
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, args) {
        errors.push(error);
    }
    attr
}

impl Attr {
    fn parse_one(&mut self, which: Macro, meta: &ParseNestedMeta<'_>, errors: &mut Errors) {
        let Some(key) = meta.path.get_ident().map(ToString::to_string) else {
            errors.at(&meta.path, format!("unknown argument; expected one of {}", which.keys()));
            return;
        };
        let result = match self.common.parse_key(&key, meta, errors) {
            Some(result) => result,
            None => self.kind.parse_key(&key, meta, errors).unwrap_or_else(|| Err(unknown(&key, which, meta))),
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
}

/// A key no macro takes: the one it is likely a misspelling of, or the keys there are.
fn unknown(key: &str, which: Macro, meta: &ParseNestedMeta<'_>) -> syn::Error {
    match NEAR_MISSES.iter().find(|(miss, _)| *miss == key) {
        Some((_, meant)) => meta.error(format!("unknown argument `{key}`; did you mean `{meant}`?")),
        None => meta.error(format!("unknown argument `{key}`; expected one of {}", which.keys())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Parses as `#[mcp_tool]` and applies the rules, as the macro does.
    fn parse_tool(tokens: TokenStream) -> (Attr, Vec<String>) {
        let mut errors = Errors::default();
        let attr = parse(Macro::Tool, tokens, &mut errors);
        crate::check::attribute(&attr, &mut errors);
        (attr, errors.messages())
    }

    fn tool(attr: Attr) -> ToolAttr {
        match attr.kind {
            KindAttr::Tool(tool) => tool,
            _ => unreachable!("parsed as a tool"),
        }
    }

    #[test]
    fn durations_follow_the_runtimes_grammar_and_are_not_zero() {
        use value::duration_nanos;
        const MS: u64 = 1_000_000;
        assert_eq!(duration_nanos("500ms"), Ok(500 * MS));
        assert_eq!(duration_nanos("30s"), Ok(30_000 * MS));
        assert_eq!(duration_nanos("1.5s"), Ok(1_500 * MS));
        assert_eq!(duration_nanos("5m"), Ok(300_000 * MS));
        assert_eq!(duration_nanos("1h"), Ok(3_600_000 * MS));
        assert_eq!(duration_nanos("30"), Ok(30_000 * MS));
        assert!(duration_nanos("30 days").unwrap_err().contains("unknown unit `days`"));
        assert!(duration_nanos("0s").unwrap_err().contains("zero"));
        assert!(duration_nanos("s").unwrap_err().contains("does not start with a number"));
        let (_, errors) = parse_tool(quote!(timeout = "thirty seconds"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (attr, errors) = parse_tool(quote!(timeout = "2s"));
        assert!(errors.is_empty() && tool(attr).timeout.is_some(), "{errors:?}");
    }

    #[test]
    fn parses_every_argument() {
        let (attr, errors) = parse_tool(quote!(
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
        let Attr { common, kind } = attr;
        let KindAttr::Tool(tool) = kind else { unreachable!() };
        assert_eq!(common.name.unwrap().value(), "add");
        assert_eq!(common.title.unwrap().value(), "Add");
        assert_eq!(common.description.unwrap().value(), "Adds.");
        assert!(tool.read_only.unwrap().value);
        assert!(!tool.destructive.unwrap().value);
        assert!(tool.idempotent.unwrap().value);
        assert!(!tool.open_world.unwrap().value);
        let scopes: Vec<String> = common
            .scopes
            .unwrap()
            .iter()
            .map(|scope| match scope {
                ScopeExpr::Literal(text) => text.value(),
                ScopeExpr::Typed(_) => "typed".into(),
            })
            .collect();
        assert_eq!(scopes, ["math:use", "admin"]);
        assert!(common.krate.unwrap().is_ident("my_rt"));
        let (typed, errors) = parse_tool(quote!(scopes = ["files:read", Scope::FilesWrite]));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(typed.common.scopes.unwrap()[1], ScopeExpr::Typed(_)));
    }

    #[test]
    fn reports_every_mistake() {
        let (_, errors) = parse_tool(quote!(name = "a b", nme = "x", read_only, read_only, scopes = ["bad scope"]));
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("unknown argument `nme`"), "{errors:?}");
        assert!(errors[1].contains("duplicate argument `read_only`"), "{errors:?}");
        assert!(errors[2].contains("may use only ASCII letters"), "{errors:?}");
        assert!(errors[3].contains("without spaces"), "{errors:?}");
    }

    #[test]
    fn suggests_near_misses() {
        let (_, errors) = parse_tool(quote!(readonly));
        assert!(errors[0].contains("did you mean `read_only`"), "{errors:?}");
        let (_, errors) = parse_tool(quote!(scope = "a"));
        assert!(errors[0].contains("did you mean `scopes"), "{errors:?}");
    }

    #[test]
    fn wrong_value_types_are_explained() {
        let (_, errors) = parse_tool(quote!(name = add, read_only = "yes", scopes = "a"));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("expected a string literal"));
        assert!(errors[1].contains("expected `true` or `false`"));
        assert!(errors[2].contains("expected a list of scopes"));
    }

    #[test]
    fn contradictions_are_refused() {
        let (_, errors) = parse_tool(quote!(read_only, destructive));
        assert!(errors[0].contains("cannot also be `destructive`"), "{errors:?}");
    }

    #[test]
    fn each_macro_lists_its_own_keys_in_table_order() {
        assert_eq!(
            Macro::Tool.keys(),
            "`name`, `title`, `description`, `read_only`, `destructive`, `idempotent`, `open_world`, `scopes`, \
             `timeout`, `max_concurrency`, `task`, `crate`"
        );
        assert_eq!(Macro::Prompt.keys(), "`name`, `title`, `description`, `scopes`, `crate`");
        assert_eq!(
            Macro::Resource.keys(),
            "`uri`, `name`, `title`, `description`, `mime_type`, `audience`, `priority`, `size`, `list`, `scopes`, \
             `crate`"
        );
    }

    #[test]
    fn a_key_of_another_macro_is_misplaced_not_unknown() {
        let mut errors = Errors::default();
        parse(Macro::Prompt, quote!(read_only, uri = "a://b", nme), &mut errors);
        let errors = errors.messages();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("`read_only` does not apply to `#[mcp_prompt]`, which takes `name`"),
            "{errors:?}"
        );
        assert!(errors[1].starts_with("`uri` does not apply to `#[mcp_prompt]`"), "{errors:?}");
        assert!(errors[2].starts_with("unknown argument `nme`; expected one of `name`"), "{errors:?}");
    }
}
