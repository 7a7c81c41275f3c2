//! With the `otel` feature and an OTLP endpoint in the environment, `init_logging` exports the
//! request spans: checked against a loopback collector that records what it is sent.
//! `cargo test -p mcp-runtime --features otel --test otel`
#![cfg(feature = "otel")]

use std::time::Duration;

use axum::{Router, body::Bytes, extract::State, routing::post};
use mcp_runtime::{observe::LogFormat, prelude::*, testing::TestClient};
use tokio::sync::mpsc;

/// Add two integers.
#[mcp_tool]
async fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// An OTLP/HTTP collector on loopback that hands every body it receives to the test.
async fn collector() -> (String, mpsc::UnboundedReceiver<Bytes>) {
    let (sent, received) = mpsc::unbounded_channel();
    let app = Router::new()
        .route(
            "/v1/traces",
            post(|State(sent): State<mpsc::UnboundedSender<Bytes>>, body: Bytes| async move {
                let _ = sent.send(body);
                // An empty ExportTraceServiceResponse.
                ([(axum::http::header::CONTENT_TYPE, "application/x-protobuf")], Vec::<u8>::new())
            }),
        )
        .with_state(sent);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (endpoint, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_reach_the_otlp_endpoint() {
    let (endpoint, mut received) = collector().await;
    // SAFETY: the only test in this binary, and no other thread reads the environment yet.
    unsafe {
        std::env::set_var("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint);
        std::env::set_var("OTEL_SERVICE_NAME", "otel-test");
        std::env::set_var("RUST_LOG", "warn,mcp_runtime::request=info");
    }
    mcp_runtime::observe::init_logging(LogFormat::Json);

    let client = TestClient::connect(Server::new("otel", "1.0.0").register(handlers![add])).await.unwrap();
    assert_eq!(client.call_text("add", serde_json::json!({"a": 2, "b": 3})).await.unwrap(), "5");
    drop(client);
    // Flushing blocks until the batch is sent, so off the runtime's threads.
    tokio::task::spawn_blocking(mcp_runtime::observe::shutdown_telemetry).await.unwrap();

    let mut exported = Vec::new();
    while let Ok(Some(body)) = tokio::time::timeout(Duration::from_secs(5), received.recv()).await {
        exported.extend_from_slice(&body);
        // Protobuf carries strings as they are, so the span's name and fields can be found.
        if contains(&exported, b"tools/call") {
            break;
        }
    }
    for expected in [&b"mcp_request"[..], b"tools/call", b"handler", b"add", b"otel-test"] {
        assert!(contains(&exported, expected), "no {:?} in what was exported", String::from_utf8_lossy(expected));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}
