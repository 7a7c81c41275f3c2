//! The command-line options every server understands ([`RuntimeArgs`]: the [`Transport`], where
//! to listen, the log format, and [`AuthArgs`] for bearer tokens), so any server can switch
//! transport without code changes. [`Server::run`](crate::Server::run) parses them itself;
//! flatten them into your own `clap` parser to add flags, and serve with
//! [`Server::run_with`](crate::Server::run_with).
//!
//! ```
//! use clap::Parser;
//! use mcp_runtime::cli::{RuntimeArgs, Transport};
//!
//! #[derive(Parser)]
//! struct Cli {
//!     /// The directory to serve.
//!     #[arg(long)]
//!     root: std::path::PathBuf,
//!     #[command(flatten)]
//!     runtime: RuntimeArgs,
//! }
//!
//! let cli = Cli::parse_from(["files", "--root", "/srv", "--transport", "http"]);
//! assert_eq!(cli.runtime.transport, Transport::Http);
//! // mcp_runtime::Server::new("files", "1.0.0").run_with(cli.runtime).await
//! ```

use crate::observe::LogFormat;

/// How to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Transport {
    /// JSON-RPC over stdin/stdout, for clients that start the server as a subprocess.
    #[default]
    Stdio,
    /// Streamable HTTP, for remote clients and several clients at once.
    Http,
    /// The 2024-11-05 HTTP+SSE transport (`GET /sse`, `POST /messages`), for clients that
    /// predate Streamable HTTP.
    Sse,
}

/// The runtime's command-line options; flatten them into your own `clap` parser to add flags.
/// Each flag has an environment variable of the same meaning.
///
/// ```
/// use clap::Parser;
/// use mcp_runtime::cli::{RuntimeArgs, Transport};
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
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct RuntimeArgs {
    /// Transport to serve the MCP protocol on.
    #[cfg_attr(feature = "cli", arg(long, value_enum, env = "MCP_TRANSPORT", default_value_t = Transport::Stdio))]
    pub transport: Transport,
    /// Address to listen on with `--transport http` or `sse` (loopback unless you say otherwise).
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_HOST", default_value = "127.0.0.1"))]
    pub host: String,
    /// Port to listen on with `--transport http` or `sse`; 0 picks a free one.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_PORT", default_value_t = 8000))]
    pub port: u16,
    /// Serve HTTP statelessly (no sessions), e.g. behind a load balancer.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_STATELESS"))]
    pub stateless: bool,
    /// With `--transport http`, also serve the 2024-11-05 HTTP+SSE endpoints (`GET /sse`,
    /// `POST /messages`) for older clients.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_LEGACY_SSE"))]
    pub legacy_sse: bool,
    /// A `Host` name clients may use besides localhost (repeat, or comma-separate in the
    /// environment); `*` allows any, e.g. behind a proxy that checks it.
    #[cfg_attr(feature = "cli", arg(long = "allowed-host", env = "MCP_ALLOWED_HOSTS", value_delimiter = ','))]
    pub allowed_hosts: Vec<String>,
    /// A browser origin allowed to call the server, e.g. `https://app.example.com` (repeat, or
    /// comma-separate in the environment); localhost origins are always allowed.
    #[cfg_attr(feature = "cli", arg(long = "allowed-origin", env = "MCP_ALLOWED_ORIGINS", value_delimiter = ','))]
    pub allowed_origins: Vec<String>,
    /// How log lines are written to stderr (`RUST_LOG` chooses which).
    #[cfg_attr(feature = "cli", arg(long, value_enum, env = "MCP_LOG_FORMAT", default_value_t = LogFormat::Human))]
    pub log_format: LogFormat,
    /// Bearer-token verification for the HTTP transport.
    #[cfg_attr(feature = "cli", command(flatten))]
    pub auth: AuthArgs,
}

