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

mod credit_notes;
mod input;
mod local;
mod model;
mod outbox;
mod payments;
mod rules;
mod timers;
mod writes;

pub use credit_notes::{CreditNoteOutcome, MAX_REASON_CHARS as MAX_CREDIT_NOTE_REASON_CHARS};
pub use input::{InvoiceWorkflowInput, StoredInvoice, StoredStripePayment};
pub use model::{
    DEFAULT_TASK_QUEUE, HandlerError, InvoiceState, InvoiceView, OpenCheckout,
    UncollectibleRequest, VoidRequest, workflow_id,
};

use crate::{
    contracts::{
        ChangeDueDateInput, CheckEInvoiceInput, Checkout, CreditNoteRequest, DeleteDraftInput,
        DocumentMark, EmailKind, LifecycleEventType, MarkSentInput, MarkUncollectibleInput,
        MarkVoidInput, PaymentRequest, ReviseDraftInput, StripeReport, activity,
    },
    domain::{
        Action, Draft, InvoiceStatus, Ledger, PaymentMethod, Refusal, RefusalKind,
        ReminderSchedule,
        credit::{CreditBasis, Credited},
        terms,
    },
    search,
};
use chrono::{DateTime, NaiveDate, Utc};
use outbox::Effect;
use serde_json::json;
use std::collections::VecDeque;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ApplicationFailure, SyncWorkflowContext, WorkflowContext, WorkflowContextView, WorkflowResult,
    workflows::join,
};
use uuid::Uuid;
use writes::WriteQueue;

#[workflow]
pub struct InvoiceWorkflow {
    invoice_id: Uuid,
    owner_id: Uuid,
    invoice: InvoiceState,
    version: i64,
    next_event_seq: i32,
    recorded_payments: Vec<Uuid>,
    /// Bumped whenever the due date may have moved, so the run loop re-arms its timers.
    due_date_version: u64,
    deleted: bool,
    /// A send is waiting for the e-invoice gate: every other command waits for its answer.
    sending: bool,
    writes: WriteQueue,
    reminders: ReminderSchedule,
    /// PDF versions asked for so far, and the latest one stored.
    documents_issued: i32,
    document_version: i32,
    outbox: VecDeque<Effect>,
    /// Everything is stored and delivered and the invoice stays closed: every loop stops.
    done: bool,
    /// What Stripe reported, per PaymentIntent.
    ledger: Ledger,
    /// Stripe's reports waiting to be applied, and whether one is being applied now.
    stripe_inbox: VecDeque<StripeReport>,
    settling: bool,
    /// A payment is taking its amount out of the customer's credit balance: every other
    /// command waits, and so do Stripe's reports, so the amount due it was checked against
    /// still holds when it is recorded.
    taking_credit: bool,
    /// Pay links waiting for their outcome; the version wakes the watchdog when they change.
    checkouts: Vec<OpenCheckout>,
    checkouts_version: u64,
    /// What the credit notes have credited, and which notes were issued.
    credited: Credited,
    credit_notes: Vec<Uuid>,
    /// The sent invoice's content, loaded by the first credit note of a run.
    credit_basis: Option<CreditBasis>,
}

