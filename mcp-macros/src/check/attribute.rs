//! Rules on the values of a macro's keys, each value well formed on its own but perhaps not
//! meaningful: a name clients cannot call, a contradiction, a number out of range.

use super::names::{valid_scope, valid_tool_name};
use crate::{
    attr::{CommonAttr, ResourceAttr, ScopeExpr, ToolAttr},
    errors::Errors,
};

/// Destructive means the tool modifies its environment, which read-only denies.
pub(super) fn read_only_is_not_destructive(tool: &ToolAttr, errors: &mut Errors) {
    if let (Some(read_only), Some(destructive)) = (&tool.read_only, &tool.destructive)
        && read_only.value
        && destructive.value
    {
        errors.at(
            destructive,
            "a `read_only` tool cannot also be `destructive`: destructive means it modifies its environment",
        );
    }
}

/// A name given with `name = "..."` follows the specification's rule for tool names.
pub(super) fn name_is_valid(common: &CommonAttr, errors: &mut Errors) {
    if let Some(name) = &common.name
        && let Err(problem) = valid_tool_name(&name.value())
    {
        errors.at(name, problem);
    }
}

/// Each scope written as a string is one OAuth token (a typed scope was checked where declared).
pub(super) fn scopes_are_tokens(common: &CommonAttr, errors: &mut Errors) {
    for scope in common.scopes.iter().flatten() {
        if let ScopeExpr::Literal(scope) = scope
            && let Err(problem) = valid_scope(&scope.value())
        {
            errors.at(scope, problem);
        }
    }
}

/// MCP's roles: `"user"` and `"assistant"`.
pub(super) fn audience_is_a_role(resource: &ResourceAttr, errors: &mut Errors) {
    for role in resource.audience.iter().flatten() {
        match role {
            ScopeExpr::Literal(text) if matches!(text.value().as_str(), "user" | "assistant") => {}
            ScopeExpr::Literal(text) => errors.at(text, "an audience is `\"user\"` or `\"assistant\"`"),
            ScopeExpr::Typed(other) => errors.at(other, "an audience is `\"user\"` or `\"assistant\"`"),
        }
    }
}

/// A priority is a number from 0.0 to 1.0.
pub(super) fn priority_is_a_fraction(resource: &ResourceAttr, errors: &mut Errors) {
    if let Some(priority) = &resource.priority
        && !priority.base10_parse::<f32>().is_ok_and(|value| (0.0..=1.0).contains(&value))
    {
        errors.at(priority, "a priority is a number from 0.0 (least important) to 1.0 (most important)");
    }
}

/// A size is a whole number of bytes.
pub(super) fn size_is_a_byte_count(resource: &ResourceAttr, errors: &mut Errors) {
    if let Some(size) = &resource.size
        && size.base10_parse::<u64>().is_err()
    {
        errors.at(size, "a size is a number of bytes");
    }
}

/// A MIME type a client can parse (see `mime.rs`).
pub(super) fn mime_type_is_a_media_type(resource: &ResourceAttr, errors: &mut Errors) {
    if let Some(mime_type) = &resource.mime_type
        && let Err(problem) = crate::mime::check(&mime_type.value())
    {
        errors.at(mime_type, problem);
    }
}

/// `description = ""` would leave the model without a description.
pub(super) fn description_is_not_empty(common: &CommonAttr, errors: &mut Errors) {
    if let Some(description) = &common.description
        && description.value().trim().is_empty()
    {
        errors.at(description, "the description is empty; say what the tool does, for the model to read");
    }
}
