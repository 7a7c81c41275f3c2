//! The arguments of one `prompts/get`, parsed from the client's strings.

use rmcp::model::JsonObject;
use serde_json::Value;

use super::{PromptArgumentType, definition::PromptArg};
use crate::failure::Failure;

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

    pub fn required<T: PromptArgumentType>(&self, name: &'static str) -> Result<T, Failure> {
        let text = self.text(name).ok_or(Failure::Missing(name))?;
        T::parse_argument(&text).map_err(|problem| Failure::Invalid {
            argument: name,
            expected: Some(T::expected()),
            problem,
        })
    }

    pub fn optional<T: PromptArgumentType>(&self, name: &'static str) -> Result<Option<T>, Failure> {
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
