//! Each kind of definition checked and made ready to serve: its injected parameters' state,
//! its schemas rendered, its validators compiled. Problems are returned, never panicked on.

use std::sync::Arc;

use rmcp::model::{Prompt, Tool};

use super::Settings;
use crate::{
    limit::Limiter,
    observe::metrics::Series,
    prompt::PromptDefinition,
    resource::ResourceDefinition,
    schema::SchemaOptions,
    state::StateMapView,
    tool::{Location, RenderedTool, ToolDefinition},
    validate::{ArgumentValidator, StringConstraints},
};

/// One tool ready to serve: its advertised form and its definition.
pub(crate) struct ToolEntry {
    pub(crate) tool: Tool,
    pub(crate) definition: ToolDefinition,
    /// The tool returns a non-object structured value, sent as `{"result": value}`.
    pub(crate) wraps_result: bool,
    /// `#[mcp_tool(max_concurrency = N)]`: the tool's own slots.
    /// Shared with the calls waiting for a slot, which outlive the lookup.
    pub(crate) limiter: Option<Arc<Limiter>>,
    /// Its calls' counters, looked up once.
    pub(crate) series: Arc<Series>,
    /// Checks arguments against the input schema; `None` when the server does not check, or when
    /// decoding the arguments already checks everything the schema asks.
    pub(crate) validator: Option<ArgumentValidator>,
}

/// One prompt ready to serve.
pub(crate) struct PromptEntry {
    pub(crate) prompt: Prompt,
    pub(crate) definition: PromptDefinition,
    /// The constraints its arguments declare, when the server checks arguments.
    pub(crate) constraints: Option<StringConstraints>,
}

/// A start-up check of an injected parameter (`FromContext::check`).
type StartupCheck = fn(&StateMapView<'_>) -> Result<(), String>;

/// A tool ready to serve, or every problem that keeps it from serving.
pub(crate) fn tool_entry(definition: ToolDefinition, settings: &Settings) -> Result<ToolEntry, Vec<String>> {
    let mut problems = checks_failing(&definition.checks, settings, |problem| {
        format!("tool `{}` ({}): {problem}", definition.name, definition.location)
    });
    let RenderedTool { tool, wraps_result, accepted, needs_check } = match definition.render(settings.schema) {
        Ok(rendered) => rendered,
        Err(problem) => {
            problems.push(problem);
            return Err(problems);
        }
    };
    let checked = settings.validate_arguments && needs_check;
    let validator = match checked.then(|| ArgumentValidator::compile(&accepted)).transpose() {
        Ok(validator) => validator,
        Err(problem) => {
            problems.push(format!("tool `{}` ({}): {problem}", definition.name, definition.location));
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let limiter = definition.max_concurrency.map(|limit| Arc::new(Limiter::new(limit)));
    let series = settings.metrics.series("tools/call", definition.name);
    Ok(ToolEntry { tool, definition, wraps_result, limiter, series, validator })
}

/// A prompt ready to serve, or every problem that keeps it from serving.
pub(crate) fn prompt_entry(definition: PromptDefinition, settings: &Settings) -> Result<PromptEntry, Vec<String>> {
    let mut problems = checks_failing(&definition.checks, settings, |problem| {
        format!("prompt `{}` ({}): {problem}", definition.name, definition.location)
    });
    let constraints = match compile_constraints(definition.constraints, settings) {
        Ok(constraints) => constraints,
        Err(problem) => {
            problems.push(format!("prompt `{}` ({}): {problem}", definition.name, definition.location));
            return Err(problems);
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PromptEntry { prompt: definition.to_prompt(), definition, constraints })
}

/// A resource ready to serve (its variables' validator compiled), or its problems.
pub(crate) fn resource_entry(
    mut definition: ResourceDefinition,
    settings: &Settings,
) -> Result<ResourceDefinition, Vec<String>> {
    let mut problems = checks_failing(&definition.checks, settings, |problem| {
        format!("resource `{}` ({}): {problem}", definition.uri, definition.location)
    });
    match compile_constraints(definition.constraints, settings) {
        Ok(constraints) => definition.validator = constraints,
        Err(problem) => problems.push(format!("resource `{}` ({}): {problem}", definition.uri, definition.location)),
    }
    if problems.is_empty() { Ok(definition) } else { Err(problems) }
}

/// The start-up checks of injected parameters that fail, each described by `describe`.
fn checks_failing(checks: &[StartupCheck], settings: &Settings, describe: impl Fn(String) -> String) -> Vec<String> {
    let view = StateMapView(&settings.states);
    checks.iter().filter_map(|check| check(&view).err()).map(describe).collect()
}

/// The validator of the constraints a prompt's arguments or a template's variables declare.
fn compile_constraints(
    schema: Option<fn(SchemaOptions) -> rmcp::model::JsonObject>,
    settings: &Settings,
) -> Result<Option<StringConstraints>, String> {
    match schema {
        Some(schema) if settings.validate_arguments => StringConstraints::compile(&schema(settings.schema)).map(Some),
        _ => Ok(None),
    }
}

/// The same function registered twice (say, by `handlers!` and `discover`) is not a conflict.
pub(crate) fn duplicate(kind: &str, name: &str, first: Location, second: Location) -> Option<String> {
    (first != second).then(|| format!("duplicate {kind} name `{name}`: defined by {first} and by {second}"))
}
