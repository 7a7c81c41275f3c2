//! The runtime's log output: stderr only (on stdio, stdout carries the protocol), human-readable
//! or JSON lines.

use std::sync::atomic::{AtomicBool, Ordering};

use super::rmcp_noise::RmcpNoise;

/// How log lines are written to stderr: `--log-format human|json` on the command line, or
/// `MCP_LOG_FORMAT`.
///
/// ```
/// use mcp_runtime::observe::LogFormat;
///
/// assert_eq!("json".parse(), Ok(LogFormat::Json));
/// assert_eq!(LogFormat::default(), LogFormat::Human);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum LogFormat {
    /// One readable line per event, coloured on a terminal.
    #[default]
    Human,
    /// One JSON object per line, with the request's span fields, for log collectors.
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    /// `human` or `json`, in any case, as `--log-format` takes them.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "human" => Ok(Self::Human),
            "json" => Ok(Self::Json),
            _ => Err(format!("unknown log format `{text}`: expected `human` or `json`")),
        }
    }
}

/// What is logged unless `RUST_LOG` says otherwise: warnings, one line per request, and audit
/// lines (`info` events with the target `audit`, as `tracing::info!(target: "audit", ...)`
/// writes them), which a deployment must not lose to a default. Whatever the filter, rmcp's
/// own lines for an error answer (the request's line says it) and for a client that hung up
/// are left out, unless `RUST_LOG` names `rmcp`.
///
/// ```
/// // Quieter: warnings only, no line per request.
/// # // SAFETY: a doctest runs alone in its own process.
/// unsafe { std::env::set_var("RUST_LOG", "warn") };
/// assert!(mcp_runtime::observe::DEFAULT_LOG_FILTER.contains("mcp_runtime::request=info"));
/// assert!(mcp_runtime::observe::DEFAULT_LOG_FILTER.contains("audit=info"));
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
/// mcp_runtime::observe::init_logging(mcp_runtime::observe::LogFormat::Json);
/// tracing::warn!("written to stderr as a JSON line");
/// ```
pub fn init_logging(format: LogFormat) {
    use tracing_subscriber::{Layer, layer::SubscriberExt, util::SubscriberInitExt};

    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(rust_log.as_deref());
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let lines = match format {
        LogFormat::Human => lines.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).boxed(),
        LogFormat::Json => lines.json().with_current_span(true).with_span_list(false).boxed(),
    };
    let lines = lines.with_filter(RmcpNoise::unless_asked(rust_log.as_deref()));
    let subscriber = tracing_subscriber::registry().with(lines).with(filter);
    #[cfg(feature = "otel")]
    let subscriber = subscriber.with(super::otel::layer());
    // `try_init` fails only when a subscriber is already installed, which then wins.
    if subscriber.try_init().is_ok() && format == LogFormat::Json {
        JSON_LINES.store(true, Ordering::Relaxed);
    }
}

/// `RUST_LOG` (or the default) as tracing's `EnvFilter` reads it, span and field filters
/// included. The start-up line says where the server is; it is written whatever the filter, as
/// the human-readable one is.
#[cfg(feature = "env-filter")]
fn filter(rust_log: Option<&str>) -> tracing_subscriber::EnvFilter {
    let filter = rust_log.and_then(|directives| tracing_subscriber::EnvFilter::try_new(directives).ok());
    filter
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER))
        .add_directive(BANNER_DIRECTIVE.parse().expect("a valid directive"))
}

/// `RUST_LOG` (or the default) as targets and levels, tracing's `Targets` syntax; a directive
/// it does not read (a span or field filter) is said once on stderr, and the default applies.
#[cfg(not(feature = "env-filter"))]
fn filter(rust_log: Option<&str>) -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::Targets;
    let filter = match rust_log.map(str::parse::<Targets>) {
        Some(Ok(filter)) => filter,
        Some(Err(error)) => {
            eprintln!(
                "RUST_LOG: {error}; without the `env-filter` feature of mcp-runtime it takes targets and levels \
                 (`warn,my_server=debug`); using `{DEFAULT_LOG_FILTER}`"
            );
            DEFAULT_LOG_FILTER.parse().expect("a valid filter")
        }
        None => DEFAULT_LOG_FILTER.parse().expect("a valid filter"),
    };
    filter.with_target(BANNER_TARGET, tracing::Level::INFO)
}

/// The target of the start-up line, and the directive that always lets it through.
const BANNER_TARGET: &str = "mcp_runtime::banner";
#[cfg(feature = "env-filter")]
const BANNER_DIRECTIVE: &str = "mcp_runtime::banner=info";

/// Whether the runtime's own subscriber writes JSON lines, so that every line must be JSON.
static JSON_LINES: AtomicBool = AtomicBool::new(false);

/// Writes a start-up message for the person running the server (where it listens, what it
/// serves, which database it opened): a plain line on stderr, or, when [`init_logging`] set up
/// `--log-format json`, a JSON log event like every other line, since log shippers drop lines
/// that are not JSON. It is written whatever `RUST_LOG` says. Call [`init_logging`] first.
///
/// ```
/// mcp_runtime::observe::init_logging(mcp_runtime::observe::LogFormat::Human);
/// mcp_runtime::observe::announce("inventory: using the demo data in /tmp/inventory.db");
/// ```
pub fn announce(message: &str) {
    if JSON_LINES.load(Ordering::Relaxed) {
        tracing::info!(target: BANNER_TARGET, "{message}");
    } else {
        eprintln!("{message}");
    }
}

#[cfg(all(test, not(feature = "env-filter")))]
mod tests {
    use tracing::Level;

    #[test]
    fn without_env_filter_rust_log_takes_targets_and_levels_and_the_banner_always_passes() {
        let filter = super::filter(Some("error,my_server=debug"));
        assert!(filter.would_enable("my_server::db", &Level::DEBUG));
        assert!(!filter.would_enable("rmcp", &Level::WARN));
        assert!(filter.would_enable(super::BANNER_TARGET, &Level::INFO));
        // A span filter is EnvFilter's syntax: the default applies instead.
        let fallback = super::filter(Some("[mcp_request{method=ping}]=debug"));
        assert!(fallback.would_enable("mcp_runtime::request", &Level::INFO));
        assert!(!fallback.would_enable("rmcp", &Level::INFO));
    }
}
