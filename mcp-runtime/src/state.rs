//! Application state handed to `Server::state` and read by tools through [`State<T>`].

use std::{
    any::{Any, TypeId, type_name},
    collections::HashMap,
    fmt,
    ops::Deref,
    sync::Arc,
};

/// Values registered with `Server::state`, one per type.
#[derive(Default, Clone)]
pub(crate) struct StateMap(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl StateMap {
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        self.0.insert(TypeId::of::<T>(), Arc::new(value));
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.0.get(&TypeId::of::<T>()).cloned().and_then(|value| value.downcast::<T>().ok())
    }

    pub(crate) fn contains<T: 'static>(&self) -> bool {
        self.0.contains_key(&TypeId::of::<T>())
    }
}

/// Shared application state of type `T`, injected into a tool.
///
/// Give the value once with `Server::state(value)`; every tool that takes a `State<T>`
/// parameter receives it (a cheap `Arc` clone). A tool asking for state that was never given
/// stops the server at start-up, not at the first call.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// #[derive(Default)]
/// struct Counter {
///     calls: AtomicU64,
/// }
///
/// /// Count the calls so far.
/// #[mcp_tool]
/// async fn hits(counter: State<Counter>) -> String {
///     (counter.calls.fetch_add(1, Ordering::Relaxed) + 1).to_string()
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = Server::new("demo", "1.0.0").state(Counter::default()).register(handlers![hits]);
/// let client = mcp_runtime::testing::TestClient::connect(server).await.unwrap();
/// client.call_tool("hits", serde_json::json!({})).await.unwrap();
/// assert_eq!(client.call_text("hits", serde_json::json!({})).await.unwrap(), "2");
/// # }
/// ```
pub struct State<T>(pub Arc<T>);

impl<T> Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Clone for State<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "State<{}>", type_name::<T>())
    }
}

/// Read-only access to the registered state, for [`FromContext::check`](crate::FromContext::check).
pub struct StateMapView<'a>(pub(crate) &'a StateMap);

impl StateMapView<'_> {
    /// Whether a value of type `T` was given to `Server::state`.
    ///
    /// ```
    /// use mcp_runtime::{Context, FromContext, StateMapView, ToolError};
    ///
    /// struct Db;
    /// struct NeedsDb;
    /// impl FromContext for NeedsDb {
    ///     fn from_context(_ctx: &Context) -> Result<Self, ToolError> { Ok(NeedsDb) }
    ///     fn check(states: &StateMapView<'_>) -> Result<(), String> {
    ///         if states.contains::<Db>() { Ok(()) } else { Err("no Db given".into()) }
    ///     }
    /// }
    /// ```
    pub fn contains<T: 'static>(&self) -> bool {
        self.0.contains::<T>()
    }
}
