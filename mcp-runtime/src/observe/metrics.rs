//! The server's metrics, kept with the `prometheus-client` crate and exposed in its text format
//! at `GET /metrics` (HTTP) or through [`Metrics::render`].
//!
//! Label values are `&'static str` taken from the registry (a tool's declared name, a resource's
//! URI template), never from what a client sent: an unknown name is counted as `unknown`, so a
//! client cannot grow the label space.

use std::sync::Arc;

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

/// The labels of one request's count.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    name: &'static str,
    status: &'static str,
}

/// The labels of one request's duration.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DurationLabels {
    method: &'static str,
    name: &'static str,
}

/// The kind of handler that panicked.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PanicLabels {
    kind: &'static str,
}

/// A finished task's tool and how it ended.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TaskLabels {
    tool: &'static str,
    status: &'static str,
}

/// A proxied server's prefix.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DownstreamLabels {
    downstream: &'static str,
}

/// The label of one refused credential.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AuthLabels {
    reason: &'static str,
}

type DurationFamily = Family<DurationLabels, Histogram, fn() -> Histogram>;

fn duration_histogram() -> Histogram {
    // 0.25 ms to about 8 s: a trivial tool lands in the first buckets, a slow API call in the last.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

/// How the server has been used since it started: requests by method, name and outcome, their
/// durations, requests in progress, open sessions, refused credentials. Cheap to clone; every
/// clone counts into the same metrics.
///
/// Needs the `metrics` feature.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Add two integers.
/// #[mcp_tool]
/// async fn add(a: i64, b: i64) -> i64 { a + b }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = Server::new("demo", "1.0.0").register(handlers![add]);
/// let metrics = server.metrics();
/// let client = mcp_runtime::testing::TestClient::connect(server).await.unwrap();
/// client.call_tool("add", serde_json::json!({"a": 1, "b": 2})).await.unwrap();
/// assert!(metrics.render().contains(r#"mcp_requests_total{method="tools/call",name="add",status="ok"} 1"#));
/// # }
/// ```
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: DurationFamily,
    in_flight: Gauge,
    sessions: Gauge,
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    auth_failures: Family<AuthLabels, Counter>,
    panics: Family<PanicLabels, Counter>,
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    rate_limited: Counter,
    tasks_running: Gauge,
    tasks_finished: Family<TaskLabels, Counter>,
    downstreams_up: Family<DownstreamLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "mcp_requests",
            "MCP requests answered, by method, tool/prompt/resource name and status",
            requests.clone(),
        );
        let durations = DurationFamily::new_with_constructor(duration_histogram);
        registry.register(
            "mcp_request_duration_seconds",
            "Time to answer an MCP request, by method and name",
            durations.clone(),
        );
        let in_flight = Gauge::default();
        registry.register("mcp_requests_in_flight", "MCP requests being answered", in_flight.clone());
        let sessions = Gauge::default();
        registry.register("mcp_sessions", "Open MCP sessions (stdio connections and HTTP sessions)", sessions.clone());
        let auth_failures = Family::<AuthLabels, Counter>::default();
        registry.register(
            "mcp_auth_failures",
            "HTTP requests refused by authentication, by reason",
            auth_failures.clone(),
        );
        let panics = Family::<PanicLabels, Counter>::default();
        registry.register(
            "mcp_handler_panics",
            "Panics contained in handlers, by kind (tool, prompt, resource, completion)",
            panics.clone(),
        );
        let rate_limited = Counter::default();
        registry.register(
            "mcp_rate_limited",
            "HTTP requests refused with 429 for exceeding their caller's rate limit",
            rate_limited.clone(),
        );
        let tasks_running = Gauge::default();
        registry.register(
            "mcp_tasks_running",
            "Tasks not finished yet (working or waiting for input)",
            tasks_running.clone(),
        );
        let tasks_finished = Family::<TaskLabels, Counter>::default();
        registry.register(
            "mcp_tasks_finished",
            "Tasks finished, by tool and status (completed, failed, cancelled)",
            tasks_finished.clone(),
        );
        let downstreams_up = Family::<DownstreamLabels, Gauge>::default();
        registry.register(
            "mcp_downstream_up",
            "Whether each proxied server is connected (1) or not (0), by prefix",
            downstreams_up.clone(),
        );
        Self(Arc::new(Inner {
            registry,
            downstreams_up,
            tasks_running,
            tasks_finished,
            requests,
            durations,
            in_flight,
            sessions,
            auth_failures,
            panics,
            rate_limited,
        }))
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Every metric in the Prometheus (OpenMetrics) text format.
    ///
    /// ```
    /// let metrics = mcp_runtime::observe::Metrics::default();
    /// assert!(metrics.render().contains("# TYPE mcp_requests_in_flight gauge"));
    /// ```
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail, and every metric here encodes.
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.0.registry) {
            tracing::error!(%error, "could not encode the metrics");
        }
        text
    }

    /// Counts one answered request and its duration.
    pub(crate) fn record(&self, method: &'static str, name: &'static str, status: &'static str, seconds: f64) {
        self.0.requests.get_or_create(&RequestLabels { method, name, status }).inc();
        self.0.durations.get_or_create(&DurationLabels { method, name }).observe(seconds);
    }

    /// The counters and histogram of one method and name, looked up once and kept, so the
    /// hot path records without hashing labels (a tool's are kept with the tool). Every status
    /// is created now, so each series exists, at zero, from the start.
    pub(crate) fn series(&self, method: &'static str, name: &'static str) -> Arc<Series> {
        let requests =
            STATUSES.map(|status| self.0.requests.get_or_create(&RequestLabels { method, name, status }).clone());
        let duration = self.0.durations.get_or_create(&DurationLabels { method, name }).clone();
        Arc::new(Series { requests, duration })
    }

    /// Counts a request as in progress until the guard is dropped.
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        self.0.in_flight.inc();
        InFlight(&self.0.in_flight)
    }

    /// Counts a session as open until the guard is dropped.
    pub(crate) fn session(&self) -> GaugeGuard {
        GaugeGuard::new(self.0.sessions.clone())
    }

    /// Records whether the proxied server under `downstream` is connected.
    pub(crate) fn downstream_up(&self, downstream: &'static str, up: bool) {
        self.0.downstreams_up.get_or_create(&DownstreamLabels { downstream }).set(i64::from(up));
    }

    /// Counts a task as running until the guard is dropped.
    pub(crate) fn task_running(&self) -> GaugeGuard {
        GaugeGuard::new(self.0.tasks_running.clone())
    }

    /// Counts a task of `tool` that ended with `status`.
    pub(crate) fn task_finished(&self, tool: &'static str, status: &'static str) {
        self.0.tasks_finished.get_or_create(&TaskLabels { tool, status }).inc();
    }

    /// Counts a panic contained in a handler of `kind`.
    pub(crate) fn panicked(&self, kind: &'static str) {
        self.0.panics.get_or_create(&PanicLabels { kind }).inc();
    }

    /// Counts an HTTP request refused with 429 (on stdio, the request count's `rate_limited`
    /// status says it).
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn rate_limited(&self) {
        self.0.rate_limited.inc();
    }

    /// Counts a credential refused for `reason` (`missing`, `invalid`, `insufficient_scope`, ...).
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn auth_failure(&self, reason: &'static str) {
        self.0.auth_failures.get_or_create(&AuthLabels { reason }).inc();
    }
}

