//! Payments: offline ones the owner records, online ones Stripe reports.
//!
//! Stripe's reports arrive as signals into an inbox that one loop works through, one report at
//! a time, through the [`Ledger`](crate::domain::Ledger), which makes the outcome independent of
//! arrival order. The same loop is the watchdog of the pay links the workflow created: a link
//! with no final report after the configured time is looked up at Stripe, and what Stripe says
//! is applied like a webhook.

use super::{
    HandlerError, InvoiceWorkflow, OpenCheckout, now,
    outbox::{self, Effect},
};
use crate::{
    contracts::{
        CheckCheckoutInput, Checkout, CheckoutState, CreateCheckoutInput, CreditTake, Discrepancy,
        DocumentMark, EmailKind, LifecycleEventType, NotePaymentInput, PaymentNote, PaymentRequest,
        RecordPaymentInput, RecordRefundInput, ReportSource, StripeReport, TakeCreditInput,
        activity, failures,
    },
    domain::{
        Action, InvoiceStatus, Money, PaymentMethod, Refusal, RefusalKind, StripeChange,
        ledger::{Payable, Step},
        terms,
    },
    operations,
};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;
use temporalio_common::RetryPolicy;
use temporalio_sdk::{
    ActivityOptions, CancellableFuture, WorkflowContext, WorkflowTermination, workflows::select,
};

/// A pay link is offered again only while it has at least this long to live.
const REUSE_MARGIN: chrono::Duration = chrono::Duration::hours(1);

