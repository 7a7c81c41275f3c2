//! The metrics without the `metrics` feature: the same calls, each a no-op the compiler removes,
//! so the request path counts nothing and links no Prometheus client.

use std::sync::Arc;

/// Nothing is counted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Metrics;

impl Metrics {
    #[inline(always)]
    pub(crate) fn record(&self, _: &'static str, _: &'static str, _: &'static str, _: f64) {}

    /// One shared empty series: tools keep a handle as they do with metrics on.
    #[inline]
    pub(crate) fn series(&self, _: &'static str, _: &'static str) -> Arc<Series> {
        static SERIES: std::sync::OnceLock<Arc<Series>> = std::sync::OnceLock::new();
        SERIES.get_or_init(|| Arc::new(Series)).clone()
    }

    #[inline(always)]
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        InFlight(std::marker::PhantomData)
    }

    #[inline(always)]
    pub(crate) fn session(&self) -> GaugeGuard {
        GaugeGuard
    }

    #[inline(always)]
    pub(crate) fn task_running(&self) -> GaugeGuard {
        GaugeGuard
    }

    #[inline(always)]
    pub(crate) fn task_finished(&self, _: &'static str, _: &'static str) {}

    #[inline(always)]
    pub(crate) fn downstream_up(&self, _: &'static str, _: bool) {}

    #[inline(always)]
    pub(crate) fn panicked(&self, _: &'static str) {}

    #[inline(always)]
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn rate_limited(&self) {}

    #[inline(always)]
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) fn auth_failure(&self, _: &'static str) {}
}

pub(crate) struct Series;

impl Series {
    #[inline(always)]
    pub(crate) fn record(&self, _: &'static str, _: f64) {}
}

/// Borrows the metrics as the counting guard does, so both have one type to name.
pub(crate) struct InFlight<'a>(std::marker::PhantomData<&'a Metrics>);

pub(crate) struct GaugeGuard;
