//! What a call may reach of its server, and nothing more: a `Context` holds this rather than the
//! whole service, so handlers (and the modules that define them) do not depend on the service.

use std::sync::Arc;

use crate::{notify::Notifier, observe::metrics::Metrics, state::StateMap, visibility::Visibility};

/// The parts of a server every call of it shares.
pub(crate) struct CallEnv {
    pub(crate) notifier: Notifier,
    pub(crate) metrics: Metrics,
    pub(crate) visibility: Visibility,
    pub(crate) states: Arc<StateMap>,
}
