//! What a [`TestClient`](super::TestClient) answers when the server asks it something: the user's
//! reply to an elicitation, the model's reply to a sampling request, the client's roots.

#![allow(deprecated)] // sampling and roots (SEP-2577) are deprecated but still part of the protocol.

use std::sync::Arc;

use rmcp::model::{
    ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams, ElicitResult,
    ElicitationCapability, FormElicitationCapability, ListRootsResult, Root, RootsCapabilities, SamplingCapability,
};

type Elicit = dyn Fn(&ElicitRequestParams) -> ElicitResult + Send + Sync;
type Sample = dyn Fn(&CreateMessageRequestParams) -> CreateMessageResult + Send + Sync;

/// The client's side of elicitation, sampling and roots. Each one given is also declared as a
/// client capability; one left out is not, so a test can see how a tool copes without it.
///
/// The same answers serve both ways of asking: a 2025 server sends the client a request, a
/// 2026-07-28 server returns `input_required` and the client retries with the answers.
///
/// ```
/// use mcp_runtime::testing::Answers;
/// use mcp_runtime::model::{ElicitResult, ElicitationAction, Root};
///
/// let answers = Answers::new()
///     .elicit(|_request| ElicitResult::new(ElicitationAction::Accept).with_content(serde_json::json!({"name": "Ada"})))
///     .roots(vec![Root::new("file:///workspace")]);
/// let capabilities = answers.capabilities();
/// assert!(capabilities.elicitation.is_some() && capabilities.roots.is_some());
/// assert!(capabilities.sampling.is_none());
/// ```
#[derive(Clone, Default)]
pub struct Answers {
    elicit: Option<Arc<Elicit>>,
    sample: Option<Arc<Sample>>,
    roots: Option<Vec<Root>>,
    tasks: bool,
}

impl Answers {
    /// Answers nothing and declares no client capability.
    ///
    /// ```
    /// let capabilities = mcp_runtime::testing::Answers::new().capabilities();
    /// assert!(capabilities.elicitation.is_none() && capabilities.sampling.is_none() && capabilities.roots.is_none());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers every elicitation with `reply(request)`, as the user would.
    ///
    /// ```
    /// use mcp_runtime::model::{ElicitResult, ElicitationAction};
    /// let answers = mcp_runtime::testing::Answers::new().elicit(|_| ElicitResult::new(ElicitationAction::Decline));
    /// assert!(answers.capabilities().elicitation.is_some());
    /// ```
    pub fn elicit(mut self, reply: impl Fn(&ElicitRequestParams) -> ElicitResult + Send + Sync + 'static) -> Self {
        self.elicit = Some(Arc::new(reply));
        self
    }

    /// Answers every sampling request with `reply(request)`, as the model would.
    ///
    /// ```
    /// use mcp_runtime::model::{CreateMessageResult, SamplingMessage};
    /// let answers = mcp_runtime::testing::Answers::new()
    ///     .sample(|_| CreateMessageResult::new(SamplingMessage::assistant_text("42"), "test-model".into()));
    /// assert!(answers.capabilities().sampling.is_some());
    /// ```
    pub fn sample(
        mut self,
        reply: impl Fn(&CreateMessageRequestParams) -> CreateMessageResult + Send + Sync + 'static,
    ) -> Self {
        self.sample = Some(Arc::new(reply));
        self
    }

    /// Answers `roots/list` with `roots`.
    ///
    /// ```
    /// use mcp_runtime::model::Root;
    /// let answers = mcp_runtime::testing::Answers::new().roots(vec![Root::new("file:///tmp")]);
    /// assert!(answers.capabilities().roots.is_some());
    /// ```
    pub fn roots(mut self, roots: Vec<Root>) -> Self {
        self.roots = Some(roots);
        self
    }

    /// Declares the tasks extension (`io.modelcontextprotocol/tasks`): a task tool's call may then
    /// answer with a task, which [`TestClient::call_tool`](super::TestClient::call_tool) polls to
    /// its end (answering its questions with these answers) and
    /// [`TestClient::start_task`](super::TestClient::start_task) hands over as it is.
    ///
    /// ```
    /// let capabilities = mcp_runtime::testing::Answers::new().tasks().capabilities();
    /// assert!(capabilities.supports_tasks());
    /// ```
    pub fn tasks(mut self) -> Self {
        self.tasks = true;
        self
    }

    /// The client capabilities these answers declare.
    ///
    /// ```
    /// let capabilities = mcp_runtime::testing::Answers::new().roots(Vec::new()).capabilities();
    /// assert_eq!(capabilities.roots.unwrap().list_changed, Some(false));
    /// ```
    pub fn capabilities(&self) -> ClientCapabilities {
        let mut capabilities = ClientCapabilities::default();
        if self.elicit.is_some() {
            let mut elicitation = ElicitationCapability::new();
            elicitation.form = Some(FormElicitationCapability::new());
            capabilities.elicitation = Some(elicitation);
        }
        if self.sample.is_some() {
            capabilities.sampling = Some(SamplingCapability::default());
        }
        if self.roots.is_some() {
            let mut roots = RootsCapabilities::default();
            roots.list_changed = Some(false);
            capabilities.roots = Some(roots);
        }
        if self.tasks {
            let extensions = capabilities.extensions.get_or_insert_with(Default::default);
            extensions.insert(rmcp::model::TASKS_EXTENSION_ID.to_owned(), Default::default());
        }
        capabilities
    }

    pub(super) fn answer_elicitation(&self, request: &ElicitRequestParams) -> Option<ElicitResult> {
        self.elicit.as_ref().map(|reply| reply(request))
    }

    pub(super) fn answer_sampling(&self, request: &CreateMessageRequestParams) -> Option<CreateMessageResult> {
        self.sample.as_ref().map(|reply| reply(request))
    }

    pub(super) fn answer_roots(&self) -> Option<ListRootsResult> {
        self.roots.clone().map(ListRootsResult::new)
    }
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Answers")
            .field("elicit", &self.elicit.is_some())
            .field("sample", &self.sample.is_some())
            .field("roots", &self.roots)
            .field("tasks", &self.tasks)
            .finish()
    }
}
