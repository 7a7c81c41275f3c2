//! `DELETE` of a session that is not open answers 404 Not Found, as 2025-11-25 asks of a
//! terminated session ID. rmcp's own `DELETE` answers 202 Accepted for any ID, which tells a client
//! its session ended when there was none to end.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use rmcp::transport::streamable_http_server::session::{SessionManager, local::LocalSessionManager};

/// The header rmcp reads the session ID from.
const SESSION_ID: &str = "mcp-session-id";

pub(super) async fn refuse_unknown(
    State(sessions): State<Arc<LocalSessionManager>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::DELETE
        && let Some(id) = request.headers().get(SESSION_ID).and_then(|value| value.to_str().ok())
        && !sessions.has_session(&id.into()).await.unwrap_or(true)
    {
        // The same answer rmcp gives a GET or POST with an unknown session ID.
        return (StatusCode::NOT_FOUND, "Not Found: Session not found").into_response();
    }
    next.run(request).await
}
