//! The mounts of a server: checked and built with it, and found by the names they serve.

use std::sync::Arc;

use rmcp::{
    RoleServer,
    model::{Prompt, Resource, ResourceTemplate, Tool},
    service::RequestContext,
};

use super::{Prefix, upstream::Upstream};
use crate::registry::Catalog;

/// The server's own items that a mount at `prefix` would shadow, as problems naming both.
pub(crate) fn reserved_by(prefix: &Prefix, own: &Catalog, source: &str) -> Vec<String> {
    let clash = |kind: &str, name: &str| {
        format!("{kind} `{name}` of this server is named as mount `{prefix}` ({source}) serves its items; rename one")
    };
    let tools =
        own.tool_list().iter().filter(|tool| prefix.strip(&tool.name).is_some()).map(|tool| clash("tool", &tool.name));
    let prompts = own
        .prompt_list()
        .iter()
        .filter(|prompt| prefix.strip(&prompt.name).is_some())
        .map(|p| clash("prompt", &p.name));
    let resources = own
        .resource_list()
        .iter()
        .map(|resource| resource.uri.as_str())
        .chain(own.template_list().iter().map(|template| template.uri_template.as_str()))
        .filter(|uri| prefix.strip_uri(uri).is_some())
        .map(|uri| clash("resource", uri));
    tools.chain(prompts).chain(resources).collect()
}

/// One mounted or proxied server.
pub(crate) struct Mount {
    pub(crate) prefix: Prefix,
    pub(crate) upstream: Arc<dyn Upstream>,
    /// The name its calls are counted under: `{prefix}_*`.
    pub(crate) label: &'static str,
    /// What it is, for messages.
    pub(crate) source: String,
    /// Scopes a caller needs here to use its items (`Downstream::scopes`; a mounted server's
    /// own scopes apply inside it).
    pub(crate) scopes: &'static [&'static str],
}

impl Mount {
    pub(crate) fn new(
        prefix: Prefix,
        upstream: Arc<dyn Upstream>,
        source: String,
        scopes: &'static [&'static str],
    ) -> Self {
        let label = crate::intern::name(&format!("{prefix}_*"));
        Self { prefix, upstream, label, source, scopes }
    }
}

/// Every mount of a server; empty for most.
#[derive(Clone, Default)]
pub(crate) struct Mounts {
    mounts: Arc<[Mount]>,
    /// Ready only while every proxied server is up (`/health`, with the `http` feature).
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    every_downstream: bool,
}

impl Mounts {
    pub(crate) fn new(mounts: Vec<Mount>, every_downstream: bool) -> Self {
        Self { mounts: mounts.into(), every_downstream }
    }

    #[cfg(feature = "http")]
    pub(crate) fn requires_every_downstream(&self) -> bool {
        self.every_downstream
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.mounts.is_empty()
    }

    /// The mount serving the tool or prompt `served`, and its name there.
    pub(crate) fn named<'a>(&self, served: &'a str) -> Option<(&Mount, &'a str)> {
        self.mounts.iter().find_map(|mount| Some((mount, mount.prefix.strip(served)?)))
    }

    /// The mount serving the resource `served`, and its URI there.
    pub(crate) fn of_uri(&self, served: &str) -> Option<(&Mount, String)> {
        self.mounts.iter().find_map(|mount| Some((mount, mount.prefix.strip_uri(served)?)))
    }

    /// Every scope a mount requires, for the protected-resource metadata.
    #[cfg(feature = "http")]
    pub(crate) fn all_scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.mounts.iter().flat_map(|mount| mount.scopes.iter().copied())
    }

    /// The state of every proxied server, in mount order.
    pub(crate) fn states(&self) -> Vec<super::DownstreamState> {
        self.mounts.iter().filter_map(|mount| mount.upstream.state()).collect()
    }

    /// Every mount's items of one list, renamed as this server serves them.
    async fn gather<T>(
        &self,
        context: &RequestContext<RoleServer>,
        list: for<'a> fn(&'a dyn Upstream, RequestContext<RoleServer>) -> super::Answer<'a, Vec<T>>,
        rename: fn(&Prefix, &mut T),
    ) -> Result<Vec<T>, rmcp::ErrorData> {
        let mut all = Vec::new();
        for mount in self.mounts.iter() {
            let mut items = list(mount.upstream.as_ref(), context.clone()).await?;
            items.iter_mut().for_each(|item| rename(&mount.prefix, item));
            all.extend(items);
        }
        Ok(all)
    }

    pub(crate) async fn tools(&self, context: &RequestContext<RoleServer>) -> Result<Vec<Tool>, rmcp::ErrorData> {
        self.gather(
            context,
            |upstream, context| upstream.tools(context),
            |prefix, tool| {
                tool.name = prefix.name(&tool.name).into();
            },
        )
        .await
    }

    pub(crate) async fn prompts(&self, context: &RequestContext<RoleServer>) -> Result<Vec<Prompt>, rmcp::ErrorData> {
        self.gather(
            context,
            |upstream, context| upstream.prompts(context),
            |prefix, prompt| {
                prompt.name = prefix.name(&prompt.name);
            },
        )
        .await
    }

    pub(crate) async fn resources(
        &self,
        context: &RequestContext<RoleServer>,
    ) -> Result<Vec<Resource>, rmcp::ErrorData> {
        self.gather(
            context,
            |upstream, context| upstream.resources(context),
            |prefix, resource| {
                resource.uri = prefix.uri(&resource.uri);
            },
        )
        .await
    }

    pub(crate) async fn templates(
        &self,
        context: &RequestContext<RoleServer>,
    ) -> Result<Vec<ResourceTemplate>, rmcp::ErrorData> {
        self.gather(
            context,
            |upstream, context| upstream.templates(context),
            |prefix, template| {
                template.uri_template = prefix.uri(&template.uri_template);
            },
        )
        .await
    }
}
