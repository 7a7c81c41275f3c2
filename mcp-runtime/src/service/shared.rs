//! What every connection of one server shares, built once by `Server::build`.

use std::{sync::Arc, time::Duration};

use rmcp::model::{RequestStateCodec, ServerConfig};

use crate::{
    auth::{AuthConfig, Principal},
    context::CallEnv,
    limit::{Limiter, Limits},
    rate_limit::RateLimiter,
    registry::Registry,
};

/// What every connection of one server shares.
pub(crate) struct Shared {
    pub(crate) registry: Registry,
    /// What calls reach of the server: notifier, metrics, visibility, state.
    pub(crate) env: Arc<CallEnv>,
    pub(crate) info: ServerConfig,
    pub(crate) list_ttl: Duration,
    pub(crate) auth: Arc<AuthConfig>,
    /// `auth.local_principal` with the hierarchy applied, shared by every local call.
    pub(crate) local_principal: Arc<Principal>,
    /// `Server::limits`, as checked at start-up: sizes, pages, timeouts and waits, read per call.
    pub(crate) limits: Limits,
    /// `limits.max_concurrency` as slots shared by every tool call.
    pub(crate) call_limiter: Option<Limiter>,
    /// `limits.rate_limit`, per principal (HTTP also keys by client IP).
    pub(crate) rate_limiter: Option<Arc<RateLimiter>>,
    /// HTTP is served without sessions, so 2025 clients have no stream for notifications.
    pub(crate) stateless_http: bool,
    /// Seals the answers a 2026-07-28 client gave in earlier rounds into `requestState`.
    pub(crate) request_state: RequestStateCodec,
    #[cfg(feature = "http")]
    pub(crate) readiness: crate::observe::readiness::ReadinessChecks,
    /// `Server::middleware`, outermost first.
    pub(crate) middleware: crate::middleware::Chain,
    /// The connections of HTTP sessions, to stop when their session ends.
    pub(crate) sessions: crate::connection::Sessions,
    /// Where tasks are kept, when the server serves them (the tasks extension is advertised).
    pub(crate) tasks: Option<crate::task::TaskSettings>,
    /// Mounted and proxied servers (`Server::mount`, `Server::proxy`).
    pub(crate) mounts: crate::compose::Mounts,
}
