//! The invoice status machine: which command is allowed in which status.

use super::refusal::{Refusal, RefusalKind};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantNames};

/// Where an invoice is in its lifecycle: `draft → sent → (overdue) → paid`,
/// `draft | sent | overdue → void`, `sent | overdue → uncollectible` (written off: no more
/// reminders, out of the receivables, but a payment that still comes makes it paid), and
/// `sent | overdue | paid → credited` (cancelled by credit notes that take back all of it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(Display, EnumString, IntoStaticStr, VariantNames)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = UnknownStatus,
    parse_err_fn = UnknownStatus::from
)]
pub enum InvoiceStatus {
    Draft,
    Sent,
    Overdue,
    Paid,
    Void,
    Uncollectible,
    Credited,
}

/// A command on an invoice that the status machine may refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Edit,
    Delete,
    Send,
    RecordPayment,
    Void,
    ChangeDueDate,
    /// Create a pay link for the amount due.
    Checkout,
    /// Write the amount due off as a bad debt.
    MarkUncollectible,
    /// Take back part or all of the invoice with a credit note.
    IssueCreditNote,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 7] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Sent,
        InvoiceStatus::Overdue,
        InvoiceStatus::Paid,
        InvoiceStatus::Void,
        InvoiceStatus::Uncollectible,
        InvoiceStatus::Credited,
    ];

    /// The status as stored and shown: `draft`, `sent`, `overdue`, `paid`, `void`,
    /// `uncollectible`, `credited`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Paid, void and credited invoices have no lifecycle left: their workflow has completed.
    /// A paid invoice may still be credited (its workflow then runs again for that).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Paid | InvoiceStatus::Void | InvoiceStatus::Credited
        )
    }

    /// Money is still expected: the receivables (what the dashboard calls outstanding) are the
    /// amounts due of these invoices. A written-off invoice takes payments but is not among them.
    pub fn is_receivable(self) -> bool {
        matches!(self, InvoiceStatus::Sent | InvoiceStatus::Overdue)
    }

    /// The transition table. Drafts are edited, deleted, sent or voided; sent and overdue
    /// invoices take payments, due-date changes, voids, write-offs and credit notes; an
    /// uncollectible one still takes payments (not a void: what was written off stays in the
    /// books as such); a paid invoice takes credit notes only; void and credited invoices take
    /// nothing.
    pub fn allows(self, action: Action) -> bool {
        match self {
            InvoiceStatus::Draft => matches!(
                action,
                Action::Edit | Action::Delete | Action::Send | Action::Void
            ),
            InvoiceStatus::Sent | InvoiceStatus::Overdue => matches!(
                action,
                Action::RecordPayment
                    | Action::ChangeDueDate
                    | Action::Void
                    | Action::Checkout
                    | Action::MarkUncollectible
                    | Action::IssueCreditNote
            ),
            InvoiceStatus::Uncollectible => {
                matches!(action, Action::RecordPayment | Action::Checkout)
            }
            InvoiceStatus::Paid => action == Action::IssueCreditNote,
            InvoiceStatus::Void | InvoiceStatus::Credited => false,
        }
    }

    /// `Ok` when `action` is allowed, otherwise the refusal a client is shown.
    pub fn check(self, action: Action) -> Result<(), Refusal> {
        if self.allows(action) {
            return Ok(());
        }
        let article = if matches!(self, InvoiceStatus::Overdue | InvoiceStatus::Uncollectible) {
            "an"
        } else {
            "a"
        };
        let detail = match action {
            Action::Edit => format!("Only drafts can be edited; this is {article} {self} invoice."),
            Action::Delete => {
                format!(
                    "Only drafts can be deleted; this is {article} {self} invoice. Void it instead."
                )
            }
            Action::Send => {
                format!("Cannot send {article} {self} invoice; only drafts can be sent.")
            }
            Action::RecordPayment => {
                format!(
                    "Cannot record a payment on {article} {self} invoice; only sent, overdue and uncollectible invoices take payments."
                )
            }
            Action::Void => format!("Cannot void {article} {self} invoice."),
            Action::ChangeDueDate => format!(
                "Cannot change the due date of {article} {self} invoice; only sent and overdue invoices have a running due date."
            ),
            Action::Checkout => format!(
                "Cannot create a pay link for {article} {self} invoice; only sent, overdue and uncollectible invoices can be paid."
            ),
            Action::MarkUncollectible => format!(
                "Cannot mark {article} {self} invoice uncollectible; only sent and overdue invoices can be written off."
            ),
            Action::IssueCreditNote => format!(
                "Cannot credit {article} {self} invoice; only sent, overdue and paid invoices can be credited."
            ),
        };
        Err(Refusal::new(RefusalKind::InvalidTransition, detail))
    }
}

