//! What the server offers, changeable while it serves: the [`Handlers`] registered at start-up
//! (`handlers![..]`), the [`Registry`] that adds, replaces and removes them at run time, the
//! [`Visibility`] that turns an [`Item`] off and on, and the [`Notifier`] that tells clients
//! what changed.
//!
//! ```
//! use mcp_runtime::{prelude::*, registry::Item};
//!
//! /// Say hello.
//! #[mcp_tool]
//! async fn hello() -> &'static str { "hello" }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let server = Server::new("demo", "1.0.0").register(handlers![hello]);
//! let (registry, visibility) = (server.registry(), server.visibility());
//! let service = server.build().unwrap();
//! visibility.disable(Item::Tool("hello")).await.unwrap();
//! assert!(!visibility.is_enabled(Item::Tool("hello")));
//! assert!(registry.remove_tool("hello").await);
//! assert_eq!(service.tool_count(), 0);
//! # }
//! ```

// Requests read the current `Catalog`, an immutable snapshot; a change checks the new items
// exactly as start-up does (schemas, validators, injected state, duplicates), builds the next
// snapshot and swaps it in, so a request in flight keeps the items it started with and a failed
// change leaves the server as it was.

mod catalog;
mod entries;
mod warm;

use std::sync::{
    Arc, Mutex, OnceLock, PoisonError, RwLock,
    atomic::{AtomicBool, Ordering},
};

pub(crate) use catalog::Catalog;
use catalog::Items;
pub(crate) use entries::ToolEntry;

use crate::{
    error::StartupError, observe::metrics::Metrics, schema::SchemaOptions, state::StateMap, tool::ToolDefinition,
};
pub use crate::{
    handlers::Handlers,
    notify::Notifier,
    visibility::{Item, UnknownItem, Visibility},
};

/// How items are checked and prepared, fixed when the server is built.
pub(crate) struct Settings {
    pub(crate) schema: SchemaOptions,
    pub(crate) validate_arguments: bool,
    pub(crate) states: Arc<StateMap>,
    pub(crate) metrics: Metrics,
}

/// The server's tools, prompts and resources, which may change while it serves. Cheap to clone;
/// every clone is the same registry.
///
/// Take it from [`Server::registry`](crate::Server::registry) before the server is built (what
/// is added then is checked with the rest at start-up) or from
/// [`McpService::registry`](crate::McpService::registry) after. Changes made while serving are
/// checked the same way; a change with a problem is refused whole, and leaves the server as it
/// was. Each change that succeeds tells every connected client that the list changed.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Say hello.
/// #[mcp_tool]
/// async fn hello() -> &'static str { "hello" }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let service = Server::new("demo", "1.0.0").build().unwrap();
/// let registry = service.registry();
/// registry.add(handlers![hello]).await.unwrap();
/// assert_eq!(service.tool_count(), 1);
/// assert!(registry.remove_tool("hello").await);
/// assert_eq!(service.tool_count(), 0);
/// # }
/// ```
#[derive(Clone)]
pub struct Registry(Arc<Inner>);

struct Inner {
    current: RwLock<Arc<Catalog>>,
    /// Set when the server is built; until then, additions wait in `pending`.
    settings: OnceLock<Settings>,
    pending: Mutex<Handlers>,
    /// One change at a time, so that two concurrent changes cannot lose one another.
    changing: Mutex<()>,
    notifier: Notifier,
    visibility: Visibility,
    /// Someone took the handle before start-up, so prompts and resources may come later.
    taken_early: AtomicBool,
    /// The validators of the catalog served at start-up were set compiling (see `warm.rs`).
    warmed: std::sync::Once,
}

/// What to do with an item whose name the registry already has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnConflict {
    Refuse,
    Replace,
}

/// Which lists a change touched, to tell clients about those only.
#[derive(Default)]
struct Touched {
    tools: bool,
    prompts: bool,
    resources: bool,
}

impl Registry {
    pub(crate) fn new(notifier: Notifier, visibility: Visibility) -> Self {
        let catalog = Arc::new(Catalog::new(Items::default(), visibility.clone()));
        Self(Arc::new(Inner {
            current: RwLock::new(catalog),
            settings: OnceLock::new(),
            pending: Mutex::default(),
            changing: Mutex::default(),
            notifier,
            visibility,
            taken_early: AtomicBool::new(false),
            warmed: std::sync::Once::new(),
        }))
    }

    /// The current catalog, for one request.
    /// Sets the validators compiling on a thread of their own, once: the first client has its
    /// answer to `initialize` by then, so this work does not delay it (see `warm.rs`).
    pub(crate) fn warm_validators(&self) {
        self.0.warmed.call_once(|| warm::in_background(self.catalog().items()));
    }

