//! One immutable view of what the server offers: lookups by name, and the list responses, built
//! once per change. Requests read the current catalog; a change builds the next one.

use std::{collections::HashMap, sync::Arc};

use rmcp::model::{Prompt, Resource, ResourceTemplate, Tool};
use rustc_hash::FxHashMap;

use super::entries::{PromptEntry, ToolEntry};
use crate::{
    resource::ResourceDefinition,
    visibility::{Item, Visibility},
};

/// What a catalog is made of; kept so that a change can start from the last one.
// Fx rather than SipHash: the keys are the server's own names, and every request hashes one.
#[derive(Clone, Default)]
pub(crate) struct Items {
    pub(crate) tools: FxHashMap<&'static str, Arc<ToolEntry>>,
    pub(crate) prompts: FxHashMap<&'static str, Arc<PromptEntry>>,
    pub(crate) fixed_resources: FxHashMap<&'static str, Arc<ResourceDefinition>>,
    /// Most specific first, the order reads try them in.
    pub(crate) templates: Vec<Arc<ResourceDefinition>>,
}

impl Items {
    /// The resource (fixed or template) registered under exactly `uri`.
    pub(crate) fn resource_named(&self, uri: &str) -> Option<&Arc<ResourceDefinition>> {
        self.fixed_resources.get(uri).or_else(|| self.templates.iter().find(|template| template.uri == uri))
    }

    /// Every item, as visibility names them.
    pub(crate) fn names(&self) -> impl Iterator<Item = Item<'_>> {
        let tools = self.tools.keys().map(|name| Item::Tool(name));
        let prompts = self.prompts.keys().map(|name| Item::Prompt(name));
        let resources = self.fixed_resources.keys().copied().chain(self.templates.iter().map(|t| t.uri));
        tools.chain(prompts).chain(resources.map(Item::Resource))
    }
}

/// Lookups by name, plus the list responses.
pub(crate) struct Catalog {
    items: Items,
    tool_list: Arc<[Tool]>,
    prompt_list: Arc<[Prompt]>,
    resource_list: Arc<[Resource]>,
    template_list: Arc<[ResourceTemplate]>,
    /// Lookups and lists leave out what is disabled.
    visibility: Visibility,
}

impl Catalog {
    /// The catalog of `items`, with its lists sorted by name (URI for resources).
    pub(crate) fn new(mut items: Items, visibility: Visibility) -> Self {
        items.templates.sort_by(|a, b| b.specificity().cmp(&a.specificity()).then(a.uri.cmp(b.uri)));
        let mut resource_list: Vec<Resource> = items.fixed_resources.values().map(|r| r.to_resource()).collect();
        resource_list.sort_by(|a, b| a.uri.cmp(&b.uri));
        let mut template_list: Vec<ResourceTemplate> = items.templates.iter().map(|t| t.to_template()).collect();
        template_list.sort_by(|a, b| a.uri_template.cmp(&b.uri_template));
        let mut tool_list: Vec<Tool> = items.tools.values().map(|entry| entry.tool.clone()).collect();
        tool_list.sort_by(|a, b| a.name.cmp(&b.name));
        let mut prompt_list: Vec<Prompt> = items.prompts.values().map(|entry| entry.prompt.clone()).collect();
        prompt_list.sort_by(|a, b| a.name.cmp(&b.name));
        Self {
            items,
            tool_list: tool_list.into(),
            prompt_list: prompt_list.into(),
            resource_list: resource_list.into(),
            template_list: template_list.into(),
            visibility,
        }
    }

    pub(crate) fn items(&self) -> &Items {
        &self.items
    }

    /// The resource serving `uri`: a fixed one, else the most specific matching template.
    pub(crate) fn resource(&self, uri: &str) -> Option<(&Arc<ResourceDefinition>, HashMap<&'static str, String>)> {
        if let Some(fixed) = self.items.fixed_resources.get(uri).filter(|fixed| self.enabled(fixed)) {
            return Some((fixed, HashMap::new()));
        }
        self.enabled_templates().find_map(|template| template.matches(uri).map(|values| (template, values)))
    }

    fn enabled(&self, resource: &ResourceDefinition) -> bool {
        self.visibility.is_enabled(Item::Resource(resource.uri))
    }

    fn enabled_templates(&self) -> impl Iterator<Item = &Arc<ResourceDefinition>> {
        self.items.templates.iter().filter(|template| self.enabled(template))
    }

    pub(crate) fn resource_list(&self) -> &[Resource] {
        &self.resource_list
    }

    /// The template whose URI template is exactly `uri_template` (completions name it so).
    pub(crate) fn template(&self, uri_template: &str) -> Option<&Arc<ResourceDefinition>> {
        self.enabled_templates().find(|template| template.uri == uri_template)
    }

    /// The templates that list their concrete resources.
    pub(crate) fn listing_templates(&self) -> impl Iterator<Item = &Arc<ResourceDefinition>> {
        self.enabled_templates().filter(|template| template.lister.is_some())
    }

    pub(crate) fn has_completions(&self) -> bool {
        self.items.prompts.values().any(|entry| !entry.definition.completions.is_empty())
            || self.items.templates.iter().any(|template| !template.completions.is_empty())
    }

    pub(crate) fn template_list(&self) -> &[ResourceTemplate] {
        &self.template_list
    }

    /// Whether any tool may run as a task.
    pub(crate) fn has_task_tools(&self) -> bool {
        self.items.tools.values().any(|entry| entry.definition.task.is_some())
    }

    pub(crate) fn has_resources(&self) -> bool {
        !self.items.fixed_resources.is_empty() || !self.items.templates.is_empty()
    }

    pub(crate) fn prompt(&self, name: &str) -> Option<&Arc<PromptEntry>> {
        self.items.prompts.get(name).filter(|_| self.visibility.is_enabled(Item::Prompt(name)))
    }

    pub(crate) fn prompt_list(&self) -> &[Prompt] {
        &self.prompt_list
    }

    pub(crate) fn tool(&self, name: &str) -> Option<&Arc<ToolEntry>> {
        self.items.tools.get(name).filter(|_| self.visibility.is_enabled(Item::Tool(name)))
    }

    #[cfg(feature = "http")]
    pub(crate) fn all_scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        let items = &self.items;
        let tools = items.tools.values().flat_map(|entry| entry.definition.scopes.iter().copied());
        let prompts = items.prompts.values().flat_map(|entry| entry.definition.scopes.iter().copied());
        let resources = items.fixed_resources.values().chain(&items.templates).flat_map(|r| r.scopes.iter().copied());
        tools.chain(prompts).chain(resources)
    }

    pub(crate) fn tool_list(&self) -> &[Tool] {
        &self.tool_list
    }
}
