//! A prompt's definition as the macro describes it, and what generated code calls to convert
//! the prompt function's return value.

use std::{future::Future, pin::Pin, sync::Arc};

use rmcp::model::{GetPromptResult, JsonObject, Prompt, PromptArgument};
use serde_json::Value;

use super::{IntoPromptResult, PromptArguments};
use crate::{
    completion::Completer, context::Context, failure::Failure, schema::SchemaOptions, state::StateMapView,
    tool::Location,
};

/// One argument of a prompt, as advertised in `prompts/list`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct PromptArg {
    pub name: &'static str,
    pub description: Option<&'static str>,
    pub required: bool,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type CallFn = Arc<dyn Fn(PromptArguments, Context) -> BoxFuture<Result<GetPromptResult, Failure>> + Send + Sync>;
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
        Fut: Future<Output = Result<GetPromptResult, Failure>> + Send + 'static,
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
            meta.insert(crate::tool::SCOPES_META_KEY.into(), Value::from(self.scopes.to_vec()));
            prompt = prompt.with_meta(meta);
        }
        prompt
    }
}

/// Called by generated code: converts the prompt function's return value.
#[doc(hidden)]
pub fn prompt_result<T: IntoPromptResult>(value: T) -> Result<GetPromptResult, Failure> {
    value.into_prompt_result().map_err(Failure::from)
}
