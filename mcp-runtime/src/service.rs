//! Our rmcp `ServerHandler`: one registry lookup per call, everything else prepared at start-up.

#![allow(deprecated)] // `set_level` belongs to client logging, deprecated by SEP-2577 but still used.

use std::sync::Arc;

use crate::{
    connection::Connection, logging::ConnectionLogLevel, notify::ConnectionId, observe::metrics::GaugeGuard,
    rate_limit::RateLimiter,
};

mod complete;
mod composed;
mod handler;
mod lists;
mod mounted;
mod over_http;
mod pipeline;
mod session;
mod shared;
mod tasks;
mod versions;

pub(crate) use shared::Shared;

/// A built server, ready to be served on any rmcp transport. Cheap to clone.
///
/// Obtain it with [`Server::build`](crate::Server::build); most programs never name it and call
/// `serve_stdio` or `run` instead.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::rmcp::Service;
///
/// /// Say hello.
/// #[mcp_tool]
/// async fn hello() -> &'static str { "hello" }
///
/// let service = Server::new("demo", "1.0.0").register(handlers![hello]).build().unwrap();
/// assert_eq!(service.get_info().server_info.name, "demo");
/// ```
#[derive(Clone)]
pub struct McpService {
    shared: Arc<Shared>,
    log_level: ConnectionLogLevel,
    connection: ConnectionId,
    /// Holds the sessions gauge one higher while this connection's service lives.
    _session: Option<Arc<GaugeGuard>>,
    /// Whether rmcp's loop for this connection still runs.
    life: Connection,
}

/// Connection ids are unique in the process, across servers.
fn next_connection() -> ConnectionId {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::fmt::Debug for McpService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpService")
            .field("name", &self.shared.info.server_info.name)
            .field("tools", &self.tool_count())
            .finish_non_exhaustive()
    }
}

