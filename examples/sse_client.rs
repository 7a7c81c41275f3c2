//! A client for servers that speak only the legacy HTTP+SSE transport (protocol 2024-11-05):
//! FastMCP's `transport="sse"`, older hosted servers. Lists the server's tools, and calls one
//! when asked, printing JSON on stdout.
//!
//! ```text
//! cargo run --example sse_client -- http://127.0.0.1:8000/sse
//! cargo run --example sse_client -- http://127.0.0.1:8000/sse --call add --arguments '{"a": 2, "b": 3}'
//! ```
//!
//! It is the runtime's `legacy_sse::SseClientTransport` under rmcp's client: the same code the test
//! client's `TestClient::connect_sse` uses.

use clap::Parser;
use mcp_runtime::{
    legacy_sse::SseClientTransport,
    model::{CallToolRequestParams, ClientConfig, Implementation, ProtocolVersion},
    rmcp::ServiceExt,
};

/// Talk to a legacy HTTP+SSE MCP server.
#[derive(Parser)]
struct Cli {
    /// The server's event-stream URL, e.g. `http://127.0.0.1:8000/sse`.
    url: String,
    /// A bearer token to send.
    #[arg(long, env = "MCP_BEARER_TOKEN", hide_env_values = true)]
    bearer: Option<String>,
    /// A tool to call after listing the tools.
    #[arg(long)]
    call: Option<String>,
    /// The tool's arguments, a JSON object.
    #[arg(long, default_value = "{}", requires = "call")]
    arguments: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    let arguments: serde_json::Value =
        serde_json::from_str(&cli.arguments).map_err(|error| format!("--arguments is not JSON: {error}"))?;
    let serde_json::Value::Object(arguments) = arguments else {
        return Err("--arguments must be a JSON object".into());
    };
    let transport = SseClientTransport::connect(&cli.url, cli.bearer.as_deref()).await?;
    // The transport's own protocol revision: servers of this transport may know no later one.
    let info = ClientConfig::new(Default::default(), Implementation::new("sse_client", env!("CARGO_PKG_VERSION")))
        .with_protocol_version(ProtocolVersion::V_2024_11_05);
    let client = info.serve(transport).await?;
    let server = client.peer_info().and_then(|info| info.server_info.clone()).map(|info| info.name).unwrap_or_default();
    let tools = client.list_all_tools().await?;
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    println!("{}", serde_json::json!({"server": server, "tools": names}));
    if let Some(name) = cli.call {
        let result = client.call_tool(CallToolRequestParams::new(name).with_arguments(arguments)).await?;
        println!("{}", serde_json::json!({"result": result}));
    }
    client.cancel().await?;
    Ok(())
}
