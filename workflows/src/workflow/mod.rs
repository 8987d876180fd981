//! `InvoiceWorkflow`: one durable workflow per invoice, the authority on its lifecycle.
//!
//! The workflow decides every transition; PostgreSQL records them. Commands that can be
//! refused (edit, delete, send, record a payment, void, change the due date) are Updates with
//! validators, so an invalid transition is rejected before it reaches history. Each accepted
//! command changes the workflow's state synchronously (so the next validator already sees it)
//! and then persists the change through an activity; the update returns once the change is
//! stored, which gives the API read-your-writes.
//!
//! Writes go through a FIFO (`WriteQueue`): PostgreSQL sees changes in the order the
//! workflow made them even when two updates overlap.

mod model;
mod rules;

pub use model::{
    DEFAULT_TASK_QUEUE, HandlerError, InvoiceState, InvoiceView, InvoiceWorkflowInput, VoidRequest,
    workflow_id,
};

use crate::{
    contracts::{
        ChangeDueDateInput, DeleteDraftInput, MarkOverdueInput, MarkSentInput, MarkVoidInput,
        PaymentRequest, RecordPaymentInput, ReviseDraftInput, activity,
    },
    domain::{Action, Draft, InvoiceStatus, Refusal, terms},
    search,
};
use chrono::{DateTime, NaiveDate, Utc};
use std::time::Duration;
use temporalio_common::{ActivityDefinition, RetryPolicy};
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, ApplicationFailure, CancellableFuture, ContinueAsNewOptions, WorkflowContext,
    WorkflowContextView, WorkflowResult, WorkflowTermination, workflows::select,
};
use uuid::Uuid;

/// Tickets for the persistence FIFO: a write waits until every earlier write has completed.
#[derive(Clone, Copy, Debug, Default)]
struct WriteQueue {
    issued: u64,
    completed: u64,
}

impl WriteQueue {
    fn issue(&mut self) -> u64 {
        self.issued += 1;
        self.issued - 1
    }

    fn idle(&self) -> bool {
        self.issued == self.completed
    }
}

#[workflow]
pub struct InvoiceWorkflow {
    invoice_id: Uuid,
    owner_id: Uuid,
    invoice: InvoiceState,
    version: i64,
    next_event_seq: i32,
    recorded_payments: Vec<Uuid>,
    /// Bumped whenever the due date may have moved, so the run loop re-arms its timer.
    due_date_version: u64,
    deleted: bool,
    writes: WriteQueue,
}

