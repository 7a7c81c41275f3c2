//! What a test does with a connected client: list, call, get and read, and look at the
//! notifications recorded.

use std::time::Duration;

use rmcp::{
    RoleClient,
    model::{
        CallToolRequestParams, CallToolResult, GetPromptRequestParams, GetPromptResult, ProtocolVersion,
        ReadResourceRequestParams, ReadResourceResult, Tool,
    },
    service::Peer,
};
use serde_json::Value;

use super::{Recorded, Started, TestClient, TestError, text_of};

impl TestClient {
    /// The protocol version in use.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert_eq!(client.protocol_version(), Some(mcp_runtime::model::ProtocolVersion::V_2025_11_25));
    /// # }
    /// ```
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.service.peer().peer_info().map(|info| info.protocol_version.clone())
    }

    /// Every tool the server lists.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert!(client.list_tools().await.unwrap().is_empty());
    /// # }
    /// ```
    pub async fn list_tools(&self) -> Result<Vec<Tool>, TestError> {
        Ok(self.service.peer().list_all_tools().await?)
    }

    /// Calls a tool with a JSON object of arguments and returns the raw result, error or not.
    /// On 2026-07-28 it answers `input_required` rounds and retries; a call that becomes a task
    /// (with [`Answers::tasks`](super::Answers::tasks)) is polled to its end, its questions
    /// answered.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Fails on purpose.
    /// #[mcp_tool]
    /// async fn fail() -> Result<String, ToolError> { Err(ToolError::new("nope")) }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![fail])).await.unwrap();
    /// let result = client.call_tool("fail", serde_json::json!({})).await.unwrap();
    /// assert_eq!(result.is_error, Some(true));
    /// # }
    /// ```
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Result<CallToolResult, TestError> {
        let mut params = CallToolRequestParams::new(name.to_owned());
        match arguments {
            Value::Object(arguments) => params = params.with_arguments(arguments),
            Value::Null => {}
            other => {
                return Err(TestError::Connect(format!("tool arguments must be a JSON object, not {other}")));
            }
        }
        match self.call_until_started(params).await? {
            Started::Done(result) => Ok(result),
            Started::Task(task) => self.finish_task(&task.task_id).await,
        }
    }

    /// Gets a prompt with string arguments, answering `input_required` rounds on 2026-07-28.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Reviews code.
    /// #[mcp_prompt]
    /// async fn review(language: String) -> String { format!("Review this {language}.") }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![review])).await.unwrap();
    /// let prompt = client.get_prompt("review", &[("language", "Rust")]).await.unwrap();
    /// assert_eq!(prompt.messages.len(), 1);
    /// # }
    /// ```
    pub async fn get_prompt(&self, name: &str, arguments: &[(&str, &str)]) -> Result<GetPromptResult, TestError> {
        let arguments =
            arguments.iter().map(|(name, value)| ((*name).to_owned(), Value::String((*value).to_owned()))).collect();
        let params = GetPromptRequestParams::new(name.to_owned()).with_arguments(arguments);
        Ok(self.service.get_prompt(params).await?)
    }

    /// Reads a resource, answering `input_required` rounds on 2026-07-28.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// The motto.
    /// #[mcp_resource(uri = "text://motto")]
    /// async fn motto() -> &'static str { "ship it" }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![motto])).await.unwrap();
    /// let read = client.read_resource("text://motto").await.unwrap();
    /// assert_eq!(read.contents.len(), 1);
    /// # }
    /// ```
    pub async fn read_resource(&self, uri: &str) -> Result<ReadResourceResult, TestError> {
        Ok(self.service.read_resource(ReadResourceRequestParams::new(uri.to_owned())).await?)
    }

    /// Calls a tool and returns its text; an `isError` result becomes [`TestError::ToolFailed`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Greets.
    /// #[mcp_tool]
    /// async fn greet(name: String) -> String { format!("hello, {name}") }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(Server::new("d", "1").register(handlers![greet])).await.unwrap();
    /// assert_eq!(client.call_text("greet", serde_json::json!({"name": "Ada"})).await.unwrap(), "hello, Ada");
    /// # }
    /// ```
    pub async fn call_text(&self, name: &str, arguments: Value) -> Result<String, TestError> {
        let result = self.call_tool(name, arguments).await?;
        let text = text_of(&result);
        if result.is_error == Some(true) { Err(TestError::ToolFailed(text)) } else { Ok(text) }
    }

    /// The notifications received so far.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// assert!(client.recorded().progress.is_empty());
    /// # }
    /// ```
    pub fn recorded(&self) -> Recorded {
        self.recorder.with(|recorded| recorded.clone())
    }

    /// Waits until the recorded notifications satisfy `done` (they are delivered concurrently
    /// with responses), or fails after `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// let recorded = client.wait_for(|r| r.logs.is_empty(), Duration::from_secs(1)).await.unwrap();
    /// assert!(recorded.logs.is_empty());
    /// # }
    /// ```
    pub async fn wait_for(&self, done: impl Fn(&Recorded) -> bool, timeout: Duration) -> Result<Recorded, TestError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let recorded = self.recorded();
            if done(&recorded) {
                return Ok(recorded);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(TestError::Timeout("the expected notifications"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The rmcp peer, for requests these helpers do not cover.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let client = mcp_runtime::testing::TestClient::connect(mcp_runtime::Server::new("demo", "1.0.0")).await.unwrap();
    /// let info = client.peer().peer_info().unwrap();
    /// assert_eq!(info.server_info.as_ref().unwrap().name, "demo");
    /// # }
    /// ```
    pub fn peer(&self) -> &Peer<RoleClient> {
        self.service.peer()
    }
}