/// The text was not one of the statuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown invoice status '{0}'; expected one of {expected}",
    expected = InvoiceStatus::VARIANTS.join(", ")
)]
pub struct UnknownStatus(pub String);

impl From<&str> for UnknownStatus {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::{
        ChangeDueDate, Checkout, Delete, Edit, IssueCreditNote, MarkUncollectible, RecordPayment,
        Send,
    };
    use InvoiceStatus::{Credited, Draft, Overdue, Paid, Sent, Uncollectible};

    #[test]
    fn drafts_are_edited_sent_deleted_or_voided() {
        for action in [Edit, Delete, Send, Action::Void] {
            assert!(Draft.allows(action), "{action:?}");
        }
        for action in [
            RecordPayment,
            ChangeDueDate,
            MarkUncollectible,
            Checkout,
            IssueCreditNote,
        ] {
            assert!(!Draft.allows(action), "{action:?}");
        }
    }

    #[test]
    fn open_invoices_take_payments_due_date_changes_voids_write_offs_and_credit_notes() {
        for status in [Sent, Overdue] {
            assert!(status.is_receivable());
            for action in [
                RecordPayment,
                ChangeDueDate,
                Action::Void,
                Checkout,
                MarkUncollectible,
                IssueCreditNote,
            ] {
                assert!(status.allows(action), "{status} {action:?}");
            }
            for action in [Edit, Delete, Send] {
                assert!(!status.allows(action), "{status} {action:?}");
            }
        }
    }

    #[test]
    fn a_written_off_invoice_still_takes_payments_but_is_no_receivable() {
        assert!(!Uncollectible.is_final());
        assert!(!Uncollectible.is_receivable());
        for action in [RecordPayment, Checkout] {
            assert!(Uncollectible.allows(action), "{action:?}");
        }
        for action in [
            Edit,
            Delete,
            Send,
            ChangeDueDate,
            Action::Void,
            MarkUncollectible,
            IssueCreditNote,
        ] {
            assert!(!Uncollectible.allows(action), "{action:?}");
        }
        assert_eq!(
            Uncollectible.check(MarkUncollectible).unwrap_err().detail,
            "Cannot mark an uncollectible invoice uncollectible; only sent and overdue invoices \
             can be written off."
        );
    }

    #[test]
    fn a_paid_invoice_takes_credit_notes_only() {
        assert!(Paid.is_final());
        assert!(Paid.allows(IssueCreditNote));
        for action in [RecordPayment, Action::Void, ChangeDueDate, Checkout] {
            assert!(!Paid.allows(action), "{action:?}");
        }
    }

    #[test]
    fn void_and_credited_invoices_take_nothing() {
        for status in [Credited, InvoiceStatus::Void] {
            assert!(status.is_final());
            assert!(!status.is_receivable());
            for action in [
                Edit,
                Delete,
                Send,
                RecordPayment,
                Action::Void,
                ChangeDueDate,
                Checkout,
                MarkUncollectible,
                IssueCreditNote,
            ] {
                let refusal = status.check(action).unwrap_err();
                assert_eq!(refusal.kind, RefusalKind::InvalidTransition);
            }
        }
    }

    #[test]
    fn refusals_name_the_status_and_the_action() {
        let refusal = Paid.check(Send).unwrap_err();
        assert_eq!(
            refusal.detail,
            "Cannot send a paid invoice; only drafts can be sent."
        );
        let refusal = Overdue.check(Edit).unwrap_err();
        assert!(refusal.detail.contains("an overdue invoice"));
    }

    #[test]
    fn parses_and_prints_statuses() {
        for status in InvoiceStatus::ALL {
            assert_eq!(status.as_str().parse::<InvoiceStatus>().unwrap(), status);
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{status}\"")
            );
        }
        assert_eq!(InvoiceStatus::VARIANTS.len(), InvoiceStatus::ALL.len());
        assert!("Draft".parse::<InvoiceStatus>().is_err());
        assert_eq!(
            "archived".parse::<InvoiceStatus>().unwrap_err().to_string(),
            "unknown invoice status 'archived'; expected one of draft, sent, overdue, paid, void, uncollectible, credited"
        );
    }
}
