//! A small but real MCP server: arithmetic, text statistics, a long task that reports
//! progress and can be cancelled, a shared notepad guarded by scopes (also readable as
//! `notes://{number}` resources), a settings resource, a binary resource, and two prompts.
//!
//! ```text
//! cargo run --example quickstart                                  # stdio, for Claude Code and friends
//! cargo run --example quickstart -- --transport http --port 8000  # Streamable HTTP
//! ```

use std::{sync::Mutex, time::Duration};

use mcp_runtime::{auth::Scopes, prelude::*};
use schemars::JsonSchema;
use serde::Serialize;

/// Add two integers and return their sum.
#[mcp_tool(read_only, idempotent)]
async fn add(
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
) -> Result<i64, ToolError> {
    a.checked_add(b).ok_or_else(|| ToolError::new(format!("{a} + {b} overflows a 64-bit integer")))
}

/// Divide one number by another.
///
/// # Arguments
///
/// * `dividend` - The number to divide.
/// * `divisor` - The number to divide by; must not be zero.
#[mcp_tool(read_only, idempotent)]
async fn divide(dividend: f64, divisor: f64) -> Result<f64, ToolError> {
    if divisor == 0.0 {
        return Err(ToolError::invalid_argument("divisor", "must not be zero"));
    }
    Ok(dividend / divisor)
}

/// Statistics about a piece of text.
#[derive(Debug, Serialize, JsonSchema)]
struct TextStats {
    /// Number of whitespace-separated words.
    words: usize,
    /// Number of lines.
    lines: usize,
    /// Number of Unicode scalar values.
    characters: usize,
    /// The most frequent word (lower-cased), if there is any word.
    most_common_word: Option<String>,
}

/// Count the words, lines and characters of a text, and find its most common word.
#[mcp_tool(title = "Text statistics", read_only, idempotent)]
async fn text_stats(
    /// The text to analyse.
    text: String,
) -> TextStats {
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    let most_common_word =
        counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).map(|(word, _)| word);
    TextStats {
        words: text.split_whitespace().count(),
        lines: text.lines().count(),
        characters: text.chars().count(),
        most_common_word,
    }
}

/// Count from 1 up to `to`, one step every `interval_ms` milliseconds, reporting progress at each
/// step. A long task to watch progress notifications and cancellation at work.
#[mcp_tool(read_only)]
async fn count_slowly(
    ctx: Context,
    /// The number to count to (1 to 1000).
    #[schemars(range(min = 1, max = 1000))]
    to: u32,
    /// Milliseconds between steps (default 100, at most 10000).
    #[serde(default = "default_interval")]
    #[schemars(range(max = 10000))]
    interval_ms: u64,
) -> Result<String, ToolError> {
    // The ranges above are checked by the runtime against the schema before this runs.
    ctx.log(LogLevel::Info, format!("counting to {to}")).await;
    // Harmless on stdio: while serving, the runtime points stdout at stderr, away from the protocol.
    println!("count_slowly: counting to {to}");
    for step in 1..=to {
        tokio::time::sleep(Duration::from_millis(interval_ms)).await;
        ctx.progress(step, to, format!("counted {step} of {to}")).await;
    }
    Ok(format!("counted to {to}"))
}

fn default_interval() -> u64 {
    100
}

/// The notepad's scopes, declared once: a misspelt scope does not compile, and the server takes
/// the hierarchy (admin implies write, write implies read) and `scopes_supported` from here.
#[derive(Scopes)]
enum Scope {
    #[scope("notes:read")]
    Read,
    #[scope("notes:write", implies = [Read])]
    Write,
    #[scope("notes:admin", implies = [Write, Read])]
    Admin,
}

/// The notes everyone connected to this server shares.
#[derive(Default)]
struct Notepad {
    notes: Mutex<Vec<String>>,
}

