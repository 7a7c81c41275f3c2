//! `metrics://server`: the metrics as a resource, for servers on stdio, where there is no
//! `/metrics` to scrape. Opt-in ([`Server::metrics_resource`](crate::Server::metrics_resource)),
//! since it shows every tool's call counts to whoever connects.

use rmcp::model::ResourceContents;

use crate::{
    context::Context,
    handlers::Handlers,
    resource::{ResourceDefinition, Segment},
    tool::Location,
};

/// Where the metrics are read.
pub(crate) const METRICS_URI: &str = "metrics://server";

/// The resource's definition, as `#[mcp_resource]` would have written it.
pub(crate) fn handlers(scopes: &'static [&'static str]) -> Handlers {
    let mut handlers = Handlers::new();
    handlers.push_resource(ResourceDefinition::new(
        METRICS_URI,
        &[Segment::Literal(METRICS_URI)],
        "server_metrics",
        Some("Server metrics"),
        "The server's request counts, durations, sessions and refusals, in the Prometheus text format.",
        Some("text/plain; version=0.0.4"),
        scopes,
        Location { file: file!(), line: line!(), module: module_path!(), function: "server_metrics" },
        |_variables, ctx: Context| async move {
            Ok(vec![
                ResourceContents::text(ctx.metrics().render(), METRICS_URI).with_mime_type("text/plain; version=0.0.4"),
            ])
        },
    ));
    handlers
}