impl McpService {
    #[cfg(feature = "http")]
    /// The scopes a `tools/call` or `prompts/get` of `name` requires; `None` for an unknown
    /// name, another method, or an item anyone may use.
    pub(crate) fn required_scopes(&self, method: &str, name: &str) -> Option<&'static [&'static str]> {
        let registry = self.shared.registry.catalog();
        let scopes = match method {
            "tools/call" => registry.tool(name).map(|entry| entry.definition.scopes),
            "prompts/get" => registry.prompt(name).map(|entry| entry.definition.scopes),
            "resources/read" => registry.resource(name).map(|(definition, _)| definition.scopes),
            _ => None,
        };
        let mounts = &self.shared.mounts;
        let scopes = scopes.or_else(|| match method {
            "tools/call" | "prompts/get" => mounts.named(name).map(|(mount, _)| mount.scopes),
            "resources/read" => mounts.of_uri(name).map(|(mount, _)| mount.scopes),
            _ => None,
        });
        scopes.filter(|scopes| !scopes.is_empty())
    }

    #[cfg(feature = "http")]
    /// Whether any tool, prompt or resource requires a scope.
    pub(crate) fn has_scoped_items(&self) -> bool {
        self.shared.registry.catalog().all_scopes().next().is_some() || self.shared.mounts.all_scopes().next().is_some()
    }

    #[cfg(feature = "http")]
    /// Every scope the server's handlers and hierarchy mention, sorted.
    pub(crate) fn scopes_supported(&self, hierarchy: &crate::auth::ScopeHierarchy) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .shared
            .registry
            .catalog()
            .all_scopes()
            .map(str::to_owned)
            .chain(self.shared.mounts.all_scopes().map(str::to_owned))
            .chain(hierarchy.named_scopes().map(str::to_owned))
            .chain(self.shared.auth.declared_scopes.iter().map(|scope| (*scope).to_owned()))
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    /// How many resources and resource templates the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.resource_count(), 0);
    /// ```
    pub fn resource_count(&self) -> usize {
        let catalog = self.shared.registry.catalog();
        catalog.resource_list().len() + catalog.template_list().len()
    }

    /// What every connection of this server shares.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// The server's registry: add, replace and remove tools, prompts and resources while it
    /// serves (see [`Registry`](crate::registry::Registry)).
    ///
    /// ```
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// let registry = service.registry();
    /// ```
    pub fn registry(&self) -> crate::registry::Registry {
        self.shared.registry.clone()
    }

    /// This connection, stopped when `stopped` is cancelled (stdio: when the input ends).
    pub(crate) fn stopping_with(self, stopped: tokio_util::sync::CancellationToken) -> Self {
        Self { life: Connection::stopping_with(stopped), ..self }
    }

    /// Whether rmcp's loop for this connection still runs.
    pub(crate) fn life(&self) -> &Connection {
        &self.life
    }

    /// The log level this connection's client asked for.
    pub(crate) fn log_level(&self) -> &ConnectionLogLevel {
        &self.log_level
    }

    #[cfg(feature = "http")]
    pub(crate) fn name(&self) -> &str {
        &self.shared.info.server_info.name
    }

    #[cfg(feature = "http")]
    pub(crate) fn auth(&self) -> &Arc<crate::auth::AuthConfig> {
        &self.shared.auth
    }

    pub(crate) fn new(shared: Shared) -> Self {
        let shared = Arc::new(shared);
        let weak = Arc::downgrade(&shared);
        // Scopes of a resource decide which 2026 listeners hear about it. Weak: the notifier
        // lives inside `Shared` and must not keep it alive.
        shared.env.notifier.set_read_check(Box::new(move |principal, uri| {
            weak.upgrade().is_some_and(|shared| {
                match shared.registry.catalog().resource(uri) {
                    Some((definition, _)) => principal.missing_scopes(definition.scopes).is_empty(),
                    // A mounted or proxied server's: the mount's scopes, then its own.
                    None => shared.mounts.of_uri(uri).is_some_and(|(mount, own)| {
                        principal.missing_scopes(mount.scopes).is_empty() && mount.upstream.may_read(principal, &own)
                    }),
                }
            })
        }));
        Self {
            shared,
            log_level: ConnectionLogLevel::default(),
            connection: next_connection(),
            _session: None,
            life: Connection::default(),
        }
    }

    /// The same server for another connection: shared registry, its own client log level.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// # let service = Server::new("demo", "1.0.0").build().unwrap();
    /// let per_connection = service.for_new_connection();
    /// ```
    pub fn for_new_connection(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            log_level: ConnectionLogLevel::default(),
            connection: next_connection(),
            _session: None,
            life: Connection::default(),
        }
    }

    /// The same, counted in the `mcp_sessions` gauge for as long as it lives.
    pub(crate) fn for_new_session(&self) -> Self {
        self.for_new_connection().counted_as_session()
    }

    /// This connection, counted in the `mcp_sessions` gauge for as long as it lives.
    pub(crate) fn counted_as_session(self) -> Self {
        Self { _session: Some(Arc::new(self.shared.env.metrics.session())), ..self }
    }

    /// The rate limiter, if the server has one.
    pub(crate) fn rate_limiter(&self) -> Option<&Arc<RateLimiter>> {
        self.shared.rate_limiter.as_ref()
    }

    /// The readiness checks `GET /health` runs.
    #[cfg(feature = "http")]
    pub(crate) fn readiness_checks(&self) -> &crate::observe::readiness::ReadinessChecks {
        &self.shared.readiness
    }

    /// The server's metrics.
    ///
    /// Needs the `metrics` feature.
    ///
    /// ```
    /// let service = mcp_runtime::Server::new("demo", "1.0.0").build().unwrap();
    /// assert!(service.metrics().render().contains("mcp_requests"));
    /// ```
    #[cfg(feature = "metrics")]
    pub fn metrics(&self) -> &crate::observe::Metrics {
        &self.shared.env.metrics
    }

    /// How many tools the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.tool_count(), 0);
    /// ```
    pub fn tool_count(&self) -> usize {
        self.shared.registry.catalog().tool_list().len()
    }

    /// How many prompts the server offers.
    ///
    /// ```
    /// # use mcp_runtime::prelude::*;
    /// let service = Server::new("demo", "1.0.0").build().unwrap();
    /// assert_eq!(service.prompt_count(), 0);
    /// ```
    pub fn prompt_count(&self) -> usize {
        self.shared.registry.catalog().prompt_list().len()
    }
}
