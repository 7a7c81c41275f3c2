//! `DELETE` of a session: 404 Not Found for a session that is not open, as 2025-11-25 asks of a
//! terminated session ID, and 204 No Content for one that was ended. rmcp's own `DELETE` answers
//! 202 Accepted for any ID, which tells a client its session ended when there was none to end,
//! and which clients do not expect on success (the Python SDK logs "Session termination failed:
//! 202").

use std::sync::Arc;

use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use rmcp::transport::streamable_http_server::session::{SessionManager, local::LocalSessionManager};

use super::event_ids::ResumableSessions;
use crate::connection::Sessions;

/// The header rmcp reads the session ID from.
const SESSION_ID: &str = "mcp-session-id";

/// The sessions rmcp keeps, and the connections serving them.
pub(super) struct SessionsToEnd {
    pub(super) open: Arc<ResumableSessions<LocalSessionManager>>,
    pub(super) connections: Sessions,
}

/// Answers a `DELETE` of a session (rmcp's answer, corrected); `next` is rmcp's service.
pub(super) async fn delete(sessions: &SessionsToEnd, request: Request, next: Next) -> Response {
    let SessionsToEnd { open, connections } = sessions;
    if let Some(id) = request.headers().get(SESSION_ID).and_then(|value| value.to_str().ok())
        && !open.has_session(&id.into()).await.unwrap_or(true)
    {
        // The same answer rmcp gives a GET or POST with an unknown session ID.
        return (StatusCode::NOT_FOUND, "Not Found: Session not found").into_response();
    }
    let request_id = request.headers().get(SESSION_ID).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let response = next.run(request).await;
    if response.status() == StatusCode::ACCEPTED {
        // rmcp's 202 has no body; the session is closed by the time it answers. Calls still
        // running on it must not wait on a session that can no longer carry anything.
        if let Some(id) = request_id {
            connections.stop(&id);
        }
        return StatusCode::NO_CONTENT.into_response();
    }
    response
}
