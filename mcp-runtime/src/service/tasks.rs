//! `tasks/get`, `tasks/update` and `tasks/cancel`: the client's side of a task, each checked
//! against the task's owner. rmcp has already refused them to a client that did not declare the
//! tasks extension (and to every client of a server that does not advertise it).

use std::collections::BTreeMap;

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{GetTaskResult, InputResponses},
    service::RequestContext,
};

use super::McpService;
use crate::{
    input::check_answer,
    task::{TaskChange, TaskRecord, TaskSettings, TaskStoreError},
};

impl McpService {
    pub(crate) async fn handle_get_task(
        &self,
        task_id: &str,
        context: RequestContext<RoleServer>,
    ) -> Result<GetTaskResult, McpError> {
        let record = self.owned_task(task_id, &context).await?;
        Ok(GetTaskResult::new(record.to_detailed()))
    }

    /// Hands the answers to the task; answers to questions it is not asking are ignored, an
    /// answer of the wrong kind (a sampling result for a form) is refused.
    pub(crate) async fn handle_update_task(
        &self,
        task_id: &str,
        responses: InputResponses,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        let record = self.owned_task(task_id, &context).await?;
        let answers: BTreeMap<String, serde_json::Value> = responses.into_iter().collect();
        for (key, answer) in &answers {
            if let Some(question) = record.input_requests.get(key) {
                check_answer(question, answer)
                    .map_err(|problem| McpError::invalid_params(format!("`inputResponses.{key}`: {problem}"), None))?;
            }
        }
        self.settings()?.store.change(task_id, TaskChange::Answer(answers)).await.map_err(store_failed)?;
        Ok(())
    }

    /// Asks the task to stop; a finished task stays as it ended (the same empty answer).
    pub(crate) async fn handle_cancel_task(
        &self,
        task_id: &str,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.owned_task(task_id, &context).await?;
        self.settings()?.store.change(task_id, TaskChange::Cancel).await.map_err(store_failed)?;
        Ok(())
    }

    /// The task, if it exists and the caller started it. Another principal's task is answered
    /// exactly as a task that does not exist, so its existence does not leak.
    async fn owned_task(&self, task_id: &str, context: &RequestContext<RoleServer>) -> Result<TaskRecord, McpError> {
        let record = self.settings()?.store.get(task_id).await.map_err(store_failed)?;
        let principal = self.principal_of(context);
        match record {
            Some(record) if record.owner == principal.subject() => Ok(record),
            Some(_) => {
                tracing::warn!(task_id, principal = principal.subject(), "refused another principal's task");
                Err(unknown_task(task_id))
            }
            None => Err(unknown_task(task_id)),
        }
    }

    fn settings(&self) -> Result<&TaskSettings, McpError> {
        // rmcp answers tasks/* with method-not-found unless the extension is advertised, and it
        // is advertised exactly when there are settings.
        self.shared().tasks.as_ref().ok_or_else(|| McpError::internal_error("this server keeps no tasks", None))
    }
}

fn unknown_task(task_id: &str) -> McpError {
    McpError::invalid_params(format!("no task `{task_id}`: it never existed, has expired, or is not yours"), None)
}

fn store_failed(error: TaskStoreError) -> McpError {
    tracing::error!(%error, "task store failed");
    McpError::internal_error(error.to_string(), None)
}
