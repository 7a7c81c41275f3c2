//! The tools a running server offers, validated and rendered once at start-up.

use std::{collections::HashMap, sync::Arc};

use rmcp::model::{Prompt, Resource, ResourceTemplate, Tool};
use rustc_hash::FxHashMap;

use crate::{
    error::StartupError,
    handlers::Handlers,
    limit::Limiter,
    observe::metrics::{Metrics, Series},
    prompt::PromptDefinition,
    resource::ResourceDefinition,
    schema::SchemaOptions,
    state::{StateMap, StateMapView},
    tool::{Location, RenderedTool, ToolDefinition},
    validate::{ArgumentValidator, StringConstraints},
    visibility::{Item, Visibility},
};

/// One tool ready to serve: its advertised form and its definition.
pub(crate) struct ToolEntry {
    pub(crate) tool: Tool,
    pub(crate) definition: ToolDefinition,
    /// The tool returns a non-object structured value, sent as `{"result": value}`.
    pub(crate) wraps_result: bool,
    /// `#[mcp_tool(max_concurrency = N)]`: the tool's own slots.
    pub(crate) limiter: Option<Limiter>,
    /// Its calls' counters, looked up once.
    pub(crate) series: Arc<Series>,
    /// Checks arguments against the input schema; `None` when the server does not check.
    pub(crate) validator: Option<ArgumentValidator>,
}

/// One prompt ready to serve.
pub(crate) struct PromptEntry {
    pub(crate) prompt: Prompt,
    pub(crate) definition: PromptDefinition,
    /// The constraints its arguments declare, when the server checks arguments.
    pub(crate) constraints: Option<StringConstraints>,
}

/// Lookups by name, plus the list responses, built once.
pub(crate) struct Registry {
    // Fx rather than SipHash: the keys are the server's own names, fixed at start-up, so a
    // client's lookups cannot degrade the table, and every request hashes a name.
    tools: FxHashMap<&'static str, ToolEntry>,
    tool_list: Arc<[Tool]>,
    prompts: FxHashMap<&'static str, PromptEntry>,
    prompt_list: Arc<[Prompt]>,
    fixed_resources: FxHashMap<&'static str, ResourceDefinition>,
    /// Most specific first, the order reads try them in.
    templates: Vec<ResourceDefinition>,
    resource_list: Arc<[Resource]>,
    template_list: Arc<[ResourceTemplate]>,
    /// Lookups and lists leave out what is disabled.
    visibility: Visibility,
}

impl Registry {
    /// Validates every definition and renders its schemas (and, when `validate_arguments`,
    /// compiles the validators of its arguments); collects every problem found.
    pub(crate) fn build(
        handlers: Handlers,
        options: SchemaOptions,
        validate_arguments: bool,
        states: &StateMap,
        visibility: Visibility,
        metrics: &Metrics,
    ) -> Result<Self, StartupError> {
        let mut problems = Vec::new();
        let mut tools: FxHashMap<&'static str, ToolEntry> = FxHashMap::default();
        let view = StateMapView(states);
        for definition in handlers.tools {
            if let Some(existing) = tools.get(definition.name) {
                if let Some(problem) =
                    duplicate("tool", definition.name, existing.definition.location, definition.location)
                {
                    problems.push(problem);
                }
                continue;
            }
            for check in &definition.checks {
                if let Err(problem) = check(&view) {
                    problems.push(format!("tool `{}` ({}): {problem}", definition.name, definition.location));
                }
            }
            let RenderedTool { tool, wraps_result, accepted } = match definition.render(options) {
                Ok(rendered) => rendered,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let validator = match validate_arguments.then(|| ArgumentValidator::compile(&accepted)).transpose() {
                Ok(validator) => validator,
                Err(problem) => {
                    problems.push(format!("tool `{}` ({}): {problem}", definition.name, definition.location));
                    continue;
                }
            };
            let limiter = definition.max_concurrency.map(Limiter::new);
            let series = metrics.series("tools/call", definition.name);
            tools.insert(definition.name, ToolEntry { tool, definition, wraps_result, limiter, series, validator });
        }
        let mut prompts: FxHashMap<&'static str, PromptEntry> = FxHashMap::default();
        for definition in handlers.prompts {
            if let Some(existing) = prompts.get(definition.name) {
                if let Some(problem) =
                    duplicate("prompt", definition.name, existing.definition.location, definition.location)
                {
                    problems.push(problem);
                }
                continue;
            }
            for check in &definition.checks {
                if let Err(problem) = check(&view) {
                    problems.push(format!("prompt `{}` ({}): {problem}", definition.name, definition.location));
                }
            }
            let constraints = match compile_constraints(definition.constraints, options, validate_arguments) {
                Ok(constraints) => constraints,
                Err(problem) => {
                    problems.push(format!("prompt `{}` ({}): {problem}", definition.name, definition.location));
                    continue;
                }
            };
            prompts.insert(definition.name, PromptEntry { prompt: definition.to_prompt(), definition, constraints });
        }
        let mut fixed_resources: FxHashMap<&'static str, ResourceDefinition> = FxHashMap::default();
        let mut templates: Vec<ResourceDefinition> = Vec::new();
        for mut definition in handlers.resources {
            let existing =
                fixed_resources.get(definition.uri).or_else(|| templates.iter().find(|t| t.uri == definition.uri));
            if let Some(existing) = existing {
                if let Some(problem) = duplicate("resource URI", definition.uri, existing.location, definition.location)
                {
                    problems.push(problem);
                }
                continue;
            }
            for check in &definition.checks {
                if let Err(problem) = check(&view) {
                    problems.push(format!("resource `{}` ({}): {problem}", definition.uri, definition.location));
                }
            }
            match compile_constraints(definition.constraints, options, validate_arguments) {
                Ok(constraints) => definition.validator = constraints,
                Err(problem) => {
                    problems.push(format!("resource `{}` ({}): {problem}", definition.uri, definition.location))
                }
            }
            if definition.is_template() {
                templates.push(definition);
            } else {
                fixed_resources.insert(definition.uri, definition);
            }
        }
        templates.sort_by(|a, b| b.specificity().cmp(&a.specificity()).then(a.uri.cmp(b.uri)));
        let items = tools.keys().map(|name| Item::Tool(name)).chain(prompts.keys().map(|name| Item::Prompt(name)));
        let items =
            items.chain(fixed_resources.keys().chain(templates.iter().map(|t| &t.uri)).map(|uri| Item::Resource(uri)));
        problems.extend(visibility.settle(items));
        if !problems.is_empty() {
            return Err(StartupError::new(problems));
        }
        let mut resource_list: Vec<Resource> = fixed_resources.values().map(ResourceDefinition::to_resource).collect();
        resource_list.sort_by(|a, b| a.uri.cmp(&b.uri));
        let mut template_list: Vec<ResourceTemplate> = templates.iter().map(ResourceDefinition::to_template).collect();
        template_list.sort_by(|a, b| a.uri_template.cmp(&b.uri_template));
        let mut tool_list: Vec<Tool> = tools.values().map(|entry| entry.tool.clone()).collect();
        tool_list.sort_by(|a, b| a.name.cmp(&b.name));
        let mut prompt_list: Vec<Prompt> = prompts.values().map(|entry| entry.prompt.clone()).collect();
        prompt_list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self {
            tools,
            tool_list: tool_list.into(),
            prompts,
            prompt_list: prompt_list.into(),
            fixed_resources,
            templates,
            resource_list: resource_list.into(),
            template_list: template_list.into(),
            visibility,
        })
    }

