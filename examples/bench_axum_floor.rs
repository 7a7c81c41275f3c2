//! Benchmark floor: a bare axum handler that parses a JSON-RPC `tools/call` for the two tools of
//! `bench_ours` and answers with the same bytes ours does in stateless mode, with no MCP framework
//! at all (no sessions, no Host/Origin/protocol-version checks, no schema validation). What any
//! MCP server over HTTP costs beyond this is the framework's (see BENCHMARKS.md).
//!
//! ```text
//! cargo build --release --features bench --example bench_axum_floor
//! target/release/examples/bench_axum_floor --port 8000
//! ```

use axum::{
    Json, Router,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
    serve::ListenerExt,
};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Message {
    id: Option<Value>,
    method: String,
    #[serde(default)]
    params: Value,
}

#[derive(Deserialize)]
struct Call {
    name: String,
    #[serde(default)]
    arguments: Value,
}

#[derive(Deserialize)]
struct AddArgs {
    a: i64,
    b: i64,
}

#[derive(Deserialize)]
struct EchoArgs {
    text: String,
}

async fn mcp(Json(message): Json<Message>) -> Response {
    let Some(id) = message.id else {
        return StatusCode::ACCEPTED.into_response(); // a notification
    };
    let outcome = match message.method.as_str() {
        "initialize" => Ok(json!({
            "protocolVersion": "2025-11-25",
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "bench-axum-floor", "version": env!("CARGO_PKG_VERSION")},
        })),
        "tools/call" => call(message.params),
        other => Err((-32601, format!("method not found: {other}"))),
    };
    Json(match outcome {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err((code, message)) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    })
    .into_response()
}

fn call(params: Value) -> Result<Value, (i64, String)> {
    let invalid = |error: serde_json::Error| (-32602, error.to_string());
    let call: Call = serde_json::from_value(params).map_err(invalid)?;
    match call.name.as_str() {
        "add" => {
            let AddArgs { a, b } = serde_json::from_value(call.arguments).map_err(invalid)?;
            let sum = a.wrapping_add(b);
            Ok(json!({
                "content": [{"type": "text", "text": sum.to_string()}],
                "structuredContent": {"result": sum},
                "isError": false,
            }))
        }
        "echo" => {
            let EchoArgs { text } = serde_json::from_value(call.arguments).map_err(invalid)?;
            Ok(json!({"content": [{"type": "text", "text": text}], "isError": false}))
        }
        other => Err((-32602, format!("unknown tool: {other}"))),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut port = 8000;
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match (word.as_str(), words.next()) {
            ("--port", Some(value)) => port = value.parse()?,
            (other, _) => return Err(format!("unknown argument {other:?}; usage: --port N").into()),
        }
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("bench-axum-floor: JSON-RPC over HTTP at http://{}/mcp", listener.local_addr()?);
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    axum::serve(listener, Router::new().route("/mcp", post(mcp))).await?;
    Ok(())
}
