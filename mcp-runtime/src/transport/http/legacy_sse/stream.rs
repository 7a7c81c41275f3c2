//! `GET /sse`: opens a session, serves it, and streams its messages, the `endpoint` event first.

use std::{convert::Infallible, sync::Arc};

use axum::{
    extract::{NestedPath, Request, State},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures::{Stream, StreamExt, stream};
use rmcp::{ServiceExt, model::ServerJsonRpcMessage};
use tokio::sync::mpsc;

use super::{KEEP_ALIVE, LegacySse, MESSAGES_PATH, origin, session};
use crate::{auth::Principal, random_id::random_id};

pub(super) async fn handler(State(state): State<Arc<LegacySse>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(refused) = origin::refusal(&parts.uri, &parts.headers, &state.allowed_hosts, &state.allowed_origins) {
        return refused;
    }
    let Some(principal) = parts.extensions.get::<Arc<Principal>>().cloned() else {
        // The front layer always authenticates first; without it, this route is misassembled.
        tracing::error!("legacy SSE stream opened without the front layer");
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let id = match random_id() {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "cannot draw a session id");
            return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let (inbound_tx, inbound) = mpsc::channel(session::QUEUE);
    let (outbound, outbound_rx) = mpsc::channel(session::QUEUE);
    let ended = state.closed.child_token();
    state.sessions.open(id.clone(), session::Session { inbound: inbound_tx, owner: principal.subject().to_owned() });
    let transport =
        session::SessionTransport { inbound, outbound, delivery_timeout: state.delivery_timeout, ended: ended.clone() };
    tracing::info!(session = %id, principal = principal.subject(), "legacy SSE session opened");
    let service = state.service.for_new_session();
    let serving = {
        let (sessions, id, ended) = (state.sessions.clone(), id.clone(), ended.clone());
        async move {
            match service.serve_with_ct(transport, ended.clone()).await {
                Ok(running) => {
                    let reason = running.waiting().await;
                    tracing::info!(session = %id, ?reason, "legacy SSE session ended");
                }
                Err(error) => tracing::info!(session = %id, %error, "legacy SSE session ended before it began"),
            }
            ended.cancel();
            sessions.close(&id);
        }
    };
    tokio::spawn(serving);
    // Mounted under a prefix (`Router::nest`), the messages endpoint is under it too.
    let prefix = parts.extensions.get::<NestedPath>().map_or("", |nested| nested.as_str().trim_end_matches('/'));
    let endpoint = format!("{prefix}{MESSAGES_PATH}?sessionId={id}");
    let events =
        events(endpoint, outbound_rx, SessionGuard { sessions: state.sessions.clone(), id, ended: ended.clone() });
    let events = events.take_until(ended.cancelled_owned());
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

/// The `endpoint` event, then each message as a `message` event; the guard ends the session
/// when the client goes away (axum drops the stream).
fn events(
    endpoint: String,
    outbound: mpsc::Receiver<ServerJsonRpcMessage>,
    guard: SessionGuard,
) -> impl Stream<Item = Result<Event, Infallible>> + Send + 'static {
    let first = stream::once(std::future::ready(Ok(Event::default().event("endpoint").data(endpoint))));
    let messages = stream::unfold((outbound, guard), |(mut outbound, guard)| async move {
        let message = outbound.recv().await?;
        let event = match serde_json::to_string(&message) {
            Ok(json) => Event::default().event("message").data(json),
            Err(error) => {
                tracing::error!(%error, "a server message could not be written as JSON");
                Event::default().comment("a message could not be written")
            }
        };
        Some((Ok(event), (outbound, guard)))
    });
    first.chain(messages)
}

/// Ends its session when dropped: with the client's stream, the session goes.
struct SessionGuard {
    sessions: session::Sessions,
    id: String,
    ended: tokio_util::sync::CancellationToken,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.sessions.close(&self.id);
        self.ended.cancel();
    }
}
