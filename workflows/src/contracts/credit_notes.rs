//! Credit notes: what the API asks of the invoice's workflow, and the activities that load the
//! invoice's content and record a note.

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

/// Credit notes' activities. Implemented by `invoicing_activities`.
pub struct CreditNoteActivities;

#[activity_definitions]
impl CreditNoteActivities {
    #[activity(name = "invoice.load_credit_basis")]
    pub fn load_credit_basis(input: LoadCreditBasisInput) -> Result<CreditBasis, ActivityError> {
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
