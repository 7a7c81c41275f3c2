//! Serve MCP tools written as ordinary Rust functions.
//!
//! Annotate an `async fn` with [`mcp_tool`], name it in [`handlers!`] (or call
//! [`Server::discover`]), and serve:
//!
//! ```no_run
//! use mcp_runtime::prelude::*;
//!
//! /// Add two integers and return their sum.
//! #[mcp_tool(read_only, idempotent)]
//! async fn add(
//!     /// The first addend.
//!     a: i64,
//!     /// The second addend.
//!     b: i64,
//! ) -> i64 {
//!     a + b
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), ServeError> {
//!     Server::new("demo", env!("CARGO_PKG_VERSION")).register(handlers![add]).run().await
//! }
//! ```
//!
//! The function stays an ordinary function (`add(1, 2).await` in a unit test); the macro adds a
//! schema (from the parameters, their types and their doc comments), the tool's metadata and a
//! small call shim. Everything protocol-related is [rmcp](https://docs.rs/rmcp)'s.
//!
//! # Where things are
//!
//! The [`prelude`] has what a first server needs. At the root: the [`Server`] and the
//! [`McpService`] it builds, what a handler receives ([`Context`], [`State`], [`FromContext`]) and
//! returns on failure ([`ToolError`]), start-up and serving errors, and the macros. The rest is
//! grouped by concept:
//!
//! - [`tool`], [`prompt`], [`resource`]: what a handler may take and return, and the protocol's
//!   result types;
//! - [`registry`]: the handlers a server offers, changed, hidden and announced while it serves;
//! - [`auth`]: principals, scopes and bearer-token verification;
//! - [`limit`]: timeouts, concurrency, result sizes and rate limits;
//! - [`observe`]: logs, metrics and traces, and the level of a message logged to the client;
//! - [`cli`] and [`http`]: the command line every server understands, and the HTTP transport;
//! - [`duration`]: durations as people write them;
//! - [`middleware`], [`testing`] and `sandbox`: code around every request, tests without a
//!   process, confined file access;
//! - [`model`] and [`rmcp`]: the protocol's types, and the crate underneath.

#![warn(missing_docs)]

mod argument;
pub mod auth;
mod blocking;
pub mod cli;
mod completion;
pub mod compose;
mod connection;
mod context;
pub mod duration;
mod error;
mod failure;
mod handlers;
mod input;
mod intern;
#[cfg(feature = "http-client")]
pub mod legacy_sse;
pub mod limit;
mod logging;
#[cfg(feature = "metrics")]
mod metrics_resource;
pub mod middleware;
mod notify;
pub mod observe;
mod pagination;
pub mod prompt;
mod random_id;
mod rate_limit;
pub mod registry;
pub mod resource;
mod result;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod schema;
mod server;
mod service;
mod state;
pub mod task;
pub mod testing;
pub mod tool;
mod transport;
#[cfg(feature = "validate")]
mod validate;
#[cfg(not(feature = "validate"))]
#[path = "validate_off.rs"]
mod validate;
mod visibility;

pub use context::{Context, FromContext, ProgressAmount};
pub use error::{ServeError, StartupError, ToolError};
pub use input::{InputRequests, InputResponses};
pub use server::Server;
pub use service::McpService;
pub use state::{State, StateMapView};

/// The Streamable HTTP transport's options, set with [`Server::http_config`] (what HTTP alone
/// bounds or exposes: `Host` and `Origin` checks, body size, request timeout, sessions, the
/// `/metrics` endpoint). The command line sets the common ones (`--transport http`, see
/// [`cli::RuntimeArgs`]).
///
/// Needs the `http` feature.
///
/// ```
/// use mcp_runtime::{Server, http::HttpConfig};
///
/// let server = Server::new("demo", "1.0.0")
///     .http_config(HttpConfig { stateless: true, max_body_bytes: 1 << 20, ..HttpConfig::default() });
/// ```
#[cfg(feature = "http")]
pub mod http {
    pub use crate::transport::http::{HttpConfig, LegacySse};
}

/// The [rmcp](https://docs.rs/rmcp) crate this runtime is built on, at exactly the version it
/// uses, for what the runtime does not wrap (a custom `ServerHandler`, a raw client, a transport).
/// Prefer it to a dependency of your own: rmcp's types must come from the same version as the
/// runtime's, and a second `rmcp = "..."` line in `Cargo.toml` drifts.
///
/// ```
/// use mcp_runtime::rmcp::model::ProtocolVersion;
/// assert!(ProtocolVersion::V_2026_07_28 > ProtocolVersion::V_2025_11_25);
/// ```
pub use rmcp;

/// The protocol's types (requests, results, content, capabilities, errors), from rmcp's
/// `model` module, plus its error type: everything a handler or a test names without a direct
/// rmcp dependency.
///
/// ```
/// use mcp_runtime::model::{ElicitationSchema, ErrorData, ProtocolVersion};
///
/// let form = ElicitationSchema::builder().required_bool("ok").build().unwrap();
/// assert!(form.required.is_some());
/// let error = ErrorData::invalid_request("changes are frozen", None);
/// assert_eq!(error.code.0, -32600);
/// let _newest = ProtocolVersion::V_2026_07_28;
/// ```
pub mod model {
    pub use rmcp::{ErrorData, model::*};
}

/// Turns an `async fn` (or a plain `fn`, run on the blocking pool as for [`mcp_tool`]) into an
/// MCP prompt (a message template a user picks in the client).
///
/// The name is the function's and the description its doc comment. Each parameter is a prompt
/// argument, whose `///` comment describes it: `String` (or any `FromStr` type, parsed with an
/// error naming the argument) is required, `Option<..>` optional. `Context` and `State<T>` are
/// injected. Return a `String` (one user message), `Vec<PromptMessage>`, a `GetPromptResult`, or a
/// `Result` of one. Options: `name`, `title`, `description`, `scopes`, `crate`.
///
/// ```
/// use mcp_runtime::{prelude::*, testing::TestClient};
///
/// /// Review a diff as a senior engineer would.
/// #[mcp_prompt(title = "Code review")]
/// async fn code_review(
///     /// Programming language of the code.
///     language: String,
///     /// How many issues to list at most.
///     max_issues: Option<u8>,
///     /// The unified diff to review.
///     diff: String,
/// ) -> Vec<PromptMessage> {
///     let limit = max_issues.unwrap_or(5);
///     vec![
///         assistant(format!("I review {language} code and list at most {limit} issues.")),
///         user(format!("Please review:\n{diff}")),
///     ]
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let client = TestClient::connect(Server::new("demo", "1.0.0").register(handlers![code_review])).await.unwrap();
/// let prompts = client.peer().list_all_prompts().await.unwrap();
/// assert_eq!(prompts[0].arguments.as_ref().unwrap().len(), 3);
/// # }
/// ```
pub use mcp_macros::mcp_prompt;

/// Turns a function into an MCP resource, read by URI. A plain (non-async) `fn` runs on the
/// blocking pool, as for [`mcp_tool`].
///
/// `uri` is a fixed URI (`"config://app"`) or a URI template whose variables are the
/// function's parameters: `{id}` (one segment), `{+path}` (may contain `/`), and a trailing
/// `{?q,limit}` query (use `Option<T>` for parameters that may be absent). Variables are parsed
/// with `FromStr`; a failure is an error naming the variable. The macro checks at compile time
/// that variables and parameters pair up, that the URI starts with a scheme (`config:`,
/// `file:`), and that `mime_type` is a media type (`type/subtype`, with optional `; name=value`
/// parameters). Return text, `Vec<u8>`, `Json<T>`, contents, or a
/// `Result` of one. Options: `uri`, `name`, `title`, `description`, `mime_type`, `scopes`, `crate`.
///
/// ```
/// use mcp_runtime::{prelude::*, testing::TestClient};
///
/// /// One user's profile.
/// #[mcp_resource(uri = "users://{id}/profile")]
/// async fn profile(id: u64) -> Json<serde_json::Value> {
///     Json(serde_json::json!({"id": id, "name": "Ada"}))
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let client = TestClient::connect(Server::new("demo", "1.0.0").register(handlers![profile])).await.unwrap();
/// let read = client.peer().read_resource(mcp_runtime::model::ReadResourceRequestParams::new("users://7/profile")).await.unwrap();
/// assert_eq!(read.contents.len(), 1);
/// # }
/// ```
///
/// # Typed handles
///
/// The hidden type named like the function (the one `handlers![f]` names) carries the handler's
/// handles, so code that refers to it does not repeat a literal that could drift: `f::NAME` for
/// every kind (the registered name), and for a resource `f::URI` (a fixed URI) or
/// `f::URI_TEMPLATE` (a template). They have the function's visibility.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// The most recent note.
/// #[mcp_resource(uri = "notes://latest")]
/// async fn latest_note() -> String {
///     "milk".into()
/// }
///
/// /// One note, by number.
/// #[mcp_resource(uri = "notes://{number}")]
/// async fn note(number: u32) -> String {
///     format!("note {number}")
/// }
///
/// /// Add a note.
/// #[mcp_tool(name = "add_a_note")]
/// async fn add_note(ctx: Context, text: String) -> String {
///     // ... store the note, then tell the subscribers of the latest one ...
///     ctx.notifier().resource_updated(latest_note::URI).await;
///     text
/// }
///
/// # fn main() {
/// assert_eq!(latest_note::URI, "notes://latest");
/// assert_eq!(note::URI_TEMPLATE, "notes://{number}");
/// assert_eq!(add_note::NAME, "add_a_note");
/// let _server = Server::new("notes", "1.0.0").register(handlers![latest_note, note, add_note]);
/// # }
/// ```
pub use mcp_macros::mcp_resource;

/// Turns an `async fn` (or a plain `fn`, see below) into an MCP tool.
///
/// The function's name is the tool's name and its doc comment the description; each parameter
/// is an argument whose `///` comment describes it. See the crate documentation and
/// `README.md` for every option. `f::NAME` is the tool's registered name (see
/// [typed handles](mcp_resource#typed-handles)).
///
/// # Synchronous functions
///
/// A plain `fn` may block (a synchronous database driver, `std::fs`, a long computation): it runs
/// on tokio's blocking pool (`spawn_blocking`), as FastMCP runs sync tools in a thread pool, so
/// it never stalls the async workers that serve other requests. Its parameters and its result
/// move to that thread, so they must be `Send + 'static`. A panic in it is an error result, as
/// for an async tool. Cancellation and a `timeout` answer the caller at once but cannot stop the
/// body, since a thread cannot be interrupted: it runs to its end, detached, and its result is
/// discarded. Prefer an `async fn` for anything that awaits. The same holds for
/// [`mcp_prompt`] and [`mcp_resource`].
///
/// ```
/// use mcp_runtime::{prelude::*, testing::TestClient};
///
/// /// Count the lines of a text file.
/// #[mcp_tool(read_only)]
/// fn count_lines(path: String) -> Result<usize, ToolError> {
///     // Blocking I/O is fine here: this body runs on the blocking pool.
///     Ok(std::fs::read_to_string(path)?.lines().count())
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let path = std::env::temp_dir().join(format!("count-lines-{}.txt", std::process::id()));
/// std::fs::write(&path, "one\ntwo\n").unwrap();
/// let client = TestClient::connect(Server::new("demo", "1.0.0").register(handlers![count_lines])).await.unwrap();
/// let count = client.call_text("count_lines", serde_json::json!({"path": path})).await.unwrap();
/// assert_eq!(count, "2");
/// # std::fs::remove_file(&path).unwrap();
/// # }
/// ```
///
/// An `async fn` tool:
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Divide `a` by `b`.
/// #[mcp_tool(name = "divide", title = "Division", read_only, idempotent)]
/// async fn div(
///     /// The dividend.
///     a: f64,
///     /// The divisor; must not be zero.
///     b: f64,
/// ) -> Result<f64, ToolError> {
///     if b == 0.0 { return Err(ToolError::invalid_argument("b", "must not be zero")); }
///     Ok(a / b)
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// assert_eq!(div(6.0, 3.0).await.unwrap(), 2.0); // still an ordinary function
/// # }
/// ```
pub use mcp_macros::mcp_tool;

/// Everything a server module usually needs, in one import.
///
/// ```
/// use mcp_runtime::prelude::*;
/// let _server: Server = Server::new("demo", "1.0.0");
/// ```
pub mod prelude {
    pub use crate::{
        Context, FromContext, ServeError, Server, State, ToolError,
        auth::Principal,
        handlers, mcp_prompt, mcp_resource, mcp_tool,
        observe::LogLevel,
        prompt::{PromptMessage, assistant, user},
        registry::Handlers,
        tool::{Args, CallToolResult, Content, Json},
    };
}

/// What generated code refers to. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::argument::{
        ArgumentObject, ArgumentSchema, DecodeArguments, DeserializeArgument, Forward, JsonSchemaArgument, SchemaFns,
        Whole, WholeArguments, decode_with_serde,
    };
    pub use crate::auth::{ScopeHierarchy, Scopes};
    pub use crate::blocking::run_blocking;
    pub use crate::completion::{AutoComplete, Completer, ViaNoValues, ViaSchemaValues};
    pub use crate::failure::Failure;
    pub use crate::handlers::{Discovered, Handler, Handlers};
    pub use crate::prompt::{
        arguments::PromptArguments,
        definition::{PromptArg, PromptDefinition, prompt_result},
    };
    pub use crate::resource::{
        definition::ResourceDefinition,
        listing::Lister,
        macro_support::{MimeTypeOf, ViaResourceContents, ViaUnconvertible, resource_contents},
        template::Segment,
        variables::UriVariables,
    };
    pub use crate::result::{Returns, ViaIntoToolResult, ViaStructured, ViaStructuredResult, ViaUnsupported};
    pub use crate::schema::{SchemaOptions, input_schema as constraint_schema};
    pub use crate::task::TaskSupport;
    pub use crate::tool::{
        Args, ToolCall, ToolDefinition,
        metadata::{Hints, Location},
        refused_call,
    };
    pub use inventory;
    pub use rmcp::model::{CallToolResult, JsonObject};
    pub use schemars;
    pub use serde;
    pub use serde_json::Value as JsonValue;

    /// Asserts where the user can see it that a tool's future can move between threads.
    #[inline(always)]
    pub fn tool_future_must_be_send<F: core::future::Future + Send>(future: F) -> F {
        future
    }

    /// Checks an injected parameter at start-up (see `FromContext::check`).
    pub fn check_injected<T: crate::FromContext>() -> fn(&crate::StateMapView<'_>) -> Result<(), String> {
        T::check
    }

    /// Extracts an injected parameter for one call.
    pub fn inject<T: crate::FromContext>(ctx: &crate::Context) -> Result<T, crate::ToolError> {
        T::from_context(ctx)
    }
}

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
