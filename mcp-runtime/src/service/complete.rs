//! `completion/complete`: suggestions for a prompt's argument or a resource template's variable.

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{CompleteRequestParams, CompleteResult, CompletionInfo, Reference},
    service::RequestContext,
};

use super::{McpService, pipeline::contained};
use crate::failure::{Item, Kind};

impl McpService {
    pub(crate) async fn handle_complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        let registry = self.shared().registry.catalog();
        let own = match &request.r#ref {
            Reference::Prompt(prompt) => registry.prompt(&prompt.name).is_some(),
            Reference::Resource(template) => registry.template(&template.uri).is_some(),
            #[allow(unreachable_patterns)]
            _ => true,
        };
        if !own && let Some(mounted) = self.complete_mounted(&request, &context) {
            return mounted.await;
        }
        let (kind, name, scopes, completions) = match &request.r#ref {
            Reference::Prompt(prompt) => {
                let entry = registry
                    .prompt(&prompt.name)
                    .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{}`", prompt.name), None))?;
                (Kind::Prompt, prompt.name.as_str(), entry.definition.scopes, &entry.definition.completions)
            }
            Reference::Resource(template) => {
                let definition = registry.template(&template.uri).ok_or_else(|| {
                    McpError::invalid_params(format!("no resource template is `{}`", template.uri), None)
                })?;
                (Kind::ResourceTemplate, template.uri.as_str(), definition.scopes, &definition.completions)
            }
            _ => {
                return Err(McpError::invalid_params(
                    "completions are offered for prompts and resource templates",
                    None,
                ));
            }
        };
        self.authorize(&context, Item { kind, name }, scopes)?;
        let completer = completions.iter().find(|(argument, _)| *argument == request.argument.name);
        let completion = match completer {
            Some((_, completer)) => {
                match AssertUnwindSafe(completer.complete(request.argument.value)).catch_unwind().await {
                    Ok(completion) => completion,
                    Err(panic) => {
                        contained(Item { kind: Kind::Completion, name }, &*panic, &self.shared().env.metrics);
                        return Err(McpError::internal_error(
                            format!("completing `{name}` failed with an internal error; the server logged the details"),
                            None,
                        ));
                    }
                }
            }
            // Arguments without a completion source simply have no suggestions.
            None => CompletionInfo::default(),
        };
        Ok(CompleteResult::new(completion))
    }
}
