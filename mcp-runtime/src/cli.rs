//! The command-line options every server understands, so any example can switch transport
//! without code changes.

use clap::{Args, Parser, ValueEnum};

/// How to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Transport {
    /// JSON-RPC over stdin/stdout, for clients that start the server as a subprocess.
    #[default]
    Stdio,
}

/// The runtime's command-line options; flatten them into your own `clap` parser to add flags.
///
/// ```
/// use clap::Parser;
/// use mcp_runtime::{RuntimeArgs, Transport};
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     runtime: RuntimeArgs,
/// }
///
/// let cli = Cli::parse_from(["server", "--transport", "stdio"]);
/// assert_eq!(cli.runtime.transport, Transport::Stdio);
/// ```
#[derive(Debug, Clone, Default, Args)]
pub struct RuntimeArgs {
    /// Transport to serve the MCP protocol on.
    #[arg(long, value_enum, env = "MCP_TRANSPORT", default_value_t = Transport::Stdio)]
    pub transport: Transport,
}

#[derive(Parser)]
#[command(about = "An MCP server built with mcp-runtime")]
struct ProcessArgs {
    #[command(flatten)]
    runtime: RuntimeArgs,
}

impl RuntimeArgs {
    /// Parses the process's own arguments; prints help or an error and exits when asked to.
    pub(crate) fn parse_process_args() -> Self {
        ProcessArgs::parse().runtime
    }
}

/// Sends the runtime's own diagnostics to stderr (`RUST_LOG` overrides the `warn` default).
/// stdout is never used: on stdio it carries the protocol.
pub(crate) fn init_stderr_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // Fails only if the program installed its own subscriber, which then wins.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}
