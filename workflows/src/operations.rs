//! Timers and activities whose link to the workflow's cancellation the awaiting code owns.
//!
//! temporalio-workflow 1.1.1 links every timer and activity to the workflow's cancellation
//! token through a callback that holds the run's context, and unlinks it only when the
//! operation completes. A timer that loses a race (the invoice was paid before it fired), or
//! any operation still pending when the run leaves the worker's cache, never completes: the
//! callback stays in the token, the token lives in the context, and the context then holds
//! itself. Every run a worker had started stayed in its memory, about 14 KiB each (README,
//! Benchmarks, Scale).
//!
//! So each operation here is linked through a child of the workflow's token, and the future
//! that awaits the operation owns that child. When the future is dropped, the child goes with
//! it, and so do the callback and the context it holds. Cancelling the workflow still reaches
//! the operation through the child. The workflow's token keeps a small callback per child
//! that refers to it weakly; those go with the run.
//!
//! Nothing here changes the commands a workflow sends, so histories replay as they ran.
//! `clippy.toml` disallows the SDK's own calls everywhere else.

// The one place they are called, each with a link of its own.
#![allow(clippy::disallowed_methods)]

use futures::future::FusedFuture;
use std::{
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use temporalio_common::ActivityDefinition;
use temporalio_sdk::{
    ActivityExecutionError, ActivityOptions, CancellableFuture, LocalActivityOptions, TimerOptions,
    TimerResult, WorkflowCancellationToken, WorkflowContext,
};

/// A future together with the cancellation token its operation is linked through.
pub(crate) struct Owned<F> {
    future: F,
    _link: WorkflowCancellationToken,
}

impl<F: Future + Unpin> Future for Owned<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.future).poll(cx)
    }
}

impl<F: CancellableFuture + Unpin> FusedFuture for Owned<F> {
    fn is_terminated(&self) -> bool {
        self.future.is_terminated()
    }
}

impl<F: CancellableFuture + Unpin> CancellableFuture for Owned<F> {
    fn cancel(&self) {
        self.future.cancel();
    }
}

/// A durable timer of `duration`, like `ctx.timer(duration)`.
pub(crate) fn timer<W>(
    ctx: &WorkflowContext<W>,
    duration: Duration,
) -> Owned<impl CancellableFuture<Output = TimerResult> + Unpin> {
    let link = link(ctx);
    let options = TimerOptions::builder(duration)
        .cancellation_token(link.clone())
        .build();
    let future = ctx.timer(options);
    Owned {
        future,
        _link: link,
    }
}

/// Runs `activity` as a regular activity, like `ctx.execute_activity`.
pub(crate) fn activity<W, A: ActivityDefinition>(
    ctx: &WorkflowContext<W>,
    activity: A,
    input: impl Into<A::Input>,
    mut options: ActivityOptions,
) -> Owned<impl CancellableFuture<Output = Result<A::Output, ActivityExecutionError>> + Unpin> {
    let link = link(ctx);
    options.cancellation_token = Some(link.clone());
    let future = ctx.execute_activity(activity, input, options);
    Owned {
        future,
        _link: link,
    }
}

/// Runs `activity` as a local activity, like `ctx.execute_local_activity`.
pub(crate) fn local_activity<W, A: ActivityDefinition>(
    ctx: &WorkflowContext<W>,
    activity: A,
    input: impl Into<A::Input>,
    mut options: LocalActivityOptions,
) -> Owned<impl CancellableFuture<Output = Result<A::Output, ActivityExecutionError>> + Unpin> {
    let link = link(ctx);
    options.cancellation_token = Some(link.clone());
    let future = ctx.execute_local_activity(activity, input, options);
    Owned {
        future,
        _link: link,
    }
}

/// A child of the workflow's token, for one operation.
fn link<W>(ctx: &WorkflowContext<W>) -> WorkflowCancellationToken {
    ctx.cancellation_token().child_token()
}
