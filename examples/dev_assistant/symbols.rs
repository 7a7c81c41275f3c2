//! `find_symbol`'s engine: definitions recognised line by line, by one regex per language.
//!
//! Deliberately simpler than a parser (tree-sitter grammars would add a C compiler's worth of
//! build time for four languages): a definition is a line that starts, after indentation and
//! modifiers, with the language's defining keyword and the name. That finds functions, methods,
//! types, traits, classes and constants at any nesting depth; it misses definitions produced by
//! macros or split over lines before the name, and can be fooled by such a line inside a string.

use std::sync::LazyLock;

use mcp_runtime::prelude::*;
use regex::Regex;
use serde::Serialize;

use crate::{
    scopes::Scope,
    search::{Query, SearchLimits, compile, search},
};

/// A language the symbol search understands: which files, and what a definition looks like.
pub struct Language {
    pub name: &'static str,
    /// The extensions of its files, without the dot.
    pub extensions: &'static [&'static str],
    /// Captures `kind` (the keyword) and `name`.
    definition: Regex,
}

/// A definition found.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Symbol {
    /// The symbol's name.
    pub name: String,
    /// The defining keyword: `fn`, `struct`, `enum`, `trait`, `type`, `mod`, `const`, `static`,
    /// `macro_rules!`, `def`, `class`, `function`, `interface`, `func`, ...
    pub kind: String,
    /// `rust`, `python`, `javascript` (also TypeScript) or `go`.
    pub language: &'static str,
    /// The file, relative to the root.
    pub path: String,
    /// 1-based line number.
    pub line: u64,
    /// The definition's line, as written.
    pub text: String,
}

/// The languages, each with its definition pattern, compiled once for every search.
pub fn languages() -> &'static [Language] {
    static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(compile_languages);
    &LANGUAGES
}

fn compile_languages() -> Vec<Language> {
    let language = |name, extensions, pattern: &str| Language {
        name,
        extensions,
        definition: Regex::new(pattern).expect("the built-in definition patterns are valid"),
    };
    vec![
        language(
            "rust",
            &["rs"],
            r#"^\s*(?:pub(?:\s*\([^)]*\))?\s+)?(?:(?:const|async|unsafe|default|extern(?:\s+"[^"]*")?)\s+)*(?P<kind>fn|struct|enum|trait|type|mod|union|const|static|macro_rules!)\s*(?:mut\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)"#,
        ),
        language("python", &["py", "pyi"], r"^\s*(?:async\s+)?(?P<kind>def|class)\s+(?P<name>[A-Za-z_]\w*)"),
        language(
            "javascript",
            &["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"],
            r"^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?P<kind>function\*?|class|interface|type|enum|const|let|var)\s+(?P<name>[A-Za-z_$][\w$]*)",
        ),
        language("go", &["go"], r"^\s*(?P<kind>func|type)\s+(?:\([^)]*\)\s*)?(?P<name>[A-Za-z_]\w*)"),
    ]
}

impl Language {
    /// The definition on `line`, if there is one: its keyword and name.
    pub fn definition<'a>(&self, line: &'a str) -> Option<(&'a str, &'a str)> {
        let captures = self.definition.captures(line)?;
        Some((captures.name("kind")?.as_str(), captures.name("name")?.as_str()))
    }
}

/// Which names a search accepts.
pub enum NameMatch {
    /// Exactly this name.
    Exact(String),
    /// Names containing this, in any case.
    Containing(String),
}

impl NameMatch {
    pub fn accepts(&self, name: &str) -> bool {
        match self {
            Self::Exact(wanted) => name == wanted,
            Self::Containing(part) => name.to_lowercase().contains(part),
        }
    }

    /// A pattern for the search engine that every line defining an accepted name matches, so only
    /// those lines reach the definition patterns.
    pub fn prefilter(&self) -> String {
        match self {
            Self::Exact(name) => format!(r"\b{}\b", regex::escape(name)),
            Self::Containing(part) => format!(r"(?i){}", regex::escape(part)),
        }
    }
}

/// Definitions found.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Symbols {
    /// The definitions, in path and line order.
    pub symbols: Vec<Symbol>,
    /// Why the search stopped early, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_early: Option<String>,
}

/// The most definitions one search returns.
const MAX_SYMBOLS: usize = 200;

/// Find where functions, methods, structs, enums, traits, types, classes, interfaces and
/// constants are defined, by name, in Rust, Python, JavaScript/TypeScript and Go files.
#[mcp_tool(read_only, scopes = [Scope::FilesRead])]
pub async fn find_symbol(
    ctx: Context,
    root: State<mcp_runtime::sandbox::Root>,
    limits: State<SearchLimits>,
    /// The name, e.g. `serve_http` or `Server`.
    name: String,
    /// Also names that merely contain `name`, in any case (default: the exact name only).
    #[serde(default)]
    partial: bool,
    /// Only this kind of definition, as its keyword: `fn`, `struct`, `class`, `def`, `interface`, ...
    kind: Option<String>,
    /// Search only under this directory, relative to the root; empty for the whole project.
    #[serde(default)]
    path: String,
) -> Result<Symbols, ToolError> {
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        return Err(ToolError::invalid_argument("name", "must be an identifier: letters, digits, `_`"));
    }
    let wanted = if partial { NameMatch::Containing(name.to_lowercase()) } else { NameMatch::Exact(name) };
    let matcher = compile(&wanted.prefilter(), false, false)?;
    let cancelled = ctx.cancellation_token();
    let (root, limits) = (root.clone(), limits.clone());
    tokio::task::spawn_blocking(move || {
        let languages = languages();
        let globs: Vec<String> = languages
            .iter()
            .flat_map(|language| language.extensions)
            .map(|extension| format!("*.{extension}"))
            .collect();
        // One walk for every language: the lines mentioning the name, far more than the
        // definitions, so the cap is generous; each line is then read by its file's language.
        let query = Query { path: &path, globs: &globs, context: 0, max_matches: 50 * MAX_SYMBOLS };
        let lines = search(&root, &matcher, &query, &limits, || !cancelled.is_cancelled())?;
        let mut found = Symbols { symbols: Vec::new(), stopped_early: lines.stopped_early };
        for line in lines.matches {
            let extension = line.path.rsplit_once('.').map_or("", |(_, extension)| extension);
            let Some(language) = languages.iter().find(|language| language.extensions.contains(&extension)) else {
                continue;
            };
            let Some((keyword, defined)) = language.definition(&line.text) else { continue };
            if !wanted.accepts(defined) || kind.as_deref().is_some_and(|kind| kind != keyword) {
                continue;
            }
            found.symbols.push(Symbol {
                name: defined.to_owned(),
                kind: keyword.to_owned(),
                language: language.name,
                path: line.path,
                line: line.line,
                text: line.text.trim().to_owned(),
            });
        }
        found.symbols.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        if found.symbols.len() > MAX_SYMBOLS {
            found.symbols.truncate(MAX_SYMBOLS);
            found.stopped_early = Some(format!("the first {MAX_SYMBOLS} definitions are shown; narrow the search"));
        }
        Ok(found)
    })
    .await
    .map_err(|error| ToolError::new(format!("the symbol search failed: {error}")))?
}
