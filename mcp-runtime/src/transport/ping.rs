//! `ping` answered in every era on the transports rmcp drives through its `Service` trait
//! (stdio, in-process pipes). rmcp's dispatch answers a 2026-07-28 client's ping with -32601
//! (that revision dropped ping) before any handler method runs, so no `ServerHandler` method
//! can answer it; clients still send it (the Python SDK's keep-alive does), and a ping costs
//! nothing to answer. Over HTTP the same is done by `http/sessionless.rs`, since rmcp's HTTP
//! service needs a `ServerHandler`, not a `Service`; there a ping whose own `_meta` declares
//! 2026-07-28 keeps rmcp's 404 / -32601, which that revision requires of HTTP servers. rmcp
//! drops a ping's `params` (and so its `_meta`) when it decodes one, so on stdio no such
//! distinction can be made; the specification's requirement is about HTTP.

use std::future::Future;

use futures::{FutureExt, future::Either};
use rmcp::{
    ErrorData, RoleServer, ServerHandler, Service,
    model::{ClientNotification, ClientRequest, ProtocolVersion, ServerConfig, ServerResult},
    service::{MaybeSendFuture, NotificationContext, RequestContext},
};

use crate::service::McpService;

/// The server, with every `ping` answered through its own (observed) `ping` handler.
pub(crate) struct AnswersPing(pub(crate) McpService);

impl Service<RoleServer> for AnswersPing {
    // Not an `async fn`: its state would hold the request and the inner handler's whole future,
    // one more copy of each to move per request and one more large drop glue in the binary.
    // The request is matched here, and the future is the one that answers it.
    fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ServerResult, ErrorData>> + MaybeSendFuture + '_ {
        match request {
            ClientRequest::PingRequest(_) => {
                Either::Left(ServerHandler::ping(&self.0, context).map(|pinged| pinged.map(ServerResult::empty)))
            }
            request => Either::Right(Service::handle_request(&self.0, request, context)),
        }
    }

    async fn handle_notification(
        &self,
        notification: ClientNotification,
        context: NotificationContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        Service::handle_notification(&self.0, notification, context).await
    }

    fn get_info(&self) -> ServerConfig {
        Service::get_info(&self.0)
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [ProtocolVersion]> {
        Service::supported_protocol_versions(&self.0)
    }
}
