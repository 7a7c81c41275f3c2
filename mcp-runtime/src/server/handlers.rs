//! What the server serves: the handlers registered or discovered, the state they share, and
//! how their calls are checked (schemas, argument validation) and wrapped (middleware).

use std::sync::Arc;

use super::Server;
use crate::{
    handlers::Handlers,
    middleware::{DynMiddleware, Middleware},
    schema::SchemaOptions,
    state::StateMap,
};

/// The handlers to serve and what their calls need.
pub(super) struct HandlerConfig {
    pub(super) registered: Handlers,
    pub(super) discover: bool,
    pub(super) allow_unregistered: bool,
    /// Annotated handlers this server does not serve on purpose (`Server::leave_out`).
    pub(super) left_out: Handlers,
    pub(super) states: StateMap,
    pub(super) schema: SchemaOptions,
    pub(super) validate_arguments: bool,
    /// Outermost first.
    pub(super) middleware: Vec<Arc<dyn DynMiddleware>>,
}

impl Default for HandlerConfig {
    fn default() -> Self {
        Self {
            registered: Handlers::new(),
            discover: false,
            allow_unregistered: false,
            left_out: Handlers::new(),
            states: StateMap::default(),
            schema: SchemaOptions::default(),
            validate_arguments: cfg!(feature = "validate"),
            middleware: Vec::new(),
        }
    }
}

impl HandlerConfig {
    /// Every handler to serve, taken from the configuration: the registered ones, the metrics
    /// resource when asked for, and the discovered ones. Without discovery, warns first about
    /// annotated functions neither registered nor left out, since a function forgotten in
    /// `handlers!` is otherwise silently absent.
    #[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
    pub(super) fn take_served(&mut self, metrics_resource: bool) -> Handlers {
        let mut handlers = std::mem::replace(&mut self.registered, Handlers::new());
        if !self.discover && !self.allow_unregistered {
            crate::handlers::warn_unregistered(&handlers, &self.left_out);
        }
        #[cfg(feature = "metrics")]
        if metrics_resource {
            handlers.extend(crate::metrics_resource::handlers(&[]));
        }
        if self.discover {
            handlers.extend(Handlers::discovered());
        }
        handlers
    }
}

