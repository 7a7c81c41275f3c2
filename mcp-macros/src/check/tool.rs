//! What a tool cannot take that other kinds can.

use crate::{
    errors::Errors,
    signature::{Param, Source},
};

/// A client completes prompt arguments and template variables, never tool arguments.
pub(super) fn no_completions(param: &Param, errors: &mut Errors) {
    if let Source::Argument { complete: Some(path), .. } = &param.source {
        errors.at(path, "completions are for prompt arguments and resource template variables, not tool arguments");
    }
}
