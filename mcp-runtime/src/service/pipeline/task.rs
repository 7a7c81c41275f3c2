//! A `tools/call` of a task tool by a client that supports tasks: the handler runs on the
//! request until it first waits; a handler that finishes first answers as any call does, one
//! that waits becomes a task: the client gets the task handle, and the handler goes on in a
//! runner of its own, which records how it ends.

use std::{future::Future, panic::AssertUnwindSafe, pin::Pin, sync::Arc, task::Poll};

use futures::FutureExt;
use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{CallToolResponse, CallToolResult, CreateTaskResult, JsonObject},
    service::RequestContext,
};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::Invoked;
use crate::{
    auth::Principal,
    failure::{Failure, Item, Kind, to_tool_result},
    input::CallInputs,
    random_id::random_id,
    registry::ToolEntry,
    service::McpService,
    task::{RunningTask, TaskChange, TaskRecord, TaskSettings, TaskStore},
};

/// A found, authorized call of a task tool.
pub(crate) struct TaskCall {
    pub(crate) entry: Arc<ToolEntry>,
    pub(crate) principal: Arc<Principal>,
    pub(crate) inputs: Arc<CallInputs>,
    pub(crate) arguments: JsonObject,
}

type Running = Pin<Box<dyn Future<Output = std::thread::Result<CallToolResult>> + Send>>;

/// How a task's handler stopped short of a result.
enum Stopped {
    /// `tasks/cancel`: the handler was dropped.
    Cancelled,
    /// The task is gone from the store (expired).
    Gone,
    /// The tool's own time limit.
    TimedOut(std::time::Duration),
}

impl McpService {
    pub(crate) async fn call_as_task(
        &self,
        call: TaskCall,
        settings: &TaskSettings,
        mut context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let TaskCall { entry, principal, inputs, arguments } = call;
        let definition = &entry.definition;
        let item = Item { kind: Kind::Tool, name: definition.name };
        let slots = match self.enter_limits(entry.limiter.as_deref(), item.name).await {
            Ok(slots) => slots,
            Err(failure) => return Ok(to_tool_result(&failure, item).into()),
        };
        inputs.allow_task();
        // The call outlives its request once it is a task: its cancellation is the task's, which
        // only `tasks/cancel` (or a cancel of the request before it became one) triggers.
        let request_cancelled = std::mem::replace(&mut context.ct, CancellationToken::new());
        let cancel = context.ct.clone();
        let ctx = self.call_context(context, definition.name, principal.clone(), inputs.clone());
        let mut running: Running =
            Box::pin(AssertUnwindSafe((definition.call)(arguments, entry.validator.as_ref(), ctx)).catch_unwind());
        // One poll on the request: a handler that never waits answers as an ordinary call.
        if let Poll::Ready(outcome) = futures::poll!(running.as_mut()) {
            let invoked = self.settle(item, &inputs, Ok(outcome))?;
            return Ok(self.finish_tool_call(&entry, item, invoked));
        }
        if request_cancelled.is_cancelled() {
            return Ok(to_tool_result(&Failure::Cancelled, item).into());
        }
        let id =
            random_id().map_err(|error| McpError::internal_error(format!("cannot draw a task id: {error}"), None))?;
        let record = TaskRecord::new(
            id.clone(),
            principal.subject().to_owned(),
            definition.name.to_owned(),
            Some(settings.ttl_ms()),
            Some(settings.poll_interval_ms()),
        );
        let store = settings.store.clone();
        if let Err(error) = store.create(record.clone(), settings.max_per_principal).await {
            tracing::warn!(tool = item.name, %error, "task refused");
            return Ok(to_tool_result(&Failure::Busy(error.to_string()), item).into());
        }
        inputs.became_task(Arc::new(RunningTask { id: id.clone(), store: store.clone() }));
        tracing::info!(task_id = %id, tool = item.name, principal = principal.subject(), "call became a task");
        let runner = Runner { service: self.clone(), entry: entry.clone(), inputs, store, id: id.clone(), cancel };
        let span = tracing::info_span!("task", task_id = %id, tool = item.name);
        tokio::spawn(runner.run(running, slots, settings.ttl).instrument(span));
        Ok(CallToolResponse::Task(CreateTaskResult::new(record.to_task())))
    }
}

