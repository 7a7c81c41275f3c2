//! Tools: what an [`mcp_tool`](crate::mcp_tool) function may take and return, and a tool
//! defined at run time ([`ToolDefinition::from_fn`]).
//!
//! A parameter is any `Deserialize + JsonSchema` type ([`JsonSchemaArgument`] and
//! [`DeserializeArgument`] say how it is described and decoded), or one [`Args<T>`] struct for the
//! whole argument object. A tool returns text, [`Content`], a [`CallToolResult`], [`Json<T>`] or
//! any `Serialize + JsonSchema` value (structured content), or a `Result` of one: see
//! [`IntoToolResult`]. [`SchemaOptions`] say how the schemas are rendered.
//!
//! ```
//! use mcp_runtime::{prelude::*, tool::ToolDefinition};
//!
//! /// Echo the text back, as structured content.
//! #[mcp_tool(read_only)]
//! async fn echo(text: String) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({ "text": text }))
//! }
//!
//! let ping = ToolDefinition::from_fn("ping", "Answer pong.", serde_json::json!({"type": "object"}), |_, _| async {
//!     Ok(CallToolResult::success(vec![Content::text("pong")]))
//! });
//! let mut handlers = handlers![echo];
//! handlers.extend(Handlers::from(ping));
//! let _server = Server::new("demo", "1.0.0").register(handlers);
//! ```

// Also here: a tool's definition as the macro describes it, and the type-erased call behind it.

mod call;
mod headers;
pub(crate) mod metadata;

use std::{borrow::Cow, future::Future, sync::Arc, time::Duration};

/// A complete tool result, for full control over content, structured content and `isError`.
pub use rmcp::model::CallToolResult;
/// A content block of a tool result: text, image, audio, embedded resource or resource link.
pub use rmcp::model::ContentBlock as Content;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde_json::Value;

pub use crate::{
    argument::{DeserializeArgument, JsonSchemaArgument},
    result::{IntoToolResult, Json},
    schema::SchemaOptions,
};
use call::BoxedCall;
#[doc(hidden)]
pub use call::{ToolCall, refused_call};
pub(crate) use metadata::{Hints, Location};

use crate::{
    argument::DecodeArguments,
    context::Context,
    error::ToolError,
    result::error_result,
    schema::{InputSchemas, accept_aliases, input_schema, is_object_schema, wrap_result_schema},
    state::StateMapView,
    validate::ArgumentValidator,
};

/// A schema given as a value, or generated from a type when the server starts.
#[derive(Clone)]
enum SchemaSource {
    Generated(fn(SchemaOptions) -> JsonObject),
    Given(Arc<JsonObject>),
}

impl SchemaSource {
    fn render(&self, options: SchemaOptions) -> JsonObject {
        match self {
            SchemaSource::Generated(generate) => generate(options),
            SchemaSource::Given(schema) => JsonObject::clone(schema),
        }
    }
}

/// An output schema: generated from the return type (which may have none), or given.
#[derive(Clone)]
enum OutputSource {
    Generated(fn(SchemaOptions) -> Option<JsonObject>),
    Given(Option<Arc<JsonObject>>),
}

impl OutputSource {
    fn render(&self, options: SchemaOptions) -> Option<JsonObject> {
        match self {
            OutputSource::Generated(generate) => generate(options),
            OutputSource::Given(schema) => schema.as_deref().cloned(),
        }
    }
}

/// Decodes the arguments (checking them against the validator, when the server has one) and
/// runs the tool; the validator is used before the future is made, so the future borrows nothing.
type CallFn = Arc<dyn Fn(JsonObject, Option<&ArgumentValidator>, Context) -> BoxedCall + Send + Sync>;
type Check = fn(&StateMapView<'_>) -> Result<(), String>;

/// Everything the server needs to know about one tool: what `#[mcp_tool]` generates, and what
/// [`ToolDefinition::from_fn`] makes of a tool defined at run time. Its schemas are rendered
/// when it is added to a server.
pub struct ToolDefinition {
    pub(crate) name: &'static str,
    pub(crate) title: Option<Cow<'static, str>>,
    pub(crate) description: Cow<'static, str>,
    pub(crate) hints: Hints,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) location: Location,
    input_schema: SchemaSource,
    output_schema: OutputSource,
    pub(crate) checks: Vec<Check>,
    /// Arguments decoded under other names too (`#[serde(alias)]`): each one's name, then its
    /// aliases.
    aliases: &'static [(&'static str, &'static [&'static str])],
    pub(crate) call: CallFn,
    /// `#[mcp_tool(timeout = "..")]`; else the server's default applies.
    pub(crate) timeout: Option<Duration>,
    /// `#[mcp_tool(max_concurrency = N)]`.
    pub(crate) max_concurrency: Option<usize>,
    /// `#[mcp_tool(task = "..")]`: whether a call may run as a task.
    pub(crate) task: Option<crate::task::TaskSupport>,
}