/// Every status a request ends with; see `observe::request::Outcome::status`.
const STATUSES: [&str; 5] = ["ok", "tool_error", "input_required", "error", "rate_limited"];

/// One method and name's counters by status, and its durations.
pub(crate) struct Series {
    requests: [Counter; STATUSES.len()],
    duration: Histogram,
}

impl Series {
    pub(crate) fn record(&self, status: &'static str, seconds: f64) {
        match STATUSES.iter().position(|known| *known == status) {
            Some(index) => {
                self.requests[index].inc();
            }
            None => debug_assert!(false, "unknown status {status}"),
        }
        self.duration.observe(seconds);
    }
}

/// A request in progress, counted in `mcp_requests_in_flight` until dropped.
pub(crate) struct InFlight<'a>(&'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Holds a gauge one higher while it lives, whichever way the work it measures ends (a
/// cancelled request's future is dropped mid-way).
pub(crate) struct GaugeGuard(Gauge);

impl GaugeGuard {
    fn new(gauge: Gauge) -> Self {
        gauge.inc();
        Self(gauge)
    }
}

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_labels_and_gauges_follow_their_guards() {
        let metrics = Metrics::default();
        metrics.record("tools/call", "add", "ok", 0.001);
        metrics.record("tools/call", "add", "ok", 0.002);
        metrics.record("tools/call", "unknown", "error", 0.0001);
        let session = metrics.session();
        let call = metrics.in_flight();
        metrics.auth_failure("invalid");
        let text = metrics.render();
        assert!(text.contains(r#"mcp_requests_total{method="tools/call",name="add",status="ok"} 2"#), "{text}");
        assert!(text.contains(r#"mcp_requests_total{method="tools/call",name="unknown",status="error"} 1"#), "{text}");
        assert!(text.contains(r#"mcp_request_duration_seconds_count{method="tools/call",name="add"} 2"#), "{text}");
        assert!(text.contains("mcp_sessions 1\n") && text.contains("mcp_requests_in_flight 1\n"), "{text}");
        assert!(text.contains(r#"mcp_auth_failures_total{reason="invalid"} 1"#), "{text}");
        drop((session, call));
        let text = metrics.render();
        assert!(text.contains("mcp_sessions 0\n") && text.contains("mcp_requests_in_flight 0\n"), "{text}");
    }
}
