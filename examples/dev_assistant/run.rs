//! Running one task: the process and everything it starts in a group of their own, output
//! gathered from both pipes with its start and end kept within a cap, progress reported while it
//! runs, and the whole group killed on timeout or cancellation.

use std::{
    collections::VecDeque,
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use mcp_runtime::prelude::*;
use serde::Serialize;
use tokio::{io::AsyncReadExt, sync::mpsc};

use crate::{scopes::Scope, tasks::Task};

/// How a task ended.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TaskRun {
    /// The command line that ran (program first).
    pub command: Vec<String>,
    /// The exit code, when the process exited (not when killed by a signal or the timeout).
    pub exit_code: Option<i32>,
    /// Whether it exited with code 0.
    pub success: bool,
    /// Whether it ran past its timeout and was killed.
    pub timed_out: bool,
    /// How long it ran, in milliseconds.
    pub duration_ms: u64,
    /// Standard output and standard error as they arrived, interleaved.
    pub output: String,
    /// Bytes of output left out of the middle to stay within the cap.
    pub omitted_bytes: u64,
}

/// Why a task could not be run at all.
pub fn spawn_error(program: &str, error: &std::io::Error) -> ToolError {
    match error.kind() {
        std::io::ErrorKind::NotFound => ToolError::new(format!("`{program}` is not installed or not on PATH")),
        std::io::ErrorKind::PermissionDenied => ToolError::new(format!("`{program}` may not be executed: {error}")),
        _ => ToolError::new(format!("`{program}` could not be started: {error}")),
    }
}

/// Runs `task` with the caller's `args` in `directory`, keeping at most `max_output` bytes.
pub async fn run(
    ctx: &Context,
    task: &Task,
    args: &[String],
    directory: &Path,
    max_output: usize,
) -> Result<TaskRun, ToolError> {
    let mut command = tokio::process::Command::new(&task.program);
    command
        .args(&task.args)
        .args(args)
        .current_dir(directory)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        // Plain output for a model, and nothing that waits for a human.
        .env("CARGO_TERM_COLOR", "never")
        .env("NO_COLOR", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat");
    // The server's own credentials are not the task's business.
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|key| key.starts_with("MCP_AUTH")) {
            command.env_remove(key);
        }
    }
    #[cfg(unix)]
    command.process_group(0);

    let started = Instant::now();
    let mut child = command.spawn().map_err(|error| spawn_error(&task.program, &error))?;
    let group = child.id();
    // Killed whole however this call ends early: a timeout here, a cancellation, or the runtime
    // dropping the call (`kill_on_drop` alone would reach only the task, not what it started).
    let mut guard = GroupGuard(group);
    let (sender, mut chunks) = mpsc::channel::<Vec<u8>>(64);
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(forward(stdout, sender.clone()));
    }
    if let Some(stderr) = child.stderr.take() {
        tokio::spawn(forward(stderr, sender));
    }

    let mut output = CappedOutput::new(max_output);
    let deadline = tokio::time::sleep(task.timeout());
    tokio::pin!(deadline);
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    ticks.tick().await;
    let mut timed_out = false;
    loop {
        tokio::select! {
            chunk = chunks.recv() => match chunk {
                Some(chunk) => output.push(&chunk),
                None => break,
            },
            _ = ticks.tick() => {
                let seconds = started.elapsed().as_secs();
                ctx.progress_unbounded(seconds, format!("{seconds} s: {}", output.last_line())).await;
            }
            () = &mut deadline => {
                timed_out = true;
                break;
            }
            () = ctx.cancelled() => return Err(ToolError::new("the task was cancelled and killed")),
        }
    }
    // Both pipes closed; the process itself may still be running (or ignore them), so the
    // deadline still holds while it is waited for.
    let status = if timed_out {
        None
    } else {
        tokio::select! {
            status = child.wait() => Some(status.map_err(|error| ToolError::new(format!("waiting for the task failed: {error}")))?),
            () = &mut deadline => { timed_out = true; None }
        }
    };
    if timed_out {
        kill_group(group);
        let _ = child.wait().await;
    }
    // Exited and reaped: its id may be reused, so the group is not signalled any more.
    guard.0 = None;
    let exit_code = status.and_then(|status| status.code());
    let (text, omitted_bytes) = output.finish();
    Ok(TaskRun {
        command: std::iter::once(task.program.clone())
            .chain(task.args.iter().cloned())
            .chain(args.iter().cloned())
            .collect(),
        exit_code,
        success: exit_code == Some(0),
        timed_out,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        output: text,
        omitted_bytes,
    })
}

