//! Readiness checks the application registers (a database reachable, a model loaded), run by
//! `GET /health`: a failing or hanging check turns the answer into 503, so an orchestrator stops
//! sending traffic until it passes again.

use std::{collections::BTreeMap, future::Future, sync::Arc, time::Duration};

use futures::future::{BoxFuture, join_all};
use serde::Serialize;

/// How long one check may take before it counts as failed: a check that hangs must not hang the
/// probe, whose own timeout is usually a few seconds.
pub(crate) const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

type Check = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// The registered checks, by name.
#[derive(Clone, Default)]
pub(crate) struct ReadinessChecks(Vec<(String, Check)>);

/// How one check went.
#[derive(Debug, Serialize)]
pub(crate) struct CheckReport {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    duration_ms: u64,
}

impl ReadinessChecks {
    pub(crate) fn add<F, Fut, E>(&mut self, name: String, check: F)
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        let check: Check = Arc::new(move || {
            let pending = check();
            Box::pin(async move { pending.await.map_err(|error| error.to_string()) })
        });
        self.0.push((name, check));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs every check at once, each bounded by `timeout`; `true` when all passed.
    pub(crate) async fn run(&self, timeout: Duration) -> (bool, BTreeMap<String, CheckReport>) {
        let runs = self.0.iter().map(|(name, check)| async move {
            let started = tokio::time::Instant::now();
            // A panicking check is a failed check, not a dead health endpoint.
            let outcome = tokio::time::timeout(timeout, tokio::spawn(check())).await;
            let error = match outcome {
                Ok(Ok(Ok(()))) => None,
                Ok(Ok(Err(error))) => Some(error),
                Ok(Err(_panicked)) => Some("the check panicked".to_owned()),
                Err(_elapsed) => Some(format!("no answer within {} ms", timeout.as_millis())),
            };
            if let Some(error) = &error {
                tracing::warn!(check = %name, %error, "readiness check failed");
            }
            let status = if error.is_none() { "ok" } else { "failed" };
            let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            (name.clone(), CheckReport { status, error, duration_ms })
        });
        let reports: BTreeMap<String, CheckReport> = join_all(runs).await.into_iter().collect();
        let ready = reports.values().all(|report| report.error.is_none());
        (ready, reports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failing_hanging_and_panicking_checks_fail_and_passing_ones_pass() {
        let mut checks = ReadinessChecks::default();
        checks.add("db".into(), || async { Ok::<(), String>(()) });
        checks.add("cache".into(), || async { Err("connection refused") });
        checks.add("model".into(), || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok::<(), String>(())
        });
        checks.add("queue".into(), || async {
            if true {
                panic!("boom");
            }
            Ok::<(), String>(())
        });
        let (ready, reports) = checks.run(Duration::from_millis(50)).await;
        assert!(!ready);
        assert_eq!(reports["db"].status, "ok");
        assert_eq!(reports["cache"].error.as_deref(), Some("connection refused"));
        assert_eq!(reports["model"].error.as_deref(), Some("no answer within 50 ms"));
        assert_eq!(reports["queue"].error.as_deref(), Some("the check panicked"));
    }
}
