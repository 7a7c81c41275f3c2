//! `POST /messages?sessionId=..`: one client message for a session, answered `202 Accepted`; its
//! answer goes out on the session's stream.

use std::sync::Arc;

use axum::{
    body::to_bytes,
    extract::{Request, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use rmcp::model::{ClientJsonRpcMessage, ErrorData, GetExtensions};

use super::{LegacySse, origin};
use crate::{
    auth::Principal,
    transport::http::{json_rpc, message},
};

pub(super) async fn handler(State(state): State<Arc<LegacySse>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(refused) = origin::refusal(&parts.uri, &parts.headers, &state.allowed_hosts, &state.allowed_origins) {
        return refused;
    }
    let Some(id) = session_id(parts.uri.query().unwrap_or_default()) else {
        return refused(StatusCode::BAD_REQUEST, "the URL names no session: POST to the `endpoint` the stream sent");
    };
    let subject = parts.extensions.get::<Arc<Principal>>().map(|principal| principal.subject().to_owned());
    // Another principal's session is answered as one that does not exist.
    let Some(session) = subject.and_then(|subject| state.sessions.find(id, &subject)) else {
        return refused(StatusCode::NOT_FOUND, "no such session: it ended, or never existed; open a new stream");
    };
    if !message::declares_json(&parts.headers) {
        return refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "a message is JSON: send `Content-Type: application/json`");
    }
    // The front layer has already held the body to the limit; this reads what it kept.
    let bytes = match to_bytes(body, state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(error) => return refused(StatusCode::BAD_REQUEST, &format!("the body could not be read: {error}")),
    };
    let mut message: ClientJsonRpcMessage = match serde_json::from_slice(&bytes) {
        Ok(message) => message,
        Err(error) => {
            let error = ErrorData::invalid_request(format!("the body is not one MCP message: {error}"), None);
            return json_rpc::error(StatusCode::BAD_REQUEST, None, error);
        }
    };
    attach(&mut message, parts);
    match tokio::time::timeout(state.delivery_timeout, session.inbound.send(message)).await {
        Ok(Ok(())) => (StatusCode::ACCEPTED, "Accepted").into_response(),
        Ok(Err(_)) => refused(StatusCode::NOT_FOUND, "the session has ended; open a new stream"),
        Err(_) => refused(StatusCode::SERVICE_UNAVAILABLE, "the session is not taking messages; try again later"),
    }
}

/// The session id from the query: `sessionId` (TypeScript SDK, rmcp) or `session_id` (Python
/// SDK, FastMCP), so a client written against either finds its session.
fn session_id(query: &str) -> Option<&str> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (matches!(name, "sessionId" | "session_id") && !value.is_empty()).then_some(value)
    })
}

/// Handlers read the caller (and whether the request came over HTTP) from the request's parts,
/// as they do for Streamable HTTP, where rmcp attaches them.
fn attach(message: &mut ClientJsonRpcMessage, parts: Parts) {
    match message {
        ClientJsonRpcMessage::Request(request) => {
            request.request.extensions_mut().insert(parts);
        }
        ClientJsonRpcMessage::Notification(notification) => {
            notification.notification.extensions_mut().insert(parts);
        }
        _ => {}
    }
}

fn refused(status: StatusCode, message: &str) -> Response {
    (status, message.to_owned()).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn either_spelling_of_the_session_id_is_read() {
        assert_eq!(super::session_id("sessionId=abc"), Some("abc"));
        assert_eq!(super::session_id("x=1&session_id=def"), Some("def"));
        assert_eq!(super::session_id("sessionId="), None);
        assert_eq!(super::session_id(""), None);
    }
}
