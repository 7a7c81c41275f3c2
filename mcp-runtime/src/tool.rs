//! A tool's definition as the macro describes it, and the type-erased call behind it.

use std::{fmt, future::Future, pin::Pin, sync::Arc, time::Duration};

use rmcp::model::{CallToolResult, JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{
    context::Context,
    error::ToolError,
    result::error_result,
    schema::{InputSchemas, SchemaOptions, input_schema, is_object_schema, wrap_result_schema},
    state::StateMapView,
    validate::ArgumentValidator,
};

/// Where a handler was defined, to name both sides of a conflict.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub file: &'static str,
    pub line: u32,
    pub module: &'static str,
    pub function: &'static str,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}::{}` at {}:{}", self.module, self.function, self.file, self.line)
    }
}

/// Behaviour hints a tool declares to clients (all default to "not said").
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints {
    pub read_only: Option<bool>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// Decodes the arguments (checking them against the validator, when the server has one) and
/// runs the tool; the validator is used before the future is made, so the future borrows nothing.
type CallFn = Arc<dyn Fn(JsonObject, Option<&ArgumentValidator>, Context) -> BoxFuture<CallToolResult> + Send + Sync>;
type Check = fn(&StateMapView<'_>) -> Result<(), String>;

/// Everything the server needs to know about one `#[mcp_tool]` function. Built by generated
/// code; schemas are rendered once, when the server starts.
#[doc(hidden)]
pub struct ToolDefinition {
    pub(crate) name: &'static str,
    pub(crate) title: Option<&'static str>,
    pub(crate) description: &'static str,
    pub(crate) hints: Hints,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) location: Location,
    input_schema: fn(SchemaOptions) -> JsonObject,
    output_schema: fn(SchemaOptions) -> Option<JsonObject>,
    pub(crate) checks: Vec<Check>,
    pub(crate) call: CallFn,
    /// `#[mcp_tool(timeout = "..")]`; else the server's default applies.
    pub(crate) timeout: Option<Duration>,
    /// `#[mcp_tool(max_concurrency = N)]`.
    pub(crate) max_concurrency: Option<usize>,
}

#[doc(hidden)]
impl ToolDefinition {
    /// `handler` receives the decoded arguments; decoding failures never reach it.
    #[allow(clippy::too_many_arguments)]
    pub fn new<A, F, Fut>(
        name: &'static str,
        title: Option<&'static str>,
        description: &'static str,
        hints: Hints,
        scopes: &'static [&'static str],
        location: Location,
        output_schema: fn(SchemaOptions) -> Option<JsonObject>,
        handler: F,
    ) -> Self
    where
        A: DeserializeOwned + JsonSchema + Send + 'static,
        F: Fn(A, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CallToolResult, ToolError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let call: CallFn = Arc::new(move |arguments, validator, ctx| {
            let decoded = decode_arguments::<A>(name, arguments, validator);
            let handler = handler.clone();
            Box::pin(async move {
                match decoded {
                    Ok(arguments) => handler(arguments, ctx).await.unwrap_or_else(error_result),
                    Err(error) => error_result(error),
                }
            })
        });
        Self {
            name,
            title,
            description,
            hints,
            scopes,
            location,
            input_schema: input_schema::<A>,
            output_schema,
            checks: Vec::new(),
            call,
            timeout: None,
            max_concurrency: None,
        }
    }

    /// How many calls of this tool may run at once (`#[mcp_tool(max_concurrency = 4)]`).
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.max_concurrency = Some(calls);
        self
    }

    /// How long a call may run before it is stopped (`#[mcp_tool(timeout = "30s")]`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a start-up check for an injected parameter (`FromContext::check`).
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// Renders the MCP `Tool` advertised in `tools/list`, or says why the definition is unusable.
    pub(crate) fn render(&self, options: SchemaOptions) -> Result<RenderedTool, String> {
        let input = (self.input_schema)(options);
        if !is_object_schema(&input) {
            return Err(format!(
                "tool `{}` ({}): its arguments must be a struct with named fields, but the schema is {}",
                self.name,
                self.location,
                Value::Object(input)
            ));
        }
        let InputSchemas { advertised, accepted } = InputSchemas::new(input, options);
        let mut tool = Tool::new(self.name, self.description, Arc::new(advertised));
        if let Some(title) = self.title {
            tool = tool.with_title(title);
        }
        let mut wraps_result = false;
        if let Some(output) = (self.output_schema)(options) {
            // `outputSchema` must describe an object; other values travel as `{"result": value}`.
            let output = if is_object_schema(&output) {
                output
            } else {
                wraps_result = true;
                wrap_result_schema(output)
            };
            tool = tool.with_raw_output_schema(Arc::new(output));
        }
        if let Some(annotations) = self.annotations() {
            tool = tool.with_annotations(annotations);
        }
        if !self.scopes.is_empty() {
            let mut meta = rmcp::model::MetaObject::new();
            meta.insert(SCOPES_META_KEY.into(), Value::from(self.scopes.to_vec()));
            tool = tool.with_meta(meta);
        }
        Ok(RenderedTool { tool, wraps_result, accepted })
    }

    fn annotations(&self) -> Option<ToolAnnotations> {
        let Hints { read_only, destructive, idempotent, open_world } = self.hints;
        if read_only.is_none() && destructive.is_none() && idempotent.is_none() && open_world.is_none() {
            return None;
        }
        let mut annotations = ToolAnnotations::new();
        annotations.read_only_hint = read_only;
        annotations.destructive_hint = destructive;
        annotations.idempotent_hint = idempotent;
        annotations.open_world_hint = open_world;
        Some(annotations)
    }
}

