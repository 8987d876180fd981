//! What the invoice workflow keeps and answers: its copy of the invoice and the view its query
//! and updates return. What it takes is in [`super::input`].

use crate::{
    contracts::{Checkout, ExcessTo},
    domain::{Currency, InvoiceNumber, InvoiceStatus},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The error an update handler or validator returns; its message is a [`Refusal`] when the
/// command was refused.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The task queue invoice workflows and their activities run on, unless configured otherwise.
pub const DEFAULT_TASK_QUEUE: &str = "invoices";

/// Workflow ID of an invoice's workflow. One per invoice, for the invoice's whole life.
pub fn workflow_id(invoice_id: Uuid) -> String {
    format!("invoice-{invoice_id}")
}

/// The workflow's copy of the invoice: what the lifecycle needs, no personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceState {
    pub status: InvoiceStatus,
    pub number: Option<InvoiceNumber>,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: i64,
    pub amount_paid: i64,
    /// The credit notes' gross totals.
    #[serde(default)]
    pub amount_credited: i64,
    /// What of the credit notes' excess went to the customer's credit balance.
    #[serde(default)]
    pub amount_to_balance: i64,
}

impl InvoiceState {
    /// What is left to pay: never negative (a credit note's excess is refunded or moved to the
    /// customer's balance).
    pub fn amount_due(&self) -> i64 {
        self.total - self.amount_paid - self.amount_credited + self.amount_to_balance
    }

    /// Applies a credit note of `gross_total`; returns its excess (what it takes beyond the
    /// amount due), which goes where `excess_to` says. Leaving nothing due makes the invoice
    /// credited when everything is credited, else paid. (Everything credited and something
    /// still due: a Stripe refund paid out money of the credit balance that had been spent.)
    pub fn credit(&mut self, gross_total: i64, excess_to: ExcessTo) -> i64 {
        let excess = (gross_total - self.amount_due()).max(0);
        self.amount_credited += gross_total;
        match excess_to {
            ExcessTo::CreditBalance => self.amount_to_balance += excess,
            ExcessTo::Refund => self.amount_paid -= excess,
        }
        if self.amount_due() == 0 {
            self.status = if self.amount_credited == self.total {
                InvoiceStatus::Credited
            } else {
                InvoiceStatus::Paid
            };
        }
        excess
    }
}

/// A pay link the watchdog keeps an eye on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCheckout {
    pub checkout: Checkout,
    /// When to ask Stripe if no final report has arrived.
    pub check_at: DateTime<Utc>,
    pub watchdog_after_secs: u64,
}

/// The workflow's view of the invoice, returned by the `view` query and by every update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub invoice_id: Uuid,
    pub status: InvoiceStatus,
    pub number: Option<InvoiceNumber>,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: i64,
    pub amount_paid: i64,
    #[serde(default)]
    pub amount_credited: i64,
    pub amount_due: i64,
    /// When the invoice falls overdue if unpaid; `None` unless it is sent.
    pub overdue_at: Option<DateTime<Utc>>,
    /// When the next payment reminder goes out, if one is due to.
    pub next_reminder_at: Option<DateTime<Utc>>,
    /// The latest PDF version stored; 0 before the first.
    pub document_version: i32,
    /// The draft was deleted and the workflow is finishing.
    pub deleted: bool,
}

/// Why the invoice is being voided, as the account owner typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRequest {
    pub reason: Option<String>,
}

/// Writing the amount due off as a bad debt, as the account owner asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncollectibleRequest {
    /// Why (the customer went bankrupt, cannot be found), for the books.
    pub reason: String,
    /// The date of the write-off: not before the invoice's issue date, not in the future.
    pub on: NaiveDate,
}
