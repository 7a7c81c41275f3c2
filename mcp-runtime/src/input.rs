//! Asking the client for input in the middle of a call: elicitation (a question for the user),
//! sampling (a completion from the client's model) and roots. One API for every protocol
//! version: 2025 clients get server-to-client requests on the spot; 2026-07-28 clients, which
//! forbid those, get an `input_required` result (SEP-2322) and retry the call with the answers,
//! and the handler runs again from the start, this time finding them.

// Sampling and roots are deprecated by SEP-2577 but remain part of every protocol version we serve.
#![allow(deprecated)]

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex, OnceLock, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use rmcp::{
    ErrorData as McpError,
    model::{
        ClientCapabilities, CreateMessageRequest, CreateMessageRequestParams, CreateMessageResult, ElicitRequest,
        ElicitRequestParams, ElicitResult, ElicitationSchema, InputRequest, ListRootsRequest, ListRootsResult,
        RequestNoParam,
    },
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{error::ToolError, task::RunningTask};

/// Questions for the client, each under a key that names it across rounds. Keys must be the same
/// every time the handler runs, because on 2026-07-28 the handler runs again with the answers.
///
/// ```
/// use mcp_runtime::InputRequests;
/// use mcp_runtime::model::{CreateMessageRequestParams, ElicitationSchema, SamplingMessage};
///
/// let schema = ElicitationSchema::builder().required_string("name").build().unwrap();
/// let questions = InputRequests::new()
///     .elicit("user_name", "What is your name?", schema)
///     .sample("greeting", CreateMessageRequestParams::new(vec![SamplingMessage::user_text("Greet me")], 50))
///     .list_roots("client_roots");
/// assert_eq!(questions.len(), 3);
/// ```
#[derive(Debug, Clone, Default)]
pub struct InputRequests {
    requests: BTreeMap<String, InputRequest>,
}

impl InputRequests {
    /// No questions yet.
    ///
    /// ```
    /// assert!(mcp_runtime::InputRequests::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Ask the user to fill in a form (`elicitation/create`).
    ///
    /// ```
    /// use mcp_runtime::model::ElicitationSchema;
    /// let schema = ElicitationSchema::builder().required_bool("ok").build().unwrap();
    /// let questions = mcp_runtime::InputRequests::new().elicit("confirm", "Delete 3 files?", schema);
    /// ```
    pub fn elicit(mut self, key: impl Into<String>, message: impl Into<String>, schema: ElicitationSchema) -> Self {
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: message.into(),
            requested_schema: schema,
        };
        self.requests.insert(key.into(), InputRequest::Elicitation(ElicitRequest::new(params)));
        self
    }

    /// Ask the client's model for a completion (`sampling/createMessage`).
    ///
    /// ```
    /// use mcp_runtime::model::{CreateMessageRequestParams, SamplingMessage};
    /// let params = CreateMessageRequestParams::new(vec![SamplingMessage::user_text("Capital of France?")], 100);
    /// let questions = mcp_runtime::InputRequests::new().sample("capital", params);
    /// ```
    pub fn sample(mut self, key: impl Into<String>, params: CreateMessageRequestParams) -> Self {
        self.requests.insert(key.into(), InputRequest::CreateMessage(CreateMessageRequest::new(params)));
        self
    }

    /// Ask for the client's roots (`roots/list`): the directories or URIs it works in.
    ///
    /// ```
    /// let questions = mcp_runtime::InputRequests::new().list_roots("roots");
    /// ```
    pub fn list_roots(mut self, key: impl Into<String>) -> Self {
        let request: ListRootsRequest = RequestNoParam { method: Default::default(), extensions: Default::default() };
        self.requests.insert(key.into(), InputRequest::ListRoots(request));
        self
    }

    /// How many questions there are.
    ///
    /// ```
    /// assert_eq!(mcp_runtime::InputRequests::new().list_roots("r").len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// Whether there are no questions.
    ///
    /// ```
    /// assert!(mcp_runtime::InputRequests::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    pub(crate) fn into_requests(self) -> BTreeMap<String, InputRequest> {
        self.requests
    }

    /// The client capabilities these questions need (sampling, elicitation, roots).
    pub(crate) fn required_capabilities(&self) -> ClientCapabilities {
        let mut required = ClientCapabilities::default();
        for request in self.requests.values() {
            match request {
                InputRequest::CreateMessage(_) => required.sampling = Some(Default::default()),
                InputRequest::Elicitation(_) => required.elicitation = Some(Default::default()),
                InputRequest::ListRoots(_) => required.roots = Some(Default::default()),
                _ => {}
            }
        }
        required
    }
}

/// The client's answers to [`InputRequests`], by key.
///
/// ```
/// use mcp_runtime::prelude::*;
/// use mcp_runtime::InputRequests;
/// use mcp_runtime::model::ElicitationSchema;
///
/// /// Greet the user by name, asking for it.
/// #[mcp_tool]
/// async fn greet(ctx: Context) -> Result<String, ToolError> {
///     let schema = ElicitationSchema::builder().required_string("name").build().map_err(ToolError::new)?;
///     let answers = ctx.request_input(InputRequests::new().elicit("name", "What is your name?", schema)).await?;
///     let answer = answers.elicitation("name")?;
///     let name = answer.content.as_ref().and_then(|c| c["name"].as_str()).unwrap_or("stranger");
///     Ok(format!("Hello, {name}!"))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct InputResponses {
    answers: BTreeMap<String, Value>,
}

impl InputResponses {
    pub(crate) fn new(answers: BTreeMap<String, Value>) -> Self {
        Self { answers }
    }

