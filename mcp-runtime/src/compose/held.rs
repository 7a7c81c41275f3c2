//! Proxied calls of 2026-07-28 callers that the downstream asked a question in. Such a caller
//! cannot be asked mid-call (SEP-2322), so the call answers `input_required` with the question
//! and the downstream's call is held open; the caller's retry (same tool, the `requestState`,
//! the answers) hands the answers over and waits on. A held call nobody comes back for is
//! dropped after its time limit, which cancels it downstream.

use std::{
    collections::{BTreeMap, HashMap},
    future::Future,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use rmcp::{
    ErrorData as McpError,
    model::{CallToolResponse, InputRequest, InputRequiredResult, InputResponses},
};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::relay::Question;

/// What a `requestState` minted here starts with.
const STATE_PREFIX: &str = "hub-held:";

/// A downstream call running on its own task, and the questions it asks.
pub(super) struct Running {
    questions: mpsc::Receiver<Question>,
    done: oneshot::Receiver<Result<CallToolResponse, McpError>>,
    _task: AbortOnDrop,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Running {
    /// Starts `call`, which sends its questions to the sender given to `start`.
    pub(super) fn start<F>(call: impl FnOnce(mpsc::Sender<Question>) -> F) -> Self
    where
        F: Future<Output = Result<CallToolResponse, McpError>> + Send + 'static,
    {
        let (asking, questions) = mpsc::channel(8);
        let (finished, done) = oneshot::channel();
        let call = call(asking);
        let task = tokio::spawn(async move {
            drop(finished.send(call.await));
        });
        Self { questions, done, _task: AbortOnDrop(task) }
    }
}

/// A call waiting for its caller's answers.
struct Parked {
    running: Running,
    /// The caller it belongs to and the tool it called, which its retry must repeat.
    principal: String,
    tool: String,
    /// The questions not answered yet, by the key the caller answers under.
    asked: BTreeMap<String, (InputRequest, oneshot::Sender<Value>)>,
    next_key: u32,
    since: tokio::time::Instant,
}

/// The held calls of one downstream, by `requestState`.
pub(super) struct Held {
    parked: Mutex<HashMap<String, Parked>>,
    /// How long a call waits for its caller to come back.
    patience: Duration,
}

impl Held {
    pub(super) fn new(patience: Duration) -> Self {
        Self { parked: Mutex::default(), patience }
    }

    fn parked(&self) -> std::sync::MutexGuard<'_, HashMap<String, Parked>> {
        self.parked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `state` was minted here.
    pub(super) fn is_ours(state: &str) -> bool {
        state.starts_with(STATE_PREFIX)
    }

    /// Runs `running` until it answers, or parks it with the questions it asked.
    pub(super) async fn wait(
        &self,
        running: Running,
        principal: String,
        tool: String,
    ) -> Result<CallToolResponse, McpError> {
        self.wait_parked(Parked {
            running,
            principal,
            tool,
            asked: BTreeMap::new(),
            next_key: 1,
            since: tokio::time::Instant::now(),
        })
        .await
    }

    async fn wait_parked(&self, mut parked: Parked) -> Result<CallToolResponse, McpError> {
        if parked.asked.is_empty() {
            tokio::select! {
                done = &mut parked.running.done => {
                    return done.unwrap_or_else(|_| Err(McpError::internal_error("the proxied call ended without an answer", None)));
                }
                Some(question) = parked.running.questions.recv() => parked.ask(question),
            }
            // Questions asked together go out together.
            while let Ok(question) = parked.running.questions.try_recv() {
                parked.ask(question);
            }
        }
        let requests = parked.asked.iter().map(|(key, (request, _))| (key.clone(), request.clone())).collect();
        let state = crate::random_id::random_id().map_err(|error| {
            McpError::internal_error(format!("no random source for a request state: {error}"), None)
        })?;
        parked.since = tokio::time::Instant::now();
        let mut all = self.parked();
        let patience = self.patience;
        all.retain(|_, other| other.since.elapsed() < patience);
        all.insert(state.clone(), parked);
        Ok(CallToolResponse::InputRequired(InputRequiredResult::new(
            Some(requests),
            Some(format!("{STATE_PREFIX}{state}")),
        )))
    }

    /// The caller's retry: hands over its answers and waits on.
    pub(super) async fn resume(
        &self,
        state: &str,
        principal: &str,
        tool: &str,
        mut answers: InputResponses,
    ) -> Result<CallToolResponse, McpError> {
        let unknown =
            || McpError::invalid_params("`requestState` names no held call: it expired, or was answered", None);
        let token = state.strip_prefix(STATE_PREFIX).ok_or_else(unknown)?;
        let mut parked = {
            let mut all = self.parked();
            // Another caller's state, or another tool's, is as unknown as a made-up one.
            match all.get(token) {
                Some(parked) if parked.principal == principal && parked.tool == tool => {}
                _ => return Err(unknown()),
            }
            all.remove(token).ok_or_else(unknown)?
        };
        if parked.since.elapsed() >= self.patience {
            return Err(unknown());
        }
        let keys: Vec<String> = parked.asked.keys().cloned().collect();
        for key in keys {
            if let Some(answer) = answers.remove(&key)
                && let Some((_, answering)) = parked.asked.remove(&key)
            {
                // The call may have ended meanwhile; its answer then comes next.
                drop(answering.send(answer));
            }
        }
        self.wait_parked(parked).await
    }
}

impl Parked {
    fn ask(&mut self, question: Question) {
        let key = format!("downstream-{}", self.next_key);
        self.next_key += 1;
        self.asked.insert(key, (question.request, question.answer));
    }
}
