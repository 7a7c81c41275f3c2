//! Concurrency: a tool's own `max_concurrency` and the server's, each a set of slots a call
//! holds while it runs; a call that finds none free waits up to `busy_wait`, then is refused.

use tokio::sync::OwnedSemaphorePermit;

use crate::{failure::Failure, limit::Limiter, service::McpService};

/// The slots one call holds; released when dropped.
pub(crate) type Slots = (Option<OwnedSemaphorePermit>, Option<OwnedSemaphorePermit>);

impl McpService {
    /// Slots under the tool's own limit and the server's, held while the call runs.
    pub(crate) async fn enter_limits(&self, tool_limiter: Option<&Limiter>, name: &str) -> Result<Slots, Failure> {
        let wait = self.shared().limits.busy_wait;
        let tool_slot = match tool_limiter {
            Some(limiter) => Some(limiter.enter(wait).await.map_err(|busy| {
                tracing::warn!(tool = name, ?busy, "tool call refused: the tool is busy");
                Failure::Busy(busy.explain(&format!("tool `{name}`")))
            })?),
            None => None,
        };
        let server_slot = match &self.shared().call_limiter {
            Some(limiter) => Some(limiter.enter(wait).await.map_err(|busy| {
                tracing::warn!(tool = name, ?busy, "tool call refused: the server is busy");
                Failure::Busy(busy.explain("the server"))
            })?),
            None => None,
        };
        Ok((tool_slot, server_slot))
    }
}