impl Notepad {
    fn notes(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        // A panic while holding the lock leaves a consistent Vec behind: keep serving.
        self.notes.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The notes on the shared notepad, oldest first.
#[mcp_tool(read_only, scopes = [Scope::Read])]
async fn list_notes(notepad: State<Notepad>) -> Vec<String> {
    notepad.notes().clone()
}

/// Add a note to the shared notepad; returns how many notes there are now.
#[mcp_tool(scopes = [Scope::Write])]
async fn add_note(
    notepad: State<Notepad>,
    ctx: Context,
    /// The note, 1 to 500 characters.
    text: String,
) -> Result<String, ToolError> {
    let length = text.chars().count();
    if !(1..=500).contains(&length) {
        return Err(ToolError::invalid_argument("text", format!("must be 1 to 500 characters, got {length}")));
    }
    let count = {
        let mut notes = notepad.notes();
        notes.push(format!("{text} (by {})", ctx.principal().subject()));
        notes.len()
    };
    // Clients subscribed to the latest note hear that it changed.
    ctx.notifier().resource_updated(latest_note::URI).await;
    Ok(format!("{count} note(s)"))
}

/// The most recent note on the shared notepad; subscribe to hear when it changes.
#[mcp_resource(uri = "notes://latest", scopes = [Scope::Read])]
async fn latest_note(notepad: State<Notepad>) -> String {
    notepad.notes().last().cloned().unwrap_or_else(|| "(the notepad is empty)".into())
}

/// Remove every note from the shared notepad.
#[mcp_tool(destructive, idempotent, scopes = [Scope::Admin])]
async fn clear_notes(notepad: State<Notepad>, ctx: Context) -> String {
    let removed = {
        let mut notes = notepad.notes();
        let removed = notes.len();
        notes.clear();
        removed
    };
    ctx.notifier().resource_updated(latest_note::URI).await;
    format!("removed {removed} note(s)")
}

/// How this server is configured, as the model may read it.
#[mcp_resource(uri = "config://quickstart", title = "Server settings")]
async fn server_settings() -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "server": "quickstart",
        "version": env!("CARGO_PKG_VERSION"),
        "notepad": {"max_note_length": 500},
    }))
}

/// One note of the shared notepad, by its position (1 is the oldest).
#[mcp_resource(uri = "notes://{number}", scopes = [Scope::Read])]
async fn note(
    notepad: State<Notepad>,
    /// The note's position, from 1.
    number: usize,
) -> Result<String, ToolError> {
    let notes = notepad.notes();
    number.checked_sub(1).and_then(|index| notes.get(index).cloned()).ok_or_else(|| {
        ToolError::not_found(format!("there is no note {number}; the notepad holds {} note(s)", notes.len()))
    })
}

/// A 1x1 transparent PNG, to show binary resources.
#[mcp_resource(uri = "images://pixel.png", mime_type = "image/png")]
async fn pixel() -> Vec<u8> {
    const PIXEL: [u8; 67] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D,
        0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    PIXEL.to_vec()
}

/// Ask for a summary of a text.
#[mcp_prompt(title = "Summarise")]
async fn summarize(
    /// The text to summarise.
    text: String,
    /// How many sentences to use (default 3).
    sentences: Option<u8>,
) -> String {
    format!("Summarise the following text in {} sentences:\n\n{text}", sentences.unwrap_or(3))
}

/// Languages `code_review` knows, offered as completions while the user types.
async fn review_languages(prefix: String) -> Vec<String> {
    const LANGUAGES: [&str; 8] = ["c", "c++", "go", "java", "python", "ruby", "rust", "typescript"];
    let prefix = prefix.to_lowercase();
    LANGUAGES.into_iter().filter(|language| language.starts_with(&prefix)).map(String::from).collect()
}

/// Review a diff as a senior engineer would: bugs first, then design, then style.
#[mcp_prompt(title = "Code review")]
async fn code_review(
    /// Programming language of the code.
    #[complete(review_languages)]
    language: String,
    /// The unified diff to review.
    diff: String,
) -> Vec<PromptMessage> {
    vec![
        assistant(format!(
            "I am a senior {language} engineer. I list bugs first, then design problems, then style, \
             and I quote the lines I mean."
        )),
        user(format!("Please review this diff:\n\n{diff}")),
    ]
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    Server::new("quickstart", env!("CARGO_PKG_VERSION"))
        .title("Quickstart")
        .instructions(
            "Arithmetic and text tools; `count_slowly` reports progress and can be cancelled. \
             A shared notepad: `list_notes` (notes:read), `add_note` (notes:write), `clear_notes` (notes:admin).",
        )
        .state(Notepad::default())
        .scopes::<Scope>()
        .register(handlers![add, divide, text_stats, count_slowly, list_notes, add_note, clear_notes])
        .register(handlers![summarize, code_review])
        .register(handlers![server_settings, note, latest_note, pixel])
        .run()
        .await
}
