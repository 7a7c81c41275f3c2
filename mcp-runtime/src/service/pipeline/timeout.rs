//! Time limits: a call that runs past its limit is dropped, which stops it at its next `.await`.

use std::{future::Future, time::Duration};

use crate::failure::Failure;

/// Runs `call` for at most `limit` (without one, for as long as it takes).
pub(crate) async fn within<T>(
    limit: Option<Duration>,
    call: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    match limit {
        Some(limit) => tokio::time::timeout(limit, call).await.unwrap_or(Err(Failure::TimedOut(limit))),
        None => call.await,
    }
}
