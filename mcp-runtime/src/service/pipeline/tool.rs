//! `tools/call`: the tool's stages, and its finish (a structured value wrapped as the schema
//! says, the result's size held to the server's limit).

use std::{future::Future, sync::Arc};

use futures::{
    FutureExt,
    future::{BoxFuture, Either, ready},
};

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{CallToolRequestParams, CallToolResponse, CallToolResult, ClientCapabilities},
    service::RequestContext,
};

use super::{Invocation, Invoked, task::TaskCall};
use crate::{
    failure::{Failure, Item, Kind, to_tool_result},
    limit::result_exceeds,
    registry::{Catalog, ToolEntry},
    schema::wrap_result,
    service::McpService,
    task::TaskSupport,
};

impl McpService {
    /// A `tools/call` for a tool the registry has: the lookup is the caller's, done once.
    ///
    /// The checks (scopes, input state, whether it runs as a task) and the handler's start
    /// (decoding its arguments) happen here, before the returned future is first polled; the
    /// future holds the running call and nothing else: it is one part of every request's
    /// future, which is moved and boxed once per call. A task's call is boxed: few are.
    pub(crate) fn call_registered_tool(
        &self,
        entry: Arc<ToolEntry>,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<CallToolResponse, McpError>> + Send + '_ {
        let definition = &entry.definition;
        let item = Item { kind: Kind::Tool, name: definition.name };
        let checked = self.authorize(&context, item, definition.scopes).and_then(|principal| {
            let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
            Ok((principal, inputs))
        });
        let (principal, inputs) = match checked {
            Ok(checked) => checked,
            Err(error) => return Either::Right(Box::pin(ready(Err(error))) as Boxed<'_>),
        };
        if let Some(support) = definition.task {
            let client_has_tasks = context.client_capabilities().is_some_and(|caps| caps.supports_tasks());
            match &self.shared().tasks {
                Some(settings) if client_has_tasks => {
                    let arguments = request.arguments.unwrap_or_default();
                    let call = TaskCall { entry: entry.clone(), principal, inputs, arguments };
                    return Either::Right(Box::pin(self.call_as_task(call, settings, context)));
                }
                _ if support == TaskSupport::Required => {
                    return Either::Right(Box::pin(ready(Err(tasks_required(item)))));
                }
                _ => {}
            }
        }
        let invocation = Invocation {
            item,
            logger: definition.name,
            principal,
            inputs,
            slots: Some(entry.limiter.clone()),
            timeout: definition.timeout.or(self.shared().limits.tool_timeout),
        };
        let arguments = request.arguments.unwrap_or_default();
        let (ctx, cancelled) = self.start(&invocation, context);
        // Decoding happens here, before any slot is taken; the future borrows nothing.
        let handler = (definition.call)(arguments, entry.validator.as_ref(), ctx);
        let running = self.invoke(invocation, cancelled, handler);
        // `map`, not an `async` block: awaiting `running` there would keep a second copy of it.
        Either::Left(running.map(move |invoked| Ok(self.finish_tool_call(&entry, item, invoked?))))
    }

    /// What a tool call that ended answers: its result (wrapped as its schema says, held to the
    /// size limit), the questions for the client, or its failure as a tool error.
    pub(crate) fn finish_tool_call(
        &self,
        entry: &ToolEntry,
        item: Item<'_>,
        invoked: Invoked<CallToolResult>,
    ) -> CallToolResponse {
        let failure = match invoked {
            Invoked::InputRequired(input_required) => return input_required.into(),
            Invoked::Answered(mut result) => {
                if entry.wraps_result {
                    wrap_result(&mut result);
                }
                let limit = self.shared().limits.max_result_bytes;
                if !result_exceeds(&result, limit) {
                    return result.into();
                }
                tracing::warn!(tool = item.name, limit, "tool result over the size limit; replaced by an error");
                Failure::TooLarge { size: None, limit }
            }
            Invoked::Failed(failure) => failure,
        };
        if let Failure::TimedOut(limit) = failure {
            tracing::warn!(tool = item.name, timeout_ms = limit.as_millis(), "tool call timed out");
        }
        to_tool_result(&failure, item).into()
    }
}

/// A call that does not run inline: refused before it started, or a task's.
type Boxed<'a> = BoxFuture<'a, Result<CallToolResponse, McpError>>;

/// The error for a `task = "required"` tool called by a client that does not support tasks.
fn tasks_required(item: Item<'_>) -> McpError {
    tracing::debug!(%item, "refused: the tool runs only as a task and the client does not support tasks");
    McpError::missing_required_client_capability(ClientCapabilities::builder().enable_tasks().build())
}

/// The error for a tool the registry does not have (or has disabled), naming some it has.
pub(crate) fn unknown_tool(name: &str, registry: &Catalog) -> McpError {
    const SHOWN: usize = 20;
    let mut enabled =
        registry.tool_list().iter().map(|tool| tool.name.as_ref()).filter(|name| registry.tool(name).is_some());
    let mut known: Vec<&str> = enabled.by_ref().take(SHOWN).collect();
    if enabled.next().is_some() {
        known.push("...");
    }
    let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
    McpError::invalid_params(format!("unknown tool `{name}`; available tools: {known}"), None)
}
