//! The lifecycle writes to PostgreSQL: every state change the workflow decides.
//!
//! Every write carries the invoice's `version` after the change and the timeline sequence
//! numbers it appends, both decided by the workflow, so an activity retried after a crash
//! (or delivered twice) writes the same rows once.

use crate::domain::{Currency, Draft, InvoiceNumber, InvoiceStatus, PaymentMethod, ReminderPolicy};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// Marks a draft as sent and gives it the account's next invoice number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkSentInput {
    pub invoice_id: Uuid,
    pub owner_id: Uuid,
    pub version: i64,
    pub sent_at: DateTime<Utc>,
    pub event_seq: i32,
}

/// The invoice as it was frozen when it was sent, with the account's reminder schedule then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentInvoice {
    pub number: InvoiceNumber,
    pub currency: Currency,
    pub total: i64,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub reminders: ReminderPolicy,
}

/// A payment the workflow has accepted, with the invoice's state after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordPaymentInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub payment: PaymentRequest,
    pub currency: Currency,
    pub recorded_at: DateTime<Utc>,
    /// Total paid including this payment.
    pub amount_paid: i64,
    /// `Paid` when this payment settles the invoice (`Credited` when it is fully credited),
    /// otherwise its status unchanged.
    pub status: InvoiceStatus,
    pub event_seq: i32,
    /// Set when the payment settles the invoice: the `paid` entry follows the payment's.
    pub paid_event_seq: Option<i32>,
    /// The part of the payment that recovers a written-off debt: all of it when the invoice
    /// is uncollectible, else nothing.
    #[serde(default)]
    pub recovered: i64,
}

/// A payment as the API asks the workflow to record it. The id is chosen by the API and is
/// both the payment's primary key and the update's id, so a retried request records it once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRequest {
    pub payment_id: Uuid,
    pub amount: i64,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    /// The processor's id of the payment (a Stripe PaymentIntent); unique.
    #[serde(default)]
    pub transaction_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkOverdueInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub at: DateTime<Utc>,
    pub event_seq: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkVoidInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    pub event_seq: i32,
}

/// The amount due written off as a bad debt: the invoice becomes uncollectible.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkUncollectibleInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub at: DateTime<Utc>,
    /// The date of the write-off, as the books have it.
    pub on: NaiveDate,
    pub reason: String,
    /// What is written off: the amount due then.
    pub amount: i64,
    pub event_seq: i32,
}

/// A new due date and the status it leaves the invoice in (an overdue invoice whose due
/// date moves into the future is sent again; a sent one whose date moves into the past is
/// overdue at once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeDueDateInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub at: DateTime<Utc>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub status: InvoiceStatus,
    pub event_seq: i32,
    pub overdue_event_seq: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviseDraftInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub at: DateTime<Utc>,
    pub draft: Draft,
    pub event_seq: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteDraftInput {
    pub invoice_id: Uuid,
}

/// The invoice workflow's side effects. Implemented by `invoicing_activities`.
pub struct InvoiceActivities;

#[activity_definitions]
impl InvoiceActivities {
    #[activity(name = "invoice.mark_sent")]
    pub fn mark_sent(input: MarkSentInput) -> Result<SentInvoice, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.record_payment")]
    pub fn record_payment(input: RecordPaymentInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.mark_overdue")]
    pub fn mark_overdue(input: MarkOverdueInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.mark_void")]
    pub fn mark_void(input: MarkVoidInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.mark_uncollectible")]
    pub fn mark_uncollectible(input: MarkUncollectibleInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.change_due_date")]
    pub fn change_due_date(input: ChangeDueDateInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.revise_draft")]
    pub fn revise_draft(input: ReviseDraftInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.delete_draft")]
    pub fn delete_draft(input: DeleteDraftInput) -> Result<(), ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::invoice_activities::*;
}
