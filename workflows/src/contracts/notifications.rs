//! What the lifecycle produces for people and other systems: the PDF, the e-mails, and the
//! stream of lifecycle events. Each is idempotent by a key per invoice and step, so a retried or
//! replayed activity never sends an e-mail twice or publishes an event twice.

use crate::domain::{Currency, EInvoiceFormat, InvoiceStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;
use temporalio_macros::activity_definitions;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// A stamp across a PDF version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DocumentMark {
    Paid,
    Void,
}

impl DocumentMark {
    /// The mark as stored (`invoice_documents.mark`): `paid`, `void`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where version `version` of an invoice's PDF is stored.
pub fn document_key(invoice_id: Uuid, version: i32) -> String {
    format!("invoices/{invoice_id}/v{version}.pdf")
}

/// Where version `version` of an invoice's XML e-invoice is stored, beside its PDF
/// (`invoices/{id}/v2.xrechnung_ubl.xml`). Factur-X has no key of its own: its XML travels
/// inside the PDF version.
pub fn e_invoice_key(invoice_id: Uuid, version: i32, format: EInvoiceFormat) -> String {
    format!("invoices/{invoice_id}/v{version}.{format}.xml")
}

/// Where a credit note's PDF is stored (`invoices/{id}/credit-notes/{note}.pdf`).
pub fn credit_note_key(invoice_id: Uuid, credit_note_id: Uuid) -> String {
    format!("invoices/{invoice_id}/credit-notes/{credit_note_id}.pdf")
}

/// Where a credit note's XML e-invoice is stored, beside its PDF (none for Factur-X, whose
/// XML travels inside the PDF).
pub fn credit_note_e_invoice_key(
    invoice_id: Uuid,
    credit_note_id: Uuid,
    format: EInvoiceFormat,
) -> String {
    format!("invoices/{invoice_id}/credit-notes/{credit_note_id}.{format}.xml")
}

/// Render a credit note (and its e-invoice, for a customer who receives one) and store it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderCreditNoteInput {
    pub invoice_id: Uuid,
    pub credit_note_id: Uuid,
}

/// Render the invoice as it is stored now, store it as PDF version `version`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderDocumentInput {
    pub invoice_id: Uuid,
    pub version: i32,
    pub mark: Option<DocumentMark>,
    pub at: DateTime<Utc>,
    /// Timeline entry for the stored version.
    pub event_seq: i32,
}

/// One e-mail to the invoice's client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EmailKind {
    /// The invoice itself, with its PDF attached.
    InvoiceSent { document_version: i32 },
    /// A reminder `days_from_due_date` days from the due date (negative: before it).
    Reminder { days_from_due_date: i32 },
    /// A receipt for one payment.
    PaymentReceipt { payment_id: Uuid, amount: i64 },
    /// The invoice no longer stands.
    Voided { reason: Option<String> },
    /// A credit note, with its PDF (and XML e-invoice) attached.
    CreditNoteIssued {
        credit_note_id: Uuid,
        number: String,
        gross_total: i64,
        reason: String,
    },
}

/// The start of a reminder's step; the days from the due date follow.
const REMINDER_STEP: &str = "email:reminder:";

impl EmailKind {
    /// The idempotency key of this e-mail within its invoice (`side_effects.step`).
    pub fn step(&self) -> String {
        match self {
            EmailKind::InvoiceSent { .. } => "email:invoice_sent".to_owned(),
            EmailKind::Reminder { days_from_due_date } => {
                format!("{REMINDER_STEP}{days_from_due_date}")
            }
            EmailKind::PaymentReceipt { payment_id, .. } => format!("email:receipt:{payment_id}"),
            EmailKind::Voided { .. } => "email:voided".to_owned(),
            EmailKind::CreditNoteIssued { credit_note_id, .. } => {
                format!("email:credit_note:{credit_note_id}")
            }
        }
    }

    /// The reminder a step names, as its days from the due date: the inverse of
    /// [`Self::step`] for reminders, `None` for any other step.
    pub fn reminder_in_step(step: &str) -> Option<i32> {
        step.strip_prefix(REMINDER_STEP)?.parse().ok()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmailInput {
    pub invoice_id: Uuid,
    pub email: EmailKind,
    pub at: DateTime<Utc>,
    /// Timeline entry for the outcome (sent, or refused for good).
    pub event_seq: i32,
}

/// What became of an e-mail. A refusal that retrying cannot fix (a rejected address, an
/// unverified sender) is an outcome, not an error: it is on the timeline and the lifecycle goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EmailOutcome {
    Sent {
        message_id: String,
    },
    Refused {
        reason: String,
    },
    /// Not sent because it no longer applies: a reminder for an invoice paid or voided while
    /// the reminder waited its turn.
    Skipped {
        reason: String,
    },
}

/// The notifications one change produced, delivered in order by one activity: the PDF, the
/// e-mail and the events of sending an invoice, say. Each step keeps its own idempotency key, so
/// a retried delivery picks up at the step that failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryInput {
    pub invoice_id: Uuid,
    pub steps: Vec<DeliveryStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum DeliveryStep {
    Render(RenderDocumentInput),
    RenderCreditNote(RenderCreditNoteInput),
    Email(SendEmailInput),
    Publish(LifecycleEvent),
}

impl DeliveryStep {
    /// The activity this step does on its own, for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            DeliveryStep::Render(_) => "render_document",
            DeliveryStep::RenderCreditNote(_) => "render_credit_note",
            DeliveryStep::Email(_) => "send_email",
            DeliveryStep::Publish(_) => "publish_event",
        }
    }
}

