//! `tools/call`: the tool's stages, and its finish (a structured value wrapped as the schema
//! says, the result's size held to the server's limit).

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{CallToolRequestParams, CallToolResponse},
    service::RequestContext,
};

use super::{Invocation, Invoked};
use crate::{
    failure::{Failure, Item, Kind, to_tool_result},
    limit::result_exceeds,
    registry::{Catalog, ToolEntry},
    schema::wrap_result,
    service::McpService,
};

impl McpService {
    /// A `tools/call` for a tool the registry has: the lookup is the caller's, done once.
    pub(crate) async fn call_registered_tool(
        &self,
        entry: &ToolEntry,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let definition = &entry.definition;
        let item = Item { kind: Kind::Tool, name: definition.name };
        let principal = self.authorize(&context, item, definition.scopes)?;
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let invocation = Invocation {
            item,
            logger: definition.name,
            principal,
            inputs,
            slots: Some(entry.limiter.as_ref()),
            timeout: definition.timeout.or(self.shared().limits.tool_timeout),
        };
        let arguments = request.arguments.unwrap_or_default();
        let invoked = self
            .invoke(invocation, context, |ctx| {
                // Decoding happens here, before any slot is taken; the future borrows nothing.
                (definition.call)(arguments, entry.validator.as_ref(), ctx)
            })
            .await?;
        let failure = match invoked {
            Invoked::InputRequired(input_required) => return Ok(input_required.into()),
            Invoked::Answered(mut result) => {
                if entry.wraps_result {
                    wrap_result(&mut result);
                }
                let limit = self.shared().limits.max_result_bytes;
                if !result_exceeds(&result, limit) {
                    return Ok(result.into());
                }
                tracing::warn!(tool = item.name, limit, "tool result over the size limit; replaced by an error");
                Failure::TooLarge { size: None, limit }
            }
            Invoked::Failed(failure) => failure,
        };
        if let Failure::TimedOut(limit) = failure {
            tracing::warn!(tool = item.name, timeout_ms = limit.as_millis(), "tool call timed out");
        }
        Ok(to_tool_result(&failure, item).into())
    }
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
