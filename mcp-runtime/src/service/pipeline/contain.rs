//! A handler that panics fails its own call, not the server: the panic is caught (by
//! `McpService::invoke`, around every handler), logged with its message and counted, and the
//! caller told only that an internal error happened ([`Failure::Panicked`]).

use std::any::Any;

use crate::{
    failure::{Failure, Item, Kind},
    observe::metrics::Metrics,
};

/// What a panic caught while answering about `item` becomes, once counted and logged.
pub(crate) fn contained(item: Item<'_>, panic: &(dyn Any + Send), metrics: &Metrics) -> Failure {
    let kind = item.kind.as_str();
    metrics.panicked(kind);
    let panic = panic_message(panic);
    match item.kind {
        Kind::Tool => tracing::error!(tool = item.name, panic, "tool panicked"),
        Kind::Prompt => tracing::error!(prompt = item.name, panic, "prompt panicked"),
        Kind::Resource | Kind::ResourceTemplate => tracing::error!(uri = item.name, panic, "resource panicked"),
        Kind::Completion => tracing::error!(name = item.name, panic, "completion panicked"),
    }
    Failure::Panicked
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}
