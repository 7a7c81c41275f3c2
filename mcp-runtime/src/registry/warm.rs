//! Compiling the argument validators ahead of the first calls, on a thread of their own, once the
//! first client has been answered (see `validate.rs` for why it is worth a thread: the first
//! compilation costs most of a cold start). Not sooner: started with the catalog, the thread
//! delayed the answer to `initialize` by a millisecond on 2 cores (2.5 ms against 1.5 ms without
//! it, rmcp by hand 1.25 ms), nice 19 or not, allocating while the serving threads start.

use super::catalog::Items;

/// Starts compiling every validator of `items`; a schema that cannot be compiled is logged with
/// the item it belongs to (its calls then report it too).
pub(crate) fn in_background(items: &Items) {
    let tools: Vec<_> = items.tools.values().filter(|entry| entry.validator.is_some()).cloned().collect();
    let prompts: Vec<_> = items.prompts.values().filter(|entry| entry.constraints.is_some()).cloned().collect();
    let resources: Vec<_> = items
        .fixed_resources
        .values()
        .chain(&items.templates)
        .filter(|definition| definition.validator.is_some())
        .cloned()
        .collect();
    if tools.is_empty() && prompts.is_empty() && resources.is_empty() {
        return;
    }
    let warm = move || {
        let problems = tools
            .iter()
            .filter_map(|entry| Some((format!("tool `{}`", entry.definition.name), entry.validator.as_ref()?.warm())))
            .chain(prompts.iter().filter_map(|entry| {
                Some((format!("prompt `{}`", entry.definition.name), entry.constraints.as_ref()?.warm()))
            }))
            .chain(resources.iter().filter_map(|definition| {
                Some((format!("resource `{}`", definition.uri), definition.validator.as_ref()?.warm()))
            }));
        for (item, problem) in problems.filter_map(|(item, warmed)| Some((item, warmed.err()?.to_owned()))) {
            tracing::error!("{item}: {problem}");
        }
    };
    // Without a thread, the first calls compile their own validators: slower, never wrong.
    if let Err(error) = std::thread::Builder::new().name("mcp-validators".into()).spawn(warm) {
        tracing::debug!(%error, "argument validators will compile on first use");
    }
}
