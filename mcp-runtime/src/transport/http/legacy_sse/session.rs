//! One legacy SSE session: the service's end (a [`Transport`] over two bounded channels) and the
//! table POSTs find their session in.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use rmcp::{
    RoleServer,
    model::{ClientJsonRpcMessage, ServerJsonRpcMessage},
    transport::Transport,
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How many messages wait in each direction before the sender waits: bounds a session's memory
/// whatever its client does.
pub(super) const QUEUE: usize = 64;

/// The sessions POSTs may reach, by id.
#[derive(Default, Clone)]
pub(super) struct Sessions(Arc<Mutex<HashMap<String, Session>>>);

/// What a POST needs of a session.
#[derive(Clone)]
pub(super) struct Session {
    /// To the session's service.
    pub(super) inbound: mpsc::Sender<ClientJsonRpcMessage>,
    /// The subject of the principal that opened the stream.
    pub(super) owner: String,
}

impl Sessions {
    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn open(&self, id: String, session: Session) {
        self.table().insert(id, session);
    }

    /// The session `id`, if it is open and `subject` opened it.
    pub(super) fn find(&self, id: &str, subject: &str) -> Option<Session> {
        self.table().get(id).filter(|session| session.owner == subject).cloned()
    }

    pub(super) fn close(&self, id: &str) {
        self.table().remove(id);
    }
}

/// The service's end of a session. A message the stream's reader has not taken within
/// `delivery_timeout` ends the session: a client that stops reading is dropped, not queued for.
pub(super) struct SessionTransport {
    pub(super) inbound: mpsc::Receiver<ClientJsonRpcMessage>,
    pub(super) outbound: mpsc::Sender<ServerJsonRpcMessage>,
    pub(super) delivery_timeout: Duration,
    /// Cancelled when the session ends, for whatever reason.
    pub(super) ended: CancellationToken,
}

/// Why a message could not be sent on a session's stream.
#[derive(Debug, thiserror::Error)]
pub(super) enum Undelivered {
    #[error("the session's stream is closed")]
    Closed,
    #[error("the client did not read its stream for {0:?}; the session is dropped")]
    SlowReader(Duration),
}

impl Transport<RoleServer> for SessionTransport {
    type Error = Undelivered;

    fn send(
        &mut self,
        message: ServerJsonRpcMessage,
    ) -> impl std::future::Future<Output = Result<(), Undelivered>> + Send + 'static {
        let (outbound, ended, limit) = (self.outbound.clone(), self.ended.clone(), self.delivery_timeout);
        async move {
            match tokio::time::timeout(limit, outbound.send(message)).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(_)) => Err(Undelivered::Closed),
                Err(_) => {
                    tracing::warn!(?limit, "legacy SSE client stopped reading its stream; dropping the session");
                    ended.cancel();
                    Err(Undelivered::SlowReader(limit))
                }
            }
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        tokio::select! {
            biased;
            () = self.ended.cancelled() => None,
            message = self.inbound.recv() => message,
        }
    }

    fn close(&mut self) -> impl std::future::Future<Output = Result<(), Undelivered>> + Send {
        self.ended.cancel();
        std::future::ready(Ok(()))
    }
}
