//! The four lists (tools, prompts, resources, resource templates): one page each, showing the
//! caller what it may use, with the cache hints that fit.

use std::sync::Arc;

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{
        CacheScope, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
        PaginatedRequestParams, Prompt, Resource, ResourceTemplate, Tool,
    },
    service::RequestContext,
};

use super::McpService;
use crate::{auth::ListPolicy, compose::Mount, input::CallInputs, pagination::page};

impl McpService {
    pub(crate) async fn handle_list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let registry = self.shared().registry.catalog();
        let mounts = &self.shared().mounts;
        // A mounted server's list is already what the caller may see there.
        let scopes_of = |tool: &Tool| {
            registry.tool(&tool.name).map(|entry| entry.definition.scopes).or_else(|| mounted(mounts.named(&tool.name)))
        };
        let (tools, next_cursor, scope) = if mounts.is_empty() {
            self.visible_page(registry.tool_list(), scopes_of, &context, request.as_ref(), "tools")?
        } else {
            let mut all: Vec<Tool> = registry
                .tool_list()
                .iter()
                .cloned()
                .chain(mounts.tools(&self.for_mount(context.clone())).await?)
                .collect();
            all.sort_by(|a, b| a.name.cmp(&b.name));
            self.visible_page(&all, scopes_of, &context, request.as_ref(), "tools")?
        };
        let mut result = ListToolsResult::with_all_items(tools).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    pub(crate) async fn handle_list_prompts(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        let registry = self.shared().registry.catalog();
        let mounts = &self.shared().mounts;
        let scopes_of = |prompt: &Prompt| {
            registry
                .prompt(&prompt.name)
                .map(|entry| entry.definition.scopes)
                .or_else(|| mounted(mounts.named(&prompt.name)))
        };
        let (prompts, next_cursor, scope) = if mounts.is_empty() {
            self.visible_page(registry.prompt_list(), scopes_of, &context, request.as_ref(), "prompts")?
        } else {
            let mounted = mounts.prompts(&self.for_mount(context.clone())).await?;
            let mut all: Vec<Prompt> = registry.prompt_list().iter().cloned().chain(mounted).collect();
            all.sort_by(|a, b| a.name.cmp(&b.name));
            self.visible_page(&all, scopes_of, &context, request.as_ref(), "prompts")?
        };
        let mut result = ListPromptsResult::with_all_items(prompts).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    pub(crate) async fn handle_list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let registry = self.shared().registry.catalog();
        let mounts = &self.shared().mounts;
        let mut all = registry.resource_list().to_vec();
        if !mounts.is_empty() {
            all.extend(mounts.resources(&self.for_mount(context.clone())).await?);
            all.sort_by(|a, b| a.uri.cmp(&b.uri));
        }
        let principal = self.principal_of(&context);
        for template in registry.listing_templates() {
            if let Some(lister) = &template.lister {
                let inputs = Arc::new(CallInputs::new(Default::default()));
                let ctx = self.call_context(context.clone(), template.name, principal.clone(), inputs);
                all.extend(lister.list(ctx).await.into_iter().map(|resource| template.complete_listed(resource)));
            }
        }
        // A listed resource has the scopes of the template its URI matches; one no enabled
        // template reads could not be read, so it is not listed.
        let scopes_of = |resource: &Resource| {
            registry
                .resource(&resource.uri)
                .map(|(found, _)| found.scopes)
                .or_else(|| mounted(mounts.of_uri(&resource.uri)))
        };
        let (resources, next_cursor, scope) =
            self.visible_page(&all, scopes_of, &context, request.as_ref(), "resources")?;
        let mut result =
            ListResourcesResult::with_all_items(resources).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    pub(crate) async fn handle_list_resource_templates(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        let registry = self.shared().registry.catalog();
        let mounts = &self.shared().mounts;
        let scopes_of = |template: &ResourceTemplate| {
            registry
                .template(&template.uri_template)
                .map(|template| template.scopes)
                .or_else(|| mounted(mounts.of_uri(&template.uri_template)))
        };
        let list = "resource templates";
        let (templates, next_cursor, scope) = if mounts.is_empty() {
            self.visible_page(registry.template_list(), scopes_of, &context, request.as_ref(), list)?
        } else {
            let mounted = mounts.templates(&self.for_mount(context.clone())).await?;
            let mut all: Vec<ResourceTemplate> = registry.template_list().iter().cloned().chain(mounted).collect();
            all.sort_by(|a, b| a.uri_template.cmp(&b.uri_template));
            self.visible_page(&all, scopes_of, &context, request.as_ref(), list)?
        };
        let mut result =
            ListResourceTemplatesResult::with_all_items(templates).with_ttl_ms(self.ttl_ms()).with_cache_scope(scope);
        result.next_cursor = next_cursor;
        Ok(result)
    }

    fn ttl_ms(&self) -> u64 {
        u64::try_from(self.shared().list_ttl.as_millis()).unwrap_or(u64::MAX)
    }

    /// One page of a list, showing the caller only what it may use (unless the policy shows
    /// everything), with the cache scope that fits: private once the list depends on the caller.
    /// `scopes_of` is `None` for a disabled item, which nobody sees.
    fn visible_page<T: Clone>(
        &self,
        items: &[T],
        scopes_of: impl Fn(&T) -> Option<&'static [&'static str]>,
        context: &RequestContext<RoleServer>,
        request: Option<&PaginatedRequestParams>,
        list: &str,
    ) -> Result<(Vec<T>, Option<String>, CacheScope), McpError> {
        let filtered = self.shared().auth.list_policy == ListPolicy::Hide
            && items.iter().any(|item| scopes_of(item).is_some_and(|scopes| !scopes.is_empty()));
        let principal = filtered.then(|| self.principal_of(context));
        let visible = items
            .iter()
            .filter(|item| {
                scopes_of(item).is_some_and(|scopes| {
                    principal.as_ref().is_none_or(|principal| principal.missing_scopes(scopes).is_empty())
                })
            })
            .cloned()
            .collect();
        let (page, next_cursor) = page(visible, request, list, self.shared().limits.page_size)?;
        let scope = if filtered { CacheScope::Private } else { CacheScope::Public };
        Ok((page, next_cursor, scope))
    }
}

/// The scopes `visible_page` sees for an item a mount serves: the mount's own (a mounted server
/// listed only what the caller may use there).
fn mounted<T>(found: Option<(&Mount, T)>) -> Option<&'static [&'static str]> {
    found.map(|(mount, _)| mount.scopes)
}