impl Server {
    /// Shares `value` with every handler that takes a `State<T>` (one value per type).
    ///
    /// ```
    /// struct Config { greeting: String }
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .state(Config { greeting: "hello".into() });
    /// ```
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.handlers.states.insert(value);
        self
    }

    /// Registers the handlers named with [`handlers!`](crate::handlers).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    /// let server = Server::new("demo", "1.0.0").register(handlers![hello]);
    /// ```
    pub fn register(mut self, handlers: Handlers) -> Self {
        self.handlers.registered.extend(handlers);
        self
    }

    /// Registers every annotated handler linked into the binary, wherever it is defined
    /// (dependencies included). Combined with [`register`](Self::register), a function named
    /// in both is registered once.
    ///
    /// ```standalone_crate
    /// use mcp_runtime::prelude::*;
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    /// mod more {
    ///     use mcp_runtime::prelude::*;
    ///     /// Say goodbye.
    ///     #[mcp_tool]
    ///     async fn goodbye() -> &'static str { "goodbye" }
    /// }
    /// let service = Server::new("demo", "1.0.0").discover().register(handlers![hello]).build().unwrap();
    /// assert_eq!(service.tool_count(), 2);
    /// ```
    pub fn discover(mut self) -> Self {
        self.handlers.discover = true;
        self
    }

    /// Keeps quiet about annotated functions linked into the binary that this server does not
    /// register. Without it, a server that does not [`discover`](Self::discover) logs one
    /// warning per such function at start-up, naming it and its file and line, since a function
    /// forgotten in [`handlers!`](crate::handlers) is otherwise silently absent. Use it when the
    /// binary deliberately holds handlers for several servers, or links a library's handlers it
    /// does not offer.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    ///
    /// /// Delete every record; offered only by the admin server, built elsewhere in this binary.
    /// #[mcp_tool(destructive)]
    /// async fn purge() -> &'static str { "purged" }
    ///
    /// let public = Server::new("public", "1.0.0").register(handlers![hello]).allow_unregistered().build().unwrap();
    /// assert_eq!(public.tool_count(), 1);
    /// ```
    pub fn allow_unregistered(mut self) -> Self {
        self.handlers.allow_unregistered = true;
        self
    }

    /// Names annotated functions this server does not serve on purpose (a read-only mode's
    /// write tools, say), so that the start-up check does not warn about them, while it still
    /// warns about any other function left out; see [`allow_unregistered`](Self::allow_unregistered)
    /// to silence the check altogether.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Read the notes.
    /// #[mcp_tool(read_only)]
    /// async fn read_notes() -> &'static str { "notes" }
    ///
    /// /// Replace the notes.
    /// #[mcp_tool(destructive)]
    /// async fn write_notes(text: String) -> String { text }
    ///
    /// fn writes() -> Handlers { handlers![write_notes] }
    ///
    /// let read_only = true;
    /// let server = Server::new("notes", "1.0.0").register(handlers![read_notes]);
    /// let server = if read_only { server.leave_out(writes()) } else { server.register(writes()) };
    /// assert_eq!(server.build().unwrap().tool_count(), 1);
    /// ```
    pub fn leave_out(mut self, handlers: Handlers) -> Self {
        self.handlers.left_out.extend(handlers);
        self
    }

    /// How schemas are rendered (inlined by default; see [`SchemaOptions`]).
    ///
    /// ```
    /// use mcp_runtime::{Server, tool::SchemaOptions};
    /// let options = SchemaOptions { keep_refs: true, ..SchemaOptions::default() };
    /// let server = Server::new("demo", "1.0.0").schema_options(options);
    /// ```
    pub fn schema_options(mut self, options: SchemaOptions) -> Self {
        self.handlers.schema = options;
        self
    }

    /// Whether a tool's arguments are checked against its input schema before it runs (on by
    /// default, with the `validate` feature; without it, off, and asking for it is a start-up
    /// error naming the feature). Serde refuses wrong types and missing arguments either way; the check adds what
    /// the schema promises beyond types: `#[schemars(range(..))]`, `length(..)`, `regex(..)`,
    /// formats (`email`, `uri`, `date-time`, ...). A violation is a tool error naming the
    /// argument and the constraint: ``invalid arguments for tool `search`: `limit`: 500 is greater
    /// than the maximum of 100``. A `#[mcp_tool]` whose schema asks nothing beyond what its
    /// argument types' decoding checks (JSON types, required arguments) has no
    /// validator to compile or run. Turn it off only for a tool set whose schemas a validator
    /// cannot compile, or to save its cost (see BENCHMARKS.md) where every caller is trusted.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").validate_arguments(false);
    /// ```
    pub fn validate_arguments(mut self, validate: bool) -> Self {
        self.handlers.validate_arguments = validate;
        self
    }

    /// Adds a [`Middleware`](crate::middleware::Middleware) around every request; the first
    /// added is outermost (its `before` runs first, its `after` last).
    ///
    /// ```
    /// use mcp_runtime::{middleware::{Middleware, Request, Response}, prelude::*};
    ///
    /// /// Refuses every call to `drop_table` outside business hours (here: always).
    /// struct ChangeFreeze;
    ///
    /// impl Middleware for ChangeFreeze {
    ///     async fn before(&self, request: &mut Request) -> Option<Result<Response, mcp_runtime::model::ErrorData>> {
    ///         (request.name() == Some("drop_table"))
    ///             .then(|| Err(mcp_runtime::model::ErrorData::invalid_request("changes are frozen", None)))
    ///     }
    /// }
    ///
    /// let server = Server::new("demo", "1.0.0").middleware(ChangeFreeze);
    /// ```
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.handlers.middleware.push(Arc::new(middleware));
        self
    }
}
