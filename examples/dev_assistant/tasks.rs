//! The commands `run_task` may run: an allow-list of named tasks, each a program with fixed
//! leading arguments, the flags a caller may add, and a timeout. No shell is involved anywhere:
//! the program is executed directly with its arguments as a vector, so `;`, `|`, `$(...)` and
//! quotes are just characters in an argument.

use std::{collections::BTreeMap, path::Path, time::Duration};

use mcp_runtime::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scopes::Scope;

/// One allow-listed task.
#[derive(Clone, Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// What it is for, shown to the model.
    pub description: String,
    /// The program, found on `PATH` (no shell).
    pub program: String,
    /// Arguments always passed first, e.g. `["test"]` for `cargo test`.
    #[serde(default)]
    pub args: Vec<String>,
    /// Flags a caller may add (`--release`, or `--features` for `--features=x` and
    /// `--features x`); any other argument starting with `-` or `+` is refused. Arguments that are
    /// not flags (a test name, a path) are always allowed.
    #[serde(default)]
    pub allowed_flags: Vec<String>,
    /// Seconds before the task is killed, with every process it started.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
}

fn default_timeout_secs() -> u64 {
    600
}

/// The allow-list, by name.
#[derive(Clone, Debug, Default)]
pub struct Tasks(pub BTreeMap<String, Task>);

/// The most arguments, and the longest argument, a caller may add.
const MAX_ARGS: usize = 64;
const MAX_ARG_BYTES: usize = 4096;

impl Tasks {
    /// The tasks of a JSON file: `{"name": {"description": .., "program": .., "args": [..],
    /// "allowed_flags": [..], "timeout_secs": ..}, ..}`.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text =
            std::fs::read_to_string(path).map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
        let tasks: BTreeMap<String, Task> = serde_json::from_str(&text)
            .map_err(|error| format!("`{}` is not a valid task file: {error}", path.display()))?;
        for (name, task) in &tasks {
            if name.is_empty() || task.program.is_empty() {
                return Err(format!("`{}`: every task needs a name and a program", path.display()));
            }
            if task.timeout_secs == 0 {
                return Err(format!("`{}`: task `{name}` has a zero timeout", path.display()));
            }
        }
        Ok(Self(tasks))
    }

    /// Cargo's and git's everyday commands, for a Rust project under git.
    pub fn defaults() -> Self {
        const SELECT: [&str; 10] = [
            "--workspace",
            "--all-targets",
            "-p",
            "--package",
            "--features",
            "--all-features",
            "--no-default-features",
            "--lib",
            "--tests",
            "--examples",
        ];
        let task = |description: &str, program: &str, args: &[&str], flags: &[&str], timeout_secs| Task {
            description: description.to_owned(),
            program: program.to_owned(),
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            allowed_flags: flags.iter().map(|flag| (*flag).to_owned()).collect(),
            timeout_secs,
        };
        let with_select =
            |extra: &[&'static str]| -> Vec<&'static str> { SELECT.iter().chain(extra).copied().collect() };
        let mut tasks = BTreeMap::new();
        tasks.insert(
            "check".into(),
            task(
                "cargo check: type-check the project",
                "cargo",
                &["check"],
                &with_select(&["--release", "-q", "--quiet"]),
                900,
            ),
        );
        tasks.insert(
            "test".into(),
            task(
                "cargo test: build and run the tests; a test name filters, `--` then `--nocapture`/`--exact` go to the test harness",
                "cargo",
                &["test"],
                &with_select(&["--release", "--no-fail-fast", "--doc", "--test", "--example", "-q", "--quiet", "--", "--nocapture", "--exact", "--ignored", "--include-ignored", "--test-threads"]),
                1800,
            ),
        );
        tasks.insert(
            "clippy".into(),
            task("cargo clippy: lints", "cargo", &["clippy"], &with_select(&["--", "-D", "-W"]), 900),
        );
        tasks.insert(
            "fmt_check".into(),
            task(
                "cargo fmt --check: formatting differences, without changing files",
                "cargo",
                &["fmt", "--all", "--check"],
                &[],
                120,
            ),
        );
        tasks.insert(
            "git_status".into(),
            task("git status: changed and untracked files", "git", &["status", "--short", "--branch"], &[], 60),
        );
        tasks.insert(
            "git_diff".into(),
            task(
                "git diff: uncommitted changes (paths may be given)",
                "git",
                &["diff", "--no-ext-diff", "--no-color"],
                &["--stat", "--cached", "--staged", "--name-only"],
                60,
            ),
        );
        tasks.insert(
            "git_log".into(),
            task("git log: recent commits", "git", &["log", "--oneline", "--no-color", "-n", "30"], &["--stat"], 60),
        );
        Self(tasks)
    }

    /// The task called `name`, or an error listing the ones that exist.
    pub fn get(&self, name: &str) -> Result<&Task, ToolError> {
        self.0.get(name).ok_or_else(|| {
            let known = self.0.keys().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
            ToolError::invalid_argument("command", format!("`{name}` is not an allowed task; the tasks are {known}"))
        })
    }
}

impl Task {
    /// Checks what a caller adds to the task's command line.
    pub fn check_args(&self, name: &str, args: &[String]) -> Result<(), ToolError> {
        if args.len() > MAX_ARGS {
            return Err(ToolError::invalid_argument("args", format!("at most {MAX_ARGS} arguments")));
        }
        for arg in args {
            if arg.contains('\0') {
                return Err(ToolError::invalid_argument("args", "an argument contains a NUL byte"));
            }
            if arg.len() > MAX_ARG_BYTES {
                return Err(ToolError::invalid_argument(
                    "args",
                    format!("an argument is longer than {MAX_ARG_BYTES} bytes"),
                ));
            }
            // `+toolchain` (rustup) and every flag not on the task's list are refused: flags like
            // cargo's `--config` or `--manifest-path` would run or read things outside the project.
            if arg.starts_with('-') || arg.starts_with('+') {
                let flag = arg.split_once('=').map_or(arg.as_str(), |(flag, _)| flag);
                if !self.allowed_flags.iter().any(|allowed| allowed == flag) {
                    let allowed = if self.allowed_flags.is_empty() {
                        "it takes no flags".to_owned()
                    } else {
                        format!(
                            "its flags are {}",
                            self.allowed_flags.iter().map(|flag| format!("`{flag}`")).collect::<Vec<_>>().join(" ")
                        )
                    };
                    return Err(ToolError::invalid_argument(
                        "args",
                        format!("`{flag}` is not allowed for task `{name}`; {allowed}"),
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }
}

/// One task as `list_tasks` shows it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TaskInfo {
    /// The name to give `run_task`.
    pub name: String,
    /// What it does.
    pub description: String,
    /// The command line it starts with.
    pub command: Vec<String>,
    /// The flags that may be added.
    pub allowed_flags: Vec<String>,
    /// Seconds before it is killed.
    pub timeout_secs: u64,
}

/// The tasks `run_task` may run (builds, tests, lints, git queries), with the flags each accepts.
#[mcp_tool(read_only, scopes = [Scope::TasksRun])]
pub async fn list_tasks(tasks: State<Tasks>) -> Vec<TaskInfo> {
    let tasks: &Tasks = &tasks;
    tasks
        .0
        .iter()
        .map(|(name, task)| TaskInfo {
            name: name.clone(),
            description: task.description.clone(),
            command: std::iter::once(task.program.clone()).chain(task.args.iter().cloned()).collect(),
            allowed_flags: task.allowed_flags.clone(),
            timeout_secs: task.timeout_secs,
        })
        .collect()
}
