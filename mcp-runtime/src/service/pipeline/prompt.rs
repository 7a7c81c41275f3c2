//! `prompts/get`: the prompt's lookup and argument checks, then the shared stages.

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{GetPromptRequestParams, GetPromptResponse},
    service::RequestContext,
};

use super::{Invocation, Invoked};
use crate::{
    failure::{Item, Kind, to_error},
    prompt::PromptArguments,
    registry::Catalog,
    service::McpService,
};

impl McpService {
    pub(crate) async fn get_registered_prompt(
        &self,
        registry: &Catalog,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let Some(entry) = registry.prompt(&request.name) else {
            let known: Vec<&str> = registry
                .prompt_list()
                .iter()
                .map(|prompt| prompt.name.as_str())
                .filter(|name| registry.prompt(name).is_some())
                .collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(McpError::invalid_params(
                format!("unknown prompt `{}`; available prompts: {known}", request.name),
                None,
            ));
        };
        let definition = &entry.definition;
        let item = Item { kind: Kind::Prompt, name: definition.name };
        let principal = self.authorize(&context, item, definition.scopes)?;
        let arguments = PromptArguments::new(request.arguments.unwrap_or_default(), definition.arguments)
            .map_err(|problem| McpError::invalid_params(format!("{item}: {problem}"), None))?;
        if let Some(constraints) = &entry.constraints {
            constraints.check(|name| arguments.text(name)).map_err(|violations| {
                McpError::invalid_params(format!("{item}: invalid arguments: {violations}"), None)
            })?;
        }
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let invocation = Invocation { item, logger: definition.name, principal, inputs, slots: None, timeout: None };
        let (ctx, cancelled) = self.start(&invocation, context);
        match self.invoke(invocation, cancelled, (definition.call)(arguments, ctx)).await? {
            Invoked::Answered(Ok(result)) => Ok(result.into()),
            Invoked::Answered(Err(failure)) | Invoked::Failed(failure) => Err(to_error(&failure, item)),
            Invoked::InputRequired(input_required) => Ok(input_required.into()),
        }
    }
}
