//! Code search with ripgrep's own libraries: a regex (or a literal) over the project's files, each
//! match with its file, line, column and surrounding lines, within limits on the pattern's size,
//! the number of matches, the size of the files read and the time spent.

use std::time::{Duration, Instant};

use grep_matcher::Matcher;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{BinaryDetection, Searcher, SearcherBuilder, Sink, SinkContext, SinkContextKind, SinkMatch};
use mcp_runtime::{prelude::*, sandbox::Root};
use serde::Serialize;

use crate::{scopes::Scope, walk::project_files};

/// How far one search may go.
#[derive(Clone, Debug)]
pub struct SearchLimits {
    /// The time a search may take before it returns what it found.
    pub timeout: Duration,
    /// Files larger than this are skipped (generated code, data, logs).
    pub max_file_bytes: u64,
}

/// Where to look, and how much to return.
pub struct Query<'a> {
    pub path: &'a str,
    pub globs: &'a [String],
    pub context: usize,
    pub max_matches: usize,
}

/// One matching line.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CodeMatch {
    /// The file, relative to the root.
    pub path: String,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column (in characters) where the first match on the line starts.
    pub column: u64,
    /// The line itself (long lines are cut).
    pub text: String,
    /// Lines before it, when context was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    /// Lines after it, when context was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

/// What a search found.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SearchResults {
    /// The matches, in path and line order.
    pub matches: Vec<CodeMatch>,
    /// How many files were searched.
    pub files_searched: u64,
    /// Files skipped for being larger than the search reads.
    pub files_skipped_large: u64,
    /// Why the search stopped early, when it did (the match cap, the time limit, cancellation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_early: Option<String>,
}

/// Longest pattern accepted; a model has no use for more, and the regex compiler's work grows with it.
const MAX_PATTERN_CHARS: usize = 1_000;
/// The compiled program's size limit: patterns like `\w{1000}{1000}` are refused, not built.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Longest line shown; minified files have lines of megabytes.
const MAX_LINE_CHARS: usize = 300;

/// Compiles a model's pattern, with every problem reported against the `pattern` argument.
pub fn compile(pattern: &str, fixed_strings: bool, case_insensitive: bool) -> Result<RegexMatcher, ToolError> {
    if pattern.is_empty() {
        return Err(ToolError::invalid_argument("pattern", "must not be empty"));
    }
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(ToolError::invalid_argument("pattern", format!("is longer than {MAX_PATTERN_CHARS} characters")));
    }
    RegexMatcherBuilder::new()
        .fixed_strings(fixed_strings)
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        // Matches stay within one line, as the results are lines.
        .line_terminator(Some(b'\n'))
        .build(pattern)
        .map_err(|error| ToolError::invalid_argument("pattern", format!("is not a valid regex: {error}")))
}

/// Runs `query` over the project's files; blocking, so call it from `spawn_blocking`.
/// `keep_going` is asked between files, so a cancelled request stops the search.
pub fn search(
    root: &Root,
    matcher: &RegexMatcher,
    query: &Query<'_>,
    limits: &SearchLimits,
    keep_going: impl Fn() -> bool,
) -> Result<SearchResults, ToolError> {
    let started = Instant::now();
    let mut searcher = SearcherBuilder::new()
        .line_number(true)
        .before_context(query.context)
        .after_context(query.context)
        .binary_detection(BinaryDetection::quit(b'\0'))
        .build();
    let mut results =
        SearchResults { matches: Vec::new(), files_searched: 0, files_skipped_large: 0, stopped_early: None };
    for path in project_files(root, query.path, query.globs)? {
        if results.matches.len() >= query.max_matches {
            results.stopped_early =
                Some(format!("the first {} matches are shown; narrow the search", query.max_matches));
            break;
        }
        if started.elapsed() > limits.timeout {
            results.stopped_early =
                Some(format!("the search took longer than {:?}; narrow it with `path` or `glob`", limits.timeout));
            break;
        }
        if !keep_going() {
            results.stopped_early = Some("cancelled".to_owned());
            break;
        }
        // Opened through the root's handle: a symlink swapped in since the walk cannot lead out.
        let Ok(file) = root.open_file(&path) else { continue };
        if file.metadata().is_ok_and(|metadata| metadata.len() > limits.max_file_bytes) {
            results.files_skipped_large += 1;
            continue;
        }
        results.files_searched += 1;
        let mut sink = Collect {
            matcher,
            path: &path,
            found: Vec::new(),
            before: Vec::new(),
            room: query.max_matches - results.matches.len(),
        };
        // A file that fails mid-read (removed, unreadable) is skipped like an unreadable directory.
        if searcher.search_file(matcher, &file, &mut sink).is_ok() {
            results.matches.append(&mut sink.found);
        }
    }
    Ok(results)
}