    /// The resource serving `uri`: a fixed one, else the most specific matching template.
    pub(crate) fn resource(&self, uri: &str) -> Option<(&ResourceDefinition, HashMap<&'static str, String>)> {
        if let Some(fixed) = self.fixed_resources.get(uri).filter(|fixed| self.enabled(fixed)) {
            return Some((fixed, HashMap::new()));
        }
        self.enabled_templates().find_map(|template| template.matches(uri).map(|values| (template, values)))
    }

    fn enabled(&self, resource: &ResourceDefinition) -> bool {
        self.visibility.is_enabled(Item::Resource(resource.uri))
    }

    fn enabled_templates(&self) -> impl Iterator<Item = &ResourceDefinition> {
        self.templates.iter().filter(|template| self.enabled(template))
    }

    pub(crate) fn visibility(&self) -> &Visibility {
        &self.visibility
    }

    pub(crate) fn resource_list(&self) -> &[Resource] {
        &self.resource_list
    }

    /// The template whose URI template is exactly `uri_template` (completions name it so).
    pub(crate) fn template(&self, uri_template: &str) -> Option<&ResourceDefinition> {
        self.enabled_templates().find(|template| template.uri == uri_template)
    }

    /// The templates that list their concrete resources.
    pub(crate) fn listing_templates(&self) -> impl Iterator<Item = &ResourceDefinition> {
        self.enabled_templates().filter(|template| template.lister.is_some())
    }

    pub(crate) fn has_completions(&self) -> bool {
        self.prompts.values().any(|entry| !entry.definition.completions.is_empty())
            || self.templates.iter().any(|template| !template.completions.is_empty())
    }

    pub(crate) fn template_list(&self) -> &[ResourceTemplate] {
        &self.template_list
    }

    pub(crate) fn has_resources(&self) -> bool {
        !self.fixed_resources.is_empty() || !self.templates.is_empty()
    }

    pub(crate) fn prompt(&self, name: &str) -> Option<&PromptEntry> {
        self.prompts.get(name).filter(|_| self.visibility.is_enabled(Item::Prompt(name)))
    }

    pub(crate) fn prompt_list(&self) -> &[Prompt] {
        &self.prompt_list
    }

    pub(crate) fn tool(&self, name: &str) -> Option<&ToolEntry> {
        self.tools.get(name).filter(|_| self.visibility.is_enabled(Item::Tool(name)))
    }

    pub(crate) fn all_scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        let tools = self.tools.values().flat_map(|entry| entry.definition.scopes.iter().copied());
        let prompts = self.prompts.values().flat_map(|entry| entry.definition.scopes.iter().copied());
        let resources = self.fixed_resources.values().chain(&self.templates).flat_map(|r| r.scopes.iter().copied());
        tools.chain(prompts).chain(resources)
    }

    pub(crate) fn tool_list(&self) -> &[Tool] {
        &self.tool_list
    }
}

/// The validator of the constraints a prompt's arguments or a template's variables declare.
fn compile_constraints(
    schema: Option<fn(SchemaOptions) -> rmcp::model::JsonObject>,
    options: SchemaOptions,
    validate_arguments: bool,
) -> Result<Option<StringConstraints>, String> {
    match schema {
        Some(schema) if validate_arguments => StringConstraints::compile(&schema(options)).map(Some),
        _ => Ok(None),
    }
}

/// The same function registered twice (say, by `handlers!` and `discover`) is not a conflict.
fn duplicate(kind: &str, name: &str, first: Location, second: Location) -> Option<String> {
    (first != second).then(|| format!("duplicate {kind} name `{name}`: defined by {first} and by {second}"))
}
