//! `Server::mount` and `Server::proxy`: other servers' items served by this one.

use std::sync::Arc;

use super::Server;
use crate::{
    compose::{Downstream, Mount, Mounts, Prefix, Proxied, Upstream, reserved_by},
    error::StartupError,
    notify::Notifier,
    observe::metrics::Metrics,
    registry::Catalog,
};

/// What `Server::mount` and `Server::proxy` were given, built with the server.
#[derive(Default)]
pub(super) struct Pending {
    items: Vec<(String, Source)>,
    /// `Server::require_every_downstream`.
    every_downstream: bool,
}

enum Source {
    Server(Box<Server>),
    Downstream(Proxy),
}

/// A downstream to proxy, and how to connect it. The connecting is a closure made by
/// `Server::proxy`, so that rmcp's client, its transports and the relay are linked only into
/// programs that call it (stdio servers that never proxy stay as small as before composition).
struct Proxy {
    described: String,
    scopes: &'static [&'static str],
    connect: Box<dyn FnOnce(Prefix, Notifier, Metrics) -> Arc<dyn Upstream> + Send>,
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::Server(server) => format!("the server `{}`", server.name()),
            Source::Downstream(proxy) => format!("the downstream `{}`", proxy.described),
        }
    }
}

impl Pending {
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Builds every mounted server and connection; refuses bad or repeated prefixes, the
    /// server's own items named as a mount's would be, and mounted servers that do not build.
    pub(super) fn build(self, notifier: &Notifier, own: &Catalog, metrics: &Metrics) -> Result<Mounts, StartupError> {
        let mut problems = Vec::new();
        let mut mounts: Vec<Mount> = Vec::new();
        for (prefix, source) in self.items {
            let prefix = match Prefix::new(&prefix) {
                Ok(prefix) => prefix,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let described = source.describe();
            if let Some(other) = mounts.iter().find(|mount| mount.prefix.overlaps(&prefix)) {
                problems
                    .push(format!("mount prefix `{prefix}` is given twice: to {} and to {described}", other.source));
                continue;
            }
            problems.extend(reserved_by(&prefix, own, &described));
            let scopes = match &source {
                Source::Downstream(proxy) => proxy.scopes,
                Source::Server(_) => &[],
            };
            let upstream: Arc<dyn Upstream> = match source {
                Source::Server(server) => {
                    let child_notifier = server.notifier();
                    match server.build() {
                        Ok(service) => {
                            // The child's list changes and resource updates are the parent's too.
                            let served = prefix.clone();
                            child_notifier.relay_to(notifier.clone(), Arc::new(move |uri: &str| served.uri(uri)));
                            Arc::new(service)
                        }
                        Err(error) => {
                            problems.extend(
                                error.problems().iter().map(|problem| format!("mounted `{prefix}`: {problem}")),
                            );
                            continue;
                        }
                    }
                }
                Source::Downstream(proxy) => (proxy.connect)(prefix.clone(), notifier.clone(), metrics.clone()),
            };
            mounts.push(Mount::new(prefix, upstream, described, scopes));
        }
        if problems.is_empty() {
            Ok(Mounts::new(mounts, self.every_downstream))
        } else {
            Err(StartupError::new(problems))
        }
    }
}

impl Server {
    /// Serves every tool, prompt and resource of `other` (a server of this process) under
    /// `prefix`: its tool `add` as `{prefix}_add`, its resource `notes://latest` as
    /// `notes://{prefix}/latest` (see the [`compose`](crate::compose) module for the rules).
    /// `other` keeps its own scopes, state and middleware, applied to this server's caller;
    /// changes to its registry show through, and clients are told the lists changed. A name
    /// clash with this server's own items is refused at start-up, naming both.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// List the files.
    /// #[mcp_tool(read_only)]
    /// async fn list_files() -> Vec<String> { vec!["README.md".into()] }
    ///
    /// let files = Server::new("files", "1.0.0").register(handlers![list_files]);
    /// let hub = Server::new("hub", "1.0.0").mount("fs", files);
    /// assert_eq!(hub.build().unwrap().tool_count(), 0); // its own; `fs_list_files` is the mount's
    /// ```
    pub fn mount(mut self, prefix: impl Into<String>, other: Server) -> Self {
        self.mounts.items.push((prefix.into(), Source::Server(Box::new(other))));
        self
    }

    /// Serves the tools, prompts and resources of the server `downstream` reaches (a program
    /// over stdio, a Streamable HTTP or legacy SSE URL) under `prefix`, named as
    /// [`mount`](Self::mount) names them. Calls go through this server's authentication,
    /// scopes, limits, metrics and logs, then over one connection to the downstream, opened on
    /// first use and kept (reopened after a failure); its lists are cached until it says they
    /// changed. While it cannot be reached its items are left out of the lists and a call of
    /// one of its tools gets a tool error naming it; the rest of this server is unaffected.
    ///
    /// The downstream's progress, log messages and questions (elicitation, sampling, roots) on
    /// a call reach the caller who made it, in either protocol era: a 2026-07-28 caller gets
    /// an `input_required` result while the downstream's call waits for its retry. The
    /// [module documentation](crate::compose) says how a message is matched to its call.
    ///
    /// ```
    /// use mcp_runtime::{Server, compose::Downstream};
    ///
    /// let hub = Server::new("hub", "1.0.0")
    ///     .proxy("fs", Downstream::stdio("target/debug/examples/filesystem").arg("--root").arg("."))
    ///     .proxy("search", Downstream::http("http://127.0.0.1:9000/mcp").bearer("hub-token"));
    /// ```
    pub fn proxy(mut self, prefix: impl Into<String>, downstream: Downstream) -> Self {
        let proxy = Proxy {
            described: downstream.describe(),
            scopes: downstream.scopes,
            connect: Box::new(move |prefix, notifier, metrics| -> Arc<dyn Upstream> {
                Proxied::new(prefix, downstream, notifier, metrics)
            }),
        };
        self.mounts.items.push((prefix.into(), Source::Downstream(proxy)));
        self
    }

    /// `/health` answers ready only while every proxied server is up; by default it is ready
    /// while at least one is (clients then get that one's items).
    ///
    /// ```
    /// use mcp_runtime::{Server, compose::Downstream};
    ///
    /// let hub = Server::new("hub", "1.0.0").proxy("fs", Downstream::stdio("mcp-files")).require_every_downstream();
    /// ```
    pub fn require_every_downstream(mut self) -> Self {
        self.mounts.every_downstream = true;
        self
    }

    /// The server's name, for messages about it.
    pub(crate) fn name(&self) -> &str {
        &self.identity.name
    }
}
