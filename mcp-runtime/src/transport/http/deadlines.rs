//! The request time limit, kept by one ticker for every request rather than a timer each.
//!
//! A `tokio::time::timeout` per request registers a timer, and the only timer of an otherwise
//! empty timer wheel wakes the thread parked on it. Measured (`strace -c -f`, 2,000 sequential
//! stateless calls): with it, a request cost one more `write`, half a `futex` and an
//! `epoll_wait` more than rmcp by hand, which took more CPU time than everything else our HTTP
//! layer does. Here a request enters its deadline in a shared table (a lock and an insert) and
//! one ticker, waking every `limit / 8` (10 ms to 1 s), ends those past it: a request times out
//! between `limit` and `limit + tick`.

use std::{
    collections::HashMap,
    future::Future,
    sync::{
        Arc, Mutex, MutexGuard, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use tokio::sync::oneshot;

/// The deadlines of the requests in progress on one router.
pub(super) struct Deadlines {
    shared: Arc<Shared>,
    /// Whether a ticker runs. Started by a request, on its runtime: a router may be built
    /// outside one, and outlive the runtime its ticker ran on (a test's, say), when the next
    /// request starts another.
    ticking: Arc<AtomicBool>,
}

struct Shared {
    limit: Duration,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next_id: u64,
    /// By request: when its time is up, and how to tell it.
    waiting: HashMap<u64, (Instant, oneshot::Sender<()>)>,
}

impl Deadlines {
    pub(super) fn new(limit: Duration) -> Self {
        Self { shared: Arc::new(Shared { limit, table: Mutex::default() }), ticking: Arc::default() }
    }

    /// The answer to a request whose response has not started within the limit (504). A
    /// streamed response, once started, is bounded by the tool's own limits instead.
    pub(super) fn timed_out(&self) -> Response {
        let message = format!("the request did not complete within {} s", self.shared.limit.as_secs_f64());
        (StatusCode::GATEWAY_TIMEOUT, message).into_response()
    }

    /// `answer`'s output, or `None` when it was not ready within the limit (then dropped).
    pub(super) async fn within<F: Future>(&self, answer: F) -> Option<F::Output> {
        if !self.ticking.load(Ordering::Acquire) && !self.ticking.swap(true, Ordering::AcqRel) {
            let ticking = Ticking(self.ticking.clone());
            tokio::spawn(tick(Arc::downgrade(&self.shared), tick_period(self.shared.limit), ticking));
        }
        let (expire, expired) = oneshot::channel();
        let id = {
            let mut table = self.shared.table();
            let id = table.next_id;
            table.next_id += 1;
            table.waiting.insert(id, (Instant::now() + self.shared.limit, expire));
            id
        };
        // Removed however the request ends: answered, timed out, or dropped by its client.
        let _entry = Entry { shared: &self.shared, id };
        tokio::select! {
            biased;
            output = answer => Some(output),
            _ = expired => None,
        }
    }
}

impl Shared {
    fn table(&self) -> MutexGuard<'_, Table> {
        // The table holds no invariant a panicking holder could break halfway.
        self.table.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

struct Entry<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        self.shared.table().waiting.remove(&self.id);
    }
}

fn tick_period(limit: Duration) -> Duration {
    (limit / 8).clamp(Duration::from_millis(10), Duration::from_secs(1))
}

/// Says no ticker runs once the one holding it ends (the router dropped, or its runtime shut down).
struct Ticking(Arc<AtomicBool>);

impl Drop for Ticking {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Ends the requests past their deadline every `period`, until the router is dropped.
async fn tick(shared: Weak<Shared>, period: Duration, _ticking: Ticking) {
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let Some(shared) = shared.upgrade() else { return };
        let now = Instant::now();
        let mut table = shared.table();
        for (_, (_, expire)) in table.waiting.extract_if(|_, (deadline, _)| *deadline <= now) {
            // Gone already if the request ended meanwhile; nothing to tell then.
            let _ = expire.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_past_its_limit_ends_after_it_and_leaves_the_table() {
        let deadlines = Deadlines::new(Duration::from_millis(80));
        let started = Instant::now();
        let slow = deadlines.within(tokio::time::sleep(Duration::from_secs(10))).await;
        let waited = started.elapsed();
        assert_eq!(slow, None);
        // Never early; late by a tick (10 ms) plus however long the machine takes to run it.
        assert!(waited >= Duration::from_millis(80) && waited < Duration::from_secs(5), "{waited:?}");
        assert!(deadlines.shared.table().waiting.is_empty());
        // One in time is answered, and leaves nothing behind either.
        assert_eq!(deadlines.within(async { 7 }).await, Some(7));
        assert!(deadlines.shared.table().waiting.is_empty());
    }

    #[test]
    fn a_ticker_gone_with_its_runtime_is_started_again_by_the_next_request() {
        let deadlines = Deadlines::new(Duration::from_millis(80));
        let runtime = || tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        assert_eq!(runtime().block_on(async { deadlines.within(async { 1 }).await }), Some(1));
        // That runtime, and the ticker it ran, are gone: a slow request still ends.
        let slow = runtime().block_on(async { deadlines.within(tokio::time::sleep(Duration::from_secs(10))).await });
        assert_eq!(slow, None);
    }

    #[test]
    fn the_tick_is_an_eighth_of_the_limit_within_10_ms_and_1_s() {
        assert_eq!(tick_period(Duration::from_secs(120)), Duration::from_secs(1));
        assert_eq!(tick_period(Duration::from_millis(20)), Duration::from_millis(10));
        assert_eq!(tick_period(Duration::from_secs(4)), Duration::from_millis(500));
    }
}
