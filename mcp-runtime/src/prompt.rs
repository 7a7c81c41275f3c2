//! Prompts: what an [`mcp_prompt`](crate::mcp_prompt) function may take (arguments parsed from
//! the client's strings, see [`PromptArgumentType`]) and return (see [`IntoPromptResult`]), and
//! the messages it builds ([`user`], [`assistant`]).
//!
//! ```
//! use mcp_runtime::prelude::*;
//!
//! /// Explain a topic to a given audience.
//! #[mcp_prompt]
//! async fn explain(
//!     /// What to explain.
//!     topic: String,
//!     /// Who it is for (default: a beginner).
//!     audience: Option<String>,
//! ) -> Vec<PromptMessage> {
//!     let audience = audience.unwrap_or_else(|| "a beginner".into());
//!     vec![assistant(format!("I explain things to {audience}.")), user(format!("Explain {topic}."))]
//! }
//!
//! let _server = Server::new("demo", "1.0.0").register(handlers![explain]);
//! ```

// Also here, hidden from the docs: a prompt's definition as the macro describes it, and the
// arguments of one call; generated code names them through `__private`.

pub(crate) mod arguments;
pub(crate) mod definition;

use std::{fmt::Display, str::FromStr};

/// A complete `prompts/get` result, with its own description.
pub use rmcp::model::GetPromptResult;
/// One message of a prompt: a role and a content block.
pub use rmcp::model::PromptMessage;
use rmcp::model::{ContentBlock, Role};

pub(crate) use arguments::PromptArguments;
pub(crate) use definition::PromptDefinition;

use crate::error::ToolError;

/// A type a prompt argument can be parsed into: anything `FromStr` (MCP sends prompt arguments
/// as strings), `String` included.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a prompt argument: prompt arguments arrive as strings",
    label = "this type cannot be parsed from a string",
    note = "use `String`, `Option<String>`, or a type implementing `std::str::FromStr` whose error implements `Display`"
)]
pub trait PromptArgumentType: Sized {
    #[doc(hidden)]
    fn expected() -> &'static str;
    #[doc(hidden)]
    fn parse_argument(text: &str) -> Result<Self, String>;
}

impl<T> PromptArgumentType for T
where
    T: FromStr,
    T::Err: Display,
{
    fn expected() -> &'static str {
        std::any::type_name::<T>()
    }
    fn parse_argument(text: &str) -> Result<Self, String> {
        text.parse().map_err(|error: T::Err| error.to_string())
    }
}

/// What a prompt function may return.
///
/// `String` / `&str` (one user message), a [`PromptMessage`], `Vec<PromptMessage>`, a full
/// [`GetPromptResult`] (with its own description), or `Result<T, E>` of these with `E: Display`.
///
/// ```
/// use mcp_runtime::prompt::IntoPromptResult;
/// let result = "Review this diff.".into_prompt_result().unwrap();
/// assert_eq!(result.messages.len(), 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an MCP prompt",
    label = "this type cannot become prompt messages",
    note = "return `String`, `&'static str`, `PromptMessage`, `Vec<PromptMessage>` or `GetPromptResult`, or a `Result` of one with a displayable error"
)]
pub trait IntoPromptResult {
    /// The messages sent to the client, or the error to report (its kind decides the code:
    /// [`ToolError::invalid_argument`] is the caller's fault, anything else the server's).
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError>;
}

impl IntoPromptResult for String {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(GetPromptResult::new(vec![PromptMessage::new_text(Role::User, self)]))
    }
}

impl IntoPromptResult for &str {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        self.to_owned().into_prompt_result()
    }
}

impl IntoPromptResult for PromptMessage {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(GetPromptResult::new(vec![self]))
    }
}

impl IntoPromptResult for Vec<PromptMessage> {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(GetPromptResult::new(self))
    }
}

impl IntoPromptResult for GetPromptResult {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(self)
    }
}

impl<T: IntoPromptResult, E: Display + 'static> IntoPromptResult for Result<T, E> {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        self.map_err(|error| {
            // A `ToolError` keeps its kind: `invalid_argument` blames the caller (-32602).
            match (&error as &dyn std::any::Any).downcast_ref::<ToolError>() {
                Some(tool_error) => tool_error.clone(),
                None => ToolError::new(format!("{error:#}")),
            }
        })?
        .into_prompt_result()
    }
}

/// A user message with text, for building `Vec<PromptMessage>` returns.
///
/// ```
/// use mcp_runtime::prompt::{assistant, user};
/// let conversation = vec![user("What is 2 + 2?"), assistant("4"), user("And times 3?")];
/// assert_eq!(conversation.len(), 3);
/// ```
pub fn user(text: impl Into<String>) -> PromptMessage {
    PromptMessage::new(Role::User, ContentBlock::text(text.into()))
}

/// An assistant message with text; see [`user`].
///
/// ```
/// let reply = mcp_runtime::prompt::assistant("Sure.");
/// ```
pub fn assistant(text: impl Into<String>) -> PromptMessage {
    PromptMessage::new(Role::Assistant, ContentBlock::text(text.into()))
}
