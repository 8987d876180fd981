//! The invoice timeline: what happened to an invoice, in order.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// One kind of entry on an invoice's timeline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
}

impl EventKind {
    const ALL: [EventKind; 16] = [
        EventKind::Created,
        EventKind::Updated,
        EventKind::Sent,
        EventKind::PaymentRecorded,
        EventKind::Overdue,
        EventKind::Paid,
        EventKind::Voided,
        EventKind::DueDateChanged,
        EventKind::DocumentRendered,
        EventKind::EmailSent,
        EventKind::EmailFailed,
        EventKind::ReminderSent,
        EventKind::CheckoutCreated,
        EventKind::PaymentFailed,
        EventKind::PaymentRefunded,
        EventKind::PaymentFlagged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Updated => "updated",
            EventKind::Sent => "sent",
            EventKind::PaymentRecorded => "payment_recorded",
            EventKind::Overdue => "overdue",
            EventKind::Paid => "paid",
            EventKind::Voided => "voided",
            EventKind::DueDateChanged => "due_date_changed",
            EventKind::DocumentRendered => "document_rendered",
            EventKind::EmailSent => "email_sent",
            EventKind::EmailFailed => "email_failed",
            EventKind::ReminderSent => "reminder_sent",
            EventKind::CheckoutCreated => "checkout_created",
            EventKind::PaymentFailed => "payment_failed",
            EventKind::PaymentRefunded => "payment_refunded",
            EventKind::PaymentFlagged => "payment_flagged",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown timeline event kind '{0}'")]
pub struct UnknownEventKind(pub String);

impl FromStr for EventKind {
    type Err = UnknownEventKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownEventKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_text_and_json() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
    }
}
