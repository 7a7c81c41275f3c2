//! Time limits: a call that runs past its limit is dropped, which stops it at its next `.await`.

use std::{future::Future, time::Duration};

use futures::{FutureExt, future::Either};

use crate::failure::Failure;

/// Runs `call` for at most `limit` (without one, for as long as it takes). A combinator rather
/// than an `async fn`, for the reason `contain` gives.
pub(crate) fn within<T>(
    limit: Option<Duration>,
    call: impl Future<Output = Result<T, Failure>>,
) -> impl Future<Output = Result<T, Failure>> {
    match limit {
        Some(limit) => {
            Either::Left(tokio::time::timeout(limit, call).map(move |outcome| outcome.unwrap_or(Err(Failure::TimedOut(limit)))))
        }
        None => Either::Right(call),
    }
}