/// The `_meta` key under which a tool lists the scopes a caller needs.
pub const SCOPES_META_KEY: &str = "mcp-runtime/scopes";

/// What the registry keeps of a tool definition once its schemas are rendered.
pub(crate) struct RenderedTool {
    pub(crate) tool: Tool,
    /// Structured results must be wrapped as `{"result": value}`.
    pub(crate) wraps_result: bool,
    /// The schema arguments are checked against (optional arguments may also be `null`).
    pub(crate) accepted: JsonObject,
}

/// Decodes the client's arguments, naming the offending argument on failure, then checks what
/// decoded against the constraints serde does not know (ranges, lengths, patterns, formats).
fn decode_arguments<A: DeserializeOwned>(
    tool: &str,
    arguments: JsonObject,
    validator: Option<&ArgumentValidator>,
) -> Result<A, String> {
    let arguments = Value::Object(arguments);
    // The usual call decodes as is; only a failed one is decoded again, tracking the path to
    // the argument at fault for the message, which costs an allocation per key. Serde goes
    // first because its account of a wrong type or a missing argument is the more precise.
    if let Ok(decoded) = A::deserialize(&arguments) {
        return match validator.map(|validator| validator.check(&arguments)) {
            Some(Err(violations)) => Err(format!("invalid arguments for tool `{tool}`: {violations}")),
            _ => Ok(decoded),
        };
    }
    serde_path_to_error::deserialize(arguments).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." {
            format!("invalid arguments for tool `{tool}`: {inner}")
        } else {
            format!("invalid arguments for tool `{tool}`: `{path}`: {inner}")
        }
    })
}

/// The whole argument object of a tool, described by one struct shared by several tools.
///
/// A tool with a single `Args<T>` parameter uses `T`'s schema as its input schema, with `T`'s
/// own serde and schemars attributes.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// A page of results.
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Page {
///     /// Zero-based page number.
///     page: u32,
///     /// Items per page.
///     #[serde(default = "default_size")]
///     size: u32,
/// }
/// fn default_size() -> u32 { 20 }
///
/// /// List users, a page at a time.
/// #[mcp_tool(read_only)]
/// async fn list_users(Args(page): Args<Page>) -> String {
///     format!("page {} of size {}", page.page, page.size)
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Args<T>(pub T);

impl<T> std::ops::Deref for Args<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
