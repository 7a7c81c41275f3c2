//! The runtime's log output: stderr only (on stdio, stdout carries the protocol), human-readable
//! or JSON lines.

use clap::ValueEnum;

/// How log lines are written to stderr: `--log-format human|json` on the command line, or
/// `MCP_LOG_FORMAT`.
///
/// ```
/// use clap::ValueEnum;
/// use mcp_runtime::LogFormat;
///
/// assert_eq!(LogFormat::from_str("json", true), Ok(LogFormat::Json));
/// assert_eq!(LogFormat::default(), LogFormat::Human);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event, coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line, with the request's span fields, for log collectors.
    Json,
}

/// What is logged unless `RUST_LOG` says otherwise: warnings, one line per request, and audit
/// lines (`info` events with the target `audit`, as `tracing::info!(target: "audit", ...)`
/// writes them), which a deployment must not lose to a default.
///
/// ```
/// // Quieter: warnings only, no line per request.
/// # // SAFETY: a doctest runs alone in its own process.
/// unsafe { std::env::set_var("RUST_LOG", "warn") };
/// assert!(mcp_runtime::DEFAULT_LOG_FILTER.contains("mcp_runtime::request=info"));
/// assert!(mcp_runtime::DEFAULT_LOG_FILTER.contains("audit=info"));
/// ```
pub const DEFAULT_LOG_FILTER: &str = "warn,mcp_runtime::request=info,audit=info";

/// Installs a `tracing` subscriber that writes to stderr in `format`, filtered by `RUST_LOG`
/// (default [`DEFAULT_LOG_FILTER`]). [`Server::run`](crate::Server::run) calls it; call it
/// yourself when you serve with `serve_stdio` or `serve_http`. A subscriber the program
/// installed first wins, and this does nothing.
///
/// `RUST_LOG=mcp_runtime::protocol=trace` adds every JSON-RPC request and response, secrets
/// redacted and long bodies cut. With the cargo feature `otel` and `OTEL_EXPORTER_OTLP_ENDPOINT`
/// set, the request spans are also exported over OTLP/HTTP (see `shutdown_telemetry`).
///
/// ```
/// mcp_runtime::init_logging(mcp_runtime::LogFormat::Json);
/// tracing::warn!("written to stderr as a JSON line");
/// ```
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::{Layer, layer::SubscriberExt, util::SubscriberInitExt};

    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let lines = match format {
        LogFormat::Human => lines.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).boxed(),
        LogFormat::Json => lines.json().with_current_span(true).with_span_list(false).boxed(),
    };
    let subscriber = tracing_subscriber::registry().with(lines).with(filter);
    #[cfg(feature = "otel")]
    let subscriber = subscriber.with(super::otel::layer());
    // `try_init` fails only when a subscriber is already installed, which then wins.
    let _ = subscriber.try_init();
}
