//! How a server keeps its tasks: where, for how long, and how many per principal.

use std::{sync::Arc, time::Duration};

use super::{MemoryTaskStore, TaskStore};

/// `Server::tasks`: the task store and its limits.
///
/// ```
/// use std::time::Duration;
/// use mcp_runtime::task::{MemoryTaskStore, TaskSettings};
///
/// let settings = TaskSettings::default()
///     .ttl(Duration::from_secs(30 * 60))
///     .poll_interval(Duration::from_millis(250))
///     .max_per_principal(8)
///     .store(MemoryTaskStore::new());
/// ```
#[derive(Clone)]
pub struct TaskSettings {
    pub(crate) ttl: Duration,
    pub(crate) poll_interval: Duration,
    pub(crate) max_per_principal: usize,
    pub(crate) store: Arc<dyn TaskStore>,
}

impl Default for TaskSettings {
    /// Tasks kept an hour, polled every half second, 64 unfinished per principal, in memory.
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(3600),
            poll_interval: Duration::from_millis(500),
            max_per_principal: 64,
            store: Arc::new(MemoryTaskStore::new()),
        }
    }
}

impl TaskSettings {
    /// How long a task lives from its creation (`ttlMs`): one still running then is stopped and
    /// marked failed, and a finished one is forgotten.
    ///
    /// ```
    /// let settings = mcp_runtime::task::TaskSettings::default().ttl(std::time::Duration::from_secs(600));
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How often clients are told to poll (`pollIntervalMs`).
    ///
    /// ```
    /// let settings = mcp_runtime::task::TaskSettings::default().poll_interval(std::time::Duration::from_secs(2));
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// How many unfinished tasks one principal may have; a call over it is refused.
    ///
    /// ```
    /// let settings = mcp_runtime::task::TaskSettings::default().max_per_principal(4);
    /// ```
    pub fn max_per_principal(mut self, tasks: usize) -> Self {
        self.max_per_principal = tasks;
        self
    }

    /// Where tasks are kept (by default in this process's memory).
    ///
    /// ```
    /// let settings = mcp_runtime::task::TaskSettings::default().store(mcp_runtime::task::MemoryTaskStore::new());
    /// ```
    pub fn store(mut self, store: impl TaskStore) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The TTL in whole milliseconds, as the wire wants it.
    pub(crate) fn ttl_ms(&self) -> u64 {
        u64::try_from(self.ttl.as_millis()).unwrap_or(u64::MAX).max(1)
    }

    pub(crate) fn poll_interval_ms(&self) -> u64 {
        u64::try_from(self.poll_interval.as_millis()).unwrap_or(u64::MAX).max(1)
    }
}
