//! What a tool's return value becomes on the wire.
//!
//! Text-like values and content blocks go through [`IntoToolResult`]; any other
//! `Serialize + JsonSchema` value becomes `structuredContent` with a text copy and an
//! `outputSchema`. The macro picks the route for the concrete return type through [`Returns`].

use std::{borrow::Cow, fmt::Display, marker::PhantomData};

use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use schemars::JsonSchema;
use serde::Serialize;

use crate::schema::{SchemaOptions, output_schema};

/// A value a tool can return as its result.
///
/// Implemented for text (`String`, `&str`, `Cow<str>`), `()`, content blocks
/// ([`Content`](rmcp::model::ContentBlock) and `Vec<Content>`), [`CallToolResult`], [`Json<T>`], and
/// `Result<T, E>` of these with any displayable `E`. Any other `Serialize + JsonSchema` type
/// can be returned from an `#[mcp_tool]` too: it is sent as structured content.
///
/// ```
/// use mcp_runtime::tool::IntoToolResult;
///
/// let result = "done".into_tool_result();
/// assert_eq!(result.content[0].as_text().unwrap().text, "done");
///
/// let failed: Result<String, String> = Err("disk full".into());
/// assert_eq!(failed.into_tool_result().is_error, Some(true));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an MCP tool",
    label = "this type cannot become a tool result",
    note = "return text (`String`, `&'static str`), `()`, `Content`/`Vec<Content>`, `Json<T>`, a `CallToolResult`, or any type that implements `serde::Serialize` and `schemars::JsonSchema` (sent as structured content)",
    note = "for `Result<T, E>`, `E` must implement `Display`: its text is what the model reads"
)]
pub trait IntoToolResult {
    /// The `outputSchema` to declare for this type, if it produces structured content.
    fn output_schema(_options: SchemaOptions) -> Option<JsonObject> {
        None
    }

    /// Converts the value into the result sent to the client.
    fn into_tool_result(self) -> CallToolResult;
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![ContentBlock::text(self)])
    }
}

impl IntoToolResult for &str {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![ContentBlock::text(self)])
    }
}

impl IntoToolResult for Cow<'_, str> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![ContentBlock::text(self.into_owned())])
    }
}

impl IntoToolResult for () {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(Vec::new())
    }
}

impl IntoToolResult for ContentBlock {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![self])
    }
}

impl IntoToolResult for Vec<ContentBlock> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(self)
    }
}

impl IntoToolResult for CallToolResult {
    fn into_tool_result(self) -> CallToolResult {
        self
    }
}

impl<T: IntoToolResult, E: Display> IntoToolResult for Result<T, E> {
    fn output_schema(options: SchemaOptions) -> Option<JsonObject> {
        T::output_schema(options)
    }

    fn into_tool_result(self) -> CallToolResult {
        match self {
            Ok(value) => value.into_tool_result(),
            Err(error) => error_result(error),
        }
    }
}

/// Structured output, stated explicitly: `Json(value)` is sent as `structuredContent` (with a
/// text copy for older clients) and `T`'s schema is declared as the tool's `outputSchema`.
///
/// Returning a `Serialize + JsonSchema` type directly does the same; `Json` is for when you want
/// the wrapper to be visible, or to build a `Vec<Content>`-free structured result by hand.
///
/// ```
/// use mcp_runtime::tool::{IntoToolResult, Json};
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Sum { value: i64 }
///
/// let result = Json(Sum { value: 3 }).into_tool_result();
/// assert_eq!(result.structured_content.unwrap()["value"], 3);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: Serialize + JsonSchema> IntoToolResult for Json<T> {
    fn output_schema(options: SchemaOptions) -> Option<JsonObject> {
        Some(output_schema::<T>(options))
    }

    fn into_tool_result(self) -> CallToolResult {
        structured_result(&self.0)
    }
}

fn structured_result<T: Serialize>(value: &T) -> CallToolResult {
    match serde_json::to_value(value) {
        Ok(value) => CallToolResult::structured(value),
        Err(error) => {
            tracing::error!(%error, "a tool result could not be serialized");
            error_result(format_args!("the tool's result could not be serialized: {error}"))
        }
    }
}

pub(crate) fn error_result(error: impl Display) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(format!("{error:#}"))])
}

/// Picks, for a concrete return type, how the value becomes a tool result.
///
/// Generated code calls `(&&&Returns::<T>::new()).convert(value)`. Method resolution tries the
/// most-referenced receiver first, which gives an ordered choice without specialization:
/// 1. `T: IntoToolResult` (text, content, `Json<T>`, ...),
/// 2. `Result<T, E>` with a structured `T`,
/// 3. any other `Serialize + JsonSchema` `T`, as structured content,
/// 4. otherwise a compile error on the return type saying what can be returned.
#[doc(hidden)]
pub struct Returns<T>(PhantomData<fn() -> T>);

impl<T> Returns<T> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

#[doc(hidden)]
pub trait ViaIntoToolResult {
    type Value;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject>;
    fn convert(self, value: Self::Value) -> CallToolResult;
}

impl<T: IntoToolResult> ViaIntoToolResult for &&&Returns<T> {
    type Value = T;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject> {
        T::output_schema(options)
    }
    fn convert(self, value: T) -> CallToolResult {
        value.into_tool_result()
    }
}

#[doc(hidden)]
pub trait ViaStructuredResult {
    type Value;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject>;
    fn convert(self, value: Self::Value) -> CallToolResult;
}

impl<T: Serialize + JsonSchema, E: Display> ViaStructuredResult for &&Returns<Result<T, E>> {
    type Value = Result<T, E>;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject> {
        Some(output_schema::<T>(options))
    }
    fn convert(self, value: Result<T, E>) -> CallToolResult {
        match value {
            Ok(value) => structured_result(&value),
            Err(error) => error_result(error),
        }
    }
}

#[doc(hidden)]
pub trait ViaStructured {
    type Value;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject>;
    fn convert(self, value: Self::Value) -> CallToolResult;
}

impl<T: Serialize + JsonSchema> ViaStructured for &Returns<T> {
    type Value = T;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject> {
        Some(output_schema::<T>(options))
    }
    fn convert(self, value: T) -> CallToolResult {
        structured_result(&value)
    }
}

/// The last resort: its bound fails for types no route accepts, and the failure carries
/// [`IntoToolResult`]'s explanation of what a tool may return.
#[doc(hidden)]
pub trait ViaUnsupported {
    type Value;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject>
    where
        Self::Value: IntoToolResult;
    fn convert(self, value: Self::Value) -> CallToolResult
    where
        Self::Value: IntoToolResult;
}

impl<T> ViaUnsupported for Returns<T> {
    type Value = T;
    fn output_schema(self, options: SchemaOptions) -> Option<JsonObject>
    where
        T: IntoToolResult,
    {
        T::output_schema(options)
    }
    fn convert(self, value: T) -> CallToolResult
    where
        T: IntoToolResult,
    {
        value.into_tool_result()
    }
}
