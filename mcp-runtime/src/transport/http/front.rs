//! The one layer in front of rmcp's service: every stage our HTTP endpoint adds, in order, as
//! plain calls in one future.
//!
//! 1. count the POST (`in_flight`), so that shutdown waits for it, until its answer is sent;
//! 2. bound the time to the answer's start (`deadlines`: 504);
//! 3. authenticate, and apply the rate limit (`auth`: 401, 429);
//! 4. read a JSON POST's body once, and what its message is (`message`: 400, 413);
//! 5. refuse a call of an item the principal lacks scopes for (`auth`: 403);
//! 6. answer what rmcp would answer wrongly: a sessionless `ping` or `notifications/cancelled`
//!    (`sessionless`), a `DELETE` of a session (`ended_sessions`);
//! 7. rmcp, and its 415 for a message it could not read as MCP explained (`message`).
//!
//! Each stage as an axum middleware of its own cost two boxed futures and a clone of its state
//! per request, on every request: measured, five such layers were about a tenth of the
//! instructions our HTTP path added to rmcp's.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};

use super::{auth, auth::Gate, deadlines::Deadlines, ended_sessions, in_flight, message, sessionless};

/// What the stages need, built once per router.
pub(super) struct Front {
    pub(super) gate: Arc<Gate>,
    pub(super) in_flight: in_flight::InFlight,
    /// The time limit to the answer's start.
    pub(super) deadlines: Deadlines,
    pub(super) max_body_bytes: usize,
    /// Every POST is served without a session.
    pub(super) stateless: bool,
    /// Some item requires scopes: a call is checked against the principal's before rmcp.
    pub(super) scoped_items: bool,
    /// With sessions: the ones a `DELETE` may end.
    pub(super) sessions: Option<ended_sessions::SessionsToEnd>,
}

/// The middleware: `next` is rmcp's service.
pub(super) async fn serve(State(front): State<Arc<Front>>, request: Request, next: Next) -> Response {
    let counted = (request.method() == Method::POST).then(|| front.in_flight.enter());
    let response = match front.deadlines.within(front.answer(request, next)).await {
        Some(response) => response,
        None => front.deadlines.timed_out(),
    };
    match counted {
        Some(guard) => in_flight::counted_until_sent(response, guard),
        None => response,
    }
}

impl Front {
    async fn answer(&self, request: Request, next: Next) -> Response {
        let (mut parts, body) = request.into_parts();
        let principal = match auth::authenticate(&self.gate, &parts).await {
            Ok(principal) => principal,
            Err(refused) => return refused,
        };
        let (body, incoming) = match message::read(&parts, body, self.max_body_bytes).await {
            Ok(read) => read,
            Err(refused) => return refused,
        };
        if let Some(incoming) = &incoming {
            if self.scoped_items
                && let Some(item) = &incoming.item
                && let Some(refused) = auth::refuse_unscoped(&self.gate, &parts.headers, &principal, item)
            {
                return refused;
            }
            if let Some(answer) = sessionless::answer(self.stateless, incoming, &parts.headers) {
                return answer;
            }
        }
        // Handlers read their caller from here (`service::over_http`).
        parts.extensions.insert(principal);
        let request = Request::from_parts(parts, body);
        if let Some(sessions) = &self.sessions
            && request.method() == Method::DELETE
        {
            return ended_sessions::delete(sessions, request, next).await;
        }
        let response = next.run(request).await;
        match &incoming {
            Some(incoming) => message::explained(response, incoming),
            None => response,
        }
    }
}
