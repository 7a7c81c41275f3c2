//! A built server as another's mount ([`Upstream`]).

use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler,
    model::{
        CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, GetPromptRequestParams,
        GetPromptResponse, PaginatedRequestParams, Prompt, ReadResourceRequestParams, ReadResourceResponse, Resource,
        ResourceTemplate, Tool,
    },
    service::RequestContext,
};

use super::McpService;
use crate::{
    auth::Principal,
    compose::{Answer, Upstream},
    failure::{Item, Kind},
};

/// The most pages of one list read from a mounted server, against a cursor that never ends.
const MAX_PAGES: usize = 1000;

/// Every page of a list, following `nextCursor`.
async fn all_pages<T, R, F, Fut>(mut page: F, items: fn(R) -> (Vec<T>, Option<String>)) -> Result<Vec<T>, McpError>
where
    F: FnMut(Option<PaginatedRequestParams>) -> Fut,
    Fut: std::future::Future<Output = Result<R, McpError>>,
{
    let (mut all, mut cursor) = (Vec::new(), None);
    for _ in 0..MAX_PAGES {
        let request = cursor.take().map(|cursor| PaginatedRequestParams::default().with_cursor(Some(cursor)));
        let (found, next) = items(page(request).await?);
        all.extend(found);
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
    Err(McpError::internal_error("a mounted server's list did not end", None))
}

/// A `Server` of this process mounted in another: its own handler answers, so its scopes, state
/// and middleware apply, for the parent's caller.
impl Upstream for McpService {
    fn tools(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Tool>> {
        Box::pin(all_pages(
            move |page| ServerHandler::list_tools(self, page, context.clone()),
            |r| (r.tools, r.next_cursor),
        ))
    }

    fn call_tool(
        &self,
        params: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, CallToolResponse> {
        Box::pin(ServerHandler::call_tool(self, params, context))
    }

    fn prompts(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Prompt>> {
        Box::pin(all_pages(
            move |page| ServerHandler::list_prompts(self, page, context.clone()),
            |r| (r.prompts, r.next_cursor),
        ))
    }

    fn get_prompt(
        &self,
        params: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, GetPromptResponse> {
        Box::pin(ServerHandler::get_prompt(self, params, context))
    }

    fn resources(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<Resource>> {
        Box::pin(all_pages(
            move |page| ServerHandler::list_resources(self, page, context.clone()),
            |r| (r.resources, r.next_cursor),
        ))
    }

    fn templates(&self, context: RequestContext<RoleServer>) -> Answer<'_, Vec<ResourceTemplate>> {
        Box::pin(all_pages(
            move |page| ServerHandler::list_resource_templates(self, page, context.clone()),
            |r| (r.resource_templates, r.next_cursor),
        ))
    }

    fn read_resource(
        &self,
        params: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, ReadResourceResponse> {
        Box::pin(ServerHandler::read_resource(self, params, context))
    }

    fn complete(
        &self,
        params: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Answer<'_, CompleteResult> {
        Box::pin(ServerHandler::complete(self, params, context))
    }

    fn subscribe(&self, uri: String, context: RequestContext<RoleServer>) -> Answer<'_, ()> {
        // Its updates reach the parent through its notifier (`Notifier::relay_to`); what is
        // left is to refuse what it would refuse.
        Box::pin(async move {
            let (definition, _) = self.find_resource(&uri)?;
            self.authorize(&context, Item { kind: Kind::Resource, name: &uri }, definition.scopes)?;
            Ok(())
        })
    }

    fn may_read(&self, principal: &Principal, uri: &str) -> bool {
        let catalog = self.shared().registry.catalog();
        catalog.resource(uri).is_some_and(|(definition, _)| principal.missing_scopes(definition.scopes).is_empty())
    }
}
