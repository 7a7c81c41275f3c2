//! Annotated functions that a server without `.discover()` does not register: most likely
//! forgotten in `handlers![..]`, and otherwise silently absent from the server's lists.

use crate::{handlers::Handlers, tool::Location};

/// One `warn` line per annotated function linked into the binary but neither `registered` nor
/// `left_out` on purpose, naming it, its kind and where it is, with the ways to fix or silence it.
pub(crate) fn warn_unregistered(registered: &Handlers, left_out: &Handlers) {
    for line in unregistered(registered, left_out, &Handlers::discovered()) {
        tracing::warn!("{line}");
    }
}

/// The warning lines, by file and line, so they read in source order.
fn unregistered(registered: &Handlers, left_out: &Handlers, linked: &Handlers) -> Vec<String> {
    let known: Vec<Location> =
        locations(registered).chain(locations(left_out)).map(|(_, _, location)| location).collect();
    let mut missing: Vec<(&str, &str, Location)> =
        locations(linked).filter(|(_, _, location)| !known.contains(location)).collect();
    missing.sort_by_key(|(_, _, location)| (location.file, location.line));
    missing
        .into_iter()
        .map(|(kind, name, location)| {
            format!(
                "{kind} `{name}` ({location}) is annotated but not registered; add it to `handlers![..]`, \
                 or call `Server::discover()`; `Server::leave_out(handlers![..])` says it is left out on \
                 purpose"
            )
        })
        .collect()
}

/// Every handler's kind, name (a resource's URI) and definition site.
fn locations(handlers: &Handlers) -> impl Iterator<Item = (&'static str, &'static str, Location)> + '_ {
    let tools = handlers.tools.iter().map(|tool| ("tool", tool.name, tool.location));
    let prompts = handlers.prompts.iter().map(|prompt| ("prompt", prompt.name, prompt.location));
    let resources = handlers.resources.iter().map(|resource| ("resource", resource.uri, resource.location));
    tools.chain(prompts).chain(resources)
}
