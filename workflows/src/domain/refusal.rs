//! Why the workflow refused a command, in a form that survives the trip through Temporal.
//!
//! An update validator can only reject with an error message (the SDK wraps it in an
//! `ApplicationFailure` and drops any type name), so a refusal travels as `"{code}: {detail}"`
//! and the API parses the code back to choose the HTTP status.

use strum::{Display, EnumString, IntoStaticStr, VariantNames};

/// What kind of refusal this is; the API maps each kind to one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Display, EnumString, IntoStaticStr, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum RefusalKind {
    /// The command is not allowed in the invoice's status (409).
    InvalidTransition,
    /// A payment larger than the amount due (422).
    Overpayment,
    /// Voiding an invoice that already has payments recorded against it (409).
    PaymentsRecorded,
    /// A due date outside the allowed range (422).
    InvalidDueDate,
    /// A payment amount that is not a positive amount of the invoice's currency (422).
    InvalidAmount,
    /// Online payments are not configured, or the payment provider cannot be reached (503).
    PaymentsUnavailable,
    /// The customer's e-invoice breaks its format's rules, so the draft is not sent (422). The
    /// detail is the gate's verdict as JSON (`contracts::EInvoiceVerdict`), read back by the API
    /// to list every rule.
    EInvoiceRejected,
    /// Another command is under way on the invoice (being sent); retry in a moment (409).
    Busy,
    /// A write-off dated before the invoice was issued, or in the future (422).
    InvalidWriteOffDate,
    /// A credit note the invoice cannot take: more than is left to credit, an unknown line, a
    /// zero amount (422). The detail is the field errors as JSON (`FieldErrors`).
    InvalidCredit,
    /// Voiding an invoice that credit notes have already credited (409): credit the rest.
    CreditNotesIssued,
    /// A payment from the customer's credit balance larger than that balance (409).
    InsufficientCredit,
}

impl RefusalKind {
    /// The kind's code, in the refusal's message: `invalid_transition`, `overpayment`, ….
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A refused command and the sentence shown to the client.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {detail}", kind.code())]
pub struct Refusal {
    pub kind: RefusalKind,
    pub detail: String,
}

impl Refusal {
    pub fn new(kind: RefusalKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    /// Reads a refusal back from a failure message; `None` if the message is not one.
    pub fn parse(message: &str) -> Option<Self> {
        let (code, detail) = message.split_once(": ")?;
        let kind = code.parse().ok()?;
        Some(Self::new(kind, detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_message() {
        assert_eq!(
            RefusalKind::VARIANTS,
            [
                "invalid_transition",
                "overpayment",
                "payments_recorded",
                "invalid_due_date",
                "invalid_amount",
                "payments_unavailable",
                "e_invoice_rejected",
                "busy",
                "invalid_write_off_date",
                "invalid_credit",
                "credit_notes_issued",
                "insufficient_credit",
            ]
        );
        for code in RefusalKind::VARIANTS {
            let kind: RefusalKind = code.parse().unwrap();
            assert_eq!(kind.code(), *code);
            let refusal = Refusal::new(kind, "Something: with a colon.");
            assert_eq!(Refusal::parse(&refusal.to_string()), Some(refusal));
        }
    }

    #[test]
    fn other_messages_are_not_refusals() {
        assert_eq!(Refusal::parse("activity failed"), None);
        assert_eq!(Refusal::parse("timeout: took too long"), None);
    }
}
