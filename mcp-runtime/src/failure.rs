//! How a call of a tool, prompt or resource ends other than with its result, and what each
//! such ending answers, for all three kinds in one table.
//!
//! A tool's failures are results with `isError` (the model reads them and may try again); a
//! prompt's or a resource's are JSON-RPC errors. The codes are the same for both: the caller
//! is blamed (-32602) for what it sent, the server (-32603) for what went wrong inside it.

use std::time::Duration;

use rmcp::{
    ErrorData as McpError,
    model::{CallToolResult, ErrorCode},
};
use serde_json::json;

use crate::{duration::HumanDuration, error::ToolError, result::error_result};

/// The three kinds of item a client calls (and completions, which belong to prompts and
/// resource templates but fail on their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tool,
    Prompt,
    Resource,
    ResourceTemplate,
    Completion,
}

impl Kind {
    /// As messages, logs and metrics name it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Tool => "tool",
            Kind::Prompt => "prompt",
            Kind::Resource => "resource",
            Kind::ResourceTemplate => "resource template",
            Kind::Completion => "completion",
        }
    }
}

/// The item a call is about, as messages name it (``tool `search` ``) and as a `requestState`
/// is bound to it; written out only when needed, not on every call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'a> {
    pub(crate) kind: Kind,
    pub(crate) name: &'a str,
}

impl std::fmt::Display for Item<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} `{}`", self.kind.as_str(), self.name)
    }
}

/// Why a call ended without its result. Built by the runtime and by generated code (through
/// `?` on a [`ToolError`]).
#[doc(hidden)]
#[derive(Debug)]
pub enum Failure {
    /// A required argument is absent.
    Missing(&'static str),
    /// An argument (a prompt's, or a resource URI's variable) could not be read: `expected`
    /// names what it should have been, when that helps.
    Invalid { argument: &'static str, expected: Option<&'static str>, problem: String },
    /// The handler blamed what it was given (`ToolError::invalid_argument`).
    InvalidArgument(String),
    /// The handler said what was asked for does not exist (`ToolError::not_found`).
    NotFound(String),
    /// The handler returned an error, or an injected value was unavailable.
    Failed(String),
    /// The handler panicked; the panic is logged, not shown.
    Panicked,
    /// It ran longer than its time limit and was stopped.
    TimedOut(Duration),
    /// A concurrency limit turned it away, with the text that says which.
    Busy(String),
    /// Its answer was `size` bytes, over the server's `limit`.
    TooLarge { size: Option<usize>, limit: usize },
    /// The client cancelled the request.
    Cancelled,
}

impl From<ToolError> for Failure {
    fn from(error: ToolError) -> Self {
        if error.is_not_found() {
            Self::NotFound(error.to_string())
        } else if error.is_invalid_argument() {
            Self::InvalidArgument(error.to_string())
        } else {
            Self::Failed(error.to_string())
        }
    }
}

/// The JSON-RPC error code of a failure: one table for every kind.
fn code(failure: &Failure, kind: Kind) -> ErrorCode {
    match failure {
        Failure::Missing(_) | Failure::Invalid { .. } | Failure::InvalidArgument(_) => ErrorCode::INVALID_PARAMS,
        // Only a resource can be missing; a prompt that exists was asked about something that
        // does not, which is the caller's argument.
        Failure::NotFound(_) if kind == Kind::Resource => ErrorCode::RESOURCE_NOT_FOUND,
        Failure::NotFound(_) => ErrorCode::INVALID_PARAMS,
        Failure::Failed(_)
        | Failure::Panicked
        | Failure::TimedOut(_)
        | Failure::Busy(_)
        | Failure::TooLarge { .. }
        | Failure::Cancelled => ErrorCode::INTERNAL_ERROR,
    }
}

/// The text a failure shows the caller.
fn message(failure: &Failure, item: Item<'_>) -> String {
    let Item { kind, name } = item;
    match (failure, kind) {
        (Failure::Missing(argument), _) => format!("{item}: missing required argument `{argument}`"),
        (Failure::Invalid { argument, expected: Some(expected), problem }, _) => {
            format!("{item}: invalid argument `{argument}`: expected {expected}: {problem}")
        }
        (Failure::Invalid { argument, expected: None, problem }, Kind::Resource) => {
            format!("{item}: invalid variable `{argument}`: {problem}")
        }
        (Failure::Invalid { argument, expected: None, problem }, _) => {
            format!("{item}: invalid argument `{argument}`: {problem}")
        }
        (Failure::InvalidArgument(message), _) => format!("{item}: {message}"),
        (Failure::NotFound(message), Kind::Resource) => format!("no resource at `{name}`: {message}"),
        (Failure::NotFound(message), _) => format!("{item}: {message}"),
        (Failure::Failed(message), Kind::Resource) => format!("reading `{name}` failed: {message}"),
        (Failure::Failed(message), _) => format!("{item} failed: {message}"),
        (Failure::Panicked, Kind::Resource) => {
            format!("reading `{name}` failed with an internal error; the server logged the details")
        }
        (Failure::Panicked, _) => format!("{item} failed with an internal error; the server logged the details"),
        (Failure::TimedOut(limit), _) => format!(
            "{item} did not finish within {} and was stopped; try again, or with less work",
            HumanDuration(*limit)
        ),
        (Failure::Busy(message), _) => message.clone(),
        (Failure::TooLarge { size: Some(size), limit }, Kind::Resource) => {
            format!("the resource `{name}` is {size} bytes, more than this server sends at once ({limit} bytes)")
        }
        (Failure::TooLarge { limit, .. }, _) => format!(
            "{item} returned more than {limit} bytes, over this server's limit; \
             ask for less, e.g. a page, a filter or a summary"
        ),
        (Failure::Cancelled, Kind::Tool) => format!("the call to `{name}` was cancelled"),
        (Failure::Cancelled, _) => format!("the request for {item} was cancelled"),
    }
}

/// What the failure adds for programs: the argument or URI it is about.
fn data(failure: &Failure, item: Item<'_>) -> Option<serde_json::Value> {
    match (failure, item.kind) {
        (Failure::Missing(argument), _) => Some(json!({"argument": argument})),
        (Failure::Invalid { argument, .. }, Kind::Resource) => Some(json!({"uri": item.name, "variable": argument})),
        (Failure::Invalid { argument, .. }, _) => Some(json!({"argument": argument})),
        (Failure::InvalidArgument(_) | Failure::NotFound(_), Kind::Resource) => Some(json!({"uri": item.name})),
        _ => None,
    }
}

/// A prompt's or a resource's failure, as the JSON-RPC error it answers.
pub(crate) fn to_error(failure: &Failure, item: Item<'_>) -> McpError {
    McpError::new(code(failure, item.kind), message(failure, item), data(failure, item))
}

/// A tool's failure, as the `isError` result it answers.
pub(crate) fn to_tool_result(failure: &Failure, item: Item<'_>) -> CallToolResult {
    error_result(message(failure, item))
}
