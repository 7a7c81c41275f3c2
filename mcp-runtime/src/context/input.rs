//! Asking the client for input in the middle of a call: elicitation, sampling, roots, in both
//! protocol eras.

#![allow(deprecated)] // client logging (SEP-2577) is deprecated but still used by 2025 clients.

use std::collections::BTreeMap;

use rmcp::{
    ErrorData as McpError,
    model::{
        ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitResult, ElicitationSchema,
        InputRequest, ListRootsResult, ProtocolVersion,
    },
};

use super::Context;
use crate::{
    error::ToolError,
    input::{self, Escalation, InputRequests, InputResponses},
};

impl Context {
    /// Asks the client for input: a form for the user, a completion from its model, its roots.
    ///
    /// A 2025 client is asked now, one question after another. A 2026-07-28 client cannot be
    /// asked mid-call: this returns an error that ends the call (propagate it with `?`), the
    /// client receives an `input_required` result, answers, and calls again; the handler then
    /// runs from the start and this returns the answers. So the code before it may run more
    /// than once: keep side effects after the questions. Answers from earlier rounds are carried
    /// in a sealed `requestState` the server verifies.
    ///
    /// In a call that has become a task (see [`Context::start_task`]), the task waits in
    /// `input_required` until the client answers with `tasks/update`, and this returns the
    /// answers: the handler does not run again.
    ///
    /// A client that lacks a capability the questions need gets the protocol's
    /// missing-capability error (2026-07-28) or a tool error saying so.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::InputRequests;
    /// use mcp_runtime::model::{CreateMessageRequestParams, ElicitationSchema, SamplingMessage};
    ///
    /// /// Write a greeting for the user, asking their name and drafting with the client's model.
    /// #[mcp_tool]
    /// async fn welcome(ctx: Context) -> Result<String, ToolError> {
    ///     let schema = ElicitationSchema::builder().required_string("name").build().map_err(ToolError::new)?;
    ///     let draft = CreateMessageRequestParams::new(vec![SamplingMessage::user_text("Write a greeting")], 50);
    ///     let answers = ctx
    ///         .request_input(InputRequests::new().elicit("name", "What is your name?", schema).sample("draft", draft))
    ///         .await?;
    ///     let name = answers.elicitation("name")?.content.unwrap_or_default();
    ///     let draft = answers.sampling("draft")?;
    ///     Ok(format!("{name}: {:?}", draft.message.content))
    /// }
    /// ```
    pub async fn request_input(&self, questions: InputRequests) -> Result<InputResponses, ToolError> {
        let latest = self.protocol_version().is_some_and(|version| version >= ProtocolVersion::V_2026_07_28);
        let available = self.request.client_capabilities().unwrap_or_default();
        let missing = input::missing_capabilities(&questions.required_capabilities(), &available);
        if !input::is_empty(&missing) {
            let message = format!("the client does not offer {}, which this call needs", describe(&missing));
            if latest {
                self.inputs.escalate(Escalation::Protocol(McpError::missing_required_client_capability(missing)));
            }
            return Err(ToolError::new(message));
        }
        let requests = questions.into_requests();
        if let Some(task) = self.inputs.task() {
            // A task asks through `tasks/get` and waits for `tasks/update`, in either era.
            return task.ask(requests).await.map(InputResponses::new);
        }
        if latest { self.answers_from_retry(requests) } else { self.ask_now(requests).await }
    }

    /// 2026-07-28: the answers the client sent with this round, or the questions for the next.
    fn answers_from_retry(&self, requests: BTreeMap<String, InputRequest>) -> Result<InputResponses, ToolError> {
        if let Some(answers) = self.inputs.answered(requests.keys()) {
            for (key, request) in &requests {
                if let Err(problem) = input::check_answer(request, &answers[key]) {
                    let message = format!("`inputResponses.{key}`: {problem}");
                    self.inputs.escalate(Escalation::Protocol(McpError::invalid_params(message.clone(), None)));
                    return Err(ToolError::new(message));
                }
            }
            return Ok(InputResponses::new(answers));
        }
        let pending: BTreeMap<String, InputRequest> =
            requests.into_iter().filter(|(key, _)| !self.inputs.answers().contains_key(key)).collect();
        let keys = pending.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
        self.inputs.escalate(Escalation::InputRequired(pending));
        Err(ToolError::new(format!("waiting for the client to answer {keys}")))
    }

