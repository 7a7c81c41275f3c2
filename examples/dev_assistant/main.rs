//! The dev assistant (the course's capstone, chapter 22): an MCP server for working on one
//! project. It reads, lists, writes and edits the project's files, searches their contents with
//! ripgrep's libraries, finds where symbols are defined, and runs an allow-list of tasks (cargo
//! check/test/clippy, git status/diff/log) without a shell, reporting progress as they run.
//!
//! ```text
//! cargo run --example dev_assistant                                   # this directory, stdio
//! cargo run --example dev_assistant -- --root ../my-project --read-only
//! cargo run --example dev_assistant -- --transport http --port 8000 \
//!     --auth-jwt-secret "$SECRET" --log-format json                   # JWT + scopes, metrics at /metrics
//! ```
//!
//! Scopes over HTTP: `files:read` to read, list and search; `files:write` to write and edit
//! (implies `files:read`); `tasks:run` to list and run tasks. A caller with `files:write` and
//! `tasks:run` can run code it wrote (a test, a build script): give both only to callers you
//! would give a shell in the project.

mod files;
mod prompts;
mod run;
mod scopes;
mod search;
mod symbols;
mod tasks;
mod walk;

use std::{path::PathBuf, time::Duration};

use clap::Parser;
use mcp_runtime::{auth::Scopes, cli::RuntimeArgs, prelude::*, sandbox::Root};

use crate::{run::MaxOutput, scopes::Scope, search::SearchLimits, tasks::Tasks};

/// The command line: the project and what may be done in it, plus every runtime option.
#[derive(Parser)]
#[command(about = "An MCP server for working on one project: files, code search, symbols, tasks")]
struct Cli {
    /// The project directory; nothing outside it can be reached.
    #[arg(long, env = "DEV_ASSISTANT_ROOT", default_value = ".")]
    root: PathBuf,
    /// Offer no tool that changes files (`write_file`, `edit_file`).
    #[arg(long)]
    read_only: bool,
    /// A JSON file of the tasks `run_task` may run, replacing the default cargo and git tasks:
    /// `{"test": {"description": "...", "program": "cargo", "args": ["test"], "allowed_flags": ["--release"], "timeout_secs": 600}}`.
    #[arg(long, env = "DEV_ASSISTANT_TASKS", conflicts_with = "no_tasks")]
    tasks: Option<PathBuf>,
    /// Offer no task tools at all.
    #[arg(long)]
    no_tasks: bool,
    /// The most output one task returns, in bytes (its start and end are kept).
    #[arg(long, default_value_t = 64 * 1024, value_parser = clap::value_parser!(u64).range(1024..=16 * 1024 * 1024))]
    max_task_output: u64,
    /// The longest a code or symbol search may take, in seconds, before it returns what it found.
    #[arg(long, default_value_t = 10)]
    search_timeout: u64,
    /// Files larger than this many bytes are skipped by searches and cannot be read whole.
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    max_file_bytes: u64,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    let cli = Cli::parse();
    let root = Root::open(&cli.root)
        .map_err(|error| ServeError::startup(error.to_string()))?
        .max_file_bytes(cli.max_file_bytes);
    let tasks = match &cli.tasks {
        Some(file) => Some(Tasks::from_file(file).map_err(ServeError::startup)?),
        None if cli.no_tasks => None,
        None => Some(Tasks::defaults()),
    };
    let limits = SearchLimits { timeout: Duration::from_secs(cli.search_timeout), max_file_bytes: cli.max_file_bytes };

    // Ready while the project directory is still where it was opened (not removed or renamed).
    let project = root.path().to_owned();
    let mut server = Server::new("dev-assistant", env!("CARGO_PKG_VERSION"))
        .readiness_check("root", move || {
            let project = project.clone();
            async move {
                tokio::fs::metadata(&project)
                    .await
                    .map(drop)
                    .map_err(|error| format!("the project directory {} is gone: {error}", project.display()))
            }
        })
        .title("Dev assistant")
        .instructions(instructions(&root, cli.read_only, tasks.is_some()))
        // The hierarchy only, not `.scopes::<Scope>()`, which would also advertise `tasks:run` in
        // `scopes_supported` when no task is served.
        .scope_hierarchy(Scope::hierarchy())
        .state(root)
        .state(limits)
        .register(handlers![
            files::read_file,
            files::list_files,
            files::project_file,
            search::search_code,
            symbols::find_symbol,
            prompts::review_file
        ]);
    // What a mode leaves out stays out on purpose, which the start-up check is told.
    let writes = || handlers![files::write_file, files::edit_file];
    server = if cli.read_only { server.leave_out(writes()) } else { server.register(writes()) };
    let task_handlers = || handlers![tasks::list_tasks, run::run_task, prompts::fix_failing_tests];
    server = match tasks {
        Some(tasks) => {
            let max_output = usize::try_from(cli.max_task_output).unwrap_or(usize::MAX);
            server.state(tasks).state(MaxOutput(max_output)).register(task_handlers())
        }
        None => server.leave_out(task_handlers()),
    };
    server.run_with(cli.runtime).await
}

/// What the model is told about this server when it connects.
fn instructions(root: &Root, read_only: bool, tasks: bool) -> String {
    let mut text = format!(
        "A project at {}. Paths are relative to it, with `/` between directories. Find code with \
         `search_code` (regex) and `find_symbol` (definitions by name) before reading whole files.",
        root.path().display()
    );
    text.push_str(if read_only {
        " Files are read-only."
    } else {
        " Change files with `edit_file` (exact replacements) or `write_file`."
    });
    if tasks {
        text.push_str(" Build, test and inspect git with `run_task`; `list_tasks` names the tasks.");
    }
    text
}