#[workflow_methods]
impl InvoiceWorkflow {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: InvoiceWorkflowInput) -> Self {
        Self {
            invoice_id: input.invoice_id,
            owner_id: input.owner_id,
            invoice: input.invoice,
            version: input.version,
            next_event_seq: input.next_event_seq,
            recorded_payments: input.recorded_payments,
            due_date_version: 0,
            deleted: false,
            writes: WriteQueue::default(),
        }
    }

    /// Waits out the invoice's life: arms the overdue timer while it is sent, and finishes once
    /// it is paid, void or deleted and every change is stored.
    #[run]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<InvoiceView> {
        Self::publish_search_attributes(ctx);
        loop {
            let (status, due_date_version, deleted) =
                ctx.state(|s| (s.invoice.status, s.due_date_version, s.deleted));
            if deleted || status.is_final() {
                break;
            }
            if ctx.continue_as_new_suggested() {
                Self::continue_as_new(ctx).await?;
            }
            // Wake for any change that matters, including Temporal suggesting a fresh run (a
            // draft edited many times never changes status).
            let suggestion = ctx.clone();
            let changed = move |s: &Self| {
                s.invoice.status != status
                    || s.due_date_version != due_date_version
                    || s.deleted
                    || suggestion.continue_as_new_suggested()
            };
            if status != InvoiceStatus::Sent {
                ctx.wait_condition(changed).await?;
                continue;
            }
            let overdue_at = ctx.state(|s| terms::overdue_at(s.invoice.due_date));
            let now = now(ctx)?;
            if now >= overdue_at {
                Self::fall_overdue(ctx, now).await?;
                continue;
            }
            let wait = (overdue_at - now).to_std().unwrap_or(Duration::ZERO);
            let mut timer = ctx.timer(wait);
            select! {
                // Fired: the next pass finds the due date behind it and marks the invoice overdue.
                _ = timer => {}
                // Paid, voided or the due date moved: this timer is stale.
                _ = ctx.wait_condition(changed) => timer.cancel(),
            };
        }
        let handlers = ctx.clone();
        ctx.wait_condition(move |s| s.writes.idle() && handlers.all_handlers_finished())
            .await?;
        Ok(ctx.state(Self::to_view))
    }

    /// The workflow's view of the invoice.
    #[query]
    pub fn view(&self, _ctx: &WorkflowContextView) -> InvoiceView {
        self.to_view()
    }

    #[update_validator(revise_draft)]
    fn validate_revise_draft(
        &self,
        _ctx: &WorkflowContextView,
        _draft: &Draft,
    ) -> Result<(), HandlerError> {
        Ok(self.check(Action::Edit)?)
    }

    /// Replaces a draft's content (the API has validated it).
    #[update]
    pub async fn revise_draft(
        ctx: &mut WorkflowContext<Self>,
        draft: Draft,
    ) -> Result<InvoiceView, HandlerError> {
        let at = now(ctx)?;
        let (ticket, input) = ctx.state_mut(|s| {
            s.check(Action::Edit)?;
            s.invoice.currency = draft.currency;
            s.invoice.issue_date = draft.issue_date;
            s.invoice.due_date = draft.due_date;
            s.invoice.total = draft.total();
            let input = ReviseDraftInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                draft,
                event_seq: s.take_event_seq(),
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::ReviseDraft, input).await?;
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(delete_draft)]
    fn validate_delete_draft(
        &self,
        _ctx: &WorkflowContextView,
        _input: &(),
    ) -> Result<(), HandlerError> {
        Ok(self.check(Action::Delete)?)
    }

    /// Deletes a draft; the workflow then finishes.
    #[update]
    pub async fn delete_draft(ctx: &mut WorkflowContext<Self>) -> Result<(), HandlerError> {
        let (ticket, input) = ctx.state_mut(|s| {
            s.check(Action::Delete)?;
            s.deleted = true;
            let input = DeleteDraftInput {
                invoice_id: s.invoice_id,
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        Self::write(ctx, ticket, activity::DeleteDraft, input).await?;
        Ok(())
    }

    #[update_validator(send)]
    fn validate_send(&self, _ctx: &WorkflowContextView, _input: &()) -> Result<(), HandlerError> {
        Ok(self.check(Action::Send)?)
    }

    /// Sends a draft: it gets the account's next number and its due date starts running.
    #[update]
    pub async fn send(ctx: &mut WorkflowContext<Self>) -> Result<InvoiceView, HandlerError> {
        let sent_at = now(ctx)?;
        let (ticket, input) = ctx.state_mut(|s| {
            s.check(Action::Send)?;
            s.invoice.status = InvoiceStatus::Sent;
            let input = MarkSentInput {
                invoice_id: s.invoice_id,
                owner_id: s.owner_id,
                version: s.next_version(),
                sent_at,
                event_seq: s.take_event_seq(),
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        Self::publish_search_attributes(ctx);
        let sent = Self::write(ctx, ticket, activity::MarkSent, input).await?;
        ctx.state_mut(|s| {
            // The stored invoice is authoritative for what was sent.
            s.invoice.number = Some(sent.number);
            s.invoice.currency = sent.currency;
            s.invoice.total = sent.total;
            s.invoice.issue_date = sent.issue_date;
            if s.invoice.due_date != sent.due_date {
                s.invoice.due_date = sent.due_date;
                s.due_date_version += 1;
            }
        });
        Self::publish_search_attributes(ctx);
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(record_payment)]
    fn validate_record_payment(
        &self,
        _ctx: &WorkflowContextView,
        payment: &PaymentRequest,
    ) -> Result<(), HandlerError> {
        Ok(self.check_payment(payment)?)
    }

    /// Records a payment; paying the amount due in full makes the invoice paid and stops its
    /// overdue timer. A payment already recorded (same id) changes nothing.
    #[update]
    pub async fn record_payment(
        ctx: &mut WorkflowContext<Self>,
        payment: PaymentRequest,
    ) -> Result<InvoiceView, HandlerError> {
        let recorded_at = now(ctx)?;
        let write = ctx.state_mut(|s| {
            if s.recorded_payments.contains(&payment.payment_id) {
                return Ok(None);
            }
            s.check_payment(&payment)?;
            s.recorded_payments.push(payment.payment_id);
            s.invoice.amount_paid += payment.amount;
            let settled = s.invoice.amount_due() == 0;
            if settled {
                s.invoice.status = InvoiceStatus::Paid;
            }
            let input = RecordPaymentInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                currency: s.invoice.currency,
                recorded_at,
                amount_paid: s.invoice.amount_paid,
                status: s.invoice.status,
                event_seq: s.take_event_seq(),
                paid_event_seq: settled.then(|| s.take_event_seq()),
                payment,
            };
            Ok::<_, Refusal>(Some((s.writes.issue(), input)))
        })?;
        if let Some((ticket, input)) = write {
            Self::publish_search_attributes(ctx);
            Self::write(ctx, ticket, activity::RecordPayment, input).await?;
        }
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(void)]
    fn validate_void(
        &self,
        _ctx: &WorkflowContextView,
        _request: &VoidRequest,
    ) -> Result<(), HandlerError> {
        Ok(self.check_void()?)
    }

    /// Voids the invoice; it stays on record, its number is not reused, and nothing more
    /// happens to it.
    #[update]
    pub async fn void(
        ctx: &mut WorkflowContext<Self>,
        request: VoidRequest,
    ) -> Result<InvoiceView, HandlerError> {
        let at = now(ctx)?;
        let (ticket, input) = ctx.state_mut(|s| {
            s.check_void()?;
            s.invoice.status = InvoiceStatus::Void;
            let input = MarkVoidInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                reason: request.reason,
                event_seq: s.take_event_seq(),
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::MarkVoid, input).await?;
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(change_due_date)]
    fn validate_change_due_date(
        &self,
        _ctx: &WorkflowContextView,
        due_date: &NaiveDate,
    ) -> Result<(), HandlerError> {
        Ok(self.check_due_date_change(*due_date)?)
    }

    /// Moves the due date of a sent or overdue invoice and re-arms the overdue timer. An
    /// overdue invoice whose due date moves into the future is sent again; a sent invoice
    /// whose due date moves into the past is overdue at once.
    #[update]
    pub async fn change_due_date(
        ctx: &mut WorkflowContext<Self>,
        due_date: NaiveDate,
    ) -> Result<InvoiceView, HandlerError> {
        let at = now(ctx)?;
        let (ticket, input) = ctx.state_mut(|s| {
            s.check_due_date_change(due_date)?;
            let from = s.invoice.due_date;
            let was = s.invoice.status;
            s.invoice.due_date = due_date;
            s.invoice.status = if at >= terms::overdue_at(due_date) {
                InvoiceStatus::Overdue
            } else {
                InvoiceStatus::Sent
            };
            s.due_date_version += 1;
            let event_seq = s.take_event_seq();
            let became_overdue =
                was != InvoiceStatus::Overdue && s.invoice.status == InvoiceStatus::Overdue;
            let input = ChangeDueDateInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                from,
                to: due_date,
                status: s.invoice.status,
                event_seq,
                overdue_event_seq: became_overdue.then(|| s.take_event_seq()),
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::ChangeDueDate, input).await?;
        Ok(ctx.state(Self::to_view))
    }
}

impl InvoiceWorkflow {
    /// The timer fired: the invoice is now overdue.
    async fn fall_overdue(
        ctx: &WorkflowContext<Self>,
        at: DateTime<Utc>,
    ) -> Result<(), WorkflowTermination> {
        let (ticket, input) = ctx.state_mut(|s| {
            s.invoice.status = InvoiceStatus::Overdue;
            let input = MarkOverdueInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                event_seq: s.take_event_seq(),
            };
            (s.writes.issue(), input)
        });
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::MarkOverdue, input).await?;
        Ok(())
    }

    /// Persists a change once every earlier change is stored, so PostgreSQL applies them in
    /// the order the workflow made them.
    async fn write<A: ActivityDefinition>(
        ctx: &WorkflowContext<Self>,
        ticket: u64,
        activity: A,
        input: A::Input,
    ) -> Result<A::Output, WorkflowTermination> {
        ctx.wait_condition(move |s| s.writes.completed == ticket)
            .await?;
        let result = ctx.execute_activity(activity, input, write_options()).await;
        ctx.state_mut(|s| s.writes.completed += 1);
        Ok(result?)
    }

    fn publish_search_attributes(ctx: &WorkflowContext<Self>) {
        let updates = ctx.state(|s| search::for_invoice(&s.invoice));
        ctx.upsert_search_attributes(updates);
    }

    /// Starts a fresh run carrying the invoice over, once nothing is in flight, so the
    /// history of a long-lived (or much-edited) invoice stays small.
    async fn continue_as_new(ctx: &mut WorkflowContext<Self>) -> Result<(), WorkflowTermination> {
        let handlers = ctx.clone();
        ctx.wait_condition(move |s| s.writes.idle() && handlers.all_handlers_finished())
            .await?;
        let input = ctx.state(|s| InvoiceWorkflowInput {
            invoice_id: s.invoice_id,
            owner_id: s.owner_id,
            invoice: s.invoice.clone(),
            version: s.version,
            next_event_seq: s.next_event_seq,
            recorded_payments: s.recorded_payments.clone(),
        });
        ctx.continue_as_new(input, ContinueAsNewOptions::default())?;
        Ok(())
    }
}

/// Writes to PostgreSQL take milliseconds; ten seconds means the worker died. Retried
/// without limit (a database outage must not lose a payment); activities fail
/// non-retryably only for business reasons.
fn write_options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(500))
                .backoff_coefficient(2.0)
                .maximum_interval(Duration::from_secs(30))
                .build(),
        )
        .summary("persist invoice change".to_owned())
        .build()
}

/// Workflow time, the only clock a workflow may read. (`ApplicationFailure` is large; the SDK
/// returns it unboxed from its own workflow APIs too.)
#[allow(clippy::result_large_err)]
fn now(ctx: &WorkflowContext<InvoiceWorkflow>) -> Result<DateTime<Utc>, ApplicationFailure> {
    ctx.workflow_time()
        .map(DateTime::<Utc>::from)
        .ok_or_else(|| ApplicationFailure::new("workflow time is not available"))
}
