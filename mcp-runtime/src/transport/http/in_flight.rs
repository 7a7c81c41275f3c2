//! Counting requests in progress, so that shutdown can wait for them.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::response::Response;
use tokio::sync::Notify;

/// The number of POSTs (calls) being answered. GET streams are not counted: they last as long
/// as the session and are closed, not awaited, at shutdown.
#[derive(Clone, Default)]
pub(crate) struct InFlight(Arc<Inner>);

#[derive(Default)]
struct Inner {
    count: AtomicUsize,
    idle: Notify,
}

impl InFlight {
    /// Resolves once no call is in progress.
    pub(crate) async fn idle(&self) {
        loop {
            let notified = self.0.idle.notified();
            if self.0.count.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Counts one request until the guard is dropped.
    pub(super) fn enter(&self) -> Guard {
        self.0.count.fetch_add(1, Ordering::AcqRel);
        Guard(self.clone())
    }
}

pub(super) struct Guard(InFlight);

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0.0.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.0.idle.notify_waiters();
        }
    }
}

/// The response, with its request counted until its body is sent: a streamed (SSE) answer is
/// still in progress until its body ends.
pub(super) fn counted_until_sent(response: Response, guard: Guard) -> Response {
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, axum::body::Body::new(GuardedBody { inner: body, _guard: guard }))
}

/// A response body that keeps the request counted until it is fully sent or dropped.
struct GuardedBody {
    inner: axum::body::Body,
    _guard: Guard,
}

impl http_body::Body for GuardedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
