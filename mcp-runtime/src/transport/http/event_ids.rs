//! SSE event ids that resume correctly: resuming after event N delivers exactly the events after
//! N. rmcp 3.11's in-memory sessions replay from N itself (`CachedTx::sync` skips the events
//! before N, not N too), and the priming event of a session's GET stream carries id `0`, the
//! same id as the first message of that stream.
//!
//! The fix is a renumbering: every id a client sees is rmcp's index plus one (`index` or
//! `index/http_request_id`, the suffix kept), and a client's `Last-Event-ID: N` is handed to
//! rmcp unchanged, so rmcp's replay from its index N starts at the client's event N + 1.
//! rmcp's own priming id `0` on the GET stream then means "nothing received yet", and resuming
//! after it replays every message.

use futures::{Stream, StreamExt};
use rmcp::{
    model::{ClientJsonRpcMessage, ServerJsonRpcMessage},
    transport::streamable_http_server::session::{
        EventStore, RestoreOutcome, ServerSseMessage, SessionId, SessionManager,
    },
};

/// A session manager whose streams carry ids one above rmcp's. Meant for rmcp's
/// `LocalSessionManager` without an event store: with one, the store issues the ids.
pub(crate) struct ResumableSessions<M>(pub(crate) M);

impl<M: SessionManager> SessionManager for ResumableSessions<M> {
    type Error = M::Error;
    type Transport = M::Transport;

    async fn create_session(&self) -> Result<(SessionId, Self::Transport), Self::Error> {
        self.0.create_session().await
    }

    async fn initialize_session(
        &self,
        id: &SessionId,
        message: ClientJsonRpcMessage,
    ) -> Result<ServerJsonRpcMessage, Self::Error> {
        self.0.initialize_session(id, message).await
    }

    async fn has_session(&self, id: &SessionId) -> Result<bool, Self::Error> {
        self.0.has_session(id).await
    }

    async fn close_session(&self, id: &SessionId) -> Result<(), Self::Error> {
        self.0.close_session(id).await
    }

    async fn create_stream(
        &self,
        id: &SessionId,
        message: ClientJsonRpcMessage,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        Ok(self.0.create_stream(id, message).await?.map(renumbered))
    }

    async fn accept_message(&self, id: &SessionId, message: ClientJsonRpcMessage) -> Result<(), Self::Error> {
        self.0.accept_message(id, message).await
    }

    async fn create_standalone_stream(
        &self,
        id: &SessionId,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        Ok(self.0.create_standalone_stream(id).await?.map(renumbered))
    }

    async fn resume(
        &self,
        id: &SessionId,
        last_event_id: String,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        // The client's event N is rmcp's N - 1, so rmcp's replay from its N starts at the
        // client's N + 1.
        Ok(self.0.resume(id, last_event_id).await?.map(renumbered))
    }

    async fn restore_session(&self, id: SessionId) -> Result<RestoreOutcome<Self::Transport>, Self::Error> {
        self.0.restore_session(id).await
    }

    fn event_store(&self) -> Option<std::sync::Arc<dyn EventStore>> {
        self.0.event_store()
    }
}

fn renumbered(mut message: ServerSseMessage) -> ServerSseMessage {
    message.event_id = message.event_id.map(|id| one_above(&id));
    message
}

/// `index[/suffix]` with the index one higher; an id of another shape is left alone.
fn one_above(id: &str) -> String {
    let (index, suffix) = match id.split_once('/') {
        Some((index, suffix)) => (index, Some(suffix)),
        None => (id, None),
    };
    match (index.parse::<u64>().ok().and_then(|index| index.checked_add(1)), suffix) {
        (Some(next), Some(suffix)) => format!("{next}/{suffix}"),
        (Some(next), None) => next.to_string(),
        (None, _) => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::one_above;

    #[test]
    fn ids_move_up_by_one_and_keep_their_request_suffix() {
        assert_eq!(one_above("0"), "1");
        assert_eq!(one_above("41"), "42");
        assert_eq!(one_above("0/3"), "1/3");
        assert_eq!(one_above("9/12"), "10/12");
        for foreign in ["", "abc", "x/3", "18446744073709551615"] {
            assert_eq!(one_above(foreign), foreign);
        }
    }
}