#[workflow_methods]
impl InvoiceWorkflow {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: InvoiceWorkflowInput) -> Self {
        Self::start(input)
    }

    /// Runs the lifecycle (timers, until paid, void or deleted) beside the deliverer of its
    /// effects and the settler of Stripe's reports; finishes once every change is stored and
    /// every effect delivered.
    #[run]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<InvoiceView> {
        // A run starts with its search attributes (from the API, or inherited by a continued
        // run): it does not set them again.
        let ctx = &*ctx;
        let (lifecycle, delivery, settling) =
            join!(Self::lifecycle(ctx), Self::deliver(ctx), Self::settle(ctx));
        lifecycle?;
        delivery?;
        settling?;
        Ok(ctx.state(Self::to_view))
    }

    /// Stripe reported something about a payment for this invoice (a verified webhook, sent
    /// by the API). Applied in arrival order by [`Self::settle`]; the outcome does not depend
    /// on that order.
    #[signal]
    pub fn stripe_report(&mut self, _ctx: &mut SyncWorkflowContext<Self>, report: StripeReport) {
        self.stripe_inbox.push_back(report);
    }

    #[update_validator(checkout)]
    fn validate_checkout(
        &self,
        _ctx: &WorkflowContextView,
        _input: &(),
    ) -> Result<(), HandlerError> {
        Ok(self.check(Action::Checkout)?)
    }

    /// A pay link for the amount due (a Stripe Checkout Session), remembered and watched until
    /// Stripe has the final word on it.
    #[update]
    pub async fn checkout(ctx: &mut WorkflowContext<Self>) -> Result<Checkout, HandlerError> {
        Self::open_checkout(ctx).await
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

    /// Sends a draft: the customer's e-invoice passes its format's rules, then the draft gets
    /// the account's next number and its due date starts running. A draft the gate refuses
    /// stays a draft: no number, no e-mail, no event.
    #[update]
    pub async fn send(ctx: &mut WorkflowContext<Self>) -> Result<InvoiceView, HandlerError> {
        let (ticket, input) = ctx.state_mut(|s| {
            s.check(Action::Send)?;
            s.sending = true;
            let input = CheckEInvoiceInput {
                invoice_id: s.invoice_id,
            };
            Ok::<_, Refusal>((s.writes.issue(), input))
        })?;
        let verdict = Self::check_e_invoice(ctx, ticket, input).await;
        ctx.state_mut(|s| s.sending = false);
        let verdict = verdict?;
        if verdict.refused() {
            return Err(Refusal::new(
                RefusalKind::EInvoiceRejected,
                serde_json::to_string(&verdict)?,
            )
            .into());
        }
        let sent_at = now(ctx)?;
        let event_id = Self::event_id(ctx);
        let (ticket, input, mut event) = ctx.state_mut(|s| {
            s.check(Action::Send)?;
            s.invoice.status = InvoiceStatus::Sent;
            let input = MarkSentInput {
                invoice_id: s.invoice_id,
                owner_id: s.owner_id,
                version: s.next_version(),
                sent_at,
                event_seq: s.take_event_seq(),
            };
            let event = s.lifecycle_event(event_id, LifecycleEventType::Sent, sent_at, json!({}));
            Ok::<_, Refusal>((s.writes.issue(), input, event))
        })?;
        // The status is announced once, with the number, after the write.
        let sent = Self::write(ctx, ticket, activity::MarkSent, input).await?;
        event.number = Some(sent.number.to_string());
        event.data = json!({ "due_date": sent.due_date, "issue_date": sent.issue_date });
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
            s.reminders = ReminderSchedule::new(&sent.reminders);
            s.reminders.skip_before(s.invoice.due_date, sent_at);
            let version = s.next_document_version();
            s.outbox.push_back(Effect::Render {
                version,
                mark: None,
            });
            s.outbox.push_back(Effect::Email(EmailKind::InvoiceSent {
                document_version: version,
            }));
            s.outbox.push_back(Effect::Publish(event));
            // Wake the timers: the invoice is now confirmed sent, with its reminders.
            s.due_date_version += 1;
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
    /// overdue timer. A payment from the customer's credit balance takes its amount out of
    /// that balance first, and is refused when the balance is smaller. A payment already
    /// recorded (same id) changes nothing.
    #[update]
    pub async fn record_payment(
        ctx: &mut WorkflowContext<Self>,
        payment: PaymentRequest,
    ) -> Result<InvoiceView, HandlerError> {
        let recorded_at = now(ctx)?;
        if payment.method == PaymentMethod::CreditBalance {
            Self::pay_from_credit(ctx, payment, recorded_at).await?;
        } else {
            ctx.state(|s| s.check_payment(&payment))?;
            Self::accept_payment(ctx, payment, recorded_at, None).await?;
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
        let event_id = Self::event_id(ctx);
        let (ticket, input, effects) = ctx.state_mut(|s| {
            s.check_void()?;
            s.invoice.status = InvoiceStatus::Void;
            let mut effects = Vec::new();
            // A draft was never seen by the client: no PDF to stamp, no one to tell.
            if s.invoice.number.is_some() {
                effects.push(s.render(Some(DocumentMark::Void)));
                effects.push(Effect::Email(EmailKind::Voided {
                    reason: request.reason.clone(),
                }));
            }
            effects.push(Effect::Publish(s.lifecycle_event(
                event_id,
                LifecycleEventType::Voided,
                at,
                json!({ "reason": request.reason }),
            )));
            effects.extend(s.retire_checkouts());
            let input = MarkVoidInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                reason: request.reason,
                event_seq: s.take_event_seq(),
            };
            Ok::<_, Refusal>((s.writes.issue(), input, effects))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::MarkVoid, input).await?;
        ctx.state_mut(|s| s.outbox.extend(effects));
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(mark_uncollectible)]
    fn validate_mark_uncollectible(
        &self,
        _ctx: &WorkflowContextView,
        request: &UncollectibleRequest,
    ) -> Result<(), HandlerError> {
        // The view has no clock: a date in the future is refused by the handler.
        Ok(self.check_uncollectible(request, None)?)
    }

    /// Writes the amount due off as a bad debt: the reminders stop, the invoice leaves the
    /// receivables, and nobody is told (the customer still owes it). A payment that still
    /// comes is recorded as usual and recovers the debt; paid in full, the invoice is paid.
    #[update]
    pub async fn mark_uncollectible(
        ctx: &mut WorkflowContext<Self>,
        request: UncollectibleRequest,
    ) -> Result<InvoiceView, HandlerError> {
        let at = now(ctx)?;
        let event_id = Self::event_id(ctx);
        let (ticket, input, effects) = ctx.state_mut(|s| {
            s.check_uncollectible(&request, Some(at.date_naive()))?;
            let amount = s.invoice.amount_due();
            s.invoice.status = InvoiceStatus::Uncollectible;
            // An open pay link stays usable and watched: the customer may still pay.
            let effects = vec![Effect::Publish(s.lifecycle_event(
                event_id,
                LifecycleEventType::MarkedUncollectible,
                at,
                json!({ "reason": request.reason, "on": request.on, "amount": amount }),
            ))];
            let input = MarkUncollectibleInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                on: request.on,
                reason: request.reason,
                amount,
                event_seq: s.take_event_seq(),
            };
            Ok::<_, Refusal>((s.writes.issue(), input, effects))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::MarkUncollectible, input).await?;
        ctx.state_mut(|s| s.outbox.extend(effects));
        Ok(ctx.state(Self::to_view))
    }

    #[update_validator(issue_credit_note)]
    fn validate_issue_credit_note(
        &self,
        _ctx: &WorkflowContextView,
        request: &CreditNoteRequest,
    ) -> Result<(), HandlerError> {
        Ok(self.check_credit_note(request)?)
    }

    /// Takes back part or all of the invoice with a credit note, in order with its payments:
    /// the amount due falls; what the note takes beyond it is refunded or moved to the
    /// customer's credit balance. Crediting all of it closes the invoice (`credited`). A note
    /// already issued (same id) changes nothing.
    #[update]
    pub async fn issue_credit_note(
        ctx: &mut WorkflowContext<Self>,
        request: CreditNoteRequest,
    ) -> Result<CreditNoteOutcome, HandlerError> {
        Self::credit(ctx, request).await
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
        let event_ids = [Self::event_id(ctx), Self::event_id(ctx)];
        let (ticket, input, effects) = ctx.state_mut(|s| {
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
            // The pending reminders follow the new due date; those now in the past are skipped.
            s.reminders.skip_before(due_date, at);
            let event_seq = s.take_event_seq();
            let became_overdue =
                was != InvoiceStatus::Overdue && s.invoice.status == InvoiceStatus::Overdue;
            let mut effects = vec![Effect::Publish(s.lifecycle_event(
                event_ids[0],
                LifecycleEventType::DueDateChanged,
                at,
                json!({ "from": from, "to": due_date }),
            ))];
            if became_overdue {
                effects.push(Effect::Publish(s.lifecycle_event(
                    event_ids[1],
                    LifecycleEventType::Overdue,
                    at,
                    json!({ "due_date": due_date }),
                )));
            }
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
            Ok::<_, Refusal>((s.writes.issue(), input, effects))
        })?;
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::ChangeDueDate, input).await?;
        ctx.state_mut(|s| s.outbox.extend(effects));
        Ok(ctx.state(Self::to_view))
    }
}

impl InvoiceWorkflow {
    fn publish_search_attributes(ctx: &WorkflowContext<Self>) {
        let updates = ctx.state(|s| search::for_invoice(&s.invoice));
        ctx.upsert_search_attributes(updates);
    }
}

/// Workflow time, the only clock a workflow may read. (`ApplicationFailure` is large; the SDK
/// returns it unboxed from its own workflow APIs too.)
#[allow(clippy::result_large_err)]
fn now(ctx: &WorkflowContext<InvoiceWorkflow>) -> Result<DateTime<Utc>, ApplicationFailure> {
    ctx.workflow_time()
        .map(DateTime::<Utc>::from)
        .ok_or_else(|| ApplicationFailure::new("workflow time is not available"))
}
