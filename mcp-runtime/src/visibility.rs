//! Turning tools, prompts and resources off and on while the server runs (FastMCP's
//! enable/disable). A disabled item is absent from its list and answers as an unknown one;
//! every client is told the list changed.

use std::{
    collections::HashSet,
    sync::{
        Arc, PoisonError, RwLock,
        atomic::{AtomicBool, Ordering},
    },
};

use crate::notify::Notifier;

/// One registered item, by the name clients know it by: a tool or prompt name, or a resource's
/// URI (the URI template, for a template).
///
/// ```
/// use mcp_runtime::registry::Item;
/// let item = Item::Resource("notes://{number}");
/// assert_eq!(item.to_string(), "resource `notes://{number}`");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item<'a> {
    /// A tool, by name.
    Tool(&'a str),
    /// A prompt, by name.
    Prompt(&'a str),
    /// A fixed resource by URI, or a resource template by its URI template.
    Resource(&'a str),
}

impl Item<'_> {
    fn key(self) -> (Kind, String) {
        match self {
            Item::Tool(name) => (Kind::Tool, name.to_owned()),
            Item::Prompt(name) => (Kind::Prompt, name.to_owned()),
            Item::Resource(uri) => (Kind::Resource, uri.to_owned()),
        }
    }
}

impl std::fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Tool(name) => write!(f, "tool `{name}`"),
            Item::Prompt(name) => write!(f, "prompt `{name}`"),
            Item::Resource(uri) => write!(f, "resource `{uri}`"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Tool,
    Prompt,
    Resource,
}

/// Asked to enable or disable something the server does not have.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mcp_runtime::{Server, registry::Item};
/// let server = Server::new("demo", "1.0.0");
/// let visibility = server.visibility();
/// let _service = server.build().unwrap();
/// let error = visibility.disable(Item::Tool("nope")).await.unwrap_err();
/// assert_eq!(error.to_string(), "the server has no tool `nope`");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the server has no {item}")]
pub struct UnknownItem {
    item: String,
}

/// Enables and disables tools, prompts and resources on a running server, and tells connected
/// clients their lists changed (`notifications/*/list_changed`). Cheap to clone; get it from
/// [`Server::visibility`](crate::Server::visibility) before serving, or from
/// [`Context::visibility`](crate::Context::visibility) inside a handler.
///
/// Items disabled before the server is built start hidden; naming an item the server does not
/// have is a start-up error then, and an [`UnknownItem`] error afterwards.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::registry::Item;
///
/// /// Drop every table.
/// #[mcp_tool(destructive)]
/// async fn drop_all() -> &'static str { "done" }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = Server::new("demo", "1.0.0").register(handlers![drop_all]);
/// let visibility = server.visibility();
/// visibility.disable(Item::Tool("drop_all")).await.unwrap(); // hidden until enabled
/// let service = server.build().unwrap();
/// assert!(!visibility.is_enabled(Item::Tool("drop_all")));
/// visibility.enable(Item::Tool("drop_all")).await.unwrap();
/// assert!(visibility.is_enabled(Item::Tool("drop_all")));
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Visibility {
    inner: Arc<Inner>,
    notifier: Notifier,
}

#[derive(Default)]
struct Inner {
    disabled: RwLock<HashSet<(Kind, String)>>,
    /// Lets lookups skip the lock while nothing is disabled, the usual case.
    any_disabled: AtomicBool,
    /// Every item the server has; `None` before it is built.
    known: RwLock<Option<HashSet<(Kind, String)>>>,
}

impl Visibility {
    pub(crate) fn new(notifier: Notifier) -> Self {
        Self { inner: Arc::default(), notifier }
    }

    /// Hides `item` from its list and makes it answer as unknown, until [`enable`](Self::enable)d.
    /// Clients are told the list changed if it was enabled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mcp_runtime::{Server, registry::Item};
    /// let visibility = Server::new("demo", "1.0.0").visibility();
    /// visibility.disable(Item::Prompt("draft")).await.unwrap(); // checked when the server is built
    /// # }
    /// ```
    pub async fn disable(&self, item: Item<'_>) -> Result<(), UnknownItem> {
        self.set(item, false).await
    }

    /// Shows a disabled `item` again. Clients are told the list changed if it was disabled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mcp_runtime::{Server, registry::Item};
    /// let visibility = Server::new("demo", "1.0.0").visibility();
    /// visibility.enable(Item::Tool("add")).await.unwrap(); // enabled already: nothing happens
    /// # }
    /// ```
    pub async fn enable(&self, item: Item<'_>) -> Result<(), UnknownItem> {
        self.set(item, true).await
    }

    /// Whether `item` is enabled (items the server does not have count as enabled).
    ///
    /// ```
    /// use mcp_runtime::{Server, registry::Item};
    /// assert!(Server::new("demo", "1.0.0").visibility().is_enabled(Item::Tool("add")));
    /// ```
    pub fn is_enabled(&self, item: Item<'_>) -> bool {
        !self.inner.any_disabled.load(Ordering::Acquire) || !self.disabled().contains(&item.key())
    }

    async fn set(&self, item: Item<'_>, enabled: bool) -> Result<(), UnknownItem> {
        let key = item.key();
        let unknown = self
            .inner
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|known| !known.contains(&key));
        if unknown {
            return Err(UnknownItem { item: item.to_string() });
        }
        let changed = {
            let mut disabled = self.inner.disabled.write().unwrap_or_else(PoisonError::into_inner);
            let changed = if enabled { disabled.remove(&key) } else { disabled.insert(key) };
            self.inner.any_disabled.store(!disabled.is_empty(), Ordering::Release);
            changed
        };
        if changed {
            match item {
                Item::Tool(_) => self.notifier.tool_list_changed().await,
                Item::Prompt(_) => self.notifier.prompt_list_changed().await,
                Item::Resource(_) => self.notifier.resource_list_changed().await,
            }
        }
        Ok(())
    }

    fn disabled(&self) -> std::sync::RwLockReadGuard<'_, HashSet<(Kind, String)>> {
        self.inner.disabled.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records what the built server has; returns the items disabled beforehand that it lacks.
    pub(crate) fn settle<'a>(&self, items: impl IntoIterator<Item = Item<'a>>) -> Vec<String> {
        let known: HashSet<(Kind, String)> = items.into_iter().map(Item::key).collect();
        let unknown = self
            .disabled()
            .iter()
            .filter(|key| !known.contains(key))
            .map(|(kind, name)| {
                let item = match kind {
                    Kind::Tool => Item::Tool(name),
                    Kind::Prompt => Item::Prompt(name),
                    Kind::Resource => Item::Resource(name),
                };
                format!("cannot disable {item}: the server has no such item")
            })
            .collect();
        *self.inner.known.write().unwrap_or_else(PoisonError::into_inner) = Some(known);
        unknown
    }

    /// Records what the server has after a change while serving.
    pub(crate) fn know<'a>(&self, items: impl IntoIterator<Item = Item<'a>>) {
        let known = items.into_iter().map(Item::key).collect();
        *self.inner.known.write().unwrap_or_else(PoisonError::into_inner) = Some(known);
    }
}
