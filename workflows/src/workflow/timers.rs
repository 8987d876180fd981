//! The invoice's timers: the durable timers of a sent invoice (falling overdue at the end of the
//! due date, the payment reminders around it), raced against the commands that change them, until
//! the invoice is paid, void or deleted.

use super::{InvoiceWorkflow, now, outbox::Effect};
use crate::{
    contracts::{LifecycleEventType, MarkOverdueInput, activity},
    domain::{InvoiceStatus, terms},
    operations,
};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;
use temporalio_sdk::{
    CancellableFuture, ContinueAsNewOptions, WorkflowContext, WorkflowTermination,
    workflows::select,
};

/// How the lifecycle loop ended.
pub(super) enum Ending {
    /// Paid, void or deleted.
    Finished,
    /// Temporal suggested a fresh run to keep the history small.
    ContinueAsNew,
}

impl InvoiceWorkflow {
    /// Waits out the invoice's life; then, once every change is stored and every effect
    /// delivered, finishes or continues as new. A refund that arrives while a paid invoice is
    /// finishing reopens it, and its timers run again.
    pub(super) async fn lifecycle(ctx: &WorkflowContext<Self>) -> Result<(), WorkflowTermination> {
        let ending = loop {
            let ending = Self::timers(ctx).await?;
            let handlers = ctx.clone();
            ctx.wait_condition(move |s| s.quiet() && handlers.all_handlers_finished())
                .await?;
            let reopened = ctx.state(|s| !s.deleted && !s.invoice.status.is_final());
            if reopened && matches!(ending, Ending::Finished) {
                continue;
            }
            break ending;
        };
        ctx.state_mut(|s| s.done = true);
        if let Ending::ContinueAsNew = ending {
            let input = ctx.state(Self::continued_input);
            ctx.continue_as_new(input, ContinueAsNewOptions::default())?;
        }
        Ok(())
    }

    /// Nothing in hand: every change stored, every effect delivered, every report applied.
    fn quiet(&self) -> bool {
        self.writes.idle()
            && self.outbox.is_empty()
            && self.stripe_inbox.is_empty()
            && !self.settling
    }

    async fn timers(ctx: &WorkflowContext<Self>) -> Result<Ending, WorkflowTermination> {
        loop {
            let (status, due_date_version, deleted) =
                ctx.state(|s| (s.invoice.status, s.due_date_version, s.deleted));
            if deleted || status.is_final() {
                return Ok(Ending::Finished);
            }
            if ctx.continue_as_new_suggested() {
                return Ok(Ending::ContinueAsNew);
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
            // Nothing runs for a draft, nor for an invoice whose sending is still being written
            // (its due date and reminders are confirmed when that write completes).
            let sending = ctx.state(|s| s.invoice.number.is_none());
            if !matches!(status, InvoiceStatus::Sent | InvoiceStatus::Overdue) || sending {
                ctx.wait_condition(changed).await?;
                continue;
            }
            let now = now(ctx)?;
            if status == InvoiceStatus::Sent
                && now >= ctx.state(|s| terms::overdue_at(s.invoice.due_date))
            {
                Self::fall_overdue(ctx, now).await?;
                continue;
            }
            let reminder = ctx.state_mut(|s| s.reminders.take_due(s.invoice.due_date, now));
            if let Some(days_from_due_date) = reminder {
                ctx.state_mut(|s| s.outbox.push_back(Effect::Reminder { days_from_due_date }));
                continue;
            }
            let Some(wake_at) = ctx.state(|s| s.next_deadline()) else {
                ctx.wait_condition(changed).await?;
                continue;
            };
            let wait = (wake_at - now).to_std().unwrap_or(Duration::ZERO);
            let mut timer = operations::timer(ctx, wait);
            select! {
                // Fired: the next pass does what is due.
                _ = timer => {}
                // Paid, voided, or the due date moved: this timer is stale.
                _ = ctx.wait_condition(changed) => timer.cancel(),
            };
        }
    }

    /// The next moment the timers must act: the invoice falling overdue, or a reminder.
    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        let overdue = (self.invoice.status == InvoiceStatus::Sent)
            .then(|| terms::overdue_at(self.invoice.due_date));
        let reminder = self.reminders.next(self.invoice.due_date).map(|(_, at)| at);
        overdue.into_iter().chain(reminder).min()
    }

    /// The end of the due date passed: the invoice is now overdue.
    async fn fall_overdue(
        ctx: &WorkflowContext<Self>,
        at: DateTime<Utc>,
    ) -> Result<(), WorkflowTermination> {
        let event_id = Self::event_id(ctx);
        let (ticket, input, event) = ctx.state_mut(|s| {
            s.invoice.status = InvoiceStatus::Overdue;
            let input = MarkOverdueInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                at,
                event_seq: s.take_event_seq(),
            };
            let event = s.lifecycle_event(
                event_id,
                LifecycleEventType::Overdue,
                at,
                json!({ "due_date": s.invoice.due_date }),
            );
            (s.writes.issue(), input, event)
        });
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::MarkOverdue, input).await?;
        ctx.state_mut(|s| s.outbox.push_back(Effect::Publish(event)));
        Ok(())
    }
}
