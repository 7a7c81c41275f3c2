use std::rc::Rc;

use mcp_runtime::prelude::*;

/// A value tied to the thread that made it.
struct Local(Rc<u8>);

impl FromContext for Local {
    fn from_context(_: &Context) -> Result<Self, ToolError> {
        Ok(Local(Rc::new(1)))
    }
}

/// A synchronous tool runs on the blocking pool, so what it takes must move there.
#[mcp_tool]
fn local(#[inject] value: Local) -> String {
    value.0.to_string()
}

fn main() {}