impl InvoiceWorkflow {
    /// Records a payment the workflow has accepted: the invoice is paid when nothing is due.
    /// A payment already recorded (same id) changes nothing. `event_seq` is its timeline entry
    /// when one was taken for it already (the credit it took is keyed by it).
    pub(super) async fn accept_payment(
        ctx: &WorkflowContext<Self>,
        payment: PaymentRequest,
        recorded_at: DateTime<Utc>,
        event_seq: Option<i32>,
    ) -> Result<(), WorkflowTermination> {
        let event_ids = [Self::event_id(ctx), Self::event_id(ctx)];
        let write = ctx.state_mut(|s| {
            if s.recorded_payments.contains(&payment.payment_id) {
                return None;
            }
            s.recorded_payments.push(payment.payment_id);
            // A payment on a written-off invoice recovers that much of the bad debt.
            let recovered = if s.invoice.status == InvoiceStatus::Uncollectible {
                payment.amount
            } else {
                0
            };
            s.invoice.amount_paid += payment.amount;
            let settled = s.invoice.amount_due() == 0;
            if settled {
                // Fully credited and owing again (a Stripe refund paid out credit that had been
                // spent): settled, it is credited again.
                s.invoice.status = if s.invoice.amount_credited == s.invoice.total {
                    InvoiceStatus::Credited
                } else {
                    InvoiceStatus::Paid
                };
            }
            let mut effects = vec![
                Effect::Publish(s.lifecycle_event(
                    event_ids[0],
                    LifecycleEventType::PaymentRecorded,
                    recorded_at,
                    json!({
                        "payment_id": payment.payment_id,
                        "amount": payment.amount,
                        "method": payment.method,
                        "reference": payment.reference,
                        "transaction_id": payment.transaction_id,
                    }),
                )),
                Effect::Email(EmailKind::PaymentReceipt {
                    payment_id: payment.payment_id,
                    amount: payment.amount,
                }),
            ];
            if settled {
                effects.push(s.render(Some(DocumentMark::Paid)));
                effects.push(Effect::Publish(s.lifecycle_event(
                    event_ids[1],
                    LifecycleEventType::Paid,
                    recorded_at,
                    json!({}),
                )));
            }
            effects.extend(s.retire_checkouts());
            let input = RecordPaymentInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                currency: s.invoice.currency,
                recorded_at,
                amount_paid: s.invoice.amount_paid,
                status: s.invoice.status,
                event_seq: event_seq.unwrap_or_else(|| s.take_event_seq()),
                paid_event_seq: settled.then(|| s.take_event_seq()),
                recovered,
                payment,
            };
            Some((s.writes.issue(), input, effects))
        });
        if let Some((ticket, input, effects)) = write {
            Self::publish_search_attributes(ctx);
            Self::write(ctx, ticket, activity::RecordPayment, input).await?;
            ctx.state_mut(|s| s.outbox.extend(effects));
        }
        Ok(())
    }

    /// Applies the customer's credit balance to the invoice: takes the payment's amount out of
    /// the balance (a local activity, in one transaction that locks the customer, as every
    /// invoice of theirs draws on it), then records the payment like any other. A balance
    /// smaller than the amount refuses the payment, and nothing is stored. While the credit is
    /// taken, every other command is refused as busy and Stripe's reports wait, so the amount
    /// due the payment was checked against still holds when it is recorded.
    pub(super) async fn pay_from_credit(
        ctx: &WorkflowContext<Self>,
        payment: PaymentRequest,
        recorded_at: DateTime<Utc>,
    ) -> Result<(), HandlerError> {
        let take = ctx.state_mut(|s| {
            s.check_payment(&payment)?;
            if s.recorded_payments.contains(&payment.payment_id) {
                return Ok::<_, Refusal>(None);
            }
            s.taking_credit = true;
            Ok(Some(TakeCreditInput {
                invoice_id: s.invoice_id,
                event_seq: s.take_event_seq(),
                amount: payment.amount,
                on: recorded_at.date_naive(),
                purpose: CreditTake::Apply {
                    payment_id: payment.payment_id,
                },
            }))
        })?;
        let Some(input) = take else {
            return Ok(());
        };
        let event_seq = input.event_seq;
        let taken = Self::short(
            ctx,
            activity::TakeCredit,
            input,
            outbox::short("take from the customer's credit balance", 30),
        )
        .await;
        ctx.state_mut(|s| s.taking_credit = false);
        let taken = taken?;
        if taken.taken < payment.amount {
            let currency = ctx.state(|s| s.invoice.currency);
            return Err(Refusal::new(
                RefusalKind::InsufficientCredit,
                format!(
                    "The customer's credit balance in {} is {}, less than {}.",
                    currency.code(),
                    Money::new(taken.balance.max(0), currency),
                    Money::new(payment.amount, currency),
                ),
            )
            .into());
        }
        Self::accept_payment(ctx, payment, recorded_at, Some(event_seq)).await?;
        Ok(())
    }

    /// The pay link for the amount due: the open one if it still fits, else a new Checkout
    /// Session. Stripe's idempotency key comes from the workflow's deterministic randomness, so
    /// a retried activity gets the session it already created, and no other request shares it.
    pub(super) async fn open_checkout(
        ctx: &WorkflowContext<Self>,
    ) -> Result<Checkout, HandlerError> {
        let at = now(ctx)?;
        let key = Self::event_id(ctx);
        let request = ctx.state_mut(|s| {
            s.check(Action::Checkout)?;
            let due = s.invoice.amount_due();
            let reusable = s.checkouts.iter().rev().find(|open| {
                open.checkout.amount == due
                    && open.checkout.currency == s.invoice.currency
                    && open.checkout.expires_at > at + REUSE_MARGIN
            });
            if let Some(open) = reusable {
                return Ok::<_, Refusal>(Err(open.checkout.clone()));
            }
            Ok(Ok(CreateCheckoutInput {
                invoice_id: s.invoice_id,
                number: s
                    .invoice
                    .number
                    .map(|number| number.to_string())
                    .unwrap_or_default(),
                amount: due,
                currency: s.invoice.currency,
                idempotency_key: format!("checkout-{}-{key}", s.invoice_id),
                at,
                event_seq: s.take_event_seq(),
            }))
        })?;
        let input = match request {
            Ok(input) => input,
            Err(open) => return Ok(open),
        };
        let created =
            operations::activity(ctx, activity::CreateCheckout, input, checkout_options())
                .await
                .map_err(|_| {
                    Refusal::new(
                        RefusalKind::PaymentsUnavailable,
                        "Stripe could not create a pay link right now; try again shortly.",
                    )
                })?;
        let after = chrono::Duration::seconds(
            i64::try_from(created.watchdog_after_secs).unwrap_or(i64::MAX / 1_000),
        );
        ctx.state_mut(|s| {
            s.checkouts.push(OpenCheckout {
                checkout: created.checkout.clone(),
                check_at: at + after,
                watchdog_after_secs: created.watchdog_after_secs,
            });
            s.checkouts_version += 1;
        });
        Ok(created.checkout)
    }

    /// Works through Stripe's reports and watches the open pay links, until the invoice's
    /// life is over.
    pub(super) async fn settle(ctx: &WorkflowContext<Self>) -> Result<(), WorkflowTermination> {
        loop {
            // A payment taking the customer's credit goes first (see `pay_from_credit`).
            ctx.wait_condition(|s| !s.taking_credit).await?;
            let report = ctx.state_mut(|s| {
                let report = s.stripe_inbox.pop_front();
                s.settling = report.is_some();
                report
            });
            if let Some(report) = report {
                Self::apply_report(ctx, report).await?;
                ctx.state_mut(|s| s.settling = false);
                continue;
            }
            if ctx.state(|s| s.done) {
                return Ok(());
            }
            let version = ctx.state(|s| s.checkouts_version);
            let wake = move |s: &Self| {
                !s.stripe_inbox.is_empty() || s.done || s.checkouts_version != version
            };
            let next = ctx.state(|s| {
                s.checkouts
                    .iter()
                    .min_by_key(|open| open.check_at)
                    .map(|open| (open.checkout.session_id.clone(), open.check_at))
            });
            let Some((session_id, check_at)) = next else {
                ctx.wait_condition(wake).await?;
                continue;
            };
            let at = now(ctx)?;
            if at >= check_at {
                Self::watch(ctx, session_id, at).await?;
                continue;
            }
            let mut timer =
                operations::timer(ctx, (check_at - at).to_std().unwrap_or(Duration::ZERO));
            select! {
                _ = timer => {}
                _ = ctx.wait_condition(wake) => timer.cancel(),
            };
        }
    }

    /// No final word on a pay link in time: ask Stripe, and apply what it says.
    async fn watch(
        ctx: &WorkflowContext<Self>,
        session_id: String,
        at: DateTime<Utc>,
    ) -> Result<(), WorkflowTermination> {
        ctx.state_mut(|s| s.settling = true);
        let input = ctx.state(|s| CheckCheckoutInput {
            invoice_id: s.invoice_id,
            session_id: session_id.clone(),
        });
        let state =
            operations::activity(ctx, activity::CheckCheckout, input, watchdog_options()).await;
        let close = |s: &mut Self| {
            s.checkouts
                .retain(|open| open.checkout.session_id != session_id);
            s.checkouts_version += 1;
        };
        match state {
            Ok(CheckoutState::Paid { change }) => {
                ctx.state_mut(close);
                let report = StripeReport {
                    event_id: format!("watchdog:{session_id}"),
                    source: ReportSource::Watchdog,
                    change,
                };
                Self::apply_report(ctx, report).await?;
            }
            Ok(CheckoutState::Expired) => ctx.state_mut(close),
            // Still open (or Stripe could not say): look again after the same wait.
            Ok(CheckoutState::Open) | Err(_) => ctx.state_mut(|s| {
                if let Some(open) = s
                    .checkouts
                    .iter_mut()
                    .find(|open| open.checkout.session_id == session_id)
                {
                    let after = i64::try_from(open.watchdog_after_secs).unwrap_or(i64::MAX / 1_000);
                    open.check_at = at + chrono::Duration::seconds(after.max(60));
                }
                s.checkouts_version += 1;
            }),
        }
        ctx.state_mut(|s| s.settling = false);
        Ok(())
    }

    /// One report, through the ledger, then each step it calls for, in order.
    async fn apply_report(
        ctx: &WorkflowContext<Self>,
        report: StripeReport,
    ) -> Result<(), WorkflowTermination> {
        let at = now(ctx)?;
        let steps = ctx.state_mut(|s| {
            let expected = match &report.change {
                StripeChange::Succeeded {
                    checkout_session_id: Some(session_id),
                    ..
                } => s
                    .checkouts
                    .iter()
                    .find(|open| &open.checkout.session_id == session_id)
                    .map(|open| open.checkout.amount),
                _ => None,
            };
            if let StripeChange::Succeeded {
                checkout_session_id: Some(session_id),
                ..
            } = &report.change
            {
                // The link has its final word: the watchdog can stop looking at it.
                s.checkouts
                    .retain(|open| &open.checkout.session_id != session_id);
                s.checkouts_version += 1;
            }
            let payable = Payable {
                status: s.invoice.status,
                currency: s.invoice.currency,
                amount_due: s.invoice.amount_due(),
            };
            s.ledger.apply(&report.change, payable, expected)
        });
        for step in steps {
            match step {
                Step::Record {
                    payment_id,
                    intent_id,
                    amount,
                } => {
                    let payment = PaymentRequest {
                        payment_id,
                        amount,
                        method: PaymentMethod::Stripe,
                        reference: Some(intent_id.clone()),
                        transaction_id: Some(intent_id),
                    };
                    Self::accept_payment(ctx, payment, at, None).await?;
                }
                Step::Refund {
                    payment_id,
                    charge_id,
                    refunded,
                    amount_refunded,
                    ..
                } => {
                    Self::accept_refund(ctx, payment_id, charge_id, refunded, amount_refunded, at)
                        .await?;
                }
                Step::NoteFailure {
                    intent_id,
                    amount,
                    reason,
                } => {
                    let currency = ctx.state(|s| s.invoice.currency.code().to_lowercase());
                    let event_id = Self::event_id(ctx);
                    let event = ctx.state(|s| {
                        s.lifecycle_event(
                            event_id,
                            LifecycleEventType::PaymentFailed,
                            at,
                            json!({ "transaction_id": intent_id, "amount": amount, "reason": reason }),
                        )
                    });
                    let note = PaymentNote::Failed {
                        intent_id,
                        amount,
                        currency,
                        reason,
                    };
                    Self::note(ctx, note, at).await?;
                    ctx.state_mut(|s| s.outbox.push_back(Effect::Publish(event)));
                }
                Step::Flag {
                    kind,
                    intent_id,
                    expected_amount,
                    actual_amount,
                    currency,
                    detail,
                } => {
                    let invoice_id = ctx.state(|s| s.invoice_id);
                    let note = PaymentNote::Flagged(Discrepancy {
                        kind,
                        transaction_id: intent_id,
                        invoice_id: Some(invoice_id),
                        other_invoice_id: None,
                        source: report.source,
                        expected_amount,
                        actual_amount: Some(actual_amount),
                        currency: Some(currency),
                        detail,
                    });
                    Self::note(ctx, note, at).await?;
                }
            }
        }
        Ok(())
    }

    /// Gives money back on a payment. Money a credit note moved to the customer's credit
    /// balance goes back first out of that balance (the customer had it as credit and now has
    /// it in cash), as far as the balance still holds it: the customer may have spent it on
    /// another invoice since, and the balance never goes below zero. It is taken out with the
    /// same local activity that applies credit to an invoice. What the balance cannot cover is
    /// due again: a paid or credited invoice is open again, sent, or overdue if its due date
    /// has passed, with its timers running and a fresh PDF without its stamp.
    async fn accept_refund(
        ctx: &WorkflowContext<Self>,
        payment_id: uuid::Uuid,
        charge_id: String,
        refunded: i64,
        amount_refunded: i64,
        at: DateTime<Utc>,
    ) -> Result<(), WorkflowTermination> {
        let event_id = Self::event_id(ctx);
        let (wanted, event_seq) = ctx.state_mut(|s| {
            (
                refunded.min(s.invoice.amount_to_balance).max(0),
                s.take_event_seq(),
            )
        });
        let from_balance = if wanted > 0 {
            let input = ctx.state(|s| TakeCreditInput {
                invoice_id: s.invoice_id,
                event_seq,
                amount: wanted,
                on: at.date_naive(),
                purpose: CreditTake::Refund { payment_id },
            });
            Self::short(
                ctx,
                activity::TakeCredit,
                input,
                outbox::short("pay a refund out of the customer's credit balance", 30),
            )
            .await?
            .taken
        } else {
            0
        };
        let (ticket, input, effects) = ctx.state_mut(|s| {
            s.invoice.amount_to_balance -= from_balance;
            s.invoice.amount_paid -= refunded;
            let reopened = matches!(
                s.invoice.status,
                InvoiceStatus::Paid | InvoiceStatus::Credited
            ) && s.invoice.amount_due() > 0;
            if reopened {
                s.invoice.status = if at >= terms::overdue_at(s.invoice.due_date) {
                    InvoiceStatus::Overdue
                } else {
                    InvoiceStatus::Sent
                };
                s.reminders.skip_before(s.invoice.due_date, at);
                s.due_date_version += 1;
            }
            let mut effects = vec![Effect::Publish(s.lifecycle_event(
                event_id,
                LifecycleEventType::PaymentRefunded,
                at,
                json!({
                    "payment_id": payment_id,
                    "charge_id": charge_id,
                    "refunded": refunded,
                    "amount_refunded": amount_refunded,
                }),
            ))];
            if reopened {
                effects.push(s.render(None));
            }
            effects.extend(s.retire_checkouts());
            let input = RecordRefundInput {
                invoice_id: s.invoice_id,
                version: s.next_version(),
                payment_id,
                charge_id: charge_id.clone(),
                refunded,
                amount_refunded,
                currency: s.invoice.currency,
                amount_paid: s.invoice.amount_paid,
                status: s.invoice.status,
                at,
                event_seq,
                written_off: if s.invoice.status == InvoiceStatus::Uncollectible {
                    refunded
                } else {
                    0
                },
                from_balance,
                amount_to_balance: s.invoice.amount_to_balance,
            };
            (s.writes.issue(), input, effects)
        });
        Self::publish_search_attributes(ctx);
        Self::write(ctx, ticket, activity::RecordRefund, input).await?;
        ctx.state_mut(|s| s.outbox.extend(effects));
        Ok(())
    }

    /// A timeline entry (and, for a flagged payment, a discrepancy row); no amount changes.
    async fn note(
        ctx: &WorkflowContext<Self>,
        note: PaymentNote,
        at: DateTime<Utc>,
    ) -> Result<(), WorkflowTermination> {
        let input = ctx.state_mut(|s| NotePaymentInput {
            invoice_id: s.invoice_id,
            note,
            at,
            event_seq: s.take_event_seq(),
        });
        Self::short(
            ctx,
            activity::NotePayment,
            input,
            outbox::short("note a payment on the timeline", 30),
        )
        .await?;
        Ok(())
    }
}

/// Creating a pay link: someone is waiting for it, so a few quick attempts, then a clear
/// refusal. Stripe refusing the request (a 4xx) is not retried.
fn checkout_options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(20))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_millis(500))
                .backoff_coefficient(2.0)
                .maximum_attempts(3)
                .non_retryable_error_types([
                    failures::STRIPE_REQUEST_REFUSED,
                    failures::STRIPE_NOT_CONFIGURED,
                ])
                .build(),
        )
        .summary("create a Stripe pay link".to_owned())
        .build()
}

/// The watchdog's look: a few attempts, then it looks again after its usual wait. Retrying
/// without limit would hold up the reports queued behind it while Stripe is down.
fn watchdog_options() -> ActivityOptions {
    ActivityOptions::with_start_to_close_timeout(Duration::from_secs(20))
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_secs(1))
                .backoff_coefficient(2.0)
                .maximum_attempts(3)
                .non_retryable_error_types([
                    failures::STRIPE_REQUEST_REFUSED,
                    failures::STRIPE_NOT_CONFIGURED,
                ])
                .build(),
        )
        .summary("ask Stripe about a pay link".to_owned())
        .build()
}
