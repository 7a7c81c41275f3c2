//! How a request ended, for its log line and its metrics, and what its answer looks like in the
//! protocol trace.

use rmcp::model::{
    CallToolResponse, CompleteResult, DiscoverResult, GetPromptResponse, GetTaskResult, InitializeResult,
    ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, ReadResourceResponse,
};
use serde_json::Value;

use crate::middleware::AsResponse;

/// The label for a name the registry does not know.
pub(crate) const UNKNOWN: &str = "unknown";

/// How a request ended and what its answer was, as the observation records it. Object-safe,
/// so that recording an answer is compiled once rather than once per kind of answer.
pub(crate) trait Outcome {
    /// `ok`, `tool_error` (a result with `isError`) or `input_required` (the client must answer
    /// and retry); a JSON-RPC error is `error`, decided by the caller.
    fn status(&self) -> &'static str {
        "ok"
    }

    /// The answer as JSON, for the protocol trace.
    fn to_json(&self) -> Value;
}

/// An answer the runtime observes (and hands to middleware, hence the conversions).
pub(crate) trait Answer: AsResponse + Outcome {}

impl<T: AsResponse + Outcome> Answer for T {}

macro_rules! plain_answers {
    ($($ty:ty),*) => {$(
        impl Outcome for $ty {
            fn to_json(&self) -> Value {
                serde_json::to_value(self).unwrap_or_default()
            }
        }
    )*};
}

plain_answers!(
    (),
    GetTaskResult,
    InitializeResult,
    DiscoverResult,
    CompleteResult,
    ListToolsResult,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult
);

impl Outcome for CallToolResponse {
    fn status(&self) -> &'static str {
        match self {
            CallToolResponse::Complete(result) if result.is_error == Some(true) => "tool_error",
            CallToolResponse::InputRequired(_) => "input_required",
            _ => "ok",
        }
    }

    fn to_json(&self) -> Value {
        match self {
            CallToolResponse::Complete(result) => serde_json::to_value(result),
            CallToolResponse::InputRequired(result) => serde_json::to_value(result),
            CallToolResponse::Task(result) => serde_json::to_value(result),
            _ => Ok(Value::Null),
        }
        .unwrap_or_default()
    }
}

/// A prompt's or a resource's answer: complete, or waiting for the client's input.
macro_rules! completes_or_asks {
    ($($ty:ident),*) => {$(
        impl Outcome for $ty {
            fn status(&self) -> &'static str {
                if matches!(self, $ty::InputRequired(_)) { "input_required" } else { "ok" }
            }

            fn to_json(&self) -> Value {
                match self {
                    $ty::Complete(result) => serde_json::to_value(result),
                    $ty::InputRequired(result) => serde_json::to_value(result),
                    _ => Ok(Value::Null),
                }
                .unwrap_or_default()
            }
        }
    )*};
}

completes_or_asks!(GetPromptResponse, ReadResourceResponse);
