//! The answers a call arrives with (2026-07-28's `inputResponses` and sealed `requestState`),
//! and what a call that stopped for input answers instead of a result.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use rmcp::{
    ErrorData as McpError,
    model::{InputRequiredResult, InputResponses, SealOptions},
};

use crate::{
    failure::Item,
    input::{CallInputs, Escalation},
    service::McpService,
};

/// How long a client may take to answer an `input_required` result.
const REQUEST_STATE_TTL: Duration = Duration::from_secs(15 * 60);

impl McpService {
    /// The answers sealed in `requestState` by earlier rounds, plus the new `inputResponses`.
    /// A state this server did not issue for this item is refused.
    pub(crate) fn call_inputs(
        &self,
        item: Item<'_>,
        responses: Option<InputResponses>,
        state: Option<&str>,
    ) -> Result<Arc<CallInputs>, McpError> {
        let mut answers: BTreeMap<String, serde_json::Value> = match state {
            None => Default::default(),
            Some(sealed) => {
                self.shared().request_state.open_json_with(sealed, item.to_string().as_bytes()).map_err(|error| {
                    tracing::debug!(%item, %error, "refused a requestState");
                    McpError::invalid_params(
                        format!("`requestState` was not issued by this server for {item}, was altered, or has expired"),
                        None,
                    )
                })?
            }
        };
        answers.extend(responses.unwrap_or_default());
        Ok(Arc::new(CallInputs::new(answers)))
    }

    /// What a call that stopped for input (or on a protocol error) answers instead of a result.
    pub(crate) fn escalated(
        &self,
        item: Item<'_>,
        inputs: &CallInputs,
        escalation: Escalation,
    ) -> Result<InputRequiredResult, McpError> {
        match escalation {
            Escalation::Protocol(error) => Err(error),
            Escalation::InputRequired(requests) => {
                let bound_to = item.to_string();
                let options = SealOptions::new().associated_data(bound_to.as_bytes()).ttl(REQUEST_STATE_TTL);
                let state =
                    self.shared().request_state.seal_json_with(inputs.answers(), &options).map_err(|error| {
                        McpError::internal_error(format!("cannot seal the request state: {error}"), None)
                    })?;
                Ok(InputRequiredResult::new(Some(requests), Some(state)))
            }
        }
    }
}
