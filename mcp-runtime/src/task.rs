//! Long-running tools as tasks (the `io.modelcontextprotocol/tasks` extension, SEP-2663).
//!
//! A tool declared `#[mcp_tool(task = "optional")]` (or `"required"`) stays an ordinary async
//! function. When the client supports tasks, the call becomes a task as soon as the function
//! first waits (or calls [`Context::start_task`](crate::Context::start_task)): the client gets a
//! task handle at once and polls `tasks/get`, while the function goes on running. From then on
//! `ctx.progress(..)` sets the task's status message, `ctx.request_input(..)` (and `elicit`,
//! `sample`, `list_roots`) puts the task in `input_required` until the client answers with
//! `tasks/update` (the running function waits for the answer; it does not run again), and
//! `tasks/cancel` drops the function as a cancelled request does. A function that finishes
//! without waiting answers at once, as an ordinary call.
//!
//! Tasks are kept in a [`TaskStore`]: [`MemoryTaskStore`] by default. A task belongs to the
//! principal that started it; another principal is told it does not exist.
//!
//! ```
//! use std::time::Duration;
//! use mcp_runtime::prelude::*;
//! use mcp_runtime::task::TaskSettings;
//!
//! /// Rebuild the search index; takes a few minutes.
//! #[mcp_tool(task = "optional")]
//! async fn reindex(ctx: Context) -> Result<String, ToolError> {
//!     for step in 1..=3u32 {
//!         tokio::time::sleep(Duration::from_millis(10)).await;
//!         ctx.progress(step, 3, format!("indexed part {step} of 3")).await;
//!     }
//!     Ok("index rebuilt".to_owned())
//! }
//!
//! let server = Server::new("search", "1.0.0")
//!     .register(handlers![reindex])
//!     .tasks(TaskSettings::default().ttl(Duration::from_secs(3600)).max_per_principal(10));
//! ```

mod memory;
mod record;
mod running;
mod settings;
mod store;

pub use memory::MemoryTaskStore;
pub use record::{TaskChange, TaskRecord};
pub use settings::TaskSettings;
pub use store::{StoreFuture, TaskStore, TaskStoreError};

pub(crate) use running::RunningTask;

/// Whether a tool may run as a task: `#[mcp_tool(task = "optional")]` or `"required"`.
/// A tool without it never does.
///
/// ```
/// use mcp_runtime::{model::CallToolResult, task::TaskSupport, tool::ToolDefinition};
///
/// let build = ToolDefinition::from_fn("build", "Build the project.", serde_json::json!({"type": "object"}), |_, _| async {
///     Ok(CallToolResult::success(vec![]))
/// })
/// .task(TaskSupport::Optional);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskSupport {
    /// A client that supports tasks gets one; another gets the result when the call ends.
    Optional,
    /// Only a client that supports tasks may call the tool; another is told it must.
    Required,
}
