//! Changing what the server offers while it runs: the handles a program keeps before the
//! server is consumed, and how long clients may cache the lists those changes invalidate.

use std::time::Duration;

use super::Server;
use crate::{notify::Notifier, registry::Registry, visibility::Visibility};

/// The handles that reach a running server; clones of them outlive the builder.
pub(super) struct LiveHandles {
    pub(super) notifier: Notifier,
    pub(super) visibility: Visibility,
    pub(super) registry: Registry,
}

impl Default for LiveHandles {
    fn default() -> Self {
        // Visibility and registry announce their changes through the one notifier.
        let notifier = Notifier::default();
        let visibility = Visibility::new(notifier.clone());
        let registry = Registry::new(notifier.clone(), visibility.clone());
        Self { notifier, visibility, registry }
    }
}

impl Server {
    /// How long clients may cache list responses (`ttlMs` for 2026-07-28 clients; default 5 min).
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .list_ttl(std::time::Duration::from_secs(60));
    /// ```
    pub fn list_ttl(mut self, ttl: Duration) -> Self {
        self.list_ttl = ttl;
        self
    }

    /// A handle to announce changes (a resource updated, a list changed) to connected clients,
    /// for code outside the handlers: a file watcher, a database listener, a timer.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let notifier = server.notifier(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn notifier(&self) -> Notifier {
        self.live.notifier.clone()
    }

    /// A handle to disable and re-enable tools, prompts and resources while the server runs;
    /// connected clients are told their lists changed.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let visibility = server.visibility(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn visibility(&self) -> Visibility {
        self.live.visibility.clone()
    }

    /// The server's registry, to add, replace and remove tools, prompts and resources while it
    /// serves; what is added before the server is built is checked with the rest at start-up.
    /// Taking it also makes the server advertise prompts and resources even if it starts with
    /// none, so that clients look for the ones added later.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0");
    /// let registry = server.registry(); // keep it; `server` is consumed when it is served
    /// ```
    pub fn registry(&self) -> Registry {
        self.live.registry.taken_early()
    }
}
