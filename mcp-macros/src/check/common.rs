//! Rules every kind of handler follows once its parts are put together: it has a description,
//! its `# Arguments` section names its parameters, and its name is one clients can call.

use super::names::valid_tool_name;
use crate::{
    errors::Errors,
    model::{Handler, Kind, Name},
    signature::{Param, Source},
};

/// An entry of `# Arguments` naming no parameter is stale documentation.
pub(super) fn arguments_section_names_parameters(handler: &Handler, errors: &mut Errors) {
    let signature = &handler.signature;
    for name in &handler.common.described_parameters {
        // Injected parameters may be documented too; they simply stay out of the schema.
        if !signature.params.iter().any(|param| param.binding.as_deref() == Some(name.as_str())) {
            errors.at_span(
                signature.ident.span(),
                format!("the `# Arguments` section describes `{name}`, which is not an argument of this function"),
            );
        }
    }
}

/// The description is what a model (or a person) reads to choose the handler.
pub(super) fn has_a_description(handler: &Handler, errors: &mut Errors) {
    if handler.common.description.is_some() {
        return;
    }
    let ident = &handler.signature.ident;
    let message = match &handler.kind {
        Kind::Tool(_) => format!(
            "tool `{ident}` has no description, and a model cannot use a tool it does not understand; \
             add a doc comment above the function (`/// What it does.`) or `#[mcp_tool(description = \"...\")]`"
        ),
        Kind::Prompt(_) => format!(
            "prompt `{ident}` has no description, and a person choosing prompts needs one; \
             add a doc comment above the function (`/// What it does.`) or `#[mcp_prompt(description = \"...\")]`"
        ),
        Kind::Resource(_) => format!(
            "resource `{ident}` has no description, and a model deciding what to read needs one; \
             add a doc comment above the function (`/// What it holds.`) or `#[mcp_resource(description = \"...\")]`"
        ),
    };
    errors.at_span(ident.span(), message);
}

/// A tool named after its function needs a function name clients can call (a given name was
/// checked with the attribute).
pub(super) fn tool_name_of_function_is_valid(handler: &Handler, errors: &mut Errors) {
    if let (Kind::Tool(_), Name::OfFunction(name)) = (&handler.kind, &handler.common.name)
        && let Err(problem) = valid_tool_name(name)
    {
        errors.at_span(handler.signature.ident.span(), format!("{problem}; choose another with `name = \"...\"`"));
    }
}

/// Only a `tools/call` carries arguments a client mirrors into headers (SEP-2243).
pub(super) fn headers_only_on_tools(param: &Param, what: &str, errors: &mut Errors) {
    if let Source::Argument { header: Some(name), .. } = &param.source {
        errors.at(
            name,
            format!(
                "`#[header]` is for tool arguments, which clients mirror into `Mcp-Param-*` headers, not for {what}"
            ),
        );
    }
}
