//! Keeps what a downstream sent before answering a call ahead of that answer at the caller.
//!
//! rmcp's client hands each notification from the server to its handler in a task of its own,
//! but hands an answer to the waiting request at once. A downstream that reports progress 100 %
//! and then answers could so have its answer relayed to the caller before that last progress
//! (the Python SDK's interop run caught it: progress `[0, 50]` of `[0, 50, 100]`). The transport
//! wrapper here numbers every notification as it is received, which is in the order the
//! downstream sent them; each number is struck off when rmcp is done with the notification (its
//! handler relayed it, or it was dropped); and a call, once answered, waits for every
//! notification received before its answer ([`Inbound::handled_so_far`]).

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use rmcp::{
    RoleClient,
    model::{GetExtensions, JsonRpcMessage},
    service::{RxJsonRpcMessage, TxJsonRpcMessage},
    transport::Transport,
};

/// How long an answer waits for the notifications before it: a caller whose connection has
/// stalled must not hold up the answers of every other caller of the downstream.
const PATIENCE: Duration = Duration::from_secs(2);

/// The notifications received from one downstream and not yet handled.
#[derive(Default)]
pub(super) struct Inbound {
    pending: Mutex<Pending>,
    handled: tokio::sync::Notify,
}

#[derive(Default)]
struct Pending {
    next: u64,
    unhandled: BTreeSet<u64>,
}

/// Rides in a notification's extensions (rmcp moves them into the handler's context); the
/// notification counts as handled when the last copy is dropped.
#[derive(Clone)]
struct Received(#[allow(dead_code)] Arc<Ticket>);

struct Ticket {
    inbound: Arc<Inbound>,
    number: u64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.inbound.pending().unhandled.remove(&self.number);
        self.inbound.handled.notify_waiters();
    }
}

impl Inbound {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn received(self: &Arc<Self>) -> Received {
        let number = {
            let mut pending = self.pending();
            let number = pending.next;
            pending.next += 1;
            pending.unhandled.insert(number);
            number
        };
        Received(Arc::new(Ticket { inbound: self.clone(), number }))
    }

    /// Resolves once every notification received before this call has been handled, or after
    /// [`PATIENCE`].
    pub(super) fn handled_so_far(&self) -> impl Future<Output = ()> + Send + '_ {
        let mark = self.pending().next;
        let settled = async move {
            loop {
                let handled = self.handled.notified();
                tokio::pin!(handled);
                handled.as_mut().enable();
                if self.pending().unhandled.first().is_none_or(|&oldest| oldest >= mark) {
                    return;
                }
                handled.await;
            }
        };
        async move {
            if tokio::time::timeout(PATIENCE, settled).await.is_err() {
                tracing::debug!("an answer went ahead of a notification the downstream sent before it");
            }
        }
    }

    /// `transport`, numbering the notifications it receives into `self`.
    pub(super) fn numbering<T: Transport<RoleClient>>(self: &Arc<Self>, transport: T) -> Numbering<T> {
        Numbering { transport, inbound: self.clone() }
    }
}

/// A client transport that numbers the notifications it receives (see the module's comment).
pub(super) struct Numbering<T> {
    transport: T,
    inbound: Arc<Inbound>,
}

impl<T: Transport<RoleClient>> Transport<RoleClient> for Numbering<T> {
    type Error = T::Error;

    fn send(
        &mut self,
        message: TxJsonRpcMessage<RoleClient>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        self.transport.send(message)
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleClient>> {
        let mut message = self.transport.receive().await?;
        if let JsonRpcMessage::Notification(notification) = &mut message {
            notification.notification.extensions_mut().insert(self.inbound.received());
        }
        Some(message)
    }

    fn close(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send {
        self.transport.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_waits_for_the_notifications_received_before_it() {
        use futures::FutureExt;
        let inbound = Arc::new(Inbound::default());
        let (first, second) = (inbound.received(), inbound.received());
        let answered = inbound.handled_so_far();
        tokio::pin!(answered);
        // A notification received after the answer does not hold it.
        let later = inbound.received();
        drop(second);
        assert!((&mut answered).now_or_never().is_none(), "answered before the first notification was handled");
        drop(first);
        assert!((&mut answered).now_or_never().is_some(), "still waiting after every earlier notification was handled");
        drop(later);
    }
}
