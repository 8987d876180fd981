//! The persistence FIFO: every change the workflow decides is written to PostgreSQL by a
//! (local) activity, in the order the workflow decided it, even when two updates overlap.

use super::{InvoiceWorkflow, local::Short};
use crate::contracts::{CheckEInvoiceInput, EInvoiceVerdict, activity};
use std::time::Duration;
use temporalio_common::{ActivityDefinition, RetryPolicy};
use temporalio_sdk::{WorkflowContext, WorkflowTermination};

/// Tickets for the FIFO: a write waits until every earlier write has completed.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct WriteQueue {
    issued: u64,
    completed: u64,
}

impl WriteQueue {
    pub(super) fn issue(&mut self) -> u64 {
        self.issued += 1;
        self.issued - 1
    }

    pub(super) fn idle(&self) -> bool {
        self.issued == self.completed
    }
}

impl InvoiceWorkflow {
    /// Persists a change once every earlier change is stored.
    pub(super) async fn write<A: ActivityDefinition>(
        ctx: &WorkflowContext<Self>,
        ticket: u64,
        activity: A,
        input: A::Input,
    ) -> Result<A::Output, WorkflowTermination> {
        ctx.wait_condition(move |s| s.writes.completed == ticket)
            .await?;
        let result = Self::short(ctx, activity, input, write()).await;
        ctx.state_mut(|s| s.writes.completed += 1);
        Ok(result?)
    }
}

impl InvoiceWorkflow {
    /// Runs the e-invoice gate once every earlier change is stored: it reads the draft as
    /// those changes left it. It writes nothing, but holds its place in the queue so that no
    /// later change lands while it reads.
    pub(super) async fn check_e_invoice(
        ctx: &WorkflowContext<Self>,
        ticket: u64,
        input: CheckEInvoiceInput,
    ) -> Result<EInvoiceVerdict, WorkflowTermination> {
        ctx.wait_condition(move |s| s.writes.completed == ticket)
            .await?;
        let result = Self::short(
            ctx,
            activity::CheckEInvoice,
            input,
            Short {
                summary: "check the e-invoice",
                ..write()
            },
        )
        .await;
        ctx.state_mut(|s| s.writes.completed += 1);
        Ok(result?)
    }
}

/// Writes to PostgreSQL take milliseconds; ten seconds means the worker died. Retried
/// without limit (a database outage must not lose a payment); activities fail
/// non-retryably only for business reasons.
fn write() -> Short {
    Short {
        summary: "persist invoice change",
        timeout: Duration::from_secs(10),
        retry: RetryPolicy::builder()
            .initial_interval(Duration::from_millis(500))
            .backoff_coefficient(2.0)
            .maximum_interval(Duration::from_secs(30))
            .build(),
    }
}
