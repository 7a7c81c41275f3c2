//! Change notifications: resource updates reach exactly the sessions subscribed to the resource
//! (`resources/subscribe` for 2025 clients, `subscriptions/listen` for 2026 ones), and list
//! changes reach every connected client. rmcp keeps no broadcast registry, so this is ours.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

use rmcp::{
    RoleServer,
    model::ResourceUpdatedNotificationParam,
    service::{Peer, SubscriptionSendError, SubscriptionSink},
};

use crate::auth::Principal;

/// One connection's identity, so its subscriptions can be found and dropped.
pub(crate) type ConnectionId = u64;

#[derive(Default)]
struct Registry {
    /// 2025 clients: every connected peer (for list changes) ...
    peers: HashMap<ConnectionId, Peer<RoleServer>>,
    /// ... and which URIs each subscribed to.
    subscriptions: HashMap<ConnectionId, Vec<String>>,
    /// 2026 clients: open `subscriptions/listen` streams, with the caller they belong to.
    listeners: HashMap<u64, (SubscriptionSink, Arc<Principal>)>,
}

/// Sends change notifications to connected clients. Cheap to clone; get one from
/// [`Server::notifier`](crate::Server::notifier) before serving, or from
/// [`Context::notifier`](crate::Context::notifier) inside a handler.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// A counter that changes.
/// #[mcp_resource(uri = "counter://value")]
/// async fn value() -> String { "1".into() }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = Server::new("demo", "1.0.0").register(handlers![value]);
/// let notifier = server.notifier();
/// tokio::spawn(async move {
///     // ... when the value changes:
///     notifier.resource_updated("counter://value").await;
/// });
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Notifier {
    registry: Arc<Mutex<Registry>>,
    next_listener: Arc<AtomicU64>,
    may_read: Arc<std::sync::OnceLock<ReadCheck>>,
    /// The notifiers of servers this one is mounted in: its list changes are theirs, and its
    /// resource updates too, under the URI each serves the resource as.
    relays: Arc<Mutex<Vec<(Notifier, Rename)>>>,
}

/// A URI of a mounted server as the server it is mounted in serves it.
pub(crate) type Rename = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// Whether a principal may read a URI (the resource's scopes), installed when the server is built.
pub(crate) type ReadCheck = Box<dyn Fn(&Principal, &str) -> bool + Send + Sync>;

