//! What every connection of one server shares, built once by `Server::build`.

use std::{sync::Arc, time::Duration};

use rmcp::model::{RequestStateCodec, ServerConfig};

use crate::{
    auth::{AuthSettings, Principal},
    context::CallEnv,
    limit::Limiter,
    observe::readiness::ReadinessChecks,
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
    pub(crate) auth: Arc<AuthSettings>,
    /// `auth.local_principal` with the hierarchy applied, shared by every local call.
    pub(crate) local_principal: Arc<Principal>,
    pub(crate) max_resource_bytes: usize,
    /// The largest tool result sent, as JSON.
    pub(crate) max_result_bytes: usize,
    /// Items per list page; `None` sends every item at once.
    pub(crate) page_size: Option<usize>,
    /// HTTP is served without sessions, so 2025 clients have no stream for notifications.
    pub(crate) stateless_http: bool,
    /// Seals the answers a 2026-07-28 client gave in earlier rounds into `requestState`.
    pub(crate) request_state: RequestStateCodec,
    pub(crate) readiness: ReadinessChecks,
    /// The longest a tool without a timeout of its own may run.
    pub(crate) tool_timeout: Option<Duration>,
    /// `Server::max_concurrency`: slots shared by every tool call.
    pub(crate) call_limiter: Option<Limiter>,
    /// How long a call beyond a limit waits for a slot.
    pub(crate) busy_wait: Duration,
    /// `Server::rate_limit`, per principal (HTTP also keys by client IP).
    pub(crate) rate_limiter: Option<Arc<RateLimiter>>,
    /// `Server::middleware`, outermost first.
    pub(crate) middleware: crate::middleware::Chain,
}
