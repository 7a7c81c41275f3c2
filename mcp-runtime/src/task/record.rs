//! What a store keeps of one task, and the changes made to it: every store applies them the same
//! way ([`TaskChange::apply`]), so a task behaves alike whichever store keeps it.

use std::{
    collections::BTreeMap,
    time::{SystemTime, UNIX_EPOCH},
};

use rmcp::model::{DetailedTask, InputRequest, JsonObject, Task, TaskPayload, TaskStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One task as a store keeps it. Serializable, so a shared store can keep it as JSON.
///
/// ```
/// use mcp_runtime::task::TaskRecord;
///
/// let record = TaskRecord::new("0f3a".into(), "alice".into(), "build".into(), Some(60_000), Some(500));
/// assert!(!record.is_finished());
/// assert_eq!(record.to_detailed().status(), mcp_runtime::model::TaskStatus::Working);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskRecord {
    /// The task id clients use (unguessable).
    pub id: String,
    /// The subject of the principal that started it; no one else may see it.
    pub owner: String,
    /// The tool called.
    pub tool: String,
    /// `working`, `input_required`, or how it ended.
    pub status: TaskStatus,
    /// The last progress message.
    pub status_message: Option<String>,
    /// RFC 3339 creation time, as sent to clients.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub last_updated_at: String,
    /// Creation time in milliseconds since the Unix epoch, for expiry.
    pub created_ms: u64,
    /// How long the task lives from its creation; `None`: until the server stops.
    pub ttl_ms: Option<u64>,
    /// How often clients should poll.
    pub poll_interval_ms: Option<u64>,
    /// Questions for the client that it has not answered yet, by key.
    pub input_requests: BTreeMap<String, InputRequest>,
    /// Answers that arrived and the running call has not taken yet, by key.
    pub answers: BTreeMap<String, Value>,
    /// The tool's result, once completed.
    pub result: Option<JsonObject>,
    /// The JSON-RPC error, once failed.
    pub error: Option<JsonObject>,
    /// The client asked to cancel.
    pub cancel_requested: bool,
    /// Counts changes, so a waiter knows whether it has seen the latest.
    pub revision: u64,
}

impl TaskRecord {
    /// A task that starts now, `working`.
    ///
    /// ```
    /// let record = mcp_runtime::task::TaskRecord::new("id".into(), "alice".into(), "build".into(), None, None);
    /// assert_eq!(record.owner, "alice");
    /// ```
    pub fn new(id: String, owner: String, tool: String, ttl_ms: Option<u64>, poll_interval_ms: Option<u64>) -> Self {
        let now = rmcp::task_manager::current_timestamp();
        Self {
            id,
            owner,
            tool,
            status: TaskStatus::Working,
            status_message: None,
            created_at: now.clone(),
            last_updated_at: now,
            created_ms: now_ms(),
            ttl_ms,
            poll_interval_ms,
            input_requests: BTreeMap::new(),
            answers: BTreeMap::new(),
            result: None,
            error: None,
            cancel_requested: false,
            revision: 0,
        }
    }

    /// Whether it has ended: completed, failed or cancelled.
    ///
    /// ```
    /// let record = mcp_runtime::task::TaskRecord::new("id".into(), "alice".into(), "build".into(), None, None);
    /// assert!(!record.is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        self.status.is_terminal()
    }

    /// Whether its TTL has passed at `now_ms` (milliseconds since the Unix epoch).
    ///
    /// ```
    /// let record = mcp_runtime::task::TaskRecord::new("id".into(), "a".into(), "t".into(), Some(1_000), None);
    /// assert!(!record.is_expired(record.created_ms + 999));
    /// assert!(record.is_expired(record.created_ms + 1_000));
    /// ```
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.ttl_ms.is_some_and(|ttl| now_ms >= self.created_ms.saturating_add(ttl))
    }

    /// What `tasks/get` answers: the task with its questions, result or error.
    ///
    /// ```
    /// let record = mcp_runtime::task::TaskRecord::new("id".into(), "a".into(), "t".into(), None, None);
    /// assert_eq!(record.to_detailed().task.task_id, "id");
    /// ```
    pub fn to_detailed(&self) -> DetailedTask {
        let payload = match self.status {
            TaskStatus::InputRequired => {
                TaskPayload::InputRequired { input_requests: self.input_requests.clone().into_iter().collect() }
            }
            TaskStatus::Completed => TaskPayload::Completed { result: self.result.clone().unwrap_or_default() },
            TaskStatus::Failed => TaskPayload::Failed { error: self.error.clone().unwrap_or_default() },
            TaskStatus::Cancelled => TaskPayload::Cancelled,
            _ => TaskPayload::Working,
        };
        DetailedTask::new(self.to_task(), payload)
    }

    /// The task without its payload, as `CreateTaskResult` carries it.
    pub(crate) fn to_task(&self) -> Task {
        let mut task = Task::new(self.id.clone(), self.status, self.created_at.clone(), self.last_updated_at.clone());
        task.status_message = self.status_message.clone();
        task.ttl_ms = self.ttl_ms;
        task.poll_interval_ms = self.poll_interval_ms;
        task
    }
}

