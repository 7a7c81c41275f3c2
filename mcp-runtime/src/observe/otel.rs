//! OpenTelemetry export of the request spans (cargo feature `otel`): when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, every span
//! the log filter lets through is also sent over OTLP/HTTP, batched on a background thread.
//! The standard `OTEL_*` variables (service name, resource attributes, headers) apply.

use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::{Resource, trace::SdkTracerProvider};
use tracing::Subscriber;
use tracing_subscriber::{Layer, registry::LookupSpan};

/// The provider, kept to flush what is still batched when the server stops.
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// The export layer, if an OTLP endpoint is configured and the exporter could be built.
pub(crate) fn layer<S>() -> Option<impl Layer<S>>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
{
    let configured = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()));
    if !configured {
        return None;
    }
    let exporter = match opentelemetry_otlp::SpanExporter::builder().with_http().build() {
        Ok(exporter) => exporter,
        Err(error) => {
            // No subscriber exists yet to report this through.
            eprintln!("mcp-runtime: OpenTelemetry export is off: {error}");
            return None;
        }
    };
    let resource = Resource::builder().build();
    let provider = SdkTracerProvider::builder().with_batch_exporter(exporter).with_resource(resource).build();
    let tracer = provider.tracer("mcp-runtime");
    // A second call (a second `init_logging`) keeps the first provider, whose layer is the
    // one installed.
    let _ = PROVIDER.set(provider);
    Some(tracing_opentelemetry::layer().with_tracer(tracer))
}

/// Sends the spans still waiting in the batch and stops the exporter. [`Server::run`] calls it
/// when serving ends; call it yourself before exiting when you install logging with
/// [`init_logging`](super::init_logging) and serve otherwise. Blocks until the export is done
/// (or times out), so call it from a blocking context (`spawn_blocking`) inside a runtime.
///
/// [`Server::run`]: crate::Server::run
///
/// ```
/// // Without `init_logging` and an OTLP endpoint there is nothing to flush: a no-op.
/// mcp_runtime::observe::shutdown_telemetry();
/// ```
pub fn shutdown_telemetry() {
    if let Some(provider) = PROVIDER.get()
        && let Err(error) = provider.shutdown()
    {
        eprintln!("mcp-runtime: flushing OpenTelemetry spans failed: {error}");
    }
}
