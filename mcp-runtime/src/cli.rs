//! The command-line options every server understands, so any example can switch transport
//! without code changes.

use clap::{Args, Parser, ValueEnum};

/// How to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Transport {
    /// JSON-RPC over stdin/stdout, for clients that start the server as a subprocess.
    #[default]
    Stdio,
    /// Streamable HTTP, for remote clients and several clients at once.
    Http,
}

/// The runtime's command-line options; flatten them into your own `clap` parser to add flags.
/// Each flag has an environment variable of the same meaning.
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
/// let cli = Cli::parse_from(["server", "--transport", "http", "--port", "9000"]);
/// assert_eq!(cli.runtime.transport, Transport::Http);
/// assert_eq!((cli.runtime.host.as_str(), cli.runtime.port), ("127.0.0.1", 9000));
/// ```
#[derive(Debug, Clone, Args)]
pub struct RuntimeArgs {
    /// Transport to serve the MCP protocol on.
    #[arg(long, value_enum, env = "MCP_TRANSPORT", default_value_t = Transport::Stdio)]
    pub transport: Transport,
    /// Address to listen on with `--transport http` (loopback unless you say otherwise).
    #[arg(long, env = "MCP_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on with `--transport http`; 0 picks a free one.
    #[arg(long, env = "MCP_PORT", default_value_t = 8000)]
    pub port: u16,
    /// Serve HTTP statelessly (no sessions), e.g. behind a load balancer.
    #[arg(long, env = "MCP_STATELESS")]
    pub stateless: bool,
    /// A `Host` name clients may use besides localhost (repeat, or comma-separate in the
    /// environment); `*` allows any, e.g. behind a proxy that checks it.
    #[arg(long = "allowed-host", env = "MCP_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// A browser origin allowed to call the server, e.g. `https://app.example.com` (repeat, or
    /// comma-separate in the environment); localhost origins are always allowed.
    #[arg(long = "allowed-origin", env = "MCP_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
}

impl Default for RuntimeArgs {
    fn default() -> Self {
        Self {
            transport: Transport::Stdio,
            host: "127.0.0.1".into(),
            port: 8000,
            stateless: false,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
        }
    }
}

impl RuntimeArgs {
    /// Applies the HTTP flags to a configuration: they add to its allow-lists, never remove.
    pub(crate) fn apply_to(&self, config: &mut crate::HttpConfig) {
        config.stateless |= self.stateless;
        config.allowed_hosts.extend(self.allowed_hosts.iter().cloned());
        config.allowed_origins.extend(self.allowed_origins.iter().cloned());
    }
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