    /// 2025: server-to-client requests, in key order.
    async fn ask_now(&self, requests: BTreeMap<String, InputRequest>) -> Result<InputResponses, ToolError> {
        let peer = self.peer();
        let mut answers = BTreeMap::new();
        for (key, request) in requests {
            let asked = match request {
                InputRequest::Elicitation(request) => {
                    self.unless_stopped(create_elicitation(peer, request)).await.map(|a| a.map(serde_json::to_value))
                }
                InputRequest::CreateMessage(request) => {
                    self.unless_stopped(peer.create_message(request.params)).await.map(|a| a.map(serde_json::to_value))
                }
                InputRequest::ListRoots(_) => {
                    self.unless_stopped(peer.list_roots()).await.map(|a| a.map(serde_json::to_value))
                }
                _ => return Err(ToolError::new(format!("`{key}` asks for input this server cannot request"))),
            };
            let answer = asked
                .ok_or_else(|| ToolError::new(format!("the client went away before it answered `{key}`")))?
                .map_err(|error| ToolError::new(format!("the client did not answer `{key}`: {error}")))?
                .map_err(|error| ToolError::new(format!("the client's answer to `{key}` is unreadable: {error}")))?;
            answers.insert(key, answer);
        }
        Ok(InputResponses::new(answers))
    }

    /// Asks the user to fill in a form; see [`Context::request_input`] for how this works on
    /// each protocol version.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::model::{ElicitationAction, ElicitationSchema};
    ///
    /// /// Delete every draft, after the user confirms.
    /// #[mcp_tool(destructive)]
    /// async fn delete_drafts(ctx: Context) -> Result<&'static str, ToolError> {
    ///     let schema = ElicitationSchema::builder().required_bool("ok").build().map_err(ToolError::new)?;
    ///     let answer = ctx.elicit("confirm", "Delete every draft?", schema).await?;
    ///     let confirmed = answer.action == ElicitationAction::Accept
    ///         && answer.content.as_ref().is_some_and(|content| content["ok"] == true);
    ///     Ok(if confirmed { "deleted" } else { "kept" })
    /// }
    /// ```
    pub async fn elicit(
        &self,
        key: &str,
        message: impl Into<String>,
        schema: ElicitationSchema,
    ) -> Result<ElicitResult, ToolError> {
        self.request_input(InputRequests::new().elicit(key, message, schema)).await?.elicitation(key)
    }

    /// Asks the client's model for a completion; see [`Context::request_input`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use mcp_runtime::model::{CreateMessageRequestParams, SamplingMessage};
    ///
    /// /// Summarise a text with the client's model.
    /// #[mcp_tool]
    /// async fn summarise(ctx: Context, text: String) -> Result<String, ToolError> {
    ///     let request = CreateMessageRequestParams::new(vec![SamplingMessage::user_text(text)], 200);
    ///     let answer = ctx.sample("summary", request).await?;
    ///     Ok(answer.message.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone()).unwrap_or_default())
    /// }
    /// ```
    pub async fn sample(
        &self,
        key: &str,
        request: CreateMessageRequestParams,
    ) -> Result<CreateMessageResult, ToolError> {
        self.request_input(InputRequests::new().sample(key, request)).await?.sampling(key)
    }

    /// Asks for the client's roots; see [`Context::request_input`].
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// How many roots the client works in.
    /// #[mcp_tool]
    /// async fn count_roots(ctx: Context) -> Result<usize, ToolError> {
    ///     Ok(ctx.list_roots("roots").await?.roots.len())
    /// }
    /// ```
    pub async fn list_roots(&self, key: &str) -> Result<ListRootsResult, ToolError> {
        self.request_input(InputRequests::new().list_roots(key)).await?.roots(key)
    }
}

fn describe(capabilities: &ClientCapabilities) -> String {
    let names: Vec<&str> = [
        capabilities.sampling.is_some().then_some("sampling"),
        capabilities.elicitation.is_some().then_some("elicitation"),
        capabilities.roots.is_some().then_some("roots"),
    ]
    .into_iter()
    .flatten()
    .collect();
    names.join(" and ")
}

/// `Peer::create_elicitation`, which rmcp offers only with its `elicitation` feature, whose other
/// gift is a URL parser for URL-mode elicitation (url, idna and about twenty ICU crates in every
/// server) that the runtime does not send.
async fn create_elicitation(
    peer: &rmcp::Peer<rmcp::RoleServer>,
    request: rmcp::model::ElicitRequest,
) -> Result<rmcp::model::ElicitResult, rmcp::ServiceError> {
    match peer.send_request(rmcp::model::ServerRequest::ElicitRequest(request)).await? {
        rmcp::model::ClientResult::ElicitResult(result) => Ok(result),
        _ => Err(rmcp::ServiceError::UnexpectedResponse),
    }
}
