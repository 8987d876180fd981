//! The invoice domain and its lifecycle workflow.
//!
//! Deterministic by design: no IO, no clock, no randomness. Domain values parse at the
//! boundary (`domain`), the workflow owns the lifecycle (`workflow`), `reconciliation` and
//! `statement` are short workflows beside it, and `contracts` names the side effects they ask
//! for, which the `activities` crate implements.

pub mod contracts;
pub mod domain;
mod operations;
pub mod reconciliation;
pub mod search;
pub mod statement;
pub mod workflow;

pub use reconciliation::{ReconciliationInput, ReconciliationWorkflow};
pub use statement::{StatementOutcome, StatementRequest, StatementWorkflow, statement_workflow_id};
pub use workflow::{
    CreditNoteOutcome, DEFAULT_TASK_QUEUE, InvoiceState, InvoiceView, InvoiceWorkflow,
    InvoiceWorkflowInput, MAX_CREDIT_NOTE_REASON_CHARS, StoredInvoice, StoredStripePayment,
    UncollectibleRequest, VoidRequest, workflow_id,
};