    pub(crate) fn catalog(&self) -> Arc<Catalog> {
        self.0.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The tool called `name`, if it is served and enabled: the one lookup of every `tools/call`,
    /// which needs the entry and not the catalog around it.
    pub(crate) fn tool(&self, name: &str) -> Option<Arc<ToolEntry>> {
        self.0.current.read().unwrap_or_else(PoisonError::into_inner).tool(name).cloned()
    }

    /// Notes that the handle was taken before start-up.
    pub(crate) fn taken_early(&self) -> Self {
        self.0.taken_early.store(true, Ordering::Relaxed);
        self.clone()
    }

    /// Whether the handle was taken before start-up.
    pub(crate) fn may_change(&self) -> bool {
        self.0.taken_early.load(Ordering::Relaxed)
    }

    /// Checks `handlers` and everything added before start-up, and serves them.
    pub(crate) fn start(&self, handlers: Handlers, settings: Settings) -> Result<Arc<Catalog>, StartupError> {
        let _changing = self.0.changing.lock().unwrap_or_else(PoisonError::into_inner);
        let mut all = std::mem::take(&mut *self.0.pending.lock().unwrap_or_else(PoisonError::into_inner));
        all.extend(handlers);
        let mut items = Items::default();
        let (mut problems, _) = merge(&mut items, all, &settings, OnConflict::Refuse);
        problems.extend(self.0.visibility.settle(items.names()));
        if !problems.is_empty() {
            return Err(StartupError::new(problems));
        }
        let catalog = Arc::new(Catalog::new(items, self.0.visibility.clone()));
        *self.0.current.write().unwrap_or_else(PoisonError::into_inner) = catalog.clone();
        let _ = self.0.settings.set(settings);
        Ok(catalog)
    }

    /// Adds every handler of `handlers`. A name the server already has is refused (the same
    /// function added twice is not a conflict), and so is the whole change if any item has a
    /// problem; the error lists every problem.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// Say hello.
    /// #[mcp_tool]
    /// async fn hello() -> &'static str { "hello" }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = Server::new("demo", "1.0.0");
    /// let registry = server.registry();
    /// registry.add(handlers![hello]).await.unwrap(); // checked when the server is built
    /// let service = server.build().unwrap();
    /// assert_eq!(service.tool_count(), 1);
    /// # }
    /// ```
    pub async fn add(&self, handlers: Handlers) -> Result<(), StartupError> {
        self.change(handlers, OnConflict::Refuse).await
    }

    /// Adds every handler of `handlers`, each replacing the item of the same name (or URI), if
    /// the server has one.
    ///
    /// ```
    /// use mcp_runtime::{Server, model::CallToolResult, registry::Handlers, tool::ToolDefinition};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// let version = |text: &'static str| {
    ///     ToolDefinition::from_fn("version", "The deployed version.", serde_json::json!({"type": "object"}), move |_, _| async move {
    ///         Ok(CallToolResult::success(vec![mcp_runtime::model::ContentBlock::text(text)]))
    ///     })
    /// };
    /// service.registry().add_tool(version("1")).await.unwrap();
    /// service.registry().replace(Handlers::from(version("2"))).await.unwrap();
    /// assert_eq!(service.tool_count(), 1);
    /// # }
    /// ```
    pub async fn replace(&self, handlers: Handlers) -> Result<(), StartupError> {
        self.change(handlers, OnConflict::Replace).await
    }

    /// Adds one tool; see [`add`](Self::add).
    ///
    /// ```
    /// use mcp_runtime::{Server, model::CallToolResult, tool::ToolDefinition};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// let echo = ToolDefinition::from_fn(
    ///     "echo",
    ///     "Say the text back.",
    ///     serde_json::json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}),
    ///     |arguments, _ctx| async move {
    ///         let text = arguments["text"].as_str().unwrap_or_default().to_owned();
    ///         Ok(CallToolResult::success(vec![mcp_runtime::model::ContentBlock::text(text)]))
    ///     },
    /// );
    /// service.registry().add_tool(echo).await.unwrap();
    /// assert_eq!(service.tool_count(), 1);
    /// # }
    /// ```
    pub async fn add_tool(&self, tool: ToolDefinition) -> Result<(), StartupError> {
        self.add(Handlers::from(tool)).await
    }

    /// Removes the tool called `name`; whether there was one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert!(!service.registry().remove_tool("nothing").await);
    /// # }
    /// ```
    pub async fn remove_tool(&self, name: &str) -> bool {
        self.remove(
            |items| items.tools.remove(name).is_some(),
            |pending| pending.remove_tool(name),
            |touched| touched.tools = true,
        )
        .await
    }

    /// Removes the prompt called `name`; whether there was one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert!(!service.registry().remove_prompt("nothing").await);
    /// # }
    /// ```
    pub async fn remove_prompt(&self, name: &str) -> bool {
        self.remove(
            |items| items.prompts.remove(name).is_some(),
            |pending| pending.remove_prompt(name),
            |touched| touched.prompts = true,
        )
        .await
    }

    /// Removes the resource or resource template registered under `uri` (the template itself,
    /// not a URI it matches); whether there was one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert!(!service.registry().remove_resource("notes://nothing").await);
    /// # }
    /// ```
    pub async fn remove_resource(&self, uri: &str) -> bool {
        let remove = |items: &mut Items| {
            let before = items.fixed_resources.len() + items.templates.len();
            items.fixed_resources.remove(uri);
            items.templates.retain(|template| template.uri != uri);
            items.fixed_resources.len() + items.templates.len() != before
        };
        self.remove(remove, |pending| pending.remove_resource(uri), |touched| touched.resources = true).await
    }

    async fn change(&self, handlers: Handlers, on_conflict: OnConflict) -> Result<(), StartupError> {
        let touched = {
            let _changing = self.0.changing.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(settings) = self.0.settings.get() else {
                self.0.pending.lock().unwrap_or_else(PoisonError::into_inner).extend(handlers);
                return Ok(());
            };
            let mut items = self.catalog().items().clone();
            let (problems, touched) = merge(&mut items, handlers, settings, on_conflict);
            if !problems.is_empty() {
                return Err(StartupError::new(problems));
            }
            self.install(items);
            touched
        };
        self.announce(touched).await;
        Ok(())
    }

    async fn remove(
        &self,
        from_items: impl FnOnce(&mut Items) -> bool,
        from_pending: impl FnOnce(&mut Handlers) -> bool,
        mark: impl FnOnce(&mut Touched),
    ) -> bool {
        {
            let _changing = self.0.changing.lock().unwrap_or_else(PoisonError::into_inner);
            if self.0.settings.get().is_none() {
                return from_pending(&mut self.0.pending.lock().unwrap_or_else(PoisonError::into_inner));
            }
            let mut items = self.catalog().items().clone();
            if !from_items(&mut items) {
                return false;
            }
            self.install(items);
        }
        let mut touched = Touched::default();
        mark(&mut touched);
        self.announce(touched).await;
        true
    }

    fn install(&self, items: Items) {
        self.0.visibility.know(items.names());
        let catalog = Arc::new(Catalog::new(items, self.0.visibility.clone()));
        *self.0.current.write().unwrap_or_else(PoisonError::into_inner) = catalog;
    }

    async fn announce(&self, touched: Touched) {
        if touched.tools {
            self.0.notifier.tool_list_changed().await;
        }
        if touched.prompts {
            self.0.notifier.prompt_list_changed().await;
        }
        if touched.resources {
            self.0.notifier.resource_list_changed().await;
        }
    }
}

/// Checks each of `handlers` and puts it into `items`; returns every problem and which lists
/// changed.
fn merge(
    items: &mut Items,
    handlers: Handlers,
    settings: &Settings,
    on_conflict: OnConflict,
) -> (Vec<String>, Touched) {
    let mut problems = Vec::new();
    let mut touched = Touched::default();
    for definition in handlers.tools {
        if on_conflict == OnConflict::Refuse
            && let Some(existing) = items.tools.get(definition.name)
        {
            problems.extend(entries::duplicate(
                "tool",
                definition.name,
                existing.definition.location,
                definition.location,
            ));
            continue;
        }
        match entries::tool_entry(definition, settings) {
            Ok(entry) => {
                items.tools.insert(entry.definition.name, Arc::new(entry));
                touched.tools = true;
            }
            Err(found) => problems.extend(found),
        }
    }
    for definition in handlers.prompts {
        if on_conflict == OnConflict::Refuse
            && let Some(existing) = items.prompts.get(definition.name)
        {
            problems.extend(entries::duplicate(
                "prompt",
                definition.name,
                existing.definition.location,
                definition.location,
            ));
            continue;
        }
        match entries::prompt_entry(definition, settings) {
            Ok(entry) => {
                items.prompts.insert(entry.definition.name, Arc::new(entry));
                touched.prompts = true;
            }
            Err(found) => problems.extend(found),
        }
    }
    for definition in handlers.resources {
        if let Some(existing) = items.resource_named(definition.uri) {
            if on_conflict == OnConflict::Refuse {
                problems.extend(entries::duplicate(
                    "resource URI",
                    definition.uri,
                    existing.location,
                    definition.location,
                ));
                continue;
            }
            let uri = definition.uri;
            items.fixed_resources.remove(uri);
            items.templates.retain(|template| template.uri != uri);
        }
        match entries::resource_entry(definition, settings) {
            Ok(definition) => {
                let definition = Arc::new(definition);
                if definition.is_template() {
                    items.templates.push(definition);
                } else {
                    items.fixed_resources.insert(definition.uri, definition);
                }
                touched.resources = true;
            }
            Err(found) => problems.extend(found),
        }
    }
    (problems, touched)
}
