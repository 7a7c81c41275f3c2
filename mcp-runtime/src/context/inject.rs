//! Parameters a handler receives from the call's context instead of the client's arguments.

use std::any::type_name;

use super::Context;
use crate::{
    error::ToolError,
    state::{State, StateMapView},
};

/// A value a tool can take as a parameter that comes from the call's context rather than from the
/// client's arguments, like axum's `FromRequestParts`.
///
/// `Context` and `State<T>` are recognised by the macro; mark a parameter of your own extractor
/// type with `#[inject]`.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// The calling client's name.
/// struct ClientName(String);
///
/// impl FromContext for ClientName {
///     fn from_context(ctx: &Context) -> Result<Self, ToolError> {
///         let info = ctx.client_info().ok_or_else(|| ToolError::new("the client did not introduce itself"))?;
///         Ok(ClientName(info.name))
///     }
/// }
///
/// /// Say hello to the client.
/// #[mcp_tool]
/// async fn hello(#[inject] client: ClientName) -> String {
///     format!("hello, {}", client.0)
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be injected into an MCP handler",
    label = "this parameter is injected, not read from the client's arguments",
    note = "injected parameters implement `mcp_runtime::FromContext` (`Context` and `State<T>` do); remove `#[inject]` to make it an ordinary argument"
)]
pub trait FromContext: Sized {
    /// Extracts the value for one call. An `Err` becomes the tool's error result.
    fn from_context(ctx: &Context) -> Result<Self, ToolError>;

    /// Checks at start-up that extraction can succeed (e.g. that the state exists).
    fn check(_states: &StateMapView<'_>) -> Result<(), String> {
        Ok(())
    }
}

impl FromContext for Context {
    fn from_context(ctx: &Context) -> Result<Self, ToolError> {
        Ok(ctx.clone())
    }
}

impl<T: Send + Sync + 'static> FromContext for State<T> {
    fn from_context(ctx: &Context) -> Result<Self, ToolError> {
        ctx.state::<T>().map(State).ok_or_else(|| ToolError::new(missing_state::<T>()))
    }

    fn check(states: &StateMapView<'_>) -> Result<(), String> {
        if states.contains::<T>() { Ok(()) } else { Err(missing_state::<T>()) }
    }
}

fn missing_state<T>() -> String {
    format!("no state of type `{}` was given: call `Server::state(..)` with one", type_name::<T>())
}