impl Notifier {
    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Passes every list change and resource update on to `parent` too (this server is
    /// mounted in it), updates under the URI `rename` gives.
    pub(crate) fn relay_to(&self, parent: Notifier, rename: Rename) {
        self.relays.lock().unwrap_or_else(PoisonError::into_inner).push((parent, rename));
    }

    fn relays(&self) -> Vec<(Notifier, Rename)> {
        self.relays.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn set_read_check(&self, check: ReadCheck) {
        let _ = self.may_read.set(check);
    }

    fn may_read(&self, principal: &Principal, uri: &str) -> bool {
        self.may_read.get().is_none_or(|check| check(principal, uri))
    }

    pub(crate) fn connected(&self, connection: ConnectionId, peer: Peer<RoleServer>) {
        let mut registry = self.registry();
        // Forget connections that ended (stateless HTTP requests end at once), so the registry
        // stays as small as the set of live clients.
        registry.peers.retain(|_, peer| !peer.is_transport_closed());
        let Registry { peers, subscriptions, .. } = &mut *registry;
        subscriptions.retain(|id, _| peers.contains_key(id));
        registry.peers.insert(connection, peer);
    }

    pub(crate) fn subscribe(&self, connection: ConnectionId, peer: Peer<RoleServer>, uri: String) {
        let mut registry = self.registry();
        registry.peers.entry(connection).or_insert(peer);
        let uris = registry.subscriptions.entry(connection).or_default();
        if !uris.contains(&uri) {
            uris.push(uri);
        }
    }

    pub(crate) fn unsubscribe(&self, connection: ConnectionId, uri: &str) {
        if let Some(uris) = self.registry().subscriptions.get_mut(&connection) {
            uris.retain(|subscribed| subscribed != uri);
        }
    }

    /// Sends the notifications `sink` accepted until the returned registration is dropped.
    pub(crate) fn add_listener(&self, sink: SubscriptionSink, principal: Arc<Principal>) -> Listening {
        let id = self.next_listener.fetch_add(1, Ordering::Relaxed);
        self.registry().listeners.insert(id, (sink, principal));
        Listening { notifier: self.clone(), id }
    }

    pub(crate) fn remove_listener(&self, id: u64) {
        self.registry().listeners.remove(&id);
    }

    fn forget(&self, connection: ConnectionId) {
        let mut registry = self.registry();
        registry.peers.remove(&connection);
        registry.subscriptions.remove(&connection);
    }

    /// Tells every client subscribed to `uri` that it changed (`notifications/resources/updated`).
    /// Clients that are gone are forgotten.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let notifier = mcp_runtime::Server::new("demo", "1.0.0").notifier();
    /// notifier.resource_updated("notes://1").await; // nobody subscribed: nothing is sent
    /// # }
    /// ```
    pub async fn resource_updated(&self, uri: &str) {
        let (peers, listeners) = {
            let registry = self.registry();
            let peers: Vec<(ConnectionId, Peer<RoleServer>)> = registry
                .subscriptions
                .iter()
                .filter(|(_, uris)| uris.iter().any(|subscribed| subscribed == uri))
                .filter_map(|(connection, _)| registry.peers.get(connection).map(|peer| (*connection, peer.clone())))
                .collect();
            let listeners: Vec<(u64, SubscriptionSink, Arc<Principal>)> =
                registry.listeners.iter().map(|(id, (sink, who))| (*id, sink.clone(), who.clone())).collect();
            (peers, listeners)
        };
        for (connection, peer) in peers {
            if peer.notify_resource_updated(ResourceUpdatedNotificationParam::new(uri)).await.is_err() {
                self.forget(connection);
            }
        }
        for (id, sink, principal) in listeners {
            // The filter was accepted without knowing the caller; scopes are checked here.
            if !self.may_read(&principal, uri) {
                continue;
            }
            if let Err(SubscriptionSendError::SubscriptionClosed | SubscriptionSendError::Service(_)) =
                sink.notify_resource_updated(uri).await
            {
                self.remove_listener(id);
            }
        }
        for (parent, rename) in self.relays() {
            Box::pin(parent.resource_updated(&rename(uri))).await;
        }
    }

    /// Tells every client that the list of resources changed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// mcp_runtime::Server::new("demo", "1.0.0").notifier().resource_list_changed().await;
    /// # }
    /// ```
    pub async fn resource_list_changed(&self) {
        self.broadcast(List::Resources).await;
    }

    /// Tells every client that the list of tools changed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// mcp_runtime::Server::new("demo", "1.0.0").notifier().tool_list_changed().await;
    /// # }
    /// ```
    pub async fn tool_list_changed(&self) {
        self.broadcast(List::Tools).await;
    }

    /// Tells every client that the list of prompts changed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// mcp_runtime::Server::new("demo", "1.0.0").notifier().prompt_list_changed().await;
    /// # }
    /// ```
    pub async fn prompt_list_changed(&self) {
        self.broadcast(List::Prompts).await;
    }

    async fn broadcast(&self, list: List) {
        let (peers, listeners) = {
            let registry = self.registry();
            let peers: Vec<_> = registry.peers.iter().map(|(id, peer)| (*id, peer.clone())).collect();
            let listeners: Vec<_> = registry.listeners.iter().map(|(id, (sink, _))| (*id, sink.clone())).collect();
            (peers, listeners)
        };
        for (connection, peer) in peers {
            let sent = match list {
                List::Resources => peer.notify_resource_list_changed().await,
                List::Tools => peer.notify_tool_list_changed().await,
                List::Prompts => peer.notify_prompt_list_changed().await,
            };
            if sent.is_err() {
                self.forget(connection);
            }
        }
        for (id, sink) in listeners {
            let sent = match list {
                List::Resources => sink.notify_resource_list_changed().await,
                List::Tools => sink.notify_tool_list_changed().await,
                List::Prompts => sink.notify_prompt_list_changed().await,
            };
            if let Err(SubscriptionSendError::SubscriptionClosed | SubscriptionSendError::Service(_)) = sent {
                self.remove_listener(id);
            }
        }
        for (parent, _) in self.relays() {
            Box::pin(parent.broadcast(list)).await;
        }
    }
}

#[derive(Clone, Copy)]
enum List {
    Resources,
    Tools,
    Prompts,
}

/// One `subscriptions/listen` stream's place among the listeners, given up when dropped.
pub(crate) struct Listening {
    notifier: Notifier,
    id: u64,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.notifier.remove_listener(self.id);
    }
}
