//! The outbox: what a lifecycle change produces for people and other systems (PDF versions,
//! e-mails, published events), performed one at a time, in the order the changes happened, by
//! a deliverer that runs beside the lifecycle. Commands return as soon as the change is stored;
//! the e-mail goes out right after.
//!
//! The notifications of one change (the PDF, the e-mail and the event of sending an invoice,
//! say) go out in one regular activity, a delivery: one activity task instead of one per
//! notification, and, being a regular activity, it does not hold the workflow task
//! open. That matters because a command's answer leaves the worker with the workflow task that
//! stored the change: if the e-mail ran there as a local activity, the payment a user records
//! would wait for SES and SQS to answer.
//!
//! A reminder is the exception: its e-mail and event run as local activities
//! ([`super::local`]), in the workflow task its timer fired. No caller waits for a reminder,
//! and an invoice has five of them, so this keeps its history short.

use super::{InvoiceWorkflow, local::Short};
use crate::{
    contracts::{
        DeliveryInput, DeliveryStep, DocumentMark, EmailKind, EmailOutcome, ExpireCheckoutInput,
        LifecycleEvent, LifecycleEventType, RefundStripePaymentInput, RenderCreditNoteInput,
        RenderDocumentInput, SendEmailInput, activity, failures,
    },
    operations,
};
use chrono::{DateTime, Utc};
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_sdk::{ActivityOptions, WorkflowContext, WorkflowTermination};
use uuid::Uuid;

/// One side effect waiting in the outbox.
#[derive(Clone, Debug)]
pub(super) enum Effect {
    /// Render the invoice as stored now and keep it as PDF `version`.
    Render {
        version: i32,
        mark: Option<DocumentMark>,
    },
    Email(EmailKind),
    /// Render a credit note and store it (before the e-mail that attaches it).
    RenderCreditNote {
        credit_note_id: Uuid,
    },
    /// A payment reminder: the e-mail, then (if it went out) its event.
    Reminder {
        days_from_due_date: i32,
    },
    Publish(LifecycleEvent),
    /// Expire a pay link that no longer fits the invoice.
    ExpireCheckout {
        session_id: String,
    },
    /// Give a credit note's excess back at Stripe (already recorded).
    RefundStripe(RefundStripePaymentInput),
}

impl Effect {
    /// Rendering, e-mailing and publishing: what a delivery does. Reminders run on their own
    /// (see the module's comment), and so does expiring a pay link, which calls Stripe.
    fn is_notification(&self) -> bool {
        matches!(
            self,
            Effect::Render { .. }
                | Effect::RenderCreditNote { .. }
                | Effect::Email(_)
                | Effect::Publish(_)
        )
    }
}

impl InvoiceWorkflow {
    /// A lifecycle event describing the invoice as it is now. `event_id` comes from the
    /// workflow's deterministic randomness ([`InvoiceWorkflow::event_id`]).
    pub(super) fn lifecycle_event(
        &self,
        event_id: Uuid,
        event_type: LifecycleEventType,
        occurred_at: DateTime<Utc>,
        data: serde_json::Value,
    ) -> LifecycleEvent {
        LifecycleEvent {
            event_id,
            event_type,
            occurred_at,
            invoice_id: self.invoice_id,
            account_id: self.owner_id,
            number: self.invoice.number.map(|number| number.to_string()),
            status: self.invoice.status,
            currency: self.invoice.currency,
            total: self.invoice.total,
            amount_paid: self.invoice.amount_paid,
            amount_due: self.invoice.amount_due(),
            data,
        }
    }

    /// The number of the next PDF version.
    pub(super) fn next_document_version(&mut self) -> i32 {
        self.documents_issued += 1;
        self.documents_issued
    }

    /// Render the next PDF version, stamped with `mark`.
    pub(super) fn render(&mut self, mark: Option<DocumentMark>) -> Effect {
        Effect::Render {
            version: self.next_document_version(),
            mark,
        }
    }

    /// Takes the pay links that no longer fit the invoice (it is settled or void, or its amount
    /// due changed) off the watch list, and asks for each to be expired at Stripe.
    pub(super) fn retire_checkouts(&mut self) -> Vec<Effect> {
        let due = self.invoice.amount_due();
        let payable = matches!(
            self.invoice.status,
            crate::domain::InvoiceStatus::Sent | crate::domain::InvoiceStatus::Overdue
        );
        let (keep, stale): (Vec<_>, Vec<_>) = std::mem::take(&mut self.checkouts)
            .into_iter()
            .partition(|open| payable && open.checkout.amount == due);
        self.checkouts = keep;
        if !stale.is_empty() {
            self.checkouts_version += 1;
        }
        stale
            .into_iter()
            .map(|open| Effect::ExpireCheckout {
                session_id: open.checkout.session_id,
            })
            .collect()
    }

