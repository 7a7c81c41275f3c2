//! What a call that became a task reports through: its status message, its questions for the
//! client and the answers that come back, all by way of the store.

use std::{collections::BTreeMap, sync::Arc};

use rmcp::model::InputRequest;
use serde_json::Value;

use super::{TaskChange, TaskStore};
use crate::error::ToolError;

/// The task a call became, as its `Context` sees it.
pub(crate) struct RunningTask {
    pub(crate) id: String,
    pub(crate) store: Arc<dyn TaskStore>,
}

impl RunningTask {
    /// Sets the status message clients see on `tasks/get`.
    pub(crate) async fn report(&self, message: String) {
        if let Err(error) = self.store.change(&self.id, TaskChange::Message(message)).await {
            tracing::warn!(task_id = %self.id, %error, "could not record the task's status message");
        }
    }

    /// Puts the questions to the client (`input_required`) and waits until every one is answered
    /// through `tasks/update`.
    pub(crate) async fn ask(
        &self,
        questions: BTreeMap<String, InputRequest>,
    ) -> Result<BTreeMap<String, Value>, ToolError> {
        let keys: Vec<String> = questions.keys().cloned().collect();
        let gone = || ToolError::new("the task ended or expired before the client answered");
        let failed = |error| ToolError::new(format!("the task store failed: {error}"));
        let mut record =
            self.store.change(&self.id, TaskChange::Ask(questions)).await.map_err(failed)?.ok_or_else(gone)?;
        loop {
            if keys.iter().all(|key| record.answers.contains_key(key)) {
                let answers =
                    keys.iter().filter_map(|key| Some((key.clone(), record.answers.get(key)?.clone()))).collect();
                self.store.change(&self.id, TaskChange::Took(keys)).await.map_err(failed)?;
                return Ok(answers);
            }
            record = self.store.changed(&self.id, record.revision).await.map_err(failed)?.ok_or_else(gone)?;
        }
    }
}
