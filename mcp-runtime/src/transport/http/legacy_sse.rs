//! The 2024-11-05 HTTP+SSE transport, for clients that predate Streamable HTTP: `GET /sse` opens
//! a session's event stream, whose first event (`endpoint`) names the URL to POST the client's
//! messages to; each POST is answered `202 Accepted`, and every answer and notification comes
//! back on the stream.
//!
//! Both endpoints sit behind the same front layer as Streamable HTTP (authentication, rate
//! limit, body limit, scopes) and check `Host` and `Origin` as rmcp's endpoint does. A session
//! belongs to the principal that opened it: another principal's POST to it is answered as one to
//! a session that does not exist.

mod origin;
mod post;
mod session;
mod stream;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    routing::{get, post},
};
use tokio_util::sync::CancellationToken;

use super::HttpConfig;
use crate::service::McpService;

/// Where the legacy endpoints are, as the TypeScript and Python SDKs and FastMCP serve them.
pub(super) const STREAM_PATH: &str = "/sse";
pub(super) const MESSAGES_PATH: &str = "/messages";

/// How often a comment keeps an idle stream open through proxies and client read timeouts.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What both endpoints share.
pub(super) struct LegacySse {
    service: McpService,
    sessions: session::Sessions,
    allowed_hosts: Vec<String>,
    allowed_origins: Vec<String>,
    max_body_bytes: usize,
    /// How long a message may wait for a session's reader (or its handler) before the session
    /// is dropped as too slow.
    delivery_timeout: Duration,
    /// Cancelled on shutdown: every stream ends.
    closed: CancellationToken,
}

/// `GET /sse` and `POST /messages` (and `/messages/`), without the front layer.
pub(super) fn routes(service: McpService, config: &HttpConfig, closed: CancellationToken) -> Router {
    let state = Arc::new(LegacySse {
        service,
        sessions: session::Sessions::default(),
        allowed_hosts: config.allowed_hosts.clone(),
        allowed_origins: config.allowed_origins.clone(),
        max_body_bytes: config.max_body_bytes,
        delivery_timeout: config.request_timeout,
        closed,
    });
    let messages = post(post::handler);
    Router::new()
        .route(STREAM_PATH, get(stream::handler))
        .route(MESSAGES_PATH, messages.clone())
        .route(&format!("{MESSAGES_PATH}/"), messages)
        .with_state(state)
}
