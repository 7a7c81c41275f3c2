//! Benchmark comparator: the two tools of `bench_ours` written by hand with rmcp's own
//! `#[tool_router]` / `#[tool]` / `#[tool_handler]` macros, served the way rmcp's examples do,
//! with the HTTP transport configured exactly as our runtime configures it (see BENCHMARKS.md and
//! `scripts/bench/`).
//!
//! ```text
//! cargo build --release --features bench --example bench_rmcp_hand
//! target/release/examples/bench_rmcp_hand                                   # stdio
//! target/release/examples/bench_rmcp_hand --transport http --port 8000 [--stateless]
//! ```

use std::sync::Arc;

use axum::serve::ListenerExt;

use rmcp::{
    ServerHandler, ServiceExt,
    handler::server::wrapper::{Json, Parameters},
    model::{Implementation, ServerCapabilities, ServerConfig},
    tool, tool_handler, tool_router,
    transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService,
        session::{local::LocalSessionManager, never::NeverSessionManager},
    },
};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, schemars::JsonSchema)]
struct AddArgs {
    /// The first addend.
    a: i64,
    /// The second addend.
    b: i64,
}

/// rmcp needs an object for structured content, so the sum is wrapped as ours wraps it.
#[derive(Serialize, schemars::JsonSchema)]
struct AddOutput {
    result: i64,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct EchoArgs {
    /// The text to echo.
    text: String,
}

/// As rmcp's documentation writes it: `#[tool_handler]`'s default router is `Self::tool_router()`,
/// rebuilt on each `tools/call` and `tools/list` (its schemas are cached per thread by rmcp).
#[derive(Clone)]
struct Bench;

#[tool_router]
impl Bench {
    /// Add two integers.
    #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
    async fn add(&self, Parameters(AddArgs { a, b }): Parameters<AddArgs>) -> Json<AddOutput> {
        Json(AddOutput { result: a.wrapping_add(b) })
    }

    /// Echo a text back.
    #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
    async fn echo(&self, Parameters(EchoArgs { text }): Parameters<EchoArgs>) -> String {
        text
    }
}

#[tool_handler]
impl ServerHandler for Bench {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("bench-rmcp-hand", env!("CARGO_PKG_VERSION")))
    }
}

/// The command line `bench_ours` understands, as far as the benchmarks use it.
struct Args {
    http: bool,
    port: u16,
    stateless: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { http: false, port: 8000, stateless: false };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--transport" => match words.next().as_deref() {
                Some("http") => args.http = true,
                Some("stdio") => args.http = false,
                other => return Err(format!("unknown transport {other:?}")),
            },
            "--port" => {
                let port = words.next().ok_or("--port needs a value")?;
                args.port = port.parse().map_err(|error| format!("bad port {port:?}: {error}"))?;
            }
            "--stateless" => args.stateless = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

/// The same `StreamableHttpServerConfig` choices as `mcp-runtime/src/transport/http.rs`:
/// sessions with SSE responses, or stateless with plain JSON responses; loopback hosts and
/// origins only; a 4 MiB body limit.
fn http_config(stateless: bool) -> StreamableHttpServerConfig {
    StreamableHttpServerConfig::default()
        .with_legacy_session_mode(!stateless)
        .with_json_response(stateless)
        .with_max_request_body_bytes(4 * 1024 * 1024)
        .with_allowed_hosts(["localhost", "127.0.0.1", "::1"])
        .with_allowed_origins([
            "http://localhost:*",
            "http://127.0.0.1:*",
            "https://localhost:*",
            "https://127.0.0.1:*",
        ])
        .enforce_origin_validation()
}

async fn serve_http(port: u16, stateless: bool) -> std::io::Result<()> {
    let factory = || Ok(Bench);
    let endpoint = if stateless {
        axum::routing::any_service(StreamableHttpService::new(
            factory,
            Arc::new(NeverSessionManager::default()),
            http_config(true),
        ))
    } else {
        axum::routing::any_service(StreamableHttpService::new(
            factory,
            Arc::new(LocalSessionManager::default()),
            http_config(false),
        ))
    };
    let router = axum::Router::new().route("/mcp", endpoint);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("bench-rmcp-hand: MCP over Streamable HTTP at http://{}/mcp", listener.local_addr()?);
    // As ours does: without TCP_NODELAY, SSE responses (several writes) stall on delayed ACKs.
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    axum::serve(listener, router).await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    if args.http {
        serve_http(args.port, args.stateless).await?;
    } else {
        Bench.serve(rmcp::transport::stdio()).await?.waiting().await?;
    }
    Ok(())
}
