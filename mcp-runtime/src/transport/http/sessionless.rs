//! Messages rmcp serves without a session (every POST to a stateless server, and a 2026-07-28
//! request to any server) that are answered here instead.
//!
//! `ping`: rmcp answers every ping on that path 404 with -32601, since 2026-07-28 dropped the
//! method. That is right for a ping that declares itself a 2026-07-28 request (its `_meta`
//! names that revision): the specification requires exactly that answer, and the official
//! conformance suite checks it. But a ping without that declaration (a client pinging with only
//! the `MCP-Protocol-Version` header, or a stateless server's 2025 client) is an older
//! client's keep-alive, and is answered here. Within a session rmcp answers it itself.
//!
//! `notifications/cancelled`: rmcp accepts it (202) and ignores it, so the call runs on while
//! its client believes it stopped. Nor could it be honoured safely: without a session, request
//! ids are unique only per caller, and the instance a notification reaches need not be running
//! the call. It is refused, naming what works: closing the call's response stream cancels it
//! (rmcp cancels a sessionless call whose response is dropped), which is also how 2026-07-28
//! cancels a request over HTTP. Within a session rmcp cancels the call by its id.

use axum::{
    http::{HeaderMap, StatusCode},
    response::Response,
};
use rmcp::model::{ErrorData, ProtocolVersion, ServerResult};

use super::{json_rpc, peek::Incoming};

/// The answer given here instead of rmcp's, if this message gets one; `stateless`: whether
/// every POST is served without a session.
pub(super) fn answer(stateless: bool, incoming: &Incoming, headers: &HeaderMap) -> Option<Response> {
    if !stateless && !served_without_session(incoming, headers) {
        return None;
    }
    match (incoming.method.as_deref(), &incoming.id) {
        (Some("ping"), Some(id)) if !declares_2026(incoming) => {
            Some(json_rpc::result(id.clone(), ServerResult::empty(())))
        }
        (Some("notifications/cancelled"), None) => Some(json_rpc::error(
            StatusCode::BAD_REQUEST,
            None,
            ErrorData::invalid_request(
                "without a session a request is cancelled by closing its response stream, not by \
                 `notifications/cancelled`",
                None,
            ),
        )),
        _ => None,
    }
}

/// Whether the request's own `_meta` names 2026-07-28 or later, a revision without `ping`.
fn declares_2026(incoming: &Incoming) -> bool {
    incoming.meta_version.as_deref().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28.as_str())
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
