//! The tools a running server offers, validated and rendered once at start-up.

use std::{collections::HashMap, sync::Arc};

use rmcp::model::Tool;

use crate::{
    error::StartupError,
    handlers::Handlers,
    schema::SchemaOptions,
    state::{StateMap, StateMapView},
    tool::ToolDefinition,
};

/// One tool ready to serve: its advertised form and its definition.
pub(crate) struct ToolEntry {
    pub(crate) tool: Tool,
    pub(crate) definition: ToolDefinition,
    /// The tool returns a non-object structured value, sent as `{"result": value}`.
    pub(crate) wraps_result: bool,
}

/// Lookups by name, plus the list responses, built once.
pub(crate) struct Registry {
    tools: HashMap<&'static str, ToolEntry>,
    tool_list: Arc<[Tool]>,
}

impl Registry {
    /// Validates every definition and renders its schemas; collects every problem found.
    pub(crate) fn build(handlers: Handlers, options: SchemaOptions, states: &StateMap) -> Result<Self, StartupError> {
        let mut problems = Vec::new();
        let mut tools: HashMap<&'static str, ToolEntry> = HashMap::new();
        let view = StateMapView(states);
        for definition in handlers.tools {
            if let Some(existing) = tools.get(definition.name) {
                // The same function registered twice (say, by `handlers!` and `discover`) is fine.
                if existing.definition.location != definition.location {
                    problems.push(format!(
                        "duplicate tool name `{}`: defined by {} and by {}",
                        definition.name, existing.definition.location, definition.location
                    ));
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
        if !problems.is_empty() {
            return Err(StartupError::new(problems));
        }
        let mut tool_list: Vec<Tool> = tools.values().map(|entry| entry.tool.clone()).collect();
        tool_list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Self { tools, tool_list: tool_list.into() })
    }

    pub(crate) fn tool(&self, name: &str) -> Option<&ToolEntry> {
        self.tools.get(name)
    }

    pub(crate) fn has_scoped_tools(&self) -> bool {
        self.tools.values().any(|entry| !entry.definition.scopes.is_empty())
    }

    pub(crate) fn all_scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.tools.values().flat_map(|entry| entry.definition.scopes.iter().copied())
    }

    pub(crate) fn tool_list(&self) -> &[Tool] {
        &self.tool_list
    }
}
