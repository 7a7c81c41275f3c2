//! The tools a running server offers, validated and rendered once at start-up.

use std::{collections::HashMap, sync::Arc};

use rmcp::model::{Prompt, Tool};

use crate::{
    error::StartupError,
    handlers::Handlers,
    prompt::PromptDefinition,
    schema::SchemaOptions,
    state::{StateMap, StateMapView},
    tool::{Location, ToolDefinition},
};

/// One tool ready to serve: its advertised form and its definition.
pub(crate) struct ToolEntry {
    pub(crate) tool: Tool,
    pub(crate) definition: ToolDefinition,
    /// The tool returns a non-object structured value, sent as `{"result": value}`.
    pub(crate) wraps_result: bool,
}

/// One prompt ready to serve.
pub(crate) struct PromptEntry {
    pub(crate) prompt: Prompt,
    pub(crate) definition: PromptDefinition,
}

/// Lookups by name, plus the list responses, built once.
pub(crate) struct Registry {
    tools: HashMap<&'static str, ToolEntry>,
    tool_list: Arc<[Tool]>,
    prompts: HashMap<&'static str, PromptEntry>,
    prompt_list: Arc<[Prompt]>,
}

impl Registry {
    /// Validates every definition and renders its schemas; collects every problem found.
    pub(crate) fn build(handlers: Handlers, options: SchemaOptions, states: &StateMap) -> Result<Self, StartupError> {
        let mut problems = Vec::new();
        let mut tools: HashMap<&'static str, ToolEntry> = HashMap::new();
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
            match definition.to_tool(options) {
                Ok((tool, wraps_result)) => {
                    tools.insert(definition.name, ToolEntry { tool, definition, wraps_result });
                }
                Err(problem) => problems.push(problem),
            }
        }
        let mut prompts: HashMap<&'static str, PromptEntry> = HashMap::new();
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
            prompts.insert(definition.name, PromptEntry { prompt: definition.to_prompt(), definition });
        }
        if !problems.is_empty() {
            return Err(StartupError::new(problems));
        }
        let mut tool_list: Vec<Tool> = tools.values().map(|entry| entry.tool.clone()).collect();
        tool_list.sort_by(|a, b| a.name.cmp(&b.name));
        let mut prompt_list: Vec<Prompt> = prompts.values().map(|entry| entry.prompt.clone()).collect();
        prompt_list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self { tools, tool_list: tool_list.into(), prompts, prompt_list: prompt_list.into() })
    }

    pub(crate) fn prompt(&self, name: &str) -> Option<&PromptEntry> {
        self.prompts.get(name)
    }

    pub(crate) fn prompt_list(&self) -> &[Prompt] {
        &self.prompt_list
    }

    pub(crate) fn tool(&self, name: &str) -> Option<&ToolEntry> {
        self.tools.get(name)
    }

    pub(crate) fn has_scoped_tools(&self) -> bool {
        self.tools.values().any(|entry| !entry.definition.scopes.is_empty())
    }

    pub(crate) fn has_scoped_prompts(&self) -> bool {
        self.prompts.values().any(|entry| !entry.definition.scopes.is_empty())
    }

    pub(crate) fn all_scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        let tools = self.tools.values().flat_map(|entry| entry.definition.scopes.iter().copied());
        tools.chain(self.prompts.values().flat_map(|entry| entry.definition.scopes.iter().copied()))
    }

    pub(crate) fn tool_list(&self) -> &[Tool] {
        &self.tool_list
    }
}

/// The same function registered twice (say, by `handlers!` and `discover`) is not a conflict.
fn duplicate(kind: &str, name: &str, first: Location, second: Location) -> Option<String> {
    (first != second).then(|| format!("duplicate {kind} name `{name}`: defined by {first} and by {second}"))
}
