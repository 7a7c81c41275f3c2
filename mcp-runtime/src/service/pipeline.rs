//! The path every request takes, one stage per file, in this order:
//!
//! 1. `observe`: a span, one log line, the metrics and the protocol trace around the rest;
//!    on stdio also the rate limit (`rate_limit`), since HTTP limits before rmcp.
//! 2. user middleware (`crate::middleware`), which may rewrite arguments or answer itself.
//! 3. for a tool, prompt or resource: the lookup and the checks of its kind (`tool`,
//!    `prompt`, `resource`: unknown names, argument constraints), then [`McpService::invoke`]:
//!    `authorize` (scopes), `inputs` (answers from earlier rounds), the handler's `Context`,
//!    `limits` (concurrency slots), the time limit, `contain` (panics), cancellation, and the
//!    escalation to `input_required`;
//! 4. the kind's own finish (`tool`: wrapping and the result size; `resource`: the size), and
//!    the one table that turns every [`Failure`] into its answer (`crate::failure`).
//!
//! Stages that are off (no rate limit, no middleware, no limits, no timeout) cost a branch,
//! not a layer: the order is fixed here, so it can be read top to bottom, and nothing is boxed
//! or stacked as a future of its own for a stage.

mod authorize;
mod contain;
mod inputs;
mod limits;
pub(crate) mod observe;
mod prompt;
mod rate_limit;
mod resource;
mod task;
mod tool;

use std::{future::Future, panic::AssertUnwindSafe, sync::Arc, time::Duration};

use futures::FutureExt;
use tokio_util::sync::CancellationToken;

use rmcp::{ErrorData as McpError, RoleServer, model::InputRequiredResult, service::RequestContext};

pub(crate) use contain::contained;
pub(crate) use tool::unknown_tool;

use crate::{
    auth::Principal,
    context::Context,
    failure::{Failure, Item},
    input::CallInputs,
    limit::Limiter,
    service::McpService,
};

/// One call of a found, authorized item, and the limits it runs under.
pub(crate) struct Invocation<'a> {
    pub(crate) item: Item<'a>,
    /// The name the handler's log messages carry.
    pub(crate) logger: &'static str,
    pub(crate) principal: Arc<Principal>,
    pub(crate) inputs: Arc<CallInputs>,
    /// Concurrency slots apply (tools): the item's own, if it has them, and the server's.
    pub(crate) slots: Option<Option<Arc<Limiter>>>,
    pub(crate) timeout: Option<Duration>,
}

/// How an invoked handler ended.
pub(crate) enum Invoked<T> {
    Answered(T),
    Failed(Failure),
    /// It asked a 2026-07-28 client for input: the client answers and calls again.
    InputRequired(InputRequiredResult),
}

impl McpService {
    /// The handler's `Context`, made from the request's, and the token that cancels the call:
    /// what [`invoke`](Self::invoke) needs once the handler's future is made.
    pub(crate) fn start(
        &self,
        invocation: &Invocation<'_>,
        context: RequestContext<RoleServer>,
    ) -> (Context, CancellationToken) {
        let cancelled = context.ct.clone();
        let Invocation { logger, principal, inputs, .. } = invocation;
        (self.call_context(context, logger, principal.clone(), inputs.clone()), cancelled)
    }

    /// Runs a handler's future (made from the `Context` [`start`](Self::start) gave) through
    /// the stages every kind shares. Dropping the call (cancellation, timeout) stops the handler
    /// at its next `.await`.
    ///
    /// `running`'s output is the handler's answer as it is (`T`); a kind whose handlers can
    /// fail says so in `T` (a `Result`). The stages are written out here rather than stacked as
    /// futures of their own: every call of every tool runs them, and each layer of future would
    /// be one more state machine to move and poll (measured: about 200 instructions a call).
    ///
    /// Not an `async fn`: that would keep a second copy of each argument in its state, and this
    /// future is part of every request's, which is moved (and boxed) once per call.
    pub(crate) fn invoke<'s, T, Fut>(
        &'s self,
        invocation: Invocation<'s>,
        cancelled: CancellationToken,
        running: Fut,
    ) -> impl Future<Output = Result<Invoked<T>, McpError>> + 's
    where
        Fut: Future<Output = T> + 's,
        T: 's,
    {
        let Invocation { item, inputs, slots, timeout, .. } = invocation;
        let running = AssertUnwindSafe(running).catch_unwind();
        async move {
            let bounded = async {
                // Most servers set no concurrency limit: then there is nothing to enter.
                // Waiting for a slot and the time limit are boxed: most calls have neither, and
                // inline their futures would enlarge every call's future (moved, and allocated,
                // once per call) by what only a few use.
                let _slots = match slots {
                    Some(own) if own.is_some() || self.shared().call_limiter.is_some() => {
                        Some(Box::pin(self.enter_limits(own.as_deref(), item.name)).await?)
                    }
                    _ => None,
                };
                match timeout {
                    Some(limit) => {
                        Box::pin(tokio::time::timeout(limit, running)).await.map_err(|_| Failure::TimedOut(limit))
                    }
                    None => Ok(running.await),
                }
            };
            tokio::select! {
                biased;
                _ = cancelled.cancelled() => {
                    tracing::debug!(%item, "request cancelled by the client");
                    // rmcp drops the answer to a cancelled request, as the specification asks.
                    Ok(Invoked::Failed(Failure::Cancelled))
                }
                outcome = bounded => self.settle(item, &inputs, outcome),
            }
        }
    }

    /// How a handler that ran to its end ended: it asked for input or hit a protocol error
    /// (escalated), answered, panicked, or was stopped by a limit.
    pub(crate) fn settle<T>(
        &self,
        item: Item<'_>,
        inputs: &CallInputs,
        outcome: Result<std::thread::Result<T>, Failure>,
    ) -> Result<Invoked<T>, McpError> {
        if let Some(escalation) = inputs.take_escalation() {
            return self.escalated(item, inputs, escalation).map(Invoked::InputRequired);
        }
        Ok(match outcome {
            Ok(Ok(answer)) => Invoked::Answered(answer),
            Ok(Err(panic)) => Invoked::Failed(contain::contained(item, &*panic, &self.shared().env.metrics)),
            Err(failure) => Invoked::Failed(failure),
        })
    }

    /// The `Context` a handler of this connection receives.
    #[inline]
    pub(crate) fn call_context(
        &self,
        request: RequestContext<RoleServer>,
        logger: &'static str,
        principal: Arc<Principal>,
        inputs: Arc<CallInputs>,
    ) -> Context {
        // An HTTP session's connection stops when the session ends; say which session it is.
        if let Some(session) = super::over_http::session_id(&request) {
            self.life().serves_session(session, &self.shared().sessions);
        }
        let env = self.shared().env.clone();
        // A mounted server logs at the level its parent's caller asked for.
        let log_level = match request.extensions.get::<crate::compose::Caller>() {
            Some(caller) => caller.log_level.clone(),
            None => self.log_level().clone(),
        };
        Context::new(request, env, log_level, self.life().clone(), logger, principal, inputs)
    }
}
