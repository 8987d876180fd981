//! The invoice status machine: which command is allowed in which status.

use super::refusal::{Refusal, RefusalKind};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantNames};

/// Where an invoice is in its lifecycle: `draft → sent → (overdue) → paid`, and
/// `draft | sent | overdue → void`.
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
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 5] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Sent,
        InvoiceStatus::Overdue,
        InvoiceStatus::Paid,
        InvoiceStatus::Void,
    ];

    /// The status as stored and shown: `draft`, `sent`, `overdue`, `paid`, `void`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Paid and void invoices never change again; their workflow has completed.
    pub fn is_final(self) -> bool {
        matches!(self, InvoiceStatus::Paid | InvoiceStatus::Void)
    }

    /// The transition table. Drafts are edited, deleted, sent or voided; sent and overdue
    /// invoices take payments, due-date changes and voids; paid and void invoices take nothing.
    pub fn allows(self, action: Action) -> bool {
        match self {
            InvoiceStatus::Draft => matches!(
                action,
                Action::Edit | Action::Delete | Action::Send | Action::Void
            ),
            InvoiceStatus::Sent | InvoiceStatus::Overdue => matches!(
                action,
                Action::RecordPayment | Action::ChangeDueDate | Action::Void | Action::Checkout
            ),
            InvoiceStatus::Paid | InvoiceStatus::Void => false,
        }
    }

    /// `Ok` when `action` is allowed, otherwise the refusal a client is shown.
    pub fn check(self, action: Action) -> Result<(), Refusal> {
        if self.allows(action) {
            return Ok(());
        }
        let article = if self == InvoiceStatus::Overdue {
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
                    "Cannot record a payment on {article} {self} invoice; only sent and overdue invoices take payments."
                )
            }
            Action::Void => format!("Cannot void {article} {self} invoice."),
            Action::ChangeDueDate => format!(
                "Cannot change the due date of {article} {self} invoice; only sent and overdue invoices have a running due date."
            ),
            Action::Checkout => format!(
                "Cannot create a pay link for {article} {self} invoice; only sent and overdue invoices can be paid."
            ),
        };
        Err(Refusal::new(RefusalKind::InvalidTransition, detail))
    }
}

/// The text was not one of the five statuses.
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
    use Action::{ChangeDueDate, Delete, Edit, RecordPayment, Send};
    use InvoiceStatus::{Draft, Overdue, Paid, Sent};

    #[test]
    fn drafts_are_edited_sent_deleted_or_voided() {
        for action in [Edit, Delete, Send, Action::Void] {
            assert!(Draft.allows(action), "{action:?}");
        }
        for action in [RecordPayment, ChangeDueDate] {
            assert!(!Draft.allows(action), "{action:?}");
        }
    }

    #[test]
    fn open_invoices_take_payments_due_date_changes_and_voids() {
        for status in [Sent, Overdue] {
            for action in [RecordPayment, ChangeDueDate, Action::Void] {
                assert!(status.allows(action), "{status} {action:?}");
            }
            for action in [Edit, Delete, Send] {
                assert!(!status.allows(action), "{status} {action:?}");
            }
        }
    }

    #[test]
    fn final_invoices_take_nothing() {
        for status in [Paid, InvoiceStatus::Void] {
            assert!(status.is_final());
            for action in [
                Edit,
                Delete,
                Send,
                RecordPayment,
                Action::Void,
                ChangeDueDate,
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
            "unknown invoice status 'archived'; expected one of draft, sent, overdue, paid, void"
        );
    }
}
