//! Prompts the user picks in the client (slash commands in Claude Code), filled from the project.

use mcp_runtime::{prelude::*, sandbox::Root};

use crate::scopes::Scope;

/// Review one file of the project: its text, and what to look for.
#[mcp_prompt(title = "Review a file", scopes = [Scope::FilesRead])]
pub async fn review_file(
    root: State<Root>,
    /// The file, relative to the project root, e.g. `src/main.rs`.
    path: String,
    /// What to look at most closely (default: correctness, error handling and tests).
    focus: Option<String>,
) -> Result<Vec<PromptMessage>, ToolError> {
    let text = root.read_to_string(&path).await?;
    let focus = focus.unwrap_or_else(|| "correctness, error handling and tests".to_owned());
    Ok(vec![user(format!(
        "Review `{path}` with a focus on {focus}. List concrete problems with their line numbers, most \
         important first, and suggest a fix for each. Use `search_code` and `find_symbol` to check how \
         the code is used elsewhere before calling something unused or wrong.\n\n```\n{text}\n```"
    ))])
}

/// Find out why the tests fail and fix it, running them with `run_task`.
#[mcp_prompt(title = "Fix the failing tests", scopes = [Scope::TasksRun])]
pub async fn fix_failing_tests(
    /// Only the tests whose names contain this (default: all).
    filter: Option<String>,
) -> String {
    let run = match &filter {
        Some(filter) => format!("`run_task` with command `test` and args `[\"{filter}\"]`"),
        None => "`run_task` with command `test`".to_owned(),
    };
    format!(
        "Run the tests ({run}). For each failure, read the test and the code it exercises (`find_symbol`, \
         `read_file`), find the cause, fix the code with `edit_file` (not the test, unless the test is wrong), \
         and run the tests again until they pass. Summarise each cause and fix at the end."
    )
}
