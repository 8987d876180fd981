//! The invoice domain and its lifecycle workflow.
//!
//! Deterministic by design: no IO, no clock, no randomness. Domain values parse at the
//! boundary (`domain`), the workflow owns the lifecycle (`workflow`), and `contracts` names the
//! side effects it asks for, which the `activities` crate implements.

pub mod contracts;
pub mod domain;
mod operations;
pub mod reconciliation;
pub mod search;
pub mod workflow;

pub use reconciliation::{ReconciliationInput, ReconciliationWorkflow};
pub use workflow::{
    CreditNoteOutcome, DEFAULT_TASK_QUEUE, InvoiceState, InvoiceView, InvoiceWorkflow,
    InvoiceWorkflowInput, MAX_CREDIT_NOTE_REASON_CHARS, StoredInvoice, StoredStripePayment,
    UncollectibleRequest, VoidRequest, workflow_id,
};
