//! Concurrency limits on tool calls, server-wide and per tool: a call beyond the limit waits
//! for a free slot, but only so long and only behind so many others, then is told the server
//! is busy. Nothing queues without bound.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// At most `limit` calls at once; at most `limit` more waiting.
pub(crate) struct Limiter {
    slots: Arc<Semaphore>,
    limit: usize,
    waiting: AtomicUsize,
}

/// Why a call was turned away.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Busy {
    /// As many calls as the limit were already waiting.
    QueueFull { limit: usize },
    /// No slot came free in time.
    Waited { limit: usize, waited: Duration },
}

impl Busy {
    /// The tool error's text, for `what` ("tool `search`" or "the server").
    pub(crate) fn explain(&self, what: &str) -> String {
        match self {
            Busy::QueueFull { limit } => format!(
                "{what} is busy: it runs at most {limit} call(s) at once and as many are already waiting; \
                 try again shortly"
            ),
            Busy::Waited { limit, waited } => format!(
                "{what} is busy: it runs at most {limit} call(s) at once and none finished within {} ms; \
                 try again shortly",
                waited.as_millis()
            ),
        }
    }
}

impl Limiter {
    pub(crate) fn new(limit: usize) -> Self {
        Self { slots: Arc::new(Semaphore::new(limit)), limit, waiting: AtomicUsize::new(0) }
    }

    /// A slot, held until the permit is dropped.
    pub(crate) async fn enter(&self, wait: Duration) -> Result<OwnedSemaphorePermit, Busy> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limit {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Busy::QueueFull { limit: self.limit });
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // The semaphore is never closed, so only the wait can end this way.
            Ok(Err(_)) | Err(_) => Err(Busy::Waited { limit: self.limit, waited: wait }),
        }
    }
}

/// Counts one waiting call for as long as it waits, however the wait ends (a cancelled call's
/// future is dropped mid-wait).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_within_bounds_then_refuses() {
        let limiter = Arc::new(Limiter::new(1));
        let running = limiter.enter(Duration::from_secs(1)).await.unwrap();
        // One may wait; it gets the slot once the running call ends.
        let waiter = tokio::spawn({
            let limiter = limiter.clone();
            async move { limiter.enter(Duration::from_secs(1)).await.map(drop) }
        });
        tokio::task::yield_now().await;
        // A second waiter would exceed the queue.
        assert_eq!(limiter.enter(Duration::from_secs(1)).await.unwrap_err(), Busy::QueueFull { limit: 1 });
        drop(running);
        assert_eq!(waiter.await.unwrap(), Ok(()));
        // Held too long, a waiter gives up after its wait.
        let _held = limiter.enter(Duration::from_secs(1)).await.unwrap();
        let refused = limiter.enter(Duration::from_millis(50)).await.unwrap_err();
        assert_eq!(refused, Busy::Waited { limit: 1, waited: Duration::from_millis(50) });
        assert_eq!(limiter.waiting.load(Ordering::Acquire), 0);
    }
}
