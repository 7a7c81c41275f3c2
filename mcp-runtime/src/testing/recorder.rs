//! What the test client does with what the server sends it: records every notification and
//! request, and answers the requests it has [`Answers`] for.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still part of the protocol.

use std::sync::{Arc, Mutex, PoisonError};

use rmcp::{
    ClientHandler, RoleClient,
    model::{
        ClientConfig, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams, ElicitResult, ErrorData,
        InputRequest, ListRootsResult, LoggingMessageNotificationParam, ProgressNotificationParam, ProtocolVersion,
        ResourceUpdatedNotificationParam,
    },
    service::{NotificationContext, RequestContext},
};

use super::Answers;

/// Notifications the client received, in arrival order.
#[derive(Debug, Default, Clone)]
pub struct Recorded {
    /// `notifications/progress`.
    pub progress: Vec<ProgressNotificationParam>,
    /// `notifications/message`.
    pub logs: Vec<LoggingMessageNotificationParam>,
    /// URIs of `notifications/resources/updated`.
    pub resource_updates: Vec<String>,
    /// `tools`, `resources` or `prompts`, for each `notifications/*/list_changed`.
    pub list_changes: Vec<&'static str>,
    /// The elicitations the server asked for, answered or not.
    pub elicitations: Vec<ElicitRequestParams>,
    /// The sampling requests the server made, answered or not.
    pub sampling_requests: Vec<CreateMessageRequestParams>,
    /// How many times the server asked for the client's roots.
    pub roots_requests: usize,
}

#[derive(Clone)]
pub(super) struct Recorder {
    recorded: Arc<Mutex<Recorded>>,
    version: ProtocolVersion,
    answers: Answers,
}

impl Recorder {
    /// Records one question of an `input_required` result or a task, and answers it if the
    /// answers cover it.
    pub(super) fn answer_input(&self, request: &InputRequest) -> Option<serde_json::Value> {
        let answer = match request {
            InputRequest::Elicitation(request) => {
                self.with(|recorded| recorded.elicitations.push(request.params.clone()));
                serde_json::to_value(self.answers.answer_elicitation(&request.params)?)
            }
            InputRequest::CreateMessage(request) => {
                self.with(|recorded| recorded.sampling_requests.push(request.params.clone()));
                serde_json::to_value(self.answers.answer_sampling(&request.params)?)
            }
            InputRequest::ListRoots(_) => {
                self.with(|recorded| recorded.roots_requests += 1);
                serde_json::to_value(self.answers.answer_roots()?)
            }
            #[allow(unreachable_patterns)]
            _ => return None,
        };
        answer.ok()
    }

    pub(super) fn new(version: ProtocolVersion, answers: Answers) -> Self {
        Self { recorded: Arc::default(), version, answers }
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&mut Recorded) -> R) -> R {
        f(&mut self.recorded.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl ClientHandler for Recorder {
    async fn on_progress(&self, params: ProgressNotificationParam, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.progress.push(params));
    }

    async fn on_logging_message(
        &self,
        params: LoggingMessageNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.with(|recorded| recorded.logs.push(params));
    }

    async fn on_resource_updated(
        &self,
        params: ResourceUpdatedNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.with(|recorded| recorded.resource_updates.push(params.uri));
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("resources"));
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("tools"));
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.with(|recorded| recorded.list_changes.push("prompts"));
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        let answer = self.answers.answer_elicitation(&request);
        self.with(|recorded| recorded.elicitations.push(request));
        answer.ok_or_else(ErrorData::method_not_found::<rmcp::model::ElicitationCreateRequestMethod>)
    }

    async fn create_message(
        &self,
        request: CreateMessageRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<CreateMessageResult, ErrorData> {
        let answer = self.answers.answer_sampling(&request);
        self.with(|recorded| recorded.sampling_requests.push(request));
        answer.ok_or_else(ErrorData::method_not_found::<rmcp::model::CreateMessageRequestMethod>)
    }

    async fn list_roots(&self, _context: RequestContext<RoleClient>) -> Result<ListRootsResult, ErrorData> {
        self.with(|recorded| recorded.roots_requests += 1);
        self.answers.answer_roots().ok_or_else(ErrorData::method_not_found::<rmcp::model::ListRootsRequestMethod>)
    }

    fn get_info(&self) -> ClientConfig {
        let mut config = ClientConfig::default();
        config.capabilities = self.answers.capabilities();
        config.protocol_version = self.version.clone();
        config.client_info = rmcp::model::Implementation::new("mcp-runtime-test-client", env!("CARGO_PKG_VERSION"));
        config
    }
}
