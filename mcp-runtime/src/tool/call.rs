//! The future of one call of a `#[mcp_tool]` function, written out once here so that the macro
//! emits no `async` block per tool: the function's own future, then its output converted into
//! the call's result. An `async move` block per tool was a second state machine for the
//! compiler to build and borrow-check for every tool, beside the function's own.

use std::{
    future::Future,
    pin::Pin,
    task::{Context as TaskContext, Poll, ready},
};

use rmcp::model::CallToolResult;

use crate::result::error_result;

/// A tool call's future, as the registry keeps it.
pub(crate) type BoxedCall = Pin<Box<dyn Future<Output = CallToolResult> + Send>>;

pin_project_lite::pin_project! {
    /// A tool function's future, whose output `convert` makes the call's result.
    #[doc(hidden)]
    pub struct ToolCall<F, C> {
        #[pin]
        future: F,
        convert: Option<C>,
    }
}

impl<F, C> ToolCall<F, C>
where
    F: Future + Send + 'static,
    C: FnOnce(F::Output) -> CallToolResult + Send + 'static,
{
    /// The call of a tool function, boxed. The `Send` bound here is the only place a tool
    /// function's future is required to be `Send`, so one that is not is one error, at the
    /// function.
    pub fn boxed(future: F, convert: C) -> BoxedCall {
        Box::pin(Self { future, convert: Some(convert) })
    }
}

impl<F: Future, C: FnOnce(F::Output) -> CallToolResult> Future for ToolCall<F, C> {
    type Output = CallToolResult;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<CallToolResult> {
        let this = self.project();
        let output = ready!(this.future.poll(cx));
        let convert = this.convert.take().expect("a tool call is not polled after it completed");
        Poll::Ready(convert(output))
    }
}

/// A call refused before the function ran: an injected parameter that could not be had, or
/// arguments that do not decode.
#[doc(hidden)]
pub fn refused_call(error: impl std::fmt::Display) -> BoxedCall {
    Box::pin(std::future::ready(error_result(error)))
}

#[cfg(test)]
mod tests {
    use rmcp::model::ContentBlock;

    use super::*;
    use crate::error::ToolError;

    fn text(result: &CallToolResult) -> Option<&str> {
        result.content[0].as_text().map(|text| text.text.as_str())
    }

    #[tokio::test]
    async fn a_call_converts_its_output_or_gives_its_refusal() {
        let call = ToolCall::boxed(async { 40 + 2 }, |sum: i32| {
            CallToolResult::success(vec![ContentBlock::text(sum.to_string())])
        });
        let result = call.await;
        assert_eq!((text(&result), result.is_error), (Some("42"), Some(false)));
        let refused = refused_call(ToolError::new("no database")).await;
        assert_eq!((text(&refused), refused.is_error), (Some("no database"), Some(true)));
    }
}
