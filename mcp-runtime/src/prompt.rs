//! Prompts: a definition as the macro describes it, argument parsing from the client's strings,
//! and what a prompt function may return.

use std::{fmt::Display, future::Future, pin::Pin, str::FromStr, sync::Arc};

use rmcp::model::{ContentBlock, GetPromptResult, JsonObject, Prompt, PromptArgument, PromptMessage, Role};
use serde_json::Value;

use crate::{
    completion::Completer, context::Context, error::ToolError, failure::Failure, schema::SchemaOptions,
    state::StateMapView, tool::Location,
};

/// One argument of a prompt, as advertised in `prompts/list`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct PromptArg {
    pub name: &'static str,
    pub description: Option<&'static str>,
    pub required: bool,
}

/// How a prompt's call fails; the same failure every kind of item has.
#[doc(hidden)]
pub type PromptError = Failure;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type CallFn = Arc<dyn Fn(PromptArguments, Context) -> BoxFuture<Result<GetPromptResult, PromptError>> + Send + Sync>;
type Check = fn(&StateMapView<'_>) -> Result<(), String>;

/// Everything the server needs to know about one `#[mcp_prompt]` function.
#[doc(hidden)]
pub struct PromptDefinition {
    pub(crate) name: &'static str,
    title: Option<&'static str>,
    description: &'static str,
    pub(crate) arguments: &'static [PromptArg],
    pub(crate) scopes: &'static [&'static str],
    pub(crate) location: Location,
    pub(crate) checks: Vec<Check>,
    pub(crate) call: CallFn,
    pub(crate) completions: Vec<(&'static str, Completer)>,
    /// The schema of the arguments that declare constraints (`#[schemars(range(..))]`, ...).
    pub(crate) constraints: Option<fn(SchemaOptions) -> JsonObject>,
}

#[doc(hidden)]
impl PromptDefinition {
    #[allow(clippy::too_many_arguments)]
    pub fn new<F, Fut>(
        name: &'static str,
        title: Option<&'static str>,
        description: &'static str,
        arguments: &'static [PromptArg],
        scopes: &'static [&'static str],
        location: Location,
        handler: F,
    ) -> Self
    where
        F: Fn(PromptArguments, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<GetPromptResult, PromptError>> + Send + 'static,
    {
        let call: CallFn = Arc::new(move |arguments, ctx| Box::pin(handler(arguments, ctx)));
        Self {
            name,
            title,
            description,
            arguments,
            scopes,
            location,
            checks: Vec::new(),
            call,
            completions: Vec::new(),
            constraints: None,
        }
    }

    /// The constraints some arguments declare, as the schema of just those arguments.
    pub fn constraints(mut self, schema: fn(SchemaOptions) -> JsonObject) -> Self {
        self.constraints = Some(schema);
        self
    }

    /// Completes `argument` with `completer`, when there is one.
    pub fn complete(mut self, argument: &'static str, completer: Option<Completer>) -> Self {
        if let Some(completer) = completer {
            self.completions.push((argument, completer));
        }
        self
    }

    /// Adds a start-up check for an injected parameter.
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    pub(crate) fn to_prompt(&self) -> Prompt {
        let arguments = self
            .arguments
            .iter()
            .map(|argument| {
                let mut advertised = PromptArgument::new(argument.name).with_required(argument.required);
                if let Some(description) = argument.description {
                    advertised = advertised.with_description(description);
                }
                advertised
            })
            .collect::<Vec<_>>();
        let mut prompt = Prompt::new(self.name, Some(self.description), (!arguments.is_empty()).then_some(arguments));
        if let Some(title) = self.title {
            prompt = prompt.with_title(title);
        }
        if !self.scopes.is_empty() {
            let mut meta = rmcp::model::MetaObject::new();
            meta.insert(crate::SCOPES_META_KEY.into(), Value::from(self.scopes.to_vec()));
            prompt = prompt.with_meta(meta);
        }
        prompt
    }
}

/// The arguments of one `prompts/get`, checked against the prompt's declared arguments.
#[doc(hidden)]
pub struct PromptArguments {
    values: JsonObject,
}

impl PromptArguments {
    /// Refuses arguments the prompt does not declare, naming the ones it does.
    pub(crate) fn new(values: JsonObject, declared: &'static [PromptArg]) -> Result<Self, String> {
        if let Some(unknown) = values.keys().find(|key| !declared.iter().any(|argument| argument.name == *key)) {
            let known: Vec<&str> = declared.iter().map(|argument| argument.name).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(format!("unknown argument `{unknown}`; this prompt takes: {known}"));
        }
        Ok(Self { values })
    }

    /// The argument `name` as text, as it is parsed.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        match self.values.get(name)? {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            // Arguments are strings in MCP, but be lenient with clients that send `3` for "3".
            other => Some(other.to_string()),
        }
    }

    pub fn required<T: PromptArgumentType>(&self, name: &'static str) -> Result<T, PromptError> {
        let text = self.text(name).ok_or(Failure::Missing(name))?;
        T::parse_argument(&text).map_err(|problem| Failure::Invalid {
            argument: name,
            expected: Some(T::expected()),
            problem,
        })
    }

    pub fn optional<T: PromptArgumentType>(&self, name: &'static str) -> Result<Option<T>, PromptError> {
        self.text(name)
            .map(|text| {
                T::parse_argument(&text).map_err(|problem| Failure::Invalid {
                    argument: name,
                    expected: Some(T::expected()),
                    problem,
                })
            })
            .transpose()
    }
}

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
/// use mcp_runtime::IntoPromptResult;
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

/// Called by generated code: converts the prompt function's return value.
#[doc(hidden)]
pub fn prompt_result<T: IntoPromptResult>(value: T) -> Result<GetPromptResult, PromptError> {
    value.into_prompt_result().map_err(Failure::from)
}

/// A user message with text, for building `Vec<PromptMessage>` returns.
///
/// ```
/// use mcp_runtime::{user, assistant};
/// let conversation = vec![user("What is 2 + 2?"), assistant("4"), user("And times 3?")];
/// assert_eq!(conversation.len(), 3);
/// ```
pub fn user(text: impl Into<String>) -> PromptMessage {
    PromptMessage::new(Role::User, ContentBlock::text(text.into()))
}

/// An assistant message with text; see [`user`].
///
/// ```
/// let reply = mcp_runtime::assistant("Sure.");
/// ```
pub fn assistant(text: impl Into<String>) -> PromptMessage {
    PromptMessage::new(Role::Assistant, ContentBlock::text(text.into()))
}
