//! What the invoice workflow takes, keeps and answers: its input, its copy of the invoice and
//! the view its query and updates return.

use crate::{
    contracts::Checkout,
    domain::{Currency, InvoiceNumber, InvoiceStatus, Ledger, ReminderSchedule},
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
}

impl InvoiceState {
    pub fn amount_due(&self) -> i64 {
        self.total - self.amount_paid
    }
}

/// How a workflow run starts: the invoice as stored, for a new invoice, a continue-as-new, or a
/// workflow restarted from PostgreSQL after an operator terminated the previous run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceWorkflowInput {
    pub invoice_id: Uuid,
    pub owner_id: Uuid,
    pub invoice: InvoiceState,
    /// The invoice row's `version`; every write increases it.
    pub version: i64,
    /// Sequence number of the next timeline entry.
    pub next_event_seq: i32,
    /// Payments already recorded, so a payment delivered again is recognised.
    pub recorded_payments: Vec<Uuid>,
    /// The reminders of a sent invoice (its schedule, and those already done).
    #[serde(default)]
    pub reminders: ReminderSchedule,
    /// PDF versions asked for so far, and the latest stored.
    #[serde(default)]
    pub documents_issued: i32,
    #[serde(default)]
    pub document_version: i32,
    /// What Stripe has reported, per PaymentIntent.
    #[serde(default)]
    pub ledger: Ledger,
    /// Pay links still waiting for their outcome.
    #[serde(default)]
    pub checkouts: Vec<OpenCheckout>,
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
