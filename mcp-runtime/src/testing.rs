//! An in-process MCP client for tests: the real rmcp client talking to your server through a
//! pipe, with every notification recorded.
//!
//! ```
//! use mcp_runtime::{prelude::*, testing::TestClient};
//!
//! /// Add two integers.
//! #[mcp_tool]
//! async fn add(a: i64, b: i64) -> i64 { a + b }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let client = TestClient::connect(Server::new("demo", "1.0.0").register(handlers![add])).await.unwrap();
//! assert_eq!(client.list_tools().await.unwrap()[0].name, "add");
//! let sum = client.call_tool("add", serde_json::json!({"a": 2, "b": 3})).await.unwrap();
//! // A structured result that is not an object travels as `{"result": ...}`.
//! assert_eq!(sum.structured_content, Some(serde_json::json!({"result": 5})));
//! # }
//! ```

mod answers;
mod client;
mod context;
mod recorder;
mod requests;
mod tasks;

use rmcp::{ServiceError, model::CallToolResult};

use crate::error::StartupError;

pub use answers::Answers;
pub use client::TestClient;
pub use context::{ContextRecord, TestContext, context};
pub use recorder::Recorded;
pub use tasks::Started;

/// Why a test interaction failed.
///
/// ```
/// use mcp_runtime::testing::TestError;
/// let error = TestError::ToolFailed("bad input".into());
/// assert_eq!(error.to_string(), "the tool returned an error: bad input");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum TestError {
    /// The server refused to start.
    #[error(transparent)]
    Startup(#[from] StartupError),
    /// The client could not connect.
    #[error("the client could not connect: {0}")]
    Connect(String),
    /// A request failed at the protocol level (JSON-RPC error, closed connection).
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The tool ran and reported an error (`isError: true`); the text is its message.
    #[error("the tool returned an error: {0}")]
    ToolFailed(String),
    /// Waiting for a notification timed out.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    /// The server asked something the client's [`Answers`] have no answer for.
    #[error("the server asked `{0}`, which the client's answers do not cover")]
    Unanswered(String),
    /// The task the call became failed with a protocol error.
    #[error("the task failed: {0}")]
    TaskFailed(rmcp::ErrorData),
    /// The task the call became was cancelled.
    #[error("the task was cancelled")]
    TaskCancelled,
}

/// The text blocks of a result, joined by newlines.
///
/// ```
/// use mcp_runtime::model::{CallToolResult, ContentBlock};
/// let result = CallToolResult::success(vec![ContentBlock::text("a"), ContentBlock::text("b")]);
/// assert_eq!(mcp_runtime::testing::text_of(&result), "a\nb");
/// ```
pub fn text_of(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|block| block.as_text())
        .map(|text| text.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