    /// The user's answer to the form asked under `key`.
    ///
    /// ```
    /// # fn demo(answers: mcp_runtime::InputResponses) -> Result<(), mcp_runtime::ToolError> {
    /// let answer = answers.elicitation("confirm")?;
    /// # Ok(()) }
    /// ```
    pub fn elicitation(&self, key: &str) -> Result<ElicitResult, ToolError> {
        self.decode(key, "an elicitation result")
    }

    /// The model's completion asked for under `key`.
    ///
    /// ```
    /// # fn demo(answers: mcp_runtime::InputResponses) -> Result<(), mcp_runtime::ToolError> {
    /// let completion = answers.sampling("capital")?;
    /// # Ok(()) }
    /// ```
    pub fn sampling(&self, key: &str) -> Result<CreateMessageResult, ToolError> {
        self.decode(key, "a sampling result")
    }

    /// The client's roots asked for under `key`.
    ///
    /// ```
    /// # fn demo(answers: mcp_runtime::InputResponses) -> Result<(), mcp_runtime::ToolError> {
    /// let roots = answers.roots("roots")?.roots;
    /// # Ok(()) }
    /// ```
    pub fn roots(&self, key: &str) -> Result<ListRootsResult, ToolError> {
        self.decode(key, "a roots/list result")
    }

    fn decode<T: DeserializeOwned>(&self, key: &str, expected: &str) -> Result<T, ToolError> {
        let value =
            self.answers.get(key).ok_or_else(|| ToolError::new(format!("no answer under `{key}` was asked for")))?;
        serde_json::from_value(value.clone())
            .map_err(|error| ToolError::new(format!("the client's answer `{key}` is not {expected}: {error}")))
    }
}

/// Why a call stopped short of a result: it needs the client's input first (2026-07-28), or the
/// client sent something that is a protocol error.
pub(crate) enum Escalation {
    InputRequired(BTreeMap<String, InputRequest>),
    Protocol(McpError),
}

/// The answers a call arrived with (carried over from earlier rounds and new), what it ended
/// needing, and the task it became, if it did. Shared between the service and the call's
/// `Context`.
#[derive(Default)]
pub(crate) struct CallInputs {
    answers: BTreeMap<String, Value>,
    escalation: Mutex<Option<Escalation>>,
    /// The call may become a task (a task tool, a client that supports tasks).
    may_become_task: AtomicBool,
    /// Set once, when it does: from then on questions and progress go through the task.
    task: OnceLock<Arc<RunningTask>>,
}

impl CallInputs {
    pub(crate) fn new(answers: BTreeMap<String, Value>) -> Self {
        Self { answers, ..Self::default() }
    }

    /// Marks the call as one that becomes a task when it first waits.
    pub(crate) fn allow_task(&self) {
        self.may_become_task.store(true, Ordering::Relaxed);
    }

    pub(crate) fn may_become_task(&self) -> bool {
        self.may_become_task.load(Ordering::Relaxed)
    }

    /// The call is now the task `task`.
    pub(crate) fn became_task(&self, task: Arc<RunningTask>) {
        // Only the pipeline sets it, once per call.
        let _ = self.task.set(task);
    }

    /// The task the call became, if it did.
    pub(crate) fn task(&self) -> Option<&Arc<RunningTask>> {
        self.task.get()
    }

    pub(crate) fn answers(&self) -> &BTreeMap<String, Value> {
        &self.answers
    }

    /// The answers to `keys`, if every one arrived.
    pub(crate) fn answered<'a>(&self, mut keys: impl Iterator<Item = &'a String>) -> Option<BTreeMap<String, Value>> {
        keys.try_fold(BTreeMap::new(), |mut found, key| {
            found.insert(key.clone(), self.answers.get(key)?.clone());
            Some(found)
        })
    }

    /// Records why the call must stop; questions add up, a protocol error wins.
    pub(crate) fn escalate(&self, escalation: Escalation) {
        let mut slot = self.escalation.lock().unwrap_or_else(PoisonError::into_inner);
        match (&mut *slot, escalation) {
            (Some(Escalation::InputRequired(pending)), Escalation::InputRequired(more)) => pending.extend(more),
            (Some(Escalation::Protocol(_)), _) => {}
            (slot, escalation) => *slot = Some(escalation),
        }
    }

    pub(crate) fn take_escalation(&self) -> Option<Escalation> {
        self.escalation.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Whether `available` has every capability `required` names (the kinds only, not their options).
pub(crate) fn missing_capabilities(
    required: &ClientCapabilities,
    available: &ClientCapabilities,
) -> ClientCapabilities {
    let mut missing = ClientCapabilities::default();
    if required.sampling.is_some() && available.sampling.is_none() {
        missing.sampling = Some(Default::default());
    }
    if required.elicitation.is_some() && available.elicitation.is_none() {
        missing.elicitation = Some(Default::default());
    }
    if required.roots.is_some() && available.roots.is_none() {
        missing.roots = Some(Default::default());
    }
    missing
}

pub(crate) fn is_empty(capabilities: &ClientCapabilities) -> bool {
    capabilities.sampling.is_none() && capabilities.elicitation.is_none() && capabilities.roots.is_none()
}

/// Whether `answer` has the shape of an answer to `request`.
pub(crate) fn check_answer(request: &InputRequest, answer: &Value) -> Result<(), String> {
    fn shape<T: DeserializeOwned>(answer: &Value, expected: &str) -> Result<(), String> {
        T::deserialize(answer).map(drop).map_err(|error| format!("not {expected}: {error}"))
    }
    match request {
        InputRequest::Elicitation(_) => shape::<ElicitResult>(answer, "an elicitation result"),
        InputRequest::CreateMessage(_) => shape::<CreateMessageResult>(answer, "a sampling result"),
        InputRequest::ListRoots(_) => shape::<ListRootsResult>(answer, "a roots/list result"),
        _ => Ok(()),
    }
}
