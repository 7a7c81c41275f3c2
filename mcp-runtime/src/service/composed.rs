//! Requests for what a mounted or proxied server serves: handed to it under its own names, with
//! this server's caller (`compose::Caller`), and its answers passed back.

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{
        CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, GetPromptRequestParams,
        GetPromptResponse, ReadResourceRequestParams, ReadResourceResponse, Reference,
    },
    service::RequestContext,
};

use super::McpService;
use crate::{
    compose::{Caller, Mount},
    failure::{Item, Kind},
};

impl McpService {
    /// `context`, carrying this server's caller to the mounted one.
    pub(crate) fn for_mount(&self, mut context: RequestContext<RoleServer>) -> RequestContext<RoleServer> {
        let principal = self.principal_of(&context);
        context.extensions.insert(Caller { principal, log_level: self.log_level().clone() });
        context
    }

    /// A mounted tool's call, or its fallback's while its server is down.
    pub(crate) async fn call_mounted_tool(
        &self,
        mount: &Mount,
        name: String,
        mut request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        self.authorize(&context, Item { kind: Kind::Tool, name: &request.name }, mount.scopes)?;
        if let Some(instead) = mount.upstream.fallback(&name)
            && let Some((other, other_name)) = self.shared().mounts.named(instead)
            && !std::ptr::eq(other, mount)
        {
            tracing::info!(tool = %request.name, fallback = instead, "downstream down; calling its fallback");
            request.name = other_name.to_owned().into();
            return other.upstream.call_tool(request, self.for_mount(context)).await;
        }
        request.name = name.into();
        mount.upstream.call_tool(request, self.for_mount(context)).await
    }

    /// `completion/complete` for a mounted prompt or resource template, handed to its server
    /// under its own name; `None` when no mount serves the reference.
    pub(crate) fn complete_mounted(
        &self,
        request: &CompleteRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Option<impl Future<Output = Result<CompleteResult, McpError>> + Send + '_> {
        let mounts = &self.shared().mounts;
        let mut request = request.clone();
        let (mount, item) = match &mut request.r#ref {
            Reference::Prompt(prompt) => {
                let (mount, own) = mounts.named(&prompt.name).map(|(mount, own)| (mount, own.to_owned()))?;
                (mount, (Kind::Prompt, std::mem::replace(&mut prompt.name, own)))
            }
            Reference::Resource(template) => {
                let (mount, own) = mounts.of_uri(&template.uri)?;
                (mount, (Kind::ResourceTemplate, std::mem::replace(&mut template.uri, own)))
            }
            #[allow(unreachable_patterns)]
            _ => return None,
        };
        let context = context.clone();
        Some(async move {
            let (kind, served) = item;
            self.authorize(&context, Item { kind, name: &served }, mount.scopes)?;
            mount.upstream.complete(request, self.for_mount(context)).await
        })
    }

    /// How each proxied server is doing (`Server::proxy`), for health reports and dashboards.
    ///
    /// ```
    /// let service = mcp_runtime::Server::new("hub", "1.0.0").build().unwrap();
    /// assert!(service.downstreams().is_empty());
    /// ```
    pub fn downstreams(&self) -> Vec<crate::compose::DownstreamState> {
        self.shared().mounts.states()
    }

    #[cfg(feature = "http")]
    pub(crate) fn requires_every_downstream(&self) -> bool {
        self.shared().mounts.requires_every_downstream()
    }

    pub(crate) async fn get_mounted_prompt(
        &self,
        mount: &Mount,
        name: String,
        mut request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        self.authorize(&context, Item { kind: Kind::Prompt, name: &request.name }, mount.scopes)?;
        request.name = name;
        mount.upstream.get_prompt(request, self.for_mount(context)).await
    }

    pub(crate) async fn read_mounted_resource(
        &self,
        mount: &Mount,
        uri: String,
        mut request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        self.authorize(&context, Item { kind: Kind::Resource, name: &request.uri }, mount.scopes)?;
        let served = std::mem::replace(&mut request.uri, uri);
        let mut answer = mount.upstream.read_resource(request, self.for_mount(context)).await?;
        // The contents name the URI the client asked for, not the mounted server's.
        if let ReadResourceResponse::Complete(result) = &mut answer {
            for contents in &mut result.contents {
                rename_contents(contents, &mount.prefix, &served);
            }
        }
        Ok(answer)
    }
}

fn rename_contents(contents: &mut rmcp::model::ResourceContents, prefix: &crate::compose::Prefix, served: &str) {
    use rmcp::model::ResourceContents;
    let uri = match contents {
        ResourceContents::TextResourceContents { uri, .. } | ResourceContents::BlobResourceContents { uri, .. } => uri,
        #[allow(unreachable_patterns)]
        _ => return,
    };
    *uri = if prefix.strip_uri(served).as_deref() == Some(uri.as_str()) { served.to_owned() } else { prefix.uri(uri) };
}
