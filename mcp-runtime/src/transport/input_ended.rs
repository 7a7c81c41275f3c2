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
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
};

use pin_project_lite::pin_project;
use rmcp::{
    ErrorData, RoleServer, Service,
    model::{
        ClientNotification, ClientRequest, ProtocolVersion, RequestId, ServerConfig, ServerResult,
        SubscriptionsListenResult,
    },
    service::{MaybeSendFuture, NotificationContext, RequestContext},
};
use tokio::io::{AsyncRead, ReadBuf};
use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};

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
    // Not an `async fn`: its state would hold the request beside the inner handler's future
    // (one more copy to move per request, and a large drop glue). The request is matched here,
    // and only a listen request races the end of the input.
    fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> impl Future<Output = Result<ServerResult, ErrorData>> + MaybeSendFuture + '_ {
        let input_ends = matches!(request, ClientRequest::SubscriptionsListenRequest(_))
            .then(|| InputEnds { id: context.id.clone(), ended: self.closed.cancelled() });
        EndsOnEof { answering: self.inner.handle_request(request, context), input_ends }
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

pin_project! {
    /// A request being answered; a listen request also ends when the input does.
    struct EndsOnEof<'a, Answering> {
        #[pin]
        answering: Answering,
        // For a listen request only.
        #[pin]
        input_ends: Option<InputEnds<'a>>,
    }
}

pin_project! {
    /// The end of the input, and the listen request it completes.
    struct InputEnds<'a> {
        id: RequestId,
        #[pin]
        ended: WaitForCancellationFuture<'a>,
    }
}

impl<Answering: Future<Output = Result<ServerResult, ErrorData>>> Future for EndsOnEof<'_, Answering> {
    type Output = Result<ServerResult, ErrorData>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(answered) = this.answering.poll(cx) {
            return Poll::Ready(answered);
        }
        let Some(input_ends) = this.input_ends.as_pin_mut() else {
            return Poll::Pending;
        };
        let input_ends = input_ends.project();
        ready!(input_ends.ended.poll(cx));
        // Nobody is left to read the result; it only lets rmcp's drain finish at once.
        let id = input_ends.id.clone();
        Poll::Ready(Ok(ServerResult::SubscriptionsListenResult(SubscriptionsListenResult::complete(id))))
    }
}