/// A change to a task: what the running call reports, and what the client asks.
///
/// ```
/// use mcp_runtime::task::{TaskChange, TaskRecord};
///
/// let mut record = TaskRecord::new("id".into(), "alice".into(), "build".into(), None, None);
/// TaskChange::Message("compiling".into()).apply(&mut record);
/// assert_eq!(record.status_message.as_deref(), Some("compiling"));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TaskChange {
    /// A new status message (progress).
    Message(String),
    /// Questions for the client: the task is `input_required` until all are answered.
    Ask(BTreeMap<String, InputRequest>),
    /// The client's answers (`tasks/update`); answers to questions not pending are ignored.
    Answer(BTreeMap<String, Value>),
    /// The running call took these answers.
    Took(Vec<String>),
    /// The client asked to cancel (`tasks/cancel`); a finished task stays as it ended.
    Cancel,
    /// The call completed with this `CallToolResult` (which may be a tool error).
    Complete(JsonObject),
    /// The call failed with this JSON-RPC error.
    Fail(JsonObject),
    /// The call was stopped after a cancel.
    Cancelled,
}

impl TaskChange {
    /// Applies the change; a change to a finished task does nothing. Returns whether anything
    /// changed.
    ///
    /// ```
    /// use mcp_runtime::task::{TaskChange, TaskRecord};
    ///
    /// let mut record = TaskRecord::new("id".into(), "alice".into(), "build".into(), None, None);
    /// assert!(TaskChange::Cancelled.apply(&mut record));
    /// assert!(!TaskChange::Message("late".into()).apply(&mut record));
    /// ```
    pub fn apply(&self, record: &mut TaskRecord) -> bool {
        if record.is_finished() {
            return false;
        }
        match self {
            TaskChange::Message(message) => record.status_message = Some(message.clone()),
            TaskChange::Ask(questions) => record.input_requests.extend(questions.clone()),
            TaskChange::Answer(answers) => {
                let pending: Vec<(String, Value)> = answers
                    .iter()
                    .filter(|(key, _)| record.input_requests.contains_key(*key))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect();
                if pending.is_empty() {
                    return false;
                }
                for (key, value) in pending {
                    record.input_requests.remove(&key);
                    record.answers.insert(key, value);
                }
            }
            TaskChange::Took(keys) => keys.iter().for_each(|key| drop(record.answers.remove(key))),
            TaskChange::Cancel => record.cancel_requested = true,
            TaskChange::Complete(result) => {
                record.result = Some(result.clone());
                record.status = TaskStatus::Completed;
            }
            TaskChange::Fail(error) => {
                record.error = Some(error.clone());
                record.status = TaskStatus::Failed;
            }
            TaskChange::Cancelled => record.status = TaskStatus::Cancelled,
        }
        if record.is_finished() {
            record.input_requests.clear();
            record.answers.clear();
        } else {
            let waiting = !record.input_requests.is_empty();
            record.status = if waiting { TaskStatus::InputRequired } else { TaskStatus::Working };
        }
        record.last_updated_at = rmcp::task_manager::current_timestamp();
        record.revision += 1;
        true
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rmcp::model::{InputRequest, TaskStatus};
    use serde_json::json;

    use super::{TaskChange, TaskRecord};

    fn question() -> InputRequest {
        serde_json::from_value(json!({
            "method": "elicitation/create",
            "params": {"message": "Sure?", "requestedSchema": {"type": "object", "properties": {}}}
        }))
        .unwrap()
    }

    #[test]
    fn a_task_waits_until_every_question_is_answered() {
        let mut record = TaskRecord::new("id".into(), "alice".into(), "t".into(), None, None);
        let asked = BTreeMap::from([("a".to_owned(), question()), ("b".to_owned(), question())]);
        TaskChange::Ask(asked).apply(&mut record);
        assert_eq!(record.status, TaskStatus::InputRequired);
        TaskChange::Answer(BTreeMap::from([("a".to_owned(), json!({"action": "accept"}))])).apply(&mut record);
        assert_eq!(record.status, TaskStatus::InputRequired);
        assert_eq!(record.input_requests.keys().collect::<Vec<_>>(), ["b"]);
        assert!(!TaskChange::Answer(BTreeMap::from([("zzz".to_owned(), json!({}))])).apply(&mut record));
        TaskChange::Answer(BTreeMap::from([("b".to_owned(), json!({"action": "decline"}))])).apply(&mut record);
        assert_eq!(record.status, TaskStatus::Working);
        assert_eq!(record.answers.len(), 2);
    }

    #[test]
    fn a_finished_task_keeps_its_outcome() {
        let mut record = TaskRecord::new("id".into(), "alice".into(), "t".into(), None, None);
        TaskChange::Complete(serde_json::Map::new()).apply(&mut record);
        let revision = record.revision;
        assert!(!TaskChange::Cancel.apply(&mut record));
        assert!(!TaskChange::Cancelled.apply(&mut record));
        assert_eq!((record.status, record.revision), (TaskStatus::Completed, revision));
    }
}
