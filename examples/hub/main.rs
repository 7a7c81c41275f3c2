//! The course's hub (chapter 21): several MCP servers served as one. Each downstream named in a
//! TOML file (a child process over stdio, a Streamable HTTP or legacy SSE URL) has its tools,
//! prompts and resources served under its prefix, through the hub's authentication, scopes,
//! limits, metrics and logs. A downstream that dies drops out of the lists (its tools answer an
//! error naming it, or go to a fallback) and is reconnected with a growing delay; `/health`
//! shows each one's state and `mcp_downstream_up` in `/metrics` too.
//!
//! ```text
//! cargo run --example hub -- --config examples/hub/hub.toml
//! cargo run --example hub -- --config examples/hub/hub.toml --transport http --port 8000
//! ```

mod config;

use clap::Parser;
use mcp_runtime::{Server, cli::RuntimeArgs};

/// Serve several MCP servers as one.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The TOML file naming the downstreams (see examples/hub/hub.toml).
    #[arg(long, env = "MCP_HUB_CONFIG")]
    config: std::path::PathBuf,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    let config = config::Config::load(&cli.config)?;
    let name = config.hub.name.clone().unwrap_or_else(|| "hub".to_owned());
    let mut server = Server::new(name, env!("CARGO_PKG_VERSION"))
        .title("MCP hub")
        .instructions("Tools of several servers, each prefixed with the name of the server it comes from.");
    let mut problems = Vec::new();
    for downstream in &config.downstreams {
        match downstream.to_downstream() {
            Ok(proxied) => server = server.proxy(downstream.prefix.clone(), proxied),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }
    if config.hub.require_every_downstream {
        server = server.require_every_downstream();
    }
    Ok(server.run_with(cli.runtime).await?)
}
