//! The invoice timeline: what happened to an invoice, in order.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

/// One kind of entry on an invoice's timeline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(Display, EnumString, IntoStaticStr)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = UnknownEventKind,
    parse_err_fn = UnknownEventKind::from
)]
pub enum EventKind {
    Created,
    Updated,
    Sent,
    PaymentRecorded,
    Overdue,
    Paid,
    Voided,
    DueDateChanged,
    /// A PDF version of the invoice was rendered and stored.
    DocumentRendered,
    EmailSent,
    /// The e-mail provider refused a message for good (a bad address, an unverified sender).
    EmailFailed,
    ReminderSent,
    /// A pay link (Stripe Checkout Session) was created.
    CheckoutCreated,
    /// An online payment attempt failed; the invoice stays payable.
    PaymentFailed,
    /// Money went back to the payer; the amount due grows again.
    PaymentRefunded,
    /// Stripe reported a payment that does not match the invoice; recorded, not applied.
    PaymentFlagged,
    /// The amount due was written off as a bad debt; the reminders stopped.
    MarkedUncollectible,
    /// A credit note took back part or all of the invoice.
    CreditNoteIssued,
}

impl EventKind {
    /// The kind as stored (`invoice_events.kind`): `created`, `payment_recorded`, ….
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown timeline event kind '{0}'")]
pub struct UnknownEventKind(pub String);

impl From<&str> for UnknownEventKind {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_text_and_json() {
        let all = [
            (EventKind::Created, "created"),
            (EventKind::Updated, "updated"),
            (EventKind::Sent, "sent"),
            (EventKind::PaymentRecorded, "payment_recorded"),
            (EventKind::Overdue, "overdue"),
            (EventKind::Paid, "paid"),
            (EventKind::Voided, "voided"),
            (EventKind::DueDateChanged, "due_date_changed"),
            (EventKind::DocumentRendered, "document_rendered"),
            (EventKind::EmailSent, "email_sent"),
            (EventKind::EmailFailed, "email_failed"),
            (EventKind::ReminderSent, "reminder_sent"),
            (EventKind::CheckoutCreated, "checkout_created"),
            (EventKind::PaymentFailed, "payment_failed"),
            (EventKind::PaymentRefunded, "payment_refunded"),
            (EventKind::PaymentFlagged, "payment_flagged"),
            (EventKind::MarkedUncollectible, "marked_uncollectible"),
            (EventKind::CreditNoteIssued, "credit_note_issued"),
        ];
        for (kind, text) in all {
            assert_eq!(kind.as_str(), text);
            assert_eq!(kind.to_string(), text);
            assert_eq!(text.parse::<EventKind>(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{text}\""));
        }
        assert_eq!(
            "archived".parse::<EventKind>(),
            Err(UnknownEventKind("archived".to_owned()))
        );
    }
}