/// Bearer-token verification for the HTTP transport, configured without code.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args), command(next_help_heading = "Authentication (HTTP)"))]
pub struct AuthArgs {
    /// Serve without an authenticator on an address other machines can reach (`--host 0.0.0.0`),
    /// because something in front authenticates callers; refused otherwise.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_ALLOW_UNAUTHENTICATED"))]
    pub allow_unauthenticated: bool,
    /// Verify HS256 JWTs with this shared secret (at least 32 bytes).
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_JWT_SECRET", hide_env_values = true, conflicts_with_all = ["auth_public_key", "auth_jwks"]))]
    pub auth_jwt_secret: Option<String>,
    /// Verify RS256/ES256 JWTs with the public key in this PEM file.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_PUBLIC_KEY", conflicts_with = "auth_jwks"))]
    pub auth_public_key: Option<std::path::PathBuf>,
    /// Verify RS256/ES256 JWTs with the keys of this JWKS document: a file, or an http(s) URL
    /// (cached, refreshed every 10 minutes and on unknown key ids).
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_JWKS"))]
    pub auth_jwks: Option<String>,
    /// Require JWTs issued by this issuer (`iss`).
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_ISSUER"))]
    pub auth_issuer: Option<String>,
    /// Require JWTs whose audience (`aud`) includes this value, normally the endpoint's URL.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_AUDIENCE"))]
    pub auth_audience: Option<String>,
    /// Accept the API keys listed in this JSON file (see `ApiKeys`), or in this JSON document
    /// itself when it starts with `{` (handy in the environment of a container).
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_AUTH_API_KEYS", hide_env_values = true))]
    pub auth_api_keys: Option<String>,
    /// An OAuth authorization server to advertise in the protected-resource metadata (repeat,
    /// or comma-separate in the environment).
    #[cfg_attr(feature = "cli", arg(long = "auth-server", env = "MCP_AUTH_SERVERS", value_delimiter = ','))]
    pub auth_servers: Vec<String>,
    /// The endpoint's public URL, e.g. `https://mcp.example.com/mcp`, for metadata and challenges.
    #[cfg_attr(feature = "cli", arg(long, env = "MCP_RESOURCE_URL"))]
    pub resource_url: Option<String>,
}

mod apply;
#[cfg(feature = "cli")]
mod parse;
#[cfg(not(feature = "cli"))]
#[path = "cli/no_parser.rs"]
mod parse;

/// The feature of this crate a flag needs, as an error a user can act on.
#[cfg_attr(all(feature = "cli", feature = "http", feature = "auth", feature = "jwt"), allow(dead_code))]
pub(crate) fn needs_feature(flag: &str, feature: &str) -> String {
    format!(
        "{flag} needs the `{feature}` feature of mcp-runtime, which this program was built without \
         (add `features = [\"{feature}\"]` to its mcp-runtime dependency)"
    )
}

impl Default for RuntimeArgs {
    fn default() -> Self {
        Self {
            transport: Transport::Stdio,
            host: "127.0.0.1".into(),
            port: 8000,
            stateless: false,
            legacy_sse: false,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            log_format: LogFormat::Human,
            auth: AuthArgs::default(),
        }
    }
}

#[cfg(feature = "http")]
impl RuntimeArgs {
    /// Applies the HTTP flags to a configuration: they add to its allow-lists, never remove.
    pub(crate) fn apply_to(&self, config: &mut crate::transport::http::HttpConfig) {
        config.stateless |= self.stateless;
        if self.transport == Transport::Sse {
            config.legacy_sse = crate::http::LegacySse::Only;
        } else if self.legacy_sse && config.legacy_sse == crate::http::LegacySse::Off {
            config.legacy_sse = crate::http::LegacySse::Alongside;
        }
        config.allow_unauthenticated |= self.auth.allow_unauthenticated;
        config.allowed_hosts.extend(self.allowed_hosts.iter().cloned());
        config.allowed_origins.extend(self.allowed_origins.iter().cloned());
    }
}

/// Who the server is, for its `--help` and `--version`.
pub(crate) struct Identity<'a> {
    pub(crate) name: &'a str,
    pub(crate) version: &'a str,
    pub(crate) title: Option<&'a str>,
    pub(crate) instructions: Option<&'a str>,
}

#[cfg(all(test, feature = "cli", feature = "auth", feature = "jwt"))]
mod tests;