    /// A fresh (version 4) event id from the workflow's deterministic randomness: the same on
    /// every replay, different in every run.
    pub(super) fn event_id(ctx: &WorkflowContext<Self>) -> Uuid {
        uuid::Builder::from_random_bytes(ctx.random::<u128>().to_le_bytes()).into_uuid()
    }

    /// Performs the outbox until the workflow is done (which waits for the outbox to empty):
    /// the notifications at its front in one delivery, a reminder or a stale pay link on its own.
    pub(super) async fn deliver(ctx: &WorkflowContext<Self>) -> Result<(), WorkflowTermination> {
        loop {
            ctx.wait_condition(|s| !s.outbox.is_empty() || s.done)
                .await?;
            let Some(effect) = ctx.state(|s| s.outbox.front().cloned()) else {
                return Ok(());
            };
            match effect {
                Effect::Render { .. }
                | Effect::RenderCreditNote { .. }
                | Effect::Email(_)
                | Effect::Publish(_) => {
                    let notifications = ctx.state(|s| {
                        s.outbox
                            .iter()
                            .take_while(|effect| effect.is_notification())
                            .count()
                    });
                    Self::deliver_notifications(ctx, notifications).await?;
                    ctx.state_mut(|s| {
                        s.outbox.drain(..notifications);
                    });
                }
                Effect::Reminder { days_from_due_date } => {
                    Self::remind(ctx, days_from_due_date).await?;
                    ctx.state_mut(|s| s.outbox.pop_front());
                }
                Effect::ExpireCheckout { session_id } => {
                    Self::expire_checkout(ctx, session_id).await;
                    ctx.state_mut(|s| s.outbox.pop_front());
                }
                Effect::RefundStripe(input) => {
                    // Stripe refusing (the charge was refunded there meanwhile) is not retried:
                    // the failure stays in the history, and the nightly reconciliation and
                    // Stripe's own refund report show the difference.
                    let _ = operations::activity(
                        ctx,
                        activity::RefundPayment,
                        input,
                        options("refund a credit note's excess at Stripe", 30),
                    )
                    .await;
                    ctx.state_mut(|s| s.outbox.pop_front());
                }
            }
        }
    }

    /// The first `count` effects of the outbox, all notifications, in one delivery. A delivery
    /// that fails for good (it cannot, short of a bug: a step no retry can fix is dropped and
    /// reported in its result) is dropped like a single effect would be.
    async fn deliver_notifications(
        ctx: &WorkflowContext<Self>,
        count: usize,
    ) -> Result<(), WorkflowTermination> {
        let at = super::now(ctx)?;
        let input = ctx.state_mut(|s| {
            let effects: Vec<Effect> = s.outbox.iter().take(count).cloned().collect();
            let steps = effects
                .into_iter()
                .filter_map(|effect| match effect {
                    Effect::Render { version, mark } => {
                        Some(DeliveryStep::Render(RenderDocumentInput {
                            invoice_id: s.invoice_id,
                            version,
                            mark,
                            at,
                            event_seq: s.take_event_seq(),
                        }))
                    }
                    Effect::RenderCreditNote { credit_note_id } => {
                        Some(DeliveryStep::RenderCreditNote(RenderCreditNoteInput {
                            invoice_id: s.invoice_id,
                            credit_note_id,
                        }))
                    }
                    Effect::Email(email) => Some(DeliveryStep::Email(SendEmailInput {
                        invoice_id: s.invoice_id,
                        email,
                        at,
                        event_seq: s.take_event_seq(),
                    })),
                    Effect::Publish(event) => Some(DeliveryStep::Publish(event)),
                    Effect::Reminder { .. }
                    | Effect::ExpireCheckout { .. }
                    | Effect::RefundStripe(_) => None,
                })
                .collect();
            DeliveryInput {
                invoice_id: s.invoice_id,
                steps,
            }
        });
        let timeout = input.steps.iter().map(step_timeout_secs).sum();
        let summary = input
            .steps
            .iter()
            .map(DeliveryStep::name)
            .collect::<Vec<_>>()
            .join(", ");
        let delivered = operations::activity(
            ctx,
            activity::Deliver,
            input,
            delivery_options(&format!("deliver: {summary}"), timeout),
        )
        .await;
        if let Ok(delivered) = delivered
            && let Some(version) = delivered.rendered.iter().max().copied()
        {
            ctx.state_mut(|s| s.document_version = s.document_version.max(version));
        }
        Ok(())
    }

