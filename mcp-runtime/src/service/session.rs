//! What belongs to a connection rather than to one item: the handshake, resource
//! subscriptions (2025) and listen streams (2026-07-28), and the client's log level.

#![allow(deprecated)] // `set_level` belongs to client logging, deprecated by SEP-2577 but still used.

use rmcp::{
    ErrorData as McpError, RoleServer,
    model::{
        InitializeRequestParams, InitializeResult, SetLevelRequestParams, SubscribeRequestParams,
        UnsubscribeRequestParams,
    },
    service::{RequestContext, SubscriptionContext},
};

use super::{McpService, versions};
use crate::{
    failure::{Item, Kind},
    logging::LogLevel,
};

impl McpService {
    pub(crate) async fn handle_initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        // Registered here rather than on `notifications/initialized`: rmcp handles notifications
        // on their own tasks, so the client's first request could otherwise overtake it and a
        // list change announced just then would miss the client.
        context.peer.set_peer_info(request.clone());
        let sessionless = self.sessionless(&context);
        self.shared().env.notifier.connected(self.connection, context.peer);
        let mut result = self.shared().info.clone();
        result.protocol_version = versions::negotiate(&request.protocol_version);
        if sessionless {
            // Nothing could carry a notification to this client: promise none.
            let capabilities = &mut result.capabilities;
            capabilities.tools.iter_mut().for_each(|tools| tools.list_changed = None);
            capabilities.prompts.iter_mut().for_each(|prompts| prompts.list_changed = None);
            capabilities.resources.iter_mut().for_each(|resources| {
                resources.list_changed = None;
                resources.subscribe = None;
            });
        }
        Ok(result)
    }

    pub(crate) async fn handle_subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        let uri = request.uri;
        if self.sessionless(&context) {
            return Err(McpError::invalid_request(
                "this server serves HTTP without sessions, so it has no stream to send resource updates on; \
                 subscribe with `subscriptions/listen` (protocol 2026-07-28) or use a server with sessions",
                None,
            ));
        }
        match self.find_resource(&uri) {
            Ok((definition, _)) => {
                self.authorize(&context, Item { kind: Kind::Resource, name: &uri }, definition.scopes)?;
            }
            Err(unknown) => {
                // A mounted or proxied server's resource: it is asked to send its updates here.
                let Some((mount, own)) = self.shared().mounts.of_uri(&uri) else { return Err(unknown) };
                self.authorize(&context, Item { kind: Kind::Resource, name: &uri }, mount.scopes)?;
                mount.upstream.subscribe(own, self.for_mount(context.clone())).await?;
            }
        }
        self.shared().env.notifier.subscribe(self.connection, context.peer, uri);
        Ok(())
    }

    pub(crate) async fn handle_unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.shared().env.notifier.unsubscribe(self.connection, &request.uri);
        Ok(())
    }

    pub(crate) async fn listen_until_cancelled(&self, context: SubscriptionContext) -> Result<(), McpError> {
        let principal = self.principal_of(context.request_context());
        // Removed when this future ends or is dropped (stdio drops it when its input ends).
        let _listening = self.shared().env.notifier.add_listener(context.sink().clone(), principal);
        context.cancelled().await;
        Ok(())
    }

    pub(crate) async fn handle_set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.log_level.set(LogLevel::from_rmcp(request.level));
        Ok(())
    }

    /// A 2025 request over stateless HTTP: the connection ends with the response.
    fn sessionless(&self, context: &RequestContext<RoleServer>) -> bool {
        self.shared().stateless_http && super::over_http::over_http(context)
    }
}