/// What a delivery did. A step that no retry can fix (the invoice is gone, its template
/// cannot render) is dropped and named here, in the workflow's history, for operators; the
/// steps after it still run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    /// The PDF versions stored.
    pub rendered: Vec<i32>,
    pub emails: Vec<EmailOutcome>,
    pub dropped: Vec<DroppedStep>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedStep {
    pub step: String,
    /// The failure's type, one of [`super::failures`].
    pub failure: String,
    pub message: String,
}

/// The kinds of lifecycle event published for other systems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifecycleEventType {
    #[serde(rename = "invoice.sent")]
    Sent,
    #[serde(rename = "invoice.payment_recorded")]
    PaymentRecorded,
    #[serde(rename = "invoice.paid")]
    Paid,
    #[serde(rename = "invoice.overdue")]
    Overdue,
    #[serde(rename = "invoice.voided")]
    Voided,
    #[serde(rename = "invoice.due_date_changed")]
    DueDateChanged,
    #[serde(rename = "invoice.reminder_sent")]
    ReminderSent,
    #[serde(rename = "invoice.payment_failed")]
    PaymentFailed,
    #[serde(rename = "invoice.payment_refunded")]
    PaymentRefunded,
    #[serde(rename = "invoice.marked_uncollectible")]
    MarkedUncollectible,
    #[serde(rename = "credit_note.issued")]
    CreditNoteIssued,
}

/// A lifecycle event as published (JSON): the invoice's amounts at the moment it happened, and
/// an `event_id` consumers deduplicate on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifecycleEvent {
    pub event_id: Uuid,
    #[serde(rename = "type")]
    pub event_type: LifecycleEventType,
    pub occurred_at: DateTime<Utc>,
    pub invoice_id: Uuid,
    pub account_id: Uuid,
    pub number: Option<String>,
    pub status: InvoiceStatus,
    pub currency: Currency,
    pub total: i64,
    pub amount_paid: i64,
    pub amount_due: i64,
    /// Details of this type of event (the payment, the new due date, the reminder).
    pub data: serde_json::Value,
}

/// Documents, e-mails and events. Implemented by `invoicing_activities`.
pub struct NotificationActivities;

#[activity_definitions]
impl NotificationActivities {
    #[activity(name = "invoice.render_document")]
    pub fn render_document(input: RenderDocumentInput) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.send_email")]
    pub fn send_email(input: SendEmailInput) -> Result<EmailOutcome, ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.publish_event")]
    pub fn publish_event(event: LifecycleEvent) -> Result<(), ActivityError> {
        unimplemented!()
    }

    #[activity(name = "invoice.deliver")]
    pub fn deliver(input: DeliveryInput) -> Result<Delivered, ActivityError> {
        unimplemented!()
    }
}

/// This file's marker types, for `contracts::activity`.
pub(super) mod markers {
    pub use super::notification_activities::*;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_stored_as_they_serialize() {
        for (mark, text) in [(DocumentMark::Paid, "paid"), (DocumentMark::Void, "void")] {
            assert_eq!(mark.as_str(), text);
            assert_eq!(serde_json::to_value(mark).unwrap(), text);
        }
    }

    #[test]
    fn an_e_invoice_is_stored_beside_its_pdf_version() {
        let id = Uuid::from_u128(1);
        assert_eq!(
            e_invoice_key(id, 2, EInvoiceFormat::XrechnungUbl),
            format!("invoices/{id}/v2.xrechnung_ubl.xml")
        );
        assert_eq!(document_key(id, 2), format!("invoices/{id}/v2.pdf"));
    }

    #[test]
    fn a_reminder_is_read_back_from_its_step() {
        for days_from_due_date in [-60, -3, 0, 1, 14, 365] {
            let step = EmailKind::Reminder { days_from_due_date }.step();
            assert_eq!(EmailKind::reminder_in_step(&step), Some(days_from_due_date));
        }
    }

    #[test]
    fn other_steps_name_no_reminder() {
        let others = [
            EmailKind::InvoiceSent {
                document_version: 1,
            },
            EmailKind::PaymentReceipt {
                payment_id: Uuid::from_u128(7),
                amount: 100,
            },
            EmailKind::Voided { reason: None },
        ];
        for email in others {
            assert_eq!(
                EmailKind::reminder_in_step(&email.step()),
                None,
                "{email:?}"
            );
        }
        for step in [
            "email:reminder:",
            "email:reminder:x",
            "email:reminder:1.5",
            "reminder:1",
        ] {
            assert_eq!(EmailKind::reminder_in_step(step), None, "{step}");
        }
    }
}
