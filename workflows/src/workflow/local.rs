//! Short side effects run as local activities.
//!
//! A PostgreSQL write takes milliseconds. As a local activity it runs in the worker that holds
//! the workflow task and is recorded as one marker in that task. As a regular activity it would
//! cost a task of its own on the queue: three events and one more workflow task. The writes,
//! the payment notes and the reminders' e-mails and events run this way, and an invoice's
//! history, and Temporal's work per invoice, shrink to about half (`scripts/bench`, History and
//! Lifecycle).
//!
//! A local activity holds its workflow task open while it runs, and with it the answer to any
//! command that task completes. So what calls a service whose latency the product does not
//! control, in a task a caller waits on, stays a regular activity: a change's PDF, e-mail and
//! events (delivered together, [`super::outbox`]), and Stripe's calls.

use super::InvoiceWorkflow;
use crate::operations;
use std::time::Duration;
use temporalio_common::{ActivityDefinition, RetryPolicy};
use temporalio_sdk::{ActivityExecutionError, LocalActivityOptions, WorkflowContext};

/// A retry backoff longer than this waits on a durable timer instead of in the worker. That
/// way an outage of PostgreSQL (or, for a reminder, SES or SQS) is waited out with a timer per attempt, not by
/// holding the workflow task open and heartbeating it, which adds three events every few seconds.
const TIMER_BACKOFF_AFTER: Duration = Duration::from_secs(5);

/// How a short side effect runs: its summary in the UI, how long one attempt may take, and
/// how it is retried.
pub(super) struct Short {
    pub summary: &'static str,
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl InvoiceWorkflow {
    /// Runs `activity` as a local activity.
    pub(super) async fn short<A: ActivityDefinition>(
        ctx: &WorkflowContext<Self>,
        activity: A,
        input: A::Input,
        short: Short,
    ) -> Result<A::Output, ActivityExecutionError> {
        let options = LocalActivityOptions::builder()
            .start_to_close_timeout(short.timeout)
            .retry_policy(short.retry)
            .timer_backoff_threshold(TIMER_BACKOFF_AFTER)
            .summary(short.summary.to_owned())
            .build();
        operations::local_activity(ctx, activity, input, options).await
    }
}
