//! Whether a client's connection can still carry messages, for the calls running on it.
//!
//! rmcp stops its loop for a connection when the connection ends (stdio's input closes, an
//! HTTP session is deleted or the server shuts down) and then waits a few seconds for the
//! calls still running. A call that sends a notification (progress, a log message) or asks the
//! client something in that time waits for a confirmation the stopped loop never gives, so it
//! cannot finish, rmcp gives up on it, and its answer is lost with a warning. Calls check this
//! first: on a stopped connection they skip what cannot be delivered and finish.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, OnceLock, PoisonError, Weak},
};

use tokio_util::sync::CancellationToken;

/// One connection's life. Cheap to clone; every clone is the same connection.
#[derive(Clone, Default)]
pub(crate) struct Connection(Arc<Life>);

#[derive(Default)]
struct Life {
    stopped: CancellationToken,
    /// The HTTP session this connection serves, once a request has named it.
    session: OnceLock<(String, Weak<Mutex<Known>>)>,
}

impl Connection {
    /// A connection that stops when `stopped` is cancelled (stdio: when the input ends).
    pub(crate) fn stopping_with(stopped: CancellationToken) -> Self {
        Self(Arc::new(Life { stopped, session: OnceLock::new() }))
    }

    /// Whether the connection has stopped.
    pub(crate) fn is_stopped(&self) -> bool {
        self.0.stopped.is_cancelled()
    }

    /// Resolves once the connection has stopped.
    pub(crate) async fn stopped(&self) {
        self.0.stopped.cancelled().await;
    }

    /// Records that this connection serves the HTTP session `id`, so that ending the session
    /// stops it; only the first call does anything.
    pub(crate) fn serves_session(&self, id: &str, sessions: &Sessions) {
        if self.0.session.get().is_some() {
            return;
        }
        if self.0.session.set((id.to_owned(), Arc::downgrade(&sessions.0))).is_err() {
            return;
        }
        let mut known = sessions.lock();
        // The session may have ended before this connection's first call said which it is.
        if known.ended.iter().any(|ended| ended == id) {
            self.0.stopped.cancel();
        } else {
            known.running.insert(id.to_owned(), self.0.stopped.clone());
        }
    }
}

impl Drop for Life {
    fn drop(&mut self) {
        if let Some((id, sessions)) = self.session.get()
            && let Some(sessions) = sessions.upgrade()
        {
            sessions.lock().unwrap_or_else(PoisonError::into_inner).running.remove(id);
        }
    }
}

/// The connections of a server's HTTP sessions, by session ID.
#[derive(Clone, Default)]
pub(crate) struct Sessions(Arc<Mutex<Known>>);

/// How many ended sessions are remembered for connections that have not named theirs yet: a
/// call already on its way when its session ended names it moments later, never hundreds of
/// sessions later.
#[cfg(feature = "http")]
const ENDED_REMEMBERED: usize = 256;

#[derive(Default)]
struct Known {
    running: HashMap<String, CancellationToken>,
    /// The last sessions ended, newest last.
    ended: VecDeque<String>,
}

#[cfg_attr(not(feature = "http"), allow(dead_code))]
impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Known> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(feature = "http")]
    /// The session `id` has ended: its connection stops, now or when it names the session.
    pub(crate) fn stop(&self, id: &str) {
        let mut known = self.lock();
        if let Some(stopped) = known.running.remove(id) {
            stopped.cancel();
        }
        if known.ended.len() == ENDED_REMEMBERED {
            known.ended.pop_front();
        }
        known.ended.push_back(id.to_owned());
    }

    #[cfg(feature = "http")]
    /// Every session ends (the server shuts down).
    pub(crate) fn stop_all(&self) {
        for (_, stopped) in self.lock().running.drain() {
            stopped.cancel();
        }
    }
}

#[cfg(all(test, feature = "http"))]
mod tests {
    use super::*;

    #[test]
    fn ending_a_session_stops_its_connection_and_a_dropped_connection_leaves_no_entry() {
        let sessions = Sessions::default();
        let connection = Connection::default();
        connection.serves_session("a", &sessions);
        connection.serves_session("a", &sessions);
        assert!(!connection.is_stopped());
        sessions.stop("a");
        assert!(connection.is_stopped());

        let other = Connection::default();
        other.serves_session("b", &sessions);
        assert_eq!(sessions.lock().running.len(), 1);
        drop(other);
        assert!(sessions.lock().running.is_empty());
    }

    #[test]
    fn a_connection_naming_a_session_that_already_ended_stops_at_once() {
        let sessions = Sessions::default();
        sessions.stop("gone");
        let late = Connection::default();
        late.serves_session("gone", &sessions);
        assert!(late.is_stopped());
        assert!(sessions.lock().running.is_empty());
    }
}
