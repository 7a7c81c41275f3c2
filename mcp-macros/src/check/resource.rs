//! Rules of a resource: a well-formed URI, keys that fit a fixed URI or a template, and
//! template variables and parameters that pair up both ways.

use syn::LitStr;

use crate::{
    errors::Errors,
    model::{Resource, Template},
    parameter_attrs::is_constraint,
    signature::{Param, Signature, Source, unraw},
    uri,
};

/// Every rule, in the order errors are reported; a URI that is missing or does not parse stops
/// the rules that need its variables.
pub(super) fn all(resource: &Resource, signature: &Signature, errors: &mut Errors) {
    let Some(uri) = &resource.keys.uri else {
        errors.at_span(
            signature.ident.span(),
            "a resource needs its URI: `#[mcp_resource(uri = \"config://app\")]`, or a template such as `\"users://{id}/profile\"`",
        );
        return;
    };
    uri_has_a_scheme(uri, errors);
    if let Template::Malformed(problem) = &resource.template {
        errors.at(uri, problem);
        return;
    }
    let variables = resource.variables();
    size_is_for_a_fixed_uri(resource, &variables, errors);
    list_is_for_a_template(resource, &variables, errors);
    for param in &signature.params {
        no_whole_args(param, errors);
        no_serde_attributes(param, errors);
        parameter_is_a_variable(param, uri, &variables, errors);
    }
    for variable in &variables {
        variable_has_a_parameter(variable, uri, signature, errors);
    }
}

/// RFC 3986: every URI starts with a scheme.
fn uri_has_a_scheme(uri: &LitStr, errors: &mut Errors) {
    if let Err(problem) = uri::check_scheme(&uri.value()) {
        errors.at(uri, problem);
    }
}

fn size_is_for_a_fixed_uri(resource: &Resource, variables: &[&str], errors: &mut Errors) {
    if let Some(size) = &resource.keys.size
        && !variables.is_empty()
    {
        errors.at(size, "`size` is for a fixed resource; a template's resources each have their own");
    }
}

fn list_is_for_a_template(resource: &Resource, variables: &[&str], errors: &mut Errors) {
    if let Some(list) = &resource.keys.list
        && variables.is_empty()
    {
        errors.at(list, "`list` is for a template, naming a function that lists its concrete resources");
    }
}

fn no_whole_args(param: &Param, errors: &mut Errors) {
    if let Source::WholeArgs { .. } = &param.source {
        errors.at(&param.ty, "a resource takes its URI variables one per parameter; `Args<T>` is for tools");
    }
}

/// URI variables are parsed with `FromStr`, not decoded by serde.
fn no_serde_attributes(param: &Param, errors: &mut Errors) {
    if let Source::Argument { attrs, .. } = &param.source
        && let Some(attr) = attrs.iter().find(|attr| !is_constraint(attr))
    {
        errors.at(
            attr,
            "serde attributes do not apply to URI variables, which are parsed with `FromStr` \
             (schemars attributes declare constraints: `#[schemars(range(min = 1))]`)",
        );
    }
}

fn parameter_is_a_variable(param: &Param, uri: &LitStr, variables: &[&str], errors: &mut Errors) {
    let Source::Argument { name, .. } = &param.source else { return };
    let name = unraw(name);
    if !variables.contains(&name.as_str()) {
        errors.at(
            &param.ty,
            format!(
                "the parameter `{name}` is not a variable of the URI template `{}`; add `{{{name}}}` to the URI, or make it injected (`#[inject]`)",
                uri.value()
            ),
        );
    }
}

fn variable_has_a_parameter(variable: &str, uri: &LitStr, signature: &Signature, errors: &mut Errors) {
    let has_parameter = signature
        .params
        .iter()
        .any(|param| matches!(&param.source, Source::Argument { name, .. } if unraw(name) == variable));
    if !has_parameter {
        errors.at(
            uri,
            format!("the URI variable `{variable}` has no parameter; add `{variable}: String` (or any `FromStr` type) to the function"),
        );
    }
}
