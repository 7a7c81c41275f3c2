//! Serving on stdio, or on the transport the command line chooses.

use super::Server;
use crate::{
    cli::{RuntimeArgs, Transport},
    error::{ServeError, StartupError},
    transport,
};

impl Server {
    /// Serves over stdin/stdout until the client disconnects.
    ///
    /// While serving, anything the program prints to stdout (a stray `println!`) is sent to
    /// stderr instead, so it cannot corrupt the protocol stream.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").serve_stdio().await
    /// # }
    /// ```
    pub async fn serve_stdio(self) -> Result<(), ServeError> {
        transport::stdio::serve(self.build()?).await
    }

    /// Serves on the transport chosen on the command line (`--transport`, default `stdio`), or by
    /// the `MCP_TRANSPORT` environment variable. `--help` names the server (its name, version and
    /// title, then its instructions) and lists the options; `--version` prints its version.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// mcp_runtime::Server::new("demo", "1.0.0").run().await
    /// # }
    /// ```
    pub async fn run(self) -> Result<(), ServeError> {
        let args = RuntimeArgs::parse_process_args(&self.identity.for_command_line());
        self.run_with(args).await
    }

    /// Like [`Server::run`], with options already parsed, for programs that flatten
    /// [`RuntimeArgs`] into their own command line.
    ///
    /// ```no_run
    /// use clap::Parser;
    ///
    /// #[derive(Parser)]
    /// struct Cli {
    ///     /// The directory to serve.
    ///     #[arg(long)]
    ///     root: std::path::PathBuf,
    ///     #[command(flatten)]
    ///     runtime: mcp_runtime::cli::RuntimeArgs,
    /// }
    ///
    /// # #[tokio::main] async fn main() -> Result<(), mcp_runtime::ServeError> {
    /// let cli = Cli::parse();
    /// mcp_runtime::Server::new("files", "1.0.0").run_with(cli.runtime).await
    /// # }
    /// ```
    #[cfg_attr(not(feature = "http"), allow(unused_mut))]
    pub async fn run_with(mut self, args: RuntimeArgs) -> Result<(), ServeError> {
        crate::observe::init_logging(args.log_format);
        let served = match args.transport {
            Transport::Stdio => self.serve_stdio().await,
            #[cfg(feature = "http")]
            Transport::Http | Transport::Sse => {
                args.apply_to(&mut self.http);
                self = args.auth.apply(self).await.map_err(|problem| StartupError::new(vec![problem]))?;
                self.serve_http((args.host.as_str(), args.port)).await
            }
            #[cfg(not(feature = "http"))]
            Transport::Http => {
                Err(StartupError::new(vec![crate::cli::needs_feature("--transport http", "http")]).into())
            }
            #[cfg(not(feature = "http"))]
            Transport::Sse => Err(StartupError::new(vec![crate::cli::needs_feature("--transport sse", "http")]).into()),
        };
        #[cfg(feature = "otel")]
        if tokio::task::spawn_blocking(crate::observe::shutdown_telemetry).await.is_err() {
            tracing::warn!("flushing OpenTelemetry spans did not finish");
        }
        served
    }
}

/// Only a build that lacks a feature has something to refuse.
#[cfg(all(test, not(all(feature = "http", feature = "auth", feature = "jwt"))))]
mod tests {
    use crate::{
        Server,
        cli::{RuntimeArgs, Transport},
    };

    /// What each transport or flag this build lacks says, instead of being ignored.
    async fn refusal(args: RuntimeArgs) -> String {
        let served = Server::new("t", "1").run_with(args).await;
        served.expect_err("served without the feature").to_string()
    }

    #[cfg(not(feature = "http"))]
    #[tokio::test]
    async fn http_without_the_http_feature_names_it() {
        let error = refusal(RuntimeArgs { transport: Transport::Http, ..RuntimeArgs::default() }).await;
        assert!(error.contains("--transport http needs the `http` feature of mcp-runtime"), "{error}");
    }

    #[cfg(all(feature = "http", not(feature = "jwt")))]
    #[tokio::test]
    async fn a_jwt_flag_without_the_jwt_feature_names_it() {
        let mut args = RuntimeArgs { transport: Transport::Http, port: 0, ..RuntimeArgs::default() };
        args.auth.auth_jwks = Some("keys.json".into());
        let error = refusal(args).await;
        assert!(error.contains("--auth-jwks needs the `jwt` feature of mcp-runtime"), "{error}");
    }

    #[cfg(all(feature = "http", not(feature = "auth")))]
    #[tokio::test]
    async fn api_keys_without_the_auth_feature_name_it() {
        let mut args = RuntimeArgs { transport: Transport::Http, port: 0, ..RuntimeArgs::default() };
        args.auth.auth_api_keys = Some("keys.json".into());
        let error = refusal(args).await;
        assert!(error.contains("--auth-api-keys needs the `auth` feature of mcp-runtime"), "{error}");
    }
}