/// Gathers one file's matches, with their context lines.
struct Collect<'a> {
    matcher: &'a RegexMatcher,
    path: &'a str,
    found: Vec<CodeMatch>,
    /// Context lines seen since the last match: the next match's `before`.
    before: Vec<String>,
    room: usize,
}

impl Sink for Collect<'_> {
    type Error = std::io::Error;

    fn matched(&mut self, _: &Searcher, matched: &SinkMatch<'_>) -> Result<bool, Self::Error> {
        let line = matched.bytes();
        let start = self.matcher.find(line).ok().flatten().map_or(0, |found| found.start());
        let column = String::from_utf8_lossy(&line[..start]).chars().count() as u64 + 1;
        self.found.push(CodeMatch {
            path: self.path.to_owned(),
            line: matched.line_number().unwrap_or(0),
            column,
            text: shown(line),
            before: std::mem::take(&mut self.before),
            after: Vec::new(),
        });
        Ok(self.found.len() < self.room)
    }

    fn context(&mut self, _: &Searcher, context: &SinkContext<'_>) -> Result<bool, Self::Error> {
        match context.kind() {
            SinkContextKind::Before => self.before.push(shown(context.bytes())),
            SinkContextKind::After => {
                if let Some(last) = self.found.last_mut() {
                    last.after.push(shown(context.bytes()));
                }
            }
            SinkContextKind::Other => {}
        }
        Ok(true)
    }

    fn context_break(&mut self, _: &Searcher) -> Result<bool, Self::Error> {
        self.before.clear();
        Ok(true)
    }
}

/// A line as shown to the model: without its terminator, lossily decoded, cut when long.
pub fn shown(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end_matches(['\n', '\r']);
    if text.chars().count() <= MAX_LINE_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_LINE_CHARS).collect();
    cut.push_str(" …");
    cut
}

/// The most matches one search returns.
const MAX_MATCHES: usize = 1_000;
/// The most context lines on each side of a match.
const MAX_CONTEXT: usize = 10;

/// Search the contents of the project's files with a regular expression (ripgrep's engine;
/// `.gitignore` respected, binary and very large files skipped). Each match comes with its file,
/// line and column, and optionally the lines around it.
#[mcp_tool(read_only, scopes = [Scope::FilesRead])]
pub async fn search_code(
    ctx: Context,
    root: State<Root>,
    limits: State<SearchLimits>,
    /// A regular expression in Rust's syntax (`fn\s+main`, `TODO|FIXME`), or literal text with
    /// `fixed_strings`.
    pattern: String,
    /// Match the pattern as literal text, not a regex.
    #[serde(default)]
    fixed_strings: bool,
    /// Ignore case.
    #[serde(default)]
    case_insensitive: bool,
    /// Search only under this directory, relative to the root; empty for the whole project.
    #[serde(default)]
    path: String,
    /// Search only files matching this glob, e.g. `*.rs` or `tests/**`.
    glob: Option<String>,
    /// Lines of context before and after each match (0 to 10; default 0).
    #[serde(default)]
    context: usize,
    /// The most matches to return (default 100, at most 1000).
    max_results: Option<usize>,
) -> Result<SearchResults, ToolError> {
    if context > MAX_CONTEXT {
        return Err(ToolError::invalid_argument("context", format!("at most {MAX_CONTEXT} lines")));
    }
    let max_matches = max_results.unwrap_or(100).clamp(1, MAX_MATCHES);
    let matcher = compile(&pattern, fixed_strings, case_insensitive)?;
    let cancelled = ctx.cancellation_token();
    let (root, limits) = (root.clone(), limits.clone());
    tokio::task::spawn_blocking(move || {
        let globs: Vec<String> = glob.into_iter().collect();
        let query = Query { path: &path, globs: &globs, context, max_matches };
        search(&root, &matcher, &query, &limits, || !cancelled.is_cancelled())
    })
    .await
    .map_err(|error| ToolError::new(format!("the search failed: {error}")))?
}
