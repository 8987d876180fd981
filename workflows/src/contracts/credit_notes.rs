//! Credit notes: what the API asks of the invoice's workflow, the activities that load the
//! invoice's content and record a note, and the one that takes money out of the customer's
//! credit balance their excess fills.

use crate::domain::{
    InvoiceStatus,
    credit::{CreditBasis, CreditNote, CreditScope},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// Where what a credit note takes back beyond the amount due goes (the invoice was paid, in
/// part or in full).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(Display, EnumString, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ExcessTo {
    /// The customer's credit balance, to be applied to a later invoice.
    #[default]
    CreditBalance,
    /// Given back on the invoice's payments, newest first (at Stripe, for a Stripe payment).
    Refund,
}

impl ExcessTo {
    /// As stored (`credit_notes.excess_to`): `credit_balance`, `refund`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A credit note as the API asks for it. The id is chosen by the API (derived from the
/// request's Idempotency-Key when it has one), so a retried request issues one note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteRequest {
    pub credit_note_id: Uuid,
    pub reason: String,
    pub scope: CreditScope,
    #[serde(default)]
    pub excess_to: ExcessTo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadCreditBasisInput {
    pub invoice_id: Uuid,
}

/// A credit note the workflow has accepted, with the invoice's amounts and status after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueCreditNoteInput {
    pub invoice_id: Uuid,
    pub version: i64,
    pub credit_note_id: Uuid,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub scope: CreditScope,
    pub note: CreditNote,
    /// What the note takes back beyond the amount due before it, and where that goes.
    pub excess: i64,
    pub excess_to: ExcessTo,
    pub amount_paid: i64,
    pub amount_credited: i64,
    pub amount_to_balance: i64,
    pub status: InvoiceStatus,
    pub event_seq: i32,
}

/// The credit note as stored: its number, and the refunds its excess made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCreditNote {
    /// As printed (`CN-000042`).
    pub number: String,
    pub issue_date: NaiveDate,
    pub refunds: Vec<RefundShare>,
}

/// Part of a credit note's excess given back on one payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundShare {
    pub payment_id: Uuid,
    pub amount: i64,
    /// The payment's Stripe PaymentIntent, when it came through Stripe: refunded there.
    pub intent_id: Option<String>,
}

/// Money out of the customer's credit balance, in the invoice's currency. The customer's
/// balance is shared by all their invoices, so it is taken in one transaction that locks the
/// customer; the negative `customer_credits` row it writes is found again by a retry, which
/// answers what the first attempt took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeCreditInput {
    pub invoice_id: Uuid,
    /// The invoice's timeline entry the taking belongs to (the payment's or the refund's).
    pub event_seq: i32,
    pub amount: i64,
    pub on: NaiveDate,
    pub purpose: CreditTake,
}

/// Why credit is taken, which decides how much.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum CreditTake {
    /// Applied to the invoice as payment `payment_id` (of method `credit_balance`): all of the
    /// amount or, when the balance is smaller, nothing.
    Apply { payment_id: Uuid },
    /// Paid out in cash by a Stripe refund of `payment_id`, money a credit note had moved to
    /// the balance: as much of the amount as the balance still holds.
    Refund { payment_id: Uuid },
}

/// What was taken, and the balance before it (for the refusal of a balance too small).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenCredit {
    pub taken: i64,
    pub balance: i64,
}

/// Credit notes' activities. Implemented by `invoicing_activities`.
pub struct CreditNoteActivities;

#[activity_definitions]
impl CreditNoteActivities {
    #[activity(name = "invoice.load_credit_basis")]
    pub fn load_credit_basis(input: LoadCreditBasisInput) -> Result<CreditBasis, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.take_credit")]
    pub fn take_credit(input: TakeCreditInput) -> Result<TakenCredit, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.issue_credit_note")]
    pub fn issue_credit_note(
        input: IssueCreditNoteInput,
    ) -> Result<IssuedCreditNote, ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::credit_note_activities::*;
}
