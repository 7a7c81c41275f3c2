//! Argument checking without the `validate` feature: serde still refuses wrong types, missing
//! arguments and unknown ones, but the constraints a schema adds (ranges, lengths, patterns,
//! formats) go unchecked, and asking for the check names the feature it needs.

use rmcp::model::JsonObject;
use serde_json::Value;

/// Why a server that asks for argument checking cannot have it.
const NEEDS_THE_FEATURE: &str = "checking arguments against the schema needs the `validate` feature of mcp-runtime \
                                 (or `Server::validate_arguments(false)`)";

/// No validator exists in this build.
pub(crate) enum ArgumentValidator {}

impl ArgumentValidator {
    pub(crate) fn compile(_: &JsonObject) -> Result<Self, String> {
        Err(NEEDS_THE_FEATURE.into())
    }

    pub(crate) fn warm(&self) -> Result<(), &str> {
        match *self {}
    }

    pub(crate) fn check(&self, _: &Value) -> Result<(), String> {
        match *self {}
    }
}

/// No constraints exist in this build.
pub(crate) enum StringConstraints {}

impl StringConstraints {
    pub(crate) fn compile(_: &JsonObject) -> Result<Self, String> {
        Err(NEEDS_THE_FEATURE.into())
    }

    pub(crate) fn warm(&self) -> Result<(), &str> {
        match *self {}
    }

    pub(crate) fn check(&self, _: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        Server,
        model::{CallToolResult, ContentBlock},
        tool::ToolDefinition,
    };

    async fn server() -> Server {
        let limited = serde_json::json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}});
        let echo = ToolDefinition::from_fn("echo", "Echo.", limited, |_, _| async {
            Ok(CallToolResult::success(vec![ContentBlock::text("ok")]))
        });
        let server = Server::new("t", "1");
        server.registry().add_tool(echo).await.expect("a valid tool");
        server
    }

    #[tokio::test]
    async fn asking_for_the_check_names_the_feature_and_the_default_is_off() {
        let Err(error) = server().await.validate_arguments(true).build() else { panic!("accepted") };
        let error = error.to_string();
        assert!(error.contains("tool `echo`") && error.contains("needs the `validate` feature"), "{error}");
        assert!(server().await.build().is_ok());
    }
}
