//! The point where a call becomes a task.

use std::{
    future::Future,
    pin::Pin,
    task::{Context as Waker, Poll},
};

use super::Context;

impl Context {
    /// Makes the call a task now, if it can become one (a `task` tool, called by a client that
    /// supports tasks): the client gets the task handle, and the rest of the handler runs in the
    /// background. Otherwise returns at once and the call goes on as usual.
    ///
    /// A task tool's call becomes a task anyway when the handler first waits; call this before
    /// asking for input that should go through the task (`input_required`, answered with
    /// `tasks/update`) rather than with the call. Questions asked before the call is a task go
    /// to the client with the call (see [`Context::request_input`]).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::model::ElicitationSchema;
    ///
    /// /// Delete a file, after the user confirms; the confirmation goes through the task.
    /// #[mcp_tool(task = "optional", destructive)]
    /// async fn delete_file(ctx: Context, path: String) -> Result<String, ToolError> {
    ///     ctx.start_task().await;
    ///     let schema = ElicitationSchema::builder().required_bool("confirm").build().map_err(ToolError::new)?;
    ///     let answer = ctx.elicit("confirm", format!("Delete {path}?"), schema).await?;
    ///     let confirmed = answer.content.as_ref().is_some_and(|content| content["confirm"] == true);
    ///     Ok(if confirmed { format!("deleted {path}") } else { "kept".to_owned() })
    /// }
    /// ```
    pub async fn start_task(&self) {
        StartTask { ctx: self }.await;
    }

    /// Whether the call has become a task.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Says how it runs.
    /// #[mcp_tool(task = "optional")]
    /// async fn how(ctx: Context) -> &'static str {
    ///     if ctx.is_task() { "as a task" } else { "as a call" }
    /// }
    /// ```
    pub fn is_task(&self) -> bool {
        self.inputs.task().is_some()
    }

    /// The id of the task the call became, if it did (for logs and records).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Logs its task id.
    /// #[mcp_tool(task = "optional")]
    /// async fn traced(ctx: Context) {
    ///     ctx.start_task().await;
    ///     tracing::info!(task = ?ctx.task_id(), "working");
    /// }
    /// ```
    pub fn task_id(&self) -> Option<&str> {
        self.inputs.task().map(|task| task.id.as_str())
    }
}

/// Pending once, so the pipeline sees the handler wait and makes the call a task; ready when it
/// is one, or cannot become one.
struct StartTask<'a> {
    ctx: &'a Context,
}

impl Future for StartTask<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, waker: &mut Waker<'_>) -> Poll<()> {
        let inputs = &self.ctx.inputs;
        if !inputs.may_become_task() || inputs.task().is_some() {
            return Poll::Ready(());
        }
        // Polled again by the task's runner, once the task exists.
        waker.waker().wake_by_ref();
        Poll::Pending
    }
}
