//! Progress and log messages a call sends its client while it runs.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still used by 2025 clients.

use rmcp::model::{LoggingMessageNotificationParam, ProgressNotificationParam, ProtocolVersion};
use serde_json::Value;

use super::Context;
use crate::logging::LogLevel;

impl Context {
    /// Reports progress to the client, if it asked for progress on this request (it sent a
    /// `progressToken`); otherwise does nothing. `done` should grow with every call. In a call
    /// that has become a task, the message (or `done of total`) is the task's status message.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Two-step work.
    /// #[mcp_tool]
    /// async fn work(ctx: Context) {
    ///     ctx.progress(1, 2, "first half").await;
    ///     ctx.progress(2, 2, "second half").await;
    /// }
    /// ```
    pub async fn progress(&self, done: impl ProgressAmount, total: impl ProgressAmount, message: impl Into<String>) {
        self.send_progress(done.as_f64(), Some(total.as_f64()), message.into()).await;
    }

    /// Reports progress when the total is not known in advance.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Reads until the end.
    /// #[mcp_tool]
    /// async fn drain(ctx: Context) {
    ///     ctx.progress_unbounded(1024, "read 1 KiB").await;
    /// }
    /// ```
    pub async fn progress_unbounded(&self, done: impl ProgressAmount, message: impl Into<String>) {
        self.send_progress(done.as_f64(), None, message.into()).await;
    }

    async fn send_progress(&self, done: f64, total: Option<f64>, message: String) {
        if let Some(task) = self.inputs.task() {
            // A task has no progress notifications: its status message says how far it is.
            let message = match (message.is_empty(), total) {
                (false, _) => message,
                (true, Some(total)) => format!("{done} of {total}"),
                (true, None) => format!("{done}"),
            };
            return task.report(message).await;
        }
        let Some(token) = self.request.meta.get_progress_token() else { return };
        let mut param = ProgressNotificationParam::new(token, done);
        if let Some(total) = total {
            param = param.with_total(total);
        }
        if !message.is_empty() {
            param = param.with_message(message);
        }
        match self.unless_stopped(self.request.peer.notify_progress(param)).await {
            Some(Ok(())) => {}
            Some(Err(error)) => tracing::debug!(%error, "progress notification not delivered"),
            None => tracing::debug!("progress notification not sent: the connection has ended"),
        }
    }

    /// Sends a log message to the client (`notifications/message`) if `level` is at or above the
    /// level the client asked for (`logging/setLevel`, or per request on 2026-07-28; `info` when
    /// it never said). Server-side diagnostics belong in `tracing`, which goes to stderr.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Warns, then answers.
    /// #[mcp_tool]
    /// async fn careful(ctx: Context) -> &'static str {
    ///     ctx.log(LogLevel::Warning, "the cache was cold").await;
    ///     "ok"
    /// }
    /// ```
    pub async fn log(&self, level: LogLevel, message: impl Into<String>) {
        self.log_data(level, Value::String(message.into())).await;
    }

    /// Like [`Context::log`], with structured data instead of a message.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Logs a structured record.
    /// #[mcp_tool]
    /// async fn audited(ctx: Context) {
    ///     ctx.log_data(LogLevel::Notice, serde_json::json!({"event": "audit", "ok": true})).await;
    /// }
    /// ```
    pub async fn log_data(&self, level: LogLevel, data: Value) {
        if let Some(task) = self.inputs.task() {
            // The tasks extension carries no log messages: they go to the server's log.
            tracing::info!(task_id = %task.id, logger = self.logger, ?level, %data, "task log message");
            return;
        }
        // A 2026-07-28 client that names no `logLevel` in the request's `_meta` wants no logs.
        let unrequested = self.request.meta.log_level().is_none()
            && self.protocol_version().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        if unrequested || level < self.client_log_level() {
            return;
        }
        let param = LoggingMessageNotificationParam::new(level.to_rmcp(), data).with_logger(self.logger);
        match self.unless_stopped(self.request.peer.notify_logging_message(param)).await {
            Some(Ok(())) => {}
            Some(Err(error)) => tracing::debug!(%error, "log notification not delivered"),
            None => tracing::debug!("log notification not sent: the connection has ended"),
        }
    }

    /// The least severe level the client wants to receive on this request.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// /// Only builds the expensive message when it will be sent.
    /// #[mcp_tool]
    /// async fn chatty(ctx: Context) {
    ///     if ctx.client_log_level() <= LogLevel::Debug {
    ///         ctx.log(LogLevel::Debug, format!("{:?}", std::env::args())).await;
    ///     }
    /// }
    /// ```
    pub fn client_log_level(&self) -> LogLevel {
        match self.request.meta.log_level() {
            Some(level) => LogLevel::from_rmcp(level),
            None => self.log_level.get(),
        }
    }
}

/// A number [`Context::progress`] accepts: any primitive integer or float, so counters from
/// `enumerate()` (`usize`) or byte counts (`u64`) work without conversion. Progress is a
/// floating-point number on the wire; integers above 2^53 lose precision.
///
/// ```
/// use mcp_runtime::ProgressAmount;
/// assert_eq!(3usize.as_f64(), 3.0);
/// assert_eq!(0.5f32.as_f64(), 0.5);
/// ```
pub trait ProgressAmount: Copy {
    /// The amount as the wire's floating-point number.
    fn as_f64(self) -> f64;
}

macro_rules! progress_amount {
    ($($number:ty),*) => {$(
        impl ProgressAmount for $number {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn as_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}

progress_amount!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);
