//! Handlers written as plain (non-async) functions run on tokio's blocking pool, as FastMCP runs
//! sync tools in a thread pool: such a body may block (a synchronous driver, `std::fs`, a long
//! computation), and on an async worker it would stall every other request on that worker.

/// Runs a synchronous handler's body on the blocking pool and waits for it.
///
/// A panic in the body unwinds again here, inside the call's future, so the runtime's
/// `catch_unwind` turns it into an error result as it does for async handlers. Dropping the
/// future (cancellation, timeout) does not stop the body: a thread cannot be interrupted, so it
/// runs to the end, detached, and its output is discarded.
pub async fn run_blocking<F, T>(body: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(body).await {
        Ok(output) => output,
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Only a runtime shutting down cancels a blocking task before it starts; the panic
            // becomes that call's internal error.
            Err(_) => panic!("the runtime shut down before the handler could run"),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::panic::AssertUnwindSafe;

    use futures::FutureExt;

    use super::run_blocking;

    #[tokio::test(flavor = "current_thread")]
    async fn returns_the_output_and_re_raises_a_panic_with_its_message() {
        assert_eq!(run_blocking(|| 6 * 7).await, 42);
        let panic = AssertUnwindSafe(run_blocking(|| -> u8 { panic!("the body's own bug") }))
            .catch_unwind()
            .await
            .expect_err("the panic reaches the caller's catch_unwind");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"the body's own bug"));
    }
}
