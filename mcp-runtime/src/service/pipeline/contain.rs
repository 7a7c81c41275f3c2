//! A handler that panics fails its own call, not the server: the panic is caught, logged with
//! its message and counted, and the caller told only that an internal error happened.

use std::{any::Any, future::Future, panic::AssertUnwindSafe};

use futures::FutureExt;

use crate::{
    failure::{Failure, Item, Kind},
    observe::metrics::Metrics,
};

/// Runs `call`, turning a panic into [`Failure::Panicked`]. A combinator rather than an
/// `async fn`: every call goes through it, and a state machine of its own would be moved and
/// polled on each.
pub(crate) fn contained<'a, T>(
    call: impl Future<Output = Result<T, Failure>> + 'a,
    item: Item<'a>,
    metrics: &'a Metrics,
) -> impl Future<Output = Result<T, Failure>> + 'a {
    AssertUnwindSafe(call).catch_unwind().map(move |outcome| match outcome {
        Ok(outcome) => outcome,
        Err(panic) => {
            logged(item, &*panic, metrics);
            Err(Failure::Panicked)
        }
    })
}

/// Counts and logs a panic caught while answering about `item`.
pub(crate) fn logged(item: Item<'_>, panic: &(dyn Any + Send), metrics: &Metrics) {
    let kind = item.kind.as_str();
    metrics.panicked(kind);
    let panic = panic_message(panic);
    match item.kind {
        Kind::Tool => tracing::error!(tool = item.name, panic, "tool panicked"),
        Kind::Prompt => tracing::error!(prompt = item.name, panic, "prompt panicked"),
        Kind::Resource | Kind::ResourceTemplate => tracing::error!(uri = item.name, panic, "resource panicked"),
        Kind::Completion => tracing::error!(name = item.name, panic, "completion panicked"),
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}
