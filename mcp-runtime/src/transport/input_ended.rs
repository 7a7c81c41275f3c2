//! Ending `subscriptions/listen` streams when a stream transport's input ends.
//!
//! rmcp waits (5 s) for every request in flight before a stdio server exits, and a listen
//! stream is a request that only ends when its client cancels it. A client that closes our
//! stdin will never cancel it, so the stream must end on its own when the input does. It
//! must end even before our `listen` handler runs: rmcp sends the stream's acknowledgement
//! and then waits to hear that it was written, which it no longer hears once its loop has
//! seen the end of the input, so a client that closes stdin just after the acknowledgement
//! arrives would leave that request waiting forever. Racing the whole request here covers both.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use rmcp::{
    ErrorData, RoleServer, Service,
    model::{
        ClientNotification, ClientRequest, ProtocolVersion, ServerConfig, ServerResult, SubscriptionsListenResult,
    },
    service::{NotificationContext, RequestContext},
};
use tokio::io::{AsyncRead, ReadBuf};
use tokio_util::sync::CancellationToken;

/// A reader that cancels `closed` when its input ends (end of file, or a read error).
pub(crate) struct ClosedOnEof<R> {
    pub(crate) inner: R,
    pub(crate) closed: CancellationToken,
}

impl<R: AsyncRead + Unpin> AsyncRead for ClosedOnEof<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let ended = match &polled {
            Poll::Ready(Ok(())) => buf.filled().len() == before && buf.remaining() > 0,
            Poll::Ready(Err(_)) => true,
            Poll::Pending => false,
        };
        if ended {
            self.closed.cancel();
        }
        polled
    }
}

/// `inner`, with every `subscriptions/listen` request completed once `closed` is cancelled.
pub(crate) struct EndsListensOnEof<S> {
    pub(crate) inner: S,
    pub(crate) closed: CancellationToken,
}

impl<S: Service<RoleServer>> Service<RoleServer> for EndsListensOnEof<S> {
    async fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        if !matches!(request, ClientRequest::SubscriptionsListenRequest(_)) {
            return self.inner.handle_request(request, context).await;
        }
        let id = context.id.clone();
        tokio::select! {
            answered = self.inner.handle_request(request, context) => answered,
            // Nobody is left to read the result; it only lets rmcp's drain finish at once.
            () = self.closed.cancelled() => Ok(ServerResult::SubscriptionsListenResult(SubscriptionsListenResult::complete(id))),
        }
    }

    async fn handle_notification(
        &self,
        notification: ClientNotification,
        context: NotificationContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        self.inner.handle_notification(notification, context).await
    }

    fn get_info(&self) -> ServerConfig {
        self.inner.get_info()
    }

    fn supported_protocol_versions(&self) -> std::borrow::Cow<'static, [ProtocolVersion]> {
        self.inner.supported_protocol_versions()
    }
}