/// Copies a pipe into the channel in chunks, as they come.
async fn forward(mut pipe: impl tokio::io::AsyncRead + Unpin, sender: mpsc::Sender<Vec<u8>>) {
    let mut buffer = vec![0; 8192];
    while let Ok(read) = pipe.read(&mut buffer).await {
        if read == 0 || sender.send(buffer[..read].to_vec()).await.is_err() {
            break;
        }
    }
}

/// Kills the task's process group when dropped, unless disarmed (`.0 = None`).
struct GroupGuard(Option<u32>);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        kill_group(self.0);
    }
}

/// Kills the process group `run` started (the task and any process it spawned).
fn kill_group(group: Option<u32>) {
    #[cfg(unix)]
    if let Some(group) = group.and_then(|group| libc::pid_t::try_from(group).ok()) {
        // SAFETY: killpg only sends a signal; the group is the one this task's process leads
        // (process_group(0)), so nothing else is signalled. An already empty group is ESRCH.
        unsafe {
            libc::killpg(group, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = group;
}

/// Output kept within a cap: the first quarter and the last three quarters, because a build's
/// first error and a test run's summary are what a model needs.
struct CappedOutput {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    head_cap: usize,
    tail_cap: usize,
    omitted: u64,
}

impl CappedOutput {
    fn new(cap: usize) -> Self {
        let head_cap = cap / 4;
        Self { head: Vec::new(), tail: VecDeque::new(), head_cap, tail_cap: cap - head_cap, omitted: 0 }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        let into_head = bytes.len().min(self.head_cap - self.head.len());
        self.head.extend_from_slice(&bytes[..into_head]);
        bytes = &bytes[into_head..];
        self.tail.extend(bytes);
        let excess = self.tail.len().saturating_sub(self.tail_cap);
        self.tail.drain(..excess);
        self.omitted += excess as u64;
    }

    /// The last complete or partial line, for progress messages.
    fn last_line(&self) -> String {
        let (front, back) = self.tail.as_slices();
        let recent: Vec<u8> = if self.tail.is_empty() { self.head.clone() } else { [front, back].concat() };
        let text = String::from_utf8_lossy(&recent);
        let line = text.trim_end().rsplit('\n').next().unwrap_or("").trim();
        line.chars().take(200).collect()
    }

    fn finish(self) -> (String, u64) {
        let mut bytes = self.head;
        if self.omitted > 0 {
            bytes.extend_from_slice(format!("\n[... {} bytes omitted ...]\n", self.omitted).as_bytes());
        }
        bytes.extend(self.tail);
        (String::from_utf8_lossy(&bytes).into_owned(), self.omitted)
    }
}

/// The most output one task run returns, in bytes, as given by `--max-task-output`.
#[derive(Clone, Copy, Debug)]
pub struct MaxOutput(pub usize);

/// Run an allow-listed command (see `list_tasks`), e.g. `test` with `["my_test", "--", "--nocapture"]`.
/// No shell: arguments are passed as they are. Reports progress while it runs; returns the exit
/// code and the output (its start and end when long). One task runs at a time. A client that
/// supports MCP tasks gets one: it polls the run (the last output line is the status) and may
/// cancel it, which kills the whole process group.
#[mcp_tool(scopes = [Scope::TasksRun], max_concurrency = 1, task = "optional")]
pub async fn run_task(
    ctx: Context,
    root: State<mcp_runtime::sandbox::Root>,
    tasks: State<crate::tasks::Tasks>,
    max_output: State<MaxOutput>,
    /// The task's name, from `list_tasks`: `test`, `check`, `git_status`, ...
    command: String,
    /// Arguments added after the task's own: test names, paths, allowed flags.
    #[serde(default)]
    args: Vec<String>,
    /// Run in this directory, relative to the root (default: the root).
    #[serde(default)]
    directory: String,
) -> Result<TaskRun, ToolError> {
    let definition = tasks.get(&command)?;
    definition.check_args(&command, &args)?;
    // A process needs a path, not the root's handle: the real one, still under the root.
    let cwd = root.real_path(&directory)?;
    if !cwd.is_dir() {
        return Err(ToolError::invalid_argument(
            "directory",
            format!("`{directory}` is not a directory under the root"),
        ));
    }
    tracing::info!(target: "audit", caller = ctx.principal().subject(), tool = run_task::NAME, task = %command, ?args, directory = %cwd.display(), "run_task");
    run(&ctx, definition, &args, &cwd, max_output.0.0).await
}
