//! How a request ended, for its log line and its metrics, and what its answer looks like in the
//! protocol trace.

use rmcp::model::{
    CallToolResponse, CompleteResult, DiscoverResult, GetPromptResponse, InitializeResult, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, ReadResourceResponse,
};
use serde_json::Value;

use crate::middleware::{OtherResponse, Response};

/// The label for a name the registry does not know.
pub(crate) const UNKNOWN: &str = "unknown";

/// An answer the runtime observes.
pub(crate) trait Answer {
    /// `ok`, `tool_error` (a result with `isError`) or `input_required` (the client must answer
    /// and retry); a JSON-RPC error is `error`, decided by the caller.
    fn status(&self) -> &'static str {
        "ok"
    }

    /// The answer as JSON, for the protocol trace.
    fn to_json(&self) -> Value;

    /// The answer as middleware sees it.
    fn into_response(self) -> Response;

    /// Back from what middleware returned; `None` if it answers another kind of request.
    fn from_response(response: Response) -> Option<Self>
    where
        Self: Sized;
}

macro_rules! plain_answers {
    ($($ty:ty),*) => {$(
        impl Answer for $ty {
            fn to_json(&self) -> Value {
                serde_json::to_value(self).unwrap_or_default()
            }

            fn into_response(self) -> Response {
                Response::Other(OtherResponse(Box::new(self)))
            }

            fn from_response(response: Response) -> Option<Self> {
                match response {
                    Response::Other(OtherResponse(inner)) => inner.downcast::<Self>().ok().map(|answer| *answer),
                    _ => None,
                }
            }
        }
    )*};
}

/// The typed answers: a middleware may build them, so they convert both ways.
macro_rules! typed_answer {
    ($ty:ty, $variant:ident) => {
        fn into_response(self) -> Response {
            Response::$variant(self)
        }

        fn from_response(response: Response) -> Option<Self> {
            match response {
                Response::$variant(answer) => Some(answer),
                _ => None,
            }
        }
    };
}

plain_answers!(
    (),
    InitializeResult,
    DiscoverResult,
    CompleteResult,
    ListToolsResult,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult
);

impl Answer for CallToolResponse {
    typed_answer!(CallToolResponse, Tool);

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
    ($($ty:ident => $variant:ident),*) => {$(
        impl Answer for $ty {
            typed_answer!($ty, $variant);

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

completes_or_asks!(GetPromptResponse => Prompt, ReadResourceResponse => Resource);
