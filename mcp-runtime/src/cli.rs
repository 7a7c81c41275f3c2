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

use clap::{Args, FromArgMatches, Parser, ValueEnum};

use crate::observe::LogFormat;

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
    /// How log lines are written to stderr (`RUST_LOG` chooses which).
    #[arg(long, value_enum, env = "MCP_LOG_FORMAT", default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Bearer-token verification for the HTTP transport.
    #[command(flatten)]
    pub auth: AuthArgs,
}

/// Bearer-token verification for the HTTP transport, configured without code.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Authentication (HTTP)")]
pub struct AuthArgs {
    /// Serve without an authenticator on an address other machines can reach (`--host 0.0.0.0`),
    /// because something in front authenticates callers; refused otherwise.
    #[arg(long, env = "MCP_ALLOW_UNAUTHENTICATED")]
    pub allow_unauthenticated: bool,
    /// Verify HS256 JWTs with this shared secret (at least 32 bytes).
    #[arg(long, env = "MCP_AUTH_JWT_SECRET", hide_env_values = true, conflicts_with_all = ["auth_public_key", "auth_jwks"])]
    pub auth_jwt_secret: Option<String>,
    /// Verify RS256/ES256 JWTs with the public key in this PEM file.
    #[arg(long, env = "MCP_AUTH_PUBLIC_KEY", conflicts_with = "auth_jwks")]
    pub auth_public_key: Option<std::path::PathBuf>,
    /// Verify RS256/ES256 JWTs with the keys of this JWKS document: a file, or an http(s) URL
    /// (cached, refreshed every 10 minutes and on unknown key ids).
    #[arg(long, env = "MCP_AUTH_JWKS")]
    pub auth_jwks: Option<String>,
    /// Require JWTs issued by this issuer (`iss`).
    #[arg(long, env = "MCP_AUTH_ISSUER")]
    pub auth_issuer: Option<String>,
    /// Require JWTs whose audience (`aud`) includes this value, normally the endpoint's URL.
    #[arg(long, env = "MCP_AUTH_AUDIENCE")]
    pub auth_audience: Option<String>,
    /// Accept the API keys listed in this JSON file (see `ApiKeys`), or in this JSON document
    /// itself when it starts with `{` (handy in the environment of a container).
    #[arg(long, env = "MCP_AUTH_API_KEYS", hide_env_values = true)]
    pub auth_api_keys: Option<String>,
    /// An OAuth authorization server to advertise in the protected-resource metadata (repeat,
    /// or comma-separate in the environment).
    #[arg(long = "auth-server", env = "MCP_AUTH_SERVERS", value_delimiter = ',')]
    pub auth_servers: Vec<String>,
    /// The endpoint's public URL, e.g. `https://mcp.example.com/mcp`, for metadata and challenges.
    #[arg(long, env = "MCP_RESOURCE_URL")]
    pub resource_url: Option<String>,
}

impl AuthArgs {
    /// Adds the authenticators the flags describe to `server`, with their keys loaded, or says
    /// why they cannot be.
    pub(crate) async fn apply(&self, mut server: crate::Server) -> Result<crate::Server, String> {
        use crate::auth::{ApiKeys, JwtAuthenticator, JwtKeys};
        let keys = if let Some(secret) = &self.auth_jwt_secret {
            Some(JwtKeys::Secret(secret.as_bytes().to_vec()))
        } else if let Some(path) = &self.auth_public_key {
            let pem = std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            Some(JwtKeys::PublicKeyPem(pem))
        } else {
            self.auth_jwks.as_ref().map(|jwks| {
                if jwks.starts_with("http://") || jwks.starts_with("https://") {
                    JwtKeys::JwksUrl(jwks.clone())
                } else {
                    JwtKeys::JwksFile(jwks.into())
                }
            })
        };
        if let Some(keys) = keys {
            let mut jwt = JwtAuthenticator::new(keys);
            if let Some(issuer) = &self.auth_issuer {
                jwt = jwt.issuer(issuer);
            }
            match &self.auth_audience {
                Some(audience) => jwt = jwt.audience(audience),
                None => tracing::warn!("JWTs are accepted for any audience; set --auth-audience to this server's URL"),
            }
            server = server.authenticator(jwt.load().await?);
        } else if self.auth_issuer.is_some() || self.auth_audience.is_some() {
            return Err(
                "--auth-issuer and --auth-audience need a key: --auth-jwt-secret, --auth-public-key or --auth-jwks"
                    .into(),
            );
        }
        if let Some(source) = &self.auth_api_keys {
            let keys = if source.trim_start().starts_with('{') {
                ApiKeys::from_json(source)?
            } else {
                ApiKeys::from_file(source)?
            };
            server = server.authenticator(keys);
        }
        for url in &self.auth_servers {
            server = server.authorization_server(url);
        }
        if let Some(url) = &self.resource_url {
            server = server.resource_url(url);
        }
        Ok(server)
    }
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
            log_format: LogFormat::Human,
            auth: AuthArgs::default(),
        }
    }
}

