//! Tasks from the client's side: start one, look at it, answer its questions, cancel it, or
//! drive it to its end as a real client would.

use std::{collections::BTreeMap, time::Duration};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CancelTaskParams, DetailedTask, GetTaskParams,
    InputRequests, Task, TaskPayload, UpdateTaskParams,
};
use serde_json::Value;

use super::{TestClient, TestError};

/// How many `input_required` rounds a call may take before the client gives up.
const MAX_ROUNDS: usize = 10;

/// What a call of a task tool answered at first: a task to follow, or its result at once.
#[derive(Debug)]
#[non_exhaustive]
pub enum Started {
    /// The call became a task.
    Task(Task),
    /// The call finished without becoming a task.
    Done(CallToolResult),
}

impl TestClient {
    /// Calls a tool and returns what it answered first: the task it became, or its result.
    /// `input_required` rounds before that are answered with the client's [`Answers`](super::Answers).
    ///
    /// ```
    /// use std::time::Duration;
    /// use mcp_runtime::{prelude::*, testing::{Answers, Started, TestClient}};
    /// use mcp_runtime::model::{ProtocolVersion, TaskStatus};
    ///
    /// /// Works a while.
    /// #[mcp_tool(task = "optional")]
    /// async fn build() -> &'static str {
    ///     tokio::time::sleep(Duration::from_millis(50)).await;
    ///     "built"
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = Server::new("demo", "1.0.0").register(handlers![build]);
    /// let client = TestClient::connect_answering(server, ProtocolVersion::V_2026_07_28, Answers::new().tasks()).await.unwrap();
    /// let Started::Task(task) = client.start_task("build", serde_json::json!({})).await.unwrap() else { panic!() };
    /// let done = client.wait_for_task(&task.task_id, |task| task.status().is_terminal(), Duration::from_secs(5)).await.unwrap();
    /// assert_eq!(done.status(), TaskStatus::Completed);
    /// # }
    /// ```
    pub async fn start_task(&self, name: &str, arguments: Value) -> Result<Started, TestError> {
        let mut params = CallToolRequestParams::new(name.to_owned());
        match arguments {
            Value::Object(arguments) => params = params.with_arguments(arguments),
            Value::Null => {}
            other => return Err(TestError::Connect(format!("tool arguments must be a JSON object, not {other}"))),
        }
        self.call_until_started(params).await
    }

    /// One `tools/call`, retried with answers while it answers `input_required`.
    pub(super) async fn call_until_started(&self, mut params: CallToolRequestParams) -> Result<Started, TestError> {
        for _ in 0..MAX_ROUNDS {
            match self.service.peer().call_tool_once(params.clone()).await? {
                CallToolResponse::Complete(result) => return Ok(Started::Done(result)),
                CallToolResponse::Task(created) => return Ok(Started::Task(created.task)),
                CallToolResponse::InputRequired(asked) => {
                    let answers = self.answer_all(asked.input_requests.as_ref())?;
                    params.input_responses = Some(answers.into_iter().collect());
                    params.request_state = asked.request_state;
                }
                #[allow(unreachable_patterns)]
                _ => return Err(TestError::Connect("the server answered tools/call with something unknown".into())),
            }
        }
        Err(TestError::Connect(format!("the call still asked for input after {MAX_ROUNDS} rounds")))
    }

    /// The task as `tasks/get` shows it.
    ///
    /// ```no_run
    /// # async fn demo(client: mcp_runtime::testing::TestClient) {
    /// let task = client.get_task("4b1f...").await.unwrap();
    /// println!("{:?}: {:?}", task.status(), task.task.status_message);
    /// # }
    /// ```
    pub async fn get_task(&self, task_id: &str) -> Result<DetailedTask, TestError> {
        Ok(self.service.peer().get_task(GetTaskParams::new(task_id)).await?.task)
    }

    /// Polls `tasks/get` until `done` holds, or fails after `timeout`.
    ///
    /// ```no_run
    /// # async fn demo(client: mcp_runtime::testing::TestClient) {
    /// use mcp_runtime::model::TaskStatus;
    /// let asking = client
    ///     .wait_for_task("4b1f...", |task| task.status() == TaskStatus::InputRequired, std::time::Duration::from_secs(5))
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub async fn wait_for_task(
        &self,
        task_id: &str,
        done: impl Fn(&DetailedTask) -> bool,
        timeout: Duration,
    ) -> Result<DetailedTask, TestError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let task = self.get_task(task_id).await?;
            if done(&task) {
                return Ok(task);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(TestError::Timeout("the task to reach the awaited state"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Answers a task's questions (`tasks/update`), by key.
    ///
    /// ```no_run
    /// # async fn demo(client: mcp_runtime::testing::TestClient) {
    /// let answer = serde_json::json!({"action": "accept", "content": {"confirm": true}});
    /// client.answer_task("4b1f...", [("confirm", answer)]).await.unwrap();
    /// # }
    /// ```
    pub async fn answer_task<K: Into<String>>(
        &self,
        task_id: &str,
        answers: impl IntoIterator<Item = (K, Value)>,
    ) -> Result<(), TestError> {
        let answers = answers.into_iter().map(|(key, answer)| (key.into(), answer)).collect();
        Ok(self.service.peer().update_task(UpdateTaskParams::new(task_id, answers)).await?)
    }

    /// Asks the server to cancel a task (`tasks/cancel`).
    ///
    /// ```no_run
    /// # async fn demo(client: mcp_runtime::testing::TestClient) {
    /// client.cancel_task("4b1f...").await.unwrap();
    /// # }
    /// ```
    pub async fn cancel_task(&self, task_id: &str) -> Result<(), TestError> {
        Ok(self.service.peer().cancel_task(CancelTaskParams::new(task_id)).await?)
    }

    /// Polls a task to its end, answering its questions, and returns its result.
    pub(super) async fn finish_task(&self, task_id: &str) -> Result<CallToolResult, TestError> {
        loop {
            let task = self.get_task(task_id).await?;
            match task.payload {
                TaskPayload::Completed { result } => {
                    return serde_json::from_value(Value::Object(result)).map_err(|error| {
                        TestError::Connect(format!("the task's result is not a tool result: {error}"))
                    });
                }
                TaskPayload::Failed { error } => {
                    let error = serde_json::from_value(Value::Object(error)).unwrap_or_else(|error| {
                        rmcp::ErrorData::internal_error(format!("unreadable task error: {error}"), None)
                    });
                    return Err(TestError::TaskFailed(error));
                }
                TaskPayload::Cancelled => return Err(TestError::TaskCancelled),
                TaskPayload::InputRequired { input_requests } => {
                    let answers = self.answer_all(Some(&input_requests))?;
                    self.answer_task(task_id, answers).await?;
                }
                _ => {}
            }
            let interval = task.task.poll_interval_ms.unwrap_or(50).min(50);
            tokio::time::sleep(Duration::from_millis(interval)).await;
        }
    }

    fn answer_all(&self, questions: Option<&InputRequests>) -> Result<BTreeMap<String, Value>, TestError> {
        questions
            .into_iter()
            .flatten()
            .map(|(key, question)| {
                let answer = self.recorder.answer_input(question).ok_or_else(|| TestError::Unanswered(key.clone()))?;
                Ok((key.clone(), answer))
            })
            .collect()
    }
}