impl ToolDefinition {
    /// What generated code calls: `handler` receives the decoded arguments; decoding failures
    /// never reach it.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub fn new<A, F>(
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
        A: DecodeArguments + JsonSchema + Send + 'static,
        F: Fn(A, Context) -> BoxedCall + Send + Sync + 'static,
    {
        let call: CallFn =
            Arc::new(move |arguments, validator, ctx| match decode_arguments::<A>(name, arguments, validator) {
                Ok(arguments) => handler(arguments, ctx),
                Err(error) => refused_call(error),
            });
        Self {
            name,
            title: title.map(Cow::Borrowed),
            description: Cow::Borrowed(description),
            hints,
            scopes,
            location,
            input_schema: SchemaSource::Generated(input_schema::<A>),
            output_schema: OutputSource::Generated(output_schema),
            checks: Vec::new(),
            aliases: &[],
            call,
            timeout: None,
            max_concurrency: None,
            task: None,
        }
    }

    /// A tool defined at run time: its name, description and input schema (a JSON Schema
    /// object) as values, and an async function of its JSON arguments. Add it to a server with
    /// `Registry::add_tool` or `Handlers::from` (both in the `registry` module). The arguments
    /// are checked against the schema before the function runs, as a macro tool's are.
    ///
    /// The name and the scopes are kept for the life of the process (as the metrics of the
    /// tool's calls are), so define a bounded set of names.
    ///
    /// ```
    /// use mcp_runtime::{model::{CallToolResult, ContentBlock}, tool::ToolDefinition};
    ///
    /// let shout = ToolDefinition::from_fn(
    ///     "shout",
    ///     "Say the text back in capitals.",
    ///     serde_json::json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}),
    ///     |arguments, _ctx| async move {
    ///         let text = arguments["text"].as_str().unwrap_or_default().to_uppercase();
    ///         Ok(CallToolResult::success(vec![ContentBlock::text(text)]))
    ///     },
    /// )
    /// .title("Shout")
    /// .read_only();
    /// ```
    #[track_caller]
    pub fn from_fn<F, Fut>(
        name: impl AsRef<str>,
        description: impl Into<Cow<'static, str>>,
        input_schema: Value,
        handler: F,
    ) -> Self
    where
        F: Fn(JsonObject, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CallToolResult, ToolError>> + Send + 'static,
    {
        let name = crate::intern::name(name.as_ref());
        let input_schema = match input_schema {
            Value::Object(schema) => schema,
            // Rejected with the tool's name when the server renders it.
            other => JsonObject::from_iter([("type".to_owned(), other)]),
        };
        let handler = Arc::new(handler);
        let call: CallFn = Arc::new(move |arguments, validator, ctx| {
            let checked = match validator.map(|validator| validator.check(&Value::Object(arguments.clone()))) {
                Some(Err(violations)) => Err(format!("invalid arguments for tool `{name}`: {violations}")),
                _ => Ok(arguments),
            };
            let handler = handler.clone();
            Box::pin(async move {
                match checked {
                    Ok(arguments) => handler(arguments, ctx).await.unwrap_or_else(error_result),
                    Err(error) => error_result(error),
                }
            })
        });
        Self {
            name,
            title: None,
            description: description.into(),
            hints: Hints::default(),
            scopes: &[],
            location: Location::of_caller(name),
            input_schema: SchemaSource::Given(Arc::new(input_schema)),
            output_schema: OutputSource::Given(None),
            checks: Vec::new(),
            aliases: &[],
            call,
            timeout: None,
            max_concurrency: None,
            task: None,
        }
    }

    /// The name clients call the tool by.
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("noop", "Nothing.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) });
    /// assert_eq!(tool.name(), "noop");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// A human-readable title for the tool.
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("noop", "Nothing.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .title("No operation");
    /// ```
    pub fn title(mut self, title: impl Into<Cow<'static, str>>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The schema of the tool's `structuredContent` (an object schema; another schema is
    /// wrapped as `{"result": ...}`, as for macro tools).
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("noop", "Nothing.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .output_schema(serde_json::json!({"type": "object", "properties": {"ok": {"type": "boolean"}}}));
    /// ```
    pub fn output_schema(mut self, schema: Value) -> Self {
        let schema = match schema {
            Value::Object(schema) => schema,
            other => JsonObject::from_iter([("type".to_owned(), other)]),
        };
        self.output_schema = OutputSource::Given(Some(Arc::new(schema)));
        self
    }

    /// The scopes a caller must hold to see and call the tool.
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("purge", "Purge the cache.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .scopes(["cache:admin"]);
    /// ```
    pub fn scopes<S: AsRef<str>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = crate::intern::scopes(scopes);
        self
    }

    /// Tells clients the tool only reads (`readOnlyHint`).
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("now", "The time.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .read_only();
    /// ```
    pub fn read_only(mut self) -> Self {
        self.hints.read_only = Some(true);
        self
    }

    /// Tells clients the tool may destroy data (`destructiveHint`).
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("purge", "Purge the cache.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .destructive();
    /// ```
    pub fn destructive(mut self) -> Self {
        self.hints.destructive = Some(true);
        self
    }

    /// How many calls of this tool may run at once (`#[mcp_tool(max_concurrency = 4)]`).
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("render", "Render the site.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .max_concurrency(2);
    /// ```
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.max_concurrency = Some(calls);
        self
    }

    /// How long a call may run before it is stopped (`#[mcp_tool(timeout = "30s")]`).
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("render", "Render the site.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .timeout(std::time::Duration::from_secs(30));
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Lets calls run as tasks (`#[mcp_tool(task = "optional")]`); see the [`task`](crate::task)
    /// module.
    ///
    /// ```
    /// # use mcp_runtime::{model::CallToolResult, task::TaskSupport, tool::ToolDefinition};
    /// let tool = ToolDefinition::from_fn("render", "Render the site.", serde_json::json!({"type": "object"}), |_, _| async { Ok(CallToolResult::success(vec![])) })
    ///     .task(TaskSupport::Required);
    /// ```
    pub fn task(mut self, support: crate::task::TaskSupport) -> Self {
        self.task = Some(support);
        self
    }

    /// Adds a start-up check for an injected parameter (`FromContext::check`).
    /// Arguments that decode under other names too (`#[serde(alias = "..")]`, which schemars
    /// leaves out of the schema): the schema arguments are checked against takes them as well.
    #[doc(hidden)]
    pub fn aliases(mut self, aliases: &'static [(&'static str, &'static [&'static str])]) -> Self {
        self.aliases = aliases;
        self
    }

    #[doc(hidden)]
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// Renders the MCP `Tool` advertised in `tools/list`, or says why the definition is unusable.
    pub(crate) fn render(&self, options: SchemaOptions) -> Result<RenderedTool, String> {
        let input = self.input_schema.render(options);
        if !is_object_schema(&input) {
            return Err(format!(
                "tool `{}` ({}): its arguments must be a struct with named fields, but the schema is {}",
                self.name,
                self.location,
                Value::Object(input)
            ));
        }
        headers::check_header_arguments(&input)
            .map_err(|problem| format!("tool `{}` ({}): {problem}", self.name, self.location))?;
        let InputSchemas { advertised, mut accepted } = InputSchemas::new(input, options);
        accept_aliases(&mut accepted, self.aliases);
        let mut tool = Tool::new(self.name, self.description.clone(), Arc::new(advertised));
        if let Some(title) = &self.title {
            tool = tool.with_title(title.clone());
        }
        let mut wraps_result = false;
        if let Some(output) = self.output_schema.render(options) {
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
        // A macro tool's arguments are decoded into their types, which check most of a derived
        // schema themselves; a tool defined at run time takes them as JSON, checked by nothing else.
        let needs_check = match self.input_schema {
            SchemaSource::Generated(_) => !crate::argument::decoding_enforces(&accepted),
            SchemaSource::Given(_) => true,
        };
        Ok(RenderedTool { tool, wraps_result, accepted, needs_check })
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
    /// `accepted` asks for more than decoding the arguments checks (see `argument::enforced`).
    pub(crate) needs_check: bool,
}

/// Decodes the client's arguments, naming the offending argument on failure, then checks what
/// decoded against the constraints serde does not know (ranges, lengths, patterns, formats).
fn decode_arguments<A: DecodeArguments>(
    tool: &str,
    arguments: JsonObject,
    validator: Option<&ArgumentValidator>,
) -> Result<A, String> {
    let arguments = Value::Object(arguments);
    // The type's account of a wrong type or a missing argument is the more precise, so it goes
    // first; the schema's constraints are checked on arguments that decode.
    let decoded = A::decode(&arguments).map_err(|problem| format!("invalid arguments for tool `{tool}`: {problem}"))?;
    match validator.map(|validator| validator.check(&arguments)) {
        Some(Err(violations)) => Err(format!("invalid arguments for tool `{tool}`: {violations}")),
        _ => Ok(decoded),
    }
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