impl RuntimeArgs {
    /// Applies the HTTP flags to a configuration: they add to its allow-lists, never remove.
    pub(crate) fn apply_to(&self, config: &mut crate::transport::http::HttpConfig) {
        config.stateless |= self.stateless;
        config.allow_unauthenticated |= self.auth.allow_unauthenticated;
        config.allowed_hosts.extend(self.allowed_hosts.iter().cloned());
        config.allowed_origins.extend(self.allowed_origins.iter().cloned());
    }
}

#[derive(Parser)]
struct ProcessArgs {
    #[command(flatten)]
    runtime: RuntimeArgs,
}

/// Who the server is, for its `--help` and `--version`.
pub(crate) struct Identity<'a> {
    pub(crate) name: &'a str,
    pub(crate) version: &'a str,
    pub(crate) title: Option<&'a str>,
    pub(crate) instructions: Option<&'a str>,
}

impl RuntimeArgs {
    /// Parses the process's own arguments; prints help (naming the server), its version or an
    /// error, and exits, when asked to.
    pub(crate) fn parse_process_args(server: &Identity<'_>) -> Self {
        let command = Self::command_for(server);
        let parsed = command.try_get_matches().and_then(|matches| ProcessArgs::from_arg_matches(&matches));
        match parsed {
            Ok(arguments) => arguments.runtime,
            Err(error) => error.exit(),
        }
    }

    /// The command line of `server`: its name and version, its title as the summary (`-h`),
    /// and its instructions to the model as the description (`--help`).
    fn command_for(server: &Identity<'_>) -> clap::Command {
        use clap::CommandFactory;

        let Identity { name, version, title, instructions } = *server;
        let what = match title {
            Some(title) => format!("{title}: an MCP server"),
            None => "an MCP server".to_owned(),
        };
        let about = format!(
            "{name} {version}: {what}. It speaks MCP on stdin/stdout for a client that starts it, \
             or over HTTP with --transport http"
        );
        let long_about = match instructions {
            Some(instructions) => format!("{about}\n\n{instructions}"),
            None => about.clone(),
        };
        ProcessArgs::command().name(name.to_owned()).version(version.to_owned()).about(about).long_about(long_about)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> crate::Server {
        crate::Server::new("t", "1")
    }

    #[tokio::test]
    async fn api_keys_come_inline_or_from_a_file() {
        let inline = AuthArgs {
            auth_api_keys: Some(r#"{"keys": [{"name": "a", "key": "k", "scopes": []}]}"#.into()),
            ..AuthArgs::default()
        };
        let service = inline.apply(server()).await.unwrap().build().unwrap();
        assert!(service.auth().authenticator.is_some());

        let missing = AuthArgs { auth_api_keys: Some("/nonexistent/keys.json".into()), ..AuthArgs::default() };
        let error = missing.apply(server()).await.err().unwrap();
        assert!(error.starts_with("cannot read /nonexistent/keys.json"), "{error}");
    }

    #[tokio::test]
    async fn jwt_options_without_a_key_are_refused() {
        let args = AuthArgs { auth_audience: Some("https://x/mcp".into()), ..AuthArgs::default() };
        let error = args.apply(server()).await.err().unwrap();
        assert!(error.contains("need a key"), "{error}");
        let short = AuthArgs { auth_jwt_secret: Some("short".into()), ..AuthArgs::default() };
        assert_eq!(short.apply(server()).await.err().unwrap(), "the HS256 secret must be at least 32 bytes long");
    }

    #[test]
    fn key_sources_are_mutually_exclusive() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            runtime: RuntimeArgs,
        }
        let both = <Cli as clap::Parser>::try_parse_from(["s", "--auth-jwt-secret", "x", "--auth-jwks", "keys.json"]);
        assert!(both.is_err());
    }

    #[test]
    fn help_names_the_server_and_gives_its_instructions() {
        let identity = Identity {
            name: "notes",
            version: "2.1.0",
            title: Some("Team notes"),
            instructions: Some("Search before you write."),
        };
        let mut command = RuntimeArgs::command_for(&identity);
        let short = command.render_help().to_string();
        assert!(
            short.starts_with(
                "notes 2.1.0: Team notes: an MCP server. It speaks MCP on stdin/stdout for a client that starts it, \
                 or over HTTP with --transport http"
            ),
            "{short}"
        );
        assert!(!short.contains("mcp-runtime"), "{short}");
        let long = command.render_long_help().to_string();
        assert!(long.contains("\n\nSearch before you write.\n"), "{long}");
        assert_eq!(command.render_version().to_string(), "notes 2.1.0\n");
        let untitled = Identity { title: None, instructions: None, ..identity };
        let short = RuntimeArgs::command_for(&untitled).render_help().to_string();
        assert!(short.starts_with("notes 2.1.0: an MCP server."), "{short}");
    }

    #[test]
    fn allow_unauthenticated_reaches_the_http_config() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            runtime: RuntimeArgs,
        }
        let mut config = crate::transport::http::HttpConfig::default();
        <Cli as clap::Parser>::parse_from(["s"]).runtime.apply_to(&mut config);
        assert!(!config.allow_unauthenticated);
        <Cli as clap::Parser>::parse_from(["s", "--allow-unauthenticated"]).runtime.apply_to(&mut config);
        assert!(config.allow_unauthenticated);
    }
}
