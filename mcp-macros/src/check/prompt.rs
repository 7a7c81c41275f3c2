//! What a prompt cannot take that a tool can: its arguments arrive one by one, as strings.

use crate::{
    errors::Errors,
    parameter_attrs::{is_constraint, serde_rename},
    signature::{Param, Source},
};

pub(super) fn no_whole_args(param: &Param, errors: &mut Errors) {
    if let Source::WholeArgs { .. } = &param.source {
        errors
            .at(&param.ty, "a prompt takes its arguments one per parameter (each is a string); `Args<T>` is for tools");
    }
}

/// Serde does not decode a prompt argument, so of its attributes only `rename` means anything.
pub(super) fn only_rename_and_constraints(param: &Param, errors: &mut Errors) {
    let Source::Argument { attrs, .. } = &param.source else { return };
    for attr in attrs.iter().filter(|attr| serde_rename(attr).is_none() && !is_constraint(attr)) {
        errors.at(
            attr,
            "prompt arguments arrive as strings and are parsed with `FromStr`, so the only serde attribute they take is `#[serde(rename = \"wireName\")]` (schemars attributes declare constraints: `#[schemars(range(max = 10))]`)",
        );
    }
}
