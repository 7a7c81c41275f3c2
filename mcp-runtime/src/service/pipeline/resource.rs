//! `resources/read`: the URI's resource and its variables' checks, then the shared stages, then
//! the size the server sends at once.

use std::{collections::HashMap, sync::Arc};

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{CacheScope, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, ResourceContents},
    service::RequestContext,
};

use super::{Invocation, Invoked};
use crate::{
    failure::{Failure, Item, Kind, to_error},
    resource::{ResourceDefinition, UriVariables},
    service::McpService,
};

impl McpService {
    /// Reads the resource `found` for `request.uri` (the caller looked it up once, for its label
    /// too).
    pub(crate) async fn read_registered_resource(
        &self,
        found: Result<FoundResource, McpError>,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let uri = request.uri.clone();
        let (definition, values) = found?;
        let item = Item { kind: Kind::Resource, name: &uri };
        let principal = self.authorize(&context, item, definition.scopes)?;
        if let Some(constraints) = &definition.validator {
            constraints.check(|name| values.get(name).cloned()).map_err(|violations| {
                McpError::invalid_params(
                    format!("{item}: invalid variables: {violations}"),
                    Some(serde_json::json!({"uri": uri})),
                )
            })?;
        }
        let inputs = self.call_inputs(item, request.input_responses, request.request_state.as_deref())?;
        let invocation = Invocation { item, logger: definition.name, principal, inputs, slots: None, timeout: None };
        let variables = UriVariables { uri: uri.clone(), values };
        let (ctx, cancelled) = self.start(&invocation, context);
        let contents = match self.invoke(invocation, cancelled, (definition.call)(variables, ctx)).await? {
            Invoked::Answered(Ok(contents)) => contents,
            Invoked::InputRequired(input_required) => return Ok(input_required.into()),
            Invoked::Answered(Err(failure)) | Invoked::Failed(failure) => return Err(to_error(&failure, item)),
        };
        let size: usize = contents.iter().map(contents_size).sum();
        let limit = self.shared().limits.max_resource_bytes;
        if size > limit {
            return Err(to_error(&Failure::TooLarge { size: Some(size), limit }, item));
        }
        let scope = if definition.scopes.is_empty() { CacheScope::Public } else { CacheScope::Private };
        // Resource contents may change at any time; clients should not reuse a read.
        Ok(ReadResourceResult::new(contents).with_ttl_ms(0).with_cache_scope(scope).into())
    }

    /// The resource serving `uri` and its variables, or the spec's resource-not-found error.
    pub(crate) fn find_resource(&self, uri: &str) -> Result<FoundResource, McpError> {
        let catalog = self.shared().registry.catalog();
        let found = catalog.resource(uri).map(|(definition, values)| (definition.clone(), values));
        found.ok_or_else(|| {
            McpError::resource_not_found(
                format!("no resource has the URI `{uri}`"),
                Some(serde_json::json!({"uri": uri})),
            )
        })
    }
}

/// The resource serving a URI, and the values of its template's variables.
pub(crate) type FoundResource = (Arc<ResourceDefinition>, HashMap<&'static str, String>);

/// The bytes a content block puts on the wire (base64 for blobs).
fn contents_size(contents: &ResourceContents) -> usize {
    match contents {
        ResourceContents::TextResourceContents { text, .. } => text.len(),
        ResourceContents::BlobResourceContents { blob, .. } => blob.len(),
        _ => 0,
    }
}