    /// A payment reminder: its e-mail, then, if it went out, its event. A failure that retrying
    /// cannot fix (the invoice is gone) is dropped: the activity's failure stays in the workflow
    /// history for operators, and the lifecycle goes on.
    async fn remind(
        ctx: &WorkflowContext<Self>,
        days_from_due_date: i32,
    ) -> Result<(), WorkflowTermination> {
        let at = super::now(ctx)?;
        let email = EmailKind::Reminder { days_from_due_date };
        if let Ok(EmailOutcome::Sent { .. }) = Self::email(ctx, email, at).await {
            let event_id = Self::event_id(ctx);
            let event = ctx.state(|s| {
                s.lifecycle_event(
                    event_id,
                    LifecycleEventType::ReminderSent,
                    at,
                    serde_json::json!({ "days_from_due_date": days_from_due_date }),
                )
            });
            Self::publish(ctx, event).await;
        }
        Ok(())
    }

    /// Expires a pay link at Stripe. A failure no retry can fix (Stripe refused, or online
    /// payments are off) is dropped, and stays in the workflow history for operators.
    async fn expire_checkout(ctx: &WorkflowContext<Self>, session_id: String) {
        let input = ctx.state(|s| ExpireCheckoutInput {
            invoice_id: s.invoice_id,
            session_id,
        });
        let _ = operations::activity(
            ctx,
            activity::ExpireCheckout,
            input,
            options("expire a stale pay link", 30),
        )
        .await;
    }

    async fn email(
        ctx: &WorkflowContext<Self>,
        email: EmailKind,
        at: DateTime<Utc>,
    ) -> Result<EmailOutcome, ()> {
        let input = ctx.state_mut(|s| SendEmailInput {
            invoice_id: s.invoice_id,
            email,
            at,
            event_seq: s.take_event_seq(),
        });
        Self::short(
            ctx,
            activity::SendEmail,
            input,
            short("send an e-mail", EMAIL_SECS),
        )
        .await
        .map_err(|_| ())
    }

    async fn publish(ctx: &WorkflowContext<Self>, event: LifecycleEvent) {
        let _ = Self::short(
            ctx,
            activity::PublishEvent,
            event,
            short("publish a lifecycle event", PUBLISH_SECS),
        )
        .await;
    }
}

/// How long a delivery may go without a heartbeat before Temporal retries it.
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one attempt of each kind of effect may take.
const RENDER_SECS: u64 = 60;
const EMAIL_SECS: u64 = 30;
const PUBLISH_SECS: u64 = 15;

/// A delivery's attempt may take as long as its steps' together.
fn step_timeout_secs(step: &DeliveryStep) -> u64 {
    match step {
        DeliveryStep::Render(_) | DeliveryStep::RenderCreditNote(_) => RENDER_SECS,
        DeliveryStep::Email(_) => EMAIL_SECS,
        DeliveryStep::Publish(_) => PUBLISH_SECS,
    }
}

/// Effects retry with exponential backoff, without limit: an e-mail provider or queue that is
/// down for an hour delays an e-mail, it does not lose it. Only a missing invoice, or Stripe
/// refusing a request (or not being configured), stops them.
pub(super) fn options(summary: &str, timeout_secs: u64) -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(timeout_secs))
        .retry_policy(retry())
        .summary(summary.to_owned())
        .build()
}

/// The same for a delivery, which heartbeats every 2 s: a worker that dies mid-delivery is
/// noticed when its heartbeats stop, so the retry starts within seconds, not after the
/// delivery's whole start-to-close timeout.
fn delivery_options(summary: &str, timeout_secs: u64) -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(timeout_secs))
        .heartbeat_timeout(HEARTBEAT_TIMEOUT)
        .retry_policy(retry())
        .summary(summary.to_owned())
        .build()
}

/// The same, for an effect that runs as a local activity ([`super::local`]).
pub(super) fn short(summary: &'static str, timeout_secs: u64) -> Short {
    Short {
        summary,
        timeout: Duration::from_secs(timeout_secs),
        retry: retry(),
    }
}

fn retry() -> RetryPolicy {
    RetryPolicy::builder()
        .initial_interval(Duration::from_secs(1))
        .backoff_coefficient(2.0)
        .maximum_interval(Duration::from_secs(300))
        .non_retryable_error_types([
            failures::INVOICE_NOT_FOUND,
            failures::STRIPE_REQUEST_REFUSED,
            failures::STRIPE_NOT_CONFIGURED,
        ])
        .build()
}
