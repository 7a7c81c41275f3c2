//! Messages rmcp serves without a session (every POST to a stateless server, and a 2026-07-28
//! request to any server) that are answered here instead.
//!
//! `ping`: 2026-07-28 dropped it and rmcp answers it 404 with -32601 on that path, yet clients
//! still send it (the Python SDK's keep-alive does); a ping costs nothing to answer, and is
//! answered in every era. Within a session rmcp answers it itself.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use rmcp::model::{ProtocolVersion, ServerResult};

use super::{json_rpc, peek::Incoming};

/// `State`: whether the server is stateless, so that every POST is served without a session.
pub(super) async fn answer(State(stateless): State<bool>, request: Request, next: Next) -> Response {
    let Some(incoming) = request.extensions().get::<Arc<Incoming>>() else {
        return next.run(request).await;
    };
    if !stateless && !served_without_session(incoming, request.headers()) {
        return next.run(request).await;
    }
    match (incoming.method.as_deref(), &incoming.id) {
        (Some("ping"), Some(id)) => json_rpc::result(id.clone(), ServerResult::empty(())),
        _ => next.run(request).await,
    }
}

/// Whether a server with sessions serves this message without one, as rmcp decides it: a
/// request whose `_meta` carries the per-request lifecycle, or any message whose protocol
/// version (the request's `_meta`, else the `MCP-Protocol-Version` header, else 2025-03-26)
/// has no `initialize`.
fn served_without_session(incoming: &Incoming, headers: &HeaderMap) -> bool {
    // rmcp reads `_meta` of requests only.
    let meta_version = incoming.id.as_ref().and(incoming.meta_version.as_deref());
    if meta_version.is_some() && incoming.meta_capabilities {
        return true;
    }
    let version = meta_version
        .or_else(|| headers.get("mcp-protocol-version").and_then(|value| value.to_str().ok()))
        .unwrap_or(ProtocolVersion::V_2025_03_26.as_str());
    // Versions are dates, `YYYY-MM-DD`: their strings order as the dates do.
    version >= ProtocolVersion::NO_INITIALIZE.as_str()
}
