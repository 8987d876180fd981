//! Online payments through Stripe: the reports the API signals to an invoice's workflow, the
//! pay links the workflow asks for, and the nightly reconciliation.

use crate::domain::{Currency, DiscrepancyKind, InvoiceStatus, StripeChange};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// Who noticed a payment: a verified webhook, the watchdog of a pay link, or the nightly
/// reconciliation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReportSource {
    Webhook,
    Watchdog,
    Reconciliation,
}

impl ReportSource {
    /// The source as stored: `webhook`, `watchdog`, `reconciliation`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The `stripe_report` signal: one thing Stripe says happened to a payment for this invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripeReport {
    /// The Stripe event (`evt_…`), or what the watchdog looked at.
    pub event_id: String,
    pub source: ReportSource,
    pub change: StripeChange,
}

/// A pay link, as the `checkout` update returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub session_id: String,
    pub url: String,
    pub amount: i64,
    pub currency: Currency,
    pub expires_at: DateTime<Utc>,
}

/// Create a Checkout Session for the amount due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCheckoutInput {
    pub invoice_id: Uuid,
    pub number: String,
    pub amount: i64,
    pub currency: Currency,
    /// Sent as Stripe's `Idempotency-Key`: a retried activity gets the session it created.
    pub idempotency_key: String,
    pub at: DateTime<Utc>,
    /// Timeline entry for the new pay link.
    pub event_seq: i32,
}

/// The session Stripe created, and how long the workflow waits for its outcome before it asks
/// Stripe itself (the worker's configuration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedCheckout {
    pub checkout: Checkout,
    pub watchdog_after_secs: u64,
}

/// What Stripe says of a pay link now (the watchdog's question).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CheckoutState {
    /// Not paid yet; the client may still pay.
    Open,
    /// Expired unpaid.
    Expired,
    /// Paid: what to apply.
    Paid { change: StripeChange },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckCheckoutInput {
    pub invoice_id: Uuid,
    pub session_id: String,
}

/// Expire a pay link that no longer fits the invoice (paid, void, or another amount due), so
/// the client cannot pay it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpireCheckoutInput {
    pub invoice_id: Uuid,
    pub session_id: String,
}

/// Whether Stripe expired the link (`false`: it was no longer open, e.g. just paid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiredCheckout {
    pub expired: bool,
}

/// Give `amount` back at Stripe on a payment's PaymentIntent (a credit note's excess, already
/// recorded). The idempotency key names the credit note and the payment: a retried activity
/// makes one refund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundStripePaymentInput {
    pub invoice_id: Uuid,
    pub intent_id: String,
    pub amount: i64,
    pub idempotency_key: String,
}

/// The refund Stripe made (`re_…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripeRefund {
    pub refund_id: String,
}

/// A refund the workflow has accepted, with the invoice's state after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRefundInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub payment_id: Uuid,
    pub charge_id: String,
    /// What went back now, and in total on this payment.
    pub refunded: i64,
    pub amount_refunded: i64,
    pub currency: Currency,
    /// The invoice's amount paid after the refund, and its status (no longer paid).
    pub amount_paid: i64,
    pub status: InvoiceStatus,
    pub at: DateTime<Utc>,
    pub event_seq: i32,
    /// What the refund writes off again: all of it when the invoice is uncollectible (what
    /// it owes again is as bad a debt as the rest), else nothing.
    #[serde(default)]
    pub written_off: i64,
    /// What of the refund came out of the customer's credit balance (money a credit note had
    /// moved there from this invoice; taken out of it before this write, by the `TakeCredit`
    /// local activity, which wrote the balance's row), and the invoice's amount moved to the
    /// balance after it.
    #[serde(default)]
    pub from_balance: i64,
    #[serde(default)]
    pub amount_to_balance: i64,
}

/// Something Stripe reported that changes no amount, for the timeline. (Tagged `note`: a
/// discrepancy has a `kind` of its own.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum PaymentNote {
    /// A payment attempt failed.
    Failed {
        intent_id: String,
        amount: i64,
        currency: String,
        reason: Option<String>,
    },
    /// A payment that does not match the invoice, kept for inspection.
    Flagged(Discrepancy),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotePaymentInput {
    pub invoice_id: Uuid,
    pub note: PaymentNote,
    pub at: DateTime<Utc>,
    pub event_seq: i32,
}

/// A payment Stripe reports that the books do not match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub kind: DiscrepancyKind,
    pub transaction_id: String,
    pub invoice_id: Option<Uuid>,
    /// For [`DiscrepancyKind::OtherInvoice`]: the invoice the transaction already belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_invoice_id: Option<Uuid>,
    pub source: ReportSource,
    pub expected_amount: Option<i64>,
    pub actual_amount: Option<i64>,
    pub currency: Option<String>,
    pub detail: String,
}

/// Compare Stripe's succeeded payments created in `[since, until]` with the payments table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileInput {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileSummary {
    /// Succeeded payments Stripe listed.
    pub checked: u32,
    /// Discrepancies found (including ones recorded by an earlier run).
    pub discrepancies: u32,
}

/// The Stripe activities. Implemented by `invoicing_activities`.
pub struct StripeActivities;

#[activity_definitions]
impl StripeActivities {
    #[activity(name = "stripe.create_checkout")]
    pub fn create_checkout(input: CreateCheckoutInput) -> Result<CreatedCheckout, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "stripe.check_checkout")]
    pub fn check_checkout(input: CheckCheckoutInput) -> Result<CheckoutState, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "stripe.expire_checkout")]
    pub fn expire_checkout(input: ExpireCheckoutInput) -> Result<ExpiredCheckout, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "stripe.refund_payment")]
    pub fn refund_payment(input: RefundStripePaymentInput) -> Result<StripeRefund, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "stripe.reconcile")]
    pub fn reconcile(input: ReconcileInput) -> Result<ReconcileSummary, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.record_refund")]
    pub fn record_refund(input: RecordRefundInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.note_payment")]
    pub fn note_payment(input: NotePaymentInput) -> Result<(), ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::stripe_activities::*;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_stored_as_they_serialize() {
        let sources = [
            (ReportSource::Webhook, "webhook"),
            (ReportSource::Watchdog, "watchdog"),
            (ReportSource::Reconciliation, "reconciliation"),
        ];
        for (source, text) in sources {
            assert_eq!(source.as_str(), text);
            assert_eq!(serde_json::to_value(source).unwrap(), text);
        }
    }
}