/// Runs a task's handler to its end and records the end in the store.
struct Runner {
    service: McpService,
    entry: Arc<ToolEntry>,
    inputs: Arc<CallInputs>,
    store: Arc<dyn TaskStore>,
    id: String,
    cancel: CancellationToken,
}

impl Runner {
    async fn run(self, running: Running, slots: super::limits::Slots, ttl: std::time::Duration) {
        let _running = self.service.shared().env.metrics.task_running();
        let name = self.entry.definition.name;
        let limit = self.entry.definition.timeout;
        let bounded = async {
            match limit {
                Some(limit) => tokio::time::timeout(limit, running).await.map_err(|_| Stopped::TimedOut(limit)),
                None => Ok(running.await),
            }
        };
        let ended = tokio::select! {
            biased;
            stopped = self.until_cancelled() => Err(stopped),
            () = tokio::time::sleep(ttl) => Err(Stopped::Gone),
            outcome = bounded => outcome,
        };
        drop(slots);
        let change = self.outcome(ended);
        let status = match &change {
            Some(TaskChange::Complete(_)) => "completed",
            Some(TaskChange::Fail(_)) => "failed",
            Some(_) => "cancelled",
            None => "expired",
        };
        self.service.shared().env.metrics.task_finished(name, status);
        tracing::info!(status, "task finished");
        if let Some(change) = change {
            match self.store.change(&self.id, change).await {
                Ok(Some(_)) => {}
                Ok(None) => tracing::info!("the task expired before it finished; its outcome is dropped"),
                Err(error) => tracing::error!(%error, "could not record how the task ended"),
            }
        }
    }

    /// Resolves when the client cancels the task, or it leaves the store.
    async fn until_cancelled(&self) -> Stopped {
        let mut seen = 0;
        loop {
            match self.store.changed(&self.id, seen).await {
                Ok(Some(record)) if record.cancel_requested => {
                    self.cancel.cancel();
                    return Stopped::Cancelled;
                }
                Ok(Some(record)) => seen = record.revision,
                Ok(None) => return Stopped::Gone,
                Err(error) => {
                    // Without the store the task cannot be seen or cancelled: stop it.
                    tracing::error!(%error, "lost the task store; stopping the task");
                    return Stopped::Gone;
                }
            }
        }
    }

    /// The change that records how the handler ended; `None` when the task is gone.
    fn outcome(&self, ended: Result<std::thread::Result<CallToolResult>, Stopped>) -> Option<TaskChange> {
        let item = Item { kind: Kind::Tool, name: self.entry.definition.name };
        let outcome = match ended {
            Err(Stopped::Cancelled) => return Some(TaskChange::Cancelled),
            Err(Stopped::Gone) => return None,
            Err(Stopped::TimedOut(limit)) => Err(Failure::TimedOut(limit)),
            Ok(outcome) => Ok(outcome),
        };
        let panicked = matches!(outcome, Ok(Err(_)));
        // A protocol error the handler hit, or a panic, fails the task; a tool error completes it.
        let invoked = match self.service.settle(item, &self.inputs, outcome) {
            Ok(Invoked::Failed(Failure::Panicked)) if panicked => {
                let error =
                    McpError::internal_error(format!("tool `{}` failed with an internal error", item.name), None);
                return Some(TaskChange::Fail(error_object(&error)));
            }
            Ok(Invoked::InputRequired(_)) => {
                let error = McpError::internal_error("the task asked for input outside the task", None);
                return Some(TaskChange::Fail(error_object(&error)));
            }
            Err(error) => return Some(TaskChange::Fail(error_object(&error))),
            Ok(invoked) => invoked,
        };
        match self.service.finish_tool_call(&self.entry, item, invoked) {
            CallToolResponse::Complete(result) => Some(TaskChange::Complete(result_object(&result))),
            _ => {
                let error = McpError::internal_error("the task's result could not be recorded", None);
                Some(TaskChange::Fail(error_object(&error)))
            }
        }
    }
}

fn result_object(result: &CallToolResult) -> JsonObject {
    match serde_json::to_value(result) {
        Ok(serde_json::Value::Object(object)) => object,
        _ => JsonObject::new(),
    }
}

fn error_object(error: &McpError) -> JsonObject {
    match serde_json::to_value(error) {
        Ok(serde_json::Value::Object(object)) => object,
        _ => JsonObject::new(),
    }
}
